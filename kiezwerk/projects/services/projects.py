"""Writes for projects: create (from a template, from concerns), edit, status, updates, partners, outcome.

Every change is audited in its transaction; public changes are entries on the project's timeline
(core.activity) and mail its followers; a change residents can see bumps the district's data version.
"""

import json
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from shapely import geometry as shapely_geometry

from kiezwerk.accounts.access import is_team_of
from kiezwerk.concerns import services as concern_services
from kiezwerk.concerns.models import OPEN_STATUSES, ConcernStatus
from kiezwerk.core import activity
from kiezwerk.core import selectors as core_selectors
from kiezwerk.core.intake import photos as intake_photos
from kiezwerk.core.intake import places
from kiezwerk.core.services import audit_record, district_touch
from kiezwerk.network.models import Organisation

from ..models import (
    ENDED_STATUSES,
    EntryKind,
    Project,
    ProjectPartner,
    ProjectPhoto,
    ProjectStatus,
    Visibility,
)
from .templates import template_apply

S = ProjectStatus
# The state machine: which status may follow which (kept in step with docs/architecture.md).
TRANSITIONS = {
    S.IDEA: {S.PLANNING, S.RUNNING, S.CANCELLED},
    S.PLANNING: {S.IDEA, S.RUNNING, S.CANCELLED},
    S.RUNNING: {S.PLANNING, S.DONE, S.CANCELLED},
    S.DONE: {S.RUNNING},
    S.CANCELLED: {S.PLANNING},
}


def reason_required(old_status, new_status):
    """Residents need a public reason when an action ends (done, cancelled) or is taken up again."""
    return new_status in ENDED_STATUSES or old_status in ENDED_STATUSES


# The fields the project form edits, and what they are called in the audit trail.
EDITABLE = [
    "title",
    "goal",
    "description",
    "language",
    "kind",
    "category",
    "lat",
    "lon",
    "address",
    "area",
    "starts_on",
    "ends_on",
    "responsible",
    "visibility",
]


def place_check(district, *, lat=None, lon=None, area=None, street="", house_number=""):
    """(lat, lon, address, area) of a project's place: a point, an area drawn on the map, or a typed address.

    An area's point is its centre. Raises ValidationError keyed by field for a place outside the district.
    """
    if area:
        try:
            shape = shapely_geometry.shape(area if isinstance(area, dict) else json.loads(area))
        except (ValueError, TypeError, KeyError, IndexError, AttributeError) as error:
            raise ValidationError({"area": _("The drawn area cannot be read.")}, code="area") from error
        if shape.geom_type != "Polygon" or not shape.is_valid or shape.is_empty:
            raise ValidationError({"area": _("Please draw the area as one polygon that does not cross itself.")})
        if not core_selectors.district_shape(district).contains(shape):
            raise ValidationError(
                {"area": _("The area reaches beyond %(district)s.") % {"district": district.name}}, code="outside"
            )
        centre = shape.representative_point()
        lat, lon, area = centre.y, centre.x, shapely_geometry.mapping(shape)
        area = json.loads(json.dumps(area))  # tuples → lists, as stored
    elif street:
        lat, lon = places.point_for_address(district, street, house_number)
    if lat is None or lon is None:
        return None, None, "", None
    if not core_selectors.district_contains(district, lat=lat, lon=lon):
        raise ValidationError(
            {"lat": _("The place lies outside %(district)s.") % {"district": district.name}}, code="outside"
        )
    address = places.address_for_point(district, lat, lon)
    return lat, lon, (str(address) if address else ""), area or None


def _check_team(district, responsible):
    if responsible is not None and not is_team_of(responsible, district):
        raise ValidationError({"responsible": _("Only a member of the district's team can be responsible.")})


def _check_dates(starts_on, ends_on):
    if starts_on and ends_on and ends_on < starts_on:
        raise ValidationError({"ends_on": _("The last day cannot lie before the first.")}, code="dates")


