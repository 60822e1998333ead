"""Geometry helpers: district boundaries (GeoJSON, WGS84) with shapely.

No GDAL or PostGIS: boundaries are stored as GeoJSON and checked here; points
are plain latitude/longitude columns.
"""

import json
import math

import shapely
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from shapely import geometry as shapely_geometry
from shapely.validation import explain_validity

EARTH_RADIUS_M = 6_371_008.8
METRES_PER_DEG_LAT = 111_132.0
METRES_PER_DEG_LON = 111_320.0  # at the equator; times cos(latitude) elsewhere


def boundary_parse(raw):
    """Return a valid shapely (Multi)Polygon from GeoJSON text or a mapping.

    Accepts a geometry, a Feature or a FeatureCollection with one feature.
    Raises ValidationError with code "invalid_json", "not_polygon",
    "not_wgs84" or "invalid_geometry".
    """
    if isinstance(raw, (str, bytes)):
        try:
            raw = json.loads(raw)
        except ValueError as error:
            raise ValidationError(
                _("The file is not valid GeoJSON: %(error)s"), code="invalid_json", params={"error": error}
            ) from error
    if not isinstance(raw, dict):
        raise ValidationError(_("The file is not valid GeoJSON."), code="invalid_json")
    if raw.get("type") == "FeatureCollection":
        features = raw.get("features") or []
        if len(features) != 1:
            raise ValidationError(
                _("The feature collection must hold exactly one boundary, not %(count)s."),
                code="not_polygon",
                params={"count": len(features)},
            )
        raw = features[0]
    if raw.get("type") == "Feature":
        raw = raw.get("geometry") or {}
    if raw.get("type") not in ("Polygon", "MultiPolygon"):
        raise ValidationError(
            _("A district boundary must be a Polygon or MultiPolygon, not %(type)s."),
            code="not_polygon",
            params={"type": raw.get("type") or "?"},
        )
    try:
        shape = shapely_geometry.shape(raw)
    except (ValueError, TypeError, KeyError, IndexError, AttributeError) as error:
        raise ValidationError(
            _("The boundary coordinates cannot be read: %(error)s"), code="invalid_json", params={"error": error}
        ) from error
    if shape.is_empty:
        raise ValidationError(_("The boundary is empty."), code="not_polygon")
    min_lon, min_lat, max_lon, max_lat = shape.bounds
    if not (-180 <= min_lon <= max_lon <= 180 and -90 <= min_lat <= max_lat <= 90):
        raise ValidationError(_("The coordinates are not WGS84 longitude/latitude (EPSG:4326)."), code="not_wgs84")
    if not shape.is_valid:
        raise ValidationError(
            _("The boundary is not a valid polygon (%(reason)s), for example it intersects itself."),
            code="invalid_geometry",
            params={"reason": explain_validity(shape)},
        )
    return shape


def area_km2(shape):
    """Approximate area of a WGS84 shape in km², projected around its centre."""
    return LocalFrame(shape.centroid.y, shape.centroid.x).to_metres(shape).area / 1_000_000


def distance_m(lat1, lon1, lat2, lon2):
    """Great-circle distance in metres (haversine)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def bbox_around(lat, lon, radius_m):
    """(min_lat, max_lat, min_lon, max_lon) of a square holding the circle."""
    dlat = radius_m / METRES_PER_DEG_LAT
    dlon = radius_m / (METRES_PER_DEG_LON * max(math.cos(math.radians(lat)), 0.01))
    return lat - dlat, lat + dlat, lon - dlon, lon + dlon


class LocalFrame:
    """Metres east and north of an origin (equirectangular): exact enough within a district."""

    def __init__(self, lat, lon):
        self.lat, self.lon = lat, lon
        self.scale = (METRES_PER_DEG_LON * math.cos(math.radians(lat)), METRES_PER_DEG_LAT)

    def to_metres(self, geometry):
        """A WGS84 shapely geometry ([lon, lat]) in this frame's metres."""
        return shapely.transform(geometry, lambda coords: (coords - (self.lon, self.lat)) * self.scale)

    def to_lat_lon(self, point):
        """(lat, lon) of a shapely point in this frame's metres."""
        return self.lat + point.y / self.scale[1], self.lon + point.x / self.scale[0]
