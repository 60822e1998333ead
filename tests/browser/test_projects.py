"""From a litter concern to an action with volunteers, on a 360 × 740 phone, as the people live it.

The manager makes an action of a concern with the litter template and adds a shift with one place; a resident
without an account takes the last place, a second lands on the waiting list; the first cancels with the link
from the mail and the second moves up and is mailed; the manager records the outcome and resolves the linked
concern; the reporter's tracking page names the action. axe-core checks every page, German and Arabic.
"""

import email
import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from kiezwerk.concerns.models import Concern
from kiezwerk.concerns.services import concern_report
from kiezwerk.core import activity
from kiezwerk.projects.models import Material, Project, SignUp
from kiezwerk.projects.services import volunteers

from ..projects.conftest import project_made, shift_made
from .conftest import _context, log_in


def mail_text(message):
    parsed = email.message_from_bytes(message.content)
    part = next(p for p in parsed.walk() if p.get_content_type() == "text/plain")
    return part.get_payload(decode=True).decode()


def mails_to(smtp_server, address):
    return [mail_text(m) for m in smtp_server.messages if address in m.rcpt_tos]


def link(text, kind):
    return re.search(rf"(http://\S+/projects/signups/\S+/{kind}/)", text).group(1)


def sign_up(page, live_server, project, name, address):
    page.goto(f"{live_server.url}{project.get_absolute_url()}")
    page.locator(".shift").first.get_by_role("link", name=re.compile("^(Mitmachen|Für die Warteliste)")).click()
    page.get_by_label("Ihr Name").fill(name)
    page.get_by_label("Ihre E-Mail-Adresse").fill(address)
    page.get_by_role("button", name="Anmeldung absenden").click()
    expect(page.locator(".messages, [role=status]").first).to_contain_text("E-Mail")


def test_from_a_litter_concern_to_an_action_with_volunteers(
    page, browser, live_server, district, category, street, manager, smtp_server, axe_check, settings
):
    settings.SITE_URL = live_server.url
    lat, lon = district.centre
    concern, token = concern_report(
        district=district,
        category=category,
        title="Müll rund um den Spielplatz",
        description="Seit Wochen liegen Flaschen und Tüten herum.",
        lat=lat,
        lon=lon,
        reporter_email="melderin@example.org",
    )
    activity.follow_confirm(token=concern.followers.get().token)

    # The manager makes an action of the concern, from the litter template.
    team = _context(browser).new_page()
    log_in(team, live_server, manager)
    team.goto(f"{live_server.url}/desk/concerns/{concern.pk}/")
    team.get_by_role("link", name="Daraus eine Aktion machen").click()
    expect(team.get_by_role("heading", level=1)).to_have_text("Neues Projekt")
    axe_check(team)
    team.get_by_label("Vorlage").select_option(label="Müllsammelaktion")
    team.get_by_label("Ziel").fill("Der Spielplatz ist wieder sauber.")
    day = timezone.localdate() + timedelta(days=14)
    team.get_by_label("Datum der Aktion").fill(day.isoformat())
    team.get_by_role("button", name="Projekt anlegen").click()
    expect(team.get_by_role("heading", level=1)).to_have_text("Müll rund um den Spielplatz")
    project = Project.objects.get()
    assert list(project.concerns.all()) == [concern]
    assert project.tasks.filter(title__startswith="Container beim Amt").get().due_on == day - timedelta(days=21)
    axe_check(team)
    team.get_by_label("Neuer Status").select_option(label="Läuft")
    team.get_by_role("button", name="Status ändern").click()
    expect(team.locator(".status").first).to_have_text("Läuft")
    team.get_by_text("Schicht hinzufügen", exact=True).first.click()
    team.get_by_label("Beginn", exact=True).fill(f"{day.isoformat()}T10:00")
    team.get_by_label("Ende", exact=True).fill(f"{day.isoformat()}T13:00")
    team.get_by_label("Treffpunkt", exact=True).fill("Spielplatz Lindenweg")
    team.get_by_label("Plätze", exact=True).fill("1")
    team.get_by_role("button", name="Schicht hinzufügen").click()
    expect(team.locator("#shifts")).to_contain_text("0 von 1 Plätzen belegt")
    axe_check(team)

    # A resident without an account takes the last place; a second one lands on the waiting list.
    sign_up(page, live_server, project, "Ayşe Demir", "ayse@example.org")
    axe_check(page)
    page.goto(link(mails_to(smtp_server, "ayse@example.org")[-1], "confirm"))
    axe_check(page)
    page.get_by_role("button", name="Ja, ich helfe mit").click()
    expect(page.locator("main")).to_contain_text("Sie haben einen Platz")
    second = _context(browser).new_page()
    sign_up(second, live_server, project, "Oleksandr Koval", "oleksandr@example.org")
    second.goto(link(mails_to(smtp_server, "oleksandr@example.org")[-1], "confirm"))
    second.get_by_role("button", name="Ja, ich helfe mit").click()
    expect(second.locator("main")).to_contain_text("Warteliste")
    assert sorted(SignUp.objects.values_list("name", "status")) == [
        ("Ayşe Demir", "registered"),
        ("Oleksandr Koval", "waiting"),
    ]

    # The first cancels with the link from the mail; the second moves up and is mailed.
    page.goto(link(mails_to(smtp_server, "ayse@example.org")[-1], "cancel"))
    axe_check(page)
    page.get_by_role("button", name="Meine Anmeldung absagen").click()
    expect(page.locator("main")).to_contain_text("Sie haben Ihre Teilnahme abgesagt")
    assert SignUp.objects.get(name="Oleksandr Koval").status == "registered"
    moved = [m for m in smtp_server.messages if "oleksandr@example.org" in m.rcpt_tos]
    assert "frei geworden" in email.message_from_bytes(moved[-1].content)["Subject"] or any(
        "frei geworden" in str(email.header.make_header(email.header.decode_header(m_subject)))
        for m_subject in (email.message_from_bytes(m.content)["Subject"] for m in moved)
    )
    # The public page shows counts, never a name.
    page.goto(f"{live_server.url}{project.get_absolute_url()}")
    expect(page.locator("main")).not_to_contain_text("Oleksandr")
    expect(page.locator("main")).not_to_contain_text("Ayşe")

    # The manager records the outcome and resolves the linked concern.
    team.goto(f"{live_server.url}/desk/projects/{project.pk}/")
    team.get_by_label("Neuer Status").select_option(label="Abgeschlossen")
    team.locator("#id_reason").fill("Die Aktion hat stattgefunden.")
    team.get_by_role("button", name="Status ändern").click()
    team.get_by_label("Teilnehmende").fill("12")
    team.get_by_label("Müll (kg)").fill("62")
    team.get_by_label("Ergebnis (öffentlich)").fill("62 kg Müll gesammelt, der Spielplatz ist sauber.")
    team.get_by_role("button", name="Ergebnis speichern").click()
    expect(team.locator("#outcome")).to_be_visible()
    team.get_by_role("button", name=re.compile("offenes Anliegen erledigen")).click()
    concern.refresh_from_db()
    assert concern.status == "resolved"
    axe_check(team)

    # The reporter's tracking page shows the resolution naming the action.
    page.goto(f"{live_server.url}/track/{token}/")
    expect(page.locator("main")).to_contain_text("Erledigt durch die Aktion „Müll rund um den Spielplatz“")
    expect(page.get_by_role("link", name="Müll rund um den Spielplatz")).to_be_visible()
    axe_check(page)
    assert any("melderin@example.org" in m.rcpt_tos for m in smtp_server.messages)


