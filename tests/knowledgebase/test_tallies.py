"""The counts per theme, country and model are kept up to date per change (``tallies.py``):
after every kind of write they equal what counting everything again gives, and a draft leaves
them alone."""

import pytest

from hubs.gapmap import pair_counts
from knowledgebase import selectors, tallies
from knowledgebase.models import Tally
from tests.factories import (
    FindingFactory,
    ResearchQuestionFactory,
    StudyFactory,
    ThemeFactory,
    make_country,
    make_model,
)

pytestmark = pytest.mark.django_db


def _snapshot():
    return sorted(Tally.objects.values_list("name", "key", "column", "bucket", "n"))


def _assert_as_counted_again():
    kept = _snapshot()
    tallies.rebuild()
    assert kept == _snapshot()


@pytest.fixture
def world(site_tree):
    quality, budgets = ThemeFactory(name="Kwaliteit"), ThemeFactory(name="Budgetten")
    finland, norway = make_country("FI", "Finland"), make_country("NO", "Noorwegen")
    network = make_model("network", "Netwerk")
    study = StudyFactory(strength="moderate", study_type="report", themes=[quality])
    study.countries.set([finland])
    study.infrastructure_models.set([network])
    study.save()
    finding = FindingFactory(study=study, strength="strong", themes=[quality, budgets])
    finding.countries.set([norway])
    finding.save()
    lesson = FindingFactory(study=study, strength="limited", lesson_for_nl=True, themes=[quality])
    question = ResearchQuestionFactory(status="open")
    question.themes.set([budgets])
    question.countries.set([norway])
    question.save()
    return locals()


def test_counts_follow_publish_links_strength_unpublish_and_delete(world):
    quality, budgets = world["quality"].pk, world["budgets"].pk
    finland, norway, network = world["finland"].pk, world["norway"].pk, world["network"].pk
    study, finding = world["study"], world["finding"]

    assert selectors.count_by("themes") == {quality: (2, 1, 0), budgets: (1, 0, 1)}
    assert selectors.count_by("countries") == {finland: (0, 1, 0), norway: (1, 0, 1)}
    assert selectors.count_by("infrastructure_models") == {network: (2, 1, 0)}
    assert selectors.split_counts("themes", quality) == (1, 1)
    assert selectors.strongest_by_theme() == {quality: 0, budgets: 0}
    studies, histograms = pair_counts("landen")
    # The study once per cell: through itself (quality x Finland) and its finding (x Norway).
    assert studies == {(quality, finland): 1, (quality, norway): 1, (budgets, norway): 1}
    assert histograms == {(quality, norway): {"strong": 1}, (budgets, norway): {"strong": 1}}
    # At least "strong": the study's own tag (moderate) no longer counts, its finding does.
    assert pair_counts("landen", min_strength="strong")[0] == {(quality, norway): 1, (budgets, norway): 1}
    _assert_as_counted_again()

    # A live edit: the links are written after the study's row (modelcluster), after post_save.
    study.themes.add(world["budgets"])
    study.save()
    assert selectors.count_by("themes")[budgets] == (1, 1, 1)
    _assert_as_counted_again()

    finding.strength = "limited"
    finding.save()
    assert selectors.strongest_by_theme()[budgets] == 2
    _assert_as_counted_again()

    world["question"].status = "answered"
    world["question"].save()
    assert selectors.count_by("themes")[budgets] == (1, 1, 0)
    assert selectors.question_count_by_country() == {norway: 1}
    _assert_as_counted_again()

    study.unpublish()
    assert all(findings == studies == 0 for findings, studies, _q in selectors.count_by("themes").values())
    assert pair_counts("landen") == ({}, {})
    _assert_as_counted_again()

    study.save_revision().publish()
    assert selectors.count_by("themes")[quality] == (2, 1, 0)
    _assert_as_counted_again()

    finding.delete()
    assert selectors.count_by("themes")[budgets] == (0, 1, 0)
    _assert_as_counted_again()

    world["lesson"].delete()
    study.delete()
    assert _snapshot() == [("question:countries", norway, 0, "", 1)]


def test_a_draft_leaves_the_counts_alone(world):
    before = _snapshot()
    study = world["study"]
    study.title = "Een nieuwe titel in concept"
    study.themes.set([world["budgets"]])
    study.save_revision()
    assert _snapshot() == before


def test_a_draft_study_counts_nothing_until_published(world):
    before = _snapshot()
    draft = StudyFactory(live=False, themes=[world["quality"]])
    FindingFactory(study=draft, strength="strong", themes=[world["quality"]])
    assert _snapshot() == before
    draft.save_revision().publish()
    assert selectors.count_by("themes")[world["quality"].pk] == (3, 2, 0)
    _assert_as_counted_again()


def test_links_written_from_the_other_side_are_counted(world):
    """``theme.study_set.add(study)`` writes the link at once, without saving the study."""
    other = StudyFactory()
    world["budgets"].study_set.add(other)
    assert selectors.count_by("themes")[world["budgets"].pk][1] == 1
    world["budgets"].study_set.remove(other)
    assert selectors.count_by("themes")[world["budgets"].pk][1] == 0
    _assert_as_counted_again()
