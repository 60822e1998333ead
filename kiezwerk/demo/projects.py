"""The demo's projects (data/oberhausen_projects.json): four actions of the Oberhausen team, made through the
projects services, with the district's manager responsible.

- A litter picking that is done: made from the litter template for six reports of wild rubbish along the
  Wertachuferweg (reported for it through `concern_report`, capture keys `demo:<slug>:action:<n>`), with its
  partners, 23 volunteers on two shifts and their attendance, the outcome (62 kg) and the six concerns
  resolved through `project_resolve_concerns`, the public reason naming the action.
- A community garden running: a shift every Saturday for the next six weeks, one full with a waiting list.
- A street party in planning, about five weeks ahead: tasks done, open and overdue; a skip still to come.
- An idea for the team only (internal).

Dates are relative to the day the demo is loaded. Each project is made once (by its title), so a second
run adds nothing. The services date what they write "now"; the demo then moves those timestamps to the
story's days in the past (historical demo data, as the rest of the demo backdates). The demo mails nobody:
its mails (volunteers', the request to the waste office) are dropped before the commit.
"""

import json
import random
import unicodedata
from datetime import datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from shapely.geometry import LineString, mapping

from kiezwerk.accounts.models import RoleKind
from kiezwerk.concerns import services as concern_services
from kiezwerk.concerns.models import Concern, ConcernStatus
from kiezwerk.core.intake import places
from kiezwerk.core.models import Entry, OutboxMail
from kiezwerk.network.services import referrals
from kiezwerk.projects.models import Project, ProjectStatus, ProjectTemplate, SignUp, Task, Visibility
from kiezwerk.projects.services import projects as project_services
from kiezwerk.projects.services import tasks as task_services
from kiezwerk.projects.services import volunteers
from kiezwerk.projects.services.templates import SHIPPED, templates_ship

PROJECTS_DATA = Path(__file__).parent / "data" / "oberhausen_projects.json"
S = ProjectStatus
# Letters NFKD does not take apart, for the volunteers' invented addresses.
ASCII = str.maketrans({"ı": "i", "ł": "l", "Ł": "L", "ß": "ss"})


def projects_load(district, streets, categories, users, organisations, *, data_path=PROJECTS_DATA, place):
    """Make the demo's projects that the district does not have yet. Returns the projects made."""
    spec = json.loads(Path(data_path).read_text(encoding="utf-8"))
    templates_ship(district=district)  # a demo loaded before the projects app existed has none yet
    templates = {t["kind"]: ProjectTemplate.objects.get(district=district, name=t["name"]) for t in SHIPPED}
    have = set(Project.objects.filter(district=district).values_list("title", flat=True))
    demo = _Demo(district, streets, categories, users, organisations, spec["volunteers"], place)
    made = []
    with transaction.atomic():  # the demo sends no mail: its mails are dropped before the commit
        last_mail = OutboxMail.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        key = f"demo:{district.slug}:action:"
        litter = spec["litter"]
        if litter["title"] not in have and not Concern.objects.filter(capture_key__startswith=key).exists():
            made.append(demo.litter(litter, templates["litter"], key))
        for kind, make in (("garden", demo.garden), ("party", demo.party), ("idea", demo.idea)):
            if spec[kind]["title"] not in have:
                made.append(make(spec[kind], templates.get(kind)))
        for project in made:
            # Historical demo data: last changed when its newest entry says.
            newest = Entry.objects.filter(project=project).order_by("-created_at").values_list("created_at", flat=True)
            Project.objects.filter(pk=project.pk).update(updated_at=newest.first() or project.created_at)
        OutboxMail.objects.filter(pk__gt=last_mail).delete()
    return made


def _local(day, hour_minute):
    return timezone.make_aware(datetime.combine(day, time.fromisoformat(hour_minute)))


def _saturday_on_or_before(day):
    return day - timedelta(days=(day.weekday() - 5) % 7)


def _saturday_on_or_after(day):
    return day + timedelta(days=(5 - day.weekday()) % 7)


def _saturday_near(day):
    """The Saturday nearest to `day` (at most three days off)."""
    ahead = (5 - day.weekday()) % 7
    return day + timedelta(days=ahead if ahead <= 3 else ahead - 7)


def email_for(name):
    """An invented address under example.org: "Łukasz Zieliński" → lukasz.zielinski@example.org."""
    plain = unicodedata.normalize("NFKD", name.translate(ASCII)).encode("ascii", "ignore").decode()
    return f"{slugify(plain).replace('-', '.')}@example.org"


