"""Interface language: Dutch unless the visitor chose English with the language switch."""

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers


class ChosenLanguageMiddleware:
    """Activate the language from the language cookie only, for the request.

    Django's LocaleMiddleware also follows the browser's Accept-Language, which would show an
    English interface around Dutch content to most foreign visitors and mark Dutch text as
    English. The portal is Dutch first: English is an explicit choice.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        request.LANGUAGE_CODE = language
        # Only for this request: the thread's language is restored afterwards, so nothing that
        # runs after a request in the same thread (a task, a test) inherits a visitor's choice.
        with translation.override(language):
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ["Cookie"])
        return response
