"""Writes for a project's tasks and materials; each change audited on the project."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kiezwerk.accounts.access import is_team_of
from kiezwerk.core.services import audit_record

from ..models import Material, SignUpStatus, Task


def _owner_check(project, *, owner_user, owner_signup, owner_contact):
    owners = [owner for owner in (owner_user, owner_signup, owner_contact) if owner is not None]
    if len(owners) > 1:
        raise ValidationError({"owner": _("A task has one owner: a team member, a volunteer or a partner's contact.")})
    if owner_user is not None and not is_team_of(owner_user, project.district):
        raise ValidationError({"owner": _("Only a member of the district's team can own a task.")})
    if owner_signup is not None and (
        owner_signup.shift.project_id != project.pk or owner_signup.status != SignUpStatus.REGISTERED
    ):
        raise ValidationError({"owner": _("Only a volunteer registered for this project can own a task.")})
    if owner_contact is not None and not project.partners.filter(organisation=owner_contact.organisation_id).exists():
        raise ValidationError({"owner": _("Only a contact person of a partner of this project can own a task.")})


@transaction.atomic
def task_save(*, project, actor, title, due_on=None, owner_user=None, owner_signup=None, owner_contact=None, task=None):
    title = title.strip()
    if not title:
        raise ValidationError({"title": _("Please name the task.")})
    _owner_check(project, owner_user=owner_user, owner_signup=owner_signup, owner_contact=owner_contact)
    created = task is None
    task = task or Task(project=project, position=project.tasks.count())
    task.title, task.due_on = title, due_on
    task.owner_user, task.owner_signup, task.owner_contact = owner_user, owner_signup, owner_contact
    task.save()
    audit_record(
        actor=actor,
        verb="task.created" if created else "task.changed",
        target=project,
        district=project.district,
        task=task.pk,
        title=title,
    )
    return task


@transaction.atomic
def task_done(*, task, actor, done=True):
    """Tick a task off (or open it again); a second tick changes nothing."""
    if bool(task.done_at) == done:
        return False
    task.done_at, task.done_by = (timezone.now(), actor) if done else (None, None)
    task.save(update_fields=["done_at", "done_by"])
    audit_record(
        actor=actor,
        verb="task.done" if done else "task.reopened",
        target=task.project,
        district=task.project.district,
        task=task.pk,
        title=task.title,
    )
    return True


@transaction.atomic
def task_delete(*, task, actor):
    audit_record(
        actor=actor, verb="task.deleted", target=task.project, district=task.project.district, title=task.title
    )
    task.delete()


@transaction.atomic
def material_save(
    *,
    project,
    actor,
    name,
    needed,
    pledged=0,
    received=0,
    pledged_by_organisation=None,
    pledged_by_signup=None,
    material=None,
):
    name = name.strip()
    errors = {}
    if not name:
        errors["name"] = _("Please name the material.")
    if needed is None or needed < 1:
        errors["needed"] = _("At least 1 is needed.")
    if pledged_by_organisation is not None and pledged_by_signup is not None:
        errors["pledged_by"] = _("A pledge comes from an organisation or a volunteer, not both.")
    if (
        pledged_by_organisation is not None
        and not project.partners.filter(organisation=pledged_by_organisation).exists()
    ):
        errors["pledged_by"] = _("Only a partner of this project can pledge material.")
    if pledged_by_signup is not None and pledged_by_signup.shift.project_id != project.pk:
        errors["pledged_by"] = _("Only a volunteer of this project can pledge material.")
    if errors:
        raise ValidationError(errors)
    created = material is None
    material = material or Material(project=project, position=project.materials.count())
    material.name, material.needed, material.pledged, material.received = name, needed, pledged, received
    material.pledged_by_organisation, material.pledged_by_signup = pledged_by_organisation, pledged_by_signup
    material.save()
    audit_record(
        actor=actor,
        verb="material.created" if created else "material.changed",
        target=project,
        district=project.district,
        material=material.pk,
        name=name,
        needed=needed,
        pledged=pledged,
        received=received,
    )
    return material


@transaction.atomic
def material_delete(*, material, actor):
    audit_record(
        actor=actor,
        verb="material.deleted",
        target=material.project,
        district=material.project.district,
        name=material.name,
    )
    material.delete()
