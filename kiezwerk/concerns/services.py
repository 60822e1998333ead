"""Writes for concerns: intake, photos, support, replies, review, and the desk's changes.

The timeline, followers and redactions are core's activity layer: every entry is written by
`activity.record` (with its audit row and the followers' mails), following is `activity.follow`.
"""

import hashlib
import io
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kiezwerk.accounts.access import is_team_of
from kiezwerk.core import activity
from kiezwerk.core import selectors as core_selectors
from kiezwerk.core.intake import photos as intake_photos
from kiezwerk.core.intake import places
from kiezwerk.core.intake.language import written_language
from kiezwerk.core.mail import mail_send
from kiezwerk.core.models import Follower
from kiezwerk.core.services import audit_record, district_touch

from .models import (
    CLOSED_STATUSES,
    OPEN_STATUSES,
    Channel,
    Concern,
    ConcernStatus,
    EntryKind,
    Moderation,
    Photo,
    RedactionField,
    Support,
)

# The state machine: which status may follow which. Closed concerns may be reopened.
# (Kept in step with docs/architecture.md.)
TRANSITIONS = {
    ConcernStatus.NEW: {ConcernStatus.TRIAGED, ConcernStatus.REFERRED, ConcernStatus.IN_PROGRESS, *CLOSED_STATUSES},
    ConcernStatus.TRIAGED: {ConcernStatus.REFERRED, ConcernStatus.IN_PROGRESS, *CLOSED_STATUSES},
    ConcernStatus.REFERRED: {ConcernStatus.TRIAGED, ConcernStatus.IN_PROGRESS, *CLOSED_STATUSES},
    ConcernStatus.IN_PROGRESS: {ConcernStatus.REFERRED, *CLOSED_STATUSES},
    ConcernStatus.RESOLVED: {ConcernStatus.TRIAGED},
    ConcernStatus.DECLINED: {ConcernStatus.TRIAGED},
    ConcernStatus.DUPLICATE: {ConcernStatus.TRIAGED},
}
# Residents need a public reason for these (and for reopening).
REASON_REQUIRED = {ConcernStatus.RESOLVED, ConcernStatus.DECLINED}


def token_hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


def photos_prepare(uploads):
    """Decode, check and re-encode each uploaded photo of a report, before anything is stored.

    The expensive step (`core.intake.photos.photo_process`), once per photo and only for a report that
    has passed every other check. Returns [(unsaved Photo, image, thumbnail)] for `photos_store`.
    Raises ValidationError keyed "photos", naming the file that cannot be used.
    """
    prepared = []
    for position, upload in enumerate(uploads):
        try:
            full, thumb, (width, height) = intake_photos.photo_process(upload)
        except ValidationError as error:
            raise ValidationError({"photos": intake_photos.named(upload, error)}) from error
        photo = Photo(upload_key=secrets.token_urlsafe(32), width=width, height=height, position=position)
        prepared.append((photo, full, thumb))
    return prepared


def photos_store(*, concern, prepared):
    """Store prepared photos (`photos_prepare`) as the concern's, files and rows. Returns the photos."""
    for photo, full, thumb in prepared:
        photo.concern = concern
        photo.image.save(f"{photo.upload_key}.jpg", full, save=False)
        photo.thumbnail.save(f"{photo.upload_key}-thumb.jpg", thumb, save=False)
        photo.save()
    return [photo for photo, _full, _thumb in prepared]


def _photo_files_delete(prepared):
    """Remove the files of photos whose rows were rolled back (no-op for files never written)."""
    for photo, _full, _thumb in prepared:
        photo.image.delete(save=False)
        photo.thumbnail.delete(save=False)


