"""Following from the reporter's tracking page: errors keep the tracking page, success returns to it."""

from django.urls import reverse

from kiezwerk.core.models import Follower

from ..factories import concern_reported

PRIVATE = "Dies ist Ihre persönliche Verfolgungsseite"


def test_an_error_keeps_the_tracking_page(client, district, category):
    _concern, token = concern_reported(district, category)
    page = client.get(reverse("concerns:track", args=[token])).content.decode()
    assert f'action="/track/{token}/follow/#error-summary"' in page
    response = client.post(reverse("concerns:track-subscribe", args=[token]), {"email": "kein-at-zeichen"})
    assert response.status_code == 400
    body = response.content.decode()
    assert PRIVATE in body and 'id="error-summary"' in body and 'value="kein-at-zeichen"' in body
    assert not Follower.objects.filter(email="kein-at-zeichen").exists()


def test_following_from_the_tracking_page_returns_to_it(client, district, category):
    _concern, token = concern_reported(district, category)
    response = client.post(reverse("concerns:track-subscribe", args=[token]), {"email": "nachbar@example.org"})
    assert response.status_code == 302 and response.url == reverse("concerns:track", args=[token])
    assert Follower.objects.filter(email="nachbar@example.org", confirmed_at=None).count() == 1
    assert "Sie verfolgen dieses Anliegen per E-Mail" in client.get(response.url).content.decode()


def test_unknown_links_and_unpublished_concerns_cannot_be_followed(client, district, category, sensitive_category):
    unknown = client.post(reverse("concerns:track-subscribe", args=["no-such-token"]), {"email": "a@example.org"})
    assert unknown.status_code == 404
    _pending, token = concern_reported(district, sensitive_category)
    hidden = client.post(reverse("concerns:track-subscribe", args=[token]), {"email": "a@example.org"})
    assert hidden.status_code == 404
    assert not Follower.objects.exists()
