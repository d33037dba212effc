"""Non-trivial reads for the knowledge-base pages.

Every function here returns only what the public may see: live studies, findings, research
questions, themes and organisations, and live, unrestricted country and model pages. Related lists are
filtered the same way, so a finding of a draft study or a draft study linked to a live
question never shows.
"""

import html
from dataclasses import dataclass

from django.db.models import Case, Count, IntegerField, Prefetch, Q, Value, When
from django.utils.html import strip_tags
from wagtail.models import Page

from kit.translations import public_pages

from . import exports, references, tallies
from .content_cache import cached
from .models import (
    BottomLine,
    EvidenceStrength,
    Finding,
    Framework,
    FrameworkAssessment,
    FrameworkElement,
    Organisation,
    OrganisationRelation,
    ResearchQuestion,
    ResearchQuestionStudy,
    Study,
    Theme,
)
from .models.questions import QuestionStatus

# How many items a theme, country or model page shows per list before it links to the full,
# filtered list.
PREVIEW_LIMIT = 25

OPEN_STATUSES = [QuestionStatus.OPEN, QuestionStatus.IN_PROGRESS]
# The order of a page's short list of studies.
NEWEST = ["-year", "title", "pk"]


def _linked_page_model(name):
    """The page model a study links to through its relation ``name``. The knowledge base sits
    below the page apps and names their models only as strings, as its relations do
    ("countries.CountryPage"); Django resolves them once the apps are loaded."""
    return Study._meta.get_field(name).related_model


def public_countries():
    """Country profiles the public may see (the Dutch ones: see kit.translations). The one
    definition: the country pages' own selectors start from it."""
    return public_pages(_linked_page_model("countries").objects.all())


def public_models():
    """Infrastructure model pages the public may see (the Dutch ones)."""
    return public_pages(_linked_page_model("infrastructure_models").objects.all())


def public_themes():
    """Themes the public may see."""
    return Theme.objects.published()


def public_organisations():
    """Organisations the public may see."""
    return Organisation.objects.published()


def public_relations():
    """Relations between two public organisations."""
    return OrganisationRelation.objects.filter(organisation__live=True, target__live=True)


def published_findings():
    """Live findings of live studies."""
    return Finding.objects.published().filter(study__live=True)


def strength_rank():
    """An expression ranking evidence strength from strong (0) to indicative (3)."""
    return Case(
        *[When(strength=value, then=Value(rank)) for rank, value in enumerate(EvidenceStrength.values)],
        default=Value(len(EvidenceStrength.values)),
        output_field=IntegerField(),
    )


def open_questions():
    """Public research questions that are still open or being researched."""
    return ResearchQuestion.objects.published().filter(status__in=OPEN_STATUSES)


# Themes ------------------------------------------------------------------------------------


def count_by(path):
    """{id: (public findings, public studies, open questions)} per theme, country or model
    (``path``: "themes", "countries" or "infrastructure_models"; findings are linked to a model
    through their study), from the tallies (``tallies.py``): one small query, cached per
    content version."""
    return cached(f"counts-by:{path}", lambda: _count_by(path), kinds=COUNTED_KINDS)


# The kinds of content the tallies count.
COUNTED_KINDS = ("study", "finding", "question")


def _count_by(path):
    counts = {}
    names = {"finding": 0, "study": 1, "open-question": 2}
    for name, key, _column, _bucket, n in tallies.read(*(f"{prefix}:{path}" for prefix in names)):
        row = counts.setdefault(key, [0, 0, 0])
        row[names[name.split(":")[0]]] += n
    return {key: tuple(row) for key, row in counts.items()}


def question_count_by_country():
    """{country page id: its published research questions, whatever their status} (a country
    profile lists them all, not only the open ones), cached per content version."""
    return cached(
        "counts-by:questions-per-country", lambda: tallies.per_key("question:countries"), kinds=("question",)
    )


def strongest_by_theme():
    """{theme id: rank of the strongest public finding of a study (not a lesson) on it},
    0 for strong; cached per content version."""

    def compute():
        strongest = {}
        for theme, strength, lesson, _n in tallies.findings_by_strength("themes"):
            if not lesson:
                rank = tallies.rank(strength)
                strongest[theme] = min(strongest.get(theme, len(EvidenceStrength.values)), rank)
        return strongest

    return cached("strongest-by:themes", compute, kinds=("finding", "study"))


