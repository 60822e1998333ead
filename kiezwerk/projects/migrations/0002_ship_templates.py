"""Districts that existed before projects get the three shipped templates (new ones get them when created)."""

from django.db import migrations


def ship(apps, schema_editor):
    from kiezwerk.projects.services.templates import SHIPPED

    District = apps.get_model("core", "District")
    ProjectTemplate = apps.get_model("projects", "ProjectTemplate")
    for district in District.objects.all():
        for spec in SHIPPED:
            ProjectTemplate.objects.get_or_create(district=district, name=spec["name"], defaults=spec)


class Migration(migrations.Migration):
    dependencies = [("projects", "0001_initial")]

    operations = [migrations.RunPython(ship, migrations.RunPython.noop)]
