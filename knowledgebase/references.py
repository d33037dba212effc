"""Formatted references, rendered by citeproc-py from the official CSL style files shipped in
``citation_data/styles/``: never built from strings by hand.

The interface takes CSL-JSON items (dicts as ``exports.study_to_csl`` makes them; anything
that can be cited, a study or a page, can be written as one):

- ``STYLES``: the styles offered, by the key used in URLs (``?stijl=apa``), in menu order;
- ``style_for(key)``: the ``CitationStyle`` for a key, ``None`` for an unknown key;
- ``render_reference(item, style_key=DEFAULT_STYLE)``: a ``Reference`` with the reference as
  HTML (``html``, safe to put in a template), as plain text (``text``, what "kopieer"
  copies) and the in-text citation (``in_text``, such as "(Hooley, 2014)").

References are rendered with the Dutch locale (terms such as "z.d.", "Geraadpleegd van",
"en"), which every offered style accepts. A rendered reference is cached under a hash of the
item, the style and the locale: the same data always gives the same reference, so an entry
never goes stale, and a changed record simply has another key.
"""

import hashlib
import json
import re
import types
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON
from django.core.cache import cache
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

STYLE_DIR = Path(__file__).resolve().parent / "citation_data" / "styles"
LOCALE = "nl-NL"
# Rendering takes a few to twenty milliseconds; a cached reference a fraction of one.
CACHE_TIMEOUT = 24 * 60 * 60
# A numbered style starts a one-item bibliography with "1.": meaningless for one reference.
CITATION_NUMBER = re.compile(r"^\s*(?:\[\s*1\s*\]|1\.)\s*")
# citeproc-py's HTML formatter escapes the style's own text but not the item's: the item's
# markup characters stand in as private-use characters while it renders, and become entities
# (HTML) or themselves again (text) afterwards. Case changes leave them alone.
STAND_INS = {"&": "\ue000", "<": "\ue001", ">": "\ue002"}
HTML_ENTITIES = {"\ue000": "&amp;", "\ue001": "&lt;", "\ue002": "&gt;"}


class _SmallCaps(formatter.html.TagWrapper):
    # A class, not citeproc's style attribute: public pages allow no inline styles.
    tag = "span"
    attributes = {"class": "small-caps"}


HTML = types.SimpleNamespace(**{**vars(formatter.html), "SmallCaps": _SmallCaps})


@dataclass(frozen=True)
class CitationStyle:
    key: str
    label: str
    filename: str


STYLES = {
    style.key: style
    for style in (
        CitationStyle("apa", _("APA (7e editie)"), "apa.csl"),
        CitationStyle("chicago", _("Chicago (auteur-datum)"), "chicago-author-date.csl"),
        CitationStyle("harvard", _("Harvard (Cite Them Right)"), "harvard-cite-them-right.csl"),
        CitationStyle("vancouver", _("Vancouver (NLM)"), "nlm-citation-sequence.csl"),
    )
}
DEFAULT_STYLE = "apa"


@dataclass(frozen=True)
class Reference:
    style: CitationStyle
    html: str
    text: str
    in_text: str


def style_for(key):
    """The ``CitationStyle`` called ``key``, or None when there is none."""
    return STYLES.get(key)


@lru_cache(maxsize=len(STYLES))
def _csl_style(filename):
    # Parsing a style file takes a few milliseconds; the parsed style is only read after.
    return CitationStylesStyle(str(STYLE_DIR / filename), locale=LOCALE, validate=False)


def _stand_in(value):
    if isinstance(value, str):
        return re.sub("[&<>]", lambda match: STAND_INS[match.group()], value)
    if isinstance(value, list):
        return [_stand_in(part) for part in value]
    if isinstance(value, dict):
        return {key: _stand_in(part) for key, part in value.items()}
    return value


def _restore(text, entities):
    for char, stand_in in STAND_INS.items():
        text = text.replace(stand_in, HTML_ENTITIES[stand_in] if entities else char)
    return text


def _render(item, style, output):
    item = {**_stand_in(item), "id": "item"}
    bibliography = CitationStylesBibliography(_csl_style(style.filename), CiteProcJSON([item]), output)
    citation = Citation([CitationItem("item")])
    bibliography.register(citation)
    in_text = str(bibliography.cite(citation, lambda _item: None))
    entries = [str(entry) for entry in bibliography.bibliography()]
    return CITATION_NUMBER.sub("", "".join(entries)).strip(), in_text


def render_reference(item, style_key=DEFAULT_STYLE):
    """``item`` (a CSL-JSON dict) as a ``Reference`` in the style ``style_key``."""
    style = STYLES[style_key]
    digest = hashlib.sha256(json.dumps(item, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
    key = f"reference:{style.key}:{LOCALE}:{digest}"
    cached = cache.get(key)
    if cached is None:
        html, _ = _render(item, style, HTML)
        html = _restore(html, entities=True)
        text, in_text = (_restore(part, entities=False) for part in _render(item, style, formatter.plain))
        cached = {"html": html, "text": text, "in_text": in_text}
        cache.set(key, cached, CACHE_TIMEOUT)
    # The item's text is escaped (STAND_INS); the markup is citeproc's own.
    html = mark_safe(cached["html"])  # noqa: S308
    return Reference(style=style, html=html, text=cached["text"], in_text=cached["in_text"])
