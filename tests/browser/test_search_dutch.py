"""A reader searches the starter content as a new user would on the default install: a part
of a compound, a plural, a typo, an English word; the best result over every kind first."""

import re

from playwright.sync_api import expect

from .checks import assert_accessible, assert_valid_html


def _search(page, words):
    page.get_by_role("search").first.get_by_role("searchbox").fill(words)
    page.get_by_role("search").first.get_by_role("button", name="Zoeken").click()
    page.wait_for_url("**/zoeken/**")


def test_reader_finds_compounds_plurals_typos_and_english(page, starter_site):
    page.goto(starter_site.url + "/zoeken/")
    _search(page, "cheque")
    best = page.locator("#best-heading + ol .search-result h4 a")
    expect(best.first).to_be_visible()
    titles = " ".join(page.locator(".search-results a").all_inner_texts())
    assert "loopbaancheques" in titles.lower()
    # The part is marked inside the compound in the excerpts.
    assert page.locator("mark", has_text=re.compile("cheque", re.IGNORECASE)).count() >= 1
    assert_accessible(page)
    assert_valid_html([page.url])

    _search(page, "loopbaancheque")
    singular = page.locator("#kind-onderzoek + ol a").all_inner_texts()
    _search(page, "loopbaancheques")
    assert page.locator("#kind-onderzoek + ol a").all_inner_texts() == singular
    assert any("Vlaamse loopbaancheques" in title for title in singular)

    _search(page, "kwaliteitsborgnig")
    expect(page.locator(".suggestion")).to_contain_text("kwaliteitsborging")
    expect(page.locator("#best-heading + ol a").first).to_have_text("Kwaliteitsborging")

    _search(page, "guidance policies")
    page.locator("#best-heading + ol a").first.click()
    expect(page.locator("h1")).to_be_visible()
    assert_accessible(page)
