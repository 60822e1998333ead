"""Arabic pages read right to left at 360 px: `dir="rtl"`, nothing wider than the screen, the map's zoom
buttons on the right, and no accessibility violation (axe-core)."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from ..factories import ConcernFactory
from .conftest import _context


@pytest.fixture
def arabic_page(browser, live_server):
    context = _context(browser)
    context.add_cookies([{"name": "django_language", "value": "ar", "url": live_server.url}])
    page = context.new_page()
    yield page
    context.close()


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
        page.goto(live_server.url + url)
        assert page.evaluate("document.documentElement.dir") == "rtl", url
        assert page.evaluate("document.documentElement.lang") == "ar", url
        wide = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert wide <= 0, f"{url} scrolls sideways by {wide} px"
        axe_check(page)
    page.goto(live_server.url + reverse("concerns:district-map", args=[district.slug]))
    zoom = page.locator(".leaflet-control-zoom")
    expect(zoom).to_be_visible()
    assert zoom.evaluate("el => el.closest('.leaflet-right') !== null")
    assert page.locator(".leaflet-control-zoom-in").get_attribute("title") == "تكبير"
