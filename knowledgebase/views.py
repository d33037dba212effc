"""Public list and detail pages of the knowledge base (placeholders until the domain issue)."""

from django.http import Http404


def _todo(request, *args, **kwargs):
    raise Http404


theme_list = theme_detail = study_list = study_detail = finding_list = finding_detail = _todo
organisation_list = organisation_detail = question_list = question_detail = _todo
