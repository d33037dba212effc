"""Public views of the countries app that are not Wagtail pages."""

from django.http import Http404


def compare(request):
    """Placeholder until the comparison issue lands."""
    raise Http404