# The elements that stick out, leaving out those inside a box that scrolls sideways on its own.
WIDER = """() => [...document.querySelectorAll('body *')]
    .filter(e => { const r = e.getBoundingClientRect(); return r.right > window.innerWidth + 1 || r.left < -1; })
    .filter(e => { for (let p = e.parentElement; p; p = p.parentElement) {
        if (['auto', 'scroll'].includes(getComputedStyle(p).overflowX)) return false; } return true; })
    .slice(0, 5).map(e => e.tagName + '.' + e.className + '#' + e.id + ' ' + e.getBoundingClientRect().right)"""


def fits(page):
    """Nothing sticks out of a 360 px wide screen (the page does not scroll sideways)."""
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (
        page.url,
        page.evaluate("document.documentElement.scrollWidth"),
        page.evaluate(WIDER),
    )


def test_every_project_page_in_german_and_arabic(page, live_server, district, manager, axe_check):
    project = project_made(district, manager)
    shift = shift_made(project, manager)
    signup = volunteers.signup_create(shift=shift, name="Zeynep", email="zeynep@example.org")
    template = project.district.project_templates.first()
    material = Material.objects.create(project=project, name="Handschuhe", needed=20)
    public = [
        f"/projects/{district.slug}/",
        project.get_absolute_url(),
        f"/projects/{district.slug}/{project.pk}/shifts/{shift.pk}/signup/",
        f"/projects/signups/{signup.token}/confirm/",
        f"/projects/signups/{signup.token}/cancel/",
    ]
    team = [
        f"/desk/{district.slug}/projects/",
        f"/desk/{district.slug}/projects/new/",
        f"/desk/{district.slug}/projects/templates/",
        f"/desk/{district.slug}/projects/templates/{template.pk}/",
        f"/desk/projects/{project.pk}/",
        f"/desk/projects/{project.pk}/edit/",
        f"/desk/projects/{project.pk}/shifts/{shift.pk}/",
        f"/desk/projects/{project.pk}/materials/{material.pk}/",
    ]
    for language in ("de", "ar"):
        page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
        page.context.clear_cookies(name="sessionid") if hasattr(page.context, "clear_cookies") else None
        for path in public:
            page.goto(f"{live_server.url}{path}")
            expect(page.locator("html")).to_have_attribute("dir", "rtl" if language == "ar" else "ltr")
            fits(page)
            axe_check(page)
        log_in(page, live_server, manager)
        for path in team:
            page.goto(f"{live_server.url}{path}")
            expect(page.locator("html")).to_have_attribute("lang", language)
            fits(page)
            axe_check(page)
        page.context.clear_cookies()
    assert Concern.objects.count() == 0
