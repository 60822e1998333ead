"""A project's state machine, for every pair of statuses, and what each change records."""

import itertools

import pytest
from django.core.exceptions import ValidationError

from kiezwerk.core.models import AuditEvent, Entry
from kiezwerk.projects.models import ProjectStatus
from kiezwerk.projects.services.projects import TRANSITIONS, project_status_change

from .conftest import project_made

ALLOWED = {
    ("idea", "planning"),
    ("idea", "running"),
    ("idea", "cancelled"),
    ("planning", "idea"),
    ("planning", "running"),
    ("planning", "cancelled"),
    ("running", "planning"),
    ("running", "done"),
    ("running", "cancelled"),
    ("done", "running"),
    ("cancelled", "planning"),
}


def test_the_table_is_the_one_documented():
    assert {(old, new) for old, news in TRANSITIONS.items() for new in news} == ALLOWED


@pytest.mark.parametrize("old,new", list(itertools.product(ProjectStatus.values, repeat=2)))
def test_every_pair_of_statuses(district, manager, old, new):
    project = project_made(district, manager, status=old)
    entries, audits = Entry.objects.count(), AuditEvent.objects.count()
    if (old, new) in ALLOWED:
        entry = project_status_change(project=project, actor=manager, new_status=new, reason="Gründe stehen hier.")
        project.refresh_from_db()
        assert project.status == new
        assert (entry.old_status, entry.new_status) == (old, new)
        assert AuditEvent.objects.filter(verb="project.status_changed").order_by("pk").last().data["after"] == new
        assert bool(project.ended_at) == (new in ("done", "cancelled"))
    else:
        with pytest.raises(ValidationError) as error:
            project_status_change(project=project, actor=manager, new_status=new, reason="Gründe stehen hier.")
        assert error.value.code == "transition"
        project.refresh_from_db()
        assert project.status == old
        assert (Entry.objects.count(), AuditEvent.objects.count()) == (entries, audits)


@pytest.mark.parametrize("new", ["done", "cancelled"])
def test_ending_needs_a_public_reason(district, manager, new):
    project = project_made(district, manager, status="running")
    with pytest.raises(ValidationError) as error:
        project_status_change(project=project, actor=manager, new_status=new, reason="  ")
    assert error.value.code == "reason"
    project.refresh_from_db()
    assert project.status == "running"


def test_an_unknown_status_is_refused_not_an_error(district, manager):
    project = project_made(district, manager, status="running")
    with pytest.raises(ValidationError):
        project_status_change(project=project, actor=manager, new_status="exploded", reason="x")
