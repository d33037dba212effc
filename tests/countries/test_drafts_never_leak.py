"""Drafts never leak: markers planted in every kind of draft never reach a public page."""

import pytest
from wagtail.models import Locale, PageViewRestriction

from countries.models import CountryPage
from kit.editions import editions
from models_infra.models import InfrastructureModelPage
from tests.factories import (
    FindingFactory,
    ResearchQuestionFactory,
    StudyFactory,
    cited_paragraphs,
    cited_points,
    make_country,
    make_example,
    make_fact,
    make_model,
    model_index,
)

pytestmark = pytest.mark.django_db

MARKERS = {
    "study": "LEKMARKER-STUDIE",
    "finding": "LEKMARKER-BEVINDING",
    "question": "LEKMARKER-VRAAG",
    "draft_page": "LEKMARKER-CONCEPTPAGINA",
    "draft_revision": "LEKMARKER-CONCEPTREVISIE",
    "draft_model": "LEKMARKER-CONCEPTMODEL",
    "draft_translation": "LEKMARKER-CONCEPTVERTALING",
    "private_translation": "LEKMARKER-BESLOTENVERTALING",
    "translation_of_private": "LEKMARKER-VERTALINGVANBESLOTEN",
    "translation_of_unpublished": "LEKMARKER-VERTALINGVANOFFLINE",
}


@pytest.fixture
def planted(site_tree):
    """Live pages that cite, link and neighbour drafts carrying a marker each."""
    draft_study = StudyFactory(title=MARKERS["study"], slug="concept-studie", live=False)
    live_study = StudyFactory(title="Openbaar onderzoek")
    model = make_model(
        "network",
        title="Netwerk",
        strengths=cited_points(("Korte lijnen.", [(draft_study, "p. 1"), (live_study, "p. 2")])),
    )
    make_model("linking-pin", title=MARKERS["draft_model"], live=False)
    index = model_index()
    index.central_question = cited_paragraphs(("<p>Centrale vraag.</p>", [(draft_study, "p. 3")]))
    index.save_revision().publish()

    live = make_country(
        "FI",
        title="Finland",
        infrastructure_model=model,
        context=cited_paragraphs(("<p>Context.</p>", [(draft_study, "p. 4"), (live_study, "p. 5")])),
    )
    make_fact(live, value="Ja", source_study=draft_study)
    draft_study.countries.add(live)
    draft_study.infrastructure_models.add(model)
    draft_study.save()

    draft_finding = FindingFactory(statement=MARKERS["finding"], study=live_study, live=False)
    draft_finding.countries.add(live)
    draft_finding.save()
    finding_on_draft_study = FindingFactory(statement="Bevinding van een concept.", study=draft_study)
    finding_on_draft_study.countries.add(live)
    finding_on_draft_study.save()
    live_finding = FindingFactory(statement="Openbare bevinding.", study=live_study)
    live_finding.countries.add(live)
    live_finding.save()
    draft_question = ResearchQuestionFactory(question=MARKERS["question"], live=False)
    draft_question.countries.add(live)
    draft_question.save()

    draft_page = make_country(
        "SE", title="Zweden", live=False, summary=MARKERS["draft_page"], infrastructure_model=model
    )
    make_example(model, title="Voorbeeld in concept", country=draft_page, source_study=draft_study)

    revised = make_country("NO", title="Noorwegen", infrastructure_model=model)
    revised.summary = "Tweede editie van NO."
    revised.save_revision().publish()
    revised = CountryPage.objects.get(pk=revised.pk)
    revised.summary = MARKERS["draft_revision"]
    revised.save_revision()

    # An English translation that is still a draft (its parents become English aliases).
    draft_translation = live.copy_for_translation(Locale.objects.get(language_code="en"), copy_parents=True)
    draft_translation.summary = MARKERS["draft_translation"]
    draft_translation.save_revision()

    # Live English translations that are not public: one behind a password of its own, one
    # of a Dutch page that was made private, one of a Dutch page that was unpublished.
    hidden = {}
    for code, title, kind in [
        ("DK", "Denemarken", "private_translation"),
        ("IS", "IJsland", "translation_of_private"),
        ("EE", "Estland", "translation_of_unpublished"),
    ]:
        dutch = make_country(code, title=title, infrastructure_model=model)
        english = dutch.copy_for_translation(Locale.objects.get(language_code="en"), copy_parents=True)
        english.title = f"{title} {MARKERS[kind]}"
        english.summary = MARKERS[kind]
        english.save_revision().publish()
        if kind == "private_translation":
            PageViewRestriction.objects.create(
                page=english, restriction_type=PageViewRestriction.PASSWORD, password="geheim"
            )
        elif kind == "translation_of_private":
            PageViewRestriction.objects.create(page=dutch, restriction_type=PageViewRestriction.LOGIN)
        else:
            dutch.unpublish()
        hidden[kind] = english
    return {"live": live, "revised": revised, "draft_page": draft_page, "hidden_translations": hidden}


def _assert_no_marker(client, urls, draft_study_address):
    """Every one of ``urls`` answers 200 without any marker or the draft study's address."""
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        content = response.content.decode()
        for kind, marker in MARKERS.items():
            assert marker not in content, (url, kind)
        assert draft_study_address not in content, url


def _public_urls():
    """The overviews, the search and the sitemap, and the address of every public Dutch page
    (the addresses are Dutch; an English visitor is served the translation there)."""
    urls = ["/landen/", "/kennisinfrastructuur/", "/sitemap-paginas.xml"]
    urls += [f"/zoeken/?q={word}" for word in ["Denemarken", "IJsland", "Finland", "LEKMARKER"]]
    urls += [page.url for page in CountryPage.objects.live().public().filter(locale__language_code="nl")]
    urls += [
        page.url
        for page in InfrastructureModelPage.objects.live().public().filter(locale__language_code="nl")
    ]
    return urls + _edition_urls()


