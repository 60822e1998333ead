"""Public pages are shared among visitors without a session, each with their own CSRF token, until data changes."""

import re

from django.test import Client
from django.urls import reverse

from kiezwerk.accounts.models import RoleKind
from kiezwerk.concerns import services

from ..factories import ConcernFactory, RoleFactory

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ANY_TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]+"')


def pages(district, concern):
    return [
        reverse("concerns:concern-list", args=[district.slug]),
        reverse("concerns:district-map", args=[district.slug]),
        concern.get_absolute_url(),
    ]


def test_visitors_share_the_page_but_each_gets_a_working_token_of_their_own(
    district, category, django_assert_max_num_queries
):
    concern = ConcernFactory(district=district, category=category, title="Bank am Spielplatz kaputt")
    for url in pages(district, concern):
        first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
        one = first.get(url).content.decode()
        with django_assert_max_num_queries(1):  # the district (or the concern's) data version only
            two = second.get(url).content.decode()
        assert ANY_TOKEN.sub("", one) == ANY_TOKEN.sub("", two)
        assert "kiezwerk-csrf-placeholder" not in two
        token = TOKEN.search(two).group(1)
        assert token != TOKEN.search(one).group(1)
        # The shared page's language switch works with the second visitor's own cookie.
        switched = second.post(reverse("set_language"), {"language": "en", "next": url, "csrfmiddlewaretoken": token})
        assert switched.status_code == 302
        assert "Concerns" in second.get(reverse("concerns:concern-list", args=[district.slug])).content.decode()


def test_a_public_change_shows_at_once(client, district, category):
    concern = ConcernFactory(district=district, category=category, title="Bank am Spielplatz kaputt")
    list_url = reverse("concerns:concern-list", args=[district.slug])
    assert "Bank am Spielplatz kaputt" in Client().get(list_url).content.decode()
    lat, lon = district.centre
    fields = {"title": "Laterne aus", "description": "Seit Tagen dunkel.", "lat": lat, "lon": lon}
    services.concern_report(district=district, category=category, **fields)
    assert "Laterne aus" in Client().get(list_url).content.decode()
    services.concern_support(concern=concern, fingerprint="f" * 64)
    page = Client().get(concern.get_absolute_url()).content.decode()
    assert "1 Person aus der Nachbarschaft unterstützt das." in page


def test_what_belongs_to_one_visitor_is_never_shared(client, district, category):
    concern = ConcernFactory(district=district, category=category)
    url = concern.get_absolute_url()
    supporter = Client()
    supporter.post(reverse("concerns:concern-support", args=[concern.pk]))
    own_page = supporter.get(url).content.decode()
    assert "Vielen Dank: Ihre Unterstützung wurde gezählt." in own_page
    stranger = Client().get(url).content.decode()
    assert "Vielen Dank: Ihre Unterstützung wurde gezählt." not in stranger
    # A signed-in team member gets the page rendered for them, never the shared one.
    manager = RoleFactory(district=district, kind=RoleKind.MANAGER).user
    staff = Client()
    staff.force_login(manager)
    assert "Abmelden" in staff.get(url).content.decode()
    assert "Abmelden" not in Client().get(url).content.decode()


def test_a_concern_that_is_not_public_is_never_cached(client, district, category):
    hidden = ConcernFactory(district=district, category=category, moderation="pending")
    assert Client().get(hidden.get_absolute_url()).status_code == 404
    assert Client().get(hidden.get_absolute_url()).status_code == 404


def test_a_shared_district_page_costs_no_query_and_follows_a_committed_change(
    district, category, django_assert_num_queries, django_capture_on_commit_callbacks
):
    from django.core.cache import cache

    from kiezwerk.core.selectors import district_version_key

    ConcernFactory(district=district, category=category, title="Bank am Spielplatz kaputt")
    url = reverse("concerns:concern-list", args=[district.slug])
    Client().get(url)
    with django_assert_num_queries(0):
        assert "Bank am Spielplatz kaputt" in Client().get(url).content.decode()
    lat, lon = district.centre
    with django_capture_on_commit_callbacks(execute=True):
        fields = {"title": "Laterne aus", "description": "Seit Tagen dunkel.", "lat": lat, "lon": lon}
        services.concern_report(district=district, category=category, **fields)
    district.refresh_from_db()
    assert cache.get(district_version_key(district.slug)) == (district.pk, district.data_version)
    assert "Laterne aus" in Client().get(url).content.decode()


def test_a_concern_hidden_after_it_was_shared_is_gone_for_everybody(
    district, category, sensitive_category, django_assert_num_queries
):
    concern = ConcernFactory(district=district, category=category, title="Bank am Spielplatz kaputt")
    url = concern.get_absolute_url()
    assert Client().get(url).status_code == 200
    with django_assert_num_queries(0):  # shared: the concern's district and its version come from the cache
        assert Client().get(url).status_code == 200
    # Moved to a sensitive category, it waits for the moderators again: nobody outside the team sees it.
    manager = RoleFactory(district=district, kind=RoleKind.MANAGER).user
    services.concern_categorise(concern=concern, actor=manager, category=sensitive_category)
    assert Client().get(url).status_code == 404
