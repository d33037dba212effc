"""Site-wide search at /zoeken/: every kind of content, facets, excerpts, suggestions, drafts."""

from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from knowledgebase.models import Theme
from tests.factories import (
    FindingFactory,
    MethodFactory,
    OrganisationFactory,
    ResearchQuestionFactory,
    StudyFactory,
    ThemeFactory,
    cited_paragraphs,
    make_country,
    make_model,
)

# Every kind of draft, linked to public records wherever a search could pick it up.
from tests.knowledgebase.test_drafts import MARKERS, drafts, published  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db

SEARCH = "/zoeken/"
MAPPING = "Kennisinfrastructuur loopbaanbegeleiding in Europa"
ELGPN = "Lifelong guidance policies: a European resource kit"


@pytest.fixture
def faceted_studies(site_tree):
    """Three public studies and two findings with exactly known facet values, for the tests
    that count facets over every public study:

    - "mapping": 2023, Dutch, strong; Kwaliteitsborging; Finland and Norway; the network
      model; desk research and interviews; with a strong finding (Finland, Kwaliteitsborging);
    - "elgpn": 2015, English, moderate; Kwaliteitsborging and Individuele leerbudgetten;
      Norway; desk research; with a limited finding (both themes);
    - "old": 2001, another language, indicative; no links at all.
    """
    quality = ThemeFactory(name="Kwaliteitsborging", slug="kwaliteitsborging")
    budgets = ThemeFactory(name="Individuele leerbudgetten", slug="individuele-leerbudgetten")
    finland = make_country("FI", title="Finland")
    norway = make_country("NO", title="Noorwegen")
    interviews = MethodFactory(name="Interviews", slug="interviews")
    desk = MethodFactory(name="Deskresearch", slug="deskresearch")
    mapping = StudyFactory(
        title=MAPPING, year=2023, study_type="mapping", language="nl", strength="strong", themes=[quality]
    )
    mapping.methods.set([desk, interviews])
    mapping.countries.set([finland, norway])
    mapping.infrastructure_models.set([make_model("network", title="Netwerk")])
    mapping.save()
    elgpn = StudyFactory(
        title=ELGPN,
        year=2015,
        study_type="policy",
        language="en",
        strength="moderate",
        themes=[quality, budgets],
    )
    elgpn.methods.set([desk])
    elgpn.countries.set([norway])
    elgpn.save()
    old = StudyFactory(
        title="Aardappelonderzoek uit de oude doos",
        year=2001,
        study_type="evaluation",
        language="other",
        strength="indicative",
    )
    strong_finding = FindingFactory(
        statement="Een landelijk kwaliteitskader maakt begeleiding vergelijkbaar.",
        study=mapping,
        strength="strong",
        themes=[quality],
    )
    strong_finding.countries.set([finland])
    strong_finding.save()
    weak_finding = FindingFactory(
        statement="Het effect van leerbudgetten op loopbaankeuzes is onduidelijk.",
        study=elgpn,
        strength="limited",
        themes=[quality, budgets],
    )
    return SimpleNamespace(
        mapping=mapping, elgpn=elgpn, old=old, strong_finding=strong_finding, weak_finding=weak_finding
    )


def _search(client, **params):
    return client.get(SEARCH, params)


def _titles(response):
    return [result.title for result in response.context.get("results", [])]


def test_search_url_name():
    assert reverse("knowledgebase:search") == SEARCH


def test_empty_search_shows_the_form(client, site_tree):
    """Without a query the page explains what to do and shows no results."""
    # Something that could be shown, so that showing nothing is the page's choice.
    StudyFactory(title=MAPPING)
    response = _search(client)
    assert response.status_code == 200
    assert 'name="q"' in response.content.decode()
    assert "previews" not in response.context


