from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.search import index

from portal.panels import checkbox_panel


class Theme(index.Indexed, models.Model):
    """A theme of the taxonomy policymakers search by, such as quality assurance."""

    name = models.CharField(_("naam"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    description = models.TextField(_("beschrijving"))
    related = models.ManyToManyField("self", verbose_name=_("verwante thema's"), blank=True, symmetrical=True)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description"), checkbox_panel("related")]
    search_fields = [
        index.SearchField("name", boost=3),
        index.AutocompleteField("name"),
        index.SearchField("description"),
        index.FilterField("slug"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("thema")
        verbose_name_plural = _("thema's")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("knowledgebase:theme_detail", args=[self.slug])
