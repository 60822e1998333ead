from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from kiezwerk.concerns import services


class Command(BaseCommand):
    help = (
        "Anonymise reporters' personal data of concerns closed longer than RETENTION_MONTHS "
        "(with the other apps' rules: manage.py privacy_retention)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--months", type=int, default=settings.RETENTION_MONTHS, help="closed longer than this many months"
        )

    def handle(self, *args, months, **options):
        if months < 1:
            raise CommandError("--months must be at least 1.")
        count = services.retention_apply(months=months)
        self.stdout.write(f"{count} concerns anonymised (closed more than {months} months ago)")
