"""A small, fully linked knowledge base for the public-page tests."""

from types import SimpleNamespace

import pytest

from countries.models import CountryFact
from knowledgebase.models import StudyAuthor
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
    make_model,
)


@pytest.fixture
def kb(site_tree):
    """Themes, a country, a model, organisations, studies, findings, questions and facts,
    all published and linked to each other."""
    budgets = ThemeFactory(name="Individuele leerbudgetten", slug="individuele-leerbudgetten")
    quality = ThemeFactory(name="Kwaliteitsborging", slug="kwaliteitsborging", related=[budgets])
    finland = make_country("FI", title="Finland")
    norway = make_country("NO", title="Noorwegen")
    network = make_model("network", title="Netwerk")
    interviews = MethodFactory(name="Interviews", slug="interviews")
    desk = MethodFactory(name="Deskresearch", slug="deskresearch")

    mapping = StudyFactory(
        title="Kennisinfrastructuur loopbaanbegeleiding in Europa",
        slug="kennisinfrastructuur-europa",
        year=2023,
        study_type="mapping",
        language="nl",
        publisher="Euroguidance Nederland",
        strength="strong",
        strength_rationale="Vijf landen met vergelijkbare uitkomsten.",
        url="https://example.org/mapping",
        doi="10.1234/mapping.2023",
        themes=[quality],
        authors=["Jansen, A.", "De Vries, B."],
    )
    mapping.methods.set([desk, interviews])
    mapping.countries.set([finland, norway])
    mapping.infrastructure_models.set([network])
    mapping.save()
    elgpn = StudyFactory(
        title="Lifelong guidance policies: a European resource kit",
        slug="elgpn-resource-kit",
        year=2015,
        study_type="policy",
        language="en",
        strength="moderate",
        themes=[quality, budgets],
        authors=["ELGPN"],
    )
    elgpn.methods.set([desk])
    elgpn.countries.set([norway])
    elgpn.save()
    old = StudyFactory(
        title="Aardappelonderzoek uit de oude doos",
        slug="oude-doos",
        year=2001,
        study_type="evaluation",
        language="other",
        strength="indicative",
        authors=["Pietersen, C."],
    )
    # The mapping study learned of the ELGPN kit and cites it.
    elgpn.cited_by = mapping
    elgpn.source_study = mapping
    elgpn.source_locator = "Bijlage B"
    elgpn.save()

    framework_element = FrameworkElementFactory(name="Kwaliteit van processen", code="3")
    strong_finding = FindingFactory(
        slug="kwaliteitskader-werkt",
        statement="Een landelijk kwaliteitskader maakt begeleiding vergelijkbaar.",
        study=mapping,
        locator="Hoofdstuk 4.2",
        strength="strong",
        lesson_for_nl=True,
        themes=[quality],
    )
    strong_finding.countries.set([finland])
    strong_finding.framework_elements.set([framework_element])
    strong_finding.save()
    weak_finding = FindingFactory(
        slug="budgetten-onduidelijk",
        statement="Het effect van leerbudgetten op loopbaankeuzes is onduidelijk.",
        study=elgpn,
        locator="p. 12",
        strength="limited",
        themes=[quality, budgets],
    )

    vdab = OrganisationFactory(
        name="VDAB",
        slug="vdab",
        kind="agency",
        country_code="BE-VLG",
        source_study=mapping,
        source_locator="Paragraaf 3.1",
    )
    clb = OrganisationFactory(name="CLB", slug="clb", kind="education", country_code="BE-VLG")
    ministry = OrganisationFactory(
        name="Ministerie van Werk", slug="ministerie-werk", kind="ministry", country_code="FI"
    )
    OrganisationRelationFactory(
        organisation=vdab, target=clb, kind="partners_with", source_study=mapping, source_locator="Figuur 2"
    )
    OrganisationRelationFactory(organisation=ministry, target=vdab, kind="funds")

    open_question = ResearchQuestionFactory(
        question="Hoe zorgen we dat onderzoeksvragen uit de praktijk worden opgepakt?",
        explanation="Niemand coördineert de vragen nu.",
        status="open",
        owner="Euroguidance",
        raised_by=vdab,
        source_study=mapping,
        source_locator="Hoofdstuk 6",
    )
    open_question.themes.set([quality])
    open_question.countries.set([finland])
    open_question.save()
    ResearchQuestionStudyFactory(question=open_question, study=elgpn, kind="answers")
    answered_question = ResearchQuestionFactory(
        question="Welke landen hebben een leerbudget voor loopbaanbegeleiding?",
        status="answered",
    )
    answered_question.themes.set([budgets])
    answered_question.save()

    dimension = DimensionFactory(name="Kwaliteitskader", slug="kwaliteitskader", section="qa_framework")
    dimension.themes.add(quality)
    CountryFact.objects.create(
        page=finland,
        dimension=dimension,
        value="Landelijk kader",
        detail="Finland heeft een landelijk kwaliteitskader.",
        source_study=mapping,
        source_locator="Tabel 5",
    )
    StudyAuthor.objects.filter(study=old).update(
        family_name="Pietersen", particle="", given_names="C.", organisation="", name="Pietersen, C."
    )
    return SimpleNamespace(
        quality=quality,
        budgets=budgets,
        finland=finland,
        norway=norway,
        network=network,
        interviews=interviews,
        desk=desk,
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
        dimension=dimension,
    )
