"""The starter content: everything the five sources know, loaded once and updated in place."""

import io
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from countries.models import CountryFact, CountryPage, CountryWebsite
from knowledgebase.models import (
    BottomLine,
    Finding,
    Framework,
    FrameworkAssessment,
    Organisation,
    OrganisationRelation,
    ResearchQuestion,
    Study,
    Theme,
)
from models_infra.models import InfrastructureModelIndexPage, InfrastructureModelPage, ModelExample
from portal.models import ContentPage, StarterContentRecord
from portal.starter_content import starter_content_load
from search.models import SynonymSet

ROOT = Path(__file__).resolve().parents[2]
SOURCE_STUDIES = {
    "euroguidance-verkenning-kennisinfrastructuur",
    "euroguidance-mapping-llo",
    "oecd-2004-bridging-the-gap",
    "noloc-2024-wat-is-goed",
    "elgpn-tools-3-evidence-base",
}
REQUIRED_COUNTRIES = {"BE-VLG", "FI", "NO", "GB-SCT", "IE", "GB-ENG", "GB-WLS", "GB-NIR", "SE", "NL"}


def _counts():
    return {
        model.__name__: model.objects.count()
        for model in (
            Theme,
            Organisation,
            OrganisationRelation,
            Study,
            Finding,
            ResearchQuestion,
            Framework,
            FrameworkAssessment,
            CountryPage,
            CountryFact,
            CountryWebsite,
            InfrastructureModelPage,
            ModelExample,
            BottomLine,
            SynonymSet,
        )
    }


pytestmark = pytest.mark.django_db


def _check_minimum_coverage(loaded):
    """The portal holds the countries, models, organisations, studies, findings and questions."""
    assert set(CountryPage.objects.live().values_list("code", flat=True)) >= REQUIRED_COUNTRIES
    assert set(InfrastructureModelPage.objects.live().values_list("key", flat=True)) == {
        "linking-pin",
        "network",
        "loose-relations",
    }
    assert set(Study.objects.published().values_list("slug", flat=True)) >= SOURCE_STUDIES
    assert loaded["Organisation"] > 40
    assert loaded["OrganisationRelation"] >= 30
    assert loaded["Theme"] >= 12
    assert loaded["Finding"] >= 150
    assert loaded["ResearchQuestion"] >= 30
    assert Finding.objects.filter(lesson_for_nl=True).count() >= 20
    assert set(Framework.objects.values_list("slug", flat=True)) >= {
        "elgpn-principes",
        "kwaliteitsdomeinen",
        "oecd-beleidsprioriteiten",
        "mapping-checklist",
    }
    assert Framework.objects.get(slug="elgpn-principes").elements.count() == 10
    assert Framework.objects.get(slug="kwaliteitsdomeinen").elements.count() == 6
    # The framework lenses: published, each cell cited, frameworks public.
    assert not Framework.objects.filter(live=False).exists()
    assert loaded["FrameworkAssessment"] >= 100
    assert not FrameworkAssessment.objects.filter(live=False).exists()
    assert not FrameworkAssessment.objects.filter(source_study__isnull=True).exists()
    assert FrameworkAssessment.objects.filter(
        element__framework__slug="elgpn-principes",
        element__code="4",
        country__code="NO",
        assessment="present",
    ).exists()
    for key in ("linking-pin", "network", "loose-relations"):
        assert InfrastructureModelPage.objects.get(key=key).examples.exists()
    # Examples name their organisations (a many-to-many inside an inline, kept by revisions).
    assert ModelExample.objects.filter(organisations__isnull=False).distinct().count() >= 5
    index = InfrastructureModelIndexPage.objects.get()
    assert len(index.activities) == 6 and index.comparison and index.follow_up_question


def _check_profiles():
    """Each required profile has sections, facts and a last-verified date, all with sources."""
    for page in CountryPage.objects.filter(code__in=REQUIRED_COUNTRIES):
        assert page.last_verified, page.code
        assert page.sections, page.code
        assert page.facts.count() >= 3, page.code
        for _key, _label, _group, stream in page.sections:
            for block in stream:
                assert block.value["sources"], f"{page.code}: paragraph without a source"
    for code in ("BE-VLG", "FI", "NO", "GB-SCT"):
        page = CountryPage.objects.get(code=code)
        assert page.lessons and page.websites.exists(), code


