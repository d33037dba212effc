"""Whole public pages are cached for anonymous visitors, per content version, and say so to
browsers, CDNs and proxies; editors, forms and private pages never share a cached page."""

import os
import re
import subprocess
import sys

import pytest
from django.core.cache import cache
from django.urls import reverse
from wagtail.models import PageViewRestriction

from tests.factories import FrameworkFactory, StudyFactory, _home, make_country

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache")]


def _keys():
    if hasattr(cache, "_cache"):  # Local memory.
        return set(cache._cache)
    return set(cache.keys("*"))  # django-redis.


def _page_keys():
    return {key for key in _keys() if "content:page:" in key}


@pytest.fixture
def study(site_tree):
    return StudyFactory(live=True, title="Walvisbegeleiding in de praktijk")


def test_a_second_anonymous_visit_does_not_run_the_view(client, study, django_assert_num_queries):
    first = client.get(study.get_absolute_url())
    assert first.status_code == 200
    with django_assert_num_queries(0):
        second = client.get(study.get_absolute_url())
    assert second.status_code == 200
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]


def test_anonymous_public_pages_may_be_shared_by_a_cdn_and_browsers_ask_again(client, study):
    """A CDN or proxy may keep a public page for a minute; a visitor's browser asks again each
    time (a cheap 304 when nothing changed), so a reader sees a publish on the next visit."""
    for _visit in range(2):  # Computed, then from the cache.
        response = client.get(study.get_absolute_url())
        directives = {part.strip() for part in response["Cache-Control"].split(",")}
        assert {"public", "max-age=0", "s-maxage=60"} <= directives
        assert not any(d.startswith("stale-while-revalidate") for d in directives)
        assert "private" not in directives


def test_an_anonymous_visitor_sees_a_publish_at_once(
    client, study, django_capture_on_commit_callbacks, admin_user
):
    url = study.get_absolute_url()
    client.get(url)
    study.title = "Walvisbegeleiding herzien"
    with django_capture_on_commit_callbacks(execute=True):
        study.save_revision(user=admin_user).publish(user=admin_user)
    assert "Walvisbegeleiding herzien" in client.get(url).content.decode()
    home = _home()
    client.get(home.url)
    home.title = "Het nieuwe welkom"
    with django_capture_on_commit_callbacks(execute=True):
        home.save_revision(user=admin_user).publish(user=admin_user)
    assert "Het nieuwe welkom" in client.get(home.url).content.decode()


def test_an_unpublished_page_is_gone_at_once(client, study, django_capture_on_commit_callbacks, admin_user):
    url = study.get_absolute_url()
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        study.unpublish(user=admin_user)
    assert client.get(url).status_code == 404


def test_editors_never_get_nor_fill_the_anonymous_cache(
    client, admin_client, study, django_assert_max_num_queries
):
    url = study.get_absolute_url()
    as_editor = admin_client.get(url)
    assert "private" in as_editor["Cache-Control"]
    assert not _page_keys()  # The editor's page was not kept.
    client.get(url)  # An anonymous visitor fills the cache...
    assert _page_keys()
    again = admin_client.get(url)  # ...which the editor does not get.
    assert "private" in again["Cache-Control"]
    assert "public" not in again["Cache-Control"]
    assert again.content != client.get(url).content  # The editor's page has the user bar.


def test_junk_in_the_query_string_makes_no_cache_entries(client, study):
    url = study.get_absolute_url()
    client.get(url)
    keys = _keys()
    for junk in ({"utm_source": "x"}, {"zzz": "1"}, {"page": "7"}):
        response = client.get(url, junk)
        assert response.status_code == 200
    client.get("/bestaat-niet/")
    assert _keys() == keys


def test_a_page_with_a_form_is_not_shared(client, site_tree):
    """A comparison's snapshot form carries a CSRF token: a shared copy would hand one
    visitor's token to the next."""
    make_country("FI")
    make_country("NO")
    for _visit in range(2):
        response = client.get(reverse("countries:compare"), {"landen": "fi,no"})
        assert response.status_code == 200
        assert "csrfmiddlewaretoken" in response.content.decode()
        assert "private" in response["Cache-Control"]
        assert "public" not in response["Cache-Control"]
        assert response.cookies["csrftoken"]
    assert not _page_keys()


def test_a_restricted_page_is_never_cached(client, site_tree):
    home = _home()
    PageViewRestriction.objects.create(page=home, restriction_type=PageViewRestriction.PASSWORD, password="x")
    for _visit in range(2):
        response = client.get(home.url)
        assert "public" not in response.get("Cache-Control", "")
    assert not _page_keys()


def test_a_cached_page_gets_a_fresh_content_security_policy(client, study):
    """The policy is added per answer; the cached body holds no nonce to be reused."""
    responses = [client.get(study.get_absolute_url()) for _visit in range(2)]
    assert _page_keys()
    policies = [response["Content-Security-Policy"] for response in responses]
    assert all("script-src 'self'" in policy for policy in policies)
    nonces = [re.findall(r"'nonce-([^']+)'", policy) for policy in policies]
    for response, found in zip(responses, nonces, strict=True):
        assert "nonce" not in response.content.decode()
        for nonce in found:
            assert nonce not in response.content.decode()
    if nonces[0] and nonces[1]:
        assert nonces[0] != nonces[1]


def test_a_framework_publish_keeps_no_stale_page(client, study, django_capture_on_commit_callbacks):
    """A page caches under every kind's version: a change of any kind renews it."""
    url = study.get_absolute_url()
    client.get(url)
    before = _page_keys()
    with django_capture_on_commit_callbacks(execute=True):
        FrameworkFactory(live=True)
    client.get(url)
    assert _page_keys() - before


def test_the_frontend_cache_is_off_by_default(settings):
    assert "wagtail.contrib.frontend_cache" not in settings.INSTALLED_APPS
    assert not getattr(settings, "WAGTAILFRONTENDCACHE", None)


def test_the_frontend_cache_purges_when_configured():
    """Set FRONTEND_CACHE_PURGE_URL and Wagtail purges the proxy in front of the site."""
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print('wagtail.contrib.frontend_cache' in settings.INSTALLED_APPS, "
        "settings.WAGTAILFRONTENDCACHE['default']['LOCATION'])"
    )
    env = {
        **os.environ,
        "FRONTEND_CACHE_PURGE_URL": "http://proxy:6081",
        "DJANGO_SETTINGS_MODULE": "portal.settings.test",
    }
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "http://proxy:6081"]


def test_an_answer_that_varies_on_a_request_header_is_not_kept(rf):
    """A view that answers per Accept-Language (a download's number format) is not shared
    among visitors by the portal's cache."""
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpResponse

    from knowledgebase.content_cache import RequestContentVersion
    from portal.middleware import AnonymousPageCache

    calls = []

    def view(request):
        calls.append(request)
        response = HttpResponse("1,5" if request.headers.get("Accept-Language") == "nl" else "1.5")
        response["Vary"] = "Accept-Language"
        return response

    middleware = RequestContentVersion(AnonymousPageCache(view))
    for language in ("nl", "en"):
        request = rf.get("/vergelijken/csv/", headers={"accept-language": language})
        request.user = AnonymousUser()
        middleware(request)
    assert len(calls) == 2
    assert not _page_keys()
