"""The demo district "Oberhausen": boundary, streets, categories, one user per role, ~150 concerns, and the desk.

The network (data/oberhausen_network.json, loaded by `demo.network`): ~60 organisations, their
contacts and relationships, and ~300 past referrals with outcomes; see that module.

The projects (data/oberhausen_projects.json, loaded by `demo.projects`): a litter picking done (six
concerns resolved by it, 23 volunteers, 62 kg), a community garden running with weekly shifts, a street
party in planning and an internal idea; see that module.

The calendar (data/oberhausen_events.json, loaded by `demo.events`): a year of events, a weekly café with
one date cancelled and one moved, a monthly garden day of the garden project, the street party with a full
long table, a waiting list and an open offer, and two partners' submissions waiting for approval.

The desk (data/oberhausen_desk.json): reply templates, assignments, follow-ups and internal notes
on open concerns, two duplicates, street contacts and conversation notes; dates relative to the day
the demo is loaded.

Idempotent: running it again updates the district, streets, categories, users and reply templates
and leaves existing concerns alone. The desk's concern changes are made once, together with the
conversation notes (their capture keys mark the demo as loaded); street contacts and notes are
stored once each under their capture keys (append to their lists, never reorder).
"""

import hashlib
import json
import random
from datetime import datetime, time, timedelta
from pathlib import Path

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from kiezwerk.accounts.models import Role, RoleKind, User
from kiezwerk.concerns import opendata
from kiezwerk.concerns import services as concern_services
from kiezwerk.concerns.models import Category, Concern, ConcernStatus, Moderation, Support
from kiezwerk.core import selectors as core_selectors
from kiezwerk.core.intake import places
from kiezwerk.core.models import District
from kiezwerk.core.services import district_load, district_touch, district_welcome_set, street_save
from kiezwerk.demo.events import EVENTS_DATA, events_load
from kiezwerk.demo.network import NETWORK_DATA, PARTNER_LOGIN, network_load
from kiezwerk.demo.projects import PROJECTS_DATA, projects_load
from kiezwerk.desk import services as desk_services
from kiezwerk.desk.models import FieldNote, ReplyTemplate

DATA = Path(__file__).parent / "data" / "oberhausen.json"
DESK_DATA = Path(__file__).parent / "data" / "oberhausen_desk.json"
PASSWORD = "kiezwerk-demo"

DEMO_USERS = [
    ("bewohnerin@example.org", "Aylin Demir", RoleKind.RESIDENT),
    ("ehrenamt@example.org", "Jonas Berger", RoleKind.VOLUNTEER),
    ("partner@example.org", "Amt für Abfallwirtschaft (Demo)", PARTNER_LOGIN),  # a member of it, no role
    ("quartiersmanager@example.org", "Werner Hartmann", RoleKind.MANAGER),
    ("moderation@example.org", "Miriam Schulz", RoleKind.MODERATOR),
    ("stadt@example.org", "Stadtverwaltung (Demo)", RoleKind.CITY_ADMIN),
]


def demo_load(
    *,
    data_path=DATA,
    desk_path=DESK_DATA,
    network_path=NETWORK_DATA,
    projects_path=PROJECTS_DATA,
    events_path=EVENTS_DATA,
):
    """Create or refresh the demo district. Returns (district, users, concerns_created).

    The projects and the events need the network's organisations (partners, organisers, venues): without the
    network there are none. The events come after the projects (the garden day and the street party belong
    to two of them).
    """
    data = json.loads(Path(data_path).read_text(encoding="utf-8"))
    desk = json.loads(Path(desk_path).read_text(encoding="utf-8")) if desk_path else None
    with transaction.atomic():
        spec = data["district"]
        district = district_load(
            name=spec["name"],
            slug=spec["slug"],
            city=spec["city"],
            residents=spec["residents"],
            boundary=spec["boundary"],
        )
        welcome = {code: spec.get(f"welcome_{code}", "") for code in District.welcome.languages}
        district_welcome_set(district=district, texts=welcome, actor=None)
        streets = {
            s["name"]: street_save(
                district=district,
                name=s["name"],
                line=s["line"],
                first_number=s["first_number"],
                last_number=s["last_number"],
            )
            for s in data["streets"]
        }
        categories = _categories_save(district, data["categories"])
        users = _users_save(district)
    created = 0
    if not Concern.objects.filter(district=district).exists():
        with transaction.atomic():
            created = _concerns_create(district, streets, categories, users, data["concerns"])
            district_touch(district=district)
    if desk:
        with transaction.atomic():
            _desk_load(district, streets, categories, users, desk)
    if network_path:
        with transaction.atomic():
            organisations = network_load(
                district, streets, categories, users, data["concerns"], data_path=network_path, place=_place
            )
        if projects_path:
            projects_load(district, streets, categories, users, organisations, data_path=projects_path, place=_place)
        if events_path:
            events_load(district, users, organisations, data_path=events_path)
    opendata.build(district.pk)  # the changes queued a build too: without a worker this one serves `make run`
    return district, users, created


