"""Snapshots of a comparison: the comparison as it was, under a permanent address.

``snapshot_save`` stores what the comparison showed (the cells with their values,
explanations and source numbers, the sources, the rows hidden) and which edition of each
profile it used (``kit.editions``), in Dutch, as JSON. The id is a hash of that content:
the same comparison of the same editions gives the same snapshot, and an id says nothing
about when or by whom it was made. Only what the public comparison shows goes in: live,
public profiles in their published version and published studies.

Saving is rate-limited per client (``rate_limited``): the client's address is hashed with
the secret key into a cache key that expires with the window, and is stored nowhere else.
"""

import hashlib
import json

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kit.editions import latest_editions
from kit.page_citations import PageCitation
from knowledgebase.models import Study

from .models import ComparisonSnapshot

# At most RATE_LIMIT snapshots per client per RATE_WINDOW seconds.
RATE_LIMIT = 20
RATE_WINDOW = 600


# Rate limit --------------------------------------------------------------------------------


def client_address(request):
    """The client's address: the last one nginx added to X-Forwarded-For (only nginx reaches
    the application, docs/deployment.md), else the connection's."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded:
        return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


def rate_limited(request):
    """Count one snapshot for this client; whether it is over the limit. Without a working
    cache nobody is limited (the cache fails open, kit/cache.py)."""
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{client_address(request)}".encode()).hexdigest()
    key = f"snapshot-rate:{digest[:32]}"
    try:
        cache.add(key, 0, RATE_WINDOW)
        count = cache.incr(key)
    except ValueError:  # the key expired between add and incr, or the cache dropped it
        return False
    return bool(count) and count > RATE_LIMIT


# The snapshot ------------------------------------------------------------------------------


def _authors(study):
    names = study.author_names
    return "; ".join(names) if names else (study.publisher or "")


def snapshot_data(choice, table):
    """What the comparison ``table`` (for ``choice``) shows, as JSON-ready data, in Dutch."""
    editions = latest_editions(table.countries)
    with translation.override(settings.LANGUAGE_CODE):
        columns = []
        for country in table.countries:
            edition = editions.get(country.pk)
            columns.append(
                {
                    "page_id": country.pk,
                    "slug": country.slug,
                    "title": country.title,
                    "edition": edition.number if edition else None,
                    "revision_id": edition.revision_id if edition else None,
                    "published_at": edition.published_at.isoformat() if edition else None,
                }
            )
        sections = [
            {
                "label": str(label),
                "rows": [
                    {
                        "dimension": row.dimension.name,
                        "cells": [
                            {
                                "value": cell.fact.value if cell.fact else None,
                                "detail": cell.fact.detail if cell.fact else "",
                                "source": cell.source_number,
                                "source_hidden": bool(cell.fact and cell.fact.source_study_id)
                                and cell.source_number is None,
                            }
                            for cell in row.cells
                        ],
                    }
                    for row in rows
                ],
            }
            for _key, label, rows in table.sections
        ]
        sources = [
            {
                "number": number,
                "authors": _authors(study),
                "year": study.year,
                "title": study.title,
                "study_id": study.pk,
                "locators": locators,
            }
            for number, study, locators in table.sources
        ]
    return {
        "query": choice.querystring(),
        "reference": choice.reference,
        "only_differences": choice.only_differences,
        "hidden_rows": table.hidden_rows,
        "columns": columns,
        "sections": sections,
        "sources": sources,
    }


def snapshot_id(data):
    """The id of a snapshot with ``data``: 24 hex digits of the hash of its content."""
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()[:24]


def snapshot_save(*, choice, table):
    """The snapshot of ``table``: the existing one for the same content, else a new one."""
    data = snapshot_data(choice, table)
    snapshot, _created = ComparisonSnapshot.objects.get_or_create(
        id=snapshot_id(data), defaults={"data": data}
    )
    return snapshot


def snapshot_title(snapshot):
    names = ", ".join(column["title"] for column in snapshot.data["columns"])
    return _("Vergelijking van %(names)s") % {"names": names}


def snapshot_citation(snapshot, request):
    url = request.build_absolute_uri(snapshot.get_absolute_url())
    return PageCitation(
        title=snapshot_title(snapshot),
        kind=_("momentopname"),
        date=timezone.localdate(snapshot.created_at),
        url=url,
        key=f"vergelijking-{snapshot.id[:8]}",
        download_base=snapshot.get_absolute_url() + "citeer/",
    )


def snapshot_sources(snapshot):
    """The snapshot's sources, each with ``study``: the study if it is still published, else
    ``None`` (its title is then not shown: a study withdrawn since is named nowhere). One
    query."""
    sources = [dict(source) for source in snapshot.data["sources"]]
    ids = [source.get("study_id") for source in sources if source.get("study_id")]
    studies = Study.objects.published().in_bulk(ids) if ids else {}
    for source in sources:
        source["study"] = studies.get(source.get("study_id"))
    return sources


def snapshot_columns(snapshot, request):
    """The snapshot's columns, each with ``url`` (the edition it used, while the profile is
    public) and ``newer`` (the profile has a newer edition now). Two queries."""
    from .selectors import public_countries_with_models

    columns = [dict(column) for column in snapshot.data["columns"]]
    public = {country.pk: country for country in public_countries_with_models()}
    current = latest_editions(public.values())
    for column in columns:
        page = public.get(column["page_id"])
        edition = current.get(column["page_id"])
        column["public"] = page is not None
        column["url"] = page.edition_url(column["edition"], request) if page and column["edition"] else None
        column["newer"] = bool(edition and column["edition"] and edition.number > column["edition"])
        column["current_url"] = page.get_url(request) if page else None
    return columns
