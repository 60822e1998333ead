"""The team's screens for projects: the list, a new project (from a template or concerns), and its page.

Every write goes through the services; a failed form re-renders the project page with the form's errors
and everything typed kept (status 400).
"""

import json
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kiezwerk.concerns.models import Concern
from kiezwerk.core import access
from kiezwerk.core import posters as core_posters
from kiezwerk.core import selectors as core_selectors
from kiezwerk.core.forms import PosterLanguagesForm, add_errors
from kiezwerk.core.lists import paginate
from kiezwerk.desk import shell
from kiezwerk.desk.rules import can_use_desk, district, district_for
from kiezwerk.network.models import OrganisationKind
from kiezwerk.network.services.referrals import referral_request

from .. import forms, posters, rules, selectors
from ..models import Material, ProjectPartner, SignUp, SignUpStatus, Task
from ..services import projects as services
from ..services import tasks as task_services
from ..services import volunteers


@access.requires(can_use_desk, load=district)
@require_GET
def team_list(request, slug):
    the_district = district_for(request.user, slug)
    form = forms.TeamFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    projects = selectors.team_list(
        district=the_district,
        status=filters.get("status") or None,
        kind=filters.get("kind") or None,
        search=filters.get("q", ""),
    )
    page, query = paginate(request, projects, 25)
    return render(
        request, "projects/team_list.html", {"district": the_district, "form": form, "page": page, "query": query}
    )


def _place_errors(form, district):
    """The place of a valid form checked against the district; errors go on the form. Returns the place or None."""
    try:
        lat, lon, address, area = services.place_check(district, **form.place())
    except ValidationError as error:
        add_errors(form, error)
        return None
    return {"lat": lat, "lon": lon, "address": address, "area": area}


def _concerns_initial(request, the_district):
    """The concerns a new project starts from (`?concerns=1&concerns=2` from the inbox, or `1,2`)."""
    numbers = []
    for value in request.GET.getlist("concerns"):
        numbers += [part for part in value.split(",") if part.strip().isdigit()]
    return list(Concern.objects.filter(district=the_district, pk__in=numbers).order_by("pk"))


@access.requires(can_use_desk, load=district)
@require_POST
def from_selection(request, slug):
    """The inbox's selection (posted, so no token lands in a URL) → the new-project form with those concerns."""
    numbers = [value for value in request.POST.getlist(shell.BULK_CONCERNS) if value.isdigit()]
    if not numbers:
        messages.error(request, _("Please select the concerns to make an action of."))
        return redirect("desk:inbox", slug=slug)
    return redirect(f"{reverse('projects:new', args=[slug])}?{urlencode({'concerns': ','.join(numbers)})}")


@access.requires(can_use_desk, load=district)
@require_http_methods(["GET", "POST"])
def project_new(request, slug):
    the_district = district_for(request.user, slug)
    if request.method == "POST":
        form = forms.NewProjectForm(request.POST, district=the_district)
        concerns = []
        if form.is_valid():
            concerns = list(Concern.objects.filter(pk__in=form.cleaned_data["concerns"]))
            place = _place_errors(form, the_district)
            if place is not None:
                try:
                    project = services.project_create(
                        district=the_district,
                        actor=request.user,
                        template=form.cleaned_data["template"],
                        concerns=concerns,
                        **form.values(),
                        **place,
                    )
                except ValidationError as error:
                    add_errors(form, error)
                else:
                    messages.success(request, _("The project has been created."))
                    return redirect("projects:team-detail", pk=project.pk)
        status = 400
    else:
        concerns = _concerns_initial(request, the_district)
        first = concerns[0] if concerns else None
        initial = {"concerns": ",".join(str(c.pk) for c in concerns), "responsible": str(request.user.pk)}
        if first is not None:
            initial.update(
                title=first.title,
                category=first.category_id,
                location=f"{first.lat:.6f},{first.lon:.6f}",
                goal="",
            )
        form = forms.NewProjectForm(initial=initial, district=the_district)
        status = 200
    return render(
        request,
        "projects/new.html",
        {
            "district": the_district,
            "form": form,
            "concerns": concerns,
            "streets": core_selectors.street_list(district=the_district),
            "map_config": selectors.place_map(district=the_district),
        },
        status=status,
    )


# The team's project page ---------------------------------------------------------------------------------


