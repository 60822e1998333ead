"""Personal data of accounts (see core.privacy): listed and exported; deleting an account is not done here."""

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kiezwerk.core import privacy

from .models import Role, User


def _accounts(subject):
    return User.objects.filter(email__iexact=subject.email) if subject.email else User.objects.none()


def _roles(user, subject):
    """The account's roles in the requester's districts and those spanning all districts."""
    return Role.objects.filter(Q(district__in=subject.districts) | Q(district__isnull=True), user=user).select_related(
        "district"
    )


class Accounts(privacy.Provider):
    key = "accounts"
    label = gettext_lazy("User accounts")
    erase_text = gettext_lazy(
        "User accounts are not deleted here: an account is deleted by its owner or by an administrator."
    )

    def find(self, subject):
        records = []
        for user in _accounts(subject):
            roles = ", ".join(
                f"{role.get_kind_display()}: {role.district or _('all districts')}" for role in _roles(user, subject)
            )
            roles = roles or _("no role here")
            records.append(privacy.Record(_("Account %(email)s (%(roles)s)") % {"email": user.email, "roles": roles}))
        return records

    def export(self, subject):
        return {
            "accounts": [
                {
                    "email": user.email,
                    "name": user.display_name,
                    "language": user.language,
                    "joined": user.date_joined.isoformat(),
                    "last_login": user.last_login.isoformat() if user.last_login else None,
                    "roles": [
                        {"district": role.district.slug if role.district else None, "role": role.kind}
                        for role in _roles(user, subject)
                    ],
                }
                for user in _accounts(subject)
            ]
        }


privacy.register(Accounts())
