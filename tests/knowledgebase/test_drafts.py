"""Drafts never leak: no public knowledge-base page or download shows an unpublished record."""

import io
import re

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
    OrganisationFactory,
    OrganisationRelationFactory,
    ResearchQuestionFactory,
    ResearchQuestionStudyFactory,
    StudyFactory,
    ThemeFactory,
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


@pytest.fixture
def drafts(kb):
    """Drafts linked everywhere a public page could pick them up."""
    draft_study = StudyFactory(
        live=False,
        title=f"Onderzoek {DRAFT_STUDY}",
        slug="conceptstudie",
        summary=DRAFT_STUDY,
        publisher=DRAFT_STUDY,
        authors=[f"{DRAFT_STUDY}, A."],
        themes=[kb.quality, kb.budgets],
        cited_by=kb.mapping,
    )
    draft_study.countries.set([kb.finland])
    draft_study.methods.set([kb.interviews])
    draft_study.save()
    # A live finding whose study is a draft.
    finding_of_draft = FindingFactory(
        slug="bevinding-van-concept",
        statement=FINDING_OF_DRAFT_STUDY,
        study=draft_study,
        locator=FINDING_OF_DRAFT_STUDY,
        strength="strong",
        lesson_for_nl=True,
        themes=[kb.quality],
    )
    finding_of_draft.countries.set([kb.finland])
    finding_of_draft.save()
    # A draft finding of a live study.
    draft_finding = FindingFactory(
        live=False,
        slug="conceptbevinding",
        statement=DRAFT_FINDING,
        study=kb.mapping,
        locator=DRAFT_FINDING,
        strength="strong",
        lesson_for_nl=True,
        themes=[kb.quality],
    )
    draft_finding.countries.set([kb.finland])
    draft_finding.save()
    draft_question = ResearchQuestionFactory(
        live=False,
        question=DRAFT_QUESTION,
        explanation=DRAFT_QUESTION,
        raised_by=kb.vdab,
        owner=DRAFT_QUESTION,
    )
    draft_question.themes.set([kb.quality, kb.budgets])
    draft_question.save()
    ResearchQuestionStudyFactory(question=draft_question, study=kb.mapping)
    # The draft study linked to a live question and cited as a source.
    ResearchQuestionStudyFactory(question=kb.open_question, study=draft_study, kind="answers")
    kb.clb.source_study = draft_study
    kb.clb.source_locator = "p. 1"
    kb.clb.save()
    OrganisationRelationFactory(
        organisation=kb.clb, target=kb.ministry, kind="advises", source_study=draft_study
    )
    dimension = DimensionFactory(name="Budgetten", slug="budgetten")
    dimension.themes.add(kb.budgets)
    CountryFact.objects.create(page=kb.norway, dimension=dimension, value="Ja", source_study=draft_study)
    # A draft theme linked to live records and related to a live theme.
    draft_theme = ThemeFactory(
        live=False, name=DRAFT_THEME, slug="concepttheme", description=DRAFT_THEME, related=[kb.quality]
    )
    kb.mapping.themes.add(draft_theme)
    kb.mapping.save()
    kb.strong_finding.themes.add(draft_theme)
    kb.strong_finding.save()
    kb.open_question.themes.add(draft_theme)
    kb.open_question.save()
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
    OrganisationRelationFactory(organisation=draft_organisation, target=kb.ministry, kind="funds")
    OrganisationRelationFactory(organisation=kb.vdab, target=draft_organisation, kind="partners_with")
    kb.answered_question.raised_by = draft_organisation
    kb.answered_question.save()
    # A draft framework whose element a live finding is linked to and a live assessment
    # assesses; in the live framework's lens, a draft assessment and one citing the draft study.
    draft_framework = FrameworkFactory(
        live=False, name=DRAFT_FRAMEWORK, slug="conceptkader", description=DRAFT_FRAMEWORK
    )
    draft_element = FrameworkElementFactory(framework=draft_framework, code="9", name=DRAFT_FRAMEWORK)
    kb.weak_finding.framework_elements.add(draft_element)
    kb.weak_finding.save()
    FrameworkAssessmentFactory(
        element=draft_element, country=kb.finland, reason=ASSESSMENT_IN_DRAFT_FRAMEWORK
    )
    FrameworkAssessmentFactory(
        live=False, element=kb.framework_element, country=kb.finland, reason=DRAFT_ASSESSMENT
    )
    FrameworkAssessmentFactory(
        element=kb.framework_element,
        country=kb.norway,
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


def _public_urls(kb):
    urls = [
        reverse("knowledgebase:theme_list"),
        reverse("knowledgebase:study_list"),
        reverse("knowledgebase:finding_list"),
        reverse("knowledgebase:organisation_list"),
        reverse("knowledgebase:question_list"),
    ]
    for theme in (kb.quality, kb.budgets):
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
    for study in (kb.mapping, kb.elgpn, kb.old):
        urls.append(study.get_absolute_url())
        urls += [
            reverse(f"knowledgebase:study_citation_{fmt}", args=[study.slug])
            for fmt in ("ris", "bib", "json")
        ]
    urls += [kb.strong_finding.get_absolute_url(), kb.weak_finding.get_absolute_url()]
    urls += [org.get_absolute_url() for org in (kb.vdab, kb.clb, kb.ministry)]
    urls += [kb.open_question.get_absolute_url(), kb.answered_question.get_absolute_url()]
    urls += [kb.finland.url, kb.norway.url, reverse("knowledgebase:gap_map")]
    framework = kb.framework_element.framework
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
        f"/api/v1/themas/{kb.quality.slug}/",
        f"/api/v1/onderzoek/{kb.mapping.slug}/",
        f"/api/v1/organisaties/{kb.vdab.slug}/",
        f"/api/v1/kennisagenda/{kb.answered_question.pk}/",
    ]
    urls += [
        f"{reverse('knowledgebase:search')}?q={query}"
        for query in ("concepttheme", "conceptorganisatie", "kwaliteit", "onderzoek")
    ]
    return urls


