"""Production: secrets have no default, HTTPS is enforced, static files are hashed."""

from .base import *
from .env import env_required

DEBUG = False
SECRET_KEY = env_required("SECRET_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS") or [env_required("ALLOWED_HOSTS")]
DATABASE_URL = env_required("DATABASE_URL")
REDIS_URL = env_required("REDIS_URL")

# TLS ends at the proxy in front of gunicorn, which sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

_SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
_email_backend = env("EMAIL_BACKEND", _SMTP_BACKEND)
# Host and port are options of the SMTP backend only: another backend (the console, for a
# trial without a mail server) refuses them, and every workflow notification would fail.
MAILERS = {
    "default": {
        "BACKEND": _email_backend,
        **(
            {"OPTIONS": {"host": env("EMAIL_HOST", "localhost"), "port": int(env("EMAIL_PORT", "25"))}}
            if _email_backend == _SMTP_BACKEND
            else {}
        ),
    }
}
WAGTAILADMIN_BASE_URL = env_required("WAGTAILADMIN_BASE_URL")

LOGGING["root"]["level"] = env("LOG_LEVEL", "WARNING")
