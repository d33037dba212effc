"""Admin additions of the portal app: translation, the link report, the scheduler's warning
on the dashboard, the "Kennisbank" menu (the knowledge base's viewsets, the countries'
dimensions and the search's synonym sets), the dashboard panel with what needs attention and
the admin's own stylesheet."""

from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from wagtail import hooks
from wagtail.actions.copy_for_translation import ParentNotTranslatedError
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column
from wagtail.contrib.simple_translation.views import SubmitPageTranslationView
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from countries.models import Dimension
from hubs import wagtail_hooks as hubs_admin
from search import wagtail_hooks as search_admin

from . import attention, link_report, scheduling


class PageTranslationView(SubmitPageTranslationView):
    """Wagtail's "Vertaal" for a page, answering a language whose parent page is not
    translated yet with a message and a 400 instead of a server error. (The form disables such
    a language and links to the parent, but a request can still ask for it.)"""

    def post(self, request, **kwargs):
        try:
            return super().post(request, **kwargs)
        except ParentNotTranslatedError:
            messages.error(request, _("Vertaal eerst de bovenliggende pagina in deze taal."))
            return self.render_to_response(self.get_context_data(**kwargs), status=400)


@hooks.register("register_admin_urls")
def register_page_translation_url():
    # Registered before wagtail.contrib.simple_translation's hook (portal comes first in
    # INSTALLED_APPS), so this view answers that app's address.
    return [path("translation/submit/page/<int:page_id>/", PageTranslationView.as_view())]


@hooks.register("register_admin_urls")
def register_link_report_urls():
    return [
        path("rapporten/links/", link_report.LinkReportView.as_view(), name="link_report"),
        path(
            "rapporten/links/results/",
            link_report.LinkReportView.as_view(results_only=True),
            name="link_report_results",
        ),
        path("rapporten/links/controleren/", link_report.run_link_check, name="link_report_run"),
    ]


class LinkReportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(link_report.VIEW_PERMISSION)


@hooks.register("register_reports_menu_item")
def register_link_report_menu_item():
    return LinkReportMenuItem(
        _lazy("Linkcontrole"), reverse("link_report"), name="link-report", icon_name="link", order=1300
    )


class SchedulerWarningPanel(Component):
    """A warning on the dashboard when scheduled publishing has stopped: no run of the
    scheduler in the last five minutes (``portal.scheduling``)."""

    name = "planner"
    template_name = "portal/admin/scheduler_warning.html"
    order = 50

    def get_context_data(self, parent_context):
        return {"last_run": scheduling.scheduler_last_run(), "stale": scheduling.scheduler_is_stale()}

    def render_html(self, parent_context=None):
        return super().render_html(parent_context) if scheduling.scheduler_is_stale() else ""


@hooks.register("construct_homepage_panels")
def add_scheduler_warning(request, panels):
    panels.append(SchedulerWarningPanel())


@hooks.register("insert_global_admin_css")
def admin_css():
    return format_html('<link rel="stylesheet" href="{}">', static("css/admin.css"))


class DimensionViewSet(SnippetViewSet):
    model = Dimension
    icon = "table"
    menu_order = 170
    list_display = [
        "name",
        Column("section", label=_lazy("Sectie"), accessor="get_section_display"),
        "sort_order",
    ]
    list_filter = ["section", "themes"]
    search_fields = ["name", "description"]
    search_backend_name = None
    ordering = ["sort_order", "name"]


class KnowledgeBaseViewSetGroup(SnippetViewSetGroup):
    menu_label = _lazy("Kennisbank")
    menu_icon = "folder-open-inverse"
    menu_order = 200
    # The knowledge base's viewsets, a theme's and a bottom line's previewing the theme hub (hubs).
    items = (*hubs_admin.VIEWSETS, DimensionViewSet)
    # Other apps' items join the menu through this hook (the search's "Synoniemen").
    submenu_hook = search_admin.KNOWLEDGE_BASE_MENU_HOOK


register_snippet(KnowledgeBaseViewSetGroup)


class AttentionPanel(Component):
    """Stale country profiles, open questions without studies, themes without evidence,
    broken links (``attention.checks``)."""

    name = "aandacht"
    template_name = "knowledgebase/admin/attention_panel.html"
    order = 150

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context):
        return {"checks": attention.checks(self.user)}


@hooks.register("construct_homepage_panels")
def add_attention_panel(request, panels):
    panels.append(AttentionPanel(request.user))
