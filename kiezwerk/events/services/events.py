"""Writes for events: submit, change, review, cancel, the dates of a series, and what happened.

Every change is audited in its transaction; a change residents can see bumps the district's data version,
and one a subscribed calendar must see raises the event's `sequence`. Dates are materialised from the rule
(`events.series`) by `_dates_sync`.
"""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from kiezwerk.accounts.access import is_member_of, is_staff_of
from kiezwerk.core.mail import mail_send
from kiezwerk.core.services import audit_record, district_touch
from kiezwerk.network.selectors.directory import organisation_serves
from kiezwerk.projects.services.projects import place_check

from .. import series
from ..models import ACCESS_FEATURES, Event, Occurrence, Review, Topic
from ..models import RegistrationStatus as RS
from . import registrations

TITLE_MAX = 120  # Event.title's length
# What a partner's change to an approved event sends back to review (as a proposal); everything else
# (time, date, place, room, registration) applies at once.
CONTENT = ("title", "description")
# Changes a subscribed calendar must see (they raise `sequence`).
CALENDAR = ("title", "description", "starts_at", "ends_at", "all_day", "rrule", "venue", "address", "room")
SCHEDULE = ("starts_at", "ends_at", "all_day", "rrule", "venue", "address", "lat", "lon", "room")
FIELDS = (
    "title",
    "description",
    "language",
    "organiser",
    "starts_at",
    "ends_at",
    "all_day",
    "rrule",
    "venue",
    "room",
    "topics",
    "languages",
    *(field for field, _label in ACCESS_FEATURES),
    "price",
    "price_note",
    "audience",
    "image_alt",
    "project",
    "capacity",
    "offer_hours",
    "cancel_hours",
)


def can_submit(user, district, organiser):
    """The district's staff for anyone; a partner (a member of the organisation) for its own events."""
    if is_staff_of(user, district):
        return True
    return organiser is not None and is_member_of(user, organiser)


def _check(district, fields):
    """Check the fields of an event; raise ValidationError keyed by field. Returns the place's fields."""
    errors = {}
    title = fields.get("title", "").strip()
    if not title:
        errors["title"] = _("Please give the event a title.")
    elif len(title) > TITLE_MAX:
        errors["title"] = _("The title may have at most %(max)s characters.") % {"max": TITLE_MAX}
    starts_at, ends_at = fields.get("starts_at"), fields.get("ends_at")
    if starts_at and ends_at and ends_at <= starts_at:
        errors["ends_at"] = _("The event must end after it starts.")
    organiser = fields.get("organiser")
    if organiser is not None and not organisation_serves(organiser, district):
        errors["organiser"] = _("This organisation does not serve %(district)s.") % {"district": district.name}
    venue = fields.get("venue")
    if venue is not None and (venue.lat is None or not organisation_serves(venue, district)):
        errors["venue"] = _("This organisation has no address in %(district)s.") % {"district": district.name}
    unknown = set(fields.get("topics") or []) - set(Topic.values)
    if unknown:
        errors["topics"] = _("Unknown topic: %(topics)s") % {"topics": ", ".join(sorted(unknown))}
    project = fields.get("project")
    if project is not None and project.district_id != district.pk:
        errors["project"] = _("This project belongs to another district.")
    if errors:
        raise ValidationError(errors)
    if starts_at and ends_at and fields.get("rrule"):
        try:
            series.rule_parse(fields["rrule"], starts_at)
        except ValidationError as error:
            raise ValidationError({"rrule": error.messages}) from error


def _place(district, venue, place):
    """(lat, lon, address) of the event: the venue's, or the typed or pinned place (inside the district)."""
    if venue is not None:
        return venue.lat, venue.lon, venue.address
    lat, lon, address, _area = place_check(district, **{"area": None, **place})
    if lat is None:
        raise ValidationError({"street": _("Please choose an organisation or give the place.")}, code="place")
    return lat, lon, address


def _image_store(field, event, image):
    """Save a processed image (`core.intake.photos.photo_process`: full size first) to `field` of the event."""
    full = image[0]
    field.save(f"{event.uid.hex}-{timezone.now():%Y%m%d%H%M%S}.jpg", full, save=False)


