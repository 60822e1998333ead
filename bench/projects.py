"""`BENCH_ONLY=projects`: the public project list and page and the team's list and page, on 10,000 projects.

The data (filled once beside the concerns, in one transaction with bulk inserts): `bench-01` gets PROJECTS
projects with shifts and exactly SIGNUPS sign-ups, the two other bench districts OTHER_PROJECTS and
OTHER_SIGNUPS each, so every query has to pick the measured district's rows out of others. A database
filled for other sizes is detected by its counts and refused.

Each page is timed in-process like the `pages` case, beside the bare view with its bytes (the team's pages
through the manager's session, as the bare view too): p50, p95, the ratio to the bare p95, and the target
p95 ≤ TARGET_MS.
"""

import base64
import hashlib
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from itertools import accumulate

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Count, F
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bench import data
from bench.timing import WARMUP, N, get, summary, url_series
from bench.urls import BARE
from kiezwerk.accounts.models import Role, User
from kiezwerk.concerns.models import Category, Concern
from kiezwerk.core.models import Entry
from kiezwerk.network.models import Organisation, OrganisationKind
from kiezwerk.network.models import Visibility as OrganisationVisibility
from kiezwerk.projects.models import (
    EntryKind,
    Kind,
    Material,
    Project,
    ProjectPartner,
    ProjectStatus,
    ProjectTemplate,
    Shift,
    SignUp,
    SignUpStatus,
    Task,
    Visibility,
)

PROJECTS = 10_000  # in bench-01
SIGNUPS = 100_000  # in bench-01, all statuses
OTHER_PROJECTS = 500  # in bench-02 and bench-03 each
OTHER_SIGNUPS = 5_000
ACCOUNTS = 1_000  # per district: volunteers with an account (a quarter of the sign-ups)
ORGANISATIONS = 15  # per district, partners of projects
BATCH = 2000
TARGET_MS = 100  # p95 of every page, on 2 cores

