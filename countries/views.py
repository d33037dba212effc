"""Public views of the countries app that are not Wagtail pages: the comparison pages."""

import hashlib
from collections import namedtuple

from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kit.downloads import attachment, sheet_download
from kit.editions import CITATION_FORMATS
from kit.widetables import ColumnChoice, column_choice
from knowledgebase import content_cache
from models_infra.selectors import models_side_by_side

from . import compare as comparison
from . import snapshots
from .models import ComparisonSnapshot
from .selectors import public_countries_with_models


def _countries(request):
    """Live, public profiles by slug, each with ``profile_url`` for links."""
    countries = public_countries_with_models()
    for country in countries:
        country.profile_url = country.get_url(request)
    return {country.slug: country for country in countries}


def _comparison(request, query=None):
    by_slug = _countries(request)
    choice = comparison.parse_choice(request.GET if query is None else query, set(by_slug))
    table = None
    if choice.submitted and not choice.errors:
        columns = [by_slug[slug] for slug in comparison.columns_for(choice, by_slug)]
        table = comparison.comparison_table(columns, choice.section_keys, choice.only_differences)
    return by_slug, choice, table


def _comparison_columns(choice, table):
    """The column chooser of a comparison: the countries shown, each a checkbox. The
    reference column's checkbox is ``referentie=nl`` after a hidden ``referentie=geen``, so
    unticking it turns the reference off."""
    hidden = [("groepen", ",".join(choice.groups))] if choice.groups else []
    if choice.only_differences:
        hidden.append(("verschillen", "1"))
    hidden.append(("referentie", "geen"))
    options = [
        (
            "referentie" if choice.reference and country.slug == comparison.REFERENCE_SLUG else "landen",
            country.slug,
            country.title,
            True,
        )
        for country in table.countries
    ]
    return ColumnChoice(options=options, hidden=hidden, count=len(table.countries) + 1)


def compare(request):
    """``/vergelijken/``: the chosen countries side by side, dimension by dimension.

    Without a choice the page shows the form; a bad choice shows the form with the reasons
    and status 400.
    """
    by_slug = content_cache.cached("compare-countries", _country_choices, kinds=TABLE_KINDS)
    choice = comparison.parse_choice(request.GET, set(by_slug))
    reference = by_slug.get(comparison.REFERENCE_SLUG)
    table_html = None
    if choice.submitted and not choice.errors:
        table_html = _table_html(request, choice)
    context = {
        "countries": sorted(by_slug.values(), key=lambda country: country.title),
        "reference": reference,
        "choice": choice,
        "groups": comparison.GROUPS,
        "table_html": table_html,
        "querystring": choice.querystring(),
        "all_differences_query": choice.querystring(verschillen="1"),
        "all_rows_query": choice.querystring(verschillen=""),
        "section_choices": comparison.section_choices(),
    }
    return render(request, "countries/compare.html", context, status=400 if choice.errors else 200)


# What the comparison table shows: the profiles and their facts, the sources' studies, the
# models the countries are grouped by, and the pages above the profiles.
TABLE_KINDS = ("country", "study", "model", "page")


CountryChoice = namedtuple("CountryChoice", "slug title")


def _country_choices():
    """{slug: (slug, title)} of the public profiles, what the comparison's form offers: kept per
    content version, so that a repeat visit reads no page."""
    return {
        country.slug: CountryChoice(country.slug, country.title) for country in public_countries_with_models()
    }


def _table_html(request, choice):
    """The comparison table and its sources as HTML, cached per content version under the
    language, the host and the validated choice (its canonical query string), so a repeat
    visit renders only the form around it. The page's snapshot form holds a CSRF token, so the
    page itself cannot be kept whole."""
    canonical = f"{translation.get_language()} {request.get_host()} {choice.querystring()}"
    name = "compare-table:" + hashlib.sha256(canonical.encode()).hexdigest()
    html = content_cache.cache_get(name, kinds=TABLE_KINDS)
    if html is None:
        by_slug = _countries(request)
        reference = by_slug.get(comparison.REFERENCE_SLUG)
        columns = [by_slug[slug] for slug in comparison.columns_for(choice, by_slug)]
        table = comparison.comparison_table(columns, choice.section_keys, choice.only_differences)
        context = {
            "table": table,
            "choice": choice,
            "reference": reference,
            "columns": _comparison_columns(choice, table),
            "not_described": comparison.NOT_DESCRIBED,
        }
        html = str(render_to_string("countries/includes/compare_table.html", context, request))
        content_cache.cache_set(name, html, kinds=TABLE_KINDS)
    return mark_safe(html)  # noqa: S308 (rendered by the template above, escaped there)


