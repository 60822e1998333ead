"""ReferralEvent goes: its steps are core Entries now (0004). Before concerns.Update, which it pointed to."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("network", "0006_referral_steps_to_entries"),
    ]
    run_before = [
        ("concerns", "0008_delete_update_subscription_redaction"),
    ]

    operations = [
        migrations.DeleteModel(name="ReferralEvent"),
    ]
