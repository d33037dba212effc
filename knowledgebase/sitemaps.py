"""Sitemaps of the knowledge base: the public lists and every public record with a page of
its own. ``portal.urls`` puts them in the sitemap index next to Wagtail's pages.

Each sitemap lists what the public pages show and nothing else: live studies, live findings
of live studies, live research questions, and the organisations and themes (which have no
draft state). A record's ``lastmod`` is when it was last published.
"""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from . import selectors
from .models import Organisation, ResearchQuestion, Study, Theme

# Records per sitemap page. The protocol allows 50,000; smaller pages keep each response
# quick at 100,000 studies (a crawler follows the index to the next page).
RECORDS_PER_PAGE = 10_000


class RecordSitemap(Sitemap):
    """Public records of one kind, oldest first so that a record keeps its sitemap page.
    Only the fields its address needs are read (``fields``), and, for a record with a draft
    state, when it was last published."""

    limit = RECORDS_PER_PAGE

    def __init__(self, queryset, fields=("slug",)):
        self.queryset = queryset
        self.published = hasattr(queryset.model, "last_published_at")
        self.fields = [*fields, "last_published_at"] if self.published else list(fields)

    def items(self):
        return self.queryset.order_by("pk").only("pk", *self.fields)

    def lastmod(self, record):
        return record.last_published_at if self.published else None

    def get_latest_lastmod(self):
        # Django's default reads every record for this; the database has an aggregate.
        if not self.published:
            return None
        return self.queryset.order_by().aggregate(latest=Max("last_published_at"))["latest"]


class OverviewSitemap(Sitemap):
    """The lists and overviews that are not Wagtail pages."""

    names = [
        "knowledgebase:theme_list",
        "knowledgebase:gap_map",
        "knowledgebase:study_list",
        "knowledgebase:finding_list",
        "knowledgebase:organisation_list",
        "knowledgebase:question_list",
        "countries:compare",
    ]

    def items(self):
        return self.names

    def location(self, name):
        return reverse(name)


def knowledgebase_sitemaps():
    """The knowledge base's sections of the sitemap index, by name."""
    return {
        "overzichten": OverviewSitemap(),
        "themas": RecordSitemap(Theme.objects.all()),
        "onderzoek": RecordSitemap(Study.objects.published()),
        "bevindingen": RecordSitemap(selectors.published_findings()),
        "organisaties": RecordSitemap(Organisation.objects.all()),
        "kennisagenda": RecordSitemap(ResearchQuestion.objects.published(), fields=()),
    }
