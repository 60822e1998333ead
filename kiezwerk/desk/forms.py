"""Forms of the desk. They check shape; the services check the rules."""

import re

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from kiezwerk.concerns import selectors as concern_selectors
from kiezwerk.concerns.forms import PERIOD_CHOICES, ReportForm, categories_by_id, category_filter_choices
from kiezwerk.concerns.models import Channel, ConcernStatus, RedactionField
from kiezwerk.concerns.services import TRANSITIONS
from kiezwerk.core.forms import DATE_INPUT, PosterLanguagesForm
from kiezwerk.core.intake import places
from kiezwerk.core.models import District
from kiezwerk.core.selectors import district_contains

from . import selectors
from .models import People

# A captured form may wait in the phone's queue; older than this and its time is not trusted.
CAPTURE_MAX_AGE_DAYS = 14


def _tree(district):
    """The district's category tree, loaded once per district instance (a page has several forms)."""
    if not hasattr(district, "_desk_tree"):
        district._desk_tree = concern_selectors.category_list(district=district)
    return district._desk_tree


def _team(district):
    """{user id as text: user} of the district's team, loaded once per district instance."""
    if not hasattr(district, "_desk_team"):
        district._desk_team = {str(user.pk): user for user in selectors.team(district=district)}
    return district._desk_team


def team_members(district):
    """{user id as text: user} of the district's team (loaded once per district instance)."""
    return _team(district)


def category_choices(district, blank):
    """Grouped choices of the district's active categories, for a <select>."""
    choices = [("", blank)]
    for top, children in _tree(district):
        if children:
            choices.append((top.name, [(str(c.pk), c.name) for c in children]))
        else:
            choices.append((str(top.pk), top.name))
    return choices


def categories(district):
    return categories_by_id(_tree(district))


def team_choices(district, blank):
    return [("", blank)] + [(pk, str(user)) for pk, user in _team(district).items()]


