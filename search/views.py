"""Site-wide search (``/zoeken/``) and the downloads of a search's studies and findings.

Every parameter comes from the query string. An invalid one (an unknown facet value, a query
that is too long or holds a NUL byte) is reported on the page with status 400, and the search
runs with the parts that are valid.
"""

import hashlib
import re

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.views.decorators.http import require_safe

from knowledgebase import content_cache
from knowledgebase.views import findings_download, invalid_download, paginate, studies_download

from . import engine as search_service

FACET_ORDER = ["theme", "country", "model", "type", "method", "strength", "language"]


def _parse(request):
    options = search_service.facet_options()
    form = search_service.SearchForm(request.GET, options)
    valid = form.is_valid()
    return form, options, search_service.params_from_form(form), valid


def _url(query, **changes):
    """A link to this search with ``changes`` (a value of None or "" drops the parameter),
    without a page number. ``query`` maps each parameter to its list of values: a plain dict,
    because a page has some fifty links and copying a ``QueryDict`` deep-copies it."""
    query = {key: values for key, values in query.items() if key != "page"}
    for key, value in changes.items():
        if value in (None, ""):
            query.pop(key, None)
        else:
            query[key] = [value]
    encoded = urlencode(query, doseq=True)
    return f"?{encoded}" if encoded else "?"


def _count_label(count):
    return f"{search_service.CANDIDATE_CAP}+" if count >= search_service.CANDIDATE_CAP else str(count)


def _clean_query(request, form):
    """The parameters that validated, each with its list of values, for links on the page."""
    return {
        name: values
        for name, values in request.GET.lists()
        if name in form.fields and name not in form.errors
    }


def _facet_groups(form, options, params, outcome, query):
    """Per facet: its label and the options with a count, each with the link that sets or
    clears it."""
    groups = []
    counts = outcome.facet_counts
    for name in FACET_ORDER:
        active = params.facets.get(name)
        items = []
        for value, label in options[name]:
            count = counts.get(name, {}).get(value, 0)
            if value == active:
                items.append(
                    {"label": label, "count": count, "url": _url(query, **{name: None}), "active": True}
                )
            elif count and not active:
                items.append(
                    {"label": label, "count": count, "url": _url(query, **{name: value}), "active": False}
                )
        if items:
            groups.append({"name": name, "label": form.fields[name].label, "items": items})
    return groups


PAGE_NUMBER = re.compile(r"[1-9][0-9]{0,5}")


def page_name(language, query, page):
    """The cache name of a search page: its language, the parameters that validated (``query``,
    each with its values; unknown parameters are left out) and the page number."""
    canonical = urlencode(sorted((name, value) for name, values in query.items() for value in values))
    return "page:" + hashlib.sha256(f"{language} {page} {canonical}".encode()).hexdigest()


@require_safe
def search(request):
    """The search page. For visitors who are not signed in (editors see the user bar), a
    page is cached as rendered per content version and served again only while every record it
    shows is still public. The cache key is made of the validated parameters, so junk in the
    query string makes no new entries; an invalid search or a page beyond the end is not kept."""
    parsed = _parse(request)
    page = request.GET.get("page", "1")
    if request.user.is_authenticated or not parsed[3] or not PAGE_NUMBER.fullmatch(page):
        return _search_page(request, parsed)[0]
    query = {name: values for name, values in _clean_query(request, parsed[0]).items() if name != "page"}
    # Only a list of one kind has pages.
    name = page_name(translation.get_language(), query, page if parsed[2].kind else "1")
    cached = content_cache.cache_get(name)
    if cached is not None and search_service.still_public(cached["check"]):
        return HttpResponse(cached["content"])
    response, shown = _search_page(request, parsed)
    if response.status_code == 200 and shown is not None:
        content_cache.cache_set(
            name, {"content": response.content, "check": search_service.public_check(shown)}
        )
    return response


