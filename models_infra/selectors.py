"""Reads for the infrastructure model pages. Each function returns template context.

Only live, public pages and published studies reach the templates; related rows are fetched
in a fixed number of queries whatever the number of examples, organisations or relations.
"""

from django.db.models import Prefetch

from countries.models import CountryPage
from countries.selectors import public_studies, stream_study_ids
from knowledgebase import selectors as kb_selectors
from knowledgebase.models import Organisation, Study
from portal.translations import in_visitor_language, public_pages, source_page

from .models import InfrastructureModelPage, ModelExample

INDEX_STREAMS = ["central_question", "activities", "derivation", "comparison", "follow_up_question"]
MODEL_STREAMS = ["strengths", "points_of_attention"]


def _public_countries_queryset():
    return public_pages(CountryPage.objects.all()).order_by("title")


def public_models(index_page):
    """The live, public model pages under ``index_page``, each with ``public_countries``: the
    live, public country profiles that follow the model."""
    return list(
        public_pages(InfrastructureModelPage.objects.child_of(index_page))
        .prefetch_related(
            Prefetch("countries", queryset=_public_countries_queryset(), to_attr="public_countries")
        )
        .order_by("path")
    )


def model_index_context(index_page):
    streams = [getattr(index_page, name) for name in INDEX_STREAMS]
    models = public_models(source_page(index_page))
    in_visitor_language([*models, *(country for model in models for country in model.public_countries)])
    return {
        "models": models,
        "sources": public_studies(stream_study_ids(*streams)),
    }


def model_examples(page):
    """The page's worked examples with their organisations, source and (public) country.

    ``example.public_country`` is the example's country profile if the public may see it,
    else ``None``: a draft or private profile is never named. ``example.public_organisations``
    are its published organisations, as an edition's examples have them.
    """
    examples = list(
        page.examples.all()
        .select_related("country", "source_study")
        .prefetch_related(
            Prefetch("organisations", queryset=Organisation.objects.published().order_by("name"))
        )
    )
    country_ids = {example.country_id for example in examples if example.country_id}
    visible = (
        set(_public_countries_queryset().filter(pk__in=country_ids).values_list("pk", flat=True))
        if country_ids
        else set()
    )
    for example in examples:
        example.public_country = example.country if example.country_id in visible else None
        example.public_organisations = list(example.organisations.all())
    return examples


def example_diagrams(examples):
    """({example pk: diagram}, relations) for the examples with described relations. An example
    without linked organisations takes those of its (public) country. ``relations`` are all the
    relations read, with at least one end among the organisations. Two queries at most."""
    from django.utils.translation import gettext as _

    from countries.diagrams import build_diagram, relations_for

    codes = {e.public_country.code for e in examples if e.public_country and not e.organisations.all()}
    by_code = {}
    if codes:
        for organisation in Organisation.objects.published().filter(country_code__in=codes).order_by("name"):
            by_code.setdefault(organisation.country_code, []).append(organisation)
    members = {}
    for example in examples:
        organisations = list(example.organisations.all())
        if not organisations and example.public_country:
            organisations = by_code.get(example.public_country.code, [])
        members[example.pk] = organisations
    relations = relations_for([o for organisations in members.values() for o in organisations])
    diagrams = {}
    for example in examples:
        ids = {o.pk for o in members[example.pk]}
        own = [r for r in relations if r.organisation_id in ids or r.target_id in ids]
        if own:
            title = _("Organisaties en relaties in het voorbeeld: %(title)s") % {"title": example.title}
            diagrams[example.pk] = build_diagram(f"diagram-{example.pk}", title, members[example.pk], own)
    return diagrams, relations


