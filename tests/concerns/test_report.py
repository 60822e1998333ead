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

from ..conftest import decompression_bomb_png, image_bytes, jpeg_with_gps, stored_files


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


def report_with(district, category, *uploads, **kwargs):
    lat, lon = district.centre
    concern, _token = services.concern_report(
        district=district, category=category, title="x", description="y", lat=lat, lon=lon, photos=uploads, **kwargs
    )
    return concern


def test_photo_loses_gps_and_camera_exif(district, category):
    concern = report_with(district, category, SimpleUploadedFile("gps.jpg", jpeg_with_gps(), "image/jpeg"))
    photo = concern.photos.get()
    with Image.open(photo.image.path) as stored:
        assert stored.format == "JPEG"
        assert dict(stored.getexif()) == {}
        assert "exif" not in stored.info
    with Image.open(photo.thumbnail.path) as thumb:
        assert max(thumb.size) <= 480


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_photo_formats_are_reencoded_as_jpeg(district, category, fmt):
    upload = SimpleUploadedFile(f"p.{fmt.lower()}", image_bytes(fmt), f"image/{fmt.lower()}")
    with Image.open(report_with(district, category, upload).photos.get().image.path) as stored:
        assert stored.format == "JPEG"


def test_heic_photo_is_accepted(district, category):
    import pillow_heif

    heif = pillow_heif.from_pillow(Image.new("RGB", (64, 64), (0, 200, 0)))
    buffer = io.BytesIO()
    heif.save(buffer, quality=50)
    upload = SimpleUploadedFile("IMG_0001.HEIC", buffer.getvalue(), "image/heic")
    with Image.open(report_with(district, category, upload).photos.get().image.path) as stored:
        assert stored.format == "JPEG" and stored.size == (64, 64)


def test_large_photo_is_scaled_down(district, category, settings):
    upload = SimpleUploadedFile("big.png", image_bytes("PNG", size=(4000, 3000)), "image/png")
    photo = report_with(district, category, upload).photos.get()
    assert max(photo.width, photo.height) == settings.PHOTO_MAX_EDGE


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (decompression_bomb_png(), "too_many_pixels"),
        (b"%PDF-1.4 definitely not an image", "unsupported"),
        (image_bytes("GIF"), "unsupported"),
        (image_bytes("JPEG")[:200], "unreadable"),
        (image_bytes("JPEG")[:-300], "unreadable"),  # a sound header, the pixels cut off
        (b"\xff\xd8" + b"\0" * (30 * 1024 * 1024), "too_large"),
    ],
)
def test_bad_photos_are_refused_and_nothing_is_stored(district, category, settings, content, code):
    good = SimpleUploadedFile("gut.png", image_bytes("PNG"), "image/png")
    with pytest.raises(ValidationError) as error:
        report_with(district, category, good, SimpleUploadedFile("x.png", content, "image/png"))
    assert [e.code for e in error.value.error_dict["photos"]] == [code]
    assert "„x.png“" in error.value.messages[0]
    assert not Concern.objects.exists() and not Photo.objects.exists()
    assert stored_files(settings) == []


def test_a_report_refused_by_the_service_decodes_no_photo(district, category, settings, decoded):
    photo = SimpleUploadedFile("a.png", image_bytes("PNG"), "image/png")
    with pytest.raises(ValidationError):
        services.concern_report(
            district=district, category=category, title="x", description="y", lat=52.52, lon=13.40, photos=[photo]
        )
    assert decoded == [] and stored_files(settings) == []


def test_a_twin_capture_stores_its_photos_once(district, category, manager, settings, decoded):
    upload = SimpleUploadedFile("a.png", image_bytes("PNG"), "image/png")
    first = report_with(district, category, upload, actor=manager, capture_key="k-1", channel="street")
    assert "PNG" in decoded
    decoded.clear()
    again = report_with(district, category, upload, actor=manager, capture_key="k-1", channel="street")
    assert again == first and decoded == []  # a form already filed is not decoded again
    assert Photo.objects.count() == 1 and len(stored_files(settings)) == 2  # the photo and its thumbnail


