import re

import pytest
from playwright.sync_api import expect

from kiezwerk.concerns.models import Concern

from ..conftest import image_bytes
from ..factories import ConcernFactory


@pytest.fixture
def photo_file(tmp_path):
    path = tmp_path / "muell.jpg"
    path.write_bytes(image_bytes("JPEG", size=(640, 480)))
    return path


def test_resident_reports_on_a_phone_with_photo_and_finds_it_on_the_map(
    page, live_server, district, category, street, photo_file
):
    page.goto(f"{live_server.url}/districts/{district.slug}/report/")
    expect(page.locator("#map .kw-boundary")).to_be_visible()
    page.locator("#map").click()  # tap the middle of the map
    expect(page.locator("#location-status")).not_to_be_empty()
    assert re.match(r"^\d+\.\d+,\d+\.\d+$", page.locator("input[name=location]").input_value())
    page.select_option("select[name=category]", str(category.pk))
    page.fill("input[name=title]", "Sperrmüll an der Ecke")
    page.fill("textarea[name=description]", "Zwei Sofas stehen seit Montag auf dem Gehweg.")
    page.set_input_files("input[name=photos]", str(photo_file))
    page.get_by_role("button", name="Anliegen absenden").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Vielen Dank")
    tracking = page.locator("#tracking-link").get_attribute("href")
    assert "/track/" in tracking
    concern = Concern.objects.get()
    assert concern.photos.count() == 1

    page.goto(tracking)
    expect(page.get_by_role("heading", level=1)).to_have_text("Sperrmüll an der Ecke")
    expect(page.locator(".thumbs img")).to_have_count(1)

    page.goto(f"{live_server.url}/districts/{district.slug}/")
    marker = page.locator(".leaflet-marker-icon[title^='Sperrmüll an der Ecke']")
    expect(marker).to_be_visible()
    marker.focus()  # markers are reachable with the keyboard
    page.keyboard.press("Enter")
    expect(page.locator(".leaflet-popup-content a")).to_have_text("Sperrmüll an der Ecke")


# The layout shifts the page has had, as Lighthouse's CLS counts them (not those right after an input).
LAYOUT_SHIFTS = """(() => {
  const observer = new PerformanceObserver(() => {});
  observer.observe({type: "layout-shift", buffered: true});
  const entries = observer.takeRecords();
  observer.disconnect();
  return entries.filter(entry => !entry.hadRecentInput).map(entry => entry.value);
})()"""


def test_the_map_arriving_moves_nothing_on_the_page(page, live_server, district, category, street):
    """The place picker has its room from the start: the map filling it shifts nothing below it."""
    page.goto(f"{live_server.url}/districts/{district.slug}/report/")
    expect(page.locator("#map .kw-boundary")).to_be_visible()
    expect(page.locator("#locate-me")).to_be_visible()
    assert page.evaluate(LAYOUT_SHIFTS) == []


def test_without_the_map_script_the_picker_is_hidden(page, live_server, district, category, street):
    """JavaScript runs but the map cannot be loaded (e.g. a flaky connection): no empty map box, the address."""
    page.route("**/vendor/leaflet/*.js", lambda route: route.abort())
    page.goto(f"{live_server.url}/districts/{district.slug}/report/")
    expect(page.locator(".map-picker")).to_be_hidden()
    expect(page.locator("input[name=street]")).to_be_visible()


def test_report_works_without_javascript_by_address(page_without_js, live_server, district, category, street):
    page = page_without_js
    page.goto(f"{live_server.url}/districts/{district.slug}/report/")
    expect(page.locator(".map-picker")).to_be_hidden()
    page.fill("input[name=street]", "Donauwörther Straße")
    page.fill("input[name=house_number]", "12")
    page.select_option("select[name=category]", str(category.pk))
    page.fill("input[name=title]", "Laterne flackert")
    page.fill("textarea[name=description]", "Die Laterne vor Nummer 12 flackert nachts.")
    page.get_by_role("button", name="Anliegen absenden").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Vielen Dank")
    assert Concern.objects.get().address == "Donauwörther Straße 12"


