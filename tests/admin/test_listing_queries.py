"""The admin's study and finding listings and a study's edit screen stay constant in
queries, whatever the number of records, and their status column stays right."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Revision, TaskState, Workflow, WorkflowState

from knowledgebase.models import Finding, Study, StudyAuthor

pytestmark = pytest.mark.django_db

# The study listing needs 11 queries whatever the number of studies (session, user, the
# count, the page, the workflow states of its rows, the filters' choices, ...), a search one
# more per word; the cap leaves a little room for Wagtail changes, not for a query per row.
MAX_LISTING_QUERIES = 14
# Wagtail's edit screen asks for the workflow, its tasks, the lock and the revisions several
# times over (48 queries for a study in review, 34 for one without a draft); none per record.
MAX_EDIT_QUERIES = 55


def _revisions(records, user):
    """A first revision for each record, as saving in the admin leaves, set as its latest."""
    model = type(records[0])
    content_type = ContentType.objects.get_for_model(model)
    now = timezone.now()
    revisions = Revision.objects.bulk_create(
        [
            Revision(
                content_type=content_type,
                base_content_type=content_type,
                object_id=str(record.pk),
                user=user,
                content=record.serializable_data(),
                object_str=str(record),
                created_at=now,
            )
            for record in records
        ]
    )
    for record, revision in zip(records, revisions, strict=True):
        record.latest_revision = revision
        record.has_unpublished_changes = not record.live
    model.objects.bulk_update(records, ["latest_revision", "has_unpublished_changes"])
    return revisions


def _in_moderation(records, user):
    """Put ``records`` in the editorial workflow: submitted, waiting for the board."""
    workflow = Workflow.objects.get(name="Redactie en publicatie")
    task = workflow.tasks[0]
    content_type = ContentType.objects.get_for_model(type(records[0]))
    states = WorkflowState.objects.bulk_create(
        [
            WorkflowState(
                content_type=content_type,
                base_content_type=content_type,
                object_id=str(record.pk),
                workflow=workflow,
                status=WorkflowState.STATUS_IN_PROGRESS,
                requested_by=user,
            )
            for record in records
        ]
    )
    task_states = TaskState.objects.bulk_create(
        [
            TaskState(
                workflow_state=state,
                revision_id=record.latest_revision_id,
                task=task,
                status=TaskState.STATUS_IN_PROGRESS,
                content_type=ContentType.objects.get_for_model(TaskState),
            )
            for state, record in zip(states, records, strict=True)
        ]
    )
    for state, task_state in zip(states, task_states, strict=True):
        state.current_task_state = task_state
    WorkflowState.objects.bulk_update(states, ["current_task_state"])


@pytest.fixture(params=[10, 1000], ids=["10-records", "1000-records"])
def records(request, site_tree, client):
    """``n`` studies (every fifth a draft, one in four in moderation, one in ten with a
    scheduled revision), each with two authors, a revision and a finding."""
    n = request.param
    user = get_user_model().objects.create_superuser("beheer", "beheer@example.org", "wachtwoord-123")
    client.force_login(user)
    studies = Study.objects.bulk_create(
        [
            Study(
                title=f"Studie {i} over begeleiding",
                slug=f"studie-{i}",
                year=1990 + i % 30,
                study_type="report",
                publisher="Uitgeverij Loopbaan" if i % 7 else "OECD",
                summary="Samenvatting.",
                strength="moderate",
                live=i % 5 != 0,
            )
            for i in range(n)
        ]
    )
    StudyAuthor.objects.bulk_create(
        [
            StudyAuthor.from_name(f"Auteur{k} {s.pk}, A.", study=s, sort_order=k)
            for s in studies
            for k in range(2)
        ]
    )
    findings = Finding.objects.bulk_create(
        [
            Finding(
                slug=f"bevinding-{i}",
                statement=f"Bevinding {i}",
                study=study,
                locator="p. 1",
                strength="limited",
                live=study.live,
            )
            for i, study in enumerate(studies)
        ]
    )
    study_revisions = _revisions(studies, user)
    _revisions(findings, user)
    # The study whose edit screen is measured has more findings as the knowledge base grows.
    findings += Finding.objects.bulk_create(
        [
            Finding(
                slug=f"extra-{i}", statement=f"Extra {i}", study=studies[4], locator="p.", strength="limited"
            )
            for i in range(n // 10)
        ]
    )
    _revisions(findings[n:], user)
    _in_moderation(studies[::4], user)
    _in_moderation(findings[::4], user)
    scheduled = study_revisions[::10]
    Revision.objects.filter(pk__in=[r.pk for r in scheduled]).update(
        approved_go_live_at=timezone.now() + timedelta(days=3)
    )
    return studies


def _status_tags(html):
    """The status column's tags, in row order."""
    return [re.sub(r"\s+", " ", tag).strip() for tag in re.findall(r'class="w-status[^"]*">([^<]*)<', html)]


