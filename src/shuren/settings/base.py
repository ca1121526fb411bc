"""Settings shared by every environment. Secrets and machine facts come from the environment."""

from __future__ import annotations

import json
import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("SHUREN_VAR_DIR", Path.cwd() / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


SECRET_KEY = os.environ.get("SHUREN_SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = [h for h in os.environ.get("SHUREN_ALLOWED_HOSTS", "").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "shuren.core",
    "shuren.accounts",
    "shuren.audit",
    "shuren.places",
    "shuren.people",
    "shuren.orgs",
    "shuren.notifications",
    "shuren.appeals",
    "shuren.governance",
    "shuren.proposals",
    "shuren.conventions",
    "shuren.meetings",
    "shuren.ballots",
    "shuren.surveys",
    "shuren.volunteering",
    "shuren.points",
    "shuren.signup",
    "shuren.notices",
    "shuren.lists",
    "shuren.synthetic",
    "shuren.insights",
    "shuren.open311",
    "shuren.api",
    "shuren.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "shuren.core.middleware.RequestContextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "shuren.accounts.middleware.SessionTimeoutMiddleware",
    "shuren.accounts.middleware.MfaEnforcementMiddleware",
    "shuren.accounts.middleware.PasswordExpiryMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    "shuren.core.middleware.NoStoreMiddleware",
    "shuren.core.idempotency.IdempotencyMiddleware",
]

ROOT_URLCONF = "shuren.urls"
WSGI_APPLICATION = "shuren.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "shuren.web.context_processors.display",  # text_size_class for <html> (large text)
            ],
        },
    },
]

# SHUREN_DB_TRANSACTION_POOLING=1 when DATABASE_URL points at PgBouncer in transaction pooling mode:
# a server connection then serves one transaction at a time, so a server-side cursor (a queryset's
# .iterator() outside a transaction) would be lost between two fetches. Django already sends no
# prepared statements, and the application keeps no session state (only SET LOCAL and
# transaction-level advisory locks). docs/deploy.md, "Scaling out".
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'shuren.sqlite3'}"),
        conn_max_age=env_int("SHUREN_DB_CONN_MAX_AGE", 0),
        conn_health_checks=True,
        disable_server_side_cursors=env_bool("SHUREN_DB_TRANSACTION_POOLING", False),
    )
}
# WAL lets readers work while one writer commits; IMMEDIATE avoids upgrade deadlocks.
SQLITE_OPTIONS = {
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = dict(SQLITE_OPTIONS)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "shuren.accounts.backends.UsernameOrPhoneBackend",
]

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

# Password policy profile: "ASVS" (length + blocklist, no rotation) or "MLPS3"
# (GB/T 22239 level 3: three character classes and rotation). See docs/adr/0005.
SHUREN_PASSWORD_PROFILE = os.environ.get("SHUREN_PASSWORD_PROFILE", "ASVS")
SHUREN_PASSWORD_MIN_LENGTH = max(8, env_int("SHUREN_PASSWORD_MIN_LENGTH", 12))
SHUREN_PASSWORD_MAX_AGE_DAYS = env_int("SHUREN_PASSWORD_MAX_AGE_DAYS", 90)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "shuren.accounts.passwords.ProfileValidator"},
]

# Login failures: django-axes locks the identity after 5 failures for 15 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username"]
# Per-address throttling is done by the login view with its own, higher limit (accounts.views.account).
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_USERNAME_CALLABLE = "shuren.accounts.backends.canonical_login_identity"
AXES_LOCKOUT_CALLABLE = "shuren.accounts.views.account.locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_VERBOSE = False
AXES_IPWARE_PROXY_COUNT = env_int("SHUREN_PROXY_COUNT", 0)
# Per-address throttle on top of the per-account lockout (a shared office NAT needs a higher bar).
SHUREN_LOGIN_IP_FAILURE_LIMIT = env_int("SHUREN_LOGIN_IP_FAILURE_LIMIT", 30)

