"""The district map: its legend names every status a marker can have, in the marker's colour; the map asks
the server for its viewport and shows counted clusters when there are many concerns."""

import random

from django.utils import timezone
from playwright.sync_api import expect

from kiezwerk.concerns.models import CLOSED_STATUSES, OPEN_STATUSES, ConcernStatus
from kiezwerk.core.services import district_touch

from ..factories import ConcernFactory
from .conftest import AXE

COLOUR = "element => getComputedStyle(element).backgroundColor"
PIN_COLOUR = "element => getComputedStyle(element, '::before').backgroundColor"  # the drop drawn in the pin


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
    assert_targets_apart(page, at_least=len(OPEN_STATUSES) + 1 + 2)  # pins are touch targets of their own
    page.get_by_text("Karte filtern").click()
    for status in statuses:
        page.select_option("#map-filters select[name=status]", status.value)
        expect(page.locator(".leaflet-marker-icon.kw-pin")).to_have_count(1)
        marker = page.locator(f".leaflet-marker-icon[title^='Anliegen {status.value} (']")
        swatch = page.locator(f".legend [data-status={status.value}]")
        expect(swatch).to_have_count(1)
        expect(swatch.locator("xpath=..")).to_have_text(str(status.label))
        assert marker.evaluate(PIN_COLOUR) == swatch.evaluate(COLOUR), status
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


def scattered(district, category, count, *, seed):
    """`count` concerns at random places of the district (the same places for the same seed)."""
    rng = random.Random(seed)
    for index in range(count):
        ConcernFactory(
            district=district,
            category=category,
            title=f"Anliegen {index}",
            lat=rng.uniform(district.min_lat, district.max_lat),
            lon=rng.uniform(district.min_lon, district.max_lon),
        )


def test_many_concerns_come_as_clusters_that_zoom_in_with_the_keyboard(page, live_server, district, category, settings):
    settings.MAP_MAX_POINTS = 10
    scattered(district, category, 40, seed=3)
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


# The sizes of the map's markers and zoom buttons, and the pairs of them whose boxes overlap.
TARGETS = """() => {
  const elements = document.querySelectorAll("#map .leaflet-marker-icon, #map .leaflet-control-zoom a");
  const boxes = [...elements].map(element => {
    const r = element.getBoundingClientRect();
    return {name: element.className, top: r.top, left: r.left, right: r.right, bottom: r.bottom};
  });
  const overlaps = [];
  boxes.forEach((a, i) => boxes.slice(i + 1).forEach(b => {
    if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) { overlaps.push([a, b]); }
  }));
  return {sizes: boxes.map(box => [box.right - box.left, box.bottom - box.top]), overlaps};
}"""
# axe's target-size rule (WCAG 2.5.8; off by default in axe, on in Lighthouse) on the map: violations, passes.
TARGET_SIZE = """axe.run("#map", {runOnly: {type: "rule", values: ["target-size"]}})
  .then(result => [
    result.violations.flatMap(v => v.nodes.map(n => n.target)),
    result.passes.flatMap(v => v.nodes).length,
  ])"""


def assert_targets_apart(page, at_least):
    """Every marker and zoom button of the map is at least 24 px and overlaps none of the others."""
    targets = page.evaluate(TARGETS)
    assert len(targets["sizes"]) >= at_least
    assert all(width >= 24 and height >= 24 for width, height in targets["sizes"]), targets["sizes"]
    assert targets["overlaps"] == []
    page.evaluate(AXE.read_text())
    violations, passes = page.evaluate(TARGET_SIZE)
    assert violations == [] and passes >= at_least


def test_clusters_do_not_overlap_each_other_or_the_zoom_buttons(page, live_server, district, category, settings):
    """The server counts concerns per grid cell at their mean position, so two cells' clusters can lie close
    together on the screen: the map shows those as one. The first view leaves the zoom buttons' strip out."""
    settings.MAP_MAX_POINTS = 10
    scattered(district, category, 150, seed=5)
    page.goto(f"{live_server.url}/districts/{district.slug}/")
    expect(page.locator("#map-count")).to_have_text("150 Anliegen in diesem Kartenausschnitt")
    clusters = page.locator(".leaflet-marker-icon.kw-cluster")
    assert sum(int(text) for text in clusters.all_inner_texts()) == 150  # merged clusters keep every concern
    assert_targets_apart(page, at_least=clusters.count() + 2)


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
