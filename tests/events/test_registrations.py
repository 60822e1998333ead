"""Registrations: the last place under concurrency, the waiting list with offers that expire and pass on
exactly once, the links used twice or late, the cut-off, reminders and attendance."""

import threading
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from kiezwerk.core.models import AuditEvent
from kiezwerk.events.models import Occurrence, Registration
from kiezwerk.events.services import events as services
from kiezwerk.events.services import registrations

from ..factories import UserFactory
from .conftest import event_made, mails_to


def first_date(event):
    return event.occurrences.order_by("starts_at").first()


def test_an_account_gets_a_place_at_once_and_a_name_confirms_by_mail(event):
    date = first_date(event)
    user = UserFactory()
    assert registrations.register(occurrence=date, user=user).status == "registered"
    guest = registrations.register(occurrence=date, name="Ayşe Demir", email="ayse@example.org")
    assert guest.status == "unconfirmed"
    date.refresh_from_db()
    assert date.taken == 1
    registration, changed = registrations.confirm(registration=guest)
    assert changed and registration.status == "registered"
    assert registrations.confirm(registration=guest)[1] is False  # a second use changes nothing
    date.refresh_from_db()
    assert date.taken == 2
    with pytest.raises(ValidationError) as error:
        registrations.register(occurrence=date, name="Ayşe", email="AYSE@example.org")
    assert error.value.code == "twice"


def test_no_registration_without_a_capacity_or_for_a_begun_date(district, manager):
    open_event = event_made(district, manager, capacity=None)
    with pytest.raises(ValidationError) as error:
        registrations.register(occurrence=first_date(open_event), user=UserFactory())
    assert error.value.code == "closed"
    event = event_made(district, manager)
    Occurrence.objects.filter(event=event).update(starts_at=timezone.now() - timedelta(minutes=1))
    with pytest.raises(ValidationError) as error:
        registrations.register(occurrence=first_date(event), user=UserFactory())
    assert error.value.code == "begun"
    assert not Registration.objects.exists()


def test_freed_place_is_offered_expires_and_passes_on(district, manager):
    event = event_made(district, manager, capacity=1, offer_hours=24, starts_at=timezone.now() + timedelta(days=10))
    date = first_date(event)
    first, second, third = UserFactory(), UserFactory(), UserFactory()
    holder = registrations.register(occurrence=date, user=first)
    waiting = registrations.register(occurrence=date, user=second)
    last = registrations.register(occurrence=date, user=third)
    assert [holder.status, waiting.status, last.status] == ["registered", "waiting", "waiting"]
    registrations.cancel(registration=holder)
    waiting.refresh_from_db()
    assert waiting.status == "offered"
    assert any("frei geworden" in mail.subject for mail in mails_to(second.email))
    date.refresh_from_db()
    assert date.taken == 1  # held for the offer
    # A newcomer does not jump the queue.
    assert registrations.register(occurrence=date, user=UserFactory()).status == "waiting"
    with time_machine.travel(timezone.now() + timedelta(hours=25)):
        # Late: the link says so and changes nothing; the task passes the place on.
        with pytest.raises(ValidationError) as error:
            registrations.offer_answer(registration=waiting, accept=True)
        assert error.value.code == "expired"
        waiting.refresh_from_db()
        assert waiting.status == "offered"
        assert registrations.offers_expire() == 1
        assert registrations.offers_expire() == 0
        waiting.refresh_from_db()
        last.refresh_from_db()
        assert (waiting.status, waiting.ended, last.status) == ("cancelled", "expired", "offered")
        with pytest.raises(ValidationError) as error:
            registrations.offer_answer(registration=waiting, accept=True)
        assert error.value.code == "expired"
        accepted = registrations.offer_answer(registration=last, accept=True)
        assert accepted.status == "registered"
        with pytest.raises(ValidationError) as error:
            registrations.offer_answer(registration=last, accept=True)
        assert error.value.code == "accepted"
    date.refresh_from_db()
    assert date.taken == 1
    assert AuditEvent.objects.filter(verb="registration.offer_expired").count() == 1


def test_declining_an_offer_passes_the_place_on(district, manager):
    event = event_made(district, manager, capacity=1, starts_at=timezone.now() + timedelta(days=5))
    date = first_date(event)
    holder = registrations.register(occurrence=date, user=UserFactory())
    second = registrations.register(occurrence=date, user=UserFactory())
    third = registrations.register(occurrence=date, user=UserFactory())
    registrations.cancel(registration=holder)
    second.refresh_from_db()
    registrations.offer_answer(registration=second, accept=False)
    second.refresh_from_db()
    third.refresh_from_db()
    assert (second.status, second.ended, third.status) == ("cancelled", "declined", "offered")


def test_cancelling_by_link_stops_at_the_cut_off_but_the_organiser_can(district, manager):
    event = event_made(district, manager, cancel_hours=2, starts_at=timezone.now() + timedelta(hours=1, minutes=30))
    registration = registrations.register(occurrence=first_date(event), user=UserFactory())
    with pytest.raises(ValidationError) as error:
        registrations.cancel(registration=registration)
    assert "2 Stunden vor Beginn" in " ".join(error.value.messages)
    registration.refresh_from_db()
    assert registration.status == "registered"
    registrations.cancel(registration=registration, actor=manager)
    registration.refresh_from_db()
    assert registration.status == "cancelled"