@transaction.atomic
def project_create(*, district, actor, title, goal, template=None, concerns=(), **fields):
    """A new project (an idea until the team plans it); from a template it gets its tasks, materials and figures.

    `concerns` are linked and each gets an internal note; a concern of another district is refused.
    """
    concerns = list(concerns)
    foreign = [c.pk for c in concerns if c.district_id != district.pk]
    if foreign:
        raise ValidationError(
            _("Concern no. %(numbers)s belongs to another district.") % {"numbers": ", ".join(map(str, foreign))},
            code="district",
        )
    if template is not None and template.district_id != district.pk:
        raise ValidationError(_("This template belongs to another district."), code="district")
    _check_team(district, fields.get("responsible"))
    _check_dates(fields.get("starts_on"), fields.get("ends_on"))
    if template is not None:
        fields.setdefault("kind", template.kind)
    project = Project.objects.create(
        district=district, title=title.strip(), goal=goal.strip(), template=template, created_by=actor, **fields
    )
    if template is not None:
        template_apply(project=project, template=template)
    project.concerns.set(concerns)
    activity.record(
        target=project,
        kind=EntryKind.CREATED,
        actor=actor,
        is_public=True,
        district=district,
        verb="project.created",
        audit={"concerns": [c.pk for c in concerns], "template": template.pk if template else None},
        notify=False,
    )
    for concern in concerns:
        concern_services.concern_reply(
            concern=concern,
            actor=actor,
            is_public=False,
            text=_("Taken up in the action “%(title)s” (project no. %(number)s).")
            % {"title": project.title, "number": project.pk},
        )
    if project.is_public:
        district_touch(district=district)
    return project


def _locked(project):
    return Project.objects.select_for_update().select_related("district").get(pk=project.pk)


@transaction.atomic
def project_edit(*, project, actor, **fields):
    """Change what the form edits; audited with the names of the changed fields. Returns them."""
    project = _locked(project)
    _check_team(project.district, fields.get("responsible", project.responsible))
    _check_dates(fields.get("starts_on", project.starts_on), fields.get("ends_on", project.ends_on))
    was_public = project.is_public
    changed = [name for name in EDITABLE if name in fields and getattr(project, name) != fields[name]]
    if not changed:
        return []
    for name in changed:
        setattr(project, name, fields[name])
    project.save()
    audit_record(actor=actor, verb="project.changed", target=project, district=project.district, fields=changed)
    if was_public or project.is_public:
        district_touch(district=project.district)
    return changed


def transition_check(project, new_status):
    if new_status not in TRANSITIONS.get(project.status, ()):
        raise ValidationError(
            _("A project cannot go from “%(old)s” to “%(new)s”."),
            code="transition",
            params={
                "old": project.get_status_display(),
                "new": S(new_status).label if new_status in S.values else new_status,
            },
        )


@transaction.atomic
def project_status_change(*, project, actor, new_status, reason=""):
    """Move the project along the state machine; a public entry (the reason) tells residents and followers."""
    project = _locked(project)
    transition_check(project, new_status)
    reason = reason.strip()
    if not reason and reason_required(project.status, new_status):
        raise ValidationError(
            _("Please give the residents a reason for “%(new)s”."), code="reason", params={"new": S(new_status).label}
        )
    old_status, was_public = project.status, project.is_public
    project.status = new_status
    project.status_reason = reason
    project.ended_at = timezone.now() if new_status in ENDED_STATUSES else None
    project.save(update_fields=["status", "status_reason", "ended_at", "updated_at"])
    entry = activity.record(
        target=project,
        kind=EntryKind.STATUS,
        actor=actor,
        text=reason,
        is_public=project.visibility == Visibility.PUBLIC,
        language=project.language if reason else "",
        district=project.district,
        old_status=old_status,
        new_status=new_status,
        verb="project.status_changed",
        audit={"before": old_status, "after": new_status, "update": activity.ENTRY_ID},
    )
    if was_public or project.is_public:
        district_touch(district=project.district)
    return entry


@transaction.atomic
def project_post(*, project, actor, text, is_public):
    """An update on the project's timeline: public (followers are mailed) or an internal note."""
    text = text.strip()
    if not text:
        raise ValidationError(_("Please write an update."), code="empty")
    if is_public and project.visibility != Visibility.PUBLIC:
        raise ValidationError(_("An internal project has no public updates; write an internal note."), code="internal")
    entry = activity.record(
        target=project,
        kind=EntryKind.UPDATE if is_public else EntryKind.NOTE,
        actor=actor,
        text=text,
        is_public=is_public,
        language=project.language,
        district=project.district,
        verb="project.updated" if is_public else "project.noted",
        audit={"update": activity.ENTRY_ID, "length": len(text)},
    )
    if is_public and project.is_public:
        district_touch(district=project.district)
    return entry


@transaction.atomic
def partner_add(*, project, actor, organisation, part):
    if not Organisation.objects.serving(project.district).filter(pk=organisation.pk).exists():
        raise ValidationError({"organisation": _("This organisation does not work in the district.")})
    if project.partners.filter(organisation=organisation).exists():
        raise ValidationError({"organisation": _("This organisation already takes part.")}, code="twice")
    partner = ProjectPartner.objects.create(project=project, organisation=organisation, part=part.strip())
    audit_record(
        actor=actor,
        verb="project.partner_added",
        target=project,
        district=project.district,
        organisation=organisation.pk,
        part=partner.part,
    )
    district_touch(district=project.district)
    return partner


