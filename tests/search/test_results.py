"""Search results are made from the index's documents (``SearchDocument.display``): the same
page as when each record was read, one read for every kind, and never a record that is no
longer public."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from knowledgebase.models import Organisation
from search.models import SearchDocument
from tests.factories import (
    FindingFactory,
    FrameworkFactory,
    OrganisationFactory,
    ResearchQuestionFactory,
    StudyFactory,
    ThemeFactory,
    cited_paragraphs,
    make_country,
    make_model,
)

pytestmark = pytest.mark.django_db

WORD = "walvisbegeleiding"


@pytest.fixture
def every_kind(site_tree):
    """One public record of every kind that mentions ``WORD``, each with what its result shows."""
    organisation = OrganisationFactory(
        name="Walvisbegeleiding Centrum", full_name="Centrum voor walvisbegeleiding", country_code="FI"
    )
    study = StudyFactory(
        title="Walvisbegeleiding in Finland",
        summary="Een evaluatie van walvisbegeleiding.",
        study_type="evaluation",
        strength="moderate",
        language="en",
        year=2021,
        authors=["Jansen, A."],
    )
    FindingFactory(study=study, statement="Walvisbegeleiding werkt in kleine groepen.", locator="p. 4")
    make_country(
        "FI",
        title="Finland",
        context=cited_paragraphs(("<p>Over het land.</p>", [])),
        services_adults=cited_paragraphs(("<p>Volwassenen krijgen walvisbegeleiding.</p>", [])),
    )
    make_model("network", title="Netwerk", summary="Een netwerk voor walvisbegeleiding.")
    FrameworkFactory(name="Kader walvisbegeleiding", description="Principes voor walvisbegeleiding.")
    ResearchQuestionFactory(
        question="Wat levert walvisbegeleiding op?", explanation="Niemand weet het.", raised_by=organisation
    )
    ThemeFactory(name="Walvisbegeleiding", slug="walvisbegeleiding", description="Alles over walvissen.")
    return organisation


def _page(client, **params):
    cache.clear()
    response = client.get("/zoeken/", {"q": WORD, **params})
    assert response.status_code == 200
    return response


def test_results_from_the_index_are_the_results_read_from_the_records(client, every_kind):
    """Every kind's result (title, link, excerpt, meta, badge) reads the same from the index as
    from its record, on the overview and on a kind's own list."""
    overview = _page(client)
    html = overview.content.decode()
    shown = {result.kind.key for preview in overview.context["previews"] for result in preview["results"]}
    assert shown == {
        "onderzoek",
        "bevindingen",
        "landen",
        "modellen",
        "kaders",
        "vragen",
        "organisaties",
        "themas",
    }
    for expected in (
        "Jansen, A.",
        "Evaluatie",
        "Redelijk",
        "p. 4",
        "Finland: Volwassenen en werkenden",
        "#services-adults",
        "Walvisbegeleiding Centrum",
        'lang="en"',
    ):
        assert expected in html, expected
    lists = {kind: _page(client, kind=kind).content for kind in ("onderzoek", "vragen", "landen")}

    SearchDocument.objects.update(display=None)
    assert _page(client).content.decode() == html
    for kind, content in lists.items():
        assert _page(client, kind=kind).content == content


def test_a_question_stops_naming_an_organisation_that_is_no_longer_public(client, every_kind):
    question_list = {"kind": "vragen"}
    assert "Walvisbegeleiding Centrum" in _page(client, **question_list).content.decode()
    every_kind.unpublish()
    assert "Walvisbegeleiding Centrum" not in _page(client, **question_list).content.decode()
    every_kind.save_revision().publish()
    assert "Walvisbegeleiding Centrum" in _page(client, **question_list).content.decode()
    Organisation.objects.get(pk=every_kind.pk).delete()
    assert "Walvisbegeleiding Centrum" not in _page(client, **question_list).content.decode()


def test_the_overview_reads_the_results_of_every_kind_at_once(client, every_kind):
    """Eight kinds of results: their documents in one statement and whether they are public in
    another, where reading the records took a query (or two) per kind."""

    def statements():
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/zoeken/", {"q": WORD}).status_code == 200
        return len(captured)

    from_index = statements()
    SearchDocument.objects.update(display=None)
    from_records = statements()
    # With an empty cache: the facet options (4), the synonyms, the index (8) and the results.
    assert from_index <= 16
    assert from_records - from_index >= 7


def test_the_public_check_is_compiled_once_per_shape_and_filled_with_each_call_s_ids(site_tree):
    """The statement that asks which records are public is kept per shape (kinds, and on SQLite
    how many ids): each call must still answer for its own ids."""
    from search import engine

    public = [StudyFactory(title=f"Openbaar {number}") for number in range(3)]
    draft = StudyFactory(title="Concept", live=False)
    themes = [ThemeFactory(name=f"Thema {number}", slug=f"thema-{number}") for number in range(2)]
    hidden = ThemeFactory(name="Verborgen", slug="verborgen", live=False)
    first = {"onderzoek": [public[0].pk, draft.pk], "themas": [themes[0].pk]}
    second = {"onderzoek": [public[2].pk, public[1].pk], "themas": [hidden.pk]}
    assert engine._public_keys(first) == {("onderzoek", public[0].pk), ("themas", themes[0].pk)}
    assert engine._public_keys(second) == {("onderzoek", public[2].pk), ("onderzoek", public[1].pk)}
    assert engine.still_public(engine.public_check({"themas": [themes[1].pk], "onderzoek": [public[1].pk]}))
    assert not engine.still_public(engine.public_check({"themas": [hidden.pk], "onderzoek": [public[1].pk]}))
