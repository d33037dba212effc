"""Factories for the domain models. Published (``live``) by default; pass ``live=False``
for a draft. Page factories need a parent: use ``make_country`` and friends."""

import factory
from wagtail.models import Page

from countries.models import CountryFact, CountryIndexPage, CountryPage, CountryWebsite, Dimension
from knowledgebase import tallies
from knowledgebase.models import (
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
from models_infra.models import InfrastructureModelIndexPage, InfrastructureModelPage, ModelExample


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme
        django_get_or_create = ("slug",)
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Thema {n}")
    slug = factory.Sequence(lambda n: f"thema-{n}")
    description = "Een thema om bewijs op te zoeken."

    @factory.post_generation
    def related(self, create, extracted, **kwargs):
        # A parental many-to-many link is written when the theme is saved.
        if create and extracted:
            self.related.set(extracted)
            self.save()


class MethodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Method
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Methode {n}")
    slug = factory.Sequence(lambda n: f"methode-{n}")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisatie {n}")
    slug = factory.Sequence(lambda n: f"organisatie-{n}")
    kind = "agency"
    description = "Een organisatie die loopbaanbegeleiding ondersteunt."


class OrganisationRelationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganisationRelation

    organisation = factory.SubFactory(OrganisationFactory)
    target = factory.SubFactory(OrganisationFactory)
    kind = "partners_with"


class StudyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Study
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Onderzoek naar loopbaanbegeleiding {n}")
    slug = factory.Sequence(lambda n: f"onderzoek-{n}")
    year = 2020
    study_type = "report"
    language = "nl"
    summary = "Een samenvatting van het onderzoek in eigen woorden."
    strength = "moderate"
    strength_rationale = "Meerdere landen, vergelijkbare uitkomsten."
    live = True

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if create and extracted:
            self.themes.set(extracted)
            self.save()

    @factory.post_generation
    def authors(self, create, extracted, **kwargs):
        """Names on one line ("Hooley, T.", split as ``names.parse_name`` does) or dicts of
        the parts (``family_name``, ``particle``, ``given_names`` or ``organisation``)."""
        if create and extracted:
            for order, name in enumerate(extracted):
                parts = name if isinstance(name, dict) else {"name": name}
                StudyAuthor.objects.create(study=self, sort_order=order, **parts)


class FindingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Finding
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"bevinding-{n}")
    statement = factory.Sequence(lambda n: f"Begeleiding helpt mensen bij keuzes (bevinding {n}).")
    study = factory.SubFactory(StudyFactory)
    locator = "Hoofdstuk 2"
    strength = "moderate"
    live = True

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if create and extracted:
            self.themes.set(extracted)
            self.save()


class ResearchQuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ResearchQuestion

    question = factory.Sequence(lambda n: f"Hoe borgen we kennis over begeleiding (vraag {n})?")
    explanation = "Deze vraag is nog niet beantwoord."
    status = "open"
    live = True


class ResearchQuestionStudyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ResearchQuestionStudy

    question = factory.SubFactory(ResearchQuestionFactory)
    study = factory.SubFactory(StudyFactory)
    kind = "addresses"


class FrameworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Framework

    name = factory.Sequence(lambda n: f"Kader {n}")
    slug = factory.Sequence(lambda n: f"kader-{n}")


class FrameworkElementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FrameworkElement

    framework = factory.SubFactory(FrameworkFactory)
    code = factory.Sequence(lambda n: str(n + 1))
    name = factory.Sequence(lambda n: f"Element {n}")


class FrameworkAssessmentFactory(factory.django.DjangoModelFactory):
    """An assessment in a framework lens, published, with a published source."""

    class Meta:
        model = FrameworkAssessment

    element = factory.SubFactory(FrameworkElementFactory)
    country = factory.LazyFunction(
        lambda: CountryPage.objects.filter(code="FI").first() or make_country("FI", title="Finland")
    )
    assessment = "present"
    reason = factory.Sequence(lambda n: f"De bron beschrijft het als aanwezig (oordeel {n}).")
    source_study = factory.SubFactory(StudyFactory)
    source_locator = "Hoofdstuk 3"
    live = True


class DimensionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Dimension

    name = factory.Sequence(lambda n: f"Dimensie {n}")
    slug = factory.Sequence(lambda n: f"dimensie-{n}")
    section = "policy"