def _page(request, project, bound=None, status=200):
    page = selectors.team_page(project=project)
    now = timezone.now()
    registered = page["volunteers"]
    kinds = dict(OrganisationKind.choices)
    suggested = project.template.partner_kinds if project.template else []
    context = {
        "now": now,
        "today": timezone.localdate(),
        "partner_kinds": [kinds.get(kind, kind) for kind in suggested],
        "project": project,
        "district": project.district,
        "status_form": forms.StatusForm(project=project),
        "post_form": forms.PostForm(),
        "partner_form": forms.PartnerForm(district=project.district),
        "task_form": forms.TaskForm(project=project, signups=registered, partners=page["partners"]),
        "material_form": forms.MaterialForm(project=project, signups=registered, partners=page["partners"]),
        "shift_form": forms.ShiftForm(),
        "message_form": forms.MessageForm(),
        "resolve_form": forms.ResolveForm(initial={"text": services.resolution_text(project)}),
        "link_form": forms.LinkConcernsForm(),
        "request_form": forms.RequestForm(project=project),
        "outcome_form": forms.OutcomeForm(
            project=project,
            initial={
                "participants": project.participants,
                "hours": project.hours,
                "result": project.result,
                **{f"figure_{key}": value for key, value in project.figures.items()},
            },
        ),
        "open_concerns": sum(1 for c in page["concerns"] if c.is_open),
        **page,
        **(bound or {}),
    }
    return render(request, "projects/team_detail.html", context, status=status)


def _act(request, project, name, form, call, success, anchor=""):
    """Run one action of the project page: a valid form calls the service; errors re-render the page (400)."""
    if form.is_valid():
        try:
            call(form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, success)
            return redirect(f"{_url(project)}{anchor}")
    return _page(request, project, {name: form, "failed": name}, status=400)


def _url(project):
    return reverse("projects:team-detail", args=[project.pk])


def _project(request, pk):
    return rules.project_for_staff(request.user, pk)


STAFF = {"rule": rules.can_work_project, "load": rules.staff_project}


@access.requires(**STAFF)
@require_GET
def team_detail(request, pk):
    return _page(request, _project(request, pk))


@access.requires(**STAFF)
@require_http_methods(["GET", "POST"])
def project_edit(request, pk):
    project = _project(request, pk)
    if request.method == "POST":
        form = forms.ProjectForm(request.POST, district=project.district)
        if form.is_valid():
            place = _place_errors(form, project.district)
            if place is not None:
                try:
                    services.project_edit(project=project, actor=request.user, **form.values(), **place)
                except ValidationError as error:
                    add_errors(form, error)
                else:
                    messages.success(request, _("The project has been saved."))
                    return redirect("projects:team-detail", pk=project.pk)
        status = 400
    else:
        initial = {name: getattr(project, name) for name in ("title", "goal", "description", "language", "kind")}
        initial.update(
            category=project.category_id,
            starts_on=project.starts_on,
            ends_on=project.ends_on,
            responsible=str(project.responsible_id or ""),
            visibility=project.visibility,
            location=f"{project.lat:.6f},{project.lon:.6f}" if project.lat is not None else "",
            area=json.dumps(project.area) if project.area else "",
        )
        form = forms.ProjectForm(initial=initial, district=project.district)
        status = 200
    return render(
        request,
        "projects/edit.html",
        {
            "project": project,
            "district": project.district,
            "form": form,
            "streets": core_selectors.street_list(district=project.district),
            "map_config": selectors.place_map(district=project.district),
        },
        status=status,
    )


@access.requires(**STAFF)
@require_POST
def project_status(request, pk):
    project = _project(request, pk)
    form = forms.StatusForm(request.POST, project=project)

    def call(data):
        services.project_status_change(
            project=project, actor=request.user, new_status=data["status"], reason=data["reason"]
        )

    return _act(request, project, "status_form", form, call, _("The status has been changed."))


@access.requires(**STAFF)
@require_POST
def project_post(request, pk):
    project = _project(request, pk)
    form = forms.PostForm(request.POST)
    public = request.POST.get("action") == "public"

    def call(data):
        if request.POST.get("action") not in ("public", "note"):
            raise ValidationError(_("Please choose whether to publish the text or keep it internal."))
        services.project_post(project=project, actor=request.user, text=data["text"], is_public=public)

    return _act(
        request, project, "post_form", form, call, _("Update published.") if public else _("Note saved."), "#timeline"
    )


@access.requires(**STAFF)
@require_POST
def partner_add(request, pk):
    project = _project(request, pk)
    form = forms.PartnerForm(request.POST, district=project.district)

    def call(data):
        services.partner_add(project=project, actor=request.user, organisation=data["organisation"], part=data["part"])

    return _act(request, project, "partner_form", form, call, _("The partner has been added."), "#partners")


@access.requires(**STAFF)
@require_POST
def partner_remove(request, pk, partner_id):
    project = _project(request, pk)
    partner = get_object_or_404(ProjectPartner, pk=partner_id, project=project)
    services.partner_remove(partner=partner, actor=request.user)
    messages.success(request, _("The partner has been removed."))
    return redirect(f"{_url(project)}#partners")


