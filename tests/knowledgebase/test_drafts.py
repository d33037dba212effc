"""Drafts never leak: no public knowledge-base page or download shows an unpublished record."""

import io
import re
from types import SimpleNamespace

import openpyxl
import pytest
from django.urls import reverse

from countries.models import CountryFact
from tests.factories import (
    DimensionFactory,
    FindingFactory,
    FrameworkAssessmentFactory,
    FrameworkElementFactory,
    FrameworkFactory,
    MethodFactory,
    OrganisationFactory,
    OrganisationRelationFactory,
    ResearchQuestionFactory,
    ResearchQuestionStudyFactory,
    StudyFactory,
    ThemeFactory,
    make_country,
)

pytestmark = pytest.mark.django_db

DRAFT_STUDY = "CONCEPTSTUDIE-7f3a"
FINDING_OF_DRAFT_STUDY = "BEVINDING-VAN-CONCEPTSTUDIE-91c2"
DRAFT_FINDING = "CONCEPTBEVINDING-4b8e"
DRAFT_QUESTION = "CONCEPTVRAAG-d2e6"
DRAFT_THEME = "CONCEPTTHEMA-5a1c"
DRAFT_ORGANISATION = "CONCEPTORGANISATIE-e93b"
DRAFT_FRAMEWORK = "CONCEPTKADER-0c47"
DRAFT_ASSESSMENT = "CONCEPTOORDEEL-8d21"
ASSESSMENT_OF_DRAFT_STUDY = "OORDEEL-UIT-CONCEPTSTUDIE-66af"
ASSESSMENT_IN_DRAFT_FRAMEWORK = "OORDEEL-IN-CONCEPTKADER-b3d0"
MARKERS = [
    DRAFT_STUDY,
    FINDING_OF_DRAFT_STUDY,
    DRAFT_FINDING,
    DRAFT_QUESTION,
    DRAFT_THEME,
    DRAFT_ORGANISATION,
    DRAFT_FRAMEWORK,
    DRAFT_ASSESSMENT,
    ASSESSMENT_OF_DRAFT_STUDY,
    ASSESSMENT_IN_DRAFT_FRAMEWORK,
]


def _linked(record, **links):
    """Set the many-to-many ``links`` of ``record`` and save it: the links of a parental
    many-to-many are written by the save, and the save updates the counts."""
    for name, targets in links.items():
        getattr(record, name).set(targets)
    record.save()
    return record