def photo_discard_unattached(*, older_than=timedelta(days=1)):
    """Delete photos that belong to no concern. Returns how many.

    Photos are stored only with the concern they belong to, so none should arise; kept for rows from
    before that (photos were once stored ahead of a form's other fields) and any left by a failure.
    """
    stale = Photo.objects.filter(concern=None, created_at__lt=timezone.now() - older_than)
    count = 0
    for photo in stale:
        photo.image.delete(save=False)
        photo.thumbnail.delete(save=False)
        photo.delete()
        count += 1
    return count


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
    reporter_phone="",
    contact_consent=False,
    language="de",
    channel=Channel.WEB,
    actor=None,
    capture_key=None,
):
    """File a new concern at a point inside the district.

    Returns (concern, tracking_token). The token is shown once and mailed; only its hash is kept.
    A resident who reports on the web gives their contact data themselves; when the team records
    it (street, phone, office) it is stored only with `contact_consent`. A `capture_key` already
    used returns the concern filed with it and no token: the same form is never filed twice.
    `photos` are uploaded files: decoded only once everything else has passed, and stored with the
    concern in one transaction (a refused report stores no photo).
    `language` is the resident's: the tracking link and the replies they follow are mailed in it. On the
    web it is the interface language, and the concern keeps the language its text is written in (detected;
    `language` when the text is too short or mixed to tell). The team states it when it records a concern.
    Raises ValidationError (keyed by field) with code "outside", "category", "too_many_photos",
    "consent", or a photo's code (core.intake.photos.photo_process).
    """
    if capture_key:
        existing = Concern.objects.filter(capture_key=capture_key).first()
        if existing:
            return existing, None
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
    has_contact = any(value.strip() for value in (reporter_name, reporter_email, reporter_phone))
    if has_contact and channel != Channel.WEB and not contact_consent:
        raise ValidationError(
            {
                "contact_consent": ValidationError(
                    _("Contact data may only be stored with the resident's consent."), code="consent"
                )
            }
        )
    if not address.strip():
        # The nearest street and house number of the register: every concern has a place people can read.
        nearest = places.address_for_point(district, lat, lon)
        address = str(nearest) if nearest else ""
    written = language
    if channel == Channel.WEB:
        written = written_language(f"{title}\n{description}", fallback=language)
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
        language=written,
        reporter=reporter if reporter is not None and reporter.is_authenticated else None,
        reporter_name=reporter_name.strip(),
        reporter_email=reporter_email.strip().lower(),
        reporter_phone=reporter_phone.strip(),
        contact_consent_at=timezone.now() if has_contact else None,
        tracking_token_hash=token_hash(token),
        capture_key=capture_key or None,
    )
    concern.full_clean(exclude=["capture_key"])
    prepared = photos_prepare(photos)  # the last check, outside the transaction: decoding takes a while
    try:
        with transaction.atomic():
            return _concern_file(
                concern, token=token, prepared=prepared, actor=actor or reporter, reporter_language=language
            )
    except BaseException:
        _photo_files_delete(prepared)
        raise


def _concern_file(concern, *, token, prepared, actor, reporter_language):
    """The writes of `concern_report`, in its transaction; the reporter's mails are in `reporter_language`."""
    # The capture key's uniqueness is the database's: a twin sent at the same moment (the offline queue
    # retrying while the first request still runs) gets the concern the first one stored, never an error.
    try:
        with transaction.atomic():
            concern.save()
    except IntegrityError:
        existing = Concern.objects.filter(capture_key=concern.capture_key).first() if concern.capture_key else None
        if existing is None:
            raise
        return existing, None
    photos_store(concern=concern, prepared=prepared)
    district = concern.district
    if concern.reporter_email:
        # The reporter follows their concern: replies and status changes reach them by e-mail.
        Follower.objects.create(
            target=concern,
            email=concern.reporter_email,
            language=reporter_language,
            token=secrets.token_urlsafe(32),
            confirmed_at=timezone.now(),
        )
    activity.record(
        target=concern,
        kind=EntryKind.CREATED,
        actor=actor,
        is_public=True,
        language=concern.language,  # the language the report is written in
        district=district,
        at=concern.created_at,
        notify=False,  # the reporter gets the tracking link instead
        verb="concern.reported",
        audit={"category": concern.category.slug, "channel": concern.channel, "photos": len(prepared)},
    )
    if concern.is_public:
        district_touch(district=district)
    if concern.reporter_email:
        concern_send_tracking_link(concern=concern, token=token, language=reporter_language)
    return concern, token


