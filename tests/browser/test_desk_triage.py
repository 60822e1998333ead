"""The manager at the desk on a phone: triage, reply with a template; the resident reads the reply."""

import pytest
from playwright.sync_api import expect

from kiezwerk.concerns import services as concern_services
from kiezwerk.concerns.models import Concern, ConcernStatus
from kiezwerk.desk.models import ReplyTemplate

from .conftest import log_in


@pytest.fixture
def reported(district, category):
    lat, lon = district.centre
    concern, token = concern_services.concern_report(
        district=district,
        category=category,
        title="Oyun parkında cam kırıkları",
        description="Salıncağın yanında cam kırıkları var.",
        lat=lat,
        lon=lon,
        language="tr",
        reporter_email="ayse@example.org",
    )
    return concern, token


def test_manager_triages_replies_with_a_template_and_the_resident_reads_it(
    page, live_server, district, manager, reported, axe_check
):
    concern, token = reported
    ReplyTemplate.objects.create(
        district=district,
        title="Weitergeleitet",
        texts={"de": "Wir haben Ihr Anliegen weitergeleitet.", "tr": "Talebinizi ilgili birime ilettik."},
    )
    log_in(page, live_server, manager)
    page.goto(f"{live_server.url}/desk/{district.slug}/")
    axe_check(page)
    page.get_by_role("link", name="Oyun parkında cam kırıkları").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Oyun parkında cam kırıkları")
    axe_check(page)

    page.select_option("#id_template", label="Weitergeleitet")
    # The text box is filled with the template in the resident's language (Turkish).
    expect(page.locator("#id_text")).to_have_value("Talebinizi ilgili birime ilettik.")
    page.select_option("#id_new_status", "referred")
    page.get_by_role("button", name="Öffentlich antworten").click()
    expect(page.locator(".message--success")).to_be_visible()
    expect(page.locator(".timeline")).to_contain_text("Talebinizi ilgili birime ilettik.")
    assert Concern.objects.get(pk=concern.pk).status == ConcernStatus.REFERRED

    # An internal note stays in the workspace.
    page.fill("#id_text", "Hausverwaltung anrufen")
    page.get_by_role("button", name="Intern notieren").click()
    expect(page.locator(".timeline-item--internal")).to_contain_text("Hausverwaltung anrufen")

    page.context.clear_cookies()
    page.goto(f"{live_server.url}/track/{token}/")
    expect(page.locator(".timeline")).to_contain_text("Talebinizi ilgili birime ilettik.")
    expect(page.locator("body")).not_to_contain_text("Hausverwaltung anrufen")


def test_inbox_triage_works_without_javascript(page_without_js, live_server, district, manager, reported):
    page = page_without_js
    concern, _token = reported
    log_in(page, live_server, manager)
    page.goto(f"{live_server.url}/desk/{district.slug}/")
    page.check(f"#select-{concern.pk}")
    page.select_option("#id_bulk-action", "status")
    page.select_option("#id_bulk-status", "triaged")
    page.get_by_role("button", name="Auf Auswahl anwenden").click()
    expect(page.locator(".message--success")).to_be_visible()
    assert Concern.objects.get(pk=concern.pk).status == ConcernStatus.TRIAGED


def test_desk_pages_have_no_accessibility_violations(page, live_server, district, manager, reported, axe_check):
    log_in(page, live_server, manager)
    for path in ("today/", "templates/", "audit/", "privacy/", "capture/", "mail/"):
        page.goto(f"{live_server.url}/desk/{district.slug}/{path}")
        axe_check(page)


def test_only_this_map_area_filters_the_inbox(page, live_server, district, category, manager):
    from ..factories import ConcernFactory

    inside = ConcernFactory(
        district=district, category=category, title="Am Rand im Süden", lat=district.min_lat + 0.001
    )
    log_in(page, live_server, manager)
    page.goto(f"{live_server.url}/desk/{district.slug}/")
    page.locator("#map-box summary").click()
    expect(page.locator("#inbox-map .kw-pin")).to_have_count(1)
    page.locator("[data-bbox-apply]").click()
    page.wait_for_url("**bbox=*")
    bbox = [float(n) for n in page.locator("#id_bbox").input_value().split(",")]
    assert bbox[0] <= inside.lat <= bbox[2] and bbox[1] <= inside.lon <= bbox[3]
    expect(page.get_by_role("link", name="Am Rand im Süden")).to_be_visible()
