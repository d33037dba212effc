"""Blocks for the knowledge-infrastructure pages."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from knowledgebase.blocks import CitationBlock


class ModelComparisonRowBlock(blocks.StructBlock):
    """One aspect on which the three models are compared (a row of the comparison table)."""

    aspect = blocks.CharBlock(label=_("Aspect"), max_length=200)
    linking_pin = blocks.TextBlock(label=_("Spilorganisatie"))
    network = blocks.TextBlock(label=_("Netwerk"))
    loose_relations = blocks.TextBlock(label=_("Losse verbanden"))
    sources = blocks.ListBlock(CitationBlock(), label=_("Bronnen"))

    class Meta:
        icon = "table"
        template = "blocks/model_comparison_row_block.html"
        label = _("Vergelijkingsrij")
        description = _("Hoe de drie modellen zich op één aspect tot elkaar verhouden.")
        preview_value = {
            "aspect": "Samenwerking",
            "linking_pin": "Eén vast aanspreekpunt.",
            "network": "Laagdrempelige uitwisseling zonder hiërarchie.",
            "loose_relations": "Incidenteel, rond concrete vragen.",
            "sources": [],
        }
