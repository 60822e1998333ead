"""The audit trail: append-only, one row per change, with before and after."""

from datetime import date
from types import SimpleNamespace

import pytest

from kiezwerk.concerns import services as concern_services
from kiezwerk.concerns.models import ConcernStatus
from kiezwerk.core import privacy
from kiezwerk.core.models import AuditEvent
from kiezwerk.desk import services
from kiezwerk.desk.models import FieldNote

from ..factories import CategoryFactory, ConcernFactory

ON = date(2030, 5, 1)


@pytest.mark.parametrize(
    "change",
    [
        lambda event: event.save(),
        lambda event: event.delete(),
        lambda event: AuditEvent.objects.filter(pk=event.pk).update(verb="nothing"),
        lambda event: AuditEvent.objects.filter(pk=event.pk).delete(),
    ],
    ids=["save", "delete", "queryset-update", "queryset-delete"],
)
def test_audit_events_refuse_changes(district, manager, change):
    concern = ConcernFactory(district=district)
    concern_services.concern_follow_up(concern=concern, actor=manager, on=ON)
    event = AuditEvent.objects.get(verb="concern.follow_up_set")
    event.verb = "nothing"
    with pytest.raises(TypeError):
        change(event)
    assert AuditEvent.objects.get(pk=event.pk).verb == "concern.follow_up_set"


# (change, verb, before, after); `x` holds the district's people and things, "manager" names x.manager.
CHANGES = [
    (
        lambda x: concern_services.concern_reply(concern=x.concern, actor=x.manager, new_status=ConcernStatus.TRIAGED),
        "concern.status_changed",
        "new",
        "triaged",
    ),
    (
        lambda x: concern_services.concern_reply(concern=x.concern, actor=x.manager, text="Danke"),
        "concern.replied",
        None,
        None,
    ),
    (
        lambda x: concern_services.concern_reply(concern=x.concern, actor=x.manager, text="intern", is_public=False),
        "concern.noted",
        None,
        None,
    ),
    (
        lambda x: concern_services.concern_assign(concern=x.concern, actor=x.manager, assignee=x.manager),
        "concern.assigned",
        "",
        "manager",
    ),
    (
        lambda x: concern_services.concern_categorise(concern=x.concern, actor=x.manager, category=x.other_category),
        "concern.categorised",
        "illegal-dumping",
        "graffiti",
    ),
    (
        lambda x: concern_services.concern_follow_up(concern=x.concern, actor=x.manager, on=ON),
        "concern.follow_up_set",
        "",
        "2030-05-01",
    ),
    (
        lambda x: concern_services.concern_mark_duplicate(concern=x.concern, actor=x.manager, original=x.original),
        "concern.marked_duplicate",
        "new",
        "duplicate",
    ),
    (
        lambda x: concern_services.concern_redact(
            concern=x.concern, actor=x.moderator, field="description", text="[entfernt]", reason="Name"
        ),
        "concern.redacted",
        None,
        None,
    ),
    (
        lambda x: services.street_contact_record(district=x.district, author=x.manager, topic=x.category),
        "street_contact.recorded",
        None,
        None,
    ),
    (
        lambda x: services.field_note_record(district=x.district, author=x.manager, met="Hausmeister", text="Licht"),
        "field_note.recorded",
        None,
        None,
    ),
    (
        lambda x: services.field_note_follow_up(note=x.note, actor=x.manager, on=ON),
        "field_note.follow_up_set",
        "",
        "2030-05-01",
    ),
    (
        lambda x: services.reply_template_save(
            district=x.district, actor=x.manager, title="Danke", texts={"de": "Danke"}
        ),
        "reply_template.saved",
        None,
        None,
    ),
    (
        lambda x: privacy.export(email="anna@example.org", districts=[x.district], actor=x.manager),
        "privacy.exported",
        None,
        None,
    ),
]


@pytest.mark.parametrize(("change", "verb", "before", "after"), CHANGES, ids=[c[1] for c in CHANGES])
def test_each_change_writes_one_audit_row(district, category, manager, moderator, change, verb, before, after):
    concern = ConcernFactory(district=district, category=category)
    x = SimpleNamespace(
        district=district,
        category=category,
        manager=manager,
        moderator=moderator,
        concern=concern,
        original=ConcernFactory(district=district, category=category),
        other_category=CategoryFactory(district=district, slug="graffiti"),
        note=FieldNote.objects.create(district=district, at=concern.created_at, met="Kita", text="Zaun"),
    )
    existing = set(AuditEvent.objects.values_list("pk", flat=True))

    change(x)

    [event] = AuditEvent.objects.exclude(pk__in=existing)
    assert (event.verb, event.actor, event.district) == (
        verb,
        moderator if verb == "concern.redacted" else manager,
        district,
    )
    expected_after = str(manager) if after == "manager" else after
    assert (event.data.get("before"), event.data.get("after")) == (before, expected_after)
