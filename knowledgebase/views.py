"""Public list and detail pages of the knowledge base.

Views stay thin: reads live in ``selectors``, filters in ``filters``, citation formats in
``exports``. Every query returns only published records.
"""

import hashlib

from django.core.exceptions import EmptyResultSet, ObjectDoesNotExist
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from kit.downloads import attachment, sheet_download
from kit.widetables import column_choice

from . import content_cache, exports, feeds, references, selectors
from .filters import (
    FindingFilterSet,
    OrganisationFilterSet,
    QuestionFilterSet,
    StudyFilterSet,
    ThemeListForm,
)

PER_PAGE = 20
EXPORT_LIMIT = selectors.EXPORT_LIMIT


class CachedPages:
    """A queryset as the paginator reads it, through the content cache.

    A page needs every public record counted and sorted, so the count and the ids of each
    page are cached per content version under a name
    made from the queryset's SQL; the records of a page are read per request through the
    queryset, so a record that is no longer public drops out at once.
    """

    def __init__(self, queryset):
        self.queryset = queryset
        try:
            statement = queryset.query.sql_with_params()
        except EmptyResultSet:
            # A queryset that can match nothing (``none()``, an empty ``__in``) has no SQL.
            statement = "nothing"
        self.name = "list:" + hashlib.sha256(repr(statement).encode()).hexdigest()

    def count(self):
        return content_cache.cached(f"{self.name}:count", self.queryset.count)

    def __getitem__(self, window):
        ids = content_cache.cached(
            f"{self.name}:{window.start}:{window.stop}",
            lambda: selectors.window_ids(self.queryset, window, count=self._part_count, total=self.count()),
        )
        return selectors.in_order(self.queryset, ids)

    def _part_count(self, strength, part):
        return content_cache.cached(f"{self.name}:count:{strength or 'none'}", part.count)


def paginate(request, queryset, per_page=PER_PAGE):
    """The requested page of ``queryset`` (a queryset, or a list of ids) and a message if the
    request asked for a page that does not exist (then the first or last page is shown
    instead)."""
    paginator = Paginator(CachedPages(queryset) if isinstance(queryset, QuerySet) else queryset, per_page)
    number = request.GET.get("page", "1")
    message = None
    try:
        page = paginator.page(number)
    except PageNotAnInteger:
        page = paginator.page(1)
        message = _("Het paginanummer is ongeldig; u ziet de eerste pagina.")
    except EmptyPage:
        page = paginator.page(paginator.num_pages)
        message = _("Die pagina bestaat niet; u ziet de laatste pagina (%(last)s).") % {
            "last": paginator.num_pages
        }
    return page, message


def public_list_queryset(filterset_class):
    """The public records a list shows before its filters, in its default order (also read
    by the cache warm-up, ``search/warmup.py``)."""
    querysets = {
        StudyFilterSet: selectors.study_queryset,
        FindingFilterSet: selectors.finding_queryset,
        OrganisationFilterSet: selectors.organisation_queryset,
        QuestionFilterSet: lambda: selectors.question_queryset().order_by("status", "id"),
    }
    return querysets[filterset_class]()


def filtered_list(request, filterset_class, template, extra=None):
    """Render a filtered, paginated list; invalid filters give the form errors and a 400."""
    queryset = public_list_queryset(filterset_class)
    filterset = filterset_class(request.GET or None, queryset=queryset, request=request)
    results = filterset.qs
    status = 200
    if filterset.is_bound and not filterset.is_valid():
        status = 400
    page, page_message = paginate(request, results)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filterset": filterset,
        "form": filterset.form,
        "fieldsets": [
            (legend, [filterset.form[name] for name in names]) for legend, names in filterset.fieldsets
        ],
        "page_obj": page,
        "paginator": page.paginator,
        "page_message": page_message,
        "querystring": query.urlencode(),
        "has_filters": bool(query),
        **(extra or {}),
    }
    return render(request, template, context, status=status)


def _get_or_404(getter, *args):
    try:
        return getter(*args)
    except ObjectDoesNotExist as error:
        raise Http404 from error


@require_safe
def theme_list(request):
    """The themes, each with the first sentence of its bottom line, its number of studies and
    its strongest level; ordered by name, number of studies or strength (``?sort=``)."""
    form = ThemeListForm(request.GET or None)
    valid = form.is_valid() if form.is_bound else True
    sort = form.cleaned_data.get("sort", "") if form.is_bound and valid else ""
    context = {"themes": selectors.theme_list(sort=sort), "form": form}
    return render(request, "knowledgebase/theme_list.html", context, status=200 if valid else 400)


@require_safe
def study_list(request):
    return filtered_list(request, StudyFilterSet, "knowledgebase/study_list.html")


def invalid_download(form, what=None):
    """A 400 that says why a download (or ``what``) cannot be made: the form's messages, as
    plain text."""
    messages = [str(error) for errors in form.errors.values() for error in errors]
    return HttpResponse(
        _("%(what)s kan niet worden gemaakt: %(errors)s")
        % {"what": what or _("Deze download"), "errors": " ".join(messages)},
        status=400,
        content_type="text/plain; charset=utf-8",
    )


def studies_download(request, pks, fmt):
    """The public studies ``pks``, in that order, as CSV (or Excel, see ``sheet_download``),
    RIS, BibTeX or CSL-JSON."""
    studies = selectors.studies_in_order(pks)
    if fmt == "csv":
        return sheet_download(request, exports.studies_sheet(studies), "onderzoek")
    write, content_type = exports.SET_FORMATS[fmt]
    return attachment(write(studies), content_type, f"onderzoek.{exports.EXTENSIONS[fmt]}")


