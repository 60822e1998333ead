"""Who may do what. Views and templates ask here; nowhere else decides.

`can_<verb>(user, obj) -> bool` answers a question; `<entity>_for_<role>(user, pk)`
returns a row or raises Http404 for missing and forbidden alike, so internal
rows never reveal that they exist.

Every view declares its policy with `@policy.public` or `@policy.requires(...)`;
a test walks the URLconf and fails on any view without one.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from .models import RoleKind

STAFF_KINDS = {RoleKind.MANAGER, RoleKind.MODERATOR, RoleKind.CITY_ADMIN}
MODERATOR_KINDS = {RoleKind.MODERATOR, RoleKind.CITY_ADMIN}
# Who can be given a concern to look after.
TEAM_KINDS = {RoleKind.MANAGER, RoleKind.MODERATOR, RoleKind.VOLUNTEER}


def _once_per_request(load):
    """Load a row once per request: the view's predicate and the view itself share what was loaded.

    The rows are kept on the request's user object, which lives as long as the request (like the
    role cache); a row the user may not see raises Http404 again each time, nothing is kept.
    """

    @wraps(load)
    def wrapped(user, key):
        rows = getattr(user, "_policy_rows", None)
        if rows is None:
            rows = {}
            user._policy_rows = rows
        if (load.__name__, key) not in rows:
            rows[(load.__name__, key)] = load(user, key)
        return rows[(load.__name__, key)]

    return wrapped


def _role_cache(user):
    """{district_id (None for city-wide): {kinds}} of a user, loaded once per request user."""
    cache = getattr(user, "_role_cache", None)
    if cache is None:
        cache = {}
        for district_id, kind in user.roles.values_list("district_id", "kind"):
            cache.setdefault(district_id, set()).add(kind)
        user._role_cache = cache
    return cache


def roles(user, district):
    """The role kinds a user holds in a district (city-wide roles included)."""
    if not user.is_authenticated:
        return frozenset()
    cache = _role_cache(user)
    return frozenset(cache.get(district.pk, set()) | cache.get(None, set()))


def is_staff_of(user, district):
    """Managers, moderators and city admins see everything internal of a district."""
    return bool(user.is_authenticated and (user.is_superuser or roles(user, district) & STAFF_KINDS))


def is_team_of(user, district):
    """Team members of a district: its staff and volunteers."""
    return bool(user.is_authenticated and (roles(user, district) & (TEAM_KINDS | STAFF_KINDS)))


def can_view_concern(user, concern):
    return concern.is_public or is_staff_of(user, concern.district)


def can_moderate(user, district):
    return bool(user.is_authenticated and (user.is_superuser or roles(user, district) & MODERATOR_KINDS))


def can_see_reporter(user, concern):
    """Reporter's name and e-mail are for the district's staff only."""
    return is_staff_of(user, concern.district)


def is_desk_user(user):
    """Whether the user is staff of any district: the desk is theirs."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or any(kinds & STAFF_KINDS for kinds in _role_cache(user).values())


def can_use_desk(user, slug, **kwargs):
    """Staff of the district named by `slug`; 404 when there is no such district."""
    return is_staff_of(user, district_for(user, slug))


def can_work_concern(user, pk, **kwargs):
    """Staff of the concern's district. A concern the user may not work on is a 404, like a missing one."""
    concern_for_staff(user, pk)
    return True


def can_moderate_desk_concern(user, pk, **kwargs):
    """Moderators (and city admins) of the concern's district; other staff get 403, everybody else 404."""
    return can_moderate(user, concern_for_staff(user, pk).district)


def has_partner_role(user):
    """Whether the user holds a partner role anywhere (from the cached roles, no query of its own)."""
    return bool(user.is_authenticated and any(RoleKind.PARTNER in kinds for kinds in _role_cache(user).values()))


def is_partner_user(user):
    """People who log in for an organisation of the network (Organisation.members)."""
    return bool(user.is_authenticated and user.organisations.exists())


def can_work_referral(user, pk, **kwargs):
    """Staff of the referred concern's district; 404 for everybody else."""
    referral_for_staff(user, pk)
    return True


