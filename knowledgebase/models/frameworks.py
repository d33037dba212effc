from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.models import Orderable

from portal.panels import slug_panels

from .base import Cited


class Framework(Cited, ClusterableModel):
    """A framework used to read the evidence, such as the ten ELGPN principles."""

    name = models.CharField(_("naam"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    description = models.TextField(_("beschrijving"), blank=True)

    panels = [
        *slug_panels("name"),
        FieldPanel("description"),
        FieldPanel("source_study"),
        FieldPanel("source_locator"),
        InlinePanel("elements", label=_("Elementen")),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("kader")
        verbose_name_plural = _("kaders")

    def __str__(self):
        return self.name


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
