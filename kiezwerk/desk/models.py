from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class ReplyTemplate(models.Model):
    """A reusable reply of a district's team, in several languages."""

    district = models.ForeignKey("core.District", models.CASCADE, related_name="reply_templates")
    title = models.CharField(_("title"), max_length=100)
    texts = models.JSONField(_("texts"), default=dict, help_text=_("The text per language code; German is required."))
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("reply template")
        verbose_name_plural = _("reply templates")
        ordering = ["position", "title"]
        constraints = [models.UniqueConstraint(fields=["district", "title"], name="reply_template_title_unique")]

    def __str__(self):
        return self.title

    def text_for(self, language):
        """The text in `language`, German when there is none."""
        return self.texts.get(language or get_language() or "de") or self.texts.get("de", "")


class SavedFilter(models.Model):
    """A named set of inbox filters (the query string) of one team member."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="saved_filters")
    district = models.ForeignKey("core.District", models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=60)
    query = models.CharField(max_length=1000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("saved filter")
        verbose_name_plural = _("saved filters")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["user", "district", "name"], name="saved_filter_unique")]

    def __str__(self):
        return self.name


class People(models.IntegerChoices):
    """A rough number of people: contacts are counted, never named."""

    ONE = 1, _("1 person")
    FEW = 3, _("2–5 people")
    GROUP = 10, _("6–20 people")
    CROWD = 30, _("more than 20 people")


class StreetContact(models.Model):
    """A conversation on the street without a concern: counted for the district's figures, no personal data."""

    district = models.ForeignKey("core.District", models.CASCADE, related_name="street_contacts")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(_("time"), db_index=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    topic = models.ForeignKey(
        "concerns.Category", models.PROTECT, related_name="street_contacts", verbose_name=_("topic")
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    language = models.CharField(_("language"), max_length=10, default="de")
    people = models.PositiveSmallIntegerField(_("people"), choices=People, default=People.ONE)
    concern = models.OneToOneField(
        "concerns.Concern", models.SET_NULL, null=True, blank=True, related_name="street_contact"
    )
    capture_key = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("street contact")
        verbose_name_plural = _("street contacts")
        ordering = ["-at"]
        indexes = [models.Index(fields=["district", "-at"], name="street_contact_district_at")]
        constraints = [
            models.CheckConstraint(condition=Q(people__in=People.values), name="street_contact_people_valid")
        ]

    def __str__(self):
        return f"{self.topic} ({self.at:%Y-%m-%d})"


class FieldNote(models.Model):
    """A conversation note: whom the manager met and what came of it. Internal only."""

    district = models.ForeignKey("core.District", models.CASCADE, related_name="field_notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(_("time"), db_index=True)
    met = models.CharField(
        _("people and organisations met"), max_length=300, help_text=_("e.g. “Ms Yilmaz, parents' council”")
    )
    text = models.TextField(_("note"), max_length=5000)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    concern = models.ForeignKey("concerns.Concern", models.SET_NULL, null=True, blank=True, related_name="field_notes")
    follow_up_on = models.DateField(_("follow-up"), null=True, blank=True)
    follow_up_done_at = models.DateTimeField(_("follow-up done"), null=True, blank=True)
    capture_key = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("conversation note")
        verbose_name_plural = _("conversation notes")
        ordering = ["-at"]
        indexes = [models.Index(fields=["district", "follow_up_on"], name="field_note_follow_up")]

    def __str__(self):
        return f"{self.met} ({self.at:%Y-%m-%d})"
