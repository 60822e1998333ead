"""HSTS on https, and staff, partner and secret-link pages kept out of every cache."""

import importlib

import pytest
from django.urls import reverse

from ..factories import concern_reported


def no_store(response):
    value = response.headers.get("Cache-Control", "")
    return "private" in value and "no-store" in value


def test_staff_pages_are_private_and_not_stored(client, district, manager):
    client.force_login(manager)
    for url in (f"/desk/{district.slug}/", f"/desk/{district.slug}/today/", f"/network/{district.slug}/"):
        response = client.get(url)
        assert response.status_code == 200 and no_store(response), url


def test_secret_link_pages_are_private_and_not_stored(client, district, category):
    _concern, token = concern_reported(district, category)
    response = client.get(reverse("concerns:track", args=[token]))
    assert response.status_code == 200 and no_store(response)


def test_public_pages_may_be_cached(client, district):
    response = client.get(f"/districts/{district.slug}/")
    assert response.status_code == 200 and "no-store" not in response.headers.get("Cache-Control", "")


@pytest.mark.parametrize(("site_url", "hsts"), [("https://kiez.example.org", 31_536_000), ("http://127.0.0.1:8000", 0)])
def test_hsts_and_secure_cookies_follow_the_site_url(monkeypatch, site_url, hsts):
    import kiezwerk.settings as settings_module

    monkeypatch.setenv("SITE_URL", site_url)
    monkeypatch.setenv("SECRET_KEY", "insecure-key-for-tests-only")
    fresh = importlib.reload(settings_module)
    try:
        assert hsts == fresh.SECURE_HSTS_SECONDS
        assert fresh.SESSION_COOKIE_SECURE is fresh.CSRF_COOKIE_SECURE is (hsts > 0)
        assert fresh.SECURE_SSL_REDIRECT is (hsts > 0) and fresh.SECURE_REDIRECT_EXEMPT == [r"^healthz$", r"^readyz$"]
    finally:
        monkeypatch.undo()
        importlib.reload(settings_module)


def test_https_answers_carry_hsts(client, settings, db):
    settings.SECURE_HSTS_SECONDS = 31_536_000
    response = client.get("/", secure=True)
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000"
