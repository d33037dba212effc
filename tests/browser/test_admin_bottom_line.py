"""Issue 21: an editor writes a theme's bottom line ("Wat we weten") in the admin, by
clicking, with a claim citing a finding; the board approves it and the theme hub shows it."""

from playwright.sync_api import expect

from knowledgebase.models import BottomLine
from tests.factories import FindingFactory, StudyFactory, ThemeFactory

from .admin_steps import (
    approve,
    choose,
    editorial_staff,
    fill_rich_text,
    save_draft,
    sign_in,
    submit_for_review,
)


def test_editor_writes_bottom_line_board_approves(browser, browser_problems, live_site):
    editorial_staff()
    theme = ThemeFactory(name="Individuele leerbudgetten", slug="leerbudgetten")
    study = StudyFactory(title="Evaluatie van de loopbaancheque", slug="evaluatie-cheque", strength="limited")
    FindingFactory(
        statement="Vooral hoogopgeleiden gebruiken de loopbaancheque.",
        study=study,
        locator="Dia 12",
        strength="limited",
        themes=[theme],
    )

    editor = sign_in(browser, browser_problems, live_site.url, "redacteur")
    editor.goto("/admin/snippets/knowledgebase/bottomline/add/")
    choose(editor, "Kies thema", "leerbudgetten", "Individuele leerbudgetten")
    summary = editor.locator("[data-contentpath='summary']").first
    summary.get_by_role("button", name="Blok invoegen").first.click()
    fill_rich_text(editor, summary, "De cheque bereikt vooral hoogopgeleide werkenden.")
    findings = summary.locator("[data-contentpath='findings']").first
    choose(editor, "Kies bevinding", "hoogopgeleiden", "Vooral hoogopgeleiden", scope=findings)
    editor.locator("#id_confidence").select_option(label="Beperkt")
    editor.locator("#id_last_reviewed").fill("2026-12-04")
    editor.locator("#id_confidence_reason").fill("Eén evaluatie, alleen bekend via een dia.")
    save_draft(editor, "aangemaakt")
    edit_url = editor.url
    submit_for_review(editor)
    line = BottomLine.objects.get(theme=theme)
    assert not line.live
    editor.goto("/themas/leerbudgetten/")
    expect(editor.get_by_role("main")).not_to_contain_text("De cheque bereikt vooral")

    board = sign_in(browser, browser_problems, live_site.url, "hoofdredacteur")
    board.goto(edit_url)
    approve(board)
    line.refresh_from_db()
    assert line.live

    board.goto("/themas/leerbudgetten/")
    section = board.get_by_role("region", name="Wat we weten")
    expect(section).to_contain_text("De cheque bereikt vooral hoogopgeleide werkenden.")
    expect(
        section.get_by_role("link", name="Vooral hoogopgeleiden gebruiken de loopbaancheque.")
    ).to_be_visible()
    expect(section).to_contain_text("Zekerheid: Beperkt")
