"""Residents report a published concern to the moderators; a moderator looks at the reports."""

import pytest
from django.urls import reverse

from kiezwerk.concerns.models import Moderation
from kiezwerk.core import activity
from kiezwerk.core.models import AuditEvent, Flag

from ..factories import ConcernFactory


@pytest.fixture
def concern(district, category):
    return ConcernFactory(district=district, category=category, title="Müll vor Haus 7")


def flag(client, concern, **data):
    return client.post(reverse("concerns:concern-flag", args=[concern.pk]), data, follow=True)


def test_a_resident_reports_a_concern_once(client, concern):
    page = client.get(concern.get_absolute_url()).content.decode()
    flag_url = reverse("concerns:concern-flag", args=[concern.pk])
    assert f'href="{flag_url}">Problem mit diesem Anliegen melden</a>' in page
    form = client.get(flag_url).content.decode()
    assert "Was stimmt nicht?" in form and form.count('type="radio" name="reason"') == 4 and "Müll vor Haus 7" in form

    response = flag(client, concern, reason="personal_data", note="Da steht der Name meiner Nachbarin.")
    assert "Danke. Die Moderation sieht sich dieses Anliegen an." in response.content.decode()
    [saved] = Flag.objects.all()
    assert (saved.reason, saved.note, saved.target) == ("personal_data", "Da steht der Name meiner Nachbarin.", concern)
    assert AuditEvent.objects.filter(verb="concern.flagged", target_id=str(concern.pk)).count() == 1
    # The report is not published.
    assert "Namen meiner Nachbarin" not in client.get(concern.get_absolute_url()).content.decode()

    again = flag(client, concern, reason="spam")
    assert "Sie haben dieses Anliegen bereits gemeldet" in again.content.decode()
    assert Flag.objects.count() == 1


@pytest.mark.parametrize("data", [{}, {"reason": "nonsense"}, {"reason": "spam", "note": "x" * 501}])
def test_a_report_without_a_valid_reason_is_refused_and_keeps_the_note(client, concern, data):
    response = client.post(reverse("concerns:concern-flag", args=[concern.pk]), data)
    assert response.status_code == 400
    page = response.content.decode()
    message = "höchstens 500 Zeichen" if "note" in data else "Bitte wählen Sie aus, was nicht stimmt."
    assert message in page and 'role="alert"' in page
    if "note" in data:
        assert "x" * 501 in page and 'value="spam" checked' in page  # what the resident chose and wrote is kept
    assert not Flag.objects.exists()


def test_an_unpublished_concern_cannot_be_reported(client, concern):
    concern.moderation = Moderation.PENDING
    concern.save(update_fields=["moderation"])
    assert client.post(reverse("concerns:concern-flag", args=[concern.pk]), {"reason": "spam"}).status_code == 404
    assert client.get(reverse("concerns:concern-flag", args=[concern.pk])).status_code == 404
    assert not Flag.objects.exists()


def test_reports_are_rate_limited(client, settings, district, category):
    settings.INTAKE_RATES = {**settings.INTAKE_RATES, "flag": "1/h"}
    first, second = ConcernFactory.create_batch(2, district=district, category=category)
    assert flag(client, first, reason="spam").status_code == 200
    response = client.post(reverse("concerns:concern-flag", args=[second.pk]), {"reason": "spam"})
    assert response.status_code == 400 and Flag.objects.count() == 1


def test_the_team_sees_the_reports_and_a_moderator_marks_them_as_looked_at(client, concern, manager, moderator):
    flag(client, concern, reason="offensive", note="Beleidigung im Text")
    client.logout()
    client.force_login(manager)
    workspace = client.get(reverse("desk:concern", args=[concern.pk])).content.decode()
    assert "Von 1 Person gemeldet" in workspace and "Beleidigung im Text" in workspace
    assert "Eine Moderatorin oder ein Moderator prüft diese Meldungen." in workspace
    resolve = reverse("desk:concern-flags-resolve", args=[concern.pk])
    assert client.post(resolve).status_code == 403
    assert activity.flags_open(concern).count() == 1

    client.force_login(moderator)
    response = client.post(resolve, follow=True)
    assert "1 Meldung als geprüft markiert." in response.content.decode()
    assert not activity.flags_open(concern).exists()
    assert "Von 1 Person gemeldet" not in response.content.decode()
    assert AuditEvent.objects.filter(verb="flag.resolved", actor=moderator, data={"flags": 1}).exists()
