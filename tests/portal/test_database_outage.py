"""Without the database the portal answers a friendly 503, never a 500.

The fault stage (tests/faults/) stops a real PostgreSQL; here the connection refuses every
query, as it does when the server is gone.
"""

import pytest
from django.db import OperationalError, connection

from tests.factories import make_country

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_down(site_tree, monkeypatch):
    make_country("FI", title="Finland")

    def refuse(*args, **kwargs):
        raise OperationalError("connection to server failed: Connection refused")

    for name in ("cursor", "chunked_cursor", "ensure_connection"):
        monkeypatch.setattr(connection, name, refuse)


@pytest.mark.parametrize("url", ["/", "/landen/fi/", "/onderzoek/", "/zoeken/?q=loopbaan"])
def test_pages_answer_a_dutch_503_while_the_database_is_down(client, database_down, url):
    """A visitor gets a 503 page in Dutch that says the site is temporarily unavailable, with
    Retry-After, instead of the 500 page."""
    client.raise_request_exception = False
    response = client.get(url)
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    html = response.content.decode()
    assert '<html lang="nl">' in html
    assert "tijdelijk niet beschikbaar" in html
    assert "Er ging iets mis" not in html


def test_api_answers_a_json_503_while_the_database_is_down(client, database_down):
    """An API client gets a 503 with a JSON message, like the API's other errors."""
    client.raise_request_exception = False
    response = client.get("/api/v1/onderzoek/")
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert "tijdelijk niet beschikbaar" in response.json()["detail"]


def test_other_errors_still_give_the_500_page(client, site_tree, monkeypatch):
    """Only a database that cannot be reached is a 503; a fault in the code stays a 500."""

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("portal.views.reverse", broken)
    client.raise_request_exception = False
    response = client.get("/robots.txt")
    assert response.status_code == 500
