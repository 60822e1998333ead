"""Address ⇄ point with the district's street register: no online geocoder.

A register street is a line with a house-number range; a number lies at its share of the range
along the line (measured in metres), and a point gets the number of its foot on the nearest street.
"""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from shapely import geometry as shapely_geometry

from .. import geo
from ..models import Street
from ..selectors import district_contains

# A point farther than this from every street of the register has no address.
NEAREST_STREET_M = 150


@dataclass(frozen=True)
class Address:
    street: str
    number: int
    distance_m: float  # from the point to the street

    def __str__(self):
        return f"{self.street} {self.number}"


def street_named(district, name):
    """The street of the register for a typed name; "Str." and "Strasse" mean "Straße", any case.

    Raises ValidationError({"street": …}) with code "unknown_street".
    """
    name = " ".join(name.split())
    variants = {name, re.sub(r"(?i)str\.?$", "straße", name), re.sub(r"(?i)strasse$", "straße", name)}
    query = Q()
    for variant in variants:
        query |= Q(name__iexact=variant)
    street = Street.objects.filter(query, district=district).first() if name else None
    if street is None:
        raise ValidationError(
            {
                "street": ValidationError(
                    _("There is no street “%(name)s” in %(district)s. Please pick one from the list."),
                    code="unknown_street",
                    params={"name": name, "district": district.name},
                )
            }
        )
    return street


def street_point(street, number):
    """(lat, lon) of a house number on a register street, interpolated along it; numbers outside its range clamp."""
    frame, line = _in_metres(street)
    span = max(street.last_number - street.first_number, 1)
    fraction = (min(max(number, street.first_number), street.last_number) - street.first_number) / span
    return frame.to_lat_lon(line.interpolate(fraction, normalized=True))


def point_for_address(district, street, number):
    """(lat, lon) of a typed street name and house number ("12", "12a") in the district.

    Raises ValidationError keyed by field: "street" (code "unknown_street"), "house_number"
    (code "house_number": missing or outside the street's range; code "outside": the point
    lies outside the district).
    """
    found = street_named(district, street)
    digits = re.match(r"\d+", str(number).strip())
    if digits is None:
        raise ValidationError({"house_number": ValidationError(_("Please enter a house number."), code="house_number")})
    value = int(digits.group()[:9])
    if not found.first_number <= value <= found.last_number:
        raise ValidationError(
            {
                "house_number": ValidationError(
                    _("%(street)s has the numbers %(first)s to %(last)s."),
                    code="house_number",
                    params={"street": found.name, "first": found.first_number, "last": found.last_number},
                )
            }
        )
    lat, lon = street_point(found, value)
    if not district_contains(district, lat=lat, lon=lon):
        raise ValidationError(
            {
                "house_number": ValidationError(
                    _("%(address)s lies outside %(district)s. Please mark the place on the map."),
                    code="outside",
                    params={"address": f"{found.name} {value}", "district": district.name},
                )
            }
        )
    return lat, lon


def address_for_point(district, lat, lon, *, within_m=NEAREST_STREET_M):
    """The nearest register street of the district and the house number there, as an Address.

    None when no street lies within `within_m` metres.
    """
    nearest = None
    for street in Street.objects.filter(district=district).only("name", "line", "first_number", "last_number"):
        frame, line = _in_metres(street)
        point = frame.to_metres(shapely_geometry.Point(lon, lat))
        distance = line.distance(point)
        if distance <= within_m and (nearest is None or distance < nearest[0]):
            nearest = (distance, street, line.project(point, normalized=True))
    if nearest is None:
        return None
    distance, street, fraction = nearest
    number = round(street.first_number + fraction * (street.last_number - street.first_number))
    return Address(street=street.name, number=number, distance_m=round(distance, 1))


def _in_metres(street):
    """(frame, line): the street's line in metres of a frame at its first point."""
    lon, lat = street.line[0][:2]
    frame = geo.LocalFrame(lat, lon)
    return frame, frame.to_metres(shapely_geometry.LineString(street.line))
