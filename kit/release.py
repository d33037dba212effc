"""Which release of the code is running, for the cache's key prefix.

Cached HTML and query results belong to the code that made them: after a deploy, a page
rendered by the previous templates or counts computed by the previous queries must not be
served. The cache's key prefix therefore names the release: ``RELEASE`` from the environment
when the deployment sets one (a git commit or an image tag), otherwise a fingerprint of the
files the running code is made of (Python, templates, static files, translations and the
locked requirements), so that any change to them starts with an empty cache.
"""

import hashlib
from pathlib import Path

# What a release consists of, relative to the project's root.
SOURCE_DIRS = (
    "kit",
    "knowledgebase",
    "models_infra",
    "countries",
    "hubs",
    "search",
    "portal",
    "templates",
    "static",
    "locale",
)
SOURCE_SUFFIXES = {".py", ".html", ".txt", ".css", ".js", ".svg", ".po", ".csl"}
SOURCE_FILES = ("requirements/production.txt",)


def source_fingerprint(base_dir):
    """A short hash of the names and contents of the project's source files under ``base_dir``."""
    base = Path(base_dir)
    paths = [base / name for name in SOURCE_FILES if (base / name).is_file()]
    for directory in SOURCE_DIRS:
        root = base / directory
        if root.is_dir():
            paths.extend(
                path for path in root.rglob("*") if path.suffix in SOURCE_SUFFIXES and path.is_file()
            )
    digest = hashlib.blake2b(digest_size=6)
    for path in sorted(paths):
        digest.update(str(path.relative_to(base)).encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


def release(base_dir, configured=""):
    """The release's name: ``configured`` (the ``RELEASE`` setting) or the source fingerprint."""
    return configured.strip() or source_fingerprint(base_dir)