def _edition_urls():
    """The editions of every public profile and model page: the list, each edition, the
    comparison of the first and the last, and the citation downloads of the last."""
    urls = []
    for model in (CountryPage, InfrastructureModelPage):
        for page in model.objects.live().public().filter(locale__language_code="nl"):
            count = len(editions(page))
            urls.append(f"{page.url}versies/")
            urls += [f"{page.url}versies/{number}/" for number in range(1, count + 1)]
            if count > 1:
                urls.append(f"{page.url}versies/1/vergelijk/{count}/")
            urls += [f"{page.url}versies/{count}/citeer/{fmt}/" for fmt in ("ris", "bibtex", "csl-json")]
    return urls


@pytest.mark.parametrize("language", ["nl", "en"])
def test_no_marker_on_any_public_page(client, planted, language):
    """/landen/, every live profile, /kennisinfrastructuur/ and every live model page are free
    of draft studies, findings, questions, draft pages, draft revisions and draft
    translations, in either interface language; so are the search and the sitemap, and no
    translation shows that is private itself or whose Dutch page is private or unpublished."""
    urls = _public_urls()
    assert {"/landen/fi/", "/landen/no/", "/kennisinfrastructuur/network/"} <= set(urls)
    client.cookies["django_language"] = language
    # A comparison snapshot of the profiles with a draft source and a draft revision.
    snapshot = client.post("/vergelijken/s/", {"landen": "fi,no,dk"})
    assert snapshot.status_code == 303
    urls += [snapshot["Location"], snapshot["Location"] + "citeer/ris/"]
    _assert_no_marker(client, urls, "/onderzoek/concept-studie/")


def test_live_content_still_shows_next_to_drafts(client, planted):
    """The filters keep drafts out without hiding what is public: live studies, findings and
    the live version of a page with a pending draft revision still render."""
    profile = client.get("/landen/fi/").content.decode()
    assert "Openbaar onderzoek" in profile
    assert "Openbare bevinding." in profile
    # A live finding of a draft study is not public, as everywhere in the knowledge base (its
    # own page is a 404); the fact that cites the draft study names its source "niet openbaar".
    assert "Bevinding van een concept." not in profile
    assert "niet openbaar" in profile
    assert "Tweede editie van NO." in client.get("/landen/no/").content.decode()
    model_page = client.get("/kennisinfrastructuur/network/").content.decode()
    assert "Noorwegen" in model_page
    assert "Zweden" not in model_page


@pytest.mark.parametrize("language", ["nl", "en"])
def test_pages_that_are_not_public_have_no_editions(client, planted, language):
    """A draft profile, a private one and an unpublished one have no public editions in
    either language, nor does a translation whose Dutch page is private or unpublished."""
    client.cookies["django_language"] = language
    for slug in ["se", "is", "ee"]:
        for path in ["versies/", "versies/1/", "versies/1/citeer/ris/"]:
            assert client.get(f"/landen/{slug}/{path}").status_code == 404, (slug, path)


def test_an_edition_shows_the_published_text_not_the_draft(client, planted):
    assert "Tweede editie van NO." in client.get("/landen/no/versies/2/").content.decode()
    assert "Samenvatting van NO." in client.get("/landen/no/versies/1/").content.decode()
    assert client.get("/landen/no/versies/3/").status_code == 404


def _api_urls(client):
    """The pages API's listings and the record of every page it lists."""
    listing = client.get("/api/v1/paginas/?limit=100&fields=*")
    assert listing.status_code == 200
    items = listing.json()["items"]
    urls = [
        "/api/v1/paginas/?limit=100",
        "/api/v1/paginas/?type=countries.CountryPage&fields=*",
        "/api/v1/paginas/?type=models_infra.InfrastructureModelPage&fields=*",
        "/api/v1/paginas/?search=Zweden",
    ]
    return urls + [f"/api/v1/paginas/{item['id']}/" for item in items], items


def test_no_marker_in_the_pages_api(client, planted):
    """The pages API lists and shows live, public pages in their published version only: no
    draft page, translation that is not public (or whose Dutch page is not), draft revision or
    draft study (as a citation, a fact's source or an example's
    source), and an example's unpublished country is no link."""
    urls, items = _api_urls(client)
    ids = {item["id"] for item in items}
    assert planted["live"].pk in ids and planted["revised"].pk in ids
    assert planted["draft_page"].pk not in ids
    hidden = planted["hidden_translations"]
    assert not ids & {page.pk for page in hidden.values()}
    urls += [f"/api/v1/paginas/?search={word}" for word in ["Denemarken", "IJsland", "Estland"]]
    _assert_no_marker(client, urls, "concept-studie")
    for page in hidden.values():
        assert client.get(f"/api/v1/paginas/{page.pk}/").status_code == 404
    assert client.get(f"/api/v1/paginas/{planted['draft_page'].pk}/").status_code == 404
    profile = client.get(f"/api/v1/paginas/{planted['live'].pk}/").json()
    sources = profile["context"][0]["value"]["sources"]
    assert [source["study"] and source["study"]["title"] for source in sources] == [
        None,
        "Openbaar onderzoek",
    ]
    assert [fact["source"] for fact in profile["facts"]] == [None]
    model = InfrastructureModelPage.objects.get(key="network")
    example = client.get(f"/api/v1/paginas/{model.pk}/").json()["examples"][0]
    assert example["country"] is None and example["source"] is None
