import pytest
from django.db import OperationalError

from portal.celery import app

pytestmark = pytest.mark.django_db


def test_healthz_reports_each_component(client):
    """/healthz answers 200 with JSON naming the state of database, cache, broker and worker."""
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["cache"] == "ok"
    assert body["checks"]["broker"] in {"ok", "eager"}
    assert body["checks"]["worker"] in {"ok", "eager"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_is_503_when_database_is_down(client, monkeypatch):
    """Without a database the service is down: 503 with the database marked as error."""

    def broken_cursor(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr("portal.views.connection.cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "error",
        "checks": {"database": "error", "cache": "ok", "broker": "eager", "worker": "eager"},
    }


def test_healthz_is_degraded_not_crashed_when_broker_is_down(client, monkeypatch):
    """A broker that does not answer makes the service degraded (200), never a 500."""
    monkeypatch.setitem(app.conf, "task_always_eager", False)
    monkeypatch.setitem(app.conf, "broker_url", "redis://127.0.0.1:1/0")
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["checks"]["broker"] == "error"


def test_healthz_reports_whether_a_worker_answered_recently(client, monkeypatch):
    """With a broker, /healthz says whether a Celery worker wrote its heartbeat lately: a
    worker that stopped (or never started) makes the service degraded."""
    from django.core.cache import cache

    from portal.worker import HEARTBEAT_KEY, record_heartbeat

    monkeypatch.setitem(app.conf, "task_always_eager", False)
    monkeypatch.setattr("portal.views._check_broker", lambda: "ok")
    response = client.get("/healthz")
    assert response.json()["checks"]["worker"] == "error"
    assert response.json()["status"] == "degraded"
    record_heartbeat()
    response = client.get("/healthz")
    assert response.json()["checks"]["worker"] == "ok"
    assert response.json()["status"] == "ok"
    cache.delete(HEARTBEAT_KEY)
    assert client.get("/healthz").json()["checks"]["worker"] == "error"


def test_healthz_answers_within_two_seconds_when_the_broker_hangs(client, monkeypatch):
    """A broker that accepts connections and never answers (Redis stopped with SIGSTOP) is
    reported as down within 2 s, instead of holding the health check until gunicorn kills it."""
    import time

    from tests.portal.test_cache_fail_open import hung_redis

    monkeypatch.setitem(app.conf, "task_always_eager", False)
    with hung_redis() as url:
        monkeypatch.setitem(app.conf, "broker_url", url)
        started = time.monotonic()
        response = client.get("/healthz")
        seconds = time.monotonic() - started
    assert seconds < 2
    assert response.json()["checks"]["broker"] == "error"
