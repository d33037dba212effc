"""The strength scale in templates: where a badge links to, and anchors on content pages."""

import re
from functools import lru_cache

import pyphen
from django import template
from django.templatetags.static import static
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext

from knowledgebase.models import EvidenceStrength

register = template.Library()

# The section of /bewijskracht/ that explains each level: its heading's anchor (the Dutch
# heading, slugified, as ``heading_ids`` makes it).
STRENGTH_PAGE = "/bewijskracht/"
STRENGTH_ANCHORS = {
    "strong": "sterk",
    "moderate": "redelijk",
    "limited": "beperkt",
    "indicative": "indicatief",
}
LEVELS = {"strong": 4, "moderate": 3, "limited": 2, "indicative": 1}


@register.simple_tag
def strength_levels():
    """(value, label) of each level of the scale, strongest first (the legend on the strength
    page)."""
    return EvidenceStrength.choices


@register.filter
def strength_url(strength):
    """The address of the explanation of ``strength`` on the strength page."""
    anchor = STRENGTH_ANCHORS.get(strength)
    return f"{STRENGTH_PAGE}#{anchor}" if anchor else STRENGTH_PAGE


@register.filter
def strength_key(strength):
    """``strength`` if it is a level of the scale, else "indicative" (for class names)."""
    return strength if strength in LEVELS else "indicative"


@register.simple_tag
def strength_badge(strength, label="", prefix=""):
    """A strength level as a badge that links to its explanation: the icon of the level, then
    "Bewijskracht" (or ``prefix``) and the level's ``label`` (the value itself without one).
    A tag, not an include: the gap map and the lists show hundreds."""
    key = strength_key(strength)
    return format_html(
        '<a class="badge badge--{}" href="{}">'
        '<img class="badge__icon" src="{}" alt="" width="20" height="14">{}: {}</a>',
        key,
        strength_url(strength),
        static(f"img/strength-{key}.svg"),
        prefix or gettext("Bewijskracht"),
        label or strength,
    )


_HEADING = re.compile(r"<(h[23])((?:\s[^>]*)?)>(.*?)</\1>", re.S)


@register.filter
def heading_ids(html):
    """Give each h2 and h3 of a rich text without an id one made from its text, so that other
    pages can link to a section (the strength badges link to /bewijskracht/#sterk)."""
    seen = set()

    def add_id(match):
        tag, attributes, inner = match.groups()
        if " id=" in attributes:
            return match.group(0)
        anchor = slugify(re.sub(r"<[^>]+>", "", inner)) or tag
        while anchor in seen:
            anchor += "-2"
        seen.add(anchor)
        return f'<{tag}{attributes} id="{anchor}">{inner}</{tag}>'

    return mark_safe(_HEADING.sub(add_id, str(html)))  # noqa: S308 (rich text already rendered safe)


# Words at least this long get soft hyphens: shorter ones fit any heading at 320 px.
HYPHENATE_FROM = 11
SOFT_HYPHEN = "\u00ad"
_WORD = re.compile(rf"[^\W\d_]{{{HYPHENATE_FROM},}}")
# Tags and the contents of the elements whose text is not shown as running text.
_MARKUP = re.compile(
    r"(<(?:select|script|style|textarea)\b.*?</(?:select|script|style|textarea)>|<[^>]*>)", re.S
)


@lru_cache(maxsize=8)
def _dictionary(language):
    return pyphen.Pyphen(lang=pyphen.language_fallback(language) or "nl_NL", left=3, right=3)


@lru_cache(maxsize=4096)
def _hyphenated_word(word, language):
    return _dictionary(language).inserted(word, hyphen=SOFT_HYPHEN)


@register.filter(is_safe=True)
def hyphenate(value, language="nl"):
    """``value`` (text, or HTML such as a form field's) with soft hyphens in its long words,
    from the Dutch (or ``language``) hyphenation patterns: a long word in a narrow heading,
    card or label breaks at a syllable and shows a hyphen, in every browser, rather than
    breaking anywhere (CSS ``hyphens: auto`` needs a dictionary the browser may not have).
    Numbers are never touched. Only text between tags changes; attributes and the options of
    a select stay as they are."""
    html = conditional_escape(value)
    parts = _MARKUP.split(str(html))
    for index in range(0, len(parts), 2):  # text pieces sit at the even indexes
        parts[index] = _WORD.sub(lambda match: _hyphenated_word(match.group(0), language), parts[index])
    return mark_safe("".join(parts))  # noqa: S308 (escaped above; only soft hyphens added)
