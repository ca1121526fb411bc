"""Production: everything secret or machine-specific comes from the environment."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env_bool, env_int

DEBUG = False
for _name in ("SHUREN_SECRET_KEY", "SHUREN_PII_KEY", "SHUREN_BLIND_INDEX_KEY"):
    if not os.environ.get(_name):
        raise ImproperlyConfigured(f"{_name} must be set in the environment")
SHUREN_REQUIRE_MFA = True
SECURE_SSL_REDIRECT = env_bool("SHUREN_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SHUREN_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-shuren_session"
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("SHUREN_CSRF_TRUSTED_ORIGINS", "").split(",") if o]
if os.environ.get("SHUREN_BEHIND_TLS_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
STORAGES = {  # noqa: F405
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
LOGGING["root"]["level"] = os.environ.get("SHUREN_LOG_LEVEL", "INFO")  # noqa: F405
