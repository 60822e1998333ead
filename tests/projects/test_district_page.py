"""Projects on the district's public page: a layer of the district map (its GeoJSON and legend) and the
section of actions looking for helpers and recently finished ones, added through the registries of concerns."""

import json
import re

import pytest
from django.urls import reverse

from kiezwerk.projects.models import ProjectStatus
from kiezwerk.projects.services import projects as services
from kiezwerk.projects.services import volunteers

from ..factories import UserFactory
from .conftest import project_made, shift_made


def square(district, size=0.002):
    """A small square around the district's centre, as a GeoJSON Polygon (lon, lat)."""
    lat, lon = district.centre
    ring = [[lon - size, lat - size], [lon + size, lat - size], [lon + size, lat + size], [lon - size, lat + size]]
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


def area_fields(district):
    lat, lon, _address, area = services.place_check(district, area=square(district))
    return {"lat": lat, "lon": lon, "area": area}


def map_json(client, district):
    response = client.get(reverse("projects:map", args=[district.slug]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    return json.loads(response.content)


# The map's layer -------------------------------------------------------------------------------------------


def test_the_map_layer_holds_public_projects_only_without_volunteer_data(client, district, manager):
    running = project_made(district, manager, title="Frühjahrsputz")
    planned = project_made(district, manager, title="Gartentag", status="planning", **area_fields(district))
    project_made(district, manager, title="Interne Aktion", visibility="internal")
    project_made(district, manager, title="Nur eine Idee", status="idea")
    project_made(district, manager, title="Abgesagtes Fest", status="cancelled")
    project_made(district, manager, title="Ohne Ort", lat=None, lon=None)
    shift = shift_made(running, manager)
    volunteers.signup_create(shift=shift, name="Zeynep Kaya", email="zeynep@example.org", phone="0176 5551234")

    data = map_json(client, district)
    assert data["type"] == "FeatureCollection"
    features = {f["properties"]["title"]: f for f in data["features"]}
    assert set(features) == {"Frühjahrsputz", "Gartentag"}
    point = features["Frühjahrsputz"]
    assert point["geometry"] == {"type": "Point", "coordinates": [round(running.lon, 6), round(running.lat, 6)]}
    assert point["properties"]["url"] == running.get_absolute_url()
    assert point["properties"]["status"] == "running"
    assert point["properties"]["status_label"] == str(ProjectStatus.RUNNING.label)
    assert point["properties"]["area"] is None
    assert features["Gartentag"]["properties"]["area"]["type"] == "Polygon"
    assert features["Gartentag"]["properties"]["url"] == planned.get_absolute_url()
    body = json.dumps(data)
    for secret in ("Zeynep", "zeynep@example.org", "5551234", "Interne Aktion", "Nur eine Idee"):
        assert secret not in body
    assert client.get(reverse("projects:map", args=["gibt-es-nicht"])).status_code == 404


def test_the_map_layer_is_cached_until_the_district_changes(
    client, district, manager, django_assert_num_queries, django_capture_on_commit_callbacks
):
    project = project_made(district, manager, title="Frühjahrsputz")
    assert len(map_json(client, district)["features"]) == 1
    with django_assert_num_queries(0):  # the district's version and the answer both come from the cache
        map_json(client, district)
    with django_capture_on_commit_callbacks(execute=True):  # district_touch sets the new version on commit
        services.project_status_change(project=project, actor=manager, new_status="cancelled", reason="Regen.")
    assert map_json(client, district)["features"] == []


def test_the_district_map_names_the_layer_in_its_legend_and_config(client, district, manager):
    page = client.get(reverse("concerns:district-map", args=[district.slug])).content.decode()
    swatch = '<span class="dot dot--layer kw-layer--projects" data-layer="projects"></span>'
    legend = re.search(re.escape(swatch) + r"([^<]*)</li>", page)
    assert legend and legend.group(1) == "Aktionen"
    config = json.loads(re.search(r'<script id="map-config" type="application/json">(.*?)</script>', page).group(1))
    projects = {"key": "projects", "label": "Aktionen", "source": reverse("projects:map", args=[district.slug])}
    assert projects | {"viewport": False} in config["layers"]  # loaded once; the events' layer follows the view


# The section of the start page -----------------------------------------------------------------------------


def part(page, element_id):
    """The inner HTML of the list with this id ("" when there is none)."""
    found = re.search(rf'<ul[^>]*id="{element_id}"[^>]*>(.*?)</ul>', page, re.S)
    return found.group(1) if found else ""


def district_page(client, district):
    response = client.get(reverse("concerns:district-map", args=[district.slug]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_start_page_shows_who_looks_for_helpers_and_what_was_done(
    client, district, manager, django_capture_on_commit_callbacks
):
    empty = district_page(client, district)
    assert "Gerade sucht keine Aktion Helfende." in empty
    assert f'href="{reverse("projects:list", args=[district.slug])}"' in empty  # the list is always linked

    with django_capture_on_commit_callbacks(execute=True):
        looking = project_made(district, manager, title="Frühjahrsputz")
        shift_made(looking, manager, capacity=2)
        full = project_made(district, manager, title="Volles Fest")
        volunteers.signup_create(shift=shift_made(full, manager, capacity=1), user=UserFactory())
        project_made(district, manager, title="Ohne Schichten")
        done = project_made(district, manager, title="Herbstputz", status="done")
        internal = project_made(district, manager, title="Interne Aktion", visibility="internal")
        shift_made(internal, manager)
        idea = project_made(district, manager, title="Nur eine Idee", status="idea")
        shift_made(idea, manager)

    page = district_page(client, district)  # the shared page was rendered afresh: the data version changed
    assert "Frühjahrsputz" in part(page, "projects-looking")
    assert looking.get_absolute_url() in part(page, "projects-looking")
    assert "Herbstputz" in part(page, "projects-finished") and "Herbstputz" not in part(page, "projects-looking")
    assert done.get_absolute_url() in part(page, "projects-finished")
    for elsewhere in ("Volles Fest", "Ohne Schichten"):  # no free place on a coming shift
        assert elsewhere not in part(page, "projects-looking")
    for hidden in ("Interne Aktion", "Nur eine Idee"):
        assert hidden not in page
    assert "Gerade sucht keine Aktion Helfende." not in page


@pytest.mark.parametrize("rows", [1, 10])
def test_the_district_page_stays_bounded(client, district, manager, django_assert_max_num_queries, rows):
    for n in range(rows):
        shift_made(project_made(district, manager, title=f"Aktion {n}"), manager)
        project_made(district, manager, title=f"Erledigt {n}", status="done")
    # measured: 6 for the map page, 2 for the projects' section and 1 for the events', whatever the rows
    with django_assert_max_num_queries(9):
        page = district_page(client, district)
    assert part(page, "projects-looking").count("<li") == min(rows, 4)
    assert part(page, "projects-finished").count("<li") == min(rows, 4)
