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
    assert FidelityChecker(content_dir=content_copy).run() == []
