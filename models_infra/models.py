"""The three knowledge-infrastructure models (linking pin, network, loose relations)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from kit.api_fields import cited_fields, page_reference, related_records
from kit.editions import EditionsMixin, plain_paragraphs, stream_paragraphs
from kit.page_permissions import BoardDeletesPageMixin
from kit.translations import TranslatedPageMixin, unique_in_language
from knowledgebase.blocks import cited_points_field_blocks, cited_text_field_blocks
from knowledgebase.citations import public_studies, stream_study_ids
from knowledgebase.models import Cited

from .blocks import ModelComparisonRowBlock

TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul"]


class ModelKey(models.TextChoices):
    LINKING_PIN = "linking-pin", _("Spilorganisatie (linking pin)")
    NETWORK = "network", _("Netwerk")
    LOOSE_RELATIONS = "loose-relations", _("Losse verbanden")


class InfrastructureModelIndexPage(BoardDeletesPageMixin, TranslatedPageMixin, Page):
    """``/kennisinfrastructuur/``: the central question, how the models were derived, the
    comparison of their strengths and the follow-up question for the Netherlands."""

    intro = models.TextField(_("introductie"), blank=True)
    central_question = StreamField(
        cited_text_field_blocks(), verbose_name=_("centrale vraag"), blank=True, use_json_field=True
    )
    activities = StreamField(
        cited_points_field_blocks(),
        verbose_name=_("activiteiten van het onderzoek"),
        blank=True,
        use_json_field=True,
    )
    derivation = StreamField(
        cited_text_field_blocks(),
        verbose_name=_("hoe de modellen zijn afgeleid"),
        blank=True,
        use_json_field=True,
    )
    comparison = StreamField(
        [("row", ModelComparisonRowBlock())],
        verbose_name=_("vergelijking van de modellen"),
        blank=True,
        use_json_field=True,
    )
    follow_up_question = StreamField(
        cited_text_field_blocks(),
        verbose_name=_("vervolgvraag voor Nederland"),
        blank=True,
        use_json_field=True,
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("central_question"),
        FieldPanel("activities"),
        FieldPanel("derivation"),
        FieldPanel("comparison"),
        FieldPanel("follow_up_question"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("central_question"),
        index.SearchField("comparison"),
        index.SearchField("follow_up_question"),
    ]
    api_fields = [
        APIField(name)
        for name in [
            "intro",
            "central_question",
            "activities",
            "derivation",
            "comparison",
            "follow_up_question",
        ]
    ]
    parent_page_types = ["portal.HomePage"]
    subpage_types = ["models_infra.InfrastructureModelPage"]
    max_count = 1
    template = "models_infra/infrastructure_model_index_page.html"

    class Meta:
        verbose_name = _("overzicht kennisinfrastructuurmodellen")

    def get_context(self, request, *args, **kwargs):
        from .selectors import model_index_context

        context = super().get_context(request, *args, **kwargs)
        context.update(model_index_context(self))
        return context


class InfrastructureModelPage(EditionsMixin, BoardDeletesPageMixin, TranslatedPageMixin, Page):
    """One knowledge-infrastructure model with its definition, strengths, points of
    attention and worked examples from other countries."""

    # Unique per language (a translation carries its original's key): see clean().
    key = models.CharField(_("model"), max_length=30, choices=ModelKey.choices, db_index=True)
    summary = models.TextField(_("samenvatting"))
    definition = RichTextField(_("definitie"), features=TEXT_FEATURES)
    strengths = StreamField(
        cited_points_field_blocks(), verbose_name=_("sterke punten"), blank=True, use_json_field=True
    )
    points_of_attention = StreamField(
        cited_points_field_blocks(), verbose_name=_("aandachtspunten"), blank=True, use_json_field=True
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("key"),
        FieldPanel("summary"),
        FieldPanel("definition"),
        FieldPanel("strengths"),
        FieldPanel("points_of_attention"),
        InlinePanel("examples", heading=_("Voorbeelden"), label=_("Voorbeeld")),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary", boost=2),
        index.SearchField("definition"),
        index.SearchField("strengths"),
        index.SearchField("points_of_attention"),
        index.FilterField("key"),
    ]
    api_fields = [
        APIField("key"),
        APIField("summary"),
        APIField("definition"),
        APIField("strengths"),
        APIField("points_of_attention"),
        APIField("examples", serializer=related_records("country", "source_study")),
    ]
    api_detail_only_fields = ["strengths", "points_of_attention", "examples"]
    parent_page_types = ["models_infra.InfrastructureModelIndexPage"]
    subpage_types = []
    template = "models_infra/infrastructure_model_page.html"
    edition_body_template = "models_infra/includes/edition_body.html"
    edition_kind = _("kennisinfrastructuurmodel")

    class Meta:
        verbose_name = _("kennisinfrastructuurmodel")
        verbose_name_plural = _("kennisinfrastructuurmodellen")

    def clean(self):
        super().clean()
        unique_in_language(self, "key", _("Er is al een pagina voor dit model."))

    def get_context(self, request, *args, **kwargs):
        from .selectors import model_page_context

        context = super().get_context(request, *args, **kwargs)
        context.update(model_page_context(self))
        context.update(self.citation_context(request))
        return context

    # Editions (kit.editions) ------------------------------------------------------------

    def edition_prepare(self, objects):
        from .selectors import attach_example_relations

        attach_example_relations([example for obj in objects for example in obj.examples.all()])

    def edition_context(self, obj):
        examples = list(obj.examples.all())
        cited = stream_study_ids(obj.strengths, obj.points_of_attention)
        cited.update(example.source_study_id for example in examples)
        return {"examples": examples, "sources": public_studies(cited)}

    def edition_sections(self):
        examples = [
            " ".join(
                text
                for text in [
                    example.title + ":",
                    example.description,
                    example.research_commissioning,
                    example.funding,
                    example.reach_practice_policy,
                ]
                if text
            )
            for example in self.examples.all()
        ]
        return [
            ("title", _("Titel"), [self.title]),
            ("summary", _("Samenvatting"), plain_paragraphs(self.summary)),
            ("definition", _("Definitie"), plain_paragraphs(self.definition)),
            ("strengths", _("Sterke punten"), stream_paragraphs(self.strengths)),
            ("points_of_attention", _("Aandachtspunten"), stream_paragraphs(self.points_of_attention)),
            ("examples", _("Voorbeelden"), examples),
        ]


class ModelExample(Cited, Orderable, ClusterableModel):
    """A worked example of a model: which organisations in which country, how research is
    commissioned and funded, and how results reach practice and policy."""

    page = ParentalKey(InfrastructureModelPage, related_name="examples", on_delete=models.CASCADE)
    title = models.CharField(_("titel"), max_length=200)
    country = models.ForeignKey(
        "countries.CountryPage",
        verbose_name=_("land"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="model_examples",
    )
    organisations = ParentalManyToManyField(
        "knowledgebase.Organisation",
        verbose_name=_("organisaties"),
        blank=True,
        related_name="model_examples",
    )
    description = models.TextField(_("beschrijving"))
    research_commissioning = models.TextField(_("hoe onderzoek wordt uitgezet"), blank=True)
    funding = models.TextField(_("financiering"), blank=True)
    reach_practice_policy = models.TextField(_("hoe resultaten praktijk en beleid bereiken"), blank=True)

    panels = [
        FieldPanel("title"),
        FieldPanel("country"),
        FieldPanel("organisations"),
        FieldPanel("description"),
        FieldPanel("research_commissioning"),
        FieldPanel("funding"),
        FieldPanel("reach_practice_policy"),
        MultiFieldPanel([FieldPanel("source_study"), FieldPanel("source_locator")], heading=_("Bron")),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("voorbeeld")
        verbose_name_plural = _("voorbeelden")

    def __str__(self):
        return self.title

    def api_representation(self, context):
        """The example in the API; its country only when that profile is public."""
        return {
            **cited_fields(
                self,
                context,
                "title",
                "description",
                "research_commissioning",
                "funding",
                "reach_practice_policy",
            ),
            "country": page_reference(self.country, context),
            "organisations": [
                {"slug": organisation.slug, "name": organisation.name}
                for organisation in self.organisations.filter(live=True).order_by("name")
            ],
        }
