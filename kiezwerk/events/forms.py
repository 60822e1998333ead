"""The forms of events: each only checks its input; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _


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
