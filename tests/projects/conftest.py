from datetime import timedelta

import pytest
from django.utils import timezone

from kiezwerk.projects.models import ProjectStatus, ProjectTemplate
from kiezwerk.projects.services import projects as services
from kiezwerk.projects.services import volunteers


def project_made(district, manager, *, status=ProjectStatus.RUNNING, template=None, **fields):
    """A project created through the service and moved to `status` along the state machine."""
    lat, lon = district.centre
    fields = {"title": "Frühjahrsputz Lindenplatz", "goal": "Ein sauberer Platz", "lat": lat, "lon": lon} | fields
    project = services.project_create(district=district, actor=manager, template=template, **fields)
    path = {
        ProjectStatus.IDEA: [],
        ProjectStatus.PLANNING: [ProjectStatus.PLANNING],
        ProjectStatus.RUNNING: [ProjectStatus.RUNNING],
        ProjectStatus.DONE: [ProjectStatus.RUNNING, ProjectStatus.DONE],
        ProjectStatus.CANCELLED: [ProjectStatus.CANCELLED],
    }[status]
    for step in path:
        services.project_status_change(project=project, actor=manager, new_status=step, reason="Weil es so ist.")
    project.refresh_from_db()
    return project


def shift_made(project, manager, *, capacity=2, days=3):
    start = timezone.now().replace(microsecond=0) + timedelta(days=days)
    return volunteers.shift_save(
        project=project,
        actor=manager,
        starts_at=start,
        ends_at=start + timedelta(hours=3),
        place="Am Brunnen",
        capacity=capacity,
        bring="Feste Schuhe",
    )


@pytest.fixture
def litter_template(district):
    return ProjectTemplate.objects.get(district=district, kind="litter")


@pytest.fixture
def project(district, manager):
    return project_made(district, manager)


@pytest.fixture
def shift(project, manager):
    return shift_made(project, manager)
