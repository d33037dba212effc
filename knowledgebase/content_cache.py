"""A cache that never outlives the content it was computed from.

Whatever is computed from public content and is costly at scale (a search's outcome, the
counts per theme, the gap map's counts) is cached under a name plus the *content version*: a
random token that ``signals.py`` renews after every write to content (the knowledge base,
country and model pages, any page, view restrictions). A new version makes every earlier entry
unreachable; the entries expire after ``TIMEOUT`` at the latest.

Without a cache (Redis down or hung) everything still works, computed per request: the cache
backend fails open (``kit/cache.py``), so a read is a miss and a write is dropped. While
the version cannot be read, nothing is read or written under any version.

Within a request the version is read once, at the first use, and everything the request
reads or stores uses it (``RequestContentVersion``). A value computed from content read
before a change is then stored under the version that was current before the change, which
nobody asks for after it; reading the version again at store time would file it under the new
one. So: read the version (``cache_get`` or ``cached``) before reading the content.
"""

import contextvars
import uuid

from django.core.cache import cache

# The version a request uses, once read: a one-item list per request, None outside requests.
_request_version = contextvars.ContextVar("content_version", default=None)

VERSION_KEY = "content:version"
# How long an entry is kept. Every change to content starts a new version, so this only
# bounds how long a change made without signals (a bulk update) can go unseen.
TIMEOUT = 600


class RequestContentVersion:
    """Middleware: a request reads the content version once and keeps it to the end."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request_version.set([None])
        try:
            return self.get_response(request)
        finally:
            _request_version.reset(token)


def _read_version():
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, None)
        version = cache.get(VERSION_KEY)
    return version


def content_version():
    """The current token: it changes whenever content changes (``signals.py``). In a request,
    the token read first. None while the cache is unavailable."""
    memo = _request_version.get()
    if memo is None:
        return _read_version()
    if memo[0] is None:
        memo[0] = _read_version()
    return memo[0]


def content_changed():
    """Start a new content version: everything cached before is from then on ignored. When
    the cache is unavailable, the previous version's entries expire after TIMEOUT at the
    latest. A request that changed content goes on with the new version."""
    version = uuid.uuid4().hex
    cache.set(VERSION_KEY, version, None)
    memo = _request_version.get()
    if memo is not None:
        memo[0] = version


def _key(name, version):
    return f"content:{name}:{version}"


def cache_key(name):
    """The cache key of ``name`` for the current content version."""
    return _key(name, content_version())


def cache_get(name):
    """What is cached under ``name`` for the current content version, or None."""
    version = content_version()
    return None if version is None else cache.get(_key(name, version))


def cache_set(name, value, timeout=TIMEOUT):
    version = content_version()
    if version is not None:
        cache.set(_key(name, version), value, timeout)


def cached(name, compute, timeout=TIMEOUT):
    """``compute()``, cached under ``name`` for the current content version. When the cache
    is unavailable, ``compute()`` runs without it (and the cache is not asked again)."""
    version = content_version()
    if version is None:
        return compute()
    key = _key(name, version)
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout)
    return value