def test_search_finds_every_kind(client, site_tree):
    """One query reaches studies, findings, questions, organisations, themes and countries."""
    study = StudyFactory(title=MAPPING)
    FindingFactory(study=study, statement="Een landelijk kwaliteitskader maakt begeleiding vergelijkbaar.")
    # Two organisations and two countries: a search for one of them counts one.
    OrganisationFactory(name="VDAB", country_code="BE-VLG")
    OrganisationFactory(name="CLB", kind="education", country_code="BE-VLG")
    make_country("FI", title="Finland")
    make_country("NO", title="Noorwegen")
    ThemeFactory(name="Individuele leerbudgetten", slug="individuele-leerbudgetten")
    question = ResearchQuestionFactory(
        question="Hoe zorgen we dat onderzoeksvragen uit de praktijk worden opgepakt?",
        explanation="Niemand coördineert de vragen nu.",
    )
    response = _search(client, q="kwaliteitskader")
    counts = {kind.key: count for kind, count in response.context["outcome"].kind_counts}
    assert counts["bevindingen"] >= 1
    counts = {kind.key: count for kind, count in _search(client, q="Europa").context["outcome"].kind_counts}
    assert counts["onderzoek"] >= 1
    counts = {kind.key: count for kind, count in _search(client, q="VDAB").context["outcome"].kind_counts}
    assert counts["organisaties"] == 1
    assert (
        dict((k.key, c) for k, c in _search(client, q="Finland").context["outcome"].kind_counts)["landen"]
        == 1
    )
    themes = _search(client, q="leerbudgetten", kind="themas")
    assert "Individuele leerbudgetten" in _titles(themes)
    questions = _search(client, q="praktijk", kind="vragen")
    assert question.question[:40] in " ".join(_titles(questions))


def test_kind_filter_lists_one_kind_with_pagination(client, site_tree):
    StudyFactory(title=MAPPING)
    # Records of other kinds with the same word.
    FindingFactory(statement="Loopbaanbegeleiding helpt bij keuzes.")
    OrganisationFactory(description="Een organisatie die loopbaanbegeleiding ondersteunt.")
    response = _search(client, q="loopbaanbegeleiding", kind="onderzoek")
    assert response.status_code == 200
    assert MAPPING in _titles(response)
    assert {result.kind.key for result in response.context["results"]} == {"onderzoek"}
    assert response.context["page_obj"].number == 1


def test_facets_combine_and_show_counts(client, faceted_studies):
    """Facets narrow the results, combine, and are in the URL."""
    response = _search(client, q="Europa", kind="onderzoek")
    theme_group = next(g for g in response.context["facet_groups"] if g["name"] == "theme")
    labels = {item["label"]: item["count"] for item in theme_group["items"]}
    assert labels.get("Kwaliteitsborging", 0) >= 1
    narrowed = client.get(
        SEARCH, {"q": "", "kind": "onderzoek", "theme": "kwaliteitsborging", "country": "NO"}
    )
    assert narrowed.status_code == 200
    assert set(_titles(narrowed)) == {MAPPING, ELGPN}
    narrowed = client.get(
        SEARCH,
        {
            "kind": "onderzoek",
            "theme": "kwaliteitsborging",
            "country": "NO",
            "language": "en",
            "year_min": 2010,
        },
    )
    assert _titles(narrowed) == [ELGPN]
    by_model = client.get(SEARCH, {"kind": "onderzoek", "model": "network", "method": "interviews"})
    assert _titles(by_model) == [MAPPING]
    by_strength = client.get(SEARCH, {"kind": "bevindingen", "strength": "strong"})
    assert _titles(by_strength) == [str(faceted_studies.strong_finding)]


def test_facet_counts_of_a_study_search_are_exact(client, faceted_studies):
    """Every study and finding facet counts each record once per value it has (a finding's
    type and language are its study's); on PostgreSQL in one statement, elsewhere through the
    ORM. The page shows the same counts."""
    from search.engine import facet_counts

    studies = faceted_studies
    assert facet_counts("onderzoek", [studies.mapping.pk, studies.elgpn.pk, studies.old.pk]) == {
        "theme": {"kwaliteitsborging": 2, "individuele-leerbudgetten": 1},
        "country": {"FI": 1, "NO": 2},
        "model": {"network": 1},
        "method": {"deskresearch": 2, "interviews": 1},
        "type": {"mapping": 1, "policy": 1, "evaluation": 1},
        "strength": {"strong": 1, "moderate": 1, "indicative": 1},
        "language": {"nl": 1, "en": 1, "other": 1},
    }
    second = FindingFactory(study=studies.mapping, strength="moderate")
    assert facet_counts("bevindingen", [studies.strong_finding.pk, studies.weak_finding.pk, second.pk]) == {
        "theme": {"kwaliteitsborging": 2, "individuele-leerbudgetten": 1},
        "country": {"FI": 1},
        "strength": {"strong": 1, "limited": 1, "moderate": 1},
        "type": {"mapping": 2, "policy": 1},
        "language": {"nl": 2, "en": 1},
    }
    response = client.get(SEARCH, {"kind": "onderzoek", "year_min": 2000})
    groups = {group["name"]: group["items"] for group in response.context["facet_groups"]}
    assert {item["label"]: item["count"] for item in groups["country"]} == {"Finland": 1, "Noorwegen": 2}
    assert {item["label"]: item["count"] for item in groups["method"]} == {"Deskresearch": 2, "Interviews": 1}

    # A facet the candidates passed: every one has its value (on PostgreSQL it is not read
    # again), and the page shows that value with its count.
    on_quality = [studies.mapping.pk, studies.elgpn.pk]
    full = facet_counts("onderzoek", on_quality)
    narrowed = facet_counts("onderzoek", on_quality, {"theme": "kwaliteitsborging"})
    assert narrowed["theme"]["kwaliteitsborging"] == full["theme"]["kwaliteitsborging"] == 2
    assert {name: narrowed[name] for name in narrowed if name != "theme"} == {
        name: full[name] for name in full if name != "theme"
    }
    response = client.get(SEARCH, {"kind": "onderzoek", "theme": "kwaliteitsborging"})
    groups = {group["name"]: group["items"] for group in response.context["facet_groups"]}
    assert [(item["label"], item["count"], item["active"]) for item in groups["theme"]] == [
        ("Kwaliteitsborging", 2, True)
    ]


