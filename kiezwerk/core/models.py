from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from translated_fields.utils import TranslatedFieldWithFallback

from . import audit

# A text column that may stay empty: empty in Python and in the database, so rows written by code that does not
# know the column yet (the release before, a migration's historical model) are valid too.
OPTIONAL_TEXT = {"blank": True, "default": "", "db_default": ""}


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class MailedPerson(models.Model):
    """Somebody taking part by account, or by a name and an e-mail address confirmed by mail (a volunteer for a
    shift, a registration for an event's date): their links carry `token`; mails are written in `language`."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    name = models.CharField(_("name"), max_length=120, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    language = models.CharField(_("language"), max_length=10, default="de")
    # Every mail repeats the cancel link, so the token is kept, as a follower's unsubscribe token is.
    token = models.CharField(max_length=43, unique=True, editable=False)

    CONFIRM_DAYS = 7  # an unused confirmation link expires; the data of who never confirmed go then

    class Meta:
        abstract = True

    @property
    def display_name(self):
        if self.user_id and not self.name:
            return self.user.display_name or self.user.email
        return self.name

    @property
    def address(self):
        return self.email or (self.user.email if self.user_id else "")


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
    # welcome_de … welcome_pl: the team's words on the district's page; `welcome` falls back to German.
    welcome = TranslatedFieldWithFallback(models.TextField(_("welcome text"), max_length=600, **OPTIONAL_TEXT))
    # Bumped whenever public data of the district changes (`services.district_touch`).
    data_version = models.PositiveIntegerField(default=0, editable=False)
    # The open-data files last built (`kiezwerk.concerns.opendata`): the data_version they show, when they were
    # built, and their name in the default storage without the suffix (.geojson, .csv). Null until the first build.
    open_data_version = models.PositiveIntegerField(null=True, editable=False)
    open_data_built_at = models.DateTimeField(null=True, editable=False)
    open_data_name = models.CharField(max_length=200, null=True, editable=False)

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
        """What happened, as the short sentence of its verb (core.audit; `audit.lines` adds details and who)."""
        return audit.sentence(self.verb)

    @property
    def target_label(self):
        """What kind of object changed, in words ("Organisation"): the model's name, else the stored code."""
        try:
            return apps.get_model(self.target_type)._meta.verbose_name
        except (LookupError, ValueError):
            return self.target_type


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
    # [[filename, base64 content, mimetype], …], e.g. the site plan of a referral.
    attachments = models.JSONField(default=list, blank=True)
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


# The activity layer (core.activity): timeline, followers, flags, moderation and redaction of any object ---------


class Moderation(models.TextChoices):
    """Whether a resident's contribution is public: every moderated model has a `moderation` field of these."""

    NOT_REQUIRED = "not_required", _("Not required")
    PENDING = "pending", _("Awaiting review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Not published")


PUBLIC_MODERATION = [Moderation.NOT_REQUIRED, Moderation.APPROVED]


def _target(prefix, *, null=False):
    """A generic reference to any row: (content type, id, GenericForeignKey)."""
    return (
        models.ForeignKey(ContentType, models.PROTECT, null=null, blank=null, related_name="+"),
        models.PositiveBigIntegerField(null=null, blank=null),
        GenericForeignKey(f"{prefix}_type", f"{prefix}_id"),
    )


# What the values apps store in an entry's kind, step and statuses mean: {field: {value: label}},
# filled by each app at start-up (core.activity.labels), read by Entry.get_kind_display() and the like.
ENTRY_LABELS = {"kind": {}, "step": {}, "status": {}}


class Entry(models.Model):
    """One entry on the timeline of any object: a concern now, an organisation's activity log, later projects.

    Public or internal; written by a person (`author`), or by a partner through a secret link (`via_link`), or by
    the system; in a `language`. `kind` comes from the owning app (created, reply, note, status, review, referral,
    meeting, call, …); `context` is a second object the entry is about (the referral a step belongs to, the
    contact person met), `step` that object's own step (a referral's "accepted").
    """

    target_type, target_id, target = _target("target")
    context_type, context_id, context = _target("context", null=True)
    district = models.ForeignKey(
        District, models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("district")
    )
    kind = models.CharField(_("kind"), max_length=20)
    step = models.CharField(_("step"), max_length=20, blank=True)
    is_public = models.BooleanField(_("public"), default=False)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    via_link = models.BooleanField(_("through the partner link"), default=False)
    language = models.CharField(_("language"), max_length=10, blank=True)
    text = models.TextField(_("text"), blank=True, max_length=5000)
    old_status = models.CharField(max_length=20, blank=True)
    new_status = models.CharField(max_length=20, blank=True)
    created_at = models.DateTimeField(_("time"), db_index=True)

    class Meta:
        verbose_name = _("timeline entry")
        verbose_name_plural = _("timeline entries")
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["target_type", "target_id", "is_public", "created_at"], name="entry_timeline"),
            models.Index(fields=["context_type", "context_id", "created_at"], name="entry_context"),
            models.Index(fields=["district", "kind", "-created_at"], name="entry_district_kind"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(kind="note") | Q(is_public=False), name="entry_note_internal")
        ]

    def __str__(self):
        return f"{self.kind} ({self.target_type_id}:{self.target_id})"

    # Like Django's get_FOO_display for choices; the labels come from the owning apps (ENTRY_LABELS).
    def get_kind_display(self):
        return ENTRY_LABELS["kind"].get(self.kind, self.kind)

    def get_step_display(self):
        return ENTRY_LABELS["step"].get(self.step, self.step)

    def get_old_status_display(self):
        return ENTRY_LABELS["status"].get(self.old_status, self.old_status)

    def get_new_status_display(self):
        return ENTRY_LABELS["status"].get(self.new_status, self.new_status)


