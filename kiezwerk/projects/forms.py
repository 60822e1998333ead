"""Forms of projects. They check shape; the services check the rules (and name the field in their errors)."""

import json

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from kiezwerk.concerns.forms import PhotosField
from kiezwerk.core.forms import DATE_INPUT
from kiezwerk.desk.forms import categories, category_choices, parse_location, team_choices, team_members
from kiezwerk.network.models import Organisation, OrganisationKind, ReferralPlan

from .models import Kind, ProjectStatus, ProjectTemplate, Visibility
from .services.projects import TRANSITIONS
from .services.templates import MAX_OFFSET_DAYS

# A number as the language writes it ("2,5" in German): a text field with the phone's decimal keyboard.
DECIMAL_INPUT = forms.TextInput(attrs={"inputmode": "decimal"})
DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class PlaceFields(forms.Form):
    """A project's place: a point or an area from the map, or street and house number without JavaScript."""

    location = forms.CharField(label=_("Place"), required=False, widget=forms.HiddenInput)
    area = forms.CharField(label=_("Area"), required=False, widget=forms.HiddenInput)
    street = forms.CharField(
        label=_("Street"),
        required=False,
        max_length=120,
        widget=forms.TextInput(attrs={"list": "street-register", "autocomplete": "off"}),
    )
    house_number = forms.CharField(label=_("House number"), required=False, max_length=8)

    def clean_location(self):
        try:
            return parse_location(self.cleaned_data["location"])
        except forms.ValidationError:
            raise forms.ValidationError(_("The place could not be read. Please mark it again.")) from None

    def clean_area(self):
        value = self.cleaned_data["area"].strip()
        if not value:
            return None
        try:
            return json.loads(value)
        except ValueError:
            raise forms.ValidationError(_("The drawn area cannot be read.")) from None

    def place(self):
        """The arguments of `services.projects.place_check`."""
        data = self.cleaned_data
        lat, lon = data.get("location") or (None, None)
        return {
            "lat": lat,
            "lon": lon,
            "area": data.get("area"),
            "street": data.get("street", "").strip(),
            "house_number": data.get("house_number", "").strip(),
        }