def test_facet_counts_read_from_the_index_follow_links_and_match_the_link_tables(faceted_studies):
    """The index keeps each study's and finding's facet values, and the counts are read from
    them: a link written from the theme's side changes them, and documents written before the
    index kept them (NULL) are counted through the link tables with the same result."""
    from search.engine import facet_counts
    from search.models import SearchDocument

    studies = faceted_studies
    pks = [studies.mapping.pk, studies.elgpn.pk, studies.old.pk]
    assert facet_counts("onderzoek", pks)["theme"] == {"kwaliteitsborging": 2, "individuele-leerbudgetten": 1}
    Theme.objects.get(slug="individuele-leerbudgetten").study_set.add(studies.old)
    counted = facet_counts("onderzoek", pks)
    assert counted["theme"] == {"kwaliteitsborging": 2, "individuele-leerbudgetten": 2}
    findings = [studies.strong_finding.pk, studies.weak_finding.pk]
    counted_findings = facet_counts("bevindingen", findings)
    assert SearchDocument.objects.filter(kind="onderzoek", facets__contains="theme:").count() == 3
    SearchDocument.objects.update(facets=None)
    assert facet_counts("onderzoek", pks) == counted
    assert facet_counts("bevindingen", findings) == counted_findings


def test_title_matches_rank_before_matches_in_the_text(client, site_tree):
    """A term in a study's title and a term only in another's summary: both are found, on
    PostgreSQL the title match first (SQLite's FTS5 ranks by its own measure)."""
    StudyFactory(title="Walvisbegeleiding langs de kust", summary="Over begeleiding.")
    StudyFactory(title="Havenwerk", summary="Een studie die walvisbegeleiding kort noemt.")
    titles = _titles(_search(client, q="walvisbegeleiding", kind="onderzoek"))
    assert sorted(titles) == ["Havenwerk", "Walvisbegeleiding langs de kust"]
    if connection.vendor == "postgresql":
        assert titles[0] == "Walvisbegeleiding langs de kust"


def test_a_term_in_more_titles_than_the_cap_is_ranked_among_title_matches(client, site_tree, monkeypatch):
    """Past ``CANDIDATE_CAP`` matches a kind keeps the best: the title matches, and the count
    says there are more."""
    from search import engine as search

    monkeypatch.setattr(search, "CANDIDATE_CAP", 2)
    for number in range(3):
        StudyFactory(title=f"Walvisbegeleiding {number}", summary="Over begeleiding.")
    StudyFactory(title="Havenwerk", summary="Een studie die walvisbegeleiding kort noemt.")
    response = _search(client, q="walvisbegeleiding", kind="onderzoek")
    titles = _titles(response)
    assert len(titles) == 2
    assert all(title.startswith("Walvisbegeleiding") for title in titles)
    assert response.context["kind_count"] == "2+"


