"""The activity layer: one way to record what happens to any object, for every domain.

- `record` writes a timeline `Entry` (public or internal), its audit row (a registered verb) and, for a
  public entry, one mail per confirmed follower into the outbox, all in the caller's transaction.
- `follow` / `follow_confirm` / `follow_cancel`: followers by e-mail with double opt-in and RFC 8058
  one-click unsubscribe (`unsubscribe_headers`).
- `flag_create` / `flag_resolve`: residents point moderators at a contribution; `redaction_record`
  keeps what a moderator changed.

Each app registers, per model, how its mails read (`register`): the follower mail about a public
entry and the confirmation mail. Nothing here knows an app.
"""

import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from .mail import mail_send
from .models import ENTRY_LABELS, Entry, Flag, Follower, Redaction
from .services import audit_record


@dataclass(frozen=True)
class Mails:
    """How a model's followers are written to: each function returns (template, context)."""

    update: callable  # (entry, follower) -> (template, context), or None for no mail
    confirm: callable  # (follower) -> (template, context)
    district: callable = None  # (target) -> District, for the outbox's list of undelivered mails


_mails = {}


def register(model, *, update, confirm, district=None):
    _mails[model._meta.label_lower] = Mails(update=update, confirm=confirm, district=district)


def labels(*, kinds=None, steps=None, statuses=None):
    """Name the values an app stores in entries (TextChoices): `entry.get_kind_display()` and the like show them."""
    for field, choices in (("kind", kinds), ("step", steps), ("status", statuses)):
        if choices is not None:
            ENTRY_LABELS[field].update(choices.choices)


def _mails_for(target):
    try:
        return _mails[target._meta.label_lower]
    except KeyError:
        raise LookupError(f"{target._meta.label_lower} has no follower mails: call activity.register.") from None


def of(target):
    """Entries, followers, flags or redactions of one object: `Entry.objects.filter(**of(concern))`."""
    return {"target_type": ContentType.objects.get_for_model(target), "target_id": target.pk}


# Timeline --------------------------------------------------------------------------------------------

# A value in `record`'s audit data that stands for the new entry's id (e.g. {"update": ENTRY_ID}).
ENTRY_ID = object()


def record(
    *,
    target,
    kind,
    actor=None,
    text="",
    is_public=False,
    language="",
    district=None,
    context=None,
    step="",
    via_link=False,
    old_status="",
    new_status="",
    at=None,
    verb="",
    audit=None,
    notify=True,
):
    """Write one timeline entry of `target`; with `verb`, the audit row; a public entry mails the followers.

    Call it inside the transaction of the change: the entry, the audit row and the mails are stored together.
    """
    entry = Entry.objects.create(
        target=target,
        context=context,
        district=district,
        kind=kind,
        step=step,
        is_public=is_public,
        author=actor if actor is not None and actor.is_authenticated else None,
        via_link=via_link,
        language=language,
        text=text,
        old_status=old_status,
        new_status=new_status,
        created_at=at or timezone.now(),
    )
    if verb:
        data = {key: entry.pk if value is ENTRY_ID else value for key, value in (audit or {}).items()}
        audit_record(actor=actor, verb=verb, target=target, district=district, **data)
    if is_public and notify:
        followers_notify(entry=entry)
    return entry


def followers_notify(*, entry, followers=None):
    """Put one mail per confirmed follower of the entry's object into the outbox (never for internal entries).

    `followers` narrows the recipients (e.g. those who just moved over from a duplicate).
    """
    if not entry.is_public:
        raise ValueError("Internal entries are never mailed.")
    target = entry.target
    mails = _mails_for(target)
    recipients = Follower.objects.filter(**of(target), confirmed_at__isnull=False)
    if followers is not None:
        recipients = Follower.objects.filter(pk__in=[f.pk for f in followers], confirmed_at__isnull=False)
    for follower in recipients:
        written = mails.update(entry, follower)
        if written:
            template, context = written
            _send(follower, template, context, district=entry.district)


def unsubscribe_url(follower):
    return settings.SITE_URL + reverse("core:unsubscribe", args=[follower.token])


def unsubscribe_headers(follower):
    """RFC 8058: mail clients offer a one-click unsubscribe that POSTs to this URL."""
    return {"List-Unsubscribe": f"<{unsubscribe_url(follower)}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def _send(follower, template, context, *, district):
    mail_send(
        to=follower.email,
        template=template,
        context={"unsubscribe_url": unsubscribe_url(follower), **context},
        language=follower.language,
        headers=unsubscribe_headers(follower),
        district=district,
    )


# Followers -----------------------------------------------------------------------------------------------


@transaction.atomic
def follow(*, target, email, language="de"):
    """Ask to follow an object by e-mail; the confirmation mail is sent (again, while not confirmed)."""
    email = email.strip().lower()
    follower, _created = Follower.objects.get_or_create(
        **of(target), email=email, defaults={"language": language, "token": secrets.token_urlsafe(32)}
    )
    if follower.confirmed_at is None:
        mails = _mails_for(target)
        template, context = mails.confirm(follower)
        context = {"confirm_url": settings.SITE_URL + reverse("core:follow-confirm", args=[follower.token]), **context}
        _send(follower, template, context, district=mails.district(target) if mails.district else None)
    return follower


def follow_confirm(*, token):
    """Confirm a follower. Returns it, or None for an unknown token."""
    follower = Follower.objects.filter(token=token).first()
    if follower and follower.confirmed_at is None:
        follower.confirmed_at = timezone.now()
        follower.save(update_fields=["confirmed_at"])
    return follower


def follow_cancel(*, token):
    """Forget a follower (the address is deleted). Returns the followed object, or None."""
    follower = Follower.objects.filter(token=token).first()
    if follower is None:
        return None
    target = follower.target
    follower.delete()
    return target


def followers_move(*, source, target):
    """Move the followers of `source` to `target` (e.g. a duplicate's to its original); one address once.

    Returns the confirmed followers that moved.
    """
    moved = []
    taken = set(Follower.objects.filter(**of(target)).values_list("email", flat=True))
    target_of = of(target)
    for follower in Follower.objects.filter(**of(source)):
        if follower.email in taken:
            follower.delete()
            continue
        follower.target_type, follower.target_id = target_of["target_type"], target_of["target_id"]
        follower.save(update_fields=["target_type", "target_id"])
        if follower.confirmed_at:
            moved.append(follower)
    return moved


# Flags and redaction -------------------------------------------------------------------------------------


def flag_create(*, target, reason, fingerprint, note="", user=None):
    """A resident flags a contribution for the moderators. Returns (flag, created): one open flag per person."""
    try:
        with transaction.atomic():
            flag = Flag.objects.create(
                target=target,
                reason=reason,
                note=note.strip()[:500],
                fingerprint=fingerprint,
                user=user if user is not None and user.is_authenticated else None,
            )
    except IntegrityError:
        return Flag.objects.get(**of(target), fingerprint=fingerprint, resolved_at__isnull=True), False
    return flag, True


def flags_open(target):
    return Flag.objects.filter(**of(target), resolved_at__isnull=True)


def flag_resolve(*, target, actor, district=None):
    """A moderator has looked at every open flag of the object. Returns how many were resolved."""
    count = flags_open(target).update(resolved_at=timezone.now(), resolved_by=actor)
    if count:
        audit_record(actor=actor, verb="flag.resolved", target=target, district=district, flags=count)
    return count


def redaction_record(*, target, field, original, reason, actor, item_id=None):
    """Keep what a moderator changed (the original, for staff only)."""
    return Redaction.objects.create(
        target=target, field=field, item_id=item_id, original=original, reason=reason, actor=actor
    )
