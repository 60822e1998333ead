"""Installable on a phone (issue G, item 8): the web app manifest in the visitor's language, its icons, the
site's service worker script and the offline page it keeps."""

import json
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from PIL import Image

from kiezwerk.core.views import BRAND_COLOUR

SEVEN = ["de", "en", "tr", "ar", "ru", "uk", "pl"]
pytestmark = pytest.mark.django_db

DESCRIPTION = "Report concerns in your neighbourhood and follow what happens with them."


def manifest(client, **headers):
    response = client.get(reverse("core:manifest"), **headers)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    return response, json.loads(response.content)


def static_file(url):
    assert url.startswith("/static/"), url
    path = finders.find(url.removeprefix("/static/"))
    assert path, f"{url} is not a static file"
    return path


def test_manifest_in_german_has_what_a_phone_needs_to_install_kiezwerk(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response, data = manifest(client)
    assert data["name"] == "Kiezwerk" and data["short_name"] == "Kiezwerk"
    assert data["lang"] == "de" and data["dir"] == "ltr"
    with translation.override("de"):
        assert data["description"] == gettext(DESCRIPTION) != DESCRIPTION
    assert (data["id"], data["start_url"], data["scope"], data["display"]) == ("/", "/", "/", "standalone")
    assert data["theme_color"] == data["background_color"] == BRAND_COLOUR
    # The language decides the answer: never shared across languages by a cache.
    assert response["Cache-Control"] == "no-cache"
    assert {"accept-language", "cookie"} <= {v.strip().lower() for v in response["Vary"].split(",")}


def test_manifest_icons_exist_with_the_declared_sizes(client):
    _response, data = manifest(client)
    purposes = set()
    for icon in data["icons"]:
        assert icon["type"] == "image/png"
        with Image.open(static_file(icon["src"])) as image:
            assert image.format == "PNG"
            assert "{}x{}".format(*image.size) == icon["sizes"]
            if icon["purpose"] == "maskable":
                assert image.mode == "RGB"  # full bleed: the launcher cuts its own shape
        purposes.add((icon["sizes"], icon["purpose"]))
    assert purposes == {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")}


def test_manifest_in_arabic_reads_right_to_left_and_follows_a_change_of_language(client):
    _response, german = manifest(client)
    client.post(reverse("set_language"), {"language": "ar", "next": "/"})  # a visitor: a cookie, no session
    _response, arabic = manifest(client)
    assert arabic["lang"] == "ar" and arabic["dir"] == "rtl"
    with translation.override("ar"):
        assert arabic["description"] == gettext(DESCRIPTION)
    assert arabic["description"] not in (german["description"], DESCRIPTION)
    assert re.search(r"[\u0600-\u06ff]", arabic["description"])


def test_manifest_follows_the_browsers_language_and_ignores_an_unknown_one(client):
    _response, data = manifest(client, HTTP_ACCEPT_LANGUAGE="tr")
    assert data["lang"] == "tr" and data["dir"] == "ltr"
    with translation.override("tr"):
        assert data["description"] == gettext(DESCRIPTION) != DESCRIPTION
    client.cookies["django_language"] = "xx"
    _response, data = manifest(client, HTTP_ACCEPT_LANGUAGE="zz, x-klingon;q=0.5")
    assert data["lang"] == "de"


def test_brand_colour_is_the_stylesheets():
    stylesheet = Path(static_file("/static/css/kiezwerk.css")).read_text(encoding="utf-8")
    assert f"--brand: {BRAND_COLOUR};" in stylesheet


def test_every_page_links_the_manifest_icon_and_theme_colour(client, district):
    body = client.get("/").content.decode()
    assert f'<link rel="manifest" href="{reverse("core:manifest")}">' in body
    assert f'<meta name="theme-color" content="{BRAND_COLOUR}">' in body
    touch = re.search(r'<link rel="apple-touch-icon" href="([^"]+)">', body).group(1)
    with Image.open(static_file(touch)) as image:
        assert image.size == (180, 180) and image.mode == "RGB"  # opaque: iOS would fill transparency black


def test_public_pages_register_the_service_worker_but_desk_pages_do_not(client, district, manager):
    script = f'src="/static/js/offline.js" data-sw="{reverse("core:service-worker")}"'
    assert script in client.get("/").content.decode()
    assert script in client.get(reverse("concerns:concern-list", args=[district.slug])).content.decode()
    client.force_login(manager)
    desk = client.get(reverse("desk:round", args=[district.slug]))
    assert desk.status_code == 200
    assert "offline.js" not in desk.content.decode()


def test_service_worker_script_is_served_from_the_root_and_never_kept_stale(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(reverse("core:service-worker"))
    assert reverse("core:service-worker") == "/sw.js"
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript"
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Cache-Control"] == "no-cache"
    script = response.content.decode()
    assert f'var OFFLINE = "{reverse("core:offline")}";' in script
    assert 'request.method !== "GET" || request.mode !== "navigate"' in script  # no POST, nothing but pages
    assert client.post(reverse("core:service-worker")).status_code == 405


@pytest.mark.parametrize("code", SEVEN)
def test_offline_page_in_every_language(client, code, django_assert_num_queries):
    client.cookies["django_language"] = code
    with django_assert_num_queries(0):
        response = client.get(reverse("core:offline"))
    assert response.status_code == 200
    assert response["Content-Language"] == code
    body = response.content.decode()
    with translation.override(code):
        texts = [gettext("No connection"), gettext("What still works"), gettext("Try again")]
    assert code in ("de", "en") or texts[0] not in ("Keine Verbindung", "No connection")
    assert f'<html lang="{code}" dir="{"rtl" if code == "ar" else "ltr"}">' in body
    assert f"<h1>{texts[0]}</h1>" in body and f"<h2>{texts[1]}</h2>" in body
    # "Try again" loads the address the visitor asked for (the worker shows this page in its place).
    assert f'<a class="button" href="">{texts[2]}</a>' in body
    assert '<meta name="robots" content="noindex">' in body
    # A kept copy carries no form: no language switch, no login state, no CSRF token.
    assert "<form" not in body and "csrfmiddlewaretoken" not in body


def test_offline_page_and_manifest_answer_only_get(client):
    assert client.post(reverse("core:offline")).status_code == 405
    assert client.post(reverse("core:manifest")).status_code == 405
