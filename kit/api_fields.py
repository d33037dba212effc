"""How pages and records refer to each other in the API (docs/api.md).

A reference to another record shows only what the public may see: a draft source study or an
unpublished page becomes ``None``, as it has no public page to link to. These helpers take
the referenced object and the serializer context; they import none of the project's models,
so page models can use them in their ``api_fields``.
"""

from rest_framework import serializers
from wagtail.models import PageViewRestriction


def absolute_url(context, path):
    """``path`` as a full address when the serializer has a request."""
    request = context.get("request") if context else None
    return request.build_absolute_uri(path) if request is not None else path


def study_reference(study, context):
    """``{"slug", "title", "year", "html_url"}`` of a live study, else ``None``."""
    if study is None or not study.live:
        return None
    return {
        "slug": study.slug,
        "title": study.title,
        "year": study.year,
        "html_url": absolute_url(context, study.get_absolute_url()),
    }


def source_of(record, context):
    """Where a cited record's statement comes from, or ``None`` without a public source."""
    study = study_reference(record.source_study, context)
    return {"study": study, "locator": record.source_locator} if study else None


def _restricted_paths(context):
    # The paths of pages with a view restriction, read once per response: the serializers
    # of one response share their context.
    if "restricted_paths" not in context:
        context["restricted_paths"] = [
            path for path in PageViewRestriction.objects.values_list("page__path", flat=True)
        ]
    return context["restricted_paths"]


def page_reference(page, context):
    """``{"id", "title", "html_url"}`` of a live page that neither it nor an ancestor
    restricts, else ``None``."""
    if page is None or not page.live:
        return None
    if any(page.path.startswith(path) for path in _restricted_paths(context)):
        return None
    url = page.get_url(request=context.get("request") if context else None)
    return {"id": page.id, "title": page.title, "html_url": absolute_url(context, url)}


class ReferenceField(serializers.Field):
    """A read-only field written by ``represent(value, context)``; ``many`` for a related
    list, read with ``select_related``."""

    def __init__(self, represent, many=False, select_related=(), **kwargs):
        self.represent = represent
        self.many = many
        self.select_related = select_related
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value):
        if self.many:
            items = value.select_related(*self.select_related) if self.select_related else value.all()
            return [self.represent(item, self.context) for item in items]
        return self.represent(value, self.context)


def related_records(*select_related):
    """A related list whose records represent themselves (``api_representation(context)``),
    read with ``select_related``."""
    return ReferenceField(
        lambda record, context: record.api_representation(context), many=True, select_related=select_related
    )


def cited_fields(record, context, *names):
    """``names`` of ``record`` with its ``source``."""
    return {**{name: getattr(record, name) for name in names}, "source": source_of(record, context)}
