"""Registrations for the dates of an event: places, a waiting list with offers that expire, links, reminders.

A date's places are counted in the transaction that changes them, after taking the occurrence's row
(`select_for_update` on PostgreSQL; SQLite's IMMEDIATE transactions let one writer in at a time): two
registrations for the last place give one place and one waiting-list entry. A freed place is not given but
*offered* to the first person waiting: it stays held for them until they accept or the offer expires
(`offers_expire`), and then passes to the next. Every mail carries the cancel link.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kiezwerk.core.mail import mail_send
from kiezwerk.core.services import audit_record, district_touch

from ..models import Ended, Occurrence, Registration
from ..models import RegistrationStatus as S

ACTIVE = [S.UNCONFIRMED, S.REGISTERED, S.WAITING, S.OFFERED]
HOLDS_PLACE = [S.REGISTERED, S.OFFERED]


def link(registration, action):
    return settings.SITE_URL + reverse(f"events:registration-{action}", args=[registration.token])


def mail(registration, template, **context):
    occurrence = registration.occurrence
    event = occurrence.event
    mail_send(
        to=registration.address,
        template=f"events/email/{template}",
        context={
            "registration": registration,
            "occurrence": occurrence,
            "event": event,
            "event_url": settings.SITE_URL + event.get_absolute_url(),
            "confirm_url": link(registration, "confirm"),
            "cancel_url": link(registration, "cancel"),
            "offer_url": link(registration, "offer"),
            **context,
        },
        language=registration.language,
        district=event.district,
    )


def _take(occurrence):
    """The occurrence's row, locked for the rest of the transaction."""
    return Occurrence.objects.select_for_update().select_related("event__district").get(pk=occurrence.pk)


def _locked(registration):
    return Registration.objects.select_for_update(of=("self",)).select_related("user").get(pk=registration.pk)


def _place(registration, occurrence, now):
    """A free place of the locked date for the registration, or the end of its waiting list. Nobody jumps
    the queue: while someone waits or holds an offer, a newcomer waits too."""
    registration.queued_at = now
    queue = occurrence.registrations.filter(status__in=[S.WAITING, S.OFFERED]).exclude(pk=registration.pk)
    if occurrence.taken < occurrence.event.capacity and not queue.exists():
        registration.status = S.REGISTERED
        Occurrence.objects.filter(pk=occurrence.pk).update(taken=F("taken") + 1)
        occurrence.taken += 1
    else:
        registration.status = S.WAITING


def _offer_next(occurrence, now):
    """Offer the locked date's free places to the first people waiting, each with a mail and a deadline."""
    offered = []
    hours = occurrence.event.offer_hours
    while occurrence.taken < occurrence.event.capacity:
        waiting = occurrence.registrations.filter(status=S.WAITING).order_by("queued_at", "pk").first()
        if waiting is None:
            break
        waiting.status = S.OFFERED
        waiting.offer_expires_at = now + timedelta(hours=hours)
        waiting.save(update_fields=["status", "offer_expires_at"])
        Occurrence.objects.filter(pk=occurrence.pk).update(taken=F("taken") + 1)
        occurrence.taken += 1
        audit_record(
            actor=None,
            verb="registration.offered",
            target=occurrence.event,
            district=occurrence.event.district,
            date=occurrence.pk,
        )
        mail(waiting, "offer", hours=hours)
        offered.append(waiting)
    return offered


@transaction.atomic
def offer_places(occurrence):
    """Offer a date's free places (after its capacity grew) to the people waiting."""
    return _offer_next(_take(occurrence), timezone.now())


def _already(occurrence, *, user, email):
    mine = Q(user=user) if user is not None else Q(pk__in=[])
    if email:
        mine |= Q(email__iexact=email)
    return occurrence.registrations.filter(mine, status__in=ACTIVE).exists()


def open_check(occurrence, now):
    """Raise ValidationError unless the date takes registrations now."""
    event = occurrence.event
    if not event.takes_registrations or occurrence.cancelled:
        raise ValidationError(_("This date takes no registrations."), code="closed")
    if occurrence.starts_at <= now:
        raise ValidationError(_("This date has already begun."), code="begun")


