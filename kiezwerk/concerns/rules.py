"""Who may do what with a concern: rules `(user, concern) -> bool`, the rows for a viewer, the views' loads.

A row loader returns the concern or raises Http404 for missing and forbidden alike, so internal
concerns never reveal that they exist. Views, templates, services and an API ask here.
"""

from kiezwerk.accounts.access import can_moderate, is_staff_of, is_team_of
from kiezwerk.core.access import allowed_or_404, once_per_request

from .models import Concern


def can_view_concern(user, concern):
    """Public concerns for everyone; internal ones (pending review) for the district's staff."""
    return concern.is_public or is_staff_of(user, concern.district)


def can_see_reporter(user, concern):
    """Reporter's name and e-mail are for the district's staff only."""
    return is_staff_of(user, concern.district)


def can_work_concern(user, concern):
    """The district's staff work on a concern (reply, assign, refer, …)."""
    return is_staff_of(user, concern.district)


def can_moderate_concern(user, concern):
    """Moderators and city admins of the concern's district review and redact it."""
    return can_moderate(user, concern.district)


def report_source(user, district):
    """The intake limit (`settings.INTAKE_RATES`) that counts a report sent through the public form.

    Anonymous residents count per address ("web"), logged-in residents per account ("account"); the
    district's team, who also record what residents tell them through this form, count as at the desk.
    """
    if not user.is_authenticated:
        return "web"
    if is_staff_of(user, district) or is_team_of(user, district):
        return "capture"
    return "account"


# Rows for a viewer --------------------------------------------------------------------------------


@once_per_request
def concern_for_viewer(user, pk):
    """The concern if the user may see it; Http404 for missing and forbidden alike."""
    rows = Concern.objects.select_related("district", "category", "category__parent")
    return allowed_or_404(user, rows, pk, can_view_concern)


@once_per_request
def concern_for_staff(user, pk):
    """A concern the user may work on; Http404 for missing and forbidden alike."""
    rows = Concern.objects.select_related(
        "district", "category", "category__parent", "assignee", "reporter", "duplicate_of"
    )
    return allowed_or_404(user, rows, pk, can_work_concern)


# Loads: a view's URL → the concern its rule is asked about ---------------------------------------


def visible_concern(request, pk, **kwargs):
    return concern_for_viewer(request.user, pk)


def staff_concern(request, pk, **kwargs):
    return concern_for_staff(request.user, pk)
