"""The search box of the admin's study listing finds studies by title, author, publisher and
DOI. Runs on SQLite and, with ``DATABASE_URL`` set, on PostgreSQL (trigram indexes)."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse

from knowledgebase import admin_search
from portal.services import EDITORS
from tests.factories import StudyFactory

pytestmark = pytest.mark.django_db

URL = reverse("wagtailsnippets_knowledgebase_study:list")


@pytest.fixture(params=["rare", "common"])
def strategy(request, monkeypatch):
    """Run each test both ways: words looked up through their matches (rare words) and by
    testing the listing's rows (common words, here every word with a match)."""
    if request.param == "common":
        monkeypatch.setattr(admin_search, "RARE_LIMIT", 1)
    return request.param


@pytest.fixture
def studies(client, site_tree, strategy):
    """Four studies that share no word between title, authors, publisher and DOI."""
    editor = get_user_model().objects.create_user(username="redacteur", password="wachtwoord-123")
    editor.groups.add(Group.objects.get(name=EDITORS))
    client.force_login(editor)
    return {
        "oecd": StudyFactory(
            title="Career Guidance and Public Policy: Bridging the Gap",
            publisher="OECD",
            authors=["OECD"],
            year=2004,
        ),
        "jansen": StudyFactory(
            title="Loopbaancheques in Vlaanderen",
            publisher="Steunpunt Werk",
            authors=["Jansen, A.", "De Vries, B."],
            doi="10.1234/vlaanderen.2021",
        ),
        "draft": StudyFactory(
            title="Kwaliteitskader voor loopbaanprofessionals",
            publisher="Noloc",
            authors=["Bakker, C."],
            live=False,
        ),
        "other": StudyFactory(title="Regionale samenwerking", publisher="Euroguidance", authors=["Smit, D."]),
    }


def _found(client, query, **filters):
    response = client.get(URL, {"q": query, **filters})
    assert response.status_code == 200
    titles = {study.title for study in response.context["object_list"]}
    assert response.context["items_count"] == len(titles), "the total shown is the number found"
    return titles


def test_oecd_finds_the_oecd_study(client, studies):
    """Searching "OECD" finds the study the OECD wrote and published, although its title does
    not name the OECD."""
    assert _found(client, "OECD") == {studies["oecd"].title}


@pytest.mark.parametrize("query", ["Jansen", "jans", "DE VRIES", "vries, b"])
def test_an_author_finds_the_study(client, studies, query):
    """Part of an author's name, in any case, finds the study."""
    assert _found(client, query) == {studies["jansen"].title}


@pytest.mark.parametrize(
    "query", ["Steunpunt", "10.1234/vlaanderen.2021", "https://doi.org/10.1234/vlaanderen.2021", "vlaanderen"]
)
def test_publisher_doi_and_title_find_the_study(client, studies, query):
    """The publisher, the DOI (also as a doi.org link) and a word of the title find the study."""
    assert _found(client, query) == {studies["jansen"].title}


def test_every_word_must_match_somewhere(client, studies):
    """With several words, a study is found when each word is in its title, an author, the
    publisher or the DOI, not necessarily the same one."""
    assert _found(client, "Jansen cheques") == {studies["jansen"].title}
    assert _found(client, "Jansen OECD") == set()


def test_drafts_are_found_and_filters_still_apply(client, studies):
    """The admin search finds drafts too, and a list filter narrows the matches."""
    assert _found(client, "Bakker") == {studies["draft"].title}
    assert _found(client, "Bakker", live="true") == set()


def test_an_unknown_word_finds_nothing(client, studies):
    """A word no study contains gives an empty listing, not an error."""
    response = client.get(URL, {"q": "zeevaartbegeleiding"})
    assert response.status_code == 200
    assert list(response.context["object_list"]) == []


def test_a_study_that_matches_twice_is_counted_once(client, studies):
    """A study whose title and author both contain the word is listed and counted once."""
    StudyFactory(title="Jansen over loopbaanbegeleiding", authors=["Jansen, P."])
    assert len(_found(client, "jansen")) == 2
