"""Every URL of events walked as anonymous, resident, a partner of another organisation, another district's
manager and the team; what a submission waiting for approval shows to whom."""

import pytest
from django.urls import URLPattern, get_resolver, reverse

from kiezwerk.accounts.services import membership_add
from kiezwerk.core.models import AuditEvent
from kiezwerk.events.models import Event, Occurrence, Registration
from kiezwerk.events.services import registrations

from ..factories import UserFactory, partner_create
from .conftest import event_made

# Open to everyone (a public event's pages), to the holder of a secret link, or to partners (their own).
PUBLIC = {
    "calendar",
    "feed",
    "map",
    "week-sheet",
    "detail",
    "ics",
    "register",
    "registration-confirm",
    "registration-cancel",
    "registration-offer",
}
PARTNER = {"partner", "partner-new", "partner-edit"}


def routes():
    resolver = get_resolver()
    app = next(p for p in resolver.url_patterns if getattr(p, "namespace", None) == "events")
    return [(p.name, list(p.pattern.converters)) for p in app.url_patterns if isinstance(p, URLPattern)]


@pytest.fixture
def walk(district, manager, organisation):
    event = event_made(district, manager)
    occurrence = event.occurrences.get()
    registration = registrations.register(occurrence=occurrence, user=UserFactory())
    return {"slug": district.slug, "pk": event.pk, "occurrence_id": occurrence.pk, "token": registration.token}


def urls(objects, names):
    return [
        reverse(f"events:{name}", kwargs={p: objects[p] for p in params}) for name, params in routes() if name in names
    ]


def staff_names():
    return {name for name, _params in routes()} - PUBLIC - PARTNER


def test_the_walk_covers_every_url(walk):
    assert len(routes()) >= 23
    assert staff_names() | PUBLIC | PARTNER == {name for name, _params in routes()}


def test_anonymous_visitors_are_sent_to_the_login(client, walk):
    for url in urls(walk, staff_names() | PARTNER):
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code == 302 and response.url.startswith(reverse("account_login")), url


@pytest.mark.parametrize("who", ["resident", "partner", "other_manager"])
def test_nobody_outside_the_team_gets_a_team_page(request, client, who, walk):
    client.force_login(request.getfixturevalue(who))
    audits, rows = AuditEvent.objects.count(), [m.objects.count() for m in (Event, Occurrence, Registration)]
    for url in urls(walk, staff_names()):
        for method in (client.get, client.post):
            response = method(url, {"reason": "x", "decision": "approve", "registration": "1"})
            assert response.status_code in (403, 404), (who, url, response.status_code)
    assert AuditEvent.objects.count() == audits
    assert [m.objects.count() for m in (Event, Occurrence, Registration)] == rows


def test_the_team_opens_every_page(client, manager, walk):
    client.force_login(manager)
    for name in ("team-list", "new", "team-detail", "edit", "date", "calendar", "detail"):
        params = next(p for n, p in routes() if n == name)
        response = client.get(reverse(f"events:{name}", kwargs={p: walk[p] for p in params}))
        assert response.status_code == 200, name


def test_a_partner_sees_and_changes_only_their_organisations_events(client, district, manager, organisation):
    member = UserFactory()
    membership_add(user=member, target=organisation)
    theirs = event_made(district, member, organiser=organisation, title="Lesung im Hof")
    stranger = partner_create(district, organisation_name="Anderer Verein")
    client.force_login(stranger)
    assert "Lesung im Hof" not in client.get(reverse("events:partner")).content.decode()
    assert client.get(reverse("events:partner-edit", args=[theirs.pk])).status_code in (403, 404)
    assert client.get(theirs.get_absolute_url()).status_code == 404  # waiting for approval
    client.force_login(member)
    assert "Lesung im Hof" in client.get(reverse("events:partner")).content.decode()
    assert client.get(reverse("events:partner-edit", args=[theirs.pk])).status_code == 200
    assert client.get(reverse("events:partner-new", args=[district.slug])).status_code == 200
    # A partner never sees the desk.
    assert client.get(reverse("events:team-detail", args=[theirs.pk])).status_code in (403, 404)


def test_the_partners_page_links_their_events(client, partner):
    client.force_login(partner)
    assert f'href="{reverse("events:partner")}"' in client.get(reverse("network:partner-home")).content.decode()
