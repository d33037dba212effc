"""Comparing revisions of a record that was never published."""

from django.utils.translation import gettext as _
from wagtail.snippets.views import snippets as snippet_views


class NewRecordCompareView(snippet_views.RevisionsCompareView):
    """Wagtail's revision comparison, telling the board when a record is new.

    An editor typically saves a new record as a draft and then submits it: the board's
    "compare with previous version" then compares two equal drafts and says there are no
    differences, while everything in the record is new. For a record that was never
    published, equal versions are compared with an empty record instead, so the comparison
    shows all that would go live, under a notice that says so.
    """

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        never_published = self.object.first_published_at is None and not self.object.live
        context["never_published"] = never_published
        if never_published and not context["comparison"]:
            context["revision_a"] = type(self.object)()
            context["revision_a_heading"] = _("Nog nooit gepubliceerd")
            context["comparison"] = self._get_comparison(context["revision_a"], context["revision_b"])
            context["compared_with_empty"] = True
        return context
