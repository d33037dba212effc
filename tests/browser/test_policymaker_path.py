"""A policymaker's path: theme -> search within it -> filter -> study -> citation download."""

import re
from pathlib import Path

import rispy
from playwright.sync_api import expect

from countries.models import CountryFact
from tests.factories import (
    DimensionFactory,
    FindingFactory,
    ResearchQuestionFactory,
    StudyFactory,
    ThemeFactory,
    make_country,
    make_model,
)

from .checks import assert_accessible, assert_valid_html


def _content():
    budgets = ThemeFactory(name="Individuele leerbudgetten", slug="individuele-leerbudgetten")
    quality = ThemeFactory(name="Kwaliteitsborging", slug="kwaliteitsborging", related=[budgets])
    finland = make_country("FI", title="Finland")
    norway = make_country("NO", title="Noorwegen")
    make_model("network", title="Netwerk")
    mapping = StudyFactory(
        title="Kwaliteit van loopbaanbegeleiding in Finland",
        slug="kwaliteit-finland",
        year=2023,
        study_type="mapping",
        strength="strong",
        themes=[quality],
        authors=["Jansen, A."],
    )
    mapping.countries.set([finland])
    mapping.save()
    other = StudyFactory(title="Kwaliteit van loopbaanbegeleiding in Noorwegen", slug="kwaliteit-noorwegen",
                         themes=[quality])  # fmt: skip
    other.countries.set([norway])
    other.save()
    FindingFactory(
        statement="Een landelijk kwaliteitskader helpt.", study=mapping, strength="strong", themes=[quality]
    )
    question = ResearchQuestionFactory(question="Werkt een kwaliteitskader ook in Nederland?")
    question.themes.set([budgets])
    question.save()
    dimension = DimensionFactory(name="Kwaliteitskader", slug="kwaliteitskader")
    dimension.themes.add(quality)
    CountryFact.objects.create(page=finland, dimension=dimension, value="Landelijk kader")


def test_policymaker_finds_and_cites_evidence(page, live_site):
    """From the theme hub to a RIS file, with axe finding nothing serious on the way."""
    _content()
    page.goto(live_site.url + "/themas/kwaliteitsborging/")
    expect(page.locator("h1")).to_have_text("Kwaliteitsborging")  # soft hyphens aside
    assert_accessible(page)

    page.get_by_label("Zoeken binnen Kwaliteitsborging").fill("loopbaanbegeleiding")
    page.get_by_role("main").get_by_role("button", name="Zoeken").first.click()
    page.wait_for_url("**/zoeken/**")
    assert "theme=kwaliteitsborging" in page.url
    assert_accessible(page)

    page.get_by_role("complementary").get_by_role("link", name="Finland").click()
    assert "country=FI" in page.url
    page.get_by_role("complementary").get_by_role("link", name=re.compile(r"^Onderzoek \(")).click()
    results = page.locator(".search-results h3 a")
    assert results.all_inner_texts() == ["Kwaliteit van loopbaanbegeleiding in Finland"]
    assert page.locator("mark").count() >= 1
    assert_accessible(page)

    results.first.click()
    expect(page.locator("h1")).to_have_text("Kwaliteit van loopbaanbegeleiding in Finland")
    assert_accessible(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download als RIS (EndNote, Zotero, Mendeley)").click()
    records = rispy.loads(Path(download_info.value.path()).read_text(encoding="utf-8"))
    assert records[0]["title"] == "Kwaliteit van loopbaanbegeleiding in Finland"


def test_gap_map_is_accessible(page, live_site):
    _content()
    page.goto(live_site.url + "/themas/kaart/")
    assert page.get_by_role("table").count() == 1
    assert page.locator("td.gap").count() >= 1
    assert_accessible(page)


def test_search_works_without_javascript(browser, browser_problems, live_site):
    _content()
    context = browser_problems.watch(browser.new_context(java_script_enabled=False))
    page = context.new_page()
    page.goto(live_site.url + "/zoeken/")
    page.get_by_label("Zoek in").fill("kwaliteit")
    page.get_by_role("main").get_by_role("button", name="Zoeken").click()
    assert page.locator(".search-result").count() >= 1
    context.close()


def test_pages_are_valid_html(live_site):
    _content()
    base = live_site.url
    assert_valid_html(
        [
            f"{base}/zoeken/",
            f"{base}/zoeken/?q=kwaliteit",
            f"{base}/zoeken/?q=kwaliteit&kind=onderzoek&theme=kwaliteitsborging",
            f"{base}/zoeken/?q=kwaliteitt",
            f"{base}/themas/kaart/",
            f"{base}/themas/kwaliteitsborging/",
        ]
    )
