import hashlib

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kiezwerk.core import access, activity, pagecache
from kiezwerk.core import selectors as core_selectors
from kiezwerk.core.intake import limits, uploads
from kiezwerk.core.lists import paginate
from kiezwerk.core.models import District

from . import mapdata, opendata, rules, selectors, services
from .forms import (
    ConcernFilterForm,
    FlagForm,
    MapDataForm,
    ReportForm,
    ReviewForm,
    SubscribeForm,
    nearby_params,
    report_initial,
)
from .models import CLOSED_STATUSES, OPEN_STATUSES, Concern

PAGE_SIZE = 20


@access.public
@require_GET
def report_start(request):
    districts = list(core_selectors.district_list())
    if len(districts) == 1:
        return redirect("concerns:report", slug=districts[0].slug)
    return render(request, "concerns/report_start.html", {"districts": districts})


@access.public
@require_http_methods(["GET", "POST"])
def report(request, slug):
    district = get_object_or_404(District, slug=slug)
    form = ReportForm(
        request.POST or None,
        request.FILES or None,
        district=district,
        uploads_refused=uploads.refused(request),
        initial=report_initial(request.GET, district),
    )
    if request.method == "POST":
        # The text and the cheap photo checks, then the limit: photos are decoded and stored only after both.
        if form.is_valid():
            try:
                limits.intake_check(rules.report_source(request.user, district), request)
                concern, token = services.concern_report(
                    reporter=request.user, language=get_language(), **form.report_kwargs()
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                request.session["reported"] = {"pk": concern.pk, "token": token}
                request.session["own"] = [*request.session.get("own", []), concern.pk][-50:]
                return redirect("concerns:report-thanks")
        form.photos_again()
    context = {
        **selectors.map_context(district=district),
        "form": form,
        "streets": core_selectors.street_list(district=district),
        "max_photos": settings.MAX_PHOTOS,
    }
    return render(request, "concerns/report.html", context, status=400 if form.errors else 200)


@access.public
@require_GET
def report_nearby(request, slug):
    """Open concerns of the same category near a place: "is it already reported?"."""
    district = get_object_or_404(District, slug=slug)
    params = nearby_params(request.GET, district)
    nearby = selectors.concern_nearby(lat=params[0], lon=params[1], category=params[2]) if params else []
    return render(request, "concerns/_nearby.html", {"nearby": nearby, "district": district})


@access.public
@require_GET
def report_thanks(request):
    reported = request.session.get("reported")
    if not reported:
        return redirect("core:home")
    concern = get_object_or_404(Concern.objects.select_related("district"), pk=reported["pk"])
    tracking_url = request.build_absolute_uri(reverse("concerns:track", args=[reported["token"]]))
    return render(request, "concerns/report_thanks.html", {"concern": concern, "tracking_url": tracking_url})


@access.by_secret_link
@require_GET
def track(request, token):
    """The reporter's secret page: visible even before review, never shows internal notes."""
    concern = services.concern_by_token(token)
    if concern is None:
        return render(request, "concerns/track_unknown.html", status=404)
    return render(request, "concerns/track.html", {**_detail_context(request, concern, tracking=True), "token": token})


def _own(request, concern, tracking=False):
    """Whether the viewer reported the concern: the secret link, their account, or the browser that sent it."""
    user = request.user
    return (
        tracking
        or (user.is_authenticated and concern.reporter_id == user.pk)
        or concern.pk in request.session.get("own", [])
    )


def _detail_context(request, concern, tracking=False):
    own = _own(request, concern, tracking)
    person = request.user.is_authenticated or request.session.session_key
    following = concern.pk in request.session.get("following", []) or (
        tracking and bool(concern.reporter_email) and concern.followers.filter(email=concern.reporter_email).exists()
    )
    return {
        "concern": concern,
        "timeline": selectors.concern_timeline(concern=concern),
        "related": selectors.concern_related_public(concern=concern),
        "photos": concern.photos.all(),
        "subscribe_form": SubscribeForm(),
        "can_moderate": rules.can_moderate_concern(request.user, concern),
        "is_staff": rules.can_work_concern(request.user, concern),
        "tracking": tracking,
        "own": own,
        "following": following,
        # Per concern and person: this person's support of this concern, never of another.
        "supported": bool(person)
        and not own
        and concern.supports.filter(fingerprint=_fingerprint(request, create=False)).exists(),
    }


@access.public
@require_GET
def concern_detail(request, pk):
    def page():
        concern = rules.concern_for_viewer(request.user, pk)
        return render(request, "concerns/concern_detail.html", _detail_context(request, concern))

    # Shared while the district's data stay the same: hiding a concern changes them, so its page goes too.
    version = core_selectors.district_version(selectors.concern_district_slug(pk))
    return pagecache.serve(request, "concern:{}:{}:{}".format(pk, *version), page) if version else page()


def _fingerprint(request, create=True):
    """One supporter per account, or per browser session for anonymous residents."""
    if request.user.is_authenticated:
        source = f"user:{request.user.pk}"
    else:
        if not request.session.session_key and create:
            request.session.save()
        source = f"session:{request.session.session_key}"
    return hashlib.sha256(source.encode()).hexdigest()


@access.public
@require_POST
def concern_support(request, pk):
    concern = rules.concern_for_viewer(request.user, pk)
    fingerprint = _fingerprint(request)
    try:
        limits.intake_check("support", request)
        added = services.concern_support(
            concern=concern, fingerprint=fingerprint, user=request.user, own=_own(request, concern)
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if added:
            messages.success(request, _("Thank you: your support has been counted."))
        else:
            messages.info(request, _("You already support this concern."))
    if request.htmx:
        return render(request, "concerns/_support.html", {**_detail_context(request, concern), "announce": True})
    return redirect(concern)


def _subscribe(request, concern, *, back, template, tracking=False, **context):
    """Follow `concern` by e-mail from its page; an error shows the same page (`template`) with the form."""
    form = SubscribeForm(request.POST)
    if form.is_valid():
        try:
            limits.intake_check("follow", request)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            activity.follow(target=concern, email=form.cleaned_data["email"], language=get_language())
            request.session["following"] = [*request.session.get("following", []), concern.pk][-50:]
            messages.success(request, _("Almost done: please confirm with the link we have sent you by e-mail."))
            return redirect(back)
    context = {**_detail_context(request, concern, tracking=tracking), **context, "subscribe_form": form}
    return render(request, template, context, status=400)


@access.public
@require_POST
def concern_subscribe(request, pk):
    concern = rules.concern_for_viewer(request.user, pk)
    return _subscribe(request, concern, back=concern.get_absolute_url(), template="concerns/concern_detail.html")


@access.by_secret_link
@require_POST
def track_subscribe(request, token):
    """Follow from the tracking page: an error keeps the tracking page, success returns to it."""
    concern = services.concern_by_token(token)
    if concern is None:
        return render(request, "concerns/track_unknown.html", status=404)
    if not concern.is_public:
        raise Http404  # the form is offered for published concerns only, as on the public page
    back = reverse("concerns:track", args=[token])
    return _subscribe(request, concern, back=back, template="concerns/track.html", tracking=True, token=token)


@access.requires(rules.can_moderate_concern, load=rules.visible_concern)
@require_POST
def concern_review(request, pk):
    concern = rules.concern_for_viewer(request.user, pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        raise PermissionDenied
    try:
        services.concern_review(concern=concern, actor=request.user, publish=form.cleaned_data["publish"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The review has been saved."))
    return redirect(concern)


@access.public
@require_GET
def district_map(request, slug):
    def page():
        district = get_object_or_404(District, slug=slug)
        base = selectors.map_context(district=district)
        layers = selectors.district_map_layers(district=district)
        context = {
            **base,
            "map_config": {**base["map_config"], "layers": layers},
            "map_layers": layers,
            "sections": selectors.district_sections(district=district),
            "figures": selectors.district_figures(district=district),
            "filter_form": ConcernFilterForm(district=district),
            "legend": ((_("Open"), OPEN_STATUSES), (_("Closed"), CLOSED_STATUSES)),
            "recent_days": settings.MAP_RECENT_DAYS,
        }
        return render(request, "concerns/district_map.html", context)

    return pagecache.serve_district(request, slug, "district", page)


@access.public
@require_GET
def map_data(request, slug):
    """The district map's concerns in one viewport (GeoJSON; clusters when there are many)."""
    district = get_object_or_404(
        District.objects.only("pk", "data_version", "min_lat", "max_lat", "min_lon", "max_lon"), slug=slug
    )
    form = MapDataForm(request.GET, district=district)
    if not form.is_valid():
        errors = [message for messages in form.errors.values() for message in messages]
        return JsonResponse({"errors": errors}, status=400)
    data = mapdata.map_data(district=district, **form.viewport())
    response = HttpResponse(data, content_type="application/geo+json")
    response["Cache-Control"] = "public, max-age=60"
    return response


@access.public
@require_GET
def concern_list(request, slug):
    def page():
        district = get_object_or_404(District, slug=slug)
        filter_form = ConcernFilterForm(request.GET or None, district=district)
        concerns = selectors.concern_list_public(district=district, **filter_form.filters())
        rows, query = paginate(request, concerns, PAGE_SIZE)
        context = {"district": district, "filter_form": filter_form, "page": rows, "query": query}
        return render(request, "concerns/concern_list.html", context)

    return pagecache.serve_district(request, slug, "district", page)


@access.public
@require_GET
def open_data_geojson(request, slug):
    return _open_data(request, slug, ".geojson", content_type="application/geo+json")


@access.public
@require_GET
def open_data_csv(request, slug):
    response = _open_data(request, slug, ".csv", content_type="text/csv; charset=utf-8", as_attachment=True)
    licence, licence_url = settings.OPEN_DATA_LICENCE
    response["Link"] = f'<{licence_url}>; rel="license"; title="{licence}"'
    return response


def _open_data(request, slug, suffix, **file_kwargs):
    """A district's open-data file as last built by a task (`opendata`); 503 until there is one."""
    district = get_object_or_404(District.objects.only(*opendata.RECORD), slug=slug)
    if not district.open_data_name:
        return _open_data_not_built(district)
    built_at = int(district.open_data_built_at.timestamp())
    headers = {
        "ETag": opendata.etag(district),
        "Last-Modified": http_date(built_at),
        "Cache-Control": "public, max-age=300",
        "Access-Control-Allow-Origin": "*",
    }
    response = get_conditional_response(request, etag=headers["ETag"], last_modified=built_at)
    if response is None:
        file = opendata.file_open(district, suffix)
        if file is None:  # gone since the build (a restored backup): built again by the task
            return _open_data_not_built(district)
        response = FileResponse(file, filename=f"kiezwerk-{district.slug}-concerns{suffix}", **file_kwargs)
    for header, value in headers.items():
        response[header] = value
    return response


def _open_data_not_built(district):
    opendata.build_requested(district.pk)
    text = _("The open data of this district are being prepared. Please try again in a minute.")
    headers = {"Retry-After": "60", "Cache-Control": "no-store", "Access-Control-Allow-Origin": "*"}
    return HttpResponse(text, status=503, content_type="text/plain; charset=utf-8", headers=headers)


@access.public
@require_http_methods(["GET", "POST"])
def concern_flag(request, pk):
    """Report a published concern to the moderators: a page of its own, so the concern page stays light."""
    concern = rules.concern_for_viewer(request.user, pk)
    if not concern.is_public:
        raise Http404
    if request.method == "GET":
        return render(request, "concerns/flag.html", {"concern": concern, "form": FlagForm()})
    form = FlagForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError([message for messages in form.errors.values() for message in messages])
        limits.intake_check("flag", request)
        added = services.concern_flag(
            concern=concern, fingerprint=_fingerprint(request), user=request.user, **form.cleaned_data
        )
    except ValidationError as error:
        context = {"concern": concern, "form": form, "error": " ".join(error.messages)}
        return render(request, "concerns/flag.html", context, status=400)
    if added:
        messages.success(request, _("Thank you. The moderators will look at this concern."))
    else:
        messages.info(request, _("You have already reported this concern; the moderators will look at it."))
    return redirect(concern)
