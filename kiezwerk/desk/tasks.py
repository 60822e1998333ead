"""Background work of the desk: daily digests. Tasks take ids and call one service."""

from datetime import date

from celery import shared_task

from kiezwerk.accounts.models import User
from kiezwerk.core.models import District


@shared_task
def digests_send_task():
    from . import services

    return services.digests_send()


@shared_task
def digest_send_task(user_id, district_id, today):
    from . import services

    user = User.objects.filter(pk=user_id, is_active=True).first()
    district = District.objects.filter(pk=district_id).first()
    if user and district:
        services.digest_send(user=user, district=district, today=date.fromisoformat(today))
