"""The activity layer works for any object: here a district stands in for a domain's object."""

import pytest
from django.db import transaction

from kiezwerk.core import activity
from kiezwerk.core.models import AuditEvent, Entry, FlagReason, Follower, OutboxMail


@pytest.fixture
def mails(district):
    """Follower mails for districts, as a domain app registers them for its model."""
    activity.register(
        type(district),
        update=lambda entry, follower: ("core/email/test_update", {"text": entry.text}),
        confirm=lambda follower: ("core/email/test_confirm", {}),
        district=lambda target: target,
    )
    yield
    activity._mails.pop(district._meta.label_lower)


@pytest.fixture(autouse=True)
def _templates(settings, tmp_path):
    folder = tmp_path / "templates" / "core" / "email"
    folder.mkdir(parents=True)
    (folder / "test_update_subject.txt").write_text("Neu")
    (folder / "test_update_body.txt").write_text("{{ text }} – {{ unsubscribe_url }}")
    (folder / "test_confirm_subject.txt").write_text("Bitte bestätigen")
    (folder / "test_confirm_body.txt").write_text("{{ confirm_url }}")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path / "templates", *settings.TEMPLATES[0]["DIRS"]]}]


def test_a_public_entry_writes_its_audit_row_and_mails_each_confirmed_follower(district, manager, mails):
    confirmed = activity.follow(target=district, email="Nachbar@Example.org", language="tr")
    activity.follow_confirm(token=confirmed.token)
    activity.follow(target=district, email="offen@example.org")  # never confirmed
    OutboxMail.objects.all().delete()

    entry = activity.record(
        target=district,
        kind="reply",
        actor=manager,
        text="Wir kümmern uns.",
        is_public=True,
        district=district,
        verb="concern.replied",
        audit={"length": 16},
    )
    assert Entry.objects.filter(**activity.of(district)).get() == entry and entry.author == manager
    assert AuditEvent.objects.filter(verb="concern.replied", target_id=str(district.pk), data={"length": 16}).exists()
    [mail] = OutboxMail.objects.all()
    assert mail.to == ["nachbar@example.org"] and mail.district == district
    assert f"/subscriptions/{confirmed.token}/unsubscribe/" in mail.body and "Wir kümmern uns." in mail.body
    assert mail.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_an_internal_entry_mails_nobody_and_a_rolled_back_one_leaves_nothing(district, manager, mails):
    activity.follow_confirm(token=activity.follow(target=district, email="a@example.org").token)
    OutboxMail.objects.all().delete()
    activity.record(target=district, kind="note", actor=manager, text="Intern")
    assert not OutboxMail.objects.exists()
    with pytest.raises(ValueError):
        activity.followers_notify(entry=Entry.objects.get())
    with pytest.raises(RuntimeError), transaction.atomic():
        activity.record(target=district, kind="reply", actor=manager, text="Öffentlich", is_public=True)
        raise RuntimeError
    assert Entry.objects.count() == 1 and not OutboxMail.objects.exists()


def test_a_note_can_never_be_public(district, manager):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError), transaction.atomic():
        activity.record(target=district, kind="note", actor=manager, text="x", is_public=True, notify=False)


def test_following_asks_for_confirmation_once_and_unsubscribing_deletes_the_address(district, mails):
    follower = activity.follow(target=district, email="a@example.org")
    again = activity.follow(target=district, email=" A@example.org ")
    assert follower == again and Follower.objects.count() == 1
    confirmations = OutboxMail.objects.filter(subject="Bitte bestätigen")
    assert confirmations.count() == 2 and f"/subscriptions/{follower.token}/confirm/" in confirmations[0].body
    assert activity.follow_confirm(token=follower.token).confirmed_at is not None
    activity.follow(target=district, email="a@example.org")
    assert confirmations.count() == 2  # confirmed: no third mail
    assert activity.follow_cancel(token=follower.token) == district and not Follower.objects.exists()
    assert activity.follow_confirm(token="unknown") is None and activity.follow_cancel(token="unknown") is None


def test_followers_move_to_another_object_once_per_address(district, other_district, mails):
    for address in ("a@example.org", "b@example.org"):
        activity.follow_confirm(token=activity.follow(target=district, email=address).token)
    activity.follow(target=other_district, email="a@example.org")
    moved = activity.followers_move(source=district, target=other_district)
    assert [f.email for f in moved] == ["b@example.org"]
    assert sorted(Follower.objects.filter(**activity.of(other_district)).values_list("email", flat=True)) == [
        "a@example.org",
        "b@example.org",
    ]
    assert not Follower.objects.filter(**activity.of(district)).exists()


def test_a_person_flags_once_and_a_moderator_resolves_the_flags(district, moderator):
    flag, created = activity.flag_create(target=district, reason=FlagReason.SPAM, fingerprint="abc", note=" Werbung ")
    assert created and flag.note == "Werbung"
    assert activity.flag_create(target=district, reason=FlagReason.OTHER, fingerprint="abc") == (flag, False)
    activity.flag_create(target=district, reason=FlagReason.OFFENSIVE, fingerprint="def")
    assert activity.flags_open(district).count() == 2
    assert activity.flag_resolve(target=district, actor=moderator, district=district) == 2
    assert not activity.flags_open(district).exists()
    assert AuditEvent.objects.filter(verb="flag.resolved", data={"flags": 2}).exists()
    # Once resolved, the same person may flag again.
    assert activity.flag_create(target=district, reason=FlagReason.SPAM, fingerprint="abc")[1]


def test_a_model_without_follower_mails_is_told_to_register(district):
    with pytest.raises(LookupError, match=r"activity\.register"):
        activity.follow(target=district, email="a@example.org")
