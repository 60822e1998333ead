"""Background work of core: the outbox and the retention rules of every app. Tasks call one function."""

from celery import shared_task

from . import outbox


@shared_task
def outbox_send_task(mail_id):
    return outbox.send(mail_id)


@shared_task
def outbox_send_due_task():
    return outbox.send_due()


@shared_task
def privacy_retention_task():
    from . import privacy

    return privacy.retain()
