"""The knowledge base in the read-only API (``/api/v1/``): lists with the filters of their
public pages, records by key, only what the public may see, and a 400 with a message for any
bad parameter."""

from types import SimpleNamespace
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from knowledgebase.models import Study
from tests.factories import (
    FindingFactory,
    MethodFactory,
    OrganisationFactory,
    OrganisationRelationFactory,
    ResearchQuestionFactory,
    ResearchQuestionStudyFactory,
    StudyFactory,
    ThemeFactory,
    link_many,
    make_country,
    make_model,
)
from tests.knowledgebase.test_drafts import MARKERS, drafts, published  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db

LISTS = ["themas", "onderzoek", "bevindingen", "organisaties", "kennisagenda"]


def _get(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.content[:500])
    assert response["Content-Type"] == "application/json"
    return response.json()


def _slugs(data, key="slug"):
    return [item[key] for item in data["items"]]


def _linked(record, **links):
    """Set the many-to-many ``links`` of ``record`` and save it (the save writes them)."""
    for name, targets in links.items():
        getattr(record, name).set(targets)
    record.save()
    return record


def _old_study():
    """An untagged evaluation from 2001, the oldest study."""
    return StudyFactory(
        title="Aardappelonderzoek uit de oude doos",
        slug="oude-doos",
        year=2001,
        study_type="evaluation",
        language="other",
        strength="indicative",
        authors=["Pietersen, C."],
    )


@pytest.fixture
def studies(site_tree):
    """Three published studies, newest first: a Dutch country comparison of Finland and
    Norway (2023; quality assurance, the network model, desk research and interviews), an
    English policy kit on Norway (2015; quality assurance and learning budgets, desk research)
    and an untagged evaluation (2001)."""
    budgets = ThemeFactory(name="Individuele leerbudgetten", slug="individuele-leerbudgetten")
    quality = ThemeFactory(name="Kwaliteitsborging", slug="kwaliteitsborging")
    finland = make_country("FI", title="Finland")
    norway = make_country("NO", title="Noorwegen")
    network = make_model("network", title="Netwerk")
    interviews = MethodFactory(name="Interviews", slug="interviews")
    desk = MethodFactory(name="Deskresearch", slug="deskresearch")
    mapping = _linked(
        StudyFactory(
            title="Kennisinfrastructuur loopbaanbegeleiding in Europa",
            slug="kennisinfrastructuur-europa",
            year=2023,
            study_type="mapping",
            language="nl",
            publisher="Euroguidance Nederland",
            strength="strong",
            url="https://example.org/mapping",
            doi="10.1234/mapping.2023",
            authors=["Jansen, A.", "De Vries, B."],
        ),
        themes=[quality],
        methods=[desk, interviews],
        countries=[finland, norway],
        infrastructure_models=[network],
    )
    elgpn = _linked(
        StudyFactory(
            title="Lifelong guidance policies: a European resource kit",
            slug="elgpn-resource-kit",
            year=2015,
            study_type="policy",
            language="en",
            authors=["ELGPN"],
        ),
        themes=[quality, budgets],
        methods=[desk],
        countries=[norway],
    )
    return SimpleNamespace(
        quality=quality,
        budgets=budgets,
        finland=finland,
        norway=norway,
        mapping=mapping,
        elgpn=elgpn,
        old=_old_study(),
    )


