"""The network's own reminder: contact persons whose data nobody has confirmed for a year."""

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from kiezwerk.core.mail import mail_send
from kiezwerk.desk import selectors as desk_selectors

from .. import tasks
from ..selectors import directory

LISTED = 50  # contact persons named in one mail; the link leads to all of them


def stale_contacts_remind(*, today=None):
    """Queue one mail per manager and district with contact persons to confirm. Returns how many were queued."""
    today = today or timezone.localdate()
    pairs = desk_selectors.manager_districts()
    for user_id, district_id in pairs:
        transaction.on_commit(
            lambda u=user_id, d=district_id: tasks.stale_contacts_send_task.delay(u, d, today.isoformat())
        )
    return len(pairs)


def stale_contacts_send(*, user, district, today):
    """Mail a manager the district's contact persons not confirmed for CONTACT_CONFIRM_MONTHS. False when none."""
    stale = directory.contact_list_for_district(district=district, unconfirmed=True, today=today)
    count = stale.count()
    if not count:
        return False
    url = reverse("network:contacts", args=[district.slug]) + "?unconfirmed=on"
    mail_send(
        to=user.email,
        template="network/email/stale_contacts",
        context={
            "district": district,
            "contacts": list(stale[:LISTED]),
            "count": count,
            "months": settings.CONTACT_CONFIRM_MONTHS,
            "url": settings.SITE_URL + url,
        },
        language=user.language or settings.LANGUAGE_CODE,
        district=district,
    )
    return True
