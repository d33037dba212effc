"""Security headers on every kind of answer: the public site's strict Content Security Policy,
the admin's own, framing rules that agree with frame-ancestors, and a Permissions-Policy
everywhere, static files included."""

import pytest
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db


def _directives(response):
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split("; ")}


def test_public_pages_have_a_strict_policy_and_are_never_framed(client, site_tree):
    """No inline script or style on the public site, nothing from other origins, no framing."""
    for url in ("/", "/over/", "/onderzoek/", "/api/v1/onderzoek/", "/bestaat-niet/"):
        response = client.get(url)
        directives = _directives(response)
        assert "'unsafe-inline'" not in directives["script-src"] + directives["style-src"], url
        assert "'unsafe-eval'" not in directives["script-src"], url
        assert directives["default-src"] == ["'self'"], url
        assert directives["frame-ancestors"] == ["'none'"], url
        assert response["X-Frame-Options"] == "DENY", url
        assert "camera=()" in response["Permissions-Policy"], url
        assert "geolocation=()" in response["Permissions-Policy"], url


def test_admin_has_the_policy_its_scripts_need_and_frames_its_own_preview(client, site_tree):
    """The admin may run Wagtail's inline scripts and frame its own pages (the preview), and
    still loads nothing from other origins."""
    for url in ("/admin/login/", "/admin/"):
        response = client.get(url)
        directives = _directives(response)
        assert "'unsafe-inline'" in directives["script-src"]
        assert directives["default-src"] == ["'self'"]
        assert directives["frame-ancestors"] == ["'self'"]
        assert response["X-Frame-Options"] == "SAMEORIGIN"
        assert "Permissions-Policy" in response
        assert not any("gravatar" in source for sources in directives.values() for source in sources)


def test_admin_pages_ask_no_third_party_for_avatars(client, site_tree, django_user_model):
    """The admin's avatars are the built-in picture, not gravatar.com."""
    user = django_user_model.objects.create_superuser("beheer", "beheer@example.org", "wachtwoord-123")
    client.force_login(user)
    assert "gravatar.com" not in client.get("/admin/").content.decode()


@override_settings(WHITENOISE_USE_FINDERS=True, WHITENOISE_AUTOREFRESH=True)
def test_static_files_carry_the_headers_and_are_never_framed():
    """A stylesheet served by whitenoise has nosniff, no framing and the Permissions-Policy."""
    # A new client loads the middleware, and so whitenoise, with the settings above.
    response = Client().get("/static/css/portal.css")
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert _directives(response)["frame-ancestors"] == ["'none'"]
    assert "Permissions-Policy" in response
