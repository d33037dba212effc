"""Bulk import of studies from a reference manager (RIS, BibTeX) in the admin: an upload
becomes an import job, imported in the background (eagerly here), with a page that follows it
and reports on every reference."""

from datetime import timedelta
from html import unescape

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from modelsearch.backends import get_search_backend
from wagtail.models import ModelLogEntry

from kit.downloads import clean_text
from knowledgebase import imports
from knowledgebase.models import ImportJob, Study
from knowledgebase.wagtail_hooks import register_import_menu_item
from portal.services import BOARD, EDITORS
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
  author = {Jansen, A. and Pietersen, C. and {Stichting Loopbaan and Werk} and M{\"u}ller, D.},
  year = {2019},
  institution = {Euroguidance},
  language = {english},
  doi = {10.1234/kwaliteit.2019},
}
"""


def _user(username, group):
    user = get_user_model().objects.create_user(username=username, password="geheim-wachtwoord")
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def editor(client, site_tree):
    user = _user("redacteur", EDITORS)
    client.force_login(user)
    return user


@pytest.fixture
def run_tasks(django_capture_on_commit_callbacks):
    """Run what an upload queues once it commits: the import task (eager without Redis)."""

    def upload(client, name, content):
        data = content.encode() if isinstance(content, str) else content
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(URL, {"file": SimpleUploadedFile(name, data)})

    return upload


def _job_page(client, response):
    assert response.status_code == 302, response.content.decode()[:2000]
    page = client.get(response["Location"])
    assert page.status_code == 200
    return page


def test_ris_records_become_draft_studies(client, editor, run_tasks):
    """Each reference becomes a draft study with its fields and authors in order, a first
    revision and a log entry by the editor, and no public page until it is published; the
    editor lands on the import's page, which reports on every reference."""
    response = run_tasks(client, "export.ris", RIS)
    job = ImportJob.objects.get()
    assert response["Location"] == reverse("kennisbank_import_job", args=[job.pk])
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
    assert (report.live, report.strength, report.has_unpublished_changes) == (False, "indicative", True)
    assert report.latest_revision.user == editor
    assert report.latest_revision.as_object().author_names == ["Jansen, A.", "De Vries, B."]
    entry = ModelLogEntry.objects.get(object_id=str(report.pk))
    assert (entry.action, entry.user, entry.revision) == ("wagtail.create", editor, report.latest_revision)
    assert presentation.study_type == "presentation"
    assert presentation.summary == imports.PLACEHOLDER_SUMMARY
    assert client.get(report.get_absolute_url()).status_code == 404

    html = _job_page(client, response).content.decode()
    assert "2 onderzoeken geïmporteerd als concept." in html
    assert reverse("wagtailsnippets_knowledgebase_study:edit", args=[report.pk]) in html
    assert 'http-equiv="refresh"' not in html, "a finished import does not reload itself"
    job.refresh_from_db()
    assert (job.status, job.references, job.created_count, job.skipped_count) == ("done", 2, 2, 0)
    assert job.report == [
        [1, report.title, "created", report.pk],
        [2, presentation.title, "created", presentation.pk],
    ]


def test_imported_drafts_are_indexed_once_each(client, editor, run_tasks, monkeypatch):
    """Every imported study gets one search-index update (not one per save), and the admin's
    search backend finds the draft by its words."""
    indexed = []
    backend = get_search_backend()
    original = type(backend).add_bulk

    def add_bulk(self, model, objects):
        indexed.extend(obj.pk for obj in objects)
        return original(self, model, objects)

    monkeypatch.setattr(type(backend), "add_bulk", add_bulk)
    monkeypatch.setattr("modelsearch.index.insert_or_update_object", lambda *a: indexed.append("single"))
    _job_page(client, run_tasks(client, "export.ris", RIS))
    assert sorted(indexed) == sorted(Study.objects.values_list("pk", flat=True))
    found = backend.search("loopbaancheques", Study)
    assert [study.title for study in found] == ["Loopbaanbegeleiding voor volwassenen in Vlaanderen"]


def test_bibtex_records_are_decoded(client, editor, run_tasks):
    """BibTeX braces and escapes are read as text, authors are split, a corporate author in
    braces stays one author, the institution is the publisher."""
    _job_page(client, run_tasks(client, "export.bib", BIBTEX))
    study = Study.objects.get()
    assert study.title == "Kwaliteit van Loopbaanbegeleiding & professionalisering"
    assert study.author_names == ["Jansen, A.", "Pietersen, C.", "Stichting Loopbaan and Werk", "Müller, D."]
    assert (study.year, study.publisher, study.language, study.doi) == (
        2019,
        "Euroguidance",
        "en",
        "10.1234/kwaliteit.2019",
    )


def test_a_ris_date_gives_its_year(client, editor, run_tasks):
    """A RIS year written as a date (``2019/05/01/``, ``2018///``) is read as that year."""
    ris = (
        "TY  - RPRT\nTI  - Met datum\nPY  - 2019/05/01/\nER  -\n\n"
        "TY  - RPRT\nTI  - Lege delen\nPY  - 2018///\nER  -\n"
    )
    _job_page(client, run_tasks(client, "datum.ris", ris))
    assert sorted(Study.objects.values_list("year", flat=True)) == [2018, 2019]


def test_studies_already_present_are_skipped(client, editor, run_tasks):
    """A reference with the DOI, or the title and year, of a study in the knowledge base is
    skipped, and so is a repeat within the file; the report says which and why; the portal's
    own RIS export comes back as duplicates only."""
    existing = StudyFactory(title="Presentatie over kwaliteitskaders", year=None)
    exported = StudyFactory(doi="10.1234/export.2020", year=2020, authors=["Auteur, A."])
    html = _job_page(client, run_tasks(client, "export.ris", RIS + RIS)).content.decode()
    assert Study.objects.exclude(pk__in=[existing.pk, exported.pk]).count() == 1
    summary = "1 onderzoek geïmporteerd als concept. 3 referenties stonden er al in en zijn overgeslagen."
    assert summary in html
    assert [outcome for _number, _title, outcome, _pk in ImportJob.objects.get().report] == [
        "created",
        "present",
        "repeated",
        "repeated",
    ]
    assert "Overgeslagen: staat eerder in dit bestand" in html
    own_export = client.get(reverse("knowledgebase:study_citation_ris", args=[exported.slug])).content
    _job_page(client, run_tasks(client, "eigen.ris", own_export))
    assert Study.objects.count() == 3


def test_a_title_in_another_case_is_the_same_study(client, editor, run_tasks):
    """Title and year are compared without regard to case, as before."""
    StudyFactory(title="presentatie over KWALITEITSKADERS", year=None)
    _job_page(client, run_tasks(client, "export.ris", RIS))
    assert Study.objects.count() == 2


def test_slugs_stay_unique(client, editor, run_tasks):
    """Studies whose titles give the same slug as each other or as a study in the knowledge
    base get numbered slugs."""
    StudyFactory(title="Jaarverslag", slug="jaarverslag")
    StudyFactory(title="Jaarverslag oud", slug="jaarverslag-2")
    ris = "".join(f"TY  - RPRT\nTI  - Jaarverslag\nPY  - {year}\nER  -\n\n" for year in (2021, 2022))
    _job_page(client, run_tasks(client, "jaarverslagen.ris", ris))
    assert set(Study.objects.values_list("slug", flat=True)) == {
        "jaarverslag",
        "jaarverslag-2",
        "jaarverslag-3",
        "jaarverslag-4",
    }


REFUSED_AT_UPLOAD = [
    ("leeg.ris", b"", "leeg"),
    ("spaties.ris", b"  \n", "leeg"),
    ("latin1.ris", "TY  - RPRT\nTI  - Caf\u00e9\nER  -\n".encode("latin-1"), "geen tekst in UTF-8"),
    ("plaatje.png", b"\x89PNG\r\n", "Kies een RIS-bestand"),
    ("groot.ris", b"x" * (imports.MAX_FILE_BYTES + 1), "groter dan 10 MB"),
]


@pytest.mark.parametrize(("name", "content", "message"), REFUSED_AT_UPLOAD)
def test_files_that_cannot_be_an_import_are_refused_at_once(
    client, editor, run_tasks, name, content, message
):
    """A file that is empty, too large, of another type or not UTF-8 gives the form again with
    the reason and a 400; no job and no study is written."""
    response = run_tasks(client, name, content)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert "Er is niets geïmporteerd" in html
    assert (ImportJob.objects.count(), Study.objects.count()) == (0, 0)


REFUSED_ON_IMPORT = [
    ("tekst.ris", b"Dit is geen RIS.", "bevat geen enkele referentie"),
    ("kapot.bib", b"@article{x, title=", "onleesbare regels"),
    (
        "veel.ris",
        ("TY  - RPRT\nTI  - Titel\nER  -\n\n" * (imports.MAX_RECORDS + 1)).encode(),
        "hoogstens 5000",
    ),
    ("geen-titel.ris", b"TY  - RPRT\nPY  - 2020\nER  -\n", "de titel ontbreekt"),
    ("jaar.ris", b"TY  - RPRT\nTI  - Titel\nPY  - 20xx\nER  -\n", "geen jaar tussen 1900 en 2100"),
    ("vijf-cijfers.ris", b"TY  - RPRT\nTI  - Titel\nPY  - 20245\nER  -\n", "het jaar '20245' is geen jaar"),
    ("letters.ris", b"TY  - RPRT\nTI  - Titel\nPY  - 2019abc\nER  -\n", "het jaar '2019abc' is geen jaar"),
    ("letters.bib", b"@misc{a, title={Titel}, year={2019abc}}", "het jaar '2019abc' is geen jaar"),
    ("doi.ris", b"TY  - RPRT\nTI  - Titel\nDO  - geen-doi\nER  -\n", "heeft niet de vorm 10.1234/abcd"),
    ("link.ris", b"TY  - RPRT\nTI  - Titel\nUR  - javascript:alert(1)\nER  -\n", "geen http- of https-adres"),
    (
        "intern.ris",
        b"TY  - RPRT\nTI  - Titel\nUR  - http://169.254.169.254/latest/\nER  -\n",
        "de link: Dit adres wijst naar een computer of intern netwerk",
    ),
]


@pytest.mark.parametrize(("name", "content", "message"), REFUSED_ON_IMPORT)
def test_files_with_a_bad_reference_are_refused_with_a_message(
    client, editor, run_tasks, name, content, message
):
    """A file whose references cannot all be imported is refused: the import's page says why
    (naming the reference) and nothing is written. A year is never cut to four digits."""
    html = unescape(_job_page(client, run_tasks(client, name, content)).content.decode())
    assert message in html
    assert "Er is niets geïmporteerd" in html
    assert ImportJob.objects.get().status == "refused"
    assert Study.objects.count() == 0


def test_one_bad_reference_refuses_the_whole_file(client, editor, run_tasks):
    """Good references in a file with a bad one are not imported either, and the message names
    the bad one by its number and title."""
    bad = "TY  - RPRT\nTI  - Foute referentie\nPY  - 3000\nER  -\n"
    html = _job_page(client, run_tasks(client, "export.ris", RIS + "\n" + bad)).content.decode()
    assert "Referentie 3 (Foute referentie): het jaar" in html
    assert Study.objects.count() == 0


def test_control_characters_are_dropped_not_refused(client, editor, run_tasks):
    """A NUL or other control character, which the database refuses, is dropped."""
    _job_page(client, run_tasks(client, "export.ris", b"TY  - RPRT\nTI  - Ti\x00tel\x0b\nER  -\n"))
    assert Study.objects.get().title == "Titel"


def test_an_error_while_writing_leaves_nothing_behind(client, editor, run_tasks, monkeypatch):
    """When writing fails half-way (the second batch), the first batch is rolled back too, and
    the import's page says that nothing was imported."""
    monkeypatch.setattr(imports, "BATCH_SIZE", 1)
    original = imports._save
    calls = []

    def failing_save(studies, user):
        calls.append(studies)
        if len(calls) == 2:
            raise RuntimeError("schijf vol")
        return original(studies, user)

    monkeypatch.setattr(imports, "_save", failing_save)
    html = _job_page(client, run_tasks(client, "export.ris", RIS)).content.decode()
    assert "er is niets geïmporteerd" in html
    assert Study.objects.count() == 0
    assert ImportJob.objects.get().status == "refused"


def test_the_task_is_safe_to_run_twice(client, editor, run_tasks):
    """A second run of a finished import changes nothing; an import interrupted long ago (its
    transaction rolled back) is run again, one that is running now is left alone."""
    _job_page(client, run_tasks(client, "export.ris", RIS))
    job = ImportJob.objects.get()
    imports.import_job_run(job_id=job.pk)
    assert Study.objects.count() == 2

    other = ImportJob.objects.create(user=editor, file_name="b.ris", data=b"TY  - RPRT\nTI  - Nieuw\nER  -\n")
    ImportJob.objects.filter(pk=other.pk).update(status="running", started_at=timezone.now())
    imports.import_job_run(job_id=other.pk)
    assert Study.objects.count() == 2, "a running import is not started twice"
    ImportJob.objects.filter(pk=other.pk).update(started_at=timezone.now() - timedelta(hours=1))
    imports.import_job_run(job_id=other.pk)
    assert Study.objects.count() == 3
    assert ImportJob.objects.get(pk=other.pk).status == "done"


@pytest.mark.parametrize("count", [10, 200])
def test_statements_do_not_grow_with_the_references(editor, count, django_assert_max_num_queries):
    """An import writes in bulk (studies, authors, revisions, log entries, search index): 200
    references take the same dozen statements as 10, not a few per reference."""
    records = imports.read(
        "bulk.ris",
        "".join(
            f"TY  - RPRT\nTI  - Studie {i}\nAU  - Auteur, A.\nAU  - Tweede, B.\nPY  - 2020\n"
            f"DO  - 10.1234/bulk.{i}\nER  -\n\n"
            for i in range(count)
        ).encode(),
    )
    with django_assert_max_num_queries(15):
        outcome = imports.import_records(records, user=editor)
    assert len(outcome.created) == count


def test_a_queued_import_reloads_itself_until_it_is_done(client, editor):
    """While an import waits or runs, its page reloads every few seconds and says so, with a
    link to stop that; the editor can reload by hand."""
    job = ImportJob.objects.create(user=editor, file_name="wacht.ris", data=b"x")
    url = reverse("kennisbank_import_job", args=[job.pk])
    html = client.get(url).content.decode()
    assert '<meta http-equiv="refresh" content="5">' in html
    assert "wachtrij" in html and "?vernieuwen=nee" in html
    html = client.get(url, {"vernieuwen": "nee"}).content.decode()
    assert 'http-equiv="refresh"' not in html
    assert "Nu vernieuwen" in html


def test_only_the_uploader_and_the_board_see_an_import(client, editor, run_tasks, django_user_model):
    """Another editor gets a 404 for someone else's import and does not see it in the list;
    the board and superusers see every import."""
    _job_page(client, run_tasks(client, "export.ris", RIS))
    url = reverse("kennisbank_import_job", args=[ImportJob.objects.get().pk])
    client.force_login(_user("collega", EDITORS))
    assert client.get(url).status_code == 404
    assert "export.ris" not in client.get(URL).content.decode()
    client.force_login(_user("hoofdredacteur", BOARD))
    assert client.get(url).status_code == 200
    assert "export.ris" in client.get(URL).content.decode()
    client.force_login(
        django_user_model.objects.create_superuser("beheer", "b@example.org", "wachtwoord-123")
    )
    assert client.get(url).status_code == 200
    client.logout()
    assert client.get(url).status_code == 302, "anonymous visitors are sent to the sign-in page"


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
    """Editors see the menu item and the form, which says what an import does and its limits."""
    # The sidebar is drawn from JSON in the page.
    assert '"url": "/admin/kennisbank/importeren/"' in client.get("/admin/").content.decode()
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'type="file"' in html and 'accept=".ris,.bib"' in html
    assert "worden overgeslagen" in html
    assert "hoogstens 10 MB en 5.000 referenties" in html


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
def test_any_file_is_imported_or_refused_with_a_message(client, editor, run_tasks, extension, pieces):
    """Whatever a file holds, the upload answers 302 (an import) or 400 (refused at once), never
    a 500; an import ends imported or refused with a message, and a refused one writes nothing."""
    before = Study.objects.count()
    response = run_tasks(client, f"bestand.{extension}", "".join(pieces).encode())
    assert response.status_code in (302, 400)
    if response.status_code == 400:
        assert Study.objects.count() == before
        return
    job = ImportJob.objects.latest("pk")
    assert job.status in ("done", "refused")
    if job.status == "refused":
        assert job.messages and Study.objects.count() == before


LATEX_PIECES = ["a", "B", "é", " ", "1", ",", "\\&", "\\%", "\\_", "\\#", "\\$", "\\{", "\\}", "{", "}"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(LATEX_PIECES), max_size=30))
@example(pieces=["{", " ", "}"])
def test_simple_latex_reads_as_pylatexenc_reads_it(pieces):
    """BibTeX text with only escaped specials and braces (what reference managers write most)
    is decoded by hand, quickly, to the same text pylatexenc gives."""
    value = "".join(pieces)
    assert imports._latex_text(value) == clean_text(imports._latex.latex_to_text(clean_text(value)))
