"""A project asks a partner for help through the network's referral machinery: link, steps, reminders, escalation."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from kiezwerk.core.models import OutboxMail
from kiezwerk.network.models import Organisation, Referral
from kiezwerk.network.services import referrals
from kiezwerk.projects.models import ProjectPartner
from kiezwerk.projects.services import volunteers

from .conftest import project_made, shift_made


@pytest.fixture
def waste_office(district):
    organisation = Organisation.objects.create(
        name="Amt für Abfallwirtschaft", kind="city_office", email="abfall@example.org", visibility="public"
    )
    organisation.districts.add(district)
    return organisation


@pytest.fixture
def asking(district, manager, waste_office):
    project = project_made(district, manager, responsible=manager)
    ProjectPartner.objects.create(project=project, organisation=waste_office, part="stellt Container")
    return project


def mails_to(address):
    return [mail for mail in OutboxMail.objects.order_by("pk") if address in mail.to]


def test_the_team_asks_a_partner_and_the_answer_lands_on_the_projects_timeline(
    client, district, manager, waste_office, asking
):
    shift = shift_made(asking, manager)
    volunteers.signup_create(shift=shift, name="Helga Volunteer", email="helga@example.org")
    client.force_login(manager)
    response = client.post(
        reverse("projects:request-add", args=[asking.pk]),
        {
            "request-recipient": f"organisation:{waste_office.pk}",
            "request-message": "Bitte 20 Greifzangen und Abholung der Säcke am 14.",
            "request-plan": "standard",
        },
    )
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert (referral.subject, referral.concern, referral.district) == (asking, None, district)
    mail = mails_to("abfall@example.org")[-1]
    assert "Frühjahrsputz Lindenplatz" in mail.subject
    assert "Greifzangen" in mail.body
    token = mail.body.split("/p/")[1].split("/")[0]
    # The partner answers through the secret link, without an account; the page shows the project, no helper.
    client.logout()
    link = reverse("network:partner-link", args=[token])
    page = client.get(link).content.decode()
    assert "Frühjahrsputz Lindenplatz" in page and "Ein sauberer Platz" in page
    assert "Helga" not in page and "helga@example.org" not in page
    assert client.post(link, {"step": "accept", "text": "Machen wir."}).status_code == 302
    progress = {"step": "progress", "text": "Container steht ab Freitag.", "public": "on"}
    assert client.post(link, progress).status_code == 302
    referral.refresh_from_db()
    assert referral.status == "accepted"
    steps = list(asking.entries.filter(kind="referral").values_list("step", "is_public"))
    assert steps == [("sent", False), ("accepted", False), ("progress", True)]
    # The responsible team member hears of it; the public page shows the shared step under the partner's name.
    assert any("Amt für Abfallwirtschaft" in m.subject for m in mails_to(manager.email))
    public = client.get(asking.get_absolute_url()).content.decode()
    assert "Container steht ab Freitag." in public and "Amt für Abfallwirtschaft" in public
    assert "Machen wir." not in public
    client.force_login(manager)
    team = client.get(reverse("projects:team-detail", args=[asking.pk])).content.decode()
    assert reverse("network:referral", args=[referral.pk]) in team


def test_reminders_and_escalation_follow_a_project_request(client, district, manager, waste_office, asking):
    referral, _token = referrals.referral_request(
        subject=asking,
        district=district,
        organisation=waste_office,
        actor=manager,
        message="Bitte Container stellen.",
        due_on=timezone.localdate() + timedelta(days=10),
    )
    reminded, escalated = referrals.referral_followups_send(today=referral.remind_on)
    assert (reminded, escalated) == (1, 0)
    reminded, escalated = referrals.referral_followups_send(today=referral.escalate_on + timedelta(days=1))
    assert escalated == 1
    Referral.objects.filter(pk=referral.pk).update(escalate_on=timezone.localdate() - timedelta(days=1))
    client.force_login(manager)
    overdue = client.get(reverse("network:escalations", args=[district.slug])).content.decode()
    assert "Projekt #" in overdue and asking.title in overdue
    assert asking.entries.filter(kind="referral", step="escalated").exists()


def test_bad_requests_change_nothing(client, district, other_district, manager, asking):
    client.force_login(manager)
    url = reverse("projects:request-add", args=[asking.pk])
    response = client.post(url, {"request-recipient": "", "request-message": "", "request-plan": "standard"})
    assert response.status_code == 400
    elsewhere = Organisation.objects.create(name="Fremdes Amt", kind="city_office", email="fremd@example.org")
    elsewhere.districts.add(other_district)
    with pytest.raises(ValidationError) as error:
        referrals.referral_request(
            subject=asking, district=district, organisation=elsewhere, actor=manager, message="Bitte."
        )
    assert error.value.message_dict["organisation"] == ["Fremdes Amt ist nicht in Testviertel tätig."]
    assert not Referral.objects.exists()
    assert not OutboxMail.objects.filter(subject__contains="Frühjahrsputz").exists()
