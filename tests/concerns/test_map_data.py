"""The district map's viewport data: points when few, server-side clusters when many, never the whole district."""

import json
import random
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from kiezwerk.concerns.mapdata import MAX_CELLS, grid_cell
from kiezwerk.concerns.models import Concern, Moderation
from kiezwerk.core.services import district_touch

from ..factories import ConcernFactory


def url(district, **params):
    base = reverse("concerns:map-data", args=[district.slug])
    return base + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def bbox(district):
    return f"{district.min_lon},{district.min_lat},{district.max_lon},{district.max_lat}"


def scatter(district, category, n, seed=1, **fields):
    """n concerns at random points inside the district's bounding box."""
    rng = random.Random(seed)
    return [
        ConcernFactory(
            district=district,
            category=category,
            lat=rng.uniform(district.min_lat, district.max_lat),
            lon=rng.uniform(district.min_lon, district.max_lon),
            **fields,
        )
        for _ in range(n)
    ]


def get(client, district, **params):
    response = client.get(url(district, **params))
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/geo+json"
    return json.loads(response.content)


def test_few_concerns_come_as_points_with_what_the_popup_needs(client, district, category):
    concern = scatter(district, category, 1)[0]
    data = get(client, district, bbox=bbox(district), zoom=15)
    assert data["clustered"] is False and data["total"] == 1
    (feature,) = data["features"]
    assert feature["id"] == concern.pk
    assert feature["geometry"]["coordinates"] == [round(concern.lon, 6), round(concern.lat, 6)]
    assert feature["properties"]["url"] == concern.get_absolute_url()
    assert feature["properties"]["status_label"] == "Neu"
    assert feature["properties"]["category"] == "Wilder Müll"
    assert not {"description", "reporter_email", "reporter_name", "address"} & set(feature["properties"])


def test_by_default_open_and_recently_resolved_only_a_status_filter_shows_the_rest(
    client, district, category, settings
):
    open_concern, recent, old, declined, hidden = scatter(district, category, 5)
    now = timezone.now()
    Concern.objects.filter(pk=recent.pk).update(status="resolved", closed_at=now - timedelta(days=5))
    Concern.objects.filter(pk=old.pk).update(status="resolved", closed_at=now - timedelta(days=400))
    Concern.objects.filter(pk=declined.pk).update(status="declined", closed_at=now - timedelta(days=2))
    Concern.objects.filter(pk=hidden.pk).update(moderation=Moderation.PENDING)
    ids = {f["id"] for f in get(client, district, bbox=bbox(district), zoom=15)["features"]}
    assert ids == {open_concern.pk, recent.pk}
    resolved = {f["id"] for f in get(client, district, bbox=bbox(district), zoom=15, status="resolved")["features"]}
    assert resolved == {recent.pk, old.pk}
    assert hidden.pk not in {f["id"] for f in get(client, district, status="new")["features"]}


def test_only_the_viewport_is_answered(client, district, category):
    west = ConcernFactory(district=district, category=category, lat=district.centre[0], lon=district.min_lon + 0.001)
    east = ConcernFactory(district=district, category=category, lat=district.centre[0], lon=district.max_lon - 0.001)
    box = f"{district.min_lon},{district.min_lat},{district.min_lon + 0.005},{district.max_lat}"
    assert {f["id"] for f in get(client, district, bbox=box, zoom=17)["features"]} == {west.pk}
    outside = f"{district.max_lon + 1},{district.min_lat},{district.max_lon + 2},{district.max_lat}"
    assert get(client, district, bbox=outside, zoom=17) | {"features": []} == {
        "type": "FeatureCollection",
        "total": 0,
        "clustered": False,
        "features": [],
    }
    assert east.pk in {f["id"] for f in get(client, district)["features"]}  # no bbox: the whole district


def test_many_concerns_come_as_a_bounded_number_of_counted_clusters(
    client, district, category, settings, django_assert_max_num_queries
):
    settings.MAP_MAX_POINTS = 20
    scatter(district, category, 60)
    with django_assert_max_num_queries(4):
        data = get(client, district, bbox=bbox(district), zoom=15)
    assert data["clustered"] is True and data["total"] == 60
    assert 1 < len(data["features"]) < 60
    assert sum(f["properties"]["count"] for f in data["features"]) == 60
    assert all(
        f["properties"]["cluster"] and f["properties"]["open"] <= f["properties"]["count"] for f in data["features"]
    )
    # Every cluster lies inside the district's box (mean positions of its concerns).
    for feature in data["features"]:
        lon, lat = feature["geometry"]["coordinates"]
        assert district.min_lon <= lon <= district.max_lon and district.min_lat <= lat <= district.max_lat
    # Zoomed in on a corner, few enough for single pins again.
    corner = f"{district.min_lon},{district.min_lat},{district.min_lon + 0.004},{district.min_lat + 0.004}"
    zoomed = get(client, district, bbox=corner, zoom=18)
    assert zoomed["clustered"] is False and len(zoomed["features"]) == zoomed["total"] <= 20


def test_a_huge_box_at_high_zoom_cannot_ask_for_more_cells_than_the_bound():
    assert (10 - 0) / grid_cell((0, 0, 10, 10), 22) <= MAX_CELLS
    assert grid_cell((10.0, 48.0, 10.02, 48.02), 15) == pytest.approx(360 / 2**15 / 4)


def test_the_answer_is_cached_until_the_district_changes(client, district, category, django_assert_num_queries):
    scatter(district, category, 3)
    first = get(client, district, bbox=bbox(district), zoom=15)
    with django_assert_num_queries(2):  # the district and its categories (the filter's choices)
        assert get(client, district, bbox=bbox(district), zoom=15) == first
    scatter(district, category, 1, seed=2)
    district_touch(district=district)
    assert get(client, district, bbox=bbox(district), zoom=15)["total"] == 4


@pytest.mark.parametrize(
    "params",
    [
        {"bbox": "1,2,3"},
        {"bbox": "a,b,c,d"},
        {"bbox": "nan,48,11,49"},
        {"bbox": "11,48,10,49"},
        {"bbox": "10,48,11,inf"},
        {"zoom": "99"},
        {"zoom": "x"},
    ],
)
def test_bad_viewports_get_a_translated_400(client, district, params):
    response = client.get(url(district, **params))
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors and all(isinstance(e, str) for e in errors)
    assert "bbox" not in params or any("Zahlen" in e or "Kartenausschnitt" in e for e in errors)


def test_a_nul_byte_in_the_viewport_is_refused(client, district):
    assert client.get(url(district, bbox="10,48%00,11,49")).status_code == 400


def test_unknown_district_is_404(client, db):
    assert client.get(reverse("concerns:map-data", args=["gibt-es-nicht"])).status_code == 404


def test_the_map_page_no_longer_embeds_or_fetches_the_whole_district(client, district, category):
    response = client.get(reverse("concerns:district-map", args=[district.slug]))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'data-source="{url(district)}"' in html
    assert "data-geojson" not in html
    assert "in den letzten 90 Tagen erledigten" in html
