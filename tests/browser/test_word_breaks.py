"""Issue 21, item 7: numbers read as numbers and long Dutch words break only with a hyphen.

At 320, 768 and 1,280 px, no word in a public page's headings, cards or filter labels is
split over two lines unless the first line ends with a hyphen (a soft hyphen the page set,
or a hyphen written in the word). A number never breaks. Each word's characters are measured
with Range.getClientRects: where a character starts a new line, the one before it must be a
hyphen."""

import pytest

PATHS = [
    "/",
    "/themas/",
    "/themas/kennisinfrastructuur/",
    "/themas/individuele-leerbudgetten/",
    "/onderzoek/",
    "/bevindingen/",
    "/kennisagenda/",
    "/landen/",
    "/landen/be-vlg/",
    "/kennisinfrastructuur/",
    "/vergelijken/modellen/",
    "/bewijskracht/",
]
WIDTHS = [320, 768, 1280]
SELECTOR = "main h1, main h2, main h3, main .card, main label, main legend"

# Returns "text of the word | where it broke" for every word split without a hyphen.
FIND_BAD_BREAKS = """
(selector) => {
  const HYPHENS = new Set(["\\u00ad", "-", "\\u2010", "\\u2011"]);
  const problems = [];
  const seen = new Set();
  for (const element of document.querySelectorAll(selector)) {
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (seen.has(node)) continue;
      seen.add(node);
      const text = node.data;
      const words = text.matchAll(/[^\\s]+/g);
      for (const match of words) {
        const start = match.index, word = match[0];
        if (word.length < 2) continue;
        let lastTop = null, lastChar = null;
        for (let i = 0; i < word.length; i++) {
          const range = document.createRange();
          range.setStart(node, start + i);
          range.setEnd(node, start + i + 1);
          // A character just after a line break also reports a box at the end of the line
          // before: its own box is the last one.
          const rects = range.getClientRects();
          if (!rects.length) continue;
          const rect = rects[rects.length - 1];
          if (rect.width === 0 && rect.height === 0) continue;  // a soft hyphen mid-line
          if (lastTop !== null && rect.top > lastTop + rect.height / 2 && !HYPHENS.has(lastChar)) {
            problems.push(word.replace(/\\u00ad/g, "") + " | " + word.slice(0, i).replace(/\\u00ad/g, ""));
            break;
          }
          if (rect.width > 0 || HYPHENS.has(word[i])) { lastTop = rect.top; }
          lastChar = word[i];
        }
      }
    }
  }
  return problems;
}
"""


@pytest.mark.parametrize("width", WIDTHS)
def test_no_word_is_split_without_a_hyphen(browser, browser_problems, starter_site, width):
    context = browser_problems.watch(
        browser.new_context(viewport={"width": width, "height": 900}, locale="nl-NL")
    )
    page = context.new_page()
    bad = {}
    for path in PATHS:
        response = page.goto(starter_site.url + path)
        assert response.status == 200, path
        problems = page.evaluate(FIND_BAD_BREAKS, SELECTOR)
        if problems:
            bad[path] = problems
    context.close()
    assert bad == {}, f"Words split without a hyphen at {width} px: {bad}"