# Status by the project's age in days: recent projects are ideas or in planning, old ones done.
STATUS_BY_AGE = [
    (60, {"idea": 30, "planning": 45, "running": 20, "cancelled": 5}),
    (180, {"idea": 15, "planning": 25, "running": 15, "done": 35, "cancelled": 10}),
    (None, {"idea": 5, "planning": 3, "running": 2, "done": 75, "cancelled": 15}),
]
KINDS = {Kind.LITTER: 40, Kind.GARDEN: 25, Kind.PARTY: 15, Kind.OTHER: 20}
INTERNAL_SHARE = 0.15
# Shifts per project (not for ideas): most have 1–3; a few big actions have many.
SHIFT_COUNTS = {0: 8, 1: 45, 2: 27, 3: 12, 4: 3, 5: 2, 6: 1}
BIG_SHARE = 0.02  # street parties, city-wide cleanups: 10–20 shifts of 20–40 places
CAPACITIES = [4, 5, 6, 8, 8, 10, 10, 12, 15, 20]
TITLES = {
    Kind.LITTER: [
        "Müllsammelaktion am {street}",
        "Frühjahrsputz im Kiez",
        "Sauberer Spielplatz {place}",
        "Aufräumen am Uferweg",
        "Kiezputz rund um die {street}",
        "Müllsammeln mit der Grundschule",
    ],
    Kind.GARDEN: [
        "Gartentag im Gemeinschaftsgarten",
        "Baumscheiben bepflanzen in der {street}",
        "Hochbeete bauen {place}",
        "Blühwiese anlegen",
        "Herbstputz im Park",
        "Obstbäume schneiden am {street}",
    ],
    Kind.PARTY: [
        "Straßenfest in der {street}",
        "Hofflohmarkt {place}",
        "Nachbarschaftsfest am {street}",
        "Kinderfest im Park",
        "Sommerkino im Hof",
    ],
    Kind.OTHER: [
        "Bücherschrank aufbauen {place}",
        "Bank streichen am {street}",
        "Graffiti entfernen an der Unterführung",
        "Repair-Café im Jugendzentrum",
        "Nistkästen bauen",
        "Lastenrad-Aktionstag",
    ],
}
GOALS = [
    "Der Platz soll wieder sauber und einladend sein.",
    "Mehr Grün und Schatten für die Straße.",
    "Nachbarinnen und Nachbarn lernen sich kennen.",
    "Kinder können wieder sicher spielen.",
    "Ein Ort, an dem sich alle gern aufhalten.",
    "Weniger Müll in den Grünanlagen.",
]
SENTENCES = [
    "Wir treffen uns am Treffpunkt und teilen uns in Gruppen auf.",
    "Handschuhe und Säcke stellen wir, bitte festes Schuhwerk mitbringen.",
    "Für Getränke und einen kleinen Imbiss ist gesorgt.",
    "Auch Kinder sind mit ihren Eltern herzlich willkommen.",
    "Bei Regen verschieben wir auf den folgenden Samstag.",
    "Die Stadt holt die vollen Säcke am Montag ab.",
    "Wer nur eine Stunde Zeit hat, ist genauso willkommen.",
    "Die Aktion ist aus mehreren Anliegen aus dem Viertel entstanden.",
]
ORGANISATION_NAMES = [
    ("Amt für Abfallwirtschaft", OrganisationKind.CITY_OFFICE),
    ("Grünflächenamt", OrganisationKind.CITY_OFFICE),
    ("Grundschule am Park", OrganisationKind.SCHOOL),
    ("Kita Sonnenschein", OrganisationKind.SCHOOL),
    ("Wohnbau Süd eG", OrganisationKind.HOUSING),
    ("Bürgerverein {district}", OrganisationKind.ASSOCIATION),
    ("Sportverein Blau-Weiß", OrganisationKind.ASSOCIATION),
    ("Pfarrei St. Michael", OrganisationKind.RELIGIOUS),
    ("Bäckerei Huber", OrganisationKind.BUSINESS),
    ("Getränke Maier", OrganisationKind.BUSINESS),
    ("Initiative Grüner Kiez", OrganisationKind.INITIATIVE),
    ("Repair-Café", OrganisationKind.INITIATIVE),
    ("Jugendzentrum", OrganisationKind.SOCIAL_SERVICE),
    ("Seniorentreff", OrganisationKind.SOCIAL_SERVICE),
    ("Imkerverein", OrganisationKind.ASSOCIATION),
]
PARTS = ["stellt Container", "Genehmigung", "stellt Handschuhe", "Getränke", "Aushang", "Werkzeug", "Kuchen"]
FIRST_NAMES = ["Anna", "Ben", "Clara", "Deniz", "Elif", "Felix", "Greta", "Hanna", "Ivan", "Jonas", "Kübra", "Lena"]
LAST_NAMES = ["Müller", "Schmidt", "Yılmaz", "Kowalski", "Schneider", "Fischer", "Weber", "Nowak", "Wagner", "Becker"]
LANGUAGES = {"de": 85, "en": 5, "tr": 4, "ar": 2, "ru": 2, "uk": 1, "pl": 1}


def district_sizes(projects=PROJECTS, signups=SIGNUPS):
    """(projects, sign-ups) per bench district slug, as fill() makes them."""
    first, *others = data.district_sizes(data.OTHER_CONCERNS)
    return {first: (projects, signups)} | {slug: (OTHER_PROJECTS, OTHER_SIGNUPS) for slug in others}


def counts():
    """(projects, sign-ups) per bench district that has any."""
    projects = dict(
        Project.objects.filter(district__slug__startswith="bench-")
        .values_list("district__slug")
        .annotate(n=Count("pk"))
        .values_list("district__slug", "n")
    )
    signups = dict(
        SignUp.objects.filter(shift__project__district__slug__startswith="bench-")
        .values_list("shift__project__district__slug")
        .annotate(n=Count("pk"))
        .values_list("shift__project__district__slug", "n")
    )
    return {slug: (n, signups.get(slug, 0)) for slug, n in projects.items()}


