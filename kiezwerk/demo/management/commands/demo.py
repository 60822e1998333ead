from django.conf import settings
from django.core.management.base import BaseCommand

from kiezwerk.accounts.models import RoleKind
from kiezwerk.concerns.models import EntryKind
from kiezwerk.core.models import Entry
from kiezwerk.demo.services import DEMO_USERS, PASSWORD, demo_load
from kiezwerk.network.models import OPEN_REFERRAL_STATUSES, Contact, Organisation, Referral


class Command(BaseCommand):
    help = "Create or refresh the demo district Oberhausen with users and concerns (idempotent)."

    def handle(self, *args, **options):
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
        self.stdout.write(f"\nDemo logins ({settings.SITE_URL}/accounts/login/), password for all: {PASSWORD}")
        for email, name, kind in DEMO_USERS:
            label = RoleKind(kind).label if kind in RoleKind.values else "Partner"
            self.stdout.write(f"  {label:<26} {email:<32} {name}")
