"""Writes of the accounts: memberships."""

from django.contrib.contenttypes.models import ContentType

from .models import Membership


def membership_add(*, user, target, role=""):
    """Make `user` a member of `target` (an organisation, …); adding again keeps the one row and sets the role."""
    membership, _created = Membership.objects.update_or_create(
        user=user,
        content_type=ContentType.objects.get_for_model(target),
        object_id=target.pk,
        defaults={"role": role},
    )
    return membership