def is_filled(projects=PROJECTS, signups=SIGNUPS):
    """True if the bench districts hold the projects of these sizes, False if none; exits for other sizes."""
    found = counts()
    if found == district_sizes(projects, signups):
        return True
    if found:
        size = found.get(data.MEASURED, (0, 0))
        raise SystemExit(
            f"The bench database holds {size[0]:,} projects with {size[1]:,} sign-ups in {data.MEASURED} "
            f"(all bench districts: {found}), not {projects:,} with {signups:,}. Use another BENCH_DATABASE_URL "
            "(or, on SQLite, another BENCH_CONCERNS) or drop this one."
        )
    return False


def _weighted(rng, weights):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _token(slug, number):
    """A sign-up's link token: 43 URL-safe characters, as secrets.token_urlsafe(32) makes them."""
    digest = hashlib.sha256(f"bench-signup-{slug}-{number}".encode()).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def _text(rng, template):
    return (
        template.replace("{street}", rng.choice(data.STREETS))
        .replace("{place}", rng.choice(data.PLACES))
        .replace("{n}", str(rng.randint(1, 120)))
    )


def _status(rng, age_days):
    for limit, weights in STATUS_BY_AGE:
        if limit is None or age_days < limit:
            return _weighted(rng, weights)
    raise AssertionError


def _dates(rng, status, created, today):
    """(starts_on, ends_on) of a project: done ones in the past, planned ones ahead, running ones around today."""
    if status == ProjectStatus.IDEA:
        return (today + timedelta(days=rng.randint(30, 180)), None) if rng.random() < 0.3 else (None, None)
    if status in (ProjectStatus.DONE, ProjectStatus.CANCELLED):
        starts = min(created.date() + timedelta(days=rng.randint(14, 60)), today - timedelta(days=1))
    elif status == ProjectStatus.PLANNING:
        starts = today + timedelta(days=rng.randint(3, 90))
    else:
        starts = today + timedelta(days=rng.randint(-10, 14))
    ends = starts + timedelta(days=rng.randint(1, 3)) if rng.random() < 0.15 else None
    if status == ProjectStatus.DONE and ends is not None:
        ends = min(ends, today - timedelta(days=1))
    return starts, (ends if ends and ends > starts else None)


def _project(rng, district, templates, leaves, team, created, now):
    today = now.date()
    status = _status(rng, (now - created).days)
    kind = _weighted(rng, KINDS)
    template = templates.get(kind)
    starts, ends = _dates(rng, status, created, today)
    ended = status in (ProjectStatus.DONE, ProjectStatus.CANCELLED)
    ended_at = datetime.combine(ends or starts, time(18), tzinfo=UTC) if ended else None
    located = rng.random() < 0.8
    project = Project(
        district=district,
        title=_text(rng, rng.choice(TITLES[kind]))[:120],
        goal=rng.choice(GOALS),
        description=" ".join(rng.sample(SENTENCES, rng.randint(1, 3))),
        kind=kind,
        template=template if template and rng.random() < 0.7 else None,
        category=rng.choice(leaves) if rng.random() < 0.5 else None,
        lat=rng.uniform(district.min_lat, district.max_lat) if located else None,
        lon=rng.uniform(district.min_lon, district.max_lon) if located else None,
        address=f"{rng.choice(data.STREETS)} {rng.randint(1, 120)}" if located and rng.random() < 0.6 else "",
        starts_on=starts,
        ends_on=ends,
        responsible=rng.choice(team) if rng.random() < 0.85 else None,
        visibility=Visibility.INTERNAL if rng.random() < INTERNAL_SHARE else Visibility.PUBLIC,
        status=status,
        status_reason={
            ProjectStatus.DONE: "Vielen Dank an alle, die mitgemacht haben!",
            ProjectStatus.CANCELLED: "Leider abgesagt: Es fehlte die Genehmigung für die Fläche.",
        }.get(status, ""),
        ended_at=ended_at,
        created_by=rng.choice(team),
        created_at=created,
        updated_at=min(max(created, ended_at or created) + timedelta(hours=rng.randint(1, 72)), now),
    )
    if status == ProjectStatus.DONE:
        project.participants = rng.randint(3, 60)
        project.hours = Decimal(project.participants * rng.randint(2, 4))
        project.result = "Wir haben viel geschafft. Fotos folgen."
        specs = project.template.figures if project.template else []
        project.figures = {spec["key"]: rng.randint(5, 200) for spec in specs}
    return project


