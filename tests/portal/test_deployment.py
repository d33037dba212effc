"""The production configuration: docker-compose.yml, .env.example and the settings agree."""

import os
import re
import runpy
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
ENV_EXAMPLE = dict(
    line.split("=", 1)
    for line in (ROOT / ".env.example").read_text().splitlines()
    if line and not line.startswith("#")
)
SETTINGS_SOURCE = "\n".join(p.read_text() for p in (ROOT / "portal" / "settings").glob("*.py"))
SETTINGS_VARIABLES = set(re.findall(r'env(?:_bool|_list|_required)?\("([A-Z_]+)"', SETTINGS_SOURCE))


def test_compose_has_the_production_services():
    """PostgreSQL, Redis, web, worker and beat are defined, with a media volume."""
    services = COMPOSE["services"]
    assert set(services) >= {"db", "redis", "web", "worker", "beat"}
    assert "media" in COMPOSE["volumes"] and "pgdata" in COMPOSE["volumes"]
    assert any(v.startswith("pgdata:") for v in services["db"]["volumes"])
    for name in ("web", "worker", "beat"):
        assert "media:/app/media" in services[name]["volumes"]


def test_database_has_a_healthcheck_the_app_waits_for():
    """The app containers start only when PostgreSQL and Redis report healthy."""
    services = COMPOSE["services"]
    assert "pg_isready" in " ".join(services["db"]["healthcheck"]["test"])
    assert "ping" in services["redis"]["healthcheck"]["test"]
    for name in ("web", "worker", "beat"):
        assert services[name]["depends_on"]["db"]["condition"] == "service_healthy"


def test_redis_memory_is_bounded_and_evicts_only_expiring_keys():
    """The search caches a page per distinct URL; Redis must not grow without bound, and when
    full it drops cache entries (all set with a timeout), not the Celery queue."""
    command = COMPOSE["services"]["redis"]["command"]
    assert command[command.index("--maxmemory") + 1] == "256mb"
    assert command[command.index("--maxmemory-policy") + 1] == "volatile-lru"


def test_web_migrates_then_serves_with_gunicorn_and_workers_run_celery():
    """web runs migrations on start and serves with gunicorn; worker and beat run Celery."""
    services = COMPOSE["services"]
    web = services["web"]["command"]
    assert web.index("migrate") < web.index("gunicorn --config deploy/gunicorn.conf.py")
    assert services["worker"]["command"][:4] == ["celery", "-A", "portal", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "portal", "beat"]


def test_compose_points_at_production_settings_and_separate_services():
    """The app uses production settings, PostgreSQL via psycopg and Redis from the stack."""
    environment = COMPOSE["services"]["web"]["environment"]
    assert environment["DJANGO_SETTINGS_MODULE"] == "portal.settings.production"
    assert environment["DATABASE_URL"].startswith("postgres://")
    assert environment["REDIS_URL"].startswith("redis://redis:6379")


def test_env_example_lists_every_variable_the_settings_read():
    """Every environment variable the settings read is documented in .env.example."""
    missing = SETTINGS_VARIABLES - set(ENV_EXAMPLE) - {"DEBUG", "EMAIL_PORT", "EMAIL_BACKEND"}
    assert not missing, f".env.example lacks {sorted(missing)}"
    # ``$${NAME}`` is compose's escape for a variable the container's shell expands.
    compose_vars = set(re.findall(r"(?<!\$)\$\{([A-Z_]+)\}", (ROOT / "docker-compose.yml").read_text()))
    assert compose_vars <= set(ENV_EXAMPLE)


def _production_env(**overrides):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings.production",
        SECRET_KEY="x" * 60 + "production-test-key-with-enough-entropy-0123456789",
        ALLOWED_HOSTS="kennisportaal.example.org",
        DATABASE_URL="postgres://u:p@127.0.0.1:5432/db",
        REDIS_URL="redis://127.0.0.1:6379/0",
        WAGTAILADMIN_BASE_URL="https://kennisportaal.example.org",
    )
    env.update(overrides)
    return {k: v for k, v in env.items() if v is not None}