def compare_csv(request):
    """The comparison on screen as a download, CSV or Excel (same query string as ``compare``,
    plus ``formaat`` and ``sep``; see ``kit.downloads.sheet_download``)."""
    _by_slug, choice, table = _comparison(request)
    if choice.errors or table is None:
        message = "\n".join(choice.errors) or _("Kies ten minste twee landen of regio's om te vergelijken.")
        return HttpResponse(message + "\n", status=400, content_type="text/plain; charset=utf-8")
    name = "-".join(country.slug for country in table.countries)
    permanent_url = request.build_absolute_uri(f"{reverse('countries:compare')}?{choice.querystring()}")
    sheet = comparison.comparison_sheet(table, permanent_url)
    response = sheet_download(request, sheet, f"vergelijking-{name}")
    response["Vary"] = "Accept-Language"
    return response


def compare_section(request, slug):
    """One profile section for the chosen countries (all if none are chosen), with sources."""
    section_key = comparison.SECTION_BY_SLUG.get(slug)
    if section_key is None:
        raise Http404
    by_slug = _countries(request)
    errors = []
    chosen = comparison.split_values(request.GET, "landen", errors)
    unknown = [value for value in chosen or [] if value not in by_slug]
    for value in unknown:
        errors.append(
            _("Onbekend land of onbekende regio: «%(value)s».") % {"value": comparison.printable(value)}
        )
    ordered = sorted(by_slug.values(), key=lambda country: country.title)
    # The Netherlands is the reference: always the first column.
    ordered.sort(key=lambda country: country.slug != comparison.REFERENCE_SLUG)
    countries = [country for country in ordered if not chosen or errors or country.slug in chosen]
    columns = ColumnChoice(
        options=[("landen", country.slug, country.title, country in countries) for country in ordered],
        count=len(countries),
    )
    label = dict(comparison.section_choices())[slug]
    context = {
        "section_slug": slug,
        "section_label": label,
        "section_choices": comparison.section_choices(),
        "entries": comparison.section_texts(countries, section_key) if not errors else [],
        "errors": errors,
        "landen": ",".join(chosen or []) if not errors else "",
        "columns": columns,
        "not_described": comparison.NOT_DESCRIBED,
    }
    return render(request, "countries/compare_section.html", context, status=400 if errors else 200)


def compare_models(request):
    """``/vergelijken/modellen/``: the knowledge-infrastructure models side by side; ``?modellen=``
    narrows the columns (an unknown model is a 400 that shows them all)."""
    models = models_side_by_side(request)
    columns = column_choice(request.GET, "modellen", [(model.slug, model.title) for model in models])
    shown = [model for model in models if model.slug in columns.keys]
    context = {"models": shown, "columns": columns, "errors": columns.errors}
    return render(request, "countries/compare_models.html", context, status=400 if columns.errors else 200)


@require_POST
def compare_snapshot_create(request):
    """Save the comparison in the form (the same fields as ``compare``) as a snapshot and go
    to its permanent address. POST with CSRF; rate-limited per client."""
    if snapshots.rate_limited(request):
        context = {
            "errors": [
                _("Te veel vergelijkingen bewaard in korte tijd. Probeer het over een paar minuten opnieuw.")
            ]
        }
        return render(request, "countries/snapshot_error.html", context, status=429)
    _by_slug, choice, table = _comparison(request, request.POST)
    if not choice.submitted or choice.errors or table is None:
        errors = choice.errors or [_("Kies ten minste twee landen of regio's om te vergelijken.")]
        return render(request, "countries/snapshot_error.html", {"errors": errors}, status=400)
    snapshot = snapshots.snapshot_save(choice=choice, table=table)
    return HttpResponseRedirect(snapshot.get_absolute_url(), status=303)


@require_GET
def compare_snapshot(request, snapshot_id):
    """``/vergelijken/s/<id>/``: a saved comparison, as it was, with the editions it used."""
    snapshot = get_object_or_404(ComparisonSnapshot, pk=snapshot_id)
    context = {
        "snapshot": snapshot,
        "title": snapshots.snapshot_title(snapshot),
        "columns": snapshots.snapshot_columns(snapshot, request),
        "sources": snapshots.snapshot_sources(snapshot),
        "span": len(snapshot.data["columns"]) + 1,
        "page_citation": snapshots.snapshot_citation(snapshot, request),
        "cite_heading": _("Citeer deze vergelijking"),
        "not_described": comparison.NOT_DESCRIBED,
    }
    return render(request, "countries/snapshot.html", context)


@require_GET
def compare_snapshot_cite(request, snapshot_id, fmt):
    """The citation of a snapshot as RIS, BibTeX or CSL-JSON."""
    if fmt not in CITATION_FORMATS:
        raise Http404
    snapshot = get_object_or_404(ComparisonSnapshot, pk=snapshot_id)
    citation = snapshots.snapshot_citation(snapshot, request)
    content_type, extension = CITATION_FORMATS[fmt]
    return attachment(citation.export(fmt), content_type, f"{citation.key}.{extension}")
