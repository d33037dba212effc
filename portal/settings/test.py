"""Test settings: the embedded defaults (or PostgreSQL/Redis when the environment says so)."""

from .base import *

SECRET_KEY = "test-only-secret-key-not-for-production-0123456789abcdefghij"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
MEDIA_ROOT = BASE_DIR / ".test-media"
WAGTAILADMIN_BASE_URL = "http://testserver"
# Tasks run in the test process; the real-worker test switches this off for itself.
CELERY_TASK_ALWAYS_EAGER = True

if REDIS_URL:
    # A release of this test run's own: two runs on one Redis (two checkouts of the same code
    # on one machine) never read each other's cached values, which belong to another
    # database. The real-worker test hands this release to its worker.
    import uuid

    RELEASE = f"{RELEASE}-test-{uuid.uuid4().hex[:8]}"
    CACHES["default"]["KEY_PREFIX"] = f"{env('CACHE_KEY_PREFIX', 'kp')}:{RELEASE}"

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A test database in a file, not in memory: the browser tests' live server answers the
    # page and its scripts in threads of their own, and an in-memory database would be one
    # connection shared by them all (SQLite then fails with "bad parameter or other API
    # misuse"). One file per test process, removed at the end.
    import os

    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / f".test-db-{os.getpid()}.sqlite3")}
