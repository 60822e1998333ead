import json
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from kiezwerk.accounts import access
from kiezwerk.accounts.models import Membership, Role, RoleKind
from kiezwerk.concerns import selectors as concern_selectors
from kiezwerk.concerns.models import Category, Concern, ConcernStatus, EntryKind, Moderation
from kiezwerk.core import selectors as core_selectors
from kiezwerk.core.models import AuditEvent, Entry, OutboxMail
from kiezwerk.demo.data import check_demo_data
from kiezwerk.demo.network import PARTNER_LOGIN
from kiezwerk.demo.services import DATA, DEMO_USERS, demo_load
from kiezwerk.desk import selectors as desk_selectors
from kiezwerk.desk.models import FieldNote, ReplyTemplate, StreetContact
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


def test_demo_data_passes_its_checks(capsys):
    assert check_demo_data.main(["check", str(DATA)]) == 0
    assert "Desk: oberhausen_desk.json" in capsys.readouterr().out


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
    desk = _desk_counts(district)
    total = Concern.objects.count()
    assert total >= created + 150  # with the network's historical concerns
    _district, _users, again = demo_load()
    assert again == 0 and Concern.objects.count() == total and Role.objects.count() + 1 == len(DEMO_USERS)
    assert _desk_counts(district) == desk  # a second run adds nothing, not even an audit row
    # `make run` serves the open data: the demo builds its files.
    response = client.get(reverse("concerns:open-data-geojson", args=[district.slug]))
    features = json.loads(b"".join(response.streaming_content))["features"]
    assert len(features) == Concern.objects.public().filter(district=district).count()
    # A demo user can log in with the printed password.
    assert client.login(email="quartiersmanager@example.org", password="kiezwerk-demo")


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
    open_referrals = Referral.objects.filter(status__in=OPEN_REFERRAL_STATUSES)
    assert 5 <= open_referrals.count() <= 15 and all(r.concern.is_open for r in open_referrals)
    assert all(r.remind_on <= r.due_on <= r.escalate_on for r in Referral.objects.all())
    # Nothing is referred before it was reported, or in the future.
    assert all(r.concern.created_at < r.created_at < now for r in Referral.objects.select_related("concern"))
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
