"""Intake services: address ⇄ point with the street register, photos, rate limits per source."""

import io

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import reverse
from PIL import Image

from kiezwerk.concerns.models import Concern, Photo
from kiezwerk.core import geo
from kiezwerk.core.intake import limits, photos, places
from kiezwerk.core.services import street_save

from ..conftest import decompression_bomb_png, image_bytes, jpeg_with_gps

# The test district is the square 48.38–48.40 N, 10.87–10.89 E (about 2.2 × 1.5 km).


@pytest.fixture
def streets(district):
    """Three streets: one west–east, one south–north, one with a bend."""
    return {
        street.name: street
        for street in (
            street_save(
                district=district,
                name="Hauptstraße",
                line=[[10.872, 48.395], [10.888, 48.395]],
                first_number=1,
                last_number=99,
            ),
            street_save(
                district=district,
                name="Lindenweg",
                line=[[10.875, 48.382], [10.875, 48.392]],
                first_number=2,
                last_number=40,
            ),
            street_save(
                district=district,
                name="Bogenstraße",
                line=[[10.880, 48.383], [10.886, 48.383], [10.886, 48.390]],
                first_number=1,
                last_number=50,
            ),
        )
    }


def field_codes(error):
    """{field: [codes]} of a ValidationError keyed by field."""
    return {field: [e.code for e in errors] for field, errors in error.error_dict.items()}


# Address → point → address ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "number"),
    [
        ("Hauptstraße", 1),
        ("Hauptstraße", 50),
        ("Hauptstraße", 99),
        ("Lindenweg", 2),
        ("Lindenweg", 17),
        ("Lindenweg", 40),
        ("Bogenstraße", 12),  # on the first leg
        ("Bogenstraße", 25),  # around the bend
        ("Bogenstraße", 44),  # on the second leg
    ],
)
def test_address_to_point_and_back(district, streets, name, number):
    lat, lon = places.point_for_address(district, name, str(number))
    assert district.min_lat < lat < district.max_lat and district.min_lon < lon < district.max_lon
    address = places.address_for_point(district, lat, lon)
    assert (address.street, address.number) == (name, number)
    assert address.distance_m < 0.5
    assert str(address) == f"{name} {number}"


def test_house_number_is_interpolated_along_the_street(district, streets):
    # Lindenweg runs 10 × 0.001° north (about 1.1 km) with the numbers 2 to 40: number 21 lies halfway.
    lat, lon = places.point_for_address(district, "Lindenweg", "21")
    assert geo.distance_m(lat, lon, 48.387, 10.875) < 1
    # "12a" is number 12; typed spellings of the street name are found.
    assert places.point_for_address(district, "hauptstr.", "12a") == places.point_for_address(
        district, "Hauptstraße", "12"
    )
    assert places.point_for_address(district, "HAUPTSTRASSE", " 12 ") == places.point_for_address(
        district, "Hauptstraße", "12"
    )


def test_the_nearest_of_several_streets_is_picked(district, streets):
    # 40 m east of Lindenweg at its middle, farther from the other two.
    lat, lon = 48.387, 10.875 + 40 / (geo.METRES_PER_DEG_LON * 0.6637)
    address = places.address_for_point(district, lat, lon)
    assert address.street == "Lindenweg" and address.number == 21
    assert 39 < address.distance_m < 41
    # Near the bend of Bogenstraße: closer to its second leg than to anything else.
    address = places.address_for_point(district, 48.3845, 10.8863)
    assert address.street == "Bogenstraße"
    assert address.distance_m < 30
    # 30 m north of the middle of Hauptstraße.
    address = places.address_for_point(district, 48.395 + 30 / geo.METRES_PER_DEG_LAT, 10.880)
    assert address.street == "Hauptstraße" and address.number == 50
    assert 29 < address.distance_m < 31


def test_points_beyond_a_street_end_get_its_last_or_first_number(district, streets):
    east_of_end = places.address_for_point(district, 48.395, 10.888 + 0.0008)  # about 60 m past the end
    assert (east_of_end.street, east_of_end.number) == ("Hauptstraße", 99)
    assert 55 < east_of_end.distance_m < 65
    south_of_start = places.address_for_point(district, 48.382 - 0.0005, 10.875)  # about 55 m before the start
    assert (south_of_start.street, south_of_start.number) == ("Lindenweg", 2)
    # Numbers beyond the range are clamped where the interpolation is used directly.
    street = streets["Hauptstraße"]
    assert places.street_point(street, 500) == places.street_point(street, 99)
    assert places.street_point(street, 0) == places.street_point(street, 1)