def test_a_failed_transaction_leaves_no_photo_file(district, category, settings, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(services.activity, "record", broken)
    with pytest.raises(RuntimeError):
        report_with(district, category, SimpleUploadedFile("a.png", image_bytes("PNG"), "image/png"))
    assert not Photo.objects.exists() and stored_files(settings) == []


# The form and view --------------------------------------------------------------


def test_report_page_renders_in_german(client, district, category, street):
    response = client.get(report_url(district))
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "de"
    body = response.content.decode()
    assert "Anliegen melden" in body and "Donauwörther Straße" in body and "Datenschutz" in body


def test_a_link_sets_the_place_of_the_report_form(client, district, category):
    """A poster's QR code opens the form with `?location=lat,lon`: the place is set, the resident only writes."""
    lat, lon = district.centre
    response = client.get(report_url(district), {"location": f"{lat:.5f},{lon:.5f}"})
    assert response.status_code == 200
    assert response.context["form"]["location"].value() == f"{lat:.6f},{lon:.6f}"
    assert "Der Ort ist schon eingetragen." in response.content.decode()
    data = form_data(district, category, location=response.context["form"]["location"].value())
    assert client.post(report_url(district), data).status_code == 302
    assert (Concern.objects.get().lat, Concern.objects.get().lon) == pytest.approx((lat, lon))


@pytest.mark.parametrize("value", ["48.42,10.87", "0,0", "x,y", "48.38", "nan,nan", "inf,10.87", ""])
def test_a_link_with_a_place_outside_or_unreadable_opens_the_form_as_usual(client, district, category, value):
    response = client.get(report_url(district), {"location": value})
    assert response.status_code == 200
    form = response.context["form"]
    assert not form.is_bound and not form["location"].value() and not form.errors
    assert "Der Ort ist schon eingetragen." not in response.content.decode()


def three_photos():
    return [
        SimpleUploadedFile("a.jpg", jpeg_with_gps(), "image/jpeg"),
        SimpleUploadedFile("b.png", image_bytes("PNG", size=(300, 400)), "image/png"),
        SimpleUploadedFile("c.webp", image_bytes("WEBP"), "application/octet-stream"),  # the bytes count, not the type
    ]


def test_report_with_map_point_and_photos(client, district, category, settings, monkeypatch):
    from kiezwerk.core.intake import photos

    processed = []
    process = photos.photo_process
    monkeypatch.setattr(photos, "photo_process", lambda upload: processed.append(upload.name) or process(upload))
    data = form_data(district, category, reporter_email="Anwohnerin@Example.org")
    data["photos"] = three_photos()
    response = client.post(report_url(district), data)
    assert response.status_code == 302 and response.url == reverse("concerns:report-thanks")
    concern = Concern.objects.get()
    assert concern.reporter_email == "anwohnerin@example.org"
    stored = list(concern.photos.order_by("position"))
    assert [(p.position, p.width, p.height) for p in stored] == [(0, 80, 60), (1, 300, 400), (2, 64, 48)]
    for photo in stored:
        assert Path(photo.image.path).is_file() and Path(photo.thumbnail.path).is_file()
    assert len(stored_files(settings)) == 6
    assert processed == ["a.jpg", "b.png", "c.webp"]  # each decoded once
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


CHOOSE_AGAIN = (
    "Bitte wählen Sie Ihre Fotos noch einmal aus: Fotos werden erst mit einer vollständigen Meldung gespeichert."
)


@pytest.mark.parametrize(
    "overrides",
    [
        {"title": ""},
        {"reporter_email": "kein-at"},
        {"location": "52.52,13.40"},  # outside the district: found by the service, still before any photo
        {"category": "999999"},
    ],
)
def test_an_invalid_report_with_photos_stores_nothing(client, district, category, settings, decoded, overrides):
    data = form_data(district, category, reporter_name="Anna", **overrides)
    data["photos"] = three_photos()
    response = client.post(report_url(district), data)
    assert response.status_code == 400
    assert not Concern.objects.exists() and not Photo.objects.exists()
    assert stored_files(settings) == [] and decoded == []
    form = response.context["form"]
    assert "choose_again" in [e.code for e in form.errors.as_data()["photos"]]
    body = response.content.decode()
    assert CHOOSE_AGAIN in body
    for typed in (data["description"], "Anna", *([data["title"]] if data["title"] else [])):
        assert typed in body


def test_an_invalid_report_without_photos_does_not_ask_for_them(client, district, category):
    response = client.post(report_url(district), form_data(district, category, title=""))
    assert "photos" not in response.context["form"].errors
    assert CHOOSE_AGAIN not in response.content.decode()


@pytest.mark.parametrize(
    ("name", "content", "code", "says"),
    [
        ("bomb.png", decompression_bomb_png(), "too_many_pixels", "Megapixel"),
        ("rechnung.jpg", b"%PDF-1.4 not a photo at all", "unsupported", "JPEG, PNG, WebP oder HEIC"),
        ("seite.png", b"<html><script>alert(1)</script></html>", "unsupported", "JPEG, PNG, WebP oder HEIC"),
        ("huge.jpg", b"\xff\xd8\xff" + b"\0" * (30 * 1024 * 1024), "too_large", "höchstens 12,0"),
    ],
)
def test_a_bad_photo_is_refused_before_decoding_and_the_text_kept(
    client, district, category, settings, decoded, name, content, code, says
):
    data = form_data(district, category)
    data["photos"] = [SimpleUploadedFile("gut.png", image_bytes("PNG"), "image/png"), SimpleUploadedFile(name, content)]
    response = client.post(report_url(district), data)
    assert response.status_code == 400
    assert code in [e.code for e in response.context["form"].errors.as_data()["photos"]]
    body = response.content.decode()
    assert f"„{name}“" in body and says in body and CHOOSE_AGAIN in body
    assert data["description"] in body and data["title"] in body
    assert decoded == [] and stored_files(settings) == []
    assert not Concern.objects.exists() and not Photo.objects.exists()


def test_a_forged_clear_box_beside_photos_is_no_error(client, district, category):
    data = form_data(district, category, **{"photos-clear": "on"})
    data["photos"] = [SimpleUploadedFile("a.png", image_bytes("PNG"), "image/png")]
    assert client.post(report_url(district), data).status_code == 302
    assert Concern.objects.get().photos.count() == 1


def test_more_than_three_photos_are_refused(client, district, category, settings, decoded):
    data = form_data(district, category)
    data["photos"] = [*three_photos(), SimpleUploadedFile("d.png", image_bytes("PNG"), "image/png")]
    response = client.post(report_url(district), data)
    assert response.status_code == 400
    assert "too_many_photos" in [e.code for e in response.context["form"].errors.as_data()["photos"]]
    assert "Bitte wählen Sie höchstens 3 Fotos aus; Sie haben 4 gewählt." in response.content.decode()
    assert decoded == [] and stored_files(settings) == [] and not Concern.objects.exists()


def test_a_request_larger_than_its_photos_may_be_keeps_the_text_and_reads_no_file(
    client, district, category, settings, decoded
):
    settings.MAX_PHOTO_BYTES = 300 * 1024
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 124 * 1024  # the limit: 3 × 300 KB + 124 KB = 1 MB
    data = form_data(district, category)
    data["photos"] = [SimpleUploadedFile(f"{i}.jpg", b"\xff\xd8\xff" + b"\0" * 290_000) for i in range(4)]
    response = client.post(report_url(district), data)
    assert response.status_code == 400
    assert not response.wsgi_request.FILES  # not one file was read to memory or disk
    assert "too_large_total" in [e.code for e in response.context["form"].errors.as_data()["photos"]]
    body = response.content.decode()
    assert "Die Fotos sind zusammen größer als 1,0\xa0MB" in body and CHOOSE_AGAIN in body
    assert data["description"] in body
    assert decoded == [] and stored_files(settings) == [] and not Concern.objects.exists()


def test_a_report_over_the_limit_decodes_and_stores_no_photo(client, district, category, settings, decoded):
    settings.INTAKE_RATES = {**settings.INTAKE_RATES, "web": "1/h"}
    assert client.post(report_url(district), form_data(district, category)).status_code == 302
    data = form_data(district, category, title="Zweite Meldung")
    data["photos"] = three_photos()
    response = client.post(report_url(district), data)
    assert response.status_code == 400
    assert "rate_limited" in [e.code for e in response.context["form"].non_field_errors().as_data()]
    body = response.content.decode()
    assert "Zweite Meldung" in body and CHOOSE_AGAIN in body
    assert decoded == [] and stored_files(settings) == [] and Concern.objects.count() == 1


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

    prepared = services.photos_prepare([SimpleUploadedFile("a.png", image_bytes("PNG"), "image/png")])
    [photo] = services.photos_store(concern=None, prepared=prepared)  # as left by an older version
    assert services.photo_discard_unattached() == 0
    Photo.objects.filter(pk=photo.pk).update(created_at=timezone.now() - timedelta(days=2))
    call_command("discard_unsent_photos")
    assert not Photo.objects.exists()
    assert not Path(photo.image.path).exists()
