"""Reads of referrals: whom to refer to, a referral's steps, what is overdue, the partner's list."""

from django.db.models import Count, Prefetch

from kiezwerk.core.models import Entry

from ..models import OPEN_REFERRAL_STATUSES, Contact, Organisation, Referral, ReferralStatus


def organisations_serving(*, district):
    """Active organisations working in the district: listed for it, or city-wide in its city."""
    return Organisation.objects.serving(district).active().order_by("name")


def organisations_for_referral(*, district):
    return list(
        organisations_serving(district=district).prefetch_related(
            Prefetch("contacts", queryset=Contact.objects.order_by("name"))
        )
    )


def default_message(*, concern):
    """A first draft of the message to the partner: what the concern is about and where."""
    place = f" ({concern.address})" if concern.address else ""
    return f"{concern.title}{place}\n\n{concern.description}"


def suggestions(*, concern):
    from .ranking import partner_suggestions

    return partner_suggestions(concern=concern)


def referral_events(*, referral):
    """The referral's steps, oldest first: its entries on the timeline of its concern (or object)."""
    return Entry.objects.filter(referral=referral).select_related("author")


def referrals_of_concern(*, concern):
    return (
        Referral.objects.filter(concern=concern).select_related("organisation", "contact").order_by("created_at", "pk")
    )


def referrals_overdue(*, district, today):
    """Open referrals of the district past their escalation date, the longest overdue first."""
    return (
        Referral.objects.filter(district=district, status__in=OPEN_REFERRAL_STATUSES, escalate_on__lt=today)
        .select_related("concern", "organisation", "contact")
        .prefetch_related("subject")
        .order_by("escalate_on", "pk")
    )


def referrals_waiting_for_team(*, district):
    """Referrals where the partner asked the team a question."""
    return (
        Referral.objects.filter(district=district, status=ReferralStatus.ASKED_BACK)
        .select_related("concern", "organisation")
        .prefetch_related("subject")
        .order_by("updated_at")
    )


def partner_referrals(*, user, status=None, district=None):
    """The referrals of the user's organisations, across districts, newest first; with counts per status."""
    qs = Referral.objects.filter(organisation__in=partner_organisations(user=user))
    counts = dict(qs.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    if status == "open":
        qs = qs.filter(status__in=OPEN_REFERRAL_STATUSES)
    elif status:
        qs = qs.filter(status=status)
    if district is not None:
        qs = qs.filter(district=district)
    qs = (
        qs.select_related("concern", "concern__category", "district", "organisation")
        .prefetch_related("subject")
        .order_by("-created_at", "-pk")
    )
    return qs, counts


def partner_districts(*, user):
    """The districts the user's organisations have referrals in (for the filter)."""
    from kiezwerk.core.models import District

    organisations = partner_organisations(user=user)
    return District.objects.filter(concerns__referrals__organisation__in=organisations).distinct().order_by("name")


def partner_organisations(*, user):
    """The organisations the user belongs to (a partner login each)."""
    return Organisation.objects.filter(memberships__user=user).order_by("name")
