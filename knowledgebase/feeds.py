"""An Atom feed of newly published studies, for any filter of ``/onderzoek/``: a policymaker
who follows a theme or a country subscribes to the list they are looking at.

The feed takes the list's filters (``StudyFilterSet``) and is always ordered by first
publication, newest first (``views.study_feed`` chooses the studies). Like the list, it
shows public studies only; which ids it lists is cached per content version and the studies
are read per request (``CachedPages``).
"""

from django.contrib.syndication.views import Feed
from django.db.models import F
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from kit.downloads import clean_text

# How many studies a feed holds.
FEED_LENGTH = 50
# The newest publication first. Studies loaded in bulk (an import, synthetic data) may have no
# publication date: they come after the dated ones, on every database. The id breaks ties.
FEED_ORDER = [F("first_published_at").desc(nulls_last=True), "-pk"]


class StudyFeed(Feed):
    """Call with the filterset of the request (bound and valid, or unbound) as ``filterset``
    and the studies to list as ``studies``."""

    feed_type = Atom1Feed
    language = "nl"

    def get_object(self, request, filterset, studies):
        self.request = request
        self.studies = studies
        return filterset

    def title(self, filterset):
        chosen = filterset.form.cleaned_data if filterset.is_bound else {}
        topics = [clean_text(str(chosen[name])) for name in ("theme", "country", "model") if chosen.get(name)]
        if topics:
            return _("Kennisportaal Loopbaanbegeleiding: nieuw onderzoek over %(topics)s") % {
                "topics": ", ".join(topics)
            }
        return _("Kennisportaal Loopbaanbegeleiding: nieuw onderzoek")

    def subtitle(self, filterset):
        return _("De laatst gepubliceerde onderzoeken in de kennisbank, nieuwste eerst.")

    def link(self, filterset):
        query = self.request.GET.urlencode()
        return reverse("knowledgebase:study_list") + (f"?{query}" if query else "")

    def feed_url(self, filterset):
        return self.request.get_full_path()

    def items(self, filterset):
        return self.studies

    # Text from the records passes clean_text: XML has no place for control characters.

    def item_title(self, study):
        return clean_text(str(study))

    def item_description(self, study):
        # Atom readers take a summary as HTML; the summary is plain text.
        return escape(Truncator(clean_text(study.summary)).words(80))

    def item_author_name(self, study):
        return clean_text("; ".join(study.author_names)) or None

    def item_categories(self, study):
        return [clean_text(theme.name) for theme in study.themes.all()]

    def item_pubdate(self, study):
        return study.first_published_at

    def item_updateddate(self, study):
        return study.last_published_at
