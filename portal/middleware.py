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


class AdminSecurityPolicyMiddleware:
    """The Wagtail admin's own Content Security Policy and framing rule.

    The public site keeps the strict ``SECURE_CSP`` and ``X_FRAME_OPTIONS``; answers under
    ``ADMIN_PATH_PREFIX`` get ``ADMIN_CSP`` and ``ADMIN_X_FRAME_OPTIONS``, which the admin's
    scripts and preview panel need. Placed after Django's CSP and clickjacking middleware, so
    that it marks the answer before they write their headers; a view that sets its own policy
    keeps it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(settings.ADMIN_PATH_PREFIX):
            if not hasattr(response, "_csp_config"):
                response._csp_config = settings.ADMIN_CSP
            response.headers.setdefault("X-Frame-Options", settings.ADMIN_X_FRAME_OPTIONS)
        return response
