"""Mails about public updates, over a real SMTP server (aiosmtpd), sent by the eager Celery tasks."""

import pytest

from kiezwerk.concerns import services
from kiezwerk.concerns.models import ConcernStatus
from kiezwerk.core.models import Entry

from ..factories import ConcernFactory
from ..outbox import send_retries
from .conftest import mails, subscribe


@pytest.fixture
def concern(district):
    return ConcernFactory(district=district, title="Laterne aus")


@pytest.mark.parametrize(
    "change",
    [{"text": "Die Stadtwerke sind informiert."}, {"text": "", "new_status": ConcernStatus.TRIAGED}],
    ids=["reply", "status"],
)
def test_public_update_mails_each_confirmed_subscriber_in_their_language(
    concern, manager, smtp_server, django_capture_on_commit_callbacks, change
):
    english = subscribe(concern, "en@example.org", language="en")
    german = subscribe(concern, "de@example.org", language="de")
    subscribe(concern, "unconfirmed@example.org", confirmed=False)

    with django_capture_on_commit_callbacks(execute=True):
        services.concern_reply(concern=concern, actor=manager, **change)

    sent = {recipients[0]: (message, body) for recipients, message, body in mails(smtp_server)}
    assert sorted(sent) == ["de@example.org", "en@example.org"]
    for subscription, greeting, unsubscribe in [
        (english, "Hello,", "Unsubscribe:"),
        (german, "Guten Tag,", "Abbestellen:"),
    ]:
        message, body = sent[subscription.email]
        url = f"http://testserver/subscriptions/{subscription.token}/unsubscribe/"
        assert greeting in body and f"{unsubscribe} {url}" in body
        assert message["List-Unsubscribe"].strip() == f"<{url}>"  # folded after the colon
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert change["text"] in body


def test_internal_note_reaches_no_mail(concern, manager, smtp_server, django_capture_on_commit_callbacks):
    subscribe(concern, "nachbar@example.org")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.concern_reply(concern=concern, actor=manager, text="Vermieter ist schwierig", is_public=False)
    assert callbacks == [] and smtp_server.messages == []

    with django_capture_on_commit_callbacks(execute=True):
        services.concern_reply(concern=concern, actor=manager, text="Wir kümmern uns.")
    [(_recipients, _message, body)] = mails(smtp_server)
    assert "Wir kümmern uns." in body and "Vermieter" not in body


def test_refused_mail_is_retried_and_arrives_once(concern, manager, smtp_server, django_capture_on_commit_callbacks):
    subscribe(concern, "nachbar@example.org")
    smtp_server.refuse = 1
    with django_capture_on_commit_callbacks(execute=True):
        update = services.concern_reply(concern=concern, actor=manager, text="Erledigt bald.")
    send_retries()
    assert smtp_server.refuse == 0  # the first attempt was refused with 451
    assert [recipients for recipients, _m, _b in mails(smtp_server)] == [["nachbar@example.org"]]
    assert Entry.objects.filter(pk=update.pk, is_public=True).exists()


def test_update_is_kept_when_every_attempt_is_refused(
    concern, manager, smtp_server, django_capture_on_commit_callbacks
):
    subscribe(concern, "nachbar@example.org")
    smtp_server.refuse = 100
    with django_capture_on_commit_callbacks(execute=True):
        update = services.concern_reply(concern=concern, actor=manager, text="Erledigt bald.")
    assert smtp_server.messages == []
    assert Entry.objects.filter(pk=update.pk).exists()
