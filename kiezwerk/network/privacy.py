"""Personal data of the network (see core.privacy): contact persons, found by e-mail address or phone number."""

from functools import reduce
from operator import or_

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy

from kiezwerk.core import privacy

from .models import Contact, serves_q
from .selectors import directory
from .services import directory as services


def _contacts(subject):
    """The subject's entries among the contacts of the requester's districts (own, or at a serving organisation)."""
    own = Contact.districts.through.objects.filter(district__in=subject.districts).values("contact_id")
    in_districts = reduce(or_, [serves_q(d, prefix="organisation__") for d in subject.districts], Q(pk__in=own))
    contacts = Contact.objects.filter(in_districts)
    conditions = []
    if subject.email:
        conditions.append(Q(email__iexact=subject.email))
    if subject.phone_key:
        conditions.append(privacy.phone_q(contacts, "phone", subject))
    return contacts.filter(reduce(or_, conditions)) if conditions else contacts.none()


class ContactPersons(privacy.Provider):
    key = "network"
    label = gettext_lazy("Network: contact persons")
    erase_text = gettext_lazy(
        "Contact persons: name, role, e-mail address, phone number, other channels, languages, notes and "
        "consent note are removed. A person that referrals, relationships or interactions refer to stays as an "
        "anonymous entry, so that this history remains consistent; otherwise the entry is deleted."
    )
    erased = {
        "contacts_anonymised": gettext_lazy("Contact persons anonymised"),
        "contacts_deleted": gettext_lazy("Contact persons deleted"),
    }

    def find(self, subject):
        records = []
        for c in _contacts(subject).select_related("organisation").order_by("name", "pk"):
            text = " · ".join(v for v in (str(c), c.role, c.email, c.phone) if v)
            records.append(privacy.Record(text, reverse("network:contact", args=[c.pk])))
        return records

    def export(self, subject):
        contacts = list(_contacts(subject).select_related("organisation").prefetch_related("districts"))
        met = directory.interactions_by_contact(contacts=contacts, districts=subject.districts)
        return {
            "contacts": [
                {
                    "id": c.pk,
                    "name": c.name,
                    "role": c.role,
                    "organisation": c.organisation.name if c.organisation else None,
                    "email": c.email,
                    "phone": c.phone,
                    "channels": c.channels,
                    "languages": c.languages,
                    "notes": c.notes,
                    "legal_basis": c.legal_basis,
                    "consent_note": c.consent_note,
                    "last_confirmed_on": c.last_confirmed_on.isoformat(),
                    "districts": sorted(d.slug for d in c.districts.all()),
                    "created": c.created_at.isoformat(),
                    "interactions": [
                        {"at": e.created_at.isoformat(), "kind": e.kind, "note": e.text} for e in met[c.pk]
                    ],
                }
                for c in contacts
            ]
        }

    def erase(self, subject, *, actor):
        counts = {"contacts_anonymised": 0, "contacts_deleted": 0}
        for contact in _contacts(subject).select_related("organisation"):
            district = next(d for d in directory.contact_districts(contact) if d in subject.districts)
            counts[f"contacts_{services.contact_erase(contact=contact, district=district, actor=actor)}"] += 1
        return counts


privacy.register(ContactPersons())
