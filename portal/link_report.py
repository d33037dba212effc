"""The link report in the admin: every external address the content links to, how its last
check went, and which pages and records use it (with an edit link where the user may edit).

The board can start a check from the report; it runs as a Celery task (eagerly, within the
request, on the embedded default set-up).
"""

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.reports import ReportView

from countries.models import CountryWebsite
from kit.translations import labelled_title
from knowledgebase.models import Organisation, Study

from . import tasks
from .links import page_text_links
from .models import LinkCheck

VIEW_PERMISSION = "portal.view_linkcheck"
RUN_PERMISSION = "portal.run_link_check"


def link_users(urls):
    """{address: [(label, record to edit)]} for ``urls``: the studies, organisations and profile
    websites that link to them, and the pages whose texts do (four queries plus one per page
    type)."""
    urls = set(urls)
    users = {url: [] for url in urls}
    for study in Study.objects.filter(url__in=urls).only("pk", "title", "url").order_by("title"):
        users[study.url].append((_("Onderzoek: %(title)s") % {"title": study.title}, study))
    for organisation in Organisation.objects.filter(website__in=urls).only("pk", "name", "website"):
        users[organisation.website].append(
            (_("Organisatie: %(name)s") % {"name": organisation.name}, organisation)
        )
    websites = CountryWebsite.objects.filter(url__in=urls, page__alias_of__isnull=True).select_related(
        "page__locale"
    )
    for website in websites.order_by("page__title", "name"):
        label = _("Landenprofiel %(page)s: website %(name)s") % {
            "page": labelled_title(website.page),
            "name": website.name,
        }
        users[website.url].append((label, website.page))
    for url, pages in page_text_links().items():
        if url in users:
            users[url] += [
                (_("%(page)s (in de tekst)") % {"page": labelled_title(page)}, page) for page in pages
            ]
    return users


class LinkCheckFilterSet(WagtailFilterSet):
    ok = django_filters.BooleanFilter(
        label=gettext_lazy("Status"),
        widget=forms.Select(
            choices=[
                ("", gettext_lazy("Alle")),
                ("true", gettext_lazy("Werkt")),
                ("false", gettext_lazy("Werkt niet")),
            ]
        ),
    )
    url = django_filters.CharFilter(label=gettext_lazy("Adres bevat"), lookup_expr="icontains")

    class Meta:
        model = LinkCheck
        fields = ["ok", "url"]


class UsersColumn(Column):
    cell_template_name = "portal/admin/link_users_cell.html"


class LinkReportView(ReportView):
    """Every checked address with its status, error, last check and the records using it."""

    page_title = gettext_lazy("Linkcontrole")
    header_icon = "link"
    index_url_name = "link_report"
    index_results_url_name = "link_report_results"
    template_name = "portal/admin/link_report.html"
    filterset_class = LinkCheckFilterSet
    model = LinkCheck
    permission_policy = None
    list_export = ["url", "status_text", "problem", "checked_at"]
    export_headings = {
        "url": gettext_lazy("Adres"),
        "status_text": gettext_lazy("Status"),
        "problem": gettext_lazy("Fout"),
        "checked_at": gettext_lazy("Laatst gecontroleerd"),
    }
    columns = [
        Column("url", label=gettext_lazy("Adres")),
        Column("status_text", label=gettext_lazy("Status")),
        Column("problem_text", label=gettext_lazy("Fout")),
        UsersColumn("users", label=gettext_lazy("Gebruikt in")),
        DateColumn("checked_at", label=gettext_lazy("Laatst gecontroleerd")),
    ]

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(VIEW_PERMISSION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        # Broken links first, then by address.
        return LinkCheck.objects.order_by("ok", "url")

    def decorate_paginated_queryset(self, object_list):
        checks = list(object_list)
        users = link_users(check.url for check in checks)
        finder = AdminURLFinder(self.request.user)
        for check in checks:
            check.status_text = _("Werkt") if check.ok else _("Werkt niet")
            check.problem_text = "" if check.ok else check.problem
            check.users = [(label, finder.get_edit_url(record) or "") for label, record in users[check.url]]
        return checks

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["can_run_check"] = self.request.user.has_perm(RUN_PERMISSION)
        context["last_checked"] = (
            LinkCheck.objects.order_by("-checked_at").values_list("checked_at", flat=True).first()
        )
        return context


@require_POST
def run_link_check(request):
    """Queue a link check ("nu controleren", the board only) and go back to the report."""
    if not request.user.has_perm(RUN_PERMISSION):
        raise PermissionDenied
    transaction.on_commit(tasks.check_links.delay)
    messages.success(
        request,
        _("De linkcontrole is gestart. Vernieuw deze pagina over een paar minuten voor de uitkomsten."),
    )
    return redirect("link_report")
