"""The text of a study's PDF is searchable, with the page number in the excerpt."""

import logging

import pytest
from django.core.files.base import ContentFile
from wagtail.documents.models import Document
from wagtail.models import Collection, CollectionViewRestriction

from search.models import DocumentText
from tests.factories import StudyFactory

pytestmark = pytest.mark.django_db


def pdf_bytes(*pages):
    """A small PDF whose pages hold ``pages`` (one line of text each), as a writer makes it."""
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        None,
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    kids = []
    for text in pages:
        stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
        objects.append(f"<< /Length {len(stream)} >>\nstream\n{stream.decode()}\nendstream")
        content = len(objects)
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            f"/Resources << /Font << /F1 3 0 R >> >> /Contents {content} 0 R >>"
        )
        kids.append(f"{len(objects)} 0 R")
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(kids)} >>"
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode()
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{offset:010d} 00000 n \n" for offset in offsets).encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _document(content, name="rapport.pdf", collection=None):
    document = Document(title="Rapport", collection=collection or Collection.get_first_root_node())
    document.file.save(name, ContentFile(content), save=False)
    document._set_file_hash()
    document.save()
    return document


def _search(client, q):
    return client.get("/zoeken/", {"q": q, "kind": "onderzoek"})


def test_a_word_only_in_the_pdf_finds_the_study_with_its_page(client, site_tree):
    document = _document(pdf_bytes("Inleiding over begeleiding", "Walvisbegeleiding in havens"))
    study = StudyFactory(title="Een rapport zonder het woord", document=document)
    response = _search(client, "walvisbegeleiding")
    assert [result.pk for result in response.context["results"]] == [study.pk]
    assert "pdf, p. 2:" in response.content.decode()
    assert "<mark>Walvisbegeleiding</mark>" in response.content.decode()


def test_a_broken_pdf_is_logged_and_skipped(client, site_tree, caplog):
    document = _document(b"%PDF-1.4 dit is geen pdf")
    with caplog.at_level(logging.WARNING, logger="search.documents"):
        study = StudyFactory(title="Walvisbegeleiding zonder leesbare pdf", document=document)
        DocumentText.objects.all().delete()
        from search.tasks import extract_document_text

        extract_document_text(document.pk)
    text = DocumentText.objects.get(document=document)
    assert text.pages == [] and text.error.startswith("onleesbaar")
    assert "Could not read the text of document" in caplog.text
    assert [result.pk for result in _search(client, "walvisbegeleiding").context["results"]] == [study.pk]


def test_a_document_behind_a_restriction_is_not_read(client, site_tree):
    private = Collection.get_first_root_node().add_child(name="Intern")
    CollectionViewRestriction.objects.create(collection=private, restriction_type="login")
    document = _document(pdf_bytes("Geheimwoord in een intern stuk"), collection=private)
    StudyFactory(title="Een rapport", document=document)
    assert DocumentText.objects.get(document=document).pages == []
    assert not _search(client, "geheimwoord").context["results"]