@pytest.fixture
def published(site_tree):
    """The published records the drafts are linked to, whose pages, lists, filters, downloads
    and API records are searched for the drafts: two related themes, Finland and Norway, three
    studies (a country comparison that cites a policy kit, and an untagged one), a finding of
    each tagged study, three related organisations, an open and an answered question, and a
    framework with an element that a finding is linked to. Slugs and codes are those the
    addresses below filter on (``kwaliteitsborging``, ``fi``, ``interviews``)."""
    budgets = ThemeFactory(name="Individuele leerbudgetten", slug="individuele-leerbudgetten")
    quality = ThemeFactory(name="Kwaliteitsborging", slug="kwaliteitsborging", related=[budgets])
    finland = make_country("FI", title="Finland")
    norway = make_country("NO", title="Noorwegen")
    # The method the draft study shares with the comparison (a filter of the study list).
    interviews = MethodFactory(name="Interviews", slug="interviews")
    mapping = _linked(
        StudyFactory(
            title="Kennisinfrastructuur loopbaanbegeleiding in Europa",
            slug="kennisinfrastructuur-europa",
            year=2023,
            study_type="mapping",
            strength="strong",
            authors=["Jansen, A.", "De Vries, B."],
        ),
        themes=[quality],
        countries=[finland, norway],
        methods=[interviews],
    )
    # A live study the comparison cites and is the source of, next to the draft one.
    elgpn = _linked(
        StudyFactory(
            title="Lifelong guidance policies: a European resource kit",
            slug="elgpn-resource-kit",
            year=2015,
            study_type="policy",
            language="en",
            cited_by=mapping,
            source_study=mapping,
            source_locator="Bijlage B",
        ),
        themes=[quality, budgets],
        countries=[norway],
    )
    # A study on no theme and in no country, listed everywhere all studies are.
    old = StudyFactory(
        title="Aardappelonderzoek uit de oude doos",
        slug="oude-doos",
        year=2001,
        study_type="evaluation",
        strength="indicative",
    )
    framework_element = FrameworkElementFactory(name="Kwaliteit van processen", code="3")
    strong_finding = _linked(
        FindingFactory(
            slug="kwaliteitskader-werkt",
            statement="Een landelijk kwaliteitskader maakt begeleiding vergelijkbaar.",
            study=mapping,
            strength="strong",
            lesson_for_nl=True,
        ),
        themes=[quality],
        countries=[finland],
        framework_elements=[framework_element],
    )
    weak_finding = _linked(
        FindingFactory(
            slug="budgetten-onduidelijk",
            statement="Het effect van leerbudgetten op loopbaankeuzes is onduidelijk.",
            study=elgpn,
            strength="limited",
        ),
        themes=[quality, budgets],
    )
    vdab = OrganisationFactory(
        name="VDAB", slug="vdab", country_code="BE-VLG", source_study=mapping, source_locator="Paragraaf 3.1"
    )
    clb = OrganisationFactory(name="CLB", slug="clb", kind="education", country_code="BE-VLG")
    ministry = OrganisationFactory(
        name="Ministerie van Werk", slug="ministerie-werk", kind="ministry", country_code="FI"
    )
    OrganisationRelationFactory(
        organisation=vdab, target=clb, source_study=mapping, source_locator="Figuur 2"
    )
    OrganisationRelationFactory(organisation=ministry, target=vdab, kind="funds")
    open_question = _linked(
        ResearchQuestionFactory(
            question="Hoe zorgen we dat onderzoeksvragen uit de praktijk worden opgepakt?",
            status="open",
            raised_by=vdab,
            source_study=mapping,
            source_locator="Hoofdstuk 6",
        ),
        themes=[quality],
        countries=[finland],
    )
    ResearchQuestionStudyFactory(question=open_question, study=elgpn, kind="answers")
    answered_question = _linked(
        ResearchQuestionFactory(
            question="Welke landen hebben een leerbudget voor loopbaanbegeleiding?", status="answered"
        ),
        themes=[budgets],
    )
    return SimpleNamespace(
        quality=quality,
        budgets=budgets,
        finland=finland,
        norway=norway,
        interviews=interviews,
        mapping=mapping,
        elgpn=elgpn,
        old=old,
        strong_finding=strong_finding,
        weak_finding=weak_finding,
        framework_element=framework_element,
        vdab=vdab,
        clb=clb,
        ministry=ministry,
        open_question=open_question,
        answered_question=answered_question,
    )