def _search_page(request, parsed):
    """The rendered search page and the primary keys of the records it shows, per kind (None
    for a page number beyond the end)."""
    form, options, params, valid = parsed
    outcome = search_service.run(params)
    query = _clean_query(request, form)
    terms = params.terms
    context = {
        "form": form,
        "params": params,
        "outcome": outcome,
        "query_text": params.q,
        "has_query": not params.is_empty,
        "kinds": [
            {
                "key": kind.key,
                "label": kind.label,
                "count": _count_label(count),
                "url": _url(query, kind=kind.key),
                "active": params.kind == kind.key,
            }
            for kind, count in outcome.kind_counts
        ],
        "all_url": _url(query, kind=None),
        "gap_map_url": reverse("knowledgebase:gap_map"),
        "total": sum(count for _kind, count in outcome.kind_counts),
        "facet_groups": _facet_groups(form, options, params, outcome, query),
        "sorts": [
            {
                "label": label,
                "url": _url(query, sort=None if key == "relevantie" else key),
                "active": params.sort == key,
            }
            for key, label in search_service.SORTS
        ],
        "hidden_facets": [
            (name, value) for name, value in params.facets.items() if name not in {"year_min", "year_max"}
        ],
        "export_query": _url(query, kind=None, sort=params.sort if params.sort != "relevantie" else None)[1:],
        "suggestion_url": _url(query, q=outcome.suggestion) if outcome.suggestion else None,
        "active_filters": [
            {
                "label": form.fields[name].label,
                "value": dict(options.get(name, [])).get(value, value),
                "url": _url(query, **{name: None}),
            }
            for name, value in params.facets.items()
        ],
    }
    if params.kind:
        pks = outcome.kind_pks.get(params.kind, [])
        page, page_message = paginate(request, per_page=search_service.PER_PAGE, queryset=pks)
        context.update(
            {
                "page_obj": page,
                "page_message": page_message,
                "results": search_service.load_results(params.kind, list(page.object_list), terms),
                "kind_label": search_service.KINDS_BY_KEY[params.kind].label,
                "kind_count": _count_label(len(pks)),
            }
        )
    elif not params.is_empty:
        loaded = _overview_results(outcome, terms)
        context["best"] = [loaded[key] for key in outcome.best if key in loaded]
        # The groups in the order of their best match across kinds, the others as listed.
        first = {}
        for position, (kind, _pk) in enumerate(outcome.best):
            first.setdefault(kind, position)
        context["previews"] = [
            {
                "kind": kind,
                "count": _count_label(count),
                "url": _url(query, kind=kind.key),
                "results": [
                    loaded[(kind.key, pk)]
                    for pk in outcome.kind_pks[kind.key][: search_service.PREVIEW_PER_KIND]
                    if (kind.key, pk) in loaded
                ],
            }
            for kind, count in sorted(
                outcome.kind_counts, key=lambda pair: first.get(pair[0].key, len(first))
            )
            if count
        ]
    shown = {}
    previews = context.get("previews", [])
    for result in (
        context.get("results", [])
        + context.get("best", [])
        + [result for preview in previews for result in preview["results"]]
    ):
        # Once per record: the best results repeat records of the groups below.
        pks = shown.setdefault(result.kind.key, [])
        if result.pk not in pks:
            pks.append(result.pk)
    status = 200 if valid else 400
    if context.get("page_message"):
        shown = None
    return render(request, "knowledgebase/search.html", context, status=status), shown


def _overview_results(outcome, terms):
    """{(kind, primary key): ``Result``} of what the overview shows: the best matches over
    every kind and the first results of each kind, each kind's records loaded once."""
    by_kind = {kind: pks[: search_service.PREVIEW_PER_KIND] for kind, pks in outcome.kind_pks.items()}
    for kind, pk in outcome.best:
        if pk not in by_kind.setdefault(kind, []):
            by_kind[kind].append(pk)
    return {
        (kind, result.pk): result
        for kind, results in search_service.load_kinds(by_kind, terms).items()
        for result in results
    }


@require_safe
def export_studies(request, fmt):
    """The studies of a search (at most ``CANDIDATE_CAP``) as CSV, RIS, BibTeX or CSL-JSON."""
    form, _options, params, valid = _parse(request)
    if not valid:
        return invalid_download(form)
    return studies_download(request, search_service.study_pks_for_export(params), fmt)


@require_safe
def export_findings(request):
    """The findings of a search (at most ``CANDIDATE_CAP``) as CSV."""
    form, _options, params, valid = _parse(request)
    if not valid:
        return invalid_download(form)
    return findings_download(request, search_service.finding_pks_for_export(params))
