"""The knowledge base in the Wagtail admin: listings, creating a study, review and
publication through the editorial workflow, preview and revision comparison."""

import datetime
from html import unescape

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import Workflow, WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from knowledgebase.models import BottomLine, Organisation, Study
from portal.templatetags.evidence import SOFT_HYPHEN
from tests.factories import (
    DimensionFactory,
    FindingFactory,
    MethodFactory,
    OrganisationFactory,
    ResearchQuestionFactory,
    StudyFactory,
    ThemeFactory,
    make_country,
    make_fact,
)

pytestmark = pytest.mark.django_db

SNIPPET_MODELS = [
    ("knowledgebase", "study"),
    ("knowledgebase", "finding"),
    ("knowledgebase", "researchquestion"),
    ("knowledgebase", "theme"),
    ("knowledgebase", "organisation"),
    ("knowledgebase", "method"),
    ("knowledgebase", "framework"),
    ("knowledgebase", "frameworkassessment"),
    ("countries", "dimension"),
]


def _url(app_label, model, name, *args):
    return reverse(f"wagtailsnippets_{app_label}_{model}:{name}", args=args)


def _user(django_user_model, group_name, username):
    user = django_user_model.objects.create_user(username=username, password="wachtwoord-123")
    user.groups.add(Group.objects.get(name=group_name))
    return user


def test_site_tree_workflow_has_the_approval_task(site_tree):
    """The editorial workflow set up by ``site_tree`` contains the board's approval task."""
    workflow = Workflow.objects.get(name="Redactie en publicatie")
    assert [task.name for task in workflow.tasks] == ["Goedkeuring hoofdredactie"]


@pytest.fixture
def editor(site_tree, django_user_model):
    return _user(django_user_model, "Redacteuren", "redacteur")


@pytest.fixture
def board(site_tree, django_user_model):
    return _user(django_user_model, "Hoofdredactie", "hoofdredacteur")


def _form_data(data):
    """Form data for an admin form: ``nested_form_data`` for inline formsets, while a list of
    ids (a many-to-many field) stays one multi-valued field."""
    choices = {name: value for name, value in data.items() if isinstance(value, list)}
    return {**nested_form_data({k: v for k, v in data.items() if k not in choices}), **choices}


def _study_form(**overrides):
    data = {
        "title": "Loopbaanbegeleiding voor werkenden in Finland",
        "slug": "werkenden-finland",
        "authors": inline_formset(
            [
                {"family_name": "Virtanen", "given_names": "M."},
                {"family_name": "Korhonen", "given_names": "A."},
            ]
        ),
        "year": "2024",
        "study_type": "evaluation",
        "language": "nl",
        "publisher": "",
        "summary": "Een evaluatie van begeleiding voor werkenden.",
        "url": "",
        "doi": "",
        "strength": "moderate",
        "strength_rationale": "Eén evaluatie met een vergelijkingsgroep.",
        "source_locator": "",
    }
    data.update(overrides)
    return _form_data(data)


@pytest.mark.parametrize(("app_label", "model"), SNIPPET_MODELS)
def test_editor_opens_kennisbank_listings_and_create_views(client, editor, app_label, model):
    """An editor can open the list and create view of every Kennisbank snippet."""
    client.force_login(editor)
    assert client.get(_url(app_label, model, "list")).status_code == 200
    assert client.get(_url(app_label, model, "list"), {"q": "kwaliteit"}).status_code == 200
    assert client.get(_url(app_label, model, "add")).status_code == 200


def test_kennisbank_menu_groups_the_snippets(client, editor):
    """The admin menu has one "Kennisbank" group with the knowledge-base models."""
    client.force_login(editor)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Kennisbank" in html
    assert _url("knowledgebase", "study", "list") in html


def test_study_listing_shows_columns_and_filters(client, editor):
    """The study listing shows title, year, type, strength and live status, and filters."""
    StudyFactory(title="Gepubliceerd onderzoek", year=2021, strength="strong")
    StudyFactory(title="Concept onderzoek", year=2022, live=False)
    client.force_login(editor)
    html = client.get(_url("knowledgebase", "study", "list")).content.decode()
    for text in ("Gepubliceerd onderzoek", "Concept onderzoek", "2021", "Sterk", "Rapport"):
        assert text in html, text
    filtered = client.get(_url("knowledgebase", "study", "list"), {"strength": "strong"}).content.decode()
    assert "Gepubliceerd onderzoek" in filtered and "Concept onderzoek" not in filtered


