"""Writes of the network directory: organisations, contacts, relationships, interactions.

Audit rows name the fields that changed, never their values: contacts are personal data.
"""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kiezwerk.core import activity
from kiezwerk.core.services import audit_record

from ..models import Contact, InteractionKind, LegalBasis, Organisation, Relationship
from ..selectors import directory as selectors

NOTE_MAX_LENGTH = 5000  # an interaction's note (the entry's text)
ORGANISATION_FIELDS = [
    "name",
    "kind",
    "city",
    "whole_city",
    "area_note",
    "description",
    "topics",
    "competencies",
    "languages",
    "opening_hours",
    "email",
    "phone",
    "website",
    "address",
    "lat",
    "lon",
    "visibility",
    "is_active",
]
CONTACT_FIELDS = [
    "name",
    "role",
    "organisation",
    "email",
    "phone",
    "channels",
    "languages",
    "notes",
    "legal_basis",
    "consent_note",
    "last_confirmed_on",
]


def _error(field, message, code, **params):
    return ValidationError({field: ValidationError(message, code=code, params=params or None)})


def _assign(row, names, values):
    """Set the given attributes; returns the names whose value changed."""
    changed = []
    for name in names:
        if name in values and getattr(row, name) != values[name]:
            setattr(row, name, values[name])
            changed.append(name)
    return changed


@transaction.atomic
def organisation_save(*, district, actor, organisation=None, districts=(), **fields):
    """Create or change an organisation; it must go on serving `district` (where the manager works).

    `districts` replaces the districts served. Raises ValidationError with codes "position" (only one
    of lat/lon), "city" (whole city without a city), "not_served" (would not serve `district`) and
    the model's own field errors.
    """
    created = organisation is None
    organisation = Organisation() if created else Organisation.objects.select_for_update().get(pk=organisation.pk)
    changed = _assign(organisation, ORGANISATION_FIELDS, fields)
    for name in ("topics", "languages"):
        setattr(organisation, name, sorted(set(getattr(organisation, name) or [])))
    if (organisation.lat is None) != (organisation.lon is None):
        raise _error("lat", _("Please give both latitude and longitude, or neither."), "position")
    if organisation.whole_city and not organisation.city.strip():
        raise _error("city", _("An organisation serving the whole city needs its city."), "city")
    districts = list(districts)
    serves_here = any(d.pk == district.pk for d in districts) or (
        organisation.whole_city and district.city and organisation.city.strip().casefold() == district.city.casefold()
    )
    if not serves_here:
        raise _error(
            "districts",
            _("The organisation must serve %(district)s, or it would disappear from its directory."),
            "not_served",
            district=district.name,
        )
    organisation.full_clean()
    organisation.save()
    before = set(organisation.districts.values_list("pk", flat=True)) if not created else set()
    after = {d.pk for d in districts}
    if before != after:
        organisation.districts.set(districts)
        changed.append("districts")
    if created or changed:
        audit_record(
            actor=actor,
            verb="organisation.created" if created else "organisation.changed",
            target=organisation,
            district=district,
            fields=sorted(changed),
        )
    return organisation


def _check_contact(contact, district):
    today = timezone.localdate()
    if not contact.legal_basis:
        raise _error("legal_basis", _("Please record the legal basis for storing this person's data."), "legal_basis")
    if contact.legal_basis == LegalBasis.CONSENT and not contact.consent_note.strip():
        raise _error("consent_note", _("For consent, please note when and how the person agreed."), "consent_note")
    if contact.last_confirmed_on is None:
        raise _error("last_confirmed_on", _("Please enter when the data was last confirmed."), "last_confirmed_on")
    if contact.last_confirmed_on > today:
        raise _error("last_confirmed_on", _("The date of the last confirmation lies in the future."), "future")
    if contact.organisation_id and not selectors.organisation_serves(contact.organisation, district):
        raise _error("organisation", _("Please choose an organisation of this district."), "organisation")


@transaction.atomic
def contact_save(*, district, actor, contact=None, **fields):
    """Create or change a contact person of `district`.

    Raises ValidationError with codes "legal_basis", "consent_note" (consent without a note),
    "last_confirmed_on" (missing), "future", "organisation" (not serving the district) and the
    model's own field errors.
    """
    created = contact is None
    contact = Contact() if created else Contact.objects.select_for_update().get(pk=contact.pk)
    changed = _assign(contact, CONTACT_FIELDS, fields)
    contact.languages = sorted(set(contact.languages or []))
    _check_contact(contact, district)
    contact.full_clean()
    contact.save()
    if created:
        contact.districts.add(district)
    if created or changed:
        audit_record(
            actor=actor,
            verb="contact.created" if created else "contact.changed",
            target=contact,
            district=district,
            fields=sorted(changed),
        )
    return contact


