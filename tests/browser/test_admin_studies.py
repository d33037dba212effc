"""The editors' journey for studies and findings, in a real browser with JavaScript on: an
editor creates a study with two personal authors and an organisation, a document and two
findings by clicking, submits it for review, and a board member publishes the study and its
findings in one go."""

import re

from playwright.sync_api import expect

from knowledgebase.models import Finding, Study

from .admin_steps import (
    add_inline,
    approve,
    choose,
    editorial_staff,
    save_draft,
    sign_in,
    submit_for_review,
    upload_document,
)

TITLE = "Loopbaancheques nader bekeken"


def _finding(page, statement, slug, locator):
    page.locator("#id_statement").fill(statement)
    page.locator("#id_slug").fill(slug)
    page.locator("#id_locator").fill(locator)
    page.locator("#id_strength").select_option(label="Beperkt")


def test_editor_creates_study_with_authors_document_and_findings(
    browser, browser_problems, live_site, tmp_path
):
    """An editor adds a study with three authors (inline "add"), uploads its PDF through the
    document chooser and adds two findings, one from the study's screen and one through the
    study chooser; after submission the board sees what will go live and publishes study and
    findings with one approval, and the public study page shows all of it."""
    editorial_staff()
    pdf = tmp_path / "loopbaancheques.pdf"
    pdf.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")

    editor = sign_in(browser, browser_problems, live_site.url, "redacteur")
    editor.goto("/admin/snippets/knowledgebase/study/add/")
    editor.locator("#id_title").fill(TITLE)
    editor.locator("#id_title").blur()
    expect(editor.locator("#id_slug")).to_have_value("loopbaancheques-nader-bekeken")
    for given, particle, family in (("Jouke", "", "Post"), ("P.J.", "van", "Bochove")):
        prefix = add_inline(editor, "Voeg Auteur toe", "authors")
        editor.locator(f"#{prefix}given_names").fill(given)
        editor.locator(f"#{prefix}particle").fill(particle)
        editor.locator(f"#{prefix}family_name").fill(family)
    prefix = add_inline(editor, "Voeg Auteur toe", "authors")
    editor.locator(f"#{prefix}organisation").fill("Noloc")
    editor.locator("#id_year").fill("2023")
    editor.locator("#id_study_type").select_option(label="Evaluatie")
    editor.locator("#id_summary").fill("Een evaluatie van de loopbaancheques, in eigen woorden samengevat.")
    editor.locator("#id_strength").select_option(label="Redelijk")
    upload_document(editor, "Kies een document", "Rapport loopbaancheques", pdf)
    save_draft(editor, "aangemaakt")
    study_edit_url = editor.url

    editor.get_by_role("link", name="Bevinding toevoegen").click()
    editor.wait_for_url("**/finding/add/**")
    _finding(
        editor, "Werkenden gebruiken de cheque vooral voor een oriënterend gesprek.", "cheque-gesprek", "§ 2"
    )
    save_draft(editor, "aangemaakt")

    editor.goto("/admin/snippets/knowledgebase/finding/add/")
    _finding(editor, "De cheque bereikt lager opgeleiden nog weinig.", "cheque-bereik", "§ 3")
    choose(editor, "Kies onderzoek", "Loopbaancheques", TITLE)
    save_draft(editor, "aangemaakt")

    editor.goto(study_edit_url)
    submit_for_review(editor)
    study = Study.objects.get(slug="loopbaancheques-nader-bekeken")
    assert not study.live
    assert [author.name for author in study.authors.all()] == ["Post, Jouke", "van Bochove, P.J.", "Noloc"]
    assert [author.to_csl() for author in study.authors.all()] == [
        {"family": "Post", "given": "Jouke"},
        {"family": "Bochove", "given": "P.J.", "non-dropping-particle": "van"},
        {"literal": "Noloc"},
    ]
    assert study.document is not None

    board = sign_in(browser, browser_problems, live_site.url, "hoofdredacteur")
    board.goto(study_edit_url)
    going_live = board.get_by_role("region", name=re.compile("Gaat mee live"))
    expect(going_live).to_contain_text("Werkenden gebruiken de cheque")
    expect(going_live).to_contain_text("De cheque bereikt lager opgeleiden")
    approve(board)

    study.refresh_from_db()
    assert study.live
    assert set(Finding.objects.filter(study=study, live=True).values_list("slug", flat=True)) == {
        "cheque-gesprek",
        "cheque-bereik",
    }

    visitor = board.context.new_page()
    visitor.goto(f"{live_site.url}/onderzoek/{study.slug}/")
    expect(visitor.locator("h1")).to_contain_text(TITLE)
    expect(visitor.get_by_role("main")).to_contain_text("Post, Jouke")
    expect(visitor.locator("#referentie")).to_contain_text("Post, J., van Bochove, P. J., & Noloc. (2023).")
    expect(visitor.get_by_role("main")).to_contain_text("Werkenden gebruiken de cheque")
    expect(visitor.get_by_role("main")).to_contain_text("De cheque bereikt lager opgeleiden")
    expect(
        visitor.get_by_role("link", name=re.compile("Rapport loopbaancheques|Download|document", re.I)).first
    ).to_be_visible()
