"""Events through their pages: the event page with its JSON-LD and feed links, registering, the mailed links,
and what stays invisible until the team approves."""

import json
import re
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from kiezwerk.accounts.services import membership_add
from kiezwerk.events.models import Registration
from kiezwerk.events.services import events as services
from kiezwerk.events.services import registrations

from ..factories import UserFactory
from .conftest import event_made

REQUIRED = {"name", "startDate", "endDate", "eventStatus", "eventAttendanceMode", "location", "organizer", "inLanguage"}


def jsonld(page):
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    return json.loads(found.group(1))


def test_the_event_page_carries_json_ld_and_announces_its_feeds(client, district, manager):
    event = event_made(district, manager, price="3.50", languages=["de", "tr"], step_free=True)
    page = client.get(event.get_absolute_url()).content.decode()
    data = jsonld(page)
    assert data["@type"] == "Event" and set(data) >= REQUIRED
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["offers"]["price"] == "3.50" and data["offers"]["priceCurrency"] == "EUR"
    assert data["isAccessibleForFree"] is False and data["inLanguage"] == ["de", "tr"]
    assert data["location"]["geo"]["latitude"] == event.lat
    assert (
        f'type="text/calendar" title="Veranstaltungen in {district.name}" href="/events/{district.slug}/calendar.ics"'
        in page
    )
    assert "Stufenloser Zugang" in page and "Türkçe" in page
    free = event_made(district, manager, title="Sprachcafé")
    data = jsonld(client.get(free.get_absolute_url()).content.decode())
    assert data["isAccessibleForFree"] is True and "offers" not in data
    services.event_cancel(event=free, actor=manager, reason="Krankheit")
    data = jsonld(client.get(free.get_absolute_url()).content.decode())
    assert data["eventStatus"] == "https://schema.org/EventCancelled"


