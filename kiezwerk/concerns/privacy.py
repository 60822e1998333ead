"""Personal data of concerns (see core.privacy): reporters' name, e-mail and phone, and subscriptions."""

from functools import reduce
from operator import or_

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kiezwerk.core import privacy
from kiezwerk.core.models import Entry, Follower

from . import services
from .models import Concern, Photo


def _concerns(subject):
    """Concerns the person reported: by e-mail address, through their account, or by phone number."""
    concerns = Concern.objects.filter(district__in=subject.districts)
    conditions = []
    if subject.email:
        conditions.append(Q(reporter_email__iexact=subject.email) | Q(reporter__email__iexact=subject.email))
    if subject.phone_key:
        conditions.append(privacy.phone_q(concerns, "reporter_phone", subject))
    return concerns.filter(reduce(or_, conditions)) if conditions else concerns.none()


def _subscriptions(subject):
    """The person's following of concerns (core.Follower), by e-mail address."""
    if not subject.email:
        return Follower.objects.none()
    return Follower.objects.filter(concern__district__in=subject.districts, email__iexact=subject.email)


class Reporters(privacy.Provider):
    key = "concerns"
    label = gettext_lazy("Concerns and subscriptions")
    erase_text = gettext_lazy(
        "Concerns: the reporter's name, e-mail address, phone number and account link are removed; "
        "the concerns themselves remain. Subscriptions are deleted."
    )
    erased = {"concerns": gettext_lazy("Concerns anonymised"), "subscriptions": gettext_lazy("Subscriptions deleted")}

    def find(self, subject):
        records = []
        for c in _concerns(subject).order_by("pk"):
            details = " · ".join(v for v in (c.reporter_name, c.reporter_email, c.reporter_phone) if v) or "–"
            records.append(privacy.Record(f"#{c.pk} {c.title} ({details})", reverse("desk:concern", args=[c.pk])))
        for s in _subscriptions(subject).prefetch_related("target").order_by("pk"):
            text = _("Follows #%(number)s %(title)s") % {"number": s.target_id, "title": s.target.title}
            records.append(privacy.Record(text, reverse("desk:concern", args=[s.target_id])))
        return records

    def export(self, subject):
        concerns = _concerns(subject).select_related("district", "category").order_by("pk")
        photo_counts = {}
        for concern_id in Photo.objects.filter(concern__in=concerns).values_list("concern_id", flat=True):
            photo_counts[concern_id] = photo_counts.get(concern_id, 0) + 1
        public_updates = {}
        for update in Entry.objects.filter(concern__in=concerns, is_public=True).order_by("created_at", "pk"):
            public_updates.setdefault(update.target_id, []).append(
                {
                    "at": update.created_at.isoformat(),
                    "kind": update.kind,
                    "text": update.text,
                    "status": update.new_status,
                }
            )
        return {
            "concerns": [
                {
                    "id": c.pk,
                    "district": c.district.slug,
                    "created": c.created_at.isoformat(),
                    "category": c.category.name,
                    "title": c.title,
                    "description": c.description,
                    "address": c.address,
                    "lat": c.lat,
                    "lon": c.lon,
                    "status": c.status,
                    "channel": c.channel,
                    "language": c.language,
                    "reporter_name": c.reporter_name,
                    "reporter_email": c.reporter_email,
                    "reporter_phone": c.reporter_phone,
                    "contact_consent_at": c.contact_consent_at.isoformat() if c.contact_consent_at else None,
                    "photos": photo_counts.get(c.pk, 0),
                    "public_updates": public_updates.get(c.pk, []),
                }
                for c in concerns
            ],
            "subscriptions": [
                {
                    "concern": s.target_id,
                    "language": s.language,
                    "created": s.created_at.isoformat(),
                    "confirmed": s.confirmed_at.isoformat() if s.confirmed_at else None,
                }
                for s in _subscriptions(subject).order_by("pk")
            ],
        }

    def erase(self, subject, *, actor):
        return services.reporter_erase(concerns=_concerns(subject), followers=_subscriptions(subject), actor=actor)

    def retain(self, *, now):
        """Reporters of concerns closed longer than RETENTION_MONTHS are anonymised."""
        return {"concerns": services.retention_apply(now=now)}


privacy.register(Reporters())
