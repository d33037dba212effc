"""Paging and parameter checks shared by the JSON API's endpoints (docs/api.md).

Wagtail's pages API (``portal.api``) and the knowledge base's API (``knowledgebase.api``) both
answer in the same shape: a list is ``{"meta": {"total_count": N},
"items": [...]}`` paged with ``limit`` and ``offset``, and invalid parameters give a 400 with a
message per parameter. Every request is anonymous (``REST_FRAMEWORK`` in the settings), so
the API shows exactly what the public pages show.
"""

from collections import OrderedDict

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.response import Response

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
# Beyond this the databases' own limits come into view (SQLite refuses an OFFSET past 2**63).
MAX_OFFSET = 1_000_000_000
# Parameters every endpoint accepts; DRF reads ``format`` to choose a renderer.
PAGING_PARAMETERS = frozenset({"limit", "offset", "format"})


def whole_number(request, name, default, lowest, highest):
    raw = request.query_params.get(name)
    if raw is None:
        return default
    try:
        number = int(raw)
    except ValueError:
        number = None
    if number is None or not lowest <= number <= highest:
        message = _("Geef een geheel getal van %(lowest)s tot en met %(highest)s.") % {
            "lowest": lowest,
            "highest": highest,
        }
        raise ValidationError({name: [message]})
    return number


class LimitOffsetPagination(BasePagination):
    """``limit`` (1 to ``MAX_LIMIT``, default ``DEFAULT_LIMIT``) and ``offset`` (0 to
    ``MAX_OFFSET``),
    with Wagtail's response shape. A view that sets ``page_source`` hands the queryset to it
    first (the knowledge base reads counts and ids through the content cache, as its lists
    do)."""

    def paginate_queryset(self, queryset, request, view=None):
        offset = whole_number(request, "offset", 0, 0, MAX_OFFSET)
        limit = whole_number(request, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT)
        source = getattr(view, "page_source", None)
        if source is not None and isinstance(queryset, QuerySet):
            queryset = source(queryset)
        self.total_count = queryset.count()
        return list(queryset[offset : offset + limit])

    def get_paginated_response(self, data):
        return Response(OrderedDict([("meta", {"total_count": self.total_count}), ("items", data)]))


class NoNulBytesMixin:
    """Refuses a NUL byte in any parameter with a 400: PostgreSQL cannot take one in a text
    parameter, and some of Wagtail's filters (``search``) pass values on as they come."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        invalid = sorted(
            name for name, values in request.query_params.lists() if any("\x00" in v for v in values)
        )
        if invalid:
            raise ValidationError({name[:50]: [_("Deze waarde is ongeldig.")] for name in invalid[:10]})


class UnknownParametersMixin(NoNulBytesMixin):
    """Refuses query parameters a view does not know with a 400 that names them, so a typo
    (``?thema=``) does not silently return everything."""

    def known_parameters(self):
        return PAGING_PARAMETERS

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        known = self.known_parameters()
        unknown = sorted(set(request.query_params) - known)
        if unknown:
            raise ValidationError(
                {
                    name[:50]: [
                        _("Onbekende parameter. Deze lijst kent: %(known)s.")
                        % {"known": ", ".join(sorted(known))}
                    ]
                    for name in unknown[:10]
                }
            )
