"""The search caches each search's outcome per content version: paging and sharing do not
search again, and no change to public content waits for the cache to expire."""

from types import SimpleNamespace

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.db.models.deletion import Collector
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from countries.models import CountryPage
from kit.cache import cache_settings
from knowledgebase.models import Study
from tests.factories import (
    FindingFactory,
    MethodFactory,
    OrganisationFactory,
    ResearchQuestionFactory,
    StudyFactory,
    ThemeFactory,
    make_country,
)

pytestmark = pytest.mark.django_db

SEARCH = "/zoeken/"
MAPPING = "Kennisinfrastructuur loopbaanbegeleiding in Europa"


@pytest.fixture
def loopbaan_content(site_tree):
    """What the searches of this module find: "loopbaanbegeleiding" is in a study (with its
    authors, a theme, two countries and a method, as a download reads them), its finding (whose
    study's title is searched with it), a question and an organisation; "Finland" and
    "Noorwegen" are two country profiles."""
    quality = ThemeFactory(name="Kwaliteitsborging", slug="kwaliteitsborging")
    finland = make_country("FI", title="Finland")
    norway = make_country("NO", title="Noorwegen")
    mapping = StudyFactory(
        title=MAPPING,
        slug="kennisinfrastructuur-europa",
        themes=[quality],
        authors=["Jansen, A.", "De Vries, B."],
    )
    mapping.countries.set([finland, norway])
    mapping.methods.set([MethodFactory(name="Interviews", slug="interviews")])
    mapping.save()
    finding = FindingFactory(
        study=mapping,
        statement="Een landelijk kwaliteitskader maakt begeleiding vergelijkbaar.",
        themes=[quality],
    )
    finding.countries.set([finland])
    finding.save()
    ResearchQuestionFactory(question="Welke landen hebben een leerbudget voor loopbaanbegeleiding?")
    OrganisationFactory(name="VDAB", description="Een organisatie die loopbaanbegeleiding ondersteunt.")
    return SimpleNamespace(mapping=mapping, finland=finland, norway=norway)


def _counts(client, **params):
    outcome = client.get(SEARCH, params).context["outcome"]
    return {kind.key: count for kind, count in outcome.kind_counts}


