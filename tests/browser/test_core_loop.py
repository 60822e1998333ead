"""The whole loop on a 360 × 740 phone, as the three people live it.

A resident taps the map and reports, and supports two other concerns; the manager sees the street in the
inbox and refers to the waste office's contact person; the partner's page names the street and shows the
site plan; the partner closes as solved; the concern comes back as "bitte prüfen"; the manager resolves it
with the partner's text; the resident's tracking page shows the resolution. axe-core checks every page.
"""

import re

from django.utils import timezone
from playwright.sync_api import expect

from kiezwerk.concerns.models import Concern, ConcernStatus
from kiezwerk.network.models import Contact, LegalBasis, Organisation, OrganisationKind, Visibility

from ..factories import ConcernFactory
from .conftest import _context, log_in


def test_resident_team_partner_and_back(
    page, browser, live_server, district, category, street, manager, smtp_server, axe_check, settings
):
    settings.SITE_URL = live_server.url
    waste_office = Organisation.objects.create(
        name="Abfallwirtschaftsbetrieb",
        kind=OrganisationKind.CITY_OFFICE,
        email="info@awb.example.org",
        visibility=Visibility.PUBLIC,
        topics=[category.slug],
    )
    waste_office.districts.add(district)
    Contact.objects.create(
        organisation=waste_office,
        name="Petra Sommer",
        email="p.sommer@awb.example.org",
        legal_basis=LegalBasis.PUBLIC_TASK,
        last_confirmed_on=timezone.localdate(),
    )
    lat, lon = district.centre
    bench = ConcernFactory(district=district, category=category, title="Bank am Spielplatz kaputt", lat=lat, lon=lon)
    lamp = ConcernFactory(district=district, category=category, title="Laterne flackert", lat=lat, lon=lon)

    # The resident taps the map and reports.
    page.goto(f"{live_server.url}/districts/{district.slug}/report/")
    axe_check(page)
    page.locator("#map").click()
    expect(page.locator("#location-status")).not_to_be_empty()
    page.select_option("select[name=category]", str(category.pk))
    page.fill("input[name=title]", "Sperrmüll in der Hofeinfahrt")
    page.fill("textarea[name=description]", "Zwei Sofas und ein Schrank blockieren die Einfahrt.")
    page.get_by_role("button", name="Anliegen absenden").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Vielen Dank")
    tracking = page.locator("#tracking-link").get_attribute("href")
    concern = Concern.objects.get(title="Sperrmüll in der Hofeinfahrt")
    street_name = concern.address
    assert street_name.startswith("Donauwörther Straße ")
    page.goto(tracking)
    expect(page.locator(".site-plan figcaption")).to_contain_text(street_name)
    axe_check(page)

    # … and supports two other concerns: each is remembered on its own, count and text agree.
    for other in (bench, lamp):
        page.goto(f"{live_server.url}/concerns/{other.pk}/")
        page.get_by_role("button", name="Betrifft mich auch").click()
        expect(page.locator("#support")).to_contain_text("Sie unterstützen dieses Anliegen.")
        expect(page.locator("#supporter-count")).to_have_text("1 Person aus der Nachbarschaft unterstützt das.")
        axe_check(page)
    page.goto(f"{live_server.url}/concerns/{bench.pk}/")  # the first one is still supported after the second
    expect(page.locator("#support")).to_contain_text("Sie unterstützen dieses Anliegen.")
    expect(page.get_by_role("button", name="Betrifft mich auch")).to_have_count(0)

    # The manager sees the street in the inbox and refers to the waste office's contact person.
    team = _context(browser).new_page()
    log_in(team, live_server, manager)
    team.goto(f"{live_server.url}/desk/{district.slug}/")
    row = team.locator(".concern-item", has_text="Sperrmüll in der Hofeinfahrt")
    expect(row).to_contain_text(street_name)
    axe_check(team)
    row.get_by_role("link", name="Sperrmüll in der Hofeinfahrt").click()
    expect(team.locator(".site-plan figcaption")).to_contain_text(street_name)
    team.get_by_role("link", name="An Partner vermitteln").click()
    team.select_option("#id_organisation", label="Abfallwirtschaftsbetrieb")
    team.select_option("#id_contact", label="Petra Sommer (p.sommer@awb.example.org)")
    team.fill("#id_message", "Bitte den Sperrmüll in der Einfahrt abholen.")
    axe_check(team)
    team.locator("form[action$='/refer/'] button[type=submit]").click()
    expect(team.locator(".message--success")).to_contain_text("Abfallwirtschaftsbetrieb")

    # The partner opens the link from the mail to the contact person: the page names the street, shows the plan.
    assert [m.rcpt_tos for m in smtp_server.messages if "/p/" in m.content.decode()] == [["p.sommer@awb.example.org"]]
    mail = next(m.content.decode() for m in smtp_server.messages if "p.sommer@awb.example.org" in m.rcpt_tos)
    link = re.search(r"http://\S+/p/[\w-]+/", mail).group(0)
    partner = _context(browser).new_page()
    partner.goto(link)
    expect(partner.get_by_role("heading", level=1)).to_have_text("Sperrmüll in der Hofeinfahrt")
    expect(partner.locator(".site-plan figcaption")).to_contain_text(street_name)
    expect(partner.get_by_role("img", name=f"Lageplan: die markierte Stelle bei {street_name}")).to_be_visible()
    axe_check(partner)
    partner.get_by_role("button", name="Annehmen").click()
    expect(partner.locator(".message--success")).to_be_visible()
    partner.fill("#id_text", "Am Dienstag abgeholt, die Einfahrt ist frei.")
    partner.select_option("#id_outcome", "solved")
    partner.get_by_role("button", name="Mit Ergebnis abschließen").click()
    expect(partner.locator(".message--success")).to_be_visible()
    expect(partner.locator("body")).not_to_contain_text("bitte antworten Sie bis")  # closed: no due date
    axe_check(partner)

    # The concern comes back to the team as "bitte prüfen"; the manager resolves it with the partner's text.
    team.goto(f"{live_server.url}/desk/{district.slug}/")
    first = team.locator(".desk-list .concern-item").first
    expect(first).to_contain_text("Sperrmüll in der Hofeinfahrt")
    expect(first).to_contain_text("Partner meldet erledigt – bitte prüfen")
    axe_check(team)
    first.get_by_role("link", name="Sperrmüll in der Hofeinfahrt").click()
    expect(team.locator("#review-text")).to_have_value("Am Dienstag abgeholt, die Einfahrt ist frei.")
    axe_check(team)
    team.get_by_role("button", name="Mit dieser Begründung erledigen").click()
    expect(team.locator(".message--success")).to_be_visible()
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.RESOLVED

    # The resident's tracking page shows the resolution.
    page.goto(tracking)
    expect(page.locator(".status")).to_contain_text("Erledigt")
    expect(page.locator(".timeline")).to_contain_text("Am Dienstag abgeholt, die Einfahrt ist frei.")
    axe_check(page)
