"""Wagtail's pages API under ``/api/v1/paginas/``: the portal's pages with their own fields,
public pages only, and bounded queries."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wagtail.models import PageViewRestriction

from tests.factories import (
    OrganisationFactory,
    StudyFactory,
    cited_paragraphs,
    make_country,
    make_example,
    make_fact,
    make_model,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def profile(site_tree):
    study = StudyFactory(title="Mapping in Europa", slug="mapping-europa")
    model = make_model("network", title="Netwerk")
    finland = make_country(
        "FI",
        title="Finland",
        infrastructure_model=model,
        last_verified="2026-10-01",
        context=cited_paragraphs(("<p>Finland werkt regionaal.</p>", [(study, "Hoofdstuk 2")])),
    )
    make_fact(finland, value="Landelijk kader", detail="Een kader voor alle diensten.", source_study=study)
    make_example(model, organisations=[OrganisationFactory(name="ELY", slug="ely")], country=finland)
    return finland


def test_country_profile_in_the_api(client, profile):
    """A profile's record has its code, summary, sections with public citations, facts with
    their dimension and source, and its model."""
    listing = client.get("/api/v1/paginas/?type=countries.CountryPage&fields=code,last_verified")
    assert listing.status_code == 200
    [item] = listing.json()["items"]
    assert (item["title"], item["code"], item["last_verified"]) == ("Finland", "FI", "2026-10-01")
    assert item["meta"]["html_url"] == "http://testserver/landen/fi/"

    record = client.get(item["meta"]["detail_url"]).json()
    paragraph = record["context"][0]["value"]
    assert paragraph["text"] == "<p>Finland werkt regionaal.</p>"
    assert paragraph["sources"] == [
        {
            "study": {
                "slug": "mapping-europa",
                "title": "Mapping in Europa",
                "year": StudyFactory._meta.model.objects.get().year,
                "html_url": "http://testserver/onderzoek/mapping-europa/",
            },
            "locator": "Hoofdstuk 2",
        }
    ]
    [fact] = record["facts"]
    assert fact["value"] == "Landelijk kader"
    assert fact["source"]["study"]["slug"] == "mapping-europa"
    assert record["infrastructure_model"]["title"] == "Netwerk"


def test_model_page_in_the_api(client, profile):
    """A model page's record has its definition and worked examples with their country and
    organisations."""
    model = profile.infrastructure_model
    record = client.get(f"/api/v1/paginas/{model.pk}/").json()
    assert record["key"] == "network"
    [example] = record["examples"]
    assert example["country"]["title"] == "Finland"
    assert example["organisations"] == [{"slug": "ely", "name": "ELY"}]


def test_private_pages_are_left_out(client, profile):
    """A page behind a login or password, and everything under it, is not in the API."""
    PageViewRestriction.objects.create(page=profile, restriction_type=PageViewRestriction.LOGIN)
    ids = {item["id"] for item in client.get("/api/v1/paginas/?limit=100").json()["items"]}
    assert profile.pk not in ids
    assert client.get(f"/api/v1/paginas/{profile.pk}/").status_code == 404
    example = client.get(f"/api/v1/paginas/{profile.infrastructure_model.pk}/").json()["examples"][0]
    assert example["country"] is None


def test_fields_that_read_records_are_for_one_page(client, profile):
    """Facts, sections and examples are not offered in a listing, with a 400 that says so."""
    response = client.get("/api/v1/paginas/?type=countries.CountryPage&fields=facts")
    assert response.status_code == 400
    assert "facts" in response.json()["message"]


@pytest.mark.parametrize(
    "query",
    [
        "limit=0",
        "limit=101",
        "offset=x",
        "type=bestaat.Niet",
        "order=bestaat_niet",
        "onbekend=1",
        "search=%00",
        "title=a%00",
        "fields=%00",
        "order=%00",
        "search=finland&search_operator=misschien",
    ],
)
def test_bad_parameters_are_a_400(client, profile, query):
    """Bad paging, an unknown type, order or parameter, or a NUL byte anywhere (which
    PostgreSQL cannot take) gives a 400 with a message."""
    response = client.get(f"/api/v1/paginas/?{query}")
    assert response.status_code == 400
    assert response.json()


@pytest.mark.parametrize(
    "search", ['"', '""', "*", "(", 'Finland"', '"Finland', "-Finland", "Finland*", "(Finland"]
)
def test_search_syntax_is_read_as_words(client, profile, search):
    """Quotes and operators are not the database's full-text syntax (a stray quote was a 500
    on SQLite): the words are searched for, so each of these still finds Finland, or nothing."""
    response = client.get("/api/v1/paginas/", {"search": search})
    assert response.status_code == 200
    titles = [item["title"] for item in response.json()["items"]]
    assert titles == (["Finland"] if "Finland" in search else [])


@pytest.mark.parametrize("countries", [1, 8])
def test_listing_queries_do_not_grow(client, profile, django_assert_max_num_queries, countries):
    """Listing every profile with all its listing fields takes the same queries for 2 or 9."""
    for code in ["NL", "NO", "SE", "DK", "IS", "DE", "AT", "FR"][:countries]:
        make_fact(make_country(code), value="Ja")
    # One of them reads the translations of the site's root page for the urls.
    with django_assert_max_num_queries(11):
        response = client.get("/api/v1/paginas/?type=countries.CountryPage&fields=*&limit=100")
    assert response.json()["meta"]["total_count"] == countries + 1


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    path=st.sampled_from(["/api/v1/paginas/", "/api/v1/paginas/find/"]),
    parameters=st.dictionaries(
        st.sampled_from(
            [
                "limit",
                "offset",
                "fields",
                "order",
                "search",
                "search_operator",
                "type",
                "child_of",
                "descendant_of",
                "ancestor_of",
                "html_path",
                "id",
                "site",
                "slug",
                "title",
                "locale",
            ]
        ),
        st.text(max_size=30) | st.sampled_from(["\x00", "-1", "0", "*", "99999999999999999999", "and", "/"]),
        max_size=3,
    ),
)
def test_any_parameters_give_an_answer_never_an_error(client, profile, path, parameters):
    """Whatever the parameters, the pages API answers with a page, a redirect, a 400 or a
    404, never a 500."""
    response = client.get(path, parameters)
    assert response.status_code in {200, 302, 400, 404}, (parameters, response.content[:300])


def test_read_only(client, profile):
    """The pages API answers nothing but GET and HEAD."""
    for method in ("post", "put", "patch", "delete", "options"):
        assert getattr(client, method)(f"/api/v1/paginas/{profile.pk}/").status_code == 405
    assert client.head(f"/api/v1/paginas/{profile.pk}/").status_code == 200
