"""Bulk import of studies from a reference manager (RIS, BibTeX) in the admin."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from knowledgebase import imports
from knowledgebase.models import Study
from knowledgebase.wagtail_hooks import register_import_menu_item
from portal.services import EDITORS
from tests.factories import StudyFactory

pytestmark = pytest.mark.django_db

URL = "/admin/kennisbank/importeren/"

RIS = """TY  - RPRT
TI  - Loopbaanbegeleiding voor volwassenen in Vlaanderen
AU  - Jansen, A.
AU  - De Vries, B.
PY  - 2021
AB  - Een verkenning van de loopbaancheques.
DO  - https://doi.org/10.1234/vlaanderen.2021
UR  - https://example.org/vlaanderen
PB  - Steunpunt Werk
LA  - nl
ER  -

TY  - SLIDE
TI  - Presentatie over kwaliteitskaders
ER  -
"""

BIBTEX = r"""@techreport{jansen2019,
  title = {Kwaliteit van {L}oopbaanbegeleiding \& professionalisering},
  author = {Jansen, A. and Pietersen, C.},
  year = {2019},
  institution = {Euroguidance},
  language = {english},
  doi = {10.1234/kwaliteit.2019},
}
"""


@pytest.fixture
def editor(client, site_tree):
    user = get_user_model().objects.create_user(username="redacteur", password="geheim-wachtwoord")
    user.groups.add(Group.objects.get(name=EDITORS))
    client.force_login(user)
    return user


def _upload(client, name, content):
    data = content.encode() if isinstance(content, str) else content
    return client.post(URL, {"file": SimpleUploadedFile(name, data)})


def test_ris_records_become_draft_studies(client, editor):
    """Each reference becomes a draft study with its fields and authors in order, a first
    revision by the editor, and no public page until it is published."""
    response = _upload(client, "export.ris", RIS)
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailsnippets_knowledgebase_study:list")
    report, presentation = Study.objects.order_by("pk")
    assert (report.title, report.year, report.study_type, report.language) == (
        "Loopbaanbegeleiding voor volwassenen in Vlaanderen",
        2021,
        "report",
        "nl",
    )
    assert report.author_names == ["Jansen, A.", "De Vries, B."]
    assert (report.doi, report.url, report.publisher) == (
        "10.1234/vlaanderen.2021",
        "https://example.org/vlaanderen",
        "Steunpunt Werk",
    )
    assert report.summary == "Een verkenning van de loopbaancheques."
    assert (report.live, report.strength) == (False, "indicative")
    assert report.latest_revision.user == editor
    assert presentation.study_type == "presentation"
    assert presentation.summary == imports.PLACEHOLDER_SUMMARY
    assert client.get(report.get_absolute_url()).status_code == 404
    messages = [str(m) for m in client.get(response["Location"]).context["messages"]]
    assert messages == ["2 onderzoeken geïmporteerd als concept."]


def test_bibtex_records_are_decoded(client, editor):
    """BibTeX braces and escapes are read as text, authors are split, the institution is the
    publisher."""
    assert _upload(client, "export.bib", BIBTEX).status_code == 302
    study = Study.objects.get()
    assert study.title == "Kwaliteit van Loopbaanbegeleiding & professionalisering"
    assert study.author_names == ["Jansen, A.", "Pietersen, C."]
    assert (study.year, study.publisher, study.language, study.doi) == (
        2019,
        "Euroguidance",
        "en",
        "10.1234/kwaliteit.2019",
    )


def test_studies_already_present_are_skipped(client, editor):
    """A reference with the DOI, or the title and year, of a study in the knowledge base is
    skipped, and so is a repeat within the file; the portal's own RIS export comes back as
    duplicates only."""
    existing = StudyFactory(title="Presentatie over kwaliteitskaders", year=None)
    exported = StudyFactory(doi="10.1234/export.2020", year=2020, authors=["Auteur, A."])
    response = _upload(client, "export.ris", RIS + RIS)
    assert response.status_code == 302
    assert Study.objects.exclude(pk__in=[existing.pk, exported.pk]).count() == 1
    messages = [str(m) for m in client.get(response["Location"]).context["messages"]]
    assert messages == [
        "1 onderzoek geïmporteerd als concept. 3 referenties stonden er al in en zijn overgeslagen."
    ]
    own_export = client.get(reverse("knowledgebase:study_citation_ris", args=[exported.slug])).content
    assert _upload(client, "eigen.ris", own_export).status_code == 302
    assert Study.objects.count() == 3


BAD_FILES = [
    ("leeg.ris", b"", "leeg"),
    ("tekst.ris", b"Dit is geen RIS.", "bevat geen enkele referentie"),
    ("latin1.ris", "TY  - RPRT\nTI  - Caf\u00e9\nER  -\n".encode("latin-1"), "geen tekst in UTF-8"),
    ("kapot.bib", b"@article{x, title=", "onleesbare regels"),
    ("plaatje.png", b"\x89PNG\r\n", "Kies een RIS-bestand"),
    ("groot.ris", b"x" * (imports.MAX_FILE_BYTES + 1), "groter dan 2 MB"),
    (
        "veel.ris",
        ("TY  - RPRT\nTI  - Titel\nER  -\n\n" * (imports.MAX_RECORDS + 1)).encode(),
        "hoogstens 500",
    ),
    ("geen-titel.ris", b"TY  - RPRT\nPY  - 2020\nER  -\n", "de titel ontbreekt"),
    ("jaar.ris", b"TY  - RPRT\nTI  - Titel\nPY  - 20xx\nER  -\n", "geen jaar tussen 1900 en 2100"),
    ("doi.ris", b"TY  - RPRT\nTI  - Titel\nDO  - geen-doi\nER  -\n", "heeft niet de vorm 10.1234/abcd"),
    ("link.ris", b"TY  - RPRT\nTI  - Titel\nUR  - javascript:alert(1)\nER  -\n", "geen http- of https-adres"),
    (
        "intern.ris",
        b"TY  - RPRT\nTI  - Titel\nUR  - http://169.254.169.254/latest/\nER  -\n",
        "de link: Dit adres wijst naar een computer of intern netwerk",
    ),
]


@pytest.mark.parametrize(("name", "content", "message"), BAD_FILES)
def test_bad_files_are_refused_with_a_message(client, editor, name, content, message):
    """A file that cannot be imported gives the form again with the reason and a 400, and no
    study is written."""
    response = _upload(client, name, content)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert "Er is niets geïmporteerd" in html
    assert Study.objects.count() == 0


def test_one_bad_reference_refuses_the_whole_file(client, editor):
    """Good references in a file with a bad one are not imported either, and the message names
    the bad one by its number and title."""
    bad = "TY  - RPRT\nTI  - Foute referentie\nPY  - 3000\nER  -\n"
    response = _upload(client, "export.ris", RIS + "\n" + bad)
    assert response.status_code == 400
    assert "Referentie 3 (Foute referentie): het jaar" in response.content.decode()
    assert Study.objects.count() == 0


def test_control_characters_are_dropped_not_refused(client, editor):
    """A NUL or other control character, which the database refuses, is dropped."""
    assert _upload(client, "export.ris", b"TY  - RPRT\nTI  - Ti\x00tel\x0b\nER  -\n").status_code == 302
    assert Study.objects.get().title == "Titel"


def test_only_users_who_may_add_studies_can_import(client, site_tree):
    """The import and its menu item need the permission to add studies."""
    user = get_user_model().objects.create_user(username="lezer", password="geheim-wachtwoord")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    response = client.get(URL)  # Wagtail sends those without permission back to the dashboard
    assert (response.status_code, response["Location"]) == (302, "/admin/")
    request = RequestFactory().get("/admin/")
    request.user = user
    assert not register_import_menu_item().is_shown(request)


def test_editors_find_the_import_in_the_menu(client, editor):
    """Editors see the menu item and the form, which says what an import does."""
    # The sidebar is drawn from JSON in the page.
    assert '"url": "/admin/kennisbank/importeren/"' in client.get("/admin/").content.decode()
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'type="file"' in html and 'accept=".ris,.bib"' in html
    assert "worden overgeslagen" in html


RIS_PIECES = ["TY  - RPRT\n", "TY  - SLIDE\n", "TI  - ", "AU  - ", "PY  - ", "DO  - ", "UR  - ", "AB  - ",
              "ER  -\n", "\n", "10.1234/x", "https://example.org", "2020", "\x00", "é",
              "javascript:x"]  # fmt: skip
BIB_PIECES = ["@article{", "@misc{", "key,", "title={", "author={", "year={", "doi={", "url={", "}", ",", "=",
              " and ", "\\&", "{\\'e}", "$", "%", "\n"]  # fmt: skip


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    extension=st.sampled_from(["ris", "bib"]),
    pieces=st.lists(st.sampled_from(RIS_PIECES + BIB_PIECES) | st.text(max_size=20), max_size=40),
)
def test_any_file_is_imported_or_refused_with_a_message(client, editor, extension, pieces):
    """Whatever a file holds, the import answers 302 (imported) or 400 (refused, nothing
    written), never a 500."""
    before = Study.objects.count()
    response = _upload(client, f"bestand.{extension}", "".join(pieces).encode())
    assert response.status_code in (302, 400)
    if response.status_code == 400:
        assert Study.objects.count() == before
