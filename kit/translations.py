"""Translations of pages: Dutch is the source, English pages are translations of Dutch ones.

Every address is a Dutch one and is routed through the Dutch page tree, so a link works in
either interface language, whether or not a page has been translated. When the visitor chose
English and the page has a live English translation, that translation is served at the same
address; otherwise the Dutch page is. Lists, search, the comparison, the sitemap and the
relations to the knowledge base all read the Dutch pages, so a translation never appears twice.

The two index pages (countries, models) show the titles and summaries of the translations
to a visitor who reads English (``in_visitor_language``); other lists show the Dutch titles.

Only pages are translated (editors use Wagtail's "Vertaal" action); the knowledge-base records
(studies, findings, organisations, questions, themes) are not translatable yet.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Length, Substr
from django.utils import translation
from django.utils.translation import gettext
from wagtail.models import Locale, Page, PageViewRestriction
from wagtail.url_routing import RouteResult


def source_language_filter(queryset):
    """Only the pages of ``queryset`` in the source (Dutch) language."""
    return queryset.filter(locale__language_code=settings.LANGUAGE_CODE)


def public_pages(queryset):
    """Pages the anonymous public may see: published and not behind a view restriction. Only
    the Dutch pages: a translation is served in their place (``route_through_source``). The
    restrictions are checked in SQL (``behind_restriction``): Wagtail's ``.public()`` reads
    them all in a query of its own each time a queryset is built, several times per search."""
    return source_language_filter(queryset.live().exclude(behind_restriction()))


def behind_restriction():
    """Whether a page has a view restriction on itself or an ancestor (one whose path starts
    its own), as an expression for ``filter``/``exclude``: the same test as ``.public()``
    without reading every restriction first in a query of its own (Wagtail builds the API's
    queryset several times per request)."""
    return Exists(
        PageViewRestriction.objects.filter(page__path=Substr(OuterRef("path"), 1, Length("page__path")))
    )


def with_public_original(queryset):
    """The pages of ``queryset`` that are Dutch, or whose Dutch page is live and public: a
    translation (or an English alias) never shows what its original hides. Apply it to pages
    that are themselves live and public; ``public_in_every_language`` does both."""
    # Only fields of the page itself: Wagtail's search (the API's ``?search=``) filters on its
    # indexed fields alone.
    # The view restrictions are checked in SQL (a restriction on the page or an ancestor: a
    # path that starts with the restricted page's), not read first as ``.public()`` does:
    # Wagtail builds the API's queryset several times per request.
    restricted = PageViewRestriction.objects.filter(
        page__path=Substr(OuterRef("path"), 1, Length("page__path"))
    )
    dutch = Locale.objects.filter(language_code=settings.LANGUAGE_CODE).values("pk")
    originals = (
        source_language_filter(Page.objects.live()).exclude(Exists(restricted)).values("translation_key")
    )
    return queryset.filter(Q(locale__in=dutch) | Q(translation_key__in=originals))


def public_in_every_language(queryset):
    """Pages the anonymous public may see in any language: live, not behind a view
    restriction, and for a translation its Dutch page too (the pages API lists both)."""
    return with_public_original(queryset.live().exclude(behind_restriction()))


def is_source(page):
    """Whether ``page`` is a Dutch page (a page never saved counts as one)."""
    return page.locale_id is None or page.locale.language_code == settings.LANGUAGE_CODE


def source_page(page):
    """The Dutch page that ``page`` translates, or ``page`` itself when it is Dutch or has no
    Dutch original. Relations to the knowledge base hang on the Dutch page."""
    if is_source(page):
        return page
    original = page.get_translations().filter(locale__language_code=settings.LANGUAGE_CODE).first()
    return original.specific if original is not None else page


def labelled_title(page):
    """The page's title, followed by its language when that is not Dutch, for lists in the
    admin where a translation would otherwise read as its original."""
    if is_source(page):
        return page.title
    return f"{page.title} ({page.locale.get_display_name()})"


def content_language(page, request=None):
    """The language code of ``page``'s text."""
    if page.locale_id is None:
        return settings.LANGUAGE_CODE
    if (
        request is not None
        and not getattr(request, "is_preview", False)
        and translation.get_language() == settings.LANGUAGE_CODE
    ):
        # route_through_source serves only Dutch pages to a visitor who reads Dutch.
        return settings.LANGUAGE_CODE
    return page.locale.language_code


