"""The comparison pages: /vergelijken/, its CSV, one section across countries, the models."""

import codecs
import csv
import io

import openpyxl
import pytest
from django.utils import timezone

from countries.models import CountryFact, Dimension
from knowledgebase.codes import COUNTRY_NAMES
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
    """The CSV has the table's rows, and per country the short value, explanation, source,
    profile version and a link; every row names the licence and the permanent URL."""
    CountryFact.objects.filter(page=countries["nl"], value="Ja").update(detail="Vastgelegd in\nhet kader.")
    response = client.get("/vergelijken/csv/?landen=fi,no&groepen=kwaliteit")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header = rows[0]
    assert header[:7] == [
        "Sectie",
        "Dimensie",
        "Nederland",
        "Nederland - toelichting",
        "Nederland - bron",
        "Nederland - editie",
        "Nederland - link",
    ]
    assert header[7] == "Finland" and header[12] == "Noorwegen"
    assert header[-2:] == ["Licentie", "Permanente link"]
    by_dimension = {row[1]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    framework = by_dimension["Kwaliteitskader"]
    assert framework["Nederland"] == "Ja"
    assert framework["Nederland - toelichting"] == "Vastgelegd in\nhet kader."
    assert framework["Nederland - bron"] == "Kartering van loopbaanbegeleiding, p. 4"
    published = timezone.localtime(countries["nl"].specific.last_published_at).date().isoformat()
    # The profile's edition as "Citeer deze pagina" numbers it (kit.editions).
    assert framework["Nederland - editie"] == f"editie 1 van {published}"
    assert framework["Nederland - link"] == "http://testserver/landen/nl/#feit-kwaliteitskader"
    assert framework["Noorwegen"] == "Nee" and framework["Noorwegen - bron"] == "niet openbaar"
    assert by_dimension["Monitoring"]["Noorwegen"] == "niet beschreven in de bronnen"
    assert framework["Licentie"].startswith("CC BY 4.0")
    assert framework["Permanente link"] == ("http://testserver/vergelijken/?landen=fi,no&groepen=kwaliteit")
    assert len(rows) == 3


def test_semicolon_csv_for_dutch_spreadsheets(client, countries):
    """With ?sep=; the same table comes with semicolons between cells, still UTF-8 with a
    byte-order mark, so Excel with Dutch settings splits it into columns."""
    comma = client.get("/vergelijken/csv/?landen=fi,no&groepen=kwaliteit")
    response = client.get("/vergelijken/csv/?landen=fi,no&groepen=kwaliteit&sep=;")
    assert response.status_code == 200
    assert response.content.startswith(codecs.BOM_UTF8)
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Sectie;Dimensie;Nederland;")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows == list(csv.reader(io.StringIO(comma.content.decode("utf-8-sig"))))


def test_excel_workbook_of_the_comparison(client, countries):
    """With ?formaat=xlsx the comparison is a workbook: one header row, frozen header and first
    column, links as hyperlinks, and a sheet with the licence and the permanent URL."""
    response = client.get("/vergelijken/csv/?landen=fi,no&groepen=kwaliteit&formaat=xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert 'filename="vergelijking-nl-fi-no.xlsx"' in response["Content-Disposition"]
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    assert sheet.freeze_panes == "B2"
    header = [cell.value for cell in sheet[1]]
    assert header[:3] == ["Sectie", "Dimensie", "Nederland"]
    rows = {row[1].value: row for row in sheet.iter_rows(min_row=2)}
    assert set(rows) == {"Kwaliteitskader", "Monitoring"}
    framework = {name: cell for name, cell in zip(header, rows["Kwaliteitskader"], strict=True)}
    assert framework["Nederland"].value == "Ja"
    assert framework["Nederland - bron"].value == "Kartering van loopbaanbegeleiding, p. 4"
    link = framework["Nederland - link"]
    assert link.hyperlink.target == "http://testserver/landen/nl/#feit-kwaliteitskader"
    permanent = framework["Permanente link"]
    assert permanent.hyperlink.target == "http://testserver/vergelijken/?landen=fi,no&groepen=kwaliteit"
    about = {row[0].value: row[1] for row in workbook["Over deze gegevens"].iter_rows()}
    assert about["Licentie"].value == "CC BY 4.0"
    assert about["Permanente link"].hyperlink.target == permanent.value
    assert about["Versie van Nederland"].value is not None


def test_excel_cells_are_never_formulas(client, countries):
    """A value that looks like a formula is text in the workbook too, as in the CSV."""
    CountryFact.objects.filter(value="Wet").update(value="=HYPERLINK(1)")
    content = client.get("/vergelijken/csv/?landen=fi&formaat=xlsx").content
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert not any(cell.data_type == "f" for cell in cells)
    assert "'=HYPERLINK(1)" in [cell.value for cell in cells]


@pytest.mark.parametrize("query", ["formaat=pdf", "sep=%7C", "formaat=xlsx%00"])
def test_unknown_download_format_is_a_400(client, countries, query):
    """An unknown format or separator gets a Dutch reason and status 400."""
    response = client.get(f"/vergelijken/csv/?landen=fi&{query}")
    assert response.status_code == 400
    assert "kies" in response.content.decode()


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
    assert header[7] == '\'=HYPERLINK("http://example.org","klik")'
    assert header[8].startswith("'=HYPERLINK(")
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


def test_section_view_puts_the_netherlands_first(client, countries):
    """In one section across countries the Netherlands, the reference, comes first, whatever
    the order of the choice, and a plain form chooses the countries shown."""
    section = "/vergelijken/sectie/kwaliteitskader/"
    for url in [section, f"{section}?landen=no,nl,fi"]:
        html = client.get(url).content.decode().split("<main", 1)[1]
        shown = [html.index(f"Kader in {name}") for name in ("Nederland", "Finland", "Noorwegen")]
        assert shown == sorted(shown), url
    html = client.get("/vergelijken/sectie/kwaliteitskader/?landen=fi&landen=nl").content.decode()
    assert "3 kolommen" not in html and "2 kolommen" in html
    assert "Kader in Noorwegen" not in html
    assert 'type="checkbox" name="landen" value="no"' in html  # can be added back


def test_comparison_column_chooser_keeps_the_rest_of_the_choice(client, countries):
    """The comparison's column chooser has a checkbox per column shown, and sends the groups
    and the reference choice along, so unticking a column changes nothing else."""
    html = client.get("/vergelijken/?landen=fi,no&groepen=kwaliteit").content.decode()
    assert "4 kolommen" in html
    chooser = html.split('class="column-chooser', 1)[1].split("</details>", 1)[0]
    assert '<input type="hidden" name="groepen" value="kwaliteit">' in chooser
    assert chooser.index('name="referentie" value="geen"') < chooser.index('name="referentie" value="nl"')
    response = client.get("/vergelijken/?groepen=kwaliteit&referentie=geen&landen=fi&landen=no")
    assert response.status_code == 200
    assert response.context["table"].countries == [countries["fi"], countries["no"]]


def test_models_can_be_narrowed(client, site_tree):
    """``?modellen=`` chooses the models shown; an unknown one is a 400 with every model."""
    make_model("linking-pin", title="Spilorganisatie")
    make_model("network", title="Netwerk")
    html = client.get("/vergelijken/modellen/?modellen=network").content.decode()
    header = html.split("<thead>", 1)[1].split("</thead>", 1)[0]
    assert "Netwerk" in header and "Spilorganisatie" not in header
    response = client.get("/vergelijken/modellen/?modellen=bestaat-niet")
    assert response.status_code == 400
    assert "Onbekende kolom" in response.content.decode()


def test_a_repeat_visit_reads_no_database_and_a_changed_fact_shows_at_once(
    client, countries, django_assert_num_queries
):
    """The table and the countries on offer are kept per choice and content version: the same
    comparison again runs no query, and a fact edited meanwhile shows on the next visit."""
    url = "/vergelijken/?landen=fi,no"
    assert "Wet" in client.get(url).content.decode()
    with django_assert_num_queries(0):
        assert client.get(url).status_code == 200
    fact = CountryFact.objects.get(page=countries["fi"], value="Wet")
    fact.value = "Wet sinds 2014"
    fact.save()
    assert "Wet sinds 2014" in client.get(url).content.decode()
