from django.conf import settings

from . import pagecache


def site(request):
    """Settings the templates need on every page; a placeholder CSRF token for a shared page (core.pagecache)."""
    context = {
        "OPERATOR_NAME": settings.OPERATOR_NAME,
        "MAP_TILE_URL": settings.MAP_TILE_URL,
        "MAP_TILE_ATTRIBUTION": settings.MAP_TILE_ATTRIBUTION,
    }
    if getattr(request, "csrf_placeholder", False):
        context["csrf_token"] = pagecache.PLACEHOLDER
    return context
