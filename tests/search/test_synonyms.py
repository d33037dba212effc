"""The board's synonym sets (issue 20): applied when the search reads a query, maintained by the
board under "Kennisbank → Synoniemen" in the admin, with a form that explains what is wrong."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from portal.services import BOARD, EDITORS
from search.models import SynonymSet
from search.synonyms import clean_entries
from tests.admin.conftest import staff_user
from tests.factories import StudyFactory

pytestmark = pytest.mark.django_db

LOB = "LOB, loopbaanoriëntatie en -begeleiding"
TITLE = "Loopbaanoriëntatie in het voortgezet onderwijs"


def _titles(client, query):
    """The studies the public search lists for ``query``."""
    response = client.get("/zoeken/", {"q": query, "kind": "onderzoek"})
    assert response.status_code == 200
    return [result.title for result in response.context.get("results", [])]


# --- At query time ----------------------------------------------------------------------------


def test_an_abbreviation_finds_what_its_synonym_set_spells_out(
    client, site_tree, django_capture_on_commit_callbacks
):
    """Without a set, "LOB" finds nothing in a study that only says "loopbaanoriëntatie"; with
    the set it does, at once: the change starts a new content version, so the search cached
    before is not served again."""
    StudyFactory(title=TITLE, slug="lob-vo")
    StudyFactory(title="Scholing van werkenden", slug="scholing")
    assert TITLE not in _titles(client, "LOB")

    with django_capture_on_commit_callbacks(execute=True):
        SynonymSet.objects.create(terms=LOB, note="Afkorting uit het onderwijs.")

    titles = _titles(client, "LOB")
    assert TITLE in titles
    assert "Scholing van werkenden" not in titles
    # Lower case and the phrase itself find it too.
    assert TITLE in _titles(client, "lob")
    assert TITLE in _titles(client, "loopbaanoriëntatie")


def test_deleting_the_set_undoes_it(client, site_tree, django_capture_on_commit_callbacks):
    StudyFactory(title=TITLE, slug="lob-vo")
    synonym_set = SynonymSet.objects.create(terms=LOB)
    assert TITLE in _titles(client, "LOB")
    with django_capture_on_commit_callbacks(execute=True):
        synonym_set.delete()
    assert TITLE not in _titles(client, "LOB")


# --- The rules of a set -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "entries"),
    [
        (LOB, ["LOB", "loopbaanoriëntatie en -begeleiding"]),
        ("STAP\nSTAP-budget\n\nscholingsbudget\n", ["STAP", "STAP-budget", "scholingsbudget"]),
        ("kwaliteit,\nquality", ["kwaliteit", "quality"]),
    ],
)
def test_entries_by_comma_or_line(text, entries):
    assert clean_entries(text) == entries
    assert SynonymSet(terms=text).entries() == entries


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("LOB", "minstens twee synoniemen"),
        ("LOB, lob", "staat twee keer"),
        ("LOB,, loopbaanoriëntatie", "leeg synoniem"),
        (", LOB, loopbaanoriëntatie", "leeg synoniem"),
        ("LOB, " + "a" * 101, "langer dan 100 tekens"),
        ("LOB, --", "geen letter of cijfer"),
        ("", "minstens twee synoniemen"),
    ],
)
def test_invalid_sets_are_refused_with_a_reason(text, message):
    with pytest.raises(ValidationError) as error:
        clean_entries(text)
    assert any(message in text for text in error.value.messages), error.value.messages


def test_an_entry_of_exactly_100_characters_is_allowed():
    assert clean_entries("LOB, " + "a" * 100)[1] == "a" * 100


# --- The admin screen -------------------------------------------------------------------------


def _add_url():
    return reverse("synoniemen:add")


def test_board_adds_a_set_in_the_admin(client, site_tree):
    """The board finds "Synoniemen" in the Kennisbank menu, adds a set, and the list shows it
    with its note; the list's search finds it."""
    board = staff_user("hoofdredacteur", BOARD)
    client.force_login(board)
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("synoniemen:index") in dashboard

    response = client.post(_add_url(), {"terms": LOB, "note": "Afkorting uit het onderwijs."})
    assert response.status_code == 302
    synonym_set = SynonymSet.objects.get()
    assert synonym_set.entries() == ["LOB", "loopbaanoriëntatie en -begeleiding"]

    listing = client.get(reverse("synoniemen:index")).content.decode()
    assert "LOB, loopbaanoriëntatie en -begeleiding" in listing
    assert "Afkorting uit het onderwijs." in listing
    found = client.get(reverse("synoniemen:index"), {"q": "loopbaan"}).content.decode()
    assert "Afkorting uit het onderwijs." in found
    missed = client.get(reverse("synoniemen:index"), {"q": "scholingsbudget"}).content.decode()
    assert "Afkorting uit het onderwijs." not in missed

    edit = reverse("synoniemen:edit", args=[synonym_set.pk])
    assert client.post(edit, {"terms": LOB + "\nLOB-begeleiding", "note": ""}).status_code == 302
    assert len(SynonymSet.objects.get().entries()) == 3
    assert client.post(reverse("synoniemen:delete", args=[synonym_set.pk])).status_code == 302
    assert not SynonymSet.objects.exists()


def test_an_invalid_set_shows_the_error_and_creates_nothing(client, site_tree):
    client.force_login(staff_user("hoofdredacteur", BOARD))
    response = client.post(_add_url(), {"terms": "LOB", "note": ""})
    assert response.status_code == 200
    assert "Geef minstens twee synoniemen" in response.content.decode()
    response = client.post(_add_url(), {"terms": "LOB, " + "x" * 150, "note": ""})
    assert response.status_code == 200
    assert "langer dan 100 tekens" in response.content.decode()
    assert not SynonymSet.objects.exists()


def test_a_superuser_adds_a_set(client, site_tree, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("beheer", "beheer@example.org", "x"))
    assert client.post(_add_url(), {"terms": "beleid\npolicy", "note": ""}).status_code == 302
    assert SynonymSet.objects.get().entries() == ["beleid", "policy"]


def test_only_the_board_maintains_synonyms(client, site_tree):
    """Editors and users who may only open the admin do not see the menu item and get no page."""
    synonym_set = SynonymSet.objects.create(terms=LOB)
    for user in (staff_user("redacteur", EDITORS), staff_user("alleen-toegang")):
        client.force_login(user)
        assert reverse("synoniemen:index") not in client.get(reverse("wagtailadmin_home")).content.decode()
        for url in (
            reverse("synoniemen:index"),
            _add_url(),
            reverse("synoniemen:edit", args=[synonym_set.pk]),
            reverse("synoniemen:delete", args=[synonym_set.pk]),
        ):
            response = client.get(url)
            assert response.status_code in {302, 403}, (user.username, url, response.status_code)
        assert client.post(_add_url(), {"terms": "beleid, policy"}).status_code in {302, 403}
        assert client.post(reverse("synoniemen:delete", args=[synonym_set.pk])).status_code in {302, 403}
    assert list(SynonymSet.objects.values_list("terms", flat=True)) == [LOB]
