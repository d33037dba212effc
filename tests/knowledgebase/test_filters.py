"""Filters, sorting, pagination and bad query strings on the public lists."""

import re

import pytest
from django.urls import reverse

from knowledgebase.models import Study
from tests.factories import (
    FindingFactory,
    MethodFactory,
    OrganisationFactory,
    ResearchQuestionFactory,
    StudyFactory,
    ThemeFactory,
    make_country,
    make_model,
)

pytestmark = pytest.mark.django_db

STUDIES = reverse("knowledgebase:study_list")


def _slugs(response, key="slug"):
    assert response.status_code == 200, response.content.decode()[:2000]
    return {getattr(item, key) for item in response.context["page_obj"].object_list}


def _themes():
    """The themes quality assurance and learning budgets (the same two on every call)."""
    return (
        ThemeFactory(name="Kwaliteitsborging", slug="kwaliteitsborging"),
        ThemeFactory(name="Individuele leerbudgetten", slug="individuele-leerbudgetten"),
    )


@pytest.fixture
def three_studies(site_tree):
    """Three published studies that differ in every study filter and sort order:
    ``kennisinfrastructuur-europa`` (2023, mapping, Dutch, strong; quality; Finland and Norway;
    the model network; desk research and interviews), ``elgpn-resource-kit`` (2015, policy,
    English, moderate; quality and budgets; Norway; desk research) and ``oude-doos`` (2001,
    evaluation, another language, indicative; nothing linked). Their titles sort
    oude-doos, kennisinfrastructuur-europa, elgpn-resource-kit."""
    quality, budgets = _themes()
    finland, norway = make_country("FI", title="Finland"), make_country("NO", title="Noorwegen")
    interviews = MethodFactory(name="Interviews", slug="interviews")
    desk = MethodFactory(name="Deskresearch", slug="deskresearch")
    mapping = StudyFactory(
        title="Kennisinfrastructuur loopbaanbegeleiding in Europa",
        slug="kennisinfrastructuur-europa",
        year=2023,
        study_type="mapping",
        language="nl",
        strength="strong",
        themes=[quality],
    )
    mapping.methods.set([desk, interviews])
    mapping.countries.set([finland, norway])
    mapping.infrastructure_models.set([make_model("network", title="Netwerk")])
    mapping.save()
    elgpn = StudyFactory(
        title="Lifelong guidance policies: a European resource kit",
        slug="elgpn-resource-kit",
        year=2015,
        study_type="policy",
        language="en",
        strength="moderate",
        themes=[quality, budgets],
    )
    elgpn.methods.set([desk])
    elgpn.countries.set([norway])
    elgpn.save()
    StudyFactory(
        title="Aardappelonderzoek uit de oude doos",
        slug="oude-doos",
        year=2001,
        study_type="evaluation",
        language="other",
        strength="indicative",
    )


@pytest.fixture
def two_findings(site_tree):
    """``kwaliteitskader-werkt`` (strong, a lesson for the Netherlands, on quality, in
    Finland) and ``budgetten-onduidelijk`` (limited, not a lesson, on quality and budgets, in
    no country), each in a study of its own."""
    quality, budgets = _themes()
    lesson = FindingFactory(
        slug="kwaliteitskader-werkt", strength="strong", lesson_for_nl=True, themes=[quality]
    )
    lesson.countries.set([make_country("FI", title="Finland")])
    lesson.save()
    FindingFactory(slug="budgetten-onduidelijk", strength="limited", themes=[quality, budgets])


