"""Photos are served by the web server in production, by Django only in development (DEBUG on)."""

import pytest
from django.urls import Resolver404, resolve


def test_with_debug_off_the_media_url_is_not_routed_to_django(client, settings):
    assert not settings.DEBUG
    photo = settings.MEDIA_ROOT / "concerns" / "foto.jpg"
    photo.parent.mkdir(parents=True)
    photo.write_bytes(b"\xff\xd8\xff")
    url = f"{settings.MEDIA_URL}concerns/foto.jpg"
    with pytest.raises(Resolver404):
        resolve(url)
    assert client.get(url).status_code == 404
