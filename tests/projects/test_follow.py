"""Following a project by e-mail: the form on its public page, double opt-in, news and status changes by mail
(through the real outbox and a real SMTP server), never an internal note; one-click unsubscribe."""

import email
import email.policy
import re

import pytest
from django.urls import reverse

from kiezwerk.core.models import Follower
from kiezwerk.projects.services import projects as services

from .conftest import project_made


def follow_url(project):
    return reverse("projects:follow", args=[project.district.slug, project.pk])


def mails(smtp_server, address):
    """(subject, body) of every mail the SMTP server took for `address`, oldest first."""
    found = []
    for envelope in smtp_server.messages:
        if address in envelope.rcpt_tos:
            message = email.message_from_bytes(envelope.content, policy=email.policy.default)
            found.append((str(message["Subject"]), message.get_content(), message))
    return found


def test_follow_confirm_news_and_unsubscribe(
    client, district, manager, smtp_server, django_capture_on_commit_callbacks
):
    project = project_made(district, manager, title="Frühjahrsputz Lindenplatz")
    page = client.get(project.get_absolute_url()).content.decode()
    assert f'action="{follow_url(project)}#error-summary"' in page and "Per E-Mail verfolgen" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(follow_url(project), {"email": "Nachbarin@Example.org"})
    assert response.status_code == 302 and response.url == project.get_absolute_url()
    follower = Follower.objects.get()
    assert follower.email == "nachbarin@example.org" and follower.confirmed_at is None
    assert follower.target == project and follower.language == "de"
    # The page now says so, and offers no second form.
    page = client.get(project.get_absolute_url()).content.decode()
    assert "Sie verfolgen dieses Projekt per E-Mail" in page and f'action="{follow_url(project)}' not in page
    # The confirmation mail, in German, with the link and the one-click unsubscribe headers.
    [(_subject, body, message)] = mails(smtp_server, "nachbarin@example.org")
    assert "Frühjahrsputz Lindenplatz" in body
    confirm = re.search(r"http://testserver(/\S+/confirm/)", body).group(1)
    assert confirm == reverse("core:follow-confirm", args=[follower.token])
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # Not yet confirmed: news reach nobody.
    with django_capture_on_commit_callbacks(execute=True):
        services.project_post(project=project, actor=manager, text="Die Säcke sind da.", is_public=True)
    assert len(mails(smtp_server, "nachbarin@example.org")) == 1
    assert client.get(confirm).status_code == 200
    follower.refresh_from_db()
    assert follower.confirmed_at is not None
    # A public update and a status change are mailed; an internal note is not.
    with django_capture_on_commit_callbacks(execute=True):
        services.project_post(project=project, actor=manager, text="Der Container steht bereit.", is_public=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.project_post(project=project, actor=manager, text="Intern: Schlüssel bei Frau M.", is_public=False)
    with django_capture_on_commit_callbacks(execute=True):
        services.project_status_change(
            project=project, actor=manager, new_status="done", reason="62 kg Müll gesammelt, danke!"
        )
    received = mails(smtp_server, "nachbarin@example.org")
    assert len(received) == 3
    update, status = received[1][1], received[2][1]
    assert "Der Container steht bereit." in update and "Frühjahrsputz Lindenplatz" in update
    assert "62 kg Müll gesammelt, danke!" in status and "Frühjahrsputz Lindenplatz" in status
    assert all("Schlüssel" not in body for _subject, body, _message in received)
    # The unsubscribe link of the last mail: a page with a button, then the address is gone.
    unsubscribe = re.search(r"http://testserver(/\S+/unsubscribe/)", status).group(1)
    assert client.get(unsubscribe).status_code == 200 and Follower.objects.exists()
    assert client.post(unsubscribe).status_code == 200
    assert not Follower.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.project_post(project=project, actor=manager, text="Danke an alle!", is_public=True)
    assert len(mails(smtp_server, "nachbarin@example.org")) == 3


def test_a_bad_address_keeps_the_page_and_what_was_typed(client, district, manager):
    project = project_made(district, manager)
    response = client.post(follow_url(project), {"email": "nachbarin-at-example"})
    assert response.status_code == 400
    body = response.content.decode()
    assert 'value="nachbarin-at-example"' in body and "gültige E-Mail-Adresse" in body
    assert 'id="error-summary"' in body and "Frühjahrsputz Lindenplatz" in body
    assert not Follower.objects.exists()


def test_following_is_rate_limited_per_connection(client, district, manager, settings):
    settings.INTAKE_RATES = {**settings.INTAKE_RATES, "follow": "2/h"}
    project = project_made(district, manager)
    for number in (1, 2):
        assert client.post(follow_url(project), {"email": f"n{number}@example.org"}).status_code == 302
    client.cookies.clear()  # a new session from the same address counts too
    response = client.post(follow_url(project), {"email": "n3@example.org"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Zu viele Anfragen von Ihrer Verbindung" in body and 'value="n3@example.org"' in body
    assert Follower.objects.count() == 2


@pytest.mark.parametrize(("status", "visibility"), [("idea", "public"), ("running", "internal")])
def test_no_following_of_a_project_residents_cannot_see(client, district, manager, status, visibility):
    project = project_made(district, manager, status=status, visibility=visibility)
    assert client.post(follow_url(project), {"email": "a@example.org"}).status_code == 404
    # Its team sees the page, but without the form: nothing of it is ever mailed.
    client.force_login(manager)
    assert follow_url(project) not in client.get(project.get_absolute_url()).content.decode()
    assert client.post(follow_url(project), {"email": "a@example.org"}).status_code == 404
    assert not Follower.objects.exists()


def test_the_district_must_match(client, district, other_district, manager):
    project = project_made(district, manager)
    url = reverse("projects:follow", args=[other_district.slug, project.pk])
    assert client.post(url, {"email": "a@example.org"}).status_code == 404
    assert client.get(follow_url(project)).status_code == 405
    assert not Follower.objects.exists()


def test_followers_get_mail_in_their_language(
    client, district, manager, smtp_server, django_capture_on_commit_callbacks
):
    project = project_made(district, manager, title="Gartentag")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(follow_url(project), {"email": "ali@example.org"}, HTTP_ACCEPT_LANGUAGE="tr")
    follower = Follower.objects.get()
    assert follower.language == "tr"
    [(_subject, body, _message)] = mails(smtp_server, "ali@example.org")
    assert "Gartentag" in body and body.startswith("Merhaba,")
