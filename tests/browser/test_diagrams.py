"""Organisation diagrams at phone, tablet and desktop width: no text box overlaps another,
no box overlaps another, every name stays inside its box; on a phone the list of relations
takes the picture's place."""

import pytest

PAGES = [
    "/landen/nl/",
    "/landen/be-vlg/",
    "/landen/fi/",
    "/landen/no/",
    "/landen/gb-sct/",
    "/landen/ie/",
    "/landen/se/",
    "/kennisinfrastructuur/linking-pin/",
    "/kennisinfrastructuur/network/",
    "/kennisinfrastructuur/loose-relations/",
]

GEOMETRY = """svg => {
    const box = el => { const r = el.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
    const nodes = [...svg.querySelectorAll(".diagram-node")].map(g => ({
        rect: box(g.querySelector("rect")),
        lines: [...g.querySelectorAll("tspan")].map(box),
    }));
    const labels = [...svg.querySelectorAll(".diagram-label tspan")].map(box);
    return {nodes, labels};
}"""


def _overlap(a, b, slack=0.5):
    return min(a[2], b[2]) - max(a[0], b[0]) > slack and min(a[3], b[3]) - max(a[1], b[1]) > slack


def _inside(inner, outer, slack=0.5):
    return (
        inner[0] >= outer[0] - slack
        and inner[1] >= outer[1] - slack
        and inner[2] <= outer[2] + slack
        and inner[3] <= outer[3] + slack
    )


@pytest.mark.parametrize("width", [768, 1280])
def test_no_text_or_box_overlaps(browser, browser_problems, starter_site, width):
    """Measured in the browser: boxes do not overlap, names stay inside their boxes, and no
    text box (names and relation labels) intersects another or a box it does not belong to."""
    context = browser_problems.watch(
        browser.new_context(viewport={"width": width, "height": 900}, locale="nl-NL")
    )
    page = context.new_page()
    problems = []
    drawn = 0
    for path in PAGES:
        response = page.goto(starter_site.url + path)
        assert response.status == 200, path
        for svg in page.locator(".diagram svg[role=img]").all():
            assert svg.is_visible(), path
            drawn += 1
            geometry = svg.evaluate(GEOMETRY)
            rects = [node["rect"] for node in geometry["nodes"]]
            texts = [line for node in geometry["nodes"] for line in node["lines"]] + geometry["labels"]
            for i, a in enumerate(rects):
                problems += [(path, "boxes", a, b) for b in rects[i + 1 :] if _overlap(a, b)]
            for node in geometry["nodes"]:
                problems += [
                    (path, "name outside box", line)
                    for line in node["lines"]
                    if not _inside(line, node["rect"])
                ]
            for i, a in enumerate(texts):
                problems += [(path, "texts", a, b) for b in texts[i + 1 :] if _overlap(a, b)]
            for label in geometry["labels"]:
                problems += [(path, "label on box", label, rect) for rect in rects if _overlap(label, rect)]
    context.close()
    assert drawn >= 5
    assert problems == []


def test_phones_get_the_list_instead_of_the_picture(browser, browser_problems, starter_site):
    """At 390 px the picture is not shown (its text would be a few pixels high); the list of
    the same relations is, in the page's normal text size, and nothing scrolls sideways."""
    context = browser_problems.watch(
        browser.new_context(viewport={"width": 390, "height": 844}, locale="nl-NL")
    )
    page = context.new_page()
    for path in PAGES[:3]:
        page.goto(starter_site.url + path)
        assert not page.locator(".diagram").first.is_visible(), path
        relations = page.locator("ul.relations").first
        assert relations.is_visible(), path
        size = relations.evaluate("el => parseFloat(getComputedStyle(el).fontSize)")
        assert size >= 16, path
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
    context.close()
