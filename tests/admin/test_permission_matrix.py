"""Every admin address of every content type, for every kind of user: anonymous visitors, users
who may only open the admin, editors ("Redacteuren") and the board ("Hoofdredactie"). Nobody gets
a page (200) they have no right to, and every action a role may take works; the rules are those
of docs/content-editing.md."""

import datetime

import pytest
from django.urls import reverse
from wagtail.models import Page

from knowledgebase.models import BottomLine
from portal.models import LinkCheck
from portal.services import BOARD, EDITORS
from tests.factories import (
    DimensionFactory,
    FindingFactory,
    FrameworkAssessmentFactory,
    FrameworkFactory,
    MethodFactory,
    OrganisationFactory,
    ResearchQuestionFactory,
    StudyFactory,
    ThemeFactory,
    country_index,
    make_country,
    make_model,
)

from .conftest import staff_user

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "admin_only", "editor", "board"]
STAFF = {"editor", "board"}
BOARD_ONLY = {"board"}


def _draft_bottom_line():
    """A draft bottom line ("Wat we weten") on a theme of its own."""
    line = BottomLine(
        theme=ThemeFactory(),
        summary=[
            {"type": "claim", "value": {"text": "<p>Een uitspraak.</p>", "findings": [], "sources": []}}
        ],
        confidence="limited",
        confidence_reason="Eén bron.",
        last_reviewed=datetime.date(2026, 12, 4),
        live=False,
    )
    line.save()
    return line


REVIEWED = {
    "study": lambda: StudyFactory(live=False),
    "finding": lambda: FindingFactory(live=False),
    "researchquestion": lambda: ResearchQuestionFactory(live=False),
    "theme": lambda: ThemeFactory(live=False),
    "organisation": lambda: OrganisationFactory(live=False),
    "framework": lambda: FrameworkFactory(live=False),
    "frameworkassessment": lambda: FrameworkAssessmentFactory(live=False),
    "bottomline": _draft_bottom_line,
}
PLAIN = {
    ("knowledgebase", "method"): MethodFactory,
    ("countries", "dimension"): DimensionFactory,
}


def _user(role):
    if role == "anonymous":
        return None
    group = {"editor": EDITORS, "board": BOARD}.get(role)
    return staff_user(role, group)


def _get(client, user, url):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client.get(url)


def _assert_access(response, allowed, url, role):
    if allowed:
        assert response.status_code == 200, f"{role} should open {url}: {response.status_code}"
    else:
        assert response.status_code in (302, 403, 404), f"{role} must not open {url}: {response.status_code}"
        if response.status_code == 302 and role == "anonymous":
            assert "/admin/login/" in response["Location"]


def _snippet_urls(app_label, model, obj):
    prefix = f"wagtailsnippets_{app_label}_{model}"
    revision = obj.save_revision() if hasattr(obj, "save_revision") else None
    second = obj.save_revision() if revision else None
    urls = {
        f"{prefix}:list": (reverse(f"{prefix}:list"), STAFF),
        f"{prefix}:add": (reverse(f"{prefix}:add"), STAFF),
        f"{prefix}:edit": (reverse(f"{prefix}:edit", args=[obj.pk]), STAFF),
        f"{prefix}:history": (reverse(f"{prefix}:history", args=[obj.pk]), STAFF),
        f"{prefix}:usage": (reverse(f"{prefix}:usage", args=[obj.pk]), STAFF),
        f"{prefix}:delete": (reverse(f"{prefix}:delete", args=[obj.pk]), BOARD_ONLY),
    }
    if revision:
        urls.update(
            {
                f"{prefix}:revisions_view": (
                    reverse(f"{prefix}:revisions_view", args=[obj.pk, revision.pk]),
                    STAFF,
                ),
                f"{prefix}:revisions_compare": (
                    reverse(f"{prefix}:revisions_compare", args=[obj.pk, revision.pk, second.pk]),
                    STAFF,
                ),
            }
        )
    return urls


@pytest.mark.parametrize("role", ROLES)
def test_every_snippet_address(client, site_tree, role):
    """List, add, edit, history, usage, preview of a revision, comparison and delete of every
    snippet type: staff open what their group allows, nobody else gets in."""
    user = _user(role)
    for model, factory in REVIEWED.items():
        for name, (url, allowed) in _snippet_urls("knowledgebase", model, factory()).items():
            _assert_access(_get(client, user, url), role in allowed, f"{name} {url}", role)
    for (app_label, model), factory in PLAIN.items():
        for name, (url, allowed) in _snippet_urls(app_label, model, factory()).items():
            _assert_access(_get(client, user, url), role in allowed, f"{name} {url}", role)


