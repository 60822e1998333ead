"""Rate limits on intake, one per source: a flood through one way in does not block the others.

The rates are `settings.INTAKE_RATES` ({"web": "10/h", …}); only real submissions count.
"""

import ipaddress

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django_ratelimit.core import is_ratelimited

SOURCES = ("web", "account", "round", "capture", "api", "flag", "support", "follow", "accessibility")


def client_address(request):
    """The address of the person's device: REMOTE_ADDR, or behind `TRUSTED_PROXY_COUNT` proxies the entry of
    X-Forwarded-For that the nearest of them wrote (the ones further left are the client's own claim).

    The one definition for every limit: ours (`client_key`) and allauth's (`accounts.adapter`).
    """
    address = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if proxies and len(forwarded) >= proxies:
        address = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return request.META.get("REMOTE_ADDR", "")


def client_key(group, request):
    """Whom a limit counts: the account, or else the client's address (an IPv6 /64 as one)."""
    if request.user.is_authenticated:
        return f"user:{request.user.pk}"
    return address_key(group, request)


def address_key(group, request):
    """The client's address as a limit's key, whether logged in or not (an IPv6 /64 as one)."""
    address = ipaddress.ip_address(client_address(request))
    if address.version == 6:
        return f"ip:{ipaddress.ip_network(f'{address}/64', strict=False).network_address}"
    return f"ip:{address}"


def intake_check(source, request):
    """Count a submission (a POST) from `source`; raise ValidationError(code="rate_limited") over the rate.

    Support and following count per address even for anonymous visitors without a session, so a client
    that drops its cookies cannot add supporters or subscriptions without end.
    """
    if source not in SOURCES:
        raise ValueError(f"Unknown intake source {source!r}.")
    if is_ratelimited(
        request,
        group=f"intake-{source}",
        key=address_key if source in ("support", "follow") else client_key,
        rate=settings.INTAKE_RATES[source],
        method="POST",
        increment=True,
    ):
        if source in ("support", "follow"):
            message = _("Too many requests from your connection in a short time. Please try again later.")
        else:
            message = _("Too many reports in a short time. Please try again later; what you entered is kept.")
        raise ValidationError(message, code="rate_limited")
