"""Who may do what in the network: rules `(user, obj) -> bool`, the rows for a viewer, the views' loads.

The directory, referrals and exports are for the staff of a district the row belongs to; a partner
is a member of an organisation (`accounts.Membership`, the one definition) and answers its
referrals. A row loader raises Http404 for missing and forbidden alike.
"""

from django.http import Http404
from django.urls import reverse

from kiezwerk.accounts.access import is_member_of, is_staff_of, memberships
from kiezwerk.core.access import allowed_or_404, once_per_request

from .models import Contact, Organisation, Referral
from .selectors import directory


def is_partner(user):
    """Whether the user belongs to an organisation (from the cached memberships: no query of its own)."""
    return bool(memberships(user, Organisation))


@once_per_request
def organisation_staff_districts(user, organisation):
    """The districts the organisation serves that the user is staff of (once per request)."""
    return [d for d in directory.organisation_districts(organisation) if is_staff_of(user, d)]


@once_per_request
def contact_staff_districts(user, contact):
    """The districts the contact person belongs to that the user is staff of (once per request)."""
    return [d for d in directory.contact_districts(contact) if is_staff_of(user, d)]


def can_see_organisation(user, organisation):
    """Staff of any district the organisation serves."""
    return bool(organisation_staff_districts(user, organisation))


def can_see_contact(user, contact):
    """Staff of any district the contact person belongs to (their own or their organisation's)."""
    return bool(contact_staff_districts(user, contact))


def can_work_referral(user, referral):
    """Staff of the district of the referred concern (or the request's object)."""
    return is_staff_of(user, referral.district)


def can_answer_referral(user, referral):
    """A member of the organisation the concern was referred to."""
    return is_member_of(user, referral.organisation)


# Rows for a viewer --------------------------------------------------------------------------------


@once_per_request
def organisation_for_staff(user, pk):
    """An organisation the user may see; Http404 for missing and forbidden alike."""
    if not user.is_authenticated:
        raise Http404
    return allowed_or_404(user, Organisation.objects.all(), pk, can_see_organisation)


@once_per_request
def contact_for_staff(user, pk):
    """A contact person the user may see; Http404 for missing and forbidden alike."""
    if not user.is_authenticated:
        raise Http404
    return allowed_or_404(user, Contact.objects.select_related("organisation"), pk, can_see_contact)


@once_per_request
def referral_for_staff(user, pk):
    """A referral the user may work on; Http404 for missing and forbidden alike."""
    rows = Referral.objects.select_related(
        "concern", "concern__category", "district", "organisation", "contact", "created_by"
    )
    return allowed_or_404(user, rows, pk, can_work_referral)


@once_per_request
def referral_for_partner(user, pk):
    """A referral to one of the user's organisations; Http404 for missing and forbidden alike."""
    if not is_partner(user):
        raise Http404
    rows = Referral.objects.select_related("concern", "concern__category", "district", "organisation", "contact")
    return allowed_or_404(user, rows, pk, can_answer_referral)


# Loads: a view's URL → the object its rule is asked about -----------------------------------------


def staff_organisation(request, pk, **kwargs):
    return organisation_for_staff(request.user, pk)


def staff_contact(request, pk, **kwargs):
    return contact_for_staff(request.user, pk)


def staff_referral(request, pk, **kwargs):
    return referral_for_staff(request.user, pk)


def partner_referral(request, pk, **kwargs):
    return referral_for_partner(request.user, pk)


def login_landing(user):
    """After login, an organisation's people land on their referrals (`settings.LOGIN_LANDINGS`)."""
    return reverse("network:partner-home") if is_partner(user) else None
