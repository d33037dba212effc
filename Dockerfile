# Production image: gunicorn serves the portal; the same image runs the Celery worker and beat.
# postgresql-client gives pg_dump/pg_restore for `manage.py backup`/`restore`: Debian bookworm's
# is PostgreSQL 15, the version of the db service (a client older than the server cannot dump it).
FROM python:3.13-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=portal.settings.production

RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext libpq5 postgresql-client \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 1000 portal

WORKDIR /app
COPY requirements/production.txt requirements/production.txt
RUN pip install -r requirements/production.txt

COPY --chown=portal:portal . .
# collectstatic needs settings but no real secrets or services.
RUN SECRET_KEY=build ALLOWED_HOSTS=build DATABASE_URL=sqlite:////tmp/build.db REDIS_URL=redis://build:6379/0 \
    WAGTAILADMIN_BASE_URL=https://build python manage.py collectstatic --noinput \
    && mkdir -p /app/media /app/backups && chown portal:portal /app/media /app/backups

USER portal
EXPOSE 8000
CMD ["gunicorn", "--config", "deploy/gunicorn.conf.py"]
