"""Rate limits on intake, one per source: a flood through one way in does not block the others.

The rates are `settings.INTAKE_RATES` ({"web": "10/h", …}); only real submissions count.
"""

import ipaddress

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django_ratelimit.core import is_ratelimited

SOURCES = ("web", "round", "capture", "api", "flag")


def client_key(group, request):
    """Whom a limit counts: the account, or else the connection's address (an IPv6 /64 as one).

    The one place to change when the site runs behind a proxy (read the forwarded address here).
    """
    if request.user.is_authenticated:
        return f"user:{request.user.pk}"
    address = ipaddress.ip_address(request.META["REMOTE_ADDR"])
    if address.version == 6:
        return f"ip:{ipaddress.ip_network(f'{address}/64', strict=False).network_address}"
    return f"ip:{address}"


def intake_check(source, request):
    """Count a submission (a POST) from `source`; raise ValidationError(code="rate_limited") over the rate."""
    if source not in SOURCES:
        raise ValueError(f"Unknown intake source {source!r}.")
    if is_ratelimited(
        request,
        group=f"intake-{source}",
        key=client_key,
        rate=settings.INTAKE_RATES[source],
        method="POST",
        increment=True,
    ):
        raise ValidationError(
            _("Too many reports in a short time. Please try again later; what you entered is kept."),
            code="rate_limited",
        )