def concern_send_tracking_link(*, concern, token, language):
    mail_send(
        to=concern.reporter_email,
        template="concerns/email/tracking_link",
        context={"concern": concern, "tracking_url": settings.SITE_URL + reverse("concerns:track", args=[token])},
        language=language,
        district=concern.district,
    )


def concern_by_token(token):
    return Concern.objects.select_related("district", "category").filter(tracking_token_hash=token_hash(token)).first()


@transaction.atomic
def concern_support(*, concern, fingerprint, user=None, own=False):
    """Add one supporter ("betrifft mich auch"). Returns False if this person already supports it.

    Raises ValidationError(code="closed") for closed or unpublished concerns, code="own" when `own` (the
    person reported it: their account, or the browser that sent the report).
    """
    if not concern.is_open or not concern.is_public:
        raise ValidationError(_("Only open, published concerns can be supported."), code="closed")
    if own or (user is not None and user.is_authenticated and concern.reporter_id == user.pk):
        raise ValidationError(_("You reported this concern yourself; your report already counts."), code="own")
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


def reason_required(old_status, new_status):
    """Residents need a public reason when their concern is resolved, declined or reopened."""
    return new_status in REASON_REQUIRED or (old_status in CLOSED_STATUSES and new_status not in CLOSED_STATUSES)


def transition_check(concern, new_status):
    if new_status != concern.status and new_status not in TRANSITIONS[concern.status]:
        raise ValidationError(
            _("A concern cannot go from “%(old)s” to “%(new)s”."),
            code="transition",
            params={
                "old": concern.get_status_display(),
                # An unknown status is refused like an illegal one, not with a ValueError.
                "new": ConcernStatus(new_status).label if new_status in ConcernStatus.values else new_status,
            },
        )


@transaction.atomic
def concern_reply(*, concern, actor, text="", new_status=None, is_public=True, at=None, language=""):
    """Add a public reply or an internal note; a public reply may change the status along the state machine.

    Status changes are always public. Followers get an e-mail for every public entry. `language` is the
    language of `text` where it is known (a reply template's, a notice written in the resident's language).
    Raises ValidationError with code "transition", "duplicate", "reason", "empty" or "internal_status".
    """
    concern = Concern.objects.select_for_update().select_related("district").get(pk=concern.pk)
    text = text.strip()
    old_status = concern.status
    status_changed = bool(new_status and new_status != old_status)
    if status_changed:
        if not is_public:
            raise ValidationError(_("A status change is always public; write it as a reply."), code="internal_status")
        transition_check(concern, new_status)
        if new_status == ConcernStatus.DUPLICATE:
            # A duplicate names its original: concern_mark_duplicate.
            raise ValidationError(_("Mark duplicates one by one on the concern's page."), code="duplicate")
        if not text and reason_required(old_status, new_status):
            raise ValidationError(
                _("Please give the residents a reason for “%(new)s”."),
                code="reason",
                params={"new": ConcernStatus(new_status).label},
            )
    if not text and not status_changed:
        raise ValidationError(_("Please write a reply."), code="empty")
    at = at or timezone.now()
    if status_changed:
        _status_set(concern, new_status, at)
        verb, audit = "concern.status_changed", {"before": old_status, "after": new_status, "update": activity.ENTRY_ID}
    else:
        verb = "concern.replied" if is_public else "concern.noted"
        audit = {"update": activity.ENTRY_ID, "length": len(text)}
    entry = activity.record(
        target=concern,
        kind=EntryKind.STATUS if status_changed else (EntryKind.REPLY if is_public else EntryKind.NOTE),
        actor=actor,
        text=text,
        is_public=is_public,
        language=language if text else "",
        district=concern.district,
        old_status=old_status if status_changed else "",
        new_status=new_status if status_changed else "",
        at=at,
        verb=verb,
        audit=audit,
    )
    if is_public and concern.is_public:
        district_touch(district=concern.district)
    return entry


