"""Request guards every page shares."""

from django.conf import settings
from django.core.exceptions import BadRequest
from django.middleware.gzip import GZipMiddleware
from django.utils import translation


class RejectNulMiddleware:
    """A NUL byte can never be stored (PostgreSQL refuses it in text): a request carrying one in its path,
    query or form fields is answered 400 before any view reads it, instead of failing deep inside with 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or _has_nul(request.GET) or (request.method == "POST" and _has_nul(request.POST)):
            raise BadRequest("NUL byte in the request")
        return self.get_response(request)


def _has_nul(query):
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in query.lists())


class CompressMiddleware(GZipMiddleware):
    """Django's gzip (with its BREACH padding) for text answers only: HTML, JSON, GeoJSON, CSV, JavaScript.

    Photos and other media are compressed already; static files come compressed from WhiteNoise, which answers
    before this middleware is reached.
    """

    def process_response(self, request, response):
        content_type = response.get("Content-Type", "").split(";")[0].strip()
        if not (content_type.startswith("text/") or content_type.endswith(("json", "javascript", "xml"))):
            return response
        return super().process_response(request, response)


class AccountLanguageMiddleware:
    """A signed-in person without a language cookie (a new device, a new browser) gets the language kept on
    their account (core.views.language_set); the cookie, set by the switch, wins."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES and request.user.is_authenticated:
            code = request.user.language
            if code in dict(settings.LANGUAGES):
                translation.activate(code)
                request.LANGUAGE_CODE = code
        return self.get_response(request)