def _expected_statuses(model, pks):
    """The status each record reports on its own (two queries each), in the given order."""
    return [str(model.objects.get(pk=pk).status_string) for pk in pks]


STUDY_LIST = reverse("wagtailsnippets_knowledgebase_study:list")
FINDING_LIST = reverse("wagtailsnippets_knowledgebase_finding:list")


def test_study_listing_is_constant_in_queries(client, records, django_assert_max_num_queries):
    """The first page of studies takes the same few queries at 10 and at 1,000 studies, and
    each row's status (draft, in moderation, scheduled, live) is the study's own."""
    with django_assert_max_num_queries(MAX_LISTING_QUERIES):
        response = client.get(STUDY_LIST)
    assert response.status_code == 200
    shown = [study.pk for study in response.context["object_list"]]
    assert len(shown) == min(50, len(records))
    tags = _status_tags(response.content.decode())
    assert tags == _expected_statuses(Study, shown)
    assert {"ter goedkeuring", "gepland", "live", "concept"} & set(tags)


def test_a_later_page_of_studies_is_constant_in_queries(client, records, django_assert_max_num_queries):
    """The last page of the study listing costs what the first does."""
    last = (len(records) - 1) // 50 + 1
    with django_assert_max_num_queries(MAX_LISTING_QUERIES):
        response = client.get(STUDY_LIST, {"p": last})
    assert response.status_code == 200
    shown = [study.pk for study in response.context["object_list"]]
    in_order = Study.objects.order_by("-year", "title").values_list("pk", flat=True)
    assert shown == list(in_order[(last - 1) * 50 : last * 50]), "the page's rows, in the listing's order"
    assert _status_tags(response.content.decode()) == _expected_statuses(Study, shown)


def test_searching_the_study_listing_is_constant_in_queries(client, records, django_assert_max_num_queries):
    """A search in the study listing costs what the listing does."""
    with django_assert_max_num_queries(MAX_LISTING_QUERIES):
        response = client.get(STUDY_LIST, {"q": "OECD"})
    assert response.status_code == 200
    assert response.context["object_list"]


def test_findings_listing_is_constant_in_queries(client, records, django_assert_max_num_queries):
    """The findings listing (with each finding's study) takes the same few queries at 10 and
    at 1,000 findings, with each row's own status."""
    with django_assert_max_num_queries(MAX_LISTING_QUERIES):
        response = client.get(FINDING_LIST)
    assert response.status_code == 200
    shown = [finding.pk for finding in response.context["object_list"]]
    assert shown == list(Finding.objects.order_by("study__title", "id").values_list("pk", flat=True)[:50])
    assert _status_tags(response.content.decode()) == _expected_statuses(Finding, shown)


def test_study_edit_view_is_constant_in_queries(client, records, django_assert_max_num_queries):
    """A study's edit screen does not read more as the knowledge base grows."""
    study = records[4]  # live, with a draft in moderation: the busiest edit screen
    url = reverse("wagtailsnippets_knowledgebase_study:edit", args=[study.pk])
    with django_assert_max_num_queries(MAX_EDIT_QUERIES):
        response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Goedkeuring hoofdredactie" in html and "In behandeling" in html, "the review in progress shows"
