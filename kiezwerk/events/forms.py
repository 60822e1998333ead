"""The forms of events: each only checks its input; the services decide."""

import re
from datetime import UTC, date, datetime, time, timedelta

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kiezwerk.core.forms import DATE_INPUT, PosterLanguagesForm
from kiezwerk.network.models import Organisation
from kiezwerk.projects.forms import PlaceFields

from . import series
from .models import Audience, Topic

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


REPEAT = [
    ("", _("Once")),
    ("weekly", _("Every week on this weekday")),
    ("fortnightly", _("Every second week on this weekday")),
    ("monthly", _("Every month on this weekday (e.g. the first Saturday)")),
]
TIME_INPUT = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
# The event's fields the form edits as they are (the others are built from several fields or looked up).
PLAIN = (
    "title",
    "description",
    "language",
    "room",
    "topics",
    "languages",
    "audience",
    "step_free",
    "accessible_toilet",
    "hearing_loop",
    "sign_language",
    "child_care",
    "price",
    "price_note",
    "capacity",
    "image_alt",
)


class EventForm(PlaceFields):
    """An event: what, when (once or repeating), where, for whom, and registration. The services decide."""

    title = forms.CharField(label=_("Title"), max_length=120)
    description = forms.CharField(
        label=_("Description"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )
    language = forms.ChoiceField(label=_("Language of the texts"), choices=settings.CONTENT_LANGUAGES, initial="de")
    organiser = forms.ChoiceField(label=_("Organiser"))
    day = forms.DateField(label=_("Date"), widget=DATE_INPUT, help_text=_("For a series: the first date."))
    start_time = forms.TimeField(label=_("Starts"), required=False, widget=TIME_INPUT)
    end_time = forms.TimeField(label=_("Ends"), required=False, widget=TIME_INPUT)
    all_day = forms.BooleanField(label=_("All day"), required=False)
    repeat = forms.ChoiceField(label=_("Repeats"), choices=REPEAT, required=False)
    repeat_until = forms.DateField(label=_("Last date of the series"), required=False, widget=DATE_INPUT)
    repeat_count = forms.IntegerField(
        label=_("or number of dates"), required=False, min_value=2, max_value=series.MAX_DATES
    )
    venue = forms.ChoiceField(
        label=_("At an organisation"), required=False, help_text=_("Its address is used; or give the place below.")
    )
    room = forms.CharField(label=_("Room"), required=False, max_length=120, help_text=_("e.g. “Saal, 1. Stock”"))
    topics = forms.MultipleChoiceField(
        label=_("Topics"), required=False, choices=Topic.choices, widget=forms.CheckboxSelectMultiple
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages spoken"),
        required=False,
        choices=settings.CONTENT_LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
    )
    audience = forms.ChoiceField(label=_("For whom"), choices=Audience.choices, initial=Audience.EVERYONE)
    step_free = forms.BooleanField(label=_("Step-free access"), required=False)
    accessible_toilet = forms.BooleanField(label=_("Accessible toilet"), required=False)
    hearing_loop = forms.BooleanField(label=_("Hearing loop"), required=False)
    sign_language = forms.BooleanField(label=_("Sign language interpretation"), required=False)
    child_care = forms.BooleanField(label=_("Child care"), required=False)
    price = forms.DecimalField(
        label=_("Price in euros"),
        required=False,
        min_value=0,
        max_digits=7,
        decimal_places=2,
        localize=True,
        help_text=_("Empty: free of charge."),
    )
    price_note = forms.CharField(label=_("About the price"), required=False, max_length=200)
    image = forms.FileField(
        label=_("Image"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/heic"}),
        help_text=_("A photo or flyer; its metadata is removed."),
    )
    image_alt = forms.CharField(
        label=_("What the image shows"), required=False, max_length=200, help_text=_("For people who cannot see it.")
    )
    project = forms.ChoiceField(label=_("Part of a project"), required=False)
    capacity = forms.IntegerField(
        label=_("Places per date"),
        required=False,
        min_value=1,
        max_value=10000,
        help_text=_("Empty: no registration needed."),
    )
    offer_hours = forms.IntegerField(
        label=_("Hours to accept a freed place"), initial=24, min_value=1, max_value=168, required=False
    )
    cancel_hours = forms.IntegerField(
        label=_("Cancelling by link possible until … hours before"),
        initial=2,
        min_value=0,
        max_value=168,
        required=False,
    )

    def __init__(self, *args, organisers, venues, projects, team=True, **kwargs):
        """`organisers`: the organisations the user may submit for (and the team itself when `team`)."""
        super().__init__(*args, **kwargs)
        self.organisers = {str(o.pk): o for o in organisers}
        self.venues = {str(o.pk): o for o in venues}
        self.projects = {str(p.pk): p for p in projects}
        own = [(TEAM, _("The neighbourhood management"))] if team else []
        self.fields["organiser"].choices = own + [(key, o.name) for key, o in self.organisers.items()]
        self.fields["venue"].choices = [("", _("Another place"))] + [(k, o.name) for k, o in self.venues.items()]
        self.fields["project"].choices = [("", _("None"))] + [(k, p.title) for k, p in self.projects.items()]

    def clean(self):
        data = super().clean()
        if not data.get("all_day") and data.get("day") and not (data.get("start_time") and data.get("end_time")):
            self.add_error("start_time", _("Please give the start and end time, or choose “All day”."))
        if data.get("repeat") and not (data.get("repeat_until") or data.get("repeat_count")):
            self.add_error("repeat_until", _("A series needs an end: a last date or a number of dates."))
        return data

    def values(self):
        """The service's keyword arguments (and `place`)."""
        data = self.cleaned_data
        day = data["day"]
        if data["all_day"]:
            starts_at = datetime.combine(day, time.min, tzinfo=series.BERLIN)
            ends_at = starts_at + timedelta(days=1)
        else:
            starts_at = datetime.combine(day, data["start_time"], tzinfo=series.BERLIN)
            ends_at = datetime.combine(day, data["end_time"], tzinfo=series.BERLIN)
        values = {name: data[name] for name in PLAIN}
        values |= {
            "starts_at": starts_at,
            "ends_at": ends_at,
            "all_day": data["all_day"],
            "rrule": self._rule(day),
            "organiser": self.organisers.get(data["organiser"]),
            "venue": self.venues.get(data["venue"]),
            "project": self.projects.get(data["project"]),
            "offer_hours": data["offer_hours"] or 24,
            "cancel_hours": data["cancel_hours"] if data["cancel_hours"] is not None else 2,
            "place": self.place(),
        }
        return values

    def _rule(self, day):
        data = self.cleaned_data
        repeat = data.get("repeat")
        if not repeat:
            return ""
        weekday = series.WEEKDAYS[day.weekday()]
        ending = {"until": data.get("repeat_until"), "count": data.get("repeat_count")}
        if repeat == "monthly":
            position = (day.day - 1) // 7 + 1
            return series.rule_build(
                frequency="MONTHLY", weekday=weekday, setpos=-1 if position == 5 else position, **ending
            )
        interval = 2 if repeat == "fortnightly" else 1
        return series.rule_build(frequency="WEEKLY", interval=interval, weekday=weekday, **ending)


def event_initial(event):
    """The form's values of an existing event (its rule read back into the form's choices)."""
    local_start, local_end = (value.astimezone(series.BERLIN) for value in (event.starts_at, event.ends_at))
    initial = {name: getattr(event, name) for name in (*PLAIN, "offer_hours", "cancel_hours", "all_day")}
    initial |= {
        "day": local_start.date(),
        "start_time": None if event.all_day else local_start.time(),
        "end_time": None if event.all_day else local_end.time(),
        "organiser": str(event.organiser_id) if event.organiser_id else TEAM,
        "venue": str(event.venue_id or ""),
        "project": str(event.project_id or ""),
    }
    parts = dict(part.split("=", 1) for part in event.rrule.split(";") if "=" in part)
    if parts:
        frequency, interval = parts.get("FREQ"), parts.get("INTERVAL", "1")
        initial["repeat"] = "monthly" if frequency == "MONTHLY" else ("fortnightly" if interval == "2" else "weekly")
        if "COUNT" in parts:
            initial["repeat_count"] = int(parts["COUNT"])
        elif "UNTIL" in parts:
            until = datetime.strptime(parts["UNTIL"], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
            initial["repeat_until"] = until.astimezone(series.BERLIN).date()
    return initial


class ReasonForm(forms.Form):
    """A reason residents or the organiser read (cancelling, declining)."""

    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class DateMoveForm(forms.Form):
    prefix = "move"
    day = forms.DateField(label=_("New date"), widget=DATE_INPUT)
    start_time = forms.TimeField(label=_("Starts"), widget=TIME_INPUT)
    end_time = forms.TimeField(label=_("Ends"), widget=TIME_INPUT)

    def __init__(self, *args, occurrence=None, **kwargs):
        if occurrence is not None:
            start, end = (value.astimezone(series.BERLIN) for value in (occurrence.starts_at, occurrence.ends_at))
            kwargs.setdefault("initial", {"day": start.date(), "start_time": start.time(), "end_time": end.time()})
        super().__init__(*args, **kwargs)

    def span(self):
        data = self.cleaned_data
        return {
            "starts_at": datetime.combine(data["day"], data["start_time"], tzinfo=series.BERLIN),
            "ends_at": datetime.combine(data["day"], data["end_time"], tzinfo=series.BERLIN),
        }


class AttendanceForm(forms.Form):
    """After a date: for each registered person "came" or "did not come"."""

    prefix = "attendance"
    CHOICES = [("", _("Not recorded")), ("yes", _("came")), ("no", _("did not come"))]

    def __init__(self, *args, registrations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.people = {}
        for registration in registrations:
            if registration.status != "registered":
                continue
            name = f"r{registration.pk}"
            self.people[name] = registration
            initial = {True: "yes", False: "no"}.get(registration.attended, "")
            self.fields[name] = forms.ChoiceField(
                label=registration.display_name or registration.address,
                choices=self.CHOICES,
                required=False,
                initial=initial,
            )

    def rows(self):
        values = {"yes": True, "no": False, "": None}
        return {registration.pk: values[self.cleaned_data[name]] for name, registration in self.people.items()}


class ReportForm(forms.Form):
    """After a date: what the organiser records for the district's reports."""

    prefix = "report"
    attendance = forms.IntegerField(label=_("People present"), min_value=0, max_value=100000)
    first_timers = forms.IntegerField(label=_("Of them here for the first time"), min_value=0, required=False)
    languages = forms.MultipleChoiceField(
        label=_("Languages heard"),
        required=False,
        choices=settings.CONTENT_LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
    )
    partners = forms.ModelMultipleChoiceField(
        label=_("Partners present"), required=False, queryset=None, widget=forms.CheckboxSelectMultiple
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, occurrence=None, **kwargs):
        if occurrence is not None and occurrence.reported_at:
            kwargs.setdefault(
                "initial",
                {
                    "attendance": occurrence.attendance,
                    "first_timers": occurrence.first_timers,
                    "languages": occurrence.languages_heard,
                    "note": occurrence.report_note,
                    "partners": list(occurrence.partners_present.all()),
                },
            )
        super().__init__(*args, **kwargs)
        district = occurrence.event.district if occurrence is not None else None
        serving = Organisation.objects.serving(district) if district else Organisation.objects.all()
        self.fields["partners"].queryset = serving.order_by("name")

    def values(self):
        data = self.cleaned_data
        return {
            "attendance": data["attendance"],
            "first_timers": data["first_timers"],
            "languages": data["languages"],
            "partners": list(data["partners"]),
            "note": data["note"],
        }


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
