"""Who may do what with a project: rules `(user, project) -> bool`, the rows for a viewer, the views' loads.

Public projects (`Project.objects.public()`) for everyone; internal ones and ideas for the district's staff
only (404 for anyone else, like a missing one). The district's staff plan and run projects.
"""

from django.shortcuts import get_object_or_404

from kiezwerk.accounts.access import is_staff_of
from kiezwerk.core.access import allowed_or_404, once_per_request

from .models import Project, Shift


def can_view_project(user, project):
    return project.is_public or is_staff_of(user, project.district)


def can_work_project(user, project):
    """The district's staff: managers, moderators and city admins."""
    return is_staff_of(user, project.district)


def project_for_viewer(user, slug, pk):
    """The project if the user may see it and it lies in the district of `slug`; Http404 otherwise."""
    return _project_for_viewer(user, (slug, int(pk)))


@once_per_request
def _project_for_viewer(user, key):
    slug, pk = key
    rows = Project.objects.select_related("district", "responsible", "category", "template")
    return allowed_or_404(user, rows.filter(district__slug=slug), pk, can_view_project)


@once_per_request
def project_for_staff(user, pk):
    rows = Project.objects.select_related("district", "responsible", "category", "template")
    return allowed_or_404(user, rows, pk, can_work_project)


def shift_of(project, shift_id):
    return get_object_or_404(Shift.objects.select_related("project__district"), pk=shift_id, project=project)


# Loads: a view's URL → the project its rule is asked about.


def staff_project(request, pk, **kwargs):
    return project_for_staff(request.user, pk)
