"""The street round in a real browser: offline queue, service worker, refused entries, no JavaScript."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from kiezwerk.accounts.models import RoleKind
from kiezwerk.concerns.models import Channel, Concern
from kiezwerk.desk.models import StreetContact

from ..conftest import _user_with_role, image_bytes
from .conftest import log_in

TITLE = "Sperrmüll vor der Schule"


def open_round(page, live_server, district):
    page.goto(f"{live_server.url}/desk/{district.slug}/round/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Rundgang")
    offline_ready(page)


def offline_ready(page):
    """The service worker runs and has stored the page and its files for use without signal.

    Waiting for it also keeps the worker's requests from reaching the server after the test.
    """
    expect(page.locator("#round")).to_have_attribute("data-offline-ready", "")


def fill_concern(page, category, *, with_category=True):
    form = page.locator("form[data-capture=concern]")
    form.locator("input[name=street]").fill("Donauwörther Straße")
    form.locator("input[name=house_number]").fill("12")
    if with_category:
        form.locator("select[name=category]").select_option(str(category.pk))
    form.locator("input[name=title]").fill(TITLE)
    form.locator("textarea[name=description]").fill("Drei Matratzen liegen seit gestern vor dem Eingang.")
    return form


def fill_contact(page, category):
    form = page.locator("form[data-capture=contact]")
    form.locator("select[name=topic]").select_option(str(category.pk))
    form.locator("input[name=place]").fill("Spielplatz am Bach")
    return form


@pytest.fixture
def round_page(page, live_server, district, category, street, manager):
    log_in(page, live_server, manager)
    open_round(page, live_server, district)
    return page


def test_entries_made_offline_are_sent_once_when_the_network_returns(round_page, live_server, category, tmp_path):
    page = round_page
    pending = page.locator("#pending")
    expect(pending).to_be_hidden()
    page.context.set_offline(True)

    concern_form = fill_concern(page, category)
    photo = tmp_path / "matratzen.jpg"
    photo.write_bytes(image_bytes("JPEG", size=(640, 480)))
    concern_form.locator("input[name=photos]").set_input_files(str(photo))
    key = concern_form.locator("input[name=capture_key]").input_value()
    concern_form.get_by_role("button", name="Anliegen erfassen").click()
    expect(concern_form.locator("[data-send-status]")).to_contain_text("Keine Netzverbindung")
    # The form is empty for the next entry, with a new key.
    expect(concern_form.locator("input[name=title]")).to_have_value("")
    assert concern_form.locator("input[name=capture_key]").input_value() not in ("", key)

    contact_form = fill_contact(page, category)
    contact_form.get_by_role("button", name="Kontakt zählen").click()
    expect(pending).to_be_visible()
    expect(pending.locator("[data-pending-status]")).to_have_text("2 Einträge warten auf eine Netzverbindung.")
    expect(pending.locator("li")).to_have_count(2)
    expect(pending.locator("li").first).to_contain_text(TITLE)
    expect(pending.locator("li").last).to_contain_text("Spielplatz am Bach")
    assert not Concern.objects.exists()
    assert not StreetContact.objects.exists()

    # Reopened without signal: the service worker answers from its cache, the queue is still there.
    response = page.reload()
    assert response.from_service_worker
    expect(page.get_by_role("heading", level=1)).to_contain_text("Rundgang")
    expect(pending.locator("li")).to_have_count(2)
    # The stylesheet came from the cache, too.
    assert page.evaluate("getComputedStyle(document.getElementById('announce')).position") == "absolute"

    went_online = timezone.now()
    page.context.set_offline(False)
    expect(pending).to_be_hidden()
    expect(pending.locator("li")).to_have_count(0)

    concern = Concern.objects.get(title=TITLE)
    assert concern.capture_key == key
    assert concern.channel == Channel.STREET
    assert concern.address == "Donauwörther Straße 12"
    assert concern.photos.count() == 1  # the photo waited in the queue as a file
    contact = StreetContact.objects.get()
    assert contact.place == "Spielplatz am Bach"
    assert contact.at < went_online  # the time it was filled in, not the time it arrived
    assert Concern.objects.count() == 1


def test_an_answer_lost_on_the_way_is_retried_with_the_same_key(round_page, live_server, district, category):
    """The server stored the entry but the phone never heard back: the retry creates nothing new."""
    page = round_page
    lost = []

    def lose_the_answer(route):
        if not lost:
            route.fetch()  # the server gets the entry …
            lost.append(True)
            route.abort()  # … and the answer never arrives
        else:
            route.continue_()

    page.route(f"**/desk/{district.slug}/round/contact/", lose_the_answer)
    fill_contact(page, category).get_by_role("button", name="Kontakt zählen").click()
    expect(page.locator("#pending li")).to_have_count(1)
    assert StreetContact.objects.count() == 1

    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.locator("#pending")).to_be_hidden()
    assert StreetContact.objects.count() == 1


def test_refused_entry_stays_with_the_error_and_the_text(round_page, live_server, district, category):
    page = round_page
    form = fill_concern(page, category, with_category=False)
    form.get_by_role("button", name="Anliegen erfassen").click()

    pending = page.locator("#pending")
    expect(pending).to_be_visible()
    item = pending.locator("li.pending-item--error")
    expect(item).to_contain_text(TITLE)
    expect(item).to_contain_text("Vom Server abgelehnt")
    expect(item).to_contain_text("Kategorie")
    # The text is kept in the form, the error is beside the field.
    expect(form.locator("input[name=title]")).to_have_value(TITLE)
    expect(form.locator("select[name=category]")).to_have_attribute("aria-invalid", "true")
    assert not Concern.objects.exists()

    # Still there after reopening the page: back in the form, ready to be corrected.
    page.reload()
    offline_ready(page)
    expect(pending.locator("li.pending-item--error")).to_have_count(1)
    expect(form.locator("input[name=title]")).to_have_value(TITLE)
    expect(form.locator("textarea[name=description]")).to_have_value(
        "Drei Matratzen liegen seit gestern vor dem Eingang."
    )
    key = form.locator("input[name=capture_key]").input_value()

    form.locator("select[name=category]").select_option(str(category.pk))
    form.get_by_role("button", name="Anliegen erfassen").click()
    expect(form.locator("[data-send-status]")).to_have_text("Gesendet.")
    expect(pending).to_be_hidden()
    assert Concern.objects.get().capture_key == key


def test_refused_entry_can_be_erased(round_page, live_server, category):
    page = round_page
    form = fill_concern(page, category, with_category=False)
    form.get_by_role("button", name="Anliegen erfassen").click()
    page.locator("#pending").get_by_role("button", name="Löschen").click()
    expect(page.locator("#pending")).to_be_hidden()
    expect(form.locator("input[name=title]")).to_have_value("")


def test_round_and_capture_pages_have_no_accessibility_violations(
    round_page, live_server, district, category, axe_check
):
    page = round_page
    axe_check(page)
    # With a pending entry and a refused one.
    page.context.set_offline(True)
    fill_contact(page, category).get_by_role("button", name="Kontakt zählen").click()
    expect(page.locator("#pending li")).to_have_count(1)
    page.route("**/round/contact/", lambda route: route.abort())  # keep it pending
    page.context.set_offline(False)
    fill_concern(page, category, with_category=False).get_by_role("button", name="Anliegen erfassen").click()
    expect(page.locator("#pending li")).to_have_count(2)
    axe_check(page)

    page.goto(f"{live_server.url}/desk/{district.slug}/capture/")
    expect(page.get_by_role("button", name="Meinen Standort verwenden")).to_be_visible()
    axe_check(page)


def test_round_works_without_javascript(page_without_js, live_server, district, category, street, manager):
    page = page_without_js
    log_in(page, live_server, manager)
    page.goto(f"{live_server.url}/desk/{district.slug}/round/")
    expect(page.locator(".geo-actions").first).to_be_hidden()
    form = fill_contact(page, category)
    form.get_by_role("button", name="Kontakt zählen").click()
    expect(page.locator(".messages")).to_contain_text("Straßenkontakt gezählt.")
    contact = StreetContact.objects.get()
    assert (contact.topic, contact.place) == (category, "Spielplatz am Bach")


def test_use_my_position_fills_the_place(browser, live_server, district, category, street, manager):
    from .conftest import _context

    lat, lon = district.centre
    context = _context(browser, geolocation={"latitude": lat, "longitude": lon}, permissions=["geolocation"])
    page = context.new_page()
    log_in(page, live_server, manager)
    open_round(page, live_server, district)
    form = page.locator("form[data-capture=contact]")
    form.get_by_role("button", name="Meinen Standort verwenden").click()
    expect(form.locator("[data-locate-status]")).to_have_text("Standort gesetzt.")
    placed = [float(part) for part in form.locator("input[name=location]").input_value().split(",")]
    assert placed == pytest.approx([lat, lon], abs=1e-5)
    context.close()


def test_no_position_is_said_not_swallowed(round_page):
    page = round_page  # no geolocation permission in this context
    form = page.locator("form[data-capture=contact]")
    form.get_by_role("button", name="Meinen Standort verwenden").click()
    expect(form.locator("[data-locate-status]")).to_contain_text("Standort nicht verfügbar")


def test_a_shared_phone_never_sends_one_managers_entries_under_another_account(
    round_page, live_server, district, category, manager
):
    page = round_page
    page.context.set_offline(True)
    fill_contact(page, category).get_by_role("button", name="Kontakt zählen").click()
    expect(page.locator("#pending li")).to_have_count(1)
    # The manager is gone; a colleague logs in on the same phone: the entry is neither shown nor sent.
    page.context.clear_cookies()
    page.context.set_offline(False)
    log_in(page, live_server, _user_with_role(RoleKind.MANAGER, district))
    open_round(page, live_server, district)
    expect(page.locator("#pending")).to_be_hidden()
    page.wait_for_timeout(500)  # time enough for a send that must not happen
    assert not StreetContact.objects.exists()
    # Back with the first account, the entry goes out under it.
    page.context.clear_cookies()
    log_in(page, live_server, manager)
    open_round(page, live_server, district)
    expect(page.locator("#pending")).to_be_hidden()
    assert StreetContact.objects.get().author == manager


def test_entries_wait_for_a_new_login_when_the_session_has_ended(round_page, live_server, district, category, manager):
    page = round_page
    page.context.clear_cookies()  # the session ended while the page was open
    form = fill_contact(page, category)
    form.get_by_role("button", name="Kontakt zählen").click()
    expect(form.locator("[data-send-status]")).to_contain_text("Ihre Anmeldung ist abgelaufen")
    expect(page.locator("#pending li")).to_have_count(1)
    assert not StreetContact.objects.exists()
    log_in(page, live_server, manager)
    open_round(page, live_server, district)
    expect(page.locator("#pending")).to_be_hidden()
    assert StreetContact.objects.get().author == manager


def test_an_arabic_round_keeps_its_arabic_font_for_use_offline(page, live_server, district, category, street, manager):
    page.context.add_cookies([{"name": "django_language", "value": "ar", "url": live_server.url}])
    log_in(page, live_server, manager)
    page.goto(f"{live_server.url}/desk/{district.slug}/round/")
    offline_ready(page)
    kept = page.evaluate(
        """async () => {
            const urls = [];
            for (const name of await caches.keys()) {
                for (const request of await (await caches.open(name)).keys()) urls.push(request.url);
            }
            return urls;
        }"""
    )
    assert any("NotoSansArabic-Regular" in url and url.endswith(".woff2") for url in kept), kept