def can_see_organisation(user, pk, **kwargs):
    """Staff of any district the organisation serves; 404 for everybody else, like a missing one."""
    organisation_for_staff(user, pk)
    return True


def can_see_contact(user, pk, **kwargs):
    """Staff of any district the contact person belongs to; 404 for everybody else."""
    contact_for_staff(user, pk)
    return True


def can_see_referral_as_partner(user, pk, **kwargs):
    """A member of the referral's organisation; 404 for everybody else, like a missing referral."""
    referral_for_partner(user, pk)
    return True


# Declaring a view's policy ----------------------------------------------------


def public(view):
    """Mark a view as open to everyone (it still filters what it shows)."""
    view.kiezwerk_policy = "public"
    return view


def requires(predicate):
    """Mark a view as guarded by a predicate(user, **kwargs) -> bool.

    Anonymous visitors are sent to the login page; everybody else who fails gets 403.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not predicate(request.user, **kwargs):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.kiezwerk_policy = predicate.__name__
        return wrapped

    return decorator


# Rows for a viewer --------------------------------------------------------------


@_once_per_request
def district_for(user, slug):
    """The district named by `slug` (Http404 when there is none), loaded once per request."""
    from django.shortcuts import get_object_or_404

    from kiezwerk.core.models import District

    return get_object_or_404(District, slug=slug)


@_once_per_request
def concern_for_staff(user, pk):
    """A concern of a district the user is staff of; Http404 for missing and forbidden alike."""
    from django.http import Http404

    from kiezwerk.concerns.models import Concern

    concern = (
        Concern.objects.select_related(
            "district", "category", "category__parent", "assignee", "reporter", "duplicate_of"
        )
        .filter(pk=pk)
        .first()
    )
    if concern is None or not is_staff_of(user, concern.district):
        raise Http404
    return concern


@_once_per_request
def organisation_for_staff(user, pk):
    """(organisation, the districts it serves that the user is staff of); Http404 when there are none."""
    from django.http import Http404

    from kiezwerk.network.models import Organisation
    from kiezwerk.network.selectors import directory

    organisation = Organisation.objects.filter(pk=pk).first() if user.is_authenticated else None
    districts = (
        [d for d in directory.organisation_districts(organisation) if is_staff_of(user, d)] if organisation else []
    )
    if not districts:
        raise Http404
    return organisation, districts


@_once_per_request
def contact_for_staff(user, pk):
    """(contact person, their districts the user is staff of); Http404 when there are none."""
    from django.http import Http404

    from kiezwerk.network.models import Contact
    from kiezwerk.network.selectors import directory

    contact = Contact.objects.select_related("organisation").filter(pk=pk).first() if user.is_authenticated else None
    belongs = directory.contact_districts(contact) if contact else []
    districts = [d for d in belongs if is_staff_of(user, d)]
    if not districts:
        raise Http404
    return contact, districts


@_once_per_request
def referral_for_staff(user, pk):
    """A referral of a concern in a district the user is staff of; Http404 for missing and forbidden alike."""
    from django.http import Http404

    from kiezwerk.network.models import Referral

    referral = (
        Referral.objects.select_related(
            "concern", "concern__district", "concern__category", "organisation", "contact", "created_by"
        )
        .filter(pk=pk)
        .first()
    )
    if referral is None or not is_staff_of(user, referral.concern.district):
        raise Http404
    return referral


@_once_per_request
def referral_for_partner(user, pk):
    """A referral to one of the user's organisations; Http404 for missing and forbidden alike."""
    from django.http import Http404

    from kiezwerk.network.models import Referral

    referral = (
        Referral.objects.select_related("concern", "concern__district", "concern__category", "organisation", "contact")
        .filter(pk=pk, organisation__members=user)
        .first()
        if user.is_authenticated
        else None
    )
    if referral is None:
        raise Http404
    return referral


def concern_for_viewer(user, pk):
    """The concern if the user may see it; Http404 for missing and forbidden alike."""
    from django.http import Http404

    from kiezwerk.concerns.models import Concern

    concern = Concern.objects.select_related("district", "category", "category__parent").filter(pk=pk).first()
    if concern is None or not can_view_concern(user, concern):
        raise Http404
    return concern
