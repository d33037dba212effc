"""Checking the external addresses the content links to, for the "Aandacht nodig" panel.

Every address in use (a study's link, an organisation's website, a country profile's
websites, and the links in the texts of every page) is asked for with ``HEAD``, and with
``GET`` when a server refuses ``HEAD``, following redirects. An address that fails is asked
again once at the end of the run, so a passing hiccup does not show as a broken link. The
outcome per address is kept in ``LinkCheck``; outcomes of addresses no longer in use are
dropped.

The check runs weekly from Celery beat (``check-links`` in the settings) and on demand with
``manage.py check_links``. It needs outbound HTTP(S) from the worker (docs/deployment.md).
"""

import html
import ipaddress
import re
import socket
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import requests
from django.db import transaction
from django.utils import timezone
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from .models import MAX_URL_LENGTH, LinkCheck

USER_AGENT = "Kennisportaal-Loopbaanbegeleiding-linkcontrole/1.0"
# Seconds to wait for a server; a slower one counts as a failure.
TIMEOUT = 15
# Addresses checked at the same time.
WORKERS = 8
MAX_REDIRECTS = 10
# Whether addresses on private networks are asked for (only the tests' local web server).
ALLOW_INTERNAL = False
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
    from countries.models import CountryWebsite
    from knowledgebase.models import Organisation, Study

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


class InternalAddress(Exception):
    """An address on a private, loopback or link-local network."""


def is_internal(url):
    """Whether ``url``'s host is (or resolves to) an address outside the public internet. Such
    a link cannot work for a visitor, and asking it from the worker would let whoever edits
    content probe the servers' own network. A host that does not resolve is left to the
    request, which then reports it as unreachable."""
    host = urlsplit(url).hostname
    if not host:
        return True
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except (socket.gaierror, UnicodeError):
        return False
    return any(not ipaddress.ip_address(address.split("%")[0]).is_global for address in addresses)


def _status(url, method):
    """The status ``url`` answers ``method`` with, following at most ``MAX_REDIRECTS``
    redirects, each checked with ``is_internal`` before it is asked for."""
    headers = {"User-Agent": USER_AGENT}
    for _redirect in range(MAX_REDIRECTS + 1):
        if not ALLOW_INTERNAL and is_internal(url):
            raise InternalAddress(url)
        # The body is never read.
        with requests.request(
            method, url, headers=headers, timeout=TIMEOUT, allow_redirects=False, stream=True
        ) as response:
            if not response.is_redirect:
                return response.status_code
            url = urljoin(url, response.headers["Location"])
    raise requests.TooManyRedirects(url)


def check_url(url):
    """Whether ``url`` answers with a success (after redirects), with its status or error."""
    try:
        status = _status(url, "HEAD")
        if status >= 400:
            # Some servers answer HEAD with 403, 404 or 405 and GET with the page.
            status = _status(url, "GET")
        return Outcome(ok=status < 400, status_code=status)
    except InternalAddress:
        return Outcome(ok=False, error="Intern adres, niet gecontroleerd")
    except (ValueError, UnicodeError):
        # An address that cannot be parsed (a link typed into a text by hand) must not stop
        # the run.
        return Outcome(ok=False, error="Ongeldig adres")
    except requests.RequestException as error:
        return Outcome(ok=False, error=_describe(error))


def _describe(error):
    if isinstance(error, requests.Timeout):
        return "Geen antwoord binnen de wachttijd"
    if isinstance(error, requests.ConnectionError):
        return "Server niet bereikbaar"
    if isinstance(error, requests.TooManyRedirects):
        return "Te veel doorverwijzingen"
    return type(error).__name__


def _check_all(urls):
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        return dict(zip(urls, pool.map(check_url, urls), strict=True))


def check_links():
    """Check every address in use and record the outcomes; returns (checked, broken)."""
    urls = urls_in_use()
    outcomes = _check_all(urls)
    failed = [url for url, outcome in outcomes.items() if not outcome.ok]
    outcomes.update(_check_all(failed))
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
