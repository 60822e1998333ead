"""A concern on the activity layer (core.activity): what its entries' values mean and how its followers' mails read.

Imported at start-up (ConcernsConfig.ready).
"""

from django.conf import settings

from kiezwerk.core import activity

from .models import Concern, ConcernStatus, EntryKind


def update_mail(entry, follower):
    """The mail to a follower about a public entry on the concern's timeline."""
    concern = entry.target
    original = concern.duplicate_of if entry.new_status == ConcernStatus.DUPLICATE else None
    return "concerns/email/update", {
        "concern": concern,
        "update": entry,
        "concern_url": settings.SITE_URL + concern.get_absolute_url() if concern.is_public else "",
        "original_url": settings.SITE_URL + original.get_absolute_url() if original else "",
        # A partner's step (its context a network referral) is signed with the partner's public name.
        "partner": entry.context.public_name if entry.kind == EntryKind.REFERRAL and entry.context_id else "",
    }


def confirm_mail(follower):
    """The mail asking a new follower to confirm (core adds the confirm and unsubscribe links)."""
    concern = follower.target
    return "concerns/email/subscription_confirm", {
        "concern": concern,
        "concern_url": settings.SITE_URL + concern.get_absolute_url(),
    }


activity.register(Concern, update=update_mail, confirm=confirm_mail, district=lambda concern: concern.district)
activity.labels(kinds=EntryKind, statuses=ConcernStatus)
