"""Reads for districts and streets."""

from django.core.cache import cache
from django.db.models import F, Q
from shapely import geometry as shapely_geometry
from shapely.prepared import prep

from .models import AccessibilityFeedback, District, LegalText, Street

# Prepared boundaries by district id, replaced when the boundary changes.
_shapes = {}


def district_shape(district):
    """The prepared shapely boundary of a district, cached per process."""
    key = district.updated_at
    cached = _shapes.get(district.pk)
    if cached is None or cached[0] != key:
        cached = (key, prep(shapely_geometry.shape(district.boundary)))
        _shapes[district.pk] = cached
    return cached[1]


VERSION_SECONDS = 60  # bounds how long a rare race between two changes can leave an older version cached


def district_version_key(slug):
    return f"district-version:{slug}"


def district_version(slug):
    """(pk, data_version) of the district with this slug, None when there is none; kept in the cache (set
    afresh by core.services.district_touch once a change commits), so a shared page costs no query."""
    found = cache.get(district_version_key(slug))
    if found is None:
        found = District.objects.filter(slug=slug).values_list("pk", "data_version").first()
        if found is not None:
            cache.add(district_version_key(slug), found, timeout=VERSION_SECONDS)
    return found


def district_list():
    return District.objects.order_by("name")


def district_contains(district, *, lat, lon):
    """Whether the point lies inside the district's boundary."""
    return district_shape(district).contains(shapely_geometry.Point(lon, lat))


def district_for_point(*, lat, lon):
    """The district containing the point, or None."""
    candidates = District.objects.filter(min_lat__lte=lat, max_lat__gte=lat, min_lon__lte=lon, max_lon__gte=lon)
    return next((d for d in candidates if district_contains(d, lat=lat, lon=lon)), None)


def street_list(*, district):
    return Street.objects.filter(district=district).only("name", "first_number", "last_number")


def legal_text(page):
    """The operator's own text for a legal page (LegalText.Page), or None when none was entered."""
    return LegalText.objects.filter(page=page).first()


def accessibility_feedback_list(*, district):
    """Barriers reported for the district's pages and for the whole site; unanswered first, newest first."""
    return AccessibilityFeedback.objects.filter(Q(district=district) | Q(district__isnull=True)).order_by(
        F("answered_at").desc(nulls_first=True), "-created_at", "-pk"
    )
