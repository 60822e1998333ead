from django.core.management.base import BaseCommand

from kiezwerk.events.services import registrations


class Command(BaseCommand):
    help = "Remind everyone registered for a date the day before (each one once; safe to run twice)."

    def handle(self, *args, **options):
        sent = registrations.reminders_send()
        self.stdout.write(f"{sent} reminder(s) sent.")
