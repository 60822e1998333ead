"""Volunteers: shifts, sign-ups with a waiting list, confirmation and cancel links, reminders, attendance.

A shift's places are counted in the transaction that changes them, after taking the shift's row
(`select_for_update` on PostgreSQL; SQLite's IMMEDIATE transactions let one writer in at a time): two
sign-ups for the last place give one place and one waiting-list entry, and a cancellation moves exactly
the next person up. Every mail to a volunteer carries the cancel link.
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

from kiezwerk.core import activity
from kiezwerk.core.mail import mail_send
from kiezwerk.core.services import audit_record, district_touch

from ..models import ENDED_STATUSES, EntryKind, Shift, SignUp, SignUpStatus

ACTIVE = [SignUpStatus.UNCONFIRMED, SignUpStatus.REGISTERED, SignUpStatus.WAITING]


def link(signup, action):
    return settings.SITE_URL + reverse(f"projects:signup-{action}", args=[signup.token])


def _mail(signup, template, **context):
    shift = signup.shift
    project = shift.project
    mail_send(
        to=signup.address,
        template=f"projects/email/{template}",
        context={
            "signup": signup,
            "shift": shift,
            "project": project,
            "project_url": settings.SITE_URL + project.get_absolute_url(),
            "ics_url": settings.SITE_URL
            + reverse("projects:shift-ics", args=[project.district.slug, project.pk, shift.pk]),
            "confirm_url": link(signup, "confirm"),
            "cancel_url": link(signup, "cancel"),
            **context,
        },
        language=signup.language,
        district=project.district,
    )


# Shifts ------------------------------------------------------------------------------------------------


def _shift_check(project, starts_at, ends_at, capacity):
    errors = {}
    if starts_at and ends_at and ends_at <= starts_at:
        errors["ends_at"] = _("The shift must end after it starts.")
    if capacity is None or capacity < 1:
        errors["capacity"] = _("A shift needs at least one place.")
    if project.is_ended:
        errors["starts_at"] = _("The project has ended; it gets no new shifts.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def shift_save(*, project, actor, starts_at, ends_at, place, capacity, bring="", shift=None):
    """Create or change a shift. Fewer places than people registered is refused; more places move people up."""
    _shift_check(project, starts_at, ends_at, capacity)
    created = shift is None
    if created:
        shift = Shift(project=project)
    else:
        shift = Shift.objects.select_for_update().get(pk=shift.pk)
        if capacity < shift.taken:
            raise ValidationError(
                {
                    "capacity": _("%(count)s people already have a place; cancel places first to have fewer.")
                    % {"count": shift.taken}
                }
            )
    moved = not created and (shift.starts_at != starts_at or shift.place != place.strip())
    shift.starts_at, shift.ends_at, shift.place, shift.bring = starts_at, ends_at, place.strip(), bring.strip()
    shift.capacity = capacity
    shift.save()
    audit_record(
        actor=actor,
        verb="shift.created" if created else "shift.changed",
        target=project,
        district=project.district,
        shift=shift.pk,
        capacity=capacity,
    )
    if moved:
        for signup in shift.signups.filter(status__in=[SignUpStatus.REGISTERED, SignUpStatus.WAITING]):
            _mail(signup, "shift_changed")
    _move_up(shift)
    district_touch(district=project.district)
    return shift


@transaction.atomic
def shift_delete(*, shift, actor):
    """Remove a shift; everyone on it is told by mail. The sign-ups go with it."""
    project = shift.project
    for signup in shift.signups.filter(status__in=[SignUpStatus.REGISTERED, SignUpStatus.WAITING]):
        _mail(signup, "shift_cancelled")
    audit_record(actor=actor, verb="shift.deleted", target=project, district=project.district, shift=shift.pk)
    shift.delete()
    district_touch(district=project.district)


def _take(shift):
    """The shift's row, locked for the rest of the transaction."""
    return Shift.objects.select_for_update().select_related("project__district").get(pk=shift.pk)


def _place(signup, shift, now):
    """Give the sign-up a free place of the locked shift, or the end of the waiting list."""
    signup.queued_at = now
    if shift.taken < shift.capacity:
        signup.status = SignUpStatus.REGISTERED
        Shift.objects.filter(pk=shift.pk).update(taken=F("taken") + 1)
        shift.taken += 1
    else:
        signup.status = SignUpStatus.WAITING