def test_a_point_far_from_every_street_has_no_address(district, streets, other_district):
    # 390 m north of Hauptstraße, nothing else near.
    assert places.address_for_point(district, 48.3985, 10.8885) is None
    # Just within and just beyond the distance given.
    assert places.address_for_point(district, 48.395 + 100 / geo.METRES_PER_DEG_LAT, 10.88).street == "Hauptstraße"
    assert places.address_for_point(district, 48.395 + 160 / geo.METRES_PER_DEG_LAT, 10.88) is None
    assert places.address_for_point(district, 48.395 + 160 / geo.METRES_PER_DEG_LAT, 10.88, within_m=200)
    # Another district's register is not this district's.
    assert places.address_for_point(other_district, 48.395, 10.88) is None


def test_a_district_without_streets_has_no_addresses(district):
    assert places.address_for_point(district, 48.39, 10.88) is None


@pytest.mark.parametrize(
    ("name", "number", "field", "code", "german"),
    [
        ("Gibtsnichtweg", "3", "street", "unknown_street", "gibt es keine Straße „Gibtsnichtweg“"),
        ("", "3", "street", "unknown_street", "keine Straße"),
        ("Hauptstraße", "", "house_number", "house_number", "Bitte geben Sie eine Hausnummer ein."),
        ("Hauptstraße", "a12", "house_number", "house_number", "Bitte geben Sie eine Hausnummer ein."),
        ("Hauptstraße", "100", "house_number", "house_number", "Hauptstraße hat die Hausnummern 1 bis 99."),
        ("Lindenweg", "1", "house_number", "house_number", "Lindenweg hat die Hausnummern 2 bis 40."),
        ("Hauptstraße", "9" * 5000, "house_number", "house_number", "Hausnummern 1 bis 99"),
    ],
)
def test_bad_addresses_are_explained(district, streets, name, number, field, code, german):
    with pytest.raises(ValidationError) as error:
        places.point_for_address(district, name, number)
    assert field_codes(error.value) == {field: [code]}
    assert german in " ".join(error.value.messages)


def test_a_street_of_another_district_is_unknown(district, other_district, streets):
    with pytest.raises(ValidationError) as error:
        places.point_for_address(other_district, "Hauptstraße", "12")
    assert field_codes(error.value) == {"street": ["unknown_street"]}


def test_an_address_whose_point_lies_outside_the_district_is_refused(district):
    # The register allows a street a few metres beyond the boundary (here 30 m south of it).
    street_save(district=district, name="Randweg", line=[[10.872, 48.3797], [10.878, 48.3797]], last_number=20)
    with pytest.raises(ValidationError) as error:
        places.point_for_address(district, "Randweg", "5")
    assert field_codes(error.value) == {"house_number": ["outside"]}
    assert "Randweg 5 liegt außerhalb von Testviertel" in error.value.messages[0]


# Photos -------------------------------------------------------------------------------------------


def test_photo_processing_strips_exif_and_gps():
    upload = SimpleUploadedFile("gps.jpg", jpeg_with_gps(), "image/jpeg")
    with Image.open(upload) as original:
        assert original.getexif().get_ifd(0x8825)  # the test file does carry a position
    full, thumb, size = photos.photo_process(upload)
    for content in (full, thumb):
        with Image.open(io.BytesIO(content.read())) as stored:
            assert stored.format == "JPEG"
            assert dict(stored.getexif()) == {}
            assert not stored.getexif().get_ifd(0x8825)
            assert "exif" not in stored.info and "xmp" not in stored.info
    assert size == (80, 60)