def parse_location(value):
    """(lat, lon) from "lat,lon"; None when empty. Raises ValidationError(code="invalid")."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        lat, lon = (float(part) for part in value.split(","))
    except ValueError:
        raise ValidationError(_("The place could not be read."), code="invalid") from None
    return lat, lon


class CaptureFields(forms.Form):
    """What every form sent from the street carries: an idempotency key and the time it was filled in."""

    capture_key = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)
    captured_at = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_captured_at(self):
        """The moment the form was filled in (it may have waited offline); now when missing or implausible."""
        value = parse_datetime(self.cleaned_data["captured_at"] or "")
        now = timezone.now()
        if value is None:
            return now
        if timezone.is_naive(value):
            value = timezone.make_aware(value)
        if value > now or (now - value).days > CAPTURE_MAX_AGE_DAYS:
            return now
        return value


class PlacedCaptureFields(CaptureFields):
    """A captured form with an optional GPS position ("lat,lon", filled in by the phone)."""

    location = forms.CharField(label=_("Place"), required=False, widget=forms.HiddenInput)

    def clean_location(self):
        return parse_location(self.cleaned_data["location"])

    def capture_kwargs(self):
        """Position, time and key of the capture, as keyword arguments for the recording services."""
        data = self.cleaned_data
        lat, lon = data["location"] or (None, None)
        return {"lat": lat, "lon": lon, "at": data["captured_at"], "capture_key": data["capture_key"] or None}


# Inbox -----------------------------------------------------------------------------------------


class InboxFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"), required=False, max_length=200, widget=forms.TextInput(attrs={"type": "search"})
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Open")), ("all", _("All")), *ConcernStatus.choices],
    )
    category = forms.ChoiceField(label=_("Category"), required=False)
    assignee = forms.ChoiceField(label=_("Assigned to"), required=False)
    channel = forms.ChoiceField(label=_("Channel"), required=False, choices=[("", _("All")), *Channel.choices])
    period = forms.ChoiceField(label=_("Period"), required=False, choices=PERIOD_CHOICES)
    sort = forms.ChoiceField(
        label=_("Order"),
        required=False,
        choices=[
            ("", _("Most urgent first")),
            ("newest", _("Newest first")),
            ("oldest", _("Oldest first")),
            ("status", _("By status")),
            ("support", _("Most supporters first")),
        ],
    )
    bbox = forms.CharField(
        label=_("Map area"),
        required=False,
        max_length=100,
        help_text=_("South-west and north-east corner: lat,lon,lat,lon"),
    )

    def __init__(self, *args, district, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.categories = categories(district)
        self.fields["category"].choices = category_filter_choices(_tree(district))
        self.team = _team(district)
        self.fields["assignee"].choices = [
            ("", _("Anybody")),
            ("me", _("Me")),
            ("none", _("Nobody yet")),
            *[(pk, str(member)) for pk, member in self.team.items()],
        ]

    def clean_bbox(self):
        value = self.cleaned_data["bbox"].strip()
        if not value:
            return None
        try:
            min_lat, min_lon, max_lat, max_lon = (float(part) for part in value.split(","))
        except ValueError:
            raise ValidationError(_("Please give four numbers: lat,lon,lat,lon."), code="bbox") from None
        if min_lat > max_lat or min_lon > max_lon:
            raise ValidationError(_("The first corner must lie south-west of the second."), code="bbox")
        return min_lat, min_lon, max_lat, max_lon

    def filters(self):
        """Valid filters as keyword arguments for `selectors.inbox` (invalid ones are left out)."""
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        assignee = {"": None, "none": "none", "me": self.user}.get(data["assignee"]) or self.team.get(data["assignee"])
        return {
            "text": data["q"],
            "status": data["status"] or None,
            "category": self.categories.get(data["category"]),
            "assignee": assignee,
            "channel": data["channel"] or None,
            "period": data["period"] or None,
            "bbox": data["bbox"],
            "sort": data["sort"],
        }


class BulkForm(forms.Form):
    prefix = "bulk"  # beside the filter form on the inbox page
    concerns = forms.TypedMultipleChoiceField(label=_("Concerns"), coerce=int, choices=[])
    action = forms.ChoiceField(
        label=_("Action"),
        choices=[
            ("", _("Please choose")),
            ("assign", _("Assign")),
            ("status", _("Change status")),
            ("category", _("Change category")),
        ],
    )
    assignee = forms.ChoiceField(label=_("Assign to"), required=False)
    status = forms.ChoiceField(
        label=_("New status"),
        required=False,
        choices=[("", _("Please choose"))] + [c for c in ConcernStatus.choices if c[0] != ConcernStatus.DUPLICATE],
    )
    category = forms.ChoiceField(label=_("New category"), required=False)
    text = forms.CharField(
        label=_("Public reason"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed when concerns are resolved, declined or reopened; residents read it."),
    )

    def __init__(self, *args, district, **kwargs):
        super().__init__(*args, **kwargs)
        self.district = district
        self.fields["assignee"].choices = team_choices(district, _("Nobody"))
        self.fields["category"].choices = category_choices(district, _("Please choose"))
        self.categories = categories(district)
        # The ids are checked against the district by the view's queryset; any number may be posted.
        posted = self.data.getlist(self.add_prefix("concerns")) if self.data else []
        self.fields["concerns"].choices = [(value, value) for value in posted]
        self.fields["concerns"].error_messages["required"] = _("Please select at least one concern.")

    def clean(self):
        data = super().clean()
        action = data.get("action")
        if action == "status" and not data.get("status"):
            self.add_error("status", ValidationError(_("Please choose a status."), code="required"))
        if action == "category":
            category = self.categories.get(data.get("category") or "")
            if category is None:
                self.add_error("category", ValidationError(_("Please choose a category."), code="required"))
            data["category"] = category
        else:
            data["category"] = None
        data["assignee"] = _team(self.district).get(data.get("assignee") or "")
        return data


class SavedFilterForm(forms.Form):
    name = forms.CharField(label=_("Name of the filter"), max_length=60)


# Workspace -------------------------------------------------------------------------------------


class ReplyForm(forms.Form):
    """A note or a reply in the workspace: the button pressed decides, and nothing is public by default."""

    NOTE, REPLY = "note", "reply"

    # Set by the button pressed (no field on the page); checked in clean().
    action = forms.ChoiceField(label=_("Note or reply"), choices=[(NOTE, NOTE), (REPLY, REPLY)], required=False)
    template = forms.ChoiceField(label=_("Reply template"), required=False)
    text = forms.CharField(
        label=_("Text"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("With a template and no text of your own, the template is sent in the resident's language."),
    )
    new_status = forms.ChoiceField(label=_("Change status"), required=False)

    def __init__(self, *args, concern, **kwargs):
        super().__init__(*args, **kwargs)
        self.concern = concern
        self.templates = {str(t.pk): t for t in selectors.reply_templates(district=concern.district)}
        self.fields["template"].choices = [("", _("None"))] + [(pk, t.title) for pk, t in self.templates.items()]
        allowed = [s for s in ConcernStatus if s in TRANSITIONS[concern.status] and s != ConcernStatus.DUPLICATE]
        self.fields["new_status"].choices = [
            ("", _("Keep “%(status)s”") % {"status": concern.get_status_display()})
        ] + [(s.value, s.label) for s in allowed]

    def template_texts(self):
        """{template id: its text in the concern's language}, for filling the text box in the browser."""
        return {pk: template.text_for(self.concern.language) for pk, template in self.templates.items()}

    def clean(self):
        data = super().clean()
        template = self.templates.get(data.get("template") or "")
        if template and not data.get("text", "").strip():
            data["text"] = template.text_for(self.concern.language)
        if not data.get("action"):
            self.add_error(
                None, ValidationError(_("Please choose “Note internally” or “Reply publicly”."), code="action")
            )
        elif data["action"] == self.NOTE and data.get("new_status"):
            self.add_error(
                "new_status",
                ValidationError(_("A status change is always public; please reply publicly."), code="internal_status"),
            )
        return data

    def reply_kwargs(self):
        data = self.cleaned_data
        template = self.templates.get(data.get("template") or "")
        filled = template is not None and data["text"] == template.text_for(self.concern.language)
        return {
            "text": data["text"],
            "new_status": data["new_status"] or None,
            "is_public": data["action"] == self.REPLY,
            # The language of the text where a template filled it (the resident's, or German without one).
            "language": (self.concern.language if self.concern.language in template.texts else "de") if filled else "",
        }


class AssignForm(forms.Form):
    assignee = forms.ChoiceField(label=_("Assigned to"), required=False)

    def __init__(self, *args, district, **kwargs):
        super().__init__(*args, **kwargs)
        self.district = district
        self.fields["assignee"].choices = team_choices(district, _("Nobody"))

    def clean_assignee(self):
        return _team(self.district).get(self.cleaned_data["assignee"])


class CategoryForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"))

    def __init__(self, *args, district, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = category_choices(district, _("Please choose"))
        self.categories = categories(district)

    def clean_category(self):
        category = self.categories.get(self.cleaned_data["category"])
        if category is None:
            raise ValidationError(_("Please choose a category."), code="category")
        return category


class FollowUpForm(forms.Form):
    on = forms.DateField(
        label=_("Follow up on"), required=False, widget=DATE_INPUT, help_text=_("Leave empty to remove the date.")
    )


class LanguageForm(forms.Form):
    """The team corrects the language a concern is written in."""

    prefix = "language"  # beside the capture form's "language of the resident"
    language = forms.ChoiceField(label=_("Language of the text"), choices=settings.CONTENT_LANGUAGES)


class PlaceForm(forms.Form):
    """The team corrects a concern's address: a street of the register and a house number."""

    prefix = "place"  # beside the other forms of the workspace
    street = forms.CharField(
        label=_("Street"),
        max_length=120,
        widget=forms.TextInput(attrs={"list": "street-register", "autocomplete": "off"}),
    )
    house_number = forms.RegexField(
        label=_("House number"),
        max_length=8,
        regex=r"^\s*\d{1,5}\s?[a-zA-Z]?\s*$",
        error_messages={"invalid": _("Please enter a house number such as 12 or 12a.")},
        widget=forms.TextInput(attrs={"inputmode": "text", "autocomplete": "off"}),
    )
    move = forms.BooleanField(label=_("Move the marker to this address too"), required=False)

    @classmethod
    def initial_for(cls, concern):
        """The current address split into street and number ("Lindenstraße 12a" → "Lindenstraße", "12a")."""
        street, _space, number = concern.address.rpartition(" ")
        if not (street and number[:1].isdigit()):
            return {"street": concern.address}
        return {"street": street, "house_number": number}


class DuplicateForm(forms.Form):
    prefix = "duplicate"  # beside the reply form in the workspace
    original = forms.IntegerField(
        label=_("Number of the original concern"), min_value=1, widget=forms.TextInput(attrs={"inputmode": "numeric"})
    )
    text = forms.CharField(
        label=_("Note to the resident"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class RedactForm(forms.Form):
    prefix = "redact"
    field = forms.ChoiceField(
        label=_("What to redact"),
        choices=[(RedactionField.TITLE, _("Subject")), (RedactionField.DESCRIPTION, _("Description"))],
    )
    text = forms.CharField(label=_("Redacted text"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))
    reason = forms.CharField(label=_("Reason (internal)"), max_length=300)


class PhotoRedactForm(forms.Form):
    reason = forms.CharField(label=_("Reason (internal)"), max_length=300)


# Street round and intake ---------------------------------------------------------------------


class CaptureConcernForm(CaptureFields, ReportForm):
    """A concern the team records: told on the street, phoned in, brought to the office."""

    channel = forms.ChoiceField(
        label=_("How did it reach you?"),
        choices=[(c.value, c.label) for c in (Channel.STREET, Channel.PHONE, Channel.OFFICE, Channel.EMAIL)],
        initial=Channel.STREET,
    )
    language = forms.ChoiceField(label=_("Language of the resident"), choices=settings.CONTENT_LANGUAGES, initial="de")
    reporter_phone = forms.CharField(
        label=_("Phone"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    contact_consent = forms.BooleanField(
        label=_("The resident agrees that we store their contact data to answer them."), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["photos"].widget.attrs["capture"] = "environment"
        self.fields["reporter_name"].label = _("Name of the resident")
        self.fields["reporter_email"].label = _("E-mail of the resident")
        self.fields["reporter_email"].help_text = _("They get the tracking link and every public answer.")
        self.fields["reporter_name"].widget.attrs["autocomplete"] = "off"
        self.fields["reporter_email"].widget.attrs["autocomplete"] = "off"

    def report_kwargs(self):
        data = self.cleaned_data
        return {
            **super().report_kwargs(),
            "channel": data["channel"],
            "language": data["language"],
            "reporter_phone": data["reporter_phone"],
            "contact_consent": data["contact_consent"],
            "capture_key": data["capture_key"] or None,
        }


class StreetContactForm(PlacedCaptureFields):
    topic = forms.ChoiceField(label=_("Topic"))
    people = forms.TypedChoiceField(label=_("How many people?"), coerce=int, choices=People.choices, initial=People.ONE)
    language = forms.ChoiceField(
        label=_("Language of the conversation"), choices=settings.CONTENT_LANGUAGES, initial="de"
    )
    place = forms.CharField(
        label=_("Place"), required=False, max_length=200, help_text=_("e.g. “playground Lechhauser Straße”")
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("No names, please."),
    )

    def __init__(self, *args, district, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = category_choices(district, _("Please choose"))
        self.categories = categories(district)

    def clean_topic(self):
        topic = self.categories.get(self.cleaned_data["topic"])
        if topic is None:
            raise ValidationError(_("Please choose a topic."), code="topic")
        return topic

    def record_kwargs(self):
        data = self.cleaned_data
        fields = ("topic", "people", "language", "place", "note")
        return {**{name: data[name] for name in fields}, **self.capture_kwargs()}


class FieldNoteForm(PlacedCaptureFields):
    met = forms.CharField(
        label=_("Whom did you meet?"),
        max_length=300,
        help_text=_("People or organisations, e.g. “caretaker of Wohnbau GmbH”."),
    )
    text = forms.CharField(
        label=_("What was said, what comes next?"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    place = forms.CharField(label=_("Place"), required=False, max_length=200)
    concern = forms.IntegerField(
        label=_("About concern no."),
        required=False,
        min_value=1,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    follow_up_on = forms.DateField(label=_("Follow up on"), required=False, widget=DATE_INPUT)

    def __init__(self, *args, district, **kwargs):
        super().__init__(*args, **kwargs)
        self.district = district

    def clean_concern(self):
        number = self.cleaned_data["concern"]
        if number is None:
            return None
        concern = self.district.concerns.filter(pk=number).first()
        if concern is None:
            raise ValidationError(
                _("There is no concern no. %(number)s in this district."), code="concern", params={"number": number}
            )
        return concern

    def record_kwargs(self):
        data = self.cleaned_data
        fields = ("met", "text", "place", "concern", "follow_up_on")
        return {**{name: data[name] for name in fields}, **self.capture_kwargs()}


class NoteFollowUpForm(forms.Form):
    on = forms.DateField(label=_("Follow up on"), required=False, widget=DATE_INPUT)
    done = forms.BooleanField(label=_("Done"), required=False)


# Templates, audit, privacy ---------------------------------------------------------------------


class ReplyTemplateForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=100)
    position = forms.IntegerField(label=_("Order"), min_value=0, max_value=999, initial=0, required=False)

    def __init__(self, *args, template=None, **kwargs):
        if template is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "title": template.title,
                "position": template.position,
                **{f"text_{code}": text for code, text in template.texts.items()},
            }
        super().__init__(*args, **kwargs)
        for code, name in settings.CONTENT_LANGUAGES:
            self.fields[f"text_{code}"] = forms.CharField(
                label=name,
                required=code == "de",
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 3, "lang": code, "dir": "auto"}),
            )

    def text_fields(self):
        return [self[f"text_{code}"] for code, _name in settings.CONTENT_LANGUAGES]

    def save_kwargs(self):
        data = self.cleaned_data
        texts = {code: data.get(f"text_{code}", "") for code, _name in settings.CONTENT_LANGUAGES}
        return {"title": data["title"], "texts": texts, "position": data["position"] or 0}


class WelcomeForm(forms.Form):
    """The district's welcome text in each language, each field labelled in its own language."""

    def __init__(self, *args, district, **kwargs):
        field = District.welcome
        initial = {name: getattr(district, name) for name in field.fields}
        super().__init__(*args, initial=initial, **kwargs)
        names = dict(settings.CONTENT_LANGUAGES)
        for code, name in zip(field.languages, field.fields, strict=True):
            self.fields[name] = forms.CharField(
                label=names[code],
                required=False,
                max_length=600,
                widget=forms.Textarea(attrs={"rows": 4, "lang": code, "dir": "auto"}),
            )

    def texts(self):
        field = District.welcome
        return {code: self.cleaned_data[name] for code, name in zip(field.languages, field.fields, strict=True)}


class AuditFilterForm(forms.Form):
    verb = forms.ChoiceField(
        label=_("What"),
        required=False,
        choices=[
            ("", _("Everything")),
            ("concern.", _("Concerns")),
            ("street_contact.", _("Street contacts")),
            ("field_note.", _("Conversation notes")),
            ("reply_template.", _("Reply templates")),
            ("privacy.", _("Privacy requests")),
        ],
    )
    concern = forms.IntegerField(
        label=_("Concern no."), required=False, min_value=1, widget=forms.TextInput(attrs={"inputmode": "numeric"})
    )

    def filters(self):
        if not self.is_valid():
            return {}
        return {"verb_prefix": self.cleaned_data["verb"], "target_id": self.cleaned_data["concern"]}


class PrivacyForm(forms.Form):
    """Whom a privacy request is about: an e-mail address and/or a phone number."""

    email = forms.EmailField(
        label=_("E-mail address of the person"), required=False, widget=forms.EmailInput(attrs={"autocomplete": "off"})
    )
    phone = forms.CharField(
        label=_("Phone number of the person"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "tel"}),
    )

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if phone and (not re.fullmatch(r"[0-9+()/. -]+", phone) or len(re.sub(r"\D", "", phone)) < 5):
            raise ValidationError(
                _("Please enter a phone number in digits, e.g. 0521 12345 or +49 521 12345."), code="phone"
            )
        return phone

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("email") and not data.get("phone"):
            raise ValidationError(_("Please enter an e-mail address or a phone number."), code="required")
        return data

    def person(self):
        return {"email": self.cleaned_data["email"], "phone": self.cleaned_data["phone"]}


class PrivacyEraseForm(PrivacyForm):
    confirm = forms.BooleanField(
        label=_("I have checked the request. The personal data listed above is removed for good.")
    )


# Posters ------------------------------------------------------------------------------------------


class PosterForm(PosterLanguagesForm):
    """A poster for a place: street and house number of the register, or "lat,lon"; a label; further languages."""

    field_order = ["street", "house_number", "location", "label", "languages"]

    street = forms.CharField(
        label=_("Street"),
        required=False,
        max_length=120,
        widget=forms.TextInput(attrs={"list": "street-register", "autocomplete": "off"}),
    )
    house_number = forms.CharField(
        label=_("House number"), required=False, max_length=10, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    location = forms.CharField(
        label=_("Coordinates"),
        required=False,
        max_length=60,
        help_text=_("Instead of an address: latitude,longitude, e.g. 48.3801,10.8702"),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    label = forms.CharField(
        label=_("Name of the place on the poster"),
        required=False,
        max_length=60,
        help_text=_("Short, e.g. “Playground Lechhauser Straße”. Empty: the address."),
    )

    def __init__(self, *args, district, **kwargs):
        super().__init__(*args, **kwargs)
        self.district = district

    def clean_location(self):
        return parse_location(self.cleaned_data["location"])

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        address = ""
        try:
            if data["street"].strip():
                street = places.street_named(self.district, data["street"])
                point = places.point_for_address(self.district, street.name, data["house_number"])
                address = f"{street.name} {data['house_number'].strip()}"
            elif data["location"]:
                point = data["location"]
                if not district_contains(self.district, lat=point[0], lon=point[1]):
                    raise ValidationError(
                        {
                            "location": ValidationError(
                                _("This place lies outside %(district)s. Please choose a place inside the district."),
                                code="outside",
                                params={"district": self.district.name},
                            )
                        }
                    )
            else:
                raise ValidationError(_("Please enter a street and house number, or coordinates."), code="required")
        except ValidationError as error:
            self.add_error(None, error)
            return data
        data["point"] = point
        data["place"] = data["label"].strip() or address
        return data

    def poster_kwargs(self):
        data = self.cleaned_data
        lat, lon = data["point"]
        return {
            "district": self.district,
            "lat": lat,
            "lon": lon,
            "place": data["place"],
            "languages": self.poster_languages(),
        }


class AccessibilityAnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Please write an answer.")},
    )
