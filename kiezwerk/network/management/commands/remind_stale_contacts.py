from django.core.management.base import BaseCommand
from django.db import transaction

from kiezwerk.network.services import reminders


class Command(BaseCommand):
    help = "Mail every manager the contact persons not confirmed for CONTACT_CONFIRM_MONTHS (weekly via Celery beat)."

    def handle(self, *args, **options):
        with transaction.atomic():
            queued = reminders.stale_contacts_remind()
        self.stdout.write(f"{queued} reminders queued")
