"""Referrals (Vermittlung): a concern handed to a partner and followed until solved; requests (a project asking
a partner for a skip) follow the same steps (`referral_request`, see network.subjects).

Every step is one entry on the timeline of the concern or the request's object (core.activity: kind
"referral", `context` the referral, `step` what happened; public only where marked).
The partner acts through a secret link (no account) or a partner login; both end in the same
functions here, which never see a request.
"""

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from kiezwerk.concerns import services as concern_services
from kiezwerk.concerns.models import CLOSED_STATUSES, ConcernStatus, EntryKind
from kiezwerk.concerns.services import token_hash
from kiezwerk.core import activity
from kiezwerk.core.mail import mail_send
from kiezwerk.core.services import audit_record
from kiezwerk.core.siteplan import site_plan, site_plan_png

from .. import subjects
from ..models import (
    OPEN_REFERRAL_STATUSES,
    SOLVED_OUTCOMES,
    Outcome,
    Referral,
    ReferralPlan,
    ReferralStatus,
    ReferralStep,
    Visibility,
)
from ..selectors.directory import organisation_serves


@dataclass(frozen=True)
class Plan:
    days: int  # default time until due
    remind_before: int  # reminder to the partner this many days before the due date
    escalate_after: int  # escalation to the team this many days after it


PLANS = {
    ReferralPlan.STANDARD: Plan(days=14, remind_before=7, escalate_after=0),
    ReferralPlan.URGENT: Plan(days=3, remind_before=1, escalate_after=0),
    ReferralPlan.LONG: Plan(days=42, remind_before=14, escalate_after=7),
}

# Which partner or team step may follow which status.
TRANSITIONS = {
    ReferralStep.ACCEPTED: {ReferralStatus.SENT},
    ReferralStep.ASKED: {ReferralStatus.SENT, ReferralStatus.ACCEPTED},
    ReferralStep.ANSWERED: {ReferralStatus.ASKED_BACK},
    ReferralStep.REJECTED: {ReferralStatus.SENT, ReferralStatus.ASKED_BACK},
    ReferralStep.PROGRESS: {ReferralStatus.ACCEPTED},
    ReferralStep.CLOSED: {ReferralStatus.SENT, ReferralStatus.ACCEPTED},
    ReferralStep.WITHDRAWN: set(OPEN_REFERRAL_STATUSES),
}


def plan_dates(plan, due_on):
    """(remind_on, escalate_on) of a plan for a due date."""
    rule = PLANS[plan]
    return due_on - timedelta(days=rule.remind_before), due_on + timedelta(days=rule.escalate_after)


def _event(referral, step, *, text="", public=False, author=None, via_link=False):
    """Record one step: an entry on the concern's timeline, kind "referral", about the referral.

    The text is the step's own text, as the team or the partner wrote it; a closing step's outcome is the
    referral's. Pages render the rest from the referral and the step: the team reads "<organisation>: <step>",
    the resident reads a public step signed with `Referral.public_name`. Public steps mail the concern's followers.
    """
    return activity.record(
        target=referral.concern or referral.subject,
        kind=EntryKind.REFERRAL,
        context=referral,
        step=step,
        actor=author,
        via_link=via_link,
        text=text,
        is_public=public,
        district=referral.district,
    )


def _locked(referral):
    return (
        Referral.objects.select_for_update(of=("self",))
        .select_related("concern", "district", "organisation", "contact", "created_by")
        .get(pk=referral.pk)
    )


def _check(referral, kind):
    if referral.status not in TRANSITIONS[kind]:
        raise ValidationError(
            _("This referral is “%(status)s”; that step is not possible now."),
            code="transition",
            params={"status": referral.get_status_display()},
        )


def _new_link(referral):
    token = secrets.token_urlsafe(32)
    referral.token_hash = token_hash(token)
    referral.link_expires_at = timezone.now() + timedelta(days=settings.REFERRAL_LINK_DAYS)
    referral.link_revoked_at = None
    return token


def link_url(token):
    return settings.SITE_URL + reverse("network:partner-link", args=[token])


# The team ----------------------------------------------------------------------------------------


