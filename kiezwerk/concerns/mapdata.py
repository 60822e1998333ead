"""The district map's data for one viewport: points when few, grid clusters counted by the database when many.

The map never loads every concern of a district: it asks for its bounding box and zoom. By default it shows
what matters now (open concerns and those resolved in the last MAP_RECENT_DAYS); a status filter shows that
status at any age. Answers are cached per district data version, language, filters and the bbox snapped to
the cluster grid, so panning back and forth and many visitors on the same view cost one query set.
"""

import json
import math
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models import Avg, Count, F, IntegerField, Q
from django.db.models.functions import Cast, Floor
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language

from .models import OPEN_STATUSES, Category, Concern, ConcernStatus
from .selectors import PERIODS, category_ids_below

CELL_PX = 64  # a cluster cell is about 64 screen pixels wide (256-pixel tiles)
MAX_CELLS = 40  # per side of the answered box: at most 1,600 clusters whatever bbox and zoom a client sends
MAX_ZOOM = 19


def grid_cell(bbox, zoom):
    """Degrees of one grid cell for a zoom level, coarser when the box would hold more than MAX_CELLS per side."""
    min_lon, min_lat, max_lon, max_lat = bbox
    zoom = max(0, min(MAX_ZOOM, zoom))
    cell = 360 / 2**zoom * CELL_PX / 256
    while max(max_lon - min_lon, max_lat - min_lat) / cell > MAX_CELLS:
        cell *= 2
    return cell


def _snap(bbox, cell):
    """The bbox grown to whole cells, as cell indices: the cache key and the query's bounds."""
    min_lon, min_lat, max_lon, max_lat = bbox
    return (
        math.floor(min_lon / cell),
        math.floor(min_lat / cell),
        math.ceil(max_lon / cell),
        math.ceil(max_lat / cell),
    )


def _clamp(bbox, district):
    """The part of bbox that overlaps the district's bounding box (None when they do not overlap)."""
    min_lon, min_lat, max_lon, max_lat = bbox
    box = (
        max(min_lon, district.min_lon),
        max(min_lat, district.min_lat),
        min(max_lon, district.max_lon),
        min(max_lat, district.max_lat),
    )
    return box if box[0] <= box[2] and box[1] <= box[3] else None


def map_concerns(*, district, status=None, category=None, period=None):
    """The concerns the map shows: by default open ones and those resolved recently."""
    qs = Concern.objects.public().filter(district=district)
    if status:
        qs = qs.filter(status=status)
    else:
        recent = timezone.now() - timedelta(days=settings.MAP_RECENT_DAYS)
        qs = qs.filter(Q(status__in=OPEN_STATUSES) | Q(status=ConcernStatus.RESOLVED, closed_at__gte=recent))
    if category:
        qs = qs.filter(category__in=category_ids_below(category))
    if period in PERIODS:
        qs = qs.filter(created_at__gte=timezone.now() - timedelta(days=PERIODS[period]))
    return qs


def map_data(*, district, bbox=None, zoom=15, status=None, category=None, period=None):
    """GeoJSON bytes for one viewport: at most MAP_MAX_POINTS points, else one feature per occupied grid cell.

    `district` needs pk, data_version and its bounding box loaded; `bbox` is (min_lon, min_lat, max_lon, max_lat).
    """
    bbox = _clamp(bbox or (district.min_lon, district.min_lat, district.max_lon, district.max_lat), district)
    if bbox is None:
        return _dump([], total=0, clustered=False)
    cell = grid_cell(bbox, zoom)
    snapped = _snap(bbox, cell)
    parts = (district.pk, district.data_version, get_language(), f"{cell:.9g}", *snapped, status, category, period)
    key = "map-data:" + ":".join(str(getattr(part, "pk", part) or "") for part in parts)
    data = cache.get(key)
    if data is None:
        data = _build(district, snapped, cell, status=status, category=category, period=period)
        cache.set(key, data, timeout=settings.MAP_DATA_CACHE_SECONDS)
    return data


def _build(district, snapped, cell, **filters):
    west, south, east, north = snapped
    qs = map_concerns(district=district, **filters).filter(
        lon__gte=west * cell, lon__lte=east * cell, lat__gte=south * cell, lat__lte=north * cell
    )
    points = list(
        qs.order_by("-created_at", "-pk").values_list(
            "pk", "title", "status", "category_id", "supporter_count", "lat", "lon"
        )[: settings.MAP_MAX_POINTS + 1]
    )
    if len(points) <= settings.MAP_MAX_POINTS:
        return _dump(_point_features(district, points), total=len(points), clustered=False)
    return _clustered(qs, cell)


def _point_features(district, points):
    labels = {value: str(label) for value, label in ConcernStatus.choices}
    names = {c.pk: c.name for c in Category.objects.filter(district=district).only("pk", *Category.name.fields)}
    url = reverse("concerns:concern-detail", args=[0]).replace("/0/", "/{}/")
    return [
        {
            "type": "Feature",
            "id": pk,
            "geometry": {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]},
            "properties": {
                "title": title,
                "status": status,
                "status_label": labels[status],
                "category": names.get(category_id, ""),
                "supporters": supporters,
                "url": url.format(pk),
            },
        }
        for pk, title, status, category_id, supporters, lat, lon in points
    ]


def _clustered(qs, cell):
    """One feature per occupied grid cell, at the mean position of its concerns, with counts."""
    cells = (
        qs.annotate(
            cell_x=Cast(Floor(F("lon") / cell), IntegerField()),
            cell_y=Cast(Floor(F("lat") / cell), IntegerField()),
        )
        .order_by()
        .values("cell_x", "cell_y")
        .annotate(
            count=Count("pk"), open=Count("pk", filter=Q(status__in=OPEN_STATUSES)), lat=Avg("lat"), lon=Avg("lon")
        )
    )
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [round(c["lon"], 6), round(c["lat"], 6)]},
            "properties": {"cluster": True, "count": c["count"], "open": c["open"]},
        }
        for c in cells
    ]
    return _dump(features, total=sum(f["properties"]["count"] for f in features), clustered=True)


def _dump(features, *, total, clustered):
    collection = {"type": "FeatureCollection", "total": total, "clustered": clustered, "features": features}
    return json.dumps(collection, ensure_ascii=False, separators=(",", ":")).encode()
