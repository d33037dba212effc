"""A cache that never outlives the content it was computed from.

Whatever is computed from public content and is costly at scale (a search's outcome, the
counts per theme, the gap map's counts, whole anonymous pages) is cached under a name plus the
*content versions* it depends on: random tokens, one per kind of content (``KINDS``), that
``signals.py`` renews after every public change to a record of that kind. A value declares
the kinds it is computed from (all of them unless it says otherwise), so publishing a study
leaves a value computed from frameworks alone where it was. A new version makes every earlier
entry that depends on it unreachable; the entries expire after ``TIMEOUT`` at the latest.

Without a cache (Redis down or hung) everything still works, computed per request: the cache
backend fails open (``kit/cache.py``), so a read is a miss and a write is dropped. While
the versions cannot be read, nothing is read or written under any version.

Within a request the versions are read once, all kinds with one ``get_many`` at the first
use, and everything the request reads or stores uses them (``RequestContentVersion``). A value
computed from content read before a change is then stored under the versions that were current
before the change, which nobody asks for after it; reading the versions again at store time
would file it under the new ones. So: read the versions (``cache_get`` or ``cached``) before
reading the content.
"""

import contextvars
import hashlib
import uuid

from django.core.cache import cache

# The version a request uses, once read: a one-item list per request, None outside requests.
_request_version = contextvars.ContextVar("content_version", default=None)

# The kinds of content that have a version of their own. "page" stands for the site's other
# pages (and their view restrictions): a page's visibility follows its ancestors.
KINDS = (
    "study",
    "finding",
    "question",
    "theme",
    "organisation",
    "framework",
    "bottomline",
    "country",
    "model",
    "page",
)
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


def version_key(kind):
    return f"{VERSION_KEY}:{kind}"


def _read_versions():
    """{kind: token} for every kind, in one round trip when they all exist; None while the
    cache is unavailable."""
    keys = [version_key(kind) for kind in KINDS]
    found = cache.get_many(keys)
    if len(found) < len(keys):
        for key in set(keys) - found.keys():
            cache.add(key, uuid.uuid4().hex, None)
        found = cache.get_many(keys)
        if len(found) < len(keys):
            return None
    return {kind: found[version_key(kind)] for kind in KINDS}


def _versions():
    memo = _request_version.get()
    if memo is None:
        return _read_versions()
    if memo[0] is None:
        memo[0] = _read_versions()
    return memo[0]


def _version(versions, kinds):
    # One short token for any number of kinds (a key holding ten tokens would be 330 characters).
    if versions is None:
        return None
    joined = "-".join(versions[kind] for kind in KINDS if kind in kinds)
    return hashlib.blake2b(joined.encode(), digest_size=12).hexdigest()


def content_version(kinds=KINDS):
    """The current token of ``kinds`` (all unless given): it changes whenever content of one
    of them changes (``signals.py``). In a request, the tokens read first. None while the cache
    is unavailable."""
    return _version(_versions(), kinds)


def content_changed(kinds=KINDS):
    """Start a new version of ``kinds`` (all unless given): everything cached before that
    depends on one of them is from then on ignored. When the cache is unavailable, the previous
    versions' entries expire after TIMEOUT at the latest. A request that changed content goes
    on with the new versions."""
    new = {version_key(kind): uuid.uuid4().hex for kind in KINDS if kind in kinds}
    cache.set_many(new, None)
    memo = _request_version.get()
    if memo is not None and memo[0] is not None:
        memo[0] = {kind: new.get(version_key(kind), token) for kind, token in memo[0].items()}


def _key(name, version):
    return f"content:{name}:{version}"


def cache_key(name, kinds=KINDS):
    """The cache key of ``name`` for the current versions of ``kinds``."""
    return _key(name, content_version(kinds))


def cache_get(name, kinds=KINDS):
    """What is cached under ``name`` for the current versions of ``kinds``, or None."""
    version = content_version(kinds)
    return None if version is None else cache.get(_key(name, version))


def cache_set(name, value, timeout=TIMEOUT, kinds=KINDS):
    version = content_version(kinds)
    if version is not None:
        cache.set(_key(name, version), value, timeout)


def cached(name, compute, timeout=TIMEOUT, kinds=KINDS):
    """``compute()``, cached under ``name`` for the current versions of ``kinds`` (all unless
    given: the kinds of content ``compute`` reads). When the cache is unavailable,
    ``compute()`` runs without it (and the cache is not asked again)."""
    version = content_version(kinds)
    if version is None:
        return compute()
    key = _key(name, version)
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout)
    return value
