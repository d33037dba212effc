"""The comparison pages: /vergelijken/, its CSV, one section across countries, the models."""

import codecs
import csv
import io

import pytest

from countries.codes import COUNTRY_NAMES
from countries.models import CountryFact, Dimension
from tests.factories import StudyFactory, cited_paragraphs, cited_points, make_country, make_fact, make_model

pytestmark = pytest.mark.django_db

COMPARE_MAX_QUERIES = 12


@pytest.fixture
def countries(site_tree):
    """Netherlands, Finland, Norway and Flanders with facts on two quality dimensions."""
    study = StudyFactory(title="Kartering van loopbaanbegeleiding", year=2023)
    draft = StudyFactory(title="Geheim concept", live=False)
    framework = Dimension.objects.create(
        name="Kwaliteitskader", slug="kwaliteitskader", section="qa_framework"
    )
    research = Dimension.objects.create(name="Monitoring", slug="monitoring", section="qa_research")
    policy = Dimension.objects.create(name="Wettelijke basis", slug="wet", section="policy")
    pages = {}
    for code, title, slug in [("NL", "Nederland", "nl"), ("FI", "Finland", "fi"), ("NO", "Noorwegen", "no")]:
        pages[slug] = make_country(
            code,
            title=title,
            slug=slug,
            qa_framework=cited_paragraphs((f"<p>Kader in {title}</p>", [(study, "p. 3")])),
        )
    pages["be-vlg"] = make_country("BE-VLG", title="België (Vlaanderen)", slug="be-vlg")
    make_country("SE", title="Zweden", slug="se", live=False)
    make_fact(pages["nl"], framework, "Ja", source_study=study, source_locator="p. 4")
    make_fact(pages["fi"], framework, "Ja", source_study=study)
    make_fact(pages["no"], framework, "Nee", source_study=draft)
    make_fact(pages["nl"], research, "Landelijk", source_study=study)
    make_fact(pages["fi"], research, "Landelijk")
    make_fact(pages["fi"], policy, "Wet")
    return pages


