"""A referral may be about another domain's object (`subject`), and names its district for the lists."""

import django.db.models.deletion
from django.db import migrations, models


def districts_fill(apps, schema_editor):
    Referral = apps.get_model("network", "Referral")
    for referral in Referral.objects.select_related("concern").only("pk", "concern__district_id").iterator():
        Referral.objects.filter(pk=referral.pk).update(district_id=referral.concern.district_id)


def requests_delete(apps, schema_editor):
    """Going back: the old table holds concerns' referrals only; requests about other objects go, with their steps."""
    Referral = apps.get_model("network", "Referral")
    Entry = apps.get_model("core", "Entry")
    ContentType = apps.get_model("contenttypes", "ContentType")
    requests = Referral.objects.filter(concern__isnull=True)
    referral_type = ContentType.objects.filter(app_label="network", model="referral").first()
    if referral_type is not None:
        Entry.objects.filter(context_type=referral_type, context_id__in=requests.values("pk")).delete()
    requests.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0007_welcome_legal_texts"),
        ("concerns", "0012_category_translated_fields"),
        ("network", "0007_delete_referralevent"),
    ]

    operations = [
        migrations.AddField(
            model_name="referral",
            name="district",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="referrals",
                to="core.district",
                verbose_name="district",
            ),
        ),
        migrations.RunPython(districts_fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="referral",
            name="district",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="referrals",
                to="core.district",
                verbose_name="district",
            ),
        ),
        migrations.AddField(
            model_name="referral",
            name="subject_id",
            field=models.PositiveBigIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="referral",
            name="subject_type",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="contenttypes.contenttype",
            ),
        ),
        migrations.AlterField(
            model_name="referral",
            name="concern",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="referrals",
                to="concerns.concern",
            ),
        ),
        migrations.RunPython(migrations.RunPython.noop, requests_delete),
        migrations.AddIndex(
            model_name="referral",
            index=models.Index(fields=["subject_type", "subject_id"], name="referral_subject"),
        ),
        migrations.AddConstraint(
            model_name="referral",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("concern__isnull", False), ("subject_id__isnull", True), ("subject_type__isnull", True)),
                    models.Q(("concern__isnull", True), ("subject_id__isnull", False), ("subject_type__isnull", False)),
                    _connector="OR",
                ),
                name="referral_one_subject",
            ),
        ),
    ]
