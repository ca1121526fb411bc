"""Test settings: fixed throw-away keys, fast hashing, MFA on as in production."""

import os

from .base import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
SECRET_KEY = "test-only-secret-key-not-for-production-use-0123456789abcdefghijklmnop"
SHUREN_PII_KEY = "dGVzdC1vbmx5LXBpaS1rZXktMzItYnl0ZXMtbG9uZyE="
SHUREN_BLIND_INDEX_KEY = "dGVzdC1vbmx5LWJsaW5kLWluZGV4LWtleS0zMmJ5dGU="
SHUREN_AUDIT_KEY = "dGVzdC1vbmx5LWF1ZGl0LWNoYWluLWtleS0zMmJ5dGVz"
SHUREN_AUDIT_CHECKPOINT_DIR = ""  # the audit tests give each test its own directory
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
SHUREN_REQUIRE_MFA = True
if "DATABASE_URL" not in os.environ:
    DATABASES = {  # noqa: F405
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": ":memory:",
            "TEST": {"NAME": None},
        }
    }
STORAGES = {  # noqa: F405
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"

# A scoped model with personal fields for testing the shared machinery (tests/testapp).
INSTALLED_APPS = [*INSTALLED_APPS, "tests.testapp"]  # noqa: F405
