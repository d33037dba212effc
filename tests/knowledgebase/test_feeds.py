"""The Atom feed of new studies (``/onderzoek/feed.atom``), for any filter of the list."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import timezone

from knowledgebase.feeds import FEED_LENGTH
from knowledgebase.models import Study
from tests.factories import StudyFactory, ThemeFactory

pytestmark = pytest.mark.django_db

FEED = reverse("knowledgebase:study_feed")
ATOM = "{http://www.w3.org/2005/Atom}"
# The view restrictions behind the country and model filters (two), the feed's ids (cached
# per content version after the first request), the studies, their authors and themes.
FEED_MAX_QUERIES = 6


def _feed(client, **params):
    response = client.get(FEED, params)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    return ET.fromstring(response.content)  # noqa: S314 (our own response)


def _entries(feed):
    return [
        {
            "title": entry.findtext(f"{ATOM}title"),
            "link": entry.find(f"{ATOM}link").get("href"),
            "summary": entry.findtext(f"{ATOM}summary"),
            "author": entry.findtext(f"{ATOM}author/{ATOM}name"),
            "categories": [category.get("term") for category in entry.findall(f"{ATOM}category")],
        }
        for entry in feed.findall(f"{ATOM}entry")
    ]


def _published(study, days_ago):
    Study.objects.filter(pk=study.pk).update(
        first_published_at=timezone.now() - datetime.timedelta(days=days_ago)
    )


def test_feed_lists_public_studies_newest_publication_first(client, site_tree):
    """Every public study, the most recently published first, with its address, authors,
    themes and summary; a study without a publication date (loaded in bulk) comes last."""
    theme = ThemeFactory(name="Kwaliteitsborging")
    # Created first, published last: the feed follows publication, not creation.
    newer = StudyFactory()
    older = StudyFactory(
        themes=[theme],
        authors=["Jansen, A.", "De Vries, B."],
        summary="Vijf landen vergeleken op hun kennisinfrastructuur.",
    )
    undated = StudyFactory()
    _published(older, days_ago=10)
    _published(newer, days_ago=1)
    assert undated.first_published_at is None
    entries = _entries(_feed(client))
    assert [entry["link"] for entry in entries] == [
        f"http://testserver{study.get_absolute_url()}" for study in (newer, older, undated)
    ]
    assert entries[1]["author"] == "Jansen, A.; De Vries, B."
    assert entries[1]["categories"] == ["Kwaliteitsborging"]
    assert entries[1]["summary"] == older.summary


def test_feed_follows_the_list_filters(client, site_tree):
    """The feed takes the filters of /onderzoek/ and names the theme in its title; the list
    links to the feed of what it shows, and a theme page to the feed of its theme."""
    budgets = ThemeFactory(name="Individuele leerbudgetten", slug="individuele-leerbudgetten")
    quality = ThemeFactory(name="Kwaliteitsborging", slug="kwaliteitsborging")
    # Each filter below keeps one of these three studies and drops the other two.
    on_budgets = StudyFactory(themes=[budgets], study_type="policy", year=2015)
    recent_mapping = StudyFactory(themes=[quality], study_type="mapping", year=2023)
    StudyFactory(study_type="evaluation", year=2001)
    feed = _feed(client, theme="individuele-leerbudgetten")
    assert [entry["link"] for entry in _entries(feed)] == [
        f"http://testserver{on_budgets.get_absolute_url()}"
    ]
    assert feed.findtext(f"{ATOM}title").endswith("nieuw onderzoek over Individuele leerbudgetten")
    assert [entry["link"] for entry in _entries(_feed(client, type="mapping", year_min=2020))] == [
        f"http://testserver{recent_mapping.get_absolute_url()}"
    ]
    feed_link = f'href="{FEED}?theme=individuele-leerbudgetten"'
    html = client.get(
        reverse("knowledgebase:study_list"), {"theme": "individuele-leerbudgetten"}
    ).content.decode()
    assert f'<link rel="alternate" type="application/atom+xml" {feed_link}' in html
    assert f"<a {feed_link}>" in html
    assert f"<a {feed_link}>" in client.get(budgets.get_absolute_url()).content.decode()


def test_feed_drops_a_study_once_unpublished(client, site_tree, django_capture_on_commit_callbacks):
    """Unpublishing shows in the feed on the next request, and so does a bulk update that
    sends no signals."""
    kept, unpublished, hidden_in_bulk = StudyFactory.create_batch(3)
    assert len(_entries(_feed(client))) == 3  # the feed's ids are cached from here on
    with django_capture_on_commit_callbacks(execute=True):
        unpublished.unpublish()
    Study.objects.filter(pk=hidden_in_bulk.pk).update(live=False)
    assert [entry["link"] for entry in _entries(_feed(client))] == [
        f"http://testserver{kept.get_absolute_url()}"
    ]


def test_summary_is_text_not_markup(client, site_tree):
    """A summary is escaped for readers that take it as HTML, and control characters, which
    XML cannot hold, are dropped instead of breaking the feed."""
    StudyFactory(summary="Effect <script>alert(1)</script> & meer\x0b.", title="Titel\x01")
    entry = _entries(_feed(client))[0]
    assert entry["summary"] == "Effect &lt;script&gt;alert(1)&lt;/script&gt; &amp; meer."
    assert entry["title"].startswith("Titel")


@pytest.mark.parametrize("count", [3, FEED_LENGTH + 10])
def test_feed_queries_do_not_grow(client, site_tree, django_assert_max_num_queries, count):
    """The feed holds at most FEED_LENGTH studies and needs the same queries for 3 or 60."""
    StudyFactory.create_batch(count, authors=["Auteur, A."])
    with django_assert_max_num_queries(FEED_MAX_QUERIES):
        feed = _feed(client, theme="")
    assert len(_entries(feed)) == min(count, FEED_LENGTH)


@pytest.mark.parametrize(
    "params",
    [
        {"theme": "bestaat-niet"},
        {"year_min": "abc"},
        {"country": "x" * 10_000},
        {"type": "a\x00b"},
        {"year_min": "2020", "year_max": "2010"},
    ],
)
def test_bad_filters_are_400_with_a_message(client, db, params):
    """An invalid filter gives a 400 that says what is wrong, never a 500."""
    response = client.get(FEED, params)
    assert response.status_code == 400
    assert response.content.decode().startswith("Deze feed kan niet worden gemaakt:")


def test_feed_title_gives_the_year_once(client, db):
    """A study whose title already ends in its year is listed with the year once, not
    "(2017) (2017)"; other studies get their year after the title."""
    StudyFactory(title="Tweede evaluatie van de loopbaancheques (2017)", year=2017)
    StudyFactory(title="Loopbaanbegeleiding in Finland", year=2020)
    titles = {entry["title"] for entry in _entries(_feed(client))}
    assert titles == {
        "Tweede evaluatie van de loopbaancheques (2017)",
        "Loopbaanbegeleiding in Finland (2020)",
    }
