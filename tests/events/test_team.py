"""The team's and partners' screens: the form (a weekly series, bad input kept), review, a date's page."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from kiezwerk.accounts.services import membership_add
from kiezwerk.core.models import OutboxMail
from kiezwerk.events.models import Event, Occurrence
from kiezwerk.events.services import registrations

from ..factories import UserFactory, street_create
from .conftest import event_made


def form_data(day, **values):
    data = {
        "title": "Nachbarschaftscafé",
        "description": "Kaffee, Kuchen und Gespräche.",
        "language": "de",
        "organiser": "team",
        "day": day.isoformat(),
        "start_time": "15:00",
        "end_time": "17:00",
        "repeat": "weekly",
        "repeat_count": "8",
        "street": "Lindenstraße",
        "house_number": "5",
        "audience": "everyone",
        "languages": ["de", "tr"],
        "topics": ["neighbourhood"],
        "capacity": "12",
        "offer_hours": "24",
        "cancel_hours": "2",
    }
    return data | values


def test_the_team_creates_a_weekly_series_and_bad_input_changes_nothing(client, district, manager):
    street_create(district, "Lindenstraße", 1, 60)
    client.force_login(manager)
    url = reverse("events:new", args=[district.slug])
    day = timezone.localdate() + timedelta(days=3)
    # Bad input: no end of the series, end before start, a price below zero; the typed title is kept.
    for bad in (
        {"repeat_count": ""},
        {"start_time": "17:00", "end_time": "15:00"},
        {"price": "-1"},
        {"street": "Gibtsnichtweg"},
    ):
        response = client.post(url, form_data(day, **bad))
        assert response.status_code == 400, bad
        assert 'value="Nachbarschaftscafé"' in response.content.decode()
    assert not Event.objects.exists()
    response = client.post(url, form_data(day, price="2,50"))
    assert response.status_code == 302
    event = Event.objects.get()
    assert event.review == "approved" and event.occurrences.count() == 8
    assert str(event.price) == "2.50" and event.languages == ["de", "tr"] and event.address.startswith("Lindenstraße")
    assert "FREQ=WEEKLY" in event.rrule and "COUNT=8" in event.rrule
    page = client.get(reverse("events:team-detail", args=[event.pk])).content.decode()
    assert page.count(f"/desk/events/{event.pk}/dates/") == 8
    # The edit form reads the rule back.
    edit = client.get(reverse("events:edit", args=[event.pk])).content.decode()
    assert 'value="weekly" selected' in edit and 'value="8"' in edit


def test_a_partner_submits_the_team_declines_with_a_reason_then_approves(client, district, manager, organisation):
    street_create(district, "Lindenstraße", 1, 60)
    member = UserFactory()
    membership_add(user=member, target=organisation)
    client.force_login(member)
    day = timezone.localdate() + timedelta(days=5)
    url = reverse("events:partner-new", args=[district.slug])
    response = client.post(url, form_data(day, organiser=str(organisation.pk), title="Lesung", repeat=""))
    assert response.status_code == 302
    event = Event.objects.get()
    assert event.review == "pending" and event.organiser == organisation
    client.force_login(manager)
    review = reverse("events:review", args=[event.pk])
    client.post(review, {"decision": "decline", "review-reason": ""})
    event.refresh_from_db()
    assert event.review == "pending"  # declining needs a reason: nothing changed
    client.post(review, {"decision": "decline", "review-reason": "Bitte den Raum angeben."})
    event.refresh_from_db()
    assert event.review == "declined"
    assert any("Bitte den Raum angeben." in m.body for m in OutboxMail.objects.filter(to__icontains=member.email))
    # The partner corrects it: submitted again; the team approves.
    client.force_login(member)
    edit = reverse("events:partner-edit", args=[event.pk])
    assert (
        client.post(
            edit, form_data(day, organiser=str(organisation.pk), title="Lesung", repeat="", room="Saal 2")
        ).status_code
        == 302
    )
    event.refresh_from_db()
    assert event.review == "pending" and event.room == "Saal 2"
    client.force_login(manager)
    client.post(review, {"decision": "approve", "review-reason": ""})
    event.refresh_from_db()
    assert event.review == "approved"
    # A partner's new title on an approved event waits as a proposal; the public keeps the old one.
    client.force_login(member)
    client.post(
        edit, form_data(day, organiser=str(organisation.pk), title="Lesung mit Musik", repeat="", room="Saal 2")
    )
    event.refresh_from_db()
    assert event.title == "Lesung" and event.proposal == {"title": "Lesung mit Musik"}
    client.logout()
    assert "Lesung mit Musik" not in client.get(event.get_absolute_url()).content.decode()
    client.force_login(manager)
    client.post(review, {"decision": "approve", "review-reason": ""})
    event.refresh_from_db()
    assert event.title == "Lesung mit Musik" and event.proposal is None


def test_a_dates_page_moves_cancels_and_records(client, district, manager):
    event = event_made(district, manager, starts_at=timezone.now() + timedelta(days=4))
    date = event.occurrences.get()
    person = registrations.register(occurrence=date, user=UserFactory(display_name="Ayşe Demir"))
    client.force_login(manager)
    page = reverse("events:date", args=[event.pk, date.pk])
    assert "Ayşe Demir" in client.get(page).content.decode()
    # Bad input: end before start; nothing moves.
    move = reverse("events:date-move", args=[event.pk, date.pk])
    new_day = (timezone.localdate() + timedelta(days=6)).isoformat()
    response = client.post(move, {"move-day": new_day, "move-start_time": "18:00", "move-end_time": "16:00"})
    assert response.status_code == 400
    assert Occurrence.objects.get(pk=date.pk).starts_at == date.starts_at
    assert (
        client.post(move, {"move-day": new_day, "move-start_time": "16:00", "move-end_time": "18:00"}).status_code
        == 302
    )
    assert Occurrence.objects.get(pk=date.pk).is_moved
    cancel = reverse("events:date-cancel", args=[event.pk, date.pk])
    assert client.post(cancel, {"cancel-reason": ""}).status_code == 400
    assert client.post(cancel, {"cancel-reason": "Der Saal ist belegt."}).status_code == 302
    person.refresh_from_db()
    assert person.status == "cancelled"
    # After a date: attendance and what happened.
    past = event_made(district, manager, title="Gartentag")
    past_date = past.occurrences.get()
    came = registrations.register(occurrence=past_date, user=UserFactory())
    Occurrence.objects.filter(pk=past_date.pk).update(starts_at=timezone.now() - timedelta(hours=3))
    attendance = reverse("events:date-attendance", args=[past.pk, past_date.pk])
    assert client.post(attendance, {f"attendance-r{came.pk}": "yes"}).status_code == 302
    came.refresh_from_db()
    assert came.attended is True
    report = reverse("events:date-report", args=[past.pk, past_date.pk])
    bad = client.post(report, {"report-attendance": "3", "report-first_timers": "5"})
    assert bad.status_code == 400
    assert (
        client.post(
            report, {"report-attendance": "14", "report-first_timers": "3", "report-languages": ["de", "ar"]}
        ).status_code
        == 302
    )
    past_date.refresh_from_db()
    assert (past_date.attendance, past_date.first_timers, past_date.languages_heard) == (14, 3, ["de", "ar"])


def test_an_image_is_re_encoded_without_metadata_and_described(client, district, manager, tmp_path, settings):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    settings.MEDIA_ROOT = tmp_path
    street_create(district, "Lindenstraße", 1, 60)
    buffer = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "Kamera GmbH"  # Make: metadata that must not survive
    Image.new("RGB", (800, 600), "orange").save(buffer, "JPEG", exif=exif)
    upload = SimpleUploadedFile("flyer.jpg", buffer.getvalue(), content_type="image/jpeg")
    client.force_login(manager)
    day = timezone.localdate() + timedelta(days=3)
    data = form_data(day, repeat="", image=upload, image_alt="Ein oranges Plakat mit dem Datum")
    assert client.post(reverse("events:new", args=[district.slug]), data).status_code == 302
    event = Event.objects.get()
    assert event.image and event.image_alt == "Ein oranges Plakat mit dem Datum"
    with Image.open(event.image.path) as stored:
        assert stored.format == "JPEG" and not stored.getexif()
    page = client.get(event.get_absolute_url()).content.decode()
    assert 'alt="Ein oranges Plakat mit dem Datum"' in page
    bad = SimpleUploadedFile("flyer.jpg", b"not an image", content_type="image/jpeg")
    response = client.post(
        reverse("events:new", args=[district.slug]), form_data(day, repeat="", title="Zweites", image=bad)
    )
    assert response.status_code == 400 and Event.objects.count() == 1
