"""The site's service worker in a real browser: without a connection a page shows the offline page in the
language of the page last seen, and the desk's street round keeps its own worker under /desk/."""

from django.urls import reverse
from playwright.sync_api import expect

from .conftest import log_in
from .test_desk import open_round


def offline_page_kept(page, lang):
    """Wait until the site's worker controls the page and keeps the offline page in `lang` (at most 15 s;
    Playwright's wait_for_function does not wait for an async predicate)."""
    kept = page.evaluate(
        """async (lang) => {
          for (let attempt = 0; attempt < 150; attempt++) {
            const copy = navigator.serviceWorker.controller && await caches.match("/offline/");
            if (copy && copy.headers.get("Content-Language") === lang) return true;
            await new Promise((resolve) => setTimeout(resolve, 100));
          }
          return false;
        }""",
        lang,
    )
    assert kept, f"no offline page in {lang} kept"


def kept_urls(page):
    """Every address in the site's worker's caches."""
    return page.evaluate(
        """async () => {
          const urls = [];
          for (const name of await caches.keys()) {
            if (!name.startsWith("kiezwerk-offline-")) continue;
            const cache = await caches.open(name);
            for (const request of await cache.keys()) urls.push(new URL(request.url).pathname);
          }
          return urls;
        }"""
    )


def test_without_a_connection_the_offline_page_shows_in_the_pages_language(page, live_server, district, axe_check):
    concerns = live_server.url + reverse("concerns:concern-list", args=[district.slug])
    page.goto(live_server.url + "/")
    offline_page_kept(page, "de")
    page.goto(concerns)  # online: the page itself, nothing of it kept
    assert kept_urls(page) == ["/offline/"]

    page.context.set_offline(True)
    response = page.goto(live_server.url + reverse("concerns:district-map", args=[district.slug]))
    assert response.from_service_worker
    expect(page.get_by_role("heading", level=1)).to_have_text("Keine Verbindung")
    assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == ["de", "ltr"]
    expect(page.get_by_text("Rundgang des Teams")).to_be_visible()

    # Back online, "try again" loads the page that was asked for.
    page.context.set_offline(False)
    page.get_by_role("link", name="Erneut versuchen").click()
    expect(page.locator("html")).to_have_attribute("lang", "de")
    assert page.url == live_server.url + reverse("concerns:district-map", args=[district.slug])
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Keine Verbindung")

    # The visitor changes to Arabic: the next page brings the offline page in Arabic, right to left.
    page.context.add_cookies([{"name": "django_language", "value": "ar", "url": live_server.url}])
    page.goto(concerns)
    offline_page_kept(page, "ar")
    assert kept_urls(page) == ["/offline/"]
    page.context.set_offline(True)
    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("لا يوجد اتصال")
    assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == ["ar", "rtl"]
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    axe_check(page)
    page.context.set_offline(False)


def test_the_street_round_keeps_its_own_worker_under_desk(page, live_server, district, category, street, manager):
    log_in(page, live_server, manager)
    page.goto(live_server.url + "/")
    offline_page_kept(page, "de")
    open_round(page, live_server, district)  # registers /desk/sw.js and waits until it kept the round
    assert page.evaluate("navigator.serviceWorker.controller.scriptURL") == live_server.url + "/desk/sw.js"
    scopes = page.evaluate(
        "navigator.serviceWorker.getRegistrations().then(rs => rs.map(r => new URL(r.scope).pathname).sort())"
    )
    assert scopes == ["/", "/desk/"]

    page.context.set_offline(True)
    response = page.reload()  # the more specific scope wins: the round's worker answers from its cache
    assert response.from_service_worker
    expect(page.get_by_role("heading", level=1)).to_contain_text("Rundgang")
    page.goto(live_server.url + reverse("concerns:concern-list", args=[district.slug]))
    expect(page.get_by_role("heading", level=1)).to_have_text("Keine Verbindung")
    page.context.set_offline(False)
