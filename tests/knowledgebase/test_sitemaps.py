"""The knowledge base's sections of the sitemap: paged and bounded in queries. (Which records
they list: test_drafts.py; unknown sections and pages: test_public_pages.py.)"""

import re

import pytest

from hubs.sitemaps import RecordSitemap
from knowledgebase import content_cache
from knowledgebase.models import Study

pytestmark = pytest.mark.django_db

# The index counts the records of each section and asks the newest publication date of those
# with a draft state (all but the overviews: two per section, frameworks and their lenses
# included), plus Wagtail's site and pages; a section page
# counts its records and reads one page of them.
INDEX_MAX_QUERIES = 23
SECTION_MAX_QUERIES = 2


def _studies(count, live=True):
    Study.objects.bulk_create(
        Study(title=f"S {i}", slug=f"s-{i}", study_type="report", summary="-", strength="limited", live=live)
        for i in range(count)
    )


@pytest.mark.parametrize("count", [3, 300])
def test_sitemap_queries_do_not_grow(client, site_tree, django_assert_max_num_queries, count):
    """The index and a section page need the same number of queries for 3 or 300 studies."""
    _studies(count)
    with django_assert_max_num_queries(INDEX_MAX_QUERIES):
        assert client.get("/sitemap.xml").status_code == 200
    with django_assert_max_num_queries(SECTION_MAX_QUERIES):
        response = client.get("/sitemap-onderzoek.xml")
    assert response.content.decode().count("<url>") == count


def test_large_sections_are_paged(client, site_tree, monkeypatch):
    """A section with more records than fit on one sitemap page is split, and the index
    names every page."""
    monkeypatch.setattr(RecordSitemap, "limit", 2)
    _studies(5)
    index = client.get("/sitemap.xml").content.decode()
    pages = re.findall(r"/sitemap-onderzoek\.xml(?:\?p=\d)?</loc>", index)
    assert pages == [
        "/sitemap-onderzoek.xml</loc>",
        "/sitemap-onderzoek.xml?p=2</loc>",
        "/sitemap-onderzoek.xml?p=3</loc>",
    ]
    last = client.get("/sitemap-onderzoek.xml", {"p": "3"}).content.decode()
    assert re.findall(r"/onderzoek/([^/]+)/</loc>", last) == ["s-4"]


def test_sitemaps_are_built_once_per_content_version(
    client, site_tree, django_assert_num_queries, django_capture_on_commit_callbacks, settings, monkeypatch
):
    """A sitemap is read from the cache until content changes; then it is built anew. Each
    host and each page of a section has its own copy; other parameters share one."""
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "portal.example"]
    _studies(3)
    first = client.get("/sitemap-onderzoek.xml")
    client.get("/sitemap.xml")
    with django_assert_num_queries(0):
        again = client.get("/sitemap-onderzoek.xml", {"utm_source": "x"})
        index = client.get("/sitemap.xml")
    assert again.content == first.content
    assert again["Content-Type"] == first["Content-Type"]
    assert again.has_header("X-Robots-Tag")
    assert "/sitemap-onderzoek.xml</loc>" in index.content.decode()
    assert "http://portal.example/" in client.get("/sitemap.xml", HTTP_HOST="portal.example").content.decode()
    assert client.get("/sitemap-onderzoek.xml", {"p": "9"}).status_code == 404

    # A value that is no page number never becomes a cache key (it could be anything).
    looked_up = []
    monkeypatch.setattr(content_cache, "cache_get", lambda name: looked_up.append(name))
    for junk in ["\x00", "x" * 5000, "1 2", "²"]:
        assert client.get("/sitemap-onderzoek.xml", {"p": junk}).status_code == 404
    assert looked_up == []
    monkeypatch.undo()

    with django_capture_on_commit_callbacks(execute=True):  # The change starts a new version.
        Study.objects.create(
            title="Nieuw", slug="nieuw", study_type="report", summary="-", strength="limited"
        )
    assert "/onderzoek/nieuw/</loc>" in client.get("/sitemap-onderzoek.xml").content.decode()
