"""After a change to content, a Celery task computes what the public pages cache, so that the
first visitor is served as fast as the next one."""

import subprocess
import sys
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from knowledgebase import content_cache, warmup
from search import tasks
from search import warmup as warm_up
from tests.factories import (
    DimensionFactory,
    FindingFactory,
    OrganisationFactory,
    OrganisationRelationFactory,
    ResearchQuestionFactory,
    StudyFactory,
    ThemeFactory,
    make_country,
    make_fact,
    make_model,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def linked_content(site_tree):
    """A theme, a country and a model, each with something on it that their pages count and
    list (and cache): a study on all three, a finding and a lesson for the Netherlands on the
    theme in the country, an open question, a fact on the theme's dimension and two related
    organisations in the country; and a second study on nothing, for the lists."""
    quality = ThemeFactory(name="Kwaliteitsborging", slug="kwaliteitsborging")
    finland = make_country("FI", title="Finland")
    network = make_model("network", title="Netwerk")
    study = StudyFactory(strength="strong", themes=[quality], authors=["Jansen, A."])
    study.countries.set([finland])
    study.infrastructure_models.set([network])
    study.save()
    StudyFactory(strength="indicative")
    for lesson_for_nl in (False, True):
        finding = FindingFactory(study=study, lesson_for_nl=lesson_for_nl, themes=[quality])
        finding.countries.set([finland])
        finding.save()
    question = ResearchQuestionFactory(status="open")
    question.themes.set([quality])
    question.countries.set([finland])
    question.save()
    dimension = DimensionFactory(section="qa_framework")
    dimension.themes.add(quality)
    make_fact(finland, dimension, source_study=study, source_locator="Tabel 5")
    ministry = OrganisationFactory(kind="ministry", country_code="FI")
    OrganisationRelationFactory(
        organisation=ministry, target=OrganisationFactory(country_code="FI"), kind="funds"
    )
    return SimpleNamespace(quality=quality, finland=finland, network=network)


def _page_urls(content):
    return [
        "/onderzoek/",
        "/bevindingen/",
        "/organisaties/",
        "/kennisagenda/",
        "/themas/",
        content.quality.get_absolute_url(),
        "/themas/kaart/",
        "/themas/kaart/?as=modellen",
        "/landen/",
        content.finland.url,
        "/kennisinfrastructuur/",
        content.network.url,
    ]


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200, url
    return len(queries)


def test_after_a_warm_up_a_first_visit_costs_what_a_repeat_visit_does(client, linked_content):
    """Once warmed, the first visit of every list, theme page, the gap map, the country and
    model pages runs no more queries than a second visit, which the cache serves."""
    content_cache.content_changed()
    assert warm_up.warm_content_cache() is True
    first = {url: _queries(client, url) for url in _page_urls(linked_content)}
    repeat = {url: _queries(client, url) for url in _page_urls(linked_content)}
    assert first == repeat


def test_without_a_warm_up_the_first_visit_computes(client, linked_content):
    """The comparison above can fail: unwarmed, a first visit runs more queries."""
    content_cache.content_changed()
    first = {url: _queries(client, url) for url in _page_urls(linked_content)}
    repeat = {url: _queries(client, url) for url in _page_urls(linked_content)}
    assert all(first[url] >= repeat[url] for url in first)
    assert sum(first.values()) > sum(repeat.values())


def test_a_warm_up_stops_when_content_changes_meanwhile(db, monkeypatch):
    """A change during a warm-up ends it; the change schedules its own."""
    done = []
    monkeypatch.setattr(
        warm_up,
        "STEPS",
        [lambda: done.append(1), content_cache.content_changed, lambda: done.append(3)],
    )
    assert warm_up.warm_content_cache() is False
    assert done == [1]


@pytest.fixture
def queued(settings, monkeypatch):
    """Celery as in production (not eager), with the queue recorded instead of sent."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    calls = []
    monkeypatch.setattr(tasks.warm_content_cache, "apply_async", lambda **kwargs: calls.append(kwargs))
    return calls


def test_a_burst_of_changes_schedules_one_warm_up(db, queued, django_capture_on_commit_callbacks):
    """Saving several records in a row queues one warm-up, after a delay; once it has
    started, the next change queues another."""
    studies = StudyFactory.create_batch(3)
    for study in studies:
        with django_capture_on_commit_callbacks(execute=True):
            study.save()
    assert queued == [{"countdown": warmup.WARM_DELAY}]
    warm_up.warm_content_cache()
    with django_capture_on_commit_callbacks(execute=True):
        studies[-1].save()
    assert len(queued) == 2


def test_a_broker_that_is_down_does_not_stop_a_change(
    db, settings, monkeypatch, django_capture_on_commit_callbacks
):
    """When the warm-up cannot be queued, the change is still saved and starts a new
    version; the pages then compute on their first visit, and the next change tries again."""
    settings.CELERY_TASK_ALWAYS_EAGER = False

    def refuse(**kwargs):
        raise ConnectionError("broker down")

    study = StudyFactory()
    monkeypatch.setattr(tasks.warm_content_cache, "apply_async", refuse)
    before = content_cache.content_version()
    with django_capture_on_commit_callbacks(execute=True):
        study.title = "Nieuwe titel"
        study.save()
    assert content_cache.content_version() != before
    # The next change tries again.
    assert cache.get(warmup.PENDING_KEY) is None


def test_the_embedded_default_schedules_nothing(db, monkeypatch, django_capture_on_commit_callbacks):
    """With eager Celery (``make run``) a change queues no warm-up: it would run inside the
    editor's request."""
    study = StudyFactory()
    calls = []
    monkeypatch.setattr(tasks.warm_content_cache, "apply_async", lambda **kwargs: calls.append(kwargs))
    with django_capture_on_commit_callbacks(execute=True):
        study.save()
    assert calls == []


def test_a_web_process_knows_the_warm_up_task_by_its_name():
    """The warm-up is queued by its task's name (``knowledgebase.warmup`` cannot import
    ``search.tasks``), so the task is registered in a process that serves pages, not only in
    the worker, and keeps the name it had before search moved to its own app."""
    code = (
        "import django; django.setup();"
        "from celery import current_app;"
        "from knowledgebase.warmup import WARM_UP_TASK;"
        "print(WARM_UP_TASK, WARM_UP_TASK in current_app.tasks)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=settings.BASE_DIR, check=True
    )
    assert result.stdout.split() == ["knowledgebase.tasks.warm_content_cache", "True"]