@transaction.atomic
def partner_remove(*, partner, actor):
    project = partner.project
    audit_record(
        actor=actor,
        verb="project.partner_removed",
        target=project,
        district=project.district,
        organisation=partner.organisation_id,
    )
    partner.delete()
    district_touch(district=project.district)


@transaction.atomic
def concerns_link(*, project, actor, concerns):
    """Link more concerns of the district to the project (another district's are refused, nothing written)."""
    concerns = list(concerns)
    foreign = [c.pk for c in concerns if c.district_id != project.district_id]
    if foreign:
        raise ValidationError(
            _("Concern no. %(numbers)s belongs to another district.") % {"numbers": ", ".join(map(str, foreign))},
            code="district",
        )
    new = [c for c in concerns if not project.concerns.filter(pk=c.pk).exists()]
    project.concerns.add(*new)
    if new:
        audit_record(
            actor=actor,
            verb="project.concerns_linked",
            target=project,
            district=project.district,
            concerns=[c.pk for c in new],
        )
        district_touch(district=project.district)
    return new


def resolution_text(project):
    """The public reason each linked concern is resolved with: it names the action."""
    return _("Solved by the action “%(title)s”. %(result)s") % {
        "title": project.title,
        "result": project.result or project.status_reason,
    }


@transaction.atomic
def project_resolve_concerns(*, project, actor, text=""):
    """Resolve every still-open linked concern in one step, with one public reason naming the project.

    Only a done project resolves its concerns. Reporters and followers get the concern's usual mail.
    Returns the resolved concerns.
    """
    project = _locked(project)
    if project.status != S.DONE:
        raise ValidationError(_("Only a done project resolves its concerns."), code="not_done")
    text = (text or resolution_text(project)).strip()
    resolved = []
    for concern in project.concerns.filter(status__in=OPEN_STATUSES).order_by("pk"):
        concern_services.concern_reply(
            concern=concern, actor=actor, text=text, new_status=ConcernStatus.RESOLVED, language=project.language
        )
        resolved.append(concern)
    if not resolved:
        raise ValidationError(_("No linked concern is open any more."), code="none_open")
    audit_record(
        actor=actor,
        verb="project.concerns_resolved",
        target=project,
        district=project.district,
        concerns=[c.pk for c in resolved],
    )
    return resolved


@transaction.atomic
def project_outcome(*, project, actor, participants, hours, figures, result):
    """Record what came of a done project: participants, hours, the template's figures and a public result."""
    project = _locked(project)
    if project.status != S.DONE:
        raise ValidationError(_("The outcome is recorded once the project is done."), code="not_done")
    before = {"participants": project.participants, "hours": str(project.hours), "figures": project.figures}
    project.participants = participants
    project.hours = hours
    project.figures = {key: value for key, value in figures.items() if value is not None}
    project.result = result.strip()
    project.save(update_fields=["participants", "hours", "figures", "result", "updated_at"])
    audit_record(
        actor=actor,
        verb="project.outcome_recorded",
        target=project,
        district=project.district,
        before=before,
        after={"participants": participants, "hours": str(hours), "figures": project.figures},
    )
    if project.is_public:
        district_touch(district=project.district)
    return project


def photos_prepare(uploads):
    """Decode and re-encode each photo (no metadata) before anything is stored: [(photo, full, thumb)]."""
    prepared = []
    for upload in uploads:
        try:
            full, thumb, (width, height) = intake_photos.photo_process(upload)
        except ValidationError as error:
            raise ValidationError({"photos": intake_photos.named(upload, error)}) from error
        prepared.append((ProjectPhoto(upload_key=secrets.token_urlsafe(32), width=width, height=height), full, thumb))
    return prepared


@transaction.atomic
def photos_add(*, project, actor, prepared, caption=""):
    """Store prepared photos of the result with the project."""
    for photo, full, thumb in prepared:
        photo.project = project
        photo.caption = caption.strip()
        photo.image.save(f"{photo.upload_key}.jpg", full, save=False)
        photo.thumbnail.save(f"{photo.upload_key}_t.jpg", thumb, save=False)
        photo.save()
    audit_record(
        actor=actor, verb="project.photos_added", target=project, district=project.district, count=len(prepared)
    )
    if project.is_public:
        district_touch(district=project.district)
