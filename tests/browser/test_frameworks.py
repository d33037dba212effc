"""Frameworks, the framework lens and the gap map's quality, in a real browser: an editor
writes an assessment by clicking, the board approves it and the lens shows it; the public
pages pass axe and the HTML checker, and the gap map filters without JavaScript."""

import re

from playwright.sync_api import expect

from knowledgebase.models import FrameworkAssessment
from tests.factories import FrameworkElementFactory, FrameworkFactory, StudyFactory, make_country

from .admin_steps import approve, choose, editorial_staff, save_draft, sign_in, submit_for_review
from .checks import assert_accessible, assert_valid_html

PAGES = [
    "/kaders/",
    "/kaders/elgpn-principes/",
    "/kaders/elgpn-principes/lens/",
    "/kaders/oecd-beleidsprioriteiten/lens/",
    "/themas/kaart/",
    "/themas/kaart/?as=modellen&type=review&strength=limited",
]


def test_framework_pages_and_gap_map_pass_axe_and_the_html_checker(page, starter_site):
    """The frameworks, a framework, two lenses and the (filtered) gap map, filled with the
    starter content: one h1, no serious or critical axe violation, no HTML error."""
    for path in PAGES:
        response = page.goto(starter_site.url + path)
        assert response.status == 200, path
        assert page.locator("h1").count() == 1, path
        assert_accessible(page)
    assert_valid_html([starter_site.url + path for path in PAGES])


def test_gap_map_filters_without_javascript(browser, browser_problems, starter_site):
    """With JavaScript off, a policymaker narrows the gap map to reviews of at least limited
    strength; the cells give studies and strengths in text, and the CSV keeps the filter."""
    context = browser_problems.watch(browser.new_context(java_script_enabled=False))
    page = context.new_page()
    page.goto(starter_site.url + "/themas/kaart/")
    page.get_by_label("Soort onderzoek").select_option("review")
    page.get_by_label("Bewijskracht ten minste").select_option("limited")
    page.get_by_role("button", name="Filters toepassen").click()
    assert "type=review" in page.url and "strength=limited" in page.url
    table = page.locator("table.gap-map")
    expect(table).to_contain_text("Sterkste")
    expect(table).to_contain_text("Mediaan")
    expect(page.get_by_role("link", name="Download als CSV")).to_have_attribute(
        "href", re.compile(r"type=review&strength=limited")
    )
    context.close()


def test_editor_writes_an_assessment_the_board_approves_and_the_lens_shows_it(
    browser, browser_problems, live_site
):
    """An editor picks the element, the country (page chooser) and the source (study
    chooser), writes the reason and submits; the lens says "niet beschreven in de bronnen"
    until the board approves, then shows the assessment with its reason and source."""
    editorial_staff()
    study = StudyFactory(title="Mapping loopbaanondersteuning", slug="mapping-llo")
    framework = FrameworkFactory(name="Tien principes", slug="tien-principes")
    FrameworkElementFactory(framework=framework, code="4", name="Meerdere kanalen", sort_order=0)
    make_country("NO", title="Noorwegen")

    editor = sign_in(browser, browser_problems, live_site.url, "redacteur")
    editor.goto("/admin/snippets/knowledgebase/frameworkassessment/add/")
    editor.locator("#id_element").select_option(label="Tien principes 4. Meerdere kanalen")
    choose(editor, "Kies een pagina (Landenprofiel)", "Noorwegen", "Noorwegen")
    editor.locator("#id_assessment").select_option(label="Aanwezig")
    editor.locator("#id_reason").fill("Persoonlijke, groeps- en online begeleiding bouwen op elkaar voort.")
    choose(editor, "Kies onderzoek", "Mapping", "Mapping loopbaanondersteuning")
    editor.locator("#id_source_locator").fill("Noorwegen, Het aanbod")
    save_draft(editor, "aangemaakt")
    edit_url = editor.url
    submit_for_review(editor)
    assessment = FrameworkAssessment.objects.get()
    assert not assessment.live and assessment.source_study == study

    visitor = browser_problems.watch(browser.new_context(base_url=live_site.url)).new_page()
    visitor.goto("/kaders/tien-principes/lens/")
    lens = visitor.locator("table.framework-lens")
    expect(lens).to_contain_text("niet beschreven in de bronnen")
    expect(lens).not_to_contain_text("online begeleiding")

    board = sign_in(browser, browser_problems, live_site.url, "hoofdredacteur")
    board.goto(edit_url)
    approve(board)
    assessment.refresh_from_db()
    assert assessment.live

    visitor.goto("/landen/no/")
    visitor.get_by_role("link", name="Tien principes").click()
    visitor.wait_for_url("**/kaders/tien-principes/lens/#land-no")
    cell = visitor.locator("table.framework-lens tbody td").first
    expect(cell).to_contain_text("Aanwezig")
    expect(cell).to_contain_text("Persoonlijke, groeps- en online begeleiding bouwen op elkaar voort.")
    expect(cell.get_by_role("link", name="Mapping loopbaanondersteuning")).to_be_visible()
    assert_accessible(visitor)
