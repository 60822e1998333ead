"""The manager's desk: thin views over the desk's and the concerns' services."""

import json
from functools import wraps
from itertools import chain, islice

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kiezwerk.accounts.access import is_desk_user, is_staff_of
from kiezwerk.concerns import rules as concern_rules
from kiezwerk.concerns import selectors as concern_selectors
from kiezwerk.concerns import services as concern_services
from kiezwerk.concerns.models import Concern
from kiezwerk.core import access, activity, outbox
from kiezwerk.core import posters as core_posters
from kiezwerk.core import privacy as personal_data
from kiezwerk.core import selectors as core_selectors
from kiezwerk.core import services as core_services
from kiezwerk.core.csv import csv_lines
from kiezwerk.core.intake import limits, uploads
from kiezwerk.core.lists import paginate
from kiezwerk.core.models import MailStatus

from . import forms, posters, rules, selectors, services, shell
from .models import FieldNote, ReplyTemplate, StreetContact

PAGE_SIZE = 25
# The street round's offline queue sends forms with this header and reads a JSON answer.
QUEUE_HEADER = "X-Capture-Queue"
OWNER_HEADER = "X-Capture-Owner"  # the account that made a queued entry


def _staff_districts(user):
    return [d for d in core_selectors.district_list() if is_staff_of(user, d)]


@access.requires(is_desk_user)
@require_GET
def home(request):
    districts = _staff_districts(request.user)
    if len(districts) == 1:
        return redirect("desk:inbox", slug=districts[0].slug)
    return render(request, "desk/home.html", {"districts": districts})


# Inbox -------------------------------------------------------------------------------------------


@access.requires(rules.can_use_desk, load=rules.district)
@require_GET
def inbox(request, slug):
    district = rules.district_for(request.user, slug)
    filter_form = forms.InboxFilterForm(request.GET or None, district=district, user=request.user)
    concerns = selectors.inbox(district=district, **filter_form.filters())
    page, query = paginate(request, concerns, PAGE_SIZE, keys=selectors.inbox_keys)
    without_bbox = request.GET.copy()
    for key in ("bbox", "page"):
        without_bbox.pop(key, None)
    context = {
        **concern_selectors.map_context(district=district),
        "query_without_bbox": without_bbox.urlencode(),
        "points": selectors.inbox_points(concerns),
        "filter_form": filter_form,
        "page": page,
        "query": query,
        "bulk_form": forms.BulkForm(district=district),
        "saved_filters": selectors.saved_filters(user=request.user, district=district),
        "saved_filter_form": forms.SavedFilterForm(),
        "Urgency": selectors.Urgency,
    }
    return render(request, "desk/inbox.html", context)


