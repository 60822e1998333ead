from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A person with an account. Logs in with the e-mail address."""

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("e-mail address"), unique=True)
    display_name = models.CharField(_("name"), max_length=120, blank=True)
    language = models.CharField(_("language"), max_length=10, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.display_name or self.email

    def get_short_name(self):
        """First name and the initial of the last ("Werner H."), as the audit trail names people."""
        return short_name(self.display_name) or self.email


def short_name(name):
    """ "Werner Hansen" → "Werner H." (titles such as "Dr." left out); one name or an e-mail address stays as it is."""
    name = (name or "").strip()
    words = [word for word in name.split() if not word.endswith(".")]
    if len(words) < 2 or "@" in name:
        return name
    return f"{words[0]} {words[-1][0]}."


class RoleKind(models.TextChoices):
    RESIDENT = "resident", _("Resident")
    VOLUNTEER = "volunteer", _("Volunteer")
    MANAGER = "manager", _("Neighbourhood manager")
    MODERATOR = "moderator", _("Moderator")
    CITY_ADMIN = "city_admin", _("City administrator")


class Role(models.Model):
    """What a user is in one district. A city admin's role may span all districts."""

    user = models.ForeignKey(User, models.CASCADE, related_name="roles", verbose_name=_("user"))
    district = models.ForeignKey(
        "core.District",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="roles",
        verbose_name=_("district"),
        help_text=_("Empty only for a city administrator of all districts."),
    )
    kind = models.CharField(_("role"), max_length=20, choices=RoleKind)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.UniqueConstraint(fields=["user", "district", "kind"], name="role_unique"),
            models.CheckConstraint(condition=Q(kind__in=RoleKind.values), name="role_kind_valid"),
            models.CheckConstraint(
                condition=Q(district__isnull=False) | Q(kind=RoleKind.CITY_ADMIN), name="role_district_required"
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.get_kind_display()} ({self.district or _('all districts')})"


class Membership(models.Model):
    """A user belongs to one object: an organisation (a partner login), later a jury, a committee, a project team.

    The object's app gives the meaning (`network.rules.is_partner`); `accounts.access.is_member_of` asks.
    """

    user = models.ForeignKey(User, models.CASCADE, related_name="memberships", verbose_name=_("user"))
    content_type = models.ForeignKey(ContentType, models.CASCADE, verbose_name=_("kind of object"))
    object_id = models.PositiveBigIntegerField(_("object"))
    target = GenericForeignKey("content_type", "object_id")
    role = models.CharField(_("role"), max_length=80, blank=True, help_text=_("Optional, e.g. “chair”."))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "content_type", "object_id"], name="membership_unique"),
        ]
        indexes = [models.Index(fields=["content_type", "object_id"], name="membership_target")]

    def __str__(self):
        return f"{self.user} – {self.target}"
