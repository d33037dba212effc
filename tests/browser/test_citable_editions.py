"""A researcher cites what they read: a profile's editions (profile -> editions -> an old
edition -> comparison of two editions -> its citation) and a comparison saved as a snapshot
(comparison -> save -> snapshot page). Every page passes axe and the Nu HTML checker."""

import rispy

from .checks import assert_accessible, assert_valid_html

ADDED = "Deze zin kwam erbij in de tweede editie."


def _second_edition_of_finland():
    from countries.models import CountryPage

    finland = CountryPage.objects.get(slug="fi", locale__language_code="nl")
    finland.summary = f"{finland.summary} {ADDED}"
    finland.save_revision().publish()


def test_profile_editions_compare_and_cite(page, starter_site):
    _second_edition_of_finland()
    base = starter_site.url
    visited = []

    page.goto(base + "/landen/fi/")
    cite = page.locator("section.cite-page")
    assert "(editie 2)" in cite.locator(".reference").inner_text()
    assert_accessible(page)
    page.get_by_role("link", name="Alle edities van deze pagina").click()
    page.wait_for_url("**/landen/fi/versies/")
    visited.append(page.url)
    assert page.locator("h1").inner_text() == "Edities van Finland"
    assert_accessible(page)

    page.get_by_role("link", name="Editie 1", exact=True).click()
    page.wait_for_url("**/landen/fi/versies/1/")
    visited.append(page.url)
    assert "Editie 1 van 2" in page.locator(".edition-note").inner_text()
    assert ADDED not in page.locator("main").inner_text()
    assert_accessible(page)

    page.get_by_role("link", name="Alle edities", exact=True).click()
    page.wait_for_url("**/landen/fi/versies/")
    page.get_by_label("Oudere editie").select_option("1")
    page.get_by_label("Nieuwere editie").select_option("2")
    page.get_by_role("button", name="Vergelijk").click()
    page.wait_for_url("**/landen/fi/versies/1/vergelijk/2/")
    visited.append(page.url)
    assert ADDED in page.locator(".diff ins").first.inner_text()
    assert_accessible(page)

    page.get_by_role("link", name="Editie 1", exact=True).click()
    page.wait_for_url("**/landen/fi/versies/1/")
    reference = page.locator("section.cite-page .reference").inner_text()
    assert reference.startswith("Kennisportaal Loopbaanbegeleiding. (")
    assert "Finland: landenprofiel (editie 1)." in reference
    assert reference.endswith("/landen/fi/versies/1/")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download als RIS").click()
    (record,) = rispy.loads(download_info.value.path().read_text(encoding="utf-8"))
    assert record["edition"] == "1"
    assert record["urls"][0].endswith("/landen/fi/versies/1/")

    assert_valid_html(visited)


def test_comparison_snapshot(page, starter_site):
    base = starter_site.url
    page.goto(base + "/vergelijken/?landen=fi,be-vlg")
    page.get_by_role("button", name="Bewaar als momentopname om te citeren").click()
    page.wait_for_url("**/vergelijken/s/*/")
    url = page.url
    assert page.locator("h1").inner_text() == "Vergelijking van Nederland, Finland, België (Vlaanderen)"
    headers = page.locator("table.compare-table thead th").all_inner_texts()
    assert headers[1].startswith("Nederland")
    assert page.get_by_role("link", name="Finland, editie 1").is_visible()
    reference = page.locator("section.cite-page .reference").inner_text()
    assert "momentopname" in reference and reference.endswith(url.split("//", 1)[1].split("/", 1)[1])
    assert_accessible(page)

    # Saving the same comparison again leads to the same snapshot.
    page.goto(base + "/vergelijken/?landen=fi,be-vlg")
    page.get_by_role("button", name="Bewaar als momentopname om te citeren").click()
    page.wait_for_url("**/vergelijken/s/*/")
    assert page.url == url
    assert_valid_html([url])