def _check_sources_and_themes():
    """Facts, organisations, examples and questions cite a study; studies and findings have a theme."""
    assert not CountryFact.objects.filter(source_study__isnull=True).exists()
    assert not CountryWebsite.objects.filter(source_study__isnull=True).exists()
    assert not Organisation.objects.filter(source_study__isnull=True).exists()
    assert not ModelExample.objects.filter(source_study__isnull=True).exists()
    assert not ResearchQuestion.objects.filter(source_study__isnull=True).exists()
    assert not Finding.objects.filter(locator="").exists()
    assert not Study.objects.filter(themes__isnull=True).exists()
    assert not Finding.objects.filter(themes__isnull=True).exists()
    cited_studies = Study.objects.exclude(slug__in=SOURCE_STUDIES)
    assert not cited_studies.filter(source_study__isnull=True, cited_by__isnull=True).exists()


def _check_outside_knowledge_is_marked():
    """What no source says is an editors' note, not part of the cited record: the VDAB's name
    written out, Skills Norway's Norwegian name; the Gatsby Foundation is placed in no country
    and the NCGE is not said to advise its ministry."""
    vdab = Organisation.objects.get(slug="vdab")
    assert "Arbeidsbemiddeling en Beroepsopleiding" in vdab.editor_note
    assert "Arbeidsbemiddeling en Beroepsopleiding" not in vdab.description + vdab.full_name
    assert "Kompetanse Norge" in Organisation.objects.get(slug="kompetanse-norge").editor_note
    assert Organisation.objects.get(slug="gatsby-foundation").country_code == ""
    assert not OrganisationRelation.objects.filter(organisation__slug="ncge", kind="advises").exists()
    assert not Finding.objects.filter(slug__startswith="noloc-gatsby", countries__code="GB-ENG").exists()


def _check_bottom_lines_and_strength_page():
    """Every theme with findings of studies has a published bottom line whose claims cite
    findings of studies (or studies) and whose lessons cite only lessons; /bewijskracht/ is a
    live page with a section per level for the badges to link to."""
    themes_with_evidence = set(
        Theme.objects.filter(finding__lesson_for_nl=False).values_list("slug", flat=True)
    )
    lines = BottomLine.objects.published().select_related("theme")
    assert {line.theme.slug for line in lines} >= themes_with_evidence
    for line in lines:
        assert line.confidence and line.confidence_reason and line.last_reviewed, line.theme.slug
        assert 3 <= len(line.summary) <= 6, line.theme.slug
        for block in line.summary:
            assert block.value["findings"] or block.value["sources"], line.theme.slug
            assert not any(finding.lesson_for_nl for finding in block.value["findings"]), line.theme.slug
        for block in line.lessons:
            assert all(finding.lesson_for_nl for finding in block.value["findings"]), line.theme.slug
    page = ContentPage.objects.live().get(slug="bewijskracht")
    for heading in ("<h2>Sterk</h2>", "<h2>Redelijk</h2>", "<h2>Beperkt</h2>", "<h2>Indicatief</h2>"):
        assert heading in page.body


def _check_synonym_sets(loaded):
    """The search's synonym sets, each with a note; the one-word entries lead to the others."""
    assert loaded["SynonymSet"] >= 8
    assert not SynonymSet.objects.filter(note="").exists()
    entries = {tuple(synonym_set.entries()) for synonym_set in SynonymSet.objects.all()}
    assert ("LOB", "loopbaanoriëntatie en -begeleiding") in entries
    assert ("STAP", "STAP-budget", "scholingsbudget") in entries
    assert ("LLO", "leven lang ontwikkelen") in entries


def _check_synonym_sets_of_staff_left_alone():
    """A set staff made with the same entries (in another order or case) is not doubled, and a
    changed note in the file updates the loader's own set in place."""
    lob = SynonymSet.objects.get(terms__startswith="LOB")
    StarterContentRecord.objects.filter(kind="synonym-set", key=lob.terms).delete()
    lob.terms, lob.note = "loopbaanoriëntatie en -begeleiding\nlob", "Door de redactie."
    lob.save()
    policy = SynonymSet.objects.get(terms="beleid, policy")
    StarterContentRecord.objects.filter(kind="synonym-set", key="beleid, policy").update(content_hash="x")
    policy.note = "Door de redactie gewijzigd."
    policy.save()
    count = SynonymSet.objects.count()
    call_command("load_starter_content", "--force", stdout=io.StringIO())
    assert SynonymSet.objects.count() == count
    assert SynonymSet.objects.get(pk=lob.pk).note == "Door de redactie."
    assert SynonymSet.objects.get(pk=policy.pk).note != "Door de redactie gewijzigd."


