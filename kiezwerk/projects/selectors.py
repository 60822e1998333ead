"""Reads for projects: the public and the team's lists, a project's page, the start page, "today", the map."""

import json
from datetime import timedelta

from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import get_language

from kiezwerk.concerns.selectors import map_context
from kiezwerk.core import pagecache
from kiezwerk.core import selectors as core_selectors
from kiezwerk.network.models import Referral

from .models import ENDED_STATUSES, Project, ProjectStatus, Shift, SignUp, SignUpStatus, Task

RECENT_DAYS = 90  # "recently finished" on the start page


def _open_shifts(now):
    """Exists: the project has a shift still to come with a free place."""
    return Exists(Shift.objects.filter(project=OuterRef("pk"), starts_at__gt=now, taken__lt=F("capacity")))


def public_list(*, district, status=None, volunteers=False, kind=None):
    """Public projects of the district, newest first; `volunteers`: only those with a free place on a coming shift."""
    now = timezone.now()
    projects = (
        Project.objects.public()
        .filter(district=district)
        .annotate(looking=_open_shifts(now))
        .select_related("district")
        .only(
            "pk",
            "title",
            "goal",
            "kind",
            "status",
            "starts_on",
            "ends_on",
            "address",
            "language",
            "visibility",
            "created_at",
            "district__slug",
            "district__name",
        )
        .order_by("-created_at", "-pk")
    )
    if status:
        projects = projects.filter(status=status)
    if volunteers:
        projects = projects.filter(looking=True, status__in=[ProjectStatus.PLANNING, ProjectStatus.RUNNING])
    if kind:
        projects = projects.filter(kind=kind)
    return projects


def _count(rows):
    """A correlated count of `rows` (filtered by OuterRef("pk")), 0 when there are none."""
    return Coalesce(Subquery(rows.order_by().values("project").annotate(n=Count("pk")).values("n")), 0)


def team_list(*, district, status=None, kind=None, search=""):
    """All projects of the district for its team (internal ones and ideas too), with counts of open tasks.

    The counts are subqueries, not joins with GROUP BY: the list's paginator counts and orders the
    projects alone and computes them for the page's rows only (core.lists.BoundedPaginator)."""
    linked = Project.concerns.through.objects.filter(project=OuterRef("pk"))
    projects = (
        Project.objects.filter(district=district)
        .select_related("responsible", "district")
        .annotate(
            open_tasks=_count(Task.objects.filter(project=OuterRef("pk"), done_at=None)),
            concern_count=_count(linked),
        )
        .order_by("-created_at", "-pk")
    )
    if status:
        projects = projects.filter(status=status)
    if kind:
        projects = projects.filter(kind=kind)
    if search:
        projects = projects.filter(Q(title__icontains=search) | Q(goal__icontains=search))
    return projects


def shifts(*, project, upcoming_only=False):
    rows = project.shifts.order_by("starts_at", "pk")
    if upcoming_only:
        rows = rows.filter(ends_at__gt=timezone.now())
    return rows


def project_timeline(*, project, include_internal=False):
    """The project's entries, oldest first; a partner's step (a request's) with its referral and organisation."""
    referrals = Referral.objects.select_related("organisation")
    entries = (
        project.entries.select_related("author")
        .prefetch_related(GenericPrefetch("context", [referrals]))
        .order_by("created_at", "pk")
    )
    return entries if include_internal else entries.filter(is_public=True)


def _photos(project):
    """The result's photos: the pages show them for a done project only."""
    return list(project.photos.all()) if project.status == ProjectStatus.DONE else []


def public_page(*, project):
    """What the public page shows besides the project: shifts (counts only), partners, timeline, photos, concerns."""
    return {
        "shifts": list(shifts(project=project)),
        "partners": list(project.partners.select_related("organisation").order_by("pk")),
        "timeline": list(project_timeline(project=project)),
        "photos": _photos(project),
        "concerns": list(project.concerns.public().only("pk", "title", "status", "language")),
        "figures": figures(project),
    }


def figures(project):
    """[(label, value, unit)] of the outcome: the template's figures in its order, then any others."""
    specs = project.template.figures if project.template_id and project.template else []
    labels = {spec["key"]: (spec["label"], spec.get("unit", "")) for spec in specs}
    rows = [(labels[key][0], project.figures[key], labels[key][1]) for key in labels if key in project.figures]
    rows += [(key, value, "") for key, value in project.figures.items() if key not in labels]
    return rows


# What the team sees of a sign-up (a big action has hundreds): no tokens, no timestamps.
SIGNUP_ROW = ("pk", "shift_id", "user_id", "name", "email", "phone", "status", "attended", "hours")
USER_NAME = ("email", "display_name")  # SignUp.display_name and .address


def _signup_rows(signups):
    return signups.select_related("user").only(*SIGNUP_ROW, *(f"user__{name}" for name in USER_NAME))


