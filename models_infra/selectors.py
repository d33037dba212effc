"""Reads for the infrastructure model pages. Each function returns template context.

Only live, public pages and published studies reach the templates; related rows are fetched
in a fixed number of queries whatever the number of examples, organisations or relations.
"""

from django.db.models import Prefetch

from countries.models import CountryPage
from countries.selectors import public_pages, public_studies, stream_study_ids
from knowledgebase.models import Organisation, OrganisationRelation, Study

from .models import InfrastructureModelPage

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
    return {
        "models": public_models(index_page),
        "sources": public_studies(stream_study_ids(*streams)),
    }


def model_examples(page):
    """The page's worked examples with their organisations, source and (public) country.

    ``example.public_country`` is the example's country profile if the public may see it,
    else ``None``: a draft or private profile is never named.
    """
    examples = list(
        page.examples.all()
        .select_related("country", "source_study")
        .prefetch_related(Prefetch("organisations", queryset=Organisation.objects.order_by("name")))
    )
    country_ids = {example.country_id for example in examples if example.country_id}
    visible = (
        set(_public_countries_queryset().filter(pk__in=country_ids).values_list("pk", flat=True))
        if country_ids
        else set()
    )
    for example in examples:
        example.public_country = example.country if example.country_id in visible else None
    return examples


def organisation_relations(organisations):
    """The typed relations between the given organisations (both ends among them)."""
    ids = {organisation.pk for organisation in organisations if organisation.pk}
    if not ids:
        return []
    return list(
        OrganisationRelation.objects.filter(organisation_id__in=ids, target_id__in=ids)
        .select_related("organisation", "target", "source_study")
        .order_by("organisation__name", "kind", "target__name")
    )


def model_page_context(page):
    examples = model_examples(page)
    organisations = {org.pk: org for example in examples for org in example.organisations.all()}
    relations = organisation_relations(organisations.values())

    if page.pk:
        countries = list(_public_countries_queryset().filter(infrastructure_model=page))
        studies = list(
            Study.objects.published()
            .filter(infrastructure_models=page)
            .prefetch_related("authors")
            .order_by("-year", "title")
        )
    else:
        countries, studies = [], []

    cited = stream_study_ids(*(getattr(page, name) for name in MODEL_STREAMS))
    cited.update(example.source_study_id for example in examples)
    cited.update(relation.source_study_id for relation in relations)
    return {
        "examples": examples,
        "countries": countries,
        "relations": relations,
        "studies": studies,
        "sources": public_studies(cited),
    }
