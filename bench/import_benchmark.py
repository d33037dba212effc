"""Benchmark of the bulk import of studies (RIS, BibTeX) on PostgreSQL.

Usage (``make bench-import`` runs exactly this against the benchmark database):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kp_bench \\
        .venv/bin/python bench/import_benchmark.py --report docs/benchmarks/import.md

It writes reference files the way a reference manager exports them (a title, one to three
authors, a year, an abstract of about 150 words, a DOI, a link, a publisher, a language per
reference) and measures, on whatever the database holds (``make bench-admin`` and ``make
bench-search`` fill it with 100,000 synthetic studies):

- the upload: the ``POST`` that checks the file and stores the import job (the import task is
  queued, not run), and
- the import task (``imports.import_job_run``): reading the file, checking every reference
  against the file and the knowledge base, and writing the draft studies with their authors,
  revisions, log entries and search-index entries,

for 500 and 5,000 references in RIS, 5,000 in BibTeX, 5,000 in BibTeX whose every abstract
has LaTeX markup to decode (the slowest kind of file), and the same 5,000 RIS references
imported a second time (all skipped). Each import runs inside a transaction that is rolled
back afterwards, so the database is left as it was (the commit itself, a few milliseconds, is
not measured). The report goes to ``docs/benchmarks/import.md``; its "Analysis" section,
written by hand after a run, is kept when the report is written again.
"""

import argparse
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
os.environ.setdefault("DEBUG", "false")

TARGET_SECONDS = 120
ANALYSIS_HEADING = "## Analysis"
USERNAME = "bench-import"
UPLOAD_URL = "/admin/kennisbank/importeren/"
WORDS = ["loopbaanbegeleiding", "volwassenen", "onderwijs", "arbeidsmarkt", "kwaliteit", "adviseurs",
         "regio", "beleid", "evaluatie", "monitoring", "samenwerking", "gemeenten", "werkgevers",
         "jongeren", "scholing", "leven", "lang", "ontwikkelen", "dienstverlening",
         "professionalisering", "kennis", "onderzoek", "praktijk"]  # fmt: skip
SURNAMES = ["Jansen", "de Vries", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "Bos", "Vos"]


class Row(NamedTuple):
    label: str
    references: int
    megabytes: float
    upload_s: float
    median_s: float
    max_s: float
    created: int
    skipped: int
    report_lines: int

    @property
    def meets_target(self):
        return self.max_s <= TARGET_SECONDS


def references(count, seed, *, first=0):
    """``count`` references as dicts, the same ones for the same ``seed``."""
    rng = random.Random(seed)
    found = []
    for number in range(first, first + count):
        subject = " ".join(rng.sample(WORDS, 3))
        found.append(
            {
                "title": f"Benchmarkreferentie {number}: {subject}",
                "authors": [
                    f"{rng.choice(SURNAMES)}, {chr(65 + rng.randrange(26))}."
                    for _author in range(rng.randint(1, 3))
                ],
                "year": str(rng.randint(1995, 2025)),
                "abstract": " ".join(rng.choice(WORDS) for _ in range(150)).capitalize() + ".",
                "doi": f"10.5555/bench.{seed}.{number}",
                "url": f"https://example.org/onderzoek/{seed}/{number}",
                "publisher": f"Kenniscentrum {rng.randrange(40)}",
                "language": rng.choice(["nl", "en"]),
            }
        )
    return found


def ris(items):
    lines = []
    for item in items:
        lines += ["TY  - RPRT", f"TI  - {item['title']}"]
        lines += [f"AU  - {author}" for author in item["authors"]]
        lines += [
            f"PY  - {item['year']}///",
            f"AB  - {item['abstract']}",
            f"DO  - {item['doi']}",
            f"UR  - {item['url']}",
            f"PB  - {item['publisher']}",
            f"LA  - {item['language']}",
            "ER  - ",
            "",
        ]
    return "\n".join(lines).encode()


def bibtex(items, *, markup=False):
    entries = []
    for number, item in enumerate(items):
        abstract = item["abstract"]
        if markup:
            # What exports often hold: an escaped ampersand and percent, a protected capital.
            abstract = abstract.replace(" kwaliteit ", " kwaliteit \\& {K}ennis ") + " Bereik 40\\%."
        entries.append(
            f"@techreport{{ref{number},\n"
            f"  title = {{{item['title']}}},\n"
            f"  author = {{{' and '.join(item['authors'])}}},\n"
            f"  year = {{{item['year']}}},\n"
            f"  abstract = {{{abstract}}},\n"
            f"  doi = {{{item['doi']}}},\n"
            f"  url = {{{item['url']}}},\n"
            f"  institution = {{{item['publisher']}}},\n"
            f"  language = {{{item['language']}}},\n"
            "}\n"
        )
    return "\n".join(entries).encode()