@pytest.fixture
def drafts(published):
    """Drafts linked everywhere a public page could pick them up."""
    draft_study = StudyFactory(
        live=False,
        title=f"Onderzoek {DRAFT_STUDY}",
        slug="conceptstudie",
        summary=DRAFT_STUDY,
        publisher=DRAFT_STUDY,
        authors=[f"{DRAFT_STUDY}, A."],
        themes=[published.quality, published.budgets],
        cited_by=published.mapping,
    )
    draft_study.countries.set([published.finland])
    draft_study.methods.set([published.interviews])
    draft_study.save()
    # A live finding whose study is a draft.
    finding_of_draft = FindingFactory(
        slug="bevinding-van-concept",
        statement=FINDING_OF_DRAFT_STUDY,
        study=draft_study,
        locator=FINDING_OF_DRAFT_STUDY,
        strength="strong",
        lesson_for_nl=True,
        themes=[published.quality],
    )
    finding_of_draft.countries.set([published.finland])
    finding_of_draft.save()
    # A draft finding of a live study.
    draft_finding = FindingFactory(
        live=False,
        slug="conceptbevinding",
        statement=DRAFT_FINDING,
        study=published.mapping,
        locator=DRAFT_FINDING,
        strength="strong",
        lesson_for_nl=True,
        themes=[published.quality],
    )
    draft_finding.countries.set([published.finland])
    draft_finding.save()
    draft_question = ResearchQuestionFactory(
        live=False,
        question=DRAFT_QUESTION,
        explanation=DRAFT_QUESTION,
        raised_by=published.vdab,
        owner=DRAFT_QUESTION,
    )
    draft_question.themes.set([published.quality, published.budgets])
    draft_question.save()
    ResearchQuestionStudyFactory(question=draft_question, study=published.mapping)
    # The draft study linked to a live question and cited as a source.
    ResearchQuestionStudyFactory(question=published.open_question, study=draft_study, kind="answers")
    published.clb.source_study = draft_study
    published.clb.source_locator = "p. 1"
    published.clb.save()
    OrganisationRelationFactory(
        organisation=published.clb, target=published.ministry, kind="advises", source_study=draft_study
    )
    dimension = DimensionFactory(name="Budgetten", slug="budgetten")
    dimension.themes.add(published.budgets)
    CountryFact.objects.create(
        page=published.norway, dimension=dimension, value="Ja", source_study=draft_study
    )
    # A draft theme linked to live records and related to a live theme.
    draft_theme = ThemeFactory(
        live=False,
        name=DRAFT_THEME,
        slug="concepttheme",
        description=DRAFT_THEME,
        related=[published.quality],
    )
    published.mapping.themes.add(draft_theme)
    published.mapping.save()
    published.strong_finding.themes.add(draft_theme)
    published.strong_finding.save()
    published.open_question.themes.add(draft_theme)
    published.open_question.save()
    dimension.themes.add(draft_theme)
    # A draft organisation in Finland, related to live ones and raising a live question.
    draft_organisation = OrganisationFactory(
        live=False,
        name=DRAFT_ORGANISATION,
        slug="conceptorganisatie",
        full_name=DRAFT_ORGANISATION,
        description=DRAFT_ORGANISATION,
        country_code="FI",
    )
    OrganisationRelationFactory(organisation=draft_organisation, target=published.ministry, kind="funds")
    OrganisationRelationFactory(organisation=published.vdab, target=draft_organisation, kind="partners_with")
    published.answered_question.raised_by = draft_organisation
    published.answered_question.save()
    # A draft framework whose element a live finding is linked to and a live assessment
    # assesses; in the live framework's lens, a draft assessment and one citing the draft study.
    draft_framework = FrameworkFactory(
        live=False, name=DRAFT_FRAMEWORK, slug="conceptkader", description=DRAFT_FRAMEWORK
    )
    draft_element = FrameworkElementFactory(framework=draft_framework, code="9", name=DRAFT_FRAMEWORK)
    published.weak_finding.framework_elements.add(draft_element)
    published.weak_finding.save()
    FrameworkAssessmentFactory(
        element=draft_element, country=published.finland, reason=ASSESSMENT_IN_DRAFT_FRAMEWORK
    )
    FrameworkAssessmentFactory(
        live=False, element=published.framework_element, country=published.finland, reason=DRAFT_ASSESSMENT
    )
    FrameworkAssessmentFactory(
        element=published.framework_element,
        country=published.norway,
        reason=ASSESSMENT_OF_DRAFT_STUDY,
        source_study=draft_study,
    )
    return {
        "study": draft_study,
        "finding_of_draft": finding_of_draft,
        "finding": draft_finding,
        "question": draft_question,
        "theme": draft_theme,
        "organisation": draft_organisation,
        "framework": draft_framework,
    }