@transaction.atomic
def register(*, occurrence, user=None, name="", email="", language="de"):
    """Register for a date: with an account (its address is verified) a place or the waiting list at once;
    with a name and e-mail address only, after the mailed link is used."""
    occurrence = _take(occurrence)
    now = timezone.now()
    open_check(occurrence, now)
    if user is not None and not user.is_authenticated:
        user = None
    email = (email or (user.email if user else "")).strip()
    name = name.strip()
    if user is None and not (name and email):
        raise ValidationError(_("Please give your name and e-mail address."), code="missing")
    if _already(occurrence, user=user, email=email):
        raise ValidationError(_("You are already registered for this date."), code="twice")
    registration = Registration(
        occurrence=occurrence,
        user=user,
        name=name,
        email=email if user is None else "",
        language=language,
        token=secrets.token_urlsafe(32),
    )
    if user is not None:
        _place(registration, occurrence, now)
    registration.save()
    event = occurrence.event
    audit_record(
        actor=user, verb="registration.created", target=event, district=event.district, status=registration.status
    )
    mail(
        registration, {S.UNCONFIRMED: "confirm", S.REGISTERED: "registered", S.WAITING: "waiting"}[registration.status]
    )
    district_touch(district=event.district)
    return registration


def by_token(token):
    found = Registration.objects.select_related("occurrence__event__district", "user").filter(token=token)
    return found.first() if token else None


@transaction.atomic
def confirm(*, registration):
    """The mailed link was used: a place or the waiting list now. A second use changes nothing."""
    occurrence = _take(registration.occurrence)
    registration = _locked(registration)
    if registration.status != S.UNCONFIRMED:
        return registration, False
    now = timezone.now()
    if registration.created_at < now - timedelta(days=Registration.CONFIRM_DAYS):
        raise ValidationError(_("This confirmation link has expired. Please register again."), code="expired")
    open_check(occurrence, now)
    _place(registration, occurrence, now)
    registration.save(update_fields=["status", "queued_at"])
    event = occurrence.event
    audit_record(
        actor=None, verb="registration.confirmed", target=event, district=event.district, status=registration.status
    )
    mail(registration, "registered" if registration.status == S.REGISTERED else "waiting")
    district_touch(district=event.district)
    return registration, True


def _end(registration, occurrence, ended, now):
    """End a registration on the locked date; a place it held is offered to the next person waiting."""
    held = registration.status in HOLDS_PLACE
    registration.status, registration.ended, registration.cancelled_at = S.CANCELLED, ended, now
    registration.offer_expires_at = None
    registration.save(update_fields=["status", "ended", "cancelled_at", "offer_expires_at"])
    if held:
        Occurrence.objects.filter(pk=occurrence.pk).update(taken=F("taken") - 1)
        occurrence.taken -= 1
        _offer_next(occurrence, now)


@transaction.atomic
def cancel(*, registration, actor=None):
    """Cancel (the person's link or account, or the organiser): up to the event's cut-off before the start for
    the person. Returns (registration, changed); a second use changes nothing."""
    occurrence = _take(registration.occurrence)
    registration = _locked(registration)
    if registration.status == S.CANCELLED:
        return registration, False
    now = timezone.now()
    event = occurrence.event
    if actor is None and occurrence.starts_at - timedelta(hours=event.cancel_hours) <= now:
        raise ValidationError(
            _("Cancelling by link is possible until %(hours)s hours before the start; please contact the organiser."),
            code="cut_off",
            params={"hours": event.cancel_hours},
        )
    before = registration.status
    _end(registration, occurrence, Ended.CANCELLED, now)
    audit_record(actor=actor, verb="registration.cancelled", target=event, district=event.district, before=before)
    district_touch(district=event.district)
    return registration, True


@transaction.atomic
def offer_answer(*, registration, accept):
    """The person answers an offered place: accepting makes it theirs, declining passes it on.

    Raises ValidationError when there is no open offer (used twice, expired, or never offered)."""
    occurrence = _take(registration.occurrence)
    registration = _locked(registration)
    now = timezone.now()
    if registration.status != S.OFFERED:
        if registration.status == S.REGISTERED:
            raise ValidationError(_("You have already accepted this place."), code="accepted")
        if registration.ended == Ended.EXPIRED:
            raise ValidationError(_("This offer has expired; the place has gone to the next person."), code="expired")
        raise ValidationError(_("There is no open offer for this registration."), code="no_offer")
    if registration.offer_expires_at <= now:  # offers_expire will pass it on
        raise ValidationError(_("This offer has expired; the place has gone to the next person."), code="expired")
    event = occurrence.event
    if accept:
        registration.status, registration.offer_expires_at = S.REGISTERED, None
        registration.save(update_fields=["status", "offer_expires_at"])
        mail(registration, "registered")
    else:
        _end(registration, occurrence, Ended.DECLINED, now)
    verb = "registration.offer_accepted" if accept else "registration.offer_declined"
    audit_record(actor=None, verb=verb, target=event, district=event.district)
    district_touch(district=event.district)
    return registration


