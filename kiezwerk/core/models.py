from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from . import audit


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class District(TimeStampedModel):
    """A Quartier: the area one neighbourhood management looks after."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    boundary = models.JSONField(_("boundary"), help_text=_("GeoJSON Polygon or MultiPolygon in WGS84."))
    min_lat = models.FloatField(editable=False)
    max_lat = models.FloatField(editable=False)
    min_lon = models.FloatField(editable=False)
    max_lon = models.FloatField(editable=False)
    residents = models.PositiveIntegerField(_("residents"), null=True, blank=True)
    area_km2 = models.FloatField(_("area (km²)"), null=True, blank=True, validators=[MinValueValidator(0)])
    # Bumped whenever public data of the district changes: the key of cached map data.
    data_version = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(min_lat__lte=models.F("max_lat")), name="district_bbox_lat"),
            models.CheckConstraint(condition=Q(min_lon__lte=models.F("max_lon")), name="district_bbox_lon"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("concerns:district-map", args=[self.slug])

    @property
    def centre(self):
        return (self.min_lat + self.max_lat) / 2, (self.min_lon + self.max_lon) / 2


class Street(models.Model):
    """A street of the district's register, for addresses typed without a map."""

    district = models.ForeignKey(District, models.CASCADE, related_name="streets", verbose_name=_("district"))
    name = models.CharField(_("name"), max_length=120)
    line = models.JSONField(_("course"), help_text=_("[[lon, lat], …] along the street."))
    first_number = models.PositiveIntegerField(_("first house number"), default=1)
    last_number = models.PositiveIntegerField(_("last house number"), default=1)

    class Meta:
        verbose_name = _("street")
        verbose_name_plural = _("streets")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["district", "name"], name="street_unique_per_district"),
            models.CheckConstraint(condition=Q(first_number__lte=models.F("last_number")), name="street_numbers"),
        ]

    def __str__(self):
        return self.name


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("Audit events are append-only.")

    def delete(self):
        raise TypeError("Audit events are append-only.")


class AuditEvent(models.Model):
    """Append-only record of a change: who, when, what, before and after."""

    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("actor")
    )
    district = models.ForeignKey(District, models.SET_NULL, null=True, blank=True, related_name="+")
    verb = models.CharField(_("action"), max_length=60)
    target_type = models.CharField(max_length=60)
    target_id = models.CharField(max_length=40)
    data = models.JSONField(_("details"), default=dict, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["target_type", "target_id"]), models.Index(fields=["district", "-created_at"])]

    def __str__(self):
        return f"{self.verb} {self.target_type}:{self.target_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise TypeError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("Audit events are append-only.")

    @property
    def sentence(self):
        """What happened, in words (core.audit's registry)."""
        return audit.sentence(self.verb)


class MailStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Not delivered")


class OutboxMail(models.Model):
    """One e-mail, stored in the transaction of the change that caused it and sent by a worker.

    `core.outbox` writes and sends these; every mail of the site and of allauth goes through here.
    """

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    district = models.ForeignKey(
        District, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("district")
    )
    purpose = models.CharField(_("kind of mail"), max_length=100, blank=True)
    to = models.JSONField(_("recipients"), default=list)
    from_email = models.CharField(max_length=300)
    subject = models.CharField(_("subject"), max_length=998)
    body = models.TextField(_("text"))
    # [[content, mimetype], …], e.g. an HTML version.
    alternatives = models.JSONField(default=list, blank=True)
    headers = models.JSONField(default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=MailStatus, default=MailStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="outbox_due"),
            models.Index(fields=["district", "status", "-created_at"], name="outbox_district_status"),
        ]
        constraints = [models.CheckConstraint(condition=Q(status__in=MailStatus.values), name="outbox_status_valid")]

    def __str__(self):
        return f"{self.subject} → {', '.join(self.to)}"
