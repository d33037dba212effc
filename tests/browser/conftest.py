import os
import shutil

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            if not shutil.which(CHROMIUM) and not os.environ.get("REQUIRE_BROWSER"):
                item.add_marker(
                    pytest.mark.skip(reason=f"{CHROMIUM} not installed (make test-browser needs it)")
                )


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium: Playwright cannot download its own browser here."""
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "nl-NL"}


@pytest.fixture
def live_site(transactional_db, live_server):
    """A live server with the site tree, groups and workflow in its database.

    Transactional tests empty the database afterwards; the set-up services rebuild what they
    need from nothing, and `make test` runs the browser tests after the rest of the suite.
    """
    from portal.services import editorial_setup_ensure, site_tree_ensure

    home = site_tree_ensure(hostname="localhost")
    editorial_setup_ensure(home=home)
    return live_server


@pytest.fixture
def starter_site(live_site):
    """The live site with the starter content loaded."""
    from django.core.management import call_command

    call_command("load_starter_content")
    return live_site
