from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable
from wagtail.search import index

from kit.outbound import validate_public_url
from kit.panels import slug_panels
from knowledgebase.codes import COUNTRY_CHOICES

from .base import Cited, ReviewedRecord, revisions_relation


class OrganisationKind(models.TextChoices):
    MINISTRY = "ministry", _("Ministerie of overheid")
    AGENCY = "agency", _("Uitvoeringsorganisatie")
    PUBLIC_SERVICE = "public_service", _("Publieke dienst")
    EDUCATION = "education", _("Onderwijsinstelling")
    RESEARCH = "research", _("Onderzoeksinstelling")
    NETWORK = "network", _("Netwerk")
    ASSOCIATION = "association", _("Beroeps- of brancheorganisatie")
    FOUNDATION = "foundation", _("Stichting of fonds")
    PROGRAMME = "programme", _("Programma")
    INTERNATIONAL = "international", _("Internationale organisatie")
    OTHER = "other", _("Overig")


class RelationKind(models.TextChoices):
    AGENCY_OF = "agency_of", _("is uitvoeringsorganisatie van")
    FUNDS = "funds", _("financiert")
    COMMISSIONS_RESEARCH_FROM = "commissions_research_from", _("geeft onderzoeksopdrachten aan")
    MEMBER_OF = "member_of", _("is lid van")
    PARTNERS_WITH = "partners_with", _("werkt samen met")
    COORDINATES = "coordinates", _("coördineert")
    TRAINS_PRACTITIONERS_FOR = "trains_practitioners_for", _("leidt professionals op voor")
    STEERS = "steers", _("stuurt")
    PART_OF = "part_of", _("is onderdeel van")
    ADVISES = "advises", _("adviseert")


class Organisation(ReviewedRecord, Cited):
    """An organisation, network, agency or programme involved in career guidance.

    Organisations and their relations go through review: a new organisation, or a changed
    relation, is public once the board approves it. A relation is shown only while both of its
    organisations are public.
    """

    name = models.CharField(_("naam"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    full_name = models.CharField(_("volledige naam"), max_length=300, blank=True)
    kind = models.CharField(_("soort"), max_length=30, choices=OrganisationKind.choices)
    country_code = models.CharField(_("land of regio"), max_length=10, choices=COUNTRY_CHOICES, blank=True)
    website = models.URLField(_("website"), blank=True, validators=[validate_public_url])
    description = models.TextField(_("beschrijving"), blank=True)
    editor_note = models.TextField(
        _("noot van de redactie"),
        blank=True,
        help_text=_(
            "Context die de bron niet geeft maar die een lezer nodig heeft, zoals een uitgeschreven "
            "afkorting of de naam in de eigen taal. Wordt apart van de beschrijving getoond als noot "
            "van de redactie en telt niet als bewijs. De beschrijving zelf zegt alleen wat de bron zegt."
        ),
    )

    _revisions, workflow_states = revisions_relation("organisation")

    panels = [
        *slug_panels("name"),
        FieldPanel("full_name"),
        FieldPanel("kind"),
        FieldPanel("country_code"),
        FieldPanel("website"),
        FieldPanel("description"),
        MultiFieldPanel([FieldPanel("source_study"), FieldPanel("source_locator")], heading=_("Bron")),
        FieldPanel("editor_note"),
        InlinePanel("relations", label=_("Relaties met andere organisaties")),
    ]
    search_fields = [
        index.SearchField("name", boost=3),
        index.AutocompleteField("name"),
        index.SearchField("full_name", boost=2),
        index.SearchField("description"),
        index.FilterField("kind"),
        index.FilterField("country_code"),
        index.FilterField("live"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisatie")
        verbose_name_plural = _("organisaties")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("knowledgebase:organisation_detail", args=[self.slug])

    def get_preview_template(self, request, mode_name):
        return "knowledgebase/organisation_detail.html"

    def get_preview_context(self, request, mode_name):
        from knowledgebase.selectors import organisation_detail_context

        return organisation_detail_context(self, preview=True)


class OrganisationRelation(Cited, Orderable):
    """A typed, directed relation: ``organisation`` <kind> ``target``."""

    organisation = ParentalKey(Organisation, related_name="relations", on_delete=models.CASCADE)
    kind = models.CharField(_("soort relatie"), max_length=40, choices=RelationKind.choices)
    target = models.ForeignKey(
        Organisation, verbose_name=_("met"), related_name="incoming_relations", on_delete=models.CASCADE
    )
    note = models.CharField(_("toelichting"), max_length=300, blank=True)

    panels = [
        FieldPanel("kind"),
        FieldPanel("target"),
        FieldPanel("note"),
        FieldPanel("source_study"),
        FieldPanel("source_locator"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("relatie")
        verbose_name_plural = _("relaties")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind", "target"], name="unique_organisation_relation"
            ),
            models.CheckConstraint(
                condition=~models.Q(organisation=models.F("target")), name="relation_not_to_self"
            ),
        ]

    def __str__(self):
        return f"{self.organisation} {self.get_kind_display()} {self.target}"
