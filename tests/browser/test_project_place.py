"""A project's place on the map (static/js/project-place.js), on a phone: a point set with the keyboard, an
area drawn with three taps and finished with the button, saved as a polygon inside the district; the
district map then shows the action as a marker of its own with a popup. In Arabic the picker reads right
to left. No accessibility violation (axe-core)."""

import re

from playwright.sync_api import expect
from shapely import geometry as shapely_geometry

from kiezwerk.core import selectors as core_selectors
from kiezwerk.projects.models import Project, ProjectStatus
from kiezwerk.projects.services import projects as services

from .conftest import log_in
from .test_rtl import reads_right_to_left


def test_the_manager_draws_an_area_for_a_new_project(page, live_server, district, manager, street, axe_check):
    log_in(page, live_server, manager)
    page.goto(f"{live_server.url}/desk/{district.slug}/projects/new/")
    expect(page.locator("#map .kw-boundary")).to_be_visible()
    page.fill("input[name=title]", "Gartentag am Lindenplatz")
    page.fill("input[name=goal]", "Die Beete sind bepflanzt.")
    status = page.locator("#place-status")
    location = page.locator("input[name=location]")

    # A point with the keyboard: Enter on the focused map sets it at the map's centre; a typed address goes.
    page.fill("input[name=street]", street.name)
    page.locator("#map").focus()
    page.keyboard.press("Enter")
    expect(status).to_have_text(
        "Punkt gesetzt. Sie können die Markierung verschieben oder woanders tippen. "
        "Die eingegebene Adresse wurde entfernt: Es gilt die Karte."
    )
    assert re.match(r"^\d+\.\d+,\d+\.\d+$", location.input_value())
    expect(page.locator("input[name=street]")).to_have_value("")
    expect(page.locator(".leaflet-marker-icon.kw-pin")).to_have_count(1)

    # An area: the mode's button is pressed, each tap a corner, the button finishes it; the pin goes.
    area_button = page.get_by_role("button", name="Fläche zeichnen")
    area_button.click()
    expect(area_button).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_role("button", name="Punkt setzen")).to_have_attribute("aria-pressed", "false")
    finish = page.get_by_role("button", name="Fläche abschließen")
    finish.click()
    expect(status).to_have_text("Eine Fläche braucht mindestens drei Ecken.")
    page.locator("#map").scroll_into_view_if_needed()
    box = page.locator("#map").bounding_box()
    middle_x, middle_y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    for dx, dy in ((-50, -40), (50, -40), (0, 50)):
        page.mouse.click(middle_x + dx, middle_y + dy)
    expect(status).to_have_text("Ecke 3 gesetzt.")
    expect(page.locator(".leaflet-marker-icon.kw-corner")).to_have_count(3)
    expect(page.locator(".leaflet-marker-icon.kw-pin")).to_have_count(0)
    finish.click()
    expect(status).to_have_text("Fläche abgeschlossen. Ecken: 3.")
    expect(page.locator("#map path.kw-place-area")).to_have_count(1)
    assert '"type":"Polygon"' in page.locator("input[name=area]").input_value()
    axe_check(page)

    page.locator("form:has(#location) button[type=submit]").click()
    page.wait_for_url(re.compile(r"/desk/projects/\d+/$"))
    project = Project.objects.get()
    shape = shapely_geometry.shape(project.area)
    assert shape.geom_type == "Polygon" and len(project.area["coordinates"][0]) == 4  # three corners, closed
    assert core_selectors.district_shape(district).contains(shape)
    assert shape.contains(shapely_geometry.Point(project.lon, project.lat))

    # The edit page draws the stored area again.
    page.goto(f"{live_server.url}/desk/projects/{project.pk}/edit/")
    expect(page.locator("#map path.kw-place-area")).to_have_count(1)
    expect(page.get_by_role("button", name="Fläche zeichnen")).to_have_attribute("aria-pressed", "true")

    # Once planned (public), the district map shows it as an action: its own marker, its area, a popup link.
    services.project_status_change(project=project, actor=manager, new_status=ProjectStatus.PLANNING)
    page.goto(f"{live_server.url}/districts/{district.slug}/")
    marker = page.locator(".leaflet-marker-icon.kw-layer--projects")
    expect(marker).to_have_count(1)
    expect(page.locator("#map path.kw-layer-area")).to_have_count(1)
    expect(page.locator(".legend [data-layer=projects]").locator("xpath=..")).to_have_text("Aktionen")
    marker.focus()
    page.keyboard.press("Enter")
    expect(page.locator(".leaflet-popup-content a")).to_have_text("Gartentag am Lindenplatz")
    axe_check(page)


def test_the_place_picker_reads_right_to_left(browser, live_server, district, manager, axe_check):
    from .conftest import _context

    context = _context(browser)
    context.add_cookies([{"name": "django_language", "value": "ar", "url": live_server.url}])
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, live_server, manager)
    page.goto(f"{live_server.url}/desk/{district.slug}/projects/new/")
    expect(page.get_by_role("button", name="رسم مساحة")).to_be_visible()
    page.get_by_role("button", name="رسم مساحة").click()
    expect(page.locator("#place-status")).to_have_text(
        "انقروا على الخريطة عند كل زاوية من المساحة، ثم اختاروا «إنهاء المساحة»."
    )
    map_box = page.locator("#map").bounding_box()
    zoom_box = page.locator(".leaflet-control-zoom").bounding_box()
    assert zoom_box["x"] > map_box["x"] + map_box["width"] / 2  # the zoom buttons on the right
    reads_right_to_left(page, axe_check)
    context.close()
    assert errors == [], f"JavaScript errors: {errors}"
