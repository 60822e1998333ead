"""Background work of the network: mails of referrals and the daily follow-up. Tasks take ids."""

from smtplib import SMTPException

from celery import shared_task

RETRY = {"autoretry_for": (SMTPException, OSError), "retry_backoff": True, "max_retries": 5}


@shared_task(**RETRY)
def referral_send_task(referral_id, token):
    from .models import Referral
    from .services import referrals

    referral = Referral.objects.select_related("concern", "organisation", "contact").filter(pk=referral_id).first()
    if referral and referral.token_hash == referrals.token_hash(token) and referral.is_open:
        referrals.referral_send(referral=referral, token=token)


@shared_task(**RETRY)
def referral_partner_notify_task(event_id):
    from .models import ReferralEvent
    from .services import referrals

    event = (
        ReferralEvent.objects.select_related("referral__organisation", "referral__contact").filter(pk=event_id).first()
    )
    if event:
        referrals.referral_partner_notify(event=event)


@shared_task(**RETRY)
def referral_team_notify_task(event_id):
    from .models import ReferralEvent
    from .services import referrals

    event = (
        ReferralEvent.objects.select_related(
            "referral__organisation", "referral__concern__assignee", "referral__created_by"
        )
        .filter(pk=event_id)
        .first()
    )
    if event:
        referrals.referral_team_notify(event=event)


@shared_task
def referral_followups_task():
    from .services import referrals

    return referrals.referral_followups_send()


@shared_task
def stale_contacts_remind_task():
    from .services import reminders

    return reminders.stale_contacts_remind()


@shared_task(**RETRY)
def stale_contacts_send_task(user_id, district_id, today):
    from datetime import date

    from kiezwerk.accounts.models import User
    from kiezwerk.core.models import District

    from .services import reminders

    user = User.objects.filter(pk=user_id, is_active=True).first()
    district = District.objects.filter(pk=district_id).first()
    if user and district:
        reminders.stale_contacts_send(user=user, district=district, today=date.fromisoformat(today))
