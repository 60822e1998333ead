"""Background work of projects: the reminder to volunteers the day before their shift."""

from celery import shared_task


@shared_task
def shift_reminders_task():
    from .services import volunteers

    return volunteers.shift_reminders_send()
