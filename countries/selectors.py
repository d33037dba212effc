"""Reads for the country pages. Each function returns template context.

Everything the public sees is filtered here: only live, public pages and only published
studies, findings and research questions. Query counts stay the same however many facts,
organisations or studies a country has: related rows are fetched with ``select_related`` and
filtered ``Prefetch`` querysets, never one query per row.
"""

from django.conf import settings
from django.db.models import Prefetch
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from kit.translations import in_visitor_language, source_page
from knowledgebase import selectors as kb_selectors
from knowledgebase.citations import public_studies, stream_study_ids
from knowledgebase.diagrams import build_diagram, relations_for
from knowledgebase.models import Organisation, ResearchQuestion, Study
from models_infra.models import ModelExample

from .models import CountryFact, Dimension
from .sections import SECTION_KEYS, SECTION_LABELS, SECTIONS

NO_MODEL_LABEL = _("Geen model vastgesteld")


# Country index -------------------------------------------------------------------------------


def _public_model_ids(model_ids):
    model_ids = {pk for pk in model_ids if pk}
    if not model_ids:
        return set()
    return set(kb_selectors.public_models().filter(pk__in=model_ids).values_list("pk", flat=True))


def public_countries_with_models(index_page=None):
    """The public country profiles (``knowledgebase.selectors.public_countries``, under
    ``index_page`` if given) in title order, each with ``public_model`` set to its
    infrastructure model if that page is public, else ``None``."""
    queryset = kb_selectors.public_countries()
    if index_page is not None:
        queryset = queryset.child_of(index_page)
    countries = list(queryset.select_related("infrastructure_model").order_by("title"))
    visible = _public_model_ids(country.infrastructure_model_id for country in countries)
    for country in countries:
        country.public_model = (
            country.infrastructure_model if country.infrastructure_model_id in visible else None
        )
    return countries


def group_countries_by_model(countries):
    """[(model page or None, [countries])], models in page-tree order, countries without a
    (public) model last."""
    groups = {}
    for country in countries:
        groups.setdefault(country.public_model, []).append(country)
    ordered = sorted(
        (model for model in groups if model is not None), key=lambda model: (model.path, model.title)
    )
    result = [(model, groups[model]) for model in ordered]
    if None in groups:
        result.append((None, groups[None]))
    return result


def country_index_context(index_page):
    from .maps import europe_map

    countries = public_countries_with_models(source_page(index_page))
    in_visitor_language([*countries, *(country.public_model for country in countries)])
    if any(country.text_language != settings.LANGUAGE_CODE for country in countries):
        # Translated titles, so the database's order by the Dutch title no longer holds.
        countries.sort(key=lambda country: country.title.casefold())
    return {
        "countries": countries,
        "map": europe_map(countries, NO_MODEL_LABEL),
        "countries_by_model": group_countries_by_model(countries),
        "no_model_label": NO_MODEL_LABEL,
    }


# Country profile -----------------------------------------------------------------------------


def section_groups(page):
    """The page's sections in template order, with consecutive sections of one group (Aanbod,
    Kwaliteitsborging) gathered under that group's heading.

    Returns [{"heading": str or None, "anchor": str, "sections": [{"key", "heading", "stream"}]}].
    """
    groups = []
    for key, label, group in SECTIONS:
        stream = getattr(page, key)
        if not stream:
            continue
        section = {"key": key, "anchor": key.replace("_", "-"), "heading": label, "stream": stream}
        if group is None:
            groups.append({"heading": None, "anchor": section["anchor"], "sections": [section]})
        elif groups and groups[-1]["heading"] == group:
            groups[-1]["sections"].append(section)
        else:
            groups.append({"heading": group, "anchor": slugify(str(group)), "sections": [section]})
    return groups


def _fact_sort_key(fact):
    dimension = fact.dimension
    section = SECTION_KEYS.index(dimension.section) if dimension.section in SECTION_KEYS else len(SECTIONS)
    return (section, dimension.sort_order, dimension.name.casefold())


def facts_by_section(page):
    """[(section label, [facts])] with each fact's dimension and source loaded."""
    facts = sorted(page.facts.all().select_related("dimension", "source_study"), key=_fact_sort_key)
    grouped = []
    for fact in facts:
        label = SECTION_LABELS.get(fact.dimension.section, fact.dimension.section)
        if grouped and grouped[-1][0] == label:
            grouped[-1][1].append(fact)
        else:
            grouped.append((label, [fact]))
    return grouped


LINKED_KEYS = ["studies", "findings", "lessons", "research_questions", "model_examples"]


def _linked_records(page, public_models):
    """The newest published studies, the findings and the published research questions about
    the country (at most ``PREVIEW_LIMIT`` each, with how many there are in all), and the
    worked examples of the ``public_models`` (a query set of model pages) set in it."""
    finding_count, study_count, _questions = kb_selectors.count_by("countries").get(page.pk, (0, 0, 0))
    findings = (
        kb_selectors.published_findings()
        .filter(countries=page)
        .select_related("study")
        .order_by("study__title", "id")
    )
    evidence, lessons = kb_selectors.split_findings(findings)
    evidence_count, lesson_count = kb_selectors.split_counts("countries", page.pk)
    return {
        "studies": kb_selectors.preview(
            f"country:{page.pk}:studies",
            Study.objects.published()
            .filter(countries=page)
            .prefetch_related("authors")
            .order_by(*kb_selectors.NEWEST),
        ),
        "study_count": study_count,
        "findings": kb_selectors.preview(f"country:{page.pk}:evidence", evidence),
        "evidence_count": evidence_count,
        "lessons": kb_selectors.preview(f"country:{page.pk}:lessons", lessons),
        "lesson_count": lesson_count,
        "finding_count": finding_count,
        "research_questions": kb_selectors.preview(
            f"country:{page.pk}:questions",
            ResearchQuestion.objects.published().filter(countries=page).order_by("status", "id"),
        ),
        "question_count": kb_selectors.question_count_by_country().get(page.pk, 0),
        "model_examples": list(
            ModelExample.objects.filter(country=page, page__in=public_models)
            .select_related("page", "source_study")
            .prefetch_related(
                Prefetch("organisations", queryset=Organisation.objects.published().order_by("name"))
            )
            .order_by("page__path", "sort_order")
        ),
    }