class _Clock:
    """Dates the timeline entries the services wrote since the last call (they write "now") to the story's day."""

    def __init__(self):
        self.last = self._newest()

    @staticmethod
    def _newest():
        return Entry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    def date(self, when):
        Entry.objects.filter(pk__gt=self.last).update(created_at=when)
        self.last = self._newest()

    def mark(self):
        """The entries written since the last call carry their own dates (a service given `at`)."""
        self.last = self._newest()


class _Demo:
    def __init__(self, district, streets, categories, users, organisations, people, place):
        self.district, self.streets, self.categories = district, streets, categories
        self.organisations, self.people, self.place = organisations, people, place
        self.manager, self.helper = users[RoleKind.MANAGER], users[RoleKind.VOLUNTEER]
        self.today = timezone.localdate()
        self.now = timezone.now()
        self.clock = _Clock()

    # Shared steps ---------------------------------------------------------------------------------------

    def _create(self, spec, template, *, when, **fields):
        project = project_services.project_create(
            district=self.district,
            actor=self.manager,
            title=spec["title"],
            goal=spec["goal"],
            template=template,
            description=spec["description"],
            language="de",
            responsible=self.manager,
            **fields,
        )
        self.clock.date(when)
        # Historical demo data: the project was started on the story's day.
        Project.objects.filter(pk=project.pk).update(created_at=when, updated_at=when)
        return project

    def _point(self, street_name, number):
        lat, lon = places.street_point(self.streets[street_name], number)
        lat, lon, address, _area = project_services.place_check(self.district, lat=lat, lon=lon)
        return {"lat": lat, "lon": lon, "address": address}

    def _status(self, project, new_status, when, reason=""):
        project_services.project_status_change(
            project=project, actor=self.manager, new_status=new_status, reason=reason
        )
        self.clock.date(when)
        if new_status in (S.DONE, S.CANCELLED):
            Project.objects.filter(pk=project.pk).update(ended_at=when)  # historical demo data, as the entry

    def _post(self, project, text, when, *, is_public=True):
        project_services.project_post(project=project, actor=self.manager, text=text, is_public=is_public)
        self.clock.date(when)

    def _partners(self, project, specs):
        for spec in specs:
            project_services.partner_add(
                project=project,
                actor=self.manager,
                organisation=self.organisations[spec["organisation"]],
                part=spec["part"],
            )

    def _materials(self, project, specs, signup=None):
        """Pledges and deliveries on the template's materials (by name); a material it lacks is added."""
        for spec in specs:
            material = project.materials.filter(name=spec["name"]).first()
            by = spec["pledged_by"]
            task_services.material_save(
                project=project,
                actor=self.manager,
                name=spec["name"],
                needed=material.needed if material else max(spec["pledged"], spec["received"], 1),
                pledged=spec["pledged"],
                received=spec["received"],
                pledged_by_organisation=self.organisations[by] if by and by != "volunteer" else None,
                pledged_by_signup=signup if by == "volunteer" else None,
                material=material,
            )

    def _done(self, task, when):
        task_services.task_done(task=task, actor=self.manager)
        # Historical demo data: ticked off on the story's day.
        Task.objects.filter(pk=task.pk).update(done_at=min(when, self.now))

    def _sign_up(self, shift, person):
        """A volunteer with a name and e-mail address signs up and confirms by the mailed link."""
        name, language = person
        signup = volunteers.signup_create(shift=shift, name=name, email=email_for(name), language=language)
        signup, _changed = volunteers.signup_confirm(signup=signup)
        return signup

    def _people(self, start, count):
        return [self.people[(start + n) % len(self.people)] for n in range(count)]

    @staticmethod
    def _queued(signups, first, last):
        """Historical demo data: the sign-ups came in one by one between `first` and `last`, in their order."""
        step = (last - first) / max(len(signups) - 1, 1)
        for index, signup in enumerate(signups):
            at = first + step * index
            SignUp.objects.filter(pk=signup.pk).update(created_at=at, queued_at=at)

    # The four projects ----------------------------------------------------------------------------------

    def litter(self, spec, template, key):
        day = _saturday_on_or_before(self.today - timedelta(days=14))
        category = self.categories[spec["category"]]
        street = self.streets[spec["street"]]
        rng = random.Random(7_000)  # the same places every time
        concerns = [
            self._report(street, category, concern, day, f"{key}{index}", spec["triage_reply"], rng)
            for index, concern in enumerate(spec["concerns"])
        ]
        # The place: the stretch of the path the action cleaned, drawn as an area.
        path = LineString(
            (lon, lat)
            for lat, lon in (
                places.street_point(street, spec["from_number"] + step / 4)
                for step in range(4 * (spec["to_number"] - spec["from_number"]) + 1)
            )
        )
        area = mapping(path.buffer(0.00025, quad_segs=2).simplify(0.00002))
        lat, lon, address, area = project_services.place_check(self.district, area=area)
        started = _local(day - timedelta(days=36), "09:30")
        project = self._create(
            spec,
            template,
            when=started,
            concerns=concerns,
            category=category,
            lat=lat,
            lon=lon,
            address=address,
            area=area,
            starts_on=day,
        )
        self._partners(project, spec["partners"])
        self._materials(project, spec["materials"])
        self._status(project, S.PLANNING, started + timedelta(minutes=20))
        for task in project.tasks.all():
            self._done(task, _local(min(task.due_on, day - timedelta(days=1)), "11:00"))
        # No service signs anyone up for a shift that has begun (residents must not), so the demo tells it as
        # it happened: the shift is announced, people sign up, and then it is dated to its day (shift_save).
        signups, people, total = [], iter(self.people), Decimal(0)
        for index, shift_spec in enumerate(spec["shifts"]):
            ahead = self.now + timedelta(days=1 + index)
            shift = volunteers.shift_save(
                project=project,
                actor=self.manager,
                starts_at=ahead,
                ends_at=ahead + timedelta(hours=3),
                place=shift_spec["place"],
                bring=shift_spec["bring"],
                capacity=shift_spec["capacity"],
            )
            shift_signups = [self._sign_up(shift, next(people)) for _n in range(shift_spec["volunteers"])]
            starts_at, ends_at = _local(day, shift_spec["start"]), _local(day, shift_spec["end"])
            volunteers.shift_save(
                project=project,
                actor=self.manager,
                shift=shift,
                starts_at=starts_at,
                ends_at=ends_at,
                place=shift_spec["place"],
                bring=shift_spec["bring"],
                capacity=shift_spec["capacity"],
            )
            # Everyone came; the first few stayed an hour longer to load the container.
            hours = Decimal((ends_at - starts_at).total_seconds() / 3600).quantize(Decimal("0.1"))
            rows = {
                signup.pk: (True, hours + (1 if number < shift_spec["stayed_longer"] else 0))
                for number, signup in enumerate(shift_signups)
            }
            volunteers.attendance_record(shift=shift, actor=self.manager, rows=rows)
            total += sum(given for _attended, given in rows.values())
            signups += shift_signups
        running = _local(day - timedelta(days=12), "17:00")
        self._status(project, S.RUNNING, running, spec["running_text"])
        self._queued(signups, running + timedelta(hours=1), _local(day - timedelta(days=1), "20:00"))
        self._post(
            project, spec["update"]["text"], _local(day - timedelta(days=spec["update"]["days_before"]), "18:30")
        )
        self._status(project, S.DONE, _local(day, "15:30"), spec["done_reason"])
        project_services.project_outcome(
            project=project,
            actor=self.manager,
            participants=len(signups),
            hours=total,
            figures=spec["figures"],
            result=spec["result"],
        )
        resolved_at = _local(day + timedelta(days=2), "10:00")
        resolved = project_services.project_resolve_concerns(
            project=project,
            actor=self.manager,
            text=spec["resolution"].format(title=project.title, date=f"{day:%d.%m.%Y}"),
        )
        self.clock.date(resolved_at)
        # Historical demo data: closed when the entry says.
        Concern.objects.filter(pk__in=[c.pk for c in resolved]).update(closed_at=resolved_at, updated_at=resolved_at)
        return project

    def _report(self, street, category, spec, day, capture_key, reply, rng):
        """One of the reports the litter action answers; the team replied that it is collecting them."""
        lat, lon = self.place(self.district, street, spec["house_number"], rng)
        concern, _token = concern_services.concern_report(
            district=self.district,
            category=category,
            title=spec["title"],
            description=spec["description"],
            lat=lat,
            lon=lon,
            address=f"{street.name} {spec['house_number']}",
            language=spec["language"],
            capture_key=capture_key,
        )
        reported = _local(day - timedelta(days=spec["days_before"]), spec["time"])
        self.clock.date(reported)
        # Historical demo data: reported on the story's day.
        Concern.objects.filter(pk=concern.pk).update(created_at=reported, updated_at=reported)
        concern_services.concern_reply(
            concern=concern,
            actor=self.manager,
            text=reply,
            new_status=ConcernStatus.TRIAGED,
            at=_local(reported.date() + timedelta(days=1), "10:30"),
        )
        self.clock.mark()
        return concern

    def garden(self, spec, template):
        opening = _saturday_on_or_before(self.today - timedelta(days=21))
        first = _saturday_on_or_after(self.today + timedelta(days=1))
        saturdays = [first + timedelta(weeks=n) for n in range(len(spec["signups"]))]
        started = _local(opening - timedelta(days=35), "10:00")
        project = self._create(
            spec,
            template,
            when=started,
            starts_on=opening,
            ends_on=saturdays[-1],
            category=self.categories.get("community-gardens"),
            **self._point(spec["street"], spec["house_number"]),
        )
        self._partners(project, spec["partners"])
        self._status(project, S.PLANNING, started + timedelta(hours=1))
        for task in project.tasks.all():
            self._done(task, _local(task.due_on, "16:00"))
        self._status(project, S.RUNNING, _local(opening, "13:30"), spec["running_text"])
        shift_spec, signups, helper_signup, start = spec["shift"], [], None, 8
        for index, (day, count) in enumerate(zip(saturdays, spec["signups"], strict=True)):
            shift = volunteers.shift_save(
                project=project,
                actor=self.manager,
                starts_at=_local(day, shift_spec["start"]),
                ends_at=_local(day, shift_spec["end"]),
                place=shift_spec["place"],
                bring=shift_spec["bring"],
                capacity=shift_spec["capacity"],
            )
            if index in spec["account_shifts"]:  # the demo volunteer, with an account: a place at once
                signup = volunteers.signup_create(shift=shift, user=self.helper)
                helper_signup = helper_signup or signup
                signups.append(signup)
                count -= 1
            signups += [self._sign_up(shift, person) for person in self._people(start, count)]
            start += count
        self._queued(signups, self.now - timedelta(days=12), self.now - timedelta(hours=3))
        pledger = next(s for s in signups if s.user_id is None)
        self._materials(project, spec["materials"], signup=pledger)
        for task in spec["tasks"]:
            owner = {"owner_signup": helper_signup} if task["owner"] == "volunteer" else {"owner_user": self.manager}
            task_services.task_save(
                project=project,
                actor=self.manager,
                title=task["title"],
                due_on=self.today + timedelta(days=task["due_in_days"]),
                **owner,
            )
        update = spec["update"]
        self._post(project, update["text"], _local(self.today - timedelta(days=update["days_ago"]), "19:00"))
        return project

    def party(self, spec, template):
        day = _saturday_near(self.today + timedelta(weeks=spec["weeks_ahead"]))
        started = _local(self.today - timedelta(days=30), "14:00")
        project = self._create(
            spec,
            template,
            when=started,
            starts_on=day,
            ends_on=day,
            **self._point(spec["street"], spec["house_number"]),
        )
        self._status(project, S.PLANNING, started + timedelta(minutes=30))
        self._partners(project, spec["partners"])
        # The skip ("Container", from the template) is requested from the waste office through the network's
        # referrals: a link for the office, reminders, escalation; its answers land on the project's timeline.
        self._materials(project, spec["materials"])
        request = spec["request"]
        referrals.referral_request(
            subject=project,
            district=self.district,
            organisation=self.organisations[request["organisation"]],
            actor=self.manager,
            message=request["message"].format(day=day.strftime("%d.%m.%Y")),
            due_on=self.today + timedelta(days=request["due_in_days"]),
        )
        for task in project.tasks.filter(title__in=spec["done_tasks"]):
            self._done(task, _local(task.due_on, "10:00"))
        for task_spec in spec["tasks"]:
            due = self.today + timedelta(days=task_spec["due_in_days"])
            task = task_services.task_save(
                project=project, actor=self.manager, title=task_spec["title"], due_on=due, owner_user=self.manager
            )
            if task_spec["done"]:
                self._done(task, _local(due, "15:00"))
        signups, start = [], 20
        for shift_spec in spec["shifts"]:
            shift = volunteers.shift_save(
                project=project,
                actor=self.manager,
                starts_at=_local(day, shift_spec["start"]),
                ends_at=_local(day, shift_spec["end"]),
                place=shift_spec["place"],
                bring=shift_spec["bring"],
                capacity=shift_spec["capacity"],
            )
            signups += [self._sign_up(shift, person) for person in self._people(start, shift_spec["signups"])]
            start += shift_spec["signups"]
        self._queued(signups, self.now - timedelta(days=6), self.now - timedelta(days=1))
        return project

    def idea(self, spec, _template):
        started = _local(self.today - timedelta(days=9), "16:30")
        project = self._create(
            spec,
            None,
            when=started,
            visibility=Visibility.INTERNAL,
            **self._point(spec["street"], spec["house_number"]),
        )
        self._post(project, spec["note"], started + timedelta(days=6), is_public=False)
        return project
