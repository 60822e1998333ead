"""Reads for concerns: public lists, the map's data, nearby open concerns, the rows of the open data."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from kiezwerk.core import geo
from kiezwerk.core.models import Entry

from .models import Category, Concern, Photo

CSV_FIELDS = [
    "id",
    "url",
    "title",
    "category",
    "category_id",
    "category_group",
    "category_group_id",
    "status",
    "status_label",
    "supporters",
    "created",
    "updated",
    "lat",
    "lon",
]


def map_context(*, district):
    """The district and what a Leaflet map of it needs (boundary, streets, tiles), for `json_script`."""
    return {
        "district": district,
        "map_config": {
            "boundary": district.boundary,
            "streets": [{"name": s.name, "line": s.line} for s in district.streets.all()],
            "centre": district.centre,
            "tiles": settings.MAP_TILE_URL,
            "attribution": settings.MAP_TILE_ATTRIBUTION,
            "zoom_in": gettext("Zoom in"),
            "zoom_out": gettext("Zoom out"),
        },
    }


def category_list(*, district):
    """Active categories of a district with their parent, ordered as a tree (parents first)."""
    categories = list(
        Category.objects.filter(district=district, is_active=True)
        .select_related("parent")
        .order_by("position", "name_de")
    )
    tops = [c for c in categories if c.parent_id is None]
    children = {}
    for category in categories:
        if category.parent_id:
            children.setdefault(category.parent_id, []).append(category)
    return [(top, children.get(top.pk, [])) for top in tops]


def category_ids_below(category):
    """The category and its children (a filter for a top-level group)."""
    return [category.pk, *Category.objects.filter(parent=category).values_list("pk", flat=True)]


PERIODS = {"7": 7, "30": 30, "90": 90, "365": 365}


def concern_list_public(*, district, status=None, category=None, period=None):
    """Published concerns of a district, newest first, with category and photos joined."""
    qs = (
        Concern.objects.public()
        .filter(district=district)
        .select_related("category", "category__parent")
        .prefetch_related(Prefetch("photos", queryset=Photo.objects.only("pk", "concern_id", "thumbnail", "position")))
        .order_by("-created_at", "-pk")
    )
    if status:
        qs = qs.filter(status=status)
    if category:
        qs = qs.filter(category__in=category_ids_below(category))
    if period in PERIODS:
        qs = qs.filter(created_at__gte=timezone.now() - timedelta(days=PERIODS[period]))
    return qs


def concern_timeline(*, concern, include_internal=False):
    """The concern's timeline entries, oldest first; a referral step comes with its referral and organisation."""
    entries = Entry.objects.filter(concern=concern).select_related("author").prefetch_related("context__organisation")
    return entries if include_internal else entries.filter(is_public=True)


def concern_nearby(*, lat, lon, category, radius_m=None, limit=5):
    """Open, published concerns of the same category within radius_m, nearest first: [(concern, metres)]."""
    radius_m = radius_m or settings.NEARBY_RADIUS_M
    min_lat, max_lat, min_lon, max_lon = geo.bbox_around(lat, lon, radius_m)
    candidates = (
        Concern.objects.public()
        .open()
        .filter(category=category, lat__range=(min_lat, max_lat), lon__range=(min_lon, max_lon))
        .only("pk", "title", "language", "lat", "lon", "status", "supporter_count", "created_at", "address")[:200]
    )
    found = []
    for concern in candidates:
        distance = geo.distance_m(lat, lon, concern.lat, concern.lon)
        if distance <= radius_m:
            found.append((concern, round(distance)))
    found.sort(key=lambda pair: pair[1])
    return found[:limit]


def _open_data_rows(district):
    """Public concerns as plain rows for open data; no personal data."""
    categories = {
        c.pk: (c.name, c.parent_id)
        for c in Category.objects.filter(district=district).only("pk", *Category.name.fields, "parent_id")
    }
    status_labels = dict(Concern._meta.get_field("status").flatchoices)
    url_pattern = settings.SITE_URL + reverse("concerns:concern-detail", args=[0]).replace("/0/", "/{}/")
    rows = (
        Concern.objects.public()
        .filter(district=district)
        .order_by("-created_at", "-pk")
        .values_list(
            "pk", "title", "category_id", "status", "supporter_count", "created_at", "updated_at", "lat", "lon"
        )
    )
    for pk, title, category_id, status, supporters, created, updated, lat, lon in rows.iterator(chunk_size=5000):
        name, parent_id = categories[category_id]
        yield {
            "id": pk,
            "url": url_pattern.format(pk),
            "title": title,
            "category": name,
            "category_id": category_id,
            "category_group": categories[parent_id][0] if parent_id else name,
            "category_group_id": parent_id or category_id,
            "status": status,
            "status_label": str(status_labels[status]),
            "supporters": supporters,
            "created": created.isoformat(timespec="seconds"),
            "updated": updated.isoformat(timespec="seconds"),
            "lat": round(lat, 6),
            "lon": round(lon, 6),
        }


