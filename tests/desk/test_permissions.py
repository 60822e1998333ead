"""Nobody but the district's staff gets anything from the desk: every page and every action is walked."""

import pytest
from django.urls import URLPattern, get_resolver, reverse
from django.utils import timezone

from kiezwerk.concerns import services as concern_services
from kiezwerk.concerns.models import Concern, Photo
from kiezwerk.core.models import MailStatus, OutboxMail
from kiezwerk.desk.models import FieldNote, ReplyTemplate, SavedFilter, StreetContact

from ..factories import ConcernFactory


def desk_routes():
    """(name, parameters) of every URL of the desk app."""
    resolver = get_resolver()
    desk = next(p for p in resolver.url_patterns if getattr(p, "namespace", None) == "desk")
    return [(p.name, list(p.pattern.converters)) for p in desk.url_patterns if isinstance(p, URLPattern)]


@pytest.fixture
def desk_objects(district, category, manager):
    concern = ConcernFactory(district=district, category=category)
    photo = Photo.objects.create(
        concern=concern, upload_key="k" * 20, image="concerns/x.jpg", thumbnail="concerns/y.jpg"
    )
    note = FieldNote.objects.create(district=district, at=timezone.now(), met="Hausmeister", text="Licht kaputt")
    contact = StreetContact.objects.create(
        district=district, at=timezone.now(), topic=category, lat=concern.lat, lon=concern.lon
    )
    template = ReplyTemplate.objects.create(district=district, title="Danke", texts={"de": "Danke!"})
    saved = SavedFilter.objects.create(user=manager, district=district, name="Meine", query="status=new")
    mail = OutboxMail.objects.create(
        district=district, to=["a@example.org"], subject="Ihr Anliegen", body="…", status=MailStatus.FAILED, attempts=9
    )
    return {
        "slug": district.slug,
        "pk": concern.pk,
        "photo_id": photo.pk,
        "note_id": note.pk,
        "contact_id": contact.pk,
        "template_id": template.pk,
        "filter_id": saved.pk,
        "mail_id": mail.pk,
    }


def urls(objects):
    found = []
    for name, params in desk_routes():
        if name == "service-worker":
            continue  # a static script, public by design
        found.append(reverse(f"desk:{name}", kwargs={p: objects[p] for p in params}))
    return found


def test_the_walk_covers_the_desk(desk_objects):
    assert len(urls(desk_objects)) >= 25


def test_anonymous_visitors_are_sent_to_the_login(client, desk_objects):
    for url in urls(desk_objects):
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code == 302, url
            assert response.url.startswith(reverse("account_login")), url


@pytest.mark.parametrize("who", ["resident", "partner", "volunteer", "other_manager"])
def test_nobody_outside_the_staff_gets_anything(request, client, who, desk_objects):
    concern = Concern.objects.get(pk=desk_objects["pk"])
    before = (concern.status, concern.assignee_id, concern.category_id, concern.follow_up_on, concern.title)
    client.force_login(request.getfixturevalue(who))
    home = reverse("desk:home")  # the other district's manager has a desk of their own there
    for url in urls(desk_objects):
        if who == "other_manager" and url == home:
            continue
        for method in (client.get, client.post):
            response = method(url, {"text": "x", "assignee": "", "on": "2030-01-01", "reason": "x", "original": 1})
            assert response.status_code in (403, 404), (who, url, response.status_code)
    concern.refresh_from_db()
    assert (concern.status, concern.assignee_id, concern.category_id, concern.follow_up_on, concern.title) == before
    assert not concern.entries.exists()
    assert ReplyTemplate.objects.count() == 1 and SavedFilter.objects.count() == 1
    assert OutboxMail.objects.get().status == MailStatus.FAILED


def test_a_manager_of_another_district_cannot_reach_this_districts_concerns(client, other_manager, desk_objects):
    client.force_login(other_manager)
    response = client.get(reverse("desk:concern", args=[desk_objects["pk"]]))
    assert response.status_code == 404  # like a missing concern: nothing is revealed


def test_staff_open_every_page(client, manager, desk_objects):
    client.force_login(manager)
    pages = ["home", "inbox", "today", "round", "capture", "templates", "template-edit", "audit", "privacy", "concern"]
    for name in pages:
        params = next(p for n, p in desk_routes() if n == name)
        url = reverse(f"desk:{name}", kwargs={p: desk_objects[p] for p in params})
        response = client.get(url)
        assert response.status_code in (200, 302), (url, response.status_code)


def test_only_moderators_redact(client, manager, moderator, desk_objects):
    url = reverse("desk:concern-redact", args=[desk_objects["pk"]])
    data = {"redact-field": "title", "redact-text": "[entfernt]", "redact-reason": "Name genannt"}
    client.force_login(manager)
    assert client.post(url, data).status_code == 403
    assert Concern.objects.get(pk=desk_objects["pk"]).title != "[entfernt]"
    client.force_login(moderator)
    assert client.post(url, data).status_code == 302
    assert Concern.objects.get(pk=desk_objects["pk"]).title == "[entfernt]"


def test_the_original_of_a_redacted_photo_is_for_staff_only(
    client, manager, resident, moderator, district, category, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ..conftest import image_bytes

    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    lat, lon = district.centre
    concern, _token = concern_services.concern_report(
        district=district,
        category=category,
        title="Graffiti",
        description="mit Namen",
        lat=lat,
        lon=lon,
        photos=[SimpleUploadedFile("p.jpg", image_bytes(), "image/jpeg")],
    )
    photo = concern.photos.get()
    concern_services.photo_redact(photo=photo, actor=moderator, reason="Gesicht erkennbar")
    url = reverse("desk:photo-original", args=[concern.pk, photo.pk])
    client.force_login(resident)
    assert client.get(url).status_code == 404
    client.force_login(manager)
    response = client.get(url)
    assert response.status_code == 200
    assert {"private", "no-store"} <= {part.strip() for part in response["Cache-Control"].split(",")}
    assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"  # a JPEG
    assert not str(settings.PRIVATE_MEDIA_ROOT).startswith(str(settings.MEDIA_ROOT))


def test_the_service_worker_is_served_for_the_desk_scope(client, db):
    response = client.get(reverse("desk:service-worker"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/desk/"


def test_street_contact_of_another_district_is_not_converted(
    client, other_manager, manager, desk_objects, other_district
):
    client.force_login(manager)
    services_contact = StreetContact.objects.get(pk=desk_objects["contact_id"])
    url = reverse("desk:contact-to-concern", args=[other_district.slug, services_contact.pk])
    assert client.post(url).status_code == 403  # not staff there
    client.force_login(other_manager)
    assert client.post(url).status_code == 404  # staff there, but the contact is not theirs
    assert StreetContact.objects.get(pk=services_contact.pk).concern is None
