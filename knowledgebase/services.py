"""Multi-step writes of the knowledge base."""

from wagtail.log_actions import get_active_log_context

from .models import Finding


def findings_going_live_with(study):
    """The findings of ``study`` with changes the public does not see yet (new drafts and
    edits of live findings): publishing the study publishes them too
    (``study_findings_publish``)."""
    return Finding.objects.filter(study=study, has_unpublished_changes=True).order_by("pk")


def study_findings_publish(*, study, user=None):
    """Publish the latest revision of every finding of ``study`` with unpublished changes.

    A study and the findings drawn from it are reviewed together: the board approves the study
    with its findings in view (``StudyFindingsPanel`` lists what goes live), so approving or
    publishing the study, or its scheduled go-live, publishes those findings as well. Without
    this, a finding added to a study under review would stay a draft, unseen, after the study
    went live. Publishing a finding ends a review it was in on its own. Returns the findings
    published.
    """
    if user is None:
        user = get_active_log_context().user
    published = []
    for finding in findings_going_live_with(study).select_related("latest_revision"):
        revision = finding.latest_revision
        if revision is None:
            continue
        # The board's right to publish the study covers its findings; a scheduled go-live
        # runs without a user.
        revision.publish(user=user, skip_permission_checks=True)
        published.append(finding)
    return published