def theme_list(sort=""):
    """All themes, each with the number of public findings, studies and open questions on it,
    the first sentence of its public bottom line and its strongest level (``strongest``, a
    strength value, or "" without findings). ``sort``: "name" (default), "studies" (most
    first) or "strength" (strongest first)."""
    counts = count_by("themes")
    strongest = strongest_by_theme()
    themes = list(public_themes().order_by("name"))
    sentences = bottom_line_first_sentences([theme.pk for theme in themes])
    levels = EvidenceStrength.values
    for theme in themes:
        theme.finding_count, theme.study_count, theme.question_count = counts.get(theme.pk, (0, 0, 0))
        rank = strongest.get(theme.pk)
        theme.strongest = levels[rank] if rank is not None and rank < len(levels) else ""
        theme.strongest_label = EvidenceStrength(theme.strongest).label if theme.strongest else ""
        theme.bottom_line_sentence = sentences.get(theme.pk, "")
    if sort == "studies":
        themes.sort(key=lambda theme: (-theme.study_count, theme.name))
    elif sort == "strength":
        themes.sort(
            key=lambda theme: (EvidenceStrength.rank(theme.strongest), -theme.study_count, theme.name)
        )
    return themes


def public_country_prefetch(name="countries"):
    """Prefetch the public country pages of a record's ``name`` relation."""
    return Prefetch(name, queryset=public_countries().only("id", "title", "slug", "url_path", "code"))


def public_model_prefetch():
    """Prefetch the public infrastructure model pages of a study."""
    return Prefetch("infrastructure_models", queryset=public_models().only("id", "title", "slug", "url_path"))


def public_study_links_prefetch():
    """Prefetch a question's links to live studies, with the study, in the agenda's order."""
    return Prefetch(
        "study_links",
        queryset=ResearchQuestionStudy.objects.filter(study__live=True)
        .select_related("study")
        .order_by("kind", "sort_order", "id"),
    )


def finding_queryset():
    """Public findings with what their cards show, strongest first."""
    return (
        published_findings()
        .select_related("study")
        .prefetch_related(
            Prefetch("themes", queryset=public_themes().only("id", "name", "slug")),
            public_country_prefetch(),
        )
        .annotate(strength_rank=strength_rank())
        .order_by("strength_rank", "study__title", "id")
    )


def study_queryset():
    """Public studies with what their list rows show."""
    return Study.objects.published().prefetch_related(
        "authors", Prefetch("themes", queryset=public_themes().only("id", "name", "slug"))
    )


def question_queryset():
    """Public research questions with what their list rows show."""
    return (
        ResearchQuestion.objects.published()
        .select_related("raised_by", "source_study")
        .prefetch_related(
            Prefetch("themes", queryset=public_themes().only("id", "name", "slug")),
            public_country_prefetch(),
        )
    )


def in_order(queryset, pks):
    """The records of ``queryset`` with primary keys ``pks``, in the order of ``pks``; those
    the queryset leaves out (no longer public) are left out."""
    records = {record.pk: record for record in queryset.filter(pk__in=pks)}
    return [records[pk] for pk in pks if pk in records]


def window_ids(queryset, window, count=None, total=None):
    """The primary keys of ``queryset[window]`` (a slice).

    A queryset ordered strongest first (``strength_rank``, then other fields) is read one
    strength at a time, each in the rest of the order: a strength is one value, so the
    database can walk an index in that order and stop at the window's end, where the rank (an
    expression) makes it sort every record first. Skipping whole strengths takes their counts;
    ``count(name, queryset)`` (default: ``queryset.count``) may cache them. When ``total`` (how
    many records the queryset has) says the window holds them all, one query reads them.
    """
    order = list(queryset.query.order_by)
    whole = total is not None and total <= (window.stop or 0) and not window.start
    if whole or not order or order[0] != "strength_rank":
        return list(queryset.values_list("pk", flat=True)[window])
    rest = order[1:]
    parts = [queryset.filter(strength=value) for value in EvidenceStrength.values]
    parts.append(queryset.exclude(strength__in=EvidenceStrength.values))
    ids, skip, want = [], window.start or 0, window.stop - (window.start or 0)
    for value, part in zip([*EvidenceStrength.values, ""], parts, strict=True):
        part = part.order_by(*rest)
        if skip:
            size = count(value, part) if count else part.count()
            if size <= skip:
                skip -= size
                continue
        ids += part.values_list("pk", flat=True)[skip : skip + want - len(ids)]
        skip = 0
        if len(ids) >= want:
            break
    return ids


