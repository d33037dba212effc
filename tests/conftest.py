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