def concern_geojson_features(*, district):
    """GeoJSON features of the open data, one at a time (for `opendata`, which writes the files)."""
    for row in _open_data_rows(district):
        yield {
            "type": "Feature",
            "id": row["id"],
            "geometry": {"type": "Point", "coordinates": [row.pop("lon"), row.pop("lat")]},
            "properties": row,
        }


def concern_csv_rows(*, district):
    """Header and rows of the open-data CSV."""
    yield CSV_FIELDS
    for row in _open_data_rows(district):
        yield [row[field] for field in CSV_FIELDS]


def concern_district_slug(pk):
    """The slug of the concern's district ("" when there is no such concern), kept in the cache: it never
    changes, and with it a shared concern page costs no query (core.pagecache)."""
    key = f"concern-district:{pk}"
    slug = cache.get(key)
    if slug is None:
        slug = Concern.objects.filter(pk=pk).values_list("district__slug", flat=True).first() or ""
        cache.set(key, slug, timeout=3600)
    return slug


def district_figures(*, district):
    """Small public figures for a district's page, counted once per data version and day (kept in the cache)."""
    key = f"district-figures:{district.pk}:{district.data_version}:{timezone.localdate().isoformat()}"
    figures = cache.get(key)
    if figures is None:
        public = Concern.objects.public().filter(district=district)
        year_ago = timezone.now() - timedelta(days=365)
        figures = {
            "open": public.open().count(),
            "resolved_year": public.filter(status="resolved", closed_at__gte=year_ago).count(),
        }
        cache.set(key, figures, timeout=24 * 3600)
    return figures


# Apps above concerns add links to a concern's public page (a project made of it): functions
# `(concern) -> [(label, url)]`, registered at start-up.
_related = []


def related_register(function):
    _related.append(function)
    return function


def concern_related_public(*, concern):
    """[(label, url)] the apps link a concern's public page and tracking page to (the actions made of it)."""
    return [link for function in _related for link in function(concern)]


# Apps above concerns add to a district's public page without concerns knowing them (docs/architecture.md,
# issue H): a layer of the district map and a section of the page, registered at start-up.


@dataclass(frozen=True)
class MapLayer:
    key: str  # names the markers' and the legend swatch's CSS class (`kw-layer--<key>`)
    label: str  # the legend's entry, translated lazily
    url_name: str  # a public URL taking the district's slug: a GeoJSON FeatureCollection (static/js/map.js)
    viewport: bool = False  # loaded for the map's viewport (`?bbox=west,south,east,north`) on every move


@dataclass(frozen=True)
class DistrictSection:
    load: callable  # (district) -> the template's context, or a falsy value to leave the section out
    template_name: str


_map_layers = {}
_district_sections = []


def map_layer_register(*, key, label, url_name, viewport=False):
    """Add a layer to every district map: its points (and areas) come from `url_name`, its legend entry is `label`.

    Each feature is a Point with the properties `title`, `url` and `status_label`, and optionally `area`
    (a GeoJSON Polygon drawn beneath the marker). The data may change only with the district's data version.
    """
    _map_layers[key] = MapLayer(key=key, label=label, url_name=url_name, viewport=viewport)


def district_map_layers(*, district):
    """The registered layers of a district's map, for its legend and for `map.js` (through the map's config)."""
    return [
        {
            "key": layer.key,
            "label": str(layer.label),
            "source": reverse(layer.url_name, args=[district.slug]),
            "viewport": layer.viewport,
        }
        for layer in _map_layers.values()
    ]


def district_section_register(load, *, template_name):
    """Add a section to a district's public page: `load(district)` gives its template's context (falsy: left out).

    The page is shared among visitors until the district's data version changes (core.pagecache): what a
    section shows must change only with it (or may be up to `pagecache.TIMEOUT` late).
    """
    _district_sections.append(DistrictSection(load=load, template_name=template_name))


def district_sections(*, district):
    """[(template_name, context)] of the registered sections that have something to show."""
    sections = []
    for section in _district_sections:
        context = section.load(district)
        if context:
            sections.append((section.template_name, context))
    return sections
