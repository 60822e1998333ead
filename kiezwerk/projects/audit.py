"""The audit verbs of projects, each with the sentence staff read and its details; how a project is named."""

from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from kiezwerk.core.audit import Name, Verb, changed, label, names, register

from .models import Project, ProjectStatus, ProjectTemplate, SignUpStatus
from .rules import can_work_project


def _fields(event, lookup):
    fields = []
    for name in event.data.get("fields", []):
        try:
            fields.append(str(Project._meta.get_field(name).verbose_name))
        except LookupError:
            continue
    return gettext("Project changed: %(fields)s") % {"fields": ", ".join(fields)} if fields else None


def _status(event, lookup):
    return changed(gettext("Status changed"), event.data, lambda value: label(ProjectStatus, value))


def _concerns(what):
    def details(event, lookup):
        numbers = event.data.get("concerns")
        if not numbers:
            return None
        return "{}: {}".format(what, ", ".join(f"#{n}" for n in numbers))

    return details


def _signup(event, lookup):
    status = event.data.get("status")
    return gettext("Volunteer signed up: %(status)s") % {"status": label(SignUpStatus, status)} if status else None


def _mailed(event, lookup):
    count = event.data.get("count")
    if count is None:
        return None
    return ngettext("Mail to %(count)s volunteer", "Mail to %(count)s volunteers", count) % {"count": count}


register(
    {
        "project.created": _("Project started"),
        "project.changed": Verb(_("Project changed"), details=_fields),
        "project.status_changed": Verb(_("Project status changed"), details=_status),
        "project.updated": _("Public update on the project"),
        "project.noted": _("Internal note on the project"),
        "project.partner_added": _("Partner added to the project"),
        "project.partner_removed": _("Partner removed from the project"),
        "project.concerns_linked": Verb(_("Concerns linked to the project"), details=_concerns(_("Linked"))),
        "project.concerns_resolved": Verb(
            _("Linked concerns resolved with the project"), details=_concerns(_("Resolved"))
        ),
        "project.outcome_recorded": _("Outcome of the project recorded"),
        "project.photos_added": _("Photos of the result added"),
        "project.volunteers_mailed": Verb(_("Mail to the project's volunteers"), details=_mailed),
        "project_template.created": _("Project template created"),
        "project_template.changed": _("Project template changed"),
        "project_template.deleted": _("Project template deleted"),
        "task.created": _("Task added"),
        "task.changed": _("Task changed"),
        "task.done": _("Task done"),
        "task.reopened": _("Task reopened"),
        "task.deleted": _("Task deleted"),
        "material.created": _("Material added"),
        "material.changed": _("Material changed"),
        "material.deleted": _("Material deleted"),
        "shift.created": _("Shift added"),
        "shift.changed": _("Shift changed"),
        "shift.deleted": _("Shift deleted"),
        "shift.attendance": _("Attendance recorded"),
        # A volunteer without an account acts through the mailed link: the sentence says who.
        "signup.created": Verb(_("Volunteer signed up"), details=_signup, nobody=None),
        "signup.confirmed": Verb(_("Volunteer confirmed the sign-up"), details=_signup, nobody=None),
        "signup.cancelled": Verb(_("Volunteer sign-up cancelled"), nobody=None),
    }
)


def project_names(ids, viewer):
    """ "Projekt #3 „Frühjahrsputz“", linked to the team's page for the district's staff."""
    return {
        str(p.pk): Name(
            gettext("Project #%(number)s") % {"number": p.pk},
            reverse("projects:team-detail", args=[p.pk]) if viewer is not None and can_work_project(viewer, p) else "",
            title=p.title,
            lang=p.language,
        )
        for p in Project.objects.filter(pk__in=ids).select_related("district")
    }


def template_names(ids, viewer):
    return {
        str(t.pk): Name(gettext("Project template “%(name)s”") % {"name": t.name})
        for t in ProjectTemplate.objects.filter(pk__in=ids)
    }


names("projects.project", project_names)
names("projects.projecttemplate", template_names)
