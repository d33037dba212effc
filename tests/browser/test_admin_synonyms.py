"""The board's synonym sets in a real browser with JavaScript on: added under "Kennisbank →
Synoniemen", applied by the public search at once."""

import re

from playwright.sync_api import expect

from search.models import SynonymSet
from tests.factories import StudyFactory

from .admin_steps import editorial_staff, sign_in

LOB = "LOB, loopbaanoriëntatie en -begeleiding"
TITLE = "Loopbaanoriëntatie in het voortgezet onderwijs"


def test_board_adds_a_synonym_set_and_the_search_applies_it(browser, browser_problems, live_site, page):
    """A board member opens Kennisbank → Synoniemen, is told that one entry is not a set, adds
    LOB with its meaning and saves; a visitor's search for LOB then finds a study that only
    says loopbaanoriëntatie."""
    editorial_staff()
    StudyFactory(title=TITLE, slug="lob-vo")
    page.goto(f"{live_site.url}/zoeken/?q=LOB")
    expect(page.get_by_role("main")).not_to_contain_text(TITLE)

    board = sign_in(browser, browser_problems, live_site.url, "hoofdredacteur")
    board.get_by_role("button", name="Kennisbank").click()
    board.get_by_role("link", name="Synoniemen").click()
    board.wait_for_url("**/admin/synoniemen/")
    board.get_by_role("link", name=re.compile("synoniemenset", re.IGNORECASE)).first.click()
    board.wait_for_url("**/admin/synoniemen/new/")
    terms = board.get_by_role("textbox", name=re.compile("^Synoniemen"))
    terms.fill("LOB")
    board.get_by_role("button", name="Toevoegen").click()
    expect(board.locator(".error-message")).to_contain_text("Geef minstens twee synoniemen")
    assert not SynonymSet.objects.exists()

    board.get_by_role("textbox", name=re.compile("^Synoniemen")).fill(LOB)
    board.get_by_role("textbox", name=re.compile("^Toelichting")).fill("Afkorting uit het onderwijs.")
    board.get_by_role("button", name="Toevoegen").click()
    board.wait_for_url("**/admin/synoniemen/")
    row = board.get_by_role("row", name=re.compile("LOB"))
    expect(row).to_contain_text("loopbaanoriëntatie en -begeleiding")
    expect(row).to_contain_text("Afkorting uit het onderwijs.")

    page.goto(f"{live_site.url}/zoeken/?q=LOB")
    expect(page.get_by_role("main")).to_contain_text(TITLE)
