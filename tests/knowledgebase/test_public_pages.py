"""The public knowledge-base pages show real, linked data together with its sources."""

import pytest
from django.urls import reverse

from tests.factories import (
    DimensionFactory,
    FindingFactory,
    FrameworkElementFactory,
    MethodFactory,
    OrganisationFactory,
    OrganisationRelationFactory,
    ResearchQuestionFactory,
    ResearchQuestionStudyFactory,
    StudyFactory,
    ThemeFactory,
    make_country,
    make_fact,
    make_model,
)

pytestmark = pytest.mark.django_db

MAPPING_TITLE = "Kennisinfrastructuur loopbaanbegeleiding in Europa"
ELGPN_TITLE = "Lifelong guidance policies: a European resource kit"


def _html(client, url, status=200):
    """The page's HTML without the soft hyphens that long words in titles get (unseen unless
    the word breaks there)."""
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode().replace("\u00ad", "")


def _themes():
    """The themes quality assurance and learning budgets, quality related to budgets."""
    budgets = ThemeFactory(name="Individuele leerbudgetten", slug="individuele-leerbudgetten")
    quality = ThemeFactory(name="Kwaliteitsborging", slug="kwaliteitsborging", related=[budgets])
    return quality, budgets


def _question(status="open", themes=(), countries=(), **fields):
    question = ResearchQuestionFactory(status=status, **fields)
    question.themes.set(themes)
    question.countries.set(countries)
    question.save()
    return question


def test_theme_list_shows_themes_with_counts(client, site_tree):
    """The theme list shows every theme with its numbers of findings, studies and open questions."""
    quality, budgets = _themes()
    # Two studies and two findings on quality; one of each is on budgets as well.
    first, second = StudyFactory(themes=[quality]), StudyFactory(themes=[quality, budgets])
    FindingFactory(study=first, themes=[quality])
    FindingFactory(study=second, themes=[quality, budgets])
    _question("open", themes=[quality])
    _question("answered", themes=[budgets])
    response = client.get(reverse("knowledgebase:theme_list"))
    themes = {theme.slug: theme for theme in response.context["themes"]}
    assert (themes["kwaliteitsborging"].finding_count, themes["kwaliteitsborging"].study_count) == (2, 2)
    assert themes["kwaliteitsborging"].question_count == 1
    # The answered question is not an open question.
    assert themes["individuele-leerbudgetten"].question_count == 0
    html = response.content.decode()
    assert 'href="/themas/kwaliteitsborging/"' in html
    assert html.count("<h1") == 1


def test_theme_detail_shows_findings_by_strength_studies_questions_and_facts(client, site_tree):
    """A theme page lists its findings strongest first with their sources (the findings of
    studies, then the lessons for the Netherlands apart), its studies, its open questions,
    related themes and the countries' facts on its dimensions."""
    quality, _budgets = _themes()
    mapping = StudyFactory(title=MAPPING_TITLE, strength="strong", themes=[quality])
    elgpn = StudyFactory(title=ELGPN_TITLE, language="en", themes=[quality])
    # The strong finding is a lesson for the Netherlands, listed after the weaker evidence.
    lesson = FindingFactory(
        statement="Een landelijk kwaliteitskader maakt begeleiding vergelijkbaar.",
        study=mapping,
        locator="Hoofdstuk 4.2",
        strength="strong",
        lesson_for_nl=True,
        themes=[quality],
    )
    finding = FindingFactory(
        statement="Het effect van leerbudgetten op loopbaankeuzes is onduidelijk.",
        study=elgpn,
        locator="p. 12",
        strength="limited",
        themes=[quality],
    )
    open_question = _question("open", themes=[quality])
    # Answered, on the same theme: only its status keeps it off the page.
    answered_question = _question("answered", themes=[quality])
    dimension = DimensionFactory(name="Kwaliteitskader", slug="kwaliteitskader", section="qa_framework")
    dimension.themes.add(quality)
    make_fact(
        make_country("FI", title="Finland"),
        dimension,
        value="Landelijk kader",
        detail="Finland heeft een landelijk kwaliteitskader.",
        source_study=mapping,
        source_locator="Tabel 5",
    )
    html = _html(client, quality.get_absolute_url())
    assert (
        html.index(finding.statement) < html.index("Lessen voor Nederland (1)") < html.index(lesson.statement)
    )
    assert "Hoofdstuk 4.2" in html and "p. 12" in html
    assert mapping.title in html and elgpn.title in html
    assert open_question.question in html
    assert answered_question.question not in html
    assert 'href="/themas/individuele-leerbudgetten/"' in html
    assert "<caption>Kwaliteitskader</caption>" in html
    assert "Landelijk kader" in html and "Tabel 5" in html
    assert html.count("<h1") == 1