def test_facets_on_links_and_on_columns_find_the_public_records_that_pass_them(client, site_tree):
    """A facet search finds the public records that pass every facet: a record's own links (a
    study's themes, countries, models and methods, a finding's themes and countries) and its
    columns, and for a finding its study's."""
    quality = ThemeFactory(name="Kwaliteitsborging", slug="kwaliteitsborging")
    budgets = ThemeFactory(name="Individuele leerbudgetten", slug="individuele-leerbudgetten")
    finland, norway = make_country("FI", title="Finland"), make_country("NO", title="Noorwegen")
    first = StudyFactory(title="Walvisonderzoek A", study_type="mapping", themes=[quality])
    first.countries.set([finland])
    first.infrastructure_models.set([make_model("network", title="Netwerk")])
    first.methods.set([MethodFactory(name="Interviews", slug="interviews")])
    second = StudyFactory(title="Walvisonderzoek B", study_type="policy", themes=[budgets])
    second.countries.set([norway])
    draft = StudyFactory(title="Walvisonderzoek concept", study_type="mapping", themes=[quality], live=False)
    draft.countries.set([finland])
    own = FindingFactory(study=first, statement="Walvisonderzoek werkt.", themes=[quality])
    own.countries.set([finland])
    for record in (first, second, draft, own):
        record.save()  # Parental relations are written on save.
    # Its study is about another theme: a finding's theme is its own.
    other = FindingFactory(study=second, statement="Walvisonderzoek helpt soms.", themes=[quality])
    FindingFactory(study=draft, statement="Walvisonderzoek in concept.", themes=[quality])

    def found(kind, **facets):
        return set(_titles(_search(client, q="walvisonderzoek", kind=kind, **facets)))

    assert found("onderzoek", theme="kwaliteitsborging") == {"Walvisonderzoek A"}
    assert found("onderzoek", country="NO") == {"Walvisonderzoek B"}
    assert found("onderzoek", model="network", method="interviews") == {"Walvisonderzoek A"}
    assert found("onderzoek", theme="kwaliteitsborging", type="mapping", country="FI") == {first.title}
    assert found("onderzoek", theme="kwaliteitsborging", type="policy") == set()
    assert found("bevindingen", theme="kwaliteitsborging") == {str(own), str(other)}
    assert found("bevindingen", model="network") == {str(own)}
    assert found("bevindingen", country="FI", type="mapping") == {str(own)}


def test_filters_exclude_kinds_they_do_not_apply_to(client, site_tree):
    """A study-type filter leaves organisations and themes out rather than ignoring it."""
    OrganisationFactory(name="VDAB", country_code="BE-VLG")  # Found by "VDAB" without the filter.
    response = client.get(SEARCH, {"q": "VDAB", "type": "mapping"})
    counts = {kind.key: count for kind, count in response.context["outcome"].kind_counts}
    assert counts["organisaties"] == 0


def test_sort_newest(client, site_tree):
    for year in (2012, 2021, 2016):
        StudyFactory(title=f"Walvisonderzoek uit {year}", year=year)
    response = client.get(SEARCH, {"kind": "onderzoek", "q": "walvisonderzoek", "sort": "nieuwste"})
    assert response.status_code == 200
    years = [result.year for result in response.context["results"]]
    assert len(set(years)) >= 2, years
    assert years == sorted(years, reverse=True)


def test_excerpts_are_highlighted_and_escaped(client, site_tree):
    """Markup from the data or the query never reaches the page unescaped."""
    StudyFactory(
        title="Studie <script>alert(1)</script> gidsen",
        summary="Een <img src=x onerror=alert(2)> studie over gidsenwerk & <b>keuzes</b>.",
    )
    response = client.get(SEARCH, {"q": 'gidsen"><', "kind": "onderzoek"})
    html = response.content.decode()
    assert 'gidsen"><' not in html
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "<b>keuzes" not in html
    assert "<mark>gidsenwerk</mark>" in html or "<mark>gidsen</mark>" in html
    assert "&lt;img src=x" in html


def test_spelling_suggestion(client, site_tree):
    """A misspelt query with no results offers "bedoelde u" with a corrected link."""
    FindingFactory(statement="Een landelijk kwaliteitskader maakt begeleiding vergelijkbaar.")
    response = _search(client, q="kwaliteitskadr")
    assert response.context["outcome"].suggestion == "kwaliteitskader"
    assert "Bedoelde u" in response.content.decode()


def test_empty_state_is_helpful(client, site_tree):
    # Content the query does not match: the search finds nothing, not an empty site.
    StudyFactory(title=MAPPING)
    response = _search(client, q="zzzqqqxxy")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Niets gevonden" in html
    assert reverse("knowledgebase:gap_map") in html


