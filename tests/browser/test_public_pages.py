"""Every kind of public page, filled with the starter content, in a real browser."""

from django.core.management import call_command

from knowledgebase.models import Finding, ResearchQuestion

from .checks import assert_accessible, assert_valid_html

PAGES = [
    "/landen/",
    "/landen/fi/",
    "/landen/nl/",
    "/landen/gb-sct/",
    "/kennisinfrastructuur/",
    "/kennisinfrastructuur/linking-pin/",
    "/kennisinfrastructuur/network/",
    "/themas/",
    "/themas/kwaliteitsborging/",
    "/onderzoek/",
    "/onderzoek/?strength=moderate&sort=-year",
    "/onderzoek/oecd-2004-bridging-the-gap/",
    "/bevindingen/",
    "/organisaties/",
    "/organisaties/vdab/",
    "/kennisagenda/",
]


def test_public_pages_pass_axe_and_the_html_checker(page, live_site):
    """Country, model, theme, study, finding, organisation and agenda pages render the starter
    content, pass axe (no serious or critical violations) and have no HTML errors."""
    call_command("load_starter_content")
    finding = Finding.objects.published().order_by("pk").first()
    question = ResearchQuestion.objects.published().order_by("pk").first()
    urls = [*PAGES, finding.get_absolute_url(), question.get_absolute_url()]
    for path in urls:
        response = page.goto(live_site.url + path)
        assert response.status == 200, path
        assert page.locator("h1").count() == 1, path
        assert_accessible(page)
    assert_valid_html([live_site.url + path for path in urls])


def test_study_filters_work_without_javascript(browser, browser_problems, live_site):
    """With JavaScript off, a researcher filters the studies and opens one."""
    call_command("load_starter_content")
    context = browser_problems.watch(browser.new_context(java_script_enabled=False))
    page = context.new_page()
    page.goto(live_site.url + "/onderzoek/")
    page.locator("select[name=strength]").select_option("moderate")
    page.locator("form.filters button[type=submit]").first.click()
    assert "strength=moderate" in page.url
    first = page.locator("main article.card h3 a").first
    title = first.inner_text()
    first.click()
    assert page.locator("h1").inner_text() == title
    assert page.get_by_text("Bewijskracht: Redelijk").count() >= 1
    context.close()


def test_english_visitor_reads_a_translation_and_is_told_when_there_is_none(page, starter_site):
    """After choosing English, a translated profile reads in English at its Dutch address; an
    untranslated one says so and keeps its text marked Dutch. Both pass axe."""
    from wagtail.models import Locale

    from countries.models import CountryPage

    finland = CountryPage.objects.get(code="FI", locale__language_code="nl")
    english = finland.copy_for_translation(Locale.objects.get(language_code="en"), copy_parents=True)
    english.summary = "Finland brings guidance together in a national network of services."
    english.save_revision().publish()

    page.goto(starter_site.url + "/landen/fi/")
    page.get_by_role("button", name="English").click()
    page.wait_for_url(starter_site.url + "/landen/fi/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator(".lead").inner_text() == english.summary
    assert page.locator("main").get_attribute("lang") is None
    assert page.locator(".language-notice").count() == 0
    assert_accessible(page)

    page.goto(starter_site.url + "/landen/no/")
    assert page.locator("main").get_attribute("lang") == "nl"
    notice = page.locator(".language-notice")
    assert notice.is_visible() and notice.get_attribute("lang") == "en"
    assert_accessible(page)
