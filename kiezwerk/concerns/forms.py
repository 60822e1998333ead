from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kiezwerk.core.forms import ViewportForm
from kiezwerk.core.intake import photos as intake_photos
from kiezwerk.core.intake import places
from kiezwerk.core.intake.uploads import upload_limit
from kiezwerk.core.models import FlagReason
from kiezwerk.core.selectors import district_contains

from . import selectors
from .models import ConcernStatus


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Up to MAX_PHOTOS image files, checked without decoding them (`core.intake.photos.photos_check`).

    Cleans to the list of uploads: they are decoded and stored only when the report is filed.
    """

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        uploads = [upload for upload in data or () if upload and upload.name]
        errors = intake_photos.photos_check(uploads)
        if errors:
            raise ValidationError(errors)
        return uploads


def categories_by_id(tree):
    """{"<pk>": category} for every category of a selectors.category_list tree."""
    return {str(c.pk): c for top, children in tree for c in (top, *children)}


def report_link(district, *, lat, lon):
    """The report form's address with the place already set (`?location=lat,lon`, to about a metre)."""
    return f"{settings.SITE_URL}{reverse('concerns:report', args=[district.slug])}?location={lat:.5f},{lon:.5f}"


def report_initial(query, district):
    """The report form's initial place from a link's `location` ("lat,lon", e.g. a poster's QR code).

    Empty when it is missing, unreadable or outside the district: the form then opens as usual, without an error.
    """
    try:
        lat, lon = (float(part) for part in query.get("location", "").split(","))
    except ValueError:
        return {}
    if not district_contains(district, lat=lat, lon=lon):
        return {}
    return {"location": f"{lat:.6f},{lon:.6f}"}


