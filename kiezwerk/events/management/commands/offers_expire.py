from django.core.management.base import BaseCommand

from kiezwerk.events.services import registrations


class Command(BaseCommand):
    help = "End offers of freed places past their deadline and offer each place to the next person (safe to run twice)."

    def handle(self, *args, **options):
        expired = registrations.offers_expire()
        self.stdout.write(f"{expired} offer(s) expired and passed on.")
