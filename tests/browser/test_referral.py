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


def _refer_setup(district, category):
    from django.utils import timezone

    from kiezwerk.network.models import Contact, LegalBasis

    made = {}
    for name, email, person, person_email in (
        ("Amt für Abfallwirtschaft", "abfall@example.org", "Frau Demir", "demir@example.org"),
        ("Grünflächenamt", "gruen@example.org", "Herr Grün", "herr.gruen@example.org"),
    ):
        organisation = Organisation.objects.create(
            name=name, kind=OrganisationKind.CITY_OFFICE, email=email, topics=[category.slug]
        )
        organisation.districts.add(district)
        Contact.objects.create(
            name=person,
            role="Sachbearbeitung",
            email=person_email,
            organisation=organisation,
            legal_basis=LegalBasis.PUBLIC_TASK,
            last_confirmed_on=timezone.localdate(),
        )
        made[name] = organisation
    lat, lon = district.centre
    concern, _token = concern_services.concern_report(
        district=district, category=category, title="Sperrmüll am Spielplatz", description="Ein Sofa.", lat=lat, lon=lon
    )
    return concern, made


def _options(page):
    return page.locator("#id_contact option").all_inner_texts()


def test_choosing_an_organisation_lists_only_its_people_in_place(
    page, live_server, district, category, manager, smtp_server, axe_check
):
    concern, made = _refer_setup(district, category)
    log_in(page, live_server, manager)
    page.goto(f"{live_server.url}/network/concerns/{concern.pk}/refer/")
    expect(page.locator("#id_contact")).to_be_hidden()
    page.select_option("#id_organisation", label="Grünflächenamt")
    expect(page.locator("#id_contact")).to_be_visible()
    assert _options(page) == [
        "An die Adresse der Organisation (gruen@example.org)",
        "Herr Grün – Sachbearbeitung (herr.gruen@example.org)",
    ]
    expect(page.locator("#announce")).to_contain_text("Empfängerliste")
    page.select_option("#id_organisation", label="Amt für Abfallwirtschaft")
    assert _options(page) == [
        "An die Adresse der Organisation (abfall@example.org)",
        "Frau Demir – Sachbearbeitung (demir@example.org)",
    ]
    # The keyboard reaches the list right after the organisation; the page fits 360 px.
    page.focus("#id_organisation")
    page.keyboard.press("Tab")
    expect(page.locator("#id_contact")).to_be_focused()
    page.keyboard.press("ArrowDown")  # Frau Demir
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    axe_check(page)
    page.fill("#id_message", "Bitte bis Freitag abholen.")
    page.get_by_role("button", name="Vermitteln und E-Mail senden").click()
    expect(page.locator(".message--success")).to_contain_text("demir@example.org")
    referral = Referral.objects.get()
    assert (referral.organisation.name, referral.contact.name) == ("Amt für Abfallwirtschaft", "Frau Demir")
    # The page as the server renders the second step (a suggestion's link): accessible, 360 px wide.
    page.goto(f"{live_server.url}/network/concerns/{concern.pk}/refer/?organisation={made['Grünflächenamt'].pk}")
    expect(page.locator("#id_contact")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    axe_check(page)
    assert [m.rcpt_tos for m in smtp_server.messages if "example.org" in m.rcpt_tos[0]][-1] == ["demir@example.org"]


def test_without_javascript_a_second_step_lists_its_people_and_keeps_the_input(
    page_without_js, live_server, district, category, manager
):
    page = page_without_js
    concern, _made = _refer_setup(district, category)
    log_in(page, live_server, manager)
    page.goto(f"{live_server.url}/network/concerns/{concern.pk}/refer/")
    expect(page.locator("#id_contact")).to_be_hidden()
    page.select_option("#id_organisation", label="Grünflächenamt")
    page.fill("#id_message", "Bitte den Rasen prüfen.")
    page.select_option("#id_plan", "urgent")
    page.get_by_role("button", name="Weiter: Empfänger wählen").click()
    expect(page.locator("#id_contact")).to_be_focused()  # the second step starts at the recipient
    assert _options(page) == [
        "An die Adresse der Organisation (gruen@example.org)",
        "Herr Grün – Sachbearbeitung (herr.gruen@example.org)",
    ]
    expect(page.locator("#id_message")).to_have_value("Bitte den Rasen prüfen.")
    expect(page.locator("#id_plan")).to_have_value("urgent")
    page.get_by_role("button", name="Vermitteln und E-Mail senden").click()
    expect(page.locator(".message--success")).to_contain_text("gruen@example.org")
    referral = Referral.objects.get()
    assert (referral.organisation.name, referral.contact, referral.plan) == ("Grünflächenamt", None, "urgent")
