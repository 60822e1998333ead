"""Sign-up for a known and an unknown address, side by side: the answer must not tell them apart.

`BENCH_ONLY=signup make bench`: 8 sign-ups with the address of an existing account, 8 with new
addresses, each through the real view with the real password hasher; the accounts it made are deleted.
"""

import statistics
import time
import uuid

from django.test import Client
from django.urls import reverse

from kiezwerk.accounts.models import User

KNOWN = "bench-signup-known@example.org"
PASSWORD = "sehr-langes-passwort-7"


def _sample(email):
    start = time.perf_counter()
    response = Client().post(reverse("account_signup"), {"email": email, "password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 302, response.status_code
    return (time.perf_counter() - start) * 1000


def measure(samples=8):
    from allauth.account.models import EmailAddress

    user, _created = User.objects.get_or_create(email=KNOWN)
    EmailAddress.objects.get_or_create(user=user, email=KNOWN, defaults={"verified": True, "primary": True})
    _sample(f"bench-signup-warmup-{uuid.uuid4().hex}@example.org")
    known = [_sample(KNOWN) for _ in range(samples)]
    unknown = [_sample(f"bench-signup-{uuid.uuid4().hex}@example.org") for _ in range(samples)]
    User.objects.filter(email__startswith="bench-signup-").delete()
    return {"known_ms": [round(x) for x in known], "unknown_ms": [round(x) for x in unknown]}


def report(result):
    for name in ("known", "unknown"):
        values = result[f"{name}_ms"]
        print(f"sign-up, {name:>7} address: median {statistics.median(values):.0f} ms  {values}")
    separable = max(result["known_ms"]) < min(result["unknown_ms"]) or max(result["unknown_ms"]) < min(
        result["known_ms"]
    )
    print("the two sets " + ("SEPARATE completely: the timing tells" if separable else "overlap"))
