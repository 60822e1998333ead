from django.core.management.base import BaseCommand

from kiezwerk.core import privacy


class Command(BaseCommand):
    help = "Apply the retention rules of every app that stores personal data (daily via Celery beat)."

    def handle(self, *args, **options):
        for key, counts in privacy.retain().items():
            done = ", ".join(f"{what}: {count}" for what, count in counts.items()) or "no rule"
            self.stdout.write(f"{key}: {done}")
