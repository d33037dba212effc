"""Settings shared by every environment.

Everything that differs between a laptop and production is read from the environment, with a
safe local default: SQLite, eager Celery tasks, a local-memory cache and Wagtail's database
search backend. Setting ``DATABASE_URL`` and ``REDIS_URL`` switches to PostgreSQL and Redis.
"""

from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from kit.cache import cache_settings
from kit.release import release

from .env import env, env_bool, env_list, redis_db_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = env("SECRET_KEY", "django-insecure-local-only-key-change-me-0123456789abcdefghijklmnop")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "portal",
    "search",
    "hubs",
    "countries",
    "models_infra",
    "knowledgebase",
    "wagtail.contrib.redirects",
    "wagtail.contrib.simple_translation",
    "wagtail.locales",
    "wagtail.contrib.sitemaps",
    "wagtail.api.v2",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "rest_framework",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

# A reverse proxy (Varnish, nginx) in front of the site: Wagtail sends it a PURGE for a page's
# address when the page is published, unpublished or deleted (wagtail.contrib.frontend_cache,
# docs/deployment.md). Off unless FRONTEND_CACHE_PURGE_URL is set; other backends (Cloudflare,
# CloudFront) are configured the same way in a settings module of the deployment's own.
FRONTEND_CACHE_PURGE_URL = env("FRONTEND_CACHE_PURGE_URL", "")
if FRONTEND_CACHE_PURGE_URL:
    INSTALLED_APPS.append("wagtail.contrib.frontend_cache")
    WAGTAILFRONTENDCACHE = {
        "default": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": FRONTEND_CACHE_PURGE_URL,
        }
    }

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # The policy headers come before whitenoise so that static files carry them too (an SVG
    # or a stylesheet is never framed, and never runs a script from elsewhere).
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "portal.middleware.AdminSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # An ETag on GET answers, and 304 Not Modified when the client already has it: API
    # clients, feed readers and search engines do not download an unchanged answer again.
    "django.middleware.http.ConditionalGetMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Before the views, so that everything a view caches uses the versions read once per request.
    "knowledgebase.content_cache.RequestContentVersion",
    # Whole pages for anonymous visitors, under the versions the request read first.
    "portal.middleware.AnonymousPageCache",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.navigation",
            ],
        },
    },
]

# Database: SQLite by default; DATABASE_URL selects PostgreSQL (psycopg 3).
DATABASE_URL = env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL)}
USING_POSTGRES = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
if USING_POSTGRES:
    # Persistent connections: opening a connection per request costs about two thirds of
    # the throughput. Health checks drop a connection the server has closed.
    DATABASES["default"]["CONN_MAX_AGE"] = int(env("CONN_MAX_AGE", "600"))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # A server that does not answer is given up after 2 s (libpq's minimum): the visitor then
    # gets the 503 page in time instead of waiting for the operating system's TCP timeout.
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = 2
    INSTALLED_APPS.append("django.contrib.postgres")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

WAGTAILSEARCH_BACKENDS = {
    "default": {
        "BACKEND": "wagtail.search.backends.database",
        **({"SEARCH_CONFIG": "dutch"} if USING_POSTGRES else {}),
    }
}

# Cache and Celery: Redis when REDIS_URL is set (cache in db 1, broker in db 0), otherwise
# a local-memory cache and tasks that run eagerly in the web process.
# The Redis cache fails open (kit/cache.py): with Redis down or hung, pages are computed
# without it, and each command gives up after half a second.
REDIS_URL = env("REDIS_URL", "")
# The release names the cache's keys: after a deploy nothing cached by the previous code
# (rendered HTML, query results) is served (kit/release.py).
RELEASE = release(BASE_DIR, env("RELEASE", ""))
if REDIS_URL:
    CACHES = {
        "default": cache_settings(
            redis_db_url(REDIS_URL, 1), key_prefix=f"{env('CACHE_KEY_PREFIX', 'kp')}:{RELEASE}"
        ),
    }
    CELERY_BROKER_URL = redis_db_url(REDIS_URL, 0)
    CELERY_TASK_ALWAYS_EAGER = False
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CELERY_BROKER_URL = "memory://"
    CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = "Europe/Amsterdam"
