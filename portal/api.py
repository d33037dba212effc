"""The read-only JSON API under ``/api/v1/`` (docs/api.md).

Wagtail's pages API serves the pages (``paginas``); ``knowledgebase.api`` serves the records
of the knowledge base. Both page and check their parameters the same way (``kit.api``).
"""

from django.urls import reverse
from django.utils.translation import gettext as _
from rest_framework.decorators import api_view
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.models import get_page_models

from kit.api import LimitOffsetPagination, NoNulBytesMixin, whole_number
from kit.translations import with_public_original
from knowledgebase.api import ENDPOINTS
from search.engine import query_terms


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
            whole_number(request, "id", None, 1, 2**63 - 1)
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
