import os

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from translated_fields.utils import TranslatedFieldWithFallback

# Moderation and PUBLIC_MODERATION are core's (any contribution is moderated alike); imported from here too.
from kiezwerk.core.models import (
    OPTIONAL_TEXT,
    PUBLIC_MODERATION,
    Entry,
    Follower,
    Moderation,
    Redaction,
    TimeStampedModel,
)


class ConcernStatus(models.TextChoices):
    NEW = "new", pgettext_lazy("concern status", "New")
    TRIAGED = "triaged", pgettext_lazy("concern status", "Triaged")
    REFERRED = "referred", pgettext_lazy("concern status", "Referred")
    IN_PROGRESS = "in_progress", pgettext_lazy("concern status", "In progress")
    RESOLVED = "resolved", pgettext_lazy("concern status", "Resolved")
    DECLINED = "declined", pgettext_lazy("concern status", "Declined")
    DUPLICATE = "duplicate", pgettext_lazy("concern status", "Duplicate")


OPEN_STATUSES = [ConcernStatus.NEW, ConcernStatus.TRIAGED, ConcernStatus.REFERRED, ConcernStatus.IN_PROGRESS]
CLOSED_STATUSES = [ConcernStatus.RESOLVED, ConcernStatus.DECLINED, ConcernStatus.DUPLICATE]


class Channel(models.TextChoices):
    WEB = "web", _("Website")
    STREET = "street", _("On the street")
    PHONE = "phone", _("Phone")
    OFFICE = "office", _("In the office")
    EMAIL = "email", _("E-mail")
    API = "api", _("API")


