"""The knowledge base in the Wagtail admin: a snippet viewset per model (``VIEWSETS``, which
``portal.wagtail_hooks`` groups into the "Kennisbank" menu with the countries' dimensions) and
the import of studies. Editing panels are defined on the models; this module sets up listing,
search and filtering."""

from django.db.models import QuerySet
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.paginator import WagtailPaginator
from wagtail.admin.ui.tables import Column, LiveStatusTagColumn, UpdatedAtColumn
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet

from . import admin_search, admin_views
from .admin_compare import NewRecordCompareView
from .models import (
    BottomLine,
    Finding,
    Framework,
    FrameworkAssessment,
    Method,
    Organisation,
    ResearchQuestion,
    Study,
    Theme,
)


class IdsFirstPaginator(WagtailPaginator):
    """Reads a page's ids first, then only those rows.

    A listing row carries its latest revision (for the "updated" column); a later page read
    in one query joins and fetches every row before it, revisions included, only to skip
    them. Reading the ids first walks the listing's index alone, and the rows with their
    revisions are fetched for the page's ids only.
    """

    def page(self, number):
        if not isinstance(self.object_list, QuerySet):  # search results from the search backend
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        ids = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        rows = {row.pk: row for row in self.object_list.order_by().filter(pk__in=ids)}
        return self._get_page([rows[pk] for pk in ids if pk in rows], number, self)


class FindingIndexView(snippet_views.IndexView):
    paginator_class = IdsFirstPaginator


class StudyIndexView(snippet_views.IndexView):
    """The study listing; its search box finds studies by title, author, publisher and DOI
    (``admin_search``), drafts included, in the listing's order."""

    paginator_class = IdsFirstPaginator

    def search_queryset(self, queryset):
        if not self.is_searching:
            return queryset
        self.study_search = admin_search.StudySearch(self.search_query)
        return self.study_search.filter(queryset)

    def get_paginator(self, queryset, per_page, **kwargs):
        paginator = super().get_paginator(queryset, per_page, **kwargs)
        search = getattr(self, "study_search", None)
        if search is not None and not self.is_filtering:
            # Counting the filtered listing would test every study for a common word.
            count = search.count()
            if count is not None:
                paginator.count = count
        return paginator


class StudyEditView(snippet_views.EditView):
    """A study's edit screen. Showing it reads the study's workflow state a dozen times over
    (status panel, action menu, lock): on a GET, which changes nothing, the study comes with
    its active workflow states and schedule (``with_status``)."""

    def get_queryset(self):
        if self.request.method == "GET":
            return Study.objects.with_status()
        return super().get_queryset()


class ReviewedRecordViewSet(SnippetViewSet):
    """A viewset for a record that goes through review (``ReviewedRecord``)."""

    revisions_compare_view_class = NewRecordCompareView


class StudyViewSet(ReviewedRecordViewSet):
    model = Study
    index_view_class = StudyIndexView
    edit_view_class = StudyEditView
    icon = "doc-full"
    menu_order = 100
    list_display = [
        "title",
        "year",
        Column("study_type", label=_("Soort"), accessor="get_study_type_display"),
        Column("strength", label=_("Bewijskracht"), accessor="get_strength_display"),
        LiveStatusTagColumn(),
        UpdatedAtColumn(),
    ]
    list_filter = ["study_type", "strength", "language", "live", "themes", "methods"]
    ordering = ["-year", "title"]
    list_per_page = 50

    def get_queryset(self, request):
        return Study.objects.with_status()


class FindingCreateView(snippet_views.CreateView):
    """Adding a finding from a study's edit screen (``?study=<id>``) starts with that study."""

    def get_initial(self):
        initial = super().get_initial()
        study_id = self.request.GET.get("study", "")
        if study_id.isdigit() and Study.objects.filter(pk=study_id).exists():
            initial["study"] = int(study_id)
        return initial


class FindingViewSet(ReviewedRecordViewSet):
    model = Finding
    index_view_class = FindingIndexView
    add_view_class = FindingCreateView
    icon = "openquote"
    menu_order = 110
    list_display = [
        Column("statement", label=_("Bevinding"), accessor="__str__"),
        "study",
        Column("strength", label=_("Bewijskracht"), accessor="get_strength_display"),
        "lesson_for_nl",
        LiveStatusTagColumn(),
        UpdatedAtColumn(),
    ]
    list_filter = ["strength", "lesson_for_nl", "live", "themes"]
    ordering = ["study__title", "id"]
    list_per_page = 50

    def get_queryset(self, request):
        return Finding.objects.select_related("study").with_status()