class ProjectForm(PlaceFields):
    title = forms.CharField(label=_("Title"), max_length=120)
    goal = forms.CharField(
        label=_("Goal"), max_length=300, help_text=_("One sentence: what should be different afterwards?")
    )
    description = forms.CharField(
        label=_("Description"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )
    language = forms.ChoiceField(label=_("Language of the texts"), choices=settings.CONTENT_LANGUAGES, initial="de")
    kind = forms.ChoiceField(label=_("Kind of action"), choices=Kind.choices, initial=Kind.OTHER)
    category = forms.TypedChoiceField(label=_("Topic"), required=False, coerce=int, empty_value=None)
    starts_on = forms.DateField(label=_("Date of the action"), required=False, widget=DATE_INPUT)
    ends_on = forms.DateField(
        label=_("Last day"), required=False, widget=DATE_INPUT, help_text=_("Only for actions over several days.")
    )
    responsible = forms.TypedChoiceField(label=_("Responsible"), required=False, coerce=str, empty_value=None)
    visibility = forms.ChoiceField(
        label=_("Visibility"),
        choices=Visibility.choices,
        initial=Visibility.PUBLIC,
        widget=forms.RadioSelect,
        help_text=_("Residents see a public project once it is being planned; an idea stays with the team."),
    )

    field_order = ["title", "goal", "description", "kind", "starts_on", "ends_on", "responsible", "category"]

    def __init__(self, *args, district, **kwargs):
        super().__init__(*args, **kwargs)
        self.district = district
        self.fields["category"].choices = category_choices(district, _("No topic"))
        self.fields["responsible"].choices = team_choices(district, _("Nobody yet"))

    def clean_category(self):
        value = self.cleaned_data["category"]
        return categories(self.district).get(value) if value else None

    def clean_responsible(self):
        value = self.cleaned_data["responsible"]
        return team_members(self.district).get(value) if value else None

    def values(self):
        """The project's own fields (without the place) for the services."""
        data = self.cleaned_data
        names = ["description", "language", "kind", "category", "starts_on", "ends_on", "responsible", "visibility"]
        return {"title": data["title"], "goal": data["goal"], **{name: data[name] for name in names}}


class NewProjectForm(ProjectForm):
    """A new project: from a template, with the concerns it starts from."""

    template = forms.TypedChoiceField(label=_("Template"), required=False, coerce=int, empty_value=None)
    concerns = forms.CharField(required=False, widget=forms.HiddenInput)

    field_order = ["template", *ProjectForm.field_order]

    def __init__(self, *args, district, **kwargs):
        super().__init__(*args, district=district, **kwargs)
        self.templates = {t.pk: t for t in ProjectTemplate.objects.filter(district=district)}
        self.fields["template"].choices = [("", _("No template"))] + [(pk, t.name) for pk, t in self.templates.items()]

    def clean_template(self):
        value = self.cleaned_data["template"]
        return self.templates.get(value) if value else None

    def clean_concerns(self):
        value = self.cleaned_data["concerns"]
        try:
            return [int(part) for part in value.split(",") if part.strip()]
        except ValueError:
            raise forms.ValidationError(_("The concerns could not be read.")) from None


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=[])
    reason = forms.CharField(
        label=_("Public reason"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed when the project is done, cancelled or taken up again; residents read it."),
    )

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = TRANSITIONS[project.status]
        self.fields["status"].choices = [
            ("", _("Please choose")),
            *((status, ProjectStatus(status).label) for status in ProjectStatus.values if status in allowed),
        ]


class PostForm(forms.Form):
    text = forms.CharField(label=_("Text"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))


class PartnerForm(forms.Form):
    prefix = "partner"
    organisation = forms.TypedChoiceField(label=_("Organisation"), coerce=int)
    part = forms.CharField(label=_("Their part"), max_length=120, help_text=_("For example: provides the skip"))

    def __init__(self, *args, district, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = {o.pk: o for o in Organisation.objects.serving(district).only("pk", "name", "kind")}
        self.fields["organisation"].choices = [
            ("", "–"),
            *sorted(((pk, o.name) for pk, o in self.organisations.items()), key=lambda choice: choice[1].lower()),
        ]

    def clean_organisation(self):
        return self.organisations[self.cleaned_data["organisation"]]


class TaskForm(forms.Form):
    prefix = "task"
    title = forms.CharField(label=_("Task"), max_length=200)
    due_on = forms.DateField(label=_("Due"), required=False, widget=DATE_INPUT)
    owner = forms.ChoiceField(label=_("Who does it"), required=False)

    def __init__(self, *args, project, signups=(), partners=None, **kwargs):
        """`partners`: the project's ProjectPartner rows with organisations and contacts, if the caller has them."""
        super().__init__(*args, **kwargs)
        if partners is None:
            partners = project.partners.select_related("organisation").prefetch_related("organisation__contacts")
        self.owners = {}
        team = [(f"user:{pk}", str(user)) for pk, user in team_members(project.district).items()]
        for key, user in team_members(project.district).items():
            self.owners[f"user:{key}"] = {"owner_user": user}
        volunteers = []
        for signup in signups:
            self.owners[f"signup:{signup.pk}"] = {"owner_signup": signup}
            volunteers.append((f"signup:{signup.pk}", signup.display_name))
        contacts = []
        for partner in partners:
            for contact in partner.organisation.contacts.all():
                self.owners[f"contact:{contact.pk}"] = {"owner_contact": contact}
                contacts.append((f"contact:{contact.pk}", f"{contact.name} ({partner.organisation.name})"))
        self.fields["owner"].choices = [
            ("", _("Nobody yet")),
            (_("Team"), team),
            *([(_("Volunteers"), volunteers)] if volunteers else []),
            *([(_("Partners' contacts"), contacts)] if contacts else []),
        ]

    def values(self):
        data = self.cleaned_data
        return {"title": data["title"], "due_on": data["due_on"], **self.owners.get(data["owner"], {})}


class MaterialForm(forms.Form):
    prefix = "material"
    name = forms.CharField(label=_("Material"), max_length=120)
    needed = forms.IntegerField(label=_("Needed"), min_value=1, initial=1)
    pledged = forms.IntegerField(label=_("Pledged"), min_value=0, initial=0)
    received = forms.IntegerField(label=_("Received"), min_value=0, initial=0)
    pledged_by = forms.ChoiceField(label=_("Pledged by"), required=False)

    def __init__(self, *args, project, signups=(), partners=None, material=None, **kwargs):
        """A partner or a registered volunteer pledges; `partners`: the project's ProjectPartner rows with their
        organisations, when the caller has them. Changing a `material` keeps its pledger among the choices."""
        if material is not None:
            kwargs["initial"] = {
                "pledged_by": _pledger_key(material),
                **{name: getattr(material, name) for name in ("name", "needed", "pledged", "received")},
            }
        super().__init__(*args, **kwargs)
        if partners is None:
            partners = project.partners.select_related("organisation")
        organisations = [(f"organisation:{p.organisation_id}", p.organisation) for p in partners]
        signups = list(signups)
        if material is not None and material.pledged_by_signup and material.pledged_by_signup not in signups:
            signups.append(material.pledged_by_signup)
        volunteers = [(f"signup:{signup.pk}", signup) for signup in signups]
        self.pledgers = {key: {"pledged_by_organisation": o} for key, o in organisations}
        self.pledgers |= {key: {"pledged_by_signup": signup} for key, signup in volunteers}
        self.fields["pledged_by"].choices = [
            ("", _("Nobody yet")),
            *([(_("Partners"), [(key, o.name) for key, o in organisations])] if organisations else []),
            *([(_("Volunteers"), [(key, s.display_name) for key, s in volunteers])] if volunteers else []),
        ]

    def values(self):
        data = self.cleaned_data
        fields = {name: data[name] for name in ("name", "needed", "pledged", "received")}
        return fields | self.pledgers.get(data["pledged_by"], {})


def _pledger_key(material):
    if material.pledged_by_organisation_id:
        return f"organisation:{material.pledged_by_organisation_id}"
    if material.pledged_by_signup_id:
        return f"signup:{material.pledged_by_signup_id}"
    return ""


class ShiftForm(forms.Form):
    prefix = "shift"
    starts_at = forms.DateTimeField(label=_("Starts"), widget=DATETIME_INPUT)
    ends_at = forms.DateTimeField(label=_("Ends"), widget=DATETIME_INPUT)
    place = forms.CharField(label=_("Meeting point"), max_length=200)
    bring = forms.CharField(label=_("What to bring"), required=False, max_length=300)
    capacity = forms.IntegerField(label=_("Places"), initial=10)

    def clean(self):
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", _("The shift must end after it starts."))
        if data.get("capacity") is not None and data["capacity"] < 1:
            self.add_error("capacity", _("A shift needs at least one place."))
        return data


class SignUpForm(forms.Form):
    """Helping in a shift: with an account nothing to fill in; otherwise name and e-mail address."""

    name = forms.CharField(label=_("Your name"), max_length=120, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    email = forms.EmailField(
        label=_("Your e-mail address"),
        help_text=_("You get a link to confirm, and a reminder the day before."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label=_("Phone"),
        required=False,
        max_length=40,
        help_text=_("Only if the team may call you on the day."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None and user.is_authenticated:
            for name in ("name", "email"):
                del self.fields[name]


class MessageForm(forms.Form):
    prefix = "message"
    subject = forms.CharField(label=_("Subject"), max_length=150)
    text = forms.CharField(label=_("Message"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5}))


class ResolveForm(forms.Form):
    prefix = "resolve"
    text = forms.CharField(
        label=_("Public reason for the linked concerns"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The reporters and followers of each concern get it by e-mail."),
    )


class LinkConcernsForm(forms.Form):
    prefix = "link"
    numbers = forms.CharField(
        label=_("Numbers of concerns"), max_length=200, help_text=_("Separated by commas, e.g. 12, 15, 31")
    )

    def clean_numbers(self):
        try:
            numbers = [
                int(part.strip().lstrip("#")) for part in self.cleaned_data["numbers"].split(",") if part.strip()
            ]
        except ValueError:
            raise forms.ValidationError(_("Please enter concern numbers separated by commas.")) from None
        if not numbers:
            raise forms.ValidationError(_("Please enter concern numbers separated by commas."))
        return numbers


class OutcomeForm(forms.Form):
    """The outcome of a done project: participants, hours, the template's figures, a public result, photos."""

    prefix = "outcome"
    participants = forms.IntegerField(label=_("Participants"), min_value=0, required=False)
    hours = forms.DecimalField(
        label=_("Hours given, in total"),
        min_value=0,
        max_digits=7,
        decimal_places=1,
        required=False,
        localize=True,
        widget=DECIMAL_INPUT,
    )
    result = forms.CharField(
        label=_("Result (public)"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    photos = PhotosField(
        label=_("Photos of the result"),
        required=False,
        help_text=_("JPEG, PNG or HEIC. Location and camera data are removed."),
    )

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.figure_specs = project.template.figures if project.template_id and project.template else []
        for spec in self.figure_specs:
            label = f"{spec['label']} ({spec['unit']})" if spec.get("unit") else spec["label"]
            self.fields[f"figure_{spec['key']}"] = forms.DecimalField(
                label=label,
                min_value=0,
                max_digits=10,
                decimal_places=1,
                required=False,
                localize=True,
                widget=DECIMAL_INPUT,
            )

    def figures(self):
        values = {}
        for spec in self.figure_specs:
            value = self.cleaned_data.get(f"figure_{spec['key']}")
            if value is not None:
                values[spec["key"]] = int(value) if value == int(value) else float(value)
        return values


class AttendanceForm(forms.Form):
    """After a shift: who came and how long, one row per registered volunteer."""

    def __init__(self, *args, signups, **kwargs):
        super().__init__(*args, **kwargs)
        self.signups = list(signups)
        for signup in self.signups:
            self.fields[f"attended_{signup.pk}"] = forms.BooleanField(
                label=_("%(name)s was there") % {"name": signup.display_name},
                required=False,
                initial=bool(signup.attended),
            )
            self.fields[f"hours_{signup.pk}"] = forms.DecimalField(
                label=_("Hours of %(name)s") % {"name": signup.display_name},
                min_value=0,
                max_value=24,
                max_digits=4,
                decimal_places=1,
                required=False,
                initial=signup.hours,
                localize=True,
                widget=DECIMAL_INPUT,
            )

    def rows(self):
        return {s.pk: (self.cleaned_data[f"attended_{s.pk}"], self.cleaned_data[f"hours_{s.pk}"]) for s in self.signups}


class PublicFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False)
    volunteers = forms.BooleanField(label=_("Only those looking for volunteers"), required=False)
    kind = forms.ChoiceField(label=_("Kind of action"), required=False, choices=[("", _("All")), *Kind.choices])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("All"))] + [
            (s, ProjectStatus(s).label) for s in ProjectStatus.values if s != ProjectStatus.IDEA
        ]


class TeamFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("All")), *ProjectStatus.choices])
    kind = forms.ChoiceField(label=_("Kind of action"), required=False, choices=[("", _("All")), *Kind.choices])


class TemplateForm(forms.Form):
    """A project template: name and kind, plus its rows (tasks, materials, figures) in formsets."""

    name = forms.CharField(label=_("Name"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind of action"), choices=Kind.choices)
    description = forms.CharField(
        label=_("Description"), required=False, max_length=300, widget=forms.Textarea(attrs={"rows": 2})
    )
    partner_kinds = forms.MultipleChoiceField(
        label=_("Kinds of partner to ask"),
        required=False,
        choices=OrganisationKind.choices,
        widget=forms.CheckboxSelectMultiple,
    )


class TemplateTaskForm(forms.Form):
    title = forms.CharField(label=_("Task"), max_length=200, required=False)
    days_before = forms.IntegerField(
        label=_("Days before the action"),
        required=False,
        min_value=-MAX_OFFSET_DAYS,
        max_value=MAX_OFFSET_DAYS,
        help_text=_("A negative number: days after it."),
    )
    after = forms.TypedChoiceField(label=_("Waits for task no."), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, rows=0, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["after"].choices = [("", "–")] + [(i, str(i + 1)) for i in range(rows)]


class TemplateMaterialForm(forms.Form):
    name = forms.CharField(label=_("Material"), max_length=120, required=False)
    quantity = forms.IntegerField(label=_("Quantity"), required=False, min_value=1)


class TemplateFigureForm(forms.Form):
    key = forms.CharField(required=False, widget=forms.HiddenInput, max_length=40)
    label = forms.CharField(label=_("Figure"), max_length=100, required=False)
    unit = forms.CharField(label=_("Unit"), max_length=20, required=False)


EXTRA_ROWS = 3


def template_formsets(data=None, template=None):
    """The three row formsets of a template form, each with EXTRA_ROWS empty rows to add to."""
    tasks = template.tasks if template else []
    materials = template.materials if template else []
    figures = template.figures if template else []
    task_rows = len(tasks) + EXTRA_ROWS
    Tasks = forms.formset_factory(TemplateTaskForm, extra=EXTRA_ROWS)
    Materials = forms.formset_factory(TemplateMaterialForm, extra=EXTRA_ROWS)
    Figures = forms.formset_factory(TemplateFigureForm, extra=EXTRA_ROWS)
    if data is not None:
        task_rows = int(data.get("tasks-TOTAL_FORMS") or 0) if str(data.get("tasks-TOTAL_FORMS", "")).isdigit() else 0
    return {
        "tasks": Tasks(data, prefix="tasks", initial=tasks, form_kwargs={"rows": min(task_rows, 100)}),
        "materials": Materials(data, prefix="materials", initial=materials),
        "figures": Figures(data, prefix="figures", initial=figures),
    }


def template_rows(formsets):
    """The filled rows of valid formsets as the service's lists; empty rows are left out, task numbers kept."""
    filled = [row for row in formsets["tasks"].cleaned_data if row.get("title")]
    index = {id(row): i for i, row in enumerate(filled)}
    by_position = {position: row for position, row in enumerate(formsets["tasks"].cleaned_data)}
    tasks = []
    for row in filled:
        after = row.get("after")
        target = by_position.get(after) if after is not None else None
        tasks.append(
            {
                "title": row["title"],
                "days_before": row.get("days_before") if row.get("days_before") is not None else 0,
                # The row it waits for, renumbered without the empty rows; an empty row it names is an error.
                "after": index.get(id(target), -1) if after is not None else None,
            }
        )
    materials = [
        {"name": row["name"], "quantity": row.get("quantity") or 0}
        for row in formsets["materials"].cleaned_data
        if row.get("name")
    ]
    figures = [
        {"key": row.get("key", ""), "label": row["label"], "unit": row.get("unit", "")}
        for row in formsets["figures"].cleaned_data
        if row.get("label")
    ]
    return {"tasks": tasks, "materials": materials, "figures": figures}


class RequestForm(forms.Form):
    """Ask a partner of the project for help (material, a permit, a pick-up): the network's referral steps.

    The recipient is one of the project's partner organisations, at its own address or one of its people.
    """

    prefix = "request"
    recipient = forms.ChoiceField(label=_("To"))
    message = forms.CharField(
        label=_("Message to the partner"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For example: Please bring 20 grabbers and collect the bags on the 14th."),
    )
    plan = forms.ChoiceField(label=_("Follow-up plan"), choices=ReferralPlan.choices, initial=ReferralPlan.STANDARD)
    due_on = forms.DateField(
        label=_("Answer by"),
        required=False,
        widget=DATE_INPUT,
        help_text=_("Empty: set by the plan (standard: 14 days)."),
    )

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.recipients = {}
        groups = []
        partners = project.partners.select_related("organisation").prefetch_related("organisation__contacts")
        for partner in partners:
            organisation = partner.organisation
            options = [(f"organisation:{organisation.pk}", _("the organisation's address"))]
            self.recipients[f"organisation:{organisation.pk}"] = (organisation, None)
            for contact in organisation.contacts.all():
                options.append((f"contact:{contact.pk}", contact.name))
                self.recipients[f"contact:{contact.pk}"] = (organisation, contact)
            groups.append((organisation.name, options))
        self.fields["recipient"].choices = [("", _("Please choose")), *groups]

    def request(self):
        """The arguments of `network.services.referrals.referral_request` this form gives."""
        organisation, contact = self.recipients[self.cleaned_data["recipient"]]
        data = self.cleaned_data
        return {
            "organisation": organisation,
            "contact": contact,
            "message": data["message"],
            "plan": data["plan"],
            "due_on": data["due_on"],
        }
