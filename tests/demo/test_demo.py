import json
from datetime import date, timedelta
from itertools import pairwise

import icalendar
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from kiezwerk.accounts import access
from kiezwerk.accounts.models import Membership, Role, RoleKind
from kiezwerk.concerns import selectors as concern_selectors
from kiezwerk.concerns.models import Category, Concern, ConcernStatus, EntryKind, Moderation
from kiezwerk.core import selectors as core_selectors
from kiezwerk.core.models import AuditEvent, Entry, OutboxMail
from kiezwerk.demo import events as demo_events
from kiezwerk.demo import projects as demo_projects
from kiezwerk.demo.data import check_demo_data
from kiezwerk.demo.network import PARTNER_LOGIN
from kiezwerk.demo.services import DATA, DEMO_USERS, demo_load
from kiezwerk.desk import selectors as desk_selectors
from kiezwerk.desk.models import FieldNote, ReplyTemplate, StreetContact
from kiezwerk.events.models import Event, Occurrence, Registration, Review
from kiezwerk.events.models import RegistrationStatus as RS
from kiezwerk.network import rules as network_rules
from kiezwerk.network.models import (
    ANSWERED_REFERRAL_STATUSES,
    OPEN_REFERRAL_STATUSES,
    Contact,
    Organisation,
    OrganisationKind,
    Outcome,
    Referral,
    Relationship,
)
from kiezwerk.network.selectors.ranking import partner_suggestions
from kiezwerk.projects import selectors as projects_selectors
from kiezwerk.projects.models import (
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


def test_demo_data_passes_its_checks(capsys):
    assert check_demo_data.main(["check", str(DATA)]) == 0
    out = capsys.readouterr().out
    assert "Desk: oberhausen_desk.json" in out and "Projects: oberhausen_projects.json" in out
    assert "Events: oberhausen_events.json, 13 events (6 series, 2 waiting for approval)" in out


def test_demo_is_complete_and_idempotent(db, client):
    district, users, created = demo_load()
    assert created >= 150
    assert len(users) == len(DEMO_USERS) == Role.objects.count() + 1  # the partner login has no role
    concerns = Concern.objects.filter(district=district)
    assert set(concerns.values_list("language", flat=True)) == {"de", "tr", "ar", "ru", "en"}
    assert concerns.filter(status="resolved").exists() and concerns.filter(status="new").exists()
    assert concerns.filter(moderation=Moderation.APPROVED).exists()
    assert concerns.filter(entries__kind="status").exists()
    assert district.streets.count() >= 28
    _assert_desk(district, users)
    _assert_internal_notes(district)
    _assert_projects(district, users, client)
    _assert_events(district, users, client)
    desk = _desk_counts(district)
    projects = _project_counts(district)
    events = _event_counts(district)
    total = Concern.objects.count()
    assert total >= created + 150  # with the network's historical concerns
    _district, _users, again = demo_load()
    assert again == 0 and Concern.objects.count() == total and Role.objects.count() + 1 == len(DEMO_USERS)
    assert _desk_counts(district) == desk  # a second run adds nothing, not even an audit row
    assert _project_counts(district) == projects
    assert _event_counts(district) == events
    # `make run` serves the open data: the demo builds its files.
    response = client.get(reverse("concerns:open-data-geojson", args=[district.slug]))
    features = json.loads(b"".join(response.streaming_content))["features"]
    assert len(features) == Concern.objects.public().filter(district=district).count()
    # A demo user can log in with the printed password.
    assert client.login(email="quartiersmanager@example.org", password="kiezwerk-demo")


def _project_counts(district):
    return {
        "projects": Project.objects.filter(district=district).count(),
        "entries": Entry.objects.filter(project__district=district).count(),
        "shifts": Shift.objects.filter(project__district=district).count(),
        "signups": SignUp.objects.filter(shift__project__district=district).count(),
        "tasks": Task.objects.filter(project__district=district).count(),
        "materials": Material.objects.filter(project__district=district).count(),
        "partners": ProjectPartner.objects.filter(project__district=district).count(),
        "templates": ProjectTemplate.objects.filter(district=district).count(),
    }


def _assert_projects(district, users, client):
    """The team's four actions: litter picking done, garden running, street party planned, an internal idea."""
    today, now = timezone.localdate(), timezone.now()
    manager = users[RoleKind.MANAGER]
    projects = Project.objects.filter(district=district)
    assert projects.count() == 4 and all(p.responsible == manager and p.language == "de" for p in projects)
    assert not OutboxMail.objects.exists()  # the volunteers are never mailed by the demo
    litter, garden, party = (projects.get(kind=kind) for kind in (Kind.LITTER, Kind.GARDEN, Kind.PARTY))
    idea = projects.get(status=ProjectStatus.IDEA)

    # The litter picking: done, from the template, for six reports of wild rubbish in one street, now resolved.
    assert litter.status == ProjectStatus.DONE and litter.template.kind == Kind.LITTER and litter.is_public
    assert litter.starts_on <= today - timedelta(days=14) and litter.starts_on.weekday() == 5
    assert litter.ended_at < now and litter.status_reason and litter.area["type"] == "Polygon"
    concerns = litter.concerns.all()
    assert concerns.count() == 6 and {c.category.slug for c in concerns} == {"illegal-dumping"}
    assert len({c.address.rsplit(" ", 1)[0] for c in concerns}) == 1  # one street
    assert all(c.status == ConcernStatus.RESOLVED and c.closed_at.date() > litter.starts_on for c in concerns)
    for concern in concerns:
        assert concern.created_at < litter.created_at  # reported before the action was started for them
        resolved = concern.entries.get(kind=EntryKind.STATUS, new_status=ConcernStatus.RESOLVED)
        assert resolved.is_public and litter.title in resolved.text and resolved.created_at == concern.closed_at
        page = client.get(concern.get_absolute_url())
        assert page.status_code == 200 and litter.get_absolute_url() in page.content.decode()
    signups = SignUp.objects.filter(shift__project=litter)
    assert signups.count() == 23 == litter.participants
    assert all(s.status == SignUpStatus.REGISTERED and s.attended and s.hours > 0 for s in signups)
    assert all(s.email.endswith("@example.org") and s.name for s in signups)
    assert len({s.email for s in signups}) == 23
    assert set(signups.values_list("language", flat=True)) == {"de", "tr", "ar", "pl", "uk", "ru"}
    assert litter.hours == sum(s.hours for s in signups)
    assert all(s.queued_at < shift.starts_at < now for shift in litter.shifts.all() for s in shift.signups.all())
    assert litter.figures["litter_kg"] == 62 and litter.figures["bags"] > 0
    assert "62 kg" in litter.result
    waste_office = litter.partners.get(organisation__name="Amt für Abfallwirtschaft (Demo)")
    assert waste_office.part == "stellt Container und holt die Säcke ab"
    assert not litter.tasks.filter(done_at=None).exists()
    page = client.get(litter.get_absolute_url()).content.decode()
    assert "62" in page and litter.result[:40] in page and "Amt für Abfallwirtschaft" in page

    # The community garden: running, a shift every Saturday for six weeks, one full with a waiting list.
    assert garden.status == ProjectStatus.RUNNING and garden.template.kind == Kind.GARDEN
    shifts = list(garden.shifts.order_by("starts_at"))
    assert len(shifts) == 6 and all(s.capacity == 6 and s.starts_at > now for s in shifts)
    days = [timezone.localtime(s.starts_at).date() for s in shifts]
    assert all(day.weekday() == 5 for day in days) and days[0] <= today + timedelta(days=7)
    assert all(later - earlier == timedelta(weeks=1) for earlier, later in pairwise(days))
    [full] = [s for s in shifts if s.free == 0]
    waiting = full.signups.filter(status=SignUpStatus.WAITING)
    assert waiting.count() == 2 and full.signups.filter(status=SignUpStatus.REGISTERED).count() == 6
    assert all(0 < s.taken < s.capacity for s in shifts if s != full)
    assert not SignUp.objects.filter(shift__project=garden, status=SignUpStatus.UNCONFIRMED).exists()
    kinds = set(garden.partners.values_list("organisation__kind", flat=True))
    assert OrganisationKind.ASSOCIATION in kinds and garden.partners.filter(organisation__name="Grünamt (Demo)")
    helper = SignUp.objects.filter(shift__project=garden, user=users[RoleKind.VOLUNTEER]).first()
    assert helper.display_name == "Jonas Berger"

    # The street party: planned about five weeks ahead; tasks done, open and overdue; the skip still to come.
    assert party.status == ProjectStatus.PLANNING and party.template.kind == Kind.PARTY and party.is_public
    assert 32 <= (party.starts_on - today).days <= 38 and party.starts_on.weekday() == 5
    open_tasks = party.tasks.filter(done_at=None)
    assert open_tasks.filter(due_on__lt=today).count() >= 2 and open_tasks.filter(due_on__gt=today).count() >= 2
    assert party.tasks.exclude(done_at=None).count() >= 2
    skip = party.materials.get(name="Container")
    assert skip.pledged == 0 and skip.pledged_by_organisation is None
    assert party.partners.filter(organisation__name="Amt für Abfallwirtschaft (Demo)").exists()
    # The skip is requested from the waste office through the network: an open request, on the project's timeline.
    request = party.requests.get()
    assert request.organisation.name == "Amt für Abfallwirtschaft (Demo)" and request.status == "sent"
    assert "Container" in request.message and request.district == district
    assert party.entries.filter(kind="referral", step="sent", is_public=False).exists()
    due = projects_selectors.due_tasks_section(district, today)
    assert {task.project for task in due["tasks"]} >= {party}

    # The idea: the team's only.
    assert idea.visibility == Visibility.INTERNAL and not idea.is_public
    listed = client.get(reverse("projects:list", args=[district.slug])).content.decode()
    assert idea.title not in listed and all(p.title in listed for p in (litter, garden, party))
    assert client.get(idea.get_absolute_url()).status_code == 404
    assert not Project.objects.public().filter(pk=idea.pk).exists()


def _event_counts(district):
    return {
        "events": Event.objects.filter(district=district).count(),
        "dates": sorted(
            Occurrence.objects.filter(event__district=district).values_list("pk", "starts_at", "cancelled", "taken")
        ),
        "reports": Occurrence.objects.filter(event__district=district).exclude(reported_at=None).count(),
        "registrations": sorted(
            Registration.objects.filter(occurrence__event__district=district).values_list("pk", "status")
        ),
    }


def _assert_events(district, users, client):
    """A year of Oberhausen events (issue I, item 8): the café series with one date cancelled and one moved, the
    garden project's monthly garden day, the street party full with a waiting list and one open offer, and two
    partners' submissions waiting for approval that the public never sees."""
    now = timezone.now()
    events = Event.objects.filter(district=district)
    assert 10 <= events.count() <= 14 and all(e.language == "de" and e.topics and e.languages for e in events)
    dates = Occurrence.objects.filter(event__district=district)
    # The year around today: some months back, most of it ahead.
    assert dates.filter(starts_at__lt=now - timedelta(days=60)).exists()
    assert dates.filter(starts_at__gt=now + timedelta(days=240)).exists()
    assert dates.filter(starts_at__gt=now).count() > 2 * dates.filter(starts_at__lt=now).count()
    assert events.filter(price=None).count() > events.exclude(price=None).count() > 0
    assert events.filter(step_free=True).exists() and events.filter(sign_language=True).exists()
    assert len({e.audience for e in events}) >= 4 and events.filter(organiser=None).exists()
    # Past dates have what the organiser recorded, and no registrations (nobody registers for a begun date).
    past = dates.filter(ends_at__lt=now)
    assert past.count() >= 20 and not past.filter(reported_at=None).exists()
    assert all(o.attendance >= o.first_timers and o.reported_at <= now for o in past)
    assert not Registration.objects.filter(occurrence__in=dates.filter(starts_at__lt=now)).exists()

    # The weekly café: exactly one date cancelled and one moved, both still to come, kept in its feed.
    cafe = events.get(title__startswith="Nachbarschaftscafé")
    assert cafe.is_public and cafe.rrule.startswith("FREQ=WEEKLY;") and cafe.organiser and cafe.venue
    cafe_dates = list(cafe.occurrences.all())
    assert len(cafe_dates) >= 45 and any(o.starts_at < now for o in cafe_dates)
    [cancelled] = [o for o in cafe_dates if o.cancelled]
    [moved] = [o for o in cafe_dates if o.is_moved]
    assert cancelled.cancel_reason and now < cancelled.starts_at and now < moved.starts_at and not moved.cancelled
    ics = icalendar.Calendar.from_ical(client.get(reverse("events:ics", args=[district.slug, cafe.pk])).content)
    parts = ics.walk("VEVENT")
    assert len(parts) == 2 and parts[0].get("EXDATE") and parts[1].get("RECURRENCE-ID")

    # The monthly garden day belongs to the community garden project, from its opening on.
    garden = Project.objects.get(district=district, kind=Kind.GARDEN)
    [garden_day] = events.filter(project=garden)
    assert garden_day.is_public and garden_day.rrule.startswith("FREQ=MONTHLY;BYDAY=-1SA")
    assert timezone.localtime(garden_day.starts_at).date() >= garden.starts_on

    # The street party (the party project's day): full, people waiting, and exactly one open offer.
    party_project = Project.objects.get(district=district, kind=Kind.PARTY)
    [party] = events.filter(project=party_project)
    [day] = party.occurrences.all()
    assert party.takes_registrations and timezone.localtime(day.starts_at).date() == party_project.starts_on
    registrations = day.registrations.all()
    assert day.taken == party.capacity and day.free == 0
    assert registrations.filter(status=RS.REGISTERED).count() == party.capacity - 1
    assert registrations.filter(user=users[RoleKind.RESIDENT], status=RS.REGISTERED).exists()
    [offer] = registrations.filter(status=RS.OFFERED)
    waiting = registrations.filter(status=RS.WAITING)
    assert now < offer.offer_expires_at and waiting.count() >= 2
    assert all(offer.queued_at < person.queued_at < now for person in waiting)
    [gone] = registrations.filter(status=RS.CANCELLED)
    assert gone.ended == "cancelled" and gone.queued_at < offer.queued_at
    everyone = Registration.objects.filter(occurrence__event__district=district)
    assert everyone.filter(status=RS.OFFERED).count() == 1
    assert not everyone.filter(status=RS.UNCONFIRMED).exists()
    assert all(r.address.endswith("@example.org") for r in everyone)
    assert client.get(party.get_absolute_url()).status_code == 200

    # Two partners' submissions wait for approval: the partner login's own, and one the team entered.
    pending = events.filter(review=Review.PENDING)
    assert pending.count() == 2 and all(e.organiser and e.starts_at > now for e in pending)
    assert {e.submitted_by for e in pending} == {users[PARTNER_LOGIN], users[RoleKind.MANAGER]}
    feed = client.get(reverse("events:feed", args=[district.slug])).content
    summaries = {str(part.get("SUMMARY")) for part in icalendar.Calendar.from_ical(feed).walk("VEVENT")}
    assert cafe.title in summaries and party.title in summaries
    for event in pending:
        assert client.get(event.get_absolute_url()).status_code == 404  # anonymous visitors
        assert client.get(reverse("events:ics", args=[district.slug, event.pk])).status_code == 404
        assert event.title not in summaries
    partner = Client()
    partner.force_login(users[PARTNER_LOGIN])
    own = pending.get(submitted_by=users[PARTNER_LOGIN])
    assert partner.get(own.get_absolute_url()).status_code == 200
    assert partner.get(pending.exclude(pk=own.pk).get().get_absolute_url()).status_code == 404


def _desk_counts(district):
    return {
        "templates": ReplyTemplate.objects.filter(district=district).count(),
        "contacts": StreetContact.objects.filter(district=district).count(),
        "notes": FieldNote.objects.filter(district=district).count(),
        "updates": Entry.objects.filter(concern__district=district).count(),
        "assigned": Concern.objects.filter(district=district).exclude(assignee=None).count(),
        "follow_ups": sorted(
            Concern.objects.filter(district=district).exclude(follow_up_on=None).values_list("pk", "follow_up_on")
        ),
        "duplicates": Concern.objects.filter(district=district).exclude(duplicate_of=None).count(),
        "audit": AuditEvent.objects.exclude(verb="district.updated").count(),
    }


def _assert_desk(district, users):
    """Triage inbox, workspace, street round, follow-ups and today view have something to show."""
    today = timezone.localdate()
    manager, volunteer = users[RoleKind.MANAGER], users[RoleKind.VOLUNTEER]

    templates = ReplyTemplate.objects.filter(district=district)
    assert 6 <= templates.count() <= 8
    assert all(set(t.texts) == {"de", "en", "tr", "ar", "ru"} for t in templates)
    assert templates.filter(title__icontains="Abfallwirtschaft").exists()

    open_concerns = Concern.objects.filter(district=district).open()
    for person in (manager, volunteer):
        assert open_concerns.filter(assignee=person).exists()
    assert all(access.is_team_of(c.assignee, district) for c in open_concerns.exclude(assignee=None))
    follow_ups = list(open_concerns.exclude(follow_up_on=None).values_list("follow_up_on", flat=True))
    assert sum(on < today for on in follow_ups) >= 2
    assert 2 <= sum(on == today for on in follow_ups) <= 3
    assert sum(on > today for on in follow_ups) >= 3
    due = desk_selectors.today_view(district=district, today=today)
    assert len(due["concerns"]) >= 4 and len(due["notes"]) >= 2

    duplicates = Concern.objects.filter(district=district).exclude(duplicate_of=None)
    assert 1 <= duplicates.count() <= 2
    for duplicate in duplicates:
        assert duplicate.status == ConcernStatus.DUPLICATE and duplicate.duplicate_of.is_open

    contacts = StreetContact.objects.filter(district=district)
    assert 15 <= contacts.count() <= 25
    assert set(contacts.values_list("language", flat=True)) == {"de", "tr", "ar", "ru"}
    assert all(c.lat is not None and c.at < timezone.now() for c in contacts)
    assert contacts.filter(at__lt=timezone.now() - timedelta(days=14)).exists()

    notes = FieldNote.objects.filter(district=district)
    assert 5 <= notes.count() <= 8
    assert notes.exclude(concern=None).exists() and notes.filter(concern=None).exists()
    assert notes.filter(follow_up_on__lt=today).count() == 1
    assert notes.filter(follow_up_on__gte=today).exists()
    assert notes.filter(met__icontains="Hausmeister").exists()


def _assert_internal_notes(district):
    notes = Entry.objects.filter(concern__district=district, kind=EntryKind.NOTE)
    assert notes.count() >= 5
    assert not notes.filter(is_public=True).exists()
    assert all(note.created_at <= timezone.now() for note in notes)
    concern = notes.first().target
    public = concern_selectors.concern_timeline(concern=concern)
    assert not public.filter(kind=EntryKind.NOTE).exists()
    assert concern_selectors.concern_timeline(concern=concern, include_internal=True).filter(kind=EntryKind.NOTE)


def test_demo_dates_fit_every_day_of_the_week():
    """The demo is loaded on any day: the action lies two to three weeks back, the party about five ahead."""
    for offset in range(7):
        today = date(2026, 3, 2) + timedelta(days=offset)
        litter = demo_projects._saturday_on_or_before(today - timedelta(days=14))
        party = demo_projects._saturday_near(today + timedelta(weeks=5))
        first_shift = demo_projects._saturday_on_or_after(today + timedelta(days=1))
        assert litter.weekday() == party.weekday() == first_shift.weekday() == 5
        assert 14 <= (today - litter).days <= 20 and 32 <= (party - today).days <= 38
        assert 1 <= (first_shift - today).days <= 7
        assert party - timedelta(days=42) < today  # the template's stand requests are overdue


def test_demo_events_come_to_a_demo_loaded_before_them(db):
    district, _users, _created = demo_load(events_path=None)
    assert not Event.objects.exists()
    demo_load()
    counts = _event_counts(district)
    assert counts["events"] >= 10 and counts["reports"] and counts["registrations"]
    demo_load()
    assert _event_counts(district) == counts


def test_demo_events_skip_the_christmas_break_and_find_their_weekday():
    assert demo_events.on_or_after(date(2026, 11, 29), "WE") == date(2026, 12, 2)
    assert demo_events.on_or_after(date(2026, 12, 2), "WE") == date(2026, 12, 2)
    breaks = [
        day for day in (date(2026, 1, 1) + timedelta(days=n) for n in range(365)) if demo_events._christmas_break(day)
    ]
    assert breaks[0] == date(2026, 1, 1) and len(breaks) == 6 + 11


def test_demo_volunteers_get_plain_addresses():
    assert demo_projects.email_for("Łukasz Zieliński") == "lukasz.zielinski@example.org"
    assert demo_projects.email_for("Elif Yıldız") == "elif.yildiz@example.org"
    assert demo_projects.email_for("Yusuf Al-Hassan") == "yusuf.al.hassan@example.org"


def test_demo_desk_comes_to_a_demo_loaded_before_it(db):
    district, _users, _created = demo_load(desk_path=None)
    assert not ReplyTemplate.objects.exists() and not FieldNote.objects.exists()
    demo_load()
    counts = _desk_counts(district)
    assert counts["templates"] >= 6 and counts["notes"] >= 5 and counts["assigned"] >= 5 and counts["duplicates"]
    demo_load()
    assert _desk_counts(district) == counts


def _network_counts():
    return {
        "organisations": Organisation.objects.count(),
        "contacts": Contact.objects.count(),
        "relationships": Relationship.objects.count(),
        "referrals": Referral.objects.count(),
        "events": Entry.objects.filter(kind=EntryKind.REFERRAL).count(),
        "concerns": Concern.objects.count(),
        "members": list(Membership.objects.values_list("content_type", "object_id", "user_id")),
    }


def test_demo_network_is_realistic_and_idempotent(db):
    district, users, _created = demo_load()
    today = timezone.localdate()
    now = timezone.now()
    slugs = set(Category.objects.filter(district=district).values_list("slug", flat=True))

    organisations = Organisation.objects.all()
    assert 55 <= organisations.count() <= 65
    assert all(o.name.endswith("(Demo)") and o.topics and set(o.topics) <= slugs for o in organisations)
    assert set(organisations.values_list("kind", flat=True)) == set(OrganisationKind.values) - {"other"}
    assert organisations.filter(whole_city=True, city="Augsburg").exists() and organisations.filter(districts=district)
    assert organisations.exclude(lat=None).count() >= 15
    assert all(
        core_selectors.district_contains(district, lat=o.lat, lon=o.lon) for o in organisations.exclude(lat=None)
    )
    for name in ("Amt für Abfallwirtschaft", "Tiefbauamt", "Ordnungsamt", "Grünamt"):
        assert organisations.filter(name=f"{name} (Demo)", kind="city_office").exists()
    partner = Organisation.objects.get(name="Amt für Abfallwirtschaft (Demo)")
    assert [m.user for m in partner.memberships.all()] == [users[PARTNER_LOGIN]]
    assert network_rules.is_partner(users[PARTNER_LOGIN]) and not Role.objects.filter(user=users[PARTNER_LOGIN])
    # Several organisations are plausible for every topic of the history.
    for slug, group in (("illegal-dumping", "waste"), ("streetlight-defect", "lighting"), ("playground", "green")):
        assert sum(slug in o.topics for o in organisations) >= 1
        assert sum(slug in o.topics or group in o.topics for o in organisations) >= 2

    contacts = Contact.objects.all()
    assert 100 <= contacts.count() <= 140
    assert all(c.legal_basis and c.organisation_id and c.email.endswith(".example.org") for c in contacts)
    stale = contacts.filter(last_confirmed_on__lt=today - timedelta(days=365)).count()
    assert 0.15 * contacts.count() < stale < 0.5 * contacts.count()
    relationships = Relationship.objects.all()
    assert 70 <= relationships.count() <= 90 and 5 <= relationships.exclude(ended_on=None).count() <= 25

    past = Referral.objects.filter(status__in=ANSWERED_REFERRAL_STATUSES)
    assert 270 <= past.count() <= 360
    assert past.filter(created_at__lt=now - timedelta(days=540)).exists()
    assert all(r.created_at < r.closed_at < now for r in past)
    # One partner has just reported solved: that concern waits, open, for the team's check ("bitte prüfen").
    [waiting] = Concern.objects.filter(district=district).exclude(review_entry=None)
    assert waiting.is_open and waiting.review_entry.context.outcome == Outcome.SOLVED
    assert not OutboxMail.objects.exists()  # the demo mails nobody
    past = past.exclude(concern=waiting)
    assert all(r.concern.closed_at and r.concern.status in ("resolved", "declined") for r in past)
    assert set(past.values_list("outcome", flat=True)) == {"", *Outcome.values}
    open_referrals = Referral.objects.filter(status__in=OPEN_REFERRAL_STATUSES, concern__isnull=False)
    assert 5 <= open_referrals.count() <= 15 and all(r.concern.is_open for r in open_referrals)
    assert all(r.remind_on <= r.due_on <= r.escalate_on for r in Referral.objects.all())
    # Nothing is referred before it was reported, or in the future.
    assert all(
        r.concern.created_at < r.created_at < now
        for r in Referral.objects.filter(concern__isnull=False).select_related("concern")
    )
    assert Entry.objects.filter(step="closed", created_at__lt=now - timedelta(days=30)).exists()

    counts = _network_counts()
    demo_load()
    assert _network_counts() == counts


def test_ranking_learns_from_the_demo_history(db):
    district, _users, _created = demo_load()
    concern = Concern.objects.filter(district=district, category__slug="illegal-dumping").latest("created_at")
    with override("de"):  # the interface language, whatever an earlier test left active
        best = partner_suggestions(concern=concern, limit=3)
    assert len(best) == 3 and best[0].cases >= 5 and "ähnlichen Anliegen gelöst" in best[0].explanation