def _categories_save(district, tree):
    categories = {}
    for position, spec in enumerate(tree):
        parent = _category_save(district, spec, None, position * 10)
        categories[spec["slug"]] = parent
        for child_position, child in enumerate(spec.get("children", [])):
            categories[child["slug"]] = _category_save(district, child, parent, position * 10 + child_position + 1)
    return categories


def _category_save(district, spec, parent, position):
    category, _created = Category.objects.update_or_create(
        district=district,
        slug=spec["slug"],
        defaults={
            "parent": parent,
            **{f"name_{code}": spec.get(f"name_{code}", "") for code in Category.name.languages},
            **{f"description_{code}": spec.get(f"description_{code}", "") for code in Category.name.languages},
            "sensitive": spec.get("sensitive", False),
            "position": position,
            "is_active": True,
        },
    )
    return category


def _users_save(district):
    users = {}
    for email, name, kind in DEMO_USERS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email=email, password=PASSWORD, display_name=name)
        if kind == RoleKind.CITY_ADMIN and not user.is_superuser:
            user.is_staff = user.is_superuser = True
            user.save(update_fields=["is_staff", "is_superuser"])
        EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
        if kind in RoleKind.values:
            Role.objects.get_or_create(user=user, district=None if kind == RoleKind.CITY_ADMIN else district, kind=kind)
        users[kind] = user
    return users


# The public reason the demo team gives for a status that no reply of the demo data reaches.
STATUS_NOTES = {
    ConcernStatus.REFERRED: "Wir haben Ihr Anliegen an die zuständige Stelle weitergegeben.",
    ConcernStatus.RESOLVED: "Erledigt – vielen Dank für Ihren Hinweis.",
    ConcernStatus.DECLINED: "Dafür ist das Quartiersmanagement nicht zuständig; die zuständige Stelle ist informiert.",
}


