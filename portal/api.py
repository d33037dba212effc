"""The read-only JSON API under ``/api/v1/`` (docs/api.md).

Wagtail's pages API serves the pages (``paginas``); ``knowledgebase.api`` serves the records
of the knowledge base. Both answer in the same shape: a list is ``{"meta": {"total_count": N},
"items": [...]}`` paged with ``limit`` and ``offset``, and invalid parameters give a 400 with a
message per parameter. Every request is anonymous (``REST_FRAMEWORK`` in the settings), so
the API shows exactly what the public pages show.
"""

from collections import OrderedDict

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from rest_framework.decorators import api_view
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.models import get_page_models

from knowledgebase.search import query_terms

from .translations import with_public_original

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
# Beyond this the databases' own limits come into view (SQLite refuses an OFFSET past 2**63).
MAX_OFFSET = 1_000_000_000
# Parameters every endpoint accepts; DRF reads ``format`` to choose a renderer.
PAGING_PARAMETERS = frozenset({"limit", "offset", "format"})


def _whole_number(request, name, default, lowest, highest):
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
        offset = _whole_number(request, "offset", 0, 0, MAX_OFFSET)
        limit = _whole_number(request, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT)
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


class PagesEndpoint(NoNulBytesMixin, PagesAPIViewSet):
    """Wagtail's pages API: live, public pages only (a translation only while its Dutch page
    is live and public), in JSON."""

    renderer_classes = [JSONRenderer]
    pagination_class = LimitOffsetPagination
    # Fields that read related records (a profile's sections, facts and websites, a model's
    # examples) are shown for one page at a time, so a listing's queries do not grow with its
    # length. Page models name them in ``api_detail_only_fields``.
    detail_only_fields = sorted(
        {
            *PagesAPIViewSet.detail_only_fields,
            *(name for model in get_page_models() for name in getattr(model, "api_detail_only_fields", [])),
        }
    )

    def check_query_parameters(self, queryset):
        super().check_query_parameters(queryset)
        # Wagtail hands ``search_operator`` to the search backend unchecked, which raises a
        # ValueError (a 500) for anything but "and" and "or".
        if self.request.query_params.get("search_operator", "and") not in {"and", "or"}:
            raise ValidationError({"search_operator": [_("Kies 'and' of 'or'.")]})

    def filter_queryset(self, queryset):
        # Wagtail passes ``search`` to the search backend as it comes, and SQLite's full-text
        # syntax fails on a stray quote or operator (a 500). Only its words are searched for,
        # as on /zoeken/.
        if "search" in self.request.GET:
            params = self.request._request.GET.copy()
            params["search"] = " ".join(query_terms(params["search"]))
            self.request._request.GET = params
        return super().filter_queryset(queryset)

    def find_object(self, queryset, request):
        # Wagtail passes ``?id=`` to the database as it comes; a non-number would be a 500.
        if "id" in request.GET:
            _whole_number(request, "id", None, 1, 2**63 - 1)
        return super().find_object(queryset, request)

    def get_queryset(self):
        # Wagtail's queryset is live and public; a translation is public only while its Dutch
        # page is too (the detail view reads the same queryset). Each page's ``locale`` is in
        # its meta fields; read with the pages, not one by one.
        return with_public_original(super().get_queryset()).select_related("locale")


router = WagtailAPIRouter("wagtailapi")
router.register_endpoint("paginas", PagesEndpoint)


@api_view(["GET", "HEAD"])
def api_root(request):
    """``/api/`` and ``/api/v1/``: what the API offers, with the address of each list."""
    from knowledgebase.api import ENDPOINTS

    endpoints = {
        "paginas": reverse("wagtailapi:paginas:listing"),
        **{name: reverse(f"api:{name}-list") for name in ENDPOINTS},
    }
    return Response(
        {
            "name": "Kennisportaal Loopbaanbegeleiding API",
            "version": 1,
            "endpoints": {name: request.build_absolute_uri(path) for name, path in endpoints.items()},
        }
    )