def _public_urls(published):
    urls = [
        reverse("knowledgebase:theme_list"),
        reverse("knowledgebase:study_list"),
        reverse("knowledgebase:finding_list"),
        reverse("knowledgebase:organisation_list"),
        reverse("knowledgebase:question_list"),
    ]
    for theme in (published.quality, published.budgets):
        urls += [
            theme.get_absolute_url(),
            f"{reverse('knowledgebase:study_list')}?theme={theme.slug}",
            f"{reverse('knowledgebase:finding_list')}?theme={theme.slug}",
            f"{reverse('knowledgebase:question_list')}?theme={theme.slug}",
        ]
    urls += [
        f"{reverse('knowledgebase:study_list')}?country=fi",
        f"{reverse('knowledgebase:study_list')}?method=interviews&sort=strength",
        f"{reverse('knowledgebase:finding_list')}?country=fi&lesson_for_nl=ja&strength=strong",
        f"{reverse('knowledgebase:question_list')}?status=open",
        f"{reverse('knowledgebase:finding_export_csv')}?theme=kwaliteitsborging",
        reverse("knowledgebase:study_feed"),
        f"{reverse('knowledgebase:study_feed')}?theme=kwaliteitsborging&country=fi",
    ]
    urls += [
        f"{reverse(f'knowledgebase:study_export_{fmt}')}?theme=kwaliteitsborging"
        for fmt in ("csv", "ris", "bib", "json")
    ]
    for study in (published.mapping, published.elgpn, published.old):
        urls.append(study.get_absolute_url())
        urls += [
            reverse(f"knowledgebase:study_citation_{fmt}", args=[study.slug])
            for fmt in ("ris", "bib", "json")
        ]
    urls += [published.strong_finding.get_absolute_url(), published.weak_finding.get_absolute_url()]
    urls += [org.get_absolute_url() for org in (published.vdab, published.clb, published.ministry)]
    urls += [published.open_question.get_absolute_url(), published.answered_question.get_absolute_url()]
    urls += [published.finland.url, published.norway.url, reverse("knowledgebase:gap_map")]
    framework = published.framework_element.framework
    urls += [
        reverse("knowledgebase:framework_list"),
        framework.get_absolute_url(),
        reverse("knowledgebase:framework_lens", args=[framework.slug]),
        f"{reverse('knowledgebase:gap_map')}?type=mapping&strength=limited",
        reverse("knowledgebase:gap_map_csv"),
    ]
    urls += [
        f"/api/v1/{name}/" for name in ("themas", "onderzoek", "bevindingen", "organisaties", "kennisagenda")
    ]
    urls += [
        f"/api/v1/themas/{published.quality.slug}/",
        f"/api/v1/onderzoek/{published.mapping.slug}/",
        f"/api/v1/organisaties/{published.vdab.slug}/",
        f"/api/v1/kennisagenda/{published.answered_question.pk}/",
    ]
    urls += [
        f"{reverse('knowledgebase:search')}?q={query}"
        for query in ("concepttheme", "conceptorganisatie", "kwaliteit", "onderzoek")
    ]
    return urls


def test_no_public_page_shows_a_draft(client, published, drafts):
    """No list, filter, theme, organisation, question or study page, no citation download and
    no feed contains any draft's marker."""
    for url in _public_urls(published):
        response = client.get(url)
        assert response.status_code == 200, url
        content = response.content.decode()
        for marker in MARKERS:
            assert marker not in content, f"{marker} leaked on {url}"


def test_no_workbook_or_semicolon_csv_shows_a_draft(client, published, drafts):
    """The Excel and semicolon variants of every list download hold no draft either (a
    workbook is zipped, so its cells are read back with openpyxl)."""
    urls = [
        f"{reverse('knowledgebase:finding_export_csv')}?theme=kwaliteitsborging",
        f"{reverse('knowledgebase:study_export_csv')}?theme=kwaliteitsborging",
        f"{reverse('knowledgebase:search_export_csv')}?theme=kwaliteitsborging",
        f"{reverse('knowledgebase:search_export_findings')}?theme=kwaliteitsborging",
        f"{reverse('knowledgebase:gap_map_csv')}?as=landen",
    ]
    for url in urls:
        workbook = openpyxl.load_workbook(io.BytesIO(client.get(f"{url}&formaat=xlsx").content))
        cells = " ".join(str(c.value) for sheet in workbook for row in sheet.iter_rows() for c in row)
        semicolon = client.get(f"{url}&sep=;").content.decode()
        assert len(semicolon.splitlines()) > 1, url  # the download is not empty
        for marker in MARKERS:
            assert marker not in cells, f"{marker} leaked in the workbook of {url}"
            assert marker not in semicolon, f"{marker} leaked in the semicolon CSV of {url}"


