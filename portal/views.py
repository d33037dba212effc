"""Site-wide views: health check, robots.txt, sitemaps, language switch and error pages."""

import logging
import re
from functools import wraps

from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe
from django.views.i18n import set_language as django_set_language

from knowledgebase import content_cache
from portal.celery import app

logger = logging.getLogger(__name__)


def _check_database():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        logger.exception("Health check: database unavailable")
        return "error"
    return "ok"


def _check_cache():
    try:
        cache.set("portal:healthz", "ok", 10)
        return "ok" if cache.get("portal:healthz") == "ok" else "error"
    except Exception:
        logger.exception("Health check: cache unavailable")
        return "error"


def _check_broker():
    if app.conf.task_always_eager:
        return "eager"
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception:
        logger.warning("Health check: broker unavailable", exc_info=True)
        return "error"
    return "ok"


@require_safe
def robots_txt(request):
    """Where crawlers may go, and the sitemap. The search is left out: its facets combine
    into more addresses than there are records, all of which the sitemap names directly."""
    context = {"sitemap_url": request.build_absolute_uri(reverse("sitemap"))}
    return render(request, "portal/robots.txt", context, content_type="text/plain; charset=utf-8")


# Headers of a sitemap response that its cached copy keeps.
SITEMAP_HEADERS = ["Content-Type", "Last-Modified", "X-Robots-Tag"]
PAGE_NUMBER = re.compile(r"[0-9]{1,6}")


def cached_sitemap(view):
    """Serve ``view``'s sitemap from the content cache: built once per content version and
    address (host, section and page number) rather than per request, which at 100,000
    studies took 0.17 s for the index and 0.13 s per 10,000 records. Only complete answers
    (200) are kept; any other parameter than ``p`` does not change the key, and a ``p`` that
    is not a page number is never a key."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        page = request.GET.get("p", "1")
        if not PAGE_NUMBER.fullmatch(page):  # Not a page number: the view answers 404.
            return view(request, *args, **kwargs)
        name = f"sitemap:{request.scheme}://{request.get_host()}{request.path}?p={page}"
        hit = content_cache.cache_get(name)
        if hit is not None:
            content, headers = hit
            return HttpResponse(content, headers=headers)
        response = view(request, *args, **kwargs)
        if response.status_code == 200:
            response.render()
            headers = {key: response[key] for key in SITEMAP_HEADERS if response.has_header(key)}
            content_cache.cache_set(name, (response.content, headers))
        return response

    return wrapper


@never_cache
def healthz(request):
    """Report database, cache and broker state as JSON.

    Only the database decides the status code: without it nothing works (503). A cache or
    broker that is down makes the service degraded, still able to serve pages (200).
    """
    checks = {"database": _check_database(), "cache": _check_cache(), "broker": _check_broker()}
    if checks["database"] != "ok":
        status, code = "error", 503
    elif "error" in checks.values():
        status, code = "degraded", 200
    else:
        status, code = "ok", 200
    return JsonResponse({"status": status, "checks": checks}, status=code)


# Changing the interface language is harmless, so the form needs no CSRF token and public
# pages set no CSRF cookie.
set_language = csrf_exempt(django_set_language)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    return render(request, "500.html", status=500)
