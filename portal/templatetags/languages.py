"""Marking text whose language differs from the text around it (WCAG 3.1.2)."""

from django import template
from django.conf import settings
from django.utils.html import format_html

register = template.Library()

KNOWN = {code for code, _name in settings.LANGUAGES}


@register.simple_tag(takes_context=True)
def lang_attr(context, language):
    """`` lang="..."`` for a text in ``language`` when the text around it is in another one:
    the page's own language (``content_language``: English on a translation), else Dutch. An
    unknown language (a study "in another language") is left unmarked."""
    around = context.get("content_language") or settings.LANGUAGE_CODE
    if language not in KNOWN or language == around:
        return ""
    return format_html(' lang="{}"', language)
