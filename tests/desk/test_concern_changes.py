"""The desk's changes to a concern (kiezwerk.concerns.services): status, assignment, category, duplicates, redaction."""

import io
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageStat

from kiezwerk.accounts.models import RoleKind
from kiezwerk.concerns import services
from kiezwerk.concerns.models import (
    CLOSED_STATUSES,
    Channel,
    Concern,
    ConcernStatus,
    EntryKind,
    Moderation,
    Photo,
    Support,
)
from kiezwerk.concerns.services import TRANSITIONS
from kiezwerk.core.models import AuditEvent, Follower, Redaction

from ..conftest import _user_with_role
from ..factories import CategoryFactory, ConcernFactory, partner_create
from .conftest import codes, mails, subscribe

S = ConcernStatus
# Every pair of different statuses except "duplicate", which needs an original (concern_mark_duplicate).
PAIRS = [(old, new) for old in S for new in S if old != new and new != S.DUPLICATE]


# The state machine ---------------------------------------------------------------------------


def test_transitions_follow_the_documented_chain():
    """new → triaged → referred → in_progress → closed; nothing returns to new; closed ones only reopen."""
    for old, new in [(S.NEW, S.TRIAGED), (S.TRIAGED, S.REFERRED), (S.REFERRED, S.IN_PROGRESS)]:
        assert new in TRANSITIONS[old]
    for closed in CLOSED_STATUSES:
        assert closed in TRANSITIONS[S.IN_PROGRESS]
        assert TRANSITIONS[closed] == {S.TRIAGED}
    assert all(S.NEW not in targets for targets in TRANSITIONS.values())


@pytest.mark.parametrize(("old", "new"), [pair for pair in PAIRS if pair[1] in TRANSITIONS[pair[0]]])
def test_legal_transition_is_a_public_status_update(district, manager, old, new):
    concern = ConcernFactory(district=district, status=old, follow_up_on=date.today())
    update = services.concern_reply(concern=concern, actor=manager, text="Begründung", new_status=new)
    concern.refresh_from_db()
    assert concern.status == new
    assert (concern.closed_at is not None) == (new in CLOSED_STATUSES)
    assert (concern.follow_up_on is None) == (new in CLOSED_STATUSES)  # nothing left to follow up
    assert (update.kind, update.is_public, update.old_status, update.new_status) == (EntryKind.STATUS, True, old, new)


@pytest.mark.parametrize(
    ("old", "new"), [pair for pair in PAIRS if pair[1] not in TRANSITIONS[pair[0]]] + [(S.NEW, "bogus")]
)
def test_illegal_transition_changes_nothing(district, manager, old, new):
    concern = ConcernFactory(district=district, status=old)
    with pytest.raises(ValidationError) as error:
        services.concern_reply(concern=concern, actor=manager, text="Begründung", new_status=new)
    assert codes(error.value) == {"transition"}
    concern.refresh_from_db()
    assert concern.status == old
    assert not concern.entries.exists() and not AuditEvent.objects.filter(verb__startswith="concern.").exists()


@pytest.mark.parametrize("old", [S.NEW, S.TRIAGED, S.IN_PROGRESS])
def test_duplicate_status_needs_an_original(district, manager, old):
    """Only concern_mark_duplicate closes a concern as duplicate: it names the original."""
    concern = ConcernFactory(district=district, status=old)
    with pytest.raises(ValidationError) as error:
        services.concern_reply(concern=concern, actor=manager, text="Gibt es schon", new_status=S.DUPLICATE)
    assert codes(error.value) == {"duplicate"}
    concern.refresh_from_db()
    assert concern.status == old and not concern.entries.exists()


@pytest.mark.parametrize(
    ("old", "new"),
    [(S.IN_PROGRESS, S.RESOLVED), (S.NEW, S.DECLINED), (S.RESOLVED, S.TRIAGED), (S.DECLINED, S.TRIAGED)],
)
@pytest.mark.parametrize("text", ["", "   "])
def test_resolving_declining_and_reopening_need_a_reason(district, manager, old, new, text):
    concern = ConcernFactory(district=district, status=old)
    with pytest.raises(ValidationError) as error:
        services.concern_reply(concern=concern, actor=manager, text=text, new_status=new)
    assert codes(error.value) == {"reason"}
    concern.refresh_from_db()
    assert concern.status == old and not concern.entries.exists()


def test_other_status_changes_need_no_reason(district, manager):
    concern = ConcernFactory(district=district)
    update = services.concern_reply(concern=concern, actor=manager, new_status=S.TRIAGED)
    assert update.text == "" and update.is_public


