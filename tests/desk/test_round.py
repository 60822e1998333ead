"""The street round: street contacts and conversation notes, each stored once per capture key."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from kiezwerk.concerns.models import Channel, Concern
from kiezwerk.core.models import AuditEvent
from kiezwerk.desk import selectors, services
from kiezwerk.desk.models import FieldNote, StreetContact

from ..factories import CategoryFactory, ConcernFactory
from .conftest import codes


def contact(district, manager, category, **kwargs):
    lat, lon = district.centre
    kwargs = {
        "topic": category,
        "lat": lat,
        "lon": lon,
        "place": "Spielplatz",
        "note": "Glasscherben im Sand",
        **kwargs,
    }
    return services.street_contact_record(district=district, author=manager, language="tr", **kwargs)


def test_street_contact_is_stored_once_per_capture_key(district, manager, category):
    first, created = contact(district, manager, category, capture_key="c-1", people=3)
    again, created_again = contact(district, manager, category, capture_key="c-1", people=3)
    assert (created, created_again) == (True, False) and again == first
    assert StreetContact.objects.count() == 1
    assert AuditEvent.objects.filter(verb="street_contact.recorded").count() == 1


@pytest.mark.parametrize("bad", ["outside", "topic"])
def test_bad_street_contact_stores_nothing(district, other_district, manager, category, bad):
    kwargs = {"topic": CategoryFactory(district=other_district)} if bad == "topic" else {"lat": 48.5, "lon": 10.87}
    with pytest.raises(ValidationError) as error:
        contact(district, manager, **{"category": category, **kwargs})
    assert codes(error.value) == {bad}
    assert not StreetContact.objects.exists()


def test_street_contact_becomes_a_street_concern(district, manager, category):
    street_contact, _created = contact(district, manager, category)
    concern = services.street_contact_to_concern(contact=street_contact, actor=manager)
    assert (concern.channel, concern.category, concern.language) == (Channel.STREET, category, "tr")
    assert (concern.lat, concern.lon, concern.address) == (street_contact.lat, street_contact.lon, "Spielplatz")
    assert concern.description == "Glasscherben im Sand"
    assert concern.reporter_email == concern.reporter_name == ""
    street_contact.refresh_from_db()
    assert street_contact.concern == concern


def test_street_contact_becomes_a_concern_only_once(district, manager, category):
    street_contact, _created = contact(district, manager, category)
    services.street_contact_to_concern(contact=street_contact, actor=manager)
    with pytest.raises(ValidationError) as error:
        services.street_contact_to_concern(contact=street_contact, actor=manager)
    assert codes(error.value) == {"converted"}
    assert Concern.objects.count() == 1


def test_street_contact_without_position_cannot_become_a_concern(district, manager, category):
    street_contact, _created = contact(district, manager, category, lat=None, lon=None)
    with pytest.raises(ValidationError) as error:
        services.street_contact_to_concern(contact=street_contact, actor=manager)
    assert codes(error.value) == {"no_place"}
    assert not Concern.objects.exists()
    street_contact.refresh_from_db()
    assert street_contact.concern is None


def note(district, manager, **kwargs):
    return services.field_note_record(
        district=district, author=manager, met="Frau Yilmaz, Elternbeirat", text="Spielplatz abends unsicher", **kwargs
    )


def test_field_note_is_stored_once_per_capture_key(district, manager):
    concern = ConcernFactory(district=district)
    first, created = note(district, manager, concern=concern, follow_up_on=date.today(), capture_key="n-1")
    again, created_again = note(district, manager, concern=concern, follow_up_on=date.today(), capture_key="n-1")
    assert (created, created_again) == (True, False) and again == first
    assert (first.concern, first.follow_up_on) == (concern, date.today())
    assert FieldNote.objects.count() == 1
    assert AuditEvent.objects.filter(verb="field_note.recorded").count() == 1


@pytest.mark.parametrize("bad", ["concern", "outside"])
def test_bad_field_note_stores_nothing(district, other_district, manager, bad):
    kwargs = {"concern": ConcernFactory(district=other_district)} if bad == "concern" else {"lat": 0.0, "lon": 0.0}
    with pytest.raises(ValidationError) as error:
        note(district, manager, **kwargs)
    assert codes(error.value) == {bad}
    assert not FieldNote.objects.exists()


def test_field_note_follow_up_moves_and_is_done(district, manager):
    today = date.today()
    field_note, _created = note(district, manager, follow_up_on=today)
    later = today + timedelta(days=3)
    services.field_note_follow_up(note=field_note, actor=manager, on=later)
    field_note.refresh_from_db()
    assert field_note.follow_up_on == later
    assert selectors.today_view(district=district, today=later)["notes"] == [field_note]

    services.field_note_follow_up(note=field_note, actor=manager, done=True)
    field_note.refresh_from_db()
    assert field_note.follow_up_done_at is not None
    assert selectors.today_view(district=district, today=later)["notes"] == []