def _home():
    from portal.models import HomePage

    return HomePage.objects.get(locale__language_code="nl")


def country_index():
    """The (Dutch) country index page (built by the ``site_tree`` fixture)."""
    return CountryIndexPage.objects.get(locale__language_code="nl")


def model_index():
    return InfrastructureModelIndexPage.objects.get(locale__language_code="nl")


def make_country(code="FI", title=None, slug=None, live=True, **fields):
    """Create a country profile under the country index, published unless ``live=False``."""
    page = CountryPage(
        title=title or code,
        slug=slug or code.lower(),
        code=code,
        summary=fields.pop("summary", f"Samenvatting van {code}."),
        **fields,
    )
    country_index().add_child(instance=page)
    revision = page.save_revision()
    if live:
        revision.publish()
    else:
        page.unpublish()
    return CountryPage.objects.get(pk=page.pk)


def make_model(key="network", title=None, live=True, **fields):
    """Create an infrastructure model page under the model index."""
    page = InfrastructureModelPage(
        title=title or key,
        slug=key,
        key=key,
        summary=fields.pop("summary", f"Samenvatting van {key}."),
        definition=fields.pop("definition", "<p>Een definitie.</p>"),
        **fields,
    )
    model_index().add_child(instance=page)
    revision = page.save_revision()
    if live:
        revision.publish()
    else:
        page.unpublish()
    return InfrastructureModelPage.objects.get(pk=page.pk)


__all__ = [
    "CountryFact",
    "CountryWebsite",
    "DimensionFactory",
    "FindingFactory",
    "FrameworkAssessmentFactory",
    "FrameworkElementFactory",
    "FrameworkFactory",
    "MethodFactory",
    "ModelExample",
    "OrganisationFactory",
    "OrganisationRelationFactory",
    "Page",
    "ResearchQuestionFactory",
    "ResearchQuestionStudyFactory",
    "StudyFactory",
    "ThemeFactory",
    "country_index",
    "make_country",
    "make_model",
    "model_index",
]


# Helpers for country and model page tests ----------------------------------------------------


def citation_data(study=None, locator=""):
    """Raw data of one ``CitationBlock`` (a study and where in it)."""
    from uuid import uuid4

    value = {"study": study.pk if study else None, "locator": locator}
    return {"type": "item", "value": value, "id": str(uuid4())}


def cited_paragraphs(*paragraphs):
    """Raw StreamField data of cited paragraphs: each is ``(html, [(study, locator), ...])``."""
    return [
        {
            "type": "paragraph",
            "value": {"text": text, "sources": [citation_data(study, locator) for study, locator in sources]},
        }
        for text, sources in paragraphs
    ]


def cited_points(*points):
    """Raw StreamField data of cited points: each is ``(text, [(study, locator), ...])``."""
    return [
        {
            "type": "point",
            "value": {"text": text, "sources": [citation_data(study, locator) for study, locator in sources]},
        }
        for text, sources in points
    ]


def make_fact(page, dimension=None, value="Ja", **fields):
    """A comparable fact on ``page``; a new dimension unless one is given."""
    return CountryFact.objects.create(
        page=page, dimension=dimension or DimensionFactory(), value=value, **fields
    )


def make_example(model_page, organisations=(), **fields):
    """A worked example on ``model_page`` with the given organisations."""
    fields.setdefault("title", "Voorbeeld")
    fields.setdefault("description", "Zo werkt het model in de praktijk.")
    example = ModelExample.objects.create(page=model_page, **fields)
    if organisations:
        # ModelExample is not a ClusterableModel, so its save() does not write the deferred
        # many-to-many; the admin's formset commits it the same way.
        example.organisations.set(organisations)
        example.organisations.commit()
    return example


def link_many(model, field_name, instance_ids, target):
    """Bulk-link rows of ``model`` to ``target`` through the ``field_name`` many-to-many table.
    Bulk writes send no signals: the counts per theme, country and model are counted again, as
    the synthetic data generator does."""
    field = model._meta.get_field(field_name)
    through = field.remote_field.through
    source_column = field.m2m_field_name()
    target_column = field.m2m_reverse_field_name()
    through.objects.bulk_create(
        [through(**{f"{source_column}_id": pk, f"{target_column}_id": target.pk}) for pk in instance_ids]
    )
    tallies.rebuild()
