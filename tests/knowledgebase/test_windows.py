"""A list ordered strongest first is read one strength at a time (``selectors.window_ids``):
every window holds the same records, in the same order, as the sorted list would."""

import pytest

from knowledgebase import selectors
from tests.factories import FindingFactory, StudyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def findings():
    strengths = ["limited", "strong", "indicative", "moderate", "strong", "limited", "indicative"]
    for number, strength in enumerate(strengths * 3):
        study = StudyFactory(title=f"Onderzoek {chr(ord('A') + (number * 5) % 14)}")
        FindingFactory(study=study, strength=strength)
    return selectors.finding_queryset()


@pytest.mark.parametrize(
    "window", [slice(0, 3), slice(0, 20), slice(2, 7), slice(4, 9), slice(11, 14), slice(13, 20)]
)
def test_each_window_is_the_slice_of_the_sorted_list(findings, window):
    expected = list(findings.values_list("pk", flat=True)[window])
    assert selectors.window_ids(findings, window) == expected
    assert selectors.window_ids(findings, window, total=findings.count()) == expected


def test_the_finding_list_pages_through_strengths_in_order(client, findings):
    """21 findings, 20 per page: page 2 starts after 5 of the 6 indicative ones."""
    expected = [finding.statement for finding in findings]
    pages = [
        [finding.statement for finding in client.get("/bevindingen/", {"page": page}).context["page_obj"]]
        for page in (1, 2)
    ]
    assert [len(page) for page in pages] == [20, 1]
    assert pages[0] + pages[1] == expected
