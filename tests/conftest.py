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
