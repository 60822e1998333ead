"""Content entered per language (django-translated-fields): the text shown and the language it is in."""

from typing import NamedTuple

from django import template
from django.utils.translation import get_language, get_language_info
from translated_fields import to_attribute

register = template.Library()


class Shown(NamedTuple):
    text: str
    language: str  # the code of the language `text` is in: the active one, or German when it had no text
    direction: str  # "rtl" or "ltr"


@register.simple_tag
def translated(obj, name):
    """`{% translated district "welcome" as welcome %}`: the active language's text, else the German one.

    Pages mark the text with `lang="{{ welcome.language }}"`, so a German fallback on an Arabic page is
    read out in German and set left to right.
    """
    field = type(obj).__dict__[name]
    for code in (get_language() or field.languages[0], field.languages[0]):
        text = getattr(obj, to_attribute(name, code), "") if code in field.languages else ""
        if text:
            return Shown(text, code, "rtl" if get_language_info(code)["bidi"] else "ltr")
    return Shown("", field.languages[0], "ltr")