@transaction.atomic
def referral_create(
    *,
    concern,
    organisation,
    actor,
    message,
    contact=None,
    due_on=None,
    plan=ReferralPlan.STANDARD,
    introduce_resident=False,
    resident_consent=False,
    tell_resident=True,
):
    """Refer a concern to an organisation (and maybe one of its people). Returns (referral, token).

    The partner gets an e-mail with a secret link and the site plan: the chosen contact person, or else the
    organisation's own address (`partner_address`). The resident's name and contact go with it only
    when `introduce_resident` and their consent is recorded. With `tell_resident` the concern's public
    timeline says to whom it was handed on, and a new or triaged concern becomes "referred".
    Raises ValidationError with code "closed", "organisation", "contact", "no_address", "message", "due",
    "consent" or "duplicate".
    """
    from kiezwerk.concerns.models import Concern

    concern = Concern.objects.select_for_update(of=("self",)).select_related("district").get(pk=concern.pk)
    if concern.status in CLOSED_STATUSES:
        raise ValidationError(_("A closed concern cannot be referred."), code="closed")
    errors = _request_errors(concern.district, organisation, contact, message)
    due_on = _due(plan, due_on, errors)
    if introduce_resident and not resident_consent:
        errors["resident_consent"] = ValidationError(
            _("The resident is introduced only with their consent."), code="consent"
        )
    if introduce_resident and not (concern.reporter_email or concern.reporter_phone or concern.reporter_id):
        errors["introduce_resident"] = ValidationError(
            _("There is no contact of the resident to pass on."), code="no_contact"
        )
    if Referral.objects.filter(concern=concern, organisation=organisation, status__in=OPEN_REFERRAL_STATUSES).exists():
        errors["organisation"] = ValidationError(
            _("%(organisation)s already has an open referral of this concern."),
            code="duplicate",
            params={"organisation": organisation.name},
        )
    if errors:
        raise ValidationError(errors)
    referral, token = _referral_open(
        verb="referral.created",
        audit={"concern": concern.pk, "resident_introduced": bool(introduce_resident)},
        concern=concern,
        district=concern.district,
        organisation=organisation,
        contact=contact,
        message=message,
        plan=plan,
        due_on=due_on,
        actor=actor,
        resident_introduced_at=timezone.now() if introduce_resident else None,
    )
    if tell_resident:
        # The public timeline says that (and to whom, when the organisation is public) the concern was handed on;
        # a new or triaged concern becomes "referred" with it.
        with override(concern.language):
            if organisation.visibility == Visibility.PUBLIC:
                notice = _("We have passed your concern on to %(partner)s.") % {"partner": organisation.name}
            else:
                notice = _("We have passed your concern on to a partner of our network.")
        handed_on = ConcernStatus.REFERRED if concern.status in (ConcernStatus.NEW, ConcernStatus.TRIAGED) else None
        concern_services.concern_reply(
            concern=concern, actor=actor, text=notice, new_status=handed_on, language=concern.language
        )
    referral_send(referral=referral, token=token)
    return referral, token


def _request_errors(district, organisation, contact, message):
    """{field: error} for the recipient and the message of a referral or request in `district`."""
    errors = {}
    if not organisation.is_active or not organisation_serves(organisation, district):
        errors["organisation"] = ValidationError(
            _("%(organisation)s does not work in %(district)s."),
            code="organisation",
            params={"organisation": organisation.name, "district": district.name},
        )
    if contact is not None and contact.organisation_id != organisation.pk:
        errors["contact"] = ValidationError(
            _("%(contact)s does not work at %(organisation)s."),
            code="contact",
            params={"contact": contact.name, "organisation": organisation.name},
        )
    elif contact is not None and not contact.email:
        errors["contact"] = ValidationError(
            _(
                "%(contact)s has no e-mail address. Please choose another recipient, "
                "or add the address in the directory."
            ),
            code="no_address",
            params={"contact": contact.name},
        )
    elif contact is None and not organisation.email:
        errors["contact"] = ValidationError(
            _(
                "%(organisation)s has no e-mail address of its own. Please choose one of its contact persons, "
                "or add the address in the directory."
            ),
            code="no_address",
            params={"organisation": organisation.name},
        )
    if not message.strip():
        errors["message"] = ValidationError(_("Please write a message to the partner."), code="message")
    return errors


def _due(plan, due_on, errors):
    """The due date (the plan's default when none is given); one in the past is an error in `errors`."""
    today = timezone.localdate()
    due_on = due_on or today + timedelta(days=PLANS[plan].days)
    if due_on <= today:
        errors["due_on"] = ValidationError(_("The due date must lie in the future."), code="due")
    return due_on


