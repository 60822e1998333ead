"""A partner is a member of an organisation (Membership), no longer a role: the partner roles go."""

from django.db import migrations


def remove_partner_roles(apps, schema_editor):
    apps.get_model("accounts", "Role").objects.filter(kind="partner").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_membership"),
    ]

    operations = [
        migrations.RunPython(remove_partner_roles, migrations.RunPython.noop),
    ]
