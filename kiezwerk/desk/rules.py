"""Who may use the desk: the staff of a district (`accounts.access.is_staff_of`).

Each app's staff screens under a district (`/desk/<slug>/…`, `/network/<slug>/…`) declare
`requires(can_use_desk, load=district)`; the desk's home page `requires(is_desk_user)`.
"""

from django.shortcuts import get_object_or_404
from django.urls import reverse

from kiezwerk.accounts.access import is_desk_user, is_staff_of
from kiezwerk.core.access import once_per_request
from kiezwerk.core.models import District


def can_use_desk(user, district):
    """The district's staff: managers, moderators and city admins."""
    return is_staff_of(user, district)


@once_per_request
def district_for(user, slug):
    """The district named by `slug` (Http404 when there is none), loaded once per request."""
    return get_object_or_404(District, slug=slug)


def district(request, slug, **kwargs):
    """Load: a district page's URL → its district."""
    return district_for(request.user, slug)


def login_landing(user):
    """After login, a district's staff land on the desk (`settings.LOGIN_LANDINGS`)."""
    return reverse("desk:home") if is_desk_user(user) else None