def unique_in_language(page, field_name, message):
    """Raise ``message`` on ``field_name`` when another page of the same type and language has
    the same value: a translation keeps its original's value, so uniqueness is per language."""
    value = getattr(page, field_name)
    if not value:
        return
    others = type(page).objects.filter(**{field_name: value}).exclude(pk=page.pk)
    if page.locale_id is not None:
        others = others.filter(locale_id=page.locale_id)
    else:
        others = source_language_filter(others)
    if others.exists():
        raise ValidationError({field_name: message})


class TranslatedPageMixin:
    """A page whose text may be a translation: its context names the text's language
    (``content_language``), so the template can mark it and say when it is untranslated."""

    def clean(self):
        super().clean()
        # Addresses are Dutch (route_through_source): a translation served under another
        # slug would have an address that leads nowhere.
        if self.pk and not is_source(self):
            original = source_page(self)
            if original.pk != self.pk and self.slug != original.slug:
                raise ValidationError(
                    {
                        "slug": gettext("Een vertaling houdt het adres van de Nederlandse pagina: %(slug)s.")
                        % {"slug": original.slug}
                    }
                )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["content_language"] = content_language(self, request)
        return context


LISTED_FIELDS = ("title", "summary")


def in_visitor_language(pages):
    """Give the Dutch ``pages`` the title and summary of their live, public translation in
    the active language, where there is one, and set ``text_language`` on each to the
    language of the text it now carries (for ``{% lang_attr %}``). One query per page type,
    none for a visitor who reads Dutch. The pages keep their Dutch address, which serves the
    translation. The Dutch pages are public (the callers list only those); a translation
    behind a view restriction of its own is left out."""
    pages = [page for page in pages if page is not None]
    language = translation.get_language()
    for page in pages:
        page.text_language = settings.LANGUAGE_CODE
    if language == settings.LANGUAGE_CODE or not pages:
        return
    by_type = {}
    for page in pages:
        by_type.setdefault(type(page), []).append(page)
    for page_type, group in by_type.items():
        fields = [name for name in LISTED_FIELDS if hasattr(page_type, name)]
        translations = {
            translation_key: values
            for translation_key, *values in page_type.objects.live()
            .filter(
                translation_key__in={page.translation_key for page in group},
                locale__language_code=language,
                alias_of__isnull=True,
            )
            .exclude(behind_restriction())
            .values_list("translation_key", *fields)
        }
        for page in group:
            if page.translation_key in translations:
                for name, value in zip(fields, translations[page.translation_key], strict=True):
                    setattr(page, name, value)
                page.text_language = language


def route_through_source(page, request, path_components, route):
    """Route ``path_components`` from the Dutch version of the root ``page`` with ``route``
    (the page class's own routing), then swap in the live translation in the active language.

    A page behind a view restriction is always served as the Dutch page, so that restriction
    applies whatever the translation's own place in the tree; a translation behind a
    restriction of its own is not served (the public Dutch page is, as if it were
    untranslated).

    A visitor who reads Dutch is routed as Wagtail would, from ``page`` (the site's root page
    in the active language, which is then the Dutch home page): no extra queries.
    """
    if translation.get_language() == settings.LANGUAGE_CODE:
        return route(page, request, path_components)
    result = route(source_page(page), request, path_components)
    served, args, kwargs = result
    if served.get_view_restrictions().exists():
        return result
    translated = served.localized
    if translated.pk == served.pk or translated.alias_of_id is not None:
        # No live translation, or only an alias (a copy of the Dutch page that Wagtail makes
        # of untranslated parents): the Dutch page is served, marked as Dutch.
        return result
    if translated.get_view_restrictions().exists():
        return result
    return RouteResult(translated.specific, args=args, kwargs=kwargs)