def preview(name, queryset, limit=PREVIEW_LIMIT, total=None):
    """The first ``limit`` records of ``queryset`` (a page's short list of studies or
    findings). Choosing them sorts every record that qualifies, so their ids are cached per
    content version under ``name``; the records are read per request through ``queryset``, so
    one that is no longer public drops out at once. ``total``: how many there are, when known
    (``window_ids``)."""
    ids = cached(f"preview:{name}", lambda: window_ids(queryset, slice(0, limit), total=total))
    return in_order(queryset, ids)


# How a theme page may order its findings (``?sort=``): the default is strongest first.
FINDING_SORTS = {
    "strength": ("strength_rank", "study__title", "id"),
    "weakest": ("-strength_rank", "study__title", "id"),
    "newest": ("-study__year", "strength_rank", "id"),
}


def split_findings(queryset):
    """(findings of studies, the portal's lessons for the Netherlands) of ``queryset``."""
    return queryset.filter(lesson_for_nl=False), queryset.filter(lesson_for_nl=True)


def split_counts(path, pk, strength=""):
    """(public findings of studies, lessons for the Netherlands) linked to the theme, country
    or model ``pk`` through ``path``, optionally of one ``strength`` only; cached per content
    version."""

    def compute():
        evidence = lessons = 0
        for _key, finding_strength, lesson, n in tallies.findings_by_strength(path, pk):
            if strength and finding_strength != strength:
                continue
            if lesson:
                lessons += n
            else:
                evidence += n
        return evidence, lessons

    return cached(f"split:{path}:{pk}:{strength}", compute, kinds=("study", "finding"))


def theme_detail_context(theme, is_preview=False, bottom_line=None, strength="", sort=""):
    """What a theme page shows of the knowledge base: its bottom line ("Wat we weten"), the
    findings of studies and the lessons for the Netherlands apart (optionally of one
    ``strength``, in order ``sort``) with their studies, studies, open questions and related
    themes. The theme hub adds the comparison dimensions and the countries' facts on them
    (``hubs.selectors.theme_hub_context``). The preview of a theme not saved yet shows its own
    text only; the preview of a bottom line (``bottom_line``) shows it in place of the published
    one.
    """
    if theme.pk is None:
        return {"theme": theme, "is_preview": is_preview, "limit": PREVIEW_LIMIT}
    findings = finding_queryset().filter(themes=theme)
    if strength:
        findings = findings.filter(strength=strength)
    findings = findings.order_by(*FINDING_SORTS.get(sort or "strength", FINDING_SORTS["strength"]))
    evidence, lessons = split_findings(findings)
    key = f"theme:{theme.pk}:{strength or 'all'}:{sort or 'strength'}"
    evidence_count, lesson_count = split_counts("themes", theme.pk, strength)
    studies = study_queryset().filter(themes=theme).order_by(*NEWEST)
    questions = question_queryset().filter(themes=theme, status__in=OPEN_STATUSES).order_by("id")
    finding_count, study_count, question_count = count_by("themes").get(theme.pk, (0, 0, 0))
    if bottom_line is None:
        bottom_line = theme_bottom_line(theme)
    context = {
        "theme": theme,
        "bottom_line": bottom_line_context(bottom_line),
        "findings": preview(f"{key}:evidence", evidence, total=evidence_count),
        "evidence_count": evidence_count,
        "lessons": preview(f"{key}:lessons", lessons, total=lesson_count),
        "lesson_count": lesson_count,
        "finding_count": finding_count,
        "studies": preview(f"theme:{theme.pk}:studies", studies),
        "study_count": study_count,
        "questions": list(questions[:PREVIEW_LIMIT]),
        "question_count": question_count,
        "related_themes": _live(theme.related.order_by("name")),
        "limit": PREVIEW_LIMIT,
        "is_preview": is_preview,
    }
    return context