@transaction.atomic
def event_create(*, district, actor, place=None, image=None, **fields):
    """A new event. The team's own (no organiser) is public at once when the district's staff create it; a
    partner's, or the team's on a partner's behalf, waits for a manager's approval.

    `place`: {lat, lon} or {street, house_number} when there is no `venue`."""
    fields = {name: value for name, value in fields.items() if name in FIELDS}
    # Spoken at least in the language it is written in: the calendar's language filter reads this list.
    fields["languages"] = list(fields.get("languages") or [fields.get("language", "de")])
    if not can_submit(actor, district, fields.get("organiser")):
        raise ValidationError(_("You cannot submit events for this organiser."), code="forbidden")
    _check(district, fields)
    lat, lon, address = _place(district, fields.get("venue"), place or {})
    own = fields.get("organiser") is None and is_staff_of(actor, district)
    event = Event(district=district, submitted_by=actor, lat=lat, lon=lon, address=address, **fields)
    event.title = event.title.strip()
    if own:
        event.review, event.reviewed_by, event.reviewed_at = Review.APPROVED, actor, timezone.now()
    _first_date(event)
    if image is not None:
        _image_store(event.image, event, image)
    event.save()
    _dates_sync(event)
    audit_record(
        actor=actor,
        verb="event.created" if own else "event.submitted",
        target=event,
        district=district,
        dates=event.occurrences.count(),
    )
    if own:
        district_touch(district=district)
    return event


def _first_date(event):
    """A series starts on the first date its rule gives (RFC 5545: DTSTART is the first instance)."""
    if event.rrule:
        start, end = series.dates(event.starts_at, event.ends_at, event.rrule)[0]
        event.starts_at, event.ends_at = start, end


def _dates_sync(event):
    """Make the event's dates those of its rule: keep the dates the rule still gives (with their registrations
    and a move), add new ones, delete dropped ones. A dropped date someone is registered for is refused."""
    wanted = {start: end for start, end in series.dates(event.starts_at, event.ends_at, event.rrule)}
    duration = event.ends_at - event.starts_at
    existing = {o.original_start: o for o in event.occurrences.all()}
    dropped = [o for start, o in existing.items() if start not in wanted]
    busy = [o for o in dropped if o.registrations.filter(status__in=registrations.ACTIVE).exists()]
    if busy:
        raise ValidationError(
            {
                "rrule": _("People are registered for %(dates)s; please cancel that date first.")
                % {"dates": ", ".join(f"{timezone.localtime(o.starts_at):%d.%m.%Y}" for o in busy)}
            },
            code="registered",
        )
    Occurrence.objects.filter(pk__in=[o.pk for o in dropped]).delete()
    new = [
        Occurrence(event=event, original_start=start, starts_at=start, ends_at=end)
        for start, end in wanted.items()
        if start not in existing
    ]
    Occurrence.objects.bulk_create(new)
    # A kept date that was not moved follows a changed duration.
    for start, occurrence in existing.items():
        if start in wanted and not occurrence.is_moved and occurrence.ends_at != wanted[start]:
            Occurrence.objects.filter(pk=occurrence.pk).update(ends_at=start + duration)


@transaction.atomic
def event_change(*, event, actor, place=None, image=None, **fields):
    """Change an event. The district's staff change everything at once. A partner's change to the title or
    description of an approved event becomes a proposal for the team (the public keeps the approved text);
    time, date, place and room apply at once. Registered people are mailed when their date's time or place
    changes. Returns the changed event."""
    event = Event.objects.select_for_update().select_related("district").get(pk=event.pk)
    district = event.district
    staff = is_staff_of(actor, district)
    if not staff and not (event.organiser is not None and is_member_of(actor, event.organiser)):
        raise ValidationError(_("You cannot change this event."), code="forbidden")
    fields = {name: value for name, value in fields.items() if name in FIELDS}
    if not staff:
        fields.pop("organiser", None)
    merged = {name: getattr(event, name) for name in FIELDS} | fields
    _check(district, merged)
    if "capacity" in fields:
        _capacity_check(event, fields["capacity"])
    before = {name: getattr(event, name) for name in (*FIELDS, "lat", "lon", "address")}
    proposal = {}
    if not staff and event.review == Review.APPROVED:
        proposal = {
            name: fields.pop(name).strip() for name in CONTENT if name in fields and fields[name] != before[name]
        }
    for name, value in fields.items():
        setattr(event, name, value.strip() if name == "title" else value)
    place_given = bool(place) and (place.get("lat") is not None or place.get("street"))
    if event.venue != before["venue"] or (event.venue is None and place_given):
        event.lat, event.lon, event.address = _place(district, event.venue, place or {})
    _first_date(event)
    changed = [name for name in before if getattr(event, name) != before[name]]
    if image is not None:
        if not staff and event.review == Review.APPROVED:
            _image_store(event.proposed_image, event, image)
            proposal["image"] = True
        else:
            _image_store(event.image, event, image)
            changed.append("image")
    if proposal:
        event.proposal = proposal
    if any(name in CALENDAR for name in changed):
        event.sequence = F("sequence") + 1
    event.save()
    event.refresh_from_db(fields=["sequence"])
    moved = _schedule_changed(event, before) if any(name in SCHEDULE for name in changed) else 0
    if "capacity" in changed and event.capacity:
        for occurrence in event.occurrences.filter(starts_at__gt=timezone.now()):
            registrations.offer_places(occurrence)
    if event.review == Review.DECLINED and not staff:
        event.review = Review.PENDING  # a declined submission, corrected, is submitted again
        event.save(update_fields=["review"])
    audit_record(
        actor=actor,
        verb="event.changed",
        target=event,
        district=district,
        fields=sorted(changed),
        proposal=sorted(proposal),
        told=moved,
    )
    if event.is_public:
        district_touch(district=district)
    return event


