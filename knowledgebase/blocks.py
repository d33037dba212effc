"""StreamField blocks shared by every app.

A citation (source study + locator) is one structure, used by country sections, facts,
findings and model examples alike: ``CitationBlock`` in StreamFields and
``knowledgebase.models.Cited`` on models.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.snippets.blocks import SnippetChooserBlock

from kit.api_fields import study_reference

TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul"]


class CitationBlock(blocks.StructBlock):
    study = SnippetChooserBlock("knowledgebase.Study", label=_("Bron (onderzoek)"))
    locator = blocks.CharBlock(
        label=_("Vindplaats"), max_length=200, required=False, help_text=_("Hoofdstuk, paragraaf of pagina.")
    )

    def get_api_representation(self, value, context=None):
        # The study as a public reference (``None`` for a draft), not its database id.
        return {"study": study_reference(value.get("study"), context), "locator": value.get("locator", "")}

    class Meta:
        icon = "openquote"
        template = "blocks/citation_block.html"
        label = _("Bron")
        description = _("Een verwijzing naar een onderzoek met de vindplaats in dat onderzoek.")
        preview_value = {"locator": "Hoofdstuk 1"}


class CitedParagraphBlock(blocks.StructBlock):
    text = blocks.RichTextBlock(features=TEXT_FEATURES, label=_("Tekst"))
    sources = blocks.ListBlock(CitationBlock(), label=_("Bronnen"), min_num=1)

    class Meta:
        icon = "pilcrow"
        template = "blocks/cited_paragraph_block.html"
        label = _("Alinea met bron")
        description = _("Een alinea in eigen woorden met de bron(nen) waarop hij steunt.")
        preview_value = {"text": "<p>Een samenvatting in eigen woorden.</p>", "sources": []}


class CitedPointBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("Punt"))
    sources = blocks.ListBlock(CitationBlock(), label=_("Bronnen"))

    class Meta:
        icon = "list-ul"
        template = "blocks/cited_point_block.html"
        label = _("Punt met bron")
        description = _("Een kort punt (sterkte, aandachtspunt, activiteit) met zijn bron.")
        preview_value = {"text": "Korte lijnen tussen onderzoek en praktijk.", "sources": []}


def cited_text_field_blocks():
    """The blocks a cited text section accepts."""
    return [("paragraph", CitedParagraphBlock())]


def cited_points_field_blocks():
    """The blocks a list of cited points accepts."""
    return [("point", CitedPointBlock())]