def _status_set(concern, new_status, at):
    concern.status = new_status
    concern.closed_at = at if new_status in CLOSED_STATUSES else None
    concern.review_entry = None  # a partner's "solved" has been answered by the team's decision
    fields = ["status", "closed_at", "review_entry", "updated_at"]
    if new_status in CLOSED_STATUSES and concern.follow_up_on:
        concern.follow_up_on = None  # nothing left to follow up
        fields.append("follow_up_on")
    concern.save(update_fields=fields)


def concern_review_request(*, concern, entry):
    """A partner reports the concern solved (`entry`: their step on its timeline): the team is asked to check.

    The desk lists it as "Partner meldet erledigt – bitte prüfen" until the team changes the status or keeps
    working on it (concern_review_dismiss). A concern already closed is left alone. Returns whether it was asked.
    """
    asked = Concern.objects.filter(pk=concern.pk, status__in=OPEN_STATUSES).update(
        review_entry=entry, updated_at=timezone.now()
    )
    if asked:
        audit_record(
            actor=entry.author,
            verb="concern.review_requested",
            target=concern,
            district=concern.district,
            entry=entry.pk,
        )
    return bool(asked)


@transaction.atomic
def concern_review_dismiss(*, concern, actor):
    """The team checked a partner's "solved" and keeps working on the concern.

    Raises ValidationError(code="no_review") when no partner report waits for a check.
    """
    concern = _locked(concern)
    if concern.review_entry_id is None:
        raise ValidationError(_("No partner has reported this concern as solved."), code="no_review")
    entry_id = concern.review_entry_id
    concern.review_entry = None
    concern.save(update_fields=["review_entry", "updated_at"])
    audit_record(
        actor=actor, verb="concern.review_dismissed", target=concern, district=concern.district, entry=entry_id
    )
    return concern


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
    activity.record(
        target=concern,
        kind=EntryKind.REVIEW,
        actor=actor,
        text=concern.get_moderation_display(),
        district=concern.district,
        verb="concern.reviewed",
        audit={"before": Moderation.PENDING, "after": concern.moderation},
    )
    district_touch(district=concern.district)
    return concern


# The desk: assignment, category, follow-up, duplicates, redaction -------------------------


def _locked(concern):
    # of=("self",): PostgreSQL cannot lock the nullable side of the outer join to the assignee.
    return (
        Concern.objects.select_for_update(of=("self",))
        .select_related("district", "category", "assignee")
        .get(pk=concern.pk)
    )


@transaction.atomic
def concern_assign(*, concern, actor, assignee):
    """Give the concern to a team member of its district, or to nobody (`assignee=None`).

    Raises ValidationError(code="not_team") for anybody outside the district's team.
    """
    concern = _locked(concern)
    if assignee is not None and not is_team_of(assignee, concern.district):
        raise ValidationError(
            _("%(person)s is not on the team of %(district)s."),
            code="not_team",
            params={"person": assignee, "district": concern.district.name},
        )
    before = concern.assignee
    if before == assignee:
        return concern
    concern.assignee = assignee
    concern.save(update_fields=["assignee", "updated_at"])
    audit_record(
        actor=actor,
        verb="concern.assigned",
        target=concern,
        district=concern.district,
        before=str(before or ""),
        after=str(assignee or ""),
    )
    return concern


@transaction.atomic
def concern_categorise(*, concern, actor, category):
    """Move the concern to another category of its district.

    Into a sensitive category a published concern goes back to review; out of one, a
    concern still awaiting review no longer needs it. Raises ValidationError(code="category").
    """
    concern = _locked(concern)
    if category.district_id != concern.district_id or not category.is_active:
        raise ValidationError(
            _("This category is not available in %(district)s."),
            code="category",
            params={"district": concern.district.name},
        )
    before = concern.category
    if before == category:
        return concern
    was_public = concern.is_public
    concern.category = category
    if category.sensitive and concern.moderation == Moderation.NOT_REQUIRED:
        concern.moderation = Moderation.PENDING
    elif not category.sensitive and concern.moderation == Moderation.PENDING:
        concern.moderation = Moderation.NOT_REQUIRED
    concern.save(update_fields=["category", "moderation", "updated_at"])
    audit_record(
        actor=actor,
        verb="concern.categorised",
        target=concern,
        district=concern.district,
        before=before.slug,
        after=category.slug,
        moderation=concern.moderation,
    )
    if was_public or concern.is_public:
        district_touch(district=concern.district)
    return concern


