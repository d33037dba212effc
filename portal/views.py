"""Site-wide views: health check, robots.txt, sitemaps, language switch and error pages."""

import logging
import re
import sys
from functools import wraps

import redis
from django.core.cache import cache
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe
from django.views.i18n import set_language as django_set_language

from knowledgebase import content_cache
from portal import worker
from portal.celery import app

logger = logging.getLogger(__name__)


# Seconds the health check waits for the broker: it must answer within 2 s in all, whatever
# Redis does (a stopped Redis refuses at once, a hung one never answers).
BROKER_CHECK_TIMEOUT = 0.5


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
    """Write and read back a value. The cache fails open (kit/cache.py): an unavailable
    one answers None; a backend that raises instead is reported the same way."""
    try:
        cache.set("portal:healthz", "ok", 10)
        return "ok" if cache.get("portal:healthz") == "ok" else "error"
    except Exception:
        logger.exception("Health check: cache unavailable")
        return "error"


def _check_broker():
    """PING the broker's Redis with a short timeout of its own: kombu would retry and wait
    for its socket timeout."""
    if app.conf.task_always_eager:
        return "eager"
    client = redis.Redis.from_url(
        app.conf.broker_url, socket_connect_timeout=BROKER_CHECK_TIMEOUT, socket_timeout=BROKER_CHECK_TIMEOUT
    )
    try:
        client.ping()
    except redis.RedisError:
        logger.warning("Health check: broker unavailable", exc_info=True)
        return "error"
    finally:
        client.close()
    return "ok"


def _check_worker(cache_state):
    """Whether a Celery worker wrote its heartbeat lately (``portal/worker.py``). Without the
    cache there is no telling."""
    if app.conf.task_always_eager:
        return "eager"
    if cache_state != "ok":
        return "unknown"
    return "ok" if cache.get(worker.HEARTBEAT_KEY) is not None else "error"


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
    address (host, section and page number) rather than per request: a sitemap lists every
    public record, which is the slowest thing the site builds. Only complete answers
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
    """Report the state of database, cache, broker and worker as JSON, within 2 s.

    Only the database decides the status code: without it nothing works (503). A cache,
    broker or worker that is down makes the service degraded, still able to serve pages (200).
    """
    checks = {"database": _check_database(), "cache": _check_cache(), "broker": _check_broker()}
    checks["worker"] = _check_worker(checks["cache"])
    if checks["database"] != "ok":
        status, code = "error", 503
    elif {"error", "unknown"} & set(checks.values()):
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
    """The 500 page; a 503 page instead when the error is that the database cannot be
    reached, which is an outage the visitor can wait out rather than a fault."""
    if _database_unavailable(sys.exc_info()[1]):
        return database_unavailable(request)
    return render(request, "500.html", status=500)


# Seconds a client is asked to wait before trying again while the database is down.
RETRY_AFTER = 60


def _database_unavailable(error):
    while error is not None:
        if isinstance(error, OperationalError | InterfaceError):
            return True
        error = error.__cause__ or error.__context__
    return False


def database_unavailable(request):
    """503 while the database is down: a page in Dutch, or JSON for the API. Rendered
    without the request's context processors, which read the database."""
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": DATABASE_UNAVAILABLE}, status=503)
    else:
        response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    return response


DATABASE_UNAVAILABLE = (
    "De kennisbank is tijdelijk niet beschikbaar. Probeer het over een paar minuten opnieuw."
)
