"""An editor writes an infrastructure model page with a strength and a worked example in the
Wagtail admin and submits it; it goes live when the editorial board approves it."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from models_infra.models import InfrastructureModelPage
from portal.services import BOARD, EDITORS
from tests.factories import OrganisationFactory, StudyFactory, make_country, model_index

pytestmark = pytest.mark.django_db


def _user(username, group_name):
    user = get_user_model().objects.create_user(username=username, password="geheim-wachtwoord")
    user.groups.add(Group.objects.get(name=group_name))
    return user


def _model_form(study, country, organisation):
    data = nested_form_data(
        {
            "title": "Spilfunctie",
            "slug": "spilfunctie",
            "key": "linking-pin",
            "summary": "Eén organisatie verbindt onderzoek, praktijk en beleid.",
            "definition": rich_text("<p>Een spil brengt kennis samen.</p>"),
            "strengths": streamfield(
                [("point", {"text": "Korte lijnen naar de praktijk.", "sources": streamfield([])})]
            ),
            "points_of_attention": streamfield([]),
            "examples": inline_formset(
                [
                    {
                        "title": "Ierland als spil",
                        "country": str(country.pk),
                        "description": "Een nationaal centrum coördineert het onderzoek.",
                        "research_commissioning": "Het centrum zet onderzoek uit bij universiteiten.",
                        "funding": "Het ministerie financiert.",
                        "reach_practice_policy": "Via opleidingen en beleidsadvies.",
                        "source_study": str(study.pk),
                        "source_locator": "Hoofdstuk 4",
                    }
                ]
            ),
            "comments": inline_formset([]),
            "seo_title": "",
            "search_description": "",
        }
    )
    # A many-to-many field inside the inline form is one multi-valued field.
    data["examples-0-organisations"] = [str(organisation.pk)]
    return data


def test_editor_writes_model_page_and_board_publishes_it(client, site_tree):
    editor, board = _user("redacteur", EDITORS), _user("hoofdredacteur", BOARD)
    study = StudyFactory(title="Verkenning kennisinfrastructuur")
    country = make_country("IE", title="Ierland")
    centre = OrganisationFactory(name="Nationaal Centrum", slug="nationaal-centrum")
    client.force_login(editor)
    add_url = reverse(
        "wagtailadmin_pages:add", args=["models_infra", "infrastructuremodelpage", model_index().pk]
    )
    data = {**_model_form(study, country, centre), "action-submit": "action-submit"}
    response = client.post(add_url, data)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    page = InfrastructureModelPage.objects.get(slug="spilfunctie")
    assert not page.live
    client.logout()
    assert client.get("/kennisinfrastructuur/spilfunctie/").status_code == 404

    client.force_login(board)
    task_state = page.current_workflow_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk])
    assert client.post(url, {"comment": "Akkoord."}).status_code == 302
    page.refresh_from_db()
    assert page.live
    client.logout()
    html = client.get("/kennisinfrastructuur/spilfunctie/").content.decode()
    for text in (
        "Een spil brengt kennis samen.",
        "Korte lijnen naar de praktijk.",
        "Ierland als spil",
        "Het centrum zet onderzoek uit bij universiteiten.",
        "Nationaal Centrum",
        "Verkenning kennisinfrastructuur",
    ):
        assert text in html, text
