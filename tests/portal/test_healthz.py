import pytest
from django.db import OperationalError

from portal.celery import app

pytestmark = pytest.mark.django_db


def test_healthz_reports_each_component(client):
    """/healthz answers 200 with JSON naming the state of database, cache and broker."""
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["cache"] == "ok"
    assert body["checks"]["broker"] in {"ok", "eager"}
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
        "checks": {"database": "error", "cache": "ok", "broker": response.json()["checks"]["broker"]},
    }


def test_healthz_is_degraded_not_crashed_when_broker_is_down(client, monkeypatch):
    """A broker that does not answer makes the service degraded (200), never a 500."""
    monkeypatch.setitem(app.conf, "task_always_eager", False)
    monkeypatch.setitem(app.conf, "broker_url", "redis://127.0.0.1:1/0")
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["checks"]["broker"] == "error"
