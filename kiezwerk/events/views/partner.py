"""A partner's screens of events: their organisations' events with the team's decisions, submitting one, and
changing it (title, description and image of an approved event go back to the team as a proposal)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from kiezwerk.core import access
from kiezwerk.core.forms import add_errors
from kiezwerk.core.models import District
from kiezwerk.desk.rules import district_for
from kiezwerk.network import rules as network_rules
from kiezwerk.network.models import serves_q
from kiezwerk.network.selectors.referrals import partner_organisations

from .. import rules, selectors
from ..forms import event_initial
from ..services import events as services
from .team import event_form, form_page, form_values


def _served(user):
    """The districts the partner's organisations serve (where they may submit events)."""
    organisations = list(partner_organisations(user=user))
    found = District.objects.none()
    for organisation in organisations:
        found |= District.objects.filter(pk__in=organisation.districts.values("pk"))
        if organisation.whole_city and organisation.city:
            found |= District.objects.filter(city__iexact=organisation.city)
    return organisations, found.distinct().order_by("name")


@access.requires(network_rules.is_partner)
@require_GET
def partner_list(request):
    organisations, districts = _served(request.user)
    context = {
        "organisations": organisations,
        "districts": districts,
        "events": selectors.partner_events(organisations=organisations)[:100],
    }
    return render(request, "events/partner_list.html", context)


@access.requires(network_rules.is_partner)
@require_http_methods(["GET", "POST"])
def partner_new(request, slug):
    the_district = district_for(request.user, slug)
    organisations = [o for o in partner_organisations(user=request.user).filter(serves_q(the_district))]
    if not organisations:
        raise Http404  # none of their organisations works in this district
    data = request.POST if request.method == "POST" else None
    form = event_form(request, the_district, organisers=organisations, team=False, data=data)
    if form.is_valid():
        values = form_values(form)
        if values is not None:
            try:
                services.event_create(district=the_district, actor=request.user, **values)
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(
                    request, _("Thank you! The team will look at your event; you will hear from them by e-mail.")
                )
                return redirect("events:partner")
    status = 400 if form.is_bound else 200
    return form_page(request, the_district, form, "events/event_form.html", status, new=True, partner=True)


@access.requires(rules.is_organiser_member, load=rules.partner_event)
@require_http_methods(["GET", "POST"])
def partner_edit(request, pk):
    event = rules.event_for_partner(request.user, pk)
    organisations = list(partner_organisations(user=request.user))
    data = request.POST if request.method == "POST" else None
    form = event_form(
        request, event.district, organisers=organisations, team=False, data=data, initial=event_initial(event)
    )
    if form.is_valid():
        values = form_values(form)
        if values is not None:
            try:
                event = services.event_change(event=event, actor=request.user, **values)
            except ValidationError as error:
                add_errors(form, error)
            else:
                if event.proposal:
                    messages.success(request, _("Saved. The team looks at the new title, description or image first."))
                else:
                    messages.success(request, _("The event has been saved."))
                return redirect("events:partner")
    status = 400 if form.is_bound else 200
    return form_page(request, event.district, form, "events/event_form.html", status, event=event, partner=True)
