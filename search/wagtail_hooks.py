"""The search in the Wagtail admin: the board's synonym sets (``SynonymSet``) under
"Kennisbank → Synoniemen". The viewset registers itself here and joins the "Kennisbank" menu
of ``portal.wagtail_hooks`` through that group's menu hook (``KNOWLEDGE_BASE_MENU_HOOK``)."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.model import ModelViewSet

from . import synonyms
from .models import SynonymSet

# The hook of the "Kennisbank" menu's items (``portal.wagtail_hooks.KnowledgeBaseViewSetGroup``).
KNOWLEDGE_BASE_MENU_HOOK = "register_kennisbank_menu_item"


class SynonymSetForm(WagtailAdminModelForm):
    """A set's form: at least two different entries, none empty, none longer than 100
    characters (``synonyms.clean_entries``); each problem is shown in Dutch at the field."""

    def clean_terms(self):
        terms = self.cleaned_data["terms"]
        synonyms.clean_entries(terms)
        return terms


class SynonymSetViewSet(ModelViewSet):
    """The board maintains the synonym sets the search applies when it reads a query; a
    change takes effect at the next search (``search.synonyms``)."""

    model = SynonymSet
    name = "synoniemen"
    icon = "list-ul"
    menu_label = _("Synoniemen")
    menu_hook = KNOWLEDGE_BASE_MENU_HOOK
    # After the knowledge base's own lists (100 to 170).
    menu_order = 180
    add_to_admin_menu = False
    copy_view_enabled = False
    list_display = [
        Column("terms", label=_("Synoniemen"), accessor="__str__"),
        Column("note", label=_("Toelichting"), accessor="note"),
    ]
    search_fields = ["terms", "note"]
    search_backend_name = None
    ordering = ["terms"]
    list_per_page = 50
    edit_handler = ObjectList([FieldPanel("terms"), FieldPanel("note")], base_form_class=SynonymSetForm)


@hooks.register("register_admin_viewset")
def register_synonym_sets():
    return SynonymSetViewSet()