@pytest.fixture
def linked(studies):
    """Besides the three studies, a record of every other kind, each linked as far as it can
    be: quality assurance related to learning budgets; a strong finding of the comparison in
    Finland (a lesson for the Netherlands) and a limited one of the policy kit; VDAB and CLB
    in Flanders, partners (a relation with a source), and a Finnish ministry that funds VDAB;
    an open question on quality assurance in Finland, raised by VDAB, with a source and a
    study that answers it, and an answered question on learning budgets."""
    _linked(studies.quality, related=[studies.budgets])
    strong_finding = _linked(
        FindingFactory(
            slug="kwaliteitskader-werkt",
            study=studies.mapping,
            locator="Hoofdstuk 4.2",
            strength="strong",
            lesson_for_nl=True,
        ),
        themes=[studies.quality],
        countries=[studies.finland],
    )
    weak_finding = _linked(
        FindingFactory(slug="budgetten-onduidelijk", study=studies.elgpn, strength="limited"),
        themes=[studies.quality, studies.budgets],
    )
    vdab = OrganisationFactory(
        name="VDAB",
        slug="vdab",
        country_code="BE-VLG",
        source_study=studies.mapping,
        source_locator="Paragraaf 3.1",
    )
    clb = OrganisationFactory(name="CLB", slug="clb", kind="education", country_code="BE-VLG")
    ministry = OrganisationFactory(
        name="Ministerie van Werk", slug="ministerie-werk", kind="ministry", country_code="FI"
    )
    OrganisationRelationFactory(
        organisation=vdab, target=clb, source_study=studies.mapping, source_locator="Figuur 2"
    )
    OrganisationRelationFactory(organisation=ministry, target=vdab, kind="funds")
    # The open question is made first, so that it has the lower id.
    open_question = _linked(
        ResearchQuestionFactory(
            status="open", raised_by=vdab, source_study=studies.mapping, source_locator="Hoofdstuk 6"
        ),
        themes=[studies.quality],
        countries=[studies.finland],
    )
    ResearchQuestionStudyFactory(question=open_question, study=studies.elgpn, kind="answers")
    answered_question = _linked(ResearchQuestionFactory(status="answered"), themes=[studies.budgets])
    return SimpleNamespace(
        **vars(studies),
        strong_finding=strong_finding,
        weak_finding=weak_finding,
        vdab=vdab,
        clb=clb,
        ministry=ministry,
        open_question=open_question,
        answered_question=answered_question,
    )


def test_root_names_every_list(client, linked):
    """``/api/`` names the pages and every list of the knowledge base, each of which answers."""
    data = _get(client, "/api/")
    assert set(data["endpoints"]) == {"paginas", *LISTS}
    for address in data["endpoints"].values():
        assert _get(client, address)["meta"]["total_count"] > 0


def test_study_list_and_record(client, studies):
    """A study in the API carries what its page shows, with links to that page, its own API
    record and its citations."""
    data = _get(client, "/api/v1/onderzoek/")
    assert data["meta"]["total_count"] == 3
    assert _slugs(data) == ["kennisinfrastructuur-europa", "elgpn-resource-kit", "oude-doos"]
    mapping = data["items"][0]
    assert mapping["title"] == "Kennisinfrastructuur loopbaanbegeleiding in Europa"
    assert mapping["authors"] == ["Jansen, A.", "De Vries, B."]
    assert mapping["type"] == {"code": "mapping", "label": "Landenvergelijking"}
    assert mapping["strength"]["code"] == "strong"
    assert mapping["doi"] == "10.1234/mapping.2023"
    assert [theme["slug"] for theme in mapping["themes"]] == ["kwaliteitsborging"]
    assert {country["code"] for country in mapping["countries"]} == {"FI", "NO"}
    assert [model["title"] for model in mapping["infrastructure_models"]] == ["Netwerk"]
    assert mapping["html_url"] == "http://testserver/onderzoek/kennisinfrastructuur-europa/"
    record = _get(client, mapping["detail_url"])
    assert record == mapping
    citation = client.get(mapping["citations"]["ris"])
    assert citation.status_code == 200
    assert b"Kennisinfrastructuur loopbaanbegeleiding" in citation.content


def test_study_list_takes_the_filters_of_its_page(client, studies):
    """``/api/v1/onderzoek/`` filters and sorts as ``/onderzoek/`` does."""
    assert _slugs(_get(client, "/api/v1/onderzoek/?theme=individuele-leerbudgetten")) == [
        "elgpn-resource-kit"
    ]
    assert _slugs(_get(client, "/api/v1/onderzoek/?country=fi")) == ["kennisinfrastructuur-europa"]
    assert _slugs(_get(client, "/api/v1/onderzoek/?year_min=2010&sort=title")) == [
        "kennisinfrastructuur-europa",
        "elgpn-resource-kit",
    ]
    titles = [item["title"] for item in _get(client, "/api/v1/onderzoek/?sort=title")["items"]]
    assert titles == sorted(titles)
    assert _slugs(_get(client, "/api/v1/onderzoek/?method=interviews&language=nl")) == [
        "kennisinfrastructuur-europa"
    ]


