"""What residents see of events: an event's page, registering for a date, the links from the mails, feeds, and
the week sheet to print."""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from kiezwerk.core import access
from kiezwerk.core import posters as core_posters
from kiezwerk.core.forms import add_errors
from kiezwerk.desk.rules import district_for

from .. import feeds, posters, rules, selectors
from ..forms import RegisterForm, WeekSheetForm
from ..jsonld import event_jsonld, script
from ..models import RegistrationStatus
from ..services import registrations


@access.public
@require_GET
def event_detail(request, slug, pk):
    event = rules.event_for_viewer(request.user, slug, pk)
    now = timezone.now()
    dates = list(event.occurrences.filter(ends_at__gt=now).order_by("starts_at", "pk")[:12])
    context = {
        "event": event,
        "district": event.district,
        "dates": dates,
        "is_staff": rules.can_work_event(request.user, event),
        "jsonld": script(event_jsonld(event, dates[0] if dates else None)) if event.is_public else "",
    }
    return render(request, "events/detail.html", context)


def _occurrence(event, occurrence_id):
    return get_object_or_404(event.occurrences.select_related("event__district"), pk=occurrence_id)


@access.public
@require_http_methods(["GET", "POST"])
def register(request, slug, pk, occurrence_id):
    """A date's registration page: a place, or its waiting list; without an account the mailed link confirms."""
    event = rules.event_for_viewer(request.user, slug, pk)
    occurrence = _occurrence(event, occurrence_id)
    form = RegisterForm(request.POST if request.method == "POST" else None, user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        try:
            made = registrations.register(
                occurrence=occurrence,
                user=request.user if request.user.is_authenticated else None,
                name=data.get("name", ""),
                email=data.get("email", ""),
                language=translation.get_language(),
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _registered_message(made))
            return redirect(event)
    problem = ""
    try:
        registrations.open_check(occurrence, timezone.now())
    except ValidationError as error:
        problem = " ".join(error.messages)
    context = {"event": event, "district": event.district, "occurrence": occurrence, "form": form, "problem": problem}
    return render(request, "events/register.html", context, status=400 if form.is_bound else 200)


def _registered_message(registration):
    if registration.status == RegistrationStatus.UNCONFIRMED:
        return _(
            "Thank you! We have sent you an e-mail. Please confirm your registration with the link in it; "
            "only then is a place kept for you."
        )
    if registration.status == RegistrationStatus.REGISTERED:
        return _("Thank you! You have a place. We have sent you the details by e-mail.")
    return _("This date is full. You are on the waiting list; when a place becomes free, we offer it to you by e-mail.")


def _by_token(token):
    found = registrations.by_token(token)
    if found is None:
        raise Http404
    return found


def _link_page(request, token, action, template):
    """A mailed link's page: one button (mail scanners open links, but do not press buttons)."""
    found = _by_token(token)
    error, done = "", False
    if request.method == "POST":
        try:
            found, done = action(found, request)
        except ValidationError as problem:
            error = " ".join(problem.messages)
    occurrence = found.occurrence
    context = {
        "registration": found,
        "occurrence": occurrence,
        "event": occurrence.event,
        "error": error,
        "done": done,
        "token": token,
    }
    return render(request, template, context, status=400 if error else 200)


@access.by_secret_link
@require_http_methods(["GET", "POST"])
def registration_confirm(request, token):
    return _link_page(
        request,
        token,
        lambda found, request: registrations.confirm(registration=found),
        "events/registration_confirm.html",
    )


@access.by_secret_link
@require_http_methods(["GET", "POST"])
def registration_cancel(request, token):
    return _link_page(
        request,
        token,
        lambda found, request: registrations.cancel(registration=found),
        "events/registration_cancel.html",
    )


@access.by_secret_link
@require_http_methods(["GET", "POST"])
def registration_offer(request, token):
    def answer(found, request):
        accept = request.POST.get("answer") == "accept"
        return registrations.offer_answer(registration=found, accept=accept), True

    return _link_page(request, token, answer, "events/registration_offer.html")


def _ics(content, filename):
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@access.public
@require_GET
def event_ics(request, slug, pk):
    event = rules.event_for_viewer(request.user, slug, pk)
    if not event.is_public:
        raise Http404  # a submission waiting for approval is in no calendar file
    rows = selectors.feed_events(district=event.district, since=event.starts_at).filter(pk=event.pk)
    return _ics(feeds.calendar(rows), f"veranstaltung-{event.pk}.ics")


@access.public
@require_GET
def district_feed(request, slug):
    """The district's calendar (webcal://): every public event, the recent past included."""
    district = district_for(request.user, slug)
    events = selectors.feed_events(district=district, since=feeds.since())
    return _ics(feeds.calendar(events, name=_("Events in %(district)s") % {"district": district.name}), f"{slug}.ics")


@access.public
@require_GET
def week_sheet(request, slug):
    """The district's week as an A4 sheet for notice boards (PDF): `?week=2025-W14` (default: this week) and up to
    two further `languages`. A bad query answers 400 in plain text and renders nothing."""
    district = district_for(request.user, slug)
    form = WeekSheetForm(request.GET)
    if not form.is_valid():
        problems = " ".join(" ".join(errors) for errors in form.errors.values())
        return HttpResponseBadRequest(problems, content_type="text/plain; charset=utf-8")
    today = timezone.localdate()
    monday = form.cleaned_data["week"] or today - timedelta(days=today.weekday())
    year, week, _day = monday.isocalendar()
    document = posters.week_sheet(district, monday, form.poster_languages())
    return core_posters.pdf_response(document, core_posters.file_name("wochenplan", slug, year, f"{week:02d}"))
