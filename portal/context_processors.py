"""Template context every page needs: the main navigation."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# (label, URL name or page path, whether the URL is a Wagtail page path)
MAIN_NAVIGATION = [
    (_("Landen"), "/landen/"),
    (_("Vergelijken"), "countries:compare"),
    (_("Kennisinfrastructuur"), "/kennisinfrastructuur/"),
    (_("Thema's"), "knowledgebase:theme_list"),
    (_("Onderzoek"), "knowledgebase:study_list"),
    (_("Bevindingen"), "knowledgebase:finding_list"),
    (_("Organisaties"), "knowledgebase:organisation_list"),
    (_("Kennisagenda"), "knowledgebase:question_list"),
    (_("Zoeken"), "knowledgebase:search"),
]


def _resolve(target):
    return target if target.startswith("/") else reverse(target)


def navigation(request):
    path = request.path
    items = []
    for label, target in MAIN_NAVIGATION:
        url = _resolve(target)
        items.append({"label": label, "url": url, "current": path.startswith(url)})
    return {"main_navigation": items}
