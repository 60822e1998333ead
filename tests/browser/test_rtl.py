"""Arabic pages read right to left at 360 px: `dir="rtl"`, nothing wider than the screen, the map's zoom
buttons on the right, arrows that point the other way, the shipped Arabic font, and no accessibility
violation (axe-core)."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from kiezwerk.concerns import services as concern_services
from kiezwerk.desk import views as desk_views

from ..factories import ConcernFactory, concern_reported
from .conftest import _context, log_in

# Every face of the family the stylesheet names, as [weight, status] (document.fonts: "unloaded",
# "loading", "loaded" or "error"), once the page's fonts have settled.
ARABIC_FACES = """async () => {
  await document.fonts.ready;
  return [...document.fonts]
    .filter((face) => face.family.replace(/"/g, "") === "Noto Sans Arabic")
    .map((face) => [face.weight, face.status]);
}"""

# Per timeline entry: the room between the timeline's line (its right edge on an Arabic page) and the text.
TIMELINE_GAPS = """() => [...document.querySelectorAll(".timeline-item")].map((item) => {
  const line = item.closest(".timeline").getBoundingClientRect().right;
  return Math.round(line - item.firstElementChild.getBoundingClientRect().right);
})"""


@pytest.fixture
def arabic_page(browser, live_server):
    context = _context(browser)
    context.add_cookies([{"name": "django_language", "value": "ar", "url": live_server.url}])
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert errors == [], f"JavaScript errors: {errors}"


def reads_right_to_left(page, axe_check):
    url = page.url
    assert page.evaluate("document.documentElement.dir") == "rtl", url
    assert page.evaluate("document.documentElement.lang") == "ar", url
    wide = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert wide <= 0, f"{url} scrolls sideways by {wide} px"
    axe_check(page)


def visit(page, live_server, url, axe_check):
    response = page.goto(live_server.url + url)
    assert response.status == 200, url
    reads_right_to_left(page, axe_check)


def test_public_pages_in_arabic_read_right_to_left(arabic_page, live_server, district, category, street, axe_check):
    page = arabic_page
    concern = ConcernFactory(district=district, category=category, title="الإنارة معطلة في الشارع")
    urls = [
        "/",
        reverse("concerns:district-map", args=[district.slug]),
        reverse("concerns:concern-list", args=[district.slug]),
        reverse("concerns:report", args=[district.slug]),
        concern.get_absolute_url(),
    ]
    for url in urls:
        visit(page, live_server, url, axe_check)
    page.goto(live_server.url + reverse("concerns:district-map", args=[district.slug]))
    zoom = page.locator(".leaflet-control-zoom")
    expect(zoom).to_be_visible()
    assert zoom.evaluate("el => el.closest('.leaflet-right') !== null")
    assert page.locator(".leaflet-control-zoom-in").get_attribute("title") == "تكبير"


def test_tracking_page_and_login_in_arabic(arabic_page, live_server, district, category, manager, axe_check):
    page = arabic_page
    concern, token = concern_reported(
        district, category, title="حاوية القمامة ممتلئة", description="الحاوية ممتلئة منذ ثلاثة أيام.", language="ar"
    )
    concern_services.concern_reply(
        concern=concern, actor=manager, text="شكراً، سنرسل فريق التنظيف.", new_status="triaged", language="ar"
    )
    visit(page, live_server, reverse("concerns:track", args=[token]), axe_check)
    expect(page.get_by_text("حاوية القمامة ممتلئة").first).to_be_visible()
    # The timeline's line and dots are on the right: its entries keep their distance from them.
    gaps = page.evaluate(TIMELINE_GAPS)
    assert len(gaps) == 2 and min(gaps) >= 12, gaps
    visit(page, live_server, reverse("account_login"), axe_check)
    # A wrong password: the error stays on the screen and readable.
    page.locator("input[name=login]").fill(manager.email)
    page.locator("input[name=password]").fill("wrong password")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main .error, main .error-summary").first).to_be_visible()
    reads_right_to_left(page, axe_check)


def test_desk_in_arabic(arabic_page, live_server, district, category, street, manager, axe_check, monkeypatch):
    monkeypatch.setattr(desk_views, "PAGE_SIZE", 2)  # three concerns: two pages, with the arrows between them
    page = arabic_page
    concern, _token = concern_reported(district, category, title="كتابات على جدار المدرسة", language="ar")
    concern_services.concern_reply(concern=concern, actor=manager, text="", new_status="triaged")
    concern_services.concern_reply(concern=concern, actor=manager, text="ملاحظة داخلية للفريق.", is_public=False)
    for title in ("رصيف مكسور", "إشارة مرور معطلة"):
        concern_reported(district, category, title=title, language="ar")
    log_in(page, live_server, manager)

    inbox = reverse("desk:inbox", args=[district.slug])
    visit(page, live_server, inbox, axe_check)
    # "Next" carries a right-pointing arrow, turned round on a right-to-left page (it points the way the
    # reader goes on: to the left).
    arrow = page.locator(".pagination a[rel=next] .icon-dir")
    expect(arrow).to_have_text("→")
    assert arrow.evaluate("el => getComputedStyle(el).transform") == "matrix(-1, 0, 0, 1, 0, 0)"
    next_box, current_box = (
        page.locator(sel).bounding_box() for sel in (".pagination a[rel=next]", ".pagination [aria-current]")
    )
    assert next_box["x"] < current_box["x"]  # the next page lies to the left
    visit(page, live_server, inbox + "?page=2", axe_check)
    back = page.locator(".pagination a[rel=prev] .icon-dir")
    expect(back).to_have_text("←")
    assert back.evaluate("el => getComputedStyle(el).transform") == "matrix(-1, 0, 0, 1, 0, 0)"

    visit(page, live_server, reverse("desk:concern", args=[concern.pk]), axe_check)
    # The status change reads from the old status (on the right) to the new one, and the arrow points so.
    status_line = page.locator(".timeline").get_by_text("الحالة:")
    expect(status_line).to_contain_text("←")

    poster = reverse("desk:poster", args=[district.slug])
    visit(page, live_server, poster, axe_check)
    # The desk's screens scroll sideways in one row, from the right: the current one is brought into view
    # (page.js, again once the Arabic font has come).
    page.evaluate("document.fonts.ready.then(() => true)")
    row = page.locator(".desk-nav .scroll-row").bounding_box()
    current = page.locator(".desk-nav [aria-current=page]").bounding_box()
    assert row["x"] <= current["x"] and current["x"] + current["width"] <= row["x"] + row["width"], (row, current)
    page.locator("main form button[type=submit]").click()  # nothing filled in: the errors beside the fields
    expect(page.locator(".error-summary")).to_be_visible()
    reads_right_to_left(page, axe_check)


def test_arabic_text_is_drawn_with_the_shipped_font(arabic_page, page, live_server, district, category):
    """Noto Sans Arabic comes with the site: an Arabic page loads both faces (text and bold headings); a
    German page without Arabic letters loads neither (the unicode-range)."""
    ConcernFactory(district=district, category=category, title="الإنارة معطلة في الشارع")
    arabic_page.goto(live_server.url + reverse("concerns:concern-list", args=[district.slug]))
    assert sorted(arabic_page.evaluate(ARABIC_FACES)) == [["400", "loaded"], ["700", "loaded"]]
    page.goto(live_server.url + "/")
    assert sorted(page.evaluate(ARABIC_FACES)) == [["400", "unloaded"], ["700", "unloaded"]]
