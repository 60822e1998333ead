import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from kiezwerk.accounts import access
from kiezwerk.accounts.models import Role, RoleKind, User
from kiezwerk.concerns import rules as concern_rules

from ..factories import ConcernFactory


def test_user_model_logs_in_with_email(db):
    user = User.objects.create_user(email="Anna@Example.ORG", password="lange-passphrase-42")
    assert user.email == "anna@example.org" and User.USERNAME_FIELD == "email"
    assert user.check_password("lange-passphrase-42")


def test_signup_requires_email_verification(client, db, smtp_server, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the outbox sends after the commit
        response = client.post(
            reverse("account_signup"),
            {"email": "neu@example.org", "password1": "sehr-langes-passwort-7", "password2": "sehr-langes-passwort-7"},
        )
    assert response.status_code == 302 and response.url == reverse("account_email_verification_sent")
    assert not EmailAddress.objects.get(email="neu@example.org").verified
    assert len(smtp_server.messages) == 1
    assert "/accounts/confirm-email/" in smtp_server.messages[0].content.decode()
    # Unverified accounts cannot log in yet.
    client.logout()
    login = client.post(reverse("account_login"), {"login": "neu@example.org", "password": "sehr-langes-passwort-7"})
    assert login.url == reverse("account_email_verification_sent")


def test_login_is_rate_limited(client, db):
    user = User.objects.create_user(email="ziel@example.org", password="richtiges-passwort-1")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    for _ in range(5):
        client.post(reverse("account_login"), {"login": "ziel@example.org", "password": "falsch"})
    response = client.post(reverse("account_login"), {"login": "ziel@example.org", "password": "richtiges-passwort-1"})
    assert response.status_code in (200, 429)
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    ("who", "lands_on"),
    [
        ("manager", "/desk/"),
        ("moderator", "/desk/"),
        ("partner", "/partner/"),  # a member of an organisation
        ("resident", "/"),
    ],
)
def test_login_lands_where_the_work_is(request, client, db, who, lands_on):
    user = request.getfixturevalue(who)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    credentials = {"login": user.email, "password": "correct horse battery"}
    assert client.post(reverse("account_login"), credentials).url == lands_on
    client.logout()
    # A page that asked for the login comes first.
    asked = client.post(reverse("account_login") + "?next=/concerns/", credentials)
    assert asked.url == "/concerns/"


def test_password_reset_mails_a_link(client, db, smtp_server, django_capture_on_commit_callbacks):
    user = User.objects.create_user(email="vergessen@example.org", password="altes-passwort-1")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": "vergessen@example.org"})
    assert "/accounts/password/reset/key/" in smtp_server.messages[0].content.decode()


def test_login_page_is_german_and_labelled(client, db):
    body = client.get(reverse("account_login")).content.decode()
    assert "Anmelden" in body and '<label for="id_login"' in body
    # allauth's buttons carry the site's classes (a bare <button> looks broken beside the rest).
    assert '<button class="button"' in " ".join(body.split())


@pytest.mark.parametrize(
    ("kind", "staff", "moderates"),
    [
        (RoleKind.RESIDENT, False, False),
        (RoleKind.VOLUNTEER, False, False),
        (RoleKind.MANAGER, True, False),
        (RoleKind.MODERATOR, True, True),
        (RoleKind.CITY_ADMIN, True, True),
    ],
)
def test_policy_by_role(district, other_district, sensitive_category, kind, staff, moderates):
    user = User.objects.create_user(email=f"{kind}@example.org", password="x-very-long-1")
    Role.objects.create(user=user, kind=kind, district=None if kind == RoleKind.CITY_ADMIN else district)
    internal = ConcernFactory(district=district, category=sensitive_category, moderation="pending")
    assert access.is_staff_of(user, district) is staff
    assert access.can_moderate(user, district) is moderates
    assert concern_rules.can_view_concern(user, internal) is staff
    assert concern_rules.can_see_reporter(user, internal) is staff
    # Nothing carries over to another district, except for a city-wide admin.
    assert access.is_staff_of(user, other_district) is (kind == RoleKind.CITY_ADMIN)


def test_anonymous_has_no_roles(db, district):
    from django.contrib.auth.models import AnonymousUser

    assert access.roles(AnonymousUser(), district) == frozenset()
    assert not access.is_staff_of(AnonymousUser(), district)


def test_role_needs_a_district_unless_city_admin(db):
    from django.db import IntegrityError

    user = User.objects.create_user(email="x@example.org", password="x-very-long-1")
    with pytest.raises(IntegrityError):
        Role.objects.create(user=user, kind=RoleKind.MANAGER, district=None)