def _shifts(rng, project, now):
    """A project's shifts: on its day(s), two to four hours each."""
    if project.status == ProjectStatus.IDEA or project.starts_on is None:
        return []
    big = rng.random() < BIG_SHARE
    count = rng.randint(10, 20) if big else _weighted(rng, SHIFT_COUNTS)
    days = max(1, ((project.ends_on or project.starts_on) - project.starts_on).days + 1)
    shifts = []
    for i in range(count):
        day = project.starts_on + timedelta(days=i % days)
        hour = 8 + (i // days) % 5 * 2 + rng.choice([0, 1])
        starts = timezone.make_aware(datetime.combine(day, time(min(hour, 19))))
        shifts.append(
            Shift(
                project=project,
                starts_at=starts,
                ends_at=starts + timedelta(hours=rng.randint(2, 4)),
                place=_text(rng, rng.choice(data.PLACES)).capitalize(),
                bring="Handschuhe, festes Schuhwerk" if rng.random() < 0.6 else "",
                capacity=rng.randint(20, 40) if big else rng.choice(CAPACITIES),
            )
        )
    return shifts


def _demand(rng, shifts, total):
    """Exactly `total` sign-ups spread over the shifts by capacity and popularity: about one shift in eight
    gets more than it has places (a waiting list), most stay below."""
    if not shifts:
        return []
    weights = [shift.capacity * rng.lognormvariate(0, 0.6) for shift in shifts]
    cumulative = list(accumulate(weights))
    counts = [0] * len(shifts)
    for index in rng.choices(range(len(shifts)), cum_weights=cumulative, k=total):
        counts[index] += 1
    return counts


def _signups(rng, slug, shift, project, demand, accounts, retention, now, numbers):
    """A shift's sign-ups in the order they came: the first `capacity` get places, the rest wait."""
    upcoming = shift.starts_at > now
    start = max(project.created_at, shift.starts_at - timedelta(days=60))
    times = sorted(start + (shift.starts_at - start) * rng.random() for _ in range(demand))
    anonymised = project.ended_at is not None and project.ended_at < retention
    taken = 0
    rows = []
    for at in times:
        number = next(numbers)
        roll = rng.random()
        status = SignUpStatus.REGISTERED
        if roll < 0.08:
            status = SignUpStatus.CANCELLED
        elif upcoming and roll < 0.11:
            status = SignUpStatus.UNCONFIRMED
        elif taken >= shift.capacity:
            status = SignUpStatus.WAITING
        if status == SignUpStatus.REGISTERED:
            taken += 1
        user = rng.choice(accounts) if rng.random() < 0.25 else None
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        signup = SignUp(
            shift=shift,
            user=user,
            name="" if user else f"{first} {last}",
            email="" if user else f"{first}.{last}.{number}@example.invalid".lower(),
            phone=f"0176 {rng.randint(1000000, 9999999)}" if rng.random() < 0.3 else "",
            language=_weighted(rng, LANGUAGES),
            status=status,
            created_at=at,
            queued_at=None if status == SignUpStatus.UNCONFIRMED else at,
            token=_token(slug, number),
            cancelled_at=at + timedelta(days=rng.uniform(0, 5)) if status == SignUpStatus.CANCELLED else None,
        )
        if signup.cancelled_at:
            signup.cancelled_at = min(signup.cancelled_at, now)
        if not upcoming and status == SignUpStatus.REGISTERED:
            signup.reminded_at = shift.starts_at - timedelta(hours=20)
            if project.status == ProjectStatus.DONE:
                signup.attended = _weighted(rng, {True: 85, False: 10, None: 5})
                signup.hours = Decimal(rng.randint(2, 4)) if signup.attended else None
        if anonymised:  # the privacy registry's retention: names and addresses go, counts stay
            signup.user, signup.name, signup.email, signup.phone = None, "", "", ""
            signup.anonymised_at = project.ended_at + (now - project.ended_at) / 2
        rows.append(signup)
    shift.taken = taken
    return rows


def _work(rng, project, template, today):
    """The template's tasks (due before the action) and materials; done projects have done every task."""
    if template is None:
        return [], []
    tasks = []
    for position, spec in enumerate(template.tasks):
        due = project.starts_on - timedelta(days=spec["days_before"]) if project.starts_on else None
        done = project.status == ProjectStatus.DONE or (due is not None and due < today and rng.random() < 0.8)
        done_at = timezone.make_aware(datetime.combine(min(due or today, today), time(12))) if done else None
        task = Task(project=project, title=spec["title"], due_on=due, position=position, done_at=done_at)
        task.after_index = spec.get("after")
        tasks.append(task)
    materials = []
    for position, spec in enumerate(template.materials):
        pledged = rng.randint(0, spec["quantity"])
        received = pledged if project.status == ProjectStatus.DONE else rng.randint(0, pledged)
        material = Material(project=project, name=spec["name"], needed=spec["quantity"], position=position)
        material.pledged, material.received = pledged, received
        materials.append(material)
    return tasks, materials


def _entries(rng, project, project_type, team):
    """The timeline: "started", a status entry per step, now and then an update or an internal note."""
    of = {"target_type": project_type, "target_id": project.pk, "district_id": project.district_id}
    public = project.visibility == Visibility.PUBLIC
    yield Entry(**of, kind=EntryKind.CREATED, is_public=True, author=project.created_by, created_at=project.created_at)
    steps = {
        ProjectStatus.PLANNING: ["planning"],
        ProjectStatus.RUNNING: ["planning", "running"],
        ProjectStatus.DONE: ["planning", "running", "done"],
        ProjectStatus.CANCELLED: ["cancelled"],
    }.get(project.status, [])
    span = project.updated_at - project.created_at
    old = ProjectStatus.IDEA
    for i, new in enumerate(steps, start=1):
        yield Entry(
            **of,
            kind=EntryKind.STATUS,
            is_public=public,
            author=rng.choice(team),
            old_status=old,
            new_status=new,
            text=project.status_reason if new == project.status else "",
            created_at=project.created_at + span * i / (len(steps) + 1),
        )
        old = new
    if public and project.status != ProjectStatus.IDEA and rng.random() < 0.3:
        yield Entry(
            **of,
            kind=EntryKind.UPDATE,
            is_public=True,
            author=rng.choice(team),
            text=rng.choice(SENTENCES),
            language="de",
            created_at=project.created_at + span / 2,
        )
    if rng.random() < 0.2:
        yield Entry(**of, kind=EntryKind.NOTE, author=rng.choice(team), text="intern", created_at=project.updated_at)


def _district_fill(rng, district, projects, signups, now):
    slug = district.slug
    team = [role.user for role in Role.objects.filter(district=district).select_related("user").order_by("pk")]
    leaves = list(Category.objects.filter(district=district, children__isnull=True))
    templates = {t.kind: t for t in ProjectTemplate.objects.filter(district=district).order_by("pk")}
    concerns = list(Concern.objects.filter(district=district).values_list("pk", flat=True)[:20_000])
    accounts = User.objects.bulk_create(
        User(
            email=f"helfer{i}@{slug}.bench.invalid",
            display_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
            password=data.UNUSABLE,
        )
        for i in range(ACCOUNTS)
    )
    organisations = Organisation.objects.bulk_create(
        Organisation(
            name=name.replace("{district}", district.name),
            kind=kind,
            visibility=OrganisationVisibility.PUBLIC if i % 3 else OrganisationVisibility.INTERNAL,
        )
        for i, (name, kind) in enumerate(ORGANISATION_NAMES[:ORGANISATIONS])
    )
    Organisation.districts.through.objects.bulk_create(
        Organisation.districts.through(organisation_id=o.pk, district_id=district.pk) for o in organisations
    )
    times = sorted(now - timedelta(days=rng.uniform(0, data.DAYS)) for _ in range(projects))
    rows = [_project(rng, district, templates, leaves, team, created, now) for created in times]
    Project.objects.bulk_create(rows, batch_size=BATCH)
    project_type = ContentType.objects.get_for_model(Project)
    Entry.objects.bulk_create(
        (entry for project in rows for entry in _entries(rng, project, project_type, team)), batch_size=BATCH
    )
    links = Project.concerns.through
    linked = [
        links(project_id=project.pk, concern_id=pk)
        for project in rows
        if concerns and rng.random() < 0.3
        for pk in rng.sample(concerns, min(len(concerns), rng.randint(1, 3)))
    ]
    links.objects.bulk_create(linked, batch_size=BATCH)
    partners = [
        ProjectPartner(project=project, organisation=organisation, part=rng.choice(PARTS))
        for project in rows
        if project.status != ProjectStatus.IDEA and rng.random() < 0.35
        for organisation in rng.sample(organisations, rng.randint(1, 3))
    ]
    ProjectPartner.objects.bulk_create(partners, batch_size=BATCH)
    tasks, materials = [], []
    for project in rows:
        more_tasks, more_materials = _work(rng, project, project.template, now.date())
        tasks += more_tasks
        materials += more_materials
    Task.objects.bulk_create(tasks, batch_size=BATCH)
    following = []
    for project_tasks in _grouped(tasks):
        for task in project_tasks:
            if task.after_index is not None:
                task.after = project_tasks[task.after_index]
                following.append(task)
    Task.objects.bulk_update(following, ["after"], batch_size=500)
    Material.objects.bulk_create(materials, batch_size=BATCH)
    shifts = [(project, shift) for project in rows for shift in _shifts(rng, project, now)]
    demand = _demand(rng, [shift for _project, shift in shifts], signups)
    retention = now - timedelta(days=30.5 * settings.PROJECT_RETENTION_MONTHS)
    numbers = iter(range(signups))
    made = [
        _signups(rng, slug, shift, project, n, accounts, retention, now, numbers)
        for (project, shift), n in zip(shifts, demand, strict=True)
    ]
    Shift.objects.bulk_create([shift for _project, shift in shifts], batch_size=BATCH)
    SignUp.objects.bulk_create((signup for group in made for signup in group), batch_size=BATCH)


def _grouped(tasks):
    """Tasks in lists per project, in the order they were made."""
    groups = {}
    for task in tasks:
        groups.setdefault(task.project_id, []).append(task)
    return groups.values()


def fill(projects=PROJECTS, signups=SIGNUPS, seed=3):
    """Projects, shifts and sign-ups in the bench districts (which data.fill made), in one transaction."""
    stamps = [
        Project._meta.get_field("created_at"),
        Project._meta.get_field("updated_at"),
        SignUp._meta.get_field("created_at"),
    ]
    data.districts_fill(district_sizes(projects, signups), stamps, _district_fill, seed)


def filled(district):
    """Fill once; print what the measured district holds."""
    if not is_filled():
        print(f"Filling {PROJECTS:,} projects with {SIGNUPS:,} sign-ups into {data.MEASURED} (once)…", flush=True)
        start = datetime.now()
        fill()
        print(f"filled in {(datetime.now() - start).total_seconds():.1f} s", flush=True)
    return figures(district)


def figures(district):
    """What the measured district holds: projects by status and visibility, shifts, sign-ups by status."""
    projects = Project.objects.filter(district=district)
    shifts = Shift.objects.filter(project__district=district)
    signups = SignUp.objects.filter(shift__project__district=district)
    now = timezone.now()
    result = {
        "projects": projects.count(),
        "public": Project.objects.public().filter(district=district).count(),
        "by_status": dict(projects.values_list("status").annotate(n=Count("pk")).values_list("status", "n")),
        "shifts": shifts.count(),
        "shifts_full": shifts.filter(taken=F("capacity")).count(),
        "shifts_waiting": shifts.filter(signups__status=SignUpStatus.WAITING).distinct().count(),
        "shifts_upcoming_free": shifts.filter(starts_at__gt=now, taken__lt=F("capacity")).count(),
        "signups": signups.count(),
        "signups_by_status": dict(signups.values_list("status").annotate(n=Count("pk")).values_list("status", "n")),
    }
    print(
        f"{data.MEASURED}: {result['projects']:,} projects ({result['public']:,} public), {result['shifts']:,} shifts "
        f"({result['shifts_full']:,} full, {result['shifts_waiting']:,} with a waiting list, "
        f"{result['shifts_upcoming_free']:,} upcoming with free places), {result['signups']:,} sign-ups "
        f"{result['signups_by_status']}",
        flush=True,
    )
    return result


def _taking_signups(district):
    """Public projects still taking sign-ups, with their number of sign-ups (n) and shifts (shifts)."""
    return (
        Project.objects.public()
        .filter(district=district, status__in=[ProjectStatus.PLANNING, ProjectStatus.RUNNING])
        .annotate(n=Count("shifts__signups"), shifts_n=Count("shifts", distinct=True))
        .filter(shifts_n__gt=0)
    )


def busiest(district):
    """(pk, sign-ups) of the public project still taking sign-ups with the most sign-ups: the heaviest page."""
    found = _taking_signups(district).order_by("-n", "pk").values_list("pk", "n").first()
    if found is None:
        raise SystemExit(f"No public project in {district.slug} takes sign-ups: is the data filled?")
    return found


def typical(district):
    """(pk, sign-ups) of the median one of those projects by sign-ups: what most project pages are like."""
    rows = list(_taking_signups(district).order_by("n", "pk").values_list("pk", "n"))
    return rows[len(rows) // 2]


def cases(district):
    """(name, key of the bare view, url, who asks): the public pages as a visitor without a session gets
    them (shared, core.pagecache) and as one with a session (rendered for them), the team's as the manager."""
    slug = district.slug
    pk, _n = busiest(district)
    median, _m = typical(district)
    public_list = reverse("projects:list", args=[slug])
    typical_page = reverse("projects:detail", args=[slug, median])
    shift = Shift.objects.filter(project=pk, starts_at__gt=timezone.now()).order_by("starts_at").first()
    busy = Shift.objects.filter(project=pk).annotate(n=Count("signups")).order_by("-n", "pk").first()
    public = [
        ("public list", "projects-list", public_list),
        ("public list, volunteers", "projects-volunteers", f"{public_list}?volunteers=on"),
        ("public project page", "projects-page", reverse("projects:detail", args=[slug, pk])),
    ]
    return [
        *[(f"{name}, shared", f"{key}-shared", url, "visitor") for name, key, url in public],
        *[(f"{name}, rendered", key, url, "session") for name, key, url in public],
        ("typical project page, rendered", "projects-typical", typical_page, "session"),
        ("shift sign-up page", "projects-signup", reverse("projects:signup", args=[slug, pk, shift.pk]), "session"),
        ("team list", "projects-team-list", reverse("projects:team-list", args=[slug]), "manager"),
        ("team project page", "projects-team-page", reverse("projects:team-detail", args=[pk]), "manager"),
        ("team page, typical", "projects-team-typical", reverse("projects:team-detail", args=[median]), "manager"),
        ("team shift page", "projects-team-shift", reverse("projects:shift-edit", args=[pk, busy.pk]), "manager"),
    ]


def clients(district):
    """A visitor without a session, one with a session (they followed something: every page is rendered
    for them), and the district's manager, logged in."""
    session = Client()
    store = session.session
    store["following"] = []
    store.save()
    session.cookies[settings.SESSION_COOKIE_NAME] = store.session_key
    manager = Client()
    manager.force_login(User.objects.get(email=data.team_email(district, "manager")))
    return {"visitor": Client(), "session": session, "manager": manager}


def measure(district):
    who = clients(district)
    pk, signups = busiest(district)
    median, median_signups = typical(district)
    rows, slow = [], []
    for name, key, url, asker in cases(district):
        client = who[asker]
        response = get(client, url)
        BARE[key] = (response.body, response["Content-Type"])
        with CaptureQueriesContext(connection) as queries:
            get(client, url)
        captured = list(queries.captured_queries)  # the next request's start empties the log
        row = {"name": name, "url": url, "as": asker, "bytes": len(response.body), "queries": len(captured)}
        page, bare = summary(url_series(client, [url])), summary(url_series(client, [f"/bench/bare/{key}/"]))
        row |= page | {"bare_p50": bare["p50"], "bare_p95": bare["p95"]}
        row |= {"ratio_p95": round(page["p95"] / bare["p95"], 1), "pass": page["p95"] <= TARGET_MS}
        rows.append(row)
        slow.append((name, captured))
    return {
        "rows": rows,
        "project": pk,
        "project_signups": signups,
        "typical": median,
        "typical_signups": median_signups,
        "target_ms": TARGET_MS,
        "queries": slow,
    }


def explain(result, path):
    """The queries of one request of each page, slowest first, with their plans for the pages that missed."""
    lines = []
    failed = {row["name"] for row in result["rows"] if not row["pass"]}
    prefix = "EXPLAIN (ANALYZE, BUFFERS) " if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN "
    for name, queries in result["queries"]:
        lines.append(f"== {name}" + (" (missed the target)" if name in failed else ""))
        for query in sorted(queries, key=lambda q: -float(q["time"])):
            lines.append(f"{float(query['time']) * 1000:8.1f} ms  {query['sql']}")
            if name in failed and query["sql"].startswith("SELECT"):
                with connection.cursor() as cursor:
                    cursor.execute(prefix + query["sql"])
                    lines += ["        " + " ".join(str(value) for value in row) for row in cursor.fetchall()]
        lines.append("")
    path.write_text("\n".join(lines))
    return path


def report(result):
    print()
    print(
        f"Projects, in-process, each beside the bare view with its bytes; N={N} requests after {WARMUP} warm-up; "
        f"project page: no. {result['project']} ({result['project_signups']} sign-ups), typical: no. "
        f"{result['typical']} ({result['typical_signups']})"
    )
    header = ("page", "p50 ms", "p95 ms", "bare p50", "bare p95", "p95/bare", "queries", "KB", f"≤ {TARGET_MS} ms")
    print(f"{header[0]:<36}" + "".join(f"{h:>10}" for h in header[1:]))
    for r in result["rows"]:
        values = (r["p50"], r["p95"], r["bare_p50"], r["bare_p95"], f"{r['ratio_p95']}×", r["queries"])
        verdict = "PASS" if r["pass"] else "FAIL"
        print(f"{r['name']:<36}" + "".join(f"{v:>10}" for v in values) + f"{r['bytes'] / 1024:>10.0f}{verdict:>10}")
    failed = [r["name"] for r in result["rows"] if not r["pass"]]
    print(f"projects p95 ≤ {TARGET_MS} ms: " + (f"FAIL ({', '.join(failed)})" if failed else "PASS"))
