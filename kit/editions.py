"""Editions of a page: every time a page was published is an edition, numbered 1..n in the
order they were published, and each can be read, compared and cited.

An edition is a Wagtail revision that was published: a ``wagtail.publish`` entry of the
page's log (``PageLogEntry``) names it. Drafts (revisions saved but never published) and
revisions that were scheduled but never went live have no such entry, so they are never an
edition. A page that is not live, or that is behind a view restriction, has no public
editions: ``EditionsMixin.route`` answers 404 for its ``versies/`` addresses, and Wagtail's
own routing already does for a page that is not live. A translation is served at the Dutch
address only while its Dutch page is live and public (``kit.translations``), so its
editions are public only then too.

The numbering is stable: it counts every publication, also one whose revision was purged
later (that edition is listed as no longer available).

Pages that have editions mix in ``EditionsMixin`` and give ``edition_sections`` (the text of
an edition, per section, as plain paragraphs for the comparison) and
``edition_body_template`` (how an edition's text is shown).
"""

import contextvars
import datetime
import difflib
import html
import re
from dataclasses import dataclass

from django.db.models import Q
from django.db.models.deletion import ProtectedError
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from modelcluster.models import get_all_child_relations
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import PageLogEntry, Revision, WorkflowState

from kit.downloads import attachment

from . import page_citations
from .translations import content_language

PUBLISH_ACTION = "wagtail.publish"

# While set, a page built from a revision does not look up each foreign key of its child
# rows one query at a time (modelcluster's ``check_fks``): ``edition_prepare`` loads them
# in bulk and copes with rows that are gone.
_reading_edition = contextvars.ContextVar("reading_edition", default=False)


@dataclass(frozen=True)
class Edition:
    number: int
    revision_id: int | None
    published_at: datetime.datetime

    @property
    def available(self):
        return self.revision_id is not None


def editions(page):
    """The editions of ``page``, oldest first (one query)."""
    if page.pk is None:
        return []
    entries = (
        PageLogEntry.objects.filter(page_id=page.pk, action=PUBLISH_ACTION)
        .order_by("timestamp", "pk")
        .values_list("revision_id", "timestamp")
    )
    return [
        Edition(number, revision_id, timestamp)
        for number, (revision_id, timestamp) in enumerate(entries, start=1)
    ]


def current_edition(page, all_editions):
    """The edition the public sees now: the one of the live revision, else the newest."""
    for edition in reversed(all_editions):
        if edition.revision_id == page.live_revision_id:
            return edition
    return all_editions[-1] if all_editions else None


def latest_editions(pages):
    """{page id: the current ``Edition``} for ``pages`` (one query however many pages)."""
    pages = [page for page in pages if page.pk]
    by_page = {}
    entries = (
        PageLogEntry.objects.filter(page_id__in=[page.pk for page in pages], action=PUBLISH_ACTION)
        .order_by("timestamp", "pk")
        .values_list("page_id", "revision_id", "timestamp")
    )
    for page_id, revision_id, timestamp in entries:
        found = by_page.setdefault(page_id, [])
        found.append(Edition(len(found) + 1, revision_id, timestamp))
    return {page.pk: current_edition(page, by_page.get(page.pk, [])) for page in pages}


def purge_old_revisions(*, days):
    """Delete revisions older than ``days`` as Wagtail's ``purge_revisions`` does (not the
    latest, not scheduled, not in a running workflow), but keep every revision that was
    published: it is an edition that readers may have cited. Returns how many were deleted."""
    published = PageLogEntry.objects.filter(action="wagtail.publish", revision__isnull=False)
    purgeable = (
        Revision.objects.filter(created_at__lt=timezone.now() - datetime.timedelta(days=days))
        .exclude(approved_go_live_at__isnull=False)
        .exclude(
            Q(task_states__workflow_state__status=WorkflowState.STATUS_IN_PROGRESS)
            | Q(task_states__workflow_state__status=WorkflowState.STATUS_NEEDS_CHANGES)
        )
        .exclude(pk__in=published.values("revision_id"))
    )
    deleted = 0
    for revision in purgeable.iterator():
        if revision.is_latest_revision():
            continue
        try:
            revision.delete()
        except ProtectedError:
            continue
        deleted += 1
    return deleted


