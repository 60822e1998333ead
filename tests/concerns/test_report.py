import io
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from PIL import Image

from kiezwerk.concerns import services
from kiezwerk.concerns.models import Concern, Moderation, Photo
from kiezwerk.core.models import AuditEvent, Entry

from ..conftest import decompression_bomb_png, image_bytes, jpeg_with_gps


def report_url(district):
    return reverse("concerns:report", args=[district.slug])


def centre(district):
    lat, lon = district.centre
    return f"{lat:.6f},{lon:.6f}"


def form_data(district, chosen, **overrides):
    data = {
        "location": centre(district),
        "category": str(chosen.pk),
        "title": "Sperrmüll vor Hausnummer 12",
        "description": "Seit einer Woche liegen Matratzen auf dem Gehweg.",
        "reporter_name": "",
        "reporter_email": "",
    }
    data.update(overrides)
    return data


# Services ---------------------------------------------------------------------


def test_report_creates_concern_timeline_and_audit(district, category):
    lat, lon = district.centre
    concern, token = services.concern_report(
        district=district, category=category, title=" Licht kaputt ", description="Laterne aus.", lat=lat, lon=lon
    )
    assert concern.title == "Licht kaputt"
    assert concern.status == "new" and concern.moderation == Moderation.NOT_REQUIRED
    assert services.concern_by_token(token) == concern
    assert concern.tracking_token_hash != token  # only the hash is stored
    assert list(concern.entries.values_list("kind", flat=True)) == ["created"]
    assert AuditEvent.objects.filter(verb="concern.reported", target_id=str(concern.pk)).exists()


def test_report_in_sensitive_category_waits_for_review(district, sensitive_category):
    lat, lon = district.centre
    concern, _token = services.concern_report(
        district=district, category=sensitive_category, title="Spritzen", description="Am Spielplatz.", lat=lat, lon=lon
    )
    assert concern.moderation == Moderation.PENDING
    assert not Concern.objects.public().filter(pk=concern.pk).exists()


def test_report_outside_district_changes_nothing(district, category):
    with pytest.raises(ValidationError) as error:
        services.concern_report(district=district, category=category, title="x", description="y", lat=52.52, lon=13.40)
    assert error.value.error_dict["location"][0].code == "outside"
    assert not Concern.objects.exists()


def test_report_with_category_of_other_district_is_refused(district, other_district):
    from ..factories import CategoryFactory

    foreign = CategoryFactory(district=other_district)
    lat, lon = district.centre
    with pytest.raises(ValidationError) as error:
        services.concern_report(district=district, category=foreign, title="x", description="y", lat=lat, lon=lon)
    assert error.value.error_dict["category"][0].code == "category"


def test_photo_loses_gps_and_camera_exif(db):
    photo = services.photo_upload(file=SimpleUploadedFile("gps.jpg", jpeg_with_gps(), "image/jpeg"))
    with Image.open(photo.image.path) as stored:
        assert stored.format == "JPEG"
        assert dict(stored.getexif()) == {}
        assert "exif" not in stored.info
    with Image.open(photo.thumbnail.path) as thumb:
        assert max(thumb.size) <= 480


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_photo_formats_are_reencoded_as_jpeg(db, fmt):
    photo = services.photo_upload(file=SimpleUploadedFile(f"p.{fmt.lower()}", image_bytes(fmt), f"image/{fmt.lower()}"))
    with Image.open(photo.image.path) as stored:
        assert stored.format == "JPEG"


def test_heic_photo_is_accepted(db):
    import pillow_heif

    heif = pillow_heif.from_pillow(Image.new("RGB", (64, 64), (0, 200, 0)))
    buffer = io.BytesIO()
    heif.save(buffer, quality=50)
    photo = services.photo_upload(file=SimpleUploadedFile("IMG_0001.HEIC", buffer.getvalue(), "image/heic"))
    with Image.open(photo.image.path) as stored:
        assert stored.format == "JPEG" and stored.size == (64, 64)


def test_large_photo_is_scaled_down(db, settings):
    photo = services.photo_upload(
        file=SimpleUploadedFile("big.png", image_bytes("PNG", size=(4000, 3000)), "image/png")
    )
    assert max(photo.width, photo.height) == settings.PHOTO_MAX_EDGE


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (decompression_bomb_png(), "too_many_pixels"),
        (b"%PDF-1.4 definitely not an image", "unreadable"),
        (image_bytes("GIF"), "unsupported"),
        (image_bytes("JPEG")[:200], "unreadable"),
    ],
)
def test_bad_photos_are_refused(db, content, code):
    with pytest.raises(ValidationError) as error:
        services.photo_upload(file=SimpleUploadedFile("x.png", content, "image/png"))
    assert error.value.code == code
    assert not Photo.objects.exists()