def test_internal_note_is_not_public(district, manager):
    concern = ConcernFactory(district=district)
    update = services.concern_reply(concern=concern, actor=manager, text="Hausmeister angerufen", is_public=False)
    assert (update.kind, update.is_public) == (EntryKind.NOTE, False)
    concern.refresh_from_db()
    assert concern.status == S.NEW


def test_status_change_cannot_be_internal(district, manager):
    concern = ConcernFactory(district=district)
    with pytest.raises(ValidationError) as error:
        services.concern_reply(concern=concern, actor=manager, text="intern", new_status=S.TRIAGED, is_public=False)
    assert codes(error.value) == {"internal_status"}
    concern.refresh_from_db()
    assert concern.status == S.NEW and not concern.entries.exists()


@pytest.mark.parametrize("is_public", [True, False])
def test_empty_reply_changes_nothing(district, manager, is_public):
    concern = ConcernFactory(district=district)
    with pytest.raises(ValidationError) as error:
        services.concern_reply(concern=concern, actor=manager, text="  ", is_public=is_public)
    assert codes(error.value) == {"empty"}
    assert not concern.entries.exists()


# Assignment, category, follow-up ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "in_district", "allowed"),
    [
        (RoleKind.MANAGER, True, True),
        (RoleKind.MODERATOR, True, True),
        (RoleKind.VOLUNTEER, True, True),
        (RoleKind.CITY_ADMIN, None, True),
        (RoleKind.RESIDENT, True, False),
        ("partner", True, False),  # a member of an organisation serving the district: no role, not the team
        (RoleKind.MANAGER, False, False),
        (RoleKind.VOLUNTEER, False, False),
    ],
)
def test_assign_only_to_the_districts_team(district, other_district, manager, kind, in_district, allowed):
    place = {True: district, False: other_district, None: None}[in_district]
    person = partner_create(place) if kind == "partner" else _user_with_role(kind, place)
    concern = ConcernFactory(district=district)
    if allowed:
        services.concern_assign(concern=concern, actor=manager, assignee=person)
    else:
        with pytest.raises(ValidationError) as error:
            services.concern_assign(concern=concern, actor=manager, assignee=person)
        assert codes(error.value) == {"not_team"}
    concern.refresh_from_db()
    assert concern.assignee == (person if allowed else None)


def test_assign_to_nobody_clears_the_assignee(district, manager):
    concern = ConcernFactory(district=district, assignee=manager)
    services.concern_assign(concern=concern, actor=manager, assignee=None)
    concern.refresh_from_db()
    assert concern.assignee is None


def test_sensitive_category_sends_a_published_concern_back_to_review(district, category, sensitive_category, manager):
    concern = ConcernFactory(district=district, category=category)
    services.concern_categorise(concern=concern, actor=manager, category=sensitive_category)
    concern.refresh_from_db()
    assert concern.category == sensitive_category
    assert concern.moderation == Moderation.PENDING
    assert not Concern.objects.public().filter(pk=concern.pk).exists()


def test_ordinary_category_ends_a_pending_review(district, category, sensitive_category, manager):
    concern = ConcernFactory(district=district, category=sensitive_category, moderation=Moderation.PENDING)
    services.concern_categorise(concern=concern, actor=manager, category=category)
    concern.refresh_from_db()
    assert concern.moderation == Moderation.NOT_REQUIRED


@pytest.mark.parametrize("which", ["other_district", "inactive"])
def test_unavailable_category_changes_nothing(district, other_district, category, manager, which):
    target = (
        CategoryFactory(district=other_district)
        if which == "other_district"
        else CategoryFactory(district=district, is_active=False)
    )
    concern = ConcernFactory(district=district, category=category)
    with pytest.raises(ValidationError) as error:
        services.concern_categorise(concern=concern, actor=manager, category=target)
    assert codes(error.value) == {"category"}
    concern.refresh_from_db()
    assert concern.category == category


def test_follow_up_date_is_set_and_cleared(district, manager):
    concern = ConcernFactory(district=district)
    on = date.today() + timedelta(days=7)
    services.concern_follow_up(concern=concern, actor=manager, on=on)
    concern.refresh_from_db()
    assert concern.follow_up_on == on
    services.concern_follow_up(concern=concern, actor=manager, on=None)
    concern.refresh_from_db()
    assert concern.follow_up_on is None


# Duplicates ---------------------------------------------------------------------------------------