def test_form_without_choice(client, countries):
    """Without a choice the page shows the form with a checkbox per public country."""
    response = client.get("/vergelijken/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="landen" value="fi"' in html
    assert 'value="se"' not in html  # a draft profile is not offered
    assert "<table" not in html


def test_comparison_with_reference_column(client, countries):
    """The Netherlands is the first column by default; rows are dimensions grouped by section."""
    response = client.get("/vergelijken/?landen=fi,no&groepen=kwaliteit")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index(">Nederland</a>") < html.index(">Finland</a>") < html.index(">Noorwegen</a>")
    assert '<th scope="rowgroup" colspan="4">Kwaliteitsborging: Kwaliteitskader</th>' in html
    assert "Wettelijke basis" not in html  # group filter
    assert "niet beschreven in de bronnen" in html  # Norway has no monitoring fact
    assert 'href="/landen/fi/#feit-kwaliteitskader"' in html
    assert "Kartering van loopbaanbegeleiding" in html
    assert "Geheim concept" not in html
    assert "bron niet openbaar" in html
    assert "<caption" in html and 'scope="col"' in html


def test_reference_can_be_switched_off(client, countries):
    """``referentie=geen`` leaves the Netherlands out."""
    html = client.get("/vergelijken/?landen=fi,no&referentie=geen").content.decode()
    assert ">Nederland</a>" not in html.split("<table", 1)[1]


def test_only_differences(client, countries):
    """With ``verschillen=1`` rows whose values agree are hidden."""
    html = client.get("/vergelijken/?landen=fi&groepen=kwaliteit&verschillen=1").content.decode()
    assert "<table" not in html
    assert "Op de gekozen dimensies verschillen deze landen niet." in html
    assert "2 dimensies met gelijke waarden zijn verborgen" in html
    html = client.get("/vergelijken/?landen=fi,no&groepen=kwaliteit&verschillen=1").content.decode()
    assert ">Kwaliteitskader</th>" in html
    assert ">Monitoring</th>" in html  # Norway's value is missing: that differs


@pytest.mark.parametrize(
    "query",
    [
        "landen=xx",
        "landen=fi&referentie=geen",
        "landen=nl",
        "landen=" + "a" * 10000,
        "landen=fi%00no",
        "landen=fi&groepen=onbekend",
        "landen=fi&referentie=misschien",
        "landen=se,fi",
    ],
)
def test_bad_input_is_a_400_with_a_dutch_message(client, countries, query):
    """Unknown or draft countries, a single country, huge values and NUL bytes give the page
    with a Dutch message and status 400, never a 500."""
    response = client.get("/vergelijken/?" + query)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Deze vergelijking kan niet worden getoond" in html
    assert "a" * 100 not in html.split("<main", 1)[1]
    assert client.get("/vergelijken/csv/?" + query).status_code == 400


def test_csv_is_what_is_on_screen(client, countries):
    """The CSV has the same columns and rows as the table, with sources, and parses back."""
    response = client.get("/vergelijken/csv/?landen=fi,no&groepen=kwaliteit")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == [
        "Sectie",
        "Dimensie",
        "Nederland",
        "Nederland - bron",
        "Finland",
        "Finland - bron",
        "Noorwegen",
        "Noorwegen - bron",
    ]
    by_dimension = {row[1]: row for row in rows[1:]}
    assert by_dimension["Kwaliteitskader"][6:] == ["Nee", "niet openbaar"]
    assert by_dimension["Monitoring"][6] == "niet beschreven in de bronnen"
    assert by_dimension["Kwaliteitskader"][3] == "Kartering van loopbaanbegeleiding, p. 4"
    assert len(rows) == 3


def test_csv_neutralises_formulas(client, countries):
    """A value that looks like a spreadsheet formula is written as text, without the control
    characters that break readers, in a file spreadsheet programs open as UTF-8."""
    CountryFact.objects.filter(value="Wet").update(value="=HYPERLINK(1)\x0b")
    content = client.get("/vergelijken/csv/?landen=fi").content
    assert content.startswith(codecs.BOM_UTF8)
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert any("'=HYPERLINK(1)" in row for row in rows)


def test_csv_header_cells_are_guarded_too(client, countries):
    """A country title that looks like a formula goes out as text in the header row too, where
    the countries are the columns."""
    countries["fi"].title = '=HYPERLINK("http://example.org","klik")'
    countries["fi"].save_revision().publish()
    content = client.get("/vergelijken/csv/?landen=fi").content
    header = next(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert header[4] == '\'=HYPERLINK("http://example.org","klik")'
    assert header[5].startswith("'=HYPERLINK(")
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in header)


@pytest.mark.parametrize("count", [2, len(COUNTRY_NAMES)])
def test_query_count_does_not_grow(client, site_tree, django_assert_max_num_queries, count):
    """The comparison and its CSV need at most COMPARE_MAX_QUERIES queries for two countries or
    every known one, with 20 dimensions."""
    dimensions = Dimension.objects.bulk_create(
        Dimension(name=f"Dimensie {i}", slug=f"d-{i}", section="policy", sort_order=i) for i in range(20)
    )
    study = StudyFactory()
    slugs = []
    for code in list(COUNTRY_NAMES)[:count]:
        page = make_country(code, title=COUNTRY_NAMES[code])
        slugs.append(page.slug)
        CountryFact.objects.bulk_create(
            CountryFact(page=page, dimension=d, value=f"{code} {i}", source_study=study)
            for i, d in enumerate(dimensions)
        )
    url = "/vergelijken/?landen=" + ",".join(slugs)
    client.get(url)
    with django_assert_max_num_queries(COMPARE_MAX_QUERIES):
        response = client.get(url)
    assert response.status_code == 200
    assert f"{list(COUNTRY_NAMES)[count - 1]} 19" in response.content.decode()
    with django_assert_max_num_queries(COMPARE_MAX_QUERIES):
        assert client.get(url.replace("/vergelijken/", "/vergelijken/csv/")).status_code == 200
    with django_assert_max_num_queries(COMPARE_MAX_QUERIES):
        assert client.get("/vergelijken/sectie/beleid/?landen=" + ",".join(slugs)).status_code == 200


def test_section_across_countries(client, countries):
    """One section for every public country, one after another, with published sources."""
    response = client.get("/vergelijken/sectie/kwaliteitskader/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Kader in Finland" in html and "Kader in Noorwegen" in html
    assert "Kartering van loopbaanbegeleiding" in html
    assert "niet beschreven in de bronnen" in html  # Flanders has no text
    assert "Zweden" not in html.split("<main", 1)[1]
    assert client.get("/vergelijken/sectie/bestaat-niet/").status_code == 404
    assert client.get("/vergelijken/sectie/beleid/?landen=xx").status_code == 400


def test_models_side_by_side(client, site_tree):
    """The public models side by side with definition, points, examples and countries."""
    study = StudyFactory(title="Modellenstudie")
    pin = make_model(
        "linking-pin", title="Spilorganisatie", strengths=cited_points(("Korte lijnen.", [(study, "p. 2")]))
    )
    make_model("network", title="Netwerk")
    make_model("loose-relations", title="Losse verbanden", live=False)
    make_country("IE", title="Ierland", infrastructure_model=pin)
    html = client.get("/vergelijken/modellen/").content.decode()
    assert "Spilorganisatie" in html and "Netwerk" in html
    assert "Losse verbanden</a>" not in html
    assert "Korte lijnen." in html and "Modellenstudie" in html
    assert 'href="/landen/ie/"' in html
