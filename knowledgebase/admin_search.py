"""The search box of the admin's study listing: studies by title, author, publisher and DOI.

Wagtail's snippet listings search through the search backend's autocomplete, which for a
study covers its title only: "OECD" did not find the OECD study, whose title does not name it,
and a common word ranked every match. Editors look for a
study they know by a name, a word of its title, its publisher or its DOI, so the listing asks
the database for the studies whose title, publisher, DOI or one of whose authors *contains*
every word (case-insensitive), drafts included, in the listing's own order.

No single SQL form is fast for every word on a large table (PostgreSQL, trigram indexes on
the four columns from migration ``0009_admin_listing_indexes``):

- A **rare** word (the OECD, a DOI) is found through the indexes: one scan of the studies and
  one of the authors, joined by ``UNION ALL``; an ``OR`` across a study and its authors cannot
  use them and reads every study.
- A **common** word (a surname in a fifth of the studies) is found by reading the listing in
  its order (``kb_study_newest``) and testing each study until the page is full, a few hundred
  rows; through the indexes, every match would be fetched and sorted first.

So each word's matches are first counted up to ``RARE_LIMIT`` (a capped count stops early),
and the listing is filtered through the rarest word's matches when that word is rare, and
row by row otherwise. For common words the listing's total is counted from each word's
distinct matches (their number for one word), not by testing every study in the ``OR`` form.
SQLite, with a local database of a few thousand studies at most, runs the same SQL.
"""

import re
from operator import itemgetter

from django.db.models import Exists, OuterRef, Q

from .models import Study, StudyAuthor

# A word with fewer matches than this is looked up through the indexes; a more common one by
# reading the listing in order and testing each study until the page is full: the commoner the
# word, the fewer rows that takes.
RARE_LIMIT = 1000
# A word longer than any title, or more words than anyone types, is not a search.
MAX_WORDS = 8
MAX_WORD_LENGTH = 200
DOI_PREFIX = re.compile(r"^(https?://(dx\.)?doi\.org/|doi:)", re.IGNORECASE)


def search_words(query):
    """The words of ``query`` that a study must contain: split on white space (a DOI stays
    one word, without a doi.org prefix), at most ``MAX_WORDS``."""
    words = [DOI_PREFIX.sub("", word)[:MAX_WORD_LENGTH] for word in query.split()]
    return [word for word in words if word][:MAX_WORDS]


def _own(word):
    return Q(title__icontains=word) | Q(publisher__icontains=word) | Q(doi__icontains=word)


def _ids_containing(word, *, distinct=False):
    """The ids of the studies that contain ``word``: the studies' own columns, then the
    authors, each scan through its index. Without ``distinct``, a study found in both scans
    comes twice."""
    own = Study.objects.order_by().filter(_own(word)).values("pk")
    by_author = StudyAuthor.objects.order_by().filter(name__icontains=word).values("study_id")
    return own.union(by_author, all=not distinct).order_by()


def _contains(word):
    """The condition that a study contains ``word``, tested on each study row."""
    return _own(word) | Exists(StudyAuthor.objects.filter(study=OuterRef("pk"), name__icontains=word))


class StudySearch:
    """One search of the admin's study listing (``query`` as typed)."""

    def __init__(self, query):
        words = search_words(query)
        # Each word with its number of matches, capped at RARE_LIMIT, rarest first.
        counted = [(word, _ids_containing(word)[:RARE_LIMIT].count()) for word in words]
        self.words = sorted(counted, key=itemgetter(1))

    @property
    def rare(self):
        """Whether some word has fewer than ``RARE_LIMIT`` matches."""
        return bool(self.words) and self.words[0][1] < RARE_LIMIT

    def filter(self, queryset):
        """The studies of ``queryset`` that contain every word, in the queryset's order."""
        words = [word for word, _count in self.words]
        if self.rare:
            queryset = queryset.filter(pk__in=_ids_containing(words.pop(0)))
        return queryset.filter(*(_contains(word) for word in words))

    def count(self):
        """The number of matches, when it can be had without testing every study: for common
        words, the distinct ids each word's scans return (for one word, their number), so
        only matching studies are read. ``None`` otherwise: the listing counts its filtered
        queryset, which for rare words is cheap."""
        if self.rare or not self.words:
            return None
        if len(self.words) == 1:
            return _ids_containing(self.words[0][0], distinct=True).count()
        queryset = Study.objects.order_by()
        for word, _count in self.words:
            queryset = queryset.filter(pk__in=_ids_containing(word, distinct=True))
        return queryset.count()
