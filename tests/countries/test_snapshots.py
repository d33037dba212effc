"""Citable comparisons: a comparison saved as a snapshot under a permanent address."""

import json

import pytest
import rispy
from django.test import Client

from countries import snapshots
from countries.models import ComparisonSnapshot, CountryPage
from knowledgebase.models import Study
from tests.factories import DimensionFactory, StudyFactory, make_country, make_fact

pytestmark = pytest.mark.django_db

CHOICE = {"landen": "fi", "referentie": "nl"}
# The snapshot, the public profiles and their models and view restrictions, their editions,
# the sources still published, and the site.
SNAPSHOT_MAX_QUERIES = 10


@pytest.fixture
def countries(site_tree):
    dimension = DimensionFactory(name="Wettelijk recht op begeleiding", section="policy")
    study = StudyFactory(title="Openbaar onderzoek")
    draft_study = StudyFactory(title="CONCEPTSTUDIE", live=False)
    netherlands = make_country("NL", title="Nederland")
    finland = make_country("FI", title="Finland")
    make_fact(netherlands, dimension=dimension, value="Nee", source_study=study)
    make_fact(finland, dimension=dimension, value="Ja", detail="Sinds 2010.", source_study=draft_study)
    # Facts are rows of the page: publish again so the edition holds them.
    for page in (netherlands, finland):
        CountryPage.objects.get(pk=page.pk).save_revision().publish()
    return {"nl": netherlands, "fi": finland, "dimension": dimension}


def _save(client, data=CHOICE):
    return client.post("/vergelijken/s/", data)


def test_the_comparison_page_offers_to_save_a_snapshot(client, countries):
    html = client.get("/vergelijken/?landen=fi").content.decode()
    assert 'action="/vergelijken/s/"' in html
    assert 'method="post"' in html
    assert "csrfmiddlewaretoken" in html


def test_saving_gives_a_permanent_page_showing_the_comparison(client, countries):
    response = _save(client)
    assert response.status_code == 303
    url = response["Location"]
    assert url.startswith("/vergelijken/s/")
    html = client.get(url).content.decode()
    assert "Wettelijk recht op begeleiding" in html
    assert "Nee" in html and "Ja" in html
    assert "Openbaar onderzoek" in html
    assert "CONCEPTSTUDIE" not in html
    assert 'href="/landen/fi/versies/2/"' in html  # the edition it used
    assert "Citeer deze vergelijking" in html
    assert f"http://testserver{url}" in html
    assert "nieuwere editie" not in html


def test_snapshots_are_idempotent_and_change_with_the_content(client, countries):
    first = _save(client)["Location"]
    assert _save(client)["Location"] == first
    assert ComparisonSnapshot.objects.count() == 1
    assert _save(client, {**CHOICE, "verschillen": "1"})["Location"] != first
    finland = CountryPage.objects.get(pk=countries["fi"].pk)
    finland.facts.update(value="Ja, wettelijk")
    finland = CountryPage.objects.get(pk=finland.pk)
    finland.save_revision().publish()
    second = _save(client)["Location"]
    assert second != first


def test_snapshot_stays_as_it_was_and_notes_a_newer_edition(client, countries):
    url = _save(client)["Location"]
    finland = CountryPage.objects.get(pk=countries["fi"].pk)
    finland.facts.update(value="Gewijzigde waarde")
    CountryPage.objects.get(pk=finland.pk).save_revision().publish()
    html = client.get(url).content.decode()
    assert "Gewijzigde waarde" not in html
    assert "Ja" in html
    assert "nieuwere editie" in html


def test_snapshots_never_capture_drafts(client, countries):
    finland = CountryPage.objects.get(pk=countries["fi"].pk)
    finland.title = "CONCEPTTITEL"
    finland.save_revision()
    draft = make_country("SE", title="Zweden", live=False)
    assert _save(client, {"landen": "fi,se"}).status_code == 400
    html = client.get(_save(client)["Location"]).content.decode()
    assert "CONCEPTTITEL" not in html
    assert draft.title not in html
    assert ComparisonSnapshot.objects.count() == 1
    assert "CONCEPT" not in json.dumps(ComparisonSnapshot.objects.get().data)


def test_bad_input_is_400_with_a_dutch_message(client, countries):
    for data in [{}, {"landen": "xx"}, {"landen": "fi", "referentie": "geen"}, {"landen": "\x00"}]:
        response = _save(client, data)
        assert response.status_code == 400, data
        assert "vergelijking" in response.content.decode().lower()
    assert client.get("/vergelijken/s/").status_code == 405
    assert client.get("/vergelijken/s/onbekend/").status_code == 404


def test_saving_needs_the_csrf_token(countries):
    client = Client(enforce_csrf_checks=True)
    assert client.post("/vergelijken/s/", CHOICE).status_code == 403


def test_saving_is_rate_limited_per_client_without_storing_the_address(client, countries, monkeypatch):
    monkeypatch.setattr(snapshots, "RATE_LIMIT", 2)
    assert _save(client).status_code == 303
    assert _save(client).status_code == 303
    response = _save(client)
    assert response.status_code == 429
    assert "Te veel" in response.content.decode()
    other = client.post("/vergelijken/s/", CHOICE, REMOTE_ADDR="10.0.0.2")
    assert other.status_code == 303
    for snapshot in ComparisonSnapshot.objects.all():
        assert "127.0.0.1" not in json.dumps(snapshot.data)


def test_snapshot_citation_downloads(client, countries):
    url = _save(client)["Location"]
    (record,) = rispy.loads(client.get(f"{url}citeer/ris/").content.decode())
    assert record["urls"] == [f"http://testserver{url}"]
    assert "Finland" in record["title"]
    (item,) = json.loads(client.get(f"{url}citeer/csl-json/").content)
    assert item["type"] == "webpage"
    assert client.get(f"{url}citeer/doc/").status_code == 404


def test_a_source_withdrawn_later_is_no_longer_named(client, countries):
    url = _save(client)["Location"]
    assert "Openbaar onderzoek" in client.get(url).content.decode()
    study = Study.objects.get(title="Openbaar onderzoek")
    study.unpublish()
    html = client.get(url).content.decode()
    assert "Openbaar onderzoek" not in html
    assert "Deze bron is niet meer openbaar." in html


@pytest.mark.parametrize("count", [1, 6])
def test_snapshot_page_query_count_does_not_grow(client, countries, django_assert_max_num_queries, count):
    """The snapshot page reads the snapshot, the public profiles, their editions and the
    sources in a fixed number of queries, however many countries and rows it has."""
    codes = ["BE-VLG", "NO", "SE", "DK", "IS", "EE"][:count]
    for code in codes:
        page = make_country(code)
        make_fact(page, dimension=countries["dimension"], value=f"Waarde {code}")
        for index in range(3):
            make_fact(page, dimension=DimensionFactory(section="context"), value=f"{code} {index}")
        CountryPage.objects.get(pk=page.pk).save_revision().publish()
    slugs = ",".join(["fi", *(code.lower() for code in codes)])
    url = _save(client, {"landen": slugs})["Location"]
    client.get(url)
    with django_assert_max_num_queries(SNAPSHOT_MAX_QUERIES):
        response = client.get(url)
    assert response.status_code == 200
    assert f"Waarde {codes[-1]}" in response.content.decode()
