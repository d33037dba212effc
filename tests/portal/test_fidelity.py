"""The starter content says no more than its sources: numbers and organisations are checked."""

import shutil

import pytest
import yaml

from portal.starter_content import _read

from .fidelity import SEEDS_DIR, FidelityChecker, numbers_in

pytestmark = pytest.mark.skipif(
    not SEEDS_DIR.is_dir(), reason="the source documents (../shared/seeds/) are not beside this checkout"
)


@pytest.fixture
def content_copy(tmp_path):
    """A copy of ``content/`` to change one statement in."""
    from portal.starter_content import CONTENT_DIR

    copy = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, copy)
    return copy


def _write(path, data):
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _replace(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {path.name}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_every_number_and_organisation_in_the_starter_content_is_in_its_source():
    """Every number, year and percentage in a cited statement, and every organisation it
    names, occurs in the source document it cites, unless the statement marks the number as
    a computation or conversion with its reason."""
    problems = FidelityChecker().run()
    assert not problems, "\n".join(problems)


def test_numbers_are_compared_as_numbers():
    """ "1.500" and "1500", "15%" and "15 procent", "veertien" and "14" are the same number."""
    assert numbers_in("1.500 medewerkers").keys() == numbers_in("1500 werknemers").keys()
    assert numbers_in("15%").keys() == numbers_in("15 procent").keys()
    assert numbers_in("veertien landen").keys() == numbers_in("14 landen").keys()
    assert numbers_in("€ 8,48").keys() == numbers_in("EUR 8.48").keys()
    assert numbers_in("een nieuwe cursus").keys() == set()


def test_a_changed_number_is_reported_with_its_statement(content_copy):
    """Changing one figure in one statement makes the check fail, naming that statement."""
    _replace(content_copy / "findings" / "oecd.yaml", "€ 23,54", "€ 24,54")
    problems = FidelityChecker(content_dir=content_copy).run()
    assert len(problems) == 1, problems
    assert "findings: oecd-schattingen-overheidsuitgaven" in problems[0]
    assert "24,54" in problems[0]


def test_a_marked_computation_is_accepted_and_a_marker_needs_its_reason(content_copy):
    """A number the source does not give passes only when the statement marks it as a
    computation with its reason; a marker without a reason is itself reported."""
    path = content_copy / "findings" / "elgpn.yaml"
    findings = _read(path)
    finding = next(item for item in findings if item["slug"] == "elgpn-principe-4-combinatie")
    finding["statement"] += " Dat geldt voor 37% van de diensten."
    _write(path, findings)
    problems = FidelityChecker(content_dir=content_copy).run()
    assert len(problems) == 1 and "elgpn-principe-4-combinatie" in problems[0], problems
    assert "37" in problems[0]

    finding["computed"] = [{"number": "37", "reason": "Uitgerekend door de redactie."}]
    _write(path, findings)
    assert FidelityChecker(content_dir=content_copy).run() == []

    finding["computed"] = [{"number": "37", "reason": ""}]
    _write(path, findings)
    problems = FidelityChecker(content_dir=content_copy).run()
    assert any("needs a number and a reason" in problem for problem in problems), problems

    finding["computed"] = [{"number": "38", "reason": "Een getal dat de uitspraak niet bevat."}]
    _write(path, findings)
    problems = FidelityChecker(content_dir=content_copy).run()
    assert any("does not contain" in problem for problem in problems), problems


def test_an_organisation_the_source_does_not_name_is_reported(content_copy):
    """An organisation named in a statement must appear in the cited source under one of
    the spellings the content lists for it."""
    _replace(
        content_copy / "findings" / "elgpn.yaml",
        "Begeleiding werkt het best als verschillende interventies worden gecombineerd.",
        "Begeleiding werkt volgens de OECD het best als verschillende interventies worden gecombineerd.",
    )
    problems = FidelityChecker(content_dir=content_copy).run()
    assert len(problems) == 1, problems
    assert "elgpn-principe-4-combinatie" in problems[0] and "OECD" in problems[0]


def test_an_outside_source_needs_its_own_study_record_with_metadata(content_copy):
    """A statement may cite a work outside the five documents only through a study record
    with a title, year, author or publisher and address; it is then not checked against
    the seed texts."""
    studies = content_copy / "studies" / "buiten.yaml"
    studies.write_text(
        "- slug: buitenbron-zonder-gegevens\n"
        "  title: Een werk buiten de bronnen\n"
        "  summary: Een samenvatting.\n"
        "  themes: [kwaliteitsborging]\n"
        "  strength: indicative\n",
        encoding="utf-8",
    )
    _replace(
        content_copy / "findings" / "elgpn.yaml",
        "Begeleiding werkt het best als verschillende interventies worden gecombineerd.\n"
        "  study: elgpn-tools-3-evidence-base",
        "In 1999 bleek 42% van de begeleiders tevreden.\n  study: buitenbron-zonder-gegevens",
    )
    problems = FidelityChecker(content_dir=content_copy).run()
    assert any("lacks year, authors or publisher, url or doi" in problem for problem in problems), problems

    studies.write_text(
        studies.read_text(encoding="utf-8")
        + "  year: 2020\n  publisher: Voorbeelduitgever\n  url: https://example.org/werk\n",
        encoding="utf-8",
    )
    # Other statements that cite the finding (a bottom line naming the ELGPN) may still be
    # reported; the finding itself and its study are now in order.
    problems = FidelityChecker(content_dir=content_copy).run()
    assert not [p for p in problems if p.startswith("findings: elgpn-principe-4-combinatie") or "lacks" in p]


# -- bottom lines, framework lens assessments and the strength page (issue 21) ------------


def _first_yaml(folder):
    return sorted(folder.glob("*.yaml"))[0]


def test_every_theme_with_findings_has_a_bottom_line(content_copy):
    """A theme whose starter findings are evidence (not only lessons) opens with a bottom
    line; removing one is reported with the theme's slug."""
    path = content_copy / "bottom_lines" / "individuele-leerbudgetten.yaml"
    path.unlink()
    problems = FidelityChecker(content_dir=content_copy).run()
    assert problems == ["bottom_lines: theme 'individuele-leerbudgetten' has findings but no bottom line"]


def test_a_number_in_a_bottom_line_must_be_in_the_sources_it_cites(content_copy):
    """A bottom-line claim is read against the documents of the findings and studies it
    cites: a figure none of them gives is reported, naming the theme and the claim."""
    path = content_copy / "bottom_lines" / "individuele-leerbudgetten.yaml"
    data = _read(path)
    data["summary"][0]["text"] += " Dat gold voor 83% van de gebruikers."
    _write(path, data)
    problems = FidelityChecker(content_dir=content_copy).run()
    assert len(problems) == 1, problems
    assert (
        problems[0].startswith("bottom_lines: individuele-leerbudgetten summary 1:") and "83" in problems[0]
    )


def test_a_bottom_line_counts_no_lesson_as_evidence(content_copy):
    """The portal's lessons for the Netherlands are never evidence: a summary claim that
    cites one is reported, and a lesson may only cite lessons."""
    path = content_copy / "bottom_lines" / "individuele-leerbudgetten.yaml"
    data = _read(path)
    data["summary"][0]["findings"] = [
        *data["summary"][0].get("findings", []),
        "noloc-les-leerbudget-vraagt-kwaliteitsborging",
    ]
    _write(path, data)
    problems = FidelityChecker(content_dir=content_copy).run()
    assert any(
        "summary 1 cites the lesson 'noloc-les-leerbudget-vraagt-kwaliteitsborging' as evidence" in p
        for p in problems
    ), problems


def test_a_bottom_line_is_no_surer_than_its_strongest_evidence(content_copy):
    """The confidence of a bottom line may not exceed the strength of the strongest finding
    or study it cites, and it must use the portal's scale with a reason."""
    path = content_copy / "bottom_lines" / "individuele-leerbudgetten.yaml"
    data = _read(path)
    data["confidence"]["level"] = "strong"
    _write(path, data)
    problems = FidelityChecker(content_dir=content_copy).run()
    assert any("individuele-leerbudgetten: confidence 'strong' is stronger than" in p for p in problems), (
        problems
    )

    data["confidence"] = {"level": "zeker", "reason": ""}
    _write(path, data)
    problems = FidelityChecker(content_dir=content_copy).run()
    assert any("confidence needs a level on the scale" in p for p in problems), problems


def test_an_assessment_names_a_known_element_and_country_with_a_source(content_copy):
    """A framework lens assessment belongs to an element of its framework and a country
    profile, says present, partly or absent, gives a one-line reason and cites a source."""
    path = content_copy / "assessments" / "elgpn-principes.yaml"
    data = _read(path)
    data["assessments"][0].update(element="99", assessment="misschien")
    data["assessments"][1]["country"] = "XX"
    data["assessments"][2].pop("source")
    _write(path, data)
    problems = FidelityChecker(content_dir=content_copy).run()
    assert any("unknown element 'elgpn-principes/99'" in p for p in problems), problems
    assert any("'misschien' is not present, partly or absent" in p for p in problems), problems
    assert any("unknown country 'XX'" in p for p in problems), problems
    assert any("cites no source" in p for p in problems), problems


def test_a_number_in_an_assessment_reason_must_be_in_its_source(content_copy):
    """An assessment's reason is a cited statement like any other: a figure its source does
    not give is reported."""
    path = content_copy / "assessments" / "mapping-checklist.yaml"
    data = _read(path)
    data["assessments"][0]["reason"] += " (77 uur)"
    _write(path, data)
    problems = FidelityChecker(content_dir=content_copy).run()
    assert len(problems) == 1 and problems[0].startswith("assessments: mapping-checklist"), problems
    assert "77" in problems[0]


def test_a_strength_example_has_the_level_it_illustrates(content_copy):
    """Each level on the strength page shows an example from the starter content that really
    carries that level; an example of another strength is reported."""
    path = content_copy / "pages" / "bewijskracht.yaml"
    data = _read(path)
    level = next(section for section in data["sections"] if section.get("level") == "strong")
    level["examples"][0] = {**level["examples"][0], "finding": "mapping-be-loopbaancheques"}
    _write(path, data)
    problems = FidelityChecker(content_dir=content_copy).run()
    assert any(
        "pages/bewijskracht: example 'mapping-be-loopbaancheques' is indicative, not strong" in p
        for p in problems
    ), problems


def test_the_source_audit_names_only_records_that_exist():
    """The audit in docs/starter-content.md (which records hold each source section) names
    only findings, organisations, studies, questions, framework elements and models that the
    starter content has, so a renamed or removed record cannot leave it silently wrong."""
    import re

    from portal.starter_content import CONTENT_DIR

    text = (CONTENT_DIR.parent / "docs" / "starter-content.md").read_text(encoding="utf-8")
    audit = text.split("## Audit:", 1)[1].split("\n## ", 1)[0]
    checker = FidelityChecker()
    known = {"index"} | set(checker.findings) | set(checker.studies)
    known |= {organisation.slug for organisation in checker.organisations}
    known |= {item["slug"] for item in checker._folder("research_questions")}
    for framework in checker._folder("frameworks"):
        known |= {f"{framework['slug']}/{element['code']}" for element in framework["elements"]}
    for path in (CONTENT_DIR / "models").glob("*.yaml"):
        known.add(str((_read(path) or {}).get("key", "index")))
    entries = "\n".join(line for line in audit.splitlines() if line.startswith(("- **", "### ")))
    named = set(re.findall(r"`([^`\s]+)`", entries))
    assert len(named) > 300, "the audit lists the records of every source section"
    assert named <= known, sorted(named - known)
