"""Projects and actions: from a concern to a litter-picking action with volunteers, tasks and materials.

The timeline, followers, audit trail, mails, places and photos are the layers of issue D (core); a project
adds only its own objects.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kiezwerk.core.models import Entry, Follower, MailedPerson, TimeStampedModel


class ProjectStatus(models.TextChoices):
    IDEA = "idea", pgettext_lazy("project status", "Idea")
    PLANNING = "planning", pgettext_lazy("project status", "Planning")
    RUNNING = "running", pgettext_lazy("project status", "Running")
    DONE = "done", pgettext_lazy("project status", "Done")
    CANCELLED = "cancelled", pgettext_lazy("project status", "Cancelled")


ENDED_STATUSES = [ProjectStatus.DONE, ProjectStatus.CANCELLED]


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    INTERNAL = "internal", _("Internal (team only)")


class Kind(models.TextChoices):
    """What a template (and the project made from it) is: the public list filters by it."""

    LITTER = "litter", _("Litter picking")
    GARDEN = "garden", _("Garden day")
    PARTY = "party", _("Street party")
    OTHER = "other", _("Other action")


class ProjectTemplate(TimeStampedModel):
    """A district's recurring action: the tasks, materials, partners to ask and figures to record it prefills.

    `tasks`: [{"title", "days_before", "after"}] (`after` the index of the task it waits for, or None);
    `materials`: [{"name", "quantity"}]; `partner_kinds`: network.OrganisationKind values;
    `figures`: [{"key", "label", "unit"}]. Checked by `services.templates.template_check`.
    """

    district = models.ForeignKey("core.District", models.CASCADE, related_name="project_templates")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind, default=Kind.OTHER)
    name = models.CharField(_("name"), max_length=100)
    description = models.CharField(_("description"), max_length=300, blank=True)
    tasks = models.JSONField(_("tasks"), default=list, blank=True)
    materials = models.JSONField(_("materials"), default=list, blank=True)
    partner_kinds = models.JSONField(_("kinds of partner to ask"), default=list, blank=True)
    figures = models.JSONField(_("figures to record"), default=list, blank=True)

    class Meta:
        verbose_name = _("project template")
        verbose_name_plural = _("project templates")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["district", "name"], name="project_template_name_per_district"),
            models.CheckConstraint(condition=Q(kind__in=Kind.values), name="project_template_kind_valid"),
        ]

    def __str__(self):
        return self.name


class ProjectQuerySet(models.QuerySet):
    def public(self):
        """What residents see: public projects past the idea stage."""
        return self.filter(visibility=Visibility.PUBLIC).exclude(status=ProjectStatus.IDEA)


class Project(TimeStampedModel):
    """An action in the district (a litter picking, a garden day, a street party), with its team and helpers."""

    district = models.ForeignKey("core.District", models.PROTECT, related_name="projects", verbose_name=_("district"))
    title = models.CharField(_("title"), max_length=120)
    goal = models.CharField(_("goal"), max_length=300)
    description = models.TextField(_("description"), max_length=5000, blank=True)
    language = models.CharField(_("language"), max_length=10, choices=settings.CONTENT_LANGUAGES, default="de")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind, default=Kind.OTHER)
    template = models.ForeignKey(
        ProjectTemplate, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("template")
    )
    category = models.ForeignKey(
        "concerns.Category", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("category")
    )
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    # A polygon drawn on the map (GeoJSON geometry), inside the district; the point is its centre.
    area = models.JSONField(_("area"), null=True, blank=True)
    starts_on = models.DateField(_("date of the action"), null=True, blank=True)
    ends_on = models.DateField(_("last day"), null=True, blank=True)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible"),
    )
    visibility = models.CharField(_("visibility"), max_length=10, choices=Visibility, default=Visibility.PUBLIC)
    status = models.CharField(_("status"), max_length=10, choices=ProjectStatus, default=ProjectStatus.IDEA)
    status_reason = models.CharField(_("public reason"), max_length=500, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    # The outcome of a done project.
    participants = models.PositiveIntegerField(_("participants"), null=True, blank=True)
    hours = models.DecimalField(_("hours given"), max_digits=7, decimal_places=1, null=True, blank=True)
    figures = models.JSONField(_("figures"), default=dict, blank=True)
    result = models.TextField(_("result"), max_length=1000, blank=True)
    concerns = models.ManyToManyField("concerns.Concern", blank=True, related_name="projects")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")

    entries = GenericRelation(Entry, "target_id", "target_type", related_query_name="project")
    followers = GenericRelation(Follower, "target_id", "target_type", related_query_name="project")
    # Requests to partners (network referrals about this project): their steps are entries on its timeline.
    requests = GenericRelation("network.Referral", "subject_id", "subject_type", related_query_name="project")

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["district", "visibility", "status", "-created_at"], name="project_district_public"),
            models.Index(fields=["district", "-created_at", "-id"], name="project_district_newest"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=ProjectStatus.values), name="project_status_valid"),
            models.CheckConstraint(condition=Q(visibility__in=Visibility.values), name="project_visibility_valid"),
            models.CheckConstraint(condition=Q(kind__in=Kind.values), name="project_kind_valid"),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(starts_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="project_ends_after_start",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("projects:detail", args=[self.district.slug, self.pk])

    @property
    def is_public(self):
        return self.visibility == Visibility.PUBLIC and self.status != ProjectStatus.IDEA

    @property
    def is_ended(self):
        return self.status in ENDED_STATUSES

    @property
    def takes_signups(self):
        """Helpers may sign up: the project is public and being planned or running."""
        return self.is_public and not self.is_ended


class ProjectPartner(models.Model):
    """An organisation of the network taking part, and its part ("stellt Container", "Genehmigung")."""

    project = models.ForeignKey(Project, models.CASCADE, related_name="partners")
    organisation = models.ForeignKey(
        "network.Organisation", models.PROTECT, related_name="project_parts", verbose_name=_("organisation")
    )
    part = models.CharField(_("their part"), max_length=120)

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["project", "organisation"], name="project_partner_once")]

    def __str__(self):
        return f"{self.organisation}: {self.part}"

    @property
    def public_name(self):
        """How residents see the partner: its name when the organisation is public."""
        return self.organisation.public_name


class Shift(models.Model):
    """A time volunteers can help at: place, what to bring, how many."""

    project = models.ForeignKey(Project, models.CASCADE, related_name="shifts")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("meeting point"), max_length=200)
    bring = models.CharField(_("what to bring"), max_length=300, blank=True)
    capacity = models.PositiveIntegerField(_("places"))
    # Places taken (registered sign-ups), kept in the transaction that changes them.
    taken = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="shift_ends_after_start"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="shift_capacity_positive"),
            models.CheckConstraint(condition=Q(taken__lte=models.F("capacity")), name="shift_not_overbooked"),
        ]

    def __str__(self):
        return f"{self.project_id} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def is_upcoming(self):
        return self.starts_at > timezone.now()

    @property
    def takes_signups(self):
        """Helpers may sign up: the project takes sign-ups and the shift has not begun."""
        return self.project.takes_signups and self.is_upcoming

    @property
    def free(self):
        return self.capacity - self.taken


class SignUpStatus(models.TextChoices):
    UNCONFIRMED = "unconfirmed", _("Waiting for confirmation")
    REGISTERED = "registered", _("Registered")
    WAITING = "waiting", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")


class SignUp(MailedPerson):
    """A volunteer for a shift: an account, or a name and e-mail address confirmed by mail."""

    shift = models.ForeignKey(Shift, models.CASCADE, related_name="signups")
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=SignUpStatus, default=SignUpStatus.UNCONFIRMED)
    created_at = models.DateTimeField(auto_now_add=True)
    # When the volunteer joined the waiting list (or got the place): the waiting list's order.
    queued_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1, null=True, blank=True)
    anonymised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("volunteer sign-up")
        verbose_name_plural = _("volunteer sign-ups")
        ordering = ["queued_at", "pk"]
        indexes = [
            models.Index(fields=["shift", "status", "queued_at"], name="signup_shift_queue"),
            models.Index(fields=["email"], name="signup_email"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=SignUpStatus.values), name="signup_status_valid"),
            models.CheckConstraint(condition=Q(hours__isnull=True) | Q(hours__gte=0), name="signup_hours_positive"),
        ]

    def __str__(self):
        return f"{self.shift_id}: {self.display_name}"

    @property
    def status_label(self):
        """What get_status_display() gives, without building the field's choices again for each row of a
        shift's table (the team's page of a big action has hundreds)."""
        return SignUpStatus(self.status).label


class Task(models.Model):
    """Something to do before the action, with a due date and at most one owner."""

    project = models.ForeignKey(Project, models.CASCADE, related_name="tasks")
    title = models.CharField(_("task"), max_length=200)
    due_on = models.DateField(_("due"), null=True, blank=True)
    after = models.ForeignKey("self", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("after"))
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("team member"),
    )
    owner_signup = models.ForeignKey(
        SignUp, models.SET_NULL, null=True, blank=True, related_name="tasks", verbose_name=_("volunteer")
    )
    owner_contact = models.ForeignKey(
        "network.Contact", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("partner's contact")
    )
    position = models.PositiveSmallIntegerField(default=0)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["due_on", "position", "pk"]
        indexes = [models.Index(fields=["due_on"], name="task_due", condition=Q(done_at__isnull=True))]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(owner_user__isnull=True, owner_signup__isnull=True)
                    | Q(owner_user__isnull=True, owner_contact__isnull=True)
                    | Q(owner_signup__isnull=True, owner_contact__isnull=True)
                ),
                name="task_one_owner",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def owner(self):
        return self.owner_user or self.owner_signup or self.owner_contact


class Material(models.Model):
    """Something the action needs (gloves, bags, a skip): how many, pledged by whom, received."""

    project = models.ForeignKey(Project, models.CASCADE, related_name="materials")
    name = models.CharField(_("material"), max_length=120)
    needed = models.PositiveIntegerField(_("needed"), default=1)
    pledged = models.PositiveIntegerField(_("pledged"), default=0)
    received = models.PositiveIntegerField(_("received"), default=0)
    pledged_by_organisation = models.ForeignKey(
        "network.Organisation", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("pledged by")
    )
    pledged_by_signup = models.ForeignKey(
        SignUp, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("pledged by a volunteer")
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(pledged_by_organisation__isnull=True) | Q(pledged_by_signup__isnull=True),
                name="material_one_pledger",
            ),
        ]

    def __str__(self):
        return self.name


def photo_path(photo, filename):
    return f"projects/{photo.upload_key[:2]}/{filename}"


class ProjectPhoto(models.Model):
    """A photo of the result: re-encoded without metadata (core.intake.photos)."""

    project = models.ForeignKey(Project, models.CASCADE, related_name="photos")
    upload_key = models.CharField(max_length=43, unique=True, editable=False)
    image = models.ImageField(_("photo"), upload_to=photo_path)
    thumbnail = models.ImageField(upload_to=photo_path)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.image.name


class EntryKind(models.TextChoices):
    """The kinds of a project's timeline entries (core.Entry.kind)."""

    CREATED = "project_created", _("Project started")
    UPDATE = "update", _("Update")
    # Shared with concerns: a "note" is internal by a database constraint of core.Entry.
    NOTE = "note", _("Internal note")
    STATUS = "status", _("Status change")