class ReportForm(forms.Form):
    """A resident's report. The place comes from the map (`location`) or from street and number."""

    location = forms.CharField(label=_("Place"), required=False, widget=forms.HiddenInput)
    street = forms.CharField(
        label=_("Street"),
        required=False,
        max_length=120,
        widget=forms.TextInput(attrs={"autocomplete": "off", "list": "street-register"}),
    )
    house_number = forms.CharField(
        label=_("House number"),
        required=False,
        max_length=10,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    category = forms.ChoiceField(label=_("Category"))
    title = forms.CharField(
        label=_("Subject"),
        max_length=120,
        help_text=_("In a few words, e.g. “Bulky waste on the pavement”."),
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What is the matter, since when, where exactly?"),
    )
    photos = PhotosField(
        label=_("Photos"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/heic,image/heif"}),
        help_text=_("Up to 3 photos (JPEG, PNG, WebP or HEIC). Location data in the photos is removed."),
    )
    reporter_name = forms.CharField(
        label=_("Your name"), required=False, max_length=120, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    reporter_email = forms.EmailField(
        label=_("Your e-mail address"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("Optional. We send you the tracking link and nobody else sees the address."),
    )

    def __init__(self, *args, district, uploads_refused=False, **kwargs):
        """`uploads_refused`: the request was too large, its files were not read (core.intake.uploads)."""
        super().__init__(*args, **kwargs)
        self.district = district
        self.uploads_refused = uploads_refused
        tree = selectors.category_list(district=district)
        self.categories = categories_by_id(tree)
        # The categories with a description, for "Which category fits?" beside the choice.
        self.described = [
            (top, [c for c in children if c.description])
            for top, children in tree
            if top.description or any(c.description for c in children)
        ]
        choices = [("", _("Please choose"))]
        for top, children in tree:
            if children:
                choices.append((top.name, [(str(c.pk), c.name) for c in children]))
            else:
                choices.append((str(top.pk), top.name))
        self.fields["category"].choices = choices

    def clean_photos(self):
        if self.uploads_refused:
            raise ValidationError(
                _("The photos together are larger than %(limit)s and were not received. Please choose fewer photos."),
                code="too_large_total",
                params={"limit": filesizeformat(upload_limit())},
            )
        return self.cleaned_data["photos"]

    def photos_again(self):
        """A post that filed no report stored none of its photos: say that they must be chosen again."""
        if self.files.getlist("photos") or self.uploads_refused:
            self.add_error(
                "photos",
                ValidationError(
                    _("Please choose your photos again: photos are stored only with a complete report."),
                    code="choose_again",
                ),
            )

    def clean_category(self):
        category = self.categories.get(self.cleaned_data["category"])
        if category is None:
            raise ValidationError(_("Please choose a category."), code="category")
        return category

    def clean_location(self):
        value = self.cleaned_data["location"].strip()
        if not value:
            return None
        try:
            lat, lon = (float(part) for part in value.split(","))
        except ValueError:
            raise ValidationError(_("The place on the map could not be read."), code="invalid") from None
        return lat, lon

    def clean(self):
        cleaned = super().clean()
        if self.errors.get("location"):
            return cleaned
        street_name = cleaned.get("street", "").strip()
        if street_name:
            number = cleaned.get("house_number", "").strip()
            try:
                street = places.street_named(self.district, street_name)
                cleaned["address"] = f"{street.name} {number}".strip()
                if not cleaned.get("location"):
                    cleaned["location"] = places.point_for_address(self.district, street.name, number)
            except ValidationError as error:
                self.add_error(None, error)
                return cleaned
        if not cleaned.get("location"):
            self.add_error(
                "location",
                ValidationError(
                    _("Please mark the place on the map, use your location, or enter street and house number."),
                    code="required",
                ),
            )
        return cleaned

    def report_kwargs(self):
        data = self.cleaned_data
        lat, lon = data["location"]
        return {
            "district": self.district,
            "category": data["category"],
            "title": data["title"],
            "description": data["description"],
            "lat": lat,
            "lon": lon,
            "address": data.get("address", ""),
            "photos": data["photos"],
            "reporter_name": data["reporter_name"],
            "reporter_email": data["reporter_email"],
        }


PERIOD_CHOICES = [
    ("", _("Any time")),
    ("7", _("Last 7 days")),
    ("30", _("Last 30 days")),
    ("90", _("Last 3 months")),
    ("365", _("Last 12 months")),
]


def category_filter_choices(tree):
    """Every category of a tree for a filter: a group (which includes its children), then its children."""
    choices = [("", _("All"))]
    for top, children in tree:
        choices.append((str(top.pk), top.name))
        choices += [(str(child.pk), f"– {child.name}") for child in children]
    return choices


class ConcernFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("All")), *ConcernStatus.choices])
    category = forms.ChoiceField(label=_("Category"), required=False)
    period = forms.ChoiceField(label=_("Period"), required=False, choices=PERIOD_CHOICES)

    def __init__(self, *args, district, **kwargs):
        super().__init__(*args, **kwargs)
        tree = selectors.category_list(district=district)
        self.categories = categories_by_id(tree)
        self.fields["category"].choices = category_filter_choices(tree)

    def filters(self):
        """Valid filters as keyword arguments for the list selector (invalid ones are ignored)."""
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "status": data["status"] or None,
            "category": self.categories.get(data["category"]),
            "period": data["period"] or None,
        }


class SubscribeForm(forms.Form):
    email = forms.EmailField(label=_("Your e-mail address"), widget=forms.EmailInput(attrs={"autocomplete": "email"}))


class FlagForm(forms.Form):
    """A resident tells the moderators that a published concern needs a look."""

    reason = forms.ChoiceField(
        label=_("What is wrong?"),
        choices=FlagReason.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Please choose what is wrong."),
            "invalid_choice": _("Please choose what is wrong."),
        },
    )
    note = forms.CharField(
        label=_("Note for the moderators"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReviewForm(forms.Form):
    publish = forms.TypedChoiceField(
        label=_("Publish"), coerce=lambda v: v == "1", choices=[("1", _("Publish")), ("0", _("Keep internal"))]
    )


def nearby_params(data, district):
    """(lat, lon, category) from a query string, or None when incomplete."""
    try:
        lat, lon = (float(part) for part in data.get("location", "").split(","))
        category_id = int(data.get("category", ""))
    except ValueError:
        return None
    category = district.categories.filter(pk=category_id, is_active=True).first()
    return (lat, lon, category) if category else None


class MapDataForm(ConcernFilterForm, ViewportForm):
    """The district map's viewport (GeoJSON order: west,south,east,north) and zoom, beside the list's filters."""

    zoom = forms.IntegerField(label=_("Zoom level"), required=False, min_value=0, max_value=22)

    def viewport(self):
        """Keyword arguments for mapdata.map_data; call after is_valid()."""
        return {**self.filters(), "bbox": self.cleaned_data["bbox"], "zoom": self.cleaned_data["zoom"] or 15}
