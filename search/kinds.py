"""The kinds of content a search finds."""

import enum


class ContentKind(enum.StrEnum):
    """The values are what ``?kind=`` and the result lists' addresses carry, and what the
    search index stores per document."""

    STUDIES = "onderzoek"
    FINDINGS = "bevindingen"
    COUNTRIES = "landen"
    MODELS = "modellen"
    FRAMEWORKS = "kaders"
    QUESTIONS = "vragen"
    ORGANISATIONS = "organisaties"
    THEMES = "themas"
