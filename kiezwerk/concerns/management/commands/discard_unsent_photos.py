from datetime import timedelta

from django.core.management.base import BaseCommand

from kiezwerk.concerns.services import photo_discard_unattached


class Command(BaseCommand):
    help = "Delete photos of reports that were never sent (older than --hours, default 24)."

    def add_arguments(self, parser):
        parser.add_argument("--hours", type=int, default=24)

    def handle(self, *args, hours, **options):
        count = photo_discard_unattached(older_than=timedelta(hours=hours))
        self.stdout.write(f"{count} unsent photo(s) deleted.")
