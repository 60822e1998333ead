"""The forms of events: each only checks its input; the services decide."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import Topic

TEAM = "team"  # the organiser filter's value for the neighbourhood management's own events


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


class CalendarForm(forms.Form):
    """The calendar's filters (GET): a time span, a month for the month view, topic, organiser, language,
    free of charge, step-free."""

    when = forms.ChoiceField(
        label=_("When"),
        required=False,
        choices=[("", _("From today")), ("today", _("Today")), ("week", _("This week"))],
    )
    start = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    month = forms.RegexField(regex=r"^\d{4}-(0[1-9]|1[0-2])$", required=False, widget=forms.HiddenInput)
    topic = forms.ChoiceField(label=_("Topic"), required=False)
    organiser = forms.ChoiceField(label=_("Organiser"), required=False)
    language = forms.ChoiceField(label=_("Language spoken"), required=False)
    free = forms.BooleanField(label=_("Free of charge"), required=False)
    step_free = forms.BooleanField(label=_("Step-free access"), required=False)

    def __init__(self, *args, organisers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = [("", _("All topics")), *Topic.choices]
        self.fields["organiser"].choices = [
            ("", _("All organisers")),
            (TEAM, _("The neighbourhood management")),
            *((str(o.pk), o.public_name) for o in organisers),
        ]
        self.fields["language"].choices = [("", _("All languages")), *settings.CONTENT_LANGUAGES]

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The end of the period cannot lie before its start."))
        return data