def test_capacity_below_the_places_taken_is_refused_and_more_places_are_offered(district, manager):
    event = event_made(district, manager, capacity=2)
    date = first_date(event)
    people = [registrations.register(occurrence=date, user=UserFactory()) for _ in range(3)]
    assert [p.status for p in people] == ["registered", "registered", "waiting"]
    with pytest.raises(ValidationError) as error:
        services.event_change(event=event, actor=manager, capacity=1)
    assert "2" in " ".join(error.value.messages)
    event.refresh_from_db()
    assert event.capacity == 2
    services.event_change(event=event, actor=manager, capacity=3)
    people[2].refresh_from_db()
    assert people[2].status == "offered"


def test_reminders_the_day_before_once(district, manager):
    tomorrow = (timezone.localtime() + timedelta(days=1)).replace(hour=18, minute=0, second=0, microsecond=0)
    event = event_made(district, manager, starts_at=tomorrow)
    person = UserFactory()
    registrations.register(occurrence=first_date(event), user=person)
    assert registrations.reminders_send() == 1
    assert registrations.reminders_send() == 0
    assert sum("Morgen" in mail.subject for mail in mails_to(person.email)) == 1


def test_attendance_after_the_date(district, manager):
    event = event_made(district, manager, starts_at=timezone.now() + timedelta(days=1))
    date = first_date(event)
    came, missed = (registrations.register(occurrence=date, user=UserFactory()) for _ in range(2))
    with pytest.raises(ValidationError):
        registrations.attendance_mark(occurrence=date, actor=manager, attended={came.pk: True})
    Occurrence.objects.filter(pk=date.pk).update(starts_at=timezone.now() - timedelta(hours=1))
    date.refresh_from_db()
    with pytest.raises(ValidationError):
        registrations.attendance_mark(occurrence=date, actor=manager, attended={999: True})
    registrations.attendance_mark(occurrence=date, actor=manager, attended={came.pk: True, missed.pk: False})
    assert list(date.registrations.order_by("pk").values_list("attended", flat=True)) == [True, False]
    services.report_record(occurrence=date, actor=manager, attendance=14, first_timers=3, languages=["de", "ar"])
    date.refresh_from_db()
    assert (date.attendance, date.first_timers, date.languages_heard) == (14, 3, ["de", "ar"])
    with pytest.raises(ValidationError):
        services.report_record(occurrence=date, actor=manager, attendance=2, first_timers=3)


def _at_once(calls):
    start = threading.Barrier(len(calls))
    errors = []

    def run(call):
        try:
            start.wait()
            call()
        except Exception as error:
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


@pytest.mark.django_db(transaction=True)
def test_two_registrations_for_the_last_place_at_once(district, manager):
    event = event_made(district, manager, capacity=1)
    date = first_date(event)
    people = [UserFactory(), UserFactory()]
    assert _at_once([lambda user=user: registrations.register(occurrence=date, user=user) for user in people]) == []
    assert sorted(Registration.objects.values_list("status", flat=True)) == ["registered", "waiting"]
    date.refresh_from_db()
    assert date.taken == 1


@pytest.mark.django_db(transaction=True)
def test_two_runs_of_the_expiry_at_once_pass_an_offer_on_once(district, manager):
    event = event_made(district, manager, capacity=1, starts_at=timezone.now() + timedelta(days=10))
    date = first_date(event)
    people = [registrations.register(occurrence=date, user=UserFactory()) for _ in range(3)]
    registrations.cancel(registration=people[0])
    later = timezone.now() + timedelta(hours=30)
    assert _at_once([lambda: registrations.offers_expire(now=later)] * 2) == []
    statuses = dict(Registration.objects.values_list("pk", "status"))
    assert [statuses[p.pk] for p in people] == ["cancelled", "cancelled", "offered"]
    assert AuditEvent.objects.filter(verb="registration.offer_expired").count() == 1
    assert AuditEvent.objects.filter(verb="registration.offered").count() == 2
    date.refresh_from_db()
    assert date.taken == 1


def test_privacy_finds_exports_and_erases_a_registration(district, manager):
    from kiezwerk.core import privacy

    event = event_made(district, manager, capacity=1)
    date = first_date(event)
    guest = registrations.register(occurrence=date, name="Zeynep Kaya", email="zeynep@example.org")
    registrations.confirm(registration=guest)
    waiting = registrations.register(occurrence=date, user=UserFactory())
    subject = privacy.Subject(email="zeynep@example.org", phone="", districts=(district,))
    provider = next(p for p in privacy.providers() if p.key == "events")
    assert "Zeynep Kaya" in provider.find(subject)[0].text
    assert provider.export(subject)["event_registrations"][0]["email"] == "zeynep@example.org"
    assert provider.erase(subject, actor=manager) == {"registrations": 1}
    guest.refresh_from_db()
    waiting.refresh_from_db()
    assert (guest.name, guest.email, guest.status) == ("", "", "cancelled")
    assert waiting.status == "offered"  # the freed place went on
    assert provider.find(subject) == []


def test_retention_anonymises_registrations_months_after_the_date(district, manager):
    event = event_made(district, manager)
    person = registrations.register(occurrence=first_date(event), name="Ali", email="ali@example.org")
    registrations.confirm(registration=person)
    later = timezone.now() + timedelta(days=220)
    assert registrations.retention_apply(months=6, now=later)["anonymised"] == 1
    person.refresh_from_db()
    assert (person.name, person.email, person.status) == ("", "", "registered")
