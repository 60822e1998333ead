"""Limits count the person's address: behind the trusted proxies the forwarded one, never a claimed one."""

import pytest
from allauth.account.models import EmailAddress
from django.test import Client, RequestFactory
from django.urls import reverse

from kiezwerk.accounts.models import User
from kiezwerk.concerns.models import Concern
from kiezwerk.core.intake.limits import client_address

from ..factories import ConcernFactory

PROXY = "10.0.0.1"


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "203.0.113.7", PROXY),  # no proxy trusted: the header is anybody's claim
        (1, "203.0.113.7", "203.0.113.7"),  # nginx wrote the client's address
        (1, "6.6.6.6, 203.0.113.7", "203.0.113.7"),  # the client claimed 6.6.6.6 itself
        (2, "6.6.6.6, 203.0.113.7, 10.0.0.9", "203.0.113.7"),  # two proxies: the first one's entry
        (2, "203.0.113.7", PROXY),  # fewer entries than proxies: the connection's address
        (1, "not-an-address", PROXY),
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_the_client_address_behind_trusted_proxies(settings, proxies, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected


def report(client, district, category, forwarded, title="Sperrmüll"):
    lat, lon = district.centre
    return client.post(
        reverse("concerns:report", args=[district.slug]),
        {"category": category.pk, "title": title, "description": "x", "location": f"{lat},{lon}"},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded,
    )


def test_behind_the_proxy_one_residents_limit_does_not_close_reporting_for_all(settings, district, category):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.INTAKE_RATES = {**settings.INTAKE_RATES, "web": "2/h"}
    flooder = Client()
    for _ in range(2):
        assert report(flooder, district, category, "203.0.113.7").status_code == 302
    assert report(flooder, district, category, "203.0.113.7").status_code == 400
    assert report(Client(), district, category, "198.51.100.9", title="Laterne").status_code == 302
    # Claiming another address in front of the proxy's entry changes nothing.
    assert report(flooder, district, category, "198.51.100.77, 203.0.113.7").status_code == 400
    assert Concern.objects.count() == 3


def test_a_forged_header_without_a_trusted_proxy_does_not_escape_the_limit(settings, district, category):
    settings.TRUSTED_PROXY_COUNT = 0
    settings.INTAKE_RATES = {**settings.INTAKE_RATES, "web": "2/h"}
    answers = [report(Client(), district, category, f"203.0.113.{n}").status_code for n in range(3)]
    assert answers == [302, 302, 400]


def test_failed_logins_lock_one_address_not_the_whole_city(settings, db):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "3/5m/ip"}
    user = User.objects.create_user(email="ziel@example.org", password="richtiges-passwort-1")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    attacker = Client()
    for _ in range(4):
        attacker.post(
            reverse("account_login"),
            {"login": "ziel@example.org", "password": "falsch"},
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR="203.0.113.7",
        )
    locked = attacker.post(
        reverse("account_login"),
        {"login": "ziel@example.org", "password": "richtiges-passwort-1"},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="203.0.113.7",
    )
    assert "_auth_user_id" not in attacker.session and locked.status_code in (200, 429)
    neighbour = Client()
    neighbour.post(
        reverse("account_login"),
        {"login": "ziel@example.org", "password": "richtiges-passwort-1"},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="198.51.100.9",
    )
    assert neighbour.session["_auth_user_id"] == str(user.pk)


def test_dropping_cookies_does_not_inflate_support(settings, district, category):
    settings.INTAKE_RATES = {**settings.INTAKE_RATES, "support": "5/h"}
    concern = ConcernFactory(district=district, category=category)
    for _ in range(5):
        Client().post(reverse("concerns:concern-support", args=[concern.pk]))  # a fresh client each time
    refused = Client().post(reverse("concerns:concern-support", args=[concern.pk]), follow=True)
    assert "Zu viele Anfragen von Ihrer Verbindung in kurzer Zeit." in refused.content.decode()
    concern.refresh_from_db()
    assert concern.supporter_count == 5
