"""The lists of studies, findings, questions and organisations cache their counts and the
ids on each page per content version: a repeat visit counts and sorts nothing again, and no
change to public content waits for the cache."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from knowledgebase.models import Study
from knowledgebase.views import paginate
from tests.factories import (
    FindingFactory,
    OrganisationFactory,
    ResearchQuestionFactory,
    StudyFactory,
    ThemeFactory,
    make_country,
)

pytestmark = pytest.mark.django_db

STUDIES = "/onderzoek/"
MAPPING = "kennisinfrastructuur-europa"


@pytest.fixture
def one_of_each(site_tree):
    """A public record for each list: a study on a theme, a finding in Finland, a question
    and an organisation."""
    study = StudyFactory(
        slug=MAPPING,
        themes=[ThemeFactory(name="Kwaliteitsborging", slug="kwaliteitsborging")],
        strength="strong",
    )
    finding = FindingFactory(study=study)
    finding.countries.set([make_country("FI", title="Finland")])
    finding.save()
    ResearchQuestionFactory()
    OrganisationFactory()


def _listed(client, url=STUDIES):
    response = client.get(url)
    assert response.status_code == 200
    return [item.pk for item in response.context["page_obj"].object_list], response.context["paginator"].count


@pytest.mark.parametrize(
    "url",
    [
        STUDIES,
        "/onderzoek/?theme=kwaliteitsborging&sort=title",
        "/onderzoek/?sort=strength&page=1",
        "/bevindingen/",
        "/bevindingen/?country=fi",
        "/kennisagenda/",
        "/organisaties/",
    ],
)
def test_a_repeat_visit_counts_nothing_again(client, one_of_each, url):
    first = _listed(client, url)
    assert first[1] > 0
    with CaptureQueriesContext(connection) as queries:
        again = _listed(client, url)
    assert again == first
    assert not [query["sql"] for query in queries if "COUNT(" in query["sql"].upper()]


def _slugs(client):
    return set(Study.objects.filter(pk__in=_listed(client)[0]).values_list("slug", flat=True))


def test_publishing_and_unpublishing_show_at_once(client, site_tree, django_capture_on_commit_callbacks):
    mapping = StudyFactory(slug=MAPPING)
    # Two more, so that the count is of every public study, not of the one followed.
    StudyFactory.create_batch(2)
    assert MAPPING in _slugs(client)
    assert _listed(client)[1] == 3
    with django_capture_on_commit_callbacks(execute=True):
        StudyFactory(slug="nieuw-onderzoek")
    assert "nieuw-onderzoek" in _slugs(client)
    assert _listed(client)[1] == 4
    with django_capture_on_commit_callbacks(execute=True):
        mapping.unpublish()
    assert MAPPING not in _slugs(client)
    assert _listed(client)[1] == 3


def test_a_cached_page_never_shows_what_is_no_longer_public(client, site_tree):
    """A study unpublished without signals (a bulk update) leaves the cached ids in place,
    but the page reads its records through the public queryset: the study drops out."""
    mapping = StudyFactory(slug=MAPPING)
    StudyFactory()  # Another study, so that the page still lists something.
    assert mapping.pk in _listed(client)[0]
    Study.objects.filter(pk=mapping.pk).update(live=False)
    assert mapping.pk not in _listed(client)[0]
    assert mapping.get_absolute_url() not in client.get(STUDIES).content.decode()


def test_a_list_that_can_match_nothing_is_an_empty_page(rf):
    """A queryset with no SQL (``none()``, an empty ``__in``) pages as an empty list."""
    for queryset in (Study.objects.none(), Study.objects.filter(pk__in=[])):
        page, message = paginate(rf.get(STUDIES), queryset)
        assert (list(page.object_list), page.paginator.count, message) == ([], 0, None)