class Follower(models.Model):
    """An e-mail address that follows any object, after confirming it (double opt-in); one-click unsubscribe."""

    target_type, target_id, target = _target("target")
    email = models.EmailField(_("e-mail address"))
    language = models.CharField(max_length=10, default="de")
    token = models.CharField(max_length=43, unique=True, editable=False)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("follower")
        verbose_name_plural = _("followers")
        indexes = [models.Index(fields=["target_type", "target_id", "confirmed_at"], name="follower_target")]
        constraints = [
            models.UniqueConstraint(fields=["target_type", "target_id", "email"], name="follower_once"),
        ]

    def __str__(self):
        return f"{self.email} → {self.target_type_id}:{self.target_id}"


class FlagReason(models.TextChoices):
    PERSONAL_DATA = "personal_data", _("It shows personal data of someone")
    OFFENSIVE = "offensive", _("It is insulting or discriminating")
    SPAM = "spam", _("It is advertising or spam")
    OTHER = "other", _("Something else")


class Flag(models.Model):
    """Someone tells the moderators that a public contribution needs a look. Resolved by a moderator."""

    target_type, target_id, target = _target("target")
    reason = models.CharField(_("reason"), max_length=20, choices=FlagReason)
    note = models.CharField(_("note"), max_length=500, blank=True)
    # Who flagged: an account, or a browser session (a hash): one open flag each per object.
    fingerprint = models.CharField(max_length=64)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("time"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("flag")
        verbose_name_plural = _("flags")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["target_type", "target_id", "resolved_at"], name="flag_target")]
        constraints = [
            models.CheckConstraint(condition=Q(reason__in=FlagReason.values), name="flag_reason_valid"),
            models.UniqueConstraint(
                fields=["target_type", "target_id", "fingerprint"],
                condition=Q(resolved_at__isnull=True),
                name="flag_open_once",
            ),
        ]

    def __str__(self):
        return f"{self.get_reason_display()} ({self.target_type_id}:{self.target_id})"


class Redaction(models.Model):
    """What a moderator changed to protect someone, with the original kept for staff.

    `field` names what was changed (a text field, or "photo" with `item_id` the photo's id).
    """

    target_type, target_id, target = _target("target")
    field = models.CharField(_("field"), max_length=20)
    item_id = models.PositiveBigIntegerField(null=True, blank=True)
    original = models.TextField(_("original"), blank=True)
    reason = models.CharField(_("reason"), max_length=300)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("redaction")
        verbose_name_plural = _("redactions")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["target_type", "target_id"], name="redaction_target")]

    def __str__(self):
        return f"{self.field} ({self.target_type_id}:{self.target_id})"


class AccessibilityFeedback(models.Model):
    """A barrier someone reported through the accessibility statement (BITV 2.0 § 7), and the team's answer.

    `district`: the district of the page it concerns, when that page belongs to one; the feedback of no
    district is the whole site's and shown to every district's staff.
    """

    district = models.ForeignKey(
        District, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("district")
    )
    page = models.CharField(_("page"), max_length=300, blank=True)
    text = models.TextField(_("barrier"))
    email = models.EmailField(_("e-mail address"), blank=True)
    name = models.CharField(_("name"), max_length=120, blank=True)
    language = models.CharField(max_length=10, default="de")
    created_at = models.DateTimeField(_("received"), auto_now_add=True, db_index=True)
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("accessibility feedback")
        verbose_name_plural = _("accessibility feedback")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d} {self.page}"


class LegalText(models.Model):
    """The operator's own text on a legal page (imprint, privacy notice), in each language (body_de … body_pl).

    It stands beside the standard text the software brings in every catalogue: what only the operator can
    say (who represents it, its data protection officer, its hosting) goes here.
    """

    class Page(models.TextChoices):
        IMPRINT = "imprint", _("Imprint")
        PRIVACY = "privacy", _("Privacy notice")

    page = models.CharField(_("page"), max_length=20, choices=Page, unique=True)
    body = TranslatedFieldWithFallback(
        models.TextField(_("text"), max_length=20000, help_text=_("Plain text; an empty line starts a new paragraph."))
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("legal text")
        verbose_name_plural = _("legal texts")
        ordering = ["page"]

    def __str__(self):
        return self.get_page_display()
