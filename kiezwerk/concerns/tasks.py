"""Background work for concerns. Tasks take ids and call one service (mails go through core's outbox)."""

from celery import shared_task

from . import services


@shared_task
def photos_discard_task():
    return services.photo_discard_unattached()
