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


def test_policymaker_learns_what_we_know_and_how_sure(page, starter_site):
    """Issue 21's path on the starter content: home, the header search, a theme's "Wat we
    weten" with its citations, the strength page, the gap map filtered by study type, a
    framework and its lens; axe on every page on the way and the HTML checker over all."""
    base = starter_site.url
    visited = []

    def arrive(url_part):
        page.wait_for_url(f"**{url_part}**")
        assert_accessible(page)
        visited.append(page.url)

    page.goto(base + "/")
    arrive("/")
    page.get_by_label("Zoeken in het portaal").fill("leerbudgetten")
    page.get_by_label("Zoeken in het portaal").press("Enter")
    arrive("/zoeken/")
    page.get_by_role("main").locator('a[href="/themas/individuele-leerbudgetten/"]').first.click()
    arrive("/themas/individuele-leerbudgetten/")

    what_we_know = page.locator("section", has=page.get_by_role("heading", name="Wat we weten"))
    expect(what_we_know).to_be_visible()
    # Every claim cites what it rests on: links to findings, with their study named.
    assert what_we_know.locator('a[href^="/bevindingen/"]').count() >= 3
    expect(what_we_know).to_contain_text("Laatst beoordeeld")
    confidence = what_we_know.locator("a.badge").first
    expect(confidence).to_contain_text("Zekerheid")
    confidence.click()
    arrive("/bewijskracht/")
    expect(page.locator("h2#sterk")).to_be_visible()
    assert page.title().startswith("Bewijskracht")

    page.goto(base + "/themas/")
    arrive("/themas/")
    page.get_by_role("main").get_by_role("link", name=re.compile("Kaart van het bewijs")).first.click()
    arrive("/themas/kaart/")
    page.get_by_label("Soort onderzoek").select_option("policy")
    page.get_by_role("button", name="Filters toepassen").click()
    arrive("type=policy")
    expect(page.get_by_role("table")).to_be_visible()
    expect(page.locator("select#id_type")).to_have_value("policy")

    page.goto(base + "/")
    page.get_by_role("main").get_by_role("link", name=re.compile("^Kaders")).click()
    arrive("/kaders/")
    page.get_by_role("link", name=re.compile(r"De tien principes van effectieve begeleiding")).first.click()
    arrive("/kaders/elgpn-principes/")
    page.get_by_role("link", name="Bekijk de kaderlens: de elementen per land").click()
    arrive("/kaders/elgpn-principes/lens/")
    lens = page.get_by_role("table")
    expect(lens.locator("thead th").nth(1)).to_have_text("Nederland")
    assert lens.get_by_text("Aanwezig").count() >= 1
    assert lens.get_by_text("niet beschreven in de bronnen").count() >= 1

    assert_valid_html(visited)
