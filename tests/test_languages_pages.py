"""Pages in Turkish, Ukrainian and Arabic show no German string of our catalogue: checked against the
catalogue, not by eye (issue G). Text people wrote (marked with its own `lang`) is left out."""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from .test_tone import Pages, concern, english_concern  # noqa: F401 - fixtures

CATALOGUES = Path(settings.LOCALE_PATHS[0])
# Pieces of German text between placeholders and tags, long enough not to be a name or a word both share.
PIECE = re.compile(r"%\(\w+\)[sd]|%%?s|<[^>]+>|\{\{[^}]*\}\}|\n")


def german_pieces(language):
    """German text of every entry whose translation differs, cut at placeholders: what must not show."""
    ours = {(e.msgctxt, e.msgid): e for e in polib.pofile(str(CATALOGUES / language / "LC_MESSAGES/django.po"))}
    pieces = set()
    for entry in polib.pofile(str(CATALOGUES / "de/LC_MESSAGES/django.po")):
        theirs = ours[(entry.msgctxt, entry.msgid)]
        for german, translated in [
            (entry.msgstr, theirs.msgstr),
            *zip(entry.msgstr_plural.values(), theirs.msgstr_plural.values(), strict=False),
        ]:
            if german and german != translated:
                pieces |= {p.strip() for p in PIECE.split(german) if len(p.strip()) >= 14 and " " in p.strip()}
    return pieces


@pytest.mark.parametrize("language", ["tr", "uk", "ar"])
def test_public_and_desk_pages_show_no_german_left(client, district, manager, concern, english_concern, language):  # noqa: F811
    pieces = german_pieces(language)
    pages = Pages(client, language)
    client.post(reverse("set_language"), {"language": language, "next": "/"})
    pages.get("/")
    for name in ("concerns:district-map", "concerns:concern-list", "concerns:report"):
        pages.get(reverse(name, args=[district.slug]))
    pages.get(reverse("concerns:concern-detail", args=[concern.pk]))
    pages.get(reverse("concerns:track", args=[concern.token]))
    pages.post(reverse("concerns:report", args=[district.slug]), {"location": "a,b", "reporter_email": "kein-at"})
    pages.get(reverse("account_login"))
    client.force_login(manager)
    client.post(reverse("set_language"), {"language": language, "next": "/"})
    pages.get(reverse("desk:inbox", args=[district.slug]))
    pages.get(reverse("desk:concern", args=[concern.pk]))
    pages.get(reverse("desk:welcome", args=[district.slug]))
    pages.get(reverse("desk:poster", args=[district.slug]))
    with translation.override(language):
        assert gettext("Report a concern") in pages.texts["GET / "]  # the check reads the page's own text
    assert len(pieces) > 500
    found = sorted({f"{page}: {piece!r}" for page, text in pages.texts.items() for piece in pieces if piece in text})
    assert len(pages.texts) >= 10 and not found, "\n".join(found)