def test_study_list_shows_studies(client, site_tree):
    """The study list shows every published study with its strength."""
    studies = [StudyFactory(strength=strength) for strength in ("strong", "moderate", "indicative")]
    html = _html(client, reverse("knowledgebase:study_list"))
    for study in studies:
        assert study.get_absolute_url() in html
    assert "badge--strong" in html
    assert "<label" in html and "<fieldset>" in html and "<legend>" in html


def test_study_detail_shows_metadata_links_and_sources(client, site_tree):
    """A study page shows its authors in order, metadata, links, findings, questions, the works
    it cites, where the portal learned of it, and the citation downloads."""
    quality, _budgets = _themes()
    mapping = StudyFactory(
        title=MAPPING_TITLE,
        year=2023,
        study_type="mapping",
        publisher="Euroguidance Nederland",
        strength="strong",
        strength_rationale="Vijf landen met vergelijkbare uitkomsten.",
        url="https://example.org/mapping",
        doi="10.1234/mapping.2023",
        themes=[quality],
        authors=["Jansen, A.", "De Vries, B."],
    )
    mapping.methods.set(
        [
            MethodFactory(name="Deskresearch", slug="deskresearch"),
            MethodFactory(name="Interviews", slug="interviews"),
        ]
    )
    mapping.countries.set([make_country("FI", title="Finland")])
    mapping.infrastructure_models.set([make_model("network", title="Netwerk")])
    mapping.save()
    finding = FindingFactory(study=mapping, themes=[quality])
    # A work the study cites, which the portal learned of from it (Bijlage B), and which
    # answers an open question.
    elgpn = StudyFactory(
        title=ELGPN_TITLE, language="en", cited_by=mapping, source_study=mapping, source_locator="Bijlage B"
    )
    question = _question("open", themes=[quality])
    ResearchQuestionStudyFactory(question=question, study=elgpn, kind="answers")
    html = _html(client, mapping.get_absolute_url())
    assert html.index("Jansen, A.") < html.index("De Vries, B.")
    for text in (
        "2023",
        "Landenvergelijking",
        "Deskresearch, Interviews",
        "Euroguidance Nederland",
        "https://doi.org/10.1234/mapping.2023",
        "https://example.org/mapping",
        "Vijf landen met vergelijkbare uitkomsten.",
        finding.statement,
        elgpn.title,
        'href="/landen/fi/"',
        'href="/kennisinfrastructuur/network/"',
        'href="/themas/kwaliteitsborging/"',
        "citeer.ris",
        "citeer.bib",
        "citeer.json",
    ):
        assert text in html, text

    html = _html(client, elgpn.get_absolute_url())
    assert "Beantwoordt de vraag" in html and question.question in html
    assert "Bijlage B" in html and mapping.title in html
    assert '<h1 lang="en">' in html


def test_finding_pages(client, site_tree):
    """The finding list and detail show the statement, its study, locator, themes, countries
    and framework elements."""
    quality, _budgets = _themes()
    finding = FindingFactory(
        study=StudyFactory(title=MAPPING_TITLE),
        locator="Hoofdstuk 4.2",
        strength="strong",
        lesson_for_nl=True,
        themes=[quality],
    )
    finding.countries.set([make_country("FI", title="Finland")])
    finding.framework_elements.set([FrameworkElementFactory(name="Kwaliteit van processen", code="3")])
    finding.save()
    listing = _html(client, reverse("knowledgebase:finding_list"))
    assert finding.get_absolute_url() in listing and "Hoofdstuk 4.2" in listing
    html = _html(client, finding.get_absolute_url())
    for text in (
        finding.statement,
        MAPPING_TITLE,
        "Hoofdstuk 4.2",
        "Kwaliteitsborging",
        'href="/landen/fi/"',
        "Kwaliteit van processen",
        "Les voor Nederland",
    ):
        assert text in html, text


def test_organisation_pages_show_relations_as_sentences(client, site_tree):
    """An organisation page states its relations in both directions as Dutch sentences,
    with their sources, and lists the questions it raised."""
    source = StudyFactory()
    vdab = OrganisationFactory(
        name="VDAB", slug="vdab", kind="agency", source_study=source, source_locator="Paragraaf 3.1"
    )
    clb = OrganisationFactory(name="CLB", slug="clb", kind="education")
    ministry = OrganisationFactory(name="Ministerie van Werk", slug="ministerie-werk", kind="ministry")
    OrganisationRelationFactory(
        organisation=vdab, target=clb, kind="partners_with", source_study=source, source_locator="Figuur 2"
    )
    OrganisationRelationFactory(organisation=ministry, target=vdab, kind="funds")
    question = _question("open", raised_by=vdab)
    listing = _html(client, reverse("knowledgebase:organisation_list"))
    assert "/organisaties/vdab/" in listing and "Paragraaf 3.1" in listing
    html = _html(client, vdab.get_absolute_url())
    assert 'VDAB werkt samen met <a href="/organisaties/clb/">CLB</a>' in html
    assert '<a href="/organisaties/ministerie-werk/">Ministerie van Werk</a> financiert VDAB' in html
    assert "Figuur 2" in html and "Paragraaf 3.1" in html
    assert question.question in html
    html = _html(client, clb.get_absolute_url())
    assert '<a href="/organisaties/vdab/">VDAB</a> werkt samen met CLB' in html


