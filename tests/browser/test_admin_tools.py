"""The editors' tools in a real browser with JavaScript on: the bulk import with its report, the
link report with "Nu controleren", and the dashboard's warning when scheduling has stopped."""

import re

from playwright.sync_api import expect

from knowledgebase.models import Study
from portal import links
from tests.factories import StudyFactory

from .admin_steps import editorial_staff, sign_in

RIS = """TY  - RPRT
AU  - Post, Jouke
AU  - Hooley, Tristram
TI  - Loopbaancheques in de praktijk
PY  - 2023
AB  - Hoe werkenden de cheque gebruiken.
ER  -

TY  - JOUR
AU  - Noloc
TI  - Kwaliteit van loopbaanbegeleiding
PY  - 2021
ER  -
"""


def test_editor_imports_references_and_reads_the_report(browser, browser_problems, live_site, tmp_path):
    """An editor uploads a RIS file from the admin menu, follows the import to its report, and
    finds the draft studies; a file with an impossible year is refused with the reason."""
    editorial_staff()
    good = tmp_path / "referenties.ris"
    good.write_text(RIS, encoding="utf-8")
    bad = tmp_path / "fout.ris"
    bad.write_text(RIS.replace("PY  - 2021", "PY  - 20245"), encoding="utf-8")

    editor = sign_in(browser, browser_problems, live_site.url, "redacteur")
    editor.get_by_role("link", name="Onderzoek importeren").click()
    editor.get_by_label(re.compile("RIS- of BibTeX-bestand")).set_input_files(good)
    editor.get_by_role("button", name="Importeren").click()
    editor.wait_for_url(re.compile(r"/admin/kennisbank/importeren/\d+/"))
    expect(editor.get_by_role("main")).to_contain_text("2 onderzoeken geïmporteerd als concept")
    report = editor.get_by_role("table")
    expect(report).to_contain_text("Loopbaancheques in de praktijk")
    expect(report).to_contain_text("Kwaliteit van loopbaanbegeleiding")
    assert set(Study.objects.filter(live=False).values_list("title", flat=True)) == {
        "Loopbaancheques in de praktijk",
        "Kwaliteit van loopbaanbegeleiding",
    }
    report.get_by_role("link", name="Loopbaancheques in de praktijk").click()
    editor.wait_for_url("**/study/edit/**")
    expect(editor.locator("#id_authors-0-family_name")).to_have_value("Post")
    expect(editor.locator("#id_authors-0-given_names")).to_have_value("Jouke")

    editor.get_by_role("link", name="Onderzoek importeren").click()
    editor.get_by_label(re.compile("RIS- of BibTeX-bestand")).set_input_files(bad)
    editor.get_by_role("button", name="Importeren").click()
    expect(editor.get_by_role("alert")).to_contain_text("20245")
    assert Study.objects.count() == 2


def test_board_checks_links_now_from_the_report(browser, browser_problems, live_site, monkeypatch):
    """The board opens Rapporten > Linkcontrole, which says no check has run yet, starts one with
    "Nu controleren" and sees every link with its status and the record that uses it."""
    editorial_staff()
    StudyFactory(title="Onderzoek met link", url="https://onderzoek.example.org/rapport")
    # The live server runs in this process: the check asks this stub instead of the internet.
    monkeypatch.setattr(
        links, "check_url", lambda url, fetcher=None: links.Outcome(ok=False, status_code=404)
    )

    board = sign_in(browser, browser_problems, live_site.url, "hoofdredacteur")
    board.get_by_role("button", name="Rapporten").click()
    board.get_by_role("link", name="Linkcontrole", exact=True).click()
    expect(board.get_by_role("main")).to_contain_text("Er is nog nooit een linkcontrole gedaan")
    board.get_by_role("button", name="Nu controleren").click()
    expect(board.locator(".messages")).to_contain_text("De linkcontrole is gestart")
    row = board.get_by_role("row", name=re.compile("onderzoek.example.org"))
    expect(row).to_contain_text("Werkt niet")
    expect(row).to_contain_text("HTTP 404")
    row.get_by_role("link", name=re.compile("Onderzoek met link")).click()
    board.wait_for_url("**/study/edit/**")


def test_dashboard_warns_until_the_scheduler_runs(browser, browser_problems, live_site):
    """Before any scheduler run the dashboard says scheduled publishing has stopped; after a run
    the warning is gone."""
    from django.core.management import call_command

    editorial_staff()
    editor = sign_in(browser, browser_problems, live_site.url, "redacteur")
    expect(editor.get_by_role("heading", name="Gepland publiceren staat stil")).to_be_visible()
    call_command("run_scheduler", "--once")
    editor.reload()
    expect(editor.get_by_role("heading", name="Aandacht nodig")).to_be_visible()
    expect(editor.get_by_role("heading", name="Gepland publiceren staat stil")).to_have_count(0)
