"""A researcher copies a study's reference: the APA reference is on the page as text, the
"Kopieer" button (added by static/js/copy-reference.js) puts it on the clipboard, and the
style chooser works as a plain form."""

from playwright.sync_api import expect

from tests.factories import StudyFactory

from .checks import assert_accessible, assert_valid_html


def test_researcher_copies_the_apa_reference(browser, browser_problems, live_site):
    """The copied text is the APA reference, family name first ("Hooley, T."); choosing
    Vancouver and "Toon" shows that style; the page passes axe and the HTML checker."""
    study = StudyFactory(
        title="The Evidence Base on Lifelong Guidance",
        slug="evidence-base",
        year=2014,
        language="en",
        publisher="ELGPN",
        doi="10.1234/elgpn.2014",
        authors=[{"family_name": "Hooley", "given_names": "Tristram"}, {"organisation": "ELGPN"}],
    )
    context = browser_problems.watch(
        browser.new_context(locale="nl-NL", permissions=["clipboard-read", "clipboard-write"])
    )
    page = context.new_page()
    page.goto(live_site.url + study.get_absolute_url())

    reference = page.locator("#referentie")
    expect(reference).to_contain_text("Hooley, T., & ELGPN. (2014).")
    expect(page.get_by_role("link", name="Naar de publicatie (DOI)")).to_have_attribute(
        "href", "https://doi.org/10.1234/elgpn.2014"
    )
    page.get_by_role("button", name="Kopieer").click()
    expect(page.locator(".copy-status")).to_have_text("De referentie is gekopieerd.")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("Hooley, T., & ELGPN. (2014). The Evidence Base on Lifelong Guidance.")
    assert copied.endswith("https://doi.org/10.1234/elgpn.2014")
    assert_accessible(page)

    page.get_by_label("Citeerstijl").select_option(label="Vancouver (NLM)")
    page.get_by_role("button", name="Toon", exact=True).click()
    page.wait_for_url("**?stijl=vancouver")
    expect(reference).to_contain_text("Hooley T, ELGPN.")
    assert_valid_html([page.url])
    context.close()


def test_reference_without_javascript(browser, browser_problems, live_site):
    """Without JavaScript there is no dead button; the reference is selectable text."""
    study = StudyFactory(slug="zonder-js", authors=["Jansen, A."], year=2020)
    context = browser_problems.watch(browser.new_context(locale="nl-NL", java_script_enabled=False))
    page = context.new_page()
    page.goto(live_site.url + study.get_absolute_url())
    expect(page.locator("#referentie")).to_contain_text("Jansen, A. (2020).")
    expect(page.get_by_role("button", name="Kopieer")).to_be_hidden()
    context.close()
