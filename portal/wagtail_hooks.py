"""Admin additions of the portal app."""

from django.urls import path
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.actions.copy_for_translation import ParentNotTranslatedError
from wagtail.admin import messages
from wagtail.contrib.simple_translation.views import SubmitPageTranslationView


class PageTranslationView(SubmitPageTranslationView):
    """Wagtail's "Vertaal" for a page, answering a language whose parent page is not
    translated yet with a message and a 400 instead of a server error. (The form disables such
    a language and links to the parent, but a request can still ask for it.)"""

    def post(self, request, **kwargs):
        try:
            return super().post(request, **kwargs)
        except ParentNotTranslatedError:
            messages.error(request, _("Vertaal eerst de bovenliggende pagina in deze taal."))
            return self.render_to_response(self.get_context_data(**kwargs), status=400)


@hooks.register("register_admin_urls")
def register_page_translation_url():
    # Registered before wagtail.contrib.simple_translation's hook (portal comes first in
    # INSTALLED_APPS), so this view answers that app's address.
    return [path("translation/submit/page/<int:page_id>/", PageTranslationView.as_view())]
