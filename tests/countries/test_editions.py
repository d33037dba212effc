"""Citable editions of country profiles and model pages: the list, each edition as it was
published, the comparison of two editions and the citation of each."""

import json

import bibtexparser
import pytest
import rispy
from django.utils import timezone
from wagtail.models import Locale, PageLogEntry, PageViewRestriction

from countries.models import CountryPage
from models_infra.models import InfrastructureModelPage
from tests.factories import (
    OrganisationFactory,
    StudyFactory,
    cited_paragraphs,
    cited_points,
    make_country,
    make_example,
    make_fact,
    make_model,
)

pytestmark = pytest.mark.django_db

# Wagtail routing, the site and the view restrictions (11), the page log, the revision, its
# comments, the dimensions and sources of the facts, the locale, the studies cited (with
# authors) and one query per non-empty section for the citations in its blocks.
EDITION_MAX_QUERIES = 22


def publish(page, **changes):
    """Publish a new edition of ``page`` with ``changes``."""
    page = type(page).objects.get(pk=page.pk)
    for name, value in changes.items():
        setattr(page, name, value)
    page.save_revision().publish()
    return type(page).objects.get(pk=page.pk)


@pytest.fixture
def finland(site_tree):
    study = StudyFactory(title="Openbaar onderzoek")
    page = make_country(
        "FI",
        title="Finland",
        summary="Eerste samenvatting.",
        context=cited_paragraphs(("<p>Oude alinea over de context.</p>", [(study, "p. 1")])),
    )
    make_fact(page, value="Ja")
    page = publish(page)  # edition 2: with the fact
    page = publish(
        page,
        summary="Tweede samenvatting.",
        context=cited_paragraphs(
            ("<p>Nieuwe alinea over de context.</p>", [(study, "p. 1")]),
            ("<p>Een toegevoegde alinea &amp; meer.</p>", []),
        ),
    )
    return page


def test_versions_list_numbers_editions_in_publish_order(client, finland):
    response = client.get("/landen/fi/versies/")
    assert response.status_code == 200
    html = response.content.decode()
    for number in (1, 2, 3):
        assert f'href="/landen/fi/versies/{number}/"' in html
    assert "huidige editie" in html


