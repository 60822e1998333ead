from django.core.management.base import BaseCommand

from kiezwerk.core import outbox


class Command(BaseCommand):
    help = "Send the outbox's mails whose next attempt is due (Celery beat does this every minute)."

    def handle(self, *args, **options):
        sent = outbox.send_due()
        self.stdout.write(f"Outbox: {sent} sent.")
