"""The district's calendar as people live it, on a 360 × 740 phone.

A partner submits the neighbourhood café as a weekly series; the manager approves it; a resident without an
account takes the last place of the first date, a second lands on the waiting list; the first cancels with
the link from the mail, the second is offered the place by mail and accepts it. axe-core checks every page
of events in German and Arabic, and none sticks out of the phone's screen.
"""

import email
import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from kiezwerk.accounts.services import membership_add
from kiezwerk.events.models import Event, Registration
from kiezwerk.network.models import Organisation

from ..events.conftest import event_made
from ..factories import UserFactory, street_create
from .conftest import _context, log_in
from .test_projects import fits


def mail_text(message):
    parsed = email.message_from_bytes(message.content)
    part = next(p for p in parsed.walk() if p.get_content_type() == "text/plain")
    return part.get_payload(decode=True).decode()


def link(smtp_server, address, kind):
    texts = [mail_text(m) for m in smtp_server.messages if address in m.rcpt_tos]
    found = [re.search(rf"(http://\S+/events/registrations/\S+/{kind}/)", text) for text in texts]
    return [match.group(1) for match in found if match][-1]


def register(page, live_server, event, name, address):
    page.goto(f"{live_server.url}{event.get_absolute_url()}")
    page.locator(".date-list li").first.get_by_role(
        "link", name=re.compile("^(Zur Anmeldung|Für die Warteliste)")
    ).click()
    page.get_by_label("Ihr Name").fill(name)
    page.get_by_label("Ihre E-Mail-Adresse").fill(address)
    page.get_by_role("button", name="Anmeldung absenden").click()


def test_a_partners_cafe_series_from_submission_to_an_accepted_offer(
    page, browser, live_server, district, manager, smtp_server, axe_check, settings
):
    settings.SITE_URL = live_server.url
    street_create(district, "Lindenstraße", 1, 60)
    organisation = Organisation.objects.create(
        name="Stadtteilmütter Testviertel", kind="association", visibility="public"
    )
    organisation.districts.add(district)
    member = UserFactory()
    membership_add(user=member, target=organisation)

    # The partner submits the café as a weekly series with one place per date.
    partner = _context(browser).new_page()
    log_in(partner, live_server, member)
    partner.goto(f"{live_server.url}/partner/events/")
    axe_check(partner)
    partner.get_by_role("link", name=re.compile("Veranstaltung in Testviertel einreichen")).click()
    expect(partner.get_by_role("heading", level=1)).to_contain_text("Neue Veranstaltung")
    axe_check(partner)
    fits(partner)
    day = timezone.localdate() + timedelta(days=3)
    partner.get_by_label("Titel").fill("Nachbarschaftscafé")
    partner.get_by_label("Termin", exact=True).fill(day.isoformat())
    partner.get_by_label(re.compile(r"^Beginn")).fill("15:00")
    partner.get_by_label(re.compile(r"^Ende")).fill("17:00")
    partner.get_by_label("Wiederholung").select_option("weekly")
    partner.get_by_label("oder Anzahl der Termine").fill("8")
    partner.get_by_label("Straße").fill("Lindenstraße")
    partner.get_by_label("Hausnummer").fill("5")
    partner.get_by_label("Plätze pro Termin").fill("1")
    partner.get_by_role("button", name="Veranstaltung einreichen").click()
    expect(partner.locator(".messages, [role=status]").first).to_contain_text("Team")
    event = Event.objects.get()
    assert event.review == "pending" and event.occurrences.count() == 8

    # The manager approves it.
    team = _context(browser).new_page()
    log_in(team, live_server, manager)
    team.goto(f"{live_server.url}/desk/{district.slug}/events/")
    axe_check(team)
    team.get_by_role("link", name="Nachbarschaftscafé").first.click()
    axe_check(team)
    team.get_by_role("button", name="Freigeben").click()
    event.refresh_from_db()
    assert event.review == "approved"

    # A resident takes the last place of the first date; a second lands on the waiting list.
    page.goto(f"{live_server.url}/events/{district.slug}/")
    expect(page.locator("main")).to_contain_text("Nachbarschaftscafé")
    axe_check(page)
    fits(page)
    register(page, live_server, event, "Ayşe Demir", "ayse@example.org")
    page.goto(link(smtp_server, "ayse@example.org", "confirm"))
    axe_check(page)
    page.get_by_role("button", name=re.compile("Ja")).click()
    expect(page.locator("main")).to_contain_text("Platz")
    second = _context(browser).new_page()
    register(second, live_server, event, "Oleksandr Koval", "oleksandr@example.org")
    second.goto(link(smtp_server, "oleksandr@example.org", "confirm"))
    second.get_by_role("button", name=re.compile("Ja")).click()
    expect(second.locator("main")).to_contain_text("Warteliste")
    assert sorted(Registration.objects.values_list("name", "status")) == [
        ("Ayşe Demir", "registered"),
        ("Oleksandr Koval", "waiting"),
    ]

    # The first cancels with the link; the second is offered the place by mail and accepts it.
    page.goto(link(smtp_server, "ayse@example.org", "cancel"))
    axe_check(page)
    page.get_by_role("button", name=re.compile("absagen")).click()
    assert Registration.objects.get(name="Oleksandr Koval").status == "offered"
    second.goto(link(smtp_server, "oleksandr@example.org", "offer"))
    axe_check(second)
    fits(second)
    second.get_by_role("button", name="Platz annehmen").click()
    expect(second.locator("main")).to_contain_text("Platz")
    assert Registration.objects.get(name="Oleksandr Koval").status == "registered"
    # Public pages show counts, never a name.
    page.goto(f"{live_server.url}{event.get_absolute_url()}")
    expect(page.locator("main")).not_to_contain_text("Oleksandr")


def test_every_events_page_in_german_and_arabic(page, live_server, district, manager, axe_check):
    event = event_made(district, manager, starts_at=timezone.now() + timedelta(days=2))
    occurrence = event.occurrences.get()
    member = UserFactory()
    organisation = Organisation.objects.create(name="Kulturverein", kind="association", visibility="public")
    organisation.districts.add(district)
    membership_add(user=member, target=organisation)
    public = [
        f"/events/{district.slug}/",
        f"/events/{district.slug}/?view=month",
        event.get_absolute_url(),
        f"/events/{district.slug}/{event.pk}/dates/{occurrence.pk}/register/",
    ]
    team = [
        f"/desk/{district.slug}/events/",
        f"/desk/{district.slug}/events/new/",
        f"/desk/events/{event.pk}/",
        f"/desk/events/{event.pk}/edit/",
        f"/desk/events/{event.pk}/dates/{occurrence.pk}/",
    ]
    partner = ["/partner/events/", f"/partner/events/new/{district.slug}/"]
    for language in ("de", "ar"):
        page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
        for paths, user in ((public, None), (team, manager), (partner, member)):
            page.context.clear_cookies(name="sessionid")
            if user is not None:
                log_in(page, live_server, user)
            for path in paths:
                page.goto(f"{live_server.url}{path}")
                expect(page.locator("html")).to_have_attribute("dir", "rtl" if language == "ar" else "ltr")
                fits(page)
                axe_check(page)
        page.context.clear_cookies()
