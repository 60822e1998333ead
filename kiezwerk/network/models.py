"""The manager's network: organisations, contact persons, who knows whom, what happened, and referrals.

What happened (meetings, calls, …) is `core.Entry` rows of the `InteractionKind`s on organisations and contacts.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kiezwerk.core.models import Entry, TimeStampedModel


class OrganisationKind(models.TextChoices):
    CITY_OFFICE = "city_office", _("City office")
    ASSOCIATION = "association", _("Association (Verein)")
    SOCIAL_SERVICE = "social_service", _("Social service provider")
    SCHOOL = "school", _("School or day care")
    RELIGIOUS = "religious", _("Church or religious community")
    HOUSING = "housing", _("Housing company")
    BUSINESS = "business", _("Business")
    INITIATIVE = "initiative", _("Initiative")
    OTHER = "other", _("Other")


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    INTERNAL = "internal", _("Internal")


def serves_q(district, prefix=""):
    """Q for organisations serving a district: named for it, or city-wide in its city (any case).

    `prefix` reaches organisations through a relation, e.g. "organisation__" from a contact.
    """
    through = Organisation.districts.through.objects.filter(district=district).values("organisation_id")
    condition = Q(**{f"{prefix}pk__in": through})
    if district.city:
        condition |= Q(**{f"{prefix}whole_city": True, f"{prefix}city__iexact": district.city})
    return condition


class OrganisationQuerySet(models.QuerySet):
    def serving(self, district):
        """The one definition of the organisations working in a district."""
        return self.filter(serves_q(district))

    def active(self):
        return self.filter(is_active=True)


class Organisation(TimeStampedModel):
    """A partner of the network. Serves one or more districts; `city` shares it across a city's districts."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind)
    city = models.CharField(_("city"), max_length=120, blank=True)
    districts = models.ManyToManyField(
        "core.District", related_name="organisations", blank=True, verbose_name=_("districts served")
    )
    whole_city = models.BooleanField(
        _("serves the whole city"), default=False, help_text=_("Then it appears in every district of its city.")
    )
    area_note = models.CharField(_("area served"), max_length=300, blank=True, help_text=_("e.g. “north of the B17”"))
    description = models.TextField(_("description"), max_length=3000, blank=True)
    # Category slugs (the same in every district of a city) it can help with, plus free text.
    topics = models.JSONField(_("topics"), default=list, blank=True)
    competencies = models.CharField(_("competencies"), max_length=500, blank=True)
    languages = models.JSONField(_("languages spoken"), default=list, blank=True)
    opening_hours = models.CharField(_("opening hours"), max_length=300, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    visibility = models.CharField(_("visibility"), max_length=10, choices=Visibility, default=Visibility.INTERNAL)
    is_active = models.BooleanField(_("active"), default=True)
    # Partner logins: people who see this organisation's referrals in the partner view (`network.rules.is_partner`).
    memberships = GenericRelation("accounts.Membership")
    # The activity log (`InteractionKind`): entries about the organisation.
    entries = GenericRelation("core.Entry", content_type_field="target_type", object_id_field="target_id")

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        indexes = [models.Index(fields=["city", "whole_city"], name="organisation_city")]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=OrganisationKind.values), name="organisation_kind_valid"),
            models.CheckConstraint(condition=Q(visibility__in=Visibility.values), name="organisation_visibility_valid"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("network:organisation", args=[self.pk])

    @property
    def public_name(self):
        """How residents see the organisation: its name when it is public, else "a partner of our network"."""
        if self.visibility == Visibility.PUBLIC:
            return self.name
        return gettext("a partner of our network")


class LegalBasis(models.TextChoices):
    """Why we may store a contact person's data (DSGVO Art. 6)."""

    CONSENT = "consent", _("Consent (Art. 6 (1) a)")
    CONTRACT = "contract", _("Contract or cooperation agreement (Art. 6 (1) b)")
    PUBLIC_TASK = "public_task", _("Public task, official contact (Art. 6 (1) e)")
    LEGITIMATE_INTEREST = "legitimate_interest", _("Legitimate interest (Art. 6 (1) f)")


class Contact(TimeStampedModel):
    """A contact person. `organisation` is where they work now; other ties are relationships."""

    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role"), max_length=200, blank=True)
    organisation = models.ForeignKey(
        Organisation, models.SET_NULL, null=True, blank=True, related_name="contacts", verbose_name=_("works at")
    )
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    channels = models.CharField(
        _("other channels"), max_length=300, blank=True, help_text=_("e.g. “Signal, Tuesdays in the office”")
    )
    languages = models.JSONField(_("languages spoken"), default=list, blank=True)
    notes = models.TextField(_("notes (internal)"), max_length=3000, blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=30, choices=LegalBasis)
    consent_note = models.CharField(
        _("how and when agreed"), max_length=300, blank=True, help_text=_("For consent: when, how, by whom recorded.")
    )
    last_confirmed_on = models.DateField(_("last confirmed"))
    districts = models.ManyToManyField(
        "core.District", related_name="contacts", blank=True, verbose_name=_("districts")
    )
    # The activity log (`InteractionKind`): entries about the person, and entries about their organisation
    # that name them as the person met. Both go with the person.
    entries = GenericRelation(
        "core.Entry",
        content_type_field="target_type",
        object_id_field="target_id",
        related_query_name="network_contact",
    )
    entries_met = GenericRelation(
        "core.Entry",
        content_type_field="context_type",
        object_id_field="context_id",
        related_query_name="network_contact_met",
    )

    class Meta:
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")
        ordering = ["name"]
        indexes = [models.Index(fields=["last_confirmed_on"], name="contact_confirmed")]
        constraints = [
            models.CheckConstraint(condition=Q(legal_basis__in=LegalBasis.values), name="contact_legal_basis_valid")
        ]

    def __str__(self):
        return f"{self.name} ({self.organisation})" if self.organisation_id else self.name


class Relationship(models.Model):
    """Who knows whom: between two organisations, two contacts, or a contact and an organisation.

    Typed with a label for each direction ("funds" / "funded by"); ended ones stay as history.
    """

    district = models.ForeignKey("core.District", models.CASCADE, related_name="+", null=True, blank=True)
    from_organisation = models.ForeignKey(Organisation, models.CASCADE, null=True, blank=True, related_name="+")
    from_contact = models.ForeignKey(Contact, models.CASCADE, null=True, blank=True, related_name="+")
    to_organisation = models.ForeignKey(Organisation, models.CASCADE, null=True, blank=True, related_name="+")
    to_contact = models.ForeignKey(Contact, models.CASCADE, null=True, blank=True, related_name="+")
    label = models.CharField(_("label"), max_length=100, help_text=_("e.g. “works with”, “funds”, “knows”"))
    reverse_label = models.CharField(_("label the other way"), max_length=100, help_text=_("e.g. “funded by”"))
    started_on = models.DateField(_("since"), null=True, blank=True)
    ended_on = models.DateField(_("until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("relationship")
        verbose_name_plural = _("relationships")
        ordering = ["-started_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(from_organisation__isnull=True) ^ Q(from_contact__isnull=True))
                & (Q(to_organisation__isnull=True) ^ Q(to_contact__isnull=True)),
                name="relationship_one_end_each",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True)
                | Q(started_on__isnull=True)
                | Q(ended_on__gte=models.F("started_on")),
                name="relationship_dates_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.from_organisation or self.from_contact} {self.label} {self.to_organisation or self.to_contact}"


class InteractionKind(models.TextChoices):
    """The kinds of the network's activity log: `core.Entry` rows of these kinds on an organisation or a contact.

    The entry's target is the organisation (or the person when no organisation is given); its context is the
    person met when both are given, or the desk's conversation note it was made from.
    """

    MEETING = "meeting", _("Meeting")
    CALL = "call", _("Call")
    EMAIL = "email", _("E-mail")
    EVENT = "event", _("Event")
    STREET = "street", _("Street contact")


# Referrals -------------------------------------------------------------------------------------------


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("Sent")
    ACCEPTED = "accepted", _("Accepted")
    ASKED_BACK = "asked_back", _("Question to the team")
    REJECTED = "rejected", _("Rejected")
    CLOSED = "closed", _("Closed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


OPEN_REFERRAL_STATUSES = [ReferralStatus.SENT, ReferralStatus.ACCEPTED, ReferralStatus.ASKED_BACK]
# The partner has answered: closed with an outcome, or rejected. The history the ranking learns from.
ANSWERED_REFERRAL_STATUSES = [ReferralStatus.CLOSED, ReferralStatus.REJECTED]


class Outcome(models.TextChoices):
    SOLVED = "solved", _("Solved")
    PARTLY = "partly", _("Partly solved")
    NOT_SOLVED = "not_solved", _("Not solved")
    NOT_RESPONSIBLE = "not_responsible", _("Not our responsibility")


# What counts as solved in a partner's record (partly solved too).
SOLVED_OUTCOMES = [Outcome.SOLVED, Outcome.PARTLY]


class ReferralPlan(models.TextChoices):
    """How closely a referral is followed: reminder before the due date, escalation after it."""

    STANDARD = "standard", _("Standard")
    URGENT = "urgent", _("Urgent")
    LONG = "long", _("Long-running")


class Referral(TimeStampedModel):
    """A concern handed to an organisation (and maybe one of its people), followed until solved.

    Or a request about another domain's object (`subject`: a project asking for a skip), followed alike.
    Exactly one of `concern` (a foreign key: lists and the ranking join it) and `subject` is set; `district`
    is the district of either, for the lists.
    """

    concern = models.ForeignKey("concerns.Concern", models.CASCADE, null=True, blank=True, related_name="referrals")
    subject_type = models.ForeignKey(ContentType, models.PROTECT, null=True, blank=True, related_name="+")
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    district = models.ForeignKey("core.District", models.PROTECT, related_name="referrals", verbose_name=_("district"))
    organisation = models.ForeignKey(Organisation, models.PROTECT, related_name="referrals")
    contact = models.ForeignKey(Contact, models.SET_NULL, null=True, blank=True, related_name="referrals")
    message = models.TextField(_("message to the partner"), max_length=5000)
    plan = models.CharField(_("follow-up plan"), max_length=10, choices=ReferralPlan, default=ReferralPlan.STANDARD)
    due_on = models.DateField(_("due"))
    remind_on = models.DateField(_("reminder"), editable=False)
    escalate_on = models.DateField(_("escalation"), editable=False)
    status = models.CharField(_("status"), max_length=12, choices=ReferralStatus, default=ReferralStatus.SENT)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome, blank=True)
    # The resident is introduced (name and contact passed on) only with their recorded consent.
    resident_introduced_at = models.DateTimeField(_("resident introduced"), null=True, blank=True)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    link_expires_at = models.DateTimeField(_("link valid until"))
    link_revoked_at = models.DateTimeField(_("link revoked"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    answered_at = models.DateTimeField(_("first answer"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("last reminder"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)

    # Its steps: entries on the concern's timeline about this referral (core.activity, `context`).
    steps = GenericRelation(Entry, "context_id", "context_type", related_query_name="referral")

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=ReferralStatus.values), name="referral_status_valid"),
            models.CheckConstraint(
                condition=~Q(status=ReferralStatus.CLOSED) | ~Q(outcome=""), name="referral_closed_has_outcome"
            ),
            models.CheckConstraint(
                condition=Q(concern__isnull=False, subject_type__isnull=True, subject_id__isnull=True)
                | Q(concern__isnull=True, subject_type__isnull=False, subject_id__isnull=False),
                name="referral_one_subject",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "status"], name="referral_organisation_status"),
            models.Index(fields=["status", "escalate_on"], name="referral_status_escalate"),
            models.Index(fields=["status", "remind_on"], name="referral_status_remind"),
            models.Index(fields=["subject_type", "subject_id"], name="referral_subject"),
        ]

    def __str__(self):
        return f"{self.about.label} → {self.organisation}"

    @property
    def about(self):
        """What the referral is about, as pages and mails name it (`subjects.About`)."""
        from .subjects import about

        return about(self)

    @property
    def is_open(self):
        return self.status in OPEN_REFERRAL_STATUSES

    @property
    def public_name(self):
        """How the resident sees the partner (on the concern's timeline): its name when the organisation is public."""
        return self.organisation.public_name


class ReferralStep(models.TextChoices):
    """A referral's steps: each one entry on the concern's timeline (core.Entry: `step`, context the referral)."""

    SENT = "sent", _("Referred")
    ACCEPTED = "accepted", _("Accepted")
    ASKED = "asked", _("Question")
    ANSWERED = "answered", _("Answer")
    REJECTED = "rejected", _("Rejected")
    PROGRESS = "progress", _("Progress")
    CLOSED = "closed", _("Closed")
    REMINDED = "reminded", _("Reminder")
    ESCALATED = "escalated", _("Escalated")
    DUE_MOVED = "due_moved", _("Due date moved")
    LINK_REVOKED = "link_revoked", _("Link revoked")
    LINK_RENEWED = "link_renewed", _("New link")
    WITHDRAWN = "withdrawn", _("Withdrawn")
