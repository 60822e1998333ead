"""The durable outbox: every e-mail is stored in the transaction of the change that caused it.

`enqueue` writes the message as an `OutboxMail` row; when that transaction commits, a task
tries to send it. A failed attempt is tried again after `BACKOFF` (minutes to hours); after the
last one the mail is marked not delivered and listed for the district's team, who can send it
again (`resend`). `send_due` (Celery beat, every minute) sends whatever is due. A change that is
rolled back leaves no mail behind, and a mail server that is down loses nothing.
"""

import base64
import logging
from datetime import timedelta
from smtplib import SMTPException, SMTPRecipientsRefused, SMTPResponseException

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .models import MailStatus, OutboxMail

logger = logging.getLogger(__name__)

# Waits before the 2nd, 3rd, … attempt: about 16 hours from the first to the last of nine.
BACKOFF = tuple(timedelta(minutes=m) for m in (1, 5, 15, 30, 60, 120, 240, 480))
MAX_ATTEMPTS = len(BACKOFF) + 1


def enqueue(message, *, district=None, purpose=""):
    """Store an EmailMessage for sending once the current transaction commits. Returns the row."""
    mail = OutboxMail.objects.create(
        district=district,
        purpose=purpose[:100],
        to=list(message.to) + list(message.cc) + list(message.bcc),
        from_email=message.from_email or settings.DEFAULT_FROM_EMAIL,
        subject=message.subject,
        body=message.body,
        alternatives=[[content, mimetype] for content, mimetype in getattr(message, "alternatives", [])],
        attachments=[
            [filename, base64.b64encode(content).decode("ascii"), mimetype]
            for filename, content, mimetype in message.attachments
        ],
        headers=dict(message.extra_headers),
        next_attempt_at=timezone.now(),
    )
    transaction.on_commit(lambda: _send_later(mail.pk))
    return mail


def _send_later(mail_id):
    from . import tasks

    tasks.outbox_send_task.delay(mail_id)


def _message(mail):
    message = EmailMultiAlternatives(
        subject=mail.subject, body=mail.body, from_email=mail.from_email, to=mail.to, headers=mail.headers
    )
    for content, mimetype in mail.alternatives:
        message.attach_alternative(content, mimetype)
    for filename, content, mimetype in mail.attachments:
        message.attach(filename, base64.b64decode(content), mimetype)
    return message


def send(mail_id, *, now=None):
    """One attempt to send a pending mail. Returns True when the server took it.

    The attempt is claimed first (attempts + 1, the next attempt moved on), so two workers never
    send the same mail at once; a failure keeps the mail for the next attempt or marks it failed.
    """
    now = now or timezone.now()
    mail = OutboxMail.objects.filter(pk=mail_id, status=MailStatus.PENDING).first()
    if mail is None:
        return False
    wait = BACKOFF[min(mail.attempts, len(BACKOFF) - 1)]
    claimed = OutboxMail.objects.filter(pk=mail.pk, status=MailStatus.PENDING, attempts=mail.attempts).update(
        attempts=F("attempts") + 1, next_attempt_at=now + wait
    )
    if not claimed:
        return False
    try:
        _message(mail).send()
    except Exception as error:  # any failure is an attempt used up, so a mail never retries for ever
        if not isinstance(error, SMTPException | OSError):
            logger.exception("Outbox mail %s could not be sent", mail.pk)
        failed = mail.attempts + 1 >= MAX_ATTEMPTS
        OutboxMail.objects.filter(pk=mail.pk).update(
            last_error=_describe(error)[:500],
            status=MailStatus.FAILED if failed else MailStatus.PENDING,
            next_attempt_at=None if failed else now + wait,
        )
        return False
    OutboxMail.objects.filter(pk=mail.pk).update(status=MailStatus.SENT, sent_at=timezone.now(), next_attempt_at=None)
    return True


def _describe(error):
    """The mail server's answer as staff can read it: "451 Try again later", not a Python repr."""
    if isinstance(error, SMTPResponseException):
        message = error.smtp_error.decode(errors="replace") if isinstance(error.smtp_error, bytes) else error.smtp_error
        return f"{error.smtp_code} {message}"
    if isinstance(error, SMTPRecipientsRefused):
        return "; ".join(
            f"{address}: {_describe(SMTPResponseException(*answer))}" for address, answer in error.recipients.items()
        )
    return str(error) or error.__class__.__name__


def send_due(*, now=None, limit=500):
    """Send every pending mail whose next attempt is due. Returns how many went out."""
    now = now or timezone.now()
    due = OutboxMail.objects.filter(status=MailStatus.PENDING, next_attempt_at__lte=now).order_by("next_attempt_at")
    return sum(send(pk, now=now) for pk in due.values_list("pk", flat=True)[:limit])


@transaction.atomic
def resend(*, mail, actor):
    """Try a mail that was not delivered again, from the first attempt (the team's "send again")."""
    from .services import audit_record

    OutboxMail.objects.filter(pk=mail.pk).update(
        status=MailStatus.PENDING, attempts=0, next_attempt_at=timezone.now(), last_error=""
    )
    audit_record(actor=actor, verb="mail.resent", target=mail, district=mail.district, purpose=mail.purpose)
    transaction.on_commit(lambda: _send_later(mail.pk))


def purge(*, now=None):
    """Forget sent mails after OUTBOX_KEEP_SENT_DAYS and undelivered ones after OUTBOX_KEEP_FAILED_DAYS."""
    now = now or timezone.now()
    sent = OutboxMail.objects.filter(
        status=MailStatus.SENT, sent_at__lt=now - timedelta(settings.OUTBOX_KEEP_SENT_DAYS)
    )
    failed = OutboxMail.objects.filter(
        status=MailStatus.FAILED, created_at__lt=now - timedelta(settings.OUTBOX_KEEP_FAILED_DAYS)
    )
    return sent.delete()[0] + failed.delete()[0]
