"""Text answers go out gzip-compressed to clients that accept it; media does not."""

import gzip

from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from kiezwerk.core.middleware import CompressMiddleware

from ..factories import ConcernFactory


def test_pages_and_map_data_are_compressed_for_clients_that_accept_gzip(client, district, category):
    for url in (reverse("core:home"), reverse("concerns:district-map", args=[district.slug])):
        plain = client.get(url)
        packed = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
        assert "Content-Encoding" not in plain
        assert packed["Content-Encoding"] == "gzip" and "Accept-Encoding" in packed["Vary"]
        html = gzip.decompress(packed.content).decode()
        assert "<html" in html and len(packed.content) < len(plain.content) / 2
    ConcernFactory.create_batch(5, district=district, category=category)
    data = client.get(reverse("concerns:map-data", args=[district.slug]), HTTP_ACCEPT_ENCODING="gzip")
    assert data["Content-Encoding"] == "gzip"
    assert gzip.decompress(data.content).startswith(b'{"type":"FeatureCollection"')


def test_images_are_not_compressed_again():
    middleware = CompressMiddleware(lambda request: HttpResponse(b"\xff\xd8" + b"x" * 5000, content_type="image/jpeg"))
    response = middleware(RequestFactory().get("/media/x.jpg", HTTP_ACCEPT_ENCODING="gzip"))
    assert "Content-Encoding" not in response
