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


# Console messages that are about the page's own quality, not the page's behaviour.
HARMLESS_CONSOLE = (
    # Chromium's hints about autocomplete attributes are verbose-level advice.
    "[DOM] Input elements should have autocomplete attributes",
)
# Warnings that mean a policy header is wrong or something was blocked.
POLICY_WARNINGS = ("Content Security Policy", "Permissions-Policy", "Content-Security-Policy")


class BrowserProblems:
    """What went wrong in the browser during a test: console errors, uncaught exceptions,
    CSP violations and requests to other hosts than the live server. A test that expects a
    console error (a page answering 404, say) names it with ``expect``."""

    def __init__(self):
        self.problems = []
        self.expected = []

    def expect(self, text):
        self.expected.append(text)

    def watch(self, context):
        context.on("console", self._console)
        context.on("weberror", lambda error: self.problems.append(f"uncaught error: {error.error}"))
        context.on("request", self._request)
        # CSP violations are also reported as events, whatever the console says.
        context.add_init_script(
            "document.addEventListener('securitypolicyviolation', e => console.error("
            "'CSP violation: ' + e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline')));"
        )
        return context

    def _console(self, message):
        text = message.text
        if any(text.startswith(harmless) for harmless in HARMLESS_CONSOLE):
            return
        blocking = message.type == "error" or (
            message.type == "warning" and any(word in text for word in POLICY_WARNINGS)
        )
        if blocking and not any(expected in text for expected in self.expected):
            self.problems.append(f"console {message.type}: {text} ({message.location.get('url')})")

    def _request(self, request):
        host = request.url.split("/")[2] if "://" in request.url else ""
        if request.url.startswith(("data:", "blob:", "about:")):
            return
        if host.split(":")[0] not in {"localhost", "127.0.0.1", "[::1]"}:
            self.problems.append(f"third-party request: {request.url}")


@pytest.fixture
def browser_problems():
    """The problems seen in every watched browser context of the test; the test fails on any.
    The ``context`` (and so ``page``) fixture is watched; a test that opens a context of its own
    passes it to ``browser_problems.watch``."""
    problems = BrowserProblems()
    yield problems
    assert not problems.problems, "Problems in the browser:\n" + "\n".join(problems.problems)


@pytest.fixture
def context(context, browser_problems):
    return browser_problems.watch(context)
