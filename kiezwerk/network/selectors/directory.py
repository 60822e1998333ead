"""Reads of the network directory: organisations and contacts serving a district, activity and map.

The graph page's reads are in `graph.py`.
"""

import calendar
import statistics
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import BooleanField, Count, ExpressionWrapper, F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from kiezwerk.concerns import selectors as concern_selectors
from kiezwerk.core.activity import of
from kiezwerk.core.models import Entry
from kiezwerk.desk.models import FieldNote

from ..models import (
    ANSWERED_REFERRAL_STATUSES,
    OPEN_REFERRAL_STATUSES,
    SOLVED_OUTCOMES,
    Contact,
    InteractionKind,
    Organisation,
    Referral,
    Relationship,
    serves_q,
)

# How many activity entries an organisation's or contact's page shows.
ACTIVITY_LIMIT = 100


# Dates --------------------------------------------------------------------------------------------


def months_before(day, months):
    """The same day `months` earlier (the last day of that month when it is shorter)."""
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def confirm_cutoff(today=None):
    """Contacts last confirmed before this day are due for confirmation (CONTACT_CONFIRM_MONTHS)."""
    return months_before(today or timezone.localdate(), settings.CONTACT_CONFIRM_MONTHS)


# Organisations and contacts -----------------------------------------------------------------------


def _text_filter(text, *fields):
    """Q for `text` in any of `fields`, case-insensitively.

    SQLite's LIKE folds ASCII letters only ("übersetz" would miss "Übersetzen"), so the usual
    spellings of the word are tried as well.
    """
    condition = Q()
    for variant in {text, text.lower(), text.upper(), text.capitalize(), text.title()}:
        for field in fields:
            condition |= Q(**{f"{field}__icontains": variant})
    return condition


def organisation_list_for_district(*, district, text="", kind="", topic="", language="", visibility=""):
    """Organisations serving the district, with their number of contacts, filtered; ordered by name."""
    qs = Organisation.objects.filter(serves_q(district)).annotate(contact_count=Count("contacts"))
    if text:
        qs = qs.filter(_text_filter(text, "name", "competencies", "description", "area_note"))
    if kind:
        qs = qs.filter(kind=kind)
    # Topics and languages are JSON lists of plain strings: containment of the quoted value works on
    # SQLite and PostgreSQL alike (SQLite has no JSON `contains` lookup).
    if topic:
        qs = qs.filter(topics__icontains=f'"{topic}"')
    if language:
        qs = qs.filter(languages__icontains=f'"{language}"')
    if visibility:
        qs = qs.filter(visibility=visibility)
    return qs.order_by("name", "pk")


def organisation_serves(organisation, district):
    """Whether an organisation serves a district."""
    return Organisation.objects.filter(serves_q(district), pk=organisation.pk).exists()


def organisation_districts(organisation):
    """The districts an organisation serves (named ones plus, for `whole_city`, its city's)."""
    from kiezwerk.core.models import District

    condition = Q(organisations=organisation)
    if organisation.whole_city and organisation.city:
        condition |= Q(city__iexact=organisation.city)
    return list(District.objects.filter(condition).distinct().order_by("name"))


def _stale(cutoff):
    return ExpressionWrapper(Q(last_confirmed_on__lt=cutoff), output_field=BooleanField())


def contact_list_for_district(*, district, text="", unconfirmed=False, today=None):
    """Contacts of the district (its own, or working at an organisation serving it), flagged `is_stale`."""
    cutoff = confirm_cutoff(today)
    through = Contact.districts.through.objects.filter(district=district).values("contact_id")
    qs = (
        Contact.objects.filter(Q(pk__in=through) | Q(organisation__in=Organisation.objects.filter(serves_q(district))))
        .select_related("organisation")
        .annotate(is_stale=_stale(cutoff))
    )
    if text:
        qs = qs.filter(_text_filter(text, "name", "role", "organisation__name"))
    if unconfirmed:
        qs = qs.filter(last_confirmed_on__lt=cutoff)
    return qs.order_by("name", "pk")


