"""Site-level pages: the home page and generic content pages (about, accessibility, privacy)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from kit.page_permissions import BoardDeletesPageMixin
from kit.translations import TranslatedPageMixin, route_through_source


class HomePage(BoardDeletesPageMixin, TranslatedPageMixin, Page):
    """The portal's front page: what it is for and the way into each section."""

    intro = RichTextField(_("introductie"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    api_fields = [APIField("intro")]
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1
    template = "portal/home_page.html"

    class Meta:
        verbose_name = _("startpagina")

    def route(self, request, path_components):
        # Every address is routed through the Dutch tree; see kit.translations.
        return route_through_source(self, request, path_components, Page.route)


class ContentPage(BoardDeletesPageMixin, TranslatedPageMixin, Page):
    """A generic page with rich text, such as the accessibility statement or privacy page."""

    intro = models.TextField(_("samenvatting"), blank=True)
    body = RichTextField(_("tekst"), features=["h2", "h3", "bold", "italic", "link", "ol", "ul"])

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    api_fields = [APIField("intro"), APIField("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]
    parent_page_types = ["portal.HomePage", "portal.ContentPage"]
    subpage_types = ["portal.ContentPage"]
    template = "portal/content_page.html"

    class Meta:
        verbose_name = _("inhoudspagina")


class StarterContentRecord(models.Model):
    """A record the starter-content loader created, so a later run updates only what it owns.

    ``content_hash`` is the hash of the data-file item last applied; an unchanged item is
    skipped, so staff edits to it survive until the file itself changes.
    """

    kind = models.CharField(max_length=40)
    key = models.CharField(max_length=200)
    object_id = models.PositiveBigIntegerField(null=True)
    content_hash = models.CharField(max_length=64)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="unique_starter_content_record")]

    def __str__(self):
        return f"{self.kind}:{self.key}"


# Longer addresses (only a link typed into a text could be one) are not checked.
MAX_URL_LENGTH = 2000


class LinkCheck(models.Model):
    """The last check of an external address the content links to (``portal.links``).

    Kept in ``portal``, not with the content, so that recording a check does not start a new
    content version.
    """

    url = models.URLField(max_length=MAX_URL_LENGTH, unique=True)
    ok = models.BooleanField()
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.CharField(max_length=200, blank=True)
    checked_at = models.DateTimeField()

    class Meta:
        verbose_name = _("linkcontrole")
        verbose_name_plural = _("linkcontroles")
        # The board may start a check from the link report (portal.link_report).
        permissions = [("run_link_check", "Kan de linkcontrole starten")]

    def __str__(self):
        return self.url

    @property
    def problem(self):
        """What went wrong, in a few words: the HTTP status or the error."""
        return f"HTTP {self.status_code}" if self.status_code else self.error


class Heartbeat(models.Model):
    """When a background job last ran, by name (``scheduler``: publishing what is scheduled).

    The dashboard warns editors when the scheduler has not run for a while, since scheduled
    pages and records then never go live (``portal.scheduling``).
    """

    name = models.CharField(max_length=40, unique=True)
    seen_at = models.DateTimeField()

    def __str__(self):
        return f"{self.name}: {self.seen_at:%Y-%m-%d %H:%M}"
