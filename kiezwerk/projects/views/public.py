"""What residents see of projects: the district's list, a project's page with its shifts, and helping."""

import icalendar
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kiezwerk.concerns.forms import SubscribeForm
from kiezwerk.core import access, activity, pagecache
from kiezwerk.core.forms import add_errors
from kiezwerk.core.intake import limits
from kiezwerk.core.lists import paginate
from kiezwerk.desk.rules import district_for

from .. import rules, selectors
from ..forms import PublicFilterForm, SignUpForm
from ..models import SignUpStatus
from ..services import volunteers


@access.public
@require_GET
def project_list(request, slug):
    def page():
        the_district = district_for(request.user, slug)
        form = PublicFilterForm(request.GET or None)
        filters = form.cleaned_data if form.is_valid() else {}
        projects = selectors.public_list(
            district=the_district,
            status=filters.get("status") or None,
            volunteers=filters.get("volunteers", False),
            kind=filters.get("kind") or None,
        )
        rows, query = paginate(request, projects, 20)
        return render(
            request,
            "projects/list.html",
            {"district": the_district, "form": form, "page": rows, "query": query},
            status=200 if not form.is_bound or form.is_valid() else 400,
        )

    return pagecache.serve_district(request, slug, "projects", page)


@access.public
@require_GET
def project_map(request, slug):
    """The district map's layer of actions (GeoJSON): public projects with a place, no volunteer data."""
    data = selectors.map_geojson(slug=slug)
    if data is None:
        raise Http404
    response = HttpResponse(data, content_type="application/geo+json")
    response["Cache-Control"] = "public, max-age=60"
    return response


FOLLOWING = "following_projects"  # the session's projects this browser asked to follow


def _detail(request, project, *, follow_form=None, status=200):
    """The public page; `follow_form` is a follow that failed."""
    page = selectors.public_page(project=project)
    context = {
        "project": project,
        "district": project.district,
        "is_staff": rules.can_work_project(request.user, project),
        "follow_form": follow_form or SubscribeForm(),
        "following": project.pk in request.session.get(FOLLOWING, []),
        **page,
    }
    return render(request, "projects/detail.html", context, status=status)


@access.public
@require_GET
def project_detail(request, slug, pk):
    return pagecache.serve_district(
        request, slug, f"project:{pk}", lambda: _detail(request, rules.project_for_viewer(request.user, slug, pk))
    )


@access.public
@require_http_methods(["GET", "POST"])
def signup(request, slug, pk, shift_id):
    """ "Mitmachen": one shift's sign-up page, for a place or its waiting list; without an account the mailed
    link confirms. Its own page, so the project page stays light however many shifts it has."""
    project = rules.project_for_viewer(request.user, slug, pk)
    shift = rules.shift_of(project, shift_id)
    form = SignUpForm(request.POST if request.method == "POST" else None, user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        try:
            made = volunteers.signup_create(
                shift=shift,
                user=request.user if request.user.is_authenticated else None,
                name=data.get("name", ""),
                email=data.get("email", ""),
                phone=data.get("phone", ""),
                language=translation.get_language(),
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _signed_up_message(made))
            return redirect(f"{project.get_absolute_url()}#shift-{shift.pk}")
    context = {
        "project": project,
        "district": project.district,
        "shift": shift,
        "form": form,
    }
    return render(request, "projects/signup.html", context, status=400 if form.is_bound else 200)


@access.public
@require_POST
def follow(request, slug, pk):
    """Follow a public project by e-mail (double opt-in): news and status changes come by mail."""
    project = rules.project_for_viewer(request.user, slug, pk)
    if not project.is_public:
        raise Http404  # the team sees its internal projects, but nothing of them is ever mailed
    form = SubscribeForm(request.POST)
    if form.is_valid():
        try:
            limits.intake_check("follow", request)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            activity.follow(target=project, email=form.cleaned_data["email"], language=translation.get_language())
            request.session[FOLLOWING] = [*request.session.get(FOLLOWING, []), project.pk][-50:]
            messages.success(request, _("Almost done: please confirm with the link we have sent you by e-mail."))
            return redirect(project)
    return _detail(request, project, follow_form=form, status=400)


def _signed_up_message(signup):
    if signup.status == SignUpStatus.UNCONFIRMED:
        return _(
            "Thank you! We have sent you an e-mail. Please confirm your sign-up with the link in it; "
            "only then is a place kept for you."
        )
    if signup.status == SignUpStatus.REGISTERED:
        return _("Thank you! You have a place. We have sent you the details by e-mail.")
    return _(
        "This shift is full. You are on the waiting list and will move up automatically when a place becomes "
        "free; we will tell you by e-mail."
    )


@access.public
@require_GET
def shift_ics(request, slug, pk, shift_id):
    """The shift as a calendar file (RFC 5545), built with icalendar."""
    project = rules.project_for_viewer(request.user, slug, pk)
    shift = rules.shift_of(project, shift_id)
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Kiezwerk//Projekte//DE")
    calendar.add("version", "2.0")
    event = icalendar.Event()
    event.add("uid", f"shift-{shift.pk}@{request.get_host().split(':')[0]}")
    event.add("dtstamp", project.updated_at)
    event.add("dtstart", shift.starts_at)
    event.add("dtend", shift.ends_at)
    event.add("summary", project.title)
    event.add("location", shift.place)
    description = [project.goal]
    if shift.bring:
        description.append(_("Please bring: %(things)s") % {"things": shift.bring})
    description.append(settings.SITE_URL + project.get_absolute_url())
    event.add("description", "\n".join(description))
    event.add("url", settings.SITE_URL + project.get_absolute_url())
    calendar.add_component(event)
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="schicht-{shift.pk}.ics"'
    return response


def _signup_or_404(token):
    found = volunteers.signup_by_token(token)
    if found is None:
        raise Http404
    return found


@access.by_secret_link
@require_http_methods(["GET", "POST"])
def signup_confirm(request, token):
    """The link from the mail: a page with one button (mail scanners open links, but do not press buttons)."""
    found = _signup_or_404(token)
    error = ""
    if request.method == "POST":
        try:
            found, _changed = volunteers.signup_confirm(signup=found)
        except ValidationError as problem:
            error = " ".join(problem.messages)
    return render(
        request,
        "projects/signup_confirm.html",
        {"signup": found, "shift": found.shift, "project": found.shift.project, "error": error, "token": token},
        status=400 if error else 200,
    )


@access.by_secret_link
@require_http_methods(["GET", "POST"])
def signup_cancel(request, token):
    """Cancel by the link from any mail: a page with one button; a second use says it is already cancelled."""
    found = _signup_or_404(token)
    error, done = "", False
    if request.method == "POST":
        try:
            found, done = volunteers.signup_cancel(signup=found)
        except ValidationError as problem:
            error = " ".join(problem.messages)
    return render(
        request,
        "projects/signup_cancel.html",
        {
            "signup": found,
            "shift": found.shift,
            "project": found.shift.project,
            "error": error,
            "done": done,
            "token": token,
        },
        status=400 if error else 200,
    )
