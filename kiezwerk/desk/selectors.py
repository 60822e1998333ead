"""Reads of the desk: the inbox, the workspace, the day's follow-ups, the audit trail, digests."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Case, Count, IntegerChoices, IntegerField, Q, Sum, Value, When
from django.utils import timezone

from kiezwerk.accounts.access import STAFF_KINDS, TEAM_KINDS
from kiezwerk.accounts.models import Role, RoleKind, User
from kiezwerk.concerns import selectors as concern_selectors
from kiezwerk.concerns.models import (
    CLOSED_STATUSES,
    OPEN_STATUSES,
    Category,
    Concern,
    ConcernStatus,
)
from kiezwerk.concerns.search import concern_search
from kiezwerk.core import audit, geo
from kiezwerk.core.models import AuditEvent, MailStatus, OutboxMail

from .models import FieldNote, ReplyTemplate, SavedFilter, StreetContact

LANGUAGE_NAMES = dict(settings.CONTENT_LANGUAGES)


class Urgency(IntegerChoices):
    """Inbox urgency, lowest first: a partner reports it solved, overdue, new, the rest (templates get it too)."""

    REVIEW = 0
    OVERDUE = 1
    NEW = 2
    OTHER = 3


# The inbox's orders besides urgency ("" ): each a tuple for order_by.
STATUS_ORDER = Case(
    *[When(status=status, then=Value(position)) for position, status in enumerate(ConcernStatus.values)],
    output_field=IntegerField(),
)
INBOX_SORTS = {
    "": ("urgency", "-created_at", "-pk"),
    "newest": ("-created_at", "-pk"),
    "oldest": ("created_at", "pk"),
    "status": (STATUS_ORDER, "-created_at", "-pk"),
    "support": ("-supporter_count", "-created_at", "-pk"),
}


def triage_deadline(now=None):
    """A concern still `new` when created before this moment is overdue."""
    return (now or timezone.now()) - timedelta(days=settings.TRIAGE_TARGET_DAYS)


def overdue_q(today, now=None):
    """Open concerns whose follow-up date has passed or that wait too long for triage."""
    return Q(status__in=OPEN_STATUSES) & (
        Q(follow_up_on__lt=today) | Q(status=ConcernStatus.NEW, created_at__lt=triage_deadline(now))
    )


def inbox(
    *,
    district,
    status=None,
    category=None,
    assignee=None,
    channel=None,
    period=None,
    bbox=None,
    text="",
    sort="",
    today=None,
):
    """The district's concerns for triage: by default those a partner reports solved first, then overdue, then new,
    then the rest; newest first within. `sort` is a key of INBOX_SORTS ("newest", "oldest", "status", "support").

    `status` None means every open status; "all" means every status. `assignee` is a user,
    or "none" for concerns nobody looks after. `bbox` is (min_lat, min_lon, max_lat, max_lon).
    """
    today = today or timezone.localdate()
    qs = Concern.objects.filter(district=district)
    if status == "all":
        pass
    elif status:
        qs = qs.filter(status=status)
    else:
        qs = qs.filter(status__in=OPEN_STATUSES)
    if category is not None:
        qs = qs.filter(category__in=concern_selectors.category_ids_below(category))
    if assignee == "none":
        qs = qs.filter(assignee=None)
    elif assignee is not None:
        qs = qs.filter(assignee=assignee)
    if channel:
        qs = qs.filter(channel=channel)
    if period in concern_selectors.PERIODS:
        qs = qs.filter(created_at__gte=timezone.now() - timedelta(days=concern_selectors.PERIODS[period]))
    if bbox:
        min_lat, min_lon, max_lat, max_lon = bbox
        qs = qs.filter(lat__range=(min_lat, max_lat), lon__range=(min_lon, max_lon))
    qs = concern_search(qs, text)
    return (
        qs.annotate(
            urgency=Case(
                When(review_entry__isnull=False, status__in=OPEN_STATUSES, then=Value(Urgency.REVIEW)),
                When(overdue_q(today), then=Value(Urgency.OVERDUE)),
                When(status=ConcernStatus.NEW, then=Value(Urgency.NEW)),
                default=Value(Urgency.OTHER),
                output_field=IntegerField(),
            )
        )
        .select_related("category", "category__parent", "assignee")
        .only(
            "pk",
            "review_entry_id",
            "title",
            "status",
            "moderation",
            "channel",
            "language",
            "address",
            "created_at",
            "follow_up_on",
            "supporter_count",
            *(f"category__{field}" for field in Category.name.fields),
            *(f"category__parent__{field}" for field in Category.name.fields),
            "assignee__email",
            "assignee__display_name",
        )
        .order_by(*INBOX_SORTS.get(sort, INBOX_SORTS[""]))
    )


def urgency_groups(today):
    """The filters of the urgency groups, most urgent first (as `inbox` ranks them)."""
    review = Q(review_entry__isnull=False, status__in=OPEN_STATUSES)
    overdue = overdue_q(today)
    new = Q(status=ConcernStatus.NEW)
    return [review, ~review & overdue, ~review & ~overdue & new, ~review & ~overdue & ~new]


RANKED_AT_ONCE = 500  # as many as the inbox map shows: its page and its map share one ranking
RANKED_BY_GROUPS_ABOVE = 2000  # fewer matching rows are simply sorted by the database


def inbox_keys(concerns, bottom, top, *, count=None, today=None):
    """The keys of rows [bottom, top) of an `inbox` query, in its order; at least RANKED_AT_ONCE are found and
    kept on the queryset for the next call (the inbox's page and its map).

    When many concerns match (`count`, None for unknown), the urgency order is taken group by group, each
    group's newest from an index, until enough are found: no query ranks every open concern of the district.
    Fewer, or another order, the database sorts.
    """
    enough, keys = getattr(concerns, "_ranked", (0, []))
    if top > enough:
        enough = max(top, RANKED_AT_ONCE)
        by_groups = tuple(concerns.query.order_by) == INBOX_SORTS[""] and (count or enough) > RANKED_BY_GROUPS_ABOVE
        if not by_groups:
            keys = list(concerns.values_list("pk", flat=True)[:enough])
        else:
            keys = []
            for group in urgency_groups(today or timezone.localdate()):
                newest = concerns.filter(group).order_by("-created_at", "-pk").values_list("pk", flat=True)
                keys += newest[: enough - len(keys)]
                if len(keys) >= enough:
                    break
        concerns._ranked = (enough, keys)
    return keys[bottom:top]


def inbox_points(concerns, *, limit=500):
    """The first `limit` concerns of an inbox query as plain points for its map."""
    keys = inbox_keys(concerns, 0, limit)
    rows = {
        row[0]: row for row in Concern.objects.filter(pk__in=keys).values_list("pk", "lat", "lon", "title", "status")
    }
    return [
        {"id": pk, "lat": lat, "lon": lon, "title": title, "status": status}
        for pk, lat, lon, title, status in (rows[key] for key in keys)
    ]


def team(*, district):
    """Who can be given a concern in this district: managers, moderators and volunteers."""
    kinds = TEAM_KINDS | STAFF_KINDS
    return (
        User.objects.filter(is_active=True)
        .filter(Q(roles__district=district, roles__kind__in=kinds) | Q(roles__district=None, roles__kind__in=kinds))
        .distinct()
        .order_by("display_name", "email")
    )


def manager_districts():
    """[(user_id, district_id)] of every active manager and each district they manage: who gets the daily mails."""
    return list(
        Role.objects.filter(kind=RoleKind.MANAGER, user__is_active=True, district__isnull=False)
        .values_list("user_id", "district_id")
        .distinct()
    )


def digest(*, district, today):
    """What a manager should know this morning: new since yesterday, overdue, due today."""
    since = timezone.now() - timedelta(days=1)
    concerns = Concern.objects.filter(district=district).select_related("category").order_by("-created_at")
    return {
        "new": list(concerns.filter(created_at__gte=since)[:50]),
        "overdue": list(concerns.filter(overdue_q(today))[:50]),
        "due_today": list(concerns.filter(status__in=OPEN_STATUSES, follow_up_on=today)[:50]),
        "notes_due": list(
            FieldNote.objects.filter(district=district, follow_up_on__lte=today, follow_up_done_at=None)[:50]
        ),
    }


def review_list(*, district):
    """Open concerns a partner reports solved, for the team to check; the longest waiting first."""
    return (
        Concern.objects.filter(district=district, status__in=OPEN_STATUSES, review_entry__isnull=False)
        .select_related("category", "assignee", "review_entry")
        .order_by("review_entry__created_at", "pk")
    )


def today_view(*, district, today):
    """Partner reports to check, then concerns and conversation notes with a follow-up due today or earlier."""
    concerns = (
        Concern.objects.filter(district=district, status__in=OPEN_STATUSES, follow_up_on__lte=today)
        .select_related("category", "assignee")
        .order_by("follow_up_on", "pk")
    )
    notes = (
        FieldNote.objects.filter(district=district, follow_up_on__lte=today, follow_up_done_at=None)
        .select_related("concern", "author")
        .order_by("follow_up_on", "pk")
    )
    return {
        "reviews": list(review_list(district=district)[:200]),
        "concerns": list(concerns[:200]),
        "notes": list(notes[:200]),
    }


def street_contact_figures(*, district, days=30, top=5):
    """Street contacts of the last `days` days: how many, about how many people, the main topics and languages.

    Counts only: street contacts hold no personal data.
    """
    contacts = StreetContact.objects.filter(district=district, at__gte=timezone.now() - timedelta(days=days))
    totals = contacts.aggregate(contacts=Count("pk"), people=Sum("people"))
    topics = list(contacts.values("topic").annotate(count=Count("pk")).order_by("-count", "topic")[:top])
    names = Category.objects.in_bulk([row["topic"] for row in topics])
    languages = contacts.values("language").annotate(count=Count("pk")).order_by("-count", "language")
    return {
        "days": days,
        "contacts": totals["contacts"],
        "people": totals["people"] or 0,
        "topics": [(names[row["topic"]], row["count"]) for row in topics],
        "languages": [
            (row["language"], LANGUAGE_NAMES.get(row["language"], row["language"]), row["count"]) for row in languages
        ],
    }


def concern_for_staff(*, pk):
    return Concern.objects.select_related(
        "district", "category", "category__parent", "assignee", "reporter", "duplicate_of"
    ).get(pk=pk)


def workspace(*, concern):
    """Everything the workspace shows besides the concern: timeline with notes, photos, supporters, nearby."""
    return {
        "timeline": list(concern_selectors.concern_timeline(concern=concern, include_internal=True)),
        "photos": list(concern.photos.all()),
        "subscriber_count": concern.followers.filter(confirmed_at__isnull=False).count(),
        "nearby": concern_related(concern=concern),
        "duplicates": list(concern.duplicates.only("pk", "title", "status")),
        "redactions": list(concern.redactions.select_related("actor")),
        "field_notes": list(FieldNote.objects.filter(concern=concern).select_related("author")),
        # Referrals to partners of the network (the network app builds on the desk: reached by relation only).
        "referrals": list(concern.referrals.select_related("organisation", "contact")),
    }


def concern_related(*, concern, radius_m=250, limit=8):
    """Other concerns of the district near this one (any category, open first): [(concern, metres)]."""
    min_lat, max_lat, min_lon, max_lon = geo.bbox_around(concern.lat, concern.lon, radius_m)
    candidates = (
        Concern.objects.filter(
            district=concern.district_id, lat__range=(min_lat, max_lat), lon__range=(min_lon, max_lon)
        )
        .exclude(pk=concern.pk)
        .select_related("category")
        .only(
            "pk",
            "title",
            "language",
            "status",
            "lat",
            "lon",
            "created_at",
            *(f"category__{f}" for f in Category.name.fields),
        )
        .order_by("-created_at")[:200]
    )
    found = []
    for other in candidates:
        distance = geo.distance_m(concern.lat, concern.lon, other.lat, other.lon)
        if distance <= radius_m:
            found.append((other, round(distance)))
    found.sort(key=lambda pair: (pair[0].status in CLOSED_STATUSES, pair[1]))
    return found[:limit]


def reply_templates(*, district):
    return ReplyTemplate.objects.filter(district=district)


def saved_filters(*, user, district):
    return SavedFilter.objects.filter(user=user, district=district)


def street_contacts(*, district):
    return StreetContact.objects.filter(district=district).select_related("topic", "concern").order_by("-at")


def field_notes(*, district):
    return FieldNote.objects.filter(district=district).select_related("concern").order_by("-at")


def round_recent(*, district, author, limit=10):
    """What this team member captured on the street lately, newest first: [(kind, row)]."""
    contacts = street_contacts(district=district).filter(author=author)[:limit]
    notes = field_notes(district=district).filter(author=author)[:limit]
    concerns = (
        Concern.objects.filter(district=district, capture_key__isnull=False)
        .exclude(channel="web")
        .select_related("category")
        .order_by("-created_at")[:limit]
    )
    rows = (
        [("contact", c.at, c) for c in contacts]
        + [("note", n.at, n) for n in notes]
        + [("concern", c.created_at, c) for c in concerns]
    )
    rows.sort(key=lambda row: row[1], reverse=True)
    return [(kind, row) for kind, _at, row in rows[:limit]]


# Audit ------------------------------------------------------------------------------------------


def audit_list(*, district, verb_prefix="", target_id=None):
    """The district's audit trail, newest first; `target_id` narrows it to one concern (and its referrals)."""
    qs = AuditEvent.objects.filter(district=district).select_related("actor").order_by("-created_at", "-pk")
    if verb_prefix:
        qs = qs.filter(verb__startswith=verb_prefix)
    if target_id is not None:
        qs = qs.filter(_concern_q(target_id))
    return qs


def _concern_q(concern_id):
    """Audit rows of a concern: its own and those of its referrals to partners.

    The referrals are reached by relation (the network builds on the desk, not the other way round).
    """
    referrals = Concern(pk=concern_id).referrals
    referral_ids = [str(pk) for pk in referrals.values_list("pk", flat=True)]
    return Q(target_type=Concern._meta.label_lower, target_id=str(concern_id)) | Q(
        target_type=referrals.model._meta.label_lower, target_id__in=referral_ids
    )


def concern_audit(*, concern):
    """The changes of a concern, newest first: its own and those of its referrals."""
    return audit_list(district=concern.district, target_id=concern.pk)


def audit_lines(events, *, viewer):
    """The audit events in words (core.audit): a sentence each and the object it concerns, linked for `viewer`."""
    return audit.lines(events, viewer)


def undelivered_mails(*, district):
    """The district's mails the outbox gave up on, and those still being retried after a failure, newest first."""
    return OutboxMail.objects.filter(district=district).filter(
        Q(status=MailStatus.FAILED) | Q(status=MailStatus.PENDING, attempts__gt=0)
    )
