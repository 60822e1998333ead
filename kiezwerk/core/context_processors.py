from django.conf import settings

from . import pagecache
from .forms import local_page
from .views import BRAND_COLOUR


def site(request):
    """Settings the templates need on every page; a placeholder CSRF token for a shared page (core.pagecache)."""
    context = {
        "OPERATOR_NAME": settings.OPERATOR_NAME,
        "BRAND_COLOUR": BRAND_COLOUR,
        "MAP_TILE_URL": settings.MAP_TILE_URL,
        "MAP_TILE_ATTRIBUTION": settings.MAP_TILE_ATTRIBUTION,
    }
    # The page a barrier report starts from, without a secret link's token (core.forms.local_page).
    context["page_path"] = local_page(request.path)
    if getattr(request, "csrf_placeholder", False):
        context["csrf_token"] = pagecache.PLACEHOLDER
    return context
