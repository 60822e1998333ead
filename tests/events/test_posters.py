"""The week sheet: a real PDF (WeasyPrint) read back with pypdfium2, its QR codes decoded with zxing-cpp."""

import unicodedata
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import pgettext

from kiezwerk.accounts.services import membership_add
from kiezwerk.events import posters
from kiezwerk.events.posters import SHEET_DATES
from kiezwerk.events.services import events as services
from kiezwerk.events.services import registrations
from kiezwerk.network.models import Organisation

from ..factories import UserFactory
from ..pdfs import embedded_fonts, read_pdf
from .conftest import at, event_made


def sheet(client, district, **query):
    return client.get(reverse("events:week-sheet", args=[district.slug]), query)


def sheet_text(response):
    """(pages, the first page's text with its lines joined, QR codes): the PDF breaks long lines anywhere."""
    pages, text, codes = read_pdf(response.content)
    return pages, " ".join(text.split()), codes


def words(code, text, context="poster"):
    with translation.override(code):
        return pgettext(context, text) if context else translation.gettext(text)


def without_marks(text):
    return "".join(char for char in text if unicodedata.category(char) != "Mn")


def link(event):
    return f"http://testserver{event.get_absolute_url()}"


@pytest.fixture
def week(district, manager, organisation):
    """Week 14 of 2031 (Monday 31 March): a café at a venue, an Arabic evening, a festival all day, a series'
    cancelled date, a moved date, a partner's submission not yet approved, and the week after."""
    venue = Organisation.objects.create(
        name="Bürgerhaus Pfersee",
        kind="association",
        visibility="public",
        address="Stadtberger Straße 17",
        lat=district.centre[0],
        lon=district.centre[1],
    )
    venue.districts.add(district)
    cafe = event_made(
        district, manager, title="Sprachcafé", starts_at=at(2031, 3, 31), venue=venue, room="Saal 2", price="3.50"
    )
    registrations.register(occurrence=cafe.occurrences.get(), name="Zeynep Kaya", email="zeynep@example.org")
    evening = event_made(
        district, manager, title="أمسية شعرية", language="ar", starts_at=at(2031, 4, 2, 19), step_free=True
    )
    fest = event_made(district, manager, title="Stadtteilfest", starts_at=at(2031, 4, 5, 0), hours=24, all_day=True)
    sewing = event_made(
        district, manager, title="Nähcafé", starts_at=at(2031, 3, 25, 10), rrule="FREQ=WEEKLY;COUNT=3", capacity=None
    )
    services.occurrence_cancel(
        occurrence=sewing.occurrences.get(starts_at=at(2031, 4, 1, 10)), actor=manager, reason="Krank"
    )
    walk = event_made(district, manager, title="Kiezspaziergang", starts_at=at(2031, 4, 3, 15))
    services.occurrence_move(
        occurrence=walk.occurrences.get(), actor=manager, starts_at=at(2031, 4, 4, 18), ends_at=at(2031, 4, 4, 20)
    )
    member = UserFactory()
    membership_add(user=member, target=organisation)
    pending = event_made(district, member, organiser=organisation, title="Lesung im Hof", starts_at=at(2031, 4, 1))
    later = event_made(district, manager, title="Flohmarkt", starts_at=at(2031, 4, 7, 9))
    return {"shown": [cafe, sewing, evening, walk, fest], "hidden": [pending, later]}


def test_the_week_with_a_qr_code_per_event(client, district, week):
    response = sheet(client, district, week="2031-W14")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="wochenplan-testviertel-2031-14.pdf"'
    pages, text, codes = sheet_text(response)
    assert pages == 1
    assert sorted(codes) == sorted(link(event) for event in week["shown"])
    for event in week["shown"]:
        assert event.title in text, event.title
    for event in week["hidden"]:
        assert event.title not in text, event.title
    # Grouped by day in order, dates and prices as a German reads them.
    assert "Testviertel · 31. März – 6. April 2031 Veranstaltungen dieser Woche" in text
    for shown in (
        "Montag, 31. März 15:00–17:00 · 3,50 € Sprachcafé Bürgerhaus Pfersee, Stadtberger Straße 17 (Saal 2)",
        "Dienstag, 1. April 10:00–12:00 abgesagt Nähcafé",
        "Mittwoch, 2. April 19:00–21:00 · Kostenlos · Stufenloser Zugang أمسية شعرية",
        # The moved date at its new time, under its new day; nothing on Thursday or Sunday.
        "Freitag, 4. April 18:00–20:00 · verschoben · Kostenlos Kiezspaziergang",
        "Samstag, 5. April ganztägig · Kostenlos Stadtteilfest",
    ):
        assert shown in text, shown
    assert "Donnerstag" not in text and "Sonntag" not in text
    # Nobody registered, no count of places, no reason for a cancellation.
    for secret in ("Zeynep", "Kaya", "zeynep@example.org", "Krank", "Plätze"):
        assert secret not in text, secret


def test_labels_in_german_and_arabic_with_arabic_fonts(client, district, week):
    response = sheet(client, district, week="2031-W14", languages="ar")
    pages, text, codes = sheet_text(response)
    assert pages == 1 and sorted(codes) == sorted(link(event) for event in week["shown"])
    assert "Noto-Sans-Arabic" in embedded_fonts(response.content)
    # pdfium gives Arabic back with its vowel marks moved (and lam-alef or a final alef after tanwin out of
    # order): compared without the marks, on the words it keeps in order.
    text = without_marks(text)
    assert "Veranstaltungen dieser Woche" in text and "أمسية شعرية" in text
    arabic = [words("ar", "Scan the QR code beside an event for all details.")]
    arabic += [words("ar", key, None) for key in ("all day", "Step-free access", "cancelled", "moved")]
    for shown in arabic:
        assert without_marks(shown) in text, shown
    assert words("tr", "Free of charge", None) not in text


