import logging
from collections import Counter
from contextlib import contextmanager

from django.conf import settings
from django.core.management.base import BaseCommand

from kiezwerk.accounts.models import RoleKind
from kiezwerk.concerns.models import EntryKind
from kiezwerk.core.models import Entry
from kiezwerk.demo.services import DEMO_USERS, PASSWORD, demo_load
from kiezwerk.events.models import Event, Occurrence, Registration, RegistrationStatus, Review
from kiezwerk.network.models import OPEN_REFERRAL_STATUSES, Contact, Organisation, Referral
from kiezwerk.projects.models import Project, SignUp, SignUpStatus


@contextmanager
def _tasks_quiet():
    """Without a worker Celery runs each task inline and logs it; the mails the demo drops would fill the console."""
    logger = logging.getLogger("celery.app.trace")
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)


class Command(BaseCommand):
    help = "Create or refresh the demo district Oberhausen with users and concerns (idempotent)."

    def handle(self, *args, **options):
        with _tasks_quiet():
            district, _users, created = demo_load()
        count = district.concerns.count()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo district {district.name}: {count} concerns ({created} new), {district.streets.count()} streets."
            )
        )
        self.stdout.write(
            f"Desk: {district.reply_templates.count()} reply templates, "
            f"{district.concerns.exclude(assignee=None).count()} assigned and "
            f"{district.concerns.exclude(follow_up_on=None).count()} with a follow-up date, "
            f"{Entry.objects.filter(concern__district=district, kind=EntryKind.NOTE).count()} internal notes, "
            f"{district.street_contacts.count()} street contacts, {district.field_notes.count()} conversation notes."
        )
        referrals = Referral.objects.filter(concern__district=district)
        self.stdout.write(
            f"Network: {Organisation.objects.filter(city=district.city).count()} organisations, "
            f"{Contact.objects.filter(districts=district).count()} contacts, {referrals.count()} referrals "
            f"({referrals.filter(status__in=OPEN_REFERRAL_STATUSES).count()} open)."
        )
        statuses = Counter(Project.objects.filter(district=district).values_list("status", flat=True))
        signups = SignUp.objects.filter(shift__project__district=district)
        self.stdout.write(
            f"Projects: {statuses.total()} ({', '.join(f'{n} {s}' for s, n in sorted(statuses.items()))}), "
            f"{signups.filter(status=SignUpStatus.REGISTERED).count()} volunteers' places taken, "
            f"{signups.filter(status=SignUpStatus.WAITING).count()} on a waiting list."
        )
        events = Event.objects.filter(district=district)
        registrations = Registration.objects.filter(occurrence__event__district=district)
        self.stdout.write(
            f"Events: {events.count()} ({events.filter(review=Review.PENDING).count()} waiting for approval), "
            f"{Occurrence.objects.filter(event__district=district).count()} dates, "
            f"{registrations.filter(status=RegistrationStatus.REGISTERED).count()} registered, "
            f"{registrations.filter(status=RegistrationStatus.WAITING).count()} waiting, "
            f"{registrations.filter(status=RegistrationStatus.OFFERED).count()} offered a freed place."
        )
        self.stdout.write(f"\nDemo logins ({settings.SITE_URL}/accounts/login/), password for all: {PASSWORD}")
        for email, name, kind in DEMO_USERS:
            label = RoleKind(kind).label if kind in RoleKind.values else "Partner"
            self.stdout.write(f"  {label:<26} {email:<32} {name}")
