"""iCalendar feeds (RFC 5545) of the district's public events, built with `icalendar`.

One VEVENT per event: DTSTART/DTEND in Europe/Berlin (its VTIMEZONE added by the library), the series'
RRULE, an EXDATE per cancelled date and an override VEVENT with RECURRENCE-ID per moved date; a cancelled
event carries STATUS:CANCELLED. UID and SEQUENCE let subscribed calendars replace what they hold.
No personal data: titles, times, places and the organiser's public name only.
"""

from datetime import timedelta

import icalendar
from django.conf import settings
from django.utils import timezone

from .series import BERLIN

PRODID = "-//Kiezwerk//Veranstaltungen//DE"


def uid(event):
    host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "kiezwerk"
    return f"{event.uid}@{host}"


def _when(value, all_day):
    local = value.astimezone(BERLIN)
    return local.date() if all_day else local


def _component(event, occurrence=None, *, override=False):
    """The VEVENT of an event: its first date (and rule), or `occurrence`'s time; with `override` that of one
    moved date of a series (RECURRENCE-ID)."""
    component = icalendar.Event()
    component.add("uid", uid(event))
    component.add("dtstamp", event.updated_at)
    component.add("sequence", event.sequence)
    start, end = (occurrence.starts_at, occurrence.ends_at) if occurrence else (event.starts_at, event.ends_at)
    component.add("dtstart", _when(start, event.all_day))
    component.add("dtend", _when(end, event.all_day))
    if override:
        component.add("recurrence-id", _when(occurrence.original_start, event.all_day))
    component.add("summary", event.title)
    if event.description:
        component.add("description", event.description)
    place = ", ".join(
        part for part in (event.venue.public_name if event.venue else "", event.address, event.room) if part
    )
    if place:
        component.add("location", place)
    if event.lat is not None:
        component.add("geo", (event.lat, event.lon))
    url = settings.SITE_URL + event.get_absolute_url()
    component.add("url", url)
    if event.organiser is not None:
        component.add("organizer", url, parameters={"CN": event.organiser.public_name})
    cancelled = event.cancelled or (occurrence is not None and occurrence.cancelled)
    component.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    return component


def calendar(events, *, name=""):
    """The calendar of `events` (from `selectors.feed_events`: with their cancelled and moved dates), as bytes."""
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if name:
        cal.add("x-wr-calname", name)
        cal.add("name", name)
    cal.add("refresh-interval", timedelta(hours=6), parameters={"VALUE": "DURATION"})
    for event in events:
        # A single event's one date, moved or cancelled on its own page, is the event as calendars see it.
        single = None if event.rrule else next(iter(event.exceptions), None)
        master = _component(event, single)
        if event.rrule:
            master.add("rrule", icalendar.vRecur.from_ical(event.rrule))
            cancelled = [_when(o.original_start, event.all_day) for o in event.exceptions if o.cancelled]
            if cancelled:
                master.add("exdate", cancelled)
        cal.add_component(master)
        for occurrence in event.exceptions:
            if event.rrule and occurrence.is_moved and not occurrence.cancelled:
                cal.add_component(_component(event, occurrence, override=True))
    cal.add_missing_timezones()
    return cal.to_ical()


def since():
    """Feeds hold what ends after this: subscribed calendars keep the recent past."""
    return timezone.now() - timedelta(days=90)
