"""Load the starter content in ``content/`` (YAML, one folder per content type).

The loader is idempotent: every item it applies is recorded in ``StarterContentRecord`` with
the hash of its data. A second run skips unchanged items, updates the ones whose data
changed, and never touches a record with the same slug that staff created themselves.
All of a run happens in one transaction: a data error leaves the database as it was.
"""

import hashlib
import html
import json
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from countries.models import CountryFact, CountryIndexPage, CountryPage, CountryWebsite, Dimension
from kit.translations import source_language_filter
from knowledgebase.codes import COUNTRY_NAMES
from knowledgebase.models import (
    BottomLine,
    Finding,
    Framework,
    FrameworkAssessment,
    FrameworkElement,
    Method,
    Organisation,
    OrganisationRelation,
    ResearchQuestion,
    ResearchQuestionStudy,
    Study,
    StudyAuthor,
    Theme,
)
from knowledgebase.signals import one_new_version
from models_infra.models import InfrastructureModelIndexPage, InfrastructureModelPage, ModelExample
from search.models import SynonymSet
from search.synonyms import clean_entries

from .models import ContentPage, HomePage, StarterContentRecord

CONTENT_DIR = Path(settings.BASE_DIR) / "content"

METHOD_NAMES = {
    "desk_research": "Deskresearch",
    "interviews": "Interviews",
    "expert_meeting": "Expertmeeting",
    "survey": "Enquête",
    "country_reviews": "Landenreviews",
    "literature_review": "Literatuurstudie",
    "case_study": "Casestudy",
    "evaluation": "Evaluatie",
    "statistics": "Statistische analyse",
}
MODEL_FIELD_KEYS = {"linking-pin": "linking_pin", "network": "network", "loose-relations": "loose_relations"}


class StarterContentError(Exception):
    """The data files are inconsistent; the message lists every problem found."""


class _YamlLoader(yaml.SafeLoader):
    """YAML 1.2 booleans: only true/false, so the country code NO stays a string."""


_YamlLoader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_YamlLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    __import__("re").compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)


def _read(path):
    with path.open(encoding="utf-8") as handle:
        return yaml.load(handle, Loader=_YamlLoader)  # noqa: S506 (a SafeLoader subclass)


def _read_folder(folder):
    """All items of the list files in ``folder``, in file-name order."""
    items = []
    for path in sorted((CONTENT_DIR / folder).glob("*.yaml")):
        data = _read(path) or []
        items.extend(data if isinstance(data, list) else [data])
    return items


