from django.core.management.base import BaseCommand

from kiezwerk.network.services import referrals


class Command(BaseCommand):
    help = "Remind partners of referrals due soon and escalate overdue ones to the team (daily via Celery beat)."

    def handle(self, *args, **options):
        reminded, escalated = referrals.referral_followups_send()
        self.stdout.write(f"{reminded} reminders, {escalated} escalations")
