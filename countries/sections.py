"""The section template every country profile follows, taken from the mapping study."""

from django.utils.translation import gettext_lazy as _

# (field name, heading, group heading or None)
SECTIONS = [
    ("context", _("Context"), None),
    ("policy", _("Beleid en coördinatie"), None),
    ("services_education", _("Onderwijs"), _("Aanbod")),
    ("services_adults", _("Volwassenen en werkenden"), _("Aanbod")),
    ("services_regional", _("Regionale en one-stop-centra"), _("Aanbod")),
    ("services_budgets", _("Individuele budgetten en vouchers"), _("Aanbod")),
    ("services_online", _("Online diensten"), _("Aanbod")),
    ("qa_professionalisation", _("Professionalisering"), _("Kwaliteitsborging")),
    ("qa_research", _("Onderzoek en monitoring"), _("Kwaliteitsborging")),
    ("qa_framework", _("Kwaliteitskader"), _("Kwaliteitsborging")),
    ("lessons", _("Lessen voor Nederland"), None),
]

SECTION_KEYS = [key for key, _label, _group in SECTIONS]
SECTION_CHOICES = [(key, f"{group}: {label}" if group else label) for key, label, group in SECTIONS]
SECTION_LABELS = dict(SECTION_CHOICES)