def test_no_search_result_shows_a_draft(client, drafts):  # noqa: F811
    """Drafts, findings of draft studies and draft questions never appear in search results,
    counts, facets or downloads."""
    for q in MARKERS:
        outcome = client.get(SEARCH, {"q": q}).context["outcome"]
        assert sum(count for _kind, count in outcome.kind_counts) == 0, q
    for q in ["Onderzoek", "kwaliteit", "bevinding", "A", ""]:
        for kind in ["", "onderzoek", "bevindingen", "vragen"]:
            params = {"q": q, "kind": kind, "theme": "kwaliteitsborging"}
            html = client.get(SEARCH, params).content.decode()
            for marker in MARKERS:
                assert marker not in html, (marker, params)
        for name in ("search_export_csv", "search_export_ris", "search_export_bib", "search_export_json",
                     "search_export_findings"):  # fmt: skip
            body = client.get(reverse(f"knowledgebase:{name}"), {"q": q}).content.decode()
            for marker in MARKERS:
                assert marker not in body, (marker, name, q)


def test_unpublished_country_is_not_found(client, site_tree):
    make_country("FI", title="Finland").unpublish()
    counts = dict((k.key, c) for k, c in _search(client, q="Finland").context["outcome"].kind_counts)
    assert counts["landen"] == 0


def test_a_country_unpublished_after_a_search_leaves_the_next_one(
    client, site_tree, django_capture_on_commit_callbacks
):
    """What the search keeps per content version (the public countries among them) is not
    used once a profile is unpublished."""

    def countries(q):
        return dict((k.key, c) for k, c in _search(client, q=q).context["outcome"].kind_counts)["landen"]

    finland = make_country("FI", title="Finland")
    make_country("NO", title="Noorwegen")
    assert countries("Finland") == 1
    with django_capture_on_commit_callbacks(execute=True):
        finland.unpublish()
    assert countries("Finland") == 0
    assert countries("Noorwegen") == 1


@pytest.mark.parametrize(
    "params",
    [
        {"q": "a\x00b"},
        {"q": "x" * 10_000},
        {"theme": "bestaat-niet"},
        {"country": "XX"},
        {"kind": "alles"},
        {"year_min": "twee"},
        {"year_min": "2020", "year_max": "2010"},
        {"sort": "willekeurig"},
    ],
)
def test_bad_parameters_get_a_message_and_400(client, site_tree, params):
    # A theme and a country, so that the unknown ones are rejected among known values.
    StudyFactory(themes=[ThemeFactory(name="Kwaliteitsborging", slug="kwaliteitsborging")])
    make_country("FI", title="Finland")
    response = client.get(SEARCH, params)
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()


@pytest.mark.parametrize(
    "q",
    [
        '"walvisbegeleiding',
        "(walvisbegeleiding",
        "-walvisbegeleiding",
        "walvisbegeleiding:",
        "'walvisbegeleiding' --",
    ],
)
def test_search_operators_are_plain_words(client, site_tree, q):
    """Quotes, minus signs, brackets, colons and SQL are read as the words in them: the study
    with the word is found, not excluded and not an error."""
    StudyFactory(title="Walvisbegeleiding in de praktijk", summary="Over begeleiding.")
    response = client.get(SEARCH, {"q": q, "kind": "onderzoek"})
    assert response.status_code == 200
    assert "Walvisbegeleiding in de praktijk" in _titles(response)


def test_sql_in_the_query_finds_nothing_extra(client, site_tree):
    """A classic injection is a search for the words ``or`` and ``1``: it does not list everything."""
    # Two studies, neither with those words: a query that listed everything would show them.
    StudyFactory(title="Walvisbegeleiding in de praktijk", summary="Over begeleiding.")
    StudyFactory(title=MAPPING)
    response = client.get(SEARCH, {"q": "' OR 1=1 --", "kind": "onderzoek"})
    assert response.status_code == 200
    assert _titles(response) == []


def test_page_beyond_the_end(client, site_tree):
    StudyFactory(title="Kwaliteit van loopbaanbegeleiding")
    response = client.get(SEARCH, {"q": "kwaliteit", "kind": "onderzoek", "page": "999"})
    assert response.status_code == 200
    assert "Die pagina bestaat niet" in response.content.decode()
    assert client.get(SEARCH, {"q": "kwaliteit", "kind": "onderzoek", "page": "x"}).status_code == 200


