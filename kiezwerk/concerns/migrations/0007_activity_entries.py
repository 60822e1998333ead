"""A concern's timeline, followers and redactions move to core's activity layer (and back).

Forward: each Update becomes a core Entry (target the concern, district the concern's; `language` the
resident's for "created", else blank), each Subscription a core Follower (same token: links in mails
already sent keep working), each Redaction a core Redaction (a photo's: `item_id` = the photo's id).
`Update.entry_id` (0006) keeps which Entry an Update became, for network.0006 (referral steps); it goes
with the model in 0008. Backward: the concern's entries, followers and redactions become rows of the old
models again and are deleted from core (the referral steps are turned back by network.0006 first).
"""

from django.db import migrations

BATCH = 2000


def _type(apps, app_label, model):
    ContentType = apps.get_model("contenttypes", "ContentType")
    return ContentType.objects.get_or_create(app_label=app_label, model=model)[0]


def _batches(queryset):
    """The rows of `queryset` in batches, by ascending pk (each batch is one list)."""
    last = 0
    while batch := list(queryset.filter(pk__gt=last).order_by("pk")[:BATCH]):
        yield batch
        last = batch[-1].pk


def _created_at_keep(model, rows, stamps):
    """bulk_create sets auto_now_add fields to now: put the original times back."""
    for row, stamp in zip(rows, stamps, strict=True):
        row.created_at = stamp
    model.objects.bulk_update(rows, ["created_at"], batch_size=BATCH)


def forward(apps, schema_editor):
    Concern = apps.get_model("concerns", "Concern")
    Update = apps.get_model("concerns", "Update")
    Subscription = apps.get_model("concerns", "Subscription")
    OldRedaction = apps.get_model("concerns", "Redaction")
    Entry = apps.get_model("core", "Entry")
    Follower = apps.get_model("core", "Follower")
    Redaction = apps.get_model("core", "Redaction")
    concern_type = _type(apps, "concerns", "concern")
    concerns = {
        pk: (district_id, language)
        for pk, district_id, language in Concern.objects.values_list("pk", "district_id", "language")
    }

    for updates in _batches(Update.objects.all()):
        entries = Entry.objects.bulk_create(
            [
                Entry(
                    target_type=concern_type,
                    target_id=u.concern_id,
                    district_id=concerns[u.concern_id][0],
                    kind=u.kind,
                    is_public=u.is_public,
                    author_id=u.author_id,
                    language=concerns[u.concern_id][1] if u.kind == "created" else "",
                    text=u.text,
                    old_status=u.old_status,
                    new_status=u.new_status,
                    created_at=u.created_at,
                )
                for u in updates
            ]
        )
        for update, entry in zip(updates, entries, strict=True):
            assert entry.pk is not None, "The database must return the ids of bulk-created rows."
            update.entry_id = entry.pk
        Update.objects.bulk_update(updates, ["entry_id"], batch_size=BATCH)

    for subscriptions in _batches(Subscription.objects.all()):
        followers = Follower.objects.bulk_create(
            [
                Follower(
                    target_type=concern_type,
                    target_id=s.concern_id,
                    email=s.email,
                    language=s.language,
                    token=s.token,
                    confirmed_at=s.confirmed_at,
                )
                for s in subscriptions
            ]
        )
        _created_at_keep(Follower, followers, [s.created_at for s in subscriptions])

    for old in _batches(OldRedaction.objects.all()):
        redactions = Redaction.objects.bulk_create(
            [
                Redaction(
                    target_type=concern_type,
                    target_id=r.concern_id,
                    field=r.field,
                    item_id=r.photo_id,
                    original=r.original,
                    reason=r.reason,
                    actor_id=r.actor_id,
                )
                for r in old
            ]
        )
        _created_at_keep(Redaction, redactions, [r.created_at for r in old])


def backward(apps, schema_editor):
    Photo = apps.get_model("concerns", "Photo")
    Update = apps.get_model("concerns", "Update")
    Subscription = apps.get_model("concerns", "Subscription")
    OldRedaction = apps.get_model("concerns", "Redaction")
    Entry = apps.get_model("core", "Entry")
    Follower = apps.get_model("core", "Follower")
    Redaction = apps.get_model("core", "Redaction")
    concern_type = _type(apps, "concerns", "concern")

    for entries in _batches(Entry.objects.filter(target_type=concern_type)):
        Update.objects.bulk_create(
            [
                Update(
                    concern_id=e.target_id,
                    kind=e.kind,
                    is_public=e.is_public,
                    author_id=e.author_id,
                    text=e.text,
                    old_status=e.old_status,
                    new_status=e.new_status,
                    created_at=e.created_at,
                    entry_id=e.pk,
                )
                for e in entries
            ]
        )
    Entry.objects.filter(target_type=concern_type).delete()

    for followers in _batches(Follower.objects.filter(target_type=concern_type)):
        subscriptions = Subscription.objects.bulk_create(
            [
                Subscription(
                    concern_id=f.target_id,
                    email=f.email,
                    language=f.language,
                    token=f.token,
                    confirmed_at=f.confirmed_at,
                )
                for f in followers
            ]
        )
        _created_at_keep(Subscription, subscriptions, [f.created_at for f in followers])
    Follower.objects.filter(target_type=concern_type).delete()

    photos = set(Photo.objects.values_list("pk", flat=True))
    for redactions in _batches(Redaction.objects.filter(target_type=concern_type)):
        old = OldRedaction.objects.bulk_create(
            [
                OldRedaction(
                    concern_id=r.target_id,
                    field=r.field,
                    photo_id=r.item_id if r.item_id in photos else None,
                    original=r.original,
                    reason=r.reason,
                    actor_id=r.actor_id,
                )
                for r in redactions
            ]
        )
        _created_at_keep(OldRedaction, old, [r.created_at for r in redactions])
    Redaction.objects.filter(target_type=concern_type).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("concerns", "0006_update_entry_id"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0003_activity"),
    ]

    operations = [migrations.RunPython(forward, backward)]
