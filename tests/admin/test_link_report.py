"""The link report: every checked address, its status, error and last check, the records using
it with edit links, filters; the board starts a check from it."""

import pytest
from django.urls import reverse
from django.utils import timezone

from portal import links
from portal.models import LinkCheck
from tests.factories import OrganisationFactory, StudyFactory, cited_paragraphs, make_country

pytestmark = pytest.mark.django_db


@pytest.fixture
def checked(site_tree):
    """A study with a working link, an organisation with a broken one, a profile linking the
    broken one in its text."""
    study = StudyFactory(title="Onderzoek met werkende link", url="https://werkt.example.org/")
    organisation = OrganisationFactory(name="Organisatie met dode link", website="https://weg.example.org/")
    profile = make_country(
        "FI",
        title="Finland",
        context=cited_paragraphs(('<p>Zie <a href="https://weg.example.org/">de site</a>.</p>', [])),
    )
    now = timezone.now()
    LinkCheck.objects.create(url=study.url, ok=True, status_code=200, checked_at=now)
    LinkCheck.objects.create(url=organisation.website, ok=False, status_code=404, checked_at=now)
    return study, organisation, profile


def test_report_lists_every_checked_link_with_its_users(client, editor, checked):
    """Broken links come first, with the error and every record and page that uses them,
    linked to their edit screens."""
    study, organisation, profile = checked
    client.force_login(editor)
    html = client.get(reverse("link_report")).content.decode()
    assert html.index("https://weg.example.org/") < html.index("https://werkt.example.org/")
    assert "HTTP 404" in html and "Werkt niet" in html
    assert reverse("wagtailsnippets_knowledgebase_organisation:edit", args=[organisation.pk]) in html
    assert reverse("wagtailadmin_pages:edit", args=[profile.pk]) in html
    assert reverse("wagtailsnippets_knowledgebase_study:edit", args=[study.pk]) in html


def test_report_filters_on_status_and_address(client, editor, checked):
    """The status filter shows only broken (or only working) links; the address filter narrows
    by part of the address."""
    client.force_login(editor)
    html = client.get(reverse("link_report"), {"ok": "false"}).content.decode()
    assert "https://weg.example.org/" in html and "https://werkt.example.org/" not in html
    html = client.get(reverse("link_report"), {"url": "werkt"}).content.decode()
    assert "https://werkt.example.org/" in html and "https://weg.example.org/" not in html


def test_report_needs_the_editors_rights(client, admin_only, checked):
    """A user who may only open the admin cannot see the report or start a check."""
    client.force_login(admin_only)
    assert client.get(reverse("link_report")).status_code in (302, 403)
    assert client.post(reverse("link_report_run")).status_code in (302, 403)
    assert LinkCheck.objects.count() == 2


def test_board_starts_a_check_now_editors_cannot(
    client, editor, board, checked, monkeypatch, django_capture_on_commit_callbacks
):
    """ "Nu controleren" runs the check (as a task, eagerly here) for the board; an editor sees
    no button and gets a 403."""
    monkeypatch.setattr(links, "check_url", lambda url, fetcher=None: links.Outcome(ok=True, status_code=200))
    client.force_login(editor)
    assert "Nu controleren" not in client.get(reverse("link_report")).content.decode()
    assert client.post(reverse("link_report_run")).status_code in (302, 403)
    assert not LinkCheck.objects.get(url="https://weg.example.org/").ok  # not run

    client.force_login(board)
    assert "Nu controleren" in client.get(reverse("link_report")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("link_report_run"))
    assert response.status_code == 302
    assert LinkCheck.objects.get(url="https://weg.example.org/").ok


def test_report_before_any_check_says_so(client, editor, site_tree):
    """With no check ever run, the report says so instead of showing an empty list."""
    client.force_login(editor)
    html = client.get(reverse("link_report")).content.decode()
    assert "Er is nog nooit een linkcontrole gedaan" in html