# MFA (TOTP) is required for staff and admin roles; only the demo turns it off.
SHUREN_REQUIRE_MFA = True
OTP_TOTP_ISSUER = "Shuren 熟人"

# Sessions: idle and absolute timeouts; re-authentication window for sensitive actions.
SHUREN_SESSION_IDLE_SECONDS = min(30 * 60, env_int("SHUREN_SESSION_IDLE_SECONDS", 15 * 60))
SHUREN_SESSION_ABSOLUTE_SECONDS = min(12 * 3600, env_int("SHUREN_SESSION_ABSOLUTE_SECONDS", 12 * 3600))
SHUREN_REAUTH_SECONDS = env_int("SHUREN_REAUTH_SECONDS", 5 * 60)
# API tokens (accounts.ApiToken): the same idle timeout and lifetime as a session unless set apart
# for machine clients, and never beyond the session caps (30 min idle, 12 h in all).
SHUREN_API_TOKEN_IDLE_SECONDS = min(30 * 60, env_int("SHUREN_API_TOKEN_IDLE_SECONDS", SHUREN_SESSION_IDLE_SECONDS))
SHUREN_API_TOKEN_ABSOLUTE_SECONDS = min(
    12 * 3600, env_int("SHUREN_API_TOKEN_ABSOLUTE_SECONDS", SHUREN_SESSION_ABSOLUTE_SECONDS)
)
SHUREN_DORMANT_DAYS = env_int("SHUREN_DORMANT_DAYS", 90)
SESSION_COOKIE_AGE = SHUREN_SESSION_ABSOLUTE_SECONDS
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_NAME = "shuren_session"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# PII: AES-GCM key and blind-index key, from the environment (never from the database).
SHUREN_PII_KEY = os.environ.get("SHUREN_PII_KEY", "")
SHUREN_BLIND_INDEX_KEY = os.environ.get("SHUREN_BLIND_INDEX_KEY", "")

# Audit: retention in days; never below the legal minimum of 184 (six months).
SHUREN_AUDIT_RETENTION_DAYS = env_int("SHUREN_AUDIT_RETENTION_DAYS", 365)
# The key of the audit chain's HMACs (kept outside the database; derived from SECRET_KEY when unset,
# which `check --deploy` warns about) and the directory of the signed checkpoint file, on another
# disk or machine, that `shuren audit seal` appends to and `shuren audit verify` checks against.
SHUREN_AUDIT_KEY = os.environ.get("SHUREN_AUDIT_KEY", "")
SHUREN_AUDIT_CHECKPOINT_DIR = os.environ.get("SHUREN_AUDIT_CHECKPOINT_DIR", "")

# Idempotency keys are kept this long; an in-flight claim older than the lease is abandoned.
SHUREN_IDEMPOTENCY_TTL_HOURS = env_int("SHUREN_IDEMPOTENCY_TTL_HOURS", 24)
SHUREN_IDEMPOTENCY_LEASE_SECONDS = env_int("SHUREN_IDEMPOTENCY_LEASE_SECONDS", 60)

# Background work: Django's Tasks API (django-tasks backport) with its database backend, so that
# workers on any machine share the one database. Run workers with `shuren db_worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Spreadsheets larger than this are imported by a worker, with a progress page.
SHUREN_IMPORT_INLINE_BYTES = env_int("SHUREN_IMPORT_INLINE_BYTES", 256 * 1024)
# A job that changes data holds a lease its worker renews as it goes (core.jobs); a job whose lease
# ran out (its worker died) is queued again by `shuren jobs reap`, at most this many attempts in all.
SHUREN_JOB_LEASE_SECONDS = env_int("SHUREN_JOB_LEASE_SECONDS", 180)
SHUREN_JOB_MAX_ATTEMPTS = env_int("SHUREN_JOB_MAX_ATTEMPTS", 3)
# An approved full export (unmasked ID and phone numbers) can be downloaded once within this many hours.
SHUREN_EXPORT_DOWNLOAD_HOURS = env_int("SHUREN_EXPORT_DOWNLOAD_HOURS", 24)