# Bottom lines ("Wat we weten") -------------------------------------------------------------


def theme_bottom_line(theme):
    """The published bottom line of ``theme`` (a public theme), or ``None``; no query when
    the theme was read with ``select_related("bottom_line")``."""
    try:
        line = theme.bottom_line
    except BottomLine.DoesNotExist:
        return None
    return line if line.live else None


def public_bottom_lines():
    """Bottom lines the public may see: published, of a published theme."""
    return BottomLine.objects.published().filter(theme__live=True)


def _block_ids(raw, name):
    """The ids a StreamField's raw blocks list under ``name`` (chooser ids, or citation dicts'
    studies for ``sources``)."""
    ids = []
    for block in raw:
        for item in (block.get("value") or {}).get(name) or []:
            # A ListBlock item is {"type": "item", "value": ...} in the raw data.
            value = item.get("value", item) if isinstance(item, dict) and "type" in item else item
            if name == "sources":
                value = (value or {}).get("study")
            if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
                ids.append(int(value))
    return ids


def bottom_line_context(bottom_line):
    """A bottom line as its section shows it: each claim (and lesson) with its citations,
    resolved in two queries; a cited finding or study the public may not see is named "niet
    openbaar". ``None`` without a bottom line."""
    if bottom_line is None:
        return None
    raw = [*bottom_line.summary.raw_data, *bottom_line.lessons.raw_data]
    finding_ids, study_ids = _block_ids(raw, "findings"), _block_ids(raw, "sources")
    findings = published_findings().select_related("study").in_bulk(finding_ids) if finding_ids else {}
    studies = Study.objects.published().in_bulk(study_ids) if study_ids else {}

    def claims(stream):
        result = []
        for block in stream.raw_data:
            value = block.get("value") or {}
            cited_findings = [findings.get(pk) for pk in _block_ids([block], "findings")]
            sources = []
            for item in value.get("sources") or []:
                source = item.get("value", item) if "type" in item else item
                study_id = source.get("study")
                sources.append(
                    {
                        "study": studies.get(int(study_id)) if study_id else None,
                        "locator": source.get("locator", ""),
                    }
                )
            result.append(
                {
                    "text": value.get("text", ""),
                    "findings": cited_findings,
                    "sources": sources,
                    "drawn_by": value.get("drawn_by", ""),
                }
            )
        return result

    return {
        "record": bottom_line,
        "claims": claims(bottom_line.summary),
        "lessons": claims(bottom_line.lessons),
    }


def bottom_line_first_sentences(theme_ids):
    """{theme id: the first sentence (claim) of its public bottom line, as plain text}."""
    result = {}
    for line in public_bottom_lines().filter(theme_id__in=theme_ids).only("theme_id", "summary"):
        raw = line.summary.raw_data
        if raw:
            text = html.unescape(strip_tags((raw[0].get("value") or {}).get("text", ""))).strip()
            result[line.theme_id] = text
    return result


# Studies -----------------------------------------------------------------------------------


def study_for_public(slug):
    """The live study with ``slug`` and its many-to-many relations, filtered for the public.

    Raises ``Study.DoesNotExist`` for an unknown slug or a draft.
    """
    return (
        Study.objects.published()
        .select_related("document", "source_study", "cited_by")
        .prefetch_related(
            "authors",
            "methods",
            Prefetch("themes", queryset=public_themes().order_by("name")),
            public_country_prefetch(),
            public_model_prefetch(),
        )
        .get(slug=slug)
    )


def _live(items):
    # Related pages and records come prefiltered on the public page; a preview reads the
    # unsaved form state instead, where the filter has to happen in Python.
    return [item for item in items if getattr(item, "live", True)]


