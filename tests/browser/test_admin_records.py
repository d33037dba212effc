"""The editors' journey for research questions, organisations with their relations and themes,
in a real browser with JavaScript on: created by clicking, submitted for review, approved by
the board, then public."""

import re

from playwright.sync_api import expect

from knowledgebase.models import Organisation, ResearchQuestion, Theme
from tests.factories import OrganisationFactory, StudyFactory, ThemeFactory

from .admin_steps import add_inline, approve, choose, editorial_staff, save_draft, sign_in, submit_for_review


def _approve_in_admin(browser, browser_problems, base_url, edit_url):
    board = sign_in(browser, browser_problems, base_url, "hoofdredacteur")
    board.goto(edit_url)
    approve(board)
    return board


def test_editor_creates_research_question_with_studies(browser, browser_problems, live_site):
    """An editor adds a question to the knowledge agenda with who raised it (chooser), a theme,
    and a study that addresses it (inline "add" with a study chooser); once the board approves,
    the question is on the public agenda with its study."""
    editorial_staff()
    StudyFactory(title="Evaluatie van de loopbaancheque", slug="evaluatie-cheque")
    OrganisationFactory(name="Noloc", slug="noloc")
    ThemeFactory(name="Individuele leerbudgetten", slug="leerbudgetten")

    editor = sign_in(browser, browser_problems, live_site.url, "redacteur")
    editor.goto("/admin/snippets/knowledgebase/researchquestion/add/")
    editor.locator("#id_question").fill("Welke werkenden bereikt de loopbaancheque niet?")
    editor.locator("#id_explanation").fill("De eerste evaluatie noemt lager opgeleiden en ouderen.")
    editor.locator("#id_status").select_option(label="Open")
    choose(editor, "Kies organisatie", "Noloc", "Noloc")
    editor.get_by_label("Individuele leerbudgetten").check()
    prefix = add_inline(editor, "Voeg Onderzoeken die de vraag behandelen toe", "study_links")
    choose(
        editor,
        "Kies onderzoek",
        "loopbaancheque",
        "Evaluatie van de loopbaancheque",
        scope=editor.locator(f"#inline_child_{prefix[3:-1]}"),
    )
    save_draft(editor, "aangemaakt")
    edit_url = editor.url
    submit_for_review(editor)
    question = ResearchQuestion.objects.get(question__startswith="Welke werkenden")
    assert not question.live

    board = _approve_in_admin(browser, browser_problems, live_site.url, edit_url)
    question.refresh_from_db()
    assert question.live

    board.goto(f"/kennisagenda/{question.pk}/")
    main = board.get_by_role("main")
    expect(main).to_contain_text("Welke werkenden bereikt de loopbaancheque niet?")
    expect(main.get_by_role("link", name="Noloc")).to_be_visible()
    expect(main.get_by_role("link", name=re.compile("Evaluatie van de loopbaancheque"))).to_be_visible()


def test_editor_creates_organisation_with_relation(browser, browser_problems, live_site):
    """An editor adds an organisation with a relation to another one (inline "add" with an
    organisation chooser) and its source (study chooser); it is public, with the relation on
    both organisations' pages, only after the board approves it."""
    editorial_staff()
    OrganisationFactory(name="Ministerie van Onderwijs", slug="ministerie-onderwijs", kind="ministry")
    StudyFactory(title="Landenvergelijking loopbaanbegeleiding", slug="landenvergelijking")

    editor = sign_in(browser, browser_problems, live_site.url, "redacteur")
    editor.goto("/admin/snippets/knowledgebase/organisation/add/")
    editor.locator("#id_name").fill("Nationaal Expertisecentrum Loopbaan")
    editor.locator("#id_name").blur()
    expect(editor.locator("#id_slug")).to_have_value("nationaal-expertisecentrum-loopbaan")
    editor.locator("#id_kind").select_option(label="Uitvoeringsorganisatie")
    editor.locator("#id_description").fill("Bundelt kennis over loopbaanbegeleiding voor de praktijk.")
    choose(
        editor,
        "Kies onderzoek",
        "Landenvergelijking",
        "Landenvergelijking loopbaanbegeleiding",
        scope=editor.locator("#panel-child-bron-section, [id*='bron']").first,
    )
    prefix = add_inline(editor, "Voeg Relaties met andere organisaties toe", "relations")
    editor.locator(f"#{prefix}kind").select_option(label="is uitvoeringsorganisatie van")
    choose(
        editor,
        "Kies organisatie",
        "Ministerie",
        "Ministerie van Onderwijs",
        scope=editor.locator(f"#inline_child_{prefix[3:-1]}"),
    )
    save_draft(editor, "aangemaakt")
    edit_url = editor.url
    submit_for_review(editor)

    anonymous = browser_problems.watch(browser.new_context(base_url=live_site.url)).new_page()
    browser_problems.expect("status of 404")
    assert anonymous.goto("/organisaties/nationaal-expertisecentrum-loopbaan/").status == 404
    anonymous.goto("/organisaties/ministerie-onderwijs/")
    expect(anonymous.get_by_role("main")).not_to_contain_text("Nationaal Expertisecentrum")

    _approve_in_admin(browser, browser_problems, live_site.url, edit_url)
    assert Organisation.objects.get(slug="nationaal-expertisecentrum-loopbaan").live
    anonymous.goto("/organisaties/nationaal-expertisecentrum-loopbaan/")
    main = anonymous.get_by_role("main")
    expect(main).to_contain_text("is uitvoeringsorganisatie van")
    expect(main.get_by_role("link", name="Ministerie van Onderwijs")).to_be_visible()
    expect(
        main.get_by_role("link", name=re.compile("Landenvergelijking loopbaanbegeleiding"))
    ).to_be_visible()
    anonymous.goto("/organisaties/ministerie-onderwijs/")
    expect(
        anonymous.get_by_role("main").get_by_role("link", name="Nationaal Expertisecentrum Loopbaan")
    ).to_be_visible()


def test_editor_creates_theme(browser, browser_problems, live_site):
    """An editor adds a theme with a related theme; policymakers find it on /themas/ once the
    board approves it, and not before."""
    editorial_staff()
    ThemeFactory(name="Kwaliteitsborging", slug="kwaliteitsborging")

    editor = sign_in(browser, browser_problems, live_site.url, "redacteur")
    editor.goto("/admin/snippets/knowledgebase/theme/add/")
    editor.locator("#id_name").fill("Kwetsbare groepen")
    editor.locator("#id_name").blur()
    expect(editor.locator("#id_slug")).to_have_value("kwetsbare-groepen")
    editor.locator("#id_description").fill(
        "Begeleiding voor wie de weg naar werk of scholing moeilijk vindt."
    )
    editor.get_by_label("Kwaliteitsborging").check()
    save_draft(editor, "aangemaakt")
    edit_url = editor.url
    submit_for_review(editor)

    visitor = browser_problems.watch(browser.new_context(base_url=live_site.url)).new_page()
    visitor.goto("/themas/")
    expect(visitor.get_by_role("main")).not_to_contain_text("Kwetsbare groepen")

    _approve_in_admin(browser, browser_problems, live_site.url, edit_url)
    assert Theme.objects.get(slug="kwetsbare-groepen").live
    visitor.goto("/themas/")
    visitor.get_by_role("link", name="Kwetsbare groepen").click()
    visitor.wait_for_url("**/themas/kwetsbare-groepen/")
    expect(visitor.locator("h1")).to_have_text("Kwetsbare groepen")
    expect(visitor.get_by_role("main").get_by_role("link", name="Kwaliteitsborging")).to_be_visible()
