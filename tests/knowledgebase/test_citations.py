"""Citation downloads (RIS, BibTeX, CSL-JSON) parse back to the study's metadata."""

import json
from pathlib import Path

import bibtexparser
import jsonschema
import pytest
import rispy
from bibtexparser.middlewares import LatexDecodingMiddleware, SeparateCoAuthors, SplitNameParts
from django.conf import settings
from django.urls import reverse
from pylatexenc.latex2text import LatexNodes2Text

from tests.factories import StudyFactory

pytestmark = pytest.mark.django_db

SPECIAL_TITLE = "Kwaliteit & {borging}: café-onderzoek naar 50% van de #begeleiders_ ~ \\ $5"


@pytest.fixture
def special_study(db):
    return StudyFactory(
        title=SPECIAL_TITLE,
        slug="speciaal",
        year=2019,
        study_type="report",
        publisher="Stichting & Co",
        doi="10.5555/abc_{1}",
        url="https://example.org/a?b=1&c=%20",
        authors=["Müller, É.", "Organisation for Economic Co-operation and Development (OECD)"],
    )


def _get(client, study, fmt):
    return client.get(reverse(f"knowledgebase:study_citation_{fmt}", args=[study.slug]))


def test_ris_download(client, special_study):
    """The RIS download is a RIS attachment with the right title, authors and year."""
    response = _get(client, special_study, "ris")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/x-research-info-systems")
    assert response["Content-Disposition"] == 'attachment; filename="speciaal.ris"'
    (record,) = rispy.loads(response.content.decode())
    assert record["title"] == SPECIAL_TITLE
    assert record["authors"] == [
        "Müller, É.",
        "Organisation for Economic Co-operation and Development (OECD)",
    ]
    assert record["year"] == "2019"
    assert record["type_of_reference"] == "RPRT"
    assert record["doi"] == "10.5555/abc_{1}"


def test_bibtex_download(client, special_study):
    """The BibTeX download parses back, special characters escaped and decoded again."""
    response = _get(client, special_study, "bib")
    assert response["Content-Type"].startswith("application/x-bibtex")
    assert response["Content-Disposition"] == 'attachment; filename="speciaal.bib"'
    text = response.content.decode()
    assert r"Kwaliteit \& \{borging\}" in text and r"50\%" in text
    library = bibtexparser.parse_string(text, append_middleware=[LatexDecodingMiddleware()])
    assert not library.failed_blocks
    (entry,) = library.entries
    assert entry.entry_type == "techreport"
    assert entry["title"] == SPECIAL_TITLE
    assert entry["year"] == "2019"
    names = bibtexparser.parse_string(text, append_middleware=[SeparateCoAuthors()]).entries[0]["author"]
    assert [LatexNodes2Text().latex_to_text(name) for name in names] == [
        "Müller, É.",
        "Organisation for Economic Co-operation and Development (OECD)",
    ]


def test_bibtex_without_decoding_keeps_structure(client, special_study):
    """Without LaTeX decoding the entry still parses into the same fields (no brace leaks)."""
    library = bibtexparser.parse_string(_get(client, special_study, "bib").content.decode())
    assert not library.failed_blocks
    (entry,) = library.entries
    assert set(entry.fields_dict) >= {"title", "author", "year", "institution", "doi", "url", "abstract"}


def test_csl_json_download(client, special_study):
    """CSL-JSON is a list with one item, personal names split and organisations literal."""
    response = _get(client, special_study, "json")
    assert response["Content-Type"].startswith("application/vnd.citationstyles.csl+json")
    assert response["Content-Disposition"] == 'attachment; filename="speciaal.json"'
    (item,) = json.loads(response.content)
    assert item["title"] == SPECIAL_TITLE
    assert item["type"] == "report"
    assert item["author"] == [
        {"family": "Müller", "given": "É."},
        {"literal": "Organisation for Economic Co-operation and Development (OECD)"},
    ]
    assert item["issued"] == {"date-parts": [[2019]]}
    assert item["DOI"] == "10.5555/abc_{1}"
    assert item["URL"] == "https://example.org/a?b=1&c=%20"
    assert item["publisher"] == "Stichting & Co"
    assert item["language"] == "nl"
    assert item["abstract"]


def test_study_without_year_or_authors(client, db):
    """A study without a year or authors still exports valid records."""
    study = StudyFactory(year=None, study_type="presentation", slug="zonder-jaar")
    (record,) = rispy.loads(_get(client, study, "ris").content.decode())
    assert "year" not in record
    (item,) = json.loads(_get(client, study, "json").content)
    assert item["author"] == [] and "issued" not in item and item["type"] == "speech"
    library = bibtexparser.parse_string(_get(client, study, "bib").content.decode())
    assert library.entries[0].entry_type == "misc"


def test_draft_study_has_no_citation(client, db):
    """A draft study cannot be downloaded in any citation format."""
    study = StudyFactory(live=False, slug="concept")
    for fmt in ("ris", "bib", "json"):
        assert _get(client, study, fmt).status_code == 404