def test_thirty_megabyte_file_is_refused_before_decoding(db):
    upload = SimpleUploadedFile("huge.jpg", b"\xff\xd8" + b"\0" * (30 * 1024 * 1024), "image/jpeg")
    with pytest.raises(ValidationError) as error:
        services.photo_upload(file=upload)
    assert error.value.code == "too_large"


def test_collected_photos_are_kept_by_key_and_refused_files_named(db, district, category):
    first, errors = services.photos_collect(
        uploads=[
            SimpleUploadedFile("a.png", image_bytes("PNG"), "image/png"),
            SimpleUploadedFile("kaputt.jpg", b"not a photo", "image/jpeg"),
        ]
    )
    assert len(first) == 1 and first[0].concern is None
    assert [error.code for error in errors] == ["unreadable"]
    assert errors[0].messages == ["„kaputt.jpg“: Die Datei konnte nicht als Foto gelesen werden."]
    # The next attempt brings the kept photo back by its key, adds new ones up to the limit.
    uploads = [SimpleUploadedFile(f"{i}.png", image_bytes("PNG"), "image/png") for i in range(3)]
    second, errors = services.photos_collect(uploads=uploads, keys=[first[0].upload_key, "unknown-key"])
    assert second[0] == first[0] and len(second) == 3
    assert [error.code for error in errors] == ["too_many_photos"]
    assert "„2.png“" in errors[0].messages[0]
    # A removed photo is left out; one attached to a concern is never taken again.
    lat, lon = district.centre
    concern, _token = services.concern_report(
        district=district, category=category, title="x", description="y", lat=lat, lon=lon, photos=second[1:]
    )
    keys = [photo.upload_key for photo in second]
    third, errors = services.photos_collect(keys=keys, removed=[keys[0]])
    assert third == [] and errors == []
    assert list(concern.photos.order_by("position")) == second[1:]


# The form and view --------------------------------------------------------------


def test_report_page_renders_in_german(client, district, category, street):
    response = client.get(report_url(district))
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "de"
    body = response.content.decode()
    assert "Anliegen melden" in body and "Donauwörther Straße" in body and "Datenschutz" in body


def test_report_with_map_point_and_photo(client, district, category):
    data = form_data(district, category, reporter_email="Anwohnerin@Example.org")
    data["photos"] = [SimpleUploadedFile("a.jpg", jpeg_with_gps(), "image/jpeg")]
    response = client.post(report_url(district), data)
    assert response.status_code == 302 and response.url == reverse("concerns:report-thanks")
    concern = Concern.objects.get()
    assert concern.reporter_email == "anwohnerin@example.org"
    assert concern.photos.count() == 1
    thanks = client.get(response.url)
    assert "/track/" in thanks.content.decode()


def test_report_without_javascript_uses_street_register(client, district, category, street):
    response = client.post(
        report_url(district), form_data(district, category, location="", street="donauwörther str.", house_number="60")
    )
    assert response.status_code == 302
    concern = Concern.objects.get()
    assert concern.address == "Donauwörther Straße 60"
    assert district.min_lat < concern.lat < district.max_lat and district.min_lon < concern.lon < district.max_lon


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"location": ""}, "location", "required"),
        ({"location": "abc"}, "location", "invalid"),
        ({"location": "52.52,13.40"}, "location", "outside"),
        ({"location": "", "street": "Gibtsnichtweg", "house_number": "3"}, "street", "unknown_street"),
        ({"location": "", "street": "Donauwörther Straße", "house_number": ""}, "house_number", "house_number"),
        ({"location": "", "street": "Donauwörther Straße", "house_number": "999"}, "house_number", "house_number"),
        ({"title": ""}, "title", "required"),
        ({"description": ""}, "description", "required"),
        ({"category": ""}, "category", "required"),
        ({"category": "999999"}, "category", "invalid_choice"),
        ({"reporter_email": "not-an-address"}, "reporter_email", "invalid"),
        ({"title": "x" * 121}, "title", "max_length"),
    ],
)
def test_bad_input_is_explained_and_nothing_is_saved(client, district, category, street, overrides, field, code):
    data = form_data(district, category, **overrides)
    response = client.post(report_url(district), data)
    assert response.status_code == 400
    form = response.context["form"]
    assert code in [error.code for error in form.errors.as_data()[field]]
    assert not Concern.objects.exists()
    body = response.content.decode()
    assert 'aria-invalid="true"' in body or field == "location"
    # What was typed is kept.
    if overrides.get("title") != "" and len(data["title"]) <= 120:
        assert data["title"] in body
    if data["description"]:
        assert data["description"] in body