def test_draft_detail_urls_are_404(client, published, drafts):
    """The detail pages and downloads of drafts, and of findings of draft studies, are 404."""
    study = drafts["study"]
    urls = [
        study.get_absolute_url(),
        *[
            reverse(f"knowledgebase:study_citation_{fmt}", args=[study.slug])
            for fmt in ("ris", "bib", "json")
        ],
        drafts["finding"].get_absolute_url(),
        drafts["finding_of_draft"].get_absolute_url(),
        drafts["question"].get_absolute_url(),
        drafts["theme"].get_absolute_url(),
        drafts["organisation"].get_absolute_url(),
        f"/api/v1/themas/{drafts['theme'].slug}/",
        f"/api/v1/organisaties/{drafts['organisation'].slug}/",
        drafts["framework"].get_absolute_url(),
        reverse("knowledgebase:framework_lens", args=[drafts["framework"].slug]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url


def test_draft_study_is_not_counted(client, published, drafts):
    """Theme counts leave drafts out."""
    response = client.get(reverse("knowledgebase:theme_list"))
    quality = next(t for t in response.context["themes"] if t.slug == "kwaliteitsborging")
    assert (quality.study_count, quality.finding_count, quality.question_count) == (2, 2, 1)


def test_unpublished_country_is_not_shown(client, site_tree):
    """Facts and links of a country profile that has been unpublished do not show."""
    quality = ThemeFactory(name="Kwaliteitsborging", slug="kwaliteitsborging")
    finland = make_country("FI", title="Finland")
    # A study in Finland, whose page would link to the profile, and a fact of Finland's on a
    # dimension of the theme, sourced from that study, which the theme's page would show.
    study = _linked(StudyFactory(themes=[quality]), countries=[finland])
    dimension = DimensionFactory(name="Kwaliteitskader", slug="kwaliteitskader", section="qa_framework")
    dimension.themes.add(quality)
    CountryFact.objects.create(
        page=finland,
        dimension=dimension,
        value="Landelijk kader",
        detail="Finland heeft een landelijk kwaliteitskader.",
        source_study=study,
        source_locator="Tabel 5",
    )
    finland.unpublish()
    html = client.get(quality.get_absolute_url()).content.decode()
    assert "Landelijk kader" not in html
    assert 'href="/landen/fi/"' not in client.get(study.get_absolute_url()).content.decode()


def _sitemap_locations(client):
    """Every address in the sitemap index's sections, without the scheme and host."""
    index = client.get("/sitemap.xml")
    assert index.status_code == 200
    sections = re.findall(r"<loc>https?://[^/]+(/[^<]*)</loc>", index.content.decode())
    assert len(sections) == 9
    locations = set()
    for section in sections:
        response = client.get(section)
        assert response.status_code == 200, section
        locations.update(re.findall(r"<loc>https?://[^/]+(/[^<]*)</loc>", response.content.decode()))
    return locations


def test_sitemap_lists_public_records_only(client, published, drafts, django_capture_on_commit_callbacks):
    """The sitemap names every public study, finding, question, organisation and theme, and
    no draft, no finding of a draft study and no draft question."""
    locations = _sitemap_locations(client)
    public = [
        published.mapping,
        published.elgpn,
        published.old,
        published.strong_finding,
        published.weak_finding,
        published.open_question,
        published.answered_question,
        published.vdab,
        published.quality,
        published.finland,
    ]
    for record in public:
        url = record.url if hasattr(record, "url_path") else record.get_absolute_url()
        assert url in locations, url
    assert reverse("knowledgebase:study_list") in locations
    for draft in drafts.values():
        assert draft.get_absolute_url() not in locations
    finland = published.finland.url
    with django_capture_on_commit_callbacks(execute=True):  # The change starts a new version.
        published.finland.unpublish()
    assert finland not in _sitemap_locations(client)
