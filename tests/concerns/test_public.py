import pytest
from django.urls import reverse

from kiezwerk.concerns import opendata, services
from kiezwerk.concerns.models import Concern
from kiezwerk.core import activity
from kiezwerk.core.models import Follower

from ..factories import CategoryFactory, ConcernFactory
from ..outbox import send_retries


@pytest.fixture
def public_concern(district, category):
    return ConcernFactory(district=district, category=category, title="Öffentlich sichtbar")


@pytest.fixture
def internal_concern(district, sensitive_category):
    return ConcernFactory(
        district=district, category=sensitive_category, title="Noch nicht geprüft", moderation="pending"
    )


# Who sees what -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "sees_internal"),
    [
        ("anonymous", False),
        ("resident", False),
        ("partner", False),
        ("other_manager", False),
        ("manager", True),
        ("moderator", True),
        ("city_admin", True),
    ],
)
def test_internal_concern_visibility(request, client, who, sees_internal, public_concern, internal_concern):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    assert client.get(public_concern.get_absolute_url()).status_code == 200
    assert client.get(internal_concern.get_absolute_url()).status_code == (200 if sees_internal else 404)
    district = internal_concern.district
    opendata.build(district.pk)
    # Public lists and data never carry internal concerns, whoever asks.
    for url in (
        reverse("concerns:concern-list", args=[district.slug]),
        reverse("concerns:open-data-geojson", args=[district.slug]),
        reverse("concerns:open-data-csv", args=[district.slug]),
    ):
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert "Öffentlich sichtbar" in body.decode()
        assert "Noch nicht geprüft" not in body.decode()


def test_missing_and_forbidden_look_the_same(client, internal_concern):
    assert client.get(reverse("concerns:concern-detail", args=[999999])).status_code == 404
    assert client.get(internal_concern.get_absolute_url()).status_code == 404
    response = client.post(reverse("concerns:concern-support", args=[internal_concern.pk]))
    assert response.status_code == 404
    response = client.post(
        reverse("concerns:concern-subscribe", args=[internal_concern.pk]), {"email": "a@example.org"}
    )
    assert response.status_code == 404
    assert not Follower.objects.exists()


@pytest.mark.parametrize("who", ["anonymous", "resident", "manager", "other_manager"])
def test_only_moderators_review(request, client, who, internal_concern):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    response = client.post(reverse("concerns:concern-review", args=[internal_concern.pk]), {"publish": "1"})
    if who == "anonymous":  # sent to the login page
        assert response.status_code == 302 and response.url.startswith(reverse("account_login"))
    else:
        assert response.status_code in (403, 404)
    internal_concern.refresh_from_db()
    assert internal_concern.moderation == "pending"


def test_moderator_publishes_sensitive_concern(client, moderator, internal_concern):
    client.force_login(moderator)
    page = client.get(internal_concern.get_absolute_url()).content.decode()
    assert reverse("concerns:concern-review", args=[internal_concern.pk]) in page
    client.post(reverse("concerns:concern-review", args=[internal_concern.pk]), {"publish": "1"})
    client.logout()
    assert client.get(internal_concern.get_absolute_url()).status_code == 200


def test_reporter_contact_is_never_public(client, district, category):
    concern = ConcernFactory(
        district=district, category=category, reporter_name="Erika Mustermann", reporter_email="erika@example.org"
    )
    opendata.build(district.pk)
    pages = [
        client.get(concern.get_absolute_url()),
        client.get(reverse("concerns:concern-list", args=[district.slug])),
        client.get(reverse("concerns:open-data-geojson", args=[district.slug])),
        client.get(reverse("concerns:open-data-csv", args=[district.slug])),
    ]
    for page in pages:
        content = b"".join(page.streaming_content) if page.streaming else page.content
        assert page.status_code == 200 and b"Mustermann" not in content and b"erika@" not in content


# Lists, map data, open data -------------------------------------------------------


def test_list_filters_and_paginates(client, district, category):
    other = CategoryFactory(district=district, name_de="Beleuchtung")
    ConcernFactory.create_batch(25, district=district, category=category)
    ConcernFactory(district=district, category=other, title="Laterne dunkel", status="resolved")
    url = reverse("concerns:concern-list", args=[district.slug])
    first = client.get(url)
    assert first.context["page"].paginator.count == 26 and len(first.context["page"].object_list) == 20
    assert client.get(url, {"page": 2}).context["page"].object_list.__len__() == 6
    assert [c.title for c in client.get(url, {"status": "resolved"}).context["page"]] == ["Laterne dunkel"]
    assert client.get(url, {"category": other.pk}).context["page"].paginator.count == 1
    assert client.get(url, {"period": "7"}).context["page"].paginator.count == 26
    Concern.objects.filter(title="Laterne dunkel").update(created_at="2020-01-01T00:00:00Z")
    assert client.get(url, {"period": "30"}).context["page"].paginator.count == 25
    # Nonsense filters are ignored, not a server error.
    assert client.get(url, {"status": "nonsense", "page": "x", "category": "abc"}).status_code == 200


