"""Filters for the public lists. Every value comes from a query string, so every field
validates its input and an invalid value becomes a form error, never a database error.

Each filter takes one value, and a record is linked to a theme, country, model or method at
most once (the link tables are unique per pair), so filtering through a link table never
repeats a record and the lists need no ``DISTINCT`` (which would sort every row per
request)."""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from knowledgebase.codes import COUNTRY_CHOICES

from . import selectors
from .models import EvidenceStrength, Method
from .models.organisations import OrganisationKind
from .models.questions import QuestionStatus
from .models.studies import MAX_YEAR, MIN_YEAR, Language, StudyType

# Longer values cannot be a slug or a choice; rejecting them early keeps them out of queries.
MAX_VALUE_LENGTH = 120


def _reject_unusable(value):
    if value and (len(value) > MAX_VALUE_LENGTH or "\x00" in value):
        raise ValidationError(_("Deze waarde is ongeldig."), code="invalid")


class SlugChoiceField(django_filters.fields.ModelChoiceField):
    """A model choice by slug that refuses over-long values and NUL bytes before querying.

    PostgreSQL rejects NUL characters in text parameters with a database error, so such a
    value must never reach the query.
    """

    default_error_messages = {
        "invalid_choice": _("Kies een bestaande waarde; '%(value)s' bestaat niet."),
    }

    def to_python(self, value):
        if isinstance(value, str):
            try:
                _reject_unusable(value)
            except ValidationError as error:
                raise ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": "…"}
                ) from error
        return super().to_python(value)


class SlugChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = SlugChoiceField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("to_field_name", "slug")
        kwargs.setdefault("empty_label", _("Alle"))
        super().__init__(*args, **kwargs)


class SafeChoiceField(django_filters.fields.ChoiceField):
    def validate(self, value):
        _reject_unusable(value)
        super().validate(value)


class ChoiceFilter(django_filters.ChoiceFilter):
    field_class = SafeChoiceField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("empty_label", _("Alle"))
        super().__init__(*args, **kwargs)


class YearFilter(django_filters.NumberFilter):
    """A whole year between the bounds the model allows."""

    field_class = forms.IntegerField

    def get_max_validator(self):
        return None

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", MIN_YEAR)
        kwargs.setdefault("max_value", MAX_YEAR)
        super().__init__(*args, **kwargs)


def _themes(request):
    return selectors.public_themes().order_by("name")


def _countries(request):
    return selectors.public_countries().order_by("title")


def _models(request):
    return selectors.public_models().order_by("title")


STRENGTH_CHOICES = EvidenceStrength.choices


class YearRangeForm(forms.Form):
    """A form with the fields ``year_min`` and ``year_max``: the end may not lie before the
    start (the list of studies and the search)."""

    def clean(self):
        cleaned_data = super().clean()
        low, high = cleaned_data.get("year_min"), cleaned_data.get("year_max")
        if low is not None and high is not None and low > high:
            self.add_error("year_max", _("Het eindjaar ligt voor het beginjaar."))
        return cleaned_data


