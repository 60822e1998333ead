"""Background work for concerns. Tasks take ids and call one service."""

from smtplib import SMTPException

from celery import shared_task

from . import services
from .models import Concern, Subscription, Update


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


@shared_task(autoretry_for=(SMTPException, OSError), retry_backoff=True, max_retries=5)
def update_send_task(update_id, subscription_id):
    """Mail one subscriber about one public update. The update is already saved; a failure only retries the mail."""
    update = Update.objects.select_related("concern__duplicate_of").filter(pk=update_id, is_public=True).first()
    subscription = Subscription.objects.filter(pk=subscription_id, confirmed_at__isnull=False).first()
    if update and subscription:
        services.update_send(update=update, subscription=subscription)


@shared_task
def photos_discard_task():
    return services.photo_discard_unattached()
