from django.core.management.base import BaseCommand

from kiezwerk.projects.services import volunteers


class Command(BaseCommand):
    help = "Remind volunteers of their shift the day before (each one once; safe to run twice)."

    def handle(self, *args, **options):
        sent = volunteers.shift_reminders_send()
        self.stdout.write(f"{sent} reminder(s) sent.")
