"""Network views: import from CSV (upload, preview, confirm) and export as CSV or vCard 4.0."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, re_path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kiezwerk.core import access
from kiezwerk.desk import rules as desk_rules

from ..forms.directory import topic_labels
from ..forms.io import ImportConfirmForm, ImportForm, import_token
from ..models import LegalBasis, OrganisationKind, Visibility
from ..selectors import exports
from ..services import imports

LABELS = {"kind": OrganisationKind, "legal_basis": LegalBasis, "visibility": Visibility}


def _shown(key, value, topics):
    """A parsed value as the preview shows it."""
    if value is None or value == "" or value == []:
        return "–"
    if key in LABELS:
        return LABELS[key](value).label
    if key == "topics":
        return ", ".join(topics.get(slug, slug) for slug in value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return ", ".join(value)
    if hasattr(value, "strftime"):
        return value.strftime("%d.%m.%Y")
    return value


def _action(row, columns):
    """What confirming does with a row: created, updated (which columns) or nothing."""
    if row.errors:
        return "–"
    if row.action == imports.CREATE:
        return _("will be created")
    if row.action == imports.UNCHANGED:
        return _("unchanged")
    labels = {column.key: column.label for column in columns}
    return _("will be updated: %(columns)s") % {"columns": ", ".join(str(labels[key]) for key in row.changes)}


def _preview_rows(preview, district):
    if preview is None:
        return []
    topics = topic_labels(district)
    return [
        {
            "row": row,
            "action": _action(row, preview.columns),
            "cells": [_shown(column.key, row.values.get(column.key), topics) for column in preview.columns],
        }
        for row in preview.rows
    ]


def _token(request, district, kind, data, preview):
    """The confirmation of a clean preview that changes something, else ""."""
    if not preview.is_valid or not preview.writes:
        return ""
    return import_token(district=district, user=request.user, kind=kind, data=data, plan=preview.plan)


def _page(request, district, form, preview=None, token="", status=200):
    context = {
        "district": district,
        "form": form,
        "preview": preview,
        "preview_rows": _preview_rows(preview, district),
        "summary": {action: preview.count(action) for action in imports.ACTIONS} if preview else {},
        "token": token,
        "organisation_columns": imports.ORGANISATION_COLUMNS,
        "contact_columns": imports.CONTACT_COLUMNS,
        "kinds": OrganisationKind.choices,
        "legal_bases": LegalBasis.choices,
        "visibilities": Visibility.choices,
        "topics": district.categories.order_by("position", "name_de"),
    }
    return render(request, "network/io/import.html", context, status=status)


@access.requires(desk_rules.can_use_desk, load=desk_rules.district)
@require_http_methods(["GET", "POST"])
def network_import(request, slug):
    """Upload → preview of every row with its errors; a clean preview offers the confirmation."""
    district = desk_rules.district_for(request.user, slug)
    form = ImportForm(request.POST or None, request.FILES or None)
    if not form.is_valid():
        return _page(request, district, form, status=400 if form.errors else 200)
    kind = form.cleaned_data["kind"]
    data = form.cleaned_data["file"].read()
    preview = imports.import_preview(district=district, kind=kind, data=data)
    token = _token(request, district, kind, data, preview)
    status = 200 if preview.is_valid else 400
    return _page(request, district, ImportForm(initial={"kind": kind}), preview, token, status)


@access.requires(desk_rules.can_use_desk, load=desk_rules.district)
@require_POST
def network_import_confirm(request, slug):
    district = desk_rules.district_for(request.user, slug)
    form = ImportConfirmForm(request.POST, district=district, user=request.user)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("token", [])) or _("Upload the file again."))
        return redirect("network:import", slug=slug)
    try:
        preview = imports.network_import(
            district=district, kind=form.kind, data=form.data_bytes, actor=request.user, plan=form.plan
        )
    except ValidationError as error:
        # Something changed since the preview (e.g. an organisation of the same name was added): the new
        # preview is shown, with a new confirmation when it is clean.
        messages.error(request, error.messages[0])
        preview = (error.params or {}).get("preview")
        token = _token(request, district, form.kind, form.data_bytes, preview)
        return _page(request, district, ImportForm(initial={"kind": form.kind}), preview, token, status=400)
    counts = {"created": preview.count(imports.CREATE), "updated": preview.count(imports.UPDATE)}
    if form.kind == "organisations":
        text = _("Organisations: %(created)s created, %(updated)s updated.")
    else:
        text = _("Contact persons: %(created)s created, %(updated)s updated.")
    messages.success(request, text % counts)
    return redirect("network:import", slug=slug)


EXPORTS = {
    ("organisations", "csv"): (exports.organisation_list_for_district, exports.organisations_csv),
    ("organisations", "vcf"): (exports.organisation_list_for_district, exports.organisations_vcard),
    ("contacts", "csv"): (exports.contact_list_for_district, exports.contacts_csv),
    ("contacts", "vcf"): (exports.contact_list_for_district, exports.contacts_vcard),
}
CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "vcf": "text/vcard; charset=utf-8"}


@access.requires(desk_rules.can_use_desk, load=desk_rules.district)
@require_GET
def network_export(request, slug, what, fmt):
    district = desk_rules.district_for(request.user, slug)
    select, render_as = EXPORTS[(what, fmt)]
    rows = list(select(district=district))
    body = render_as(rows)
    imports.network_export_record(district=district, what=what, fmt=fmt, count=len(rows), actor=request.user)
    response = HttpResponse(body.encode("utf-8"), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{district.slug}-{what}.{fmt}"'
    response["Cache-Control"] = "no-store"
    return response


urlpatterns = [
    path("network/<slug:slug>/import/", network_import, name="import"),
    path("network/<slug:slug>/import/confirm/", network_import_confirm, name="import-confirm"),
    re_path(
        r"^network/(?P<slug>[-a-zA-Z0-9_]+)/export/(?P<what>organisations|contacts)\.(?P<fmt>csv|vcf)$",
        network_export,
        name="export",
    ),
]
