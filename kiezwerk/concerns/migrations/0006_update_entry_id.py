"""Update.entry_id: which core Entry an Update becomes (0007), for network.0006; it goes with the model (0008).

A migration of its own: PostgreSQL cannot alter a table in the transaction that has just written rows
to it (0007 backwards), so the column is added and dropped apart from the copying.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("concerns", "0005_update_kind_referral"),
    ]

    operations = [
        migrations.AddField(
            model_name="update",
            name="entry_id",
            field=models.PositiveBigIntegerField(null=True, blank=True, editable=False),
        ),
    ]
