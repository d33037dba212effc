"""A study page shows its reference, formatted by citeproc-py from the shipped CSL styles, in
a style the reader chooses, ready to copy; and links the original prominently."""

import re

import pytest
from django.utils.html import strip_tags

from knowledgebase.references import STYLES, render_reference
from tests.factories import StudyFactory

pytestmark = pytest.mark.django_db

AUTHORS = [
    {"family_name": "Hooley", "given_names": "Tristram"},
    {"family_name": "Bochove", "particle": "van", "given_names": "P.J."},
    {"organisation": "OECD"},
]


@pytest.fixture
def study(db):
    return StudyFactory(
        title="The Evidence Base on Lifelong Guidance",
        slug="evidence-base",
        year=2014,
        study_type="review",
        language="en",
        publisher="ELGPN",
        doi="10.1234/elgpn.2014",
        url="https://example.org/evidence-base",
        authors=AUTHORS,
    )


def _reference(html):
    match = re.search(r'<p class="reference" id="referentie">(.*?)</p>', html, re.S)
    assert match, "no reference on the page"
    return " ".join(strip_tags(match.group(1)).split())


def test_study_page_shows_apa_reference_family_name_first(client, study):
    """By default the reference is APA 7: family names first with initials, the particle kept,
    the organisation whole, year, title in italics, publisher, the DOI as a link address; a
    copy button (shown by the script) next to it and the in-text citation."""
    response = client.get(study.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert _reference(html) == (
        "Hooley, T., van Bochove, P. J., &amp; OECD. (2014). The Evidence Base on Lifelong Guidance. "
        "ELGPN. https://doi.org/10.1234/elgpn.2014"
    )
    assert "<i>The Evidence Base on Lifelong Guidance</i>" in html
    assert 'data-copy-target="referentie"' in html and "js/copy-reference.js" in html
    assert "(Hooley et al., 2014)" in html


@pytest.mark.parametrize(
    ("style", "start"),
    [
        ("chicago", "Hooley, T., P. J. van Bochove, en OECD. 2014."),
        ("harvard", "Hooley, T., van Bochove, P.J. en OECD (2014)"),
        ("vancouver", "Hooley T, van Bochove PJ, OECD."),
    ],
)
def test_style_chooser_renders_other_styles_in_dutch(client, study, style, start):
    """``?stijl=`` picks another style, with Dutch terms ("en"); the chooser marks it."""
    html = client.get(study.get_absolute_url(), {"stijl": style}).content.decode()
    assert _reference(html).startswith(start)
    assert f'<option value="{style}" selected>' in html


def test_unknown_style_is_a_400_with_a_message_and_apa(client, study):
    """An unknown style gets a Dutch message, status 400 and the reference in APA."""
    response = client.get(study.get_absolute_url(), {"stijl": "<mla>"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Deze citeerstijl kennen we niet" in html
    assert _reference(html).startswith("Hooley, T., van Bochove, P. J.")
    assert "<mla>" not in html


def test_study_page_links_the_original_prominently(client, study):
    """The DOI and the website are buttons at the top of the page, before the summary."""
    html = client.get(study.get_absolute_url()).content.decode()
    links = html.index('class="original-links"')
    assert links < html.index('id="summary-heading"')
    assert 'href="https://doi.org/10.1234/elgpn.2014"' in html[links : links + 800]
    assert 'href="https://example.org/evidence-base"' in html[links : links + 800]


def test_study_without_links_has_no_link_block(client):
    """No DOI, website or document: no empty block of links."""
    html = client.get(StudyFactory(url="", doi="").get_absolute_url()).content.decode()
    assert 'class="original-links"' not in html


def test_record_text_is_escaped_in_the_reference():
    """Markup in a title is text in every style, never HTML."""
    item = {"id": "x", "type": "report", "title": "Kwaliteit <script>alert(1)</script> & borging"}
    for key in STYLES:
        reference = render_reference(item, key)
        assert "<script>" not in reference.html and "&lt;script&gt;" in reference.html
        assert "<script>" in reference.text


def test_reference_is_cached_and_follows_the_data():
    """A second rendering of the same item comes from the cache; changed data renders anew."""
    item = {"id": "x", "type": "report", "title": "Titel", "author": [{"family": "Jansen", "given": "A."}]}
    first = render_reference(item)
    assert render_reference(item) == first
    changed = render_reference({**item, "author": [{"family": "Pietersen", "given": "B."}]})
    assert changed.text.startswith("Pietersen, B.")
