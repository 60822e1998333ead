"""A referral in real browsers: the manager refers, the partner answers by the mailed link, the resident reads it."""

import re

from playwright.sync_api import expect

from kiezwerk.concerns import services as concern_services
from kiezwerk.network.models import Organisation, OrganisationKind, Referral, ReferralStatus, Visibility

from .conftest import _context, log_in


def test_manager_refers_partner_closes_resident_reads_the_outcome(
    page, browser, live_server, district, category, manager, smtp_server, axe_check, settings
):
    settings.SITE_URL = live_server.url
    organisation = Organisation.objects.create(
        name="Amt für Abfallwirtschaft",
        kind=OrganisationKind.CITY_OFFICE,
        email="abfall@example.org",
        visibility=Visibility.PUBLIC,
        topics=[category.slug],
    )
    organisation.districts.add(district)
    lat, lon = district.centre
    concern, tracking_token = concern_services.concern_report(
        district=district,
        category=category,
        title="Sperrmüll vor Hausnummer 7",
        description="Ein Schrank und Matratzen.",
        lat=lat,
        lon=lon,
    )

    # The manager refers from the concern's workspace.
    log_in(page, live_server, manager)
    page.goto(f"{live_server.url}/desk/concerns/{concern.pk}/")
    page.get_by_role("link", name="An Partner vermitteln").click()
    axe_check(page)
    page.select_option("#id_organisation", label="Amt für Abfallwirtschaft")
    page.fill("#id_message", "Bitte den Sperrmüll abholen; die Bewohnerin wartet seit einer Woche.")
    page.locator("form[action$='/refer/'] button[type=submit]").click()
    expect(page.locator(".message--success")).to_contain_text("Amt für Abfallwirtschaft")

    # The partner opens the link from the e-mail (another browser, no account).
    mail = next(m.content.decode() for m in smtp_server.messages if "abfall@example.org" in m.rcpt_tos)
    link = re.search(r"http://\S+/p/[\w-]+/", mail).group(0)
    partner = _context(browser)
    partner_page = partner.new_page()
    partner_page.goto(link)
    expect(partner_page.get_by_role("heading", level=1)).to_have_text("Sperrmüll vor Hausnummer 7")
    axe_check(partner_page)
    partner_page.get_by_role("button", name="Annehmen").click()
    expect(partner_page.locator(".message--success")).to_be_visible()
    partner_page.fill("#id_text", "Abholung ist für Montag geplant.")
    partner_page.check("#id_public")
    partner_page.get_by_role("button", name="Fortschritt melden").click()
    expect(partner_page.locator(".timeline")).to_contain_text("Abholung ist für Montag geplant.")
    partner_page.fill("#id_text", "Am Montag abgeholt.")
    partner_page.select_option("#id_outcome", "solved")
    partner_page.check("#id_public")
    partner_page.get_by_role("button", name="Mit Ergebnis abschließen").click()
    expect(partner_page.locator(".message--success")).to_be_visible()
    partner.close()
    referral = Referral.objects.get()
    assert (referral.status, referral.outcome) == (ReferralStatus.CLOSED, "solved")

    # The resident's tracking page shows the public steps.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/track/{tracking_token}/")
    timeline = page.locator(".timeline")
    expect(timeline).to_contain_text("Amt für Abfallwirtschaft: Am Montag abgeholt.")
    expect(timeline).to_contain_text("Amt für Abfallwirtschaft: Abholung ist für Montag geplant.")
