"""Contact persons not confirmed for a year: each manager is reminded by mail, over a real SMTP server."""

import email
import email.policy
from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone

from kiezwerk.network.models import Contact, LegalBasis, Organisation, OrganisationKind
from kiezwerk.network.services import reminders

from ..outbox import send_retries


def contact(name, organisation, days_ago):
    return Contact.objects.create(
        name=name,
        organisation=organisation,
        legal_basis=LegalBasis.CONSENT,
        consent_note="mündlich, Stadtteilfest",
        last_confirmed_on=timezone.localdate() - timedelta(days=days_ago),
    )


def test_managers_are_reminded_of_stale_contacts_only(
    district, other_district, manager, other_manager, smtp_server, django_capture_on_commit_callbacks
):
    club = Organisation.objects.create(name="Bürgerverein", kind=OrganisationKind.ASSOCIATION)
    club.districts.add(district)
    contact("Frau Alt", club, days_ago=400)
    contact("Herr Neu", club, days_ago=30)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("remind_stale_contacts")
    [envelope] = smtp_server.messages  # the other district has nobody to confirm: no mail there
    assert envelope.rcpt_tos == [manager.email]
    body = email.message_from_bytes(envelope.content, policy=email.policy.default).get_content()
    assert "Frau Alt" in body and "Herr Neu" not in body
    assert f"/network/{district.slug}/contacts/?unconfirmed=on" in body


def test_a_refused_reminder_is_retried(district, manager, smtp_server, django_capture_on_commit_callbacks):
    club = Organisation.objects.create(name="Bürgerverein", kind=OrganisationKind.ASSOCIATION)
    club.districts.add(district)
    contact("Frau Alt", club, days_ago=400)
    smtp_server.refuse = 1
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders.stale_contacts_remind() == 1
    send_retries()
    assert len(smtp_server.messages) == 1
