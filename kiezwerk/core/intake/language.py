"""The language a resident wrote in, detected offline with lingua (its models ship in the wheel).

One detector per process, restricted to the content languages (`settings.CONTENT_LANGUAGES`), built on first
use. Lingua loads a script's models at its first text (seconds, about 200 MB for all; measured in
docs/architecture.md), so only a process's first reports pay for it, never a page. Low accuracy mode loads
faster but is sure of itself on mixed texts ("Çöp konteyneri taştı. Seit einer Woche liegen Matratzen …" reads
as German with confidence 1.0), so the fallback below would never apply.
"""

import functools

from django.conf import settings

# Below this many letters ("Müll!", "Hilfe") or this confidence (a Turkish sentence beside a German street name,
# two languages in one text) the text does not tell: the caller's fallback (the interface language) wins.
MIN_LETTERS = 10
MIN_CONFIDENCE = 0.9


@functools.cache
def _detector():
    from lingua import IsoCode639_1, LanguageDetectorBuilder

    codes = [getattr(IsoCode639_1, code.upper()) for code, _name in settings.CONTENT_LANGUAGES]
    return LanguageDetectorBuilder.from_iso_codes_639_1(*codes).build()


def written_language(text, fallback):
    """The code of the content language `text` is written in ("de", "tr", …); `fallback` when it does not tell."""
    if sum(char.isalpha() for char in text) < MIN_LETTERS:
        return fallback
    best = _detector().compute_language_confidence_values(text)[0]
    if best.value < MIN_CONFIDENCE:
        return fallback
    return best.language.iso_code_639_1.name.lower()