def contact_stale_count(*, district, today=None):
    """How many of the district's contacts are not confirmed for CONTACT_CONFIRM_MONTHS."""
    return contact_list_for_district(district=district, unconfirmed=True, today=today).count()


def contact_districts(contact):
    """The districts a contact belongs to: their own, and those their organisation serves."""
    districts = {d.pk: d for d in contact.districts.all()}
    if contact.organisation_id:
        districts.update({d.pk: d for d in organisation_districts(contact.organisation)})
    return sorted(districts.values(), key=lambda d: d.name)


# One organisation or contact ------------------------------------------------------------------------


@dataclass
class RelationshipView:
    """A relationship seen from one end: the label read in that direction and the other end."""

    relationship: Relationship
    label: str
    other: object
    is_current: bool


def _relationships_of(*, organisation=None, contact=None, today=None):
    today = today or timezone.localdate()
    if organisation is not None:
        condition = Q(from_organisation=organisation) | Q(to_organisation=organisation)
    else:
        condition = Q(from_contact=contact) | Q(to_contact=contact)
    rows = Relationship.objects.filter(condition).select_related(
        "from_organisation", "from_contact", "to_organisation", "to_contact"
    )
    current, ended = [], []
    for row in rows:
        is_from = (row.from_organisation_id == organisation.pk) if organisation else (row.from_contact_id == contact.pk)
        view = RelationshipView(
            relationship=row,
            label=row.label if is_from else row.reverse_label,
            other=(row.to_organisation or row.to_contact) if is_from else (row.from_organisation or row.from_contact),
            is_current=relationship_is_current(row, today),
        )
        (current if view.is_current else ended).append(view)
    ended.sort(key=lambda v: v.relationship.ended_on or date.min, reverse=True)
    return current, ended


def relationship_is_current(relationship, today=None):
    today = today or timezone.localdate()
    return (relationship.ended_on is None or relationship.ended_on > today) and (
        relationship.started_on is None or relationship.started_on <= today
    )


def interactions():
    """The network's activity log: timeline entries of the interaction kinds (on organisations and contacts)."""
    return Entry.objects.filter(kind__in=InteractionKind.values)


def met_q(contacts):
    """Q for entries with one of `contacts` (rows or ids, or a query of ids) as the person met: target or context."""
    contact_type = ContentType.objects.get_for_model(Contact)
    return Q(target_type=contact_type, target_id__in=contacts) | Q(context_type=contact_type, context_id__in=contacts)


def interactions_by_contact(*, contacts, districts):
    """The interaction entries with each of `contacts` in `districts`, newest first: {contact pk: [entry, …]}."""
    contact_type = ContentType.objects.get_for_model(Contact)
    met = {c.pk: [] for c in contacts}
    entries = interactions().filter(met_q(list(met)), district__in=districts).order_by("-created_at", "-pk")
    for entry in entries:
        # The person is the target, or the context of an entry about their organisation.
        met[entry.target_id if entry.target_type_id == contact_type.pk else entry.context_id].append(entry)
    return met


@dataclass
class ActivityEntry:
    """One line of the activity log: an interaction, or a desk conversation note naming the partner."""

    at: object
    kind: str
    text: str
    author: object
    district: object
    person: str = ""  # the contact person met, for an interaction
    field_note: FieldNote | None = None


