"""Background work of the base: the retention rules of every app. Tasks call one function."""

from celery import shared_task


@shared_task
def privacy_retention_task():
    from . import privacy

    return privacy.retain()
