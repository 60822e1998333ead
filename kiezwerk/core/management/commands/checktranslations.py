"""Fail when a catalogue of one of the site's languages lacks, leaves empty or fuzzes an entry of the German one."""

from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Check that the catalogue of every language in LANGUAGES is complete and not fuzzy."

    def handle(self, *args, **options):
        problems = []
        for locale_path in settings.LOCALE_PATHS:
            german = {(e.msgctxt, e.msgid) for e in polib.pofile(str(Path(locale_path) / "de/LC_MESSAGES/django.po"))}
            for code, _name in settings.LANGUAGES:
                po_path = Path(locale_path) / code / "LC_MESSAGES" / "django.po"
                where = po_path.relative_to(Path(locale_path).parent)
                if not po_path.exists():
                    problems.append(f"{where}: missing")
                    continue
                catalogue = polib.pofile(str(po_path))
                missing = sorted(german - {(e.msgctxt, e.msgid) for e in catalogue}, key=str)
                untranslated = [e.msgid for e in catalogue.untranslated_entries()]
                fuzzy = [e.msgid for e in catalogue.fuzzy_entries()]
                for kind, ids in (
                    ("missing", [m for _c, m in missing]),
                    ("untranslated", untranslated),
                    ("fuzzy", fuzzy),
                ):
                    problems += [f"{where}: {kind}: {msgid!r}" for msgid in ids]
        if problems:
            raise CommandError("Incomplete translations:\n" + "\n".join(problems))
        self.stdout.write("Translations: complete.")