def edition_object(page, edition):
    """``page`` as it was in ``edition`` (the revision's content on the page), or ``None``
    when the revision is gone. One query."""
    if not edition.available:
        return None
    revision = Revision.objects.filter(pk=edition.revision_id, object_id=str(page.pk)).only("content").first()
    if revision is None:
        return None
    content, many_to_many = _split_child_many_to_many(type(page), revision.content)
    token = _reading_edition.set(True)
    try:
        obj = page.with_content_json(content)
    finally:
        _reading_edition.reset(token)
    for name in {name for name, _pk, _field in many_to_many}:
        for child in getattr(obj, name).all():
            child.edition_many_to_many = {
                field: ids
                for (relation, pk, field), ids in many_to_many.items()
                if (relation, pk) == (name, child.pk)
            }
    return obj


def _split_child_many_to_many(page_class, content):
    """``content`` without the many-to-many ids of its child rows (modelcluster would read
    them with one query per row), and those ids: {(relation, child pk, field): [ids]}.
    ``edition_prepare`` loads what it shows of them in bulk."""
    content = dict(content)
    many_to_many = {}
    for relation in get_all_child_relations(page_class):
        name = relation.get_accessor_name()
        fields = [
            field.name
            for field in relation.related_model._meta.get_fields()
            if field.many_to_many and not field.auto_created
        ]
        if not fields or not isinstance(content.get(name), list):
            continue
        children = []
        for child in content[name]:
            child = dict(child)
            for field in fields:
                if field in child:
                    many_to_many[(name, child.get("pk"), field)] = list(child.pop(field) or [])
            children.append(child)
        content[name] = children
    return content, many_to_many


# Text for the comparison ------------------------------------------------------------------

BLOCK_END = re.compile(r"</(?:p|li|h[1-6]|blockquote)>|<br\s*/?>", re.IGNORECASE)


def plain_paragraphs(rich_text):
    """The paragraphs of an HTML fragment as plain text (tags dropped, entities read)."""
    paragraphs = []
    for part in BLOCK_END.split(rich_text or ""):
        text = " ".join(html.unescape(strip_tags(part)).split())
        if text:
            paragraphs.append(text)
    return paragraphs


def stream_paragraphs(stream_value):
    """The text of each block of a cited StreamField (paragraphs or points), as plain text."""
    paragraphs = []
    for block in stream_value.raw_data if stream_value else []:
        value = block.get("value") if isinstance(block, dict) else None
        if isinstance(value, dict):
            paragraphs.extend(plain_paragraphs(value.get("text", "")))
        elif isinstance(value, str):
            paragraphs.extend(plain_paragraphs(value))
    return paragraphs


TOKEN = re.compile(r"\s+|\w+|[^\w\s]")


