"""Volunteers' personal data in the privacy registry: found, exported and erased with the other apps'."""

from django.core.management import call_command

from kiezwerk.core import privacy
from kiezwerk.projects.models import SignUp
from kiezwerk.projects.services import volunteers

from .conftest import shift_made


def test_a_volunteer_is_found_exported_and_erased(district, manager, project):
    shift = shift_made(project, manager, capacity=1)
    person = volunteers.signup_create(shift=shift, name="Ewa Nowak", email="ewa@example.org", phone="0176 111")
    volunteers.signup_confirm(signup=person)
    waiting = volunteers.signup_create(shift=shift, name="Next", email="next@example.org")
    volunteers.signup_confirm(signup=waiting)
    subject = privacy.subject_for(email="EWA@example.org", phone="", districts=[district])
    provider = next(p for p in privacy.providers() if p.key == "projects")
    (record,) = provider.find(subject)
    assert record.text.startswith("Ewa Nowak, ")
    exported = privacy.export(email="ewa@example.org", districts=[district], actor=manager)
    assert exported["volunteer_signups"][0]["email"] == "ewa@example.org"
    # By phone number too, in another spelling.
    by_phone = privacy.subject_for(email="", phone="+49 176 111", districts=[district])
    assert len(provider.find(by_phone)) == 1
    counts = privacy.erase(email="ewa@example.org", districts=[district], actor=manager)
    assert counts["signups"] == 1
    person.refresh_from_db()
    assert (person.name, person.email, person.phone, person.status) == ("", "", "", "cancelled")
    assert SignUp.objects.get(pk=waiting.pk).status == "registered"  # the place went to the next person
    assert provider.find(subject) == []


def test_the_reminder_command_runs_once_per_shift(project, manager, capsys):
    shift = shift_made(project, manager, days=1)
    volunteers.signup_confirm(signup=volunteers.signup_create(shift=shift, name="A", email="a@example.org"))
    call_command("shift_reminders")
    call_command("shift_reminders")
    assert capsys.readouterr().out.splitlines() == ["1 reminder(s) sent.", "0 reminder(s) sent."]