# Appeals (接诉即办). Deadlines count working time: these windows on Chinese working days.
SHUREN_WORKING_HOURS = os.environ.get("SHUREN_WORKING_HOURS", "09:00-12:00,13:30-17:30")
# An appeal is "due soon" when this many working hours or fewer remain before a deadline.
SHUREN_APPEAL_DUE_SOON_HOURS = env_int("SHUREN_APPEAL_DUE_SOON_HOURS", 4)
# A resolved appeal without the reporter's feedback closes by itself after this many days.
SHUREN_APPEAL_FEEDBACK_DAYS = env_int("SHUREN_APPEAL_FEEDBACK_DAYS", 7)
# Uploaded photos: at most this many per appeal and this many bytes each.
SHUREN_APPEAL_MAX_PHOTOS = env_int("SHUREN_APPEAL_MAX_PHOTOS", 6)
SHUREN_APPEAL_MAX_PHOTO_BYTES = env_int("SHUREN_APPEAL_MAX_PHOTO_BYTES", 8 * 1024 * 1024)
# Open311 GeoReport v2: the jurisdiction_id this site answers to (besides district codes), and the
# request rate allowed per client address.
SHUREN_OPEN311_JURISDICTION_ID = os.environ.get("SHUREN_OPEN311_JURISDICTION_ID", "")
SHUREN_OPEN311_RATE = os.environ.get("SHUREN_OPEN311_RATE", "120/min")

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "shuren_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

