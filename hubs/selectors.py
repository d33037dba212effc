"""What the theme hubs show: the knowledge base's theme page with the countries' facts.

A theme hub composes two layers: the knowledge base's context of the theme
(``knowledgebase.selectors.theme_detail_context``: its bottom line, findings, lessons,
studies, questions, related themes) and the comparison dimensions on the theme with the public
countries' facts on them (``countries.selectors.theme_dimensions``). The public page, the cache
warm-up (``search.warmup``) and every admin preview of a theme or a bottom line
(``hubs.wagtail_hooks``) compose it here, so they show the same.
"""

from countries.selectors import theme_dimensions
from knowledgebase.selectors import theme_detail_context


def with_countries(context):
    """``context``, a theme page's context from the knowledge base, with the countries' facts
    on the theme's dimensions. A theme not saved yet (or a bottom line without one) has none:
    its preview shows its own text only."""
    theme = context.get("theme")
    if theme is not None and theme.pk is not None:
        context.update(theme_dimensions(theme))
    return context


def theme_hub_context(theme, **options):
    """The context of ``theme``'s hub (``options`` are ``theme_detail_context``'s)."""
    return with_countries(theme_detail_context(theme, **options))