class Rollback(Exception):
    pass


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--report", default=str(ROOT / "docs" / "benchmarks" / "import.md"))
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("The benchmark needs PostgreSQL: set DATABASE_URL=postgres://...")

    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.db import transaction
    from django.test import Client

    from knowledgebase import imports
    from knowledgebase.models import ImportJob, Study

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    call_command("migrate", verbosity=0)
    call_command("setup_site", verbosity=0)
    user = get_user_model().objects.filter(username=USERNAME).first()
    if user is None:
        user = get_user_model().objects.create_superuser(USERNAME, "import@example.org", None)
    client = Client()
    client.force_login(user)
    studies = Study.objects.count()

    files = [
        ("RIS, 500 referenties", "bench-500.ris", ris(references(500, 1))),
        ("RIS, 5.000 referenties", "bench-5000.ris", ris(references(5000, 2))),
        ("BibTeX, 5.000 referenties", "bench-5000.bib", bibtex(references(5000, 3))),
        (
            "BibTeX, 5.000 referenties, LaTeX in elke samenvatting",
            "bench-latex.bib",
            bibtex(references(5000, 4), markup=True),
        ),
    ]

    def upload(name, data):
        """The upload request alone, rolled back: the task it queues on commit never runs."""
        try:
            with transaction.atomic():
                start = time.perf_counter()
                response = client.post(UPLOAD_URL, {"file": SimpleUploadedFile(name, data)})
                elapsed = time.perf_counter() - start
                assert response.status_code == 302, response.status_code
                raise Rollback
        except Rollback:
            return elapsed

    def run(name, data, *, again=False):
        """One import as the task runs it, rolled back; with ``again``, the file is imported
        once first and the second import is measured."""
        try:
            with transaction.atomic():
                if again:
                    first = ImportJob.objects.create(user=user, file_name=name, data=data)
                    imports.import_job_run(job_id=first.pk)
                job = ImportJob.objects.create(user=user, file_name=name, data=data)
                start = time.perf_counter()
                imports.import_job_run(job_id=job.pk)
                elapsed = time.perf_counter() - start
                job.refresh_from_db()
                assert job.status == ImportJob.Status.DONE, job.messages[:3]
                outcome = (job.created_count, job.skipped_count, len(job.report))
                raise Rollback
        except Rollback:
            return elapsed, outcome

    rows = []
    measured = [(label, name, data, False) for label, name, data in files]
    measured.append(("RIS, dezelfde 5.000 referenties nogmaals", "bench-5000.ris", files[1][2], True))
    for label, name, data, again in measured:
        upload_s = statistics.median(upload(name, data) for _ in range(args.runs))
        samples, outcome = [], None
        for _ in range(args.runs):
            elapsed, outcome = run(name, data, again=again)
            samples.append(elapsed)
        count = data.count(b"TY  - ") or data.count(b"@techreport")
        row = Row(label, count, len(data) / 1e6, upload_s, statistics.median(samples), max(samples), *outcome)
        rows.append(row)
        print(
            f"{label:55} upload {row.upload_s:5.2f} s  import median {row.median_s:6.1f} s  "
            f"max {row.max_s:6.1f} s  ({row.created} created, {row.skipped} skipped)",
            flush=True,
        )
    write_report(args, rows, studies=studies)


def write_report(args, rows, *, studies):
    from django.db import connection

    from knowledgebase import imports

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    path = Path(args.report)
    analysis = ""
    if path.exists():
        text = path.read_text()
        if ANALYSIS_HEADING in text:
            analysis = text[text.index(ANALYSIS_HEADING) :].rstrip() + "\n"

    lines = [
        "# Import benchmark: RIS and BibTeX files of 500 and 5,000 references",
        "",
        f"Measured on {time.strftime('%Y-%m-%d')} by `bench/import_benchmark.py` (`make bench-import`): "
        f"{studies} studies in the database before each import, PostgreSQL {version}, Python "
        f"{platform.python_version()}, {os.cpu_count()} cores shared with other work, `DEBUG` off, "
        f"{args.runs} runs per row. Every reference has a title, one to three authors, a year, an "
        "abstract of about 150 words, a DOI, a link, a publisher and a language.",
        "",
        "- **Upload**: the `POST` of the file to the admin's import form (median): the file is "
        "checked (size, type, UTF-8) and stored as an import job, and the task is queued.",
        "- **Import**: the Celery task (`imports.import_job_run`) from start to end: reading the "
        "file, checking every reference, looking for studies already present, and writing the "
        "draft studies, their authors, revisions, log entries and search-index entries, in one "
        "transaction (rolled back after each run; the commit is not measured).",
        f"- **Target**: every import within {TARGET_SECONDS} s (the slowest run counts). Limits "
        f"of the import: {imports.MAX_RECORDS} references, {imports.MAX_FILE_BYTES // (1024 * 1024)} MB.",
        "",
        f"| file | references | size | upload | import, median | import, slowest | within {TARGET_SECONDS} s "
        "| imported | skipped | report lines |",
        "|---|---:|---:|---:|---:|---:|---|---:|---:|---:|",
    ]
    lines += [
        f"| {row.label} | {row.references} | {row.megabytes:.1f} MB | {row.upload_s:.2f} s "
        f"| {row.median_s:.1f} s | {row.max_s:.1f} s | {'ja' if row.meets_target else 'nee'} "
        f"| {row.created} | {row.skipped} | {row.report_lines} |"
        for row in rows
    ]
    lines.append("")
    if analysis:
        lines.append(analysis)
    path.write_text("\n".join(lines))
    print(f"Report written to {path}")


if __name__ == "__main__":
    main()