def test_a_cancelled_event_stays_on_the_sheet_as_cancelled(client, district, manager):
    event = event_made(district, manager, title="Hoffest", starts_at=at(2031, 4, 2))
    services.event_cancel(event=event, actor=manager, reason="Regen")
    pages, text, codes = sheet_text(sheet(client, district, week="2031-w14"))
    assert pages == 1 and codes == [link(event)]
    assert "Hoffest" in text and "abgesagt" in text and "Regen" not in text
    assert words("ar", "cancelled", None) not in text  # German only: nothing else was asked for


def test_dates_over_midnight_and_over_several_days(client, district, manager):
    night = event_made(district, manager, title="Sternwanderung", starts_at=at(2031, 3, 30, 22), hours=4)
    fest = event_made(district, manager, title="Kiezfest", starts_at=at(2031, 4, 4, 0), hours=72, all_day=True)
    _pages, text, codes = sheet_text(sheet(client, district, week="2031-W14"))
    assert sorted(codes) == sorted([link(night), link(fest)])
    # Begun on the Sunday before: listed on Monday with its start day written out.
    assert "Montag, 31. März 30.3. 22:00–31.3. 02:00 · Kostenlos Sternwanderung" in text
    assert "Freitag, 4. April ganztägig 4.4.–6.4. · Kostenlos Kiezfest" in text


def test_more_dates_than_fit_point_to_the_district_page(client, district, manager):
    """The longest texts on the most dates and days in three languages: still one page, the rest on the district's."""
    venue = Organisation.objects.create(
        name="Interkulturelles Begegnungszentrum der Arbeiterwohlfahrt und der Evangelischen Kirchengemeinde",
        kind="association",
        visibility="public",
        address="Bürgermeister-Ackermann-Straße 117a, Hinterhaus, 86154 Augsburg-Oberhausen",
        lat=district.centre[0],
        lon=district.centre[1],
    )
    venue.districts.add(district)
    events = [
        event_made(
            district,
            manager,
            # 120 characters, the most a title may have.
            title=(f"Veranstaltung {n:02d} " + "mit einem sehr langen Titel, der auf dem Blatt umbrechen muss " * 2)[
                :120
            ],
            venue=venue,
            room="Großer Saal im Erdgeschoss, Eingang über den Hof neben der Bäckerei",
            # One on each day, the rest on Sunday: every day has its heading.
            starts_at=at(2031, 3, 31, 9) + timedelta(days=min(n, 6), hours=max(n - 6, 0)),
            step_free=True,
        )
        for n in range(SHEET_DATES + 2)
    ]
    services.occurrence_cancel(occurrence=events[1].occurrences.get(), actor=manager, reason="Krank")
    pages, text, codes = sheet_text(sheet(client, district, week="2031-W14", languages=["pl", "ru"]))
    assert pages == 1
    district_page = "http://testserver" + reverse("concerns:district-map", args=[district.slug])
    assert sorted(codes) == sorted([link(event) for event in events[:SHEET_DATES]] + [district_page])
    assert [f"Veranstaltung {n:02d}" in text for n in range(SHEET_DATES + 2)] == [True] * SHEET_DATES + [False] * 2
    for code in ("de", "pl", "ru"):
        assert words(code, "More events this week on the district's page:") in text, code


def test_this_week_by_default_and_an_empty_week(client, district, manager):
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    event = event_made(district, manager, title="Frühstück", starts_at=at(monday.year, monday.month, monday.day, 9))
    response = sheet(client, district)
    year, number, _day = monday.isocalendar()
    assert response["Content-Disposition"] == f'attachment; filename="wochenplan-testviertel-{year}-{number:02d}.pdf"'
    _pages, text, codes = sheet_text(response)
    assert "Frühstück" in text and codes == [link(event)]
    _pages, text, codes = sheet_text(sheet(client, district, week="2030-W01"))
    assert words("de", "No events this week.") in text and codes == []


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"week": "2031-W54"}, "Bitte geben Sie eine Kalenderwoche wie 2025-W14 an."),
        ({"week": "2031-W00"}, "Bitte geben Sie eine Kalenderwoche wie 2025-W14 an."),
        ({"week": "2031-14"}, "Bitte geben Sie eine Kalenderwoche wie 2025-W14 an."),
        ({"week": "31.03.2031"}, "Bitte geben Sie eine Kalenderwoche wie 2025-W14 an."),
        ({"languages": ["xx"]}, "xx ist keine gültige Auswahl."),
        ({"languages": ["tr", "ar", "pl"]}, "Bitte wählen Sie höchstens zwei weitere Sprachen."),
    ],
)
def test_a_bad_query_answers_400_in_german_and_renders_nothing(client, district, monkeypatch, query, message):
    def refuse(*args, **kwargs):
        raise AssertionError("nothing may be rendered")

    monkeypatch.setattr(posters.posters, "pdf", refuse)
    response = sheet(client, district, **query)
    assert response.status_code == 400 and response["Content-Type"] == "text/plain; charset=utf-8"
    assert message in response.content.decode()


def test_an_unknown_district_is_not_found(client, db):
    assert client.get(reverse("events:week-sheet", args=["nirgendwo"])).status_code == 404
