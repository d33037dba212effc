"""The researcher's path: country index, map, a profile, a comparison with the Netherlands,
only the differences, the CSV, and a model with its diagram. Every page passes axe and the
Nu HTML checker."""

import csv
import io

from .checks import assert_accessible, assert_valid_html


def test_researcher_path(page, starter_site):
    """Index -> map -> profile -> compare three countries with the Netherlands -> only
    differences -> CSV parsed back -> a model and its diagram."""
    base = starter_site.url
    visited = []

    page.goto(base + "/landen/")
    visited.append(page.url)
    map_svg = page.locator("svg[aria-labelledby='kaart-titel']")
    assert map_svg.is_visible()
    assert map_svg.locator("a").count() >= 10
    assert_accessible(page)

    map_svg.locator("a[aria-label^='Finland']").click()
    page.wait_for_url("**/landen/fi/")
    visited.append(page.url)
    assert page.locator("h1").inner_text() == "Finland"
    assert_accessible(page)

    page.get_by_role("link", name="Vergelijk dit profiel met andere landen").click()
    page.wait_for_url("**/vergelijken/?landen=fi")
    for name in ("België (Vlaanderen)", "Noorwegen"):
        page.get_by_label(name, exact=True).check()
    page.get_by_role("button", name="Vergelijken").click()
    page.wait_for_url("**/vergelijken/?*")
    visited.append(page.url)
    headers = page.locator("table.compare-table thead th").all_inner_texts()
    assert headers[1].startswith("Nederland")
    assert {"Finland", "België (Vlaanderen)", "Noorwegen"} <= {h.strip() for h in headers[2:]}
    assert page.locator("table.compare-table caption").is_visible()
    all_rows = page.locator("table.compare-table tbody tr:not(.compare-section)").count()
    assert_accessible(page)

    page.get_by_role("link", name="Toon alleen verschillen").click()
    page.wait_for_url("**verschillen=1*")
    visited.append(page.url)
    assert "verschillen=1" in page.url
    shown_rows = page.locator("table.compare-table tbody tr:not(.compare-section)").count()
    assert 0 < shown_rows <= all_rows
    assert_accessible(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download als CSV").click()
    content = download_info.value.path().read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(content)))
    assert rows[0][2] == "Nederland"
    assert len(rows) - 1 == shown_rows
    countries = {"Nederland", "Finland", "België (Vlaanderen)", "Noorwegen"}
    value_columns = [index for index, name in enumerate(rows[0]) if name in countries]
    assert len(value_columns) == 4
    cells = [row[index] for row in rows[1:] for index in value_columns]
    assert all(cells)  # never an empty value cell

    page.goto(base + "/kennisinfrastructuur/")
    page.get_by_role("link", name="Spilorganisatie (linking pin)").first.click()
    page.wait_for_url("**/kennisinfrastructuur/linking-pin/")
    visited.append(page.url)
    diagram = page.locator("svg[role='img']").first
    assert diagram.is_visible()
    descriptions = page.locator("svg[role='img'] desc").all_text_contents()
    assert any("In het midden staat Skills Development Scotland" in text for text in descriptions)
    assert_accessible(page)

    page.goto(base + "/vergelijken/modellen/")
    visited.append(page.url)
    assert_accessible(page)
    page.goto(base + "/vergelijken/sectie/kwaliteitskader/")
    visited.append(page.url)
    assert_accessible(page)

    assert_valid_html(visited)


def test_phone_width_stacks_the_comparison(browser, browser_problems, starter_site):
    """On a phone the comparison table is shown per dimension, without horizontal scrolling."""
    context = browser_problems.watch(
        browser.new_context(viewport={"width": 375, "height": 800}, locale="nl-NL")
    )
    page = context.new_page()
    page.goto(starter_site.url + "/vergelijken/?landen=be-vlg,fi,no")
    assert page.locator("table.compare-table thead").bounding_box()["width"] <= 1
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375
    assert_accessible(page)
    context.close()
