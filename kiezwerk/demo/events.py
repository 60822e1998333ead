"""The demo's calendar (data/oberhausen_events.json): a year of Oberhausen events, made through the events
services, so the demo keeps the rules real events keep.

- A weekly neighbourhood café of the Stadtteilmütter, one upcoming date cancelled and one moved a day.
- A monthly garden day, from the opening of the community garden project (linked to it) on.
- The street party of the party project with registration for the long table: full, people waiting, and
  one freed place offered to the first of them (the offer still open).
- More partners' dates so the calendar looks alive: a language café every second Tuesday, a social advice
  hour on the first Saturday, a repair café, exercise for older people, a flea market, a reading, an evening
  of the Turkish-German association (past), the team's district forum.
- Two partners' submissions waiting for approval: one by the demo partner login (a member of the waste
  office), one by the manager on the youth centre's behalf.

Dates are relative to the day the demo is loaded: series start some weeks back and run most of a year
ahead. The services refuse to register anyone for a date that has begun, so past dates have no
registrations; they have what the organiser recorded afterwards (`report_record`). The services date what
they write "now"; the demo then moves those timestamps to the story's days (historical demo data, as the
rest of the demo backdates). Each event is made once (by its title), so a second run adds nothing. The demo
mails nobody: the registrations' mails are dropped before the commit.
"""

import json
import random
from datetime import datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from kiezwerk.accounts.models import RoleKind
from kiezwerk.core.models import OutboxMail
from kiezwerk.demo.network import PARTNER_LOGIN
from kiezwerk.demo.projects import email_for
from kiezwerk.events import series
from kiezwerk.events.models import Event, Occurrence, Registration, Review
from kiezwerk.events.services import events as event_services
from kiezwerk.events.services import registrations
from kiezwerk.projects.models import Project

EVENTS_DATA = Path(__file__).parent / "data" / "oberhausen_events.json"


def events_load(district, users, organisations, *, data_path=EVENTS_DATA):
    """Make the demo's events that the district does not have yet. Returns the events made."""
    spec = json.loads(Path(data_path).read_text(encoding="utf-8"))
    have = set(Event.objects.filter(district=district).values_list("title", flat=True))
    calendar = _Calendar(district, users, organisations, spec["people"])
    made = []
    with transaction.atomic():  # the demo sends no mail: its mails are dropped before the commit
        last_mail = OutboxMail.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        for event_spec in spec["events"]:
            if event_spec["title"] not in have:
                made.append(calendar.event(event_spec))
        OutboxMail.objects.filter(pk__gt=last_mail).delete()
    return made


def on_or_after(day, weekday):
    """The first `weekday` ("MO" … "SU") on or after `day`."""
    return day + timedelta(days=(series.WEEKDAYS.index(weekday) - day.weekday()) % 7)


def _christmas_break(day):
    """Between 21 December and Epiphany: no single event of the demo is planned then."""
    return (day.month, day.day) >= (12, 21) or (day.month, day.day) <= (1, 6)


def _local(day, hour_minute):
    return series.local_aware(datetime.combine(day, time.fromisoformat(hour_minute)))


