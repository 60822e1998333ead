"""Network views for partners: one referral through its secret link, or all of an organisation's with a login."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from kiezwerk.core import access
from kiezwerk.core.forms import add_errors
from kiezwerk.core.lists import paginate
from kiezwerk.core.models import District

from .. import rules
from ..forms.referrals import PartnerStepForm
from ..models import OPEN_REFERRAL_STATUSES, ReferralStatus
from ..selectors import referrals as selectors
from ..services import referrals as services

STEPS = {
    "accept": lambda r, d, **who: services.referral_accept(referral=r, text=d["text"], **who),
    "ask": lambda r, d, **who: services.referral_ask(referral=r, text=d["text"], **who),
    "reject": lambda r, d, **who: services.referral_reject(referral=r, reason=d["text"], **who),
    "progress": lambda r, d, **who: services.referral_progress(referral=r, text=d["text"], public=d["public"], **who),
    "close": lambda r, d, **who: services.referral_close(
        referral=r, outcome=d["outcome"], text=d["text"], public=d["public"], **who
    ),
}
DONE = {
    "accept": gettext_lazy("Thank you: you have taken on this concern."),
    "ask": gettext_lazy("Your question has been sent to the neighbourhood management."),
    "reject": gettext_lazy("The neighbourhood management has been told that you cannot take it on."),
    "progress": gettext_lazy("Progress saved."),
    "close": gettext_lazy("Closed. Thank you!"),
}


def _partner_page(request, referral, action_url, *, via_link):
    """The referral as the partner sees it (no reporter data unless introduced), and their next step."""
    form = PartnerStepForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        step = form.cleaned_data["step"]
        who = {"actor": None if via_link else request.user, "via_link": via_link}
        try:
            STEPS[step](referral, form.cleaned_data, **who)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, str(DONE[step]))
            return redirect(action_url)
    concern = referral.concern
    context = {
        "referral": referral,
        "about": referral.about,
        "concern": concern,
        "photos": concern.photos.all() if concern else (),
        "events": selectors.referral_events(referral=referral),
        "form": form,
        "action_url": action_url,
        "via_link": via_link,
        "introduced": referral.resident_introduced_at is not None,
    }
    return render(request, "network/partner_referral.html", context, status=400 if form.errors else 200)


@access.by_secret_link  # the secret link is the permission; an unknown, expired or revoked one changes nothing
@require_http_methods(["GET", "POST"])
def partner_link(request, token):
    referral, state = services.referral_by_token(token)
    if state != "ok":
        context = {"state": state, "referral": referral}
        return render(request, "network/partner_link_invalid.html", context, status=404 if referral is None else 410)
    response = _partner_page(request, referral, reverse("network:partner-link", args=[token]), via_link=True)
    response["Referrer-Policy"] = (
        "same-origin"  # the token never leaves for another site (and Origin stays set for CSRF)
    )
    response["Cache-Control"] = "private, no-store"
    return response


# The partner's other screens, from apps above the network (events: "Ihre Veranstaltungen"): (label, url name),
# registered at start-up; the partner's page links them.
PARTNER_SCREENS = []


def partner_screen(label, url_name):
    PARTNER_SCREENS.append((label, url_name))


@access.requires(rules.is_partner)
@require_GET
def partner_home(request):
    status = request.GET.get("status", "open")
    status = status if status in ("open", "all", *ReferralStatus.values) else "open"
    district = District.objects.filter(slug=request.GET.get("district", "")).first()
    referrals, counts = selectors.partner_referrals(
        user=request.user, status=None if status == "all" else status, district=district
    )
    page, query = paginate(request, referrals, 25)
    context = {
        "page": page,
        "query": query,
        "status": status,
        "district": district,
        "districts": selectors.partner_districts(user=request.user),
        "open_count": sum(counts.get(s, 0) for s in OPEN_REFERRAL_STATUSES),
        "organisations": selectors.partner_organisations(user=request.user),
        "statuses": [(value, label, counts.get(value, 0)) for value, label in ReferralStatus.choices],
        "screens": [(label, reverse(url_name)) for label, url_name in PARTNER_SCREENS],
    }
    return render(request, "network/partner_home.html", context)


@access.requires(rules.can_answer_referral, load=rules.partner_referral)
@require_http_methods(["GET", "POST"])
def partner_referral(request, pk):
    referral = rules.referral_for_partner(request.user, pk)
    return _partner_page(request, referral, reverse("network:partner-referral", args=[pk]), via_link=False)


urlpatterns = [
    path("p/<str:token>/", partner_link, name="partner-link"),
    path("partner/", partner_home, name="partner-home"),
    path("partner/referrals/<int:pk>/", partner_referral, name="partner-referral"),
]
