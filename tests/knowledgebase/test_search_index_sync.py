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


def test_words_of_a_draft_or_unpublished_finding_do_not_find_its_study(django_capture_on_commit_callbacks):
    """Re-indexing a study (an edit, a rebuilt index) leaves out the statements of its draft
    findings, and unpublishing a finding removes its words from the study's entry."""
    study = StudyFactory(title="Evaluatie van regionale centra")
    FindingFactory(study=study, statement="Conceptwoord staat alleen in een concept.", live=False)
    published = FindingFactory(study=study, statement="Gepubliceerdwoord staat in een bevinding.")
    backend = get_search_backend()
    with django_capture_on_commit_callbacks(execute=True):
        study.title = "Evaluatie van regionale centra (herzien)"
        study.save_revision().publish()
    assert not list(backend.search("conceptwoord", Study.objects.published()))
    assert list(backend.search("gepubliceerdwoord", Study.objects.published())) == [study]
    with django_capture_on_commit_callbacks(execute=True):
        published.unpublish()
    assert not list(backend.search("gepubliceerdwoord", Study.objects.published()))
