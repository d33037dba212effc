"""Interface language (Dutch unless the visitor chose English), the admin's security policy,
and whole public pages cached for anonymous visitors."""

from django.conf import settings
from django.http import HttpResponse
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers

from knowledgebase import content_cache


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


# Seconds a CDN or reverse proxy may reuse a public page without asking again (``s-maxage``):
# a publish reaches visitors of a shared cache within that time (sooner when frontend_cache
# purges it). Browsers ask again on every visit (``max-age=0``; a 304 when the ETag still
# matches), so a reader, or an editor checking the public page, sees a publish at once. The
# portal keeps a whole page as long: a write that starts no new version (an update in bulk)
# reaches anonymous visitors within a minute, as it does through a CDN.
PUBLIC_MAX_AGE = 60
# Headers of a page's answer that are not kept with its cached copy: they are per answer.
PER_ANSWER_HEADERS = {"cache-control", "expires", "set-cookie"}


class AnonymousPageCache:
    """Whole public pages for visitors who are not signed in, cached per content version.

    A GET or HEAD without a query string, from a visitor with no session (so never an editor,
    who would see the user bar) and no pending messages, is served from the content cache when
    an earlier such visitor's answer is there: the view does not run. An answer is kept only
    when it is complete (200), sets no cookie, holds no CSRF token (a form, as on the comparison
    page) and says nothing of its own about caching (``never_cache``, a private page's password
    form), nor one that varies on a request header. The key is the host, path and language,
    under every kind's content version (a page
    shows navigation and related records of any kind); an address with parameters is never a
    key, so junk in the query string cannot fill the cache (the search caches its pages by its
    validated parameters itself).

    Every answer that could be shared tells browsers, CDNs and proxies so
    (``Cache-Control: public``); any other answer to a GET is ``private``. Placed after
    ``RequestContentVersion``, so that a page is read and stored under the versions the request
    read first. The middleware outside it add their headers (the Content Security Policy, with
    a fresh nonce, and the ETag) to a cached answer as to any other: no public template uses
    the nonce, so a cached body holds none.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not self._anonymous_read(request):
            response = self.get_response(request)
            if request.method in ("GET", "HEAD") and not response.has_header("Cache-Control"):
                patch_cache_control(response, private=True)
            return response
        name = None
        if not request.META.get("QUERY_STRING"):
            name = f"page:{translation.get_language()}:{request.scheme}://{request.get_host()}{request.path}"
            hit = content_cache.cache_get(name)
            if hit is not None:
                content, headers = hit
                return self._public(HttpResponse(content, headers=headers))
        response = self.get_response(request)
        if not self._shareable(request, response):
            if not response.streaming and not response.has_header("Cache-Control"):
                patch_cache_control(response, private=True)
            return response
        # An answer that varies on a request header (not the language: that is in the key) is
        # left to caches that honour Vary.
        if name is not None and request.method == "GET" and not response.has_header("Vary"):
            headers = {key: value for key, value in response.items() if key.lower() not in PER_ANSWER_HEADERS}
            content_cache.cache_set(name, (response.content, headers), PUBLIC_MAX_AGE)
        return self._public(response)

    def _anonymous_read(self, request):
        return (
            request.method in ("GET", "HEAD")
            and not request.path.startswith(settings.ADMIN_PATH_PREFIX)
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and "messages" not in request.COOKIES
            and "HTTP_AUTHORIZATION" not in request.META
            and not request.user.is_authenticated
        )

    def _shareable(self, request, response):
        session = getattr(request, "session", None)
        return (
            response.status_code == 200
            and not response.streaming
            and not response.has_header("Cache-Control")
            and not response.cookies
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            and not (session is not None and session.modified)
        )

    def _public(self, response):
        patch_cache_control(response, public=True, max_age=0, s_maxage=PUBLIC_MAX_AGE)
        return response
