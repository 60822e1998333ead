"""Sign-up and password reset do the same work for a known and an unknown address: one mail queued each."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import MD5PasswordHasher
from django.urls import reverse

from kiezwerk.accounts.models import User
from kiezwerk.core.models import OutboxMail


class CountingHasher(MD5PasswordHasher):
    """A real (fast) hasher that counts how many passwords it hashed."""

    algorithm = "counting_md5"
    hashed = 0

    def encode(self, password, salt):
        CountingHasher.hashed += 1
        return super().encode(password, salt)


@pytest.fixture
def counting(settings):
    settings.PASSWORD_HASHERS = ["tests.accounts.test_signup_enumeration.CountingHasher"]
    CountingHasher.hashed = 0
    return CountingHasher


@pytest.mark.parametrize("known", [False, True])
def test_sign_up_does_the_same_work_for_known_and_unknown_addresses(client, db, counting, known):
    if known:
        user = User.objects.create_user(email="da@example.org", password="schon-lange-hier-1")
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        counting.hashed = 0
    response = client.post(
        reverse("account_signup"),
        {"email": "da@example.org", "password1": "sehr-langes-passwort-7", "password2": "sehr-langes-passwort-7"},
    )
    assert response.status_code == 302 and response.url == reverse("account_email_verification_sent")
    assert counting.hashed == 1
    [mail] = OutboxMail.objects.all()
    assert mail.to == ["da@example.org"]
    expected = "account/email/account_already_exists" if known else "account/email/email_confirmation_signup"
    assert mail.purpose == expected
    assert User.objects.count() == 1


# Password reset ---------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["da@example.org", "DA@Example.org"])
def test_password_reset_answers_and_mails_alike_for_known_and_unknown_addresses(
    db, typed, django_assert_max_num_queries
):
    """Each case renders and queues one mail (allauth's "no account for this address" notice for an unknown
    one, `ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS`) and answers with the same redirect and page."""
    from django.test import Client

    user = User.objects.create_user(email="da@example.org", password="schon-lange-hier-1")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    answers = {}
    for case, email in (("known", typed), ("unknown", "niemand@example.org")):
        client = Client()
        with django_assert_max_num_queries(4):
            response = client.post(reverse("account_reset_password"), {"email": email})
        assert response.status_code == 302 and response.url == reverse("account_reset_password_done")
        page = client.get(response.url).content.decode()
        answers[case] = re.sub(r"\b[A-Za-z0-9]{64}\b", "<csrf>", page)  # each render masks its token anew
    assert answers["known"] == answers["unknown"]
    assert "Wir haben Ihnen eine E-Mail geschickt." in answers["known"]
    mails = {mail.purpose: mail.to for mail in OutboxMail.objects.all()}
    assert mails == {
        "account/email/password_reset_key": ["da@example.org"],  # the address as stored
        "account/email/unknown_account": ["niemand@example.org"],
    }