def test_errors_without_javascript_keep_the_input(page_without_js, live_server, district, category, street):
    page = page_without_js
    page.goto(f"{live_server.url}/districts/{district.slug}/report/")
    page.fill("input[name=title]", "Nur ein Titel")
    page.get_by_role("button", name="Anliegen absenden").click()
    expect(page.locator("#error-summary")).to_be_visible()
    expect(page.locator("input[name=title]")).to_have_value("Nur ein Titel")
    assert not Concern.objects.exists()


def test_support_instead_of_duplicate(page, live_server, district, category):
    lat, lon = district.centre
    existing = ConcernFactory(district=district, category=category, title="Schon gemeldet", lat=lat, lon=lon)
    page.goto(f"{live_server.url}/districts/{district.slug}/report/")
    page.locator("#map").click()
    page.select_option("select[name=category]", str(category.pk))
    nearby = page.locator("#nearby")
    expect(nearby).to_contain_text("Schon gemeldet")
    nearby.get_by_role("button", name="Betrifft mich auch").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Schon gemeldet")
    existing.refresh_from_db()
    assert existing.supporter_count == 1
    assert Concern.objects.count() == 1


def test_pages_have_no_accessibility_violations(page, live_server, district, category, street, axe_check):
    concern = ConcernFactory(district=district, category=category, title="Barrierefrei?")
    for path in (
        "/",
        f"/districts/{district.slug}/report/",
        f"/districts/{district.slug}/",
        f"/districts/{district.slug}/concerns/",
        concern.get_absolute_url(),
        f"/concerns/{concern.pk}/flag/",
    ):
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
        axe_check(page)
    # Reporting a problem without choosing what is wrong: the error is announced and linked.
    page.get_by_role("button", name="An die Moderation senden").click()
    expect(page.get_by_role("alert")).to_contain_text("Bitte wählen Sie aus, was nicht stimmt.")
    axe_check(page)
    # The report form with errors, too.
    page.goto(f"{live_server.url}/districts/{district.slug}/report/")
    page.get_by_role("button", name="Anliegen absenden").click()
    expect(page.locator("#error-summary")).to_be_visible()
    axe_check(page)


def test_use_my_location_sets_the_place(browser, live_server, district, category):
    from .conftest import _context

    lat, lon = district.centre
    context = _context(browser, geolocation={"latitude": lat, "longitude": lon}, permissions=["geolocation"])
    page = context.new_page()
    page.goto(f"{live_server.url}/districts/{district.slug}/report/")
    page.get_by_role("button", name="Meinen Standort verwenden").click()
    expect(page.locator("#location-status")).to_contain_text("Ort gesetzt")
    placed = [float(part) for part in page.locator("input[name=location]").input_value().split(",")]
    assert placed == pytest.approx([lat, lon], abs=1e-5)
    context.close()


def test_support_on_the_concern_page_is_counted_in_place(page, live_server, district, category):
    """The concern page loads htmx (pages without hx- attributes do not): the support is sent in the
    background, the box is replaced and the thanks are announced in the live region, without a new page."""
    concern = ConcernFactory(district=district, category=category, title="Bank kaputt")
    page.goto(f"{live_server.url}{concern.get_absolute_url()}")
    page.evaluate("window.samePage = true")
    page.get_by_role("button", name="Betrifft mich auch").click()
    expect(page.locator("#announce")).to_contain_text("Vielen Dank: Ihre Unterstützung wurde gezählt.")
    expect(page.locator("#supporter-count")).to_have_text("1 Person aus der Nachbarschaft unterstützt das.")
    assert page.evaluate("window.samePage") is True
    concern.refresh_from_db()
    assert concern.supporter_count == 1