def test_duplicate_moves_supports_counting_each_person_once(district, manager):
    original = ConcernFactory(district=district)
    duplicate = ConcernFactory(district=district)
    for concern, people in [(original, ["both", "only-original"]), (duplicate, ["both", "only-duplicate"])]:
        for person in people:
            Support.objects.create(concern=concern, fingerprint=person)
    services.concern_mark_duplicate(concern=duplicate, actor=manager, original=original)
    original.refresh_from_db()
    duplicate.refresh_from_db()
    people = set(original.supports.values_list("fingerprint", flat=True))
    assert {"both", "only-original", "only-duplicate"} < people
    assert len(people) == 4  # the three people and the duplicate itself
    assert original.supporter_count == 4
    assert duplicate.supporter_count == 0 and not duplicate.supports.exists()
    assert (duplicate.status, duplicate.duplicate_of) == (S.DUPLICATE, original)


def test_duplicate_moves_subscriptions_and_tells_its_subscribers_once(
    district, category, manager, smtp_server, django_capture_on_commit_callbacks
):
    lat, lon = district.centre
    original = ConcernFactory(district=district, category=category, title="Sperrmüll Ecke Parkstraße")
    subscribe(original, "both@example.org")
    subscribe(original, "original-only@example.org")
    duplicate, _token = services.concern_report(
        district=district,
        category=category,
        title="Müll",
        description="Schon wieder Müll.",
        lat=lat,
        lon=lon,
        reporter_email="reporter@example.org",
    )
    subscribe(duplicate, "both@example.org")
    subscribe(duplicate, "unconfirmed@example.org", confirmed=False)

    with django_capture_on_commit_callbacks(execute=True):
        services.concern_mark_duplicate(concern=duplicate, actor=manager, original=original)

    assert not duplicate.followers.exists()
    assert sorted(original.followers.values_list("email", flat=True)) == [
        "both@example.org",
        "original-only@example.org",
        "reporter@example.org",
        "unconfirmed@example.org",
    ]
    sent = mails(smtp_server)
    assert sorted(to for recipients, _m, _b in sent for to in recipients) == [
        "both@example.org",
        "reporter@example.org",
    ]
    for _recipients, _message, body in sent:
        assert original.title in body and original.get_absolute_url() in body


@pytest.mark.parametrize("case", ["same", "district", "original_duplicate", "transition"])
def test_bad_duplicate_changes_nothing(district, other_district, manager, case):
    concern = ConcernFactory(district=district, status=S.RESOLVED if case == "transition" else S.NEW)
    Support.objects.create(concern=concern, fingerprint="neighbour")
    original = {
        "same": concern,
        "district": ConcernFactory(district=other_district),
        "original_duplicate": ConcernFactory(district=district, status=S.DUPLICATE),
        "transition": ConcernFactory(district=district),
    }[case]
    with pytest.raises(ValidationError) as error:
        services.concern_mark_duplicate(concern=concern, actor=manager, original=original)
    assert codes(error.value) == {case}
    concern.refresh_from_db()
    assert concern.duplicate_of is None and concern.status != S.DUPLICATE
    assert concern.supports.count() == 1 and not concern.entries.exists()


# Redaction -------------------------------------------------------------------------------------------


def test_redaction_keeps_the_original_for_staff(district, moderator):
    concern = ConcernFactory(district=district, title="Herr Meier aus Nr. 5 dealt")
    services.concern_redact(
        concern=concern, actor=moderator, field="title", text="Drogenhandel vor Nr. 5", reason="Name genannt"
    )
    concern.refresh_from_db()
    assert concern.title == "Drogenhandel vor Nr. 5"
    redaction = Redaction.objects.get(concern=concern)
    assert (redaction.field, redaction.original, redaction.actor) == ("title", "Herr Meier aus Nr. 5 dealt", moderator)
    event = AuditEvent.objects.get(verb="concern.redacted")
    assert event.data["redaction"] == redaction.pk and "Meier" not in str(event.data)


@pytest.mark.parametrize(
    ("field", "text", "reason", "code"),
    [("address", "x", "Name", "field"), ("title", "x", " ", "reason"), ("title", " ", "Name", "empty")],
)
def test_bad_redaction_changes_nothing(district, moderator, field, text, reason, code):
    concern = ConcernFactory(district=district, title="Herr Meier dealt")
    with pytest.raises(ValidationError) as error:
        services.concern_redact(concern=concern, actor=moderator, field=field, text=text, reason=reason)
    assert codes(error.value) == {code}
    concern.refresh_from_db()
    assert concern.title == "Herr Meier dealt" and not Redaction.objects.exists()


