"""Series: a rule expanded to dates at the same local time across the switches to and from summer time,
bounded, kept in step with changes, single dates cancelled or moved."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from kiezwerk.events import series
from kiezwerk.events.models import Event, Occurrence
from kiezwerk.events.services import events as services
from kiezwerk.events.services import registrations

from ..factories import UserFactory
from .conftest import at, event_made, mails_to


def test_a_weekly_series_keeps_its_local_time_across_both_switches_of_2026_and_2027(district, manager):
    # The café on Tuesdays at 15:00 from October 2026 to November 2027: summer time ends on 25 Oct 2026
    # and 31 Oct 2027, begins on 28 Mar 2027.
    rule = series.rule_build(frequency="WEEKLY", weekday="TU", until=date(2027, 11, 30))
    event = event_made(district, manager, starts_at=at(2026, 10, 20), rrule=rule)
    dates = list(event.occurrences.order_by("starts_at"))
    assert len(dates) == 59
    local = [d.starts_at.astimezone(series.BERLIN) for d in dates]
    assert {(t.hour, t.minute) for t in local} == {(15, 0)}
    assert {t.weekday() for t in local} == {1}
    offsets = {t.date(): t.utcoffset() for t in local}
    assert offsets[date(2026, 10, 20)] == timedelta(hours=2)
    assert offsets[date(2026, 10, 27)] == timedelta(hours=1)
    assert offsets[date(2027, 3, 23)] == timedelta(hours=1)
    assert offsets[date(2027, 3, 30)] == timedelta(hours=2)
    assert offsets[date(2027, 11, 2)] == timedelta(hours=1)
    assert all(d.ends_at - d.starts_at == timedelta(hours=2) for d in dates)


def test_every_second_tuesday_and_the_first_saturday_of_the_month(district, manager):
    fortnight = series.rule_build(frequency="WEEKLY", interval=2, weekday="TU", count=6)
    event = event_made(district, manager, starts_at=at(2026, 12, 1), rrule=fortnight)
    days = [d.starts_at.astimezone(series.BERLIN).date() for d in event.occurrences.order_by("starts_at")]
    assert days == [date(2026, 12, 1) + timedelta(weeks=2 * n) for n in range(6)]
    monthly = series.rule_build(frequency="MONTHLY", weekday="SA", setpos=1, count=4)
    # Started on a day the rule does not give: the series begins on its first date (RFC 5545: DTSTART is one).
    garden = event_made(district, manager, starts_at=at(2026, 12, 2, 10), rrule=monthly)
    days = [d.starts_at.astimezone(series.BERLIN).date() for d in garden.occurrences.order_by("starts_at")]
    assert days == [date(2026, 12, 5), date(2027, 1, 2), date(2027, 2, 6), date(2027, 3, 6)]
    assert garden.starts_at == garden.occurrences.order_by("starts_at").first().starts_at


@pytest.mark.parametrize(
    ("rule", "words"),
    [
        ("FREQ=WEEKLY;BYDAY=TU", "braucht ein Ende"),
        ("FREQ=DAILY;COUNT=5000", "höchstens 400 Termine"),
        ("FREQ=WEEKLY;UNTIL=20400101T000000Z", "höchstens 400 Termine"),
        ("FREQ=SOMETIMES;COUNT=3", "kann nicht gelesen werden"),
    ],
)
def test_a_rule_without_an_end_or_too_long_is_refused_and_nothing_is_stored(district, manager, rule, words):
    with pytest.raises(ValidationError) as error:
        event_made(district, manager, starts_at=at(2026, 12, 1), rrule=rule)
    assert words in " ".join(error.value.messages)
    assert not Event.objects.exists() and not Occurrence.objects.exists()


def test_a_title_too_long_is_refused(district, manager):
    with pytest.raises(ValidationError) as error:
        event_made(district, manager, title="x" * 121)
    assert "höchstens 120 Zeichen" in " ".join(error.value.messages)
    assert not Event.objects.exists()


def test_end_before_start_is_refused(district, manager):
    with pytest.raises(ValidationError) as error:
        event_made(district, manager, hours=-1)
    assert "nach ihrem Beginn enden" in " ".join(error.value.messages)
    assert not Event.objects.exists()


def test_changing_the_rule_keeps_dates_with_registrations_and_refuses_to_drop_them(district, manager):
    rule = series.rule_build(frequency="WEEKLY", weekday="TU", count=6)
    event = event_made(district, manager, starts_at=at(2030, 1, 1), rrule=rule)
    third = event.occurrences.order_by("starts_at")[2]
    registrations.register(occurrence=third, user=UserFactory())
    # Shorter, dropping the third date: refused, naming it; nothing changes.
    with pytest.raises(ValidationError) as error:
        services.event_change(
            event=event, actor=manager, rrule=series.rule_build(frequency="WEEKLY", weekday="TU", count=2)
        )
    assert "15.01.2030" in " ".join(error.value.messages)
    assert event.occurrences.count() == 6
    event.refresh_from_db()
    assert event.rrule == rule
    # Longer: the six dates (and the registration) stay, four are added.
    before = event.sequence
    longer = series.rule_build(frequency="WEEKLY", weekday="TU", count=10)
    services.event_change(event=event, actor=manager, rrule=longer)
    event.refresh_from_db()
    assert event.occurrences.count() == 10 and third.registrations.count() == 1
    assert event.sequence == before + 1


def test_a_single_date_cancelled_or_moved_tells_its_people(district, manager):
    rule = series.rule_build(frequency="WEEKLY", weekday="TU", count=4)
    event = event_made(district, manager, starts_at=at(2030, 1, 1), rrule=rule)
    first, second = event.occurrences.order_by("starts_at")[:2]
    person = UserFactory()
    registrations.register(occurrence=first, user=person)
    with pytest.raises(ValidationError):
        services.occurrence_cancel(occurrence=first, actor=manager, reason="  ")
    services.occurrence_cancel(occurrence=first, actor=manager, reason="Der Raum ist belegt.")
    first.refresh_from_db()
    assert first.cancelled and first.taken == 0
    assert first.registrations.get().status == "cancelled"
    moved = services.occurrence_move(
        occurrence=second, actor=manager, starts_at=at(2030, 1, 9, 16), ends_at=at(2030, 1, 9, 18)
    )
    assert moved.is_moved and moved.original_start == at(2030, 1, 8)
    with pytest.raises(ValidationError):
        services.occurrence_move(
            occurrence=second, actor=manager, starts_at=at(2030, 1, 9, 18), ends_at=at(2030, 1, 9, 16)
        )
    event.refresh_from_db()
    assert event.sequence == 2
    subjects = [mail.subject for mail in mails_to(person.email)]
    assert any("Abgesagt" in s for s in subjects)