def test_paging(client, studies):
    """``limit`` and ``offset`` page through a list; the count stays the whole list's."""
    first = _get(client, "/api/v1/onderzoek/?limit=2")
    rest = _get(client, "/api/v1/onderzoek/?limit=2&offset=2")
    assert first["meta"]["total_count"] == rest["meta"]["total_count"] == 3
    assert _slugs(first) + _slugs(rest) == _slugs(_get(client, "/api/v1/onderzoek/"))
    assert _get(client, "/api/v1/onderzoek/?offset=50")["items"] == []


def test_findings_questions_organisations_and_themes(client, linked):
    """Every list shows its public records with their links, in the order of its page."""
    findings = _get(client, "/api/v1/bevindingen/")
    assert _slugs(findings) == ["kwaliteitskader-werkt", "budgetten-onduidelijk"]
    assert findings["items"][0]["study"]["slug"] == "kennisinfrastructuur-europa"
    assert findings["items"][0]["lesson_for_nl"] is True
    assert _slugs(_get(client, "/api/v1/bevindingen/?lesson_for_nl=ja")) == ["kwaliteitskader-werkt"]

    questions = _get(client, "/api/v1/kennisagenda/")
    assert [item["id"] for item in questions["items"]] == [
        linked.answered_question.pk,
        linked.open_question.pk,
    ]
    open_question = _get(client, f"/api/v1/kennisagenda/{linked.open_question.pk}/")
    assert open_question["raised_by"]["slug"] == "vdab"
    assert [link["study"]["slug"] for link in open_question["studies"]] == ["elgpn-resource-kit"]
    assert open_question["source"]["locator"] == "Hoofdstuk 6"
    assert _get(client, "/api/v1/kennisagenda/?status=open")["meta"]["total_count"] == 1

    vdab = _get(client, "/api/v1/organisaties/vdab/")
    assert [(r["kind"]["code"], r["target"]["slug"]) for r in vdab["relations"]] == [("partners_with", "clb")]
    assert vdab["source"]["study"]["slug"] == "kennisinfrastructuur-europa"
    assert _slugs(_get(client, "/api/v1/organisaties/?country=FI")) == ["ministerie-werk"]

    quality = _get(client, "/api/v1/themas/kwaliteitsborging/")
    assert [theme["slug"] for theme in quality["related"]] == ["individuele-leerbudgetten"]


def test_unknown_records_are_404(client, site_tree):
    """An unknown slug or id, or one the database could not take, is a 404 with JSON."""
    # A finding whose slug the last address has but for a NUL byte.
    FindingFactory(slug="kwaliteitskader-werkt")
    for url in [
        "/api/v1/onderzoek/bestaat-niet/",
        "/api/v1/kennisagenda/999999/",
        "/api/v1/kennisagenda/99999999999999999999999/",
        "/api/v1/onderzoek/%00/",
        "/api/v1/bevindingen/kwaliteitskader-werkt%00/",
    ]:
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize(
    "query, parameter, message",
    [
        ("limit=0", "limit", "Geef een geheel getal van 1 tot en met 100."),
        ("limit=101", "limit", "Geef een geheel getal van 1 tot en met 100."),
        ("limit=tien", "limit", "Geef een geheel getal van 1 tot en met 100."),
        ("offset=-1", "offset", "Geef een geheel getal van 0 tot en met 1000000000."),
        ("offset=9223372036854775808", "offset", "Geef een geheel getal van 0 tot en met 1000000000."),
        ("thema=kwaliteitsborging", "thema", "Onbekende parameter."),
        ("theme=bestaat-niet", "theme", "bestaat niet"),
        ("theme=%00", "theme", "Deze waarde is ongeldig."),
        ("year_min=%00", "year_min", "Deze waarde is ongeldig."),
        ("year_min=2020&year_max=2010", "year_max", "Het eindjaar ligt voor het beginjaar."),
        ("sort=willekeurig", "sort", "willekeurig"),
    ],
)
def test_bad_parameters_are_a_400_with_a_message(client, site_tree, query, parameter, message):
    """A bad or unknown parameter gives a 400 whose message names it."""
    data = _get(client, f"/api/v1/onderzoek/?{query}", status=400)
    assert parameter in data
    assert any(message in text for text in data[parameter]), data


