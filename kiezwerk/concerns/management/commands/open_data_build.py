from django.core.management.base import BaseCommand, CommandError

from kiezwerk.concerns import opendata
from kiezwerk.core.models import District


class Command(BaseCommand):
    help = (
        "Build the open-data files (GeoJSON, CSV) of the given districts, or of all, where they are older than "
        "the data or missing; --force builds them anyway."
    )

    def add_arguments(self, parser):
        parser.add_argument("slugs", nargs="*", metavar="slug")
        parser.add_argument("--force", action="store_true")

    def handle(self, *args, slugs, force, **options):
        districts = District.objects.order_by("name")
        if slugs:
            districts = districts.filter(slug__in=slugs)
            unknown = set(slugs) - {district.slug for district in districts}
            if unknown:
                raise CommandError(f"No district with the slug {', '.join(sorted(unknown))}.")
        for district in districts:
            built = opendata.build(district.pk, force=force)
            district.refresh_from_db(fields=["open_data_version"])
            state = "built" if built else "up to date"
            self.stdout.write(f"{district.name}: {state} (data version {district.open_data_version}).")
