from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.blocks.list_block import ListValue
from wagtail.fields import StreamField
from wagtail.search import index
from wagtail.snippets.blocks import SnippetChooserBlock

from knowledgebase.blocks import TEXT_FEATURES, CitationBlock

from .base import STRENGTH_HELP, EvidenceStrength, ReviewedRecord, revisions_relation


class CitedClaimBlock(blocks.StructBlock):
    """One claim of a bottom line, citing the findings it rests on and/or studies with a
    locator (the portal's citation structure, ``CitationBlock``)."""

    text = blocks.RichTextBlock(features=TEXT_FEATURES, label=_("Uitspraak"))
    # A new claim starts with one finding to choose and no study citation: an empty chooser
    # is dropped on saving, an empty citation would not validate.
    findings = blocks.ListBlock(
        SnippetChooserBlock("knowledgebase.Finding", required=False), label=_("Bevindingen"), required=False
    )
    sources = blocks.ListBlock(CitationBlock(), label=_("Bronnen"), required=False, default=[])

    def clean(self, value):
        value = super().clean(value)
        chosen = [finding for finding in value.get("findings") or [] if finding is not None]
        value["findings"] = ListValue(self.child_blocks["findings"], values=chosen)
        if not value.get("findings") and not value.get("sources"):
            raise blocks.StructBlockValidationError(
                block_errors={
                    "findings": ValidationError(
                        _("Noem de bevinding(en) of de bron(nen) waarop deze uitspraak steunt.")
                    )
                }
            )
        return value

    class Meta:
        icon = "openquote"
        label = _("Uitspraak met bron")
        description = _("Eén uitspraak in eigen woorden met de bevindingen of bronnen waarop hij steunt.")


class LessonBlock(CitedClaimBlock):
    """A lesson for the Netherlands attached to a bottom line: shown apart, never evidence."""

    drawn_by = blocks.ChoiceBlock(
        choices=[("source", _("de bron trekt de les")), ("portal", _("de redactie leidt de les af"))],
        label=_("Wie trekt de les"),
    )

    class Meta:
        icon = "pick"
        label = _("Les voor Nederland")


class BottomLine(ReviewedRecord):
    """ "Wat we weten": the editors' summary of the evidence on one theme, with how sure the
    portal is (on the strength scale) and why, and when it was last checked."""

    theme = models.OneToOneField(
        "knowledgebase.Theme", verbose_name=_("thema"), on_delete=models.CASCADE, related_name="bottom_line"
    )
    summary = StreamField(
        [("claim", CitedClaimBlock())],
        verbose_name=_("samenvatting"),
        help_text=_(
            "Drie tot zes uitspraken van één zin, elk met de bevindingen of bronnen waarop ze steunen."
        ),
    )
    confidence = models.CharField(
        _("zekerheid"),
        max_length=20,
        choices=EvidenceStrength.choices,
        help_text=_("Nooit sterker dan de sterkste geciteerde bevinding of bron. ") + STRENGTH_HELP,
    )
    confidence_reason = models.TextField(
        _("waarom dit niveau"),
        help_text=_("Welke bronnen de kern dragen, hun ouderdom, wat ze niet laten zien."),
    )
    last_reviewed = models.DateField(_("laatst beoordeeld"))
    lessons = StreamField(
        [("lesson", LessonBlock())],
        verbose_name=_("lessen voor Nederland"),
        blank=True,
        help_text=_("Los van het bewijs getoond en als les gemarkeerd."),
    )

    _revisions, workflow_states = revisions_relation("bottomline")

    panels = [
        FieldPanel("theme"),
        FieldPanel("summary"),
        FieldRowPanel([FieldPanel("confidence"), FieldPanel("last_reviewed")]),
        FieldPanel("confidence_reason"),
        FieldPanel("lessons"),
    ]
    search_fields = [
        index.RelatedFields("theme", [index.SearchField("name")]),
        index.FilterField("live"),
    ]

    class Meta:
        ordering = ["theme__name"]
        verbose_name = _("wat we weten")
        verbose_name_plural = _("wat we weten (per thema)")

    def __str__(self):
        return str(_("Wat we weten: %(theme)s") % {"theme": self.theme.name if self.theme_id else "…"})

    def get_absolute_url(self):
        return reverse("knowledgebase:theme_detail", args=[self.theme.slug])

    def get_preview_template(self, request, mode_name):
        return "knowledgebase/theme_detail.html"

    def get_preview_context(self, request, mode_name):
        # The knowledge base's part of the theme hub; the admin's viewsets (hubs.wagtail_hooks)
        # add the countries' facts, which this layer cannot import.
        from knowledgebase.selectors import theme_detail_context

        if not self.theme_id:
            return {"is_preview": True, "theme": None}
        return theme_detail_context(self.theme, is_preview=True, bottom_line=self)
