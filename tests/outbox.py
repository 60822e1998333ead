"""Helpers for mails that go through core's outbox."""

from django.utils import timezone

from kiezwerk.core import outbox
from kiezwerk.core.models import MailStatus, OutboxMail


def send_retries():
    """The next attempt for the mails a server turned away, as the beat task makes it a minute later.

    Only mails already tried once: others a test left unsent (its set-up's mails) stay untouched.
    """
    later = timezone.now() + outbox.BACKOFF[0]
    retried = OutboxMail.objects.filter(status=MailStatus.PENDING, attempts__gt=0).values_list("pk", flat=True)
    return sum(outbox.send(pk, now=later) for pk in retried)
