"""Whole public pages kept for visitors without a session: rendered once per data version, served from the cache.

A public page (the district's list and map, a concern's page) is the same for every visitor who has no
session and no pending message: such a visitor gets the bytes rendered for the first one, keyed by the
district's `data_version` (every public change bumps it), the language, the full path and the release (the
static files' manifest). The CSRF token is the one thing in such a page that belongs to the visitor: the
page is rendered with a placeholder, and each answer gets the visitor's own token in its place.
Everybody else — signed in, following a message, with a session — gets the page rendered afresh.
"""

import hashlib

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from django.utils.translation import get_language

from . import selectors

PLACEHOLDER = "kiezwerk-csrf-placeholder"
TIMEOUT = 600  # seconds: also bounds how long a page may show yesterday's relative figures


def cacheable(request):
    """Whether the request may get (and fill) a shared page: a GET by a visitor without session or messages."""
    return (
        request.method == "GET"
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and CookieStorage.cookie_name not in request.COOKIES
        and not getattr(request, "htmx", False)
    )


def serve(request, version, render):
    """The page `render()` makes, shared among visitors without a session while `version` stays the same.

    `version` names what the page shows (e.g. the district and its data_version).
    """
    if not cacheable(request):
        return render()
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    release = getattr(staticfiles_storage, "manifest_hash", "")
    key = f"page:{version}:{get_language()}:{release}:{path}"
    cached = cache.get(key)
    if cached is None:
        request.csrf_placeholder = True  # read by core.context_processors.site
        response = render()
        if response.status_code != 200 or response.streaming:
            return response
        cached = (response.content, response["Content-Type"])
        cache.set(key, cached, timeout=TIMEOUT)
    content, content_type = cached
    return HttpResponse(content.replace(PLACEHOLDER.encode(), get_token(request).encode()), content_type=content_type)


def serve_district(request, slug, name, render):
    """`serve` for a public page of the district `slug` (Http404 when there is none): shared until the district's
    public data change (every public change touches the district). `name` tells the page's kind apart."""
    version = selectors.district_version(slug)
    if version is None:
        raise Http404
    return serve(request, "{}:{}:{}".format(name, *version), render)


def kept(key, build, timeout=None):
    """The bytes `build()` makes, kept under `key` (a key naming the district's data version: any public change
    builds them anew) for `timeout` seconds (default: settings.MAP_DATA_CACHE_SECONDS)."""
    data = cache.get(key)
    if data is None:
        data = build()
        cache.set(key, data, timeout=settings.MAP_DATA_CACHE_SECONDS if timeout is None else timeout)
    return data