def _referral_open(*, verb, audit, plan, due_on, actor, message, **fields):
    """Store a checked referral or request with its secret link, its first step and its audit row: (referral, token)."""
    remind_on, escalate_on = plan_dates(plan, due_on)
    referral = Referral(
        message=message.strip(),
        plan=plan,
        due_on=due_on,
        remind_on=remind_on,
        escalate_on=escalate_on,
        created_by=actor,
        **fields,
    )
    token = _new_link(referral)
    referral.full_clean()
    referral.save()
    _event(referral, ReferralStep.SENT, text=referral.message, author=actor)
    audit_record(
        actor=actor,
        verb=verb,
        target=referral,
        district=referral.district,
        organisation=referral.organisation_id,
        due_on=due_on.isoformat(),
        **audit,
    )
    return referral, token


@transaction.atomic
def referral_request(
    *, subject, district, organisation, actor, message, contact=None, due_on=None, plan=ReferralPlan.STANDARD
):
    """Ask a partner for help with another domain's object (a project's skip): followed like a referral.

    The steps are entries on the object's timeline; the partner answers through the secret link or a partner
    login. Returns (referral, token). Raises ValidationError with code "organisation", "contact",
    "no_address", "message" or "due" (keyed by field).
    """
    errors = _request_errors(district, organisation, contact, message)
    due_on = _due(plan, due_on, errors)
    if errors:
        raise ValidationError(errors)
    referral, token = _referral_open(
        verb="referral.requested",
        audit={},
        subject=subject,
        district=district,
        organisation=organisation,
        contact=contact,
        message=message,
        plan=plan,
        due_on=due_on,
        actor=actor,
    )
    referral_send(referral=referral, token=token)
    return referral, token


@transaction.atomic
def referral_answer(*, referral, actor, text):
    """The team answers a partner's question; the referral goes back to the partner."""
    referral = _locked(referral)
    _check(referral, ReferralStep.ANSWERED)
    if not text.strip():
        raise ValidationError(_("Please write an answer."), code="empty")
    before = referral.status
    referral.status = ReferralStatus.SENT
    referral.save(update_fields=["status", "updated_at"])
    event = _event(referral, ReferralStep.ANSWERED, text=text.strip(), author=actor)
    audit_record(
        actor=actor,
        verb="referral.answered",
        target=referral,
        district=referral.district,
        before=before,
        after=referral.status,
    )
    referral_partner_notify(event=event)
    return referral


@transaction.atomic
def referral_move_due(*, referral, actor, due_on):
    """Move the due date; reminder and escalation follow the plan again."""
    referral = _locked(referral)
    if not referral.is_open:
        raise ValidationError(_("This referral is finished."), code="finished")
    if due_on <= timezone.localdate():
        raise ValidationError({"due_on": ValidationError(_("The due date must lie in the future."), code="due")})
    before = referral.due_on
    referral.due_on = due_on
    referral.remind_on, referral.escalate_on = plan_dates(referral.plan, due_on)
    referral.reminded_at = referral.escalated_at = None
    referral.save(update_fields=["due_on", "remind_on", "escalate_on", "reminded_at", "escalated_at", "updated_at"])
    _event(referral, ReferralStep.DUE_MOVED, text=f"{before:%d.%m.%Y} → {due_on:%d.%m.%Y}", author=actor)
    audit_record(
        actor=actor,
        verb="referral.due_moved",
        target=referral,
        district=referral.district,
        before=before.isoformat(),
        after=due_on.isoformat(),
    )
    return referral


@transaction.atomic
def referral_withdraw(*, referral, actor, reason):
    referral = _locked(referral)
    _check(referral, ReferralStep.WITHDRAWN)
    if not reason.strip():
        raise ValidationError(_("Please give a reason."), code="reason")
    before = referral.status
    referral.status = ReferralStatus.WITHDRAWN
    referral.closed_at = timezone.now()
    referral.link_revoked_at = referral.link_revoked_at or timezone.now()
    referral.save(update_fields=["status", "closed_at", "link_revoked_at", "updated_at"])
    event = _event(referral, ReferralStep.WITHDRAWN, text=reason.strip(), author=actor)
    audit_record(
        actor=actor,
        verb="referral.withdrawn",
        target=referral,
        district=referral.district,
        before=before,
        after=referral.status,
    )
    referral_partner_notify(event=event)
    return referral


@transaction.atomic
def referral_revoke_link(*, referral, actor):
    """The secret link stops working at once (e.g. it reached the wrong person)."""
    referral = _locked(referral)
    if referral.link_revoked_at:
        return referral
    referral.link_revoked_at = timezone.now()
    referral.save(update_fields=["link_revoked_at", "updated_at"])
    _event(referral, ReferralStep.LINK_REVOKED, author=actor)
    audit_record(actor=actor, verb="referral.link_revoked", target=referral, district=referral.district)
    return referral