def test_works_without_javascript(client, site_tree):
    """Search, facets, sorting and pagination are plain links and GET forms."""
    # Results of several kinds, with facets to show.
    quality = ThemeFactory(name="Kwaliteitsborging", slug="kwaliteitsborging")
    study = StudyFactory(title="Kwaliteit van loopbaanbegeleiding", themes=[quality])
    FindingFactory(study=study, statement="Een landelijk kwaliteitskader maakt begeleiding vergelijkbaar.")
    response = _search(client, q="kwaliteit")
    assert len(response.context["previews"]) >= 2
    html = response.content.decode()
    assert "<script" not in html
    assert 'method="get"' in html


def test_dutch_stemming_accents_and_compounds(client, site_tree):
    """On either database: 'vergunning' finds 'vergunningen'; 'coordinatie' finds
    'coördinatie'; singular and plural find each other, also of a compound; a part of a
    compound finds the compound; an English word finds its English forms."""
    StudyFactory(title="Evaluatie van de loopbaancheques", slug="cheques")
    StudyFactory(title="Guidance policies in Europe", slug="policies", language="en")
    for q in ("loopbaancheque", "loopbaancheques", "cheque", "cheques"):
        assert "Evaluatie van de loopbaancheques" in _titles(
            client.get(SEARCH, {"q": q, "kind": "onderzoek"})
        ), q
    assert "Guidance policies in Europe" in _titles(client.get(SEARCH, {"q": "policy", "kind": "onderzoek"}))
    StudyFactory(title="Vergunningen voor loopbaanadviseurs", slug="vergunningen")
    StudyFactory(title="Coördinatie van loopbaanbeleid", slug="coordinatie")
    assert "Vergunningen voor loopbaanadviseurs" in _titles(
        client.get(SEARCH, {"q": "vergunning", "kind": "onderzoek"})
    )
    assert "Coördinatie van loopbaanbeleid" in _titles(
        client.get(SEARCH, {"q": "coordinatie", "kind": "onderzoek"})
    )
    assert "Coördinatie van loopbaanbeleid" in _titles(
        client.get(SEARCH, {"q": "coördinatie", "kind": "onderzoek"})
    )


def test_finding_search_uses_statement(client, site_tree):
    FindingFactory(statement="Zeldzame uitkomst over mentoraat.", study=StudyFactory(title=MAPPING))
    assert _titles(client.get(SEARCH, {"q": "mentoraat", "kind": "bevindingen"}))


def test_organisation_country_facet(client, site_tree):
    make_country("FI", title="Finland")  # The facet offers the countries with a profile.
    OrganisationFactory(name="Ministerie van Werk", kind="ministry", country_code="FI")
    OrganisationFactory(name="Finse raad", slug="finse-raad", country_code="FI")
    response = client.get(SEARCH, {"kind": "organisaties", "country": "FI"})
    assert {"Ministerie van Werk", "Finse raad"} <= set(_titles(response))


def test_the_search_reads_its_own_index_only(client, site_tree):
    """No query of a search touches another library's tables (Wagtail's search index): the
    search app owns its index (docs/search.md)."""
    StudyFactory(title=MAPPING)
    # A study with only one of the two words, which the search must leave out.
    StudyFactory(title="Loopbaanbeleid in Europa")
    with CaptureQueriesContext(connection) as queries:
        response = _search(client, q="kennisinfrastructuur europa", kind="onderzoek")
    assert _titles(response) == [MAPPING]
    assert any("search_searchterm" in query["sql"] for query in queries.captured_queries)
    assert not [query["sql"] for query in queries.captured_queries if "wagtailsearch" in query["sql"]]


def test_a_country_result_links_the_section_that_mentions_the_term_as_published_now(
    client, site_tree, django_capture_on_commit_callbacks
):
    """A country profile's result points at its first section that mentions the term, with
    that section's text, and follows the profile when a new version is published."""
    country = make_country(
        "FI",
        title="Finland",
        context=cited_paragraphs(("<p>Een land met veel meren.</p>", [])),
        policy=cited_paragraphs(("<p>Walvisbeleid is hier geregeld.</p>", [])),
    )

    def country_result():
        previews = {p["kind"].key: p for p in _search(client, q="walvisbeleid").context["previews"]}
        return previews["landen"]["results"][0] if "landen" in previews else None

    result = country_result()
    assert result.url.endswith("#policy")
    assert "<mark>Walvisbeleid</mark>" in result.excerpt
    country.context = cited_paragraphs(("<p>Walvisbeleid kreeg in 2020 een wet.</p>", []))
    with django_capture_on_commit_callbacks(execute=True):
        country.save_revision().publish()
    result = country_result()
    assert result.url.endswith("#context")
    assert "kreeg in 2020 een wet" in result.excerpt
