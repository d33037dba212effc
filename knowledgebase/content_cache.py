"""A cache that never outlives the content it was computed from.

Whatever is computed from public content and is costly at scale (a search's outcome, the
counts per theme, the gap map's counts) is cached under a name plus the *content version*: a
random token that ``signals.py`` renews after every write to content (the knowledge base,
country and model pages, any page, view restrictions). A new version makes every earlier entry
unreachable; the entries expire after ``TIMEOUT`` at the latest.

Without a cache (Redis down or hung) everything still works, computed per request: the cache
backend fails open (``portal/cache.py``), so a read is a miss and a write is dropped. While
the version cannot be read, nothing is read or written under any version.
"""

import uuid

from django.core.cache import cache

VERSION_KEY = "content:version"
# How long an entry is kept. Every change to content starts a new version, so this only
# bounds how long a change made without signals (a bulk update) can go unseen.
TIMEOUT = 600


def content_version():
    """The current token: it changes whenever content changes (``signals.py``). None while
    the cache is unavailable."""
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, None)
        version = cache.get(VERSION_KEY)
    return version


def content_changed():
    """Start a new content version: everything cached before is from then on ignored. When
    the cache is unavailable, the previous version's entries expire after TIMEOUT at the
    latest."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)


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
