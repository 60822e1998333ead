"""Forms for importing the network from CSV: the upload, and the confirmation that carries the checked file."""

from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _

from ..services.imports import MAX_IMPORT_BYTES

KIND_CHOICES = [("organisations", _("Organisations")), ("contacts", _("Contact persons"))]
# A confirmation is good for an hour; after that the file has to be uploaded again.
CONFIRM_MAX_AGE = 3600
CONFIRM_SALT = "kiezwerk.network.import"


class ImportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("The file holds"), choices=KIND_CHOICES, initial="organisations", widget=forms.RadioSelect
    )
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "UTF-8 or Windows-1252, cells separated by “;” or “,”, the first line names the columns. At most 1 MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("The file is larger than 1 MB. Split it into several files."), code="size")
        return upload


def import_token(*, district, user, kind, data, plan=None):
    """A signed, compressed copy of a checked file, bound to the district and the person who checked it.

    `plan` is what the preview showed would happen to each row (`ImportPreview.plan`).
    """
    payload = {"d": district.pk, "u": user.pk, "k": kind, "f": data.decode("latin-1"), "p": plan}
    return signing.dumps(payload, salt=CONFIRM_SALT, compress=True)


class ImportConfirmForm(forms.Form):
    """The file comes back signed by us: an altered, foreign or stale token is refused."""

    token = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, district, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.district, self.user = district, user

    def clean_token(self):
        try:
            payload = signing.loads(self.cleaned_data["token"], salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
        except signing.SignatureExpired as error:
            raise forms.ValidationError(
                _("The preview is more than an hour old. Upload the file again."), code="expired"
            ) from error
        except signing.BadSignature as error:
            raise forms.ValidationError(
                _("The file could not be confirmed. Upload it again."), code="invalid"
            ) from error
        if payload.get("d") != self.district.pk or payload.get("u") != self.user.pk:
            raise forms.ValidationError(_("The file could not be confirmed. Upload it again."), code="invalid")
        if payload.get("k") not in dict(KIND_CHOICES):
            raise forms.ValidationError(_("The file could not be confirmed. Upload it again."), code="invalid")
        return payload

    @property
    def kind(self):
        return self.cleaned_data["token"]["k"]

    @property
    def data_bytes(self):
        return self.cleaned_data["token"]["f"].encode("latin-1")

    @property
    def plan(self):
        return self.cleaned_data["token"].get("p")
