"""Sign-up and password reset for a known and an unknown address, side by side: the answer must not tell them apart.

`BENCH_ONLY=signup make bench`: 8 sign-ups with the address of an existing account, 8 with new
addresses, each through the real view with the real password hasher; then 8 password resets for
addresses of existing accounts and 8 for unknown ones (each through the real view, its mail rendered
and stored in the outbox). The accounts and mails it made are deleted.
"""

import statistics
import time
import uuid

from django.test import Client
from django.urls import reverse

from kiezwerk.accounts.models import User
from kiezwerk.core.models import OutboxMail

KNOWN = "bench-signup-known@example.org"
PASSWORD = "sehr-langes-passwort-7"


def _sample(email):
    start = time.perf_counter()
    response = Client().post(reverse("account_signup"), {"email": email, "password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 302, response.status_code
    return (time.perf_counter() - start) * 1000


def _reset_sample(email, n):
    # One reset per address and per client address: allauth allows 5 a minute per address, 20 per client.
    client = Client(REMOTE_ADDR=f"192.0.2.{n}")
    start = time.perf_counter()
    response = client.post(reverse("account_reset_password"), {"email": email})
    assert response.status_code == 302, response.status_code
    return (time.perf_counter() - start) * 1000


def _account(email):
    from allauth.account.models import EmailAddress

    user, _created = User.objects.get_or_create(email=email)
    user.set_password(PASSWORD)
    user.save()
    EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    return email


def measure(samples=8):
    _account(KNOWN)
    _sample(f"bench-signup-warmup-{uuid.uuid4().hex}@example.org")
    known = [_sample(KNOWN) for _ in range(samples)]
    unknown = [_sample(f"bench-signup-{uuid.uuid4().hex}@example.org") for _ in range(samples)]
    accounts = [_account(f"bench-signup-reset-{n}@example.org") for n in range(samples + 1)]
    _reset_sample(accounts.pop(), 1)
    _reset_sample(f"bench-signup-warmup-{uuid.uuid4().hex}@example.org", 2)
    reset_known = [_reset_sample(email, 10 + n) for n, email in enumerate(accounts)]
    reset_unknown = [_reset_sample(f"bench-signup-{uuid.uuid4().hex}@example.org", 50 + n) for n in range(samples)]
    User.objects.filter(email__startswith="bench-signup-").delete()
    OutboxMail.objects.filter(to__icontains="bench-signup-").delete()
    return {
        "known_ms": [round(x) for x in known],
        "unknown_ms": [round(x) for x in unknown],
        "reset_known_ms": [round(x, 1) for x in reset_known],
        "reset_unknown_ms": [round(x, 1) for x in reset_unknown],
    }


def report(result):
    for what, prefix in (("sign-up", ""), ("password reset", "reset_")):
        known, unknown = result[f"{prefix}known_ms"], result[f"{prefix}unknown_ms"]
        for name, values in (("known", known), ("unknown", unknown)):
            print(f"{what}, {name:>7} address: median {statistics.median(values):.0f} ms  {values}")
        separable = max(known) < min(unknown) or max(unknown) < min(known)
        print(f"{what}: the two sets " + ("SEPARATE completely: the timing tells" if separable else "overlap"))
