"""Update, Subscription and Redaction go: core's Entry, Follower and Redaction hold them now (0007).

network.0007 (ReferralEvent, which points to Update) runs before this one (its `run_before`).
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("concerns", "0007_activity_entries"),
    ]

    operations = [
        migrations.DeleteModel(name="Redaction"),
        migrations.DeleteModel(name="Subscription"),
        migrations.DeleteModel(name="Update"),
    ]
