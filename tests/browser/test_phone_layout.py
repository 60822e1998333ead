"""On a 360 × 740 phone the site header and the desk's navigation leave the first screen to the page."""

from playwright.sync_api import expect

from .conftest import log_in
from .test_desk import open_round

HEIGHT = 740


def heading_top(page):
    return page.get_by_role("heading", level=1).evaluate("heading => heading.getBoundingClientRect().top")


def page_width(page):
    return page.evaluate("document.documentElement.scrollWidth")


def test_street_round_starts_within_the_first_screen(page, live_server, district, category, street, manager, axe_check):
    log_in(page, live_server, manager)
    open_round(page, live_server, district)
    assert heading_top(page) <= 0.4 * HEIGHT
    assert page_width(page) <= 360
    # Every screen of the desk is still one tap (or Tab) away.
    nav = page.get_by_role("navigation", name="Schreibtisch")
    expect(nav.get_by_role("link", name="Rundgang")).to_have_attribute("aria-current", "page")
    expect(nav.get_by_role("link", name="Eingang")).to_be_visible()
    axe_check(page)


def test_the_current_screen_is_shown_in_the_scrolled_desk_navigation(page, live_server, district, manager):
    log_in(page, live_server, manager)
    page.goto(f"{live_server.url}/desk/{district.slug}/")
    links = page.get_by_role("navigation", name="Schreibtisch").get_by_role("link")
    last = links.last
    page.goto(live_server.url + last.get_attribute("href"))
    current = page.get_by_role("navigation", name="Schreibtisch").locator("[aria-current=page]")
    expect(current).to_be_in_viewport()
    box = current.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360
    assert heading_top(page) <= 0.4 * HEIGHT
    assert page_width(page) <= 360


def test_street_round_fits_the_phone_without_javascript(page_without_js, live_server, district, street, manager):
    page = page_without_js
    log_in(page, live_server, manager)
    page.goto(f"{live_server.url}/desk/{district.slug}/round/")
    assert heading_top(page) <= 0.4 * HEIGHT
    assert page_width(page) <= 360


def test_public_pages_fit_the_phone(page, live_server, district, category, street, manager):
    log_in(page, live_server, manager)  # the longest header: desk link and log out
    for path in ("/", f"/districts/{district.slug}/", f"/districts/{district.slug}/report/"):
        page.goto(live_server.url + path)
        assert heading_top(page) <= 0.4 * HEIGHT, path
        assert page_width(page) <= 360, path


def test_accessibility_statement_reads_well_on_a_phone(page, live_server, axe_check):
    page.goto(f"{live_server.url}/accessibility/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Erklärung zur Barrierefreiheit")
    assert page_width(page) <= 360
    axe_check(page)