# A worker waits for a broker that is down for as long as it takes, instead of exiting after
# a hundred attempts; a web process gives up publishing after one retry (the pages never
# depend on a task being queued).
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2}
# Broker commands give up after a few seconds when Redis accepts connections but does not
# answer; the worker's waiting for tasks is not affected (kombu reads it as it arrives).
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_timeout": 2, "socket_connect_timeout": 1}
# Seconds between the heartbeats a connected worker writes to the cache (portal/worker.py);
# /healthz reports a worker as answering while the last one is less than three intervals old.
WORKER_HEARTBEAT_INTERVAL = int(env("WORKER_HEARTBEAT_INTERVAL", "10"))
# Beat answers `celery inspect ping` (its container's health check) while its scheduler ticks.
CELERY_BEAT_ENABLE_REMOTE_CONTROL = True
CELERY_BEAT_SCHEDULE = {
    # Without this, pages and snippets scheduled for publication never go live.
    "publish-scheduled": {"task": "portal.tasks.publish_scheduled", "schedule": 60.0},
    "search-garbage-collect": {
        "task": "portal.tasks.search_garbage_collect",
        "schedule": crontab(minute=15, hour=3),
    },
    # External links of studies, organisations and profiles, for the dashboard.
    "check-links": {
        "task": "portal.tasks.check_links",
        "schedule": crontab(minute=0, hour=4, day_of_week=1),
    },
    "purge-old-revisions": {
        "task": "portal.tasks.purge_revisions",
        "schedule": crontab(minute=30, hour=3, day_of_week=0),
    },
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Dutch first; the interface is also available in English.
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True
# Pages can be translated into English (kit/translations.py, docs/content-editing.md).
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = [("nl", "Nederlands"), ("en", "English")]
WAGTAILADMIN_PERMITTED_LANGUAGES = [("nl", "Nederlands"), ("en", "English")]

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")))
# Where ``manage.py backup`` writes its folders (docs/deployment.md, "Backups").
BACKUP_ROOT = Path(env("BACKUP_ROOT", str(BASE_DIR / "backups")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# The read-only API (/api/): JSON only (no browsable HTML pages), anonymous, no sessions or
# CSRF involved: every request is anonymous, so the API shows what the public sees, also to a
# signed-in editor. docs/api.md describes it.
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    # OPTIONS would describe the views from their docstrings; GET and HEAD are all there is.
    "DEFAULT_METADATA_CLASS": None,
}

WAGTAIL_SITE_NAME = "Kennisportaal Loopbaanbegeleiding"
# The licence the portal's own texts are published under; downloads name it.
CONTENT_LICENCE_NAME = env("CONTENT_LICENCE_NAME", "CC BY 4.0")
CONTENT_LICENCE_URL = env("CONTENT_LICENCE_URL", "https://creativecommons.org/licenses/by/4.0/deed.nl")
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", "http://localhost:8000")
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "odt", "txt", "csv", "xlsx"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
WAGTAIL_MODERATION_ENABLED = True
WAGTAIL_WORKFLOW_ENABLED = True

MAILERS = {"default": {"BACKEND": env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")}}
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "kennisportaal@localhost")

# Content Security Policy with Django's own support. Public pages: everything from this
# origin only, no inline script or style, never framed. Templates that need an inline script
# mark it with {% csp_nonce_attr %} (CSP.NONCE below); none does today.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
# The Wagtail admin (portal.middleware.AdminSecurityPolicyMiddleware, for ADMIN_PATH_PREFIX):
# Wagtail 8 still renders inline scripts (inline panels, date pickers, the workflow and chooser
# modals that arrive as HTML fragments), sets style attributes, compiles templates at run time
# (``new Function``) and shows previews in a frame of its own origin. Still nothing from other
# origins: avatars are off (WAGTAIL_GRAVATAR_PROVIDER_URL) and the admin loads no third-party
# resources.
ADMIN_PATH_PREFIX = "/admin/"
ADMIN_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.UNSAFE_INLINE, CSP.UNSAFE_EVAL],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:", "blob:"],
    "font-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "frame-src": [CSP.SELF],
    "frame-ancestors": [CSP.SELF],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
# Framing agrees with frame-ancestors: never for the public site, same origin for the admin
# (its preview panel frames the admin's preview view).
X_FRAME_OPTIONS = "DENY"
ADMIN_X_FRAME_OPTIONS = "SAMEORIGIN"
# Browser features the portal never uses are switched off for every page and file.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}
# Avatars from gravatar.com would be a third-party request on every admin page.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# Wagtail's autosave posts the form every half second while an editor types: on a new record
# it creates the record from a half-filled form (a second click on "Bewaar concept" then
# created a duplicate) and answers every incomplete form with a 400. Editors save drafts
# themselves; the unsaved-changes warning keeps them from losing work.
WAGTAIL_AUTOSAVE_INTERVAL = 0
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# django-redis logs each Redis error it ignores; those of commands skipped while the cache
# is known to be down are left out (kit/cache.py).
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"skip_while_cache_unavailable": {"()": "kit.cache.SkipWhileUnavailable"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django_redis.cache": {"filters": ["skip_while_cache_unavailable"]},
        "django.request": {"level": "ERROR"},
        # Every page save logs its search-index and reference-index tasks at INFO.
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
    },
}
