"""A project on the activity layer (core.activity): its entries' labels, its followers' mails; its links on
the public pages of the concerns it was made of. Imported at start-up (ProjectsConfig.ready)."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext

from kiezwerk.concerns.selectors import related_register
from kiezwerk.core import activity
from kiezwerk.network import subjects

from .models import EntryKind, Project, ProjectStatus


def update_mail(entry, follower):
    project = entry.target
    if not project.is_public:
        return None
    return "projects/email/update", {
        "project": project,
        "update": entry,
        "project_url": settings.SITE_URL + project.get_absolute_url(),
    }


def confirm_mail(follower):
    project = follower.target
    return "projects/email/follow_confirm", {
        "project": project,
        "project_url": settings.SITE_URL + project.get_absolute_url(),
    }


activity.register(Project, update=update_mail, confirm=confirm_mail, district=lambda project: project.district)
activity.labels(kinds=EntryKind, statuses=ProjectStatus)


@related_register
def concern_projects(concern):
    """The public projects a concern was taken up in, for its public and tracking pages."""
    projects = (
        Project.objects.public()
        .filter(concerns=concern)
        .select_related("district")
        .only("pk", "title", "district__slug", "visibility", "status")
    )
    return [(project.title, project.get_absolute_url()) for project in projects]


def _about(project):
    return subjects.About(
        label=gettext("Project #%(number)s") % {"number": project.pk},
        title=project.title,
        language=project.language,
        team_url=reverse("projects:team-detail", args=[project.pk]),
        lat=project.lat,
        lon=project.lon,
        address=project.address,
        partner_template="projects/_request_subject.html",
        obj=project,
    )


# A project asks partners for help through the network's referrals (its steps on the project's timeline).
subjects.register(Project, describe=_about, team=lambda project: [project.responsible])