def test_no_public_page_shows_a_draft(client, kb, drafts):
    """No list, filter, theme, organisation, question or study page, no citation download and
    no feed contains any draft's marker."""
    for url in _public_urls(kb):
        response = client.get(url)
        assert response.status_code == 200, url
        content = response.content.decode()
        for marker in MARKERS:
            assert marker not in content, f"{marker} leaked on {url}"


def test_no_workbook_or_semicolon_csv_shows_a_draft(client, kb, drafts):
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


def test_draft_detail_urls_are_404(client, kb, drafts):
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


def test_draft_study_is_not_counted(client, kb, drafts):
    """Theme counts leave drafts out."""
    response = client.get(reverse("knowledgebase:theme_list"))
    quality = next(t for t in response.context["themes"] if t.slug == "kwaliteitsborging")
    assert (quality.study_count, quality.finding_count, quality.question_count) == (2, 2, 1)


def test_unpublished_country_is_not_shown(client, kb):
    """Facts and links of a country profile that has been unpublished do not show."""
    kb.finland.unpublish()
    html = client.get(kb.quality.get_absolute_url()).content.decode()
    assert "Landelijk kader" not in html
    assert 'href="/landen/fi/"' not in client.get(kb.mapping.get_absolute_url()).content.decode()


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


def test_sitemap_lists_public_records_only(client, kb, drafts, django_capture_on_commit_callbacks):
    """The sitemap names every public study, finding, question, organisation and theme, and
    no draft, no finding of a draft study and no draft question."""
    locations = _sitemap_locations(client)
    public = [
        kb.mapping,
        kb.elgpn,
        kb.old,
        kb.strong_finding,
        kb.weak_finding,
        kb.open_question,
        kb.answered_question,
        kb.vdab,
        kb.quality,
        kb.finland,
    ]
    for record in public:
        url = record.url if hasattr(record, "url_path") else record.get_absolute_url()
        assert url in locations, url
    assert reverse("knowledgebase:study_list") in locations
    for draft in drafts.values():
        assert draft.get_absolute_url() not in locations
    finland = kb.finland.url
    with django_capture_on_commit_callbacks(execute=True):  # The change starts a new version.
        kb.finland.unpublish()
    assert finland not in _sitemap_locations(client)
