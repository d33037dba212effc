from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel
from wagtail.search import index

from kit.panels import checkbox_panel, slug_panels

from .base import ReviewedRecord, revisions_relation


class Theme(ReviewedRecord):
    """A theme of the taxonomy policymakers search by, such as quality assurance.

    Themes go through the same review as studies: a new theme, or a changed description,
    is public once the board approves it.
    """

    name = models.CharField(_("naam"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    description = models.TextField(_("beschrijving"))
    related = ParentalManyToManyField(
        "self", verbose_name=_("verwante thema's"), blank=True, symmetrical=True
    )

    _revisions, workflow_states = revisions_relation("theme")

    panels = [*slug_panels("name"), FieldPanel("description"), checkbox_panel("related")]
    search_fields = [
        index.SearchField("name", boost=3),
        index.AutocompleteField("name"),
        index.SearchField("description"),
        index.FilterField("slug"),
        index.FilterField("live"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("thema")
        verbose_name_plural = _("thema's")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("knowledgebase:theme_detail", args=[self.slug])

    def get_preview_template(self, request, mode_name):
        return "knowledgebase/theme_detail.html"

    def get_preview_context(self, request, mode_name):
        # The knowledge base's part of the theme hub; the admin's viewsets (hubs.wagtail_hooks)
        # add the countries' facts, which this layer cannot import.
        from knowledgebase.selectors import theme_detail_context

        return theme_detail_context(self, is_preview=True)
