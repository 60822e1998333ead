"""Reads of events: the calendar's dates, an event's page, the feeds' events."""

from django.db.models import Prefetch

from .models import Event, Occurrence


def public_dates(*, district, start, end):
    """The public dates of the district between `start` and `end` (cancelled ones too: they show as such),
    with their events, ordered by time."""
    return (
        Occurrence.objects.filter(event__in=Event.objects.public().filter(district=district))
        .filter(starts_at__lt=end, ends_at__gt=start)
        .select_related("event__organiser", "event__venue", "event__district")
        .order_by("starts_at", "pk")
    )


def feed_events(*, district, since, organiser=None, topic=None):
    """The public events of a feed: those with a date ending after `since`, with all their dates."""
    events = Event.objects.public().filter(district=district, occurrences__ends_at__gt=since)
    if organiser is not None:
        events = events.filter(organiser=organiser)
    if topic:
        # Topics are a JSON list of plain strings: containment of the quoted value works on SQLite and
        # PostgreSQL alike (as the network's directory filters).
        events = events.filter(topics__icontains=f'"{topic}"')
    return (
        events.distinct()
        .select_related("organiser", "venue", "district")
        .prefetch_related(Prefetch("occurrences", queryset=Occurrence.objects.order_by("original_start")))
        .order_by("starts_at", "pk")
    )
