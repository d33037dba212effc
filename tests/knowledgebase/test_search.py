"""Site-wide search at /zoeken/: every kind of content, facets, excerpts, suggestions, drafts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import FindingFactory, OrganisationFactory, StudyFactory, cited_paragraphs, make_country
from tests.knowledgebase.test_drafts import MARKERS, drafts  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

SEARCH = "/zoeken/"


def _search(client, **params):
    return client.get(SEARCH, params)


def _titles(response):
    return [result.title for result in response.context.get("results", [])]


def test_search_url_name():
    assert reverse("knowledgebase:search") == SEARCH


def test_empty_search_shows_the_form(client, kb):
    """Without a query the page explains what to do and shows no results."""
    response = _search(client)
    assert response.status_code == 200
    assert 'name="q"' in response.content.decode()
    assert "previews" not in response.context


def test_search_finds_every_kind(client, kb):
    """One query reaches studies, findings, questions, organisations, themes and countries."""
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
    assert kb.open_question.question[:40] in " ".join(_titles(questions))


def test_kind_filter_lists_one_kind_with_pagination(client, kb):
    response = _search(client, q="loopbaanbegeleiding", kind="onderzoek")
    assert response.status_code == 200
    assert "Kennisinfrastructuur loopbaanbegeleiding in Europa" in _titles(response)
    assert response.context["page_obj"].number == 1


def test_facets_combine_and_show_counts(client, kb):
    """Facets narrow the results, combine, and are in the URL."""
    response = _search(client, q="Europa", kind="onderzoek")
    theme_group = next(g for g in response.context["facet_groups"] if g["name"] == "theme")
    labels = {item["label"]: item["count"] for item in theme_group["items"]}
    assert labels.get("Kwaliteitsborging", 0) >= 1
    narrowed = client.get(
        SEARCH, {"q": "", "kind": "onderzoek", "theme": "kwaliteitsborging", "country": "NO"}
    )
    assert narrowed.status_code == 200
    assert set(_titles(narrowed)) == {
        "Kennisinfrastructuur loopbaanbegeleiding in Europa",
        "Lifelong guidance policies: a European resource kit",
    }
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
    assert _titles(narrowed) == ["Lifelong guidance policies: a European resource kit"]
    by_model = client.get(SEARCH, {"kind": "onderzoek", "model": "network", "method": "interviews"})
    assert _titles(by_model) == ["Kennisinfrastructuur loopbaanbegeleiding in Europa"]
    by_strength = client.get(SEARCH, {"kind": "bevindingen", "strength": "strong"})
    assert _titles(by_strength) == [str(kb.strong_finding)]


def test_facet_counts_of_a_study_search_are_exact(client, kb):
    """Every study and finding facet counts each record once per value it has (a finding's
    type and language are its study's); on PostgreSQL in one statement, elsewhere through the
    ORM. The page shows the same counts."""
    from search.engine import facet_counts

    assert facet_counts("onderzoek", [kb.mapping.pk, kb.elgpn.pk, kb.old.pk]) == {
        "theme": {"kwaliteitsborging": 2, "individuele-leerbudgetten": 1},
        "country": {"FI": 1, "NO": 2},
        "model": {"network": 1},
        "method": {"deskresearch": 2, "interviews": 1},
        "type": {"mapping": 1, "policy": 1, "evaluation": 1},
        "strength": {"strong": 1, "moderate": 1, "indicative": 1},
        "language": {"nl": 1, "en": 1, "other": 1},
    }
    second = FindingFactory(study=kb.mapping, strength="moderate")
    assert facet_counts("bevindingen", [kb.strong_finding.pk, kb.weak_finding.pk, second.pk]) == {
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
    on_quality = [kb.mapping.pk, kb.elgpn.pk]
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


def test_title_matches_rank_before_matches_in_the_text(client, kb):
    """A term in a study's title and a term only in another's summary: both are found, on
    PostgreSQL the title match first (SQLite's FTS5 ranks by its own measure)."""
    StudyFactory(title="Walvisbegeleiding langs de kust", summary="Over begeleiding.")
    StudyFactory(title="Havenwerk", summary="Een studie die walvisbegeleiding kort noemt.")
    titles = _titles(_search(client, q="walvisbegeleiding", kind="onderzoek"))
    assert sorted(titles) == ["Havenwerk", "Walvisbegeleiding langs de kust"]
    if connection.vendor == "postgresql":
        assert titles[0] == "Walvisbegeleiding langs de kust"


def test_a_term_in_more_titles_than_the_cap_is_ranked_among_title_matches(client, kb, monkeypatch):
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


def test_facets_on_links_and_on_columns_find_the_public_records_that_pass_them(client, kb):
    """A facet search finds the public records that pass every facet: a record's own links (a
    study's themes, countries, models and methods, a finding's themes and countries) and its
    columns, and for a finding its study's."""
    quality, budgets = kb.mapping.themes.get(), kb.elgpn.themes.get(slug="individuele-leerbudgetten")
    finland, norway = kb.mapping.countries.get(code="FI"), kb.mapping.countries.get(code="NO")
    first = StudyFactory(title="Walvisonderzoek A", study_type="mapping", themes=[quality])
    first.countries.set([finland])
    first.infrastructure_models.set(kb.mapping.infrastructure_models.all())
    first.methods.set(kb.mapping.methods.filter(slug="interviews"))
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


def test_filters_exclude_kinds_they_do_not_apply_to(client, kb):
    """A study-type filter leaves organisations and themes out rather than ignoring it."""
    response = client.get(SEARCH, {"q": "VDAB", "type": "mapping"})
    counts = {kind.key: count for kind, count in response.context["outcome"].kind_counts}
    assert counts["organisaties"] == 0


def test_sort_newest(client, kb):
    for year in (2012, 2021, 2016):
        StudyFactory(title=f"Walvisonderzoek uit {year}", year=year)
    response = client.get(SEARCH, {"kind": "onderzoek", "q": "walvisonderzoek", "sort": "nieuwste"})
    assert response.status_code == 200
    years = [result.obj.year for result in response.context["results"]]
    assert len(set(years)) >= 2, years
    assert years == sorted(years, reverse=True)


def test_excerpts_are_highlighted_and_escaped(client, kb):
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


def test_spelling_suggestion(client, kb):
    """A misspelt query with no results offers "bedoelde u" with a corrected link."""
    response = _search(client, q="kwaliteitskadr")
    assert response.context["outcome"].suggestion == "kwaliteitskader"
    assert "Bedoelde u" in response.content.decode()


def test_empty_state_is_helpful(client, kb):
    response = _search(client, q="zzzqqqxxy")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Niets gevonden" in html
    assert reverse("knowledgebase:gap_map") in html


def test_no_search_result_shows_a_draft(client, kb, drafts):  # noqa: F811
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


def test_unpublished_country_is_not_found(client, kb):
    kb.finland.unpublish()
    counts = dict((k.key, c) for k, c in _search(client, q="Finland").context["outcome"].kind_counts)
    assert counts["landen"] == 0


def test_a_country_unpublished_after_a_search_leaves_the_next_one(
    client, kb, django_capture_on_commit_callbacks
):
    """What the search keeps per content version (the public countries among them) is not
    used once a profile is unpublished."""

    def countries(q):
        return dict((k.key, c) for k, c in _search(client, q=q).context["outcome"].kind_counts)["landen"]

    assert countries("Finland") == 1
    with django_capture_on_commit_callbacks(execute=True):
        kb.finland.unpublish()
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
def test_bad_parameters_get_a_message_and_400(client, kb, params):
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
def test_search_operators_are_plain_words(client, kb, q):
    """Quotes, minus signs, brackets, colons and SQL are read as the words in them: the study
    with the word is found, not excluded and not an error."""
    StudyFactory(title="Walvisbegeleiding in de praktijk", summary="Over begeleiding.")
    response = client.get(SEARCH, {"q": q, "kind": "onderzoek"})
    assert response.status_code == 200
    assert "Walvisbegeleiding in de praktijk" in _titles(response)


def test_sql_in_the_query_finds_nothing_extra(client, kb):
    """A classic injection is a search for the words ``or`` and ``1``: it does not list everything."""
    StudyFactory(title="Walvisbegeleiding in de praktijk", summary="Over begeleiding.")
    response = client.get(SEARCH, {"q": "' OR 1=1 --", "kind": "onderzoek"})
    assert response.status_code == 200
    assert _titles(response) == []


def test_page_beyond_the_end(client, kb):
    response = client.get(SEARCH, {"q": "kwaliteit", "kind": "onderzoek", "page": "999"})
    assert response.status_code == 200
    assert "Die pagina bestaat niet" in response.content.decode()
    assert client.get(SEARCH, {"q": "kwaliteit", "kind": "onderzoek", "page": "x"}).status_code == 200


def test_works_without_javascript(client, kb):
    """Search, facets, sorting and pagination are plain links and GET forms."""
    html = _search(client, q="kwaliteit").content.decode()
    assert "<script" not in html
    assert 'method="get"' in html


def test_dutch_stemming_accents_and_compounds(client, kb):
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


def test_finding_search_uses_statement(client, kb):
    FindingFactory(statement="Zeldzame uitkomst over mentoraat.", study=kb.mapping)
    assert _titles(client.get(SEARCH, {"q": "mentoraat", "kind": "bevindingen"}))


def test_organisation_country_facet(client, kb):
    OrganisationFactory(name="Finse raad", slug="finse-raad", country_code="FI")
    response = client.get(SEARCH, {"kind": "organisaties", "country": "FI"})
    assert {"Ministerie van Werk", "Finse raad"} <= set(_titles(response))


def test_the_search_reads_its_own_index_only(client, kb):
    """No query of a search touches another library's tables (Wagtail's search index): the
    search app owns its index (docs/search.md)."""
    with CaptureQueriesContext(connection) as queries:
        response = _search(client, q="kennisinfrastructuur europa", kind="onderzoek")
    assert _titles(response) == ["Kennisinfrastructuur loopbaanbegeleiding in Europa"]
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