def _manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_production_settings_fail_loudly_without_a_secret_key():
    """Production refuses to start without SECRET_KEY instead of using a default."""
    result = _manage("check", env=_production_env(SECRET_KEY=None))
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_check_deploy_is_clean_with_a_production_environment():
    """`manage.py check --deploy` reports nothing under production settings."""
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=_production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("database_url", "redis_url"),
    [("postgres://u:p@db:5432/portal", "redis://cache:6379/0")],
)
def test_environment_selects_postgres_and_redis(database_url, redis_url):
    """DATABASE_URL and REDIS_URL switch to PostgreSQL (Dutch search) and Redis (separate dbs)."""
    code = (
        "from django.conf import settings as s;"
        "print(s.DATABASES['default']['ENGINE'], s.DATABASES['default']['CONN_MAX_AGE'],"
        " s.DATABASES['default']['CONN_HEALTH_CHECKS'], 'django.contrib.postgres' in s.INSTALLED_APPS,"
        " s.WAGTAILSEARCH_BACKENDS['default'].get('SEARCH_CONFIG'), s.CACHES['default']['LOCATION'],"
        " s.CELERY_BROKER_URL, s.CELERY_TASK_ALWAYS_EAGER)"
    )
    env = _production_env(DATABASE_URL=database_url, REDIS_URL=redis_url)
    result = _manage("shell", "-c", code, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].split() == [
        "django.db.backends.postgresql",
        "600",
        "True",
        "True",
        "dutch",
        "redis://cache:6379/1",
        "redis://cache:6379/0",
        "False",
    ]


