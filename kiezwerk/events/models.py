"""The district's calendar: events by the team and its partners, their dates, and registrations.

A series is stored as an RFC 5545 rule on the event and materialised as one `Occurrence` per date
(`events.series`); the feeds write the rule back (`events.feeds`).
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kiezwerk.core.models import MailedPerson, TimeStampedModel


class Review(models.TextChoices):
    PENDING = "pending", pgettext_lazy("event review", "Waiting for approval")
    APPROVED = "approved", pgettext_lazy("event review", "Approved")
    DECLINED = "declined", pgettext_lazy("event review", "Declined")


class Topic(models.TextChoices):
    NEIGHBOURHOOD = "neighbourhood", _("Neighbourhood and meeting")
    CULTURE = "culture", _("Culture and celebration")
    LANGUAGE = "language", _("Language and learning")
    ADVICE = "advice", _("Advice and help")
    FAMILY = "family", _("Children and families")
    YOUTH = "youth", _("Young people")
    SENIORS = "seniors", _("Older people")
    ENVIRONMENT = "environment", _("Garden and environment")
    SPORT = "sport", _("Sport and exercise")
    PARTICIPATION = "participation", _("Taking part in the district")


class Audience(models.TextChoices):
    EVERYONE = "everyone", _("Everyone")
    CHILDREN = "children", _("Children")
    YOUTH = "youth", _("Young people")
    FAMILIES = "families", _("Families")
    SENIORS = "seniors", _("Older people")
    WOMEN = "women", _("Women")
    NEWCOMERS = "newcomers", _("People new to the district")


# The accessibility of an event's place and programme: (field, label) in the order pages list them.
ACCESS_FEATURES = (
    ("step_free", _("Step-free access")),
    ("accessible_toilet", _("Accessible toilet")),
    ("hearing_loop", _("Hearing loop")),
    ("sign_language", _("Sign language interpretation")),
    ("child_care", _("Child care")),
)


class EventQuerySet(models.QuerySet):
    def public(self):
        """What residents see: approved events (cancelled ones too: they are shown as cancelled)."""
        return self.filter(review=Review.APPROVED)


def image_path(event, filename):
    return f"events/{event.uid.hex[:2]}/{filename}"


class Event(TimeStampedModel):
    """Something happening in the district, once or as a series, organised by the team or a partner."""

    district = models.ForeignKey("core.District", models.PROTECT, related_name="events", verbose_name=_("district"))
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), max_length=5000, blank=True)
    language = models.CharField(_("language"), max_length=10, choices=settings.CONTENT_LANGUAGES, default="de")
    organiser = models.ForeignKey(
        "network.Organisation",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("organiser"),
        help_text=_("Empty: the neighbourhood management team."),
    )
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    review = models.CharField(_("review"), max_length=10, choices=Review, default=Review.PENDING)
    review_reason = models.CharField(_("reason"), max_length=1000, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    # A partner's change of title, description or image to an approved event, waiting for the team:
    # {"title", "description", "image": bool}; the public keeps the approved version until it is accepted.
    proposal = models.JSONField(null=True, blank=True)
    proposed_image = models.ImageField(upload_to=image_path, blank=True)
    cancelled = models.BooleanField(_("cancelled"), default=False)
    cancel_reason = models.CharField(_("reason for the cancellation"), max_length=500, blank=True)

    # The first date; a series repeats it by `rrule` (the value of an RFC 5545 RRULE, with UNTIL or COUNT).
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    all_day = models.BooleanField(_("all day"), default=False)
    rrule = models.CharField(_("repeats"), max_length=300, blank=True)

    venue = models.ForeignKey(
        "network.Organisation",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("at an organisation"),
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    room = models.CharField(_("room"), max_length=120, blank=True)

    topics = models.JSONField(_("topics"), default=list, blank=True)  # Topic values
    languages = models.JSONField(_("languages spoken"), default=list, blank=True)  # language codes
    step_free = models.BooleanField(_("step-free access"), default=False)
    accessible_toilet = models.BooleanField(_("accessible toilet"), default=False)
    hearing_loop = models.BooleanField(_("hearing loop"), default=False)
    sign_language = models.BooleanField(_("sign language interpretation"), default=False)
    child_care = models.BooleanField(_("child care"), default=False)
    price = models.DecimalField(_("price"), max_digits=7, decimal_places=2, null=True, blank=True)
    price_note = models.CharField(_("about the price"), max_length=200, blank=True)
    audience = models.CharField(_("for whom"), max_length=12, choices=Audience, default=Audience.EVERYONE)
    image = models.ImageField(_("image"), upload_to=image_path, blank=True)
    image_alt = models.CharField(_("image description"), max_length=200, blank=True)
    project = models.ForeignKey(
        "projects.Project", models.SET_NULL, null=True, blank=True, related_name="events", verbose_name=_("project")
    )

    # Registration: none without a capacity; places per date.
    capacity = models.PositiveIntegerField(_("places per date"), null=True, blank=True)
    offer_hours = models.PositiveSmallIntegerField(_("hours to accept a freed place"), default=24)
    cancel_hours = models.PositiveSmallIntegerField(_("cancelling possible until hours before"), default=2)

    # Raised by every change a subscribed calendar must see (RFC 5545 SEQUENCE).
    sequence = models.PositiveIntegerField(default=0)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["district", "review"], name="event_district_review")]
        constraints = [
            models.CheckConstraint(condition=Q(review__in=Review.values), name="event_review_valid"),
            models.CheckConstraint(condition=Q(audience__in=Audience.values), name="event_audience_valid"),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="event_ends_after_start"),
            models.CheckConstraint(condition=Q(capacity__isnull=True) | Q(capacity__gte=1), name="event_capacity"),
            models.CheckConstraint(condition=Q(price__isnull=True) | Q(price__gte=0), name="event_price_positive"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("events:detail", args=[self.district.slug, self.pk])

    @property
    def is_public(self):
        return self.review == Review.APPROVED

    @property
    def takes_registrations(self):
        return self.capacity is not None and self.is_public and not self.cancelled

    @property
    def is_free(self):
        return not self.price

    @property
    def topic_labels(self):
        return [Topic(topic).label for topic in self.topics if topic in Topic.values]

    @property
    def language_names(self):
        """The languages spoken, each in its own name ("Türkçe"); a code the platform does not name as is."""
        names = dict(settings.CONTENT_LANGUAGES)
        return [names.get(code, code) for code in self.languages]

    @property
    def access_features(self):
        """The labels of the accessibility features the event has."""
        return [label for field, label in ACCESS_FEATURES if getattr(self, field)]


class Occurrence(models.Model):
    """One date of an event: a single event has one, a series one per date of its rule."""

    event = models.ForeignKey(Event, models.CASCADE, related_name="occurrences")
    # The start the rule gives this date (RFC 5545 RECURRENCE-ID); starts_at differs once it is moved.
    original_start = models.DateTimeField()
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    cancelled = models.BooleanField(_("cancelled"), default=False)
    cancel_reason = models.CharField(_("reason"), max_length=500, blank=True)
    # Places taken (registered or held for an open offer), counted in the transaction that changes them.
    taken = models.PositiveIntegerField(default=0)
    reminded_at = models.DateTimeField(null=True, blank=True)
    # After the date: what the organiser records for the district's reports.
    attendance = models.PositiveIntegerField(_("people present"), null=True, blank=True)
    first_timers = models.PositiveIntegerField(_("of them here for the first time"), null=True, blank=True)
    languages_heard = models.JSONField(_("languages heard"), default=list, blank=True)
    partners_present = models.ManyToManyField(
        "network.Organisation", blank=True, related_name="+", verbose_name=_("partners present")
    )
    report_note = models.TextField(_("note"), max_length=2000, blank=True)
    reported_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("date")
        verbose_name_plural = _("dates")
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["starts_at"], name="occurrence_starts")]
        constraints = [
            models.UniqueConstraint(fields=["event", "original_start"], name="occurrence_once_per_rule_date"),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="occurrence_ends_after_start"),
            models.CheckConstraint(
                condition=Q(first_timers__isnull=True)
                | Q(attendance__isnull=True)
                | Q(first_timers__lte=F("attendance")),
                name="occurrence_first_timers_of_present",
            ),
        ]

    def __str__(self):
        return f"{self.event_id} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def is_moved(self):
        return self.starts_at != self.original_start

    @property
    def is_upcoming(self):
        return self.starts_at > timezone.now()

    @property
    def free(self):
        return max((self.event.capacity or 0) - self.taken, 0)


class RegistrationStatus(models.TextChoices):
    UNCONFIRMED = "unconfirmed", _("Waiting for confirmation")
    REGISTERED = "registered", _("Registered")
    WAITING = "waiting", _("On the waiting list")
    OFFERED = "offered", _("Offered a place")
    CANCELLED = "cancelled", _("Cancelled")


class Ended(models.TextChoices):
    """Why a registration ended."""

    CANCELLED = "cancelled", _("cancelled")
    EXPIRED = "expired", _("offer expired")
    DECLINED = "declined", _("offer declined")
    DATE_CANCELLED = "date_cancelled", _("date cancelled")


class Registration(MailedPerson):
    """A person for one date: an account, or a name and e-mail address confirmed by mail."""

    occurrence = models.ForeignKey(Occurrence, models.CASCADE, related_name="registrations")
    status = models.CharField(
        _("status"), max_length=12, choices=RegistrationStatus, default=RegistrationStatus.UNCONFIRMED
    )
    ended = models.CharField(max_length=16, choices=Ended, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    queued_at = models.DateTimeField(null=True, blank=True)  # the waiting list's order
    offer_expires_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    anonymised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["queued_at", "pk"]
        indexes = [
            models.Index(fields=["occurrence", "status", "queued_at"], name="registration_queue"),
            models.Index(fields=["email"], name="registration_email"),
            models.Index(
                fields=["offer_expires_at"],
                name="registration_offer_due",
                condition=Q(status="offered"),
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=RegistrationStatus.values), name="registration_status_valid"),
            models.CheckConstraint(
                condition=~Q(status="offered") | Q(offer_expires_at__isnull=False), name="registration_offer_expires"
            ),
        ]

    def __str__(self):
        return f"{self.occurrence_id}: {self.display_name}"

    @property
    def status_label(self):
        return RegistrationStatus(self.status).label