@access.requires(rules.can_use_desk, load=rules.district)
@require_POST
def inbox_bulk(request, slug):
    district = rules.district_for(request.user, slug)
    form = forms.BulkForm(request.POST, district=district)
    back = request.POST.get("next", "")
    back = back if back.startswith(reverse("desk:inbox", args=[slug])) else reverse("desk:inbox", args=[slug])
    if form.is_valid():
        data = form.cleaned_data
        concerns = Concern.objects.filter(district=district, pk__in=data["concerns"]).order_by("pk")
        if len(concerns) != len(set(data["concerns"])):
            messages.error(request, _("Some of the selected concerns are not in this district. Nothing was changed."))
            return redirect(back)
        try:
            count = services.concerns_bulk_change(
                district=district,
                actor=request.user,
                concerns=concerns,
                action=data["action"],
                assignee=data["assignee"],
                status=data["status"],
                category=data["category"],
                text=data["text"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, ngettext("%(count)s concern changed.", "%(count)s concerns changed.", count) % {"count": count}
            )
    else:
        messages.error(request, " ".join(" ".join(errors) for errors in form.errors.values()))
    return redirect(back)


@access.requires(rules.can_use_desk, load=rules.district)
@require_POST
def filter_save(request, slug):
    district = rules.district_for(request.user, slug)
    form = forms.SavedFilterForm(request.POST)
    if form.is_valid():
        query = request.POST.get("query", "")
        services.saved_filter_save(user=request.user, district=district, name=form.cleaned_data["name"], query=query)
        messages.success(request, _("The filter has been saved."))
        return redirect(reverse("desk:inbox", args=[slug]) + (f"?{query}" if query else ""))
    messages.error(request, _("Please give the filter a name."))
    return redirect("desk:inbox", slug=slug)


@access.requires(rules.can_use_desk, load=rules.district)
@require_POST
def filter_delete(request, slug, filter_id):
    district = rules.district_for(request.user, slug)
    selectors.saved_filters(user=request.user, district=district).filter(pk=filter_id).delete()
    messages.success(request, _("The filter has been deleted."))
    return redirect("desk:inbox", slug=slug)


# Today -------------------------------------------------------------------------------------------


@access.requires(rules.can_use_desk, load=rules.district)
@require_GET
def today(request, slug):
    district = rules.district_for(request.user, slug)
    day = timezone.localdate()
    context = {
        "district": district,
        "today": day,
        "figures": selectors.street_contact_figures(district=district),
        "sections": shell.today_sections(district, day),
        **selectors.today_view(district=district, today=day),
    }
    return render(request, "desk/today.html", context)


@access.requires(rules.can_use_desk, load=rules.district)
@require_POST
def note_follow_up(request, slug, note_id):
    district = rules.district_for(request.user, slug)
    note = get_object_or_404(FieldNote, pk=note_id, district=district)
    form = forms.NoteFollowUpForm(request.POST)
    if form.is_valid():
        services.field_note_follow_up(
            note=note, actor=request.user, on=form.cleaned_data["on"], done=form.cleaned_data["done"]
        )
        messages.success(request, _("The follow-up has been saved."))
    else:
        messages.error(request, _("Please enter a valid date."))
    return redirect("desk:today", slug=slug)


# Concern workspace -------------------------------------------------------------------------------


def _workspace(request, concern, bound=None, status=200):
    """The workspace page; `bound` replaces the empty form of the action that failed."""
    district = concern.district
    context = {
        "concern": concern,
        "district": district,
        "reply_form": forms.ReplyForm(concern=concern),
        "assign_form": forms.AssignForm(district=district, initial={"assignee": concern.assignee_id}),
        "category_form": forms.CategoryForm(district=district, initial={"category": concern.category_id}),
        "follow_up_form": forms.FollowUpForm(initial={"on": concern.follow_up_on}),
        "place_form": forms.PlaceForm(initial=forms.PlaceForm.initial_for(concern)),
        "language_form": forms.LanguageForm(initial={"language": concern.language}),
        "streets": core_selectors.street_list(district=district),
        "duplicate_form": forms.DuplicateForm(),
        "redact_form": forms.RedactForm(initial={"field": "description", "text": concern.description}),
        "photo_redact_form": forms.PhotoRedactForm(),
        "can_moderate": concern_rules.can_moderate_concern(request.user, concern),
        "audit": selectors.audit_lines(selectors.concern_audit(concern=concern)[:30], viewer=request.user),
        "flags": list(activity.flags_open(concern)),
        **selectors.workspace(concern=concern),
        **(bound or {}),
    }
    return render(request, "desk/concern.html", context, status=status)


@access.requires(concern_rules.can_work_concern, load=concern_rules.staff_concern)
@require_GET
def concern(request, pk):
    return _workspace(request, concern_rules.concern_for_staff(request.user, pk))


def _act(request, concern, name, form, call, success):
    """Run one workspace action: a valid form calls the service; errors re-render the workspace."""
    if form.is_valid():
        try:
            call(form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, success)
            return redirect("desk:concern", pk=concern.pk)
    return _workspace(request, concern, {name: form, "failed": name}, status=400)


@access.requires(concern_rules.can_work_concern, load=concern_rules.staff_concern)
@require_POST
def concern_reply(request, pk):
    concern = concern_rules.concern_for_staff(request.user, pk)
    form = forms.ReplyForm(request.POST, concern=concern)

    def call(data):
        concern_services.concern_reply(concern=concern, actor=request.user, **form.reply_kwargs())

    is_note = request.POST.get("action") == forms.ReplyForm.NOTE
    return _act(request, concern, "reply_form", form, call, _("Note saved.") if is_note else _("Reply published."))


@access.requires(concern_rules.can_work_concern, load=concern_rules.staff_concern)
@require_POST
def concern_review_dismiss(request, pk):
    """The team checked a partner's "solved" and keeps working on the concern."""
    concern = concern_rules.concern_for_staff(request.user, pk)
    try:
        concern_services.concern_review_dismiss(concern=concern, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The concern stays open; the partner's report is kept in the timeline."))
    return redirect("desk:concern", pk=concern.pk)


@access.requires(concern_rules.can_work_concern, load=concern_rules.staff_concern)
@require_POST
def concern_assign(request, pk):
    concern = concern_rules.concern_for_staff(request.user, pk)
    form = forms.AssignForm(request.POST, district=concern.district)

    def call(data):
        concern_services.concern_assign(concern=concern, actor=request.user, assignee=data["assignee"])

    return _act(request, concern, "assign_form", form, call, _("Assignment saved."))


@access.requires(concern_rules.can_work_concern, load=concern_rules.staff_concern)
@require_POST
def concern_categorise(request, pk):
    concern = concern_rules.concern_for_staff(request.user, pk)
    form = forms.CategoryForm(request.POST, district=concern.district)

    def call(data):
        concern_services.concern_categorise(concern=concern, actor=request.user, category=data["category"])

    return _act(request, concern, "category_form", form, call, _("Category changed."))


@access.requires(concern_rules.can_work_concern, load=concern_rules.staff_concern)
@require_POST
def concern_follow_up(request, pk):
    concern = concern_rules.concern_for_staff(request.user, pk)
    form = forms.FollowUpForm(request.POST)

    def call(data):
        concern_services.concern_follow_up(concern=concern, actor=request.user, on=data["on"])

    return _act(request, concern, "follow_up_form", form, call, _("Follow-up saved."))


@access.requires(concern_rules.can_work_concern, load=concern_rules.staff_concern)
@require_POST
def concern_place(request, pk):
    concern = concern_rules.concern_for_staff(request.user, pk)
    form = forms.PlaceForm(request.POST)

    def call(data):
        concern_services.concern_place_correct(concern=concern, actor=request.user, **data)

    return _act(request, concern, "place_form", form, call, _("The address has been corrected."))


@access.requires(concern_rules.can_work_concern, load=concern_rules.staff_concern)
@require_POST
def concern_language(request, pk):
    concern = concern_rules.concern_for_staff(request.user, pk)
    form = forms.LanguageForm(request.POST)

    def call(data):
        concern_services.concern_language_set(concern=concern, actor=request.user, **data)

    return _act(request, concern, "language_form", form, call, _("The language of the text has been corrected."))


@access.requires(concern_rules.can_work_concern, load=concern_rules.staff_concern)
@require_POST
def concern_duplicate(request, pk):
    concern = concern_rules.concern_for_staff(request.user, pk)
    form = forms.DuplicateForm(request.POST)

    def call(data):
        original = Concern.objects.filter(pk=data["original"], district=concern.district).first()
        if original is None:
            raise ValidationError(
                _("There is no concern no. %(number)s in this district."),
                code="original",
                params={"number": data["original"]},
            )
        concern_services.concern_mark_duplicate(
            concern=concern, actor=request.user, original=original, text=data["text"]
        )

    return _act(request, concern, "duplicate_form", form, call, _("Marked as duplicate; the resident has been told."))


@access.requires(concern_rules.can_moderate_concern, load=concern_rules.staff_concern)
@require_POST
def concern_redact(request, pk):
    concern = concern_rules.concern_for_staff(request.user, pk)
    form = forms.RedactForm(request.POST)

    def call(data):
        concern_services.concern_redact(concern=concern, actor=request.user, **data)

    return _act(request, concern, "redact_form", form, call, _("Text redacted; the original is kept for the team."))


@access.requires(concern_rules.can_moderate_concern, load=concern_rules.staff_concern)
@require_POST
def photo_redact(request, pk, photo_id):
    concern = concern_rules.concern_for_staff(request.user, pk)
    photo = get_object_or_404(concern.photos, pk=photo_id)
    form = forms.PhotoRedactForm(request.POST)

    def call(data):
        concern_services.photo_redact(photo=photo, actor=request.user, reason=data["reason"])

    return _act(
        request, concern, "photo_redact_form", form, call, _("Photo blurred; the original is kept for the team.")
    )


@access.requires(concern_rules.can_work_concern, load=concern_rules.staff_concern)
@require_GET
def photo_original(request, pk, photo_id):
    """The original of a redacted photo, for the district's staff only (never cached, as every staff page)."""
    concern = concern_rules.concern_for_staff(request.user, pk)
    photo = get_object_or_404(concern.photos.exclude(original=""), pk=photo_id)
    return FileResponse(photo.original.open("rb"), content_type="image/jpeg")


# Street round and intake -----------------------------------------------------------------------


def _queued(request):
    return request.headers.get(QUEUE_HEADER) == "1"


def _own_queue(view):
    """Refuse a queued entry made under another account (a shared phone): 403, and the phone keeps it."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        owner = request.headers.get(OWNER_HEADER)
        if _queued(request) and owner and owner != str(request.user.pk):
            return JsonResponse({"errors": {"__all__": ["owner"]}}, status=403)
        return view(request, *args, **kwargs)

    return wrapped


def _captured(request, row, created, message, back):
    """Answer a captured form: JSON for the offline queue, a redirect otherwise."""
    if _queued(request):
        return JsonResponse({"created": created, "id": row.pk}, status=201 if created else 200)
    messages.success(request, message if created else _("This was already received; nothing was added."))
    return redirect(back)


def _capture_errors(request, form, page, context):
    if _queued(request):
        return JsonResponse({"errors": {k: [str(m) for m in v] for k, v in form.errors.items()}}, status=400)
    return render(request, page, context, status=400)


def _round_context(request, district, **bound):
    return {
        "district": district,
        "concern_form": forms.CaptureConcernForm(district=district, initial={"channel": "street"}),
        "contact_form": forms.StreetContactForm(district=district),
        "note_form": forms.FieldNoteForm(district=district),
        "recent": selectors.round_recent(district=district, author=request.user),
        "streets": core_selectors.street_list(district=district),
        **bound,
    }


@access.requires(rules.can_use_desk, load=rules.district)
@require_GET
def street_round(request, slug):
    district = rules.district_for(request.user, slug)
    return render(request, "desk/round.html", _round_context(request, district))


@access.requires(rules.can_use_desk, load=rules.district)
@require_http_methods(["GET", "POST"])
@_own_queue
def capture(request, slug):
    """Record a concern someone told, phoned in or brought to the office. The round page posts here too."""
    district = rules.district_for(request.user, slug)
    from_round = request.POST.get("from") == "round" or request.GET.get("from") == "round"
    form = forms.CaptureConcernForm(
        request.POST or None,
        request.FILES or None,
        district=district,
        initial={"channel": "phone"},
        uploads_refused=uploads.refused(request),
    )
    # As the public form: text and cheap photo checks, the limit, then photos decoded and stored.
    if request.method == "POST" and form.is_valid():
        try:
            limits.intake_check("round" if from_round else "capture", request)
            concern, token = concern_services.concern_report(actor=request.user, **form.report_kwargs())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            message = _("Concern no. %(number)s recorded.") % {"number": concern.pk}
            back = reverse("desk:round", args=[slug]) if from_round else reverse("desk:concern", args=[concern.pk])
            return _captured(request, concern, token is not None, message, back)
    page = "desk/round.html" if from_round else "desk/capture.html"
    context = (
        _round_context(request, district, concern_form=form, failed="concern")
        if from_round
        else {"district": district, "form": form, "streets": core_selectors.street_list(district=district)}
    )
    if request.method == "POST":
        if not _queued(request):  # the offline queue keeps the photos with the entry
            form.photos_again()
        return _capture_errors(request, form, page, context)
    return render(request, page, context)


@access.requires(rules.can_use_desk, load=rules.district)
@require_POST
@_own_queue
def contact_record(request, slug):
    district = rules.district_for(request.user, slug)
    form = forms.StreetContactForm(request.POST, district=district)
    if form.is_valid():
        try:
            limits.intake_check("round", request)
            contact, created = services.street_contact_record(
                district=district, author=request.user, **form.record_kwargs()
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _captured(
                request, contact, created, _("Street contact counted."), reverse("desk:round", args=[slug])
            )
    context = _round_context(request, district, contact_form=form, failed="contact")
    return _capture_errors(request, form, "desk/round.html", context)


@access.requires(rules.can_use_desk, load=rules.district)
@require_POST
def contact_to_concern(request, slug, contact_id):
    district = rules.district_for(request.user, slug)
    contact = get_object_or_404(StreetContact, pk=contact_id, district=district)
    try:
        concern = services.street_contact_to_concern(contact=contact, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("desk:round", slug=slug)
    messages.success(request, _("Concern no. %(number)s created from the street contact.") % {"number": concern.pk})
    return redirect("desk:concern", pk=concern.pk)


@access.requires(rules.can_use_desk, load=rules.district)
@require_POST
@_own_queue
def note_record(request, slug):
    district = rules.district_for(request.user, slug)
    form = forms.FieldNoteForm(request.POST, district=district)
    if form.is_valid():
        try:
            limits.intake_check("round", request)
            note, created = services.field_note_record(district=district, author=request.user, **form.record_kwargs())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _captured(request, note, created, _("Conversation note saved."), reverse("desk:round", args=[slug]))
    context = _round_context(request, district, note_form=form, failed="note")
    return _capture_errors(request, form, "desk/round.html", context)


@access.public  # the script holds no data; the pages it caches are the desk's own
@require_GET
def service_worker(request):
    """The street round's service worker, served from /desk/ so that it may control the desk's pages."""
    response = HttpResponse(render_to_string("desk/sw.js"), content_type="text/javascript")
    response["Service-Worker-Allowed"] = "/desk/"
    response["Cache-Control"] = "no-cache"
    return response


# Reply templates ---------------------------------------------------------------------------------


@access.requires(rules.can_use_desk, load=rules.district)
@require_http_methods(["GET", "POST"])
def templates(request, slug, template_id=None):
    district = rules.district_for(request.user, slug)
    template = get_object_or_404(ReplyTemplate, pk=template_id, district=district) if template_id else None
    form = forms.ReplyTemplateForm(request.POST or None, template=template)
    if form.is_valid():
        try:
            services.reply_template_save(district=district, actor=request.user, template=template, **form.save_kwargs())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The template has been saved."))
            return redirect("desk:templates", slug=slug)
    context = {
        "district": district,
        "form": form,
        "template": template,
        "templates": selectors.reply_templates(district=district),
    }
    return render(request, "desk/templates.html", context, status=400 if form.errors else 200)


@access.requires(rules.can_use_desk, load=rules.district)
@require_POST
def template_delete(request, slug, template_id):
    district = rules.district_for(request.user, slug)
    template = get_object_or_404(ReplyTemplate, pk=template_id, district=district)
    services.reply_template_delete(template=template, actor=request.user)
    messages.success(request, _("The template has been deleted."))
    return redirect("desk:templates", slug=slug)


# The district's welcome text ---------------------------------------------------------------------------


@access.requires(rules.can_use_desk, load=rules.district)
@require_http_methods(["GET", "POST"])
def welcome(request, slug):
    district = rules.district_for(request.user, slug)
    form = forms.WelcomeForm(request.POST or None, district=district)
    if form.is_valid():
        try:
            core_services.district_welcome_set(district=district, texts=form.texts(), actor=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The welcome text has been saved."))
            return redirect("desk:welcome", slug=slug)
    context = {"district": district, "form": form}
    return render(request, "desk/welcome.html", context, status=400 if form.errors else 200)


# Audit ---------------------------------------------------------------------------------------------

# The machine-readable columns, then the row in words (in the language of the request).
AUDIT_CSV_FIELDS = ["time", "actor", "action", "target_type", "target_id", "details", "text"]


def _audit_rows(events, *, language):
    """CSV rows of the audit events, in words in chunks (one query per kind of object named and chunk)."""
    events = events.iterator(chunk_size=2000)
    while chunk := list(islice(events, 500)):
        with translation.override(language):  # the response streams after the view has returned
            lines = selectors.audit_lines(chunk, viewer=None)  # a file has no links
        for line in lines:
            event = line.event
            yield [
                event.created_at.isoformat(timespec="seconds"),
                event.actor.email if event.actor else "",
                event.verb,
                event.target_type,
                event.target_id,
                json.dumps(event.data, ensure_ascii=False, sort_keys=True),
                line.text,
            ]


@access.requires(rules.can_use_desk, load=rules.district)
@require_GET
def audit(request, slug):
    district = rules.district_for(request.user, slug)
    form = forms.AuditFilterForm(request.GET or None)
    events = selectors.audit_list(district=district, **form.filters())
    if request.GET.get("format") == "csv":
        rows = _audit_rows(events, language=translation.get_language())
        response = StreamingHttpResponse(
            csv_lines(chain([AUDIT_CSV_FIELDS], rows)), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="kiezwerk-{district.slug}-audit.csv"'
        return response
    page, query = paginate(request, events, 50)
    context = {
        "district": district,
        "form": form,
        "page": page,
        "query": query,
        "lines": selectors.audit_lines(page, viewer=request.user),
    }
    return render(request, "desk/audit.html", context)


# Posters -----------------------------------------------------------------------------------------


@access.requires(rules.can_use_desk, load=rules.district)
@require_http_methods(["GET", "POST"])
def poster(request, slug):
    """A poster to hang up at a place: its QR code opens the report form with the place set. A form, then a PDF."""
    district = rules.district_for(request.user, slug)
    form = forms.PosterForm(request.POST if request.method == "POST" else request.GET or None, district=district)
    if form.is_valid():
        document, filename = posters.concern_poster(**form.poster_kwargs())
        return core_posters.pdf_response(document, filename)
    context = {"district": district, "form": form, "streets": core_selectors.street_list(district=district)}
    return render(request, "desk/poster.html", context, status=400 if form.errors else 200)


# Privacy -----------------------------------------------------------------------------------------


def _privacy_districts(user, district):
    """The districts a privacy request covers: every district the user is staff of."""
    return _staff_districts(user) or [district]


@access.requires(rules.can_use_desk, load=rules.district)
@require_http_methods(["GET", "POST"])
def privacy(request, slug):
    district = rules.district_for(request.user, slug)
    districts = _privacy_districts(request.user, district)
    action = request.POST.get("action", "")
    # Only POST: an address or a phone number never goes into a URL (and so into logs or the browser history).
    form = (forms.PrivacyEraseForm if action == "erase" else forms.PrivacyForm)(request.POST or None)
    context = {"district": district, "districts": districts, "form": form}
    if form.is_valid():
        person = form.person()
        if action == "export":
            export = personal_data.export(**person, districts=districts, actor=request.user)
            response = JsonResponse(export, json_dumps_params={"ensure_ascii": False, "indent": 2})
            response["Content-Disposition"] = 'attachment; filename="kiezwerk-auskunft.json"'
            return response
        if action == "erase":
            counts = personal_data.erase(**person, districts=districts, actor=request.user)
            done = "; ".join(f"{label}: {count}" for label, count in personal_data.erased_labels(counts))
            messages.success(request, _("Done: %(counts)s.") % {"counts": done or _("nothing was stored")})
            return redirect("desk:privacy", slug=slug)
        context["erase_form"] = forms.PrivacyEraseForm(initial=form.person())
    elif action == "erase" and set(form.errors) == {"confirm"}:
        context["erase_form"] = form  # the person is found again; only the confirmation is missing
    if "erase_form" in context:
        person = form.person()
        found = personal_data.find(**person, districts=districts)
        context.update(person=person, found=found, found_any=any(records for _provider, records in found))
    return render(request, "desk/privacy.html", context, status=400 if form.errors else 200)


# Mails the outbox could not deliver -------------------------------------------------------------------


@access.requires(rules.can_use_desk, load=rules.district)
@require_GET
def mail(request, slug):
    district = rules.district_for(request.user, slug)
    page, _query = paginate(request, selectors.undelivered_mails(district=district), 50)
    return render(request, "desk/mail.html", {"district": district, "page": page})


@access.requires(rules.can_use_desk, load=rules.district)
@require_POST
def mail_resend(request, slug, mail_id):
    district = rules.district_for(request.user, slug)
    mail = get_object_or_404(selectors.undelivered_mails(district=district), pk=mail_id)
    if mail.status == MailStatus.FAILED:
        outbox.resend(mail=mail, actor=request.user)
        messages.success(request, _("The e-mail to %(to)s will be sent again.") % {"to": ", ".join(mail.to)})
    else:
        messages.info(request, _("This e-mail is still being retried; nothing to do."))
    return redirect("desk:mail", slug=slug)


# Barriers reported through the accessibility statement ----------------------------------------------


def _accessibility_page(request, district, *, answering=None, form=None, status=200):
    page, _query = paginate(request, core_selectors.accessibility_feedback_list(district=district), PAGE_SIZE)
    context = {"district": district, "page": page, "answering": answering, "answer_form": form}
    return render(request, "desk/accessibility.html", context, status=status)


@access.requires(rules.can_use_desk, load=rules.district)
@require_GET
def accessibility(request, slug):
    return _accessibility_page(request, rules.district_for(request.user, slug))


@access.requires(rules.can_use_desk, load=rules.district)
@require_POST
def accessibility_answer(request, slug, pk):
    district = rules.district_for(request.user, slug)
    feedback = get_object_or_404(core_selectors.accessibility_feedback_list(district=district), pk=pk)
    form = forms.AccessibilityAnswerForm(request.POST)
    if form.is_valid():
        core_services.accessibility_feedback_answer(
            feedback=feedback, answer=form.cleaned_data["answer"], actor=request.user, district=district
        )
        if feedback.email:
            messages.success(request, _("The answer is saved and will be sent by e-mail."))
        else:
            messages.success(request, _("The answer is saved. There is no e-mail address to send it to."))
        return redirect("desk:accessibility", slug=slug)
    return _accessibility_page(request, district, answering=feedback.pk, form=form, status=400)


@access.requires(concern_rules.can_moderate_concern, load=concern_rules.staff_concern)
@require_POST
def concern_flags_resolve(request, pk):
    concern = concern_rules.concern_for_staff(request.user, pk)
    count = concern_services.concern_flags_resolve(concern=concern, actor=request.user)
    messages.success(
        request,
        ngettext("%(count)s report marked as looked at.", "%(count)s reports marked as looked at.", count)
        % {"count": count},
    )
    return redirect("desk:concern", pk=concern.pk)
