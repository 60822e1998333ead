"""The network's activity log moves to the activity layer: each Interaction becomes a core.Entry, and back.

Target: the organisation, or the contact person when no organisation is given. Context: the person when
both are given, otherwise the desk's conversation note the interaction was made from (if any; were both a
person and a note given, the person is kept). Internal (`is_public` False); `created_at` is the time it
happened.
"""

from django.db import migrations

KINDS = ["meeting", "call", "email", "event", "street"]


def _types(apps):
    ContentType = apps.get_model("contenttypes", "ContentType")
    return [
        ContentType.objects.get_or_create(app_label=app_label, model=model)[0]
        for app_label, model in [("network", "organisation"), ("network", "contact"), ("desk", "fieldnote")]
    ]


def interactions_to_entries(apps, schema_editor):
    Interaction = apps.get_model("network", "Interaction")
    Entry = apps.get_model("core", "Entry")
    if not Interaction.objects.exists():
        return
    organisation, contact, note = _types(apps)
    entries = []
    for row in Interaction.objects.order_by("pk").iterator():
        if row.organisation_id:
            target = (organisation, row.organisation_id)
            context = (contact, row.contact_id) if row.contact_id else (note, row.field_note_id)
        else:
            target = (contact, row.contact_id)
            context = (note, row.field_note_id)
        if context[1] is None:
            context = (None, None)
        entries.append(
            Entry(
                target_type=target[0],
                target_id=target[1],
                context_type=context[0],
                context_id=context[1],
                district_id=row.district_id,
                kind=row.kind,
                is_public=False,
                author_id=row.author_id,
                text=row.note,
                created_at=row.at,
            )
        )
    Entry.objects.bulk_create(entries, batch_size=500)
    Interaction.objects.all().delete()


def entries_to_interactions(apps, schema_editor):
    Interaction = apps.get_model("network", "Interaction")
    Entry = apps.get_model("core", "Entry")
    FieldNote = apps.get_model("desk", "FieldNote")
    organisation, contact, note = _types(apps)
    entries = Entry.objects.filter(target_type__in=[organisation, contact], kind__in=KINDS, district__isnull=False)
    # The desk's notes are not the network's: one may be gone, the link then goes with it.
    notes = set(
        FieldNote.objects.filter(
            pk__in=entries.filter(context_type=note).values_list("context_id", flat=True)
        ).values_list("pk", flat=True)
    )
    rows = []
    for entry in entries.order_by("pk").iterator():
        if entry.target_type_id == organisation.pk:
            organisation_id = entry.target_id
            contact_id = entry.context_id if entry.context_type_id == contact.pk else None
        else:
            organisation_id, contact_id = None, entry.target_id
        field_note_id = entry.context_id if entry.context_type_id == note.pk and entry.context_id in notes else None
        rows.append(
            Interaction(
                district_id=entry.district_id,
                kind=entry.kind,
                at=entry.created_at,
                organisation_id=organisation_id,
                contact_id=contact_id,
                field_note_id=field_note_id,
                note=entry.text,
                author_id=entry.author_id,
            )
        )
    Interaction.objects.bulk_create(rows, batch_size=500)
    entries.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0003_activity"),
        ("network", "0003_remove_organisation_members"),
    ]

    operations = [
        migrations.RunPython(interactions_to_entries, entries_to_interactions),
    ]
