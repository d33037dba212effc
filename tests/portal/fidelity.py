"""Check the starter content against the five source documents it cites.

Every cited statement in ``content/`` (findings, profile paragraphs, facts and websites,
organisation descriptions and relation notes, studies, frameworks and their elements, model
pages and examples, research questions, the bottom lines of the themes, the framework lens
assessments and the examples on the strength page) is read together with the text of the
source documents it cites. Two rules are checked:

- every number, year and percentage in a statement occurs in a cited document ("1.500" and
  "1500", "15%" and "15 procent", "veertien" and "14" count as the same number), unless the
  statement marks it as a computation or conversion::

      computed:
        - {number: "2023", reason: "De dia dateert het artikel als 06-01-23."}

- every organisation named in a statement occurs in a cited document under one of the
  spellings the content lists for it (``name``, ``full_name`` and ``aliases``).

A statement that cites a study the portal did not learn of through one of the five documents
(an outside source, recorded as a study with its own metadata) is not compared with the seed
texts; its study record must carry a title, a year, an author or publisher and an address.
Editors' notes (``editor_note``) are not statements and are never checked or counted.

The records written for issue 21 get structural checks as well (``check_bottom_lines``,
``check_assessments``, ``check_strength_page``): every theme with findings has a bottom line;
a bottom line counts no lesson for the Netherlands as evidence and is no surer than the
strongest evidence it cites; an assessment belongs to a known framework element and country;
an example on the strength page carries the level it illustrates.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from portal.starter_content import CONTENT_DIR, _read

ROOT = Path(__file__).resolve().parents[2]
SEEDS_DIR = ROOT.parent / "shared" / "seeds"

# The study slug of each source document and the prefix of its file in ../shared/seeds/
# (content/README.md, "Shared keys").
SEED_DOCUMENTS = {
    "euroguidance-verkenning-kennisinfrastructuur": "000",
    "euroguidance-mapping-llo": "001",
    "oecd-2004-bridging-the-gap": "002",
    "noloc-2024-wat-is-goed": "003",
    "elgpn-tools-3-evidence-base": "004",
}

NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
# Spelled-out numbers; "een"/"één" is left out because it is also the article.
NUMBER_WORDS = {
    "twee": 2,
    "drie": 3,
    "vier": 4,
    "vijf": 5,
    "zes": 6,
    "zeven": 7,
    "acht": 8,
    "negen": 9,
    "tien": 10,
    "elf": 11,
    "twaalf": 12,
    "dertien": 13,
    "veertien": 14,
    "vijftien": 15,
    "zestien": 16,
    "zeventien": 17,
    "achttien": 18,
    "negentien": 19,
    "twintig": 20,
    "dertig": 30,
    "veertig": 40,
    "vijftig": 50,
    "zestig": 60,
    "zeventig": 70,
    "tachtig": 80,
    "negentig": 90,
    "honderd": 100,
    "duizend": 1000,
}
OUTSIDE_SOURCE_KEYS = ("title", "year", ("authors", "publisher"), ("url", "doi"))
# The portal's strength scale, strongest first (knowledgebase.models.base.EvidenceStrength).
STRENGTHS = ("strong", "moderate", "limited", "indicative")
ASSESSMENTS = ("present", "partly", "absent")
LESSON_AUTHORS = ("source", "portal")
SUMMARY_CLAIMS = range(3, 7)
ASSESSMENT_REASON_MAX = 200


def number_value(token):
    """The value of a written number: "1.500" and "1500" are 1500, "8,48" and "8.48" are 8.48."""
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", token):
        token = token.replace(".", "")
    token = token.replace(",", ".")
    if token.count(".") > 1:
        return None
    try:
        return Decimal(token).normalize()
    except InvalidOperation:
        return None


def numbers_in(text):
    """Each number in ``text`` once, as ``{value: as written}``: digits and spelled-out numbers.

    A percentage counts by its number, so "15%" and "15 procent" both give 15.
    """
    found = {}
    for token in NUMBER.findall(text):
        value = number_value(token)
        if value is not None:
            found.setdefault(value, token)
    for word in WORD.findall(text):
        value = NUMBER_WORDS.get(word.lower())
        if value is not None:
            found.setdefault(Decimal(value), word)
    return found


def normalise_source(text):
    """Join words that PDF extraction broke across lines, straighten curly apostrophes
    and collapse white space."""
    text = re.sub(r"(\w)-\s*\n\s*(\w)", r"\1\2", text)
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    return re.sub(r"\s+", " ", text)


def _prefixes(documents):
    return ", ".join(SEED_DOCUMENTS[slug] for slug in sorted(set(documents)))


@dataclass
class Statement:
    """One cited text of the content, with the studies it cites."""

    where: str
    text: str
    studies: list
    computed: list = field(default_factory=list)


@dataclass
class Organisation:
    slug: str
    spellings: list
    source: str


class FidelityChecker:
    """Reads ``content_dir`` and the source documents and lists every problem found."""

    def __init__(self, content_dir=CONTENT_DIR, seeds_dir=SEEDS_DIR):
        self.content_dir = Path(content_dir)
        self.seeds_dir = Path(seeds_dir)
        self.problems = []
        self.documents = {}
        for slug, prefix in SEED_DOCUMENTS.items():
            paths = sorted(self.seeds_dir.glob(f"{prefix}_*.txt"))
            if not paths:
                raise FileNotFoundError(f"no source document {prefix}_*.txt in {self.seeds_dir}")
            text = normalise_source(paths[0].read_text(encoding="utf-8", errors="replace"))
            self.documents[slug] = {"text": text, "folded": text.casefold(), "numbers": numbers_in(text)}
        self.studies = {item["slug"]: item for item in self._folder("studies")}
        self.findings = {item["slug"]: item for item in self._folder("findings")}
        self.organisations = [
            Organisation(
                slug=item["slug"],
                spellings=[
                    str(name)
                    for name in [item["name"], item.get("full_name"), *item.get("aliases", [])]
                    if name
                ],
                source=(item.get("source") or {}).get("study", ""),
            )
            for item in self._folder("organisations")
        ]

    # -- reading ---------------------------------------------------------------------------
    def _folder(self, folder):
        items = []
        for path in sorted((self.content_dir / folder).glob("*.yaml")):
            data = _read(path) or []
            items.extend(data if isinstance(data, list) else [data])
        return items

    def _file(self, path):
        return _read(self.content_dir / path)

    def _text(self, *parts):
        return " ".join(str(part).strip() for part in parts if part)

    @staticmethod
    def _cited(source):
        return [source["study"]] if source and source.get("study") else []

    # -- statements ------------------------------------------------------------------------
    def statements(self):
        """Every cited statement of the content, in file order."""
        yield from self._study_statements()
        yield from self._organisation_statements()
        yield from self._finding_statements()
        yield from self._question_statements()
        yield from self._framework_statements()
        yield from self._model_statements()
        yield from self._country_statements()
        yield from self._bottom_line_statements()
        yield from self._assessment_statements()
        yield from self._strength_page_statements()

    def _study_statements(self):
        for slug, item in self.studies.items():
            # A study is read against the document it comes from: itself for the five sources,
            # else the one it was learned of through; an outside source stands for itself.
            cited = [slug] if slug in SEED_DOCUMENTS else self._cited(item.get("source"))
            if not cited:
                cited = [item["cited_by"]] if item.get("cited_by") else [slug]
            yield Statement(
                f"studies: {slug}",
                self._text(
                    item.get("title"), item.get("year"), item.get("summary"), item.get("strength_rationale")
                ),
                cited,
                item.get("computed", []),
            )

    def _organisation_statements(self):
        for item in self._folder("organisations"):
            slug = item["slug"]
            yield Statement(
                f"organisations: {slug} (description)",
                self._text(item.get("full_name"), item.get("description")),
                self._cited(item.get("source")),
                item.get("computed", []),
            )
            for relation in item.get("relations", []):
                if relation.get("note"):
                    yield Statement(
                        f"organisations: {slug} {relation['kind']} {relation['target']} (note)",
                        relation["note"],
                        self._cited(relation.get("source")),
                        relation.get("computed", []),
                    )

    def _finding_statements(self):
        for item in self._folder("findings"):
            yield Statement(
                f"findings: {item['slug']}",
                item["statement"],
                [item["study"]],
                item.get("computed", []),
            )

    def _question_statements(self):
        for item in self._folder("research_questions"):
            # An explanation may draw on the studies the question links to.
            cited = self._cited(item.get("raised_in")) + [link["study"] for link in item.get("studies", [])]
            yield Statement(
                f"research_questions: {item['slug']}",
                self._text(item.get("question"), item.get("explanation")),
                cited,
                item.get("computed", []),
            )

    def _framework_statements(self):
        for item in self._folder("frameworks"):
            slug = item["slug"]
            yield Statement(
                f"frameworks: {slug}",
                self._text(item.get("name"), item.get("description")),
                self._cited(item.get("source")),
                item.get("computed", []),
            )
            for element in item.get("elements", []):
                yield Statement(
                    f"frameworks: {slug}/{element['code']}",
                    self._text(element.get("name"), element.get("description")),
                    self._cited(element.get("source") or item.get("source")),
                    element.get("computed", []),
                )

    def _model_statements(self):
        index = self._file("models/index.yaml")
        rows = [
            self._text(*(row.get(key) for key in ("aspect", "linking-pin", "network", "loose-relations")))
            for row in index.get("comparison", [])
        ]
        yield Statement(
            "models: index",
            self._text(
                index.get("central_question"),
                *index.get("activities", []),
                index.get("derivation"),
                *rows,
                index.get("follow_up_question"),
            ),
            self._cited(index.get("source")),
            index.get("computed", []),
        )
        for path in sorted((self.content_dir / "models").glob("*.yaml")):
            if path.name == "index.yaml":
                continue
            item = _read(path)
            key = item["key"]
            yield Statement(
                f"models: {key}",
                self._text(
                    item.get("summary"),
                    item.get("definition"),
                    *item.get("strengths", []),
                    *item.get("points_of_attention", []),
                ),
                self._cited(item.get("source")),
                item.get("computed", []),
            )
            for example in item.get("examples", []):
                yield Statement(
                    f"models: {key} example '{example['title']}'",
                    self._text(
                        example.get("title"),
                        example.get("description"),
                        example.get("research_commissioning"),
                        example.get("funding"),
                        example.get("reach_practice_policy"),
                    ),
                    self._cited(example.get("source")),
                    example.get("computed", []),
                )

    def _country_statements(self):
        for path in sorted((self.content_dir / "countries").glob("*.yaml")):
            if path.name == "index.yaml":
                continue
            item = _read(path)
            code = str(item["code"])
            profile_studies = []
            for section, paragraphs in (item.get("sections") or {}).items():
                for number, paragraph in enumerate(paragraphs or [], start=1):
                    cited = [source["study"] for source in paragraph.get("sources", [])]
                    profile_studies.extend(cited)
                    yield Statement(
                        f"countries: {code} {section} paragraph {number}",
                        paragraph["text"],
                        cited,
                        paragraph.get("computed", []),
                    )
            for fact in item.get("facts", []):
                cited = self._cited(fact.get("source"))
                profile_studies.extend(cited)
                yield Statement(
                    f"countries: {code} fact {fact['dimension']}",
                    self._text(fact.get("value"), fact.get("detail")),
                    cited,
                    fact.get("computed", []),
                )
            for site in item.get("websites", []):
                cited = self._cited(site.get("source"))
                profile_studies.extend(cited)
                yield Statement(
                    f"countries: {code} website {site['name']}",
                    site.get("description", ""),
                    cited,
                    site.get("computed", []),
                )
            # The summary has no citation of its own: it sums up what the profile cites.
            yield Statement(
                f"countries: {code} summary",
                item.get("summary", ""),
                sorted(set(profile_studies)),
                item.get("computed", []),
            )

    def _claim_studies(self, claim):
        """The studies a claim of a bottom line or the strength page cites: those of its
        findings and those it names with a locator."""
        studies = [
            self.findings[slug]["study"] for slug in claim.get("findings", []) if slug in self.findings
        ]
        return studies + [source["study"] for source in claim.get("sources", []) if source.get("study")]

    def _bottom_lines(self):
        return [
            (path, _read(path) or {}) for path in sorted((self.content_dir / "bottom_lines").glob("*.yaml"))
        ]

    def _bottom_line_statements(self):
        for _path, item in self._bottom_lines():
            theme = item.get("theme", "?")
            all_studies = []
            for number, claim in enumerate(item.get("summary", []), start=1):
                cited = self._claim_studies(claim)
                all_studies.extend(cited)
                yield Statement(
                    f"bottom_lines: {theme} summary {number}",
                    claim.get("text", ""),
                    cited,
                    claim.get("computed", []),
                )
            for number, lesson in enumerate(item.get("lessons", []), start=1):
                cited = self._claim_studies(lesson)
                yield Statement(
                    f"bottom_lines: {theme} lesson {number}",
                    lesson.get("text", ""),
                    cited,
                    lesson.get("computed", []),
                )
            # The reason sums up the evidence of the summary, as a profile's summary does.
            confidence = item.get("confidence") or {}
            yield Statement(
                f"bottom_lines: {theme} confidence",
                confidence.get("reason", ""),
                sorted(set(all_studies)),
                confidence.get("computed", []),
            )

    def _assessment_files(self):
        return [
            (path, _read(path) or {}) for path in sorted((self.content_dir / "assessments").glob("*.yaml"))
        ]

    def _assessment_statements(self):
        for _path, item in self._assessment_files():
            framework = item.get("framework", "?")
            for assessment in item.get("assessments", []):
                yield Statement(
                    f"assessments: {framework} {assessment.get('country')} {assessment.get('element')}",
                    assessment.get("reason", ""),
                    self._cited(assessment.get("source")),
                    assessment.get("computed", []),
                )

    def _strength_page(self):
        path = self.content_dir / "pages" / "bewijskracht.yaml"
        return _read(path) if path.exists() else None

    def _strength_page_statements(self):
        page = self._strength_page() or {}
        for section in page.get("sections", []):
            for example in section.get("examples", []):
                slug = example.get("finding") or example.get("study")
                studies = [self.findings[slug]["study"]] if example.get("finding") in self.findings else []
                if example.get("study"):
                    studies.append(example["study"])
                yield Statement(
                    f"pages/bewijskracht: example '{slug}'",
                    example.get("text", ""),
                    studies,
                    example.get("computed", []),
                )

    # -- checks ----------------------------------------------------------------------------
    def documents_of(self, study_slug, seen=()):
        """The source documents through which the portal knows ``study_slug``.

        ``None`` for an outside source: a study that is neither one of the five documents nor
        learned of through one of them.
        """
        if study_slug in SEED_DOCUMENTS:
            return [study_slug]
        item = self.studies.get(study_slug)
        if item is None or study_slug in seen:
            return None
        via = self._cited(item.get("source")) or ([item["cited_by"]] if item.get("cited_by") else [])
        documents = []
        for slug in via:
            documents.extend(self.documents_of(slug, (*seen, study_slug)) or [])
        return documents or None

    def _outside_source_problems(self, where, study_slug):
        item = self.studies.get(study_slug)
        if item is None:
            return [f"{where}: cites unknown study '{study_slug}'"]
        missing = [
            " or ".join(key) if isinstance(key, tuple) else key
            for key in OUTSIDE_SOURCE_KEYS
            if not any(item.get(k) for k in (key if isinstance(key, tuple) else (key,)))
        ]
        if missing:
            return [
                f"{where}: cites '{study_slug}', which is not one of the five source documents nor "
                f"learned of through one, and lacks {', '.join(missing)}"
            ]
        return []

    def _marker_problems(self, statement, numbers):
        problems, exempt = [], set()
        for marker in statement.computed or []:
            if not isinstance(marker, dict) or not str(marker.get("reason", "")).strip():
                problems.append(f"{statement.where}: a 'computed' marker needs a number and a reason")
                continue
            written = str(marker.get("number", "")).strip()
            value = number_value(written)
            if value is None and written.lower() in NUMBER_WORDS:
                value = Decimal(NUMBER_WORDS[written.lower()])
            if value is None or value not in numbers:
                problems.append(
                    f"{statement.where}: 'computed' names {marker.get('number')!r}, "
                    "which the statement does not contain"
                )
                continue
            exempt.add(value)
        return problems, exempt

    def _mentions(self, organisation, text):
        return any(re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text) for name in organisation.spellings)

    def _named_in(self, organisation, documents):
        return any(
            name.casefold() in self.documents[doc]["folded"]
            for name in organisation.spellings
            for doc in documents
        )

    def check_statement(self, statement):
        problems = []
        documents, outside = [], []
        for slug in statement.studies:
            found = self.documents_of(slug)
            if found is None:
                outside.append(slug)
            else:
                documents.extend(found)
        for slug in outside:
            problems.extend(self._outside_source_problems(statement.where, slug))
        if not documents:
            if not outside:
                problems.append(f"{statement.where}: cites no source")
            return problems
        numbers = numbers_in(statement.text)
        marker_problems, exempt = self._marker_problems(statement, numbers)
        problems.extend(marker_problems)
        missing = [
            written
            for value, written in numbers.items()
            if value not in exempt and not any(value in self.documents[doc]["numbers"] for doc in documents)
        ]
        if missing:
            problems.append(f"{statement.where}: {', '.join(missing)} not in {_prefixes(documents)}")
        unnamed = [
            organisation.spellings[0]
            for organisation in self.organisations
            if self._mentions(organisation, statement.text) and not self._named_in(organisation, documents)
        ]
        if unnamed:
            problems.append(
                f"{statement.where}: names {', '.join(unnamed)}, not in {_prefixes(documents)} "
                "under any listed spelling"
            )
        return problems

    def check_organisation_names(self):
        """Each organisation's own record: one of its spellings is in the document it cites."""
        problems = []
        for organisation in self.organisations:
            documents = self.documents_of(organisation.source) if organisation.source else None
            if documents and not self._named_in(organisation, documents):
                problems.append(
                    f"organisations: {organisation.slug}: neither {' nor '.join(organisation.spellings)} "
                    f"occurs in {_prefixes(documents)}; add the source's spelling to aliases"
                )
        return problems

    def _strength_of(self, claim):
        """The strengths of the evidence a claim cites (findings, and studies named directly)."""
        strengths = [
            self.findings[slug]["strength"] for slug in claim.get("findings", []) if slug in self.findings
        ]
        for source in claim.get("sources", []):
            study = self.studies.get(source.get("study"))
            if study is not None:
                strengths.append(study["strength"])
        return strengths

    def _claim_problems(self, where, claim, *, lessons):
        problems = []
        if not claim.get("findings") and not claim.get("sources"):
            problems.append(f"{where} cites no finding or study")
        for slug in claim.get("findings", []):
            finding = self.findings.get(slug)
            if finding is None:
                problems.append(f"{where} cites unknown finding '{slug}'")
            elif lessons and not finding.get("lesson_for_nl"):
                problems.append(f"{where} is a lesson but cites the finding '{slug}', which is evidence")
            elif not lessons and finding.get("lesson_for_nl"):
                problems.append(f"{where} cites the lesson '{slug}' as evidence")
        for source in claim.get("sources", []):
            if source.get("study") not in self.studies:
                problems.append(f"{where} cites unknown study '{source.get('study')}'")
            elif not str(source.get("locator", "")).strip():
                problems.append(f"{where} cites '{source['study']}' without a locator")
        return problems

    def check_bottom_lines(self):
        """Every theme with findings that are evidence has one bottom line: three to six cited
        claims, a confidence on the scale with its reason, and a review date. Lessons for the
        Netherlands are never evidence, and the confidence is no higher than the strongest
        evidence cited."""
        problems, seen = [], {}
        themes = {item["slug"] for item in _read(self.content_dir / "themes.yaml") or []}
        for path, item in self._bottom_lines():
            theme = item.get("theme")
            where = f"bottom_lines: {theme or path.name}"
            if theme not in themes:
                problems.append(f"{where}: unknown theme '{theme}'")
            elif theme in seen:
                problems.append(f"{where}: a second bottom line (also in {seen[theme]})")
            seen.setdefault(theme, path.name)
            if not hasattr(item.get("last_reviewed"), "isoformat"):
                problems.append(f"{where}: last_reviewed must be a date (YYYY-MM-DD)")
            summary = item.get("summary") or []
            if len(summary) not in SUMMARY_CLAIMS:
                problems.append(f"{where}: the summary has {len(summary)} claims, not 3 to 6")
            strengths = []
            for number, claim in enumerate(summary, start=1):
                problems.extend(self._claim_problems(f"{where}: summary {number}", claim, lessons=False))
                strengths.extend(self._strength_of(claim))
            for number, lesson in enumerate(item.get("lessons") or [], start=1):
                problems.extend(self._claim_problems(f"{where}: lesson {number}", lesson, lessons=True))
                if lesson.get("drawn_by") not in LESSON_AUTHORS:
                    problems.append(f"{where}: lesson {number} needs drawn_by: source or portal")
            confidence = item.get("confidence") or {}
            level = confidence.get("level")
            if level not in STRENGTHS or not str(confidence.get("reason", "")).strip():
                scale = ", ".join(STRENGTHS)
                problems.append(f"{where}: the confidence needs a level on the scale ({scale}) and a reason")
            elif strengths and STRENGTHS.index(level) < min(STRENGTHS.index(s) for s in strengths):
                strongest = STRENGTHS[min(STRENGTHS.index(s) for s in strengths)]
                problems.append(
                    f"{where}: confidence '{level}' is stronger than the strongest evidence it cites "
                    f"('{strongest}')"
                )
        with_evidence = {
            theme
            for finding in self.findings.values()
            if not finding.get("lesson_for_nl")
            for theme in finding.get("themes", [])
        }
        for theme in sorted(with_evidence - set(seen)):
            problems.append(f"bottom_lines: theme '{theme}' has findings but no bottom line")
        return problems

    def _profile_codes(self):
        codes = set()
        for path in (self.content_dir / "countries").glob("*.yaml"):
            if path.name != "index.yaml":
                codes.add(str((_read(path) or {}).get("code")))
        return codes

    def check_assessments(self):
        """Every framework has a lens file; each assessment in it names a known element and
        country profile, says present, partly or absent, gives a one-line reason and cites a
        source; one assessment per cell."""
        problems = []
        elements = {
            f"{item['slug']}/{element['code']}"
            for item in self._folder("frameworks")
            for element in item["elements"]
        }
        frameworks = {item["slug"] for item in self._folder("frameworks")}
        codes = self._profile_codes()
        files = self._assessment_files()
        for slug in sorted(frameworks - {item.get("framework") for _path, item in files}):
            problems.append(f"assessments: the framework '{slug}' has no lens (assessments/{slug}.yaml)")
        for path, item in files:
            framework = item.get("framework")
            if framework not in frameworks:
                problems.append(f"assessments: {path.name}: unknown framework '{framework}'")
            cells = set()
            for assessment in item.get("assessments", []):
                country, element = str(assessment.get("country")), str(assessment.get("element"))
                where = f"assessments: {framework} {country} {element}"
                if f"{framework}/{element}" not in elements:
                    problems.append(f"{where}: unknown element '{framework}/{element}'")
                if country not in codes:
                    problems.append(f"{where}: unknown country '{country}' (no profile)")
                if (country, element) in cells:
                    problems.append(f"{where}: assessed twice")
                cells.add((country, element))
                if assessment.get("assessment") not in ASSESSMENTS:
                    problems.append(
                        f"{where}: '{assessment.get('assessment')}' is not present, partly or absent"
                    )
                reason = str(assessment.get("reason", ""))
                if not reason.strip() or "\n" in reason.strip() or len(reason) > ASSESSMENT_REASON_MAX:
                    problems.append(
                        f"{where}: the reason must be one line of at most {ASSESSMENT_REASON_MAX} characters"
                    )
                source = assessment.get("source") or {}
                if not source.get("study") or not str(source.get("locator", "")).strip():
                    problems.append(f"{where}: cites no source (study and locator)")
        return problems

    def check_strength_page(self):
        """The strength page explains each level with at least one example from the starter
        content that carries that level."""
        page = self._strength_page()
        if page is None:
            return ["pages/bewijskracht: content/pages/bewijskracht.yaml is missing"]
        problems = []
        levels = [section.get("level") for section in page.get("sections", []) if section.get("level")]
        for level in STRENGTHS:
            if level not in levels:
                problems.append(f"pages/bewijskracht: no section explains the level '{level}'")
        for section in page.get("sections", []):
            if not section.get("heading") or not section.get("paragraphs"):
                heading = section.get("heading")
                problems.append(
                    f"pages/bewijskracht: every section needs a heading and paragraphs ({heading!r})"
                )
            level = section.get("level")
            if level and level not in STRENGTHS:
                problems.append(f"pages/bewijskracht: unknown level '{level}'")
            if level and not section.get("examples"):
                problems.append(f"pages/bewijskracht: the level '{level}' has no example")
            for example in section.get("examples", []):
                slug = example.get("finding") or example.get("study")
                record = self.findings.get(slug) if example.get("finding") else self.studies.get(slug)
                if record is None:
                    problems.append(
                        f"pages/bewijskracht: example '{slug}' is not a finding or study of the content"
                    )
                elif level and record["strength"] != level:
                    problems.append(
                        f"pages/bewijskracht: example '{slug}' is {record['strength']}, not {level}"
                    )
        return problems

    def run(self):
        """All problems, one line each."""
        problems = self.check_organisation_names()
        problems.extend(self.check_bottom_lines())
        problems.extend(self.check_assessments())
        problems.extend(self.check_strength_page())
        for statement in self.statements():
            problems.extend(self.check_statement(statement))
        return problems
