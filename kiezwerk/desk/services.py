"""Writes of the desk: street round, follow-ups, templates, saved filters, bulk changes, digests.

Every change to a concern goes through `kiezwerk.concerns.services`.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kiezwerk.concerns import services as concern_services
from kiezwerk.concerns.models import Channel, ConcernStatus
from kiezwerk.core import selectors as core_selectors
from kiezwerk.core.mail import mail_send
from kiezwerk.core.services import audit_record

from . import selectors, tasks
from .models import FieldNote, ReplyTemplate, SavedFilter, StreetContact


def _inside(district, lat, lon):
    if lat is not None and not core_selectors.district_contains(district, lat=lat, lon=lon):
        raise ValidationError(
            {
                "location": ValidationError(
                    _("This place lies outside %(district)s."), code="outside", params={"district": district.name}
                )
            }
        )


def _once(model, capture_key, create):
    """Create a row unless one with this capture key exists. Returns (row, created)."""
    if capture_key:
        existing = model.objects.filter(capture_key=capture_key).first()
        if existing:
            return existing, False
    try:
        with transaction.atomic():
            return create(), True
    except IntegrityError:
        existing = model.objects.filter(capture_key=capture_key).first() if capture_key else None
        if existing is None:
            raise
        return existing, False


# Street round --------------------------------------------------------------------------------


def street_contact_record(
    *,
    district,
    author,
    topic,
    at=None,
    lat=None,
    lon=None,
    place="",
    note="",
    language="de",
    people=1,
    capture_key=None,
):
    """Count a conversation on the street (no names). Returns (contact, created)."""
    if topic.district_id != district.pk:
        raise ValidationError({"topic": ValidationError(_("Please choose a topic."), code="topic")})
    _inside(district, lat, lon)

    def create():
        contact = StreetContact(
            district=district,
            author=author,
            at=at or timezone.now(),
            lat=lat,
            lon=lon,
            place=place.strip(),
            topic=topic,
            note=note.strip(),
            language=language,
            people=people,
            capture_key=capture_key or None,
        )
        contact.full_clean(exclude=["capture_key", "concern"])
        contact.save()
        audit_record(actor=author, verb="street_contact.recorded", target=contact, district=district)
        return contact

    return _once(StreetContact, capture_key, create)


@transaction.atomic
def street_contact_to_concern(*, contact, actor):
    """One tap: turn a street contact into a concern (channel "street"). Returns the concern.

    Raises ValidationError(code="no_place") when the contact has no position, or "converted".
    """
    contact = StreetContact.objects.select_for_update().select_related("district", "topic").get(pk=contact.pk)
    if contact.concern_id:
        raise ValidationError(_("This contact has already become a concern."), code="converted")
    if contact.lat is None:
        raise ValidationError(
            _("The contact has no location. Please record the concern with the concern form."), code="no_place"
        )
    concern, _token = concern_services.concern_report(
        district=contact.district,
        category=contact.topic,
        title=contact.topic.name,
        description=contact.note or contact.topic.name,
        lat=contact.lat,
        lon=contact.lon,
        address=contact.place,
        language=contact.language,
        channel=Channel.STREET,
        actor=actor,
    )
    contact.concern = concern
    contact.save(update_fields=["concern"])
    return concern


def field_note_record(
    *,
    district,
    author,
    met,
    text,
    at=None,
    lat=None,
    lon=None,
    place="",
    concern=None,
    follow_up_on=None,
    capture_key=None,
):
    """Write down a conversation: whom the manager met, what was said, when to follow up. Returns (note, created)."""
    if concern is not None and concern.district_id != district.pk:
        raise ValidationError({"concern": ValidationError(_("No such concern in this district."), code="concern")})
    _inside(district, lat, lon)

    def create():
        note = FieldNote(
            district=district,
            author=author,
            at=at or timezone.now(),
            met=met.strip(),
            text=text.strip(),
            lat=lat,
            lon=lon,
            place=place.strip(),
            concern=concern,
            follow_up_on=follow_up_on,
            capture_key=capture_key or None,
        )
        note.full_clean(exclude=["capture_key"])
        note.save()
        audit_record(actor=author, verb="field_note.recorded", target=note, district=district)
        return note

    return _once(FieldNote, capture_key, create)


@transaction.atomic
def field_note_follow_up(*, note, actor, on=None, done=False):
    """Move a note's follow-up date, or mark it done."""
    note = FieldNote.objects.select_for_update().get(pk=note.pk)
    before = note.follow_up_on
    if done:
        note.follow_up_done_at = timezone.now()
    else:
        note.follow_up_on, note.follow_up_done_at = on, None
    note.save(update_fields=["follow_up_on", "follow_up_done_at"])
    audit_record(
        actor=actor,
        verb="field_note.follow_up_done" if done else "field_note.follow_up_set",
        target=note,
        district=note.district,
        before=before.isoformat() if before else "",
        after="" if done or on is None else on.isoformat(),
    )
    return note


