"""Audit a running instance: Lighthouse scores and page weight, Nu HTML checker errors and
axe-core violations for every path in urls.txt. Writes reports/audit/report.md and .json.

It is a report, not a test: it exits 0 whatever it finds, unless a tool cannot run.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
NODE_BIN = HERE / "node_modules" / ".bin"
VNU_JAR = HERE / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = HERE / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --disable-sync --no-first-run"
)


def read_paths(path):
    return [
        line.strip() for line in path.read_text().splitlines() if line.strip() and not line.startswith("#")
    ]


def lighthouse(url):
    """Scores (0-100) per category and the transferred bytes; retried once (NO_NAVSTART)."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "lh.json"
        command = [
            str(NODE_BIN / "lighthouse"),
            url,
            "--quiet",
            "--output=json",
            f"--output-path={out}",
            f"--chrome-flags={CHROME_FLAGS}",
            "--only-categories=performance,accessibility,best-practices,seo",
        ]
        for _attempt in range(2):
            result = subprocess.run(
                command,
                capture_output=True,
                text=True,
                env={**os.environ, "CHROME_PATH": CHROMIUM},
                timeout=300,
            )
            if result.returncode == 0 and out.exists():
                data = json.loads(out.read_text())
                scores = {key: round((cat["score"] or 0) * 100) for key, cat in data["categories"].items()}
                weight = data["audits"]["total-byte-weight"]["numericValue"]
                return {"scores": scores, "bytes": int(weight)}
        return {"error": (result.stderr or result.stdout)[-500:]}


def html_errors(urls):
    """Nu HTML checker errors per URL (one checker run for all pages)."""
    with tempfile.TemporaryDirectory() as tmp:
        files = {}
        for index, url in enumerate(urls):
            path = Path(tmp) / f"page{index}.html"
            with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 (audited instance)
                path.write_bytes(response.read())
            files[path.as_uri()] = url
        result = subprocess.run(
            ["java", "-jar", str(VNU_JAR), "--format", "json", "--exit-zero-always", *[p[7:] for p in files]],
            capture_output=True,
            text=True,
            timeout=300,
        )
    errors = {url: [] for url in urls}
    for message in json.loads(result.stderr or result.stdout)["messages"]:
        if message["type"] == "error":
            errors[files.get(message.get("url"), message.get("url"))].append(message["message"])
    return errors


def axe_violations(urls):
    """axe-core violations per URL, run in headless Chromium through Playwright."""
    from playwright.sync_api import sync_playwright

    script = AXE_JS.read_text()
    found = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROME_FLAGS.split())
        page = browser.new_page()
        for url in urls:
            page.goto(url)
            page.evaluate(script)
            result = page.evaluate("axe.run().then(r => r.violations)")
            found[url] = [{"id": v["id"], "impact": v["impact"], "nodes": len(v["nodes"])} for v in result]
        browser.close()
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--urls", type=Path, default=HERE / "urls.txt")
    parser.add_argument("--out", type=Path, default=Path("reports/audit"))
    args = parser.parse_args()

    urls = [args.base_url.rstrip("/") + path for path in read_paths(args.urls)]
    try:
        urllib.request.urlopen(urls[0], timeout=10)  # noqa: S310
    except OSError as error:
        sys.exit(f"{urls[0]} does not answer ({error}); start the portal first (make run).")

    errors = html_errors(urls)
    violations = axe_violations(urls)
    rows = []
    for url in urls:
        print(f"lighthouse {url}", flush=True)
        rows.append(
            {"url": url, "lighthouse": lighthouse(url), "html_errors": errors[url], "axe": violations[url]}
        )

    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "report.json").write_text(json.dumps(rows, indent=2, ensure_ascii=False))
    lines = [
        f"# Audit {datetime.now(UTC):%Y-%m-%d %H:%M} UTC - {args.base_url}",
        "",
        "| page | perf | a11y | best pr. | SEO | weight (kB) | HTML errors | axe (serious+critical / all) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        lh = row["lighthouse"]
        scores = lh.get("scores", {})
        blocking = sum(1 for v in row["axe"] if v["impact"] in {"serious", "critical"})
        lines.append(
            f"| {row['url'].removeprefix(args.base_url.rstrip('/'))} | {scores.get('performance', '-')} "
            f"| {scores.get('accessibility', '-')} | {scores.get('best-practices', '-')} "
            f"| {scores.get('seo', '-')} "
            f"| {round(lh['bytes'] / 1024) if 'bytes' in lh else 'error'} "
            f"| {len(row['html_errors'])} | {blocking} / {len(row['axe'])} |"
        )
    (args.out / "report.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