@transaction.atomic
def concern_place_correct(*, concern, actor, street, house_number, move=False):
    """The team corrects the concern's address to a street and number of the register.

    With `move` the marker moves to that address too; otherwise it stays where it was set (the address
    only names it better). Raises ValidationError keyed "street" or "house_number" (core.intake.places).
    """
    concern = _locked(concern)
    found = places.street_named(concern.district, street)
    lat, lon = places.point_for_address(concern.district, found.name, house_number)
    before = concern.address
    concern.address = f"{found.name} {house_number.strip()}"
    fields = ["address", "updated_at"]
    if move:
        concern.lat, concern.lon = lat, lon
        fields += ["lat", "lon"]
    concern.save(update_fields=fields)
    audit_record(
        actor=actor,
        verb="concern.place_corrected",
        target=concern,
        district=concern.district,
        before=before,
        after=concern.address,
        moved=move,
    )
    if concern.is_public:
        district_touch(district=concern.district)
    return concern


@transaction.atomic
def concern_language_set(*, concern, actor, language):
    """The team corrects the language the concern is written in (a code of `settings.CONTENT_LANGUAGES`).

    Reply templates and the `lang` of its text follow it. Raises ValidationError keyed "language" (code
    "language") for any other code.
    """
    if language not in dict(settings.CONTENT_LANGUAGES):
        raise ValidationError(
            {"language": ValidationError(_("Please choose one of the languages offered."), code="language")}
        )
    concern = _locked(concern)
    before = concern.language
    if before == language:
        return concern
    concern.language = language
    concern.save(update_fields=["language", "updated_at"])
    audit_record(
        actor=actor,
        verb="concern.language_set",
        target=concern,
        district=concern.district,
        before=before,
        after=language,
    )
    if concern.is_public:
        district_touch(district=concern.district)
    return concern


@transaction.atomic
def concern_follow_up(*, concern, actor, on):
    """Set (a date) or clear (None) the concern's follow-up date."""
    concern = _locked(concern)
    before = concern.follow_up_on
    if before == on:
        return concern
    concern.follow_up_on = on
    concern.save(update_fields=["follow_up_on", "updated_at"])
    audit_record(
        actor=actor,
        verb="concern.follow_up_set",
        target=concern,
        district=concern.district,
        before=before.isoformat() if before else "",
        after=on.isoformat() if on else "",
    )
    return concern