def _expire(registration, occurrence, now):
    _end(registration, occurrence, Ended.EXPIRED, now)
    audit_record(
        actor=None, verb="registration.offer_expired", target=occurrence.event, district=occurrence.event.district
    )
    mail(registration, "offer_expired")


def offers_expire(*, now=None):
    """End every offer past its deadline and offer the place to the next person. Each is decided under its
    date's lock and only if still open and due: two runs at once expire each offer once."""
    now = now or timezone.now()
    due = Registration.objects.filter(status=S.OFFERED, offer_expires_at__lte=now).values_list("pk", "occurrence_id")
    expired = 0
    for pk, occurrence_id in list(due):
        with transaction.atomic():
            occurrence = _take(Occurrence(pk=occurrence_id))
            registration = (
                Registration.objects.select_for_update()
                .filter(pk=pk, status=S.OFFERED, offer_expires_at__lte=now)
                .first()
            )
            if registration is None:
                continue  # another run (or the person) got there first
            _expire(registration, occurrence, now)
            district_touch(district=occurrence.event.district)
            expired += 1
    return expired


def reminders_send(*, now=None):
    """Remind everyone registered for a date that starts tomorrow (local date), once: each is claimed first."""
    now = now or timezone.now()
    tomorrow = timezone.localdate(now) + timedelta(days=1)
    due = Registration.objects.filter(
        status=S.REGISTERED,
        reminded_at=None,
        occurrence__starts_at__date=tomorrow,
        occurrence__cancelled=False,
        occurrence__event__cancelled=False,
    ).values_list("pk", flat=True)
    sent = 0
    for pk in list(due):
        with transaction.atomic():
            if not Registration.objects.filter(pk=pk, reminded_at=None).update(reminded_at=now):
                continue  # another run took it
            mail(by_pk(pk), "reminder")
            sent += 1
    return sent


def by_pk(pk):
    return Registration.objects.select_related("occurrence__event__district", "user").get(pk=pk)


@transaction.atomic
def attendance_mark(*, occurrence, actor, attended):
    """After the date: {registration id: True (came) / False (no-show) / None} for its registered people."""
    if occurrence.starts_at > timezone.now():
        raise ValidationError(_("Attendance can be recorded once the date has begun."), code="early")
    registrations = {r.pk: r for r in occurrence.registrations.filter(status=S.REGISTERED)}
    unknown = set(attended) - set(registrations)
    if unknown:
        raise ValidationError(_("These registrations are not for this date."), code="unknown")
    for pk, came in attended.items():
        registrations[pk].attended = came
        registrations[pk].save(update_fields=["attended"])
    event = occurrence.event
    came = sum(1 for value in attended.values() if value)
    audit_record(actor=actor, verb="registration.attendance", target=event, district=event.district, attended=came)


def anonymise(registrations):
    """Clear name, e-mail address and account of registrations; attendance stays as a figure."""
    return registrations.filter(anonymised_at=None).update(name="", email="", user=None, anonymised_at=timezone.now())


def retention_apply(*, months=None, now=None):
    """Anonymise registrations for dates more than `EVENT_RETENTION_MONTHS` ago; delete unused confirmations."""
    now = now or timezone.now()
    months = settings.EVENT_RETENTION_MONTHS if months is None else months
    past = Registration.objects.filter(occurrence__ends_at__lt=now - timedelta(days=round(months * 30.44)))
    unconfirmed = Registration.objects.filter(
        status=S.UNCONFIRMED, created_at__lt=now - timedelta(days=Registration.CONFIRM_DAYS)
    )
    return {"anonymised": anonymise(past), "deleted": unconfirmed.delete()[0]}
