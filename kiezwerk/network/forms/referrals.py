"""Forms of referrals: the team refers and follows up, the partner answers."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kiezwerk.core.forms import DATE_INPUT

from ..models import Outcome, ReferralPlan


def recipients(organisation):
    """What the refer page offers as the mail's recipient at an organisation: its own address, then its people."""
    own = _("To the organisation's address")
    if organisation is None:
        return [("", own)]
    none = _("no e-mail address")
    return [("", f"{own} ({organisation.email or none})")] + [
        (str(c.pk), f"{c.name}{' – ' + c.role if c.role else ''} ({c.email or none})")
        for c in organisation.contacts.all()
    ]


class ReferForm(forms.Form):
    """Refer a concern: the recipient is one of the chosen organisation's people, or its own address.

    The page lists only the chosen organisation's people. Without JavaScript a first submit chooses the
    organisation and the page comes back with its people, everything entered kept; `static/js/refer.js`
    swaps the list in place. The hidden `recipients_of` names the organisation whose people the page
    showed: only a submit whose list matched its organisation refers (`recipient_chosen`).
    """

    organisation = forms.ChoiceField(
        label=_("Organisation"), help_text=_("Then you choose who there receives the e-mail.")
    )
    contact = forms.CharField(
        label=_("Recipient of the e-mail"),
        required=False,
        widget=forms.Select,
        help_text=_(
            "Only the people of the chosen organisation. The e-mail with the partner's link goes to this one address."
        ),
    )
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
        # The organisation chosen so far (submitted, or preselected by a suggestion): the list shows its people.
        self.chosen = self.organisations.get(str(self["organisation"].value() or ""))
        self.fields["contact"].widget.choices = recipients(self.chosen)

    @property
    def recipient_chosen(self):
        """Whether the recipient was chosen from the list of the submitted organisation's people."""
        return self.chosen is not None and self.data.get("recipients_of") == str(self.chosen.pk)

    def recipient_options(self):
        """Every organisation's recipients, for refer.js: {organisation id: [[value, label], …]}."""
        return {pk: recipients(o) for pk, o in self.organisations.items()}

    def ask_recipient(self):
        """The second step without JavaScript: the organisation is chosen, the page asks for the recipient."""
        self.fields["contact"].widget.attrs["autofocus"] = True

    def clean_organisation(self):
        organisation = self.organisations.get(self.cleaned_data["organisation"])
        if organisation is None:
            raise ValidationError(_("Please choose an organisation."), code="organisation")
        return organisation

    def clean_contact(self):
        key = self.cleaned_data["contact"]
        if not key or not self.recipient_chosen:  # the list on the page was another organisation's
            return None
        if key not in self.contacts:
            raise ValidationError(_("Please choose a recipient from the list."), code="contact")
        # A person of another organisation is the service's to refuse ("contact").
        return self.contacts[key]


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
