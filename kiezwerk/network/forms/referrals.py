"""Forms of referrals: the team refers and follows up, the partner answers."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kiezwerk.core.forms import DATE_INPUT

from ..models import Outcome, ReferralPlan


class ReferForm(forms.Form):
    organisation = forms.ChoiceField(label=_("Organisation"))
    contact = forms.ChoiceField(label=_("Contact person"), required=False)
    message = forms.CharField(
        label=_("Message to the partner"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("The partner also sees the concern itself, without the resident's data."),
    )
    plan = forms.ChoiceField(label=_("Follow-up plan"), choices=ReferralPlan.choices, initial=ReferralPlan.STANDARD)
    due_on = forms.DateField(
        label=_("Due"), required=False, widget=DATE_INPUT, help_text=_("Empty: set by the plan (standard: 14 days).")
    )
    introduce_resident = forms.BooleanField(
        label=_("Introduce the resident: pass on their name and contact details"), required=False
    )
    resident_consent = forms.BooleanField(label=_("The resident has agreed to this."), required=False)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = {str(o.pk): o for o in organisations}
        self.contacts = {str(c.pk): c for o in organisations for c in o.contacts.all()}
        self.fields["organisation"].choices = [("", _("Please choose"))] + [
            (pk, o.name) for pk, o in self.organisations.items()
        ]
        self.fields["contact"].choices = [("", _("The organisation (its e-mail address)"))] + [
            (o.name, [(str(c.pk), f"{c.name}{' – ' + c.role if c.role else ''}") for c in o.contacts.all()])
            for o in organisations
            if o.contacts.all()
        ]

    def clean_organisation(self):
        organisation = self.organisations.get(self.cleaned_data["organisation"])
        if organisation is None:
            raise ValidationError(_("Please choose an organisation."), code="organisation")
        return organisation

    def clean_contact(self):
        return self.contacts.get(self.cleaned_data["contact"] or "")


class AnswerForm(forms.Form):
    text = forms.CharField(label=_("Answer to the partner"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))


class DueForm(forms.Form):
    due_on = forms.DateField(label=_("New due date"), widget=DATE_INPUT)


class WithdrawForm(forms.Form):
    text = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class PartnerStepForm(forms.Form):
    """What the partner does: one form, the button says which step."""

    STEPS = ("accept", "ask", "reject", "progress", "close")

    step = forms.ChoiceField(label=_("Step"), choices=[(s, s) for s in STEPS])
    text = forms.CharField(label=_("Text"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))
    outcome = forms.ChoiceField(
        label=_("Outcome"), required=False, choices=[("", _("Please choose")), *Outcome.choices]
    )
    public = forms.BooleanField(
        label=_("Share this text with the resident (it appears on the concern's public page)"), required=False
    )