def _move_up(shift):
    """Fill the locked shift's free places from its waiting list, first come first served; each is mailed."""
    shift = _take(shift)
    moved = []
    while shift.taken < shift.capacity:
        waiting = shift.signups.filter(status=SignUpStatus.WAITING).order_by("queued_at", "pk").first()
        if waiting is None:
            break
        waiting.status = SignUpStatus.REGISTERED
        waiting.save(update_fields=["status"])
        Shift.objects.filter(pk=shift.pk).update(taken=F("taken") + 1)
        shift.taken += 1
        _mail(waiting, "signup_moved_up")
        moved.append(waiting)
    return moved


# Sign-ups ----------------------------------------------------------------------------------------------


def _already(shift, *, user, email):
    mine = Q(user=user) if user is not None else Q(pk__in=[])
    if email:
        mine |= Q(email__iexact=email)
    return shift.signups.filter(mine, status__in=ACTIVE).exists()


@transaction.atomic
def signup_create(*, shift, user=None, name="", email="", phone="", language="de"):
    """Sign a volunteer up for a shift.

    With an account (its address is verified) the place (or the waiting list) is given at once; with a name
    and e-mail address only, the mailed link confirms first. Raises ValidationError when the shift has
    begun, the project is not open for helpers, or the person is already signed up.
    """
    shift = _take(shift)
    project = shift.project
    now = timezone.now()
    if not project.takes_signups:
        raise ValidationError(_("This project takes no sign-ups."), code="closed")
    if shift.starts_at <= now:
        raise ValidationError(_("This shift has already begun."), code="begun")
    if user is not None and not user.is_authenticated:
        user = None
    email = (email or (user.email if user else "")).strip()
    name = name.strip()
    if user is None and not (name and email):
        raise ValidationError(_("Please give your name and e-mail address."), code="missing")
    if _already(shift, user=user, email=email):
        raise ValidationError(_("You are already signed up for this shift."), code="twice")
    signup = SignUp(
        shift=shift,
        user=user,
        name=name,
        email=email if user is None else "",
        phone=phone.strip(),
        language=language,
        token=secrets.token_urlsafe(32),
    )
    if user is not None:
        _place(signup, shift, now)
    signup.save()
    audit_record(
        actor=user,
        verb="signup.created",
        target=project,
        district=project.district,
        shift=shift.pk,
        status=signup.status,
    )
    if signup.status == SignUpStatus.UNCONFIRMED:
        _mail(signup, "signup_confirm")
    else:
        _mail(signup, "signup_registered" if signup.status == SignUpStatus.REGISTERED else "signup_waiting")
    district_touch(district=project.district)
    return signup


def signup_by_token(token):
    return (
        SignUp.objects.select_related("shift__project__district", "user").filter(token=token).first() if token else None
    )


@transaction.atomic
def signup_confirm(*, signup):
    """The volunteer used the mailed link: a place or the waiting list now. A second use changes nothing."""
    shift = _take(signup.shift)
    signup = SignUp.objects.select_for_update().get(pk=signup.pk)
    if signup.status != SignUpStatus.UNCONFIRMED:
        return signup, False
    now = timezone.now()
    if signup.created_at < now - timedelta(days=SignUp.CONFIRM_DAYS):
        raise ValidationError(_("This confirmation link has expired. Please sign up again."), code="expired")
    if shift.starts_at <= now:
        raise ValidationError(_("This shift has already begun."), code="begun")
    _place(signup, shift, now)
    signup.save(update_fields=["status", "queued_at"])
    audit_record(
        actor=None,
        verb="signup.confirmed",
        target=shift.project,
        district=shift.project.district,
        shift=shift.pk,
        status=signup.status,
    )
    _mail(signup, "signup_registered" if signup.status == SignUpStatus.REGISTERED else "signup_waiting")
    district_touch(district=shift.project.district)
    return signup, True


@transaction.atomic
def signup_cancel(*, signup, actor=None):
    """Cancel a sign-up (the volunteer's link or account, or the team); a freed place goes to the next waiting.

    Returns (signup, changed). Cancelling twice changes nothing; a shift that has begun cannot be cancelled.
    """
    shift = _take(signup.shift)
    signup = SignUp.objects.select_for_update().select_related("shift__project__district").get(pk=signup.pk)
    if signup.status == SignUpStatus.CANCELLED:
        return signup, False
    if shift.starts_at <= timezone.now():
        raise ValidationError(_("This shift has already begun; it can no longer be cancelled."), code="begun")
    had_place = signup.status == SignUpStatus.REGISTERED
    old_status = signup.status
    signup.status = SignUpStatus.CANCELLED
    signup.cancelled_at = timezone.now()
    signup.save(update_fields=["status", "cancelled_at"])
    if had_place:
        Shift.objects.filter(pk=shift.pk).update(taken=F("taken") - 1)
    audit_record(
        actor=actor,
        verb="signup.cancelled",
        target=shift.project,
        district=shift.project.district,
        shift=shift.pk,
        before=old_status,
    )
    if had_place:
        _move_up(shift)
    district_touch(district=shift.project.district)
    return signup, True


