from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from kiezwerk.core.models import OutboxMail
from kiezwerk.events.series import BERLIN
from kiezwerk.events.services import events as services
from kiezwerk.network.models import Organisation


def mails_to(address):
    return [mail for mail in OutboxMail.objects.order_by("pk") if address in mail.to]


def at(year, month, day, hour=15, minute=0):
    """A wall-clock time in Berlin."""
    return datetime(year, month, day, hour, minute, tzinfo=BERLIN)


def event_made(district, actor, *, starts_at=None, hours=2, **fields):
    """An event through the service; by default the team's own, tomorrow afternoon, 10 places."""
    starts_at = starts_at or (timezone.localtime() + timedelta(days=1)).replace(
        hour=15, minute=0, second=0, microsecond=0
    )
    lat, lon = district.centre
    fields = {"title": "Nachbarschaftscafé", "description": "Kaffee und Kuchen.", "capacity": 10} | fields
    return services.event_create(
        district=district,
        actor=actor,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=hours),
        place={"lat": lat, "lon": lon},
        **fields,
    )


@pytest.fixture
def organisation(district):
    found = Organisation.objects.create(name="Kulturverein Oberhausen", kind="association", visibility="public")
    found.districts.add(district)
    return found


@pytest.fixture
def event(district, manager):
    return event_made(district, manager)
