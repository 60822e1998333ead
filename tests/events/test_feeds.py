"""Feeds: parsed back with icalendar and expanded with recurring-ical-events, they give the calendar's dates;
VTIMEZONE, UID, SEQUENCE, EXDATE, RECURRENCE-ID and STATUS:CANCELLED reach subscribed calendars; nothing
unapproved and nothing personal is in them."""

from datetime import date, timedelta

import icalendar
import recurring_ical_events
from django.urls import reverse
from django.utils import timezone

from kiezwerk.events import series
from kiezwerk.events.selectors import public_dates
from kiezwerk.events.services import events as services
from kiezwerk.events.services import registrations

from .conftest import at, event_made


def feed(client, district):
    response = client.get(reverse("events:feed", args=[district.slug]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(response.content), response.content.decode()


def test_the_feed_gives_the_calendars_dates_for_the_next_twelve_months(client, district, manager, organisation):
    start = timezone.localtime().replace(hour=15, minute=0, second=0, microsecond=0) + timedelta(days=1)
    rule = series.rule_build(frequency="WEEKLY", interval=1, weekday=series.WEEKDAYS[start.weekday()], count=70)
    cafe = event_made(district, manager, starts_at=start, rrule=rule)
    dates = list(cafe.occurrences.order_by("starts_at"))
    services.occurrence_cancel(occurrence=dates[3], actor=manager, reason="Ferien")
    services.occurrence_move(
        occurrence=dates[5],
        actor=manager,
        starts_at=dates[5].starts_at + timedelta(days=1, hours=2),
        ends_at=dates[5].ends_at + timedelta(days=1, hours=2),
    )
    garden = event_made(
        district,
        manager,
        title="Gartentag",
        starts_at=at(2027, 1, 2, 10),
        rrule=series.rule_build(frequency="MONTHLY", weekday="SA", setpos=1, until=date(2027, 12, 31)),
    )
    party = event_made(district, manager, title="Straßenfest", starts_at=start + timedelta(days=40), hours=6)
    services.event_cancel(event=party, actor=manager, reason="Unwetterwarnung")
    event_made(district, manager, title="Noch nicht freigegeben", organiser=organisation)

    calendar, text = feed(client, district)
    now = timezone.now()
    end = now + timedelta(days=365)
    from_feed = sorted(
        (component.decoded("dtstart"), str(component["summary"]))
        for component in recurring_ical_events.of(calendar).between(now, end)
        if str(component.get("status")) != "CANCELLED"
    )
    on_page = sorted(
        (o.starts_at, o.event.title)
        for o in public_dates(district=district, start=now, end=end)
        if not o.cancelled and not o.event.cancelled
    )
    assert from_feed == on_page
    assert len(on_page) > 55  # about 52 cafés (one cancelled) and 12 garden days
    assert "Noch nicht freigegeben" not in text
    # What a subscribed calendar needs.
    assert "BEGIN:VTIMEZONE" in text and "TZID:Europe/Berlin" in text
    masters = {str(c["summary"]): c for c in calendar.walk("VEVENT") if "RECURRENCE-ID" not in c}
    assert "RRULE" in masters["Nachbarschaftscafé"] and "EXDATE" in masters["Nachbarschaftscafé"]
    assert str(masters["Straßenfest"]["status"]) == "CANCELLED"
    overrides = [c for c in calendar.walk("VEVENT") if "RECURRENCE-ID" in c]
    assert len(overrides) == 1 and overrides[0].decoded("recurrence-id") == dates[5].original_start
    cafe.refresh_from_db()
    assert int(masters["Nachbarschaftscafé"]["sequence"]) == cafe.sequence == 2
    assert str(masters["Gartentag"]["uid"]).startswith(f"{garden.uid}@")  # stable: the event's own UUID


def test_a_change_raises_the_sequence_and_keeps_the_uid(client, district, manager, event):
    calendar, _text = feed(client, district)
    before = calendar.walk("VEVENT")[0]
    services.event_change(event=event, actor=manager, room="Saal im Erdgeschoss")
    calendar, _text = feed(client, district)
    after = calendar.walk("VEVENT")[0]
    assert str(after["uid"]) == str(before["uid"])
    assert int(after["sequence"]) == int(before["sequence"]) + 1
    assert "Saal im Erdgeschoss" in str(after["location"])


def test_the_district_feed_is_built_once_per_data_version(client, district, manager, event, django_assert_num_queries):
    url = reverse("events:feed", args=[district.slug])
    first = client.get(url).content
    with django_assert_num_queries(2):  # the district and the organisers of the form; no event is read again
        assert client.get(url).content == first
    services.event_change(event=event, actor=manager, title="Kiezcafé")  # a public change: a new data version
    assert "SUMMARY:Kiezcafé" in client.get(url).content.decode()
    # Each language and selection is a feed of its own.
    assert "Kiezcafé" not in client.get(url, {"topic": "sport"}).content.decode()


def test_no_personal_data_in_the_feed_or_the_event_file(client, district, manager, event):
    registrations.register(occurrence=event.occurrences.get(), name="Zeynep Kaya", email="zeynep@example.org")
    _calendar, text = feed(client, district)
    single = client.get(reverse("events:ics", args=[district.slug, event.pk])).content.decode()
    page = client.get(event.get_absolute_url()).content.decode()
    for body in (text, single, page):
        assert "Zeynep" not in body and "zeynep@example.org" not in body


def test_an_organisers_and_a_topics_feed(client, district, manager, organisation):
    ours = event_made(district, manager, title="Sprachcafé", topics=["language"])
    theirs = event_made(district, manager, title="Lesung", organiser=organisation, topics=["culture"])
    services.event_review(event=theirs, actor=manager, approve=True)
    url = reverse("events:feed", args=[district.slug])
    by_them = client.get(url, {"organiser": organisation.pk}).content.decode()
    assert "Lesung" in by_them and "Sprachcafé" not in by_them and "Kulturverein" in by_them
    by_team = client.get(url, {"organiser": "team"}).content.decode()
    assert "Sprachcafé" in by_team and "Lesung" not in by_team
    language = client.get(url, {"topic": "language"}).content.decode()
    assert "Sprachcafé" in language and "Lesung" not in language
    assert client.get(url, {"topic": "nonsense"}).status_code == 400
    page = client.get(ours.get_absolute_url()).content.decode()
    assert f'href="webcal://testserver{url}?organiser=team"' in page


def test_a_single_events_moved_or_cancelled_date_reaches_the_feed(client, district, manager):
    event = event_made(district, manager, title="Lesung", starts_at=at(2030, 5, 7, 19))
    services.occurrence_move(
        occurrence=event.occurrences.get(), actor=manager, starts_at=at(2030, 5, 8, 18), ends_at=at(2030, 5, 8, 20)
    )
    calendar, _text = feed(client, district)
    [component] = calendar.walk("VEVENT")
    assert component.decoded("dtstart") == at(2030, 5, 8, 18) and "RECURRENCE-ID" not in component
    services.occurrence_cancel(occurrence=event.occurrences.get(), actor=manager, reason="Krank")
    calendar, _text = feed(client, district)
    assert str(calendar.walk("VEVENT")[0]["status"]) == "CANCELLED"
