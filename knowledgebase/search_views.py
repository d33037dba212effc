"""Site-wide search (placeholder until the search issue lands)."""

from django.http import Http404


def search(request):
    raise Http404
