"""The public knowledge-base pages show real, linked data together with its sources."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _html(client, url, status=200):
    """The page's HTML without the soft hyphens that long words in titles get (unseen unless
    the word breaks there)."""
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode().replace("\u00ad", "")


def test_theme_list_shows_themes_with_counts(client, kb):
    """The theme list shows every theme with its numbers of findings, studies and open questions."""
    response = client.get(reverse("knowledgebase:theme_list"))
    themes = {theme.slug: theme for theme in response.context["themes"]}
    assert (themes["kwaliteitsborging"].finding_count, themes["kwaliteitsborging"].study_count) == (2, 2)
    assert themes["kwaliteitsborging"].question_count == 1
    # The answered question is not an open question.
    assert themes["individuele-leerbudgetten"].question_count == 0
    html = response.content.decode()
    assert 'href="/themas/kwaliteitsborging/"' in html
    assert html.count("<h1") == 1


def test_theme_detail_shows_findings_by_strength_studies_questions_and_facts(client, kb):
    """A theme page lists its findings strongest first with their sources (the findings of
    studies, then the lessons for the Netherlands apart), its studies, its open questions,
    related themes and the countries' facts on its dimensions."""
    html = _html(client, kb.quality.get_absolute_url())
    lesson = html.index(kb.strong_finding.statement)
    finding = html.index(kb.weak_finding.statement)
    assert finding < html.index("Lessen voor Nederland (1)") < lesson
    assert "Hoofdstuk 4.2" in html and "p. 12" in html
    assert kb.mapping.title in html and kb.elgpn.title in html
    assert kb.open_question.question in html
    assert kb.answered_question.question not in html
    assert 'href="/themas/individuele-leerbudgetten/"' in html
    assert "<caption>Kwaliteitskader</caption>" in html
    assert "Landelijk kader" in html and "Tabel 5" in html
    assert html.count("<h1") == 1


def test_study_list_shows_studies(client, kb):
    """The study list shows every published study with its strength."""
    html = _html(client, reverse("knowledgebase:study_list"))
    for study in (kb.mapping, kb.elgpn, kb.old):
        assert study.get_absolute_url() in html
    assert "badge--strong" in html
    assert "<label" in html and "<fieldset>" in html and "<legend>" in html


def test_study_detail_shows_metadata_links_and_sources(client, kb):
    """A study page shows its authors in order, metadata, links, findings, questions, the works
    it cites, where the portal learned of it, and the citation downloads."""
    html = _html(client, kb.mapping.get_absolute_url())
    assert html.index("Jansen, A.") < html.index("De Vries, B.")
    for text in (
        "2023",
        "Landenvergelijking",
        "Deskresearch, Interviews",
        "Euroguidance Nederland",
        "https://doi.org/10.1234/mapping.2023",
        "https://example.org/mapping",
        "Vijf landen met vergelijkbare uitkomsten.",
        kb.strong_finding.statement,
        kb.elgpn.title,
        'href="/landen/fi/"',
        'href="/kennisinfrastructuur/network/"',
        'href="/themas/kwaliteitsborging/"',
        "citeer.ris",
        "citeer.bib",
        "citeer.json",
    ):
        assert text in html, text

    elgpn = _html(client, kb.elgpn.get_absolute_url())
    assert "Beantwoordt de vraag" in elgpn and kb.open_question.question in elgpn
    assert "Bijlage B" in elgpn and kb.mapping.title in elgpn
    assert '<h1 lang="en">' in elgpn


def test_finding_pages(client, kb):
    """The finding list and detail show the statement, its study, locator, themes, countries
    and framework elements."""
    listing = _html(client, reverse("knowledgebase:finding_list"))
    assert kb.strong_finding.get_absolute_url() in listing and "Hoofdstuk 4.2" in listing
    html = _html(client, kb.strong_finding.get_absolute_url())
    for text in (
        kb.strong_finding.statement,
        kb.mapping.title,
        "Hoofdstuk 4.2",
        "Kwaliteitsborging",
        'href="/landen/fi/"',
        "Kwaliteit van processen",
        "Les voor Nederland",
    ):
        assert text in html, text


def test_organisation_pages_show_relations_as_sentences(client, kb):
    """An organisation page states its relations in both directions as Dutch sentences,
    with their sources, and lists the questions it raised."""
    listing = _html(client, reverse("knowledgebase:organisation_list"))
    assert "/organisaties/vdab/" in listing and "Paragraaf 3.1" in listing
    html = _html(client, kb.vdab.get_absolute_url())
    assert 'VDAB werkt samen met <a href="/organisaties/clb/">CLB</a>' in html
    assert '<a href="/organisaties/ministerie-werk/">Ministerie van Werk</a> financiert VDAB' in html
    assert "Figuur 2" in html and "Paragraaf 3.1" in html
    assert kb.open_question.question in html
    clb = _html(client, kb.clb.get_absolute_url())
    assert '<a href="/organisaties/vdab/">VDAB</a> werkt samen met CLB' in clb


def test_question_pages(client, kb):
    """The research agenda lists questions; a question page shows who raised it and where,
    its themes, countries, status, owner and the studies that address or answer it."""
    listing = _html(client, reverse("knowledgebase:question_list"))
    assert kb.open_question.question in listing and kb.answered_question.question in listing
    html = _html(client, kb.open_question.get_absolute_url())
    for text in (
        "Niemand coördineert de vragen nu.",
        'href="/organisaties/vdab/"',
        "Hoofdstuk 6",
        kb.mapping.title,
        "Kwaliteitsborging",
        'href="/landen/fi/"',
        "Open",
        "Euroguidance",
        "Beantwoordt de vraag",
        kb.elgpn.get_absolute_url(),
    ):
        assert text in html, text


@pytest.mark.parametrize(
    "url",
    [
        "/themas/onbekend/",
        "/onderzoek/onbekend/",
        "/onderzoek/onbekend/citeer.ris",
        "/bevindingen/onbekend/",
        "/organisaties/onbekend/",
        "/kennisagenda/999999/",
        "/sitemap-bestaat-niet.xml",
        "/sitemap-onderzoek.xml?p=99",
        "/sitemap-onderzoek.xml?p=x",
        "/sitemap-onderzoek.xml?p=%00",
    ],
)
def test_unknown_records_are_404(client, kb, url):
    """An unknown slug or id, sitemap section or sitemap page is a 404, never a 500."""
    assert client.get(url).status_code == 404


def test_pages_have_one_h1_and_breadcrumbs(client, kb):
    """Every page has exactly one h1 and a breadcrumb trail."""
    urls = [
        reverse("knowledgebase:theme_list"),
        kb.quality.get_absolute_url(),
        reverse("knowledgebase:study_list"),
        kb.mapping.get_absolute_url(),
        reverse("knowledgebase:finding_list"),
        kb.strong_finding.get_absolute_url(),
        reverse("knowledgebase:organisation_list"),
        kb.vdab.get_absolute_url(),
        reverse("knowledgebase:question_list"),
        kb.open_question.get_absolute_url(),
    ]
    for url in urls:
        html = _html(client, url)
        assert html.count("<h1") == 1, url
        assert 'class="breadcrumbs"' in html, url
