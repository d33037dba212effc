"""A visitor's first steps: the home page, the admin login and a missing page."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from .checks import assert_accessible, assert_valid_html


def test_home_page_works_and_is_accessible(page, live_site):
    """The home page shows the portal, its navigation and footer, and passes axe."""
    page.goto(live_site.url + "/")
    expect(page.locator("h1")).to_have_text("Kennisportaal Loopbaanbegeleiding")  # soft hyphens aside
    assert page.locator("html").get_attribute("lang") == "nl"
    assert page.get_by_role("navigation", name="Hoofdmenu").is_visible()
    assert page.get_by_role("link", name="Toegankelijkheid").is_visible()
    assert_accessible(page)


def test_skip_link_moves_focus_to_main_content(page, live_site):
    """The first Tab reaches the skip link, which jumps to the main content."""
    page.goto(live_site.url + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused.strip() == "Naar de inhoud"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "inhoud"


def test_pages_work_without_javascript(browser, browser_problems, live_site):
    """With JavaScript off, the navigation and the footer pages still work."""
    context = browser_problems.watch(browser.new_context(java_script_enabled=False))
    page = context.new_page()
    page.goto(live_site.url + "/")
    page.get_by_role("link", name="Privacy").click()
    expect(page.locator("h1")).to_have_text("Privacyverklaring")
    context.close()


def test_language_switch_shows_the_english_interface(page, live_site):
    """The language button switches the interface to English and back."""
    page.goto(live_site.url + "/over/")
    page.get_by_role("button", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("link", name="Skip to content").count() == 1
    page.get_by_role("button", name="Nederlands").click()
    assert page.locator("html").get_attribute("lang") == "nl"


def test_admin_login_works(page, live_site):
    """An editor can sign in to the Wagtail admin."""
    get_user_model().objects.create_superuser("beheer", "beheer@example.org", "een-lang-wachtwoord-123")
    page.goto(live_site.url + "/admin/login/")
    assert_accessible(page)
    page.fill("input[name=username]", "beheer")
    page.fill("input[name=password]", "een-lang-wachtwoord-123")
    page.locator("button[type=submit]").click()
    page.wait_for_url("**/admin/")
    assert page.get_by_role("main").is_visible()


def test_not_found_page_is_dutch_and_accessible(page, browser_problems, live_site):
    """A missing page says so in Dutch, in the site layout, and passes axe."""
    browser_problems.expect("status of 404")
    response = page.goto(live_site.url + "/bestaat-niet/")
    assert response.status == 404
    assert page.locator("h1").inner_text() == "Pagina niet gevonden"
    assert_accessible(page)


@pytest.mark.parametrize("path", ["/", "/over/", "/toegankelijkheid/", "/privacy/"])
def test_generic_pages_pass_axe(page, live_site, path):
    """The generic pages pass axe with no serious or critical violations."""
    page.goto(live_site.url + path)
    assert_accessible(page)


def test_foundation_pages_are_valid_html(live_site):
    """The Nu HTML checker finds no errors on the home, generic and 404 pages."""
    urls = [live_site.url + p for p in ("/", "/over/", "/toegankelijkheid/", "/privacy/")]
    assert_valid_html(urls)
