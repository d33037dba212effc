"""Admin panel helpers shared by the apps."""

from django import forms
from wagtail.admin.panels import FieldPanel


def checkbox_panel(field_name, **kwargs):
    """A many-to-many chooser as checkboxes: for short lists (themes, countries, models),
    where seeing every option at once beats typing in a search box."""
    return FieldPanel(field_name, widget=forms.CheckboxSelectMultiple, **kwargs)
