from django.conf import settings

from . import pagecache
from .views import BRAND_COLOUR


def site(request):
    """Settings the templates need on every page; a placeholder CSRF token for a shared page (core.pagecache)."""
    context = {
        "OPERATOR_NAME": settings.OPERATOR_NAME,
        "BRAND_COLOUR": BRAND_COLOUR,
        "MAP_TILE_URL": settings.MAP_TILE_URL,
        "MAP_TILE_ATTRIBUTION": settings.MAP_TILE_ATTRIBUTION,
    }
    if getattr(request, "csrf_placeholder", False):
        context["csrf_token"] = pagecache.PLACEHOLDER
    return context