@transaction.atomic
def concern_mark_duplicate(*, concern, actor, original, text=""):
    """Close `concern` as a duplicate of `original`; its supporters and followers move over.

    The followers of the duplicate (the reporter among them) are told by the public status
    entry, which names the original. The duplicate itself counts as one supporter of the
    original. Raises ValidationError with code "same", "district", "original_duplicate" or
    "transition".
    """
    concern = _locked(concern)
    original = Concern.objects.select_for_update().get(pk=original.pk)
    if original.pk == concern.pk:
        raise ValidationError(_("A concern cannot be a duplicate of itself."), code="same")
    if original.district_id != concern.district_id:
        raise ValidationError(_("The original must belong to the same district."), code="district")
    if original.status == ConcernStatus.DUPLICATE:
        raise ValidationError(
            _("Concern %(number)s is itself a duplicate; please choose its original."),
            code="original_duplicate",
            params={"number": original.pk},
        )
    transition_check(concern, ConcernStatus.DUPLICATE)
    at = timezone.now()
    with translation.override(concern.language):
        notice = _("This concern had already been reported: “%(title)s” (no. %(number)s). Please follow it there.") % {
            "title": original.title,
            "number": original.pk,
        }
    old_status = concern.status
    concern.duplicate_of = original
    _status_set(concern, ConcernStatus.DUPLICATE, at)
    concern.save(update_fields=["duplicate_of"])

    # Supporters: each person counts once on the original.
    taken = set(original.supports.values_list("fingerprint", flat=True))
    moving = concern.supports.exclude(fingerprint__in=taken)
    moved_supports = moving.update(concern=original)
    concern.supports.all().delete()
    Support.objects.get_or_create(
        concern=original, fingerprint=hashlib.sha256(f"duplicate:{concern.pk}".encode()).hexdigest()
    )
    original.supporter_count = original.supports.count()
    original.save(update_fields=["supporter_count", "updated_at"])
    Concern.objects.filter(pk=concern.pk).update(supporter_count=0)

    # Followers follow the original from now on; each confirmed one (also one who followed both) is told once.
    emails = list(concern.followers.filter(confirmed_at__isnull=False).values_list("email", flat=True))
    activity.followers_move(source=concern, target=original)
    recipients = list(original.followers.filter(email__in=emails, confirmed_at__isnull=False))
    entry = activity.record(
        target=concern,
        kind=EntryKind.STATUS,
        actor=actor,
        text=f"{notice}\n\n{text.strip()}".strip(),
        is_public=True,
        language=concern.language if not text.strip() else "",
        district=concern.district,
        old_status=old_status,
        new_status=ConcernStatus.DUPLICATE,
        at=at,
        verb="concern.marked_duplicate",
        audit={
            "before": old_status,
            "after": ConcernStatus.DUPLICATE,
            "original": original.pk,
            "supports_moved": moved_supports,
            "subscriptions_moved": len(recipients),
        },
        notify=False,  # the duplicate has no followers left: they are told below, on the original
    )
    activity.followers_notify(entry=entry, followers=recipients)
    district_touch(district=concern.district)
    return concern


@transaction.atomic
def concern_redact(*, concern, actor, field, text, reason):
    """Replace the title or description with a redacted text; the original is kept for staff.

    Raises ValidationError with code "field", "reason" or "empty".
    """
    if field not in (RedactionField.TITLE, RedactionField.DESCRIPTION):
        raise ValidationError(_("Only the subject and the description can be redacted."), code="field")
    if not reason.strip():
        raise ValidationError(_("Please give a reason for the redaction."), code="reason")
    text = text.strip()
    if not text:
        raise ValidationError(_("The redacted text must not be empty."), code="empty")
    concern = _locked(concern)
    original = getattr(concern, field)
    if original == text:
        return concern
    setattr(concern, field, text)
    concern.full_clean(exclude=["capture_key", "duplicate_of", "assignee", "reporter"])
    concern.save(update_fields=[field, "updated_at"])
    redaction = activity.redaction_record(
        target=concern, field=field, original=original, reason=reason.strip(), actor=actor
    )
    audit_record(
        actor=actor,
        verb="concern.redacted",
        target=concern,
        district=concern.district,
        field=field,
        redaction=redaction.pk,
        reason=reason.strip(),
    )
    if concern.is_public:
        district_touch(district=concern.district)
    return concern


