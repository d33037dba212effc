from django.db import models
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable
from wagtail.search import index

from kit.panels import checkbox_panel

from .base import Cited, ReviewedRecord, revisions_relation


class QuestionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In onderzoek")
    ANSWERED = "answered", _("Beantwoord")
    PARKED = "parked", _("Geparkeerd")


class ResearchQuestion(ReviewedRecord, Cited):
    """A question on the knowledge agenda: who raised it, where, and which studies address it.

    ``source_study``/``source_locator`` (from ``Cited``) record where the question was raised.
    """

    question = models.TextField(_("vraag"))
    explanation = models.TextField(_("toelichting"), blank=True)
    raised_by = models.ForeignKey(
        "knowledgebase.Organisation",
        verbose_name=_("gesteld door"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="research_questions",
    )
    themes = ParentalManyToManyField("knowledgebase.Theme", verbose_name=_("thema's"), blank=True)
    countries = ParentalManyToManyField("countries.CountryPage", verbose_name=_("landen"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=QuestionStatus.choices, default=QuestionStatus.OPEN
    )
    owner = models.CharField(_("eigenaar"), max_length=200, blank=True)
    import_key = models.SlugField(
        _("importsleutel"), max_length=120, unique=True, null=True, blank=True, editable=False
    )

    _revisions, workflow_states = revisions_relation("research_question")

    panels = [
        FieldPanel("question"),
        FieldPanel("explanation"),
        FieldRowPanel([FieldPanel("status"), FieldPanel("owner")]),
        MultiFieldPanel(
            [FieldPanel("raised_by"), FieldPanel("source_study"), FieldPanel("source_locator")],
            heading=_("Gesteld door en waar"),
        ),
        MultiFieldPanel([checkbox_panel("themes"), checkbox_panel("countries")], heading=_("Koppelingen")),
        InlinePanel("study_links", label=_("Onderzoeken die de vraag behandelen")),
    ]
    search_fields = [
        index.SearchField("question", boost=2),
        index.AutocompleteField("question"),
        index.SearchField("explanation"),
        index.FilterField("live"),
        index.FilterField("status"),
    ]

    class Meta:
        ordering = ["status", "id"]
        verbose_name = _("onderzoeksvraag")
        verbose_name_plural = _("onderzoeksvragen")

    def __str__(self):
        return Truncator(self.question).chars(90)

    def get_absolute_url(self):
        return reverse("knowledgebase:question_detail", args=[self.pk])

    @property
    def public_raised_by(self):
        """The organisation that raised the question if the public may see it, else ``None``."""
        organisation = self.raised_by
        return organisation if organisation is not None and organisation.live else None

    def get_preview_template(self, request, mode_name):
        return "knowledgebase/question_detail.html"

    def get_preview_context(self, request, mode_name):
        return {"question": self, "is_preview": True}


class StudyLinkKind(models.TextChoices):
    ADDRESSES = "addresses", _("behandelt de vraag")
    ANSWERS = "answers", _("beantwoordt de vraag")


class ResearchQuestionStudy(Orderable):
    """A study that addresses or answers a research question."""

    question = ParentalKey(ResearchQuestion, related_name="study_links", on_delete=models.CASCADE)
    study = models.ForeignKey(
        "knowledgebase.Study",
        verbose_name=_("onderzoek"),
        on_delete=models.CASCADE,
        related_name="question_links",
    )
    kind = models.CharField(
        _("soort"), max_length=20, choices=StudyLinkKind.choices, default=StudyLinkKind.ADDRESSES
    )

    panels = [FieldPanel("study"), FieldPanel("kind")]

    class Meta(Orderable.Meta):
        verbose_name = _("gekoppeld onderzoek")
        verbose_name_plural = _("gekoppelde onderzoeken")
        constraints = [
            models.UniqueConstraint(fields=["question", "study"], name="unique_question_study"),
        ]
