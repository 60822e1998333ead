"""Reads for districts and streets."""

import re

from django.db.models import Q
from shapely import geometry as shapely_geometry
from shapely.prepared import prep

from . import geo
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


ADDRESS_RE = re.compile(r"^\s*(?P<street>.*?\D)\s*(?P<number>\d+)\s*[a-zA-Z]?\s*$")


def street_list(*, district):
    return Street.objects.filter(district=district).only("name", "first_number", "last_number")


def street_find(*, district, name):
    """The street of the register matching a typed name, or None.

    Accepts the common spellings: "Str." for "Straße", any case.
    """
    name = " ".join(name.split())
    if not name:
        return None
    variants = {name, re.sub(r"(?i)str\.?$", "straße", name), re.sub(r"(?i)strasse$", "straße", name)}
    query = Q()
    for variant in variants:
        query |= Q(name__iexact=variant)
    return Street.objects.filter(query, district=district).first()


def street_locate(*, street, number):
    """(lat, lon) of a house number, interpolated along the street."""
    span = max(street.last_number - street.first_number, 1)
    fraction = (min(max(number, street.first_number), street.last_number) - street.first_number) / span
    return geo.point_on_line(street.line, fraction)
