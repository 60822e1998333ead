"""The district map: its legend names every status a marker can have, in the marker's colour; the map asks
the server for its viewport and shows counted clusters when there are many concerns."""

import random

from django.utils import timezone
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
            closed_at=None if status in OPEN_STATUSES else timezone.now(),
            title=f"Anliegen {status.value}",
            lat=district.min_lat + 0.004 + 0.006 * row,
            lon=district.min_lon + 0.004 + 0.006 * column,
        )
    district_touch(district=district)  # as the services do after a public change: the open data are built again
    page.goto(f"{live_server.url}/districts/{district.slug}/")
    # By default the open concerns and the recently resolved ones; the other closed ones through the filter.
    expect(page.locator(".leaflet-marker-icon.kw-pin")).to_have_count(len(OPEN_STATUSES) + 1)
    expect(page.locator("#map-count")).to_have_text(f"{len(OPEN_STATUSES) + 1} Anliegen in diesem Kartenausschnitt")
    page.get_by_text("Karte filtern").click()
    for status in statuses:
        page.select_option("#map-filters select[name=status]", status.value)
        expect(page.locator(".leaflet-marker-icon.kw-pin")).to_have_count(1)
        marker = page.locator(f".leaflet-marker-icon[title^='Anliegen {status.value} (']")
        swatch = page.locator(f".legend [data-status={status.value}]")
        expect(swatch).to_have_count(1)
        expect(swatch.locator("xpath=..")).to_have_text(str(status.label))
        assert marker.evaluate(COLOUR) == swatch.evaluate(COLOUR), status
        assert swatch.evaluate(COLOUR) not in (
            "rgba(0, 0, 0, 0)",
            "rgb(74, 85, 99)",
        )  # its own colour, not the fallback

    # Open and closed statuses are listed apart, and the page says which the map shows.
    open_list = page.get_by_role("list", name="Offen:")
    closed_list = page.get_by_role("list", name="Abgeschlossen:")
    expect(open_list.locator("[data-status]")).to_have_count(len(OPEN_STATUSES))
    expect(closed_list.locator("[data-status]")).to_have_count(len(CLOSED_STATUSES))
    expect(page.locator(".legend-box")).to_contain_text("und die in den letzten 90 Tagen erledigten")
    axe_check(page)


def test_many_concerns_come_as_clusters_that_zoom_in_with_the_keyboard(page, live_server, district, category, settings):
    settings.MAP_MAX_POINTS = 10
    rng = random.Random(3)
    for index in range(40):
        ConcernFactory(
            district=district,
            category=category,
            title=f"Anliegen {index}",
            lat=rng.uniform(district.min_lat, district.max_lat),
            lon=rng.uniform(district.min_lon, district.max_lon),
        )
    page.goto(f"{live_server.url}/districts/{district.slug}/")
    clusters = page.locator(".leaflet-marker-icon.kw-cluster")
    expect(clusters.first).to_be_visible()
    expect(page.locator("#map-count")).to_have_text("40 Anliegen in diesem Kartenausschnitt")
    counts = [int(text) for text in clusters.all_inner_texts()]
    assert sum(counts) == 40 and len(counts) > 1
    assert page.locator(".leaflet-marker-icon.kw-pin").count() == 0
    biggest = clusters.nth(counts.index(max(counts)))
    assert "Anliegen hier – zum Vergrößern auswählen" in biggest.get_attribute("title")
    seen = []
    for _ in range(5):  # each Enter zooms in by two levels, until single pins come
        if page.locator(".leaflet-marker-icon.kw-pin").count():
            break
        clusters.first.focus()
        with page.expect_response(lambda response: "/map/data.json?" in response.url):
            page.keyboard.press("Enter")
        seen.append(page.locator("#map-count").inner_text())
    assert page.locator(".leaflet-marker-icon.kw-pin").count(), seen
    expect(page.locator(".leaflet-marker-icon.kw-pin").first).to_be_visible()
    count = int(page.locator("#map-count").inner_text().split()[0])
    assert 0 < count < 40


def test_the_difference_between_open_and_all_concerns_is_explained_without_javascript(
    page_without_js, live_server, district, category
):
    page = page_without_js
    ConcernFactory(district=district, category=category, status=ConcernStatus.RESOLVED)
    page.goto(f"{live_server.url}/districts/{district.slug}/")
    expect(page.locator(".page-head")).to_contain_text("0 offene Anliegen")
    expect(page.locator(".legend-box")).to_contain_text(
        "Die Karte zeigt die offenen Anliegen und die in den letzten 90 Tagen erledigten."
    )
