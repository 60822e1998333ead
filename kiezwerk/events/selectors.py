"""Reads of events: the calendar's dates, an event's page, the feeds' events."""

import calendar as month_calendar
from datetime import datetime, time, timedelta

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, Subquery
from django.utils import timezone
from django.utils.formats import date_format, time_format

from kiezwerk.network.models import Organisation

from .models import Event, Occurrence, Review
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


# What a day of the month grid shows of a date: its time, title and link, and whether it is cancelled.
MONTH_FIELDS = ("starts_at", "cancelled", "event__title", "event__all_day", "event__cancelled", "event__district")


def month_dates(*, district, start, end, **filters):
    """The month grid's dates: `public_dates` with only the fields a day shows, and the district set on each
    event (its link), so a month of many hundred dates reads and builds no more than it needs."""
    dates = list(
        public_dates(district=district, start=start, end=end, **filters)
        .select_related(None)
        .select_related("event")
        .only(*MONTH_FIELDS)
    )
    for occurrence in dates:
        occurrence.event.district = district
    return dates


def feed_events(*, district, since, **filters):
    """The public events of a feed: those with a date ending after `since`, each with its cancelled and moved
    dates (`exceptions`); a series' other dates are those its rule gives, which the feed writes instead."""
    dates = Occurrence.objects.filter(event=OuterRef("pk"), ends_at__gt=since)
    exceptions = Occurrence.objects.filter(Q(cancelled=True) | ~Q(starts_at=F("original_start")))
    return (
        public_events(district=district, **filters)
        .filter(Exists(dates))
        .select_related("organiser", "venue", "district")
        .prefetch_related(Prefetch("occurrences", queryset=exceptions.order_by("original_start"), to_attr="exceptions"))
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
    neighbouring months are None, so a grid shows only the month. Each date is what its day shows, as a dict
    (`url`, `time`, `title`, `cancelled`): a month may hold many hundred, and a template reads dicts fastest."""
    by_day, links = {}, {}
    for occurrence in dates:
        event = occurrence.event
        if event.pk not in links:
            links[event.pk] = event.get_absolute_url()
        starts = timezone.localtime(occurrence.starts_at)
        by_day.setdefault(timezone.localtime(occurrence.starts_at, BERLIN).date(), []).append(
            {
                "url": f"{links[event.pk]}#date-{occurrence.pk}",
                "time": "" if event.all_day else time_format(starts, "TIME_FORMAT"),
                "title": event.title,
                "cancelled": occurrence.cancelled or event.cancelled,
            }
        )
    return [
        [(day, by_day.get(day, [])) if day.month == month else (None, []) for day in week]
        for week in month_calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    ]


def week_span(today):
    monday = today - timedelta(days=today.weekday())
    return local_midnight(monday), local_midnight(monday + timedelta(days=7))


def to_review(*, district):
    """Submissions waiting for approval and partners' changes to approved events, oldest first."""
    return list(
        Event.objects.filter(district=district)
        .filter(Q(review=Review.PENDING) | Q(review=Review.APPROVED, proposal__isnull=False))
        .select_related("organiser", "submitted_by")
        .order_by("updated_at", "pk")
    )


def team_events(*, district):
    """The district's events for the team: those with dates to come first (by their next date), then the past."""
    now = timezone.now()
    upcoming = Occurrence.objects.filter(event=OuterRef("pk"), ends_at__gt=now).order_by("starts_at")
    return (
        Event.objects.filter(district=district)
        .annotate(next_start=Subquery(upcoming.values("starts_at")[:1]), dates=Count("occurrences"))
        .select_related("organiser")
        .order_by(F("next_start").asc(nulls_last=True), "-starts_at", "pk")
    )


def team_dates(*, event):
    """An event's dates for the team, with their numbers of people registered, waiting and offered."""
    counts = {
        f"n_{status}": Count("registrations", filter=Q(registrations__status=status))
        for status in ("registered", "waiting", "offered", "unconfirmed")
    }
    return list(event.occurrences.annotate(**counts).order_by("starts_at", "pk"))


def partner_events(*, organisations):
    """The events of the partner's organisations, newest first, with their review state."""
    return (
        Event.objects.filter(organiser__in=organisations)
        .select_related("district", "organiser")
        .order_by("-created_at", "-pk")
    )


MAP_DAYS = 14  # the map shows what is on in the next two weeks
MAP_LIMIT = 300


def map_features(*, district, bbox=None):
    """The map layer's features: each public event with a place and a date in the next MAP_DAYS days, at its
    next date ("Di, 1. Dez., 15:00"), within `bbox` (west, south, east, north) when given. No personal data."""
    now = timezone.now()
    dates = public_dates(district=district, start=now, end=now + timedelta(days=MAP_DAYS)).filter(
        cancelled=False, event__cancelled=False, event__lat__isnull=False
    )
    if bbox is not None:
        west, south, east, north = bbox
        dates = dates.filter(event__lon__gte=west, event__lon__lte=east, event__lat__gte=south, event__lat__lte=north)
    features, seen = [], set()
    for occurrence in dates[: MAP_LIMIT * 4]:
        event = occurrence.event
        if event.pk in seen:
            continue
        seen.add(event.pk)
        when = timezone.localtime(occurrence.starts_at)
        features.append(
            {
                "type": "Feature",
                "id": event.pk,
                "geometry": {"type": "Point", "coordinates": [round(event.lon, 6), round(event.lat, 6)]},
                "properties": {
                    "title": event.title,
                    "url": event.get_absolute_url(),
                    "status_label": date_format(when, "D, j. M, H:i")
                    if not event.all_day
                    else date_format(when, "D, j. M"),
                },
            }
        )
        if len(features) == MAP_LIMIT:
            break
    return {"type": "FeatureCollection", "features": features}


def district_section(district):
    """For the district's public page ("Was ist los"): the next public dates, at most six."""
    dates = list(
        public_dates(district=district, start=timezone.now()).filter(cancelled=False, event__cancelled=False)[:6]
    )
    return {"dates": dates, "district": district} if dates else None