def test_question_pages(client, site_tree):
    """The research agenda lists questions; a question page shows who raised it and where,
    its themes, countries, status, owner and the studies that address or answer it."""
    quality, _budgets = _themes()
    mapping = StudyFactory(title=MAPPING_TITLE)
    open_question = _question(
        "open",
        themes=[quality],
        countries=[make_country("FI", title="Finland")],
        explanation="Niemand coördineert de vragen nu.",
        owner="Euroguidance",
        raised_by=OrganisationFactory(name="VDAB", slug="vdab"),
        source_study=mapping,
        source_locator="Hoofdstuk 6",
    )
    answering = StudyFactory(title=ELGPN_TITLE)
    ResearchQuestionStudyFactory(question=open_question, study=answering, kind="answers")
    answered_question = _question("answered")
    listing = _html(client, reverse("knowledgebase:question_list"))
    assert open_question.question in listing and answered_question.question in listing
    html = _html(client, open_question.get_absolute_url())
    for text in (
        "Niemand coördineert de vragen nu.",
        'href="/organisaties/vdab/"',
        "Hoofdstuk 6",
        mapping.title,
        "Kwaliteitsborging",
        'href="/landen/fi/"',
        "Open",
        "Euroguidance",
        "Beantwoordt de vraag",
        answering.get_absolute_url(),
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
def test_unknown_records_are_404(client, site_tree, url):
    """An unknown slug or id, sitemap section or sitemap page is a 404, never a 500."""
    # A theme, a study, a finding, an organisation and a question, so that each kind has
    # records (and the studies' sitemap a first page) and only the unknown one is missing.
    theme = ThemeFactory()
    FindingFactory(study=StudyFactory(themes=[theme]), themes=[theme])
    _question("open", themes=[theme], raised_by=OrganisationFactory())
    assert client.get(url).status_code == 404


def test_pages_have_one_h1_and_breadcrumbs(client, site_tree):
    """Every page has exactly one h1 and a breadcrumb trail."""
    # Each detail page with its sections filled: a theme with a related theme, a lesson and
    # evidence, a study, an open question and a fact; a study with authors, a country, a
    # model, a method, findings, a work it cites and a question; a finding with a country and
    # a framework element; an organisation with a relation and a question it raised.
    quality, _budgets = _themes()
    finland = make_country("FI", title="Finland")
    study = StudyFactory(themes=[quality], authors=["Jansen, A."])
    study.countries.set([finland])
    study.infrastructure_models.set([make_model("network", title="Netwerk")])
    study.methods.set([MethodFactory(name="Interviews", slug="interviews")])
    study.save()
    cited = StudyFactory(cited_by=study, source_study=study, source_locator="Bijlage B", themes=[quality])
    lesson = FindingFactory(study=study, strength="strong", lesson_for_nl=True, themes=[quality])
    lesson.countries.set([finland])
    lesson.framework_elements.set([FrameworkElementFactory()])
    lesson.save()
    FindingFactory(study=cited, strength="limited", themes=[quality])
    organisation = OrganisationFactory(source_study=study, source_locator="Paragraaf 3.1")
    OrganisationRelationFactory(organisation=organisation)
    question = _question(
        "open", themes=[quality], countries=[finland], raised_by=organisation, source_study=study
    )
    ResearchQuestionStudyFactory(question=question, study=cited, kind="answers")
    dimension = DimensionFactory()
    dimension.themes.add(quality)
    make_fact(finland, dimension, source_study=study, source_locator="Tabel 5")
    urls = [
        reverse("knowledgebase:theme_list"),
        quality.get_absolute_url(),
        reverse("knowledgebase:study_list"),
        study.get_absolute_url(),
        reverse("knowledgebase:finding_list"),
        lesson.get_absolute_url(),
        reverse("knowledgebase:organisation_list"),
        organisation.get_absolute_url(),
        reverse("knowledgebase:question_list"),
        question.get_absolute_url(),
    ]
    for url in urls:
        html = _html(client, url)
        assert html.count("<h1") == 1, url
        assert 'class="breadcrumbs"' in html, url
