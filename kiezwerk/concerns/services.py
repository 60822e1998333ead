"""Writes for concerns: intake, photos, support, subscriptions, replies, review."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kiezwerk.core import selectors as core_selectors
from kiezwerk.core.mail import mail_send
from kiezwerk.core.services import audit_record, district_touch

from . import images, tasks
from .models import (
    CLOSED_STATUSES,
    Concern,
    ConcernStatus,
    Moderation,
    Photo,
    Subscription,
    Support,
    Update,
    UpdateKind,
)

# The state machine: which status may follow which. Closed concerns may be reopened.
TRANSITIONS = {
    ConcernStatus.NEW: {ConcernStatus.TRIAGED, ConcernStatus.REFERRED, ConcernStatus.IN_PROGRESS, *CLOSED_STATUSES},
    ConcernStatus.TRIAGED: {ConcernStatus.REFERRED, ConcernStatus.IN_PROGRESS, *CLOSED_STATUSES},
    ConcernStatus.REFERRED: {ConcernStatus.TRIAGED, ConcernStatus.IN_PROGRESS, *CLOSED_STATUSES},
    ConcernStatus.IN_PROGRESS: {ConcernStatus.REFERRED, *CLOSED_STATUSES},
    ConcernStatus.RESOLVED: {ConcernStatus.TRIAGED},
    ConcernStatus.DECLINED: {ConcernStatus.TRIAGED},
    ConcernStatus.DUPLICATE: {ConcernStatus.TRIAGED},
}


def token_hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


def photo_upload(*, file):
    """Check and re-encode one uploaded photo; keep it unattached until the report is sent.

    Raises ValidationError (see images.photo_process).
    """
    full, thumb, (width, height) = images.photo_process(file)
    key = secrets.token_urlsafe(32)
    photo = Photo(upload_key=key, width=width, height=height)
    photo.image.save(f"{key}.jpg", full, save=False)
    photo.thumbnail.save(f"{key}-thumb.jpg", thumb, save=False)
    photo.save()
    return photo


def photo_discard_unattached(*, older_than=timedelta(days=1)):
    """Delete photos of reports that were never sent. Returns how many."""
    stale = Photo.objects.filter(concern=None, created_at__lt=timezone.now() - older_than)
    count = 0
    for photo in stale:
        photo.image.delete(save=False)
        photo.thumbnail.delete(save=False)
        photo.delete()
        count += 1
    return count


@transaction.atomic
def concern_report(
    *,
    district,
    category,
    title,
    description,
    lat,
    lon,
    address="",
    photos=(),
    reporter=None,
    reporter_name="",
    reporter_email="",
    language="de",
    channel="web",
):
    """File a new concern at a point inside the district.

    Returns (concern, tracking_token). The token is shown once and mailed; only its hash is kept.
    Raises ValidationError (keyed by field) with code "outside", "category" or "too_many_photos".
    """
    if not core_selectors.district_contains(district, lat=lat, lon=lon):
        raise ValidationError(
            {
                "location": ValidationError(
                    _("This place lies outside %(district)s. Please choose a place inside the district."),
                    code="outside",
                    params={"district": district.name},
                )
            }
        )
    if category.district_id != district.pk or not category.is_active:
        raise ValidationError(
            {
                "category": ValidationError(
                    _("This category is not available in %(district)s."),
                    code="category",
                    params={"district": district.name},
                )
            }
        )
    if len(photos) > settings.MAX_PHOTOS:
        raise ValidationError(
            {
                "photos": ValidationError(
                    _("At most %(max)s photos."), code="too_many_photos", params={"max": settings.MAX_PHOTOS}
                )
            }
        )
    token = secrets.token_urlsafe(24)
    concern = Concern(
        district=district,
        category=category,
        title=title.strip(),
        description=description.strip(),
        lat=lat,
        lon=lon,
        address=address,
        moderation=Moderation.PENDING if category.sensitive else Moderation.NOT_REQUIRED,
        channel=channel,
        language=language,
        reporter=reporter if reporter is not None and reporter.is_authenticated else None,
        reporter_name=reporter_name.strip(),
        reporter_email=reporter_email.strip().lower(),
        tracking_token_hash=token_hash(token),
    )
    concern.full_clean()
    concern.save()
    for position, photo in enumerate(photos):
        Photo.objects.filter(pk=photo.pk, concern=None).update(concern=concern, position=position)
    Update.objects.create(concern=concern, kind=UpdateKind.CREATED, created_at=concern.created_at)
    audit_record(
        actor=reporter,
        verb="concern.reported",
        target=concern,
        district=district,
        category=category.slug,
        channel=channel,
        photos=len(photos),
    )
    if concern.is_public:
        district_touch(district=district)
    if concern.reporter_email:
        transaction.on_commit(lambda: tasks.concern_send_tracking_link_task.delay(concern.pk, token))
    return concern, token


def concern_send_tracking_link(*, concern, token):
    mail_send(
        to=concern.reporter_email,
        template="concerns/email/tracking_link",
        context={"concern": concern, "tracking_url": settings.SITE_URL + reverse("concerns:track", args=[token])},
        language=concern.language,
    )


def concern_by_token(token):
    return Concern.objects.select_related("district", "category").filter(tracking_token_hash=token_hash(token)).first()


@transaction.atomic
def concern_support(*, concern, fingerprint, user=None):
    """Add one supporter ("betrifft mich auch"). Returns False if this person already supports it.

    Raises ValidationError(code="closed") for closed or unpublished concerns.
    """
    if not concern.is_open or not concern.is_public:
        raise ValidationError(_("Only open, published concerns can be supported."), code="closed")
    try:
        with transaction.atomic():
            Support.objects.create(
                concern=concern, fingerprint=fingerprint, user=user if user and user.is_authenticated else None
            )
    except IntegrityError:
        return False
    Concern.objects.filter(pk=concern.pk).update(supporter_count=F("supporter_count") + 1)
    concern.refresh_from_db(fields=["supporter_count"])
    district_touch(district=concern.district)
    return True


@transaction.atomic
def subscription_request(*, concern, email, language="de"):
    """Ask to follow a concern by e-mail; a confirmation mail is sent (again, if not confirmed)."""
    email = email.strip().lower()
    subscription, _created = Subscription.objects.get_or_create(
        concern=concern, email=email, defaults={"language": language, "token": secrets.token_urlsafe(32)}
    )
    if subscription.confirmed_at is None:
        transaction.on_commit(lambda: tasks.subscription_send_confirmation_task.delay(subscription.pk))
    return subscription


def subscription_send_confirmation(*, subscription):
    unsubscribe_url = settings.SITE_URL + reverse("concerns:unsubscribe", args=[subscription.token])
    mail_send(
        to=subscription.email,
        template="concerns/email/subscription_confirm",
        context={
            "concern": subscription.concern,
            "concern_url": settings.SITE_URL + subscription.concern.get_absolute_url(),
            "confirm_url": settings.SITE_URL + reverse("concerns:subscription-confirm", args=[subscription.token]),
            "unsubscribe_url": unsubscribe_url,
        },
        language=subscription.language,
        headers={"List-Unsubscribe": f"<{unsubscribe_url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
    )


def subscription_confirm(*, token):
    """Confirm a subscription. Returns it, or None for an unknown token."""
    subscription = Subscription.objects.select_related("concern").filter(token=token).first()
    if subscription and subscription.confirmed_at is None:
        subscription.confirmed_at = timezone.now()
        subscription.save(update_fields=["confirmed_at"])
    return subscription


def subscription_cancel(*, token):
    """Forget a subscription (the address is deleted). Returns the concern, or None."""
    subscription = Subscription.objects.select_related("concern").filter(token=token).first()
    if subscription is None:
        return None
    subscription.delete()
    return subscription.concern


@transaction.atomic
def concern_reply(*, concern, actor, text="", new_status=None, is_public=True, at=None):
    """Add a reply or internal note, optionally changing the status along the state machine.

    Raises ValidationError with code "transition" or "empty".
    """
    concern = Concern.objects.select_for_update().get(pk=concern.pk)
    text = text.strip()
    old_status = concern.status
    if new_status and new_status != old_status and new_status not in TRANSITIONS[old_status]:
        raise ValidationError(
            _("A concern cannot go from “%(old)s” to “%(new)s”."),
            code="transition",
            params={"old": concern.get_status_display(), "new": ConcernStatus(new_status).label},
        )
    if not text and not new_status:
        raise ValidationError(_("Please write a reply."), code="empty")
    at = at or timezone.now()
    status_changed = bool(new_status and new_status != old_status)
    update = Update.objects.create(
        concern=concern,
        kind=UpdateKind.STATUS if status_changed else (UpdateKind.REPLY if is_public else UpdateKind.NOTE),
        is_public=is_public,
        author=actor,
        text=text,
        old_status=old_status if status_changed else "",
        new_status=new_status if status_changed else "",
        created_at=at,
    )
    if status_changed:
        concern.status = new_status
        concern.closed_at = at if new_status in CLOSED_STATUSES else None
        concern.save(update_fields=["status", "closed_at", "updated_at"])
        audit_record(
            actor=actor,
            verb="concern.status_changed",
            target=concern,
            district=concern.district,
            before=old_status,
            after=new_status,
        )
    if is_public and concern.is_public:
        district_touch(district=concern.district)
    return update


@transaction.atomic
def concern_review(*, concern, actor, publish):
    """A moderator publishes a sensitive concern or keeps it internal.

    Raises ValidationError(code="not_pending") when there is nothing to review.
    """
    concern = Concern.objects.select_for_update().get(pk=concern.pk)
    if concern.moderation != Moderation.PENDING:
        raise ValidationError(_("This concern is not awaiting review."), code="not_pending")
    concern.moderation = Moderation.APPROVED if publish else Moderation.REJECTED
    concern.save(update_fields=["moderation", "updated_at"])
    Update.objects.create(
        concern=concern,
        kind=UpdateKind.REVIEW,
        is_public=False,
        author=actor,
        text=concern.get_moderation_display(),
        created_at=timezone.now(),
    )
    audit_record(
        actor=actor,
        verb="concern.reviewed",
        target=concern,
        district=concern.district,
        before=Moderation.PENDING,
        after=concern.moderation,
    )
    district_touch(district=concern.district)
    return concern
