"""Reads of events: the calendar's dates, an event's page, the feeds' events."""

import calendar as month_calendar
from datetime import datetime, time, timedelta

from django.db.models import Prefetch, Q
from django.utils import timezone

from kiezwerk.network.models import Organisation

from .models import Event, Occurrence
from .series import BERLIN

TEAM = "team"


def public_events(*, district, topic="", organiser="", language="", free=False, step_free=False):
    """The district's public events, filtered as the calendar and the feeds filter them. Topics and languages
    are JSON lists of plain strings: containment of the quoted value works on SQLite and PostgreSQL alike
    (as the network's directory filters)."""
    events = Event.objects.public().filter(district=district)
    if topic:
        events = events.filter(topics__icontains=f'"{topic}"')
    if organiser == TEAM:
        events = events.filter(organiser=None)
    elif organiser:
        events = events.filter(organiser_id=organiser)
    if language:
        events = events.filter(languages__icontains=f'"{language}"')
    if free:
        events = events.filter(Q(price=None) | Q(price=0))
    if step_free:
        events = events.filter(step_free=True)
    return events


def public_dates(*, district, start, end=None, **filters):
    """The calendar's dates from `start` (until `end`, both aware) of the public events `filters` choose;
    cancelled ones too (shown as such), with their events, by time."""
    dates = Occurrence.objects.filter(event__in=public_events(district=district, **filters), ends_at__gt=start)
    if end is not None:
        dates = dates.filter(starts_at__lt=end)
    return dates.select_related("event__organiser", "event__venue", "event__district").order_by("starts_at", "pk")


def feed_events(*, district, since, **filters):
    """The public events of a feed: those with a date ending after `since`, with all their dates."""
    events = public_events(district=district, **filters).filter(occurrences__ends_at__gt=since)
    return (
        events.distinct()
        .select_related("organiser", "venue", "district")
        .prefetch_related(Prefetch("occurrences", queryset=Occurrence.objects.order_by("original_start")))
        .order_by("starts_at", "pk")
    )


def organisers(*, district):
    """The organisations with public events in the district, for the calendar's filter."""
    with_events = Event.objects.public().filter(district=district).values("organiser_id")
    return Organisation.objects.filter(pk__in=with_events).order_by("name")


def local_midnight(day):
    return datetime.combine(day, time.min, tzinfo=BERLIN)


def month_weeks(year, month, dates):
    """The weeks of a month (Monday first) as lists of (day, [dates starting that day]); days of the
    neighbouring months are None, so a grid shows only the month."""
    by_day = {}
    for occurrence in dates:
        by_day.setdefault(timezone.localtime(occurrence.starts_at, BERLIN).date(), []).append(occurrence)
    return [
        [(day, by_day.get(day, [])) if day.month == month else (None, []) for day in week]
        for week in month_calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    ]


def week_span(today):
    monday = today - timedelta(days=today.weekday())
    return local_midnight(monday), local_midnight(monday + timedelta(days=7))