def model_page_context(page):
    examples = model_examples(page)
    diagrams, diagram_relations = example_diagrams(examples)
    for example in examples:
        example.diagram = diagrams.get(example.pk)
    organisations = {org.pk: org for example in examples for org in example.organisations.all()}
    # The relations between the examples' own organisations, from the rows already read.
    relations = [
        r for r in diagram_relations if r.organisation_id in organisations and r.target_id in organisations
    ]

    if page.pk:
        source = source_page(page)  # Countries and studies are linked to the Dutch page.
        countries = list(_public_countries_queryset().filter(infrastructure_model=source))
        studies = kb_selectors.preview(
            f"model:{source.pk}:studies",
            Study.objects.published()
            .filter(infrastructure_models=source)
            .prefetch_related("authors")
            .order_by(*kb_selectors.NEWEST),
        )
        _findings, study_count, _questions = kb_selectors.count_by("infrastructure_models").get(
            source.pk, (0, 0, 0)
        )
    else:  # The preview of a page that was never saved.
        countries, studies, study_count = [], [], 0

    cited = stream_study_ids(*(getattr(page, name) for name in MODEL_STREAMS))
    cited.update(example.source_study_id for example in examples)
    cited.update(relation.source_study_id for relation in relations)
    return {
        "examples": examples,
        "countries": countries,
        "relations": relations,
        "studies": studies,
        "study_count": study_count,
        "limit": kb_selectors.PREVIEW_LIMIT,
        "sources": public_studies(cited),
    }


def models_side_by_side(request):
    """The live, public models for ``/vergelijken/modellen/``, in page-tree order, each with
    ``strength_points`` and ``attention_points`` (text with published sources), ``public_examples``
    (with ``public_country``) and ``public_countries``. A fixed number of queries."""
    from countries.compare import cited_blocks

    models = list(
        public_pages(InfrastructureModelPage.objects.all())
        .prefetch_related(
            Prefetch("countries", queryset=_public_countries_queryset(), to_attr="public_countries"),
            Prefetch(
                "examples", queryset=ModelExample.objects.select_related("country").order_by("sort_order")
            ),
        )
        .order_by("path")
    )
    visible = set(_public_countries_queryset().values_list("pk", flat=True))
    parsed = {}
    study_ids = set()
    for model in models:
        for name in MODEL_STREAMS:
            blocks = list(cited_blocks(getattr(model, name)))
            parsed[model.pk, name] = blocks
            study_ids.update(pk for _text, _rich, sources in blocks for pk, _loc in sources if pk)
    studies = Study.objects.published().in_bulk([pk for pk in study_ids if isinstance(pk, int)])
    for model in models:
        model.profile_url = model.get_url(request)
        for name, attr in (("strengths", "strength_points"), ("points_of_attention", "attention_points")):
            setattr(
                model,
                attr,
                [
                    {"text": text, "sources": [(studies.get(pk), locator) for pk, locator in sources]}
                    for text, _rich, sources in parsed[model.pk, name]
                ],
            )
        model.public_examples = list(model.examples.all())
        for example in model.public_examples:
            example.public_country = example.country if example.country_id in visible else None
        for country in model.public_countries:
            country.profile_url = country.get_url(request)
    return models


def attach_example_relations(examples):
    """Give the worked examples of an edition (read from a revision) their public country
    profile (``public_country``), published organisations (``public_organisations``) and
    published source in three queries, however many there are. A draft source is cached as
    ``None``, so it is cited as "niet openbaar"."""
    country_ids = {example.country_id for example in examples if example.country_id}
    countries = _public_countries_queryset().in_bulk(country_ids) if country_ids else {}
    study_ids = {example.source_study_id for example in examples if example.source_study_id}
    studies = Study.objects.published().in_bulk(study_ids) if study_ids else {}
    organisation_ids = {
        pk
        for example in examples
        for pk in getattr(example, "edition_many_to_many", {}).get("organisations", [])
    }
    organisations = Organisation.objects.published().in_bulk(organisation_ids) if organisation_ids else {}
    source_field = ModelExample._meta.get_field("source_study")
    for example in examples:
        ids = getattr(example, "edition_many_to_many", {}).get("organisations", [])
        linked = [organisations[pk] for pk in ids if pk in organisations]
        example.public_organisations = sorted(linked, key=lambda item: item.name.casefold())
        example.public_country = countries.get(example.country_id)
        if example.source_study_id:
            source_field.set_cached_value(example, studies.get(example.source_study_id))
