"""What residents see of events: the calendar, an event's page, registering for a date, the links from the mails,
feeds, the map layer, and the week sheet to print."""

import json
from datetime import date, timedelta
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dates import WEEKDAYS, WEEKDAYS_ABBR
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from kiezwerk.core import access, pagecache
from kiezwerk.core import posters as core_posters
from kiezwerk.core import selectors as core_selectors
from kiezwerk.core.forms import ViewportForm, add_errors
from kiezwerk.core.lists import paginate
from kiezwerk.desk.rules import district_for

from .. import feeds, posters, rules, selectors
from ..forms import CalendarForm, RegisterForm, WeekSheetForm
from ..jsonld import event_jsonld, script
from ..models import RegistrationStatus, Topic
from ..services import registrations


@access.public
@require_GET
def calendar(request, slug):
    """The calendar: a list of dates from today (default) or a month's grid; filters as GET parameters."""

    def page():
        district = district_for(request.user, slug)
        form = CalendarForm(request.GET or None, organisers=selectors.organisers(district=district))
        valid = form.is_valid() if form.is_bound else True
        data = form.cleaned_data if form.is_bound and valid else {}
        filters = {name: data.get(name) or "" for name in ("topic", "organiser", "language")}
        filters |= {"free": data.get("free", False), "step_free": data.get("step_free", False)}
        today = timezone.localdate()
        feed = feed_links(request, district, topic=filters["topic"], organiser=filters["organiser"])
        context = {"district": district, "form": form, "today": today, "feed": feed}
        if data.get("month") or request.GET.get("view") == "month":
            year, month = map(int, (data.get("month") or f"{today:%Y-%m}").split("-"))
            first = date(year, month, 1)
            following = (first + timedelta(days=32)).replace(day=1)
            dates = selectors.month_dates(
                district=district,
                start=selectors.local_midnight(first),
                end=selectors.local_midnight(following),
                **filters,
            )
            context |= {
                "view": "month",
                "month": first,
                "weeks": selectors.month_weeks(year, month, dates),
                "weekdays": [(WEEKDAYS_ABBR[n], WEEKDAYS[n]) for n in range(7)],
                "previous": (first - timedelta(days=1)).strftime("%Y-%m"),
                "next": following.strftime("%Y-%m"),
                "query": _query(request, drop=("month", "view", "page")),
            }
        else:
            start, end = selectors.local_midnight(data.get("start") or today), None
            if data.get("when") == "today":
                end = selectors.local_midnight(today + timedelta(days=1))
            elif data.get("when") == "week":
                start, end = selectors.week_span(today)
            if data.get("end"):
                end = selectors.local_midnight(data["end"] + timedelta(days=1))
            dates = selectors.public_dates(district=district, start=start, end=end, **filters)
            rows, query = paginate(request, dates, 25)
            for occurrence in rows:
                occurrence.day = timezone.localdate(occurrence.starts_at)  # the day heading, in Berlin
            context |= {"view": "list", "page": rows, "query": query, "month_query": _query(request, drop=("page",))}
        return render(request, "events/calendar.html", context, status=200 if valid else 400)

    # The list starts today: the day is part of its version.
    return pagecache.serve_district(request, slug, f"events:{timezone.localdate()}", page)


def _query(request, drop=()):
    query = request.GET.copy()
    for name in drop:
        query.pop(name, None)
    return query.urlencode()


def feed_links(request, district, **selection):
    """A feed as a webcal:// link (calendar apps subscribe to it) and as a plain link (to download); the
    district's, or an organiser's or topic's (`selection`)."""
    query = urlencode({name: value for name, value in selection.items() if value})
    path = reverse("events:feed", args=[district.slug]) + (f"?{query}" if query else "")
    return {"webcal": "webcal://" + request.get_host() + path, "http": path}


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
        "organiser_feed": feed_links(request, event.district, organiser=event.organiser_id or selectors.TEAM),
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
    """The district's calendar (webcal://): every public event, the recent past included; `?organiser=` and
    `?topic=` give an organiser's or a topic's feed."""
    district = district_for(request.user, slug)
    form = CalendarForm(request.GET, organisers=selectors.organisers(district=district))
    if not form.is_valid():
        return HttpResponse(_("This calendar does not exist."), status=400, content_type="text/plain; charset=utf-8")
    topic, organiser = form.cleaned_data["topic"], form.cleaned_data["organiser"]
    # Building a district's feed takes seconds: it is kept per data version (any public change builds it anew).
    day, language = timezone.localdate(), translation.get_language()
    key = f"events-feed:{district.pk}:{district.data_version}:{day}:{language}:{organiser}:{topic}"

    def build():
        events = selectors.feed_events(district=district, since=feeds.since(), organiser=organiser, topic=topic)
        parts = [_("Events in %(district)s") % {"district": district.name}]
        if organiser:
            parts.append(str(dict(form.fields["organiser"].choices)[organiser]))
        if topic:
            parts.append(str(Topic(topic).label))
        return feeds.calendar(events, name=" – ".join(parts))

    return _ics(pagecache.kept(key, build), f"{slug}.ics")


@access.public
@require_GET
def event_map(request, slug):
    """The district map's layer of events (GeoJSON) for the map's viewport: what is on in the next two weeks."""
    form = ViewportForm(request.GET)
    if not form.is_valid():
        return HttpResponse(" ".join(form.errors["bbox"]), status=400, content_type="text/plain; charset=utf-8")
    version = core_selectors.district_version(slug)
    if version is None:
        raise Http404
    key = "event-map:{}:{}:{}:{}:{}".format(
        *version, timezone.localdate(), translation.get_language(), form.data.get("bbox", "")
    )

    def build():
        features = selectors.map_features(district=version[0], bbox=form.cleaned_data["bbox"])
        return json.dumps(features, ensure_ascii=False, separators=(",", ":")).encode()

    response = HttpResponse(pagecache.kept(key, build), content_type="application/geo+json")
    response["Cache-Control"] = "public, max-age=60"
    return response


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
    languages = form.poster_languages()
    # Rendering takes most of a second: the sheet is kept per data version (any public change renders it anew).
    version = core_selectors.district_version(slug)
    key = "week-sheet:{}:{}:{}:{}:{}".format(*version, monday, ",".join(languages), translation.get_language())
    document = pagecache.kept(key, lambda: posters.week_sheet(district, monday, languages))
    return core_posters.pdf_response(document, core_posters.file_name("wochenplan", slug, year, f"{week:02d}"))