def test_latex_escape_covers_every_special_character():
    """Every character with a meaning in LaTeX is written literally in BibTeX."""
    from knowledgebase.exports import latex_escape

    assert latex_escape("a^b") == r"a\textasciicircum{}b"
    assert latex_escape("{}&%$#_~\\") == r"\{\}\&\%\$\#\_\textasciitilde{}\textbackslash{}"
    assert latex_escape("é\x00") == "é"


INJECTED_RIS = "Eerste regel.\nER  - \n\nTY  - JOUR\nTI  - Nagemaakt record\r\nAU  - Niemand\u2028ER  - "


def test_ris_values_cannot_end_the_record_or_start_a_tag(client, db):
    """A summary, title or author name with line breaks followed by RIS tags stays one value of
    one record: a reference manager reads one study, not two."""
    study = StudyFactory(
        slug="ris-injectie",
        title="Titel\nER  - \nTY  - BOOK",
        summary=INJECTED_RIS,
        authors=["Jansen, A.\nER  - ", "De Vries, B."],
    )
    for response in [
        _get(client, study, "ris"),
        client.get(reverse("knowledgebase:study_export_ris")),
    ]:
        records = rispy.loads(response.content.decode())
        assert len(records) == 1
        (record,) = records
        assert record["type_of_reference"] == "RPRT"
        assert record["abstract"].startswith("Eerste regel.")
        assert "Nagemaakt record" in record["abstract"]
        assert record["title"].startswith("Titel")
        # Not a person's name: kept whole as an organisation's, which RIS writes without a comma.
        assert record["authors"] == ["Jansen A. ER -", "De Vries, B."]
        for line in response.content.decode().splitlines():
            assert line == "" or line[2:6] == "  - ", line


@pytest.mark.parametrize(
    "summary",
    [
        'Samenvatting.\n@misc(nep, title = "Nagemaakt")\n',
        "Samenvatting.\n@misc{nep, title = {Nagemaakt}}\n",
        'Samenvatting }\n@comment(weg) @string(x = "y")',
        'Open { zonder sluiten, en } @preamble{"z"}',
    ],
)
def test_bibtex_values_cannot_open_a_new_entry(client, db, summary):
    """Braces, ``@`` and line breaks in a summary or title stay inside their field: the
    download reads back as exactly one entry with its fields, and every field's braces
    balance, as BibTeX itself (which ignores backslashes when it counts braces) needs."""
    study = StudyFactory(slug="bib-injectie", title="Titel } met @misc{x,", summary=summary)
    for response in [
        _get(client, study, "bib"),
        client.get(reverse("knowledgebase:study_export_bib")),
    ]:
        text = response.content.decode()
        library = bibtexparser.parse_string(text)
        assert not library.failed_blocks
        assert not library.strings and not library.preambles
        assert [entry.key for entry in library.entries] == ["bib_injectie"]
        entry = library.entries[0]
        assert set(entry.fields_dict) >= {"title", "abstract", "year", "language"}
        assert "Samenvatting" in entry["abstract"] or "Open" in entry["abstract"]
        for field in entry.fields:
            depth = 0
            for char in field.value:
                depth += {"{": 1, "}": -1}.get(char, 0)
                assert depth >= 0, (field.key, field.value)
            assert depth == 0, (field.key, field.value)


# Round trips ---------------------------------------------------------------------------------

CSL_SCHEMA = Path(settings.BASE_DIR) / "knowledgebase" / "citation_data" / "csl-data.json"


@pytest.fixture
def english_study(db):
    """Two people (one with a Dutch particle), one organisation, a DOI, in English."""
    return StudyFactory(
        title="The Evidence Base on Lifelong Guidance",
        slug="evidence-base",
        year=2014,
        study_type="review",
        language="en",
        publisher="ELGPN",
        doi="10.1234/elgpn.2014",
        authors=[
            {"family_name": "Hooley", "given_names": "Tristram"},
            {"family_name": "Bochove", "particle": "van", "given_names": "P.J."},
            {"organisation": "European Lifelong Guidance Policy Network"},
        ],
    )


def test_ris_round_trip(client, english_study):
    """RIS reads back (rispy) with people as "Family, Given", the organisation without a comma,
    title, year, DOI and the work's own language; the file starts with its TY line."""
    text = _get(client, english_study, "ris").content.decode()
    assert text.startswith("TY  - RPRT")
    (record,) = rispy.loads(text)
    assert record["authors"] == [
        "Hooley, Tristram",
        "van Bochove, P.J.",
        "European Lifelong Guidance Policy Network",
    ]
    assert (record["title"], record["year"], record["doi"], record["language"]) == (
        "The Evidence Base on Lifelong Guidance",
        "2014",
        "10.1234/elgpn.2014",
        "en",
    )


