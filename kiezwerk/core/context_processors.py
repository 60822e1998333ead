from django.conf import settings


def site(request):
    """Settings the templates need on every page."""
    return {
        "OPERATOR_NAME": settings.OPERATOR_NAME,
        "MAP_TILE_URL": settings.MAP_TILE_URL,
        "MAP_TILE_ATTRIBUTION": settings.MAP_TILE_ATTRIBUTION,
    }