def study_detail_context(study, preview=False, style_key=None):
    """Template context for a study page, also used for the admin preview of a draft.

    The public view passes a study from ``study_for_public``; a preview passes the study as
    the editor's form holds it, possibly not yet saved. ``reference`` is the study's
    reference in the citation style ``style_key`` (APA when not given).
    """
    style_key = style_key or references.DEFAULT_STYLE
    saved = study.pk is not None
    findings, question_links, cited_works = [], [], []
    if saved:
        findings = list(
            Finding.objects.published()
            .filter(study_id=study.pk)
            .prefetch_related(Prefetch("themes", queryset=public_themes().order_by("name")))
            .annotate(strength_rank=strength_rank())
            .order_by("strength_rank", "id")
        )
        question_links = list(
            ResearchQuestionStudy.objects.filter(study_id=study.pk, question__live=True)
            .select_related("question")
            .order_by("question_id")
        )
        cited_works = list(
            Study.objects.published()
            .filter(cited_by_id=study.pk)
            .prefetch_related("authors")
            .order_by("title")
        )
    return {
        "study": study,
        "authors": list(study.authors.all()),
        "methods": list(study.methods.all()),
        "themes": _live(study.themes.all()),
        "countries": _live(study.countries.all()),
        "infrastructure_models": _live(study.infrastructure_models.all()),
        "findings": findings,
        "evidence": [finding for finding in findings if not finding.lesson_for_nl],
        "lessons": [finding for finding in findings if finding.lesson_for_nl],
        "question_links": question_links,
        "cited_works": cited_works,
        "is_preview": preview,
        "reference": references.render_reference(exports.study_to_csl(study), style_key),
        "citation_styles": references.STYLES.values(),
    }


# Findings ----------------------------------------------------------------------------------


def finding_for_public(slug):
    """The live finding with ``slug`` whose study is live too; raises ``DoesNotExist``."""
    return (
        published_findings()
        .select_related("study")
        .prefetch_related(
            Prefetch("themes", queryset=public_themes().order_by("name")),
            public_country_prefetch(),
            Prefetch(
                "framework_elements",
                queryset=FrameworkElement.objects.filter(framework__live=True)
                .select_related("framework", "source_study")
                .order_by("framework__name", "sort_order"),
            ),
            Prefetch("study__authors"),
        )
        .get(slug=slug)
    )


# Organisations -----------------------------------------------------------------------------


def organisation_queryset():
    return public_organisations().select_related("source_study").order_by("name")


def organisation_detail_context(organisation, preview=False):
    """Outgoing and incoming typed relations with other public organisations, the questions it
    raised, and its source. A preview shows the outgoing relations as the editor's form holds
    them."""
    if preview:
        outgoing = [r for r in organisation.relations.all() if r.target_id and r.target.live]
        return {
            "organisation": organisation,
            "outgoing_relations": outgoing,
            "incoming_relations": [],
            "questions": [],
            "is_preview": True,
        }
    outgoing = OrganisationRelation.objects.filter(
        organisation=organisation, target__live=True
    ).select_related("target", "source_study")
    incoming = OrganisationRelation.objects.filter(
        target=organisation, organisation__live=True
    ).select_related("organisation", "source_study")
    questions = question_queryset().filter(raised_by=organisation).order_by("id")
    return {
        "organisation": organisation,
        "outgoing_relations": list(outgoing.order_by("kind", "target__name")),
        "incoming_relations": list(incoming.order_by("kind", "organisation__name")),
        "questions": list(questions),
    }


def organisation_for_public(slug):
    """The public organisation with ``slug``; raises ``Organisation.DoesNotExist``."""
    return public_organisations().select_related("source_study").get(slug=slug)


# Research questions ------------------------------------------------------------------------


def question_for_public(pk):
    """The live question with its live studies; raises ``DoesNotExist``."""
    return (
        ResearchQuestion.objects.published()
        .select_related("raised_by", "source_study")
        .prefetch_related(
            Prefetch("themes", queryset=public_themes().order_by("name")),
            public_country_prefetch(),
            public_study_links_prefetch(),
        )
        .get(pk=pk)
    )


# Frameworks --------------------------------------------------------------------------------


def public_frameworks():
    """Frameworks the public may see."""
    return Framework.objects.published()


def framework_list():
    """The public frameworks, each with its number of elements."""
    return list(
        public_frameworks()
        .select_related("source_study")
        .annotate(element_count=Count("elements"))
        .order_by("name")
    )


def framework_for_public(slug):
    """The live framework with ``slug``; raises ``DoesNotExist``."""
    return public_frameworks().select_related("source_study").get(slug=slug)


