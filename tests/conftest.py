import io
import os
import socket
import struct
import threading
import zlib

import pytest
from aiosmtpd.controller import Controller
from django.core.cache import cache
from django.utils import translation
from PIL import Image

from kiezwerk.accounts.models import RoleKind

from .factories import CategoryFactory, RoleFactory, UserFactory, district_create, partner_create, street_create

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's event loop beside live_server


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    """Every test gets its own media folder and an empty cache (rate limits, map data)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    # Static files straight from the source folders (no collectstatic manifest in tests).
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.SITE_URL = "http://testserver"
    translation.deactivate()  # German, whatever language a request of an earlier test left active
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def district(db):
    return district_create("Testviertel", lat=48.38, lon=10.87, residents=25000)


@pytest.fixture
def other_district(db):
    return district_create("Nachbarviertel", lat=48.42, lon=10.87)


@pytest.fixture
def street(district):
    return street_create(district, "Donauwörther Straße", 1, 120)


@pytest.fixture
def category(district):
    return CategoryFactory(district=district, slug="illegal-dumping", name_de="Wilder Müll")


@pytest.fixture
def sensitive_category(district):
    return CategoryFactory(district=district, slug="drugs", name_de="Spritzenfunde", sensitive=True)


def _user_with_role(kind, district):
    user = UserFactory()
    RoleFactory(user=user, kind=kind, district=district)
    return user


@pytest.fixture
def resident(district):
    return _user_with_role(RoleKind.RESIDENT, district)


@pytest.fixture
def partner(district):
    """A member of an organisation serving the district: sees its referrals, nothing of the desk."""
    return partner_create(district)


@pytest.fixture
def manager(district):
    return _user_with_role(RoleKind.MANAGER, district)


@pytest.fixture
def moderator(district):
    return _user_with_role(RoleKind.MODERATOR, district)


@pytest.fixture
def other_manager(other_district):
    """A manager of another district: sees nothing internal here."""
    return _user_with_role(RoleKind.MANAGER, other_district)


@pytest.fixture
def city_admin(db):
    return _user_with_role(RoleKind.CITY_ADMIN, None)


def image_bytes(fmt="JPEG", size=(64, 48), colour=(200, 40, 40), **save_kwargs):
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format=fmt, **save_kwargs)
    return buffer.getvalue()


def jpeg_with_gps():
    """A JPEG whose EXIF holds a GPS position and a camera model."""
    image = Image.new("RGB", (80, 60), (10, 120, 200))
    exif = image.getexif()
    exif[0x0110] = "Phone Model X"  # Model
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (48.0, 23.0, 1.5), 3: "E", 4: (10.0, 52.0, 7.0)})
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


def decompression_bomb_png(width=30_000, height=30_000):
    """A tiny PNG file that claims 900 megapixels."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


@pytest.fixture
def decoded(monkeypatch):
    """The images decoded during a test: every call of Pillow's ImageFile.load (header to pixels), by format."""
    from PIL import ImageFile

    calls = []
    load = ImageFile.ImageFile.load

    def counted(image):
        calls.append(image.format)
        return load(image)

    monkeypatch.setattr(ImageFile.ImageFile, "load", counted)
    return calls


def stored_files(settings):
    """Every file under MEDIA_ROOT and PRIVATE_MEDIA_ROOT."""
    from pathlib import Path

    roots = (Path(settings.MEDIA_ROOT), Path(settings.PRIVATE_MEDIA_ROOT))
    return [path for root in roots for path in root.rglob("*") if path.is_file()]


class _Recorder:
    """Stores every message the SMTP server accepts; can refuse the first attempts."""

    def __init__(self):
        self.messages = []
        self.refuse = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            if self.refuse > 0:
                self.refuse -= 1
                return "451 Try again later"
            self.messages.append(envelope)
        return "250 OK"


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server (aiosmtpd) on localhost; Django sends to it over SMTP."""
    recorder = _Recorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=_free_port(), timeout=5)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield recorder
    controller.stop()