def test_parent_category_filter_includes_children(client, district):
    parent = CategoryFactory(district=district, name_de="Müll")
    child = CategoryFactory(district=district, parent=parent, name_de="Sperrmüll")
    ConcernFactory(district=district, category=child)
    url = reverse("concerns:concern-list", args=[district.slug])
    assert client.get(url, {"category": parent.pk}).context["page"].paginator.count == 1


@pytest.mark.parametrize("rows", [3, 60])
def test_public_pages_run_a_bounded_number_of_queries(client, district, category, rows, django_assert_max_num_queries):
    concerns = ConcernFactory.create_batch(rows, district=district, category=category)
    for concern in concerns[:3]:
        services.concern_reply(concern=concern, actor=None, text="Wir kümmern uns.")
    urls = [
        reverse("concerns:concern-list", args=[district.slug]),
        reverse("concerns:district-map", args=[district.slug]),
        concerns[0].get_absolute_url(),
    ]
    for url in urls:
        with django_assert_max_num_queries(9):
            assert client.get(url).status_code == 200
    opendata.build(district.pk)
    for name in ("concerns:open-data-geojson", "concerns:open-data-csv"):  # files built by a task, read as they are
        with django_assert_max_num_queries(1):
            response = client.get(reverse(name, args=[district.slug]))
            assert response.status_code == 200 and b"".join(response.streaming_content)


# Open data (the GeoJSON and CSV files, their build and headers): tests/concerns/test_open_data.py.


def test_unknown_district_is_404(client, db):
    for name in ("concerns:district-map", "concerns:concern-list", "concerns:report", "concerns:open-data-geojson"):
        assert client.get(reverse(name, args=["gibt-es-nicht"])).status_code == 404


# Support ("betrifft mich auch") ----------------------------------------------------


def test_support_counts_once_per_person(client, public_concern):
    url = reverse("concerns:concern-support", args=[public_concern.pk])
    client.post(url)
    client.post(url)
    public_concern.refresh_from_db()
    assert public_concern.supporter_count == 1
    other = client.__class__()
    other.post(url)
    public_concern.refresh_from_db()
    assert public_concern.supporter_count == 2
    page = client.get(public_concern.get_absolute_url()).content.decode()
    assert "2 Personen aus der Nachbarschaft unterstützen das." in page


def test_support_with_htmx_returns_the_partial(client, public_concern):
    response = client.post(reverse("concerns:concern-support", args=[public_concern.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert b"<html" not in response.content and b'id="supporter-count"' in response.content


def test_closed_concern_cannot_be_supported(client, district, category):
    closed = ConcernFactory(district=district, category=category, status="resolved")
    client.post(reverse("concerns:concern-support", args=[closed.pk]))
    closed.refresh_from_db()
    assert closed.supporter_count == 0


# Subscriptions ----------------------------------------------------------------------


def test_subscribe_confirm_and_one_click_unsubscribe(
    client, public_concern, smtp_server, django_capture_on_commit_callbacks
):
    url = reverse("concerns:concern-subscribe", args=[public_concern.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"email": "Nachbar@Example.org"}).status_code == 302
    subscription = Follower.objects.get()
    assert subscription.email == "nachbar@example.org" and subscription.confirmed_at is None
    message = smtp_server.messages[0].content.decode()
    assert f"/subscriptions/{subscription.token}/confirm/" in message
    assert "List-Unsubscribe-Post: List-Unsubscribe=One-Click" in message
    client.get(reverse("core:follow-confirm", args=[subscription.token]))
    subscription.refresh_from_db()
    assert subscription.confirmed_at is not None
    # RFC 8058: the mail client POSTs without a CSRF token.
    csrf_client = client.__class__(enforce_csrf_checks=True)
    response = csrf_client.post(
        reverse("core:unsubscribe", args=[subscription.token]), {"List-Unsubscribe": "One-Click"}
    )
    assert response.status_code == 200
    assert not Follower.objects.exists()


def test_subscribe_with_bad_address_keeps_page(client, public_concern):
    response = client.post(reverse("concerns:concern-subscribe", args=[public_concern.pk]), {"email": "kaputt"})
    assert response.status_code == 400
    assert b"kaputt" in response.content
    assert not Follower.objects.exists()


def test_subscription_confirmation_is_retried_when_the_server_refuses(
    public_concern, smtp_server, django_capture_on_commit_callbacks, settings
):
    smtp_server.refuse = 1
    with django_capture_on_commit_callbacks(execute=True):
        activity.follow(target=public_concern, email="a@example.org")
    send_retries()
    assert len(smtp_server.messages) == 1  # the outbox retried after the 451


def test_unknown_subscription_tokens(client, db):
    assert client.get(reverse("core:follow-confirm", args=["nope"])).status_code == 404
    assert client.get(reverse("core:unsubscribe", args=["nope"])).status_code == 404
    assert client.post(reverse("core:unsubscribe", args=["nope"])).status_code == 200
