"""What a restored portal must have in common with the original, as JSON on standard output:
the rows per table, every address in the sitemaps with its status and a digest of its page,
the top search results and the media files' checksums.

Run by tests/portal/test_backups.py in a process of its own for each database (the test
points ``DATABASE_URL`` and ``MEDIA_ROOT`` at it)."""

import hashlib
import json
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
QUERIES = ["loopbaanbegeleiding", "Finland", "kwaliteit", "netwerk"]
LOC = re.compile(r"<loc>https?://[^/<]+(/[^<]*)</loc>")
RESULT_LINK = re.compile(
    r'href="(/(?:onderzoek|bevindingen|landen|kennisinfrastructuur|organisaties|kennisagenda|themas)/[^"?#]+)"'
)
# Nothing in a page should differ between two runs, but a token or nonce would.
VOLATILE = re.compile(rb'(nonce|csrfmiddlewaretoken" value)="[^"]*"')


def main():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    client = Client(HTTP_HOST="testserver")
    pages = {}
    sections = LOC.findall(client.get("/sitemap.xml").content.decode())
    for section in sections:
        for path in LOC.findall(client.get(section).content.decode()):
            response = client.get(path)
            pages[path] = [
                response.status_code,
                hashlib.sha256(VOLATILE.sub(b"", response.content)).hexdigest(),
            ]
    search = {}
    for query in QUERIES:
        html = client.get("/zoeken/", {"q": query}).content.decode()
        main = html[html.index("<main") :]
        search[query] = list(dict.fromkeys(RESULT_LINK.findall(main)))[:20]
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
        tables = {}
        for (table,) in cursor.fetchall():
            cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 (names from the catalogue)
            tables[table] = cursor.fetchone()[0]
    media_root = Path(settings.MEDIA_ROOT)
    media = {
        path.relative_to(media_root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(media_root.rglob("*"))
        if path.is_file()
    }
    json.dump(
        {
            "tables": tables,
            "pages": pages,
            "search": search,
            "media": media,
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