def organisation_diagram(page, organisations):
    """The diagram of the country's organisations and their relations, or ``None`` if no
    relation is described (one query for the relations)."""
    relations = relations_for(organisations)
    if not relations:
        return None
    title = _("Organisaties in %(name)s en hun relaties") % {"name": page.title}
    return build_diagram("diagram-organisaties", str(title), organisations, relations)


def country_page_context(page):
    # One query set for the public models, so the view restrictions are read once.
    public_models = kb_selectors.public_models()
    model = None
    if page.infrastructure_model_id:
        model = public_models.filter(pk=page.infrastructure_model_id).first()

    fact_groups = facts_by_section(page)
    websites = list(page.websites.all().select_related("source_study"))
    organisations = list(Organisation.objects.published().filter(country_code=page.code).order_by("name"))

    if page.pk:
        # Studies, findings and questions are linked to the Dutch profile.
        linked = _linked_records(source_page(page), public_models)
    else:  # The preview of a page that was never saved.
        linked = {
            **{key: [] for key in LINKED_KEYS},
            **{
                key: 0
                for key in (
                    "study_count",
                    "finding_count",
                    "evidence_count",
                    "lesson_count",
                    "question_count",
                )
            },
        }
    diagram = organisation_diagram(page, organisations)
    # The lenses link to the Dutch profile's column (assessments are linked to it).
    dutch = source_page(page) if page.pk else None
    frameworks = kb_selectors.frameworks_for_country(dutch) if dutch is not None else []

    cited = stream_study_ids(*(getattr(page, key) for key in SECTION_KEYS))
    cited.update(fact.source_study_id for _label, facts in fact_groups for fact in facts)
    cited.update(website.source_study_id for website in websites)
    cited.update(finding.study_id for finding in [*linked["findings"], *linked["lessons"]])
    cited.update(example.source_study_id for example in linked["model_examples"])

    return {
        "infrastructure_model": model,
        "section_groups": section_groups(page),
        "fact_groups": fact_groups,
        "websites": websites,
        "organisations": organisations,
        "diagram": diagram,
        "frameworks": frameworks,
        "lens_anchor": f"land-{dutch.slug}" if dutch is not None else "",
        **linked,
        "sources": public_studies(cited),
        "limit": kb_selectors.PREVIEW_LIMIT,
    }


# Editions of a profile (kit.editions) -----------------------------------------------------


def attach_fact_relations(items):
    """Give the facts and websites of an edition (read from a revision, so not loaded with
    ``select_related``) their dimension and published source in two queries, however many
    there are. A draft source is cached as ``None``: the citation then says "niet openbaar"."""
    dimension_ids = {item.dimension_id for item in items if getattr(item, "dimension_id", None)}
    dimensions = Dimension.objects.in_bulk(dimension_ids) if dimension_ids else {}
    study_ids = {item.source_study_id for item in items if item.source_study_id}
    studies = Study.objects.published().in_bulk(study_ids) if study_ids else {}
    source_field = CountryFact._meta.get_field("source_study")
    for item in items:
        if getattr(item, "dimension_id", None):
            if item.dimension_id not in dimensions:
                # A dimension deleted since: keep the edition readable.
                dimensions[item.dimension_id] = Dimension(pk=item.dimension_id, name="?", section="")
            CountryFact._meta.get_field("dimension").set_cached_value(item, dimensions[item.dimension_id])
        if item.source_study_id:
            source_field.set_cached_value(item, studies.get(item.source_study_id))


def edition_context(version):
    """Context for the body of one edition of a profile: its sections, facts, websites and
    the published studies it cites."""
    facts = [fact for fact in version.facts.all() if fact.dimension.section in SECTION_LABELS]
    fact_groups = []
    for fact in sorted(facts, key=_fact_sort_key):
        label = SECTION_LABELS[fact.dimension.section]
        if fact_groups and fact_groups[-1][0] == label:
            fact_groups[-1][1].append(fact)
        else:
            fact_groups.append((label, [fact]))
    websites = list(version.websites.all())
    cited = stream_study_ids(*(getattr(version, key) for key in SECTION_KEYS))
    cited.update(fact.source_study_id for fact in facts)
    cited.update(website.source_study_id for website in websites)
    return {
        "section_groups": section_groups(version),
        "fact_groups": fact_groups,
        "websites": websites,
        "sources": public_studies(cited),
    }


# Theme hubs (hubs.selectors.theme_hub_context) ---------------------------------------------


def theme_dimensions(theme):
    """What a theme hub shows of the countries: the comparison dimensions on the theme, each
    with the public countries' facts on it (two queries)."""
    dimensions = list(Dimension.objects.filter(themes=theme).order_by("sort_order", "name"))
    facts = (
        CountryFact.objects.filter(dimension__in=dimensions, page__in=kb_selectors.public_countries())
        .select_related("page", "dimension", "source_study")
        .order_by("dimension__sort_order", "dimension__name", "page__title")
    )
    facts_by_dimension = {dimension.pk: [] for dimension in dimensions}
    for fact in facts:
        facts_by_dimension[fact.dimension_id].append(fact)
    return {"dimensions": [(dimension, facts_by_dimension[dimension.pk]) for dimension in dimensions]}
