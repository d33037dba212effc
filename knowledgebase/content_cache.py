"""A cache that never outlives the content it was computed from.

Whatever is computed from public content and is costly at scale (a search's outcome, the
counts per theme, the gap map's counts) is cached under a name plus the *content version*: a
random token that ``signals.py`` renews after every write to content (the knowledge base,
country and model pages, any page, view restrictions). A new version makes every earlier entry
unreachable; the entries expire after ``TIMEOUT`` at the latest.

Without a cache (Redis down) everything still works, computed per request.
"""

import logging
import uuid

from django.core.cache import cache

logger = logging.getLogger(__name__)

VERSION_KEY = "content:version"
# How long an entry is kept. Every change to content starts a new version, so this only
# bounds how long a change made without signals (a bulk update) can go unseen.
TIMEOUT = 600


def content_version():
    """The current token: it changes whenever content changes (``signals.py``)."""
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, None)
        version = cache.get(VERSION_KEY)
    return version


def content_changed():
    """Start a new content version: everything cached before is from then on ignored."""
    try:
        cache.set(VERSION_KEY, uuid.uuid4().hex, None)
    except Exception:
        # The previous version's entries expire after TIMEOUT at the latest.
        logger.exception("Cache unavailable: could not start a new content version")


def cache_key(name):
    """The cache key of ``name`` for the current content version."""
    return f"content:{name}:{content_version()}"


_UNAVAILABLE = object()


def _read(name):
    try:
        return cache.get(cache_key(name))
    except Exception:
        logger.warning("Cache unavailable", exc_info=True)
        return _UNAVAILABLE


def cache_get(name):
    """What is cached under ``name`` for the current content version, or None."""
    value = _read(name)
    return None if value is _UNAVAILABLE else value


def cache_set(name, value, timeout=TIMEOUT):
    try:
        cache.set(cache_key(name), value, timeout)
    except Exception:
        logger.warning("Cache unavailable", exc_info=True)


def cached(name, compute, timeout=TIMEOUT):
    """``compute()``, cached under ``name`` for the current content version. When the cache
    is down, ``compute()`` runs without it (and the cache is not asked twice)."""
    value = _read(name)
    if value is _UNAVAILABLE:
        return compute()
    if value is None:
        value = compute()
        cache_set(name, value, timeout)
    return value