def test_an_old_edition_shows_the_text_as_published_then(client, finland):
    response = client.get("/landen/fi/versies/1/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Eerste samenvatting." in html
    assert "Oude alinea over de context." in html
    assert "Nieuwe alinea" not in html
    assert "Editie 1 van 3" in html
    assert "eerdere editie" in html
    date = PageLogEntry.objects.filter(page=finland, action="wagtail.publish").earliest("timestamp")
    assert f'datetime="{timezone.localtime(date.timestamp):%Y-%m-%d}' in html


def test_unknown_editions_are_404(client, finland):
    assert client.get("/landen/fi/versies/4/").status_code == 404
    assert client.get("/landen/fi/versies/0/").status_code == 404
    assert client.get("/landen/fi/versies/x/").status_code == 404


def test_comparison_of_two_editions_per_section(client, finland):
    response = client.get("/landen/fi/versies/1/vergelijk/3/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Samenvatting" in html
    assert "<del>Eerste</del>" in html and "<ins>Tweede</ins>" in html
    assert "<del>Oude</del>" in html and "<ins>Nieuwe</ins>" in html
    # Added text is shown escaped, never as markup.
    assert "Een toegevoegde alinea &amp; meer." in html
    assert "Vergelijkbare feiten" in html  # the fact was added in edition 2


def test_the_compare_form_redirects_and_rejects_bad_input(client, finland):
    response = client.get("/landen/fi/versies/vergelijk/?van=3&naar=1")
    assert response.status_code == 302
    assert response["Location"] == "/landen/fi/versies/1/vergelijk/3/"
    for query in ["van=1&naar=1", "van=a&naar=2", "van=1&naar=9", "", "van=%00&naar=2"]:
        response = client.get(f"/landen/fi/versies/vergelijk/?{query}")
        assert response.status_code == 400, query
        assert "editie" in response.content.decode()


def test_profile_cites_its_current_edition(client, finland):
    html = client.get("/landen/fi/").content.decode()
    assert "Citeer deze pagina" in html
    assert "http://testserver/landen/fi/versies/3/" in html
    assert "Kennisportaal Loopbaanbegeleiding. (" in html
    assert "<i>Finland: landenprofiel</i> (editie 3)." in html
    assert 'href="/landen/fi/versies/3/citeer/ris/"' in html


def test_citation_downloads_read_back(client, finland):
    ris = client.get("/landen/fi/versies/2/citeer/ris/")
    assert ris.status_code == 200
    assert "attachment" in ris["Content-Disposition"]
    (record,) = rispy.loads(ris.content.decode())
    assert record["title"] == "Finland: landenprofiel"
    assert record["edition"] == "2"
    assert record["urls"] == ["http://testserver/landen/fi/versies/2/"]

    bib = client.get("/landen/fi/versies/2/citeer/bibtex/").content.decode()
    (entry,) = bibtexparser.parse_string(bib).entries
    assert entry.entry_type == "online"
    assert entry["version"] == "2"
    assert entry["url"] == "http://testserver/landen/fi/versies/2/"

    (item,) = json.loads(client.get("/landen/fi/versies/2/citeer/csl-json/").content)
    assert item["type"] == "webpage"
    assert item["version"] == "2"
    assert item["author"] == [{"literal": "Kennisportaal Loopbaanbegeleiding"}]
    assert item["URL"] == "http://testserver/landen/fi/versies/2/"

    assert client.get("/landen/fi/versies/2/citeer/pdf/").status_code == 404


def test_drafts_are_never_an_edition(client, finland):
    page = CountryPage.objects.get(pk=finland.pk)
    page.summary = "CONCEPTMARKER"
    page.save_revision()
    assert client.get("/landen/fi/versies/4/").status_code == 404
    for url in ["/landen/fi/versies/", "/landen/fi/versies/3/", "/landen/fi/versies/1/vergelijk/3/"]:
        assert "CONCEPTMARKER" not in client.get(url).content.decode(), url


def test_unpublished_and_private_profiles_have_no_public_editions(client, finland):
    PageViewRestriction.objects.create(page=finland, restriction_type=PageViewRestriction.LOGIN)
    for url in ["/landen/fi/versies/", "/landen/fi/versies/1/", "/landen/fi/versies/1/citeer/ris/"]:
        assert client.get(url).status_code == 404, url
    PageViewRestriction.objects.all().delete()
    CountryPage.objects.get(pk=finland.pk).unpublish()
    for url in ["/landen/fi/versies/", "/landen/fi/versies/1/", "/landen/fi/versies/1/vergelijk/2/"]:
        assert client.get(url).status_code == 404, url


def test_an_english_visitor_sees_the_translations_editions(client, finland):
    english = finland.copy_for_translation(Locale.objects.get(language_code="en"), copy_parents=True)
    english.summary = "English summary."
    english.save_revision().publish()
    client.cookies["django_language"] = "en"
    client.post("/taal/", {"language": "en", "next": "/"})
    html = client.get("/landen/fi/versies/1/").content.decode()
    assert "English summary." in html
    CountryPage.objects.get(pk=finland.pk).unpublish()
    assert client.get("/landen/fi/versies/1/").status_code == 404


@pytest.mark.parametrize("count", [2, 60])
def test_edition_page_query_count_does_not_grow(client, site_tree, django_assert_max_num_queries, count):
    studies = StudyFactory.create_batch(3)
    page = make_country(
        "FI",
        title="Finland",
        context=cited_paragraphs(*[(f"<p>Alinea {i}</p>", [(studies[i % 3], "p. 1")]) for i in range(count)]),
        policy=cited_paragraphs(("<p>Beleid</p>", [(studies[0], "p. 2")])),
    )
    for i in range(count):
        make_fact(page, value=f"Waarde {i}", source_study=studies[i % 3])
    publish(page)
    client.get("/landen/fi/versies/2/")
    with django_assert_max_num_queries(EDITION_MAX_QUERIES):
        response = client.get("/landen/fi/versies/2/")
    assert response.status_code == 200
    assert f"Waarde {count - 1}" in response.content.decode()


def test_model_page_editions(client, site_tree):
    study = StudyFactory()
    model = make_model(
        "network", title="Netwerk", strengths=cited_points(("Korte lijnen.", [(study, "p. 2")]))
    )
    draft_organisation = OrganisationFactory(name="CONCEPTORGANISATIE", live=False)
    make_example(
        model,
        organisations=[OrganisationFactory(name="Openbare organisatie"), draft_organisation],
        title="Voorbeeld in Finland",
        source_study=study,
    )
    model = publish(model, strengths=cited_points(("Korte en snelle lijnen.", [(study, "p. 2")])))
    html = client.get("/kennisinfrastructuur/network/").content.decode()
    assert "Citeer deze pagina" in html
    assert "<i>Netwerk: kennisinfrastructuurmodel</i> (editie 2)." in html
    first = client.get("/kennisinfrastructuur/network/versies/1/").content.decode()
    assert "Korte lijnen." in first
    assert "Voorbeeld in Finland" not in first  # the example came with edition 2
    second = client.get("/kennisinfrastructuur/network/versies/2/").content.decode()
    assert "Voorbeeld in Finland" in second
    assert "Openbare organisatie" in second
    assert "CONCEPTORGANISATIE" not in second
    diff = client.get("/kennisinfrastructuur/network/versies/1/vergelijk/2/").content.decode()
    assert "Korte<ins> en snelle</ins> lijnen." in diff
    InfrastructureModelPage.objects.get(pk=model.pk).unpublish()
    assert client.get("/kennisinfrastructuur/network/versies/").status_code == 404


@pytest.mark.parametrize("count", [2, 40])
def test_model_edition_query_count_does_not_grow(client, site_tree, django_assert_max_num_queries, count):
    studies = StudyFactory.create_batch(3)
    countries = [make_country(code) for code in ("FI", "NO", "SE")]
    points = cited_points(*[(f"Punt {i}.", [(studies[i % 3], "p. 1")]) for i in range(count)])
    model = make_model("network", title="Netwerk", strengths=points)
    organisations = OrganisationFactory.create_batch(3)
    for i in range(count):
        make_example(
            model,
            organisations=[organisations[i % 3]],
            title=f"Voorbeeld {i}",
            country=countries[i % 3],
            source_study=studies[i % 3],
        )
    publish(model)
    client.get("/kennisinfrastructuur/network/versies/2/")
    with django_assert_max_num_queries(EDITION_MAX_QUERIES):
        response = client.get("/kennisinfrastructuur/network/versies/2/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f"Voorbeeld {count - 1}" in html
    assert organisations[(count - 1) % 3].name in html


def test_the_yearly_revision_clean_up_keeps_every_edition(finland):
    """Old drafts go; a revision that was published stays, however old: readers cite it."""
    import datetime

    from django.utils import timezone
    from wagtail.models import Revision

    from portal.tasks import purge_revisions

    page = CountryPage.objects.get(pk=finland.pk)
    page.summary = "Een concept dat nooit live ging."
    draft = page.save_revision()
    page.summary = "Het nieuwste concept."
    page.save_revision()
    revisions = Revision.objects.filter(object_id=str(page.pk), base_content_type__model="page")
    revisions.update(created_at=timezone.now() - datetime.timedelta(days=400))
    published = set(
        PageLogEntry.objects.filter(page=page, action="wagtail.publish").values_list("revision_id", flat=True)
    )
    assert len(published) == 3

    assert purge_revisions() == 1

    remaining = set(revisions.values_list("pk", flat=True))
    assert draft.pk not in remaining
    assert published <= remaining
    assert len(remaining) == 4  # Three editions and the latest draft.
