"""core.access: a view's rule in front of it; the row its load finds is loaded once per request."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.test import RequestFactory

from kiezwerk.core import access
from kiezwerk.core.models import District
from kiezwerk.desk import rules as desk_rules

from ..factories import UserFactory


def _guarded(rule, load=None):
    seen = []

    @access.requires(rule, load=load)
    def view(request, slug=None):
        seen.append(desk_rules.district_for(request.user, slug) if slug else None)
        return HttpResponse("ok")

    return view, seen


def _request(user):
    request = RequestFactory().get("/somewhere/?x=1")
    request.user = user
    return request


def test_anonymous_visitors_go_to_the_login_before_anything_is_loaded(db, district, django_assert_num_queries):
    view, seen = _guarded(desk_rules.can_use_desk, load=desk_rules.district)
    with django_assert_num_queries(0):
        response = view(_request(AnonymousUser()), slug=district.slug)
    assert response.status_code == 302 and "/login/?next=/somewhere/%3Fx%3D1" in response.url
    assert seen == [] and view.kiezwerk_policy == "can_use_desk"


def test_a_failed_rule_is_403_and_a_missing_object_404(db, district, resident, manager):
    view, seen = _guarded(desk_rules.can_use_desk, load=desk_rules.district)
    with pytest.raises(PermissionDenied):
        view(_request(resident), slug=district.slug)
    with pytest.raises(Http404):
        view(_request(manager), slug="nowhere")
    assert seen == []


def test_the_rule_and_the_view_share_one_loaded_row(db, district, manager, django_assert_num_queries):
    view, seen = _guarded(desk_rules.can_use_desk, load=desk_rules.district)
    request = _request(manager)
    with django_assert_num_queries(2):  # the district and the user's roles, once each
        assert view(request, slug=district.slug).status_code == 200
    assert seen == [district] and seen[0] is desk_rules.district_for(request.user, district.slug)


def test_a_rule_without_load_is_asked_about_the_user_alone(db, manager, resident):
    view, _seen = _guarded(lambda user: user == manager)
    assert view(_request(manager)).status_code == 200
    with pytest.raises(PermissionDenied):
        view(_request(resident))


def test_once_per_request_keeps_rows_per_user_object_and_never_a_404(db, district):
    calls = []

    @access.once_per_request
    def load(user, slug):
        calls.append(slug)
        district = District.objects.filter(slug=slug).first()
        if district is None:
            raise Http404
        return district

    user = UserFactory()
    assert load(user, district.slug) is load(user, district.slug)
    for _ in range(2):
        with pytest.raises(Http404):
            load(user, "nowhere")
    load(UserFactory(), district.slug)  # another request's user loads again
    assert calls == [district.slug, "nowhere", "nowhere", district.slug]
