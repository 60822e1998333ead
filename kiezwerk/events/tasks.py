"""Background work of events: offers of freed places that expire, and the reminder the day before."""

from celery import shared_task


@shared_task
def offers_expire_task():
    from .services import registrations

    return registrations.offers_expire()


@shared_task
def event_reminders_task():
    from .services import registrations

    return registrations.reminders_send()