@pytest.fixture
def private_root(settings):
    """Each test's own folder for originals (tests/conftest.py points the setting at tmp_path)."""
    return settings.PRIVATE_MEDIA_ROOT


def sharp_photo(concern):
    """A black and white chequerboard (a blur turns it grey), attached to the concern."""
    image = Image.new("RGB", (200, 100), "white")
    for x in range(0, 200, 10):
        for y in range((x // 10) % 2 * 10, 100, 20):
            image.paste((0, 0, 0), (x, y, x + 10, y + 10))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    prepared = services.photos_prepare([SimpleUploadedFile("face.png", buffer.getvalue(), "image/png")])
    [photo] = services.photos_store(concern=concern, prepared=prepared)
    return Photo.objects.get(pk=photo.pk)


def contrast(path):
    with Image.open(path) as image:
        return ImageStat.Stat(image.convert("L")).stddev[0]


def test_photo_redaction_blurs_the_public_copy_and_keeps_the_original_private(
    district, moderator, settings, private_root, django_capture_on_commit_callbacks
):
    photo = sharp_photo(ConcernFactory(district=district))
    old_image = Path(photo.image.path)
    original_bytes = old_image.read_bytes()

    with django_capture_on_commit_callbacks(execute=True):
        services.photo_redact(photo=photo, actor=moderator, reason="Gesicht erkennbar")

    photo.refresh_from_db()
    new_image = Path(photo.image.path)
    assert new_image != old_image and not old_image.exists()  # a new public name; the old file is gone
    assert contrast(new_image) < contrast(io.BytesIO(original_bytes)) / 2
    original = Path(photo.original.path)
    assert original.is_relative_to(private_root) and not original.is_relative_to(settings.MEDIA_ROOT)
    assert original.read_bytes() == original_bytes
    assert Redaction.objects.get(item_id=photo.pk).field == "photo"
    assert AuditEvent.objects.filter(verb="concern.photo_redacted", data__photo=photo.pk).count() == 1


@pytest.mark.parametrize(("reason", "code"), [(" ", "reason"), ("Gesicht", "already")])
def test_bad_photo_redaction_changes_nothing(district, moderator, private_root, reason, code):
    photo = sharp_photo(ConcernFactory(district=district))
    if code == "already":
        services.photo_redact(photo=photo, actor=moderator, reason="Gesicht")
        photo.refresh_from_db()
    image_name = photo.image.name
    redactions = Redaction.objects.count()
    with pytest.raises(ValidationError) as error:
        services.photo_redact(photo=photo, actor=moderator, reason=reason)
    assert codes(error.value) == {code}
    photo.refresh_from_db()
    assert photo.image.name == image_name and Redaction.objects.count() == redactions


# Reports captured by the team -------------------------------------------------------------------------


def report(district, category, **kwargs):
    lat, lon = district.centre
    return services.concern_report(
        district=district, category=category, title="Laterne aus", description="Seit Tagen.", lat=lat, lon=lon, **kwargs
    )


def test_capture_key_files_a_form_once(district, category, manager):
    first, token = report(district, category, channel=Channel.PHONE, actor=manager, capture_key="k-1")
    again, no_token = report(district, category, channel=Channel.PHONE, actor=manager, capture_key="k-1")
    assert again == first and token and no_token is None
    assert Concern.objects.count() == 1
    assert AuditEvent.objects.filter(verb="concern.reported").count() == 1


@pytest.mark.parametrize("channel", [Channel.STREET, Channel.PHONE])
@pytest.mark.parametrize(
    "contact", [{"reporter_name": "Frau Y"}, {"reporter_email": "y@example.org"}, {"reporter_phone": "0821 1"}]
)
def test_contact_data_from_the_team_needs_consent(district, category, manager, channel, contact):
    with pytest.raises(ValidationError) as error:
        report(district, category, channel=channel, actor=manager, **contact)
    assert codes(error.value) == {"consent"}
    assert not Concern.objects.exists() and not Follower.objects.exists()


def test_contact_data_with_consent_is_stored(district, category, manager):
    concern, _token = report(
        district, category, channel=Channel.PHONE, actor=manager, reporter_phone=" 0821 123 ", contact_consent=True
    )
    assert concern.reporter_phone == "0821 123" and concern.contact_consent_at is not None


def test_reporter_with_email_gets_a_confirmed_subscription(district, category):
    concern, _token = report(district, category, reporter_email=" Anna@Example.org ", language="en")
    subscription = Follower.objects.get(concern=concern)
    assert (subscription.email, subscription.language) == ("anna@example.org", "en")
    assert subscription.confirmed_at is not None
