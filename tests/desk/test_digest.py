"""The managers' daily digest, over a real SMTP server."""

from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from kiezwerk.concerns.models import ConcernStatus
from kiezwerk.desk import services
from kiezwerk.desk.models import FieldNote

from ..factories import ConcernFactory
from .conftest import age, mails

TODAY = date.today()


def something_to_report(district, what):
    if what == "new":
        return ConcernFactory(district=district, title="Neu hier")
    if what == "overdue":
        return age(
            ConcernFactory(
                district=district, title="Wartet", status=ConcernStatus.TRIAGED, follow_up_on=TODAY - timedelta(days=1)
            ),
            5,
        )
    if what == "due_today":
        return age(
            ConcernFactory(district=district, title="Heute dran", status=ConcernStatus.TRIAGED, follow_up_on=TODAY), 5
        )
    return FieldNote.objects.create(
        district=district, at=timezone.now(), met="Frau Yilmaz", text="Rückruf", follow_up_on=TODAY
    )


@pytest.mark.parametrize("what", ["new", "overdue", "due_today", "note"])
def test_manager_with_something_to_report_gets_one_digest(
    district, manager, other_manager, smtp_server, django_capture_on_commit_callbacks, what
):
    item = something_to_report(district, what)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.digests_send(today=TODAY) == 2  # one task per manager and district
    [(recipients, _message, body)] = mails(smtp_server)  # the other district has nothing to report
    assert recipients == [manager.email]
    assert (item.met if what == "note" else item.title) in body
    assert f"http://testserver/desk/{district.slug}/" in body


def test_nothing_to_report_sends_no_mail(district, manager, smtp_server):
    age(ConcernFactory(district=district, status=ConcernStatus.TRIAGED), 5)
    age(ConcernFactory(district=district, status=ConcernStatus.RESOLVED, follow_up_on=TODAY - timedelta(days=3)), 5)
    assert services.digest_send(user=manager, district=district, today=TODAY) is False
    assert smtp_server.messages == []


def test_send_digests_command_mails_the_managers(district, manager, smtp_server, django_capture_on_commit_callbacks):
    ConcernFactory(district=district, title="Neu hier")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_digests")
    assert [recipients for recipients, _m, _b in mails(smtp_server)] == [[manager.email]]