@transaction.atomic
def contact_confirm(*, contact, district, actor, on=None):
    """Record that the contact's data was confirmed (today by default). Raises ValidationError(code="future")."""
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise _error("last_confirmed_on", _("The date of the last confirmation lies in the future."), "future")
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    before = contact.last_confirmed_on
    contact.last_confirmed_on = on
    contact.save(update_fields=["last_confirmed_on", "updated_at"])
    audit_record(
        actor=actor, verb="contact.confirmed", target=contact, district=district, before=str(before), after=str(on)
    )
    return contact


@transaction.atomic
def contact_erase(*, contact, district, actor):
    """Remove a contact person's personal data on request (Art. 17). Returns "anonymised" or "deleted".

    A person that a referral, relationship or interaction refers to stays as an anonymous entry, so
    that history keeps its ends; a person nothing refers to is deleted. Audited without the values.
    """
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    in_use = (
        Relationship.objects.filter(Q(from_contact=contact) | Q(to_contact=contact)).exists()
        or selectors.interactions().filter(selectors.met_q([contact.pk])).exists()
        or contact.referrals.exists()
    )
    if not in_use:
        audit_record(actor=actor, verb="contact.deleted", target=contact, district=district)
        contact.delete()
        return "deleted"
    contact.name = _("Erased person")
    contact.role = contact.email = contact.phone = contact.channels = contact.notes = contact.consent_note = ""
    contact.languages = []
    contact.last_confirmed_on = timezone.localdate()  # nothing is left to confirm: not flagged as stale
    contact.save()
    audit_record(actor=actor, verb="contact.anonymised", target=contact, district=district)
    return "anonymised"


def _end(value, side):
    """Keyword arguments for one end of a relationship (an Organisation or a Contact)."""
    if isinstance(value, Organisation):
        return {f"{side}_organisation": value}
    if isinstance(value, Contact):
        return {f"{side}_contact": value}
    raise _error(side, _("Please choose an organisation or a person."), "end")


@transaction.atomic
def relationship_save(*, district, actor, from_end, to_end, label, reverse_label, started_on=None, note=""):
    """Record who knows whom: `from_end` `label` `to_end` (and `to_end` `reverse_label` `from_end`).

    Raises ValidationError with codes "end" (missing end), "same" (both ends the same), "future"
    (starts after today) and the model's own field errors.
    """
    if from_end is not None and to_end is not None and type(from_end) is type(to_end) and from_end.pk == to_end.pk:
        raise _error("to_end", _("A relationship needs two different ends."), "same")
    if started_on and started_on > timezone.localdate():
        raise _error("started_on", _("The start lies in the future."), "future")
    relationship = Relationship(
        district=district,
        label=label.strip(),
        reverse_label=reverse_label.strip(),
        started_on=started_on,
        note=note,
        **_end(from_end, "from"),
        **_end(to_end, "to"),
    )
    relationship.full_clean()
    relationship.save()
    audit_record(actor=actor, verb="relationship.created", target=relationship, district=district)
    return relationship


@transaction.atomic
def relationship_end(*, relationship, district, actor, ended_on=None):
    """End a relationship; it stays as history.

    Raises ValidationError with codes "ended" (already ended), "before_start" and "future".
    """
    relationship = Relationship.objects.select_for_update().get(pk=relationship.pk)
    ended_on = ended_on or timezone.localdate()
    if relationship.ended_on is not None:
        raise _error("ended_on", _("This relationship has already ended."), "ended")
    if ended_on > timezone.localdate():
        raise _error("ended_on", _("The end lies in the future."), "future")
    if relationship.started_on and ended_on < relationship.started_on:
        raise _error("ended_on", _("The end lies before the start."), "before_start")
    relationship.ended_on = ended_on
    relationship.save(update_fields=["ended_on"])
    audit_record(actor=actor, verb="relationship.ended", target=relationship, district=district, after=str(ended_on))
    return relationship


@transaction.atomic
def interaction_record(*, district, actor, kind, at, organisation=None, contact=None, note=""):
    """Log a meeting, call, e-mail, event or street contact with an organisation and/or a person.

    An internal timeline entry of the organisation (about the person, when both are given), or of the person.
    Raises ValidationError with codes "partner" (neither given), "future" (more than a day ahead),
    "organisation" (not serving the district), "invalid_choice" (no such kind) and "max_length" (note).
    """
    if organisation is None and contact is None:
        raise _error("organisation", _("Please choose an organisation or a person."), "partner")
    if at > timezone.now() + timedelta(days=1):
        raise _error("at", _("The time lies in the future."), "future")
    if organisation is not None and not selectors.organisation_serves(organisation, district):
        raise _error("organisation", _("Please choose an organisation of this district."), "organisation")
    if kind not in InteractionKind.values:
        raise _error("kind", _("Please choose what kind of interaction it was."), "invalid_choice")
    try:
        MaxLengthValidator(NOTE_MAX_LENGTH)(note)
    except ValidationError as error:
        raise ValidationError({"note": error}) from None
    return activity.record(
        target=organisation or contact,
        context=contact if organisation is not None else None,
        district=district,
        kind=kind,
        actor=actor,
        text=note,
        at=at,
        verb="interaction.recorded",
        audit={"kind": kind},
    )