@transaction.atomic
def referral_renew_link(*, referral, actor):
    """A new secret link (the old one stops working), mailed to the partner. Returns the token.

    Raises ValidationError with code "finished" or "no_address" (the recipient has no e-mail address now).
    """
    referral = _locked(referral)
    if not referral.is_open:
        raise ValidationError(_("This referral is finished."), code="finished")
    if not partner_address(referral):
        raise ValidationError(_("There is no e-mail address to send a new link to."), code="no_address")
    token = _new_link(referral)
    referral.save(update_fields=["token_hash", "link_expires_at", "link_revoked_at", "updated_at"])
    _event(referral, ReferralStep.LINK_RENEWED, author=actor)
    audit_record(actor=actor, verb="referral.link_renewed", target=referral, district=referral.district)
    referral_send(referral=referral, token=token)
    return token


# The partner -------------------------------------------------------------------------------------


def referral_by_token(token):
    """(referral, state) for a partner link: state from link_state(), or (None, "unknown")."""
    referral = (
        Referral.objects.select_related("concern", "concern__category", "district", "organisation", "contact")
        .filter(token_hash=token_hash(token))
        .first()
    )
    if referral is None:
        return None, "unknown"
    return referral, link_state(referral)


def link_state(referral):
    """ "ok", "revoked" or "expired": whether the partner's secret link works."""
    if referral.link_revoked_at:
        return "revoked"
    if referral.link_expires_at <= timezone.now():
        return "expired"
    return "ok"


def _partner_step(referral, kind, *, actor, via_link, text="", public=False, **changes):
    referral = _locked(referral)
    _check(referral, kind)
    before = referral.status
    for field, value in changes.items():
        setattr(referral, field, value)
    if referral.answered_at is None:
        referral.answered_at = timezone.now()
    referral.save()
    event = _event(referral, kind, text=text, public=public, author=actor, via_link=via_link)
    # Before and after only where the step moves the referral (progress leaves it where it is).
    moved = {"before": before, "after": referral.status} if referral.status != before else {}
    audit_record(
        actor=actor,
        verb=f"referral.{kind}",
        target=referral,
        district=referral.district,
        via_link=via_link,
        public=public,
        **moved,
        **({"outcome": referral.outcome} if referral.outcome else {}),
    )
    referral_team_notify(event=event)
    return referral, event


@transaction.atomic
def referral_accept(*, referral, actor=None, via_link=False, text=""):
    """The partner takes it on. A referred concern becomes "in progress" (public)."""
    referral, _step = _partner_step(
        referral,
        ReferralStep.ACCEPTED,
        actor=actor,
        via_link=via_link,
        text=text.strip(),
        status=ReferralStatus.ACCEPTED,
    )
    concern = referral.concern
    if concern is not None and concern.status == ConcernStatus.REFERRED:
        with override(concern.language):
            notice = _("%(partner)s has taken on your concern.") % {"partner": referral.public_name}
        concern_services.concern_reply(
            concern=concern, actor=actor, text=notice, new_status=ConcernStatus.IN_PROGRESS, language=concern.language
        )
    return referral


@transaction.atomic
def referral_ask(*, referral, text, actor=None, via_link=False):
    """The partner asks the team a question (internal); the team answers with referral_answer."""
    if not text.strip():
        raise ValidationError({"text": ValidationError(_("Please write your question."), code="empty")})
    return _partner_step(
        referral,
        ReferralStep.ASKED,
        actor=actor,
        via_link=via_link,
        text=text.strip(),
        status=ReferralStatus.ASKED_BACK,
    )[0]


@transaction.atomic
def referral_reject(*, referral, reason, actor=None, via_link=False):
    """The partner cannot take it (with a reason for the team; internal)."""
    if not reason.strip():
        raise ValidationError({"text": ValidationError(_("Please give the team a reason."), code="reason")})
    return _partner_step(
        referral,
        ReferralStep.REJECTED,
        actor=actor,
        via_link=via_link,
        text=reason.strip(),
        status=ReferralStatus.REJECTED,
        closed_at=timezone.now(),
    )[0]


@transaction.atomic
def referral_progress(*, referral, text, public=False, actor=None, via_link=False):
    """The partner reports progress; `public` shares it with the resident on the concern's page."""
    if not text.strip():
        raise ValidationError({"text": ValidationError(_("Please describe the progress."), code="empty")})
    return _partner_step(
        referral,
        ReferralStep.PROGRESS,
        actor=actor,
        via_link=via_link,
        text=text.strip(),
        public=public,
    )[0]