@access.requires(**STAFF)
@require_POST
def task_add(request, pk):
    project = _project(request, pk)
    form = forms.TaskForm(request.POST, project=project, signups=selectors.registered_volunteers(project=project))

    def call(data):
        task_services.task_save(project=project, actor=request.user, **form.values())

    return _act(request, project, "task_form", form, call, _("The task has been added."), "#tasks")


@access.requires(**STAFF)
@require_POST
def task_done(request, pk, task_id):
    project = _project(request, pk)
    task = get_object_or_404(Task, pk=task_id, project=project)
    done = request.POST.get("done") == "1"
    task_services.task_done(task=task, actor=request.user, done=done)
    messages.success(request, _("The task is done.") if done else _("The task is open again."))
    return redirect(f"{_url(project)}#tasks")


@access.requires(**STAFF)
@require_POST
def task_delete(request, pk, task_id):
    project = _project(request, pk)
    task_services.task_delete(task=get_object_or_404(Task, pk=task_id, project=project), actor=request.user)
    messages.success(request, _("The task has been deleted."))
    return redirect(f"{_url(project)}#tasks")


@access.requires(**STAFF)
@require_POST
def material_add(request, pk):
    project = _project(request, pk)
    form = forms.MaterialForm(request.POST, project=project, signups=selectors.registered_volunteers(project=project))

    def call(data):
        task_services.material_save(project=project, actor=request.user, **form.values())

    return _act(request, project, "material_form", form, call, _("The material has been added."), "#materials")


@access.requires(**STAFF)
@require_http_methods(["GET", "POST"])
def material_edit(request, pk, material_id):
    """A material's own page: the project page stays light, and a failed change cannot land in "Add"."""
    project = _project(request, pk)
    material = get_object_or_404(
        Material.objects.select_related("pledged_by_signup__user"), pk=material_id, project=project
    )
    data = request.POST if request.method == "POST" else None
    form = forms.MaterialForm(
        data, project=project, signups=selectors.registered_volunteers(project=project), material=material
    )
    if form.is_valid():
        try:
            task_services.material_save(project=project, actor=request.user, material=material, **form.values())
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The material has been saved."))
            return redirect(f"{_url(project)}#materials")
    context = {"project": project, "district": project.district, "material": material, "form": form}
    return render(request, "projects/material.html", context, status=400 if form.is_bound else 200)


@access.requires(**STAFF)
@require_POST
def material_delete(request, pk, material_id):
    project = _project(request, pk)
    material = get_object_or_404(Material, pk=material_id, project=project)
    task_services.material_delete(material=material, actor=request.user)
    messages.success(request, _("The material has been deleted."))
    return redirect(f"{_url(project)}#materials")


@access.requires(**STAFF)
@require_POST
def shift_add(request, pk):
    project = _project(request, pk)
    form = forms.ShiftForm(request.POST)

    def call(data):
        volunteers.shift_save(project=project, actor=request.user, **data)

    return _act(request, project, "shift_form", form, call, _("The shift has been added."), "#shifts")


@access.requires(**STAFF)
@require_http_methods(["GET", "POST"])
def shift_edit(request, pk, shift_id):
    project = _project(request, pk)
    shift = rules.shift_of(project, shift_id)
    if request.method == "POST":
        form = forms.ShiftForm(request.POST)
        if form.is_valid():
            try:
                volunteers.shift_save(project=project, actor=request.user, shift=shift, **form.cleaned_data)
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("The shift has been saved."))
                return redirect(f"{_url(project)}#shift-{shift.pk}")
        status = 400
    else:
        form, status = None, 200
    return _shift_page(request, project, shift, form=form, status=status)


def _shift_page(request, project, shift, *, form=None, attendance=None, status=200):
    """A shift's page: its form (changing it) and its attendance form, each bound when it failed."""
    if form is None:
        fields = ("starts_at", "ends_at", "place", "bring", "capacity")
        form = forms.ShiftForm(initial={name: getattr(shift, name) for name in fields})
    if attendance is None:
        attendance = forms.AttendanceForm(signups=_shift_registered(shift))
    context = {
        "project": project,
        "district": project.district,
        "shift": shift,
        "volunteers": selectors.shift_volunteers(shift=shift),
        "form": form,
        "attendance": attendance,
    }
    return render(request, "projects/shift.html", context, status=status)


def _shift_registered(shift):
    return shift.signups.filter(status=SignUpStatus.REGISTERED).select_related("user")


@access.requires(**STAFF)
@require_POST
def shift_delete(request, pk, shift_id):
    project = _project(request, pk)
    volunteers.shift_delete(shift=rules.shift_of(project, shift_id), actor=request.user)
    messages.success(request, _("The shift has been deleted; its volunteers have been told by e-mail."))
    return redirect(f"{_url(project)}#shifts")


