"""Every mail goes through the durable outbox: stored with its change, sent after the commit, retried for hours."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from kiezwerk.accounts.models import User
from kiezwerk.concerns import services
from kiezwerk.core import outbox
from kiezwerk.core.models import AuditEvent, MailStatus, OutboxMail

from ..factories import ConcernFactory
from .conftest import mails, subscribe


@pytest.fixture
def concern(district):
    return ConcernFactory(district=district, title="Laterne aus")


def test_the_mail_is_stored_in_the_transaction_of_the_update(concern, manager, smtp_server):
    subscribe(concern, "nachbar@example.org")
    services.concern_reply(concern=concern, actor=manager, text="Die Stadtwerke sind informiert.")
    # Not committed yet (the test's transaction): stored, not sent.
    [mail] = OutboxMail.objects.all()
    assert (mail.to, mail.status, mail.district, mail.purpose) == (
        ["nachbar@example.org"],
        MailStatus.PENDING,
        concern.district,
        "concerns/email/update",
    )
    assert "Die Stadtwerke sind informiert." in mail.body and mail.headers["List-Unsubscribe-Post"]
    assert smtp_server.messages == []


def test_a_change_rolled_back_leaves_no_mail(concern, manager, smtp_server, django_capture_on_commit_callbacks):
    subscribe(concern, "nachbar@example.org")
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        services.concern_reply(concern=concern, actor=manager, text="Wird nie veröffentlicht.")
        raise RuntimeError("the change fails after the mail was written")
    assert not OutboxMail.objects.exists() and smtp_server.messages == []


def test_a_refused_mail_is_retried_with_growing_waits_then_listed_as_undelivered(
    concern, manager, smtp_server, django_capture_on_commit_callbacks
):
    subscribe(concern, "nachbar@example.org")
    smtp_server.refuse = 100
    with django_capture_on_commit_callbacks(execute=True):
        services.concern_reply(concern=concern, actor=manager, text="Erledigt bald.")
    mail = OutboxMail.objects.get()
    assert (mail.status, mail.attempts) == (MailStatus.PENDING, 1) and "451" in mail.last_error

    clock = timezone.now()
    waits = []
    while mail.status == MailStatus.PENDING:
        assert outbox.send_due(now=clock) == 0  # nothing is due before its time
        waits.append(mail.next_attempt_at - clock)
        clock = mail.next_attempt_at
        assert outbox.send_due(now=clock) == 0  # refused again
        mail.refresh_from_db()
    assert mail.status == MailStatus.FAILED and mail.attempts == outbox.MAX_ATTEMPTS
    assert waits == sorted(waits) and sum(waits, timedelta()) > timedelta(hours=12)
    assert smtp_server.messages == []


def test_after_an_outage_of_hours_the_mail_arrives_exactly_once(
    concern, manager, smtp_server, django_capture_on_commit_callbacks
):
    subscribe(concern, "nachbar@example.org")
    smtp_server.refuse = 5  # the first five attempts, about 51 minutes (the old retries gave up after 10 s)
    with django_capture_on_commit_callbacks(execute=True):
        services.concern_reply(concern=concern, actor=manager, text="Die Laterne wird am Montag repariert.")
    mail = OutboxMail.objects.get(purpose="concerns/email/update")
    clock = timezone.now()
    for _ in range(outbox.MAX_ATTEMPTS):  # a worker asking every time something is due
        clock = max(clock, mail.next_attempt_at or clock) + timedelta(seconds=1)
        outbox.send_due(now=clock)
        mail.refresh_from_db()
    assert mail.status == MailStatus.SENT and mail.attempts == 6
    delivered = [body for to, _message, body in mails(smtp_server) if to == ["nachbar@example.org"]]
    assert len(delivered) == 1 and "Die Laterne wird am Montag repariert." in delivered[0]
    assert outbox.send_due(now=clock + timedelta(days=1)) == 0  # nothing is sent twice


def test_password_reset_with_the_mail_server_down_answers_normally_and_keeps_the_mail(
    client, db, settings, django_capture_on_commit_callbacks
):
    User.objects.create_user(email="vergesslich@example.org", password="altes-passwort-123")
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2  # nothing listens there
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_reset_password"), {"email": "vergesslich@example.org"})
    assert response.status_code == 302 and response.url == reverse("account_reset_password_done")
    mail = OutboxMail.objects.get()
    assert mail.to == ["vergesslich@example.org"] and mail.status == MailStatus.PENDING and mail.attempts == 1
    assert "/accounts/password/reset/key/" in mail.body


def test_the_team_sees_an_undelivered_mail_and_sends_it_again(
    client, concern, manager, smtp_server, django_capture_on_commit_callbacks
):
    subscribe(concern, "nachbar@example.org")
    smtp_server.refuse = 100
    with django_capture_on_commit_callbacks(execute=True):
        services.concern_reply(concern=concern, actor=manager, text="Erledigt bald.")
    OutboxMail.objects.update(status=MailStatus.FAILED, attempts=outbox.MAX_ATTEMPTS, next_attempt_at=None)
    mail = OutboxMail.objects.get()

    client.force_login(manager)
    page = client.get(reverse("desk:mail", args=[concern.district.slug])).content.decode()
    assert "nachbar@example.org" in page and "Nach 9 Versuchen nicht zugestellt." in page
    assert "451 Try again later" in page and "Erneut senden" in page

    smtp_server.refuse = 0
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("desk:mail-resend", args=[concern.district.slug, mail.pk]), follow=True)
    assert "Die E-Mail an nachbar@example.org wird erneut gesendet." in response.content.decode()
    mail.refresh_from_db()
    assert mail.status == MailStatus.SENT and mail.attempts == 1
    [(recipients, _message, body)] = mails(smtp_server)
    assert recipients == ["nachbar@example.org"] and "Erledigt bald." in body
    assert AuditEvent.objects.filter(verb="mail.resent", actor=manager, target_id=str(mail.pk)).exists()
    assert (
        "Alle E-Mails wurden zugestellt."
        in client.get(reverse("desk:mail", args=[concern.district.slug])).content.decode()
    )


def test_another_districts_mail_is_not_listed_nor_sent_again(client, concern, other_manager, other_district):
    mail = OutboxMail.objects.create(
        district=concern.district, to=["a@example.org"], subject="Ihr Anliegen", body="…", status=MailStatus.FAILED
    )
    client.force_login(other_manager)
    assert "a@example.org" not in client.get(reverse("desk:mail", args=[other_district.slug])).content.decode()
    response = client.post(reverse("desk:mail-resend", args=[other_district.slug, mail.pk]))
    assert response.status_code == 404
    mail.refresh_from_db()
    assert mail.status == MailStatus.FAILED


def test_sign_up_with_the_mail_server_down_keeps_the_account_and_the_mail(
    client, db, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2  # nothing listens there
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_signup"),
            {"email": "neu@example.org", "password1": "sehr-langes-passwort-7", "password2": "sehr-langes-passwort-7"},
        )
    assert response.status_code == 302 and User.objects.filter(email="neu@example.org").exists()
    mail = OutboxMail.objects.get()
    assert mail.to == ["neu@example.org"] and mail.status == MailStatus.PENDING and mail.attempts == 1
    assert "/accounts/confirm-email/" in mail.body and mail.purpose == "account/email/email_confirmation_signup"


def test_old_mails_are_purged(db, settings):
    long_ago = timezone.now() - timedelta(days=settings.OUTBOX_KEEP_FAILED_DAYS + 1)
    sent = OutboxMail.objects.create(to=["a@example.org"], subject="s", body="b", status=MailStatus.SENT)
    failed = OutboxMail.objects.create(to=["b@example.org"], subject="s", body="b", status=MailStatus.FAILED)
    fresh = OutboxMail.objects.create(to=["c@example.org"], subject="s", body="b", status=MailStatus.FAILED)
    OutboxMail.objects.filter(pk=sent.pk).update(sent_at=long_ago)
    OutboxMail.objects.filter(pk=failed.pk).update(created_at=long_ago)
    assert outbox.purge() == 2
    assert list(OutboxMail.objects.values_list("pk", flat=True)) == [fresh.pk]


def test_privacy_requests_find_export_and_erase_the_mails_to_an_address(district, manager):
    from kiezwerk.core import privacy

    mine = OutboxMail.objects.create(district=district, to=["Nachbar@Example.org"], subject="Ihr Anliegen", body="…")
    other = OutboxMail.objects.create(district=district, to=["andere@example.org"], subject="Ihr Anliegen", body="…")
    found = dict((p.key, records) for p, records in privacy.find(email="nachbar@example.org", districts=[district]))
    [record] = found["mails"]
    assert record.text.startswith("„Ihr Anliegen“")
    export = privacy.export(email="nachbar@example.org", districts=[district], actor=manager)
    assert [m["subject"] for m in export["mails"]] == ["Ihr Anliegen"]
    assert privacy.erase(email="nachbar@example.org", districts=[district], actor=manager)["mails"] == 1
    assert list(OutboxMail.objects.values_list("pk", flat=True)) == [other.pk] and mine.pk != other.pk


def test_the_retention_task_purges_old_mails(db, settings):
    from kiezwerk.core import privacy

    mail = OutboxMail.objects.create(to=["a@example.org"], subject="s", body="b", status=MailStatus.SENT)
    OutboxMail.objects.filter(pk=mail.pk).update(sent_at=timezone.now() - timedelta(days=31))
    assert privacy.retain()["mails"] == {"mails": 1} and not OutboxMail.objects.exists()


def test_the_command_sends_what_is_due(db, smtp_server):
    from io import StringIO

    from django.core.management import call_command

    OutboxMail.objects.create(to=["a@example.org"], subject="Hallo", body="Text", next_attempt_at=timezone.now())
    out = StringIO()
    call_command("send_outbox", stdout=out)
    assert out.getvalue().strip() == "Outbox: 1 sent." and OutboxMail.objects.get().status == MailStatus.SENT
    [(recipients, _message, _body)] = mails(smtp_server)
    assert recipients == ["a@example.org"]


def test_a_mail_that_cannot_even_be_built_uses_up_its_attempts_and_is_listed(db, caplog):
    mail = OutboxMail.objects.create(
        to=["a@example.org"],
        subject="s",
        body="b",
        headers={"X-Note": "line one\nline two"},
        next_attempt_at=timezone.now(),
    )
    clock = timezone.now()
    for _attempt in range(outbox.MAX_ATTEMPTS):
        outbox.send(mail.pk, now=clock)
        clock += outbox.BACKOFF[-1]
    mail.refresh_from_db()
    assert (mail.status, mail.attempts) == (MailStatus.FAILED, outbox.MAX_ATTEMPTS) and mail.last_error
    assert "could not be sent" in caplog.text