def test_photo_processing_scales_and_makes_a_thumbnail(settings):
    full, thumb, size = photos.photo_process(
        SimpleUploadedFile("big.png", image_bytes("PNG", size=(3000, 1500)), "image/png")
    )
    assert size == (settings.PHOTO_MAX_EDGE, settings.PHOTO_MAX_EDGE // 2)
    with Image.open(io.BytesIO(full.read())) as large:
        assert large.size == size
    with Image.open(io.BytesIO(thumb.read())) as small:
        assert small.size == (settings.THUMBNAIL_EDGE, settings.THUMBNAIL_EDGE // 2)


def test_photo_processing_refuses_a_bomb_in_german():
    with pytest.raises(ValidationError) as error:
        photos.photo_process(SimpleUploadedFile("bomb.png", decompression_bomb_png(), "image/png"))
    assert error.value.code == "too_many_pixels"
    assert "Megapixel" in error.value.messages[0]


def test_desk_capture_checks_photos_as_the_public_form(client, manager, district, category, streets, settings, decoded):
    """The desk's capture refuses and stores photos through the same checks and services as the public form."""
    client.force_login(manager)
    url = reverse("desk:capture", args=[district.slug])
    data = {
        "channel": "office",
        "street": "Hauptstraße",
        "house_number": "7",
        "category": category.pk,
        "title": "",
        "description": "Glas auf dem Radweg",
        "language": "de",
    }
    photo = SimpleUploadedFile("a.jpg", jpeg_with_gps(), "image/jpeg")
    response = client.post(url, {**data, "photos": [photo]})
    assert response.status_code == 400 and not Concern.objects.exists() and not Photo.objects.exists()
    assert "choose_again" in [e.code for e in response.context["form"].errors.as_data()["photos"]]
    assert "Glas auf dem Radweg" in response.content.decode() and decoded == []
    # The offline queue keeps the photo with the entry: its answer only names what was wrong.
    bomb = SimpleUploadedFile("bomb.png", decompression_bomb_png(), "image/png")
    queued = client.post(url, {**data, "title": "Scherben", "photos": [bomb]}, headers={"X-Capture-Queue": "1"})
    assert queued.status_code == 400
    assert queued.json()["errors"] == {"photos": ["„bomb.png“: Das Foto hat zu viele Pixel (höchstens 40 Megapixel)."]}
    assert decoded == [] and not Photo.objects.exists()
    photo.seek(0)
    assert client.post(url, {**data, "title": "Scherben", "photos": [photo]}).status_code == 302
    concern = Concern.objects.get()
    assert concern.photos.count() == 1
    assert concern.address == "Hauptstraße 7"
    assert places.address_for_point(district, concern.lat, concern.lon).number == 7


def upload(content, name="x.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, content, content_type)


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (decompression_bomb_png(30_000, 30_000), "too_many_pixels"),  # refused by Pillow's own guard
        (decompression_bomb_png(8_000, 6_000), "too_many_pixels"),  # 48 MP: Pillow only warns, we refuse
        (b"%PDF-1.4", "unsupported"),
        (b"GIF89a" + b"\0" * 20, "unsupported"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"/>', "unsupported"),
        (b"", "unsupported"),
        (b"\xff\xd8\xff\xe0 broken", "unreadable"),
        (b"\xff\xd8\xff" + b"\0" * (12 * 1024 * 1024), "too_large"),
    ],
)
def test_photo_check_refuses_without_decoding(content, code, decoded):
    with pytest.raises(ValidationError) as error:
        photos.photo_check(upload(content))
    assert error.value.code == code
    assert decoded == []


def test_photo_check_reads_the_pixel_limit_from_the_settings(settings, decoded):
    settings.MAX_PHOTO_PIXELS = 3000
    with pytest.raises(ValidationError) as error:
        photos.photo_check(upload(image_bytes("PNG", size=(64, 48))))  # 3072 pixels
    assert error.value.code == "too_many_pixels"
    photos.photo_check(upload(image_bytes("PNG", size=(60, 50))))
    assert decoded == []


def test_photo_check_goes_by_the_bytes_not_the_claimed_type(decoded):
    checked = upload(image_bytes("PNG"), name="IMG.HEIC", content_type="application/octet-stream")
    photos.photo_check(checked)
    assert checked.tell() == 0 and not checked.closed  # ready for the decoding that follows
    assert decoded == []


def test_photos_check_names_each_bad_file_and_counts_first(settings):
    good = upload(image_bytes("JPEG"))
    errors = photos.photos_check([good, upload(b"nein", name="notiz.txt"), upload(image_bytes("GIF"), name="a.gif")])
    assert [error.messages[0] for error in errors] == [
        "„notiz.txt“: Bitte senden Sie ein Foto im Format JPEG, PNG, WebP oder HEIC.",
        "„a.gif“: Bitte senden Sie ein Foto im Format JPEG, PNG, WebP oder HEIC.",
    ]
    [too_many] = photos.photos_check([good] * (settings.MAX_PHOTOS + 1))
    assert too_many.code == "too_many_photos"
    assert photos.photos_check([good] * settings.MAX_PHOTOS) == []


# Rate limits per source --------------------------------------------------------------------------


def post(address="192.0.2.1", user=None):
    request = RequestFactory().post("/", REMOTE_ADDR=address)
    request.user = user or AnonymousUser()
    return request


def test_each_source_is_counted_on_its_own(db, settings):
    settings.INTAKE_RATES = {**settings.INTAKE_RATES, "web": "2/h", "round": "1/h"}
    for _ in range(2):
        limits.intake_check("web", post())
    with pytest.raises(ValidationError) as error:
        limits.intake_check("web", post())
    assert error.value.code == "rate_limited"
    assert error.value.messages == [
        "Zu viele Meldungen in kurzer Zeit. Bitte versuchen Sie es später erneut; Ihre Eingaben bleiben erhalten."
    ]
    limits.intake_check("round", post())  # the same connection, another source
    with pytest.raises(ValidationError):
        limits.intake_check("round", post())
    limits.intake_check("web", post("192.0.2.2"))  # another connection


def test_only_submissions_count(db, settings):
    settings.INTAKE_RATES = {**settings.INTAKE_RATES, "web": "1/h"}
    page = RequestFactory().get("/", REMOTE_ADDR="192.0.2.1")
    page.user = AnonymousUser()
    for _ in range(3):
        limits.intake_check("web", page)
    limits.intake_check("web", post())
    with pytest.raises(ValidationError):
        limits.intake_check("web", post())


def test_accounts_are_counted_apart_from_their_connection(db, settings, manager, moderator):
    settings.INTAKE_RATES = {**settings.INTAKE_RATES, "capture": "1/h"}
    limits.intake_check("capture", post(user=manager))
    with pytest.raises(ValidationError):
        limits.intake_check("capture", post("192.0.2.99", user=manager))  # the account, wherever it is
    limits.intake_check("capture", post(user=moderator))  # a colleague in the same office
    assert limits.client_key("", post("2001:db8:1:2:3::4")) == limits.client_key("", post("2001:db8:1:2:ffff::1"))


def test_an_unknown_source_is_a_programming_error(db):
    with pytest.raises(ValueError):
        limits.intake_check("fax", post())


def test_desk_capture_and_street_round_are_limited_apart(client, manager, district, category, settings):
    settings.INTAKE_RATES = {**settings.INTAKE_RATES, "capture": "1/h", "round": "1/h"}
    client.force_login(manager)
    url = reverse("desk:capture", args=[district.slug])
    lat, lon = district.centre
    data = {
        "channel": "phone",
        "location": f"{lat},{lon}",
        "category": category.pk,
        "title": "Ampel aus",
        "description": "Seit heute früh",
        "language": "de",
    }
    assert client.post(url, data).status_code == 302
    refused = client.post(url, {**data, "title": "Zweite"})
    assert refused.status_code == 400
    assert "rate_limited" in [e.code for e in refused.context["form"].non_field_errors().as_data()]
    assert "Zweite" in refused.content.decode()  # the input is kept
    assert Concern.objects.count() == 1
    from_round = client.post(url, {**data, "title": "Vom Rundgang", "from": "round"}, headers={"X-Capture-Queue": "1"})
    assert from_round.status_code == 201
    again = client.post(url, {**data, "title": "Noch einer", "from": "round"}, headers={"X-Capture-Queue": "1"})
    assert again.status_code == 400 and again.json()["errors"]["__all__"]
    assert list(Concern.objects.values_list("title", flat=True).order_by("pk")) == ["Ampel aus", "Vom Rundgang"]
