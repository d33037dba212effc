"""Reflow (WCAG 2.1, 1.4.10): at 320 CSS pixels wide no public page scrolls sideways. Wide
tables and diagrams scroll inside their own box; long Dutch compounds and addresses wrap."""

PATHS = [
    "/landen/",
    "/landen/gb-sct/",
    "/landen/be-vlg/",
    "/kennisinfrastructuur/linking-pin/",
    "/vergelijken/?landen=be-vlg,fi,no,gb-sct",
    "/vergelijken/modellen/",
    "/vergelijken/sectie/beleid/",
    "/themas/",
    "/themas/kaart/",
    "/themas/kaart/?as=modellen",
    "/zoeken/?q=kwaliteit",
    "/onderzoek/",
    "/onderzoek/euroguidance-scholingsportals-leerbudgetten/",
    "/bevindingen/",
]


def test_no_page_scrolls_sideways_at_320_pixels(browser, browser_problems, starter_site):
    context = browser_problems.watch(
        browser.new_context(viewport={"width": 320, "height": 800}, locale="nl-NL")
    )
    page = context.new_page()
    too_wide = {}
    for path in PATHS:
        response = page.goto(starter_site.url + path)
        assert response.status == 200, path
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 320:
            too_wide[path] = width
    context.close()
    assert too_wide == {}


def test_comparison_of_six_countries_fits_landscape_a4_in_print(browser, browser_problems, starter_site):
    """Printed, the comparison of five countries and the Netherlands fits the width of a
    landscape A4 page (297 mm less 2 x 10 mm margins: 1047 CSS pixels), without the form."""
    context = browser_problems.watch(
        browser.new_context(viewport={"width": 1047, "height": 718}, locale="nl-NL")
    )
    page = context.new_page()
    page.emulate_media(media="print")
    page.goto(starter_site.url + "/vergelijken/?landen=be-vlg,fi,no,gb-sct,ie")
    table = page.locator("table.compare-table").bounding_box()
    assert table["x"] >= 0 and table["x"] + table["width"] <= 1047
    assert page.evaluate("document.documentElement.scrollWidth") <= 1047
    assert not page.locator("form.compare-form").is_visible()
    context.close()
