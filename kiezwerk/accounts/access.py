"""The role model's predicates: what a user is in a district, and which objects they belong to.

Plain functions of (user, object); each app's `rules.py` builds its own rules on them. A user's
roles and memberships are loaded together in one query, once per request user (kept on the user
object), so asking many questions costs nothing more.
"""

from .models import RoleKind, User

STAFF_KINDS = {RoleKind.MANAGER, RoleKind.MODERATOR, RoleKind.CITY_ADMIN}
MODERATOR_KINDS = {RoleKind.MODERATOR, RoleKind.CITY_ADMIN}
# Who can be given a concern to look after.
TEAM_KINDS = {RoleKind.MANAGER, RoleKind.MODERATOR, RoleKind.VOLUNTEER}


def _access(user):
    """({district_id (None for city-wide): {kinds}}, {(model label, object id)}) of a user, loaded once.

    One query: the user's roles joined with their memberships (a handful of rows each).
    """
    cached = getattr(user, "_access", None)
    if cached is None:
        roles, memberships = {}, set()
        rows = User.objects.filter(pk=user.pk).values_list(
            "roles__district_id",
            "roles__kind",
            "memberships__content_type__app_label",
            "memberships__content_type__model",
            "memberships__object_id",
        )
        for district_id, kind, app_label, model, object_id in rows:
            if kind:
                roles.setdefault(district_id, set()).add(kind)
            if object_id is not None:
                memberships.add((f"{app_label}.{model}", object_id))
        cached = user._access = (roles, memberships)
    return cached


def roles(user, district):
    """The role kinds a user holds in a district (city-wide roles included)."""
    if not user.is_authenticated:
        return frozenset()
    by_district = _access(user)[0]
    return frozenset(by_district.get(district.pk, set()) | by_district.get(None, set()))


def is_staff_of(user, district):
    """Managers, moderators and city admins see everything internal of a district."""
    return bool(user.is_authenticated and (user.is_superuser or roles(user, district) & STAFF_KINDS))


def is_team_of(user, district):
    """Team members of a district: its staff and volunteers."""
    return bool(user.is_authenticated and (roles(user, district) & (TEAM_KINDS | STAFF_KINDS)))


def can_moderate(user, district):
    """Moderators and city admins review and redact in a district."""
    return bool(user.is_authenticated and (user.is_superuser or roles(user, district) & MODERATOR_KINDS))


def is_desk_user(user):
    """Whether the user is staff of any district: the desk is theirs."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or any(kinds & STAFF_KINDS for kinds in _access(user)[0].values())


def memberships(user, model):
    """The ids of the `model` objects the user belongs to (a `Membership` each)."""
    if not user.is_authenticated:
        return frozenset()
    label = model._meta.concrete_model._meta.label_lower
    return frozenset(object_id for of, object_id in _access(user)[1] if of == label)


def is_member_of(user, obj):
    """Whether the user belongs to `obj` (an organisation, later a jury or a project team)."""
    return obj.pk in memberships(user, type(obj))