def framework_detail_context(framework, is_preview=False):
    """A framework's elements in order, each with its source and the public findings linked to
    it (at most ``PREVIEW_LIMIT`` per element, strongest first, with how many there are): the
    findings of studies and the lessons for the Netherlands apart."""
    if framework.pk is None or is_preview:
        # A preview shows the draft's own elements, held in memory, without their findings.
        elements = [(element, [], [], 0) for element in framework.elements.all()]
        return {"framework": framework, "elements": elements, "is_preview": is_preview}
    public = Q(finding__live=True, finding__study__live=True)
    queryset = (
        framework.elements.select_related("source_study")
        .annotate(finding_count=Count("finding", filter=public, distinct=True))
        .prefetch_related(
            Prefetch("finding_set", queryset=finding_queryset()[:PREVIEW_LIMIT], to_attr="public_findings")
        )
        .order_by("sort_order", "id")
    )
    elements = [
        (
            element,
            [f for f in element.public_findings if not f.lesson_for_nl],
            [f for f in element.public_findings if f.lesson_for_nl],
            element.finding_count,
        )
        for element in queryset
    ]
    return {"framework": framework, "elements": elements, "is_preview": is_preview, "limit": PREVIEW_LIMIT}


@dataclass
class LensCell:
    """One cell of the framework lens: a country's assessment of an element, or ``None``
    where no published assessment with a public source exists."""

    element: FrameworkElement
    country: Page  # a country profile (countries.CountryPage)
    assessment: FrameworkAssessment | None = None


def public_assessments():
    """Published assessments whose source the public may see, of elements of live frameworks."""
    return FrameworkAssessment.objects.published().filter(
        source_study__live=True, element__framework__live=True
    )


def framework_lens_context(framework, preview_assessment=None):
    """The lens of ``framework``: its elements (rows) by the public countries (columns).

    A fixed four queries whatever the number of elements, countries and assessments. The
    preview of an assessment shows it in its cell, whatever its state.
    """
    elements = list(framework.elements.order_by("sort_order", "id")) if framework.pk else []
    countries = list(public_countries().order_by("title").only("id", "title", "slug", "url_path", "code"))
    countries.sort(key=lambda country: country.code != "NL")  # The reference first, as elsewhere.
    assessments = {
        (item.element_id, item.country_id): item
        for item in public_assessments().filter(element__framework=framework).select_related("source_study")
    }
    if preview_assessment is not None:
        assessments[(preview_assessment.element_id, preview_assessment.country_id)] = preview_assessment
    rows = [
        (
            element,
            [LensCell(element, country, assessments.get((element.pk, country.pk))) for country in countries],
        )
        for element in elements
    ]
    return {
        "framework": framework,
        "countries": countries,
        "rows": rows,
        "assessment_count": sum(1 for _element, cells in rows for cell in cells if cell.assessment),
        "is_preview": preview_assessment is not None,
    }


def frameworks_for_country(country):
    """The public frameworks, each with how many published, sourced assessments the country
    has in its lens (one query): a country profile links to its column in each lens."""
    public = Q(
        elements__assessments__country=country,
        elements__assessments__live=True,
        elements__assessments__source_study__live=True,
    )
    return list(
        public_frameworks()
        .annotate(country_assessment_count=Count("elements__assessments", filter=public))
        .only("id", "name", "slug")
        .order_by("name")
    )


# Most records a download holds: of a filtered list, and of a search (its candidate cap).
EXPORT_LIMIT = 1000


def studies_in_order(pks):
    """Public studies for an export, with what the formats need, in the order of ``pks``."""
    return in_order(
        Study.objects.published().prefetch_related(
            "authors",
            Prefetch("themes", queryset=public_themes().order_by("name")),
            Prefetch("countries", queryset=public_countries().only("id", "title", "code")),
            "methods",
        ),
        pks,
    )


def findings_in_order(pks):
    """Public findings for an export, with their study, themes and countries, in the order of
    ``pks``."""
    return in_order(
        published_findings()
        .select_related("study")
        .prefetch_related(
            Prefetch("themes", queryset=public_themes().order_by("name")),
            Prefetch("countries", queryset=public_countries().only("id", "title", "code")),
        ),
        pks,
    )