def findings_download(request, pks):
    """The public findings ``pks``, in that order, as CSV (or Excel, see ``sheet_download``)."""
    findings = selectors.findings_in_order(pks)
    return sheet_download(request, exports.findings_sheet(findings), "bevindingen")


def _filtered_pks(request, filterset_class, queryset):
    """The records a filtered list shows, in its order, at most ``EXPORT_LIMIT``; ``None``
    and the filterset when a filter is invalid."""
    filterset = filterset_class(request.GET or None, queryset=queryset, request=request)
    if filterset.is_bound and not filterset.is_valid():
        return None, filterset
    return [record.pk for record in filterset.qs.select_related(None).only("pk")[:EXPORT_LIMIT]], filterset


@require_safe
def study_list_export(request, fmt):
    """The studies ``/onderzoek/`` lists for the same filters and order (at most
    ``EXPORT_LIMIT``)."""
    pks, filterset = _filtered_pks(request, StudyFilterSet, selectors.study_queryset())
    if pks is None:
        return invalid_download(filterset.form)
    return studies_download(request, pks, fmt)


@require_safe
def study_feed(request):
    """The Atom feed of the studies ``/onderzoek/`` lists for the same filters, newest
    publication first."""
    filterset = StudyFilterSet(request.GET or None, queryset=selectors.study_queryset(), request=request)
    if filterset.is_bound and not filterset.is_valid():
        return invalid_download(filterset.form, _("Deze feed"))
    studies = CachedPages(filterset.qs.order_by(*feeds.FEED_ORDER))[0 : feeds.FEED_LENGTH]
    return feeds.StudyFeed()(request, filterset=filterset, studies=studies)


@require_safe
def finding_list_export(request):
    """The findings ``/bevindingen/`` lists for the same filters, as CSV."""
    pks, filterset = _filtered_pks(request, FindingFilterSet, selectors.finding_queryset())
    if pks is None:
        return invalid_download(filterset.form)
    return findings_download(request, pks)


@require_safe
def study_detail(request, slug):
    """A study's page, with its reference in the citation style ``?stijl=`` chooses (APA by
    default); an unknown style gets the page in APA with a message and status 400."""
    study = _get_or_404(selectors.study_for_public, slug)
    style_key = request.GET.get("stijl", references.DEFAULT_STYLE)
    style_error = None
    if references.style_for(style_key) is None:
        style_key = references.DEFAULT_STYLE
        style_error = _("Deze citeerstijl kennen we niet; de referentie staat hieronder in APA.")
    context = selectors.study_detail_context(study, style_key=style_key)
    context["style_error"] = style_error
    return render(request, "knowledgebase/study_detail.html", context, status=400 if style_error else 200)


@require_safe
def study_citation(request, slug, fmt):
    """The study's citation as a download in RIS, BibTeX or CSL-JSON."""
    if fmt not in exports.FORMATS:
        raise Http404
    study = _get_or_404(selectors.study_for_public, slug)
    write, content_type = exports.FORMATS[fmt]
    return attachment(write(study), content_type, exports.filename(study, fmt))


@require_safe
def finding_list(request):
    return filtered_list(request, FindingFilterSet, "knowledgebase/finding_list.html")


@require_safe
def finding_detail(request, slug):
    finding = _get_or_404(selectors.finding_for_public, slug)
    return render(request, "knowledgebase/finding_detail.html", {"finding": finding})


@require_safe
def organisation_list(request):
    return filtered_list(request, OrganisationFilterSet, "knowledgebase/organisation_list.html")


@require_safe
def organisation_detail(request, slug):
    organisation = _get_or_404(selectors.organisation_for_public, slug)
    return render(
        request,
        "knowledgebase/organisation_detail.html",
        selectors.organisation_detail_context(organisation),
    )


@require_safe
def question_list(request):
    return filtered_list(request, QuestionFilterSet, "knowledgebase/question_list.html")


@require_safe
def question_detail(request, pk):
    question = _get_or_404(selectors.question_for_public, pk)
    return render(request, "knowledgebase/question_detail.html", {"question": question})


@require_safe
def framework_list(request):
    """The public frameworks the sources are about."""
    return render(request, "knowledgebase/framework_list.html", {"frameworks": selectors.framework_list()})


@require_safe
def framework_detail(request, slug):
    """A framework's elements in order, with their explanation, source and findings."""
    framework = _get_or_404(selectors.framework_for_public, slug)
    return render(
        request, "knowledgebase/framework_detail.html", selectors.framework_detail_context(framework)
    )


@require_safe
def framework_lens(request, slug):
    """The framework lens: the framework's elements by the countries, each cell an assessment."""
    framework = _get_or_404(selectors.framework_for_public, slug)
    context = selectors.framework_lens_context(framework)
    countries = context["countries"]
    columns = column_choice(
        request.GET, "landen", [(country.code.lower(), country.title) for country in countries]
    )
    chosen = set(columns.keys)
    keep = [index for index, country in enumerate(countries) if country.code.lower() in chosen]
    context.update(
        countries=[countries[index] for index in keep],
        rows=[(element, [cells[index] for index in keep]) for element, cells in context["rows"]],
        columns=columns,
        error=" ".join(columns.errors),
    )
    status = 400 if columns.errors else 200
    return render(request, "knowledgebase/framework_lens.html", context, status=status)