def test_a_title_cannot_break_out_of_the_json_ld(client, district, manager):
    event = event_made(district, manager, title="Café </script><script>alert(1)</script>")
    page = client.get(event.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in page
    assert jsonld(page)["name"] == "Café </script><script>alert(1)</script>"


def test_registering_without_an_account_through_the_pages(client, district, manager, event):
    date = event.occurrences.get()
    url = reverse("events:register", args=[district.slug, event.pk, date.pk])
    assert f'href="{url}"' in client.get(event.get_absolute_url()).content.decode()
    assert "Ihre E-Mail-Adresse" in client.get(url).content.decode()
    response = client.post(url, {"name": "Ali", "email": "keine-adresse"})
    assert response.status_code == 400 and 'value="Ali"' in response.content.decode()
    assert not Registration.objects.exists()
    assert client.post(url, {"name": "Ali Yılmaz", "email": "ali@example.org"}).status_code == 302
    registration = Registration.objects.get()
    confirm = reverse("events:registration-confirm", args=[registration.token])
    assert client.get(confirm).status_code == 200
    registration.refresh_from_db()
    assert registration.status == "unconfirmed"  # opening the link (a mail scanner) confirms nothing
    assert client.post(confirm).status_code == 200
    registration.refresh_from_db()
    assert registration.status == "registered"
    cancel = reverse("events:registration-cancel", args=[registration.token])
    assert client.post(cancel).status_code == 200
    assert client.post(cancel).status_code == 200  # a second use says it has ended
    registration.refresh_from_db()
    assert registration.status == "cancelled"
    assert client.get(reverse("events:registration-cancel", args=["x" * 43])).status_code == 404


def test_an_offer_through_its_page_accepted_once(client, district, manager):
    event = event_made(district, manager, capacity=1, starts_at=timezone.now() + timedelta(days=3))
    date = event.occurrences.get()
    holder = registrations.register(occurrence=date, user=UserFactory())
    waiting = registrations.register(occurrence=date, user=UserFactory())
    registrations.cancel(registration=holder)
    url = reverse("events:registration-offer", args=[waiting.token])
    assert "Platz annehmen" in client.get(url).content.decode()
    assert client.post(url, {"answer": "accept"}).status_code == 200
    again = client.post(url, {"answer": "accept"})
    assert again.status_code == 400 and "bereits angenommen" in again.content.decode()
    waiting.refresh_from_db()
    assert waiting.status == "registered"


def test_a_submission_is_invisible_until_approved(client, district, manager, organisation):
    member = UserFactory()
    membership_add(user=member, target=organisation)
    event = event_made(district, member, organiser=organisation, title="Lesung im Hof")
    assert event.review == "pending"
    public = [
        event.get_absolute_url(),
        reverse("events:ics", args=[district.slug, event.pk]),
    ]
    for url in public:
        assert client.get(url).status_code == 404, url
    assert "Lesung im Hof" not in client.get(reverse("events:feed", args=[district.slug])).content.decode()
    client.force_login(member)
    assert "wartet auf die Freigabe" in client.get(event.get_absolute_url()).content.decode()
    client.logout()
    services.event_review(event=event, actor=manager, approve=True)
    assert client.get(event.get_absolute_url()).status_code == 200
    assert "Lesung im Hof" in client.get(reverse("events:feed", args=[district.slug])).content.decode()


def test_query_counts_stay_flat(client, district, manager, django_assert_max_num_queries):
    for n in range(15):
        event_made(district, manager, title=f"Veranstaltung {n}")
    event = event_made(district, manager, title="Letzte")
    calendar = reverse("events:calendar", args=[district.slug])
    for url in (event.get_absolute_url(), reverse("events:feed", args=[district.slug]), f"{calendar}?view=month"):
        with django_assert_max_num_queries(15):
            assert client.get(url).status_code == 200


def test_the_calendar_lists_filters_and_shows_a_month(client, district, manager, organisation):
    from .conftest import at

    today = timezone.localdate()
    soon = timezone.localtime().replace(hour=18, minute=0, second=0, microsecond=0) + timedelta(days=2)
    event_made(district, manager, title="Sprachcafé", starts_at=soon, topics=["language"], languages=["de", "ar"])
    event_made(district, manager, title="Yoga im Park", starts_at=soon, price="5.00", step_free=True, topics=["sport"])
    old = event_made(district, manager, title="Vorbei", starts_at=at(2025, 1, 7))
    url = reverse("events:calendar", args=[district.slug])
    page = client.get(url).content.decode()
    assert "Sprachcafé" in page and "Yoga im Park" in page and old.title not in page
    assert f'href="webcal://testserver/events/{district.slug}/calendar.ics"' in page
    assert "Yoga im Park" not in client.get(url, {"free": "on"}).content.decode()
    assert "Sprachcafé" not in client.get(url, {"step_free": "on"}).content.decode()
    assert "Yoga im Park" not in client.get(url, {"language": "ar"}).content.decode()
    assert "Sprachcafé" not in client.get(url, {"topic": "sport"}).content.decode()
    theirs = event_made(district, manager, title="Lesung", starts_at=soon, organiser=organisation)
    services.event_review(event=theirs, actor=manager, approve=True)
    by_them = client.get(url, {"organiser": str(organisation.pk)}).content.decode()
    assert "Lesung" in by_them and "Sprachcafé" not in by_them
    by_team = client.get(url, {"organiser": "team"}).content.decode()
    assert "Sprachcafé" in by_team and "Lesung" not in by_team
    assert "Sprachcafé" not in client.get(url, {"when": "today"}).content.decode() or soon.date() == today
    month = client.get(url, {"view": "month", "month": f"{soon:%Y-%m}"}).content.decode()
    assert '<table class="month">' in month and "Sprachcafé" in month
    # Bad input: a clear error, nothing broken.
    bad = client.get(url, {"start": "2027-05-02", "end": "2027-05-01"})
    assert bad.status_code == 400 and "vor seinem Beginn" in bad.content.decode()
    assert client.get(url, {"view": "month", "month": "2027-13"}).status_code == 400
    assert client.get(url, {"topic": "<script>"}).status_code == 400


def test_the_map_layer_for_a_viewport_and_the_district_page(client, district, manager, organisation):
    lat, lon = district.centre
    shown = event_made(district, manager, title="Sprachcafé")
    pending = event_made(district, manager, title="Noch nicht freigegeben", organiser=organisation)
    far = event_made(district, manager, title="In drei Wochen", starts_at=timezone.now() + timedelta(days=21))
    url = reverse("events:map", args=[district.slug])
    data = json.loads(client.get(url).content)
    titles = {f["properties"]["title"] for f in data["features"]}
    assert titles == {"Sprachcafé"} and pending.title not in titles and far.title not in titles
    assert set(data["features"][0]["properties"]) == {"title", "url", "status_label"}
    inside = f"{lon - 0.01},{lat - 0.01},{lon + 0.01},{lat + 0.01}"
    assert len(json.loads(client.get(url, {"bbox": inside}).content)["features"]) == 1
    elsewhere = f"{lon + 1},{lat + 1},{lon + 1.1},{lat + 1.1}"
    assert json.loads(client.get(url, {"bbox": elsewhere}).content)["features"] == []
    assert client.get(url, {"bbox": "1,2,3"}).status_code == 400
    page = client.get(district.get_absolute_url()).content.decode()
    assert 'id="district-events"' in page and shown.title in page and pending.title not in page
    assert '"key": "events"' in page or "kw-layer--events" in page