def test_error_messages_are_german(client, district, category):
    response = client.post(report_url(district), form_data(district, category, title=""))
    assert "Dieses Feld ist zwingend erforderlich." in response.content.decode()


def test_photos_survive_an_error_in_another_field(client, district, category):
    data = form_data(district, category, title="")
    data["photos"] = [SimpleUploadedFile("a.png", image_bytes("PNG"), "image/png")]
    response = client.post(report_url(district), data)
    assert response.status_code == 400
    kept = response.context["form"].photos_kept
    assert len(kept) == 1 and kept[0].concern is None
    # The second attempt sends only the key of the kept photo.
    data = form_data(district, category, upload_keys=kept[0].upload_key)
    assert client.post(report_url(district), data).status_code == 302
    assert Concern.objects.get().photos.get() == kept[0]


def test_bad_photo_is_explained_and_other_input_kept(client, district, category):
    data = form_data(district, category)
    data["photos"] = [SimpleUploadedFile("bomb.png", decompression_bomb_png(), "image/png")]
    response = client.post(report_url(district), data)
    assert response.status_code == 400
    assert "too_many_pixels" in [e.code for e in response.context["form"].errors.as_data()["photos"]]
    assert "Megapixel" in response.content.decode()
    assert data["description"] in response.content.decode()
    assert not Concern.objects.exists()


def test_thirty_megabyte_upload_through_the_form(client, district, category):
    data = form_data(district, category)
    data["photos"] = [SimpleUploadedFile("huge.jpg", b"\xff\xd8" + b"\0" * (30 * 1024 * 1024), "image/jpeg")]
    response = client.post(report_url(district), data)
    assert response.status_code == 400
    assert "too_large" in [e.code for e in response.context["form"].errors.as_data()["photos"]]
    assert not Concern.objects.exists()


def test_more_than_three_photos_are_refused(client, district, category):
    data = form_data(district, category)
    data["photos"] = [SimpleUploadedFile(f"{i}.png", image_bytes("PNG"), "image/png") for i in range(4)]
    response = client.post(report_url(district), data)
    assert response.status_code == 400
    assert "too_many_photos" in [e.code for e in response.context["form"].errors.as_data()["photos"]]
    assert len(response.context["form"].photos_kept) == 3


XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_user_text_is_escaped_everywhere(client, district, category):
    data = form_data(district, category, title=XSS[:120], description=XSS, reporter_name=XSS[:120])
    assert client.post(report_url(district), data).status_code == 302
    concern = Concern.objects.get()
    pages = [
        client.get(concern.get_absolute_url()),
        client.get(reverse("concerns:concern-list", args=[district.slug])),
        client.get(client.get(reverse("concerns:report-thanks")).context["tracking_url"]),
    ]
    for page in pages:
        body = page.content.decode()
        assert "<script>alert" not in body and "<img src=x" not in body
        assert "&lt;script&gt;" in body
    # Errors echo the input escaped too.
    response = client.post(report_url(district), form_data(district, category, title="", description=XSS))
    assert "<script>alert" not in response.content.decode()


def test_anonymous_reports_are_rate_limited_per_ip(client, district, category, settings):
    settings.INTAKE_RATES = {**settings.INTAKE_RATES, "web": "2/h"}
    for _ in range(2):
        assert client.post(report_url(district), form_data(district, category)).status_code == 302
    response = client.post(report_url(district), form_data(district, category, title="Dritte Meldung"))
    assert response.status_code == 400
    assert "rate_limited" in [e.code for e in response.context["form"].non_field_errors().as_data()]
    assert "Dritte Meldung" in response.content.decode()
    assert Concern.objects.count() == 2
    other_ip = client.post(report_url(district), form_data(district, category), REMOTE_ADDR="10.0.0.7")
    assert other_ip.status_code == 302


def test_logged_in_residents_are_limited_per_account(client, district, category, resident, settings):
    from django.test import Client

    from ..factories import UserFactory

    settings.INTAKE_RATES = {**settings.INTAKE_RATES, "web": "5/h", "account": "2/h"}
    client.force_login(resident)
    for _ in range(2):  # refused forms do not count
        assert client.post(report_url(district), form_data(district, category, title="")).status_code == 400
    for _ in range(2):
        assert client.post(report_url(district), form_data(district, category)).status_code == 302
    # The third from this account is refused, from any address, and nothing typed is lost.
    refused = client.post(
        report_url(district), form_data(district, category, title="Dritte Meldung"), REMOTE_ADDR="192.0.2.44"
    )
    assert refused.status_code == 400
    assert "rate_limited" in [e.code for e in refused.context["form"].non_field_errors().as_data()]
    body = refused.content.decode()
    assert "Zu viele Meldungen in kurzer Zeit." in body
    assert "Dritte Meldung" in body and "Seit einer Woche liegen Matratzen auf dem Gehweg." in body
    assert Concern.objects.count() == 2
    # Another account at the same address, and anonymous residents here and elsewhere, still report.
    neighbour = Client()
    neighbour.force_login(UserFactory())
    assert neighbour.post(report_url(district), form_data(district, category)).status_code == 302
    assert Client().post(report_url(district), form_data(district, category)).status_code == 302
    elsewhere = Client().post(report_url(district), form_data(district, category), REMOTE_ADDR="192.0.2.45")
    assert elsewhere.status_code == 302
    assert Concern.objects.filter(reporter=resident).count() == 2 and Concern.objects.count() == 5