@pytest.fixture
def three_organisations(db):
    """Two organisations in Flanders (an agency and a school) and a Finnish ministry."""
    OrganisationFactory(name="VDAB", slug="vdab", kind="agency", country_code="BE-VLG")
    OrganisationFactory(name="CLB", slug="clb", kind="education", country_code="BE-VLG")
    OrganisationFactory(
        name="Ministerie van Werk", slug="ministerie-werk", kind="ministry", country_code="FI"
    )


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, {"kennisinfrastructuur-europa", "elgpn-resource-kit", "oude-doos"}),
        ({"theme": "individuele-leerbudgetten"}, {"elgpn-resource-kit"}),
        ({"country": "fi"}, {"kennisinfrastructuur-europa"}),
        ({"model": "network"}, {"kennisinfrastructuur-europa"}),
        ({"type": "policy"}, {"elgpn-resource-kit"}),
        ({"method": "interviews"}, {"kennisinfrastructuur-europa"}),
        ({"year_min": "2010"}, {"kennisinfrastructuur-europa", "elgpn-resource-kit"}),
        ({"year_max": "2015"}, {"elgpn-resource-kit", "oude-doos"}),
        ({"year_min": "2010", "year_max": "2020"}, {"elgpn-resource-kit"}),
        ({"strength": "indicative"}, {"oude-doos"}),
        ({"language": "en"}, {"elgpn-resource-kit"}),
        (
            {"theme": "kwaliteitsborging", "country": "no"},
            {"kennisinfrastructuur-europa", "elgpn-resource-kit"},
        ),
    ],
)
def test_study_filters_narrow_results(client, three_studies, params, expected):
    """Each study filter narrows the list to the matching studies, without duplicates."""
    response = client.get(STUDIES, params)
    assert _slugs(response) == expected
    assert response.context["paginator"].count == len(expected)


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("year", ["oude-doos", "elgpn-resource-kit", "kennisinfrastructuur-europa"]),
        ("-year", ["kennisinfrastructuur-europa", "elgpn-resource-kit", "oude-doos"]),
        ("title", ["oude-doos", "kennisinfrastructuur-europa", "elgpn-resource-kit"]),
        ("strength", ["kennisinfrastructuur-europa", "elgpn-resource-kit", "oude-doos"]),
    ],
)
def test_study_sorting(client, three_studies, sort, expected):
    """?sort= orders the studies by year, title or strength."""
    response = client.get(STUDIES, {"sort": sort})
    assert [study.slug for study in response.context["page_obj"].object_list] == expected


def test_draft_country_is_not_a_filter_choice(client, site_tree):
    """A draft country profile cannot be chosen as a filter."""
    # A published country, so that the filter has a choice and only the draft is left out.
    make_country("FI", title="Finland")
    make_country("SE", title="Zweden", live=False)
    response = client.get(STUDIES, {"country": "se"})
    assert response.status_code == 400
    assert "Zweden" not in response.content.decode()


@pytest.mark.parametrize(
    ("url", "params", "expected"),
    [
        ("knowledgebase:finding_list", {"theme": "individuele-leerbudgetten"}, {"budgetten-onduidelijk"}),
        ("knowledgebase:finding_list", {"country": "fi"}, {"kwaliteitskader-werkt"}),
        ("knowledgebase:finding_list", {"strength": "limited"}, {"budgetten-onduidelijk"}),
        ("knowledgebase:finding_list", {"lesson_for_nl": "ja"}, {"kwaliteitskader-werkt"}),
        ("knowledgebase:finding_list", {"lesson_for_nl": "nee"}, {"budgetten-onduidelijk"}),
        ("knowledgebase:organisation_list", {"kind": "ministry"}, {"ministerie-werk"}),
        ("knowledgebase:organisation_list", {"country": "BE-VLG"}, {"vdab", "clb"}),
    ],
)
def test_finding_and_organisation_filters(client, two_findings, three_organisations, url, params, expected):
    """The finding and organisation filters narrow their lists."""
    assert _slugs(client.get(reverse(url), params)) == expected


def test_finding_list_orders_by_strength(client, two_findings):
    """Findings are listed strongest first."""
    response = client.get(reverse("knowledgebase:finding_list"))
    assert [f.slug for f in response.context["page_obj"].object_list] == [
        "kwaliteitskader-werkt",
        "budgetten-onduidelijk",
    ]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "answered"}, "answered_question"),
        ({"theme": "kwaliteitsborging"}, "open_question"),
        ({"country": "fi"}, "open_question"),
    ],
)
def test_question_filters(client, site_tree, params, expected):
    """The research agenda filters by status, theme and country."""
    quality, budgets = _themes()
    open_question = ResearchQuestionFactory(status="open")
    open_question.themes.set([quality])
    open_question.countries.set([make_country("FI", title="Finland")])
    open_question.save()
    answered_question = ResearchQuestionFactory(status="answered")
    answered_question.themes.set([budgets])
    answered_question.save()
    questions = {"open_question": open_question, "answered_question": answered_question}
    response = client.get(reverse("knowledgebase:question_list"), params)
    assert response.status_code == 200
    assert [q.pk for q in response.context["page_obj"].object_list] == [questions[expected].pk]


def test_pagination_pages_of_twenty(client, site_tree):
    """Lists show twenty records per page with links to the next page."""
    Study.objects.bulk_create(
        [
            Study(
                title=f"Studie {n:02}",
                slug=f"studie-{n}",
                year=2000 + n % 20,
                study_type="report",
                summary="s",
                strength="limited",
                live=True,
            )
            for n in range(45)
        ]
    )
    first = client.get(STUDIES)
    assert len(first.context["page_obj"].object_list) == 20
    assert "page=2" in first.content.decode()
    third = client.get(STUDIES, {"page": "3"})
    assert len(third.context["page_obj"].object_list) == 5
    assert third.context["page_message"] is None
    # The navigation above and below the results are two landmarks: each has its own name.
    labels = re.findall(r'<nav aria-label="(Paginanavigatie[^"]*)"', third.content.decode())
    assert len(labels) == len(set(labels)) == 2