@pytest.mark.parametrize(
    ("backend", "expected"),
    [
        ("django.core.mail.backends.console.EmailBackend", "EmailBackend localhost? no"),
        ("django.core.mail.backends.smtp.EmailBackend", "EmailBackend mail.example.org 2525"),
    ],
)
def test_workflow_mail_works_with_the_console_or_smtp_backend_in_production(backend, expected):
    """Submitting for review sends mail: production settings give a working mail connection for
    the console backend (no SMTP options, which it refuses) as for SMTP (host and port)."""
    code = (
        "from django.core.mail import get_connection; c = get_connection();"
        "print(type(c).__name__, getattr(c, 'host', 'localhost?'), getattr(c, 'port', 'no'))"
    )
    env = _production_env(EMAIL_BACKEND=backend, EMAIL_HOST="mail.example.org", EMAIL_PORT="2525")
    result = _manage("shell", "-c", code, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == expected


def test_the_image_can_back_up_and_restore_the_database():
    """The app image has pg_dump and pg_restore of the same major version as the db service,
    and the backups go to a volume of their own."""
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "postgresql-client" in dockerfile
    # Debian bookworm's postgresql-client is PostgreSQL 15.
    assert "FROM python:3.13-slim-bookworm" in dockerfile
    assert COMPOSE["services"]["db"]["image"] == "postgres:15"
    assert "backups" in COMPOSE["volumes"]
    for name in ("web", "worker", "beat"):
        assert "backups:/app/backups" in COMPOSE["services"][name]["volumes"]
    assert COMPOSE["services"]["web"]["environment"]["BACKUP_ROOT"] == "/app/backups"


NGINX_CONF = (ROOT / "deploy" / "nginx.conf").read_text() if (ROOT / "deploy" / "nginx.conf").exists() else ""


def _nginx_directive(name):
    """The values of every ``name`` directive in deploy/nginx.conf."""
    return re.findall(rf"^\s*{name}\s+([^;]+);", NGINX_CONF, flags=re.MULTILINE)


def _seconds(value):
    return int(value.removesuffix("s"))


def test_a_buffering_nginx_is_the_only_way_in():
    """Slow clients meet nginx, not gunicorn: nginx (official image, the repository's config)
    publishes the port and waits for a healthy web; web publishes nothing."""
    services = COMPOSE["services"]
    nginx = services["nginx"]
    assert nginx["image"].startswith("nginx:")
    assert "./deploy/nginx.conf:/etc/nginx/conf.d/default.conf:ro" in nginx["volumes"]
    assert "media:/app/media:ro" in nginx["volumes"]
    assert nginx["ports"] and nginx["restart"] == "unless-stopped"
    assert nginx["depends_on"]["web"]["condition"] == "service_healthy"
    assert "ports" not in services["web"]
    assert services["web"]["expose"] == ["8000"]


def test_nginx_buffers_requests_and_answers_and_drops_stalled_clients():
    """nginx reads whole requests and whole answers before passing them on, gives a client
    that stalls a bounded time, and waits for gunicorn a little longer than gunicorn's own
    timeout."""
    assert "server web:8000 resolve;" in NGINX_CONF
    assert _nginx_directive("proxy_request_buffering") == ["on"]
    assert _nginx_directive("proxy_buffering") == ["on"]
    for name in ("client_header_timeout", "client_body_timeout", "send_timeout"):
        assert _seconds(_nginx_directive(name)[0]) <= 30, name
    gunicorn = _gunicorn_config()
    assert _seconds(_nginx_directive("proxy_read_timeout")[0]) > gunicorn["timeout"]
    assert "location /media/documents/" in NGINX_CONF, "documents only through Django's privacy check"
    assert _nginx_directive("proxy_set_header").count("X-Forwarded-Proto $forwarded_proto") == 1


def _gunicorn_config(**env):
    saved = {key: os.environ.get(key) for key in env}
    os.environ.update(env)
    try:
        return runpy.run_path(str(ROOT / "deploy" / "gunicorn.conf.py"))
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def test_gunicorn_runs_threads_with_bounded_timeouts():
    """The web container runs gunicorn with the repository's configuration: threaded workers
    (WEB_CONCURRENCY processes, WEB_THREADS threads), a 30 s timeout, idle connections kept
    longer than nginx keeps them, processes replaced now and then."""
    web = COMPOSE["services"]["web"]["command"]
    assert "gunicorn --config deploy/gunicorn.conf.py" in web
    config = _gunicorn_config(WEB_CONCURRENCY="3", WEB_THREADS="6")
    assert config["worker_class"] == "gthread"
    assert (config["workers"], config["threads"]) == (3, 6)
    assert config["timeout"] == 30
    assert config["keepalive"] > 60  # nginx keeps idle upstream connections 60 s
    assert config["max_requests"] > 0 and config["max_requests_jitter"] > 0
    assert config["wsgi_app"] == "portal.wsgi:application"
    result = subprocess.run(
        [sys.executable, "-m", "gunicorn", "--check-config", "--config", "deploy/gunicorn.conf.py"],
        cwd=ROOT,
        env=_production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(("service", "node"), [("worker", "celery@"), ("beat", "celerybeat@")])
def test_worker_and_beat_have_health_checks_and_restart(service, node):
    """Worker and beat are restarted when they exit and report unhealthy when they stop
    answering a ping through Redis (beat answers only while its scheduler ticks)."""
    definition = COMPOSE["services"][service]
    assert definition["restart"] == "unless-stopped"
    test = " ".join(definition["healthcheck"]["test"])
    assert "celery -A portal inspect ping" in test
    assert f"--destination {node}$${{HOSTNAME}}" in test
    assert definition["healthcheck"]["timeout"] and definition["healthcheck"]["retries"]


def test_a_web_process_reads_the_word_list_before_taking_requests():
    """gunicorn's ``post_worker_init`` loads the analyzer's Dutch word list, so a process's
    first search does not wait 0.3 s for it (the pages benchmark saw that as its p95)."""
    from search.words import dutch_words

    config = runpy.run_path(str(ROOT / "deploy" / "gunicorn.conf.py"))
    dutch_words.cache_clear()
    config["post_worker_init"](worker=None)
    assert dutch_words.cache_info().currsize == 1
