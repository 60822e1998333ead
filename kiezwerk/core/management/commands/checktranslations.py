"""Fail when the German catalogue lacks a string the code marks for translation (or keeps one it no longer
uses), or when a catalogue of one of the site's languages lacks, leaves empty or fuzzes an entry of the German one.
"""

import contextlib
import shutil
import tempfile
from pathlib import Path

import polib
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.test import override_settings

PACKAGE = Path(settings.BASE_DIR) / "kiezwerk"


def source_entries(package=PACKAGE):
    """{(msgctxt, msgid)} of every string in the package's code and templates, as `make messages` reads them.

    makemessages runs on a copy, so the catalogues themselves are never touched.
    """
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / package.name
        shutil.copytree(package, copy, ignore=shutil.ignore_patterns("locale", "static", "__pycache__"))
        (copy / "locale").mkdir()
        with override_settings(LOCALE_PATHS=[copy / "locale"]), contextlib.chdir(copy):
            call_command("makemessages", locale=["de"], no_location=True, verbosity=0)
        return {(e.msgctxt, e.msgid) for e in polib.pofile(str(copy / "locale/de/LC_MESSAGES/django.po"))}


class Command(BaseCommand):
    help = "Check that every catalogue holds exactly the code's strings, translated and not fuzzy."

    def handle(self, *args, **options):
        problems = []
        sources = source_entries()
        for locale_path in settings.LOCALE_PATHS:
            german = {(e.msgctxt, e.msgid) for e in polib.pofile(str(Path(locale_path) / "de/LC_MESSAGES/django.po"))}
            where = "de/LC_MESSAGES/django.po"
            missing, unused = sorted(sources - german, key=_by_text), sorted(german - sources, key=_by_text)
            problems += [f"{where}: not in the catalogue (make messages): {m!r}" for _c, m in missing]
            problems += [f"{where}: no longer used (make messages): {m!r}" for _c, m in unused]
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


def _by_text(entry):
    """Sort (context, msgid) pairs, a missing context (None) first."""
    context, msgid = entry
    return context or "", msgid