def test_bibtex_round_trip(client, english_study):
    """BibTeX reads back (bibtexparser, names split into their parts): people as First, von,
    Last; the organisation as one Last part in braces; title, year, DOI, language."""
    text = _get(client, english_study, "bib").content.decode()
    library = bibtexparser.parse_string(text, append_middleware=[SeparateCoAuthors(), SplitNameParts()])
    assert not library.failed_blocks
    (entry,) = library.entries
    hooley, bochove, network = entry["author"]
    assert (hooley.first, hooley.von, hooley.last) == (["Tristram"], [], ["Hooley"])
    assert (bochove.first, bochove.von, bochove.last) == (["P.J."], ["van"], ["Bochove"])
    assert (network.first, network.von, network.last) == (
        [],
        [],
        ["{European Lifelong Guidance Policy Network}"],
    )
    assert entry["title"] == "{The Evidence Base on Lifelong Guidance}"
    assert (entry["year"], entry["doi"], entry["language"]) == ("2014", "10.1234/elgpn.2014", "english")


def test_csl_json_round_trip(client, english_study):
    """CSL-JSON is valid against the official csl-data.json schema, with people split
    (family, given, non-dropping-particle), the organisation literal, and the work's language."""
    items = json.loads(_get(client, english_study, "json").content)
    jsonschema.validate(items, json.loads(CSL_SCHEMA.read_text()))
    (item,) = items
    assert item["author"] == [
        {"family": "Hooley", "given": "Tristram"},
        {"family": "Bochove", "given": "P.J.", "non-dropping-particle": "van"},
        {"literal": "European Lifelong Guidance Policy Network"},
    ]
    assert (item["title"], item["issued"], item["DOI"], item["language"]) == (
        "The Evidence Base on Lifelong Guidance",
        {"date-parts": [[2014]]},
        "10.1234/elgpn.2014",
        "en",
    )


def test_result_set_exports_validate(client, english_study, special_study):
    """The CSL-JSON of a result set is valid against the schema; its RIS has no record numbers."""
    items = json.loads(client.get(reverse("knowledgebase:study_export_json")).content)
    jsonschema.validate(items, json.loads(CSL_SCHEMA.read_text()))
    assert len(items) == 2
    ris = client.get(reverse("knowledgebase:study_export_ris")).content.decode()
    assert len(rispy.loads(ris)) == 2
    assert all(line == "" or line[2:6] == "  - " for line in ris.splitlines())


def test_imported_names_are_split_as_reference_managers_do():
    """RIS "Family, Given" is a person and a name without a comma an organisation; BibTeX
    names split into First, von, Last, a name in braces is an organisation."""
    from knowledgebase.names import parse_bibtex_name, parse_ris_name

    assert parse_ris_name("van der Berg, J.").family_name == "Berg"
    assert parse_ris_name("van der Berg, J.").particle == "van der"
    assert parse_ris_name("Tristram Hooley").organisation == "Tristram Hooley"
    tristram = parse_bibtex_name("Tristram Hooley")
    assert (tristram.given_names, tristram.family_name) == ("Tristram", "Hooley")
    assert parse_bibtex_name("{Stichting Loopbaan and Werk}").organisation == "Stichting Loopbaan and Werk"
    assert parse_bibtex_name("P.J. van Bochove").particle == "van"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Hooley, Tristram", ("Hooley", "", "Tristram", "")),
        ("Tristram Hooley", ("Hooley", "", "Tristram", "")),
        ("P.J. van Bochove", ("Bochove", "van", "P.J.", "")),
        ("Vries, B. de", ("Vries", "de", "B.", "")),
        ("OECD", ("", "", "", "OECD")),
        ("European Training Foundation", ("", "", "", "European Training Foundation")),
        ("Skills Development Scotland", ("", "", "", "Skills Development Scotland")),
        ("Schiersmann et al.", ("", "", "", "Schiersmann et al.")),
    ],
)
def test_names_on_one_line_are_split_or_kept_as_organisations(name, expected):
    """Existing names split as people where they clearly are; anything in doubt stays whole."""
    from knowledgebase.names import parse_name

    parsed = parse_name(name)
    assert (parsed.family_name, parsed.particle, parsed.given_names, parsed.organisation) == expected


def test_in_text_citation_in_brackets_has_no_space_before_the_closing_bracket(db):
    """ "(Bron: Titel, § 2)" and not "(Bron: Titel, § 2 )": the citation ends at its last word."""
    from django.template import Context, Template

    study = StudyFactory(title="Loopbaancheques")
    html = Template(
        '{% load i18n %}({% include "includes/citation.html" with study=study locator=locator %})'
    ).render(Context({"study": study, "locator": "§ 2"}))
    assert html.endswith("§ 2</cite>)")


def test_migration_splits_names_in_revisions(db):
    """An editor opening a study with unpublished changes after the upgrade sees its authors
    split: the migration splits the names in the studies' revisions too."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("knowledgebase.migrations.0012_structured_study_authors")
    study = StudyFactory(slug="met-revisie")
    revision = study.save_revision()
    revision.content["authors"] = [{"pk": None, "sort_order": 0, "name": "Hooley, Tristram"}]
    revision.save()
    migration.split_names(apps, None)
    revision.refresh_from_db()
    (author,) = revision.content["authors"]
    assert (author["family_name"], author["given_names"], author["organisation"]) == (
        "Hooley",
        "Tristram",
        "",
    )
    assert author["name"] == "Hooley, Tristram"
    assert study.get_latest_revision_as_object().authors.all()[0].to_csl() == {
        "family": "Hooley",
        "given": "Tristram",
    }