class ResearchQuestionViewSet(ReviewedRecordViewSet):
    model = ResearchQuestion
    icon = "help"
    menu_order = 120
    list_display = [
        Column("question", label=_("Vraag"), accessor="__str__"),
        Column("status", label=_("Status"), accessor="get_status_display"),
        "owner",
        "raised_by",
        LiveStatusTagColumn(),
        UpdatedAtColumn(),
    ]
    list_filter = ["status", "live", "themes"]
    ordering = ["status", "id"]

    def get_queryset(self, request):
        return ResearchQuestion.objects.select_related("raised_by").with_status()


class ThemeViewSet(ReviewedRecordViewSet):
    model = Theme
    icon = "tag"
    menu_order = 130
    list_display = ["name", "slug", LiveStatusTagColumn(), UpdatedAtColumn()]
    list_filter = ["live"]
    ordering = ["name"]

    def get_queryset(self, request):
        return Theme.objects.with_status()


class BottomLineViewSet(ReviewedRecordViewSet):
    """ "Wat we weten": one bottom line per theme, reviewed like the other records."""

    model = BottomLine
    icon = "doc-full-inverse"
    menu_order = 135
    list_display = [
        Column("theme", label=_("Thema"), accessor="theme"),
        Column("confidence", label=_("Zekerheid"), accessor="get_confidence_display"),
        "last_reviewed",
        LiveStatusTagColumn(),
        UpdatedAtColumn(),
    ]
    list_filter = ["confidence", "live"]
    ordering = ["theme__name"]

    def get_queryset(self, request):
        return BottomLine.objects.select_related("theme").with_status()


class OrganisationViewSet(ReviewedRecordViewSet):
    model = Organisation
    icon = "group"
    menu_order = 140
    list_display = [
        "name",
        Column("kind", label=_("Soort"), accessor="get_kind_display"),
        Column("country_code", label=_("Land of regio"), accessor="get_country_code_display"),
        LiveStatusTagColumn(),
        UpdatedAtColumn(),
    ]
    list_filter = ["kind", "country_code", "live"]
    ordering = ["name"]

    def get_queryset(self, request):
        return Organisation.objects.with_status()


class MethodViewSet(SnippetViewSet):
    model = Method
    icon = "cogs"
    menu_order = 150
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    search_backend_name = None
    ordering = ["name"]


class FrameworkViewSet(ReviewedRecordViewSet):
    model = Framework
    icon = "list-ol"
    menu_order = 160
    list_display = ["name", "slug", "source_study", LiveStatusTagColumn(), UpdatedAtColumn()]
    list_filter = ["live"]
    search_fields = ["name", "description"]
    search_backend_name = None
    ordering = ["name"]

    def get_queryset(self, request):
        return Framework.objects.select_related("source_study").with_status()


class FrameworkAssessmentViewSet(ReviewedRecordViewSet):
    """The framework lens's cells: one assessment per framework element and country."""

    model = FrameworkAssessment
    icon = "tasks"
    menu_order = 165
    list_display = [
        Column("element", label=_("Kaderelement"), accessor="element"),
        Column("country", label=_("Land of regio"), accessor="country"),
        Column("assessment", label=_("Oordeel"), accessor="get_assessment_display"),
        LiveStatusTagColumn(),
        UpdatedAtColumn(),
    ]
    list_filter = ["assessment", "live", "element__framework", "country"]
    search_fields = ["reason"]
    search_backend_name = None
    ordering = ["element__framework__name", "element__sort_order", "country__title"]
    list_per_page = 50

    def get_queryset(self, request):
        return FrameworkAssessment.objects.select_related(
            "element__framework", "country", "source_study"
        ).with_status()


@hooks.register("register_admin_urls")
def register_import_url():
    return [
        path("kennisbank/importeren/", admin_views.import_studies, name="kennisbank_import"),
        path("kennisbank/importeren/<int:job_id>/", admin_views.import_job, name="kennisbank_import_job"),
    ]


class ImportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(admin_views.ADD_STUDY)


@hooks.register("register_admin_menu_item")
def register_import_menu_item():
    return ImportMenuItem(
        _("Onderzoek importeren"), reverse("kennisbank_import"), icon_name="upload", order=310
    )


# In the order of the "Kennisbank" menu.
VIEWSETS = (
    StudyViewSet,
    FindingViewSet,
    ResearchQuestionViewSet,
    ThemeViewSet,
    BottomLineViewSet,
    OrganisationViewSet,
    MethodViewSet,
    FrameworkViewSet,
    FrameworkAssessmentViewSet,
)
