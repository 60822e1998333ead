"""Forms of the network directory. They check shape; the services check the rules."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kiezwerk.concerns import selectors as concern_selectors
from kiezwerk.core.forms import DATE_INPUT

from ..models import InteractionKind, LegalBasis, Organisation, OrganisationKind, Visibility
from ..selectors import directory as selectors

DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _tree(district):
    """The district's category tree, loaded once per district instance."""
    if not hasattr(district, "_network_tree"):
        district._network_tree = concern_selectors.category_list(district=district)
    return district._network_tree


def topic_choices(district):
    """(slug, label) of the district's active categories: an organisation's topics."""
    if not hasattr(district, "_network_topics"):
        choices = []
        for top, children in _tree(district):
            choices.append((top.slug, top.name))
            choices.extend((child.slug, f"{top.name} › {child.name}") for child in children)
        district._network_topics = choices
    return district._network_topics


def topic_labels(district):
    """{slug: label} of the district's categories, each under its own name only."""
    return {c.slug: c.name for top, children in _tree(district) for c in [top, *children]}


def language_choices():
    return list(settings.CONTENT_LANGUAGES)


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"), required=False, max_length=200, widget=forms.TextInput(attrs={"type": "search"})
    )
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All")), *OrganisationKind.choices])
    topic = forms.ChoiceField(label=_("Topic"), required=False)
    language = forms.ChoiceField(label=_("Language"), required=False)
    visibility = forms.ChoiceField(label=_("Visibility"), required=False, choices=[("", _("All")), *Visibility.choices])

    def __init__(self, *args, district, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = [("", _("All")), *topic_choices(district)]
        self.fields["language"].choices = [("", _("All")), *language_choices()]

    def filters(self):
        """Valid filters as keyword arguments for the organisation list (none when the form is invalid)."""
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "text": data["q"].strip(),
            "kind": data["kind"],
            "topic": data["topic"],
            "language": data["language"],
            "visibility": data["visibility"],
        }


class ContactFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"), required=False, max_length=200, widget=forms.TextInput(attrs={"type": "search"})
    )
    unconfirmed = forms.BooleanField(label=_("Only contacts not confirmed for 12 months"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unconfirmed"].label = _("Only contacts not confirmed for %(months)s months") % {
            "months": settings.CONTACT_CONFIRM_MONTHS
        }

    def filters(self):
        if not self.is_valid():
            return {}
        return {"text": self.cleaned_data["q"].strip(), "unconfirmed": self.cleaned_data["unconfirmed"]}


class OrganisationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("Please choose")), *OrganisationKind.choices])
    districts = forms.MultipleChoiceField(
        label=_("Districts served"), required=False, widget=forms.CheckboxSelectMultiple
    )
    city = forms.CharField(label=_("City"), max_length=120, required=False)
    whole_city = forms.BooleanField(
        label=_("Serves the whole city"), required=False, help_text=_("Then it appears in every district of its city.")
    )
    area_note = forms.CharField(
        label=_("Area served"), max_length=300, required=False, help_text=_("e.g. “north of the B17”")
    )
    topics = forms.MultipleChoiceField(label=_("Topics"), required=False, widget=forms.CheckboxSelectMultiple)
    competencies = forms.CharField(label=_("Competencies"), max_length=500, required=False)
    description = forms.CharField(
        label=_("Description"), max_length=3000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages spoken"), required=False, widget=forms.CheckboxSelectMultiple
    )
    opening_hours = forms.CharField(label=_("Opening hours"), max_length=300, required=False)
    email = forms.EmailField(label=_("E-mail address"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    lat = forms.FloatField(label=_("Latitude"), required=False, min_value=-90, max_value=90)
    lon = forms.FloatField(label=_("Longitude"), required=False, min_value=-180, max_value=180)
    visibility = forms.ChoiceField(
        label=_("Visibility"),
        choices=Visibility.choices,
        initial=Visibility.INTERNAL,
        help_text=_("Public organisations may be shown to residents later; internal ones never."),
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, district, districts, organisation=None, **kwargs):
        """`districts`: those the manager may assign (the districts they are staff of)."""
        if organisation is not None and (not args or args[0] is None) and kwargs.get("data") is None:
            kwargs.setdefault("initial", self.initial_for(organisation))
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.district_rows = {str(d.pk): d for d in districts}
        self.fields["districts"].choices = [(pk, d.name) for pk, d in self.district_rows.items()]
        self.fields["topics"].choices = topic_choices(district)
        self.fields["languages"].choices = language_choices()
        if organisation is None:
            self.fields["districts"].initial = [str(district.pk)]
            self.fields["city"].initial = district.city
        # Topics of another city's categories are kept when the form does not offer them.
        offered = {slug for slug, _label in self.fields["topics"].choices}
        self.kept_topics = [t for t in (organisation.topics if organisation else []) if t not in offered]

    @staticmethod
    def initial_for(organisation):
        initial = {name: getattr(organisation, name) for name in OrganisationForm.base_fields if name != "districts"}
        initial["districts"] = [str(pk) for pk in organisation.districts.values_list("pk", flat=True)]
        return initial

    def save_kwargs(self):
        data = dict(self.cleaned_data)
        chosen = [self.district_rows[pk] for pk in data.pop("districts")]
        # Districts the manager does not look after stay as they are.
        if self.organisation is not None:
            chosen += [d for d in self.organisation.districts.all() if str(d.pk) not in self.district_rows]
        data["topics"] = [*data["topics"], *self.kept_topics]
        for name in ("name", "city", "area_note", "competencies", "opening_hours", "phone", "address"):
            data[name] = data[name].strip()
        return {"districts": chosen, **data}


class ContactForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    role = forms.CharField(label=_("Role"), max_length=200, required=False)
    organisation = forms.ModelChoiceField(
        label=_("Works at"), queryset=Organisation.objects.none(), required=False, empty_label=_("No organisation")
    )
    email = forms.EmailField(label=_("E-mail address"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    channels = forms.CharField(
        label=_("Other channels"), max_length=300, required=False, help_text=_("e.g. “Signal, Tuesdays in the office”")
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages spoken"), required=False, widget=forms.CheckboxSelectMultiple
    )
    notes = forms.CharField(
        label=_("Notes (internal)"), max_length=3000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    legal_basis = forms.ChoiceField(
        label=_("Legal basis"),
        choices=[("", _("Please choose")), *LegalBasis.choices],
        help_text=_("Why this person's data may be stored (Art. 6 GDPR)."),
        error_messages={"required": _("Please record the legal basis for storing this person's data.")},
    )
    consent_note = forms.CharField(
        label=_("How and when agreed"),
        max_length=300,
        required=False,
        help_text=_("For consent: when, how, by whom recorded."),
    )
    last_confirmed_on = forms.DateField(
        label=_("Last confirmed"),
        widget=DATE_INPUT,
        help_text=_("When the person last confirmed that these details are right."),
        error_messages={"required": _("Please enter when the data was last confirmed.")},
    )

    def __init__(self, *args, district, contact=None, **kwargs):
        if contact is not None and (not args or args[0] is None) and kwargs.get("data") is None:
            kwargs.setdefault(
                "initial",
                {name: getattr(contact, name) for name in ContactForm.base_fields if name != "organisation"}
                | {"organisation": contact.organisation_id},
            )
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = selectors.organisation_list_for_district(district=district)
        self.fields["languages"].choices = language_choices()
        if contact is None:
            self.fields["last_confirmed_on"].initial = timezone.localdate()

    def save_kwargs(self):
        data = dict(self.cleaned_data)
        for name in ("name", "role", "phone", "channels", "consent_note"):
            data[name] = data[name].strip()
        return data


def _node_choices(district):
    """Organisations and contacts of the district as choices "o<pk>" / "c<pk>", and a lookup."""
    organisations = list(selectors.organisation_list_for_district(district=district))
    contacts = list(selectors.contact_list_for_district(district=district))
    rows = {f"o{o.pk}": o for o in organisations} | {f"c{c.pk}": c for c in contacts}
    choices = [("", _("Please choose"))]
    if organisations:
        choices.append((_("Organisations"), [(f"o{o.pk}", o.name) for o in organisations]))
    if contacts:
        choices.append((_("People"), [(f"c{c.pk}", str(c)) for c in contacts]))
    return choices, rows


class RelationshipForm(forms.Form):
    from_end = forms.ChoiceField(label=_("Who"))
    label = forms.CharField(label=_("Relationship"), max_length=100, help_text=_("e.g. “works with”, “funds”, “knows”"))
    to_end = forms.ChoiceField(label=_("Whom"))
    reverse_label = forms.CharField(
        label=_("The same the other way"),
        max_length=100,
        help_text=_("e.g. “funded by”; the same word if it is mutual"),
    )
    started_on = forms.DateField(label=_("Since"), required=False, widget=DATE_INPUT)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, district, **kwargs):
        super().__init__(*args, **kwargs)
        choices, self.rows = _node_choices(district)
        self.fields["from_end"].choices = choices
        self.fields["to_end"].choices = choices

    def clean(self):
        data = super().clean()
        if data.get("from_end") and data.get("from_end") == data.get("to_end"):
            self.add_error("to_end", ValidationError(_("A relationship needs two different ends."), code="same"))
        return data

    def save_kwargs(self):
        data = dict(self.cleaned_data)
        data["from_end"] = self.rows[data["from_end"]]
        data["to_end"] = self.rows[data["to_end"]]
        return data


class RelationshipEndForm(forms.Form):
    prefix = "end"
    ended_on = forms.DateField(label=_("Ended on"), widget=DATE_INPUT)


class InteractionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("Please choose")), *InteractionKind.choices])
    at = forms.DateTimeField(label=_("When"), widget=DATETIME_INPUT)
    organisation = forms.ChoiceField(label=_("Organisation"), required=False)
    contact = forms.ChoiceField(label=_("Person"), required=False)
    note = forms.CharField(label=_("Note"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, district, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = {str(o.pk): o for o in selectors.organisation_list_for_district(district=district)}
        self.contacts = {str(c.pk): c for c in selectors.contact_list_for_district(district=district)}
        self.fields["organisation"].choices = [("", _("None"))] + [(k, o.name) for k, o in self.organisations.items()]
        self.fields["contact"].choices = [("", _("None"))] + [(k, str(c)) for k, c in self.contacts.items()]
        if not self.is_bound:
            self.fields["at"].initial = timezone.localtime().replace(second=0, microsecond=0)

    def clean(self):
        data = super().clean()
        if "organisation" in data and "contact" in data and not data["organisation"] and not data["contact"]:
            self.add_error(
                "organisation", ValidationError(_("Please choose an organisation or a person."), code="partner")
            )
        return data

    def save_kwargs(self):
        data = dict(self.cleaned_data)
        data["organisation"] = self.organisations.get(data["organisation"])
        data["contact"] = self.contacts.get(data["contact"])
        return data


class GraphForm(forms.Form):
    """What the network graph shows: the whole network or one organisation's surroundings, with or without people."""

    organisation = forms.ModelChoiceField(
        label=_("Surroundings of"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("– the whole network –"),
        error_messages={"invalid_choice": _("This organisation is not part of this district's network.")},
    )
    people = forms.BooleanField(label=_("Show people"), required=False)

    def __init__(self, *args, district, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = selectors.organisation_list_for_district(district=district)

    def filters(self):
        """Keyword arguments for the graph: the valid choices (the whole network for an unknown organisation)."""
        if not self.is_bound:
            return {"focus": None, "people": False}
        self.is_valid()
        return {"focus": self.cleaned_data.get("organisation"), "people": bool(self.cleaned_data.get("people"))}