def _check_second_run(loaded):
    """Loading again creates no duplicates: every count stays the same."""
    call_command("load_starter_content", "--force")
    assert _counts() == loaded


def _check_framework_update_keeps_its_elements():
    """A changed framework file updates its elements in place: their assessments (the
    loader's and an editor's) and linked findings stay."""
    framework = Framework.objects.get(slug="elgpn-principes")
    elements = dict(framework.elements.values_list("code", "pk"))
    assessments = FrameworkAssessment.objects.count()
    linked = Finding.framework_elements.through.objects.count()
    editors = FrameworkAssessment.objects.create(
        element_id=elements["2"],
        country=CountryPage.objects.get(code="SE"),
        assessment="partly",
        reason="Door de redactie geschreven.",
        source_study=Study.objects.get(slug="euroguidance-mapping-llo"),
    )
    StarterContentRecord.objects.filter(kind="framework", key="elgpn-principes").update(content_hash="x")
    call_command("load_starter_content", "--force")
    assert dict(framework.elements.values_list("code", "pk")) == elements
    assert FrameworkAssessment.objects.count() == assessments + 1
    assert FrameworkAssessment.objects.filter(pk=editors.pk).exists()
    assert Finding.framework_elements.through.objects.count() == linked


def _check_staff_records_left_alone():
    """A record the loader does not own is never overwritten."""
    theme = Theme.objects.get(slug="kwaliteitsborging")
    StarterContentRecord.objects.filter(kind="theme", key="kwaliteitsborging").delete()
    theme.description = "Door de redactie herschreven."
    theme.save()
    call_command("load_starter_content", "--force")
    assert Theme.objects.get(slug="kwaliteitsborging").description == "Door de redactie herschreven."


def _check_structured_authors():
    """People are split into their parts, organisations are organisations."""
    from knowledgebase.models import StudyAuthor

    hooley = StudyAuthor.objects.get(study__slug="elgpn-tools-3-evidence-base")
    assert (hooley.given_names, hooley.family_name, hooley.organisation) == ("Tristram", "Hooley", "")
    oecd = StudyAuthor.objects.get(study__slug="oecd-2004-bridging-the-gap")
    assert (oecd.family_name, oecd.organisation) == ("", "OECD")
    assert StudyAuthor.objects.filter(particle="van", family_name="Bochove", given_names="P.J.").exists()


def test_starter_content_loads_completely_and_idempotently(db):
    """On an empty database the loader fills the portal: the minimum coverage, every item
    with a source and a theme. A second run keeps identical counts, skips unchanged files
    and leaves staff records alone."""
    output = io.StringIO()
    call_command("load_starter_content", stdout=output)
    # The summary names every kind it created, the synonym sets too.
    assert f"{SynonymSet.objects.count()} synonym-set" in output.getvalue()
    loaded = _counts()
    _check_minimum_coverage(loaded)
    _check_synonym_sets(loaded)
    _check_profiles()
    _check_sources_and_themes()
    _check_outside_knowledge_is_marked()
    _check_structured_authors()
    _check_bottom_lines_and_strength_page()
    _check_second_run(loaded)
    # Unchanged files are not read again: make run's second start only compares a hash.
    assert starter_content_load().up_to_date
    _check_framework_update_keeps_its_elements()
    _check_staff_records_left_alone()
    _check_synonym_sets_of_staff_left_alone()


def test_content_is_in_the_projects_own_words():
    """No passage of nine or more words is copied from the source documents."""
    tool = ROOT.parent / "shared" / "tools" / "seed_overlap.py"
    if not tool.exists():
        pytest.skip("shared/tools/seed_overlap.py is not beside this checkout")
    result = subprocess.run(
        [sys.executable, str(tool), str(ROOT)], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout[-3000:]