def _digest(data):
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def content_digest():
    """Hash of every data file: an unchanged tree means nothing to do."""
    digest = hashlib.sha256()
    for path in sorted(CONTENT_DIR.rglob("*.yaml")):
        digest.update(str(path.relative_to(CONTENT_DIR)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _paragraph(text):
    paragraphs = [part.strip() for part in str(text).split("\n\n") if part.strip()]
    return "".join(f"<p>{html.escape(part)}</p>" for part in paragraphs)


@dataclass
class LoadReport:
    created: dict = field(default_factory=dict)
    updated: dict = field(default_factory=dict)
    unchanged: dict = field(default_factory=dict)
    skipped_not_owned: list = field(default_factory=list)
    up_to_date: bool = False

    def count(self, bucket, kind):
        target = getattr(self, bucket)
        target[kind] = target.get(kind, 0) + 1


class _Loader:
    def __init__(self):
        self.report = LoadReport()
        self.errors = []
        self.studies = {}
        self.themes = {}
        self.methods = {}
        self.organisations = {}
        self.dimensions = {}
        self.elements = {}
        self.countries = {}
        self.models = {}

    # -- ownership ---------------------------------------------------------------------
    def _claim(self, kind, key, data, model, lookup):
        """Return (object or None, state): state is 'create', 'update', 'unchanged' or 'foreign'."""
        record = StarterContentRecord.objects.filter(kind=kind, key=key).first()
        digest = _digest(data)
        if record is not None:
            obj = model.objects.filter(pk=record.object_id).first()
            if obj is not None:
                return obj, ("unchanged" if record.content_hash == digest else "update")
            record.delete()
        existing = model.objects.filter(**lookup).first()
        if existing is not None:
            self.report.skipped_not_owned.append(f"{kind}:{key}")
            return existing, "foreign"
        return None, "create"

    def _record(self, kind, key, data, obj, state):
        StarterContentRecord.objects.update_or_create(
            kind=kind, key=key, defaults={"object_id": obj.pk, "content_hash": _digest(data)}
        )
        self.report.count("created" if state == "create" else "updated", kind)

    # -- references ----------------------------------------------------------------------
    def _ref(self, mapping, key, where, what):
        if key in mapping:
            return mapping[key]
        self.errors.append(f"{where}: unknown {what} '{key}'")
        return None

    def _refs(self, mapping, keys, where, what):
        return [obj for key in keys or [] if (obj := self._ref(mapping, key, where, what)) is not None]

    def _country_refs(self, codes, where):
        """Country pages for ``codes``; a known code without a profile (say DK) links nothing."""
        known = [
            str(code) for code in codes or [] if str(code) not in COUNTRY_NAMES or str(code) in self.countries
        ]
        for code in codes or []:
            if str(code) not in COUNTRY_NAMES:
                self.errors.append(f"{where}: unknown country code '{code}'")
        return [self.countries[code] for code in known if code in self.countries]

    def _citation(self, source, where):
        if not source:
            return None, ""
        return self._ref(self.studies, source.get("study"), where, "study"), str(source.get("locator", ""))[
            :200
        ]

    def _stream_sources(self, sources, where):
        result = []
        for source in sources or []:
            study, locator = self._citation(source, where)
            if study is not None:
                result.append({"study": study.pk, "locator": locator})
        return result

    def _cited_paragraphs(self, items, where):
        return [
            {
                "type": "paragraph",
                "value": {
                    "text": _paragraph(item["text"]),
                    "sources": self._stream_sources(item.get("sources"), where),
                },
            }
            for item in items or []
        ]

    def _points(self, texts, source, where):
        sources = self._stream_sources([source] if source else [], where)
        return [{"type": "point", "value": {"text": str(text), "sources": sources}} for text in texts or []]

    # -- content types -------------------------------------------------------------------
    def load_themes(self):
        items = _read(CONTENT_DIR / "themes.yaml")
        for item in items:
            obj, state = self._claim("theme", item["slug"], item, Theme, {"slug": item["slug"]})
            if state in {"create", "update"}:
                obj = obj or Theme(slug=item["slug"])
                obj.name, obj.description = item["name"], item["description"]
                obj.full_clean(exclude=["related"])
                obj.save()
                self._record("theme", item["slug"], item, obj, state)
            self.themes[item["slug"]] = obj
        for item in items:
            theme = self.themes[item["slug"]]
            if StarterContentRecord.objects.filter(kind="theme", key=item["slug"]).exists():
                theme.related.add(
                    *self._refs(self.themes, item.get("related"), f"theme {item['slug']}", "theme")
                )
                theme.save()
                # Published as a reviewed record, with a revision the admin shows as live.
                theme.save_revision().publish()

    def load_methods(self, studies):
        slugs = sorted({method for item in studies for method in item.get("methods", [])})
        for slug in slugs:
            name = METHOD_NAMES.get(slug)
            if name is None:
                self.errors.append(f"study methods: unknown method '{slug}'")
                continue
            obj, _ = Method.objects.get_or_create(slug=slug, defaults={"name": name})
            self.methods[slug] = obj

    def load_dimensions(self):
        for index, item in enumerate(_read(CONTENT_DIR / "dimensions.yaml")):
            obj, state = self._claim("dimension", item["slug"], item, Dimension, {"slug": item["slug"]})
            if state in {"create", "update"}:
                obj = obj or Dimension(slug=item["slug"])
                obj.name, obj.section = item["name"], item["section"]
                obj.description, obj.sort_order = item.get("description", ""), index
                obj.full_clean()
                obj.save()
                obj.themes.set(
                    self._refs(self.themes, item.get("themes"), f"dimension {item['slug']}", "theme")
                )
                self._record("dimension", item["slug"], item, obj, state)
            self.dimensions[item["slug"]] = obj

    def load_studies_first_pass(self, items):
        """Create or update the studies' own fields, so that pages can cite them."""
        self._study_states = {}
        for item in items:
            slug = item["slug"]
            obj, state = self._claim("study", slug, item, Study, {"slug": slug})
            self._study_states[slug] = state
            if state in {"create", "update"}:
                obj = obj or Study(slug=slug)
                obj.title = item["title"]
                obj.year = item.get("year")
                obj.study_type = item.get("type", "other")
                obj.language = item.get("language", "nl")
                obj.publisher = item.get("publisher", "")
                obj.summary = str(item["summary"]).strip()
                obj.url = item.get("url", "")
                obj.doi = item.get("doi", "")
                obj.strength = item["strength"]
                obj.strength_rationale = str(item.get("strength_rationale", "")).strip()
                obj.live = True
                obj.full_clean(exclude=["cited_by", "source_study", "document"])
                obj.save()
                authors = (self._author(a, i, f"study {slug}") for i, a in enumerate(item.get("authors", [])))
                obj.authors = [author for author in authors if author]
                obj.methods = [self.methods[m] for m in item.get("methods", []) if m in self.methods]
                obj.themes = self._refs(self.themes, item.get("themes"), f"study {slug}", "theme")
                obj.save()
            self.studies[slug] = obj

    def _author(self, author, order, where):
        """A ``StudyAuthor`` from ``{given, particle, family}`` or ``{organisation}``."""
        if not isinstance(author, dict) or not (author.get("family") or author.get("organisation")):
            self.errors.append(f"{where}: an author needs 'family' (a person) or 'organisation': {author!r}")
            return None
        parts = {
            "family_name": str(author.get("family", "")),
            "particle": str(author.get("particle", "")),
            "given_names": str(author.get("given", "")),
            "organisation": str(author.get("organisation", "")),
        }
        study_author = StudyAuthor(**parts, sort_order=order)
        study_author.clean()
        return study_author

    def load_studies_second_pass(self, items):
        """Link studies to pages and to each other, then publish a revision."""
        for item in items:
            slug = item["slug"]
            state = self._study_states[slug]
            if state not in {"create", "update"}:
                continue
            obj = self.studies[slug]
            where = f"study {slug}"
            obj.countries = self._country_refs(item.get("countries"), where)
            obj.infrastructure_models = self._refs(self.models, item.get("models"), where, "model")
            obj.cited_by = (
                self._ref(self.studies, item["cited_by"], where, "study") if item.get("cited_by") else None
            )
            obj.source_study, obj.source_locator = self._citation(item.get("source"), where)
            obj.save()
            obj.save_revision().publish()
            self._record("study", slug, item, obj, state)

    def load_organisations(self):
        items = _read_folder("organisations")
        states = {}
        for item in items:
            slug = item["slug"]
            obj, state = self._claim("organisation", slug, item, Organisation, {"slug": slug})
            states[slug] = state
            if state in {"create", "update"}:
                country = item.get("country", "")
                if country and country not in COUNTRY_NAMES:
                    self.errors.append(f"organisation {slug}: unknown country '{country}'")
                    country = ""
                obj = obj or Organisation(slug=slug)
                obj.name, obj.full_name = item["name"], item.get("full_name", "")
                obj.kind, obj.country_code = item["kind"], country
                obj.website = item.get("website", "")
                obj.description = str(item.get("description", "")).strip()
                obj.editor_note = str(item.get("editor_note", "")).strip()
                obj.source_study, obj.source_locator = self._citation(
                    item.get("source"), f"organisation {slug}"
                )
                obj.full_clean()
                obj.save()
            self.organisations[slug] = obj
        for item in items:
            slug = item["slug"]
            state = states[slug]
            if state not in {"create", "update"}:
                continue
            obj = self.organisations[slug]
            relations = []
            for index, rel in enumerate(item.get("relations", [])):
                target = self._ref(self.organisations, rel["target"], f"organisation {slug}", "organisation")
                if target is None:
                    continue
                study, locator = self._citation(rel.get("source"), f"organisation {slug}")
                relations.append(
                    OrganisationRelation(
                        kind=rel["kind"],
                        target=target,
                        note=rel.get("note", "")[:300],
                        source_study=study,
                        source_locator=locator,
                        sort_order=index,
                    )
                )
            obj.relations = relations
            obj.save()
            obj.save_revision().publish()
            self._record("organisation", slug, item, obj, state)

    def load_frameworks(self):
        for item in _read_folder("frameworks"):
            slug = item["slug"]
            obj, state = self._claim("framework", slug, item, Framework, {"slug": slug})
            if state in {"create", "update"}:
                obj = obj or Framework(slug=slug)
                obj.name = item["name"]
                obj.description = str(item.get("description", "")).strip()
                obj.source_study, obj.source_locator = self._citation(item.get("source"), f"framework {slug}")
                # An element keeps its row (and so its assessments and findings) by its code.
                existing = {element.code: element for element in obj.elements.all()} if obj.pk else {}
                elements = []
                for index, element in enumerate(item.get("elements", [])):
                    study, locator = self._citation(
                        element.get("source") or item.get("source"), f"framework {slug}"
                    )
                    row = existing.get(str(element["code"])) or FrameworkElement(code=str(element["code"]))
                    row.name = element["name"]
                    row.description = str(element.get("description", "")).strip()
                    row.source_study, row.source_locator, row.sort_order = study, locator, index
                    elements.append(row)
                for element in elements:
                    element.full_clean(exclude=["framework"])
                obj.elements = elements
                obj.live = True
                obj.save()
                obj.save_revision().publish()
                self._record("framework", slug, item, obj, state)
            for element in obj.elements.all():
                self.elements[f"{slug}/{element.code}"] = element

    def load_assessments(self):
        """The framework lens: one assessment per element and country that a source supports."""
        items = [
            {"framework": lens["framework"], **cell}
            for lens in _read_folder("assessments")
            for cell in lens.get("assessments", [])
        ]
        for item in items:
            framework = item["framework"]
            where = f"assessment {framework}/{item['element']}/{item['country']}"
            key = f"{framework}/{item['element']}/{item['country']}"
            element = self._ref(self.elements, f"{framework}/{item['element']}", where, "framework element")
            countries = self._country_refs([item["country"]], where)
            if element is None or not countries:
                if element is not None:
                    self.errors.append(f"{where}: no country profile for '{item['country']}'")
                continue
            obj, state = self._claim(
                "assessment", key, item, FrameworkAssessment, {"element": element, "country": countries[0]}
            )
            if state not in {"create", "update"}:
                continue
            obj = obj or FrameworkAssessment(element=element, country=countries[0])
            obj.assessment = item["assessment"]
            obj.reason = str(item["reason"]).strip()
            obj.source_study, obj.source_locator = self._citation(item.get("source"), where)
            obj.live = True
            obj.full_clean()
            obj.save()
            obj.save_revision().publish()
            self._record("assessment", key, item, obj, state)

    def load_model_index(self):
        item = _read(CONTENT_DIR / "models" / "index.yaml")
        page = source_language_filter(InfrastructureModelIndexPage.objects.all()).get()
        _obj, state = self._claim("model-index", "index", item, InfrastructureModelIndexPage, {"pk": -1})
        if state in {"create", "update"}:
            where = "models/index"
            sources = [item["source"]] if item.get("source") else []
            page.title = item.get("title", page.title)
            page.intro = str(item.get("intro", "")).strip()
            page.central_question = self._cited_paragraphs(
                [{"text": item["central_question"], "sources": sources}], where
            )
            page.activities = self._points(item.get("activities"), item.get("source"), where)
            page.derivation = self._cited_paragraphs(
                [{"text": item["derivation"], "sources": sources}], where
            )
            page.comparison = [
                {
                    "type": "row",
                    "value": {
                        "aspect": row["aspect"],
                        **{MODEL_FIELD_KEYS[key]: str(row.get(key, "")) for key in MODEL_FIELD_KEYS},
                        "sources": self._stream_sources(sources, where),
                    },
                }
                for row in item.get("comparison", [])
            ]
            page.follow_up_question = self._cited_paragraphs(
                [{"text": item["follow_up_question"], "sources": sources}], where
            )
            page.save_revision().publish()
            self._record("model-index", "index", item, page, state)
        return page

    def load_models(self, index):
        self._model_items = {}
        for path in sorted((CONTENT_DIR / "models").glob("*.yaml")):
            if path.name == "index.yaml":
                continue
            item = _read(path)
            key = item["key"]
            self._model_items[key] = item
            obj, state = self._claim("model", key, item, InfrastructureModelPage, {"key": key})
            if state in {"create", "update"}:
                where = f"model {key}"
                page = obj or InfrastructureModelPage(key=key, slug=key)
                page.title = item["title"]
                page.summary = str(item["summary"]).strip()
                page.definition = _paragraph(item["definition"])
                page.strengths = self._points(item.get("strengths"), item.get("source"), where)
                page.points_of_attention = self._points(
                    item.get("points_of_attention"), item.get("source"), where
                )
                if page.pk is None:
                    index.add_child(instance=page)
                page.save_revision().publish()
                obj = InfrastructureModelPage.objects.get(pk=page.pk)
                self._model_states = {**getattr(self, "_model_states", {}), key: state}
            self.models[key] = obj

    def load_model_examples(self):
        for key, item in self._model_items.items():
            state = getattr(self, "_model_states", {}).get(key)
            if state not in {"create", "update"}:
                continue
            page = InfrastructureModelPage.objects.get(pk=self.models[key].pk)
            where = f"model {key}"
            examples = []
            for index, example in enumerate(item.get("examples", [])):
                study, locator = self._citation(example.get("source"), where)
                country = (
                    self._ref(self.countries, example["country"], where, "country")
                    if example.get("country")
                    else None
                )
                instance = ModelExample(
                    title=example["title"],
                    country=country,
                    description=str(example.get("description", "")).strip(),
                    research_commissioning=str(example.get("research_commissioning", "")).strip(),
                    funding=str(example.get("funding", "")).strip(),
                    reach_practice_policy=str(example.get("reach_practice_policy", "")).strip(),
                    source_study=study,
                    source_locator=locator,
                    sort_order=index,
                )
                instance.organisations = self._refs(
                    self.organisations, example.get("organisations"), where, "organisation"
                )
                examples.append(instance)
            page.examples = examples
            page.save_revision().publish()
            self._record("model", key, item, page, state)

    def load_countries(self):
        index = source_language_filter(CountryIndexPage.objects.all()).get()
        index_item = _read(CONTENT_DIR / "countries" / "index.yaml")
        _obj, state = self._claim("country-index", "index", index_item, CountryIndexPage, {"pk": -1})
        if state in {"create", "update"}:
            index.title = index_item.get("title", index.title)
            index.intro = _paragraph(index_item.get("intro", ""))
            index.save_revision().publish()
            self._record("country-index", "index", index_item, index, state)

        for path in sorted((CONTENT_DIR / "countries").glob("*.yaml")):
            if path.name == "index.yaml":
                continue
            item = _read(path)
            code = str(item["code"])
            where = f"country {code}"
            if code not in COUNTRY_NAMES:
                self.errors.append(f"{where}: unknown country code")
                continue
            obj, state = self._claim("country", code, item, CountryPage, {"code": code})
            if state in {"create", "update"}:
                page = obj or CountryPage(code=code, slug=str(item.get("slug", code.lower())))
                page.title = item.get("name", COUNTRY_NAMES[code])
                page.summary = str(item["summary"]).strip()
                page.last_verified = item.get("last_verified")
                page.infrastructure_model = (
                    self._ref(self.models, item["model"], where, "model") if item.get("model") else None
                )
                for section, paragraphs in (item.get("sections") or {}).items():
                    if not hasattr(CountryPage, section) or section not in {
                        f.name for f in CountryPage._meta.fields
                    }:
                        self.errors.append(f"{where}: unknown section '{section}'")
                        continue
                    setattr(page, section, self._cited_paragraphs(paragraphs, f"{where} {section}"))
                facts = []
                for index_, fact in enumerate(item.get("facts", [])):
                    dimension = self._ref(self.dimensions, fact["dimension"], where, "dimension")
                    if dimension is None:
                        continue
                    study, locator = self._citation(fact.get("source"), where)
                    facts.append(
                        CountryFact(
                            dimension=dimension,
                            value=str(fact["value"])[:80],
                            detail=str(fact.get("detail", "")).strip(),
                            source_study=study,
                            source_locator=locator,
                            sort_order=index_,
                        )
                    )
                page.facts = facts
                websites = []
                for index_, site in enumerate(item.get("websites", [])):
                    study, locator = self._citation(site.get("source"), where)
                    websites.append(
                        CountryWebsite(
                            name=site["name"],
                            url=site["url"],
                            description=str(site.get("description", "")).strip(),
                            source_study=study,
                            source_locator=locator,
                            sort_order=index_,
                        )
                    )
                page.websites = websites
                if page.pk is None:
                    index.add_child(instance=page)
                page.save_revision().publish()
                obj = CountryPage.objects.get(pk=page.pk)
                self._record("country", code, item, obj, state)
            self.countries[code] = obj

    def load_findings(self):
        for item in _read_folder("findings"):
            slug = item["slug"]
            obj, state = self._claim("finding", slug, item, Finding, {"slug": slug})
            if state not in {"create", "update"}:
                continue
            where = f"finding {slug}"
            study = self._ref(self.studies, item["study"], where, "study")
            if study is None:
                continue
            obj = obj or Finding(slug=slug)
            obj.statement = str(item["statement"]).strip()
            obj.study = study
            obj.locator = str(item.get("locator", ""))[:200]
            obj.strength = item["strength"]
            obj.lesson_for_nl = bool(item.get("lesson_for_nl", False))
            obj.live = True
            obj.full_clean(exclude=["themes", "countries", "framework_elements"])
            obj.themes = self._refs(self.themes, item.get("themes"), where, "theme")
            obj.countries = self._country_refs(item.get("countries"), where)
            obj.framework_elements = self._refs(
                self.elements, item.get("framework_elements"), where, "framework element"
            )
            obj.save()
            obj.save_revision().publish()
            self._record("finding", slug, item, obj, state)

    def load_questions(self):
        for item in _read_folder("research_questions"):
            slug = item["slug"]
            obj, state = self._claim("question", slug, item, ResearchQuestion, {"import_key": slug})
            if state not in {"create", "update"}:
                continue
            where = f"research question {slug}"
            obj = obj or ResearchQuestion(import_key=slug)
            obj.question = str(item["question"]).strip()
            obj.explanation = str(item.get("explanation", "")).strip()
            obj.status = item.get("status", "open")
            obj.owner = str(item.get("owner", ""))[:200]
            obj.raised_by = (
                self._ref(self.organisations, item["raised_by"], where, "organisation")
                if item.get("raised_by")
                else None
            )
            obj.source_study, obj.source_locator = self._citation(item.get("raised_in"), where)
            obj.live = True
            obj.full_clean(exclude=["themes", "countries"])
            obj.themes = self._refs(self.themes, item.get("themes"), where, "theme")
            obj.countries = self._country_refs(item.get("countries"), where)
            links = []
            for index, link in enumerate(item.get("studies", [])):
                study = self._ref(self.studies, link["study"], where, "study")
                if study is not None:
                    links.append(
                        ResearchQuestionStudy(
                            study=study, kind=link.get("kind", "addresses"), sort_order=index
                        )
                    )
            obj.study_links = links
            obj.save()
            obj.save_revision().publish()
            self._record("question", slug, item, obj, state)

    def _claims(self, items, where, lessons):
        """Stream data of a bottom line's claims (or lessons): text, cited findings, sources.
        A claim cites findings of studies only, a lesson only lessons for the Netherlands."""
        slugs = {slug for item in items or [] for slug in item.get("findings") or []}
        findings = {finding.slug: finding for finding in Finding.objects.filter(slug__in=slugs)}
        blocks = []
        for item in items or []:
            cited = []
            for slug in item.get("findings") or []:
                finding = findings.get(slug)
                if finding is None:
                    self.errors.append(f"{where}: unknown finding '{slug}'")
                elif finding.lesson_for_nl != lessons:
                    kind = "a lesson" if lessons else "evidence"
                    self.errors.append(f"{where}: finding '{slug}' cited as {kind}")
                else:
                    cited.append(finding.pk)
            sources = self._stream_sources(item.get("sources"), where)
            if not cited and not sources:
                self.errors.append(f"{where}: a claim without findings or sources")
            value = {"text": _paragraph(item["text"]), "findings": cited, "sources": sources}
            if lessons:
                value["drawn_by"] = item.get("drawn_by", "portal")
            blocks.append({"type": "lesson" if lessons else "claim", "value": value})
        return blocks

    def load_bottom_lines(self):
        """The bottom line ("Wat we weten") of each theme with findings."""
        for path in sorted((CONTENT_DIR / "bottom_lines").glob("*.yaml")):
            item = _read(path)
            slug = item["theme"]
            where = f"bottom line {slug}"
            theme = self._ref(self.themes, slug, where, "theme")
            if theme is None:
                continue
            obj, state = self._claim("bottom-line", slug, item, BottomLine, {"theme": theme})
            if state not in {"create", "update"}:
                continue
            obj = obj or BottomLine(theme=theme)
            obj.summary = self._claims(item.get("summary"), where, lessons=False)
            obj.lessons = self._claims(item.get("lessons"), where, lessons=True)
            confidence = item.get("confidence") or {}
            obj.confidence = confidence.get("level", "")
            obj.confidence_reason = str(confidence.get("reason", "")).strip()
            obj.last_reviewed = item["last_reviewed"]
            obj.live = True
            obj.full_clean()
            obj.save()
            obj.save_revision().publish()
            self._record("bottom-line", slug, item, obj, state)

    def load_strength_page(self):
        """The page /bewijskracht/ (content/pages/bewijskracht.yaml): a content page under the
        home page, each section an h2 (a level's section is what the strength badges link to)
        with its paragraphs and its examples, linked to their records."""
        item = _read(CONTENT_DIR / "pages" / "bewijskracht.yaml")
        home = source_language_filter(HomePage.objects.all()).get()
        slug = item["slug"]
        existing = home.get_children().filter(slug=slug).first()
        lookup = {"pk": existing.pk} if existing is not None else {"pk": -1}
        obj, state = self._claim("page", slug, item, ContentPage, lookup)
        if state not in {"create", "update"}:
            return
        where = f"page {slug}"
        body = []
        for section in item.get("sections", []):
            body.append(f"<h2>{html.escape(section['heading'])}</h2>")
            body.extend(_paragraph(paragraph) for paragraph in section.get("paragraphs", []))
            examples = []
            for example in section.get("examples", []):
                if example.get("finding"):
                    record = Finding.objects.filter(slug=example["finding"]).first()
                    label = record.statement if record else ""
                else:
                    record = self.studies.get(example.get("study"))
                    label = record.title if record else ""
                if record is None:
                    self.errors.append(f"{where}: unknown example {example}")
                    continue
                examples.append(
                    f'<li><a href="{html.escape(record.get_absolute_url())}">{html.escape(label)}</a> '
                    f"{html.escape(str(example['text']).strip())}</li>"
                )
            if examples:
                body.append("<h3>Voorbeelden uit het portaal</h3><ul>" + "".join(examples) + "</ul>")
        page = obj or ContentPage(slug=slug)
        page.title = item["title"]
        page.intro = str(item.get("intro", "")).strip()
        page.body = "".join(body)
        if page.pk is None:
            home.add_child(instance=page)
        page.save_revision().publish()
        self._record("page", slug, item, page, state)

    def load_synonyms(self):
        """The search's synonym sets (``synonyms.yaml``), each known by its entries: a set staff
        created with the same entries (in any order or case) is left alone."""
        for index, item in enumerate(_read(CONTENT_DIR / "synonyms.yaml") or []):
            where = f"synonyms.yaml item {index + 1}"
            try:
                entries = clean_entries(str(item["terms"]))
            except ValidationError as error:
                self.errors.extend(f"{where}: {message}" for message in error.messages)
                continue
            terms = ", ".join(entries)
            if len(terms) > 200:  # the key of its StarterContentRecord
                self.errors.append(f"{where}: more than 200 characters of terms; split the set")
                continue
            same = sorted(entry.casefold() for entry in entries)
            existing = [
                synonym_set.pk
                for synonym_set in SynonymSet.objects.all()
                if sorted(entry.casefold() for entry in synonym_set.entries()) == same
            ]
            obj, state = self._claim("synonym-set", terms, item, SynonymSet, {"pk__in": existing})
            if state not in {"create", "update"}:
                continue
            obj = obj or SynonymSet()
            obj.terms, obj.note = terms, str(item.get("note", "")).strip()
            try:
                obj.full_clean()
            except ValidationError as error:
                self.errors.append(f"{where}: {'; '.join(error.messages)}")
                continue
            obj.save()
            self._record("synonym-set", terms, item, obj, state)

    def run(self):
        studies = _read_folder("studies")
        self.load_themes()
        self.load_methods(studies)
        self.load_dimensions()
        self.load_studies_first_pass(studies)
        self.load_organisations()
        self.load_frameworks()
        model_index = self.load_model_index()
        self.load_models(model_index)
        self.load_countries()
        self.load_model_examples()
        self.load_studies_second_pass(studies)
        self.load_findings()
        self.load_questions()
        self.load_assessments()
        self.load_bottom_lines()
        self.load_strength_page()
        self.load_synonyms()
        if self.errors:
            raise StarterContentError("\n".join(sorted(set(self.errors))))
        return self.report


def starter_content_load(*, force=False):
    """Load or update the starter content. Returns a ``LoadReport``.

    Without ``force``, a content tree identical to the one last loaded is not read again.
    """
    digest = content_digest()
    stamp = StarterContentRecord.objects.filter(kind="__tree__", key="content").first()
    if stamp is not None and stamp.content_hash == digest and not force:
        return LoadReport(up_to_date=True)
    # One new content version for the whole load, not one per record saved.
    with one_new_version(), transaction.atomic():
        report = _Loader().run()
        StarterContentRecord.objects.update_or_create(
            kind="__tree__", key="content", defaults={"content_hash": digest, "object_id": None}
        )
    return report
