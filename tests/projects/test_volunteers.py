"""Volunteers: places, the waiting list, confirmation and cancel links, reminders, attendance, privacy."""

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from kiezwerk.core.models import OutboxMail
from kiezwerk.projects.models import Shift, SignUp, SignUpStatus
from kiezwerk.projects.services import volunteers

from ..factories import UserFactory
from .conftest import project_made, shift_made


def anonymous(shift, name="Ayşe Demir", email="ayse@example.org", confirm=True):
    signup = volunteers.signup_create(shift=shift, name=name, email=email, language="de")
    if confirm:
        signup, _changed = volunteers.signup_confirm(signup=signup)
    return signup


def mails_to(address):
    return [mail for mail in OutboxMail.objects.order_by("pk") if address in mail.to]


def test_an_account_gets_its_place_at_once(shift):
    user = UserFactory()
    signup = volunteers.signup_create(shift=shift, user=user)
    assert signup.status == SignUpStatus.REGISTERED
    shift.refresh_from_db()
    assert shift.taken == 1
    assert [mail.subject for mail in mails_to(user.email)] == ["Sie haben einen Platz: „Frühjahrsputz Lindenplatz“"]


def test_an_accounts_sign_up_shows_its_name_or_address(shift):
    named, unnamed = UserFactory(display_name="Jonas Berger"), UserFactory(display_name="")
    assert volunteers.signup_create(shift=shift, user=named).display_name == "Jonas Berger"
    assert volunteers.signup_create(shift=shift, user=unnamed).display_name == unnamed.email


def test_name_and_email_hold_no_place_until_confirmed(shift):
    signup = volunteers.signup_create(shift=shift, name="Ayşe", email="ayse@example.org", language="tr")
    assert signup.status == SignUpStatus.UNCONFIRMED
    shift.refresh_from_db()
    assert shift.taken == 0
    mail = mails_to("ayse@example.org")[0]
    assert f"/projects/signups/{signup.token}/confirm/" in mail.body
    assert f"/projects/signups/{signup.token}/cancel/" in mail.body
    signup, changed = volunteers.signup_confirm(signup=signup)
    assert changed and signup.status == SignUpStatus.REGISTERED
    again, changed = volunteers.signup_confirm(signup=signup)
    assert not changed and again.status == SignUpStatus.REGISTERED
    shift.refresh_from_db()
    assert shift.taken == 1


def test_full_shift_puts_people_on_the_waiting_list_and_cancelling_moves_the_next_up_once(shift):
    first = anonymous(shift, "Erste", "erste@example.org")
    second = anonymous(shift, "Zweite", "zweite@example.org")
    third = anonymous(shift, "Dritte", "dritte@example.org")
    fourth = anonymous(shift, "Vierte", "vierte@example.org")
    assert [s.status for s in (first, second, third, fourth)] == ["registered", "registered", "waiting", "waiting"]
    volunteers.signup_cancel(signup=first)
    statuses = dict(SignUp.objects.values_list("name", "status"))
    assert statuses == {"Erste": "cancelled", "Zweite": "registered", "Dritte": "registered", "Vierte": "waiting"}
    assert any("frei geworden" in mail.subject for mail in mails_to("dritte@example.org"))
    assert not any("frei geworden" in mail.subject for mail in mails_to("vierte@example.org"))
    # A second use of the link changes nothing and moves nobody.
    _signup, changed = volunteers.signup_cancel(signup=first)
    assert not changed
    assert SignUp.objects.get(name="Vierte").status == "waiting"
    shift.refresh_from_db()
    assert shift.taken == 2


def test_the_same_person_cannot_sign_up_twice(shift):
    anonymous(shift)
    with pytest.raises(ValidationError) as error:
        volunteers.signup_create(shift=shift, name="Ayşe", email="AYSE@example.org")
    assert error.value.code == "twice"
    assert SignUp.objects.count() == 1


def test_no_sign_up_for_a_shift_that_has_begun_or_a_project_not_open(district, manager, project):
    begun = shift_made(project, manager, days=3)
    Shift.objects.filter(pk=begun.pk).update(starts_at=timezone.now() - timedelta(minutes=5))
    begun.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        volunteers.signup_create(shift=begun, name="A", email="a@example.org")
    assert error.value.code == "begun"
    idea = project_made(district, manager, status="idea")
    idea_shift = shift_made(idea, manager)
    with pytest.raises(ValidationError) as error:
        volunteers.signup_create(shift=idea_shift, name="A", email="a@example.org")
    assert error.value.code == "closed"
    assert SignUp.objects.count() == 0


@pytest.mark.parametrize(
    "change,field",
    [({"capacity": 0}, "capacity"), ({"capacity": -3}, "capacity"), ({"hours": -1}, "ends_at")],
)
def test_bad_shifts_are_refused(project, manager, change, field):
    start = timezone.now() + timedelta(days=2)
    values = {"starts_at": start, "ends_at": start + timedelta(hours=2), "place": "Hof", "capacity": 5}
    if "hours" in change:
        values["ends_at"] = start + timedelta(hours=change["hours"])
    else:
        values.update(change)
    with pytest.raises(ValidationError) as error:
        volunteers.shift_save(project=project, actor=manager, **values)
    assert field in error.value.error_dict
    assert Shift.objects.count() == 0


