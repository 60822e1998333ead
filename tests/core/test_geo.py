import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import translation

from kiezwerk.core import geo, selectors
from kiezwerk.core.models import AuditEvent, District

from ..factories import square

BOWTIE = {"type": "Polygon", "coordinates": [[[10.0, 48.0], [10.1, 48.1], [10.1, 48.0], [10.0, 48.1], [10.0, 48.0]]]}


def test_parse_accepts_polygon_feature_and_collection():
    polygon = square(48.38, 10.87)
    assert geo.boundary_parse(polygon).geom_type == "Polygon"
    assert geo.boundary_parse({"type": "Feature", "geometry": polygon, "properties": {}}).geom_type == "Polygon"
    collection = {"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": polygon}]}
    assert geo.boundary_parse(json.dumps(collection)).geom_type == "Polygon"
    multi = {
        "type": "MultiPolygon",
        "coordinates": [square(48.3, 10.8)["coordinates"], square(48.4, 10.9)["coordinates"]],
    }
    assert geo.boundary_parse(multi).geom_type == "MultiPolygon"


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("{not json", "invalid_json"),
        ('"just a string"', "invalid_json"),
        ({"type": "Point", "coordinates": [10.8, 48.3]}, "not_polygon"),
        ({"type": "LineString", "coordinates": [[10.8, 48.3], [10.9, 48.4]]}, "not_polygon"),
        ({"type": "FeatureCollection", "features": []}, "not_polygon"),
        (BOWTIE, "invalid_geometry"),
        (square(4_838_000, 1_087_000, 1000), "not_wgs84"),
        ({"type": "Polygon", "coordinates": [[[10.8]]]}, "invalid_json"),
    ],
)
def test_parse_refuses_bad_boundaries(raw, code):
    with pytest.raises(ValidationError) as error:
        geo.boundary_parse(raw)
    assert error.value.code == code


def test_area_of_a_one_km_square_is_about_one():
    shape = geo.boundary_parse(square(48.38, 10.87, 0.009))  # ~1 km north-south, ~0.66 km east-west
    assert 0.6 < geo.area_km2(shape) < 0.7


def test_distance_metres():
    assert geo.distance_m(48.38, 10.87, 48.38, 10.87) == 0
    assert 110 < geo.distance_m(48.38, 10.87, 48.381, 10.87) < 112


def test_load_district_command_creates_and_updates(db, tmp_path, capsys):
    path = tmp_path / "viertel.geojson"
    path.write_text(json.dumps({"type": "Feature", "geometry": square(48.38, 10.87)}))
    call_command("load_district", "Neues Viertel", str(path), "--residents", "12000")
    district = District.objects.get(slug="neues-viertel")
    assert district.residents == 12000 and district.area_km2 > 0
    assert selectors.district_for_point(lat=48.385, lon=10.875) == district
    assert selectors.district_for_point(lat=48.5, lon=10.875) is None
    call_command("load_district", "Neues Viertel", str(path))
    assert District.objects.count() == 1
    assert list(AuditEvent.objects.values_list("verb", flat=True).order_by("pk")) == [
        "district.created",
        "district.updated",
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (json.dumps(BOWTIE), "not a valid polygon"),
        (json.dumps({"type": "Point", "coordinates": [10.8, 48.3]}), "Polygon or MultiPolygon"),
        ("{broken", "not valid GeoJSON"),
    ],
)
def test_load_district_command_explains_bad_input(db, tmp_path, content, message):
    path = tmp_path / "bad.geojson"
    path.write_text(content)
    with translation.override("en"), pytest.raises(CommandError, match=message):
        call_command("load_district", "Kaputt", str(path))
    assert not District.objects.exists()


def test_load_district_command_missing_file(db, tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("load_district", "Fehlt", str(tmp_path / "missing.geojson"))