def _capacity_check(event, capacity):
    upcoming = event.occurrences.filter(starts_at__gt=timezone.now())
    busiest = max((o.taken for o in upcoming), default=0)
    active = upcoming.filter(registrations__status__in=registrations.ACTIVE).exists()
    if capacity is None and active:
        raise ValidationError(
            {"capacity": _("People are registered; registration cannot be switched off. Cancel the dates instead.")}
        )
    if capacity is not None and capacity < busiest:
        raise ValidationError(
            {
                "capacity": _("%(count)s people already have a place on one date; cancel places first to have fewer.")
                % {"count": busiest}
            },
            code="capacity",
        )


def _schedule_changed(event, before):
    """Sync the dates with the changed rule or time, and mail everyone registered for an upcoming date whose
    time or place changed. Returns how many were told."""
    old = {o.pk: (o.starts_at, o.ends_at) for o in event.occurrences.all()}
    shift = event.starts_at - before["starts_at"] if not event.rrule and not before["rrule"] else None
    if shift is not None and len(old) == 1:
        # A single event: its one date moves with it (its original start too: there is no rule).
        Occurrence.objects.filter(event=event).update(
            original_start=event.starts_at, starts_at=event.starts_at, ends_at=event.ends_at
        )
    else:
        _dates_sync(event)
    place_moved = any(before[name] != getattr(event, name) for name in ("venue", "address", "room", "lat", "lon"))
    told = 0
    now = timezone.now()
    for occurrence in event.occurrences.filter(starts_at__gt=now - timedelta(hours=1)):
        if place_moved or old.get(occurrence.pk) != (occurrence.starts_at, occurrence.ends_at):
            told += _tell(occurrence, "date_changed")
    return told


def _tell(occurrence, template, **context):
    """Mail everyone with a place, an offer or on the waiting list of the date."""
    told = 0
    for registration in occurrence.registrations.filter(status__in=[RS.REGISTERED, RS.OFFERED, RS.WAITING]):
        registration.occurrence = occurrence
        registrations.mail(registration, template, **context)
        told += 1
    return told


@transaction.atomic
def event_review(*, event, actor, approve, reason=""):
    """A manager approves or declines a submission, or a partner's proposal to an approved event. Declining
    needs a reason; the submitter is told by mail."""
    event = Event.objects.select_for_update(of=("self",)).select_related("district", "submitted_by").get(pk=event.pk)
    if not is_staff_of(actor, event.district):
        raise ValidationError(_("Only the district's team can review events."), code="forbidden")
    reason = reason.strip()
    if not approve and not reason:
        raise ValidationError({"reason": _("Please give the organiser a reason.")}, code="reason")
    if event.review == Review.APPROVED and event.proposal:
        verb = "event.proposal_accepted" if approve else "event.proposal_declined"
        if approve:
            for name in CONTENT:
                if name in event.proposal:
                    setattr(event, name, event.proposal[name])
            if event.proposal.get("image"):
                event.image, event.proposed_image = event.proposed_image.name, ""
            event.sequence += 1
        event.proposal = None
    elif event.review == Review.PENDING:
        verb = "event.approved" if approve else "event.declined"
        event.review = Review.APPROVED if approve else Review.DECLINED
    else:
        raise ValidationError(_("There is nothing to decide about this event."), code="nothing")
    event.review_reason, event.reviewed_by, event.reviewed_at = reason, actor, timezone.now()
    event.save()
    audit_record(actor=actor, verb=verb, target=event, district=event.district)
    if event.submitted_by is not None and event.submitted_by != actor and event.submitted_by.email:
        mail_send(
            to=event.submitted_by.email,
            template="events/email/review",
            context={"event": event, "decision": verb.split(".")[1], "reason": reason},
            language=event.submitted_by.language or "de",
            district=event.district,
        )
    district_touch(district=event.district)
    return event


