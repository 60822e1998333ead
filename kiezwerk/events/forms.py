"""The forms of events: each only checks its input; the services decide."""

import re
from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kiezwerk.core.forms import PosterLanguagesForm


class RegisterForm(forms.Form):
    """Registering for a date: with an account nothing to fill in; otherwise name and e-mail address."""

    name = forms.CharField(label=_("Your name"), max_length=120, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    email = forms.EmailField(
        label=_("Your e-mail address"),
        help_text=_("You get a link to confirm, and a reminder the day before."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None and user.is_authenticated:
            for name in ("name", "email"):
                del self.fields[name]


class WeekSheetForm(PosterLanguagesForm):
    """The week sheet's query: an ISO week ("2025-W14"; empty: the current one) and further languages."""

    week = forms.CharField(label=_("Calendar week"), required=False)

    def clean_week(self):
        """The Monday of the week given, or None."""
        value = self.cleaned_data["week"]
        if not value:
            return None
        found = re.fullmatch(r"(20\d\d)-W(\d\d)", value.upper())
        if found:
            try:
                return date.fromisocalendar(int(found[1]), int(found[2]), 1)
            except ValueError:
                pass  # week 00, or 53 in a year of 52 weeks
        raise ValidationError(
            _("Please give a calendar week such as %(example)s."), code="week", params={"example": "2025-W14"}
        )
