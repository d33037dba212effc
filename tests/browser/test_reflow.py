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


def test_no_page_scrolls_sideways_at_320_pixels(browser, starter_site):
    context = browser.new_context(viewport={"width": 320, "height": 800}, locale="nl-NL")
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