@transaction.atomic
def event_cancel(*, event, actor, reason):
    """Cancel the whole event: it stays on the calendar as cancelled (STATUS:CANCELLED in the feeds) and
    everyone registered for an upcoming date is told."""
    event = Event.objects.select_for_update().select_related("district").get(pk=event.pk)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Please give a reason: residents read it.")}, code="reason")
    if event.cancelled:
        return event
    event.cancelled, event.cancel_reason, event.sequence = True, reason, event.sequence + 1
    event.save(update_fields=["cancelled", "cancel_reason", "sequence", "updated_at"])
    told = sum(
        _tell(o, "date_cancelled", reason=reason) for o in event.occurrences.filter(starts_at__gt=timezone.now())
    )
    audit_record(actor=actor, verb="event.cancelled", target=event, district=event.district, told=told)
    district_touch(district=event.district)
    return event


@transaction.atomic
def occurrence_cancel(*, occurrence, actor, reason):
    """Cancel one date (an EXDATE in the feeds): its registrations end and are told, with the reason."""
    occurrence = Occurrence.objects.select_for_update().select_related("event__district").get(pk=occurrence.pk)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Please give a reason: residents read it.")}, code="reason")
    if occurrence.cancelled:
        return occurrence
    if occurrence.starts_at <= timezone.now():
        raise ValidationError(_("This date has already begun."), code="begun")
    event = occurrence.event
    told = _tell(occurrence, "date_cancelled", reason=reason)
    occurrence.registrations.filter(status__in=registrations.ACTIVE).update(
        status=RS.CANCELLED, ended="date_cancelled", cancelled_at=timezone.now(), offer_expires_at=None
    )
    occurrence.cancelled, occurrence.cancel_reason, occurrence.taken = True, reason, 0
    occurrence.save(update_fields=["cancelled", "cancel_reason", "taken"])
    Event.objects.filter(pk=event.pk).update(sequence=F("sequence") + 1, updated_at=timezone.now())
    audit_record(actor=actor, verb="event.date_cancelled", target=event, district=event.district, told=told)
    district_touch(district=event.district)
    return occurrence


@transaction.atomic
def occurrence_move(*, occurrence, actor, starts_at, ends_at):
    """Move one date (an override with RECURRENCE-ID in the feeds); its people are told."""
    occurrence = Occurrence.objects.select_for_update().select_related("event__district").get(pk=occurrence.pk)
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("The event must end after it starts.")}, code="dates")
    if occurrence.cancelled:
        raise ValidationError(_("This date is cancelled."), code="cancelled")
    now = timezone.now()
    if occurrence.starts_at <= now or starts_at <= now:
        raise ValidationError(_("Only a date still to come can be moved, and only to a time still to come."))
    occurrence.starts_at, occurrence.ends_at = starts_at, ends_at
    occurrence.save(update_fields=["starts_at", "ends_at"])
    event = occurrence.event
    Event.objects.filter(pk=event.pk).update(sequence=F("sequence") + 1, updated_at=timezone.now())
    told = _tell(occurrence, "date_changed")
    audit_record(actor=actor, verb="event.date_moved", target=event, district=event.district, told=told)
    district_touch(district=event.district)
    return occurrence


@transaction.atomic
def report_record(*, occurrence, actor, attendance, first_timers=None, languages=(), partners=(), note=""):
    """After a date: how many came, how many for the first time, the languages heard, the partners present."""
    if occurrence.starts_at > timezone.now():
        raise ValidationError(_("What happened can be recorded once the date has begun."), code="early")
    if attendance is None or attendance < 0:
        raise ValidationError({"attendance": _("Please give how many people came.")})
    if first_timers is not None and not 0 <= first_timers <= attendance:
        raise ValidationError({"first_timers": _("First-timers are some of those who came.")})
    occurrence.attendance, occurrence.first_timers = attendance, first_timers
    occurrence.languages_heard, occurrence.report_note = list(languages), note.strip()
    occurrence.reported_at = timezone.now()
    occurrence.save(update_fields=["attendance", "first_timers", "languages_heard", "report_note", "reported_at"])
    occurrence.partners_present.set(partners)
    event = occurrence.event
    audit_record(actor=actor, verb="event.report", target=event, district=event.district, attendance=attendance)
