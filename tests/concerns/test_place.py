"""Every concern has a place people can read: the nearest register address, correctable, shown with a site plan."""

import email
import email.policy

import pytest
from django.test import Client
from django.urls import reverse

from kiezwerk.concerns import services as concern_services
from kiezwerk.concerns.models import Concern
from kiezwerk.core.intake import places
from kiezwerk.core.models import AuditEvent, OutboxMail
from kiezwerk.network.models import Organisation, OrganisationKind, Visibility
from kiezwerk.network.services import referrals as referral_services


def point_on(street, number):
    return places.street_point(street, number)


@pytest.fixture
def placed(district, category, street):
    """A concern set on the map (a point, no typed address) near Donauwörther Straße 40."""
    lat, lon = point_on(street, 40)
    concern, token = concern_services.concern_report(
        district=district, category=category, title="Sperrmüll", description="Zwei Sofas.", lat=lat + 0.00005, lon=lon
    )
    return concern, token


def test_a_point_gets_the_nearest_street_and_number(placed):
    concern, _token = placed
    assert concern.address == "Donauwörther Straße 40"
    assert Concern.objects.get(pk=concern.pk).address == "Donauwörther Straße 40"


def test_the_report_form_stores_the_address_of_a_map_tap(client, district, category, street):
    lat, lon = point_on(street, 75)
    response = client.post(
        reverse("concerns:report", args=[district.slug]),
        {"category": category.pk, "title": "Glas", "description": "Scherben", "location": f"{lat},{lon}"},
    )
    assert response.status_code == 302
    assert Concern.objects.get(title="Glas").address == "Donauwörther Straße 75"


def test_a_point_far_from_every_street_keeps_no_address_and_says_so(district, category, street):
    lat, lon = district.min_lat + 0.0005, district.min_lon + 0.0005  # a corner, far from the one street
    concern, _token = concern_services.concern_report(
        district=district, category=category, title="Ecke", description="x", lat=lat, lon=lon
    )
    assert concern.address == ""
    page = Client().get(concern.get_absolute_url()).content.decode()
    assert "Keine Adresse in der Nähe der markierten Stelle" in page


def test_pages_show_the_address_and_a_site_plan_without_javascript(client, placed, manager, district):
    concern, token = placed
    pages = {
        "public": Client().get(concern.get_absolute_url()),
        "tracking": Client().get(reverse("concerns:track", args=[token])),
    }
    client.force_login(manager)
    pages["workspace"] = client.get(reverse("desk:concern", args=[concern.pk]))
    for name, response in pages.items():
        html = response.content.decode()
        assert response.status_code == 200, name
        assert 'role="img" aria-label="Lageplan: die markierte Stelle bei Donauwörther Straße 40"' in html, name
        assert "<polyline" in html and 'class="site-plan__marker"' in html, name  # the street and the spot
        assert "<strong>Donauwörther Straße 40</strong>" in html, name


def test_the_partner_page_and_the_referral_mail_name_the_street_and_carry_the_plan(
    client, placed, manager, district, smtp_server, django_capture_on_commit_callbacks
):
    concern, _token = placed
    organisation = Organisation.objects.create(
        name="Abfallwirtschaftsbetrieb",
        kind=OrganisationKind.CITY_OFFICE,
        email="awb@example.org",
        visibility=Visibility.PUBLIC,
    )
    organisation.districts.add(district)
    with django_capture_on_commit_callbacks(execute=True):
        _referral, link = referral_services.referral_create(
            concern=concern, organisation=organisation, actor=manager, message="Bitte abholen."
        )
    partner_page = Client().get(reverse("network:partner-link", args=[link])).content.decode()
    assert "Lageplan: die markierte Stelle bei Donauwörther Straße 40" in partner_page
    [envelope] = [e for e in smtp_server.messages if e.rcpt_tos == ["awb@example.org"]]
    message = email.message_from_bytes(envelope.content, policy=email.policy.default)
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert "Wo: Donauwörther Straße 40 (Lageplan im Anhang" in text
    [plan] = list(message.iter_attachments())
    assert plan.get_filename() == "lageplan.png" and plan.get_content_type() == "image/png"
    assert plan.get_content()[:8] == b"\x89PNG\r\n\x1a\n"
    assert OutboxMail.objects.get(to=["awb@example.org"]).attachments[0][0] == "lageplan.png"


def test_the_team_corrects_the_address_and_may_move_the_marker(client, placed, manager, street):
    concern, _token = placed
    client.force_login(manager)
    url = reverse("desk:concern-place", args=[concern.pk])
    before = (concern.lat, concern.lon)
    response = client.post(url, {"place-street": "donauwörther str.", "place-house_number": "12a"})
    assert response.status_code == 302
    concern.refresh_from_db()
    assert concern.address == "Donauwörther Straße 12a" and (concern.lat, concern.lon) == before
    event = AuditEvent.objects.get(verb="concern.place_corrected")
    assert (event.data["before"], event.data["after"]) == ("Donauwörther Straße 40", "Donauwörther Straße 12a")
    client.post(url, {"place-street": "Donauwörther Straße", "place-house_number": "100", "place-move": "on"})
    concern.refresh_from_db()
    assert concern.address == "Donauwörther Straße 100"
    assert (round(concern.lat, 7), round(concern.lon, 7)) == tuple(round(v, 7) for v in point_on(street, 100))


@pytest.mark.parametrize(
    ("name", "number", "german"),
    [
        ("Mondweg", "3", "gibt es keine Straße „Mondweg“"),
        ("Donauwörther Straße", "500", "hat die Hausnummern 1 bis 120"),
        ("Donauwörther Straße", "zwölf", "Bitte geben Sie eine Hausnummer wie 12 oder 12a ein."),
        ("", "", "Dieses Feld ist zwingend erforderlich."),  # Django's own German
    ],
)
def test_a_bad_correction_is_explained_and_changes_nothing(client, placed, manager, name, number, german):
    concern, _token = placed
    client.force_login(manager)
    response = client.post(
        reverse("desk:concern-place", args=[concern.pk]), {"place-street": name, "place-house_number": number}
    )
    assert response.status_code == 400
    assert german in response.content.decode()
    concern.refresh_from_db()
    assert concern.address == "Donauwörther Straße 40"
    assert not AuditEvent.objects.filter(verb="concern.place_corrected").exists()