def test_detail_takes_no_filters(client, site_tree):
    """A record's address takes no list parameters."""
    _old_study()
    # The theme exists, so that the value would be a valid filter of the list.
    ThemeFactory(name="Kwaliteitsborging", slug="kwaliteitsborging")
    data = _get(client, "/api/v1/onderzoek/oude-doos/?theme=kwaliteitsborging", status=400)
    assert "theme" in data


def test_read_only(client, site_tree):
    """The API cannot change anything, and answers nothing but GET and HEAD."""
    _old_study()
    for method in ("post", "put", "patch", "delete", "options"):
        response = getattr(client, method)(
            "/api/v1/onderzoek/oude-doos/", {}, content_type="application/json"
        )
        assert response.status_code == 405
    assert _get(client, "/api/v1/onderzoek/oude-doos/")["title"] == "Aardappelonderzoek uit de oude doos"


def test_no_draft_in_the_api(client, published, drafts):  # noqa: F811
    """No list, filter or record of the API contains a draft, a finding of a draft study, a
    draft question or a draft source; drafts' own addresses are a 404."""
    urls = [f"/api/v1/{name}/?limit=100" for name in LISTS]
    urls += [
        "/api/v1/onderzoek/?theme=kwaliteitsborging&country=fi",
        "/api/v1/bevindingen/?theme=kwaliteitsborging&lesson_for_nl=ja",
        "/api/v1/kennisagenda/?theme=individuele-leerbudgetten",
        "/api/v1/organisaties/clb/",
        "/api/v1/organisaties/vdab/",
        f"/api/v1/kennisagenda/{published.open_question.pk}/",
        "/api/v1/themas/kwaliteitsborging/",
        *[
            f"/api/v1/onderzoek/{study.slug}/"
            for study in (published.mapping, published.elgpn, published.old)
        ],
        f"/api/v1/bevindingen/{published.strong_finding.slug}/",
    ]
    for url in urls:
        content = client.get(url).content.decode()
        for marker in [*MARKERS, "conceptstudie"]:
            assert marker not in content, f"{marker} leaked on {url}"
    clb = _get(client, "/api/v1/organisaties/clb/")
    assert clb["source"] is None
    assert [r["source"] for r in clb["relations"]] == [None]
    for url in [
        f"/api/v1/onderzoek/{drafts['study'].slug}/",
        f"/api/v1/bevindingen/{drafts['finding'].slug}/",
        f"/api/v1/bevindingen/{drafts['finding_of_draft'].slug}/",
        f"/api/v1/kennisagenda/{drafts['question'].pk}/",
    ]:
        assert client.get(url).status_code == 404, url


def test_unpublished_records_and_pages_leave_at_once(client, studies, django_capture_on_commit_callbacks):
    """A study unpublished after the list was read drops out of the next answer (the count
    too), and an unpublished country drops out of the studies that name it."""
    assert _get(client, "/api/v1/onderzoek/")["meta"]["total_count"] == 3
    with django_capture_on_commit_callbacks(execute=True):
        studies.old.live = False
        studies.old.save()
    data = _get(client, "/api/v1/onderzoek/")
    assert "oude-doos" not in _slugs(data)
    assert data["meta"]["total_count"] == 2
    studies.finland.unpublish()
    mapping = _get(client, "/api/v1/onderzoek/kennisinfrastructuur-europa/")
    assert [country["code"] for country in mapping["countries"]] == ["NO"]


