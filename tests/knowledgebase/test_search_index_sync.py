import pytest
from wagtail.search.backends import get_search_backend

from knowledgebase.models import Study

from ..factories import FindingFactory, StudyFactory

pytestmark = pytest.mark.django_db


def test_study_is_found_by_the_words_of_a_newly_published_finding(django_capture_on_commit_callbacks):
    """Publishing a finding makes its study findable by the finding's words."""
    study = StudyFactory(title="Evaluatie van regionale centra")
    finding = FindingFactory(
        study=study, statement="Zeldzaamwoord komt alleen in deze bevinding voor.", live=False
    )
    backend = get_search_backend()
    assert not list(backend.search("zeldzaamwoord", Study.objects.published()))
    with django_capture_on_commit_callbacks(execute=True):
        finding.save_revision().publish()
    assert list(backend.search("zeldzaamwoord", Study.objects.published())) == [study]
