"""A NUL byte in a path, a query or a form field is answered 400 with a German page, never 500 (PostgreSQL)."""

import pytest

from kiezwerk.concerns.models import Concern
from kiezwerk.core.models import Follower

PAGE = "Die Anfrage konnte nicht gelesen werden"


@pytest.mark.parametrize(
    "url",
    [
        "/subscriptions/%00/confirm/",
        "/subscriptions/ab%00cd/unsubscribe/",
        "/track/%00/",
        "/p/%00/",
        "/partner/?district=%00",
        "/districts/testviertel/concerns/?q=%00",
        "/desk/testviertel/?q=Sperr%00m%C3%BCll",
        "/districts/test%00viertel/",
    ],
)
def test_nul_in_paths_and_queries_is_a_bad_request(client, district, manager, url):
    client.force_login(manager)
    response = client.get(url)
    assert response.status_code == 400
    assert PAGE in response.content.decode()


def test_nul_in_a_form_field_changes_nothing(client, district, category):
    response = client.post(
        f"/districts/{district.slug}/report/",
        {"category": category.pk, "title": "Sperr\x00müll", "description": "x", "location": "48.38,10.87"},
    )
    assert response.status_code == 400
    assert not Concern.objects.exists()


def test_nul_in_a_subscription_address_changes_nothing(client, district, category):
    from ..factories import concern_reported

    concern, _token = concern_reported(district, category)
    response = client.post(f"/concerns/{concern.pk}/subscribe/", {"email": "a\x00@example.org"})
    assert response.status_code == 400
    assert not Follower.objects.exclude(email=concern.reporter_email).exists()