@pytest.mark.parametrize("page", ["999", "x", "-1", "0", "1" * 10_000, "1\x00"])
def test_bad_page_numbers_show_a_message(client, db, page):
    """A page beyond the end or a non-number shows a valid page with a clear message."""
    response = client.get(STUDIES, {"page": page})
    assert response.status_code == 200
    assert response.context["page_message"]
    assert 'role="status"' in response.content.decode()


LISTS = [
    "knowledgebase:study_list",
    "knowledgebase:finding_list",
    "knowledgebase:organisation_list",
    "knowledgebase:question_list",
]
BAD_VALUES = ["abc", "does-not-exist", "x" * 10_000, "a\x00b", "\x00", "9" * 10_000, "<script>"]


@pytest.mark.parametrize("url", LISTS)
@pytest.mark.parametrize("value", BAD_VALUES)
def test_bad_filter_values_are_400_with_a_message(client, db, url, value):
    """Invalid filter values give the page with the form error and a 400, never a 500."""
    params = {
        "theme": value,
        "country": value,
        "strength": value,
        "kind": value,
        "status": value,
        "year_min": value,
        "year_max": value,
        "type": value,
        "method": value,
        "model": value,
        "language": value,
        "sort": value,
        "lesson_for_nl": value,
    }
    response = client.get(reverse(url), params)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'class="errorlist' in html
    assert "<script>" not in html.split("<main", 1)[1]


@pytest.mark.parametrize(
    "params",
    [
        {"year_min": "abc"},
        {"theme": "does-not-exist"},
        {"year_min": "1800"},
        {"year_max": "3000"},
        {"year_min": "2020", "year_max": "2010"},
        {"sort": "-title"},
        {"year_min": "2010.5"},
    ],
)
def test_single_bad_study_filter(client, db, params):
    """Each invalid study filter is reported on its own field with a 400."""
    response = client.get(STUDIES, params)
    assert response.status_code == 400
    assert response.context["form"].errors


def test_unknown_parameters_are_ignored(client, db):
    """Parameters the page does not know are ignored."""
    response = client.get(STUDIES, {"utm_source": "x" * 10_000})
    assert response.status_code == 200


def test_post_is_not_allowed(client, db):
    """The public pages only answer GET and HEAD."""
    assert client.post(STUDIES).status_code == 405


def test_filtered_pagination_keeps_filters(client, site_tree):
    """Page links keep the active filters."""
    StudyFactory.create_batch(25, study_type="policy", strength="limited")
    StudyFactory.create_batch(3, study_type="report")
    response = client.get(STUDIES, {"type": "policy"})
    html = response.content.decode()
    assert response.context["paginator"].count == 25
    assert "?type=policy&amp;page=2" in html


def test_a_record_linked_many_times_is_listed_once(client, site_tree):
    """A study on two themes, in two countries, with two models and two methods, filtered on
    one of each, is listed once; the same for a finding on two themes in two countries."""
    quality, budgets = _themes()
    finland, norway = make_country("FI", title="Finland"), make_country("NO", title="Noorwegen")
    network = make_model("network", title="Netwerk")
    interviews = MethodFactory(name="Interviews", slug="interviews")
    study = StudyFactory(slug="veel-links", themes=[quality, budgets])
    study.countries.set([finland, norway])
    study.infrastructure_models.set([network, make_model("linking-pin", title="Spilorganisatie")])
    study.methods.set([MethodFactory(name="Deskresearch", slug="deskresearch"), interviews])
    study.save()
    # A second, stronger match linked once to each, as in a real list: the order by strength
    # pages through each strength apart.
    other = StudyFactory(slug="een-link", strength="strong", themes=[quality])
    other.countries.set([finland])
    other.infrastructure_models.set([network])
    other.methods.set([interviews])
    other.save()
    params = {"theme": "kwaliteitsborging", "country": "fi", "model": "network", "method": "interviews"}
    for extra in ({}, {"sort": "title"}, {"sort": "strength"}):
        response = client.get(STUDIES, {**params, **extra})
        assert [item.slug for item in response.context["page_obj"].object_list].count("veel-links") == 1
        assert response.context["paginator"].count == len(response.context["page_obj"].object_list)
    finding = FindingFactory(study=study, themes=[quality, budgets])
    finding.countries.set([finland, norway])
    finding.save()
    findings = reverse("knowledgebase:finding_list")
    response = client.get(findings, {"theme": "kwaliteitsborging", "country": "fi"})
    listed = [item.pk for item in response.context["page_obj"].object_list]
    assert listed.count(finding.pk) == 1
    assert response.context["paginator"].count == len(listed)
