"""An organisation's partner logins become Membership rows (accounts), before Organisation.members goes."""

from django.db import migrations


def _organisation_type(apps):
    ContentType = apps.get_model("contenttypes", "ContentType")
    return ContentType.objects.get_or_create(app_label="network", model="organisation")[0]


def members_to_memberships(apps, schema_editor):
    Organisation = apps.get_model("network", "Organisation")
    Membership = apps.get_model("accounts", "Membership")
    pairs = list(Organisation.members.through.objects.values_list("organisation_id", "user_id"))
    if pairs:
        content_type = _organisation_type(apps)
        Membership.objects.bulk_create(
            [Membership(user_id=user_id, content_type=content_type, object_id=pk) for pk, user_id in pairs],
            ignore_conflicts=True,
        )


def memberships_to_members(apps, schema_editor):
    Organisation = apps.get_model("network", "Organisation")
    Membership = apps.get_model("accounts", "Membership")
    rows = Membership.objects.filter(content_type=_organisation_type(apps))
    Through = Organisation.members.through
    existing = set(Organisation.objects.values_list("pk", flat=True))
    Through.objects.bulk_create(
        [Through(organisation_id=m.object_id, user_id=m.user_id) for m in rows if m.object_id in existing],
        ignore_conflicts=True,
    )
    rows.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_membership"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("network", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(members_to_memberships, memberships_to_members),
    ]