def _activity(*, entries, names, districts):
    """Interaction entries merged with the desk's conversation notes whose `met` names one of `names`."""
    rows = (
        entries.select_related("author", "district")
        # The person met: the entry's context, or its target when that is a person.
        .annotate(person=Coalesce(F("network_contact_met__name"), F("network_contact__name")))
        .order_by("-created_at", "-pk")[:ACTIVITY_LIMIT]
    )
    activity = [
        ActivityEntry(
            at=e.created_at,
            kind=InteractionKind(e.kind).label,
            text=e.text,
            author=e.author,
            district=e.district,
            person=e.person or "",
        )
        for e in rows
    ]
    names = [n.strip() for n in names if n and n.strip()]
    if names and districts:
        condition = Q()
        for name in names:
            condition |= _text_filter(name, "met")
        made_into_entries = interactions().filter(context_type=ContentType.objects.get_for_model(FieldNote))
        notes = (
            FieldNote.objects.filter(condition, district__in=districts)
            .exclude(pk__in=made_into_entries.values("context_id"))  # already an interaction of its own
            .select_related("author", "district")
            .order_by("-at")[:ACTIVITY_LIMIT]
        )
        for note in notes:
            # The database's LIKE may fold ASCII only: the containment is decided here, case-insensitively.
            met = note.met.casefold()
            if any(name.casefold() in met for name in names):
                activity.append(
                    ActivityEntry(
                        at=note.at,
                        kind="note",
                        text=f"{note.met}: {note.text}",
                        author=note.author,
                        district=note.district,
                        field_note=note,
                    )
                )
    activity.sort(key=lambda e: e.at, reverse=True)
    return activity[:ACTIVITY_LIMIT]


def organisation_detail(*, organisation, districts, today=None):
    """What an organisation's page shows to staff of `districts` (those it serves that they look after).

    Interactions (its own and those with the people working there), conversation notes and referrals are
    limited to those districts.
    """
    cutoff = confirm_cutoff(today)
    contacts = list(organisation.contacts.annotate(is_stale=_stale(cutoff)).order_by("name", "pk"))
    current, ended = _relationships_of(organisation=organisation, today=today)
    entries = interactions().filter(
        Q(**of(organisation)) | met_q(Contact.objects.filter(organisation=organisation).values("pk")),
        district__in=districts,
    )
    referrals = Referral.objects.filter(organisation=organisation, district__in=districts)
    return {
        "contacts": contacts,
        "relationships": current,
        "relationships_ended": ended,
        "activity": _activity(entries=entries, names=[organisation.name], districts=districts),
        "referrals": list(
            referrals.select_related("concern", "contact")
            .prefetch_related("subject")
            .order_by("-created_at", "-pk")[:50]
        ),
        "record": referral_record(referrals),
        "served": organisation_districts(organisation),
    }


def referral_record(referrals):
    """How a partner did with these referrals: how many, open, answered, solved (partly too), median days to solved."""
    solved = Q(outcome__in=SOLVED_OUTCOMES)
    record = referrals.aggregate(
        total=Count("pk"),
        open=Count("pk", filter=Q(status__in=OPEN_REFERRAL_STATUSES)),
        answered=Count("pk", filter=Q(status__in=ANSWERED_REFERRAL_STATUSES)),
        solved=Count("pk", filter=solved),
    )
    days = [
        (closed_at - created_at).total_seconds() / 86400
        for created_at, closed_at in referrals.filter(solved, closed_at__isnull=False).values_list(
            "created_at", "closed_at"
        )
    ]
    record["median_days"] = round(statistics.median(days)) if days else None
    return record


def contact_detail(*, contact, districts, today=None):
    """What a contact's page shows to staff of `districts`."""
    current, ended = _relationships_of(contact=contact, today=today)
    entries = interactions().filter(met_q([contact.pk]), district__in=districts)
    return {
        "is_stale": contact.last_confirmed_on < confirm_cutoff(today),
        "relationships": current,
        "relationships_ended": ended,
        "activity": _activity(entries=entries, names=[contact.name], districts=districts),
        "referrals": list(
            Referral.objects.filter(contact=contact, district__in=districts)
            .select_related("concern", "organisation")
            .prefetch_related("subject")
            .order_by("-created_at", "-pk")[:50]
        ),
    }


# Map ----------------------------------------------------------------------------------------------


def organisation_points(*, district):
    """Organisations of the district with a position, as plain values for the map's `json_script`."""
    rows = (
        organisation_list_for_district(district=district)
        .filter(lat__isnull=False, lon__isnull=False)
        .values_list("pk", "name", "kind", "lat", "lon", "address")
    )
    return [
        {"id": pk, "name": name, "kind": kind, "lat": lat, "lon": lon, "address": address}
        for pk, name, kind, lat, lon, address in rows
    ]


def map_context(*, district):
    return {**concern_selectors.map_context(district=district), "points": organisation_points(district=district)}