def test_editor_creates_study_and_board_approves_it(client, site_tree, editor, board):
    """An editor creates a study and submits it for review; it stays off the site until the
    editorial board approves it, and then shows at /onderzoek/<slug>/."""
    theme = ThemeFactory()
    method = MethodFactory()
    client.force_login(editor)
    response = client.post(
        _url("knowledgebase", "study", "add"),
        {**_study_form(themes=[str(theme.pk)], methods=[str(method.pk)]), "action-submit": "Indienen"},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    study = Study.objects.get(slug="werkenden-finland")
    assert not study.live
    assert [author.name for author in study.authors.all()] == ["Virtanen, M.", "Korhonen, A."]
    submitted = study.latest_revision.as_object()
    assert list(submitted.themes.all()) == [theme] and list(submitted.methods.all()) == [method]
    state = WorkflowState.objects.for_instance(study).get()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert client.get("/onderzoek/werkenden-finland/").status_code == 404

    client.force_login(board)
    task_state = state.current_task_state
    response = client.post(
        _url("knowledgebase", "study", "workflow_action", study.pk, "approve", task_state.pk),
        {"comment": ""},
    )
    assert response.status_code == 302
    study.refresh_from_db()
    assert study.live
    client.logout()
    response = client.get("/onderzoek/werkenden-finland/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Loopbaanbegeleiding voor werkenden in Finland" in html
    assert html.index("Virtanen, M.") < html.index("Korhonen, A.")


def test_editor_cannot_publish_directly(client, editor):
    """Editors have no publish permission: saving with action-publish does not make a study live."""
    client.force_login(editor)
    response = client.post(
        _url("knowledgebase", "study", "add"), {**_study_form(), "action-publish": "Publiceren"}
    )
    # The form is valid, so the study is saved, but only as a draft: publishing is the board's.
    assert response.status_code == 302, response.content.decode()[:2000]
    study = Study.objects.get(slug="werkenden-finland")
    assert not study.live
    assert client.get("/onderzoek/werkenden-finland/").status_code == 404


def test_preview_of_draft_study(client, editor):
    """The preview of a draft study renders the public study template."""
    study = StudyFactory(live=False, slug="concept-preview", title="Concept voor voorbeeld")
    study.save_revision()
    client.force_login(editor)
    url = _url("knowledgebase", "study", "preview_on_edit", study.pk)
    data = _study_form(title="Voorbeeldtitel in bewerking", slug="concept-preview")
    assert client.post(url, data).json()["is_valid"]
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Voorbeeldtitel in bewerking" in html and "Voorbeeldweergave" in html
    assert "Virtanen, M." in html


def test_preview_of_new_study(client, editor):
    """The preview works before the study is saved for the first time."""
    client.force_login(editor)
    url = _url("knowledgebase", "study", "preview_on_add")
    assert client.post(url, _study_form(title="Nieuw onderzoek")).json()["is_valid"]
    response = client.get(url)
    assert response.status_code == 200
    assert "Nieuw onderzoek" in response.content.decode()


def test_revisions_compare(client, editor):
    """Two revisions of a study can be compared."""
    study = StudyFactory(live=False, title="Eerste versie")
    first = study.save_revision()
    study.title = "Tweede versie"
    second = study.save_revision()
    client.force_login(editor)
    response = client.get(_url("knowledgebase", "study", "revisions_compare", study.pk, first.pk, second.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Eerste" in html and "Tweede" in html


@pytest.mark.parametrize("model", ["finding", "researchquestion"])
def test_preview_of_finding_and_question(client, editor, model):
    """Findings and research questions preview with their public templates."""
    client.force_login(editor)
    if model == "finding":
        obj = FindingFactory(strength="strong")
        data = nested_form_data(
            {
                "statement": "Bewerkte bevinding",
                "slug": obj.slug,
                "study": obj.study.pk,
                "locator": "p. 3",
                "strength": "strong",
            }
        )
        expected = "Bewerkte bevinding"
    else:
        obj = ResearchQuestionFactory()
        answering_study = StudyFactory()
        data = nested_form_data(
            {
                "question": "Bewerkte vraag?",
                "status": "open",
                "study_links": inline_formset([{"study": answering_study.pk, "kind": "answers"}]),
            }
        )
        expected = "Bewerkte vraag?"
    url = _url("knowledgebase", model, "preview_on_edit", obj.pk)
    assert client.post(url, data).json()["is_valid"]
    response = client.get(url)
    assert response.status_code == 200
    assert expected in response.content.decode()


def test_study_edit_screen_lists_its_findings_and_adds_one_for_it(client, editor):
    """The study's edit screen shows its findings with edit links and an 'add' link that
    starts a new finding with this study already chosen."""
    study = StudyFactory(title="Evaluatie van one-stop-centra")
    finding = FindingFactory(study=study, statement="Eén loket verlaagt de drempel.", live=False)
    client.force_login(editor)
    html = client.get(_url("knowledgebase", "study", "edit", study.pk)).content.decode()
    assert "Eén loket verlaagt de drempel." in html
    assert _url("knowledgebase", "finding", "edit", finding.pk) in html
    add_url = _url("knowledgebase", "finding", "add") + f"?study={study.pk}"
    assert add_url in html
    form_html = client.get(add_url).content.decode()
    assert "Evaluatie van one-stop-centra" in form_html, "the study is already chosen"


def _submit_and_approve(client, editor, board, app_label, model, data, public_url):
    """Create a record as an editor and submit it; check it is not public; approve it as the
    editorial board; return the public page's HTML."""
    client.force_login(editor)
    response = client.post(_url(app_label, model, "add"), {**_form_data(data), "action-submit": "Indienen"})
    assert response.status_code == 302, response.content.decode()[:3000]
    record = apps.get_model(app_label, model).objects.latest("pk")
    assert not record.live
    client.logout()
    assert client.get(public_url(record)).status_code == 404

    client.force_login(board)
    task_state = WorkflowState.objects.for_instance(record).get().current_task_state
    response = client.post(
        _url(app_label, model, "workflow_action", record.pk, "approve", task_state.pk), {"comment": ""}
    )
    assert response.status_code in (200, 302)
    record.refresh_from_db()
    assert record.live
    client.logout()
    response = client.get(public_url(record))
    assert response.status_code == 200
    return response.content.decode()


def test_editor_creates_finding_linked_to_a_study_and_board_publishes_it(client, editor, board):
    study = StudyFactory(title="Evaluatie van leerbudgetten")
    theme = ThemeFactory(name="Leerbudgetten")
    country = make_country("FI", title="Finland")
    data = {
        "statement": "Werkenden gebruiken hun leerbudget vaker met begeleiding.",
        "slug": "budget-met-begeleiding",
        "study": str(study.pk),
        "locator": "Hoofdstuk 3",
        "strength": "limited",
        "themes": [str(theme.pk)],
        "countries": [str(country.pk)],
    }
    html = _submit_and_approve(
        client, editor, board, "knowledgebase", "finding", data, lambda f: f.get_absolute_url()
    )
    for text in (
        "Werkenden gebruiken hun leerbudget",
        "Evaluatie van leerbudgetten",
        "Hoofdstuk 3",
        "Leerbudgetten",
        "Finland",
    ):
        assert text in html, text


def test_editor_creates_research_question_with_its_studies_and_board_publishes_it(client, editor, board):
    study = StudyFactory(title="Monitor loopbaanbegeleiding")
    raised_by = OrganisationFactory(name="Euroguidance")
    theme = ThemeFactory(name="Monitoring")
    data = {
        "question": "Hoe meten we de opbrengst van loopbaanbegeleiding?",
        "explanation": "Er is geen landelijke monitor.",
        "status": "in_progress",
        "owner": "Kenniscentrum",
        "raised_by": str(raised_by.pk),
        "source_study": "",
        "source_locator": "",
        "themes": [str(theme.pk)],
        "study_links": inline_formset([{"study": str(study.pk), "kind": "answers"}]),
    }
    html = _submit_and_approve(
        client, editor, board, "knowledgebase", "researchquestion", data, lambda q: q.get_absolute_url()
    )
    for text in ("Hoe meten we de opbrengst", "Monitor loopbaanbegeleiding", "Euroguidance", "Monitoring"):
        assert text in html, text


def test_editor_creates_organisation_with_a_relation_and_board_publishes_it(client, editor, board):
    """An organisation goes through review: public, with its relation on both organisations'
    pages, only after the board approves it."""
    partner = OrganisationFactory(name="Werkgeversplatform", slug="werkgeversplatform")
    data = {
        "name": "Loopbaanhuis",
        "slug": "loopbaanhuis",
        "full_name": "Regionaal Loopbaanhuis",
        "kind": "public_service",
        "country_code": "NL",
        "website": "https://loopbaanhuis.example.org/",
        "description": "Regionaal loket voor loopbaanvragen.",
        "source_study": "",
        "source_locator": "",
        "relations": inline_formset(
            [
                {
                    "kind": "partners_with",
                    "target": str(partner.pk),
                    "note": "",
                    "source_study": "",
                    "source_locator": "",
                }
            ]
        ),
    }
    assert "Loopbaanhuis" not in client.get("/organisaties/werkgeversplatform/").content.decode()
    html = _submit_and_approve(
        client, editor, board, "knowledgebase", "organisation", data, lambda o: o.get_absolute_url()
    )
    assert "Regionaal loket voor loopbaanvragen." in html and "Werkgeversplatform" in html
    assert "Loopbaanhuis" in client.get("/organisaties/werkgeversplatform/").content.decode()


def test_editor_creates_theme_and_board_publishes_it(client, editor, board):
    """A theme goes through review: public on its page and in /themas/ only once approved."""
    data = {
        "name": "Regionale samenwerking",
        "slug": "regionale-samenwerking",
        "description": "Samen in de regio.",
    }
    html = _submit_and_approve(
        client, editor, board, "knowledgebase", "theme", data, lambda t: t.get_absolute_url()
    )
    assert "Samen in de regio." in html
    # Card titles carry soft hyphens (the `hyphenate` filter).
    themes_page = unescape(client.get("/themas/").content.decode()).replace(SOFT_HYPHEN, "")
    assert "Regionale samenwerking" in themes_page


def test_an_internal_website_address_is_refused_with_a_dutch_message(client, editor):
    """An address that parsers read differently, or that leads into the servers' own network,
    is refused on the form with a Dutch message, and nothing is saved."""
    client.force_login(editor)
    data = {
        "name": "Intern loket",
        "slug": "intern-loket",
        "full_name": "",
        "kind": "public_service",
        "country_code": "NL",
        "website": "http://127.0.0.1:18476\\@example.org/x",
        "description": "",
        "source_study": "",
        "source_locator": "",
        "relations": inline_formset([]),
    }
    response = client.post(_url("knowledgebase", "organisation", "add"), _form_data(data))
    assert response.status_code == 200
    assert "Dit adres kan niet worden gebruikt: een backslash" in response.content.decode()
    response = client.post(
        _url("knowledgebase", "organisation", "add"),
        _form_data({**data, "website": "http://169.254.169.254/"}),
    )
    assert response.status_code == 200
    assert "Dit adres wijst naar een computer of intern netwerk" in response.content.decode()
    assert not Organisation.objects.filter(slug="intern-loket").exists()


def _theme_with_a_country_fact():
    """A published theme with a comparison dimension on it and a public country's fact
    ("Landelijk kader") on that dimension: a theme's hub shows the fact, so its previews must."""
    theme = ThemeFactory(name="Kwaliteitsborging", slug="kwaliteitsborging")
    dimension = DimensionFactory(name="Kwaliteitskader", section="qa_framework")
    dimension.themes.add(theme)
    make_fact(
        make_country("FI", title="Finland"),
        dimension,
        value="Landelijk kader",
        detail="Finland heeft een landelijk kwaliteitskader.",
    )
    return theme


def test_every_preview_of_a_theme_shows_the_countries_facts(client, editor, board):
    """A theme previews as its hub shows it, with the countries' facts on its dimensions
    (composed in ``hubs``): while editing, a saved revision and the board's review."""
    theme = _theme_with_a_country_fact()
    client.force_login(editor)
    data = {"name": theme.name, "slug": theme.slug, "description": "Bewerkte beschrijving"}
    url = _url("knowledgebase", "theme", "preview_on_edit", theme.pk)
    assert client.post(url, data).json()["is_valid"]
    html = client.get(url).content.decode()
    assert "Bewerkte beschrijving" in html and "Landelijk kader" in html

    response = client.post(
        _url("knowledgebase", "theme", "edit", theme.pk), {**data, "action-submit": "Indienen"}
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    theme.refresh_from_db()
    revision = theme.latest_revision
    html = client.get(
        _url("knowledgebase", "theme", "revisions_view", theme.pk, revision.pk)
    ).content.decode()
    assert "Bewerkte beschrijving" in html and "Landelijk kader" in html

    client.force_login(board)
    task_state = WorkflowState.objects.for_instance(theme).get().current_task_state
    response = client.get(_url("knowledgebase", "theme", "workflow_preview", theme.pk, task_state.task_id))
    html = response.content.decode()
    assert "Bewerkte beschrijving" in html and "Landelijk kader" in html


def test_a_bottom_line_previews_on_its_theme_hub_with_the_countries_facts(client, editor):
    """The preview of a bottom line ("Wat we weten") is its theme's hub, facts included."""
    line = BottomLine.objects.create(
        theme=_theme_with_a_country_fact(),
        summary=[
            {
                "type": "claim",
                "value": {"text": "<p>Een voorlopige claim.</p>", "findings": [], "sources": []},
            }
        ],
        confidence="limited",
        confidence_reason="Weinig bronnen.",
        last_reviewed=datetime.date(2026, 12, 4),
        live=False,
    )
    revision = line.save_revision()
    client.force_login(editor)
    html = client.get(
        _url("knowledgebase", "bottomline", "revisions_view", line.pk, revision.pk)
    ).content.decode()
    assert "Een voorlopige claim." in html and "Landelijk kader" in html
