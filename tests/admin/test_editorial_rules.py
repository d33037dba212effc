"""What editors and the board may do, as docs/content-editing.md says: editors draft and submit,
only the board publishes, deletes and moves; a study's draft findings go live with it; the
dashboard never shows what a user may not open; a new record's comparison says it is new."""

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction, WorkflowState

from knowledgebase.models import Finding, Study
from knowledgebase.services import study_findings_publish
from portal.models import LinkCheck
from tests.factories import FindingFactory, StudyFactory, make_country

pytestmark = pytest.mark.django_db


def test_editor_cannot_delete_or_move_another_editors_draft_page(client, editor):
    """An editor can neither delete nor move a draft profile (nor any page); the page stays."""
    draft = make_country("EE", title="Estland", live=False)
    client.force_login(editor)
    assert client.get(reverse("wagtailadmin_pages:delete", args=[draft.pk])).status_code in (302, 403)
    client.post(reverse("wagtailadmin_pages:delete", args=[draft.pk]))
    assert Page.objects.filter(pk=draft.pk).exists()
    response = client.get(reverse("wagtailadmin_pages:move", args=[draft.pk]))
    assert response.status_code in (302, 403)
    edit_html = client.get(reverse("wagtailadmin_pages:edit", args=[draft.pk])).content.decode()
    assert reverse("wagtailadmin_pages:delete", args=[draft.pk]) not in edit_html


def test_board_deletes_a_draft_page(client, board):
    """The board may delete a page."""
    draft = make_country("EE", title="Estland", live=False)
    client.force_login(board)
    response = client.post(reverse("wagtailadmin_pages:delete", args=[draft.pk]))
    assert response.status_code == 302
    assert not Page.objects.filter(pk=draft.pk).exists()


def test_dashboard_shows_titles_only_to_who_may_edit_them(client, editor, admin_only):
    """A user who may only open the admin sees no titles of draft or private pages or records
    on the dashboard; an editor sees them with edit links."""
    private = make_country("FI", title="Finland-privé")
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="geheim")
    make_country("EE", title="Estland-concept", live=False)
    study = StudyFactory(url="https://voorbeeld.example.org/weg", title="Onderzoek-met-dode-link")
    LinkCheck.objects.create(url=study.url, ok=False, status_code=404, checked_at=timezone.now())

    client.force_login(admin_only)
    html = client.get("/admin/").content.decode()
    for title in ("Finland-privé", "Estland-concept", "Onderzoek-met-dode-link"):
        assert title not in html

    client.force_login(editor)
    html = client.get("/admin/").content.decode()
    for title in ("Finland-privé", "Estland-concept", "Onderzoek-met-dode-link"):
        assert title in html


def test_dashboard_says_plainly_that_no_link_check_ever_ran(client, editor):
    """Before the first link check the dashboard does not say "Niets te doen" for links, but
    that no check has run, with a way to the link report."""
    client.force_login(editor)
    html = client.get("/admin/").content.decode()
    section = html[html.index("Links die niet werken") :]
    assert "Er is nog nooit een linkcontrole gedaan" in section
    assert section.index(reverse("link_report")) < section.index("</section>")


def test_approving_a_study_publishes_its_draft_findings(client, editor, board):
    """The board approves a study under review; its new and changed findings go live with it,
    and the edit screen the board reviews on names them."""
    study = StudyFactory(live=False, title="Evaluatie van de cheque")
    new = FindingFactory(study=study, live=False, statement="Een nieuwe bevinding.")
    new.save_revision()
    changed = FindingFactory(study=study, statement="Oude tekst.")
    changed.statement = "Nieuwe tekst."
    changed.save_revision()
    client.force_login(editor)
    edit_url = reverse("wagtailsnippets_knowledgebase_study:edit", args=[study.pk])
    data_response = client.get(edit_url)
    assert "Gaat mee live met dit onderzoek: 2 bevindingen" in data_response.content.decode()
    study.save_revision(user=editor)
    study.get_workflow().start(study, editor)
    task_state = WorkflowState.objects.for_instance(study).get().current_task_state
    client.force_login(board)
    response = client.post(
        reverse(
            "wagtailsnippets_knowledgebase_study:workflow_action", args=[study.pk, "approve", task_state.pk]
        ),
        {"comment": ""},
    )
    assert response.status_code in (200, 302)
    assert Study.objects.get(pk=study.pk).live
    assert Finding.objects.get(pk=new.pk).live
    assert Finding.objects.get(pk=changed.pk).statement == "Nieuwe tekst."


def test_publishing_a_study_leaves_other_studies_findings_alone(site_tree):
    """Only the study's own findings go live with it."""
    study = StudyFactory()
    other = FindingFactory(study=StudyFactory(), live=False)
    other.save_revision()
    mine = FindingFactory(study=study, live=False)
    mine.save_revision()
    assert study_findings_publish(study=study) == [mine]
    assert not Finding.objects.get(pk=other.pk).live


def test_comparing_versions_of_a_new_record_shows_it_is_new(client, editor):
    """A study saved twice and never published: comparing its two equal versions says the
    record is new and shows what would go live, not "geen verschillen"."""
    study = StudyFactory(live=False, title="Een nieuw onderzoek")
    first = study.save_revision()
    second = study.save_revision()
    client.force_login(editor)
    url = reverse(
        "wagtailsnippets_knowledgebase_study:revisions_compare", args=[study.pk, first.pk, second.pk]
    )
    html = client.get(url).content.decode()
    assert "nog nooit is gepubliceerd" in html
    assert "Er zijn geen verschillen" not in html
    assert "Een nieuw onderzoek" in html
