"""Admin panel helpers shared by the apps."""

from django import forms
from wagtail.admin.panels import FieldPanel, TitleFieldPanel
from wagtail.admin.widgets.slug import SlugInput


def checkbox_panel(field_name, **kwargs):
    """A many-to-many chooser as checkboxes: for short lists (themes, countries, models),
    where seeing every option at once beats typing in a search box."""
    return FieldPanel(field_name, widget=forms.CheckboxSelectMultiple, **kwargs)


def slug_panels(title_field):
    """The title (or name) field and the slug field, the slug filled in from the title as the
    editor types, as on pages, until the record is published."""
    return [
        TitleFieldPanel(title_field, classname="", placeholder=False),
        FieldPanel("slug", widget=SlugInput),
    ]
