"""Reads for districts and streets."""

from shapely import geometry as shapely_geometry
from shapely.prepared import prep

from .models import District, Street

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