def word_diff(old, new):
    """[(kind, text)] with kind "equal", "removed" or "added": ``old`` turned into ``new``
    word by word."""
    a, b = TOKEN.findall(old), TOKEN.findall(new)
    segments = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            segments.append(("equal", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            segments.append(("removed", "".join(a[i1:i2])))
        if j2 > j1:
            segments.append(("added", "".join(b[j1:j2])))
    return segments


def compare_sections(old_sections, new_sections):
    """What changed between two editions, per section.

    Both arguments are [(key, label, [paragraph])]. Returns [{"label", "changes": [{"kind":
    "added" | "removed" | "changed", "text" or "segments"}], "unchanged": n}] for the sections
    with a change, in the newer edition's order (sections only the older one has last).
    """
    old_by_key = {key: (label, paragraphs) for key, label, paragraphs in old_sections}
    keys = [key for key, _label, _paragraphs in new_sections]
    keys += [key for key, _label, _paragraphs in old_sections if key not in keys]
    new_by_key = {key: (label, paragraphs) for key, label, paragraphs in new_sections}
    result = []
    for key in keys:
        label, new = new_by_key.get(key, (None, []))
        old_label, old = old_by_key.get(key, (None, []))
        changes = []
        unchanged = 0
        matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                unchanged += i2 - i1
            elif tag == "delete":
                changes += [{"kind": "removed", "text": text} for text in old[i1:i2]]
            elif tag == "insert":
                changes += [{"kind": "added", "text": text} for text in new[j1:j2]]
            else:
                pairs = list(zip(old[i1:i2], new[j1:j2], strict=False))
                changes += [{"kind": "changed", "segments": word_diff(a, b)} for a, b in pairs]
                changes += [{"kind": "removed", "text": text} for text in old[i1 + len(pairs) : i2]]
                changes += [{"kind": "added", "text": text} for text in new[j1 + len(pairs) : j2]]
        if changes:
            result.append({"label": label or old_label, "changes": changes, "unchanged": unchanged})
    return result


# The pages -------------------------------------------------------------------------------

CITATION_FORMATS = {
    "ris": ("application/x-research-info-systems; charset=utf-8", "ris"),
    "bibtex": ("application/x-bibtex; charset=utf-8", "bib"),
    "csl-json": ("application/vnd.citationstyles.csl+json; charset=utf-8", "json"),
}


class EditionsMixin(RoutablePageMixin):
    """Public editions of a page at ``versies/``: the list, each edition, the comparison of
    two editions and the citation of each edition in three formats."""

    edition_body_template = None
    edition_kind = ""  # what the page is, for the citation ("landenprofiel")

    def edition_sections(self):
        """[(key, label, [paragraph])]: the text of this (edition of the) page per section."""
        return [("title", _("Titel"), [self.title])]

    def edition_prepare(self, objects):
        """Load what the editions in ``objects`` refer to in a fixed number of queries."""

    def edition_context(self, obj):
        """Extra context for the body template of one edition."""
        return {}

    @classmethod
    def from_serializable_data(cls, data, check_fks=True, strict_fks=False):
        if _reading_edition.get():
            check_fks = False
        return super().from_serializable_data(data, check_fks=check_fks, strict_fks=strict_fks)

    # Routing ---------------------------------------------------------------------------

    def route(self, request, path_components):
        # A page behind a view restriction has no public editions: 404, not a login form.
        if path_components and path_components[0] == "versies" and self.get_view_restrictions().exists():
            raise Http404
        return super().route(request, path_components)

    def serve(self, request, view=None, args=None, kwargs=None):
        # The routes are resolved on the Dutch page; a translation served in its place
        # (kit.translations.route_through_source) answers with its own editions.
        if view is not None and getattr(view, "__self__", self) is not self:
            view = view.__func__.__get__(self, type(self))
        return super().serve(request, view, args, kwargs)

    # Helpers ---------------------------------------------------------------------------

    def versions_url(self, request=None):
        return self.get_url(request) + self.reverse_subpage("edition_list")

    def edition_url(self, number, request=None, full=False):
        base = self.get_full_url(request) if full else self.get_url(request)
        return base + self.reverse_subpage("edition", args=[number])

    def edition_citation(self, edition, request=None):
        """The ``PageCitation`` of ``edition`` (or of the page, if it has no edition)."""
        if edition is None:
            published = timezone.localdate(
                self.last_published_at or self.first_published_at or timezone.now()
            )
            url = self.get_full_url(request)
            number = None
        else:
            published = timezone.localtime(edition.published_at).date()
            url = self.edition_url(edition.number, request, full=True)
            number = edition.number
        return page_citations.PageCitation(
            title=self.title,
            kind=str(self.edition_kind),
            date=published,
            url=url,
            edition=number,
            language=self.locale.language_code if self.locale_id else "nl",
            key=f"{self.slug}-editie-{number}" if number else self.slug,
            download_base=self.edition_url(number, request) + "citeer/" if number else None,
        )

    def citation_context(self, request):
        """Context for "Citeer deze pagina" on the page itself: the current edition."""
        if self.pk is None or getattr(request, "is_preview", False):
            return {}
        all_editions = editions(self)
        current = current_edition(self, all_editions)
        return {
            "page_citation": self.edition_citation(current, request),
            "versions_url": self.versions_url(request),
            "edition_count": len(all_editions),
        }

    def _edition(self, all_editions, number):
        if number < 1 or number > len(all_editions):
            raise Http404
        return all_editions[number - 1]

    def _render(self, request, template, context, status=200):
        context = {
            "page": self,
            "self": self,
            "request": request,
            "content_language": content_language(self, request),
            **context,
        }
        return TemplateResponse(request, template, context, status=status)

    # Views -----------------------------------------------------------------------------

    @path("versies/", name="edition_list")
    def edition_list(self, request):
        all_editions = editions(self)
        current = current_edition(self, all_editions)
        return self._render(
            request,
            "portal/editions/list.html",
            {
                "editions": list(reversed(all_editions)),
                "current": current,
                "rows": [(e, self.edition_url(e.number, request)) for e in reversed(all_editions)],
                "compare_url": self.get_url(request) + self.reverse_subpage("edition_compare_form"),
            },
        )

    @path("versies/<int:number>/", name="edition")
    def edition(self, request, number):
        all_editions = editions(self)
        edition = self._edition(all_editions, number)
        obj = edition_object(self, edition)
        if obj is None:
            return self._render(
                request,
                "portal/editions/gone.html",
                {"edition": edition, "versions_url": self.versions_url(request)},
                status=410,
            )
        self.edition_prepare([obj])
        current = current_edition(self, all_editions)
        return self._render(
            request,
            "portal/editions/edition.html",
            {
                "edition": edition,
                "edition_count": len(all_editions),
                "current": current,
                "version": obj,
                "body_template": self.edition_body_template,
                "versions_url": self.versions_url(request),
                "page_citation": self.edition_citation(edition, request),
                "previous_url": (
                    self.get_url(request) + self.reverse_subpage("edition_compare", args=[number - 1, number])
                    if number > 1
                    else None
                ),
                **self.edition_context(obj),
            },
        )

    @path("versies/<int:number>/citeer/<str:fmt>/", name="edition_cite")
    def edition_cite(self, request, number, fmt):
        if fmt not in CITATION_FORMATS:
            raise Http404
        edition = self._edition(editions(self), number)
        citation = self.edition_citation(edition, request)
        content_type, extension = CITATION_FORMATS[fmt]
        return attachment(citation.export(fmt), content_type, f"{citation.key}.{extension}")

    @path("versies/vergelijk/", name="edition_compare_form")
    def edition_compare_form(self, request):
        all_editions = editions(self)
        numbers = {}
        errors = []
        for name, label in (("van", _("van")), ("naar", _("naar"))):
            value = request.GET.get(name, "")
            if not value.isdigit() or not 1 <= int(value) <= len(all_editions):
                errors.append(
                    _("Kies bij «%(label)s» een editie tussen 1 en %(count)s.")
                    % {"label": label, "count": len(all_editions)}
                )
            else:
                numbers[name] = int(value)
        if not errors and numbers["van"] == numbers["naar"]:
            errors.append(_("Kies twee verschillende edities om te vergelijken."))
        if errors:
            return self._render(
                request,
                "portal/editions/compare_error.html",
                {"errors": errors, "versions_url": self.versions_url(request)},
                status=400,
            )
        low, high = sorted(numbers.values())
        return HttpResponseRedirect(
            self.get_url(request) + self.reverse_subpage("edition_compare", args=[low, high])
        )

    @path("versies/<int:old>/vergelijk/<int:new>/", name="edition_compare")
    def edition_compare(self, request, old, new):
        all_editions = editions(self)
        old_edition, new_edition = self._edition(all_editions, old), self._edition(all_editions, new)
        old_obj, new_obj = edition_object(self, old_edition), edition_object(self, new_edition)
        if old_obj is None or new_obj is None:
            return self._render(
                request,
                "portal/editions/gone.html",
                {
                    "edition": old_edition if old_obj is None else new_edition,
                    "versions_url": self.versions_url(request),
                },
                status=410,
            )
        self.edition_prepare([old_obj, new_obj])
        return self._render(
            request,
            "portal/editions/compare.html",
            {
                "old": old_edition,
                "new": new_edition,
                "changes": compare_sections(old_obj.edition_sections(), new_obj.edition_sections()),
                "old_url": self.edition_url(old, request),
                "new_url": self.edition_url(new, request),
                "versions_url": self.versions_url(request),
            },
        )
