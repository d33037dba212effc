from django.db import models
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.search import index

from kit.panels import checkbox_panel

from .base import STRENGTH_HELP, EvidenceStrength, ReviewedRecord, revisions_relation


class Finding(ReviewedRecord):
    """A statement drawn from a study, with where in the study it stands and how strong it is.

    Lessons for the Netherlands are findings with ``lesson_for_nl`` set.
    """

    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    statement = models.TextField(_("bevinding"))
    study = models.ForeignKey(
        "knowledgebase.Study", verbose_name=_("onderzoek"), on_delete=models.PROTECT, related_name="findings"
    )
    locator = models.CharField(
        _("vindplaats"), max_length=200, help_text=_("Hoofdstuk, paragraaf of pagina.")
    )
    themes = ParentalManyToManyField("knowledgebase.Theme", verbose_name=_("thema's"), blank=True)
    countries = ParentalManyToManyField("countries.CountryPage", verbose_name=_("landen"), blank=True)
    strength = models.CharField(
        _("bewijskracht"), max_length=20, choices=EvidenceStrength.choices, help_text=STRENGTH_HELP
    )
    lesson_for_nl = models.BooleanField(_("les voor Nederland"), default=False)
    framework_elements = ParentalManyToManyField(
        "knowledgebase.FrameworkElement", verbose_name=_("kaderelementen"), blank=True
    )

    _revisions, workflow_states = revisions_relation("finding")

    panels = [
        FieldPanel("statement"),
        FieldPanel("slug"),
        FieldRowPanel([FieldPanel("study"), FieldPanel("locator")]),
        FieldRowPanel([FieldPanel("strength"), FieldPanel("lesson_for_nl")]),
        MultiFieldPanel(
            [checkbox_panel("themes"), checkbox_panel("countries"), FieldPanel("framework_elements")],
            heading=_("Koppelingen"),
        ),
    ]
    search_fields = [
        index.SearchField("statement", boost=2),
        index.AutocompleteField("statement"),
        index.RelatedFields("study", [index.SearchField("title")]),
        index.FilterField("live"),
        index.FilterField("strength"),
        index.FilterField("lesson_for_nl"),
    ]

    class Meta:
        ordering = ["study", "id"]
        verbose_name = _("bevinding")
        verbose_name_plural = _("bevindingen")
        # The published findings in id order with their study: a filtered search checks a
        # finding without reading its row.
        # The lessons for the Netherlands, a few among many findings: a page's short list of
        # them starts from these rather than from every finding.
        indexes = [
            models.Index(fields=["id", "study"], condition=models.Q(live=True), name="kb_finding_public"),
            models.Index(
                fields=["id", "study"],
                condition=models.Q(live=True, lesson_for_nl=True),
                name="kb_finding_lessons",
            ),
        ]

    def __str__(self):
        return Truncator(self.statement).chars(90)

    def get_absolute_url(self):
        return reverse("knowledgebase:finding_detail", args=[self.slug])

    def get_preview_template(self, request, mode_name):
        return "knowledgebase/finding_detail.html"

    def get_preview_context(self, request, mode_name):
        return {"finding": self, "is_preview": True}
