"""Accessibility and HTML checks shared by the browser tests."""

import json
import os
import subprocess
import tempfile
import urllib.request
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

ROOT = Path(__file__).resolve().parents[2]
VNU_JAR = ROOT / "tools" / "audit" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
BLOCKING_IMPACTS = {"serious", "critical"}

_axe = Axe()


def assert_accessible(page):
    """axe-core finds no serious or critical violation on the page as it is shown now."""
    results = _axe.run(page)
    blocking = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in BLOCKING_IMPACTS
    ]
    assert not blocking, f"axe violations on {page.url}:\n" + "\n".join(blocking)


def fetch_html(url):
    """The HTML exactly as the server sends it (not the DOM after parsing)."""
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 (local live server)
        return response.read().decode()


def assert_valid_html(urls):
    """The Nu HTML checker reports no errors for any of ``urls`` (one checker run for all)."""
    if not VNU_JAR.exists():
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(f"{VNU_JAR} is missing: `make browser-tools` installs it")
        pytest.skip("the Nu HTML checker is not installed (make browser-tools)")
    with tempfile.TemporaryDirectory() as tmp:
        files = {}
        for index, url in enumerate(urls):
            path = Path(tmp) / f"page{index}.html"
            path.write_text(fetch_html(url))
            files[path.as_uri()] = url
        result = subprocess.run(
            [
                "java",
                "-jar",
                str(VNU_JAR),
                "--format",
                "json",
                "--exit-zero-always",
                *[Path(p[7:]) for p in files],
            ],
            capture_output=True,
            text=True,
            timeout=180,
        )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    errors = [
        f"{files.get(m.get('url'), m.get('url'))}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if m["type"] == "error"
    ]
    assert not errors, "HTML errors:\n" + "\n".join(errors)
