"""Country profiles: the index of countries and one page per country or region."""

from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from kit.api_fields import ReferenceField, cited_fields, page_reference, related_records
from kit.editions import EditionsMixin, plain_paragraphs, stream_paragraphs
from kit.outbound import validate_public_url
from kit.page_permissions import BoardDeletesPageMixin
from kit.panels import checkbox_panel, slug_panels
from kit.translations import TranslatedPageMixin, unique_in_language
from knowledgebase.blocks import cited_text_field_blocks
from knowledgebase.codes import COUNTRY_CHOICES, COUNTRY_NAMES
from knowledgebase.models import Cited

from .sections import SECTION_CHOICES, SECTIONS


class Dimension(models.Model):
    """A dimension along which countries are compared, grouped by profile section.

    Staff add dimensions as records, so a new comparison row needs no deploy.
    """

    name = models.CharField(_("naam"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    section = models.CharField(_("sectie"), max_length=40, choices=SECTION_CHOICES)
    description = models.TextField(_("beschrijving"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    themes = models.ManyToManyField("knowledgebase.Theme", verbose_name=_("thema's"), blank=True)

    panels = [
        *slug_panels("name"),
        FieldRowPanel([FieldPanel("section"), FieldPanel("sort_order")]),
        FieldPanel("description"),
        checkbox_panel("themes"),
    ]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("vergelijkingsdimensie")
        verbose_name_plural = _("vergelijkingsdimensies")

    def __str__(self):
        return self.name


class CountryIndexPage(BoardDeletesPageMixin, TranslatedPageMixin, Page):
    """``/landen/``: all country profiles, coloured by knowledge-infrastructure model."""

    intro = RichTextField(_("introductie"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    api_fields = [APIField("intro")]
    parent_page_types = ["portal.HomePage"]
    subpage_types = ["countries.CountryPage"]
    max_count = 1
    template = "countries/country_index_page.html"

    class Meta:
        verbose_name = _("landenoverzicht")

    def get_context(self, request, *args, **kwargs):
        from .selectors import country_index_context

        context = super().get_context(request, *args, **kwargs)
        context.update(country_index_context(self))
        return context


def _section_field(label):
    return StreamField(cited_text_field_blocks(), verbose_name=label, blank=True, use_json_field=True)


class CountryPage(EditionsMixin, BoardDeletesPageMixin, TranslatedPageMixin, Page):
    """A country or region profile, with the section template of the mapping study."""

    code = models.CharField(
        _("land- of regiocode"),
        max_length=10,
        choices=COUNTRY_CHOICES,
        # Unique per language (a translation carries its original's code): see clean().
        db_index=True,
        help_text=_("ISO 3166, met deelgebieden zoals BE-VLG (Vlaanderen) en GB-SCT (Schotland)."),
    )
    summary = models.TextField(_("samenvatting"))
    infrastructure_model = models.ForeignKey(
        "models_infra.InfrastructureModelPage",
        verbose_name=_("kennisinfrastructuurmodel"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="countries",
    )
    last_verified = models.DateField(_("laatst gecontroleerd"), null=True, blank=True)

    context = _section_field(_("context"))
    policy = _section_field(_("beleid en coördinatie"))
    services_education = _section_field(_("aanbod: onderwijs"))
    services_adults = _section_field(_("aanbod: volwassenen en werkenden"))
    services_regional = _section_field(_("aanbod: regionale en one-stop-centra"))
    services_budgets = _section_field(_("aanbod: individuele budgetten en vouchers"))
    services_online = _section_field(_("aanbod: online diensten"))
    qa_professionalisation = _section_field(_("kwaliteit: professionalisering"))
    qa_research = _section_field(_("kwaliteit: onderzoek en monitoring"))
    qa_framework = _section_field(_("kwaliteit: kwaliteitskader"))
    lessons = _section_field(_("lessen voor Nederland"))

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("code"), FieldPanel("last_verified")]),
        FieldPanel("summary"),
        FieldPanel("infrastructure_model"),
    ]
    section_panels = [FieldPanel(key, heading=str(label)) for key, label, _group in SECTIONS]
    facts_panels = [
        InlinePanel("facts", heading=_("Vergelijkbare feiten"), label=_("Feit")),
        InlinePanel("websites", heading=_("Websites"), label=_("Website")),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Profiel")),
            ObjectList(section_panels, heading=_("Secties")),
            ObjectList(facts_panels, heading=_("Feiten en websites")),
            ObjectList(Page.promote_panels, heading=_("Promotie")),
            ObjectList(Page.settings_panels, heading=_("Instellingen")),
        ]
    )
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary", boost=2),
        index.FilterField("code"),
        *[index.SearchField(key) for key, _label, _group in SECTIONS],
    ]
    api_fields = [
        APIField("code"),
        APIField("summary"),
        APIField("last_verified"),
        APIField("infrastructure_model", serializer=ReferenceField(page_reference)),
        *[APIField(key) for key, _label, _group in SECTIONS],
        APIField("facts", serializer=related_records("dimension", "source_study")),
        APIField("websites", serializer=related_records("source_study")),
    ]
    # Fields only a single profile shows in the API (docs/api.md): they read related records.
    api_detail_only_fields = [
        "infrastructure_model",
        *[key for key, _label, _group in SECTIONS],
        "facts",
        "websites",
    ]
    parent_page_types = ["countries.CountryIndexPage"]
    subpage_types = []
    template = "countries/country_page.html"
    edition_body_template = "countries/includes/edition_body.html"
    edition_kind = _("landenprofiel")

    class Meta:
        verbose_name = _("landenprofiel")
        verbose_name_plural = _("landenprofielen")

    def clean(self):
        super().clean()
        unique_in_language(self, "code", _("Er is al een landenprofiel met deze code."))

    @property
    def country_name(self):
        return COUNTRY_NAMES.get(self.code, self.title)

    @cached_property
    def sections(self):
        """(key, heading, group, stream) for each section that has content."""
        return [
            (key, label, group, getattr(self, key)) for key, label, group in SECTIONS if getattr(self, key)
        ]

    def get_context(self, request, *args, **kwargs):
        from .selectors import country_page_context

        context = super().get_context(request, *args, **kwargs)
        context.update(country_page_context(self))
        context.update(self.citation_context(request))
        return context

    # Editions (kit.editions) ------------------------------------------------------------

    def edition_prepare(self, objects):
        from .selectors import attach_fact_relations

        attach_fact_relations([item for obj in objects for item in [*obj.facts.all(), *obj.websites.all()]])

    def edition_context(self, obj):
        from .selectors import edition_context

        return edition_context(obj)

    def edition_sections(self):
        sections = [
            ("title", _("Titel"), [self.title]),
            ("summary", _("Samenvatting"), plain_paragraphs(self.summary)),
        ]
        sections += [(key, label, stream_paragraphs(getattr(self, key))) for key, label, _group in SECTIONS]
        facts = [
            f"{fact.dimension.name}: {fact.value}" + (f" ({fact.detail})" if fact.detail else "")
            for fact in sorted(
                self.facts.all(), key=lambda fact: (fact.dimension.sort_order, fact.dimension.name)
            )
        ]
        sections.append(("facts", _("Vergelijkbare feiten"), facts))
        websites = [
            f"{site.name} ({site.url})" + (f": {site.description}" if site.description else "")
            for site in self.websites.all()
        ]
        sections.append(("websites", _("Websites"), websites))
        return sections


class CountryFact(Cited, Orderable, ClusterableModel):
    """A comparable fact: the country's value on one dimension, with detail and source."""

    page = ParentalKey(CountryPage, related_name="facts", on_delete=models.CASCADE)
    dimension = models.ForeignKey(
        Dimension, verbose_name=_("dimensie"), on_delete=models.PROTECT, related_name="facts"
    )
    value = models.CharField(_("korte waarde"), max_length=80, help_text=_("Past in een tabelcel."))
    detail = models.TextField(_("toelichting"), blank=True)
    framework_elements = ParentalManyToManyField(
        "knowledgebase.FrameworkElement", verbose_name=_("kaderelementen"), blank=True
    )

    panels = [
        FieldRowPanel([FieldPanel("dimension"), FieldPanel("value")]),
        FieldPanel("detail"),
        MultiFieldPanel([FieldPanel("source_study"), FieldPanel("source_locator")], heading=_("Bron")),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("feit")
        verbose_name_plural = _("feiten")
        constraints = [
            models.UniqueConstraint(fields=["page", "dimension"], name="one_fact_per_country_and_dimension"),
        ]

    def __str__(self):
        return f"{self.dimension}: {self.value}"

    def api_representation(self, context):
        """The fact in the API: its dimension, value, detail and public source."""
        dimension = {
            "slug": self.dimension.slug,
            "name": self.dimension.name,
            "section": self.dimension.section,
        }
        return {"dimension": dimension, **cited_fields(self, context, "value", "detail")}


class CountryWebsite(Cited, Orderable):
    """A website a profile lists, with what it offers."""

    page = ParentalKey(CountryPage, related_name="websites", on_delete=models.CASCADE)
    name = models.CharField(_("naam"), max_length=200)
    url = models.URLField(_("adres"), max_length=500, validators=[validate_public_url])
    description = models.TextField(_("wat de site biedt"), blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("url"),
        FieldPanel("description"),
        MultiFieldPanel([FieldPanel("source_study"), FieldPanel("source_locator")], heading=_("Bron")),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("website")
        verbose_name_plural = _("websites")

    def __str__(self):
        return self.name

    def api_representation(self, context):
        """The website in the API, with its public source."""
        return cited_fields(self, context, "name", "url", "description")


class ComparisonSnapshot(models.Model):
    """A comparison saved under a permanent address (``/vergelijken/s/<id>/``), exactly as it
    was shown: the cells, the sources and which edition of each profile it used, in
    ``data`` (``countries/snapshots.py``).

    The id is a hash of that content, so the same comparison of the same editions is one
    snapshot. Nothing about who saved it is stored.
    """

    id = models.CharField(primary_key=True, max_length=32, editable=False)
    created_at = models.DateTimeField(_("gemaakt op"), auto_now_add=True)
    data = models.JSONField(_("gegevens"))

    class Meta:
        verbose_name = _("momentopname van een vergelijking")
        verbose_name_plural = _("momentopnamen van vergelijkingen")

    def __str__(self):
        return self.id

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("countries:compare_snapshot", args=[self.id])