def _concerns_create(district, streets, categories, users, specs):
    rng = random.Random(25_000)  # the same demo every time
    now = timezone.now()
    manager, moderator = users[RoleKind.MANAGER], users[RoleKind.MODERATOR]
    for index, spec in enumerate(specs):
        street = streets[spec["street"]]
        lat, lon = _place(district, street, spec["house_number"], rng)
        reported_at = now - timedelta(days=spec["age_days"], hours=rng.randint(0, 10), minutes=rng.randint(0, 59))
        concern, _token = concern_services.concern_report(
            district=district,
            category=categories[spec["category"]],
            title=spec["title"],
            description=spec["description"],
            lat=lat,
            lon=lon,
            address=f"{street.name} {spec['house_number']}",
            reporter_name=spec.get("reporter_name", ""),
            language=spec["language"],
            channel="street" if index % 7 == 3 else "web",
        )
        Concern.objects.filter(pk=concern.pk).update(created_at=reported_at, updated_at=reported_at)
        concern.entries.update(created_at=reported_at)
        if concern.moderation == Moderation.PENDING and spec["age_days"] > 3:
            concern_services.concern_review(concern=concern, actor=moderator, publish=True)
        for reply in spec.get("replies", []):
            at = reported_at + timedelta(days=reply["after_days"], hours=2)
            try:
                concern_services.concern_reply(
                    concern=concern, actor=manager, text=reply["text"], new_status=reply.get("status"), at=min(at, now)
                )
            except ValidationError:
                concern_services.concern_reply(concern=concern, actor=manager, text=reply["text"], at=min(at, now))
        if spec["status"] != Concern.objects.get(pk=concern.pk).status:
            # The status is reached by a public entry, so the timeline tells how the concern got there.
            at = min(reported_at + timedelta(days=max(1, spec["age_days"] // 2), hours=3), now)
            try:
                concern_services.concern_reply(
                    concern=concern,
                    actor=manager,
                    text=STATUS_NOTES.get(spec["status"], ""),
                    new_status=spec["status"],
                    at=at,
                )
            except ValidationError:  # a duplicate names its original: the demo sets it directly
                closed = spec["status"] in (ConcernStatus.RESOLVED, ConcernStatus.DECLINED, ConcernStatus.DUPLICATE)
                Concern.objects.filter(pk=concern.pk).update(status=spec["status"], closed_at=now if closed else None)
        _supporters_add(concern, spec.get("supporters", 0))
        Concern.objects.filter(pk=concern.pk).update(
            updated_at=max(reported_at, concern.entries.latest("created_at").created_at)
        )
    return len(specs)


def _place(district, street, number, rng):
    """The house number's place on the street, a few metres off the centre line, inside the district."""
    lat, lon = places.street_point(street, number)
    for _attempt in range(10):
        candidate = lat + rng.uniform(-0.00012, 0.00012), lon + rng.uniform(-0.00018, 0.00018)
        if core_selectors.district_contains(district, lat=candidate[0], lon=candidate[1]):
            return candidate
    return lat, lon


def _supporters_add(concern, count):
    if not count:
        return
    Support.objects.bulk_create(
        [
            Support(concern=concern, fingerprint=hashlib.sha256(f"demo:{concern.pk}:{i}".encode()).hexdigest())
            for i in range(count)
        ],
        ignore_conflicts=True,
    )
    Concern.objects.filter(pk=concern.pk).update(supporter_count=count)


# The desk ------------------------------------------------------------------------------------


def _desk_load(district, streets, categories, users, spec):
    """Reply templates, the team's work on open concerns, the street round and conversation notes."""
    rng = random.Random(2_500)
    manager = users[RoleKind.MANAGER]
    team = {"manager": manager, "volunteer": users[RoleKind.VOLUNTEER]}
    today = timezone.localdate()
    key = f"demo:{district.slug}:"
    _templates_save(district, manager, spec["reply_templates"])
    first = not FieldNote.objects.filter(district=district, capture_key__startswith=key).exists()
    concerns = {c.title: c for c in Concern.objects.filter(district=district)}
    if first:
        _concerns_work(district, manager, team, concerns, spec["concerns"], today)
        _duplicates_mark(manager, concerns, spec["duplicates"])
    for index, contact in enumerate(spec["street_contacts"]):
        lat, lon = _place(district, streets[contact["street"]], contact["house_number"], rng)
        desk_services.street_contact_record(
            district=district,
            author=manager,
            topic=categories[contact["topic"]],
            at=_local(today, contact["days_ago"], contact["time"]),
            lat=lat,
            lon=lon,
            place=contact["place"],
            note=contact["note"],
            language=contact["language"],
            people=contact["people"],
            capture_key=f"{key}contact:{index}",
        )
    for index, note in enumerate(spec["field_notes"]):
        lat, lon = _place(district, streets[note["street"]], note["house_number"], rng)
        follow_up = note["follow_up_in_days"]
        desk_services.field_note_record(
            district=district,
            author=manager,
            met=note["met"],
            text=note["text"],
            at=_local(today, note["days_ago"], note["time"]),
            lat=lat,
            lon=lon,
            place=note["place"],
            concern=concerns.get(note["concern"]) if note["concern"] else None,
            follow_up_on=None if follow_up is None else today + timedelta(days=follow_up),
            capture_key=f"{key}note:{index}",
        )


def _local(today, days_ago, hour_minute):
    return timezone.make_aware(datetime.combine(today - timedelta(days=days_ago), time.fromisoformat(hour_minute)))


def _templates_save(district, actor, specs):
    """Create the templates; bring back the data's texts where they differ (and only there: no audit noise)."""
    existing = {t.title: t for t in ReplyTemplate.objects.filter(district=district)}
    for position, spec in enumerate(specs):
        template = existing.get(spec["title"])
        if template and template.texts == spec["texts"] and template.position == position:
            continue
        desk_services.reply_template_save(
            district=district,
            actor=actor,
            title=spec["title"],
            texts=spec["texts"],
            template=template,
            position=position,
        )


def _concerns_work(district, manager, team, concerns, specs, today):
    """Assign, give follow-up dates and write internal notes, on concerns still open."""
    now = timezone.now()
    for spec in specs:
        concern = concerns.get(spec["title"])
        if concern is None or not concern.is_open:
            continue  # changed or closed by hand since the demo was loaded
        assignee = team[spec["assignee"]]
        for note in spec["notes"]:
            at = min(concern.created_at + timedelta(days=note["after_days"], hours=3), now - timedelta(minutes=5))
            concern_services.concern_reply(concern=concern, actor=assignee, text=note["text"], is_public=False, at=at)
        if concern.assignee_id is None:
            concern_services.concern_assign(concern=concern, actor=manager, assignee=assignee)
        if concern.follow_up_on is None:
            on = today + timedelta(days=spec["follow_up_in_days"])
            concern_services.concern_follow_up(concern=concern, actor=manager, on=on)
        # The work is backdated like the notes: the public map should not show these as changed today.
        Concern.objects.filter(pk=concern.pk).update(
            updated_at=max(concern.created_at, concern.entries.latest("created_at").created_at)
        )


def _duplicates_mark(manager, concerns, specs):
    for spec in specs:
        concern, original = concerns.get(spec["concern"]), concerns.get(spec["original"])
        if concern is None or original is None or not concern.is_open or not original.is_open:
            continue
        concern_services.concern_mark_duplicate(concern=concern, actor=manager, original=original, text=spec["text"])