def shift_reminders_send(*, now=None):
    """Remind everyone registered for a shift that starts tomorrow (local date), once: each is claimed first."""
    now = now or timezone.now()
    tomorrow = timezone.localdate(now) + timedelta(days=1)
    due = SignUp.objects.filter(
        status=SignUpStatus.REGISTERED, reminded_at=None, shift__starts_at__date=tomorrow
    ).values_list("pk", flat=True)
    sent = 0
    for pk in list(due):
        with transaction.atomic():
            if not SignUp.objects.filter(pk=pk, reminded_at=None).update(reminded_at=now):
                continue  # another run took it
            signup = SignUp.objects.select_related("shift__project__district", "user").get(pk=pk)
            _mail(signup, "shift_reminder")
            sent += 1
    return sent


@transaction.atomic
def attendance_record(*, shift, actor, rows):
    """After a shift: {signup id: (attended, hours)} for its registered volunteers. Hours are 0 to 24."""
    signups = {s.pk: s for s in shift.signups.filter(status=SignUpStatus.REGISTERED)}
    unknown = set(rows) - set(signups)
    if unknown:
        raise ValidationError(_("These sign-ups are not on this shift."), code="unknown")
    for pk, (attended, hours) in rows.items():
        if hours is not None and not 0 <= hours <= 24:
            raise ValidationError(_("Hours must lie between 0 and 24."), code="hours")
        signup = signups[pk]
        signup.attended, signup.hours = attended, hours
        signup.save(update_fields=["attended", "hours"])
    audit_record(
        actor=actor,
        verb="shift.attendance",
        target=shift.project,
        district=shift.project.district,
        shift=shift.pk,
        attended=sum(1 for attended, _hours in rows.values() if attended),
    )


@transaction.atomic
def volunteers_message(*, project, actor, subject, text):
    """Write to everyone with a place or on a waiting list of the project's shifts, once per address."""
    subject, text = subject.strip(), text.strip()
    if not subject or not text:
        raise ValidationError(_("Please write a subject and a message."), code="empty")
    signups = SignUp.objects.filter(
        shift__project=project, status__in=[SignUpStatus.REGISTERED, SignUpStatus.WAITING]
    ).select_related("shift__project__district", "user")
    seen, sent = set(), 0
    for signup in signups.order_by("shift__starts_at", "pk"):
        address = signup.address.lower()
        if not address or address in seen:
            continue
        seen.add(address)
        _mail(signup, "volunteers_message", subject=subject, text=text)
        sent += 1
    if not sent:
        raise ValidationError(_("Nobody is signed up yet."), code="nobody")
    activity.record(
        target=project,
        kind=EntryKind.NOTE,
        actor=actor,
        text=_("Mail to %(count)s volunteers: %(subject)s") % {"count": sent, "subject": subject},
        district=project.district,
        verb="project.volunteers_mailed",
        audit={"count": sent},
    )
    return sent


# Privacy -----------------------------------------------------------------------------------------------


def signups_anonymise(signups):
    """Clear name, e-mail address, phone and account of sign-ups; attendance and hours stay as figures."""
    return signups.filter(anonymised_at=None).update(
        name="", email="", phone="", user=None, anonymised_at=timezone.now()
    )


def retention_apply(*, months=None, now=None):
    """Anonymise the volunteers of projects that ended more than `PROJECT_RETENTION_MONTHS` ago."""
    months = settings.PROJECT_RETENTION_MONTHS if months is None else months
    cutoff = (now or timezone.now()) - timedelta(days=round(months * 30.44))
    ended = SignUp.objects.filter(shift__project__status__in=ENDED_STATUSES, shift__project__ended_at__lt=cutoff)
    # A sign-up never confirmed holds no place: its data go once the link has expired.
    unconfirmed = SignUp.objects.filter(
        status=SignUpStatus.UNCONFIRMED, created_at__lt=(now or timezone.now()) - timedelta(days=SignUp.CONFIRM_DAYS)
    )
    return {"anonymised": signups_anonymise(ended), "deleted": unconfirmed.delete()[0]}
