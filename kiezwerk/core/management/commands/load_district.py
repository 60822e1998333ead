from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from kiezwerk.core.services import district_load


class Command(BaseCommand):
    help = "Create or update a district from a GeoJSON boundary (Polygon or MultiPolygon, WGS84)."

    def add_arguments(self, parser):
        parser.add_argument("name", help="The district's name, e.g. Oberhausen.")
        parser.add_argument("file", help="A GeoJSON file: geometry, Feature or FeatureCollection with one feature.")
        parser.add_argument("--slug", default="", help="URL name (default: from the name).")
        parser.add_argument("--city", default="")
        parser.add_argument("--residents", type=int, default=None)

    def handle(self, *args, name, file, slug, city, residents, **options):
        path = Path(file)
        try:
            raw = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.") from error
        try:
            district = district_load(name=name, boundary=raw, slug=slug, city=city, residents=residents)
        except ValidationError as error:
            raise CommandError(f"{path}: " + " ".join(error.messages)) from error
        self.stdout.write(
            self.style.SUCCESS(f"District {district.name} ({district.slug}) loaded: {district.area_km2:.2f} km².")
        )
