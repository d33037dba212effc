"""The admin's previews of a theme and of a bottom line ("Wat we weten") show the theme hub as
the public sees it, the countries' facts on the theme's dimensions included.

A theme and a bottom line preview themselves through the knowledge base's own context
(``get_preview_context`` of the models), which cannot know the countries. Their viewsets here,
which ``portal`` puts in the "Kennisbank" menu in place of the knowledge base's, add the
countries' facts (``selectors.with_countries``) in every way Wagtail previews a record: while
editing or adding, a revision, and the task a reviewer is asked to approve.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from wagtail.snippets.views import snippets as snippet_views

from knowledgebase import wagtail_hooks as knowledgebase_admin

from .selectors import with_countries


def as_hub_preview(obj):
    """``obj`` (a theme or a bottom line, maybe unsaved) previewing with the countries' facts:
    its own preview context, then ``with_countries``."""
    own_context = obj.get_preview_context

    def get_preview_context(request, mode_name):
        return with_countries(own_context(request, mode_name))

    obj.get_preview_context = get_preview_context
    return obj


class PreviewOnEditView(snippet_views.PreviewOnEditView):
    def get_object(self):
        return as_hub_preview(super().get_object())


class PreviewOnCreateView(snippet_views.PreviewOnCreateView):
    def get_object(self):
        return as_hub_preview(super().get_object())


class PreviewRevisionView(snippet_views.PreviewRevisionView):
    def get_revision_object(self):
        return as_hub_preview(super().get_revision_object())


class WorkflowPreviewView(snippet_views.WorkflowPreviewView):
    """Wagtail's preview of the revision a task is about (``PreviewRevisionForTask.get``), which
    reads the revision inside ``get`` with no method to extend."""

    def get(self, request, *args, **kwargs):
        if not self.task_state:
            self.add_error_message()
            return redirect("wagtailadmin_home")
        if not self.task.get_actions(self.object, request.user):
            raise PermissionDenied
        revision = self.task_state.revision
        obj = as_hub_preview(revision.as_object())
        return obj.make_preview_request(
            request, obj.default_preview_mode, extra_request_attrs={"revision_id": revision.id}
        )


class HubPreviewMixin:
    """A viewset whose previews show the theme hub."""

    preview_on_add_view_class = PreviewOnCreateView
    preview_on_edit_view_class = PreviewOnEditView
    revisions_view_class = PreviewRevisionView
    workflow_preview_view_class = WorkflowPreviewView


class ThemeViewSet(HubPreviewMixin, knowledgebase_admin.ThemeViewSet):
    pass


class BottomLineViewSet(HubPreviewMixin, knowledgebase_admin.BottomLineViewSet):
    pass


# The knowledge base's viewsets in the order of the "Kennisbank" menu, the theme's and the
# bottom line's previewing the hub.
HUB_VIEWSETS = {
    knowledgebase_admin.ThemeViewSet: ThemeViewSet,
    knowledgebase_admin.BottomLineViewSet: BottomLineViewSet,
}
VIEWSETS = tuple(HUB_VIEWSETS.get(viewset, viewset) for viewset in knowledgebase_admin.VIEWSETS)
