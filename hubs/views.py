"""The pages that compose several apps: a theme hub (the knowledge base's theme with the
countries' facts, ``selectors``) and the gap map (``gapmap``). Their addresses and names stay
in the knowledge base's namespace (``hubs.urls``)."""

from urllib.parse import urlencode

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from kit.downloads import sheet_download
from kit.widetables import column_choice
from knowledgebase import selectors as kb_selectors
from knowledgebase.filters import ThemeFindingsForm
from knowledgebase.models import Theme

from . import gapmap
from .selectors import theme_hub_context


@require_safe
def theme_detail(request, slug):
    """A theme hub; ``?strength=`` and ``?sort=`` filter and order its findings. An invalid
    value shows the form's message with a 400 and the findings unfiltered."""
    try:
        theme = kb_selectors.public_themes().select_related("bottom_line").get(slug=slug)
    except Theme.DoesNotExist as error:
        raise Http404 from error
    form = ThemeFindingsForm(request.GET or None)
    valid = form.is_valid() if form.is_bound else True
    options = {"strength": "", "sort": ""}
    if valid and form.is_bound:
        options = {name: form.cleaned_data.get(name) or "" for name in options}
    context = theme_hub_context(theme, **options)
    context.update({"findings_form": form, "findings_filtered": bool(options["strength"] or options["sort"])})
    return render(request, "knowledgebase/theme_detail.html", context, status=200 if valid else 400)


@require_safe
def gap_map(request):
    """Themes by countries (or models): how much evidence exists, how strong it is, and where
    it is missing; narrowed by study type and minimum strength. ``?kolommen=`` narrows the
    columns; an unknown column is a 400 that shows them all."""
    form = gapmap.GapMapFilterForm(request.GET)
    context = {"form": form, "axes": gapmap.AXES, "query": request.GET.urlencode()}
    if not form.is_valid():
        context.update(error=form.error_message, axis=gapmap.Axis.COUNTRIES)
        return render(request, "knowledgebase/gap_map.html", context, status=400)
    study_type, min_strength = form.filters
    axis = form.axis
    gap_map = gapmap.build_gap_map(axis, study_type, min_strength)
    filters = [(key, value) for key, value in (("type", study_type), ("strength", min_strength)) if value]
    options = [(_gap_map_column_key(axis, column), column.title) for column in gap_map.columns]
    columns = column_choice(request.GET, "kolommen", options, hidden=[("as", axis), *filters])
    chosen = set(columns.keys)
    keys = [_gap_map_column_key(axis, column) for column in gap_map.columns]
    keep = [index for index, key in enumerate(keys) if key in chosen]
    gap_map.columns = [gap_map.columns[index] for index in keep]
    gap_map.rows = [(theme, [cells[index] for index in keep]) for theme, cells in gap_map.rows]
    context.update(
        gap_map=gap_map,
        axis=axis,
        filter_query=urlencode(filters),
        columns=columns,
        error=" ".join(columns.errors),
    )
    return render(request, "knowledgebase/gap_map.html", context, status=400 if columns.errors else 200)


def _gap_map_column_key(axis, column):
    """The key of a gap map column in ``?kolommen=``: a model's slug or a country's code."""
    return column.slug if axis == gapmap.Axis.MODELS else column.code.lower()


@require_safe
def gap_map_csv(request):
    """The gap map as CSV or Excel, with the same filters as the page."""
    form = gapmap.GapMapFilterForm(request.GET)
    if not form.is_valid():
        return HttpResponse(form.error_message, status=400, content_type="text/plain; charset=utf-8")
    sheet = gapmap.gap_map_sheet(gapmap.build_gap_map(form.axis, *form.filters))
    return sheet_download(request, sheet, f"kaart-van-het-bewijs-{form.axis}")
