import os

import pytest

# pytest-django's live_server runs in a thread next to Playwright's event loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def site_tree(db):
    """The page tree, groups and workflow exactly as ``setup_site`` builds them."""
    from portal.services import editorial_setup_ensure, site_tree_ensure

    home = site_tree_ensure(hostname="testserver")
    editorial_setup_ensure(home=home)
    return home


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: the search caches its outcomes per content
    version, and a test's database is rolled back without the signals that start a new one."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _views_run_every_time(request, settings):
    """Pages are rendered by their views, not served whole from the anonymous page cache: tests
    read a response's context and count a view's queries, and a test's commit hooks (which
    start new content versions) run only when it asks. Tests of the page cache use the
    ``page_cache`` fixture."""
    if "page_cache" not in request.fixturenames:
        settings.MIDDLEWARE = [
            name for name in settings.MIDDLEWARE if name != "portal.middleware.AnonymousPageCache"
        ]


@pytest.fixture(autouse=True)
def _search_index_follows_writes(request, monkeypatch):
    """The search index is updated at each write instead of when the transaction commits:
    a test runs in one transaction that never commits. The browser tests (live server, real
    commits) and tests that take ``search_index_on_commit`` keep the real timing."""
    if "live_server" in request.fixturenames or "search_index_on_commit" in request.fixturenames:
        return
    from search import signals

    monkeypatch.setattr(signals, "on_commit", lambda callback: callback())


@pytest.fixture
def search_index_on_commit():
    """The search index is updated when the transaction commits, as in production."""


@pytest.fixture
def page_cache():
    """Whole anonymous pages cached, as in production (``portal.middleware.AnonymousPageCache``)."""
