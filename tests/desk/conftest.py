import email
import email.policy
import secrets
from datetime import timedelta

import pytest
from django.utils import timezone

from kiezwerk.accounts.models import RoleKind
from kiezwerk.concerns.models import Concern
from kiezwerk.core.models import Follower

from ..conftest import _user_with_role


@pytest.fixture
def volunteer(district):
    return _user_with_role(RoleKind.VOLUNTEER, district)


def codes(error):
    """The codes of a ValidationError, flat or keyed by field."""
    if hasattr(error, "error_dict"):
        return {item.code for items in error.error_dict.values() for item in items}
    return {item.code for item in error.error_list}


def age(concern, days):
    """Pretend the concern was filed `days` ago (created_at is set on insert only)."""
    created_at = timezone.now() - timedelta(days=days)
    Concern.objects.filter(pk=concern.pk).update(created_at=created_at)
    concern.created_at = created_at
    return concern


def subscribe(concern, address, language="de", confirmed=True):
    return Follower.objects.create(
        target=concern,
        email=address,
        language=language,
        token=secrets.token_urlsafe(32),
        confirmed_at=timezone.now() if confirmed else None,
    )


def mails(smtp_server):
    """The messages the SMTP server accepted, parsed: [(recipients, message, body)]."""
    parsed = []
    for envelope in smtp_server.messages:
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        parsed.append((envelope.rcpt_tos, message, message.get_content()))
    return parsed


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Every role fixture creates a user with a password; the production hasher is slow by design."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