@transaction.atomic
def referral_close(*, referral, outcome, text="", public=False, actor=None, via_link=False):
    """The partner is done, with an outcome. The concern stays for the team to resolve and explain.

    Solved or partly solved asks the team to check (concerns.services.concern_review_request): the desk
    shows "Partner meldet erledigt – bitte prüfen" and offers the partner's text as the public reason.
    """
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": ValidationError(_("Please choose an outcome."), code="outcome")})
    if public and not text.strip():
        raise ValidationError({"text": ValidationError(_("Please write what the resident should read."), code="empty")})
    referral, step = _partner_step(
        referral,
        ReferralStep.CLOSED,
        actor=actor,
        via_link=via_link,
        text=text.strip(),  # the outcome is the referral's: pages and mails show it with the closing step
        public=public,
        status=ReferralStatus.CLOSED,
        outcome=outcome,
        closed_at=timezone.now(),
    )
    if outcome in SOLVED_OUTCOMES and referral.concern_id:
        concern_services.concern_review_request(concern=referral.concern, entry=step)
    return referral


# Mail and the daily follow-up ---------------------------------------------------------------------


def partner_address(referral):
    """Where the partner's mails go: the chosen contact person, or else the organisation's own address.

    One address per referral, the one its secret link went to: a contact person's link never reaches the
    organisation's general address, and the partner's updates follow the link.
    """
    return referral.contact.email if referral.contact else referral.organisation.email


def _team_addresses(referral):
    return sorted({person.email for person in subjects.team(referral) if person is not None and person.is_active})


def referral_send(*, referral, token):
    """The referral mail with the secret link and the site plan of the spot as a PNG, to the one partner address."""
    about = referral.about
    if address := partner_address(referral):
        plan = []
        if about.lat is not None:
            drawn = site_plan(referral.district, about.lat, about.lon, address=about.address)
            plan.append(("lageplan.png", site_plan_png(drawn), "image/png"))
        mail_send(
            to=address,
            template="network/email/referral" if referral.concern_id else "network/email/request",
            context={"referral": referral, "concern": referral.concern, "about": about, "link": link_url(token)},
            district=referral.district,
            attachments=plan,
        )


def referral_partner_notify(*, event):
    """Tell the partner about the team's answer or a withdrawal (their link still leads to the referral).

    `event` is the step's timeline entry; its context is the referral.
    """
    referral = event.context
    if address := partner_address(referral):
        mail_send(
            to=address,
            template="network/email/partner_update",
            context={"event": event, "referral": referral},
            district=referral.district,
        )


def referral_team_notify(*, event):
    """Tell the team (who referred, who is assigned) what the partner did (`event`: the step's entry)."""
    referral = event.context
    url = settings.SITE_URL + reverse("network:referral", args=[referral.pk])
    for address in _team_addresses(referral):
        mail_send(
            to=address,
            template="network/email/team_update",
            context={"event": event, "referral": referral, "url": url},
            district=referral.district,
        )


def referral_followups_send(*, today=None):
    """Remind partners whose reminder date has come; escalate referrals past their escalation date.

    Each referral is reminded and escalated at most once per due date. Returns (reminded, escalated).
    """
    today = today or timezone.localdate()
    open_ones = Referral.objects.filter(status__in=[ReferralStatus.SENT, ReferralStatus.ACCEPTED])
    reminded = escalated = 0
    for referral in open_ones.filter(remind_on__lte=today, reminded_at=None, escalate_on__gte=today):
        with transaction.atomic():
            locked = _locked(referral)
            locked.reminded_at = timezone.now()
            locked.save(update_fields=["reminded_at", "updated_at"])
            event = _event(locked, ReferralStep.REMINDED, text=f"{locked.due_on:%d.%m.%Y}")
            referral_partner_notify(event=event)
            referral_team_notify(event=event)
        reminded += 1
    overdue = Referral.objects.filter(status__in=OPEN_REFERRAL_STATUSES, escalate_on__lt=today, escalated_at=None)
    for referral in overdue:
        with transaction.atomic():
            locked = _locked(referral)
            locked.escalated_at = timezone.now()
            locked.save(update_fields=["escalated_at", "updated_at"])
            event = _event(locked, ReferralStep.ESCALATED, text=f"{locked.due_on:%d.%m.%Y}")
            audit_record(actor=None, verb="referral.escalated", target=locked, district=locked.district)
            referral_team_notify(event=event)
        escalated += 1
    return reminded, escalated


def overdue_q(today):
    """Open referrals past their escalation date."""
    return Q(status__in=OPEN_REFERRAL_STATUSES, escalate_on__lt=today)
