"""Sitemaps of the knowledge base: the public lists and every public record with a page of
its own. ``portal.urls`` puts them in the sitemap index next to Wagtail's pages.

Each sitemap lists what the public pages show and nothing else: live studies, live findings
of live studies, live research questions, live themes, organisations and frameworks (each
framework twice: its page and its lens). A record's ``lastmod`` is when it was last published.
"""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse
from django.utils.functional import cached_property

from knowledgebase import selectors
from knowledgebase.models import ResearchQuestion, Study

# Records per sitemap page. The protocol allows 50,000; smaller pages keep each response
# short (a crawler follows the index to the next page).
RECORDS_PER_PAGE = 10_000


class RecordSitemap(Sitemap):
    """Public records of one kind, oldest first so that a record keeps its sitemap page.

    No model instance is built and no address is resolved per record: the records are read
    as (key, last published) pairs and the address is put together from the pattern of
    ``url_name`` resolved once (a test checks it equals ``get_absolute_url``).
    """

    limit = RECORDS_PER_PAGE

    def __init__(self, queryset, url_name, key="slug"):
        self.queryset = queryset
        self.url_name = url_name
        self.key = key
        self.published = hasattr(queryset.model, "last_published_at")

    def items(self):
        fields = [self.key, "last_published_at"] if self.published else [self.key]
        return self.queryset.order_by("pk").values_list(*fields)

    @cached_property
    def _around_key(self):
        """What comes before and after the key in the address of a record."""
        marker = "0" * 12 if self.key == "pk" else "sitemap-sleutel"  # a key no record has
        return reverse(self.url_name, args=[marker]).rsplit(marker, 1)

    def location(self, item):
        head, tail = self._around_key
        return f"{head}{item[0]}{tail}"

    def lastmod(self, item):
        return item[1] if self.published else None

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
        "knowledgebase:framework_list",
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
        "themas": RecordSitemap(selectors.public_themes(), "knowledgebase:theme_detail"),
        "onderzoek": RecordSitemap(Study.objects.published(), "knowledgebase:study_detail"),
        "bevindingen": RecordSitemap(selectors.published_findings(), "knowledgebase:finding_detail"),
        "organisaties": RecordSitemap(selectors.public_organisations(), "knowledgebase:organisation_detail"),
        "kaders": RecordSitemap(selectors.public_frameworks(), "knowledgebase:framework_detail"),
        "kaderlenzen": RecordSitemap(selectors.public_frameworks(), "knowledgebase:framework_lens"),
        "kennisagenda": RecordSitemap(
            ResearchQuestion.objects.published(), "knowledgebase:question_detail", key="pk"
        ),
    }
