"""Wide tables at 1,280 px: the header row and the first column stay in view while the table
scrolls inside its box, the box shows that there is more to the right and how many columns
there are, and the columns can be chosen without JavaScript."""

import pytest

# (path, number of columns, the label of a column to leave out)
TABLES = [
    ("/vergelijken/?landen=be-vlg,fi,no,gb-sct", 6, "Finland"),
    ("/themas/kaart/", 11, "Finland"),
]

BOXES = """box => {
    const frame = box.getBoundingClientRect();
    const inside = r => r.left >= frame.left - 1 && r.right <= frame.right + 1
        && r.top >= frame.top - 1 && r.bottom <= frame.bottom + 1;
    const header = [...box.querySelectorAll("thead th")].map(th => th.getBoundingClientRect());
    const visibleRows = [...box.querySelectorAll("tbody th[scope=row]")]
        .map(th => th.getBoundingClientRect())
        .filter(r => r.top >= frame.top && r.bottom <= frame.bottom);
    const corner = box.querySelector("thead th");
    const topLeft = document.elementFromPoint(frame.left + 8, header[0].top + 4);
    return {
        scrollLeft: box.scrollLeft, scrollTop: box.scrollTop,
        overflows: box.scrollWidth > box.clientWidth,
        fade: getComputedStyle(box).getPropertyValue("--wide-table-fade"),
        headerInView: header.filter(inside).length,
        headerTop: Math.min(...header.map(r => r.top)), frameTop: frame.top,
        firstHeaderInside: inside(header[0]),
        rowHeadsInView: visibleRows.filter(inside).length,
        rowHeadsLeft: visibleRows.map(r => r.left), frameLeft: frame.left,
        cornerOnTop: corner.contains(topLeft),
    };
}"""


@pytest.mark.parametrize(("path", "columns", "_drop"), TABLES)
def test_header_and_first_column_stay_in_view(
    browser, browser_problems, starter_site, tmp_path, path, columns, _drop
):
    """Scrolled right and down inside its box, the table still shows its header row at the top
    of the box and its first column at the left, painted over the cells that scroll under
    them; before that the box fades out at the right edge and says how many columns there are."""
    context = browser_problems.watch(
        browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    )
    page = context.new_page()
    page.goto(starter_site.url + path)
    box = page.locator(".wide-table").first
    box.scroll_into_view_if_needed()
    cue = page.locator(".wide-table-cue").first
    assert cue.is_visible()
    assert f"{columns} kolommen" in cue.inner_text()
    assert box.get_attribute("aria-describedby") == cue.get_attribute("id")

    before = box.evaluate(BOXES)
    assert before["overflows"], "at 1,280 px this table is wider than its box"
    assert before["fade"] != "0px", "the right edge shows there is more"
    page.screenshot(path=str(tmp_path / "before.png"))

    box.evaluate("box => { box.scrollLeft = box.scrollWidth; box.scrollTop = 400; }")
    page.wait_for_timeout(100)
    after = box.evaluate(BOXES)
    page.screenshot(path=str(tmp_path / "after.png"))
    assert after["scrollLeft"] > 0 and after["scrollTop"] > 0
    assert after["headerInView"] >= 2
    assert abs(after["headerTop"] - after["frameTop"]) <= 2
    assert after["firstHeaderInside"] and after["cornerOnTop"]
    assert after["rowHeadsInView"] >= 1
    assert all(abs(left - after["frameLeft"]) <= 2 for left in after["rowHeadsLeft"])
    assert after["fade"] == "0px", "at the end there is nothing more to the right"
    assert (tmp_path / "after.png").stat().st_size > 10_000
    context.close()


@pytest.mark.parametrize(("path", "columns", "drop"), TABLES)
def test_columns_can_be_chosen_without_javascript(
    browser, browser_problems, starter_site, path, columns, drop
):
    """The column chooser is a plain form: untick a column, submit, and the table has one
    column less, with the choice in the address."""
    context = browser_problems.watch(
        browser.new_context(
            viewport={"width": 1280, "height": 900}, locale="nl-NL", java_script_enabled=False
        )
    )
    page = context.new_page()
    page.goto(starter_site.url + path)
    chooser = page.locator(".column-chooser").first
    chooser.locator("summary").click()
    chooser.get_by_label(drop, exact=True).uncheck()
    chooser.get_by_role("button").click()
    page.wait_for_load_state()
    header = page.locator(".wide-table thead th")
    assert header.count() == columns - 1
    assert drop not in header.all_inner_texts()
    assert f"{columns - 1} kolommen" in page.locator(".wide-table-cue").first.inner_text()
    context.close()
