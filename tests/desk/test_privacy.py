"""Personal data: export and erasure on request, and the retention rule for closed concerns."""

import json
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from kiezwerk.concerns import services
from kiezwerk.concerns.models import Concern, ConcernStatus
from kiezwerk.core import privacy
from kiezwerk.core.models import AuditEvent, Follower

from ..factories import ConcernFactory, UserFactory
from .conftest import subscribe

ADDRESS = "anna@example.org"


@pytest.fixture
def stored(district, other_district):
    """Anna's concerns (by address, by account, one elsewhere), her subscription, and Bob's concern."""
    account = UserFactory(email=ADDRESS)
    by_address = ConcernFactory(
        district=district, reporter_name="Anna", reporter_email=ADDRESS, reporter_phone="0821 1"
    )
    subscribe(by_address, ADDRESS)
    by_account = ConcernFactory(district=district, reporter=account)
    followed = ConcernFactory(district=district, reporter_email="bob@example.org")
    subscribe(followed, ADDRESS)
    subscribe(followed, "bob@example.org")
    elsewhere = ConcernFactory(district=other_district, reporter_email=ADDRESS)
    return {"by_address": by_address, "by_account": by_account, "followed": followed, "elsewhere": elsewhere}


def assert_no_address_in_audit():
    for event in AuditEvent.objects.all():
        assert ADDRESS not in json.dumps(event.data) and ADDRESS not in event.target_id


def test_export_holds_the_concerns_of_that_address_only(district, manager, stored):
    data = privacy.export(email=" Anna@Example.org ", districts=[district], actor=manager)
    assert sorted(c["id"] for c in data["concerns"]) == sorted([stored["by_address"].pk, stored["by_account"].pk])
    assert sorted(s["concern"] for s in data["subscriptions"]) == sorted(
        [stored["by_address"].pk, stored["followed"].pk]
    )
    json.dumps(data)  # a plain document
    assert AuditEvent.objects.filter(verb="privacy.exported").count() == 1
    assert_no_address_in_audit()


def test_erase_clears_the_person_and_keeps_the_concerns(district, manager, stored):
    counts = privacy.erase(email=ADDRESS, districts=[district], actor=manager)
    assert counts == {"concerns": 2, "subscriptions": 2}
    for key in ["by_address", "by_account"]:
        concern = Concern.objects.get(pk=stored[key].pk)
        assert (concern.reporter_name, concern.reporter_email, concern.reporter_phone) == ("", "", "")
        assert concern.reporter is None and concern.contact_consent_at is None
    assert list(Follower.objects.values_list("email", flat=True)) == ["bob@example.org"]
    assert Concern.objects.get(pk=stored["followed"].pk).reporter_email == "bob@example.org"
    assert Concern.objects.get(pk=stored["elsewhere"].pk).reporter_email == ADDRESS  # not this manager's district
    assert AuditEvent.objects.get(verb="privacy.erased").data["subscriptions"] == 2
    assert AuditEvent.objects.filter(verb="concern.reporter_anonymised").count() == 2
    assert_no_address_in_audit()


def closed(district, months_ago, status=ConcernStatus.RESOLVED):
    concern = ConcernFactory(district=district, status=status, reporter_name="Anna", reporter_email=ADDRESS)
    Concern.objects.filter(pk=concern.pk).update(closed_at=timezone.now() - timedelta(days=round(months_ago * 30.44)))
    return concern


def test_retention_anonymises_only_concerns_closed_longer_than_the_limit(district, settings):
    settings.RETENTION_MONTHS = 12
    old = closed(district, 13)
    declined = closed(district, 13, ConcernStatus.DECLINED)
    recent = closed(district, 11)
    open_and_old = ConcernFactory(district=district, reporter_email=ADDRESS)
    Concern.objects.filter(pk=open_and_old.pk).update(created_at=timezone.now() - timedelta(days=800))

    assert services.retention_apply() == 2
    assert set(Concern.objects.filter(reporter_email="").values_list("pk", flat=True)) == {old.pk, declined.pk}
    assert Concern.objects.get(pk=recent.pk).reporter_email == ADDRESS
    assert Concern.objects.get(pk=open_and_old.pk).reporter_email == ADDRESS
    assert AuditEvent.objects.filter(verb="concern.reporter_anonymised", data__reason="retention:12").count() == 2


def test_anonymise_closed_command_takes_the_months(district):
    old, recent = closed(district, 7), closed(district, 5)
    call_command("anonymise_closed", months=6)
    assert Concern.objects.get(pk=old.pk).reporter_name == ""
    assert Concern.objects.get(pk=recent.pk).reporter_name == "Anna"


def test_anonymise_closed_refuses_less_than_a_month(district):
    concern = closed(district, 1)
    with pytest.raises(CommandError):
        call_command("anonymise_closed", months=0)
    assert Concern.objects.get(pk=concern.pk).reporter_name == "Anna"