class _Calendar:
    def __init__(self, district, users, organisations, people):
        self.district, self.organisations, self.people = district, organisations, people
        self.manager, self.partner = users[RoleKind.MANAGER], users[PARTNER_LOGIN]
        self.resident = users[RoleKind.RESIDENT]
        self.today = timezone.localdate()
        self.now = timezone.now()
        self.next_person = 0

    def event(self, spec):
        project = Project.objects.filter(district=self.district, title=spec.get("project") or "").first()
        starts_at, ends_at, rule = self._schedule(spec["when"], project)
        organiser = self.organisations[spec["organiser"]] if spec["organiser"] else None
        venue = self.organisations[spec["venue"]] if spec["venue"] else None
        place = None if venue else {"street": spec["street"], "house_number": str(spec["house_number"])}
        event = event_services.event_create(
            district=self.district,
            actor=self.partner if spec.get("submitted_by") == "partner" else self.manager,
            place=place,
            title=spec["title"],
            description=spec["description"],
            language="de",
            organiser=organiser,
            venue=venue,
            room=spec["room"],
            starts_at=starts_at,
            ends_at=ends_at,
            rrule=rule,
            topics=spec["topics"],
            languages=spec["languages"],
            **{feature: True for feature in spec["access"]},
            price=Decimal(spec["price"]) if spec["price"] else None,
            price_note=spec["price_note"],
            audience=spec["audience"],
            project=project,
            capacity=spec.get("capacity"),
            offer_hours=spec.get("offer_hours", 24),
            cancel_hours=spec.get("cancel_hours", 2),
        )
        if spec.get("review", Review.APPROVED) == Review.APPROVED and not event.is_public:
            # A partner's event, entered by the team on its behalf, approved by the manager.
            event = event_services.event_review(event=event, actor=self.manager, approve=True)
        # Historical demo data: announced on the story's day (a partner's approved the day after).
        announced = _local(self.today - timedelta(days=spec["announced_days_ago"]), "10:00")
        stamps = {"created_at": announced, "updated_at": announced}
        if event.reviewed_at:
            stamps["reviewed_at"] = min(announced + timedelta(days=1 if event.organiser_id else 0), self.now)
        Event.objects.filter(pk=event.pk).update(**stamps)
        if "report" in spec:
            self._reports(event, spec["report"])
        if "registrations" in spec:
            self._registrations(event, spec["registrations"], announced)
        upcoming = list(event.occurrences.filter(starts_at__gt=self.now).order_by("starts_at"))
        if "cancel" in spec:
            occurrence = upcoming[spec["cancel"]["upcoming"]]
            event_services.occurrence_cancel(occurrence=occurrence, actor=self.manager, reason=spec["cancel"]["reason"])
        if "move" in spec:
            occurrence, shift = upcoming[spec["move"]["upcoming"]], timedelta(days=spec["move"]["days"])
            start, end = timezone.localtime(occurrence.starts_at), timezone.localtime(occurrence.ends_at)
            event_services.occurrence_move(
                occurrence=occurrence,
                actor=self.manager,
                starts_at=series.local_aware(start.replace(tzinfo=None) + shift),
                ends_at=series.local_aware(end.replace(tzinfo=None) + shift),
            )
        return event

    def _schedule(self, when, project):
        """(starts_at, ends_at, rrule): the first day is `from` weeks from today (or the project's first
        day), moved on to the weekday; a series runs `until` weeks from today or for `count` dates."""
        if when.get("from_project") and project is not None and project.starts_on:
            day = project.starts_on
        else:
            day = self.today + timedelta(weeks=when["from"])
        day = on_or_after(day, when["weekday"])
        while not when.get("repeat") and not when.get("from_project") and _christmas_break(day):
            day += timedelta(weeks=1)  # a single event is not planned between the holidays
        rule = ""
        if when.get("repeat"):
            rule = series.rule_build(
                frequency=when["repeat"],
                interval=when.get("interval", 1),
                weekday=when["weekday"],
                setpos=when.get("setpos"),
                until=self.today + timedelta(weeks=when["until"]) if "until" in when else None,
                count=when.get("count"),
            )
        return _local(day, when["start"]), _local(day, when["end"]), rule

    def _reports(self, event, spec):
        """What the organiser recorded after each past date: people, first-timers, languages, partners."""
        rng = random.Random(event.title)  # the same figures every time
        partners = [self.organisations[name] for name in spec["partners"]]
        notes = iter(spec["notes"])
        past = event.occurrences.filter(ends_at__lt=self.now, cancelled=False).order_by("-starts_at")
        for index, occurrence in enumerate(past):
            attendance = rng.randint(*spec["attendance"])
            heard = [code for code in event.languages if code == event.languages[0] or rng.random() < 0.6]
            event_services.report_record(
                occurrence=occurrence,
                actor=self.manager,
                attendance=attendance,
                first_timers=min(rng.randint(*spec["first_timers"]), attendance),
                languages=heard,
                partners=partners,
                note=next(notes, "") if index % 3 == 0 else "",  # the latest dates have the notes
            )
            # Historical demo data: recorded the morning after.
            reported = _local(timezone.localdate(occurrence.ends_at) + timedelta(days=1), "09:30")
            Occurrence.objects.filter(pk=occurrence.pk).update(reported_at=min(reported, self.now))

    def _registrations(self, event, spec, announced):
        """Registrations for the first upcoming date: the demo resident with her account, then people by
        name and address (confirmed by the mailed link); the first of those to cancel frees a place, which
        is offered to the first person waiting."""
        occurrence = event.occurrences.filter(starts_at__gt=self.now).order_by("starts_at").first()
        made = []
        if spec["account"]:
            made.append(registrations.register(occurrence=occurrence, user=self.resident))
        for _n in range(spec["registered"] + spec["waiting"]):
            name, language = self.people[self.next_person % len(self.people)]
            self.next_person += 1
            registration = registrations.register(
                occurrence=occurrence, name=name, email=email_for(name), language=language
            )
            registration, _changed = registrations.confirm(registration=registration)
            made.append(registration)
        # Historical demo data: they came in one by one since the event was announced, in their order.
        first, last = announced + timedelta(hours=6), self.now - timedelta(hours=3)
        step = (last - first) / max(len(made) - 1, 1)
        for index, registration in enumerate(made):
            at = first + step * index
            Registration.objects.filter(pk=registration.pk).update(created_at=at, queued_at=at)
        for registration in [r for r in made if r.user_id is None][: spec["cancelled"]]:
            registrations.cancel(registration=registration)  # by the link in the mail, today
