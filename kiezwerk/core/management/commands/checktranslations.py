"""Fail when a catalogue has untranslated or fuzzy entries (German and English must be complete)."""

from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Check that the German and English catalogues are complete and not fuzzy."

    def handle(self, *args, **options):
        problems = []
        for locale_path in settings.LOCALE_PATHS:
            for code in ("de", "en"):
                for po_path in sorted(Path(locale_path).glob(f"{code}/LC_MESSAGES/*.po")):
                    catalogue = polib.pofile(str(po_path))
                    untranslated = [e.msgid for e in catalogue.untranslated_entries()]
                    fuzzy = [e.msgid for e in catalogue.fuzzy_entries()]
                    for kind, ids in (("untranslated", untranslated), ("fuzzy", fuzzy)):
                        problems += [f"{po_path.relative_to(settings.BASE_DIR)}: {kind}: {msgid!r}" for msgid in ids]
        if problems:
            raise CommandError("Incomplete translations:\n" + "\n".join(problems))
        self.stdout.write("Translations: complete.")
