"""The number of database queries per page is bounded and does not grow with the data."""

import pytest
from django.urls import reverse

from knowledgebase.models import (
    Finding,
    FrameworkAssessment,
    FrameworkElement,
    Organisation,
    OrganisationRelation,
    ResearchQuestion,
    ResearchQuestionStudy,
    Study,
    StudyAuthor,
)
from tests.factories import FrameworkFactory, OrganisationFactory, ThemeFactory, make_country

pytestmark = pytest.mark.django_db

# The largest page (a theme) needs 19 queries whatever the amount of data; the cap leaves a
# little room for template changes, not for a query per record.
MAX_QUERIES = 22


@pytest.fixture(params=[10, 1000], ids=["10-records", "1000-records"])
def linked(request, site_tree):
    """``n`` studies, findings, questions, organisations and framework elements, all linked
    to one theme, one country, one hub study, one hub question and one hub organisation."""
    n = request.param
    theme = ThemeFactory(slug="thema")
    country = make_country("FI", title="Finland")
    hub_org = OrganisationFactory(slug="hub")
    studies = Study.objects.bulk_create(
        [
            Study(
                title=f"Studie {i}",
                slug=f"studie-{i}",
                year=1990 + i % 30,
                study_type="report",
                summary="Samenvatting.",
                strength="moderate",
                live=True,
            )
            for i in range(n)
        ]
    )
    hub_study = studies[0]
    Study.objects.filter(pk__in=[s.pk for s in studies[1:]]).update(
        cited_by=hub_study, source_study=hub_study
    )
    StudyAuthor.objects.bulk_create(
        [StudyAuthor.from_name(f"Auteur {k}, A.", study=s, sort_order=k) for s in studies for k in range(2)]
    )
    Study.themes.through.objects.bulk_create([Study.themes.through(study=s, theme=theme) for s in studies])
    Study.countries.through.objects.bulk_create(
        [Study.countries.through(study=s, countrypage=country) for s in studies]
    )
    findings = Finding.objects.bulk_create(
        [
            Finding(
                slug=f"bevinding-{i}",
                statement=f"Bevinding {i}",
                study=hub_study,
                locator=f"p. {i}",
                strength="limited",
                live=True,
            )
            for i in range(n)
        ]
    )
    Finding.themes.through.objects.bulk_create(
        [Finding.themes.through(finding=f, theme=theme) for f in findings]
    )
    Finding.countries.through.objects.bulk_create(
        [Finding.countries.through(finding=f, countrypage=country) for f in findings]
    )
    framework = FrameworkFactory()
    elements = FrameworkElement.objects.bulk_create(
        [
            FrameworkElement(framework=framework, code=str(i), name=f"Element {i}", source_study=hub_study)
            for i in range(n)
        ]
    )
    Finding.framework_elements.through.objects.bulk_create(
        [Finding.framework_elements.through(finding=findings[0], frameworkelement=e) for e in elements]
        + [Finding.framework_elements.through(finding=f, frameworkelement=elements[0]) for f in findings[1:]]
    )
    other_countries = [make_country(code, title=code) for code in ("NO", "SE")]
    FrameworkAssessment.objects.bulk_create(
        [
            FrameworkAssessment(
                element=e, country=c, assessment="partly", reason="Deels.", source_study=hub_study, live=True
            )
            for e in elements
            for c in [country, *other_countries]
        ]
    )
    questions = ResearchQuestion.objects.bulk_create(
        [
            ResearchQuestion(
                question=f"Vraag {i}?", status="open", raised_by=hub_org, source_study=hub_study, live=True
            )
            for i in range(n)
        ]
    )
    ResearchQuestion.themes.through.objects.bulk_create(
        [ResearchQuestion.themes.through(researchquestion=q, theme=theme) for q in questions]
    )
    ResearchQuestion.countries.through.objects.bulk_create(
        [ResearchQuestion.countries.through(researchquestion=q, countrypage=country) for q in questions]
    )
    links = [ResearchQuestionStudy(question=questions[0], study=s) for s in studies]
    links += [ResearchQuestionStudy(question=q, study=hub_study) for q in questions[1:]]
    ResearchQuestionStudy.objects.bulk_create(links)
    organisations = Organisation.objects.bulk_create(
        [
            Organisation(name=f"Org {i}", slug=f"org-{i}", kind="agency", source_study=hub_study)
            for i in range(n)
        ]
    )
    OrganisationRelation.objects.bulk_create(
        [
            OrganisationRelation(organisation=o, target=hub_org, kind="funds", source_study=hub_study)
            for o in organisations
        ]
        + [OrganisationRelation(organisation=hub_org, target=o, kind="partners_with") for o in organisations]
    )
    return {
        "n": n,
        "urls": [
            reverse("knowledgebase:theme_list"),
            theme.get_absolute_url(),
            reverse("knowledgebase:study_list"),
            reverse("knowledgebase:study_list") + "?theme=thema&country=fi&sort=strength&page=2",
            hub_study.get_absolute_url(),
            reverse("knowledgebase:study_citation_ris", args=[hub_study.slug]),
            reverse("knowledgebase:study_citation_bib", args=[hub_study.slug]),
            reverse("knowledgebase:study_citation_json", args=[hub_study.slug]),
            reverse("knowledgebase:finding_list"),
            reverse("knowledgebase:finding_list") + "?theme=thema&country=fi&strength=limited",
            findings[0].get_absolute_url(),
            reverse("knowledgebase:organisation_list"),
            reverse("knowledgebase:organisation_list") + "?kind=agency",
            hub_org.get_absolute_url(),
            organisations[0].get_absolute_url(),
            reverse("knowledgebase:question_list"),
            reverse("knowledgebase:question_list") + "?theme=thema&status=open",
            questions[0].get_absolute_url(),
            reverse("knowledgebase:framework_list"),
            framework.get_absolute_url(),
            reverse("knowledgebase:framework_lens", args=[framework.slug]),
            reverse("knowledgebase:gap_map"),
            reverse("knowledgebase:gap_map") + "?as=modellen&type=report&strength=moderate",
            reverse("knowledgebase:gap_map_csv") + "?type=report",
        ],
    }


def test_every_page_has_a_bounded_number_of_queries(client, linked, django_assert_max_num_queries):
    """Every list and detail page stays under the same query cap at 10 and 1,000 records."""
    for url in linked["urls"]:
        with django_assert_max_num_queries(MAX_QUERIES, info=url):
            response = client.get(url)
        assert response.status_code == 200, url
