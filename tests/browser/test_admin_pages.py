"""The editors' journey for pages, in a real browser with JavaScript on: a country profile with
a cited section (StreamField block, rich text, study chooser), a comparable fact and a website
(inline "add" buttons with source choosers), and a model page with a worked example; each
submitted for review, approved by the board and then public."""

import re

from playwright.sync_api import expect

from countries.models import CountryPage
from models_infra.models import InfrastructureModelPage
from tests.factories import (
    DimensionFactory,
    OrganisationFactory,
    StudyFactory,
    country_index,
    make_country,
    model_index,
)

from .admin_steps import (
    add_inline,
    approve,
    choose,
    editorial_staff,
    fill_rich_text,
    save_draft,
    sign_in,
    submit_for_review,
)


def _add_page(page, parent, page_type):
    """Add a page of ``page_type`` under ``parent`` from the explorer's listing of ``parent``
    ("Voeg onderliggende pagina toe")."""
    page.goto(f"/admin/pages/{parent.pk}/")
    page.get_by_role("link", name="Voeg onderliggende pagina toe").first.click()
    page.wait_for_url(re.compile(r"/admin/pages/(add/|\d+/add_subpage/)"))
    if "add_subpage" in page.url:
        page.get_by_role("link", name=page_type).first.click()
    page.wait_for_url("**/add/**")


def test_editor_creates_country_profile_with_section_fact_and_website(browser, browser_problems, live_site):
    """An editor writes a country profile with a cited paragraph, a comparable fact and a
    website, each with its source picked in the study chooser; once the board approves it,
    the profile is public with all three."""
    editorial_staff()
    StudyFactory(title="Mapping loopbaanbeleid in Europa", slug="mapping")
    DimensionFactory(name="Wettelijke basis", slug="wettelijke-basis", section="policy")

    editor = sign_in(browser, browser_problems, live_site.url, "redacteur")
    _add_page(editor, country_index(), "Landenprofiel")
    editor.locator("#id_title").fill("Estland")
    editor.locator("#id_code").select_option(value="EE")
    editor.locator("#id_summary").fill("Estland combineert een centrale dienst met regionale loketten.")

    editor.get_by_role("tab", name="Secties").click()
    context_section = editor.locator("[data-contentpath='context']").first
    context_section.get_by_role("button", name="Blok invoegen").first.click()
    fill_rich_text(editor, context_section, "Loopbaanbegeleiding valt onder het ministerie van onderwijs.")
    choose(editor, "Kies onderzoek", "Mapping", "Mapping loopbaanbeleid in Europa", scope=context_section)
    context_section.get_by_role("textbox", name="Vindplaats").fill("§ 4.2")

    editor.get_by_role("tab", name="Feiten en websites").click()
    fact = add_inline(editor, "Voeg Feit toe", "facts")
    fact_form = editor.locator(f"#inline_child_{fact[3:-1]}")
    choose(editor, "Kies vergelijkingsdimensie", "Wettelijke", "Wettelijke basis", scope=fact_form)
    editor.locator(f"#{fact}value").fill("Ja, sinds 2019")
    choose(editor, "Kies onderzoek", "Mapping", "Mapping loopbaanbeleid in Europa", scope=fact_form)
    website = add_inline(editor, "Voeg Website toe", "websites")
    editor.locator(f"#{website}name").fill("Loopbaanportaal Estland")
    editor.locator(f"#{website}url").fill("https://loopbaan.example.org/")
    choose(
        editor,
        "Kies onderzoek",
        "Mapping",
        "Mapping loopbaanbeleid in Europa",
        scope=editor.locator(f"#inline_child_{website[3:-1]}"),
    )
    save_draft(editor, "aangemaakt")
    edit_url = editor.url
    submit_for_review(editor)
    profile = CountryPage.objects.get(title="Estland")
    assert not profile.live

    board = sign_in(browser, browser_problems, live_site.url, "hoofdredacteur")
    board.goto(edit_url)
    approve(board, message="Estland")
    profile.refresh_from_db()
    assert profile.live

    board.goto(profile.url)
    main = board.get_by_role("main")
    expect(main).to_contain_text("Loopbaanbegeleiding valt onder het ministerie van onderwijs.")
    expect(main).to_contain_text("Ja, sinds 2019")
    expect(main.get_by_role("link", name="Loopbaanportaal Estland")).to_be_visible()
    expect(
        main.get_by_role("link", name=re.compile("Mapping loopbaanbeleid in Europa")).first
    ).to_be_visible()


def test_editor_creates_model_page_with_worked_example(browser, browser_problems, live_site):
    """An editor writes a knowledge-infrastructure model page with a cited strength and a worked
    example (country chooser, organisations, source chooser); once approved it is public."""
    editorial_staff()
    StudyFactory(title="Verkenning kennisinfrastructuur", slug="verkenning")
    make_country("FI", title="Finland")
    OrganisationFactory(name="Onderwijsraad Finland", slug="onderwijsraad-finland", country_code="FI")

    editor = sign_in(browser, browser_problems, live_site.url, "redacteur")
    _add_page(editor, model_index(), "Kennisinfrastructuurmodel")
    editor.locator("#id_title").fill("Netwerk")
    editor.locator("#id_key").select_option(value="network")
    editor.locator("#id_summary").fill("Kennis ontstaat in een netwerk van gelijkwaardige partners.")
    fill_rich_text(
        editor,
        editor.locator("[data-contentpath='definition']").first,
        "Een netwerk verbindt onderzoek, praktijk en beleid zonder centrale spil.",
    )
    strengths = editor.locator("[data-contentpath='strengths']").first
    strengths.get_by_role("button", name="Blok invoegen").first.click()
    strengths.get_by_role("textbox", name=re.compile("Punt")).fill("Veel partners dragen bij.")
    choose(editor, "Kies onderzoek", "Verkenning", "Verkenning kennisinfrastructuur", scope=strengths)

    example = add_inline(editor, "Voeg Voorbeeld toe", "examples")
    example_form = editor.locator(f"#inline_child_{example[3:-1]}")
    editor.locator(f"#{example}title").fill("Finland: een nationaal forum")
    choose(editor, "Kies een pagina", "Finland", "Finland", scope=example_form)
    editor.locator(f"#{example}organisations").select_option(label="Onderwijsraad Finland")
    editor.locator(f"#{example}description").fill("Een forum brengt ministeries en uitvoerders samen.")
    choose(editor, "Kies onderzoek", "Verkenning", "Verkenning kennisinfrastructuur", scope=example_form)
    save_draft(editor, "aangemaakt")
    edit_url = editor.url
    submit_for_review(editor)

    board = sign_in(browser, browser_problems, live_site.url, "hoofdredacteur")
    board.goto(edit_url)
    approve(board, message="Netwerk")
    model = InfrastructureModelPage.objects.get(title="Netwerk")
    assert model.live

    board.goto(model.url)
    main = board.get_by_role("main")
    expect(main).to_contain_text("Een netwerk verbindt onderzoek, praktijk en beleid")
    expect(main).to_contain_text("Veel partners dragen bij.")
    expect(main).to_contain_text("Finland: een nationaal forum")
    expect(main.get_by_role("link", name="Onderwijsraad Finland").first).to_be_visible()
