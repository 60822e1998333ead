"""The team's screens of events, in the desk: the list with the submissions to review, the form, an event's
page with its dates, and a date's page with its registrations and what happened."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kiezwerk.core import access
from kiezwerk.core import selectors as core_selectors
from kiezwerk.core.forms import add_errors
from kiezwerk.core.intake import photos as intake_photos
from kiezwerk.core.lists import paginate
from kiezwerk.desk.rules import can_use_desk, district, district_for
from kiezwerk.network.models import Organisation
from kiezwerk.projects.models import Project
from kiezwerk.projects.selectors import place_map

from .. import rules, selectors
from ..forms import AttendanceForm, DateMoveForm, EventForm, ReasonForm, ReportForm, event_initial
from ..models import Occurrence, Registration
from ..services import events as services
from ..services import registrations


def event_form(request, district, *, organisers, team, data=None, initial=None):
    serving = Organisation.objects.serving(district).order_by("name")
    return EventForm(
        data,
        request.FILES if data is not None else None,
        organisers=organisers,
        venues=serving.exclude(lat=None),
        projects=Project.objects.public().filter(district=district).order_by("-created_at")[:50],
        team=team,
        initial=initial,
    )


def form_values(form):
    """The form's values for the service, its image processed (re-encoded, no metadata); errors go on the form."""
    values = form.values()
    upload = form.cleaned_data.get("image")
    values["image"] = None
    if upload:
        try:
            values["image"] = intake_photos.photo_process(upload)
        except ValidationError as error:
            form.add_error("image", error)
            return None
    return values


def form_page(request, district, form, template, status, **context):
    return render(
        request,
        template,
        {
            "district": district,
            "form": form,
            "streets": core_selectors.street_list(district=district),
            "map_config": place_map(district=district),
            **context,
        },
        status=status,
    )


@access.requires(can_use_desk, load=district)
@require_GET
def team_list(request, slug):
    the_district = district_for(request.user, slug)
    waiting = selectors.to_review(district=the_district)
    page, query = paginate(request, selectors.team_events(district=the_district), 25)
    context = {"district": the_district, "waiting": waiting, "page": page, "query": query}
    return render(request, "events/team_list.html", context)


@access.requires(can_use_desk, load=district)
@require_http_methods(["GET", "POST"])
def event_new(request, slug):
    the_district = district_for(request.user, slug)
    organisers = Organisation.objects.serving(the_district).order_by("name")
    data = request.POST if request.method == "POST" else None
    form = event_form(request, the_district, organisers=organisers, team=True, data=data)
    if form.is_valid():
        values = form_values(form)
        if values is not None:
            try:
                event = services.event_create(district=the_district, actor=request.user, **values)
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("The event has been saved."))
                return redirect("events:team-detail", pk=event.pk)
    status = 400 if form.is_bound else 200
    return form_page(request, the_district, form, "events/event_form.html", status, new=True)


STAFF = {"rule": rules.can_work_event, "load": rules.staff_event}


@access.requires(**STAFF)
@require_GET
def team_detail(request, pk):
    event = rules.event_for_staff(request.user, pk)
    context = {
        "event": event,
        "district": event.district,
        "dates": selectors.team_dates(event=event),
        "review_form": ReasonForm(prefix="review"),
        "cancel_form": ReasonForm(prefix="cancel"),
        "now": timezone.now(),
    }
    return render(request, "events/team_detail.html", context)


@access.requires(**STAFF)
@require_http_methods(["GET", "POST"])
def event_edit(request, pk):
    event = rules.event_for_staff(request.user, pk)
    the_district = event.district
    organisers = Organisation.objects.serving(the_district).order_by("name")
    data = request.POST if request.method == "POST" else None
    form = event_form(request, the_district, organisers=organisers, team=True, data=data, initial=event_initial(event))
    if form.is_valid():
        values = form_values(form)
        if values is not None:
            try:
                services.event_change(event=event, actor=request.user, **values)
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("The event has been saved."))
                return redirect("events:team-detail", pk=event.pk)
    status = 400 if form.is_bound else 200
    return form_page(request, the_district, form, "events/event_form.html", status, event=event)


@access.requires(**STAFF)
@require_POST
def event_review(request, pk):
    event = rules.event_for_staff(request.user, pk)
    form = ReasonForm(request.POST, prefix="review")
    approve = request.POST.get("decision") == "approve"
    if form.is_valid():
        try:
            services.event_review(event=event, actor=request.user, approve=approve, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("Approved: the event is public.") if approve else _("Declined; the organiser has been told.")
            )
    return redirect("events:team-detail", pk=event.pk)