def team_page(*, project):
    """Everything the team's page shows: the public parts plus tasks, materials, notes, and per shift the
    counts of its volunteers (their list is on the shift's page); `volunteers` are the registered ones,
    whom the task and material forms offer."""
    by_status = {
        f"n_{status}": Count("signups", filter=Q(signups__status=status))
        for status in (SignUpStatus.WAITING, SignUpStatus.UNCONFIRMED)
    }
    shift_rows = list(shifts(project=project).annotate(**by_status))
    # With the partners' contacts: the task form offers them as owners.
    partners = project.partners.select_related("organisation").prefetch_related("organisation__contacts")
    volunteers = registered_volunteers(project=project)
    return {
        "shifts": shift_rows,
        "volunteers": volunteers,
        "partners": list(partners.order_by("pk")),
        "timeline": list(project_timeline(project=project, include_internal=True)),
        "photos": _photos(project),
        "concerns": list(project.concerns.only("pk", "title", "status", "language")),
        "tasks": list(project.tasks.select_related("owner_user", "owner_signup__user", "owner_contact", "after")),
        "materials": list(project.materials.select_related("pledged_by_organisation", "pledged_by_signup__user")),
        "figures": figures(project),
        "requests": list(project.requests.select_related("organisation", "contact").order_by("-created_at", "-pk")),
        "registered": len(volunteers),
    }


def registered_volunteers(*, project):
    """The project's volunteers with a place, by shift: the task and material forms offer them."""
    registered = SignUp.objects.filter(shift__project=project, status=SignUpStatus.REGISTERED)
    return list(_signup_rows(registered).order_by("shift__starts_at", "queued_at", "pk"))


def shift_volunteers(*, shift):
    """A shift's sign-ups as its page lists them, cancelled ones left out: registered, then waiting (in the
    order they move up), then those still to confirm."""
    order = {SignUpStatus.REGISTERED: 0, SignUpStatus.WAITING: 1, SignUpStatus.UNCONFIRMED: 2}
    rows = _signup_rows(shift.signups.exclude(status=SignUpStatus.CANCELLED)).order_by("queued_at", "pk")
    return sorted(rows, key=lambda signup: order[signup.status])


def start_page(*, district, limit=4):
    """For the district's start page: running projects that look for volunteers, and recently finished ones."""
    now = timezone.now()
    base = Project.objects.public().filter(district=district).select_related("district")
    looking = list(
        base.filter(status__in=[ProjectStatus.PLANNING, ProjectStatus.RUNNING])
        .filter(_open_shifts(now))
        .order_by("starts_on", "-pk")[:limit]
    )
    finished = list(
        base.filter(status=ProjectStatus.DONE, ended_at__gte=now - timedelta(days=RECENT_DAYS)).order_by("-ended_at")[
            :limit
        ]
    )
    return {"looking": looking, "finished": finished}


def due_tasks_section(district, today):
    """The desk's "today": open tasks of the district's projects due today or earlier (projects still going)."""
    tasks = list(
        Task.objects.filter(project__district=district, done_at=None, due_on__lte=today)
        .exclude(project__status__in=ENDED_STATUSES)
        .select_related("project", "owner_user", "owner_signup", "owner_contact")
        .order_by("due_on", "pk")[:200]
    )
    return {"tasks": tasks, "today": today, "district": district} if tasks else None


def concern_section(concern):
    """The workspace's panel: the projects the concern is linked to, and the way to make an action of it."""
    return {"concern": concern, "projects": list(concern.projects.only("pk", "title", "status"))}


def district_section(district):
    """The district's public page (concerns.selectors.district_section_register): actions looking for helpers,
    recently finished ones, and the link to the list (always shown)."""
    return {"district": district, **start_page(district=district)}


def place_map(*, district):
    """The place picker's map (boundary, streets, tiles), as the concerns' maps have it, for `json_script`."""
    return map_context(district=district)["map_config"]


def map_points(*, district):
    """Public projects with a place, not cancelled, for the district map: a few dozen at most. No volunteer data."""
    rows = (
        Project.objects.public()
        .filter(district=district, lat__isnull=False)
        .exclude(status=ProjectStatus.CANCELLED)
        .select_related("district")
        .only("pk", "title", "status", "lat", "lon", "area", "district__slug")
        .order_by("-pk")[:200]
    )
    return [
        {
            "id": p.pk,
            "title": p.title,
            "status": p.status,
            "status_label": str(p.get_status_display()),
            "lat": p.lat,
            "lon": p.lon,
            "area": p.area,
            "url": p.get_absolute_url(),
        }
        for p in rows
    ]


def map_geojson(*, slug):
    """The district map's layer of actions: GeoJSON bytes, kept per data version and language (a public change
    of a project bumps the version); None when there is no such district. A cache hit costs no query."""
    version = core_selectors.district_version(slug)
    if version is None:
        return None
    key = "project-map:{}:{}:{}".format(*version, get_language())

    def build():
        features = [
            {
                "type": "Feature",
                "id": point["id"],
                "geometry": {"type": "Point", "coordinates": [round(point["lon"], 6), round(point["lat"], 6)]},
                "properties": {
                    "title": point["title"],
                    "status": point["status"],
                    "status_label": point["status_label"],
                    "url": point["url"],
                    "area": point["area"],
                },
            }
            for point in map_points(district=version[0])
        ]
        collection = {"type": "FeatureCollection", "features": features}
        return json.dumps(collection, ensure_ascii=False, separators=(",", ":")).encode()

    return pagecache.kept(key, build)
