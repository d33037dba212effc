"""Test settings: the embedded defaults (or PostgreSQL/Redis when the environment says so)."""

from .base import *

SECRET_KEY = "test-only-secret-key-not-for-production-0123456789abcdefghij"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
MEDIA_ROOT = BASE_DIR / ".test-media"
WAGTAILADMIN_BASE_URL = "http://testserver"
# Tasks run in the test process; the real-worker test switches this off for itself.
CELERY_TASK_ALWAYS_EAGER = True