class Category(models.Model):
    """A kind of concern in a district's category tree (two levels)."""

    district = models.ForeignKey("core.District", models.CASCADE, related_name="categories")
    parent = models.ForeignKey(
        "self", models.CASCADE, null=True, blank=True, related_name="children", verbose_name=_("parent")
    )
    slug = models.SlugField(_("slug"), max_length=60)
    # name_de (required) … name_pl; `name` is the active language's, German when it has none.
    name = TranslatedFieldWithFallback(
        models.CharField(_("name"), max_length=100),
        {code: OPTIONAL_TEXT for code, _name in settings.LANGUAGES[1:]},
    )
    description = TranslatedFieldWithFallback(
        models.CharField(
            _("description"),
            max_length=200,
            **OPTIONAL_TEXT,
            help_text=_("One sentence on what belongs in this category, shown on the report form."),
        )
    )
    sensitive = models.BooleanField(
        _("sensitive"), default=False, help_text=_("Concerns stay internal until a moderator has reviewed them.")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["position", "name_de"]
        constraints = [models.UniqueConstraint(fields=["district", "slug"], name="category_slug_per_district")]

    def __str__(self):
        return self.name

    def names(self):
        """{language code: name} for each language the category is named in (German always)."""
        named = zip(Category.name.languages, Category.name.fields, strict=True)
        return {code: getattr(self, field) for code, field in named if getattr(self, field)}


class ConcernQuerySet(models.QuerySet):
    def public(self):
        return self.filter(moderation__in=PUBLIC_MODERATION)

    def open(self):
        return self.filter(status__in=OPEN_STATUSES)


class Concern(TimeStampedModel):
    """An Anliegen: something a resident wants looked after, at a place."""

    district = models.ForeignKey("core.District", models.PROTECT, related_name="concerns", verbose_name=_("district"))
    category = models.ForeignKey(Category, models.PROTECT, related_name="concerns", verbose_name=_("category"))
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), max_length=5000)
    lat = models.FloatField(_("latitude"))
    lon = models.FloatField(_("longitude"))
    address = models.CharField(_("address"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=ConcernStatus, default=ConcernStatus.NEW)
    moderation = models.CharField(_("review"), max_length=20, choices=Moderation, default=Moderation.NOT_REQUIRED)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel, default=Channel.WEB)
    # The language the title and description are written in (core.intake.language); the team can correct it.
    language = models.CharField(_("language"), max_length=10, choices=settings.CONTENT_LANGUAGES, default="de")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="concerns"
    )
    reporter_name = models.CharField(_("name"), max_length=120, blank=True)
    reporter_email = models.EmailField(_("e-mail address"), blank=True)
    tracking_token_hash = models.CharField(max_length=64, unique=True, editable=False)
    supporter_count = models.PositiveIntegerField(_("supporters"), default=0)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    reporter_phone = models.CharField(_("phone"), max_length=40, blank=True)
    contact_consent_at = models.DateTimeField(_("consent to contact recorded"), null=True, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_concerns",
        verbose_name=_("assigned to"),
    )
    follow_up_on = models.DateField(_("follow-up"), null=True, blank=True)
    duplicate_of = models.ForeignKey(
        "self", models.SET_NULL, null=True, blank=True, related_name="duplicates", verbose_name=_("duplicate of")
    )
    # A partner's report that the concern is solved (its timeline entry), for the team to check: the desk shows
    # "Partner meldet erledigt – bitte prüfen" until the team changes the status or keeps working on it.
    review_entry = models.ForeignKey(
        "core.Entry", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("reported as solved")
    )
    # Idempotency key of a form captured on the desk or the street round: stored once.
    capture_key = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)

    # The activity layer (core.activity): timeline entries, e-mail followers, redactions of this concern.
    entries = GenericRelation(Entry, "target_id", "target_type", related_query_name="concern")
    followers = GenericRelation(Follower, "target_id", "target_type", related_query_name="concern")
    redactions = GenericRelation(Redaction, "target_id", "target_type", related_query_name="concern")

    objects = ConcernQuerySet.as_manager()

    class Meta:
        verbose_name = _("concern")
        verbose_name_plural = _("concerns")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["district", "moderation", "-created_at"], name="concern_district_public"),
            models.Index(fields=["district", "-created_at", "-id"], name="concern_district_newest"),
            models.Index(fields=["district", "status", "-created_at"], name="concern_district_status"),
            models.Index(fields=["category", "lat"], name="concern_category_lat"),
            models.Index(fields=["district", "follow_up_on"], name="concern_district_follow_up"),
            models.Index(fields=["assignee", "status"], name="concern_assignee_status"),
            # The inbox's most urgent group (a partner reports it solved) is found without scanning the rest.
            models.Index(
                fields=["district", "-created_at"],
                condition=Q(review_entry__isnull=False),
                name="concern_district_review",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=ConcernStatus.values), name="concern_status_valid"),
            models.CheckConstraint(condition=Q(moderation__in=Moderation.values), name="concern_moderation_valid"),
            models.CheckConstraint(condition=Q(channel__in=Channel.values), name="concern_channel_valid"),
            models.CheckConstraint(
                condition=Q(lat__gte=-90, lat__lte=90, lon__gte=-180, lon__lte=180), name="concern_point_valid"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("concerns:concern-detail", args=[self.pk])

    @property
    def is_public(self):
        return self.moderation in PUBLIC_MODERATION

    @property
    def is_open(self):
        return self.status in OPEN_STATUSES


def photo_path(photo, filename):
    return f"concerns/{photo.upload_key[:2]}/{filename}"


class PrivateStorage(FileSystemStorage):
    """Files only staff may see (originals of redacted photos): outside MEDIA_ROOT, without a URL.

    The folder follows settings.PRIVATE_MEDIA_ROOT at every use, not only when the model loads.
    """

    @property
    def base_location(self):
        return settings.PRIVATE_MEDIA_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Private files have no public URL; staff see them through the desk.")


def private_storage():
    return PrivateStorage()


class Photo(models.Model):
    """A re-encoded photo without metadata. Unattached (concern empty) while a form is being completed."""

    concern = models.ForeignKey(Concern, models.CASCADE, null=True, blank=True, related_name="photos")
    upload_key = models.CharField(max_length=43, unique=True, editable=False)
    image = models.ImageField(_("photo"), upload_to=photo_path)
    thumbnail = models.ImageField(upload_to=photo_path)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    # After a redaction the public files are a blurred copy; the original is kept here for staff.
    original = models.FileField(storage=private_storage, upload_to=photo_path, blank=True, editable=False)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.image.name


class EntryKind(models.TextChoices):
    """The kinds of a concern's timeline entries (core.Entry.kind)."""

    CREATED = "created", _("Reported")
    REPLY = "reply", _("Public reply")
    NOTE = "note", _("Internal note")
    STATUS = "status", _("Status change")
    REVIEW = "review", _("Review")
    REFERRAL = "referral", _("Partner")


class Support(models.Model):
    """A neighbour saying "this concerns me too". One per person (fingerprint) and concern."""

    concern = models.ForeignKey(Concern, models.CASCADE, related_name="supports")
    fingerprint = models.CharField(max_length=64)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        constraints = [models.UniqueConstraint(fields=["concern", "fingerprint"], name="support_once")]

    def __str__(self):
        return f"+1 → {self.concern_id}"


class RedactionField(models.TextChoices):
    TITLE = "title", _("Subject")
    DESCRIPTION = "description", _("Description")
    PHOTO = "photo", _("Photo")
