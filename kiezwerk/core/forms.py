"""Shared form helpers."""

import re

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# A date picker on phones; the value in ISO format, as the browser's date input sends it.
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def add_errors(form, error):
    """Put a service's ValidationError on the form: at the fields it names, the rest on the form itself."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


SECRET_SEGMENT = re.compile(r"^[A-Za-z0-9_-]{16,}$")  # a tracking, follower or partner link's token


def local_page(value):
    """A path of this site (`/districts/…`), or "" for anything else: a `?page=` is not a way to send links.

    A secret link's token and the query are left out (`/track/…/`): the feedback is stored and mailed.
    """
    value = (value or "").strip()[:300]
    if not value.startswith("/") or value.startswith(("//", "/\\")):
        return ""
    path = value.split("?", 1)[0].split("#", 1)[0]
    return "/".join("…" if SECRET_SEGMENT.match(segment) else segment for segment in path.split("/"))


class AccessibilityFeedbackForm(forms.Form):
    """A barrier reported through the accessibility statement."""

    text = forms.CharField(
        label=_("What is the barrier?"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("For example: what did not work, with which device or assistive technology."),
        error_messages={"required": _("Please describe the barrier.")},
    )
    page = forms.CharField(
        label=_("On which page?"),
        required=False,
        max_length=300,
        help_text=_("The address of the page, or where you found it."),
    )
    email = forms.EmailField(
        label=_("Your e-mail address"),
        required=False,
        help_text=_("Only if you would like an answer."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    name = forms.CharField(
        label=_("Your name"),
        required=False,
        max_length=120,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )


# Posters (core.posters) ---------------------------------------------------------------------------

POSTER_MORE_LANGUAGES = 2  # beside German: three blocks still fit on A4 with a large QR code


class PosterLanguagesForm(forms.Form):
    """The languages of a poster: German always, and up to two of the six others (the desk's and a project's)."""

    languages = forms.MultipleChoiceField(
        label=_("Further languages"),
        required=False,
        choices=[(code, name) for code, name in settings.CONTENT_LANGUAGES if code != "de"],
        widget=forms.CheckboxSelectMultiple,
        help_text=_("German is always on the poster; choose up to two more."),
    )

    def clean_languages(self):
        chosen = self.cleaned_data["languages"]
        if len(chosen) > POSTER_MORE_LANGUAGES:
            raise ValidationError(_("Please choose at most two further languages."), code="too_many")
        return chosen

    def poster_languages(self):
        """German first, then the chosen ones in the order of settings.LANGUAGES."""
        chosen = self.cleaned_data["languages"]
        return ["de", *(code for code, _name in settings.LANGUAGES if code in chosen)]


class ViewportForm(forms.Form):
    """A map's viewport as GeoJSON orders it: `bbox=west,south,east,north` (empty: the whole map)."""

    bbox = forms.CharField(label=_("Map area"), required=False, max_length=100)

    def clean_bbox(self):
        value = self.cleaned_data["bbox"].strip()
        if not value:
            return None
        try:
            west, south, east, north = (float(part) for part in value.split(","))
        except ValueError:
            raise ValidationError(_("Please give four numbers: west,south,east,north."), code="bbox") from None
        if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
            raise ValidationError(_("The map area must run from south-west to north-east."), code="bbox")
        return west, south, east, north
