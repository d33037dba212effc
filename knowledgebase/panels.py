"""Admin panels specific to the knowledge base."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import Panel


class StudyFindingsPanel(Panel):
    """The findings of the study being edited, each with its state and an edit link.

    Findings have their own drafts, so they are edited as snippets of their own rather than as
    an inline form; this panel keeps them in view on the study, and tells the editor and the
    board which of them go live when the study is published.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("heading", _("Bevindingen uit dit onderzoek"))
        super().__init__(*args, **kwargs)

    class BoundPanel(Panel.BoundPanel):
        template_name = "knowledgebase/admin/study_findings_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            study = self.instance
            findings = list(study.findings.order_by("pk")) if study.pk else []
            edit = "wagtailsnippets_knowledgebase_finding:edit"
            context["findings"] = [(finding, reverse(edit, args=[finding.pk])) for finding in findings]
            # What publishing the study also publishes (knowledgebase.services).
            context["going_live"] = [
                (finding, url) for finding, url in context["findings"] if finding.has_unpublished_changes
            ]
            add_url = reverse("wagtailsnippets_knowledgebase_finding:add")
            context["add_url"] = f"{add_url}?study={study.pk}" if study.pk else None
            return context
