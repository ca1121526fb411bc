"""Local development and the demo (`make demo`): SQLite in ./var, keys kept in ./var/keys.env."""

from .base import *  # noqa: F403
from .base import VAR_DIR, env_bool
from .keys import load_or_create_local_keys

# The demo runs like production (no debug pages that would show settings); SHUREN_DEBUG=1 for development.
DEBUG = env_bool("SHUREN_DEBUG", False)
# Static files straight from the apps' folders, without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
_keys = load_or_create_local_keys(VAR_DIR / "keys.env")
SECRET_KEY = _keys["SHUREN_SECRET_KEY"]
SHUREN_PII_KEY = _keys["SHUREN_PII_KEY"]
SHUREN_BLIND_INDEX_KEY = _keys["SHUREN_BLIND_INDEX_KEY"]
# The demo lets every role log in without an authenticator app; production never does.
SHUREN_REQUIRE_MFA = env_bool("SHUREN_REQUIRE_MFA", False)
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# Group robots and WeChat messages are printed, not sent (text messages: SHUREN_SMS_PROVIDER=console).
SHUREN_NOTIFICATION_CHANNELS = {
    "wecom": "shuren.notifications.channels.console.ConsoleChannel",
    "wechat": "shuren.notifications.channels.console.ConsoleChannel",
}