def _queries(client, **params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(SEARCH, params)
    assert response.status_code == 200
    return len(queries)


def test_the_same_search_and_its_next_page_do_not_search_again(client, loopbaan_content):
    """The first request searches every kind and counts facets; the same search again, its
    next page and its download only load the records they show, and another kind of it only
    counts that kind's facets."""
    first = _queries(client, q="loopbaanbegeleiding", kind="onderzoek")
    again = _queries(client, q="loopbaanbegeleiding", kind="onderzoek")
    # The page number is not part of what is cached (the test data fits on one page).
    other_page = _queries(client, q="loopbaanbegeleiding", kind="onderzoek", page="1")
    other_kind = _queries(client, q="loopbaanbegeleiding", kind="bevindingen")
    assert first >= 10
    # The studies on the page and their authors.
    assert again <= 2
    assert other_page <= 2
    # The findings' facet counts (themes, countries, the findings, their studies) and the
    # findings on the page.
    assert other_kind <= 5
    with CaptureQueriesContext(connection) as queries:
        client.get("/zoeken/export.csv", {"q": "loopbaanbegeleiding"})
    # The view restrictions, then the studies with their authors, themes, countries, methods.
    assert len(queries) <= 6


def test_a_repeated_search_page_is_served_as_rendered(client, loopbaan_content):
    """The same page again (back, a shared link, a popular search) is sent as rendered the
    first time, after one query that checks its records are still public."""
    for params in ({"q": "loopbaanbegeleiding"}, {"q": "loopbaanbegeleiding", "kind": "onderzoek"}):
        first = client.get(SEARCH, params)
        with CaptureQueriesContext(connection) as queries:
            again = client.get(SEARCH, params)
        assert again.status_code == 200
        assert again.content == first.content
        assert len(queries) == 1
        if "kind" not in params:
            # The overview shows records of several kinds, all checked by that one query.
            assert len(first.context["previews"]) >= 3


def test_cached_pages_follow_the_language_and_never_reach_editors(client, admin_client, loopbaan_content):
    params = {"q": "loopbaanbegeleiding"}
    dutch = client.get(SEARCH, params).content.decode()
    client.cookies["django_language"] = "en"
    english = client.get(SEARCH, params).content.decode()
    assert 'lang="nl"' in dutch
    assert 'lang="en"' in english
    # The page an editor sees carries the Wagtail user bar, and is not cached for others.
    assert "wagtail-userbar" not in dutch
    assert "wagtail-userbar" in admin_client.get(SEARCH, params).content.decode()
    assert "wagtail-userbar" in admin_client.get(SEARCH, params).content.decode()
    del client.cookies["django_language"]
    assert client.get(SEARCH, params).content.decode() == dutch


def test_publishing_shows_at_once(client, site_tree, django_capture_on_commit_callbacks):
    assert _counts(client, q="walvisvaart")["onderzoek"] == 0
    with django_capture_on_commit_callbacks(execute=True):
        StudyFactory(title="Loopbaanbegeleiding in de walvisvaart", slug="walvisvaart")
    assert _counts(client, q="walvisvaart")["onderzoek"] == 1


def test_unpublishing_and_restricting_show_at_once(
    client, loopbaan_content, django_capture_on_commit_callbacks
):
    assert _counts(client, q="Finland")["landen"] == 1
    assert _counts(client, q="Noorwegen")["landen"] == 1
    assert _counts(client, q="Kennisinfrastructuur")["onderzoek"] == 1
    with django_capture_on_commit_callbacks(execute=True):
        loopbaan_content.finland.unpublish()
    assert _counts(client, q="Finland")["landen"] == 0
    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(
            page=loopbaan_content.norway, restriction_type=PageViewRestriction.LOGIN
        )
    assert _counts(client, q="Noorwegen")["landen"] == 0
    with django_capture_on_commit_callbacks(execute=True):
        Study.objects.get(title=MAPPING).unpublish()
    assert _counts(client, q="Kennisinfrastructuur")["onderzoek"] == 0


def test_theme_links_count_at_once(client, loopbaan_content, django_capture_on_commit_callbacks):
    """A theme added to a study shows in the theme facet."""
    budgets = ThemeFactory(name="Individuele leerbudgetten", slug="individuele-leerbudgetten")
    # The theme is in use, on another study, which the search does not find.
    StudyFactory(title="Leerbudgetten in Europa", themes=[budgets])
    assert "individuele-leerbudgetten" not in _theme_facet(client)
    study = Study.objects.get(title=MAPPING)
    with django_capture_on_commit_callbacks(execute=True):
        study.themes.add(budgets)
        study.save()
    assert "individuele-leerbudgetten" in _theme_facet(client)


def _theme_facet(client):
    return client.get(SEARCH, {"q": "Kennisinfrastructuur"}).context["outcome"].facet_counts["theme"]


def test_a_cached_outcome_never_shows_what_is_no_longer_public(client, loopbaan_content):
    """A change made without signals (a bulk update) leaves the cached ids in place, but the
    records are loaded through the public querysets, so the study no longer shows."""
    params = {"q": "Kennisinfrastructuur", "kind": "onderzoek"}
    response = client.get(SEARCH, params)
    assert [result.title for result in response.context["results"]] == [MAPPING]
    assert "kennisinfrastructuur-europa" in response.content.decode()
    Study.objects.filter(title=MAPPING).update(live=False)
    response = client.get(SEARCH, params)
    assert response.context["results"] == []
    assert "kennisinfrastructuur-europa" not in response.content.decode()
    # The same for a cached overview page and a country profile.
    link = f'href="{loopbaan_content.finland.url}'
    assert link in client.get(SEARCH, {"q": "Finland"}).content.decode()
    CountryPage.objects.filter(pk=loopbaan_content.finland.pk).update(live=False)
    assert link not in client.get(SEARCH, {"q": "Finland"}).content.decode()
    assert MAPPING not in client.get("/zoeken/export.ris", {"q": "Kennisinfrastructuur"}).content.decode()


def test_other_models_keep_their_bulk_deletes():
    """The content-version receivers watch deletes of content models only: a receiver on
    every model would make Django load each row before deleting it."""
    assert Collector(using="default").can_fast_delete(Session.objects.all())


# The production cache on a port where nothing listens.
NO_CACHE = {"default": cache_settings("redis://127.0.0.1:9/0", key_prefix="kp")}


def test_search_works_while_the_cache_is_down(client, loopbaan_content, django_capture_on_commit_callbacks):
    """The health check calls a service without its cache degraded, not down: the search then
    searches on every request, and publishing still works."""
    with override_settings(CACHES=NO_CACHE):
        response = client.get(SEARCH, {"q": "Kennisinfrastructuur", "kind": "onderzoek"})
        assert response.status_code == 200
        assert [result.title for result in response.context["results"]] == [MAPPING]
        with django_capture_on_commit_callbacks(execute=True):
            StudyFactory(title="Loopbaanbegeleiding in de walvisvaart", slug="walvisvaart")
        assert _counts(client, q="walvisvaart")["onderzoek"] == 1


def test_a_search_between_a_finding_and_its_study_being_indexed_is_not_kept(
    client, site_tree, django_capture_on_commit_callbacks, search_index_on_commit
):
    """Unpublishing a finding starts a new version when its own save commits, and the search
    index is updated in a later commit hook (by the worker, in production). A search run in
    between (another request) caches the study's old document; the index update starts another
    version, so it is not kept."""
    study = StudyFactory(title=MAPPING)
    finding = FindingFactory(study=study, statement="Walrusbegeleiding komt alleen hier voor.")
    with django_capture_on_commit_callbacks(execute=True):
        study.save_revision().publish()
    assert _counts(client, q="walrusbegeleiding")["onderzoek"] == 1
    with django_capture_on_commit_callbacks() as callbacks:
        finding.unpublish()
    from knowledgebase import warmup

    first = next(
        callback for callback in callbacks if getattr(callback, "func", callback) is warmup.content_changed
    )
    rest = [callback for callback in callbacks if callback is not first]
    first()
    assert _counts(client, q="walrusbegeleiding")["onderzoek"] == 1  # the index is not updated yet
    for callback in rest:
        callback()
    assert _counts(client, q="walrusbegeleiding")["onderzoek"] == 0


def test_junk_in_the_query_string_makes_no_new_cache_entries(client, loopbaan_content):
    """Unknown parameters, an invalid value or a page beyond the end never become a key:
    junk cannot fill the cache."""
    params = {"q": "loopbaanbegeleiding"}
    first = client.get(SEARCH, params)
    keys_before = _cache_keys()
    junk_params = ({"utm_source": "x"}, {"zzz": "1", "utm": "2"}, {"page": "01"}, {"page": "999"})
    for junk in junk_params + tuple({**junk, "kind": "onderzoek"} for junk in junk_params[2:]):
        response = client.get(SEARCH, {**params, **junk})
        assert response.status_code == 200
    assert client.get(SEARCH, {**params, "sort": "willekeurig"}).status_code == 400
    assert _cache_keys() == keys_before
    # The unknown parameters found the page already cached.
    assert client.get(SEARCH, {**params, "utm_source": "y"}).content == first.content


def _cache_keys():
    from django.core.cache import cache

    if hasattr(cache, "_cache"):  # Local memory.
        return set(cache._cache)
    return set(cache.keys("*"))  # django-redis.