@transaction.atomic
def photo_redact(*, photo, actor, reason):
    """Replace a photo's public files by a blurred copy; keep the original in private storage.

    Raises ValidationError with code "reason" or "already".
    """
    if not reason.strip():
        raise ValidationError(_("Please give a reason for the redaction."), code="reason")
    photo = Photo.objects.select_for_update(of=("self",)).select_related("concern__district").get(pk=photo.pk)
    if photo.original:
        raise ValidationError(_("This photo has already been redacted."), code="already")
    with photo.image.open("rb") as source:
        content = source.read()
    full, thumb = intake_photos.photo_blur(io.BytesIO(content))
    old_image, old_thumb = photo.image.name, photo.thumbnail.name
    photo.original.save(f"{photo.upload_key}-original.jpg", ContentFile(content), save=False)
    key = secrets.token_urlsafe(32)
    photo.image.save(f"{key}.jpg", full, save=False)
    photo.thumbnail.save(f"{key}-thumb.jpg", thumb, save=False)
    photo.save(update_fields=["original", "image", "thumbnail"])
    storage = photo.image.storage
    transaction.on_commit(lambda: (storage.delete(old_image), storage.delete(old_thumb)))
    concern = photo.concern
    redaction = activity.redaction_record(
        target=concern, field=RedactionField.PHOTO, item_id=photo.pk, original="", reason=reason.strip(), actor=actor
    )
    audit_record(
        actor=actor,
        verb="concern.photo_redacted",
        target=concern,
        district=concern.district,
        photo=photo.pk,
        redaction=redaction.pk,
        reason=reason.strip(),
    )
    return photo


# Personal data of reporters ---------------------------------------------------------------


@transaction.atomic
def reporter_anonymise(*, concerns, actor, reason):
    """Clear reporter name, e-mail, phone and account link; the reporter no longer follows it nor signs its report.

    The concerns themselves stay. Returns how many concerns were changed.
    """
    count = 0
    # of=("self",): callers may filter through the reporter (an outer join PostgreSQL cannot lock).
    for concern in concerns.select_for_update(of=("self",)).select_related("district"):
        emails = {e for e in (concern.reporter_email, concern.reporter.email if concern.reporter else "") if e}
        if not (emails or concern.reporter_name or concern.reporter_phone or concern.reporter_id):
            continue
        concern.followers.filter(email__in=emails).delete()
        if concern.reporter_id:
            concern.entries.filter(kind=EntryKind.CREATED, author=concern.reporter_id).update(author=None)
        concern.reporter_name = concern.reporter_email = concern.reporter_phone = ""
        concern.reporter = None
        concern.contact_consent_at = None
        concern.save(
            update_fields=["reporter_name", "reporter_email", "reporter_phone", "reporter", "contact_consent_at"]
        )
        audit_record(
            actor=actor, verb="concern.reporter_anonymised", target=concern, district=concern.district, reason=reason
        )
        count += 1
    return count


@transaction.atomic
def reporter_erase(*, concerns, followers, actor):
    """A person's request (Art. 17): anonymise the concerns they reported, delete their following. Counts."""
    # Counted first: anonymising deletes the following of the person's own concerns.
    unsubscribed = followers.count()
    anonymised = reporter_anonymise(concerns=concerns, actor=actor, reason="request")
    followers.delete()
    return {"concerns": anonymised, "subscriptions": unsubscribed}


def retention_apply(*, months=None, now=None):
    """Anonymise reporters of concerns closed more than `months` ago (default RETENTION_MONTHS). Returns how many."""
    months = settings.RETENTION_MONTHS if months is None else months
    cutoff = (now or timezone.now()) - timedelta(days=round(months * 30.44))
    concerns = Concern.objects.filter(status__in=CLOSED_STATUSES, closed_at__lt=cutoff).exclude(
        reporter_name="", reporter_email="", reporter_phone="", reporter__isnull=True
    )
    return reporter_anonymise(concerns=concerns, actor=None, reason=f"retention:{months}")


@transaction.atomic
def concern_flag(*, concern, reason, fingerprint, note="", user=None):
    """A resident flags a published concern for the moderators. Returns False when this person already did.

    Raises ValidationError(code="closed") for a concern that is not public.
    """
    if not concern.is_public:
        raise ValidationError(_("Only published concerns can be reported to the moderators."), code="closed")
    _flag, created = activity.flag_create(target=concern, reason=reason, fingerprint=fingerprint, note=note, user=user)
    if created:
        audit_record(actor=user, verb="concern.flagged", target=concern, district=concern.district, reason=reason)
    return created


@transaction.atomic
def concern_flags_resolve(*, concern, actor):
    """A moderator has looked at the concern's open flags (and redacted or left it). Returns how many."""
    return activity.flag_resolve(target=concern, actor=actor, district=concern.district)
