from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable
from wagtail.search import index

from kit.panels import slug_panels

from .base import Cited, ReviewedRecord, revisions_relation


class Framework(ReviewedRecord, Cited):
    """A framework used to read the evidence, such as the ten ELGPN principles.

    Frameworks are reviewed like studies: a new framework, or a changed element, is public
    once the board approves it. Its elements are part of it (an inline), so a draft element
    lives in the framework's draft and never reaches the public pages before it.
    """

    name = models.CharField(_("naam"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    description = models.TextField(_("beschrijving"), blank=True)

    _revisions, workflow_states = revisions_relation("framework")

    panels = [
        *slug_panels("name"),
        FieldPanel("description"),
        FieldPanel("source_study"),
        FieldPanel("source_locator"),
        InlinePanel("elements", label=_("Elementen")),
    ]
    search_fields = [
        index.SearchField("name", boost=3),
        index.AutocompleteField("name"),
        index.SearchField("description"),
        index.FilterField("live"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("kader")
        verbose_name_plural = _("kaders")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("knowledgebase:framework_detail", args=[self.slug])

    def get_preview_template(self, request, mode_name):
        return "knowledgebase/framework_detail.html"

    def get_preview_context(self, request, mode_name):
        from knowledgebase.selectors import framework_detail_context

        return framework_detail_context(self, is_preview=True)


class FrameworkElement(Cited, Orderable):
    """One element of a framework (a principle, a quality domain, a checklist point)."""

    framework = ParentalKey(Framework, related_name="elements", on_delete=models.CASCADE)
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("naam"), max_length=200)
    description = models.TextField(_("beschrijving"), blank=True)

    panels = [
        FieldPanel("code"),
        FieldPanel("name"),
        FieldPanel("description"),
        FieldPanel("source_study"),
        FieldPanel("source_locator"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("kaderelement")
        verbose_name_plural = _("kaderelementen")
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="unique_framework_element_code"),
        ]

    def __str__(self):
        return f"{self.framework.name} {self.code}. {self.name}" if self.framework_id else self.name

    @property
    def anchor(self):
        """The id of the element on its framework's page and of its row in the lens."""
        return f"element-{self.code}"


class Assessment(models.TextChoices):
    """How far a country has a framework element in place, according to the sources."""

    PRESENT = "present", _("Aanwezig")
    PARTLY = "partly", _("Gedeeltelijk")
    ABSENT = "absent", _("Afwezig")
    NOT_DESCRIBED = "not_described", _("Niet beschreven in de bronnen")


class FrameworkAssessmentForm(WagtailAdminModelForm):
    """Lists the elements by framework and in order, each read with its framework at once."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["element"].queryset = FrameworkElement.objects.select_related("framework").order_by(
            "framework__name", "sort_order", "id"
        )


class FrameworkAssessment(ReviewedRecord, Cited):
    """The editors' reading of one framework element in one country: present, partly, absent
    or not described in the sources, with a one-line reason and the source it rests on.

    A cell of the framework lens (elements by countries). Without a published assessment whose
    source is public, the lens says the sources do not describe it.
    """

    element = models.ForeignKey(
        FrameworkElement,
        verbose_name=_("kaderelement"),
        on_delete=models.CASCADE,
        related_name="assessments",
    )
    country = models.ForeignKey(
        "countries.CountryPage",
        verbose_name=_("land of regio"),
        on_delete=models.CASCADE,
        related_name="framework_assessments",
    )
    assessment = models.CharField(_("oordeel"), max_length=20, choices=Assessment.choices)
    reason = models.CharField(
        _("reden"),
        max_length=200,
        help_text=_("Eén regel: wat de bron beschrijft. Stilte in een bron is geen afwezigheid."),
    )

    _revisions, workflow_states = revisions_relation("framework_assessment")

    base_form_class = FrameworkAssessmentForm
    panels = [
        FieldPanel("element"),
        FieldPanel("country"),
        FieldPanel("assessment"),
        FieldPanel("reason"),
        MultiFieldPanel([FieldPanel("source_study"), FieldPanel("source_locator")], heading=_("Bron")),
    ]
    search_fields = [
        index.SearchField("reason"),
        index.FilterField("live"),
        index.FilterField("assessment"),
    ]

    class Meta:
        ordering = ["element__framework__name", "element__sort_order", "id"]
        verbose_name = _("kaderoordeel")
        verbose_name_plural = _("kaderoordelen")
        constraints = [
            models.UniqueConstraint(fields=["element", "country"], name="unique_framework_assessment_cell"),
        ]

    def __str__(self):
        if not self.element_id or not self.country_id:
            return str(_("kaderoordeel"))
        return f"{self.element}, {self.country.title}: {self.get_assessment_display()}"

    def get_preview_template(self, request, mode_name):
        return "knowledgebase/framework_lens.html"

    def get_preview_context(self, request, mode_name):
        from knowledgebase.selectors import framework_lens_context

        framework = self.element.framework if self.element_id else Framework(name=str(_("kaderoordeel")))
        return framework_lens_context(framework, preview_assessment=self)