def test_the_team_reporting_through_the_public_form_counts_as_at_the_desk(
    client, district, category, manager, other_manager, settings
):
    settings.INTAKE_RATES = {**settings.INTAKE_RATES, "account": "1/h", "capture": "3/h"}
    client.force_login(manager)
    answers = [client.post(report_url(district), form_data(district, category)).status_code for _ in range(4)]
    assert answers == [302, 302, 302, 400]
    # A manager of another district reports here as a resident does.
    client.force_login(other_manager)
    answers = [client.post(report_url(district), form_data(district, category)).status_code for _ in range(2)]
    assert answers == [302, 400]


def test_logged_in_reporter_is_recorded(client, district, category, resident):
    client.force_login(resident)
    client.post(report_url(district), form_data(district, category))
    assert Concern.objects.get().reporter == resident


def test_tracking_link_is_mailed_over_smtp(client, district, category, smtp_server, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(report_url(district), form_data(district, category, reporter_email="anna@example.org"))
    assert len(smtp_server.messages) == 1
    envelope = smtp_server.messages[0]
    assert envelope.rcpt_tos == ["anna@example.org"]
    text = envelope.content.decode()
    tracking_url = client.get(reverse("concerns:report-thanks")).context["tracking_url"]
    assert tracking_url.split("/track/")[1].rstrip("/") in text


def test_unknown_tracking_token(client, db):
    response = client.get(reverse("concerns:track", args=["nope"]))
    assert response.status_code == 404


def test_tracking_page_shows_unpublished_concern_without_internal_notes(client, district, sensitive_category, manager):
    lat, lon = district.centre
    concern, token = services.concern_report(
        district=district,
        category=sensitive_category,
        title="Angstraum",
        description="Unterführung dunkel.",
        lat=lat,
        lon=lon,
    )
    services.concern_reply(concern=concern, actor=manager, text="INTERN: Polizei informiert", is_public=False)
    services.concern_reply(concern=concern, actor=manager, text="Danke, wir kümmern uns.")
    body = client.get(reverse("concerns:track", args=[token])).content.decode()
    assert "Angstraum" in body and "Danke, wir kümmern uns." in body
    assert "INTERN" not in body
    assert client.get(concern.get_absolute_url()).status_code == 404
    assert Entry.objects.filter(concern=concern, is_public=False).count() == 1


def test_nearby_shows_open_concerns_of_same_category_within_150_m(client, district, category):
    from ..factories import CategoryFactory, ConcernFactory

    lat, lon = district.centre
    near = ConcernFactory(district=district, category=category, lat=lat + 0.0009, lon=lon, title="Nah dran")  # ~100 m
    ConcernFactory(district=district, category=category, lat=lat + 0.0018, lon=lon, title="Zu weit")  # ~200 m
    ConcernFactory(district=district, category=category, lat=lat, lon=lon, title="Erledigt", status="resolved")
    ConcernFactory(district=district, category=CategoryFactory(district=district), lat=lat, lon=lon, title="Andere")
    ConcernFactory(district=district, category=category, lat=lat, lon=lon, title="Intern", moderation="pending")
    url = reverse("concerns:report-nearby", args=[district.slug])
    body = client.get(url, {"location": f"{lat},{lon}", "category": category.pk}).content.decode()
    assert "Nah dran" in body and near.get_absolute_url() in body
    for hidden in ("Zu weit", "Erledigt", "Andere", "Intern"):
        assert hidden not in body
    assert client.get(url, {"location": "x", "category": "y"}).status_code == 200


def test_unattached_photos_are_discarded_after_a_day(db):
    from datetime import timedelta

    from django.utils import timezone

    photo = services.photo_upload(file=SimpleUploadedFile("a.png", image_bytes("PNG"), "image/png"))
    assert services.photo_discard_unattached() == 0
    Photo.objects.filter(pk=photo.pk).update(created_at=timezone.now() - timedelta(days=2))
    call_command("discard_unsent_photos")
    assert not Photo.objects.exists()
    assert not Path(photo.image.path).exists()