@pytest.mark.parametrize("role", ROLES)
def test_every_page_address(client, site_tree, role):
    """Add, edit, history, revisions, comparison, draft view, delete, move and unpublish of the
    portal's page types."""
    user = _user(role)
    pages = [make_country("FI", title="Finland"), make_model("network", title="Netwerk")]
    pages.append(Page.objects.get(slug="over").specific)
    for page in pages:
        first, second = page.save_revision(), page.save_revision()
        urls = {
            "edit": (reverse("wagtailadmin_pages:edit", args=[page.pk]), STAFF),
            "history": (reverse("wagtailadmin_pages:history", args=[page.pk]), STAFF),
            "revisions_view": (reverse("wagtailadmin_pages:revisions_view", args=[page.pk, first.pk]), STAFF),
            "revisions_compare": (
                reverse("wagtailadmin_pages:revisions_compare", args=[page.pk, first.pk, second.pk]),
                STAFF,
            ),
            "view_draft": (reverse("wagtailadmin_pages:view_draft", args=[page.pk]), STAFF),
            "delete": (reverse("wagtailadmin_pages:delete", args=[page.pk]), BOARD_ONLY),
            "move": (reverse("wagtailadmin_pages:move", args=[page.pk]), BOARD_ONLY),
            "unpublish": (reverse("wagtailadmin_pages:unpublish", args=[page.pk]), BOARD_ONLY),
        }
        for name, (url, allowed) in urls.items():
            _assert_access(_get(client, user, url), role in allowed, f"{page.title} {name}", role)
    add = reverse("wagtailadmin_pages:add", args=["countries", "countrypage", country_index().pk])
    _assert_access(_get(client, user, add), role in STAFF, "add country page", role)


@pytest.mark.parametrize("role", ROLES)
def test_import_and_link_report_addresses(client, site_tree, role):
    """The import is for who may add studies; the link report for staff; starting a check for
    the board."""
    user = _user(role)
    _assert_access(_get(client, user, reverse("kennisbank_import")), role in STAFF, "import", role)
    _assert_access(_get(client, user, reverse("link_report")), role in STAFF, "link report", role)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("model", sorted(REVIEWED))
def test_state_changes_of_reviewed_records(
    client, site_tree, role, model, monkeypatch, django_capture_on_commit_callbacks
):
    """Approving a submitted record, unpublishing and deleting one: the board's actions work, no
    one else's has any effect."""
    user = _user(role)
    submitter = staff_user("indiener", EDITORS)
    prefix = f"wagtailsnippets_knowledgebase_{model}"

    submitted = REVIEWED[model]()
    submitted.save_revision(user=submitter)
    submitted.get_workflow().start(submitted, submitter)
    task_state = submitted.current_workflow_state.current_task_state
    client.logout()
    if user:
        client.force_login(user)
    client.post(
        reverse(f"{prefix}:workflow_action", args=[submitted.pk, "approve", task_state.pk]), {"comment": ""}
    )
    submitted.refresh_from_db()
    assert submitted.live is (role == "board"), f"{role} approving {model}"

    live = REVIEWED[model]()
    live.live = True
    live.save()
    live.save_revision().publish()
    client.post(reverse(f"{prefix}:unpublish", args=[live.pk]))
    live.refresh_from_db()
    assert live.live is (role != "board"), f"{role} unpublishing {model}"

    doomed = REVIEWED[model]()
    client.post(reverse(f"{prefix}:delete", args=[doomed.pk]))
    assert type(doomed).objects.filter(pk=doomed.pk).exists() is (role != "board"), f"{role} deleting {model}"


@pytest.mark.parametrize("role", ROLES)
def test_state_changes_of_pages(client, site_tree, role):
    """Approving a submitted profile, unpublishing and deleting one: only the board can."""
    user = _user(role)
    submitter = staff_user("indiener", EDITORS)
    submitted = make_country("EE", title="Estland", live=False)
    submitted.save_revision(user=submitter)
    submitted.get_workflow().start(submitted, submitter)
    task_state = submitted.current_workflow_state.current_task_state
    client.logout()
    if user:
        client.force_login(user)
    client.post(
        reverse("wagtailadmin_pages:workflow_action", args=[submitted.pk, "approve", task_state.pk]),
        {"comment": ""},
    )
    submitted.refresh_from_db()
    assert submitted.live is (role == "board")

    live = make_country("FI", title="Finland")
    client.post(reverse("wagtailadmin_pages:unpublish", args=[live.pk]))
    live.refresh_from_db()
    assert live.live is (role != "board")

    doomed = make_country("NO", title="Noorwegen", live=False)
    client.post(reverse("wagtailadmin_pages:delete", args=[doomed.pk]))
    assert Page.objects.filter(pk=doomed.pk).exists() is (role != "board")


@pytest.mark.parametrize("role", ROLES)
def test_starting_a_link_check(client, site_tree, role, monkeypatch, django_capture_on_commit_callbacks):
    """Only the board starts a link check."""
    from portal import links

    StudyFactory(url="https://voorbeeld.example.org/")
    monkeypatch.setattr(links, "check_url", lambda url, fetcher=None: links.Outcome(ok=True, status_code=200))
    user = _user(role)
    client.logout()
    if user:
        client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("link_report_run"))
    assert LinkCheck.objects.exists() is (role == "board")
