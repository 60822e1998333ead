"""Who may do what with an event: rules `(user, event) -> bool`, the rows for a viewer, the views' loads.

Approved events (`Event.objects.public()`) for everyone; a submission waiting or declined for the district's
staff and the organiser's members only (404 for anyone else, like a missing one).
"""

from kiezwerk.accounts.access import is_member_of, is_staff_of
from kiezwerk.core.access import allowed_or_404, once_per_request

from .models import Event


def can_work_event(user, event):
    """The district's staff: managers, moderators and city admins."""
    return is_staff_of(user, event.district)


def is_organiser_member(user, event):
    return event.organiser_id is not None and is_member_of(user, event.organiser)


def can_view_event(user, event):
    return event.is_public or can_work_event(user, event) or is_organiser_member(user, event)


def event_for_viewer(user, slug, pk):
    """The event if the user may see it and it lies in the district of `slug`; Http404 otherwise."""
    return _event_for_viewer(user, (slug, int(pk)))


@once_per_request
def _event_for_viewer(user, key):
    slug, pk = key
    rows = Event.objects.select_related("district", "organiser", "venue")
    return allowed_or_404(user, rows.filter(district__slug=slug), pk, can_view_event)


@once_per_request
def event_for_staff(user, pk):
    return allowed_or_404(user, Event.objects.select_related("district", "organiser", "venue"), pk, can_work_event)


@once_per_request
def event_for_partner(user, pk):
    """An event of one of the user's organisations (any district they serve)."""
    return allowed_or_404(user, Event.objects.select_related("district", "organiser", "venue"), pk, is_organiser_member)


# Loads: a view's URL → the event its rule is asked about.


def staff_event(request, pk, **kwargs):
    return event_for_staff(request.user, pk)


def partner_event(request, pk, **kwargs):
    return event_for_partner(request.user, pk)