def test_an_unchanged_answer_is_not_sent_again(client, studies, django_capture_on_commit_callbacks):
    """A client that sends the ETag it got back gets 304 Not Modified without a body while the
    list is unchanged, and the new list once a study leaves it."""
    first = client.get("/api/v1/onderzoek/")
    etag = first["ETag"]
    again = client.get("/api/v1/onderzoek/", headers={"if-none-match": etag})
    assert again.status_code == 304
    assert again.content == b""
    with django_capture_on_commit_callbacks(execute=True):
        studies.old.live = False
        studies.old.save()
    changed = client.get("/api/v1/onderzoek/", headers={"if-none-match": etag})
    assert changed.status_code == 200
    assert changed.json()["meta"]["total_count"] == 2
    assert changed["ETag"] != etag


def _add_records(linked, count):
    """``count`` more of every kind, each linked as the fixture's are."""
    studies = [StudyFactory(themes=[linked.quality], authors=["A", "B"]) for _ in range(count)]
    link_many(Study, "countries", [study.pk for study in studies], linked.finland)
    for study in studies:
        FindingFactory(study=study, themes=[linked.quality]).countries.set([linked.finland])
        question = ResearchQuestionFactory(raised_by=linked.vdab, source_study=study)
        question.themes.set([linked.quality])
        question.save()
        ResearchQuestionStudyFactory(question=question, study=study)
        organisation = OrganisationFactory(source_study=study)
        OrganisationRelationFactory(organisation=organisation, target=linked.vdab, source_study=study)
        ThemeFactory(related=[linked.quality])


@pytest.mark.parametrize("extra", [0, 30])
@pytest.mark.parametrize("name", LISTS)
def test_list_queries_do_not_grow(client, linked, django_assert_max_num_queries, extra, name):
    """A page of a list takes the same few queries with 3 or 33 studies (and as many more
    findings, questions, organisations and themes, all linked) behind it."""
    _add_records(linked, extra)
    # One of them reads the translations of the site's root page for the study links' urls;
    # one finds the request's site, so that the pages' addresses are taken with the request
    # (the site root paths then come from the cache once, not once per page).
    with django_assert_max_num_queries(15):
        data = _get(client, f"/api/v1/{name}/?limit=100")
    assert data["meta"]["total_count"] >= extra + 2


def test_a_list_reads_the_site_root_paths_once_whatever_it_links(client, linked):
    """Every country page a list links to needs the site's root paths for its address. They
    are kept for the response, not read from the cache per page: with Redis that was a round
    trip per country of every study (about 200 for a page of 100 studies)."""
    from django.core.cache import cache
    from wagtail.models.sites import SITE_ROOT_PATHS_CACHE_KEY

    _add_records(linked, 10)
    client.get("/api/v1/onderzoek/?limit=100")  # The root paths are in the cache from here on.
    with mock.patch.object(cache, "get", wraps=cache.get) as get:
        data = _get(client, "/api/v1/onderzoek/?limit=100")
    assert sum(1 for item in data["items"] for _country in item["countries"]) >= 10
    reads = [call for call in get.call_args_list if call.args[:1] == (SITE_ROOT_PATHS_CACHE_KEY,)]
    assert len(reads) <= 1


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    endpoint=st.sampled_from(LISTS),
    parameters=st.dictionaries(
        st.sampled_from(
            [
                "limit",
                "offset",
                "theme",
                "country",
                "model",
                "type",
                "method",
                "year_min",
                "year_max",
                "strength",
                "language",
                "sort",
                "status",
                "kind",
                "lesson_for_nl",
                "format",
                "q",
            ]
        ),
        st.text(max_size=30)
        | st.sampled_from(["1", "-1", "0", "100", "2020", "fi", "ja", "json", "9" * 30, "\x00", "a\x00"]),
        max_size=4,
    ),
)
def test_any_parameters_give_an_answer_never_an_error(client, linked, endpoint, parameters):
    """Whatever the parameters, a list answers 200, 400 or 404 with JSON, never a 500."""
    response = client.get(f"/api/v1/{endpoint}/", parameters)
    assert response.status_code in {200, 400, 404}, (parameters, response.content[:300])
    if response.status_code != 404:
        response.json()
