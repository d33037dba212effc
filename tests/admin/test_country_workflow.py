"""Editors and the editorial board drive a country profile through the Wagtail admin:
create, submit for moderation, approve, preview and compare revisions."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import Workflow, WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from countries.models import CountryIndexPage, CountryPage
from countries.sections import SECTION_KEYS
from portal.services import APPROVAL_TASK_NAME, BOARD, EDITORS, WORKFLOW_NAME
from tests.factories import DimensionFactory, StudyFactory

pytestmark = pytest.mark.django_db


def _user(username, group_name):
    user = get_user_model().objects.create_user(username=username, password="geheim-wachtwoord")
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def editor(site_tree):
    return _user("redacteur", EDITORS)


@pytest.fixture
def board_member(site_tree):
    return _user("hoofdredacteur", BOARD)


def _citation(study, locator):
    return {"study": str(study.pk), "locator": locator}


def _profile_form(study, dimension, **overrides):
    """POST data of the add/edit form of a CountryPage, as the admin would submit it."""
    sections = {key: streamfield([]) for key in SECTION_KEYS}
    sections["context"] = streamfield(
        [
            (
                "paragraph",
                {
                    "text": rich_text("<p>Ierland heeft een nationaal begeleidingsforum.</p>"),
                    "sources": streamfield([("item", _citation(study, "p. 7"))]),
                },
            )
        ]
    )
    data = {
        "title": "Ierland",
        "slug": "ierland",
        "code": "IE",
        "last_verified": "2025-02-01",
        "summary": "Ierland werkt met een nationaal forum voor begeleiding.",
        "infrastructure_model": "",
        **sections,
        "facts": inline_formset(
            [
                {
                    "dimension": str(dimension.pk),
                    "value": "Ja",
                    "detail": "Sinds 2015.",
                    "source_study": str(study.pk),
                    "source_locator": "tabel 2",
                }
            ]
        ),
        "websites": inline_formset(
            [
                {
                    "name": "CareersPortal",
                    "url": "https://careersportal.ie/",
                    "description": "Beroepeninformatie.",
                }
            ]
        ),
        "comments": inline_formset([]),
        "seo_title": "",
        "search_description": "",
    }
    data.update(overrides)
    return nested_form_data(data)


def _add_url():
    index = CountryIndexPage.objects.get()
    return reverse("wagtailadmin_pages:add", args=["countries", "countrypage", index.pk])


def _create_and_submit(client, editor):
    study = StudyFactory(title="Landenstudie Ierland")
    dimension = DimensionFactory(name="Nationaal forum")
    client.force_login(editor)
    data = _profile_form(study, dimension)
    data["action-submit"] = "action-submit"
    response = client.post(_add_url(), data)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    return CountryPage.objects.get(slug="ierland")


def test_editor_creates_and_submits_profile_for_moderation(client, editor):
    """An editor creates a profile with a cited section, a fact and a website and submits it:
    the page exists in moderation but is not live and not served."""
    page = _create_and_submit(client, editor)
    assert not page.live
    assert page.has_unpublished_changes
    state = WorkflowState.objects.get(base_content_type__model="page", object_id=str(page.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.workflow.name == "Redactie en publicatie"
    revision = page.latest_revision.as_object()
    assert revision.facts.first().value == "Ja"
    assert revision.websites.first().name == "CareersPortal"
    client.logout()
    assert client.get("/landen/ierland/").status_code == 404


def test_board_approves_and_profile_goes_live(client, editor, board_member):
    """The editorial board approves the submitted profile through the workflow action; the page
    is then live and served at /landen/<slug>/ with its section, fact and website."""
    page = _create_and_submit(client, editor)
    task_state = page.current_workflow_task_state
    assert task_state is not None

    client.force_login(board_member)
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk])
    response = client.post(url, {"comment": "Akkoord."})
    assert response.status_code == 302

    page.refresh_from_db()
    assert page.live
    client.logout()
    response = client.get("/landen/ierland/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ierland heeft een nationaal begeleidingsforum." in html
    assert "Nationaal forum" in html
    assert 'href="https://careersportal.ie/"' in html
    assert "Landenstudie Ierland" in html
    assert 'href="/landen/ierland/"' in client.get("/landen/").content.decode()


def test_editor_cannot_publish_directly(client, editor):
    """An editor pressing publish only saves a draft: the page does not go live."""
    study = StudyFactory()
    dimension = DimensionFactory()
    client.force_login(editor)
    data = _profile_form(study, dimension)
    data["action-publish"] = "action-publish"
    response = client.post(_add_url(), data)
    # The form is valid, so Wagtail saves the page, but only as a draft: publishing is the board's.
    assert response.status_code == 302, response.content.decode()[:2000]
    page = CountryPage.objects.get(slug="ierland")
    assert not page.live
    assert page.has_unpublished_changes
    client.logout()
    assert client.get("/landen/ierland/").status_code == 404


def test_editor_cannot_approve(client, editor):
    """The approve action is refused to an editor outside the board; the page stays a draft."""
    page = _create_and_submit(client, editor)
    task_state = page.current_workflow_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk])
    client.post(url, {"comment": ""})
    page.refresh_from_db()
    assert not page.live


def test_draft_preview_and_revision_compare(client, editor):
    """The draft of a submitted profile can be previewed, and two revisions compared."""
    page = _create_and_submit(client, editor)

    response = client.get(reverse("wagtailadmin_pages:view_draft", args=[page.pk]))
    assert response.status_code == 200
    assert "Ierland heeft een nationaal begeleidingsforum." in response.content.decode()

    revision = page.latest_revision.as_object()
    revision.summary = "Een bijgewerkte samenvatting."
    revision.save_revision(user=editor)
    compare = reverse(
        "wagtailadmin_pages:revisions_compare",
        kwargs={"pk": page.pk, "revision_id_a": "earliest", "revision_id_b": "latest"},
    )
    response = client.get(compare)
    assert response.status_code == 200
    assert "Een bijgewerkte samenvatting." in response.content.decode()


def test_preview_on_add_renders_the_profile(client, editor):
    """The live preview of an unsaved profile renders with the country template."""
    study = StudyFactory()
    dimension = DimensionFactory()
    client.force_login(editor)
    url = reverse(
        "wagtailadmin_pages:preview_on_add",
        args=["countries", "countrypage", CountryIndexPage.objects.get().pk],
    )
    response = client.post(url, _profile_form(study, dimension))
    assert response.status_code == 200
    assert response.json()["is_valid"]
    response = client.get(url)
    assert response.status_code == 200
    assert "Ierland werkt met een nationaal forum" in response.content.decode()


@pytest.mark.parametrize("group_name", [EDITORS, BOARD])
def test_login_page_and_dashboard_render(client, site_tree, group_name):
    """The admin login page renders, and the dashboard renders for editors and the board."""
    assert client.get(reverse("wagtailadmin_login")).status_code == 200
    user = _user(f"gebruiker-{group_name.lower()}", group_name)
    response = client.post(
        reverse("wagtailadmin_login"), {"username": user.username, "password": "geheim-wachtwoord"}
    )
    assert response.status_code == 302
    assert client.get(reverse("wagtailadmin_home")).status_code == 200


def test_setup_links_approval_task_to_workflow(site_tree):
    """The review workflow built by the set-up has the board's approval task."""
    workflow = Workflow.objects.get(name=WORKFLOW_NAME)
    assert workflow.workflow_tasks.filter(task__name=APPROVAL_TASK_NAME).exists()
