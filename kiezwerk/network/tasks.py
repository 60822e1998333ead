"""Background work of the network: the daily follow-up and the yearly confirmation reminder. Tasks take ids.

Mails go through core's outbox, which retries them.
"""

from celery import shared_task


@shared_task
def referral_followups_task():
    from .services import referrals

    return referrals.referral_followups_send()


@shared_task
def stale_contacts_remind_task():
    from .services import reminders

    return reminders.stale_contacts_remind()


@shared_task
def stale_contacts_send_task(user_id, district_id, today):
    from datetime import date

    from kiezwerk.accounts.models import User
    from kiezwerk.core.models import District

    from .services import reminders

    user = User.objects.filter(pk=user_id, is_active=True).first()
    district = District.objects.filter(pk=district_id).first()
    if user and district:
        reminders.stale_contacts_send(user=user, district=district, today=date.fromisoformat(today))
