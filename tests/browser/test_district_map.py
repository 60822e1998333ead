"""The district map: its legend names every status a marker can have, in the marker's colour."""

from playwright.sync_api import expect

from kiezwerk.concerns.models import CLOSED_STATUSES, OPEN_STATUSES, ConcernStatus
from kiezwerk.core.services import district_touch

from ..factories import ConcernFactory

COLOUR = "element => getComputedStyle(element).backgroundColor"


def test_marker_colours_follow_the_legend(page, live_server, district, category, axe_check):
    statuses = list(ConcernStatus)
    for index, status in enumerate(statuses):  # a grid of places far enough apart not to cluster
        row, column = divmod(index, 3)
        ConcernFactory(
            district=district,
            category=category,
            status=status,
            title=f"Anliegen {status.value}",
            lat=district.min_lat + 0.004 + 0.006 * row,
            lon=district.min_lon + 0.004 + 0.006 * column,
        )
    district_touch(district=district)  # as the services do after a public change: the open data are built again
    page.goto(f"{live_server.url}/districts/{district.slug}/")
    expect(page.locator(".leaflet-marker-icon.kw-pin")).to_have_count(len(statuses))

    for status in statuses:
        marker = page.locator(f".leaflet-marker-icon[title^='Anliegen {status.value} (']")
        swatch = page.locator(f".legend [data-status={status.value}]")
        expect(swatch).to_have_count(1)
        expect(swatch.locator("xpath=..")).to_have_text(str(status.label))
        assert marker.evaluate(COLOUR) == swatch.evaluate(COLOUR), status
        assert swatch.evaluate(COLOUR) not in (
            "rgba(0, 0, 0, 0)",
            "rgb(74, 85, 99)",
        )  # its own colour, not the fallback

    # Open and closed statuses are listed apart, and the page says that the map shows both.
    open_list = page.get_by_role("list", name="Offen:")
    closed_list = page.get_by_role("list", name="Abgeschlossen:")
    expect(open_list.locator("[data-status]")).to_have_count(len(OPEN_STATUSES))
    expect(closed_list.locator("[data-status]")).to_have_count(len(CLOSED_STATUSES))
    expect(page.locator(".legend-box")).to_contain_text("auch die abgeschlossenen")
    axe_check(page)


def test_the_difference_between_open_and_all_concerns_is_explained_without_javascript(
    page_without_js, live_server, district, category
):
    page = page_without_js
    ConcernFactory(district=district, category=category, status=ConcernStatus.RESOLVED)
    page.goto(f"{live_server.url}/districts/{district.slug}/")
    expect(page.locator(".page-head")).to_contain_text("0 offene Anliegen")
    expect(page.locator(".legend-box")).to_contain_text(
        "Die Karte zeigt alle veröffentlichten Anliegen, auch die abgeschlossenen."
    )
