"""Text of uploaded PDFs for the search (pypdf), in a Celery task (``tasks.py``).

Limits keep one large or hostile file from holding up the worker: files over ``MAX_BYTES`` and
pages after ``MAX_PAGES`` are not read, and at most ``MAX_CHARS`` characters are kept. A file
that pypdf cannot read is logged and skipped (its study is still found by everything else). A
document in a collection with a view restriction is not read: its text would show in the
public excerpts.
"""

import logging

from pypdf import PdfReader
from pypdf.errors import PyPdfError

from .models import DocumentText

logger = logging.getLogger(__name__)

MAX_BYTES = 20 * 1024 * 1024
MAX_PAGES = 200
MAX_CHARS = 200_000


def is_public_pdf(document):
    return document.file.name.lower().endswith(".pdf") and not document.collection.get_view_restrictions()


def extract(document):
    """The ``DocumentText`` of ``document``, extracted again if its file changed."""
    existing = DocumentText.objects.filter(document=document).first()
    file_hash = document.file_hash or ""
    if existing and file_hash and existing.file_hash == file_hash:
        return existing
    pages, error = [], ""
    if not is_public_pdf(document):
        error = "geen openbare pdf"
    elif document.file.size > MAX_BYTES:
        error = f"groter dan {MAX_BYTES // (1024 * 1024)} MB"
    else:
        try:
            pages = _pages(document)
        except (PyPdfError, ValueError, OSError, KeyError, TypeError) as exc:
            logger.warning(
                "Could not read the text of document %s (%s): %s", document.pk, document.file.name, exc
            )
            error = f"onleesbaar: {exc}"[:300]
    text, _created = DocumentText.objects.update_or_create(
        document=document, defaults={"file_hash": file_hash, "pages": pages, "error": error}
    )
    return text


def _pages(document):
    pages, total = [], 0
    with document.open_file() as handle:
        reader = PdfReader(handle)
        for page in reader.pages[:MAX_PAGES]:
            text = " ".join((page.extract_text() or "").split())[: MAX_CHARS - total]
            pages.append(text)
            total += len(text)
            if total >= MAX_CHARS:
                break
    return pages


def page_texts(document_ids):
    """{document id: its pages' texts} for the public PDFs among ``document_ids``."""
    return dict(
        DocumentText.objects.filter(document_id__in=[pk for pk in document_ids if pk]).values_list(
            "document_id", "pages"
        )
    )
