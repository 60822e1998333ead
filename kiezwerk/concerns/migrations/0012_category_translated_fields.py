"""Category names per language (django-translated-fields): name becomes name_de, the old `translations` JSON
fills name_en … name_pl, and each language gains a description."""

from django.db import migrations, models

OTHERS = ["en", "tr", "ar", "ru", "uk", "pl"]
DESCRIPTION_HELP = "One sentence on what belongs in this category, shown on the report form."


def names_copied(apps, schema_editor):
    Category = apps.get_model("concerns", "Category")
    for category in Category.objects.exclude(translations={}):
        for code in OTHERS:
            setattr(category, f"name_{code}", str(category.translations.get(code) or "")[:100])
        category.save(update_fields=[f"name_{code}" for code in OTHERS])


class Migration(migrations.Migration):
    dependencies = [("concerns", "0011_concern_language_choices")]

    operations = [
        migrations.RenameField(model_name="category", old_name="name", new_name="name_de"),
        migrations.AlterModelOptions(
            name="category",
            options={
                "ordering": ["position", "name_de"],
                "verbose_name": "category",
                "verbose_name_plural": "categories",
            },
        ),
        migrations.AlterField(
            model_name="category", name="name_de", field=models.CharField(max_length=100, verbose_name="name")
        ),
        *[
            migrations.AddField(
                model_name="category",
                name=f"name_{code}",
                field=models.CharField(blank=True, db_default="", default="", max_length=100, verbose_name="name"),
            )
            for code in OTHERS
        ],
        *[
            migrations.AddField(
                model_name="category",
                name=f"description_{code}",
                field=models.CharField(
                    blank=True,
                    db_default="",
                    default="",
                    help_text=DESCRIPTION_HELP,
                    max_length=200,
                    verbose_name="description",
                ),
            )
            for code in ["de", *OTHERS]
        ],
        migrations.RunPython(names_copied, migrations.RunPython.noop),
        migrations.RemoveField(model_name="category", name="translations"),
    ]
