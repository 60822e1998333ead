"""The team's project templates: list, edit (with their tasks, materials and figures), delete."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kiezwerk.core import access
from kiezwerk.core.forms import add_errors
from kiezwerk.desk.rules import can_use_desk, district, district_for

from .. import forms
from ..models import ProjectTemplate
from ..services import templates as services


@access.requires(can_use_desk, load=district)
@require_GET
def template_list(request, slug):
    the_district = district_for(request.user, slug)
    return render(
        request,
        "projects/templates.html",
        {"district": the_district, "templates": ProjectTemplate.objects.filter(district=the_district)},
    )


@access.requires(can_use_desk, load=district)
@require_http_methods(["GET", "POST"])
def template_edit(request, slug, template_id=None):
    the_district = district_for(request.user, slug)
    template = get_object_or_404(ProjectTemplate, pk=template_id, district=the_district) if template_id else None
    if request.method == "POST":
        form = forms.TemplateForm(request.POST)
        formsets = forms.template_formsets(request.POST, template)
        if form.is_valid() and all(formset.is_valid() for formset in formsets.values()):
            try:
                saved = services.template_save(
                    district=the_district,
                    actor=request.user,
                    template=template,
                    partner_kinds=form.cleaned_data["partner_kinds"],
                    name=form.cleaned_data["name"],
                    kind=form.cleaned_data["kind"],
                    description=form.cleaned_data["description"],
                    **forms.template_rows(formsets),
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("The template “%(name)s” has been saved.") % {"name": saved.name})
                return redirect("projects:template-edit", slug=slug, template_id=saved.pk)
        status = 400
    else:
        initial = {}
        if template is not None:
            initial = {
                "name": template.name,
                "kind": template.kind,
                "description": template.description,
                "partner_kinds": template.partner_kinds,
            }
        form = forms.TemplateForm(initial=initial)
        formsets = forms.template_formsets(None, template)
        status = 200
    return render(
        request,
        "projects/template_edit.html",
        {"district": the_district, "template": template, "form": form, **formsets},
        status=status,
    )


@access.requires(can_use_desk, load=district)
@require_POST
def template_delete(request, slug, template_id):
    the_district = district_for(request.user, slug)
    template = get_object_or_404(ProjectTemplate, pk=template_id, district=the_district)
    services.template_delete(template=template, actor=request.user)
    messages.success(request, _("The template “%(name)s” has been deleted.") % {"name": template.name})
    return redirect("projects:templates", slug=slug)
