"""Factories for the domain models. Published (``live``) by default; pass ``live=False``
for a draft. Page factories need a parent: use ``make_country`` and friends."""

import factory
from wagtail.models import Page

from countries.models import CountryFact, CountryIndexPage, CountryPage, CountryWebsite, Dimension
from knowledgebase.models import (
    Finding,
    Framework,
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

    name = factory.Sequence(lambda n: f"Thema {n}")
    slug = factory.Sequence(lambda n: f"thema-{n}")
    description = "Een thema om bewijs op te zoeken."


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
        if create and extracted:
            for name in extracted:
                StudyAuthor.objects.create(study=self, name=name)


class FindingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Finding

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


class DimensionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Dimension

    name = factory.Sequence(lambda n: f"Dimensie {n}")
    slug = factory.Sequence(lambda n: f"dimensie-{n}")
    section = "policy"


def _home():
    from portal.models import HomePage

    return HomePage.objects.get()


def country_index():
    """The country index page (built by the ``site_tree`` fixture)."""
    return CountryIndexPage.objects.get()


def model_index():
    return InfrastructureModelIndexPage.objects.get()


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
