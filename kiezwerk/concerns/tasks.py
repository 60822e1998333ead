"""Background work for concerns. Tasks take ids and call one service."""

from smtplib import SMTPException

from celery import shared_task

from . import services
from .models import Concern, Subscription


@shared_task(autoretry_for=(SMTPException, OSError), retry_backoff=True, max_retries=5)
def concern_send_tracking_link_task(concern_id, token):
    concern = Concern.objects.filter(pk=concern_id).exclude(reporter_email="").first()
    if concern:
        services.concern_send_tracking_link(concern=concern, token=token)


@shared_task(autoretry_for=(SMTPException, OSError), retry_backoff=True, max_retries=5)
def subscription_send_confirmation_task(subscription_id):
    subscription = Subscription.objects.filter(pk=subscription_id, confirmed_at=None).first()
    if subscription:
        services.subscription_send_confirmation(subscription=subscription)