# Security headers (SECURITY.md section 5).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "shuren.api.authentication.ApiTokenAuthentication",
        "shuren.api.authentication.SessionAuthentication",
    ],
    # Every API view must name its own permission; the default refuses everything.
    "DEFAULT_PERMISSION_CLASSES": ["shuren.api.permissions.DenyByDefault"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "shuren.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "shuren.api.errors.problem_exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # Every body DRF cannot read is a 400 (or 413) problem: see shuren.api.parsers.
    "DEFAULT_PARSER_CLASSES": ["shuren.api.parsers.JSONParser"],
    # "auth": requests to the token endpoint per client address (api.throttling.AuthRateThrottle).
    "DEFAULT_THROTTLE_RATES": {
        "anon": "60/min",
        "user": "600/min",
        "auth": os.environ.get("SHUREN_AUTH_RATE", "20/min"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Shuren API",
    "DESCRIPTION": "Co-governance of urban residential communities (共建共治共享).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI from the installed sidecar package: nothing is fetched from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Several apps have a "status" or "kind" field with their own choices: name each enum.
    "ENUM_NAME_OVERRIDES": {
        "AppealStatusEnum": "shuren.appeals.models.Status",
        "NeedStatusEnum": "shuren.lists.models.NeedStatus",
        "NeedSourceEnum": "shuren.lists.models.NeedSource",
        "NeedUrgencyEnum": "shuren.lists.models.Urgency",
        "ResourceKindEnum": "shuren.lists.models.ResourceKind",
        "MatchStatusEnum": "shuren.lists.models.MatchStatus",
        "SurveyStatusEnum": "shuren.surveys.models.SurveyStatus",
        "GovernanceItemStatusEnum": "shuren.governance.models.ItemStatus",
        "GovernanceItemKindEnum": "shuren.governance.models.ItemKind",
        "ClaimStatusEnum": "shuren.governance.models.ClaimStatus",
        "MeetingKindEnum": "shuren.meetings.models.MeetingKind",
        "MeetingStatusEnum": "shuren.meetings.models.MeetingStatus",
        "AgendaKindEnum": "shuren.meetings.models.AgendaKind",
        "ActionItemStatusEnum": "shuren.meetings.models.ActionStatus",
        "InvitationStatusEnum": "shuren.meetings.models.InvitationStatus",
        "ProposalStatusEnum": "shuren.proposals.models.ProposalStatus",
        "ProposalAnswerKindEnum": "shuren.proposals.models.AnswerKind",
        "ConventionStatusEnum": "shuren.conventions.models.ConventionStatus",
        "ConventionVersionStatusEnum": "shuren.conventions.models.VersionStatus",
        "BallotStatusEnum": "shuren.ballots.models.BallotStatus",
        "NoticeStatusEnum": "shuren.notices.models.NoticeStatus",
        "NoticeUrgencyEnum": "shuren.notices.models.Urgency",
    },
}


LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "no_pii": {"()": "shuren.core.logging.RedactPiiFilter"},
        # A refused request (403, 404, 400…) is one line (method, path, status, user), no traceback.
        "client_error_one_line": {"()": "shuren.core.logging.ClientErrorOneLine"},
    },
    # On the handler too: the records of django.security.* (a 400 for a suspicious request).
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["client_error_one_line", "no_pii"]},
    },
    "loggers": {"django.request": {"filters": ["client_error_one_line"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("SHUREN_LOG_LEVEL", "WARNING")},
}

# Insights (M12): a dashboard queues a refresh of the roll-ups when they are older than this; the
# PDF of the monthly report embeds this CJK font (default: Debian's fonts-noto-cjk, found by fc-match).
SHUREN_INSIGHTS_STALE_MINUTES = env_int("SHUREN_INSIGHTS_STALE_MINUTES", 10)
SHUREN_PDF_FONT = os.environ.get("SHUREN_PDF_FONT") or None

# E-mail (monthly reports): an SMTP relay by default; dev prints messages on the console.
EMAIL_BACKEND = os.environ.get("SHUREN_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("SHUREN_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("SHUREN_EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("SHUREN_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("SHUREN_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("SHUREN_EMAIL_TLS", "") == "1"
DEFAULT_FROM_EMAIL = os.environ.get("SHUREN_EMAIL_FROM", "shuren@localhost")
# A mail server that does not answer within this many seconds counts as down (the outbox retries later).
EMAIL_TIMEOUT = env_int("SHUREN_EMAIL_TIMEOUT", 30)

# The outbox (shuren.notifications, docs/notifications.md). Links in e-mails, SMS and group messages
# are absolute: the site's public address, without a trailing slash.
SHUREN_SITE_URL = os.environ.get("SHUREN_SITE_URL", "http://localhost:8000")
# The backend of each channel, like EMAIL_BACKEND (the defaults are in channels/__init__.py;
# "shuren.notifications.channels.console.ConsoleChannel" prints instead of sending).
SHUREN_NOTIFICATION_CHANNELS: dict[str, str] = {}
# Delivery: a failed attempt is retried after 30 s, doubling up to an hour (less up to a fifth at
# random); a message still undelivered after 48 hours is given up (failed). A worker holds the
# messages it is sending for 5 minutes; a worker that died is relieved of them after that.
SHUREN_NOTIFICATIONS_RETRY_BASE_SECONDS = env_int("SHUREN_NOTIFICATIONS_RETRY_BASE_SECONDS", 30)
SHUREN_NOTIFICATIONS_RETRY_CAP_SECONDS = env_int("SHUREN_NOTIFICATIONS_RETRY_CAP_SECONDS", 3600)
SHUREN_NOTIFICATIONS_MAX_AGE_HOURS = env_int("SHUREN_NOTIFICATIONS_MAX_AGE_HOURS", 48)
SHUREN_NOTIFICATIONS_LEASE_SECONDS = env_int("SHUREN_NOTIFICATIONS_LEASE_SECONDS", 300)
# The hour (local time) of the daily e-mail digest for those who chose it.
SHUREN_NOTIFICATIONS_DIGEST_HOUR = env_int("SHUREN_NOTIFICATIONS_DIGEST_HOUR", 18)
# `shuren notifications purge` deletes settled messages (sent, failed, cancelled; in-app ones once
# read) older than this many days.
SHUREN_NOTIFICATIONS_RETENTION_DAYS = env_int("SHUREN_NOTIFICATIONS_RETENTION_DAYS", 365)
# WeCom group robots: the function (dotted path) turning a group address ("building:12") into its
# webhook URL (validated against SHUREN_WECOM_WEBHOOK_BASE below before each use). The stairwell
# groups' robots are kept by the notices app (per building or grid, encrypted).
SHUREN_WECOM_WEBHOOK_RESOLVER = "shuren.notices.webhooks.resolve"
# Stairwell notices: the largest PDF a notice may carry (checked by its content, not its name).
SHUREN_NOTICE_MAX_PDF_BYTES = env_int("SHUREN_NOTICE_MAX_PDF_BYTES", 10 * 1024 * 1024)
# WeChat subscribe messages: the function (dotted path) giving a user's openid ("" when they have not
# linked WeChat; default: their WeChatLink), and each kind's subscribe template, as a JSON object:
# {"appeals.resolved": "TEMPLATE_ID"} (keywords thing1 = subject, time2 = when) or
# {"appeals.resolved": {"template": "TEMPLATE_ID", "fields": {"thing1": "subject", "thing3": "text",
# "time2": "created", "character_string4": "param:ref"}, "page": "pages/appeal/detail"}}.
# WeChat is offered only for the kinds listed here.
SHUREN_WECHAT_OPENID_RESOLVER = os.environ.get(
    "SHUREN_WECHAT_OPENID_RESOLVER", "shuren.notifications.channels.wechat.linked_openid"
)
SHUREN_WECHAT_TEMPLATES: dict[str, Any] = json.loads(os.environ.get("SHUREN_WECHAT_TEMPLATES") or "{}")
# Rate limits per recipient and channel: channel -> (per hour, per day). A message over the limit
# waits (it is never dropped); urgent ones pass but count. A channel not listed has no limit.
SHUREN_NOTIFY_LIMITS: dict[str, tuple[int, int]] = {"sms": (10, 30)}
# A WeCom group robot takes at most 20 messages a minute: the worker sends no more to one group and
# defers the rest to the next minute.
SHUREN_WECOM_PER_MINUTE = env_int("SHUREN_WECOM_PER_MINUTE", 20)
# SMS a community may send in a month when it has no SmsBudget row (unset: no limit). Once a
# community's budget is spent, its SMS that are not urgent are not sent: the message stays in the
# inbox (the SMS is cancelled with the reason, shown on the delivery page).
SHUREN_SMS_MONTHLY_BUDGET: int | None = env_int("SHUREN_SMS_MONTHLY_BUDGET", 0) or None

# Text messages (shuren.notifications.sms). The provider: "console" prints them (development and the
# demo; `check --deploy` refuses it), "aliyun" (阿里云短信服务) or "tencent" (腾讯云短信) sends them.
# Secrets come from the environment only. Templates and the signature (签名, e.g. 【熟人】) must be
# registered and approved with the provider first; SHUREN_SMS_TEMPLATES maps each kind of message to
# its template code, as a JSON object: {"signup_code": "SMS_123456789", …} (Aliyun) or
# {"signup_code": "1234567", …} (Tencent). Endpoints change only for tests or a private gateway.
SHUREN_SMS_PROVIDER = os.environ.get("SHUREN_SMS_PROVIDER", "console")
SHUREN_SMS_SIGN_NAME = os.environ.get("SHUREN_SMS_SIGN_NAME", "")
SHUREN_SMS_TEMPLATES: dict[str, str] = json.loads(os.environ.get("SHUREN_SMS_TEMPLATES") or "{}")
# Seconds to wait for the provider to connect and to answer; a slower answer is retried later.
SHUREN_SMS_TIMEOUT_SECONDS = float(os.environ.get("SHUREN_SMS_TIMEOUT_SECONDS") or 5)
SHUREN_SMS_ALIYUN_ACCESS_KEY_ID = os.environ.get("SHUREN_SMS_ALIYUN_ACCESS_KEY_ID", "")
SHUREN_SMS_ALIYUN_ACCESS_KEY_SECRET = os.environ.get("SHUREN_SMS_ALIYUN_ACCESS_KEY_SECRET", "")
SHUREN_SMS_ALIYUN_ENDPOINT = os.environ.get("SHUREN_SMS_ALIYUN_ENDPOINT", "https://dysmsapi.aliyuncs.com")
SHUREN_SMS_TENCENT_SECRET_ID = os.environ.get("SHUREN_SMS_TENCENT_SECRET_ID", "")
SHUREN_SMS_TENCENT_SECRET_KEY = os.environ.get("SHUREN_SMS_TENCENT_SECRET_KEY", "")
# The SmsSdkAppId of the application created in Tencent's SMS console (e.g. 1400006666).
SHUREN_SMS_TENCENT_SDK_APP_ID = os.environ.get("SHUREN_SMS_TENCENT_SDK_APP_ID", "")
SHUREN_SMS_TENCENT_REGION = os.environ.get("SHUREN_SMS_TENCENT_REGION", "ap-guangzhou")
SHUREN_SMS_TENCENT_ENDPOINT = os.environ.get("SHUREN_SMS_TENCENT_ENDPOINT", "https://sms.tencentcloudapi.com")

# Residents signing themselves up (shuren.signup). SMS one-time codes (templates "signup_code",
# "reset_code", "change_phone_code" with a ${code} variable, and "phone_changed" without one): a code
# lives this many seconds and dies after this many wrong tries; a number gets at most one code a
# minute and five an hour, a client address twenty an hour (whatever the numbers); the step after a
# right code (name and password, new password) must follow within the ticket's life.
SHUREN_SIGNUP_CODE_SECONDS = env_int("SHUREN_SIGNUP_CODE_SECONDS", 300)
SHUREN_SIGNUP_CODE_MAX_ATTEMPTS = env_int("SHUREN_SIGNUP_CODE_MAX_ATTEMPTS", 5)
SHUREN_SIGNUP_RESEND_SECONDS = env_int("SHUREN_SIGNUP_RESEND_SECONDS", 60)
SHUREN_SIGNUP_CODES_PER_NUMBER_PER_HOUR = env_int("SHUREN_SIGNUP_CODES_PER_NUMBER_PER_HOUR", 5)
SHUREN_SIGNUP_CODES_PER_ADDRESS_PER_HOUR = env_int("SHUREN_SIGNUP_CODES_PER_ADDRESS_PER_HOUR", 20)
SHUREN_SIGNUP_TICKET_SECONDS = env_int("SHUREN_SIGNUP_TICKET_SECONDS", 900)

# WeCom group robots (notices to a building's or grid's group). Each group's webhook address, with
# its secret key, is entered by staff and kept with the group, never here. Addresses are accepted
# only at this scheme and host (WeCom's; tests point it at a local server; check --deploy refuses
# another). Seconds to wait for WeCom's answer.
SHUREN_WECOM_WEBHOOK_BASE = os.environ.get("SHUREN_WECOM_WEBHOOK_BASE", "https://qyapi.weixin.qq.com")
SHUREN_WECOM_TIMEOUT = env_int("SHUREN_WECOM_TIMEOUT", 5)

# WeChat mini program subscribe messages: the mini program's AppID and AppSecret (the secret from
# the environment only); the API's base address (tests point it at a local server; check --deploy
# wants https); which version of the mini program a message opens (formal, trial or developer);
# seconds to wait for an answer.
SHUREN_WECHAT_APP_ID = os.environ.get("SHUREN_WECHAT_APP_ID", "")
SHUREN_WECHAT_APP_SECRET = os.environ.get("SHUREN_WECHAT_APP_SECRET", "")
SHUREN_WECHAT_API_BASE = os.environ.get("SHUREN_WECHAT_API_BASE", "https://api.weixin.qq.com")
SHUREN_WECHAT_MINIPROGRAM_STATE = os.environ.get("SHUREN_WECHAT_MINIPROGRAM_STATE", "formal")
SHUREN_WECHAT_TIMEOUT = env_int("SHUREN_WECHAT_TIMEOUT", 5)
