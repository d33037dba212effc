"""Checking the external addresses the content links to, for the "Aandacht nodig" panel.

Every address in use (a study's link, an organisation's website, a country profile's
websites, and the links in the texts of every page) is asked for with ``HEAD``, and with
``GET`` when a server refuses ``HEAD``, following redirects. ``kit.outbound`` does the
asking: never for an address on the servers' own network or one that parsers read
differently, also not after a redirect. An address that fails is asked again once at the end
of the run, so a passing hiccup does not show as a broken link. The outcome per address is
kept in ``LinkCheck``; outcomes of addresses no longer in use are dropped.

The check runs weekly from Celery beat (``check-links`` in the settings) and on demand with
``manage.py check_links``. It needs outbound HTTP(S) from the worker (docs/deployment.md).
"""

import html
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import urllib3
from django.db import transaction
from django.utils import timezone
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from countries.models import CountryWebsite
from kit.outbound import Fetcher, InternalAddress, InvalidAddress, TooManyRedirects, Unresolvable
from knowledgebase.models import Organisation, Study

from .models import MAX_URL_LENGTH, LinkCheck

# Addresses checked at the same time.
WORKERS = 8
# Rows written or deleted per statement.
BATCH = 500
# An external link in rich text, also inside a StreamField's JSON (where quotes are escaped).
EXTERNAL_HREF = re.compile(r'href=\\?"(https?://[^"\\]+)')


@dataclass
class Outcome:
    ok: bool
    status_code: int | None = None
    error: str = ""


def urls_in_use():
    """Every external address the content links to, drafts included (an editor fixes those
    too)."""
    urls = set(page_text_links())
    for model, field in [(Study, "url"), (Organisation, "website"), (CountryWebsite, "url")]:
        urls.update(model.objects.exclude(**{field: ""}).values_list(field, flat=True).distinct())
    return sorted(url for url in urls if len(url) <= MAX_URL_LENGTH)


def text_links(page):
    """The external addresses linked from ``page``'s rich text and StreamFields."""
    urls = set()
    for field in type(page)._meta.concrete_fields:
        if isinstance(field, (RichTextField, StreamField)):
            urls.update(html.unescape(url) for url in EXTERNAL_HREF.findall(field.value_to_string(page)))
    return urls


def page_text_links():
    """{address: [page, ...]} for the external links in the texts of every page, in tree
    order (one query per page type). Aliases are left out: their text is their original's."""
    found = {}
    for page in Page.objects.filter(alias_of__isnull=True).specific().order_by("path"):
        for url in sorted(text_links(page)):
            found.setdefault(url, []).append(page)
    return found


def default_fetcher():
    """The fetcher of the link check: the rules of ``kit.outbound`` with their defaults."""
    return Fetcher()


def check_url(url, fetcher=None):
    """Whether ``url`` answers with a success (after redirects), with its status or error.
    Internal and ambiguous addresses are never asked for (``kit.outbound``)."""
    fetcher = fetcher or default_fetcher()
    try:
        status = fetcher.status(url, "HEAD")
        if status >= 400:
            # Some servers answer HEAD with 403, 404 or 405 and GET with the page.
            status = fetcher.status(url, "GET")
        return Outcome(ok=status < 400, status_code=status)
    except InternalAddress:
        return Outcome(ok=False, error="Intern adres, niet gecontroleerd")
    except InvalidAddress as error:
        # Also an address typed into a text by hand that cannot be parsed: it must not stop
        # the run.
        return Outcome(ok=False, error=f"Ongeldig adres: {error.reason}")
    except TooManyRedirects:
        return Outcome(ok=False, error="Te veel doorverwijzingen")
    except Unresolvable:
        return Outcome(ok=False, error="Server niet bereikbaar")
    except urllib3.exceptions.HTTPError as error:
        return Outcome(ok=False, error=_describe(error))
    except OSError:
        return Outcome(ok=False, error="Server niet bereikbaar")


def _describe(error):
    # urllib3's NewConnectionError (refused, unreachable) is a subclass of its TimeoutError.
    if isinstance(error, urllib3.exceptions.NewConnectionError):
        return "Server niet bereikbaar"
    if isinstance(error, urllib3.exceptions.TimeoutError):
        return "Geen antwoord binnen de wachttijd"
    if isinstance(error, urllib3.exceptions.SSLError):
        return "Beveiligde verbinding mislukt (certificaat)"
    return "Server niet bereikbaar"


def _check_all(urls, fetcher):
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        return dict(zip(urls, pool.map(lambda url: check_url(url, fetcher), urls), strict=True))


def check_links():
    """Check every address in use and record the outcomes; returns (checked, broken)."""
    urls = urls_in_use()
    fetcher = default_fetcher()
    outcomes = _check_all(urls, fetcher)
    failed = [url for url, outcome in outcomes.items() if not outcome.ok]
    outcomes.update(_check_all(failed, fetcher))
    now = timezone.now()
    rows = [
        LinkCheck(url=url, ok=o.ok, status_code=o.status_code, error=o.error[:200], checked_at=now)
        for url, o in outcomes.items()
    ]
    with transaction.atomic():
        stale = sorted(set(LinkCheck.objects.values_list("url", flat=True)) - set(urls))
        for start in range(0, len(stale), BATCH):
            LinkCheck.objects.filter(url__in=stale[start : start + BATCH]).delete()
        LinkCheck.objects.bulk_create(
            rows,
            batch_size=BATCH,
            update_conflicts=True,
            unique_fields=["url"],
            update_fields=["ok", "status_code", "error", "checked_at"],
        )
    return len(urls), sum(1 for outcome in outcomes.values() if not outcome.ok)