# Reply templates and saved filters ------------------------------------------------------------


def reply_template_save(*, district, actor, title, texts, template=None, position=0):
    """Create or change a reply template. `texts` maps language codes to text; German is required."""
    texts = {code: text.strip() for code, text in texts.items() if text and text.strip()}
    if not texts.get("de"):
        raise ValidationError({"text_de": ValidationError(_("The German text is required."), code="required")})
    template = template or ReplyTemplate(district=district)
    template.title, template.texts, template.position = title.strip(), texts, position
    template.full_clean(exclude=["district"])
    try:
        with transaction.atomic():
            template.save()
    except IntegrityError:
        raise ValidationError(
            {"title": ValidationError(_("A template with this title already exists."), code="unique")}
        ) from None
    audit_record(actor=actor, verb="reply_template.saved", target=template, district=district, title=template.title)
    return template


def reply_template_delete(*, template, actor):
    audit_record(
        actor=actor, verb="reply_template.deleted", target=template, district=template.district, title=template.title
    )
    template.delete()


def saved_filter_save(*, user, district, name, query):
    """Keep the inbox's current filters under a name (the same name is overwritten)."""
    name = name.strip()
    if not name:
        raise ValidationError(_("Please give the filter a name."), code="required")
    saved, _created = SavedFilter.objects.update_or_create(
        user=user, district=district, name=name[:60], defaults={"query": query[:1000]}
    )
    return saved


# Bulk changes ------------------------------------------------------------------------------------

BULK_ACTIONS = ("assign", "status", "category")


@transaction.atomic
def concerns_bulk_change(*, district, actor, concerns, action, assignee=None, status=None, category=None, text=""):
    """Assign, change the status or the category of several concerns: all or nothing.

    Raises ValidationError naming the first concern that cannot take the change; nothing is changed then.
    Returns how many concerns were changed.
    """
    if action not in BULK_ACTIONS:
        raise ValidationError(_("Please choose an action."), code="action")
    concerns = list(concerns)
    if not concerns:
        raise ValidationError(_("Please select at least one concern."), code="empty")
    for concern in concerns:
        if concern.district_id != district.pk:
            raise ValidationError(
                _("Concern %(number)s is not in this district."), code="district", params={"number": concern.pk}
            )
        try:
            if action == "assign":
                concern_services.concern_assign(concern=concern, actor=actor, assignee=assignee)
            elif action == "status":
                if not status:
                    raise ValidationError(_("Please choose a status."), code="status")
                if status == ConcernStatus.DUPLICATE:
                    raise ValidationError(_("Mark duplicates one by one on the concern's page."), code="duplicate")
                if status != concern.status:
                    concern_services.concern_reply(concern=concern, actor=actor, text=text, new_status=status)
            else:
                concern_services.concern_categorise(concern=concern, actor=actor, category=category)
        except ValidationError as error:
            raise ValidationError(
                _("No. %(number)s “%(title)s”: %(error)s Nothing was changed."),
                code=getattr(error, "code", None) or "bulk",
                params={"number": concern.pk, "title": concern.title, "error": " ".join(error.messages)},
            ) from error
    return len(concerns)


# Daily digest ---------------------------------------------------------------------------------------


def digests_send(*, today=None):
    """Queue one digest per manager and district with anything to report. Returns how many were queued."""
    today = today or timezone.localdate()
    queued = 0
    for user_id, district_id in selectors.manager_districts():
        transaction.on_commit(lambda u=user_id, d=district_id: tasks.digest_send_task.delay(u, d, today.isoformat()))
        queued += 1
    return queued


def digest_send(*, user, district, today):
    """Mail one manager the district's new, overdue and due-today concerns and notes. Returns False when empty."""
    digest = selectors.digest(district=district, today=today)
    if not any(digest.values()):
        return False
    mail_send(
        to=user.email,
        template="desk/email/digest",
        context={
            **digest,
            "district": district,
            "today": today,
            "inbox_url": settings.SITE_URL + reverse("desk:inbox", args=[district.slug]),
            "today_url": settings.SITE_URL + reverse("desk:today", args=[district.slug]),
        },
        language=user.language or settings.LANGUAGE_CODE,
        district=district,
    )
    return True
