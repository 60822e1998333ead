"""'Betrifft mich auch' is remembered per concern and per person; the reporter is offered neither support nor
a second subscription (issue E, item 2)."""

from django.test import Client
from django.urls import reverse

from kiezwerk.concerns.models import Concern

from ..factories import ConcernFactory
from .test_report import form_data, report_url

SUPPORTS = "Sie unterstützen dieses Anliegen."
BUTTON = "Betrifft mich auch"


def support(client, concern):
    return client.post(reverse("concerns:concern-support", args=[concern.pk]), follow=True).content.decode()


def test_supporting_one_concern_marks_no_other(client, district, category):
    first, second = ConcernFactory.create_batch(2, district=district, category=category)
    page = support(client, first)
    assert SUPPORTS in page and "1 Person aus der Nachbarschaft unterstützt das." in page
    other = client.get(second.get_absolute_url()).content.decode()
    assert SUPPORTS not in other and BUTTON in other
    assert "0 Personen aus der Nachbarschaft unterstützen das." in other
    # A second click on the other concern still counts there, and the first stays supported.
    assert SUPPORTS in support(client, second)
    assert [c.supporter_count for c in Concern.objects.order_by("pk")] == [1, 1]
    assert SUPPORTS in client.get(first.get_absolute_url()).content.decode()


def test_an_account_is_remembered_in_every_browser(district, category, resident):
    concern = ConcernFactory(district=district, category=category)
    phone, laptop = Client(), Client()
    phone.force_login(resident)
    support(phone, concern)
    laptop.force_login(resident)
    page = laptop.get(concern.get_absolute_url()).content.decode()
    assert SUPPORTS in page and BUTTON not in page
    support(laptop, concern)
    concern.refresh_from_db()
    assert concern.supporter_count == 1


def test_the_reporter_is_not_offered_support_for_their_own_report(client, district, category, street):
    client.post(report_url(district), form_data(district, category))
    concern = Concern.objects.get()
    page = client.get(concern.get_absolute_url()).content.decode()
    assert "Sie haben dieses Anliegen gemeldet." in page and BUTTON not in page
    answer = support(client, concern)
    assert "Sie haben dieses Anliegen selbst gemeldet" in answer
    concern.refresh_from_db()
    assert concern.supporter_count == 0


def test_a_logged_in_reporter_cannot_support_their_own_report(client, district, category, resident):
    concern = ConcernFactory(district=district, category=category, reporter=resident)
    client.force_login(resident)
    assert BUTTON not in client.get(concern.get_absolute_url()).content.decode()
    support(client, concern)
    concern.refresh_from_db()
    assert concern.supporter_count == 0


def test_whoever_follows_is_not_offered_to_subscribe_again(client, district, category, street):
    data = form_data(district, category, reporter_email="melderin@example.org")
    client.post(report_url(district), data)
    token = client.session["reported"]["token"]
    tracking = client.get(reverse("concerns:track", args=[token])).content.decode()
    assert "Sie verfolgen dieses Anliegen per E-Mail" in tracking and "Verfolgen</button>" not in tracking

    neighbour = Client()
    concern = Concern.objects.get()
    assert "Verfolgen</button>" in neighbour.get(concern.get_absolute_url()).content.decode()
    neighbour.post(reverse("concerns:concern-subscribe", args=[concern.pk]), {"email": "nachbar@example.org"})
    page = neighbour.get(concern.get_absolute_url()).content.decode()
    assert "Sie verfolgen dieses Anliegen per E-Mail" in page and "Verfolgen</button>" not in page