@access.requires(**STAFF)
@require_POST
def event_cancel(request, pk):
    event = rules.event_for_staff(request.user, pk)
    form = ReasonForm(request.POST, prefix="cancel")
    if form.is_valid():
        try:
            services.event_cancel(event=event, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The event has been cancelled; everyone registered has been told."))
    else:
        messages.error(request, _("Please give a reason: residents read it."))
    return redirect("events:team-detail", pk=event.pk)


def _date(event, occurrence_id):
    return get_object_or_404(Occurrence.objects.select_related("event__district"), pk=occurrence_id, event=event)


@access.requires(**STAFF)
@require_GET
def date_detail(request, pk, occurrence_id):
    event = rules.event_for_staff(request.user, pk)
    return _date_page(request, event, _date(event, occurrence_id))


def _date_page(request, event, occurrence, forms=None, status=200):
    """A date's page: its people, moving and cancelling it, and after it attendance and what happened; `forms`
    holds a form that failed."""
    people = list(
        occurrence.registrations.exclude(status="cancelled").select_related("user").order_by("queued_at", "pk")
    )
    forms = forms or {}
    context = {
        "event": event,
        "district": event.district,
        "occurrence": occurrence,
        "people": people,
        "move_form": forms.get("move") or DateMoveForm(occurrence=occurrence),
        "cancel_form": forms.get("cancel") or ReasonForm(prefix="cancel"),
        "attendance_form": forms.get("attendance") or AttendanceForm(registrations=people),
        "report_form": forms.get("report") or ReportForm(occurrence=occurrence),
    }
    return render(request, "events/date.html", context, status=status)


def _date_action(request, pk, occurrence_id, name, form, call, success):
    """Run one form of a date's page: a valid form calls the service; errors re-render the page (400)."""
    event = rules.event_for_staff(request.user, pk)
    occurrence = _date(event, occurrence_id)
    if form.is_valid():
        try:
            call(occurrence)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, success)
            return redirect("events:date", pk=event.pk, occurrence_id=occurrence.pk)
    return _date_page(request, event, occurrence, forms={name: form}, status=400)


@access.requires(**STAFF)
@require_POST
def date_move(request, pk, occurrence_id):
    form = DateMoveForm(request.POST)
    return _date_action(
        request,
        pk,
        occurrence_id,
        "move",
        form,
        lambda o: services.occurrence_move(occurrence=o, actor=request.user, **form.span()),
        _("The date has been moved; everyone registered has been told."),
    )


@access.requires(**STAFF)
@require_POST
def date_cancel(request, pk, occurrence_id):
    form = ReasonForm(request.POST, prefix="cancel")
    return _date_action(
        request,
        pk,
        occurrence_id,
        "cancel",
        form,
        lambda o: services.occurrence_cancel(occurrence=o, actor=request.user, reason=form.cleaned_data["reason"]),
        _("The date has been cancelled; everyone registered has been told."),
    )


@access.requires(**STAFF)
@require_POST
def date_attendance(request, pk, occurrence_id):
    event = rules.event_for_staff(request.user, pk)
    people = list(_date(event, occurrence_id).registrations.filter(status="registered").select_related("user"))
    form = AttendanceForm(request.POST, registrations=people)
    return _date_action(
        request,
        pk,
        occurrence_id,
        "attendance",
        form,
        lambda o: registrations.attendance_mark(occurrence=o, actor=request.user, attended=form.rows()),
        _("Attendance has been saved."),
    )


@access.requires(**STAFF)
@require_POST
def date_report(request, pk, occurrence_id):
    form = ReportForm(request.POST, occurrence=_date(rules.event_for_staff(request.user, pk), occurrence_id))
    return _date_action(
        request,
        pk,
        occurrence_id,
        "report",
        form,
        lambda o: services.report_record(occurrence=o, actor=request.user, **form.values()),
        _("What happened has been recorded."),
    )


@access.requires(**STAFF)
@require_POST
def registration_cancel(request, pk):
    """The team takes someone off a date (they asked by phone); a freed place is offered to the next."""
    event = rules.event_for_staff(request.user, pk)
    number = request.POST.get("registration", "")
    found = get_object_or_404(
        Registration, pk=int(number) if number.isdigit() and len(number) < 19 else None, occurrence__event=event
    )
    registrations.cancel(registration=found, actor=request.user)
    messages.success(request, _("The registration has been cancelled."))
    return redirect(reverse("events:date", args=[event.pk, found.occurrence_id]) + "#people")
