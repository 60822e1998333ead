"""Network views: the team refers a concern, follows it up, and sees what is overdue."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kiezwerk.concerns import rules as concern_rules
from kiezwerk.core import access
from kiezwerk.core.forms import add_errors
from kiezwerk.desk import rules as desk_rules

from .. import rules
from ..forms.referrals import AnswerForm, DueForm, ReferForm, WithdrawForm
from ..selectors import referrals as selectors
from ..services import referrals as services


@access.requires(concern_rules.can_work_concern, load=concern_rules.staff_concern)
@require_http_methods(["GET", "POST"])
def refer(request, pk):
    concern = concern_rules.concern_for_staff(request.user, pk)
    organisations = selectors.organisations_for_referral(district=concern.district)
    # A suggestion's link preselects its organisation (works without JavaScript).
    initial = {"message": selectors.default_message(concern=concern), "organisation": request.GET.get("organisation")}
    form = ReferForm(request.POST or None, organisations=organisations, initial=initial)
    if form.is_valid() and not form.recipient_chosen:
        form.ask_recipient()  # without JavaScript: the organisation is chosen, now one of its recipients
    elif form.is_valid():
        try:
            referral, _token = services.referral_create(concern=concern, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                _("Referred to %(organisation)s; the e-mail goes to %(address)s.")
                % {"organisation": referral.organisation.name, "address": services.partner_address(referral)},
            )
            return redirect("desk:concern", pk=concern.pk)
    context = {
        "concern": concern,
        "district": concern.district,
        "form": form,
        "suggestions": selectors.suggestions(concern=concern),
        "asked": selectors.referrals_of_concern(concern=concern),
        "can_introduce": bool(concern.reporter_email or concern.reporter_phone or concern.reporter_id),
    }
    return render(request, "network/refer.html", context, status=400 if form.errors else 200)


@access.requires(rules.can_work_referral, load=rules.staff_referral)
@require_GET
def referral(request, pk):
    return _referral_page(request, rules.referral_for_staff(request.user, pk))


def _referral_page(request, referral, bound=None, status=200):
    context = {
        "referral": referral,
        "about": referral.about,
        "district": referral.district,
        "events": selectors.referral_events(referral=referral),
        "answer_form": AnswerForm(),
        "due_form": DueForm(initial={"due_on": referral.due_on}),
        "withdraw_form": WithdrawForm(),
        "link_state": services.link_state(referral),
        **(bound or {}),
    }
    return render(request, "network/referral.html", context, status=status)


# The team's steps on a referral: the form that checks the input, and the service it calls.
ACTIONS = {
    "answer": (AnswerForm, lambda r, u, d: services.referral_answer(referral=r, actor=u, text=d["text"])),
    "due": (DueForm, lambda r, u, d: services.referral_move_due(referral=r, actor=u, due_on=d["due_on"])),
    "withdraw": (WithdrawForm, lambda r, u, d: services.referral_withdraw(referral=r, actor=u, reason=d["text"])),
    "revoke": (None, lambda r, u, d: services.referral_revoke_link(referral=r, actor=u)),
    "renew": (None, lambda r, u, d: services.referral_renew_link(referral=r, actor=u)),
}
MESSAGES = {
    "answer": gettext_lazy("Answer sent to the partner."),
    "due": gettext_lazy("Due date moved; reminder and escalation follow it."),
    "withdraw": gettext_lazy("Referral withdrawn."),
    "revoke": gettext_lazy("The partner's link no longer works."),
    "renew": gettext_lazy("A new link has been sent to the partner."),
}


@access.requires(rules.can_work_referral, load=rules.staff_referral)
@require_POST
def referral_action(request, pk, action):
    referral = rules.referral_for_staff(request.user, pk)
    if action not in ACTIONS:
        return redirect("network:referral", pk=pk)
    form_class, call = ACTIONS[action]
    form = form_class(request.POST) if form_class else None
    if form is None or form.is_valid():
        try:
            call(referral, request.user, form.cleaned_data if form else {})
        except ValidationError as error:
            if form is None:
                messages.error(request, " ".join(error.messages))
                return redirect("network:referral", pk=pk)
            form.add_error(None, error)
        else:
            messages.success(request, str(MESSAGES[action]))
            return redirect("network:referral", pk=pk)
    return _referral_page(request, referral, {f"{action}_form": form, "failed": action}, status=400)


@access.requires(desk_rules.can_use_desk, load=desk_rules.district)
@require_GET
def escalations(request, slug):
    district = desk_rules.district_for(request.user, slug)
    today = timezone.localdate()
    context = {
        "district": district,
        "today": today,
        "overdue": selectors.referrals_overdue(district=district, today=today),
        "waiting": selectors.referrals_waiting_for_team(district=district),
    }
    return render(request, "network/escalations.html", context)


urlpatterns = [
    path("network/concerns/<int:pk>/refer/", refer, name="refer"),
    path("network/referrals/<int:pk>/", referral, name="referral"),
    path("network/referrals/<int:pk>/<slug:action>/", referral_action, name="referral-action"),
    path("network/<slug:slug>/escalations/", escalations, name="escalations"),
]
