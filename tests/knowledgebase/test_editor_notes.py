"""Editors' notes: context from outside the sources, shown apart from what the sources say."""

import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from knowledgebase.models import Organisation
from tests.factories import OrganisationFactory, StudyFactory, make_country

pytestmark = pytest.mark.django_db

NOTE = "Voluit: Vlaamse Dienst voor Arbeidsbemiddeling en Beroepsopleiding."


@pytest.fixture
def vdab(site_tree):
    study = StudyFactory(title="Mapping van loopbaanondersteuning", slug="mapping")
    make_country("BE-VLG", title="België (Vlaanderen)")
    return OrganisationFactory(
        name="VDAB",
        slug="vdab",
        country_code="BE-VLG",
        description="De grootste aanbieder van loopbaanbegeleiding voor werkzoekenden.",
        editor_note=NOTE,
        source_study=study,
        source_locator="België, Beleid",
    )


def _html(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_organisation_page_shows_the_note_apart_from_the_cited_description(client, vdab):
    """The note is an aside of its own, labelled as the editors' note and as no part of the
    evidence, after the cited description and its source; the description stays as it was."""
    html = _html(client, vdab.get_absolute_url())
    aside = re.search(r'<aside class="editor-note"[^>]*>(.*?)</aside>', html, re.S)
    assert aside, html
    assert "Noot van de redactie" in aside.group(1) and NOTE in aside.group(1)
    assert "geen onderdeel van het bewijs" in aside.group(1)
    description = html.index("De grootste aanbieder van loopbaanbegeleiding voor werkzoekenden.")
    source = html.index("België, Beleid")
    assert description < source < html.index('<aside class="editor-note"')
    assert NOTE not in html[:description]


def test_organisation_without_a_note_shows_none(client, vdab):
    """An organisation without a note has no note box."""
    other = OrganisationFactory(name="CLB", slug="clb")
    assert "editor-note" not in _html(client, other.get_absolute_url())


def test_lists_show_the_note_marked_where_the_organisation_is_listed(client, vdab):
    """The organisation list and the country profile mark the note as the editors' note."""
    for url in (reverse("knowledgebase:organisation_list"), "/landen/be-vlg/"):
        html = _html(client, url)
        pattern = r'<span class="editor-note editor-note--inline">(.*?)</span>\s*(.*?)</span>'
        inline = re.search(pattern, html, re.S)
        assert inline, url
        assert "Noot van de redactie" in inline.group(1) and NOTE in inline.group(2), url


def test_api_gives_the_note_in_its_own_field(client, vdab):
    """The API gives the note apart from the description."""
    data = client.get("/api/v1/organisaties/vdab/").json()
    assert data["editor_note"] == NOTE
    assert NOTE not in data["description"]
    listing = client.get("/api/v1/organisaties/").json()
    assert listing["items"][0]["editor_note"] == NOTE


def test_editor_writes_a_note_in_the_admin(client, site_tree, django_user_model):
    """Editors fill in the note on the organisation's edit screen."""
    user = django_user_model.objects.create_user(username="redacteur", password="wachtwoord-123")
    user.groups.add(Group.objects.get(name="Redacteuren"))
    client.force_login(user)
    add_url = reverse("wagtailsnippets_knowledgebase_organisation:add")
    assert 'name="editor_note"' in client.get(add_url).content.decode()
    data = nested_form_data(
        {
            "name": "NAV",
            "slug": "nav",
            "full_name": "",
            "kind": "public_service",
            "country_code": "NO",
            "website": "",
            "description": "Arbeids- en welzijnsdienst.",
            "source_study": "",
            "source_locator": "",
            "editor_note": "In het Noors: Arbeids- og velferdsforvaltningen.",
            "relations": inline_formset([]),
        }
    )
    response = client.post(add_url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    note = Organisation.objects.get(slug="nav").editor_note
    assert note == "In het Noors: Arbeids- og velferdsforvaltningen."
