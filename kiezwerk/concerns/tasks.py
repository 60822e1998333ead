"""Background work for concerns. Tasks take ids and call one service (mails go through core's outbox)."""

from celery import shared_task

from . import opendata, services


@shared_task
def photos_discard_task():
    return services.photo_discard_unattached()


@shared_task
def open_data_build_task(district_id):
    return opendata.build_queued(district_id)


@shared_task
def open_data_build_all_task():
    return opendata.build_all()