class StudyFilterSet(django_filters.FilterSet):
    """Filters and sort order for ``/onderzoek/``."""

    SORTS = [
        ("-year", _("Nieuwste eerst")),
        ("year", _("Oudste eerst")),
        ("title", _("Titel (A-Z)")),
        ("strength", _("Sterkste bewijs eerst")),
    ]

    theme = SlugChoiceFilter(label=_("Thema"), field_name="themes", queryset=_themes)
    country = SlugChoiceFilter(label=_("Land of regio"), field_name="countries", queryset=_countries)
    model = SlugChoiceFilter(
        label=_("Kennisinfrastructuurmodel"), field_name="infrastructure_models", queryset=_models
    )
    type = ChoiceFilter(label=_("Soort onderzoek"), field_name="study_type", choices=StudyType.choices)
    method = SlugChoiceFilter(
        label=_("Methode"), field_name="methods", queryset=lambda request: Method.objects.order_by("name")
    )
    year_min = YearFilter(label=_("Vanaf jaar"), field_name="year", lookup_expr="gte")
    year_max = YearFilter(label=_("Tot en met jaar"), field_name="year", lookup_expr="lte")
    strength = ChoiceFilter(label=_("Bewijskracht"), choices=STRENGTH_CHOICES)
    language = ChoiceFilter(label=_("Taal"), choices=Language.choices)
    sort = ChoiceFilter(label=_("Sorteren"), choices=SORTS, method="sort_by", empty_label=_("Standaard"))

    # Grouping of the form into fieldsets, so it reads well without JavaScript.
    fieldsets = [
        (_("Onderwerp"), ["theme", "country", "model"]),
        (_("Soort onderzoek"), ["type", "method", "language", "strength"]),
        (_("Jaar van verschijnen"), ["year_min", "year_max"]),
        (_("Volgorde"), ["sort"]),
    ]

    def sort_by(self, queryset, name, value):
        if value == "strength":
            return queryset.annotate(strength_rank=selectors.strength_rank()).order_by(
                "strength_rank", "-year", "title"
            )
        if value in {"year", "-year"}:
            return queryset.order_by(value, "title")
        return queryset.order_by("title")

    class Meta:
        form = YearRangeForm


class FindingFilterSet(django_filters.FilterSet):
    """Filters for ``/bevindingen/``."""

    LESSON_CHOICES = [("ja", _("Alleen lessen voor Nederland")), ("nee", _("Geen lessen voor Nederland"))]

    theme = SlugChoiceFilter(label=_("Thema"), field_name="themes", queryset=_themes)
    country = SlugChoiceFilter(label=_("Land of regio"), field_name="countries", queryset=_countries)
    strength = ChoiceFilter(label=_("Bewijskracht"), choices=STRENGTH_CHOICES)
    lesson_for_nl = ChoiceFilter(
        label=_("Les voor Nederland"), choices=LESSON_CHOICES, method="filter_lesson"
    )

    fieldsets = [(_("Filter de bevindingen"), ["theme", "country", "strength", "lesson_for_nl"])]

    def filter_lesson(self, queryset, name, value):
        return queryset.filter(lesson_for_nl=value == "ja")


class OrganisationFilterSet(django_filters.FilterSet):
    """Filters for ``/organisaties/``."""

    kind = ChoiceFilter(label=_("Soort organisatie"), choices=OrganisationKind.choices)
    country = ChoiceFilter(label=_("Land of regio"), field_name="country_code", choices=COUNTRY_CHOICES)

    fieldsets = [(_("Filter de organisaties"), ["kind", "country"])]


class QuestionFilterSet(django_filters.FilterSet):
    """Filters for ``/kennisagenda/``."""

    status = ChoiceFilter(label=_("Status"), choices=QuestionStatus.choices)
    theme = SlugChoiceFilter(label=_("Thema"), field_name="themes", queryset=_themes)
    country = SlugChoiceFilter(label=_("Land of regio"), field_name="countries", queryset=_countries)

    fieldsets = [(_("Filter de kennisagenda"), ["status", "theme", "country"])]


class PlainChoiceField(forms.ChoiceField):
    """A choice from a query string without django-filter's empty option."""

    def validate(self, value):
        _reject_unusable(value)
        super().validate(value)


class ThemeFindingsForm(forms.Form):
    """Strength filter and order of the findings on a theme page (``?strength=&sort=``)."""

    SORTS = [
        ("strength", _("Sterkste bewijs eerst")),
        ("weakest", _("Zwakste bewijs eerst")),
        ("newest", _("Nieuwste onderzoek eerst")),
    ]

    strength = PlainChoiceField(
        label=_("Bewijskracht"), choices=[("", _("Alle")), *STRENGTH_CHOICES], required=False
    )
    sort = PlainChoiceField(label=_("Volgorde"), choices=SORTS, required=False)


class ThemeListForm(forms.Form):
    """The order of ``/themas/`` (``?sort=``)."""

    SORTS = [
        ("name", _("Naam (A-Z)")),
        ("studies", _("Meeste onderzoeken eerst")),
        ("strength", _("Sterkste bewijs eerst")),
    ]

    sort = PlainChoiceField(label=_("Sorteren"), choices=SORTS, required=False)
