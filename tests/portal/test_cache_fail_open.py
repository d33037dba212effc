"""With Redis down or hung, the site works without its cache: normal answers, in bounded time.

The cache is configured exactly as the settings build it from ``REDIS_URL``, pointed at a
port where nothing listens (Redis stopped) or at a socket that accepts connections and never
answers (Redis hung, as with ``kill -STOP``). The fault stage (tests/faults/) repeats this
against a real Redis, gunicorn and PostgreSQL.
"""

import os
import runpy
import socket
import threading
import time
import warnings
from contextlib import contextmanager

import pytest
from django.test import override_settings

from kit import cache as portal_cache
from tests.factories import StudyFactory, make_country

pytestmark = pytest.mark.django_db

# What a visitor, an API client and an editor ask for; all must answer as usual.
PUBLIC_URLS = [
    "/",
    "/landen/",
    "/landen/fi/",
    "/zoeken/?q=loopbaan",
    "/onderzoek/",
    "/api/v1/onderzoek/",
    "/api/v1/paginas/",
    "/sitemap.xml",
    "/admin/login/",
]


def settings_caches(redis_url):
    """``CACHES`` as ``portal/settings/base.py`` builds it with ``REDIS_URL=redis_url``."""
    saved = os.environ.get("REDIS_URL")
    os.environ["REDIS_URL"] = redis_url
    try:
        with warnings.catch_warnings():
            # The settings module is run again in a namespace of its own, on purpose.
            warnings.simplefilter("ignore", RuntimeWarning)
            return runpy.run_module("portal.settings.base")["CACHES"]
    finally:
        if saved is None:
            del os.environ["REDIS_URL"]
        else:
            os.environ["REDIS_URL"] = saved


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def hung_redis(hold=15):
    """A socket that accepts connections (the kernel completes them) and never answers, like
    a Redis stopped with SIGSTOP. It closes after ``hold`` seconds so that nothing waits on it
    for ever."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(128)
    timer = threading.Timer(hold, server.close)
    timer.start()
    try:
        yield f"redis://127.0.0.1:{server.getsockname()[1]}/0"
    finally:
        timer.cancel()
        server.close()


@pytest.fixture(autouse=True)
def _closed_breaker():
    """Each test starts with a cache that has not failed yet."""
    portal_cache.reset()
    yield
    portal_cache.reset()


@pytest.fixture
def content(site_tree):
    make_country("FI", title="Finland")
    StudyFactory(title="Loopbaanbegeleiding voor werkenden", slug="werkenden")


def _timed_get(client, url, **kwargs):
    started = time.monotonic()
    response = client.get(url, **kwargs)
    return response, time.monotonic() - started


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_public_pages_answer_normally_while_redis_is_stopped(client, content, url):
    """With Redis stopped, every public page, the search, the API and the login page answer
    as usual (they are computed without the cache), never with a 500."""
    with override_settings(CACHES=settings_caches(f"redis://127.0.0.1:{_free_port()}/0")):
        response, seconds = _timed_get(client, url)
    assert response.status_code == 200
    assert seconds < 3


def test_pages_answer_within_seconds_while_redis_hangs(client, content):
    """With Redis accepting connections but never answering, pages still answer as usual and
    within 3 s each: each cache command gives up after a short timeout, and after one
    failure the cache is skipped instead of waited for again."""
    with hung_redis() as url, override_settings(CACHES=settings_caches(url)):
        for path in PUBLIC_URLS:
            response, seconds = _timed_get(client, path)
            assert response.status_code == 200, path
            assert seconds < 3, (path, seconds)


def test_healthz_reports_a_hung_cache_within_two_seconds(client, content):
    """/healthz names the cache as down and answers within 2 s while Redis hangs (the
    service is degraded, not down)."""
    with hung_redis() as url, override_settings(CACHES=settings_caches(url)):
        response, seconds = _timed_get(client, "/healthz")
    assert seconds < 2
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["checks"]["cache"] == "error"
    assert body["checks"]["database"] == "ok"


def test_signed_in_editor_saves_a_study_while_redis_is_stopped(client, content, django_user_model):
    """An editor signs in, opens the dashboard and saves a new study in the admin while Redis
    is stopped: all of it works (sessions live in the database, not in the cache)."""
    from knowledgebase.models import Study
    from tests.knowledgebase.test_admin import _study_form

    django_user_model.objects.create_superuser("beheer", "beheer@example.org", "wachtwoord-123")
    with override_settings(CACHES=settings_caches(f"redis://127.0.0.1:{_free_port()}/0")):
        response = client.post("/admin/login/", {"username": "beheer", "password": "wachtwoord-123"})
        assert response.status_code == 302
        assert client.get("/admin/").status_code == 200
        started = time.monotonic()
        response = client.post("/admin/snippets/knowledgebase/study/add/", _study_form())
        seconds = time.monotonic() - started
    assert response.status_code == 302, response.content.decode()[:2000]
    assert seconds < 3
    assert Study.objects.filter(slug="werkenden-finland").exists()


def test_sessions_do_not_live_only_in_the_cache(settings):
    """Signing in must survive a cache outage: sessions are kept in the database."""
    assert settings.SESSION_ENGINE in {
        "django.contrib.sessions.backends.db",
        "django.contrib.sessions.backends.cached_db",
    }


def test_an_outage_is_logged_once_not_per_cache_command(caplog):
    """The failure that finds Redis gone is logged (with what django-redis ignored) and the
    cache is reported as given up; the commands skipped after it add no tracebacks."""
    from django.core.cache import caches

    with override_settings(CACHES=settings_caches(f"redis://127.0.0.1:{_free_port()}/0")):
        cache = caches["default"]
        with caplog.at_level("WARNING"):
            for n in range(20):
                assert cache.get(f"key-{n}") is None
                cache.set(f"key-{n}", n)
    ignored = [r for r in caplog.records if r.name == "django_redis.cache"]
    assert len(ignored) == 1 and ignored[0].exc_info
    assert [r.getMessage() for r in caplog.records if r.name == "kit.cache"] == [
        "Redis cache unavailable: working without it, trying again in 5 s"
    ]


def test_a_redis_that_is_down_does_not_stop_the_use_of_another():
    """Failures are remembered per Redis server: one that is down is skipped, another (the
    cache of a second site, a test's own Redis) is still asked."""
    import redis

    down = portal_cache.breaker_for(redis.ConnectionPool(host="127.0.0.1", port=_free_port()))
    other = portal_cache.breaker_for(redis.ConnectionPool(host="127.0.0.1", port=6390))
    down.open()
    assert down.current_state == "open"
    assert other.current_state == "closed"
    assert portal_cache.breaker_for(redis.ConnectionPool(host="127.0.0.1", port=6390)) is other