@access.requires(**STAFF)
@require_POST
def shift_attendance(request, pk, shift_id):
    project = _project(request, pk)
    shift = rules.shift_of(project, shift_id)
    attendance = forms.AttendanceForm(request.POST, signups=_shift_registered(shift))
    if attendance.is_valid():
        try:
            volunteers.attendance_record(shift=shift, actor=request.user, rows=attendance.rows())
        except ValidationError as error:
            add_errors(attendance, error)
        else:
            messages.success(request, _("Attendance has been saved."))
            return redirect(f"{_url(project)}#shift-{shift.pk}")
    return _shift_page(request, project, shift, attendance=attendance, status=400)


@access.requires(**STAFF)
@require_POST
def signup_cancel(request, pk):
    """The team takes a volunteer off a shift (they asked by phone); the next on the waiting list moves up.

    The shift page's table of volunteers is one form: the button pressed names the sign-up (`signup`)."""
    project = _project(request, pk)
    number = request.POST.get("signup", "")
    found = get_object_or_404(
        SignUp, pk=int(number) if number.isdigit() and len(number) < 19 else None, shift__project=project
    )
    try:
        volunteers.signup_cancel(signup=found, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The sign-up has been cancelled."))
    return redirect(reverse("projects:shift-edit", args=[project.pk, found.shift_id]) + "#volunteers")


@access.requires(**STAFF)
@require_POST
def volunteers_message(request, pk):
    project = _project(request, pk)
    form = forms.MessageForm(request.POST)

    def call(data):
        volunteers.volunteers_message(project=project, actor=request.user, **data)

    return _act(request, project, "message_form", form, call, _("The message has been sent."), "#volunteers")


@access.requires(**STAFF)
@require_POST
def request_add(request, pk):
    """Ask a partner for help through the network's referral machinery (link, reminders, escalation)."""
    project = _project(request, pk)
    form = forms.RequestForm(request.POST, project=project)

    def call(data):
        referral_request(subject=project, district=project.district, actor=request.user, **form.request())

    return _act(
        request, project, "request_form", form, call, _("The request has been sent to the partner."), "#requests"
    )


@access.requires(**STAFF)
@require_POST
def concerns_link(request, pk):
    project = _project(request, pk)
    form = forms.LinkConcernsForm(request.POST)

    def call(data):
        found = list(Concern.objects.filter(pk__in=data["numbers"]))
        missing = set(data["numbers"]) - {c.pk for c in found}
        if missing:
            raise ValidationError(
                _("There is no concern no. %(numbers)s.") % {"numbers": ", ".join(map(str, sorted(missing)))}
            )
        services.concerns_link(project=project, actor=request.user, concerns=found)

    return _act(request, project, "link_form", form, call, _("The concerns have been linked."), "#concerns")


@access.requires(**STAFF)
@require_POST
def concerns_resolve(request, pk):
    project = _project(request, pk)
    form = forms.ResolveForm(request.POST)

    def call(data):
        services.project_resolve_concerns(project=project, actor=request.user, text=data["text"])

    return _act(request, project, "resolve_form", form, call, _("The linked concerns have been resolved."), "#concerns")


@access.requires(**STAFF)
@require_POST
def outcome(request, pk):
    project = _project(request, pk)
    form = forms.OutcomeForm(request.POST, request.FILES, project=project)

    def call(data):
        services.project_outcome(
            project=project,
            actor=request.user,
            participants=data["participants"],
            hours=data["hours"],
            figures=form.figures(),
            result=data["result"],
        )
        if data["photos"]:
            services.photos_add(project=project, actor=request.user, prepared=services.photos_prepare(data["photos"]))

    return _act(request, project, "outcome_form", form, call, _("The outcome has been saved."), "#outcome")


@access.requires(**STAFF)
@require_http_methods(["GET", "POST"])
def poster(request, pk):
    """An A4 poster with a QR code to the project's public page: a form for its languages, then the PDF."""
    project = _project(request, pk)
    if request.method == "POST":
        form = PosterLanguagesForm(request.POST)
        if form.is_valid():
            try:
                document, filename = posters.project_poster(project=project, languages=form.poster_languages())
            except ValidationError as error:
                add_errors(form, error)
            else:
                return core_posters.pdf_response(document, filename)
        status = 400
    else:
        form, status = PosterLanguagesForm(), 200
    try:
        posters.poster_check(project)
    except ValidationError as error:
        problem = " ".join(error.messages)
    else:
        problem = ""
    context = {"project": project, "district": project.district, "form": form, "problem": problem}
    return render(request, "projects/poster_form.html", context, status=status)