def test_fewer_places_than_people_registered_is_refused_and_more_places_move_people_up(shift, manager):
    for n in range(3):
        anonymous(shift, f"P{n}", f"p{n}@example.org")
    values = {"starts_at": shift.starts_at, "ends_at": shift.ends_at, "place": shift.place, "bring": shift.bring}
    with pytest.raises(ValidationError):
        volunteers.shift_save(project=shift.project, actor=manager, shift=shift, capacity=1, **values)
    volunteers.shift_save(project=shift.project, actor=manager, shift=shift, capacity=3, **values)
    assert SignUp.objects.get(name="P2").status == "registered"


def test_a_moved_shift_is_mailed_to_everyone_on_it(shift, manager):
    anonymous(shift, "P", "p@example.org")
    before = len(mails_to("p@example.org"))
    volunteers.shift_save(
        project=shift.project,
        actor=manager,
        shift=shift,
        starts_at=shift.starts_at + timedelta(hours=1),
        ends_at=shift.ends_at + timedelta(hours=1),
        place=shift.place,
        capacity=shift.capacity,
    )
    assert len(mails_to("p@example.org")) == before + 1


def test_reminders_go_out_once_the_day_before(project, manager):
    tomorrow = shift_made(project, manager, days=1, capacity=5)
    later = shift_made(project, manager, days=5, capacity=5)
    anonymous(tomorrow, "Morgen", "morgen@example.org")
    anonymous(later, "Später", "spaeter@example.org")
    assert volunteers.shift_reminders_send() == 1
    assert volunteers.shift_reminders_send() == 0
    assert sum("Morgen:" in mail.subject for mail in mails_to("morgen@example.org")) == 1
    assert not any("Morgen:" in mail.subject for mail in mails_to("spaeter@example.org"))


def test_attendance_and_hours(shift, manager):
    person = anonymous(shift, "P", "p@example.org")
    volunteers.attendance_record(shift=shift, actor=manager, rows={person.pk: (True, 2.5)})
    person.refresh_from_db()
    assert person.attended is True and float(person.hours) == 2.5
    with pytest.raises(ValidationError):
        volunteers.attendance_record(shift=shift, actor=manager, rows={person.pk: (True, 30)})
    with pytest.raises(ValidationError):
        volunteers.attendance_record(shift=shift, actor=manager, rows={person.pk + 99: (True, 1)})


def test_writing_to_all_volunteers_reaches_each_address_once(project, manager):
    one, two = shift_made(project, manager, days=2), shift_made(project, manager, days=3)
    anonymous(one, "P", "p@example.org")
    anonymous(two, "P", "p@example.org")
    anonymous(two, "Q", "q@example.org")
    assert volunteers.volunteers_message(project=project, actor=manager, subject="Treffpunkt", text="Am Tor.") == 2
    assert sum("Treffpunkt" in m.subject for m in mails_to("p@example.org")) == 1


def test_volunteers_are_anonymised_months_after_the_project_ended(district, manager, settings):
    project = project_made(district, manager)
    shift = shift_made(project, manager)
    person = anonymous(shift, "P", "p@example.org")
    volunteers.attendance_record(shift=shift, actor=manager, rows={person.pk: (True, 3)})
    from kiezwerk.projects.services.projects import project_status_change

    project_status_change(project=project, actor=manager, new_status="done", reason="Geschafft.")
    assert volunteers.retention_apply(months=6)["anonymised"] == 0
    later = timezone.now() + timedelta(days=200)
    assert volunteers.retention_apply(months=6, now=later)["anonymised"] == 1
    person.refresh_from_db()
    assert (person.name, person.email, person.phone, person.user_id) == ("", "", "", None)
    assert person.attended is True and float(person.hours) == 3


@pytest.mark.django_db(transaction=True)
def test_two_sign_ups_for_the_last_place_at_the_same_moment(district, manager):
    project = project_made(district, manager)
    shift = shift_made(project, manager, capacity=1)
    people = [UserFactory(), UserFactory()]
    start = threading.Barrier(2)
    errors = []

    def sign_up(user):
        try:
            start.wait()
            volunteers.signup_create(shift=shift, user=user)
        except Exception as error:
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=sign_up, args=(user,)) for user in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(SignUp.objects.values_list("status", flat=True)) == ["registered", "waiting"]
    shift.refresh_from_db()
    assert shift.taken == 1
    # Two cancellations of the one place at the same moment: the waiting person moves up exactly once.
    registered = SignUp.objects.get(status="registered")

    def cancel():
        try:
            start.wait()
            volunteers.signup_cancel(signup=registered)
        except Exception as error:
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=cancel) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(SignUp.objects.values_list("status", flat=True)) == ["cancelled", "registered"]
    shift.refresh_from_db()
    assert shift.taken == 1
    moved = SignUp.objects.get(status="registered")
    assert sum("frei geworden" in mail.subject for mail in mails_to(moved.user.email)) == 1
