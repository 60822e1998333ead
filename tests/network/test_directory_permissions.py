"""Nobody but the district's staff gets anything from the network directory: every URL, GET and POST."""

import pytest
from django.urls import reverse
from django.utils import timezone

from kiezwerk.accounts.services import membership_add
from kiezwerk.core.models import AuditEvent, Entry
from kiezwerk.network.models import Contact, LegalBasis, Organisation, Relationship
from kiezwerk.network.views import directory as views

NAMES = [p.name for p in views.urlpatterns]


@pytest.fixture
def objects(district):
    organisation = Organisation.objects.create(name="Stadtteilmütter", kind="association")
    organisation.districts.add(district)
    contact = Contact.objects.create(
        name="Ayşe Yılmaz",
        organisation=organisation,
        legal_basis=LegalBasis.CONSENT,
        consent_note="mündlich",
        last_confirmed_on=timezone.localdate().replace(year=2020),
    )
    contact.districts.add(district)
    relationship = Relationship.objects.create(
        district=district, from_contact=contact, to_organisation=organisation, label="berät", reverse_label="berät"
    )
    return {"organisation": organisation, "contact": contact, "relationship": relationship, "slug": district.slug}


def urls(objects):
    """Every URL of the directory with real rows (pk: the row the route is about)."""
    pks = {
        "organisation": objects["organisation"].pk,
        "organisation-edit": objects["organisation"].pk,
        "contact": objects["contact"].pk,
        "contact-edit": objects["contact"].pk,
        "contact-confirm": objects["contact"].pk,
        "relationship-end": objects["relationship"].pk,
    }
    found = []
    for pattern in views.urlpatterns:
        params = list(pattern.pattern.converters)
        kwargs = {"slug": objects["slug"], "pk": pks.get(pattern.name)}
        found.append(reverse(f"network:{pattern.name}", kwargs={p: kwargs[p] for p in params}))
    return found


POST = {
    "name": "Übernommen",
    "kind": "association",
    "visibility": "public",
    "legal_basis": "public_task",
    "last_confirmed_on": "2030-01-01",
    "end-ended_on": "2020-01-01",
    "label": "x",
    "reverse_label": "x",
    "at": "2024-01-01T10:00",
    "note": "x",
}


def snapshot(objects):
    organisation = Organisation.objects.get(pk=objects["organisation"].pk)
    contact = Contact.objects.get(pk=objects["contact"].pk)
    relationship = Relationship.objects.get(pk=objects["relationship"].pk)
    return (
        organisation.name,
        organisation.visibility,
        contact.name,
        contact.last_confirmed_on,
        relationship.ended_on,
        Organisation.objects.count(),
        Contact.objects.count(),
        Relationship.objects.count(),
        Entry.objects.count(),
        AuditEvent.objects.count(),
    )


def test_the_walk_covers_the_directory(objects):
    assert len(urls(objects)) == len(NAMES) >= 14


def test_anonymous_visitors_are_sent_to_the_login(client, objects):
    before = snapshot(objects)
    for url in urls(objects):
        for method in (client.get, client.post):
            response = method(url, POST)
            assert response.status_code == 302, url
            assert response.url.startswith(reverse("account_login")), url
    assert snapshot(objects) == before


@pytest.mark.parametrize("who", ["resident", "partner", "other_manager"])
def test_nobody_outside_the_staff_gets_anything(request, client, who, objects):
    client.force_login(request.getfixturevalue(who))  # may create a district (an audit row) first
    before = snapshot(objects)
    for url in urls(objects):
        for method in (client.get, client.post):
            response = method(url, POST)
            assert response.status_code in (403, 404), (who, url, response.status_code)
    assert snapshot(objects) == before


def test_a_member_of_the_organisation_sees_nothing_of_the_directory(client, objects):
    """A partner login of the organisation itself has the partner view, not the directory."""
    from ..factories import UserFactory

    member = UserFactory()
    membership_add(user=member, target=objects["organisation"])
    client.force_login(member)
    for url in urls(objects):
        assert client.get(url).status_code in (403, 404), url


def test_rows_of_another_district_are_missing_for_its_neighbours_staff(client, other_manager, other_district, objects):
    """The other district's manager, on their own district's URLs, cannot reach this district's rows."""
    client.force_login(other_manager)
    before = snapshot(objects)
    slug = other_district.slug
    contact, organisation = objects["contact"], objects["organisation"]
    for name, pk in [
        ("organisation-edit", organisation.pk),
        ("contact-edit", contact.pk),
        ("contact-confirm", contact.pk),
        ("relationship-end", objects["relationship"].pk),
    ]:
        url = reverse(f"network:{name}", args=[slug, pk])
        assert client.get(url).status_code in (404, 405), url
        assert client.post(url, POST).status_code == 404, url
    assert client.get(reverse("network:organisation", args=[organisation.pk])).status_code == 404
    assert client.get(reverse("network:contact", args=[contact.pk])).status_code == 404
    # Their forms do not offer this district's rows either.
    response = client.post(
        reverse("network:interaction-create", args=[slug]),
        {"kind": "call", "at": "2024-01-01T10:00", "organisation": str(organisation.pk)},
    )
    assert response.status_code == 400
    assert snapshot(objects) == before


def test_staff_open_every_page(client, manager, moderator, city_admin, objects):
    for user in (manager, moderator, city_admin):
        client.force_login(user)
        for url in urls(objects):
            response = client.get(url)
            assert response.status_code in (200, 405), (url, response.status_code)
