from django.core.management.base import BaseCommand
from django.db import transaction

from kiezwerk.desk import services


class Command(BaseCommand):
    help = "Send every manager the daily digest of new, overdue and due-today items (Celery beat runs it at 6:30)."

    def handle(self, *args, **options):
        with transaction.atomic():
            queued = services.digests_send()
        self.stdout.write(f"{queued} digests queued")
