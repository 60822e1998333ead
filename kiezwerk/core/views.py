from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language, get_language_bidi
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.i18n import set_language

from . import access, activity, selectors, services
from .forms import AccessibilityFeedbackForm, local_page
from .intake import limits
from .models import Follower

BRAND_COLOUR = "#0b5c4a"  # the stylesheet's --brand (a test keeps them equal)


@access.public
@require_GET
def home(request):
    return render(request, "core/home.html", {"districts": selectors.district_list()})


@access.public
@require_GET
def privacy(request):
    return render(request, "core/privacy.html", {"operator": settings, "legal": selectors.legal_text("privacy")})


@access.public
@require_GET
def imprint(request):
    return render(request, "core/imprint.html", {"operator": settings, "legal": selectors.legal_text("imprint")})


@access.public
@require_http_methods(["GET", "POST"])
def accessibility(request):
    """The accessibility statement with its feedback form: a barrier is stored, mailed and answered."""
    if request.method == "POST":
        form = AccessibilityFeedbackForm(request.POST)
        if form.is_valid():
            try:
                limits.intake_check("accessibility", request)
                services.accessibility_feedback_submit(**form.cleaned_data, language=get_language())
            except ValidationError as error:
                form.add_error(None, error)
            else:
                request.session["accessibility_answer"] = bool(form.cleaned_data["email"])
                return redirect("core:accessibility-thanks")
    else:
        form = AccessibilityFeedbackForm(initial={"page": local_page(request.GET.get("page"))})
    context = {
        "operator": settings,
        "prepared_on": settings.ACCESSIBILITY_STATEMENT_DATE,
        "reviewed_on": settings.ACCESSIBILITY_REVIEWED_ON,
        "form": form,
    }
    return render(request, "core/accessibility.html", context, status=400 if form.errors else 200)


@access.public
@require_GET
def accessibility_thanks(request):
    answer = request.session.pop("accessibility_answer", None)
    if answer is None:
        return redirect("core:accessibility")
    return render(request, "core/accessibility_thanks.html", {"answer": answer})


@access.public
@require_GET
def easy_read(request):
    """Kiezwerk in Leichte Sprache: German by definition, whatever the interface language."""
    return render(request, "core/leichte_sprache.html", {"operator": settings})


@access.public
@require_POST
def language_set(request):
    """Django's language switch (a cookie, back to the page); a signed-in person's choice is also kept on
    their account (`language`), for their next device and for the mails they get."""
    response = set_language(request)
    code = request.POST.get("language", "")
    if request.user.is_authenticated and code in dict(settings.LANGUAGES):
        get_user_model().objects.filter(pk=request.user.pk).update(language=code)
    return response


@access.public
@never_cache
@require_GET
def healthz(request):
    """200 when the database and the cache answer and the static files are collected, 503 otherwise."""
    return _health(_checks())


@access.public
@require_GET
def readyz(request):
    """For load balancers: healthz's checks, and every migration applied (a new release is ready to serve)."""
    checks = _checks()
    checks["migrations"] = "ok" if _migrated() else "error: unapplied migrations (run manage.py migrate)"
    return _health(checks)


def _checks():
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as error:
        checks["database"] = f"error: {type(error).__name__}"
    try:
        cache.set("healthz", "ok", 5)
        checks["cache"] = "ok" if cache.get("healthz") == "ok" else "error"
    except Exception as error:
        checks["cache"] = f"error: {type(error).__name__}"
    try:
        # With the manifest storage (DEBUG off) a page can only render once collectstatic has run.
        staticfiles_storage.url("css/kiezwerk.css")
        checks["static"] = "ok"
    except ValueError:
        checks["static"] = "error: missing manifest entry for css/kiezwerk.css (run collectstatic)"
    return checks


def _health(checks):
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse({"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503)


_migrated_once = False


def _migrated():
    """True when no migration is left to apply; once true, it stays true for this process (the check is slow)."""
    global _migrated_once
    if not _migrated_once:
        try:
            executor = MigrationExecutor(connection)
            _migrated_once = not executor.migration_plan(executor.loader.graph.leaf_nodes())
        except Exception:
            return False
    return _migrated_once


@access.public
@require_GET
def open_data(request):
    licence, licence_url = settings.OPEN_DATA_LICENCE
    return render(
        request,
        "core/open_data.html",
        {"districts": selectors.district_list(), "licence": licence, "licence_url": licence_url},
    )


# Followers of any object (core.activity) ---------------------------------------------------------------


@access.by_secret_link
@require_GET
def follow_confirm(request, token):
    follower = activity.follow_confirm(token=token)
    if follower is None:
        return render(request, "core/follow_unknown.html", status=404)
    return render(request, "core/follow_confirmed.html", {"follower": follower})


@access.by_secret_link
@csrf_exempt  # RFC 8058 one-click unsubscribe: mail clients POST without a CSRF token.
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    if request.method == "POST":
        return render(request, "core/unsubscribed.html", {"target": activity.follow_cancel(token=token)})
    follower = get_object_or_404(Follower, token=token)
    return render(request, "core/unsubscribe.html", {"follower": follower})


# Installable on a phone: web app manifest, service worker, offline page ---------------------------------


@access.public
@require_GET
def manifest(request):
    """The web app manifest in the visitor's language. Not shared through core.pagecache, and no-cache with
    Vary on the language's sources (LocaleMiddleware adds Accept-Language), so no cache mixes languages."""
    icons = [
        {"src": static("img/icon-192.png"), "sizes": "192x192", "type": "image/png", "purpose": "any"},
        {"src": static("img/icon-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "any"},
        {"src": static("img/icon-maskable-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "maskable"},
    ]
    data = {
        "id": "/",
        "name": "Kiezwerk",
        "short_name": "Kiezwerk",
        "description": _("Report concerns in your neighbourhood and follow what happens with them."),
        "lang": get_language(),
        "dir": "rtl" if get_language_bidi() else "ltr",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "theme_color": BRAND_COLOUR,
        "background_color": BRAND_COLOUR,
        "icons": icons,
    }
    response = JsonResponse(data, content_type="application/manifest+json")
    response["Cache-Control"] = "no-cache"
    patch_vary_headers(response, ["Cookie"])
    return response


@access.public  # the script holds no data; it keeps only the offline page
@require_GET
def service_worker(request):
    """The site's service worker: shows the offline page when a navigation fails. Its cache is named after
    the release, so a new release brings a new script and a fresh offline page."""
    release = getattr(staticfiles_storage, "manifest_hash", "") or "dev"
    response = HttpResponse(render_to_string("core/sw.js", {"release": release}), content_type="text/javascript")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response


@access.public
@require_GET
def offline(request):
    """The page the service worker keeps and shows when a page cannot be loaded for want of a connection."""
    return render(request, "core/offline.html")
