"""Network views: the directory of organisations and contacts, their pages and forms, map and graph.

Everything here is internal: staff of a district (`desk.rules.can_use_desk`, `network.rules`). Rows are
looked up through the district's directory, so a row of another district is a 404 like a missing one.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kiezwerk.accounts.access import is_staff_of
from kiezwerk.core import access
from kiezwerk.core.lists import paginate
from kiezwerk.desk import rules as desk_rules

from .. import rules
from ..forms import directory as forms
from ..models import Organisation, Relationship
from ..selectors import directory as selectors
from ..selectors import graph as graph_selectors
from ..services import directory as services

PAGE_SIZE = 25


# Access ------------------------------------------------------------------------------------------


def _organisation_in(district, pk):
    organisation = selectors.organisation_list_for_district(district=district).filter(pk=pk).first()
    if organisation is None:
        raise Http404
    return organisation


def _contact_in(district, pk):
    contact = selectors.contact_list_for_district(district=district).filter(pk=pk).first()
    if contact is None:
        raise Http404
    return contact


def _staff_districts(user):
    from kiezwerk.core import selectors as core_selectors

    return [d for d in core_selectors.district_list() if is_staff_of(user, d)]


def _next(request, fallback):
    """The `next` address of a form if it is one of ours, else `fallback`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback


def _topic_labels(districts, slugs):
    labels = {}
    for district in districts:
        labels.update(forms.topic_labels(district))
    return [labels.get(slug, slug) for slug in slugs]


def _language_names(codes):
    names = dict(forms.language_choices())
    return [names.get(code, code) for code in codes]


# Directory ---------------------------------------------------------------------------------------


@access.requires(desk_rules.can_use_desk, load=desk_rules.district)
@require_GET
def directory(request, slug):
    district = desk_rules.district_for(request.user, slug)
    form = forms.DirectoryFilterForm(request.GET or None, district=district)
    organisations = selectors.organisation_list_for_district(district=district, **form.filters())
    page, query = paginate(request, organisations, PAGE_SIZE)
    topics = forms.topic_labels(district)
    for row in page:
        row.topic_labels = [topics.get(slug, slug) for slug in row.topics]
    context = {
        "district": district,
        "form": form,
        "page": page,
        "query": query,
        "stale_count": selectors.contact_stale_count(district=district),
    }
    return render(request, "network/directory/directory.html", context)


@access.requires(desk_rules.can_use_desk, load=desk_rules.district)
@require_GET
def contacts(request, slug):
    district = desk_rules.district_for(request.user, slug)
    form = forms.ContactFilterForm(request.GET or None)
    rows = selectors.contact_list_for_district(district=district, **form.filters())
    page, query = paginate(request, rows, PAGE_SIZE)
    context = {
        "district": district,
        "form": form,
        "page": page,
        "query": query,
        "stale_count": selectors.contact_stale_count(district=district),
    }
    return render(request, "network/directory/contacts.html", context)


# Organisations -----------------------------------------------------------------------------------


@access.requires(rules.can_see_organisation, load=rules.staff_organisation)
@require_GET
def organisation(request, pk):
    organisation = rules.organisation_for_staff(request.user, pk)
    districts = rules.organisation_staff_districts(request.user, organisation)
    context = {
        "organisation": organisation,
        "district": districts[0],
        "districts": districts,
        "node_key": f"o{organisation.pk}",
        "activity_query": f"organisation={organisation.pk}",
        "topic_labels": _topic_labels(districts, organisation.topics),
        "language_names": _language_names(organisation.languages),
        **selectors.organisation_detail(organisation=organisation, districts=districts),
    }
    return render(request, "network/directory/organisation.html", context)


@access.requires(desk_rules.can_use_desk, load=desk_rules.district)
@require_http_methods(["GET", "POST"])
def organisation_form(request, slug, pk=None):
    district = desk_rules.district_for(request.user, slug)
    organisation = _organisation_in(district, pk) if pk else None
    form = forms.OrganisationForm(
        request.POST or None, district=district, districts=_staff_districts(request.user), organisation=organisation
    )
    if form.is_valid():
        try:
            saved = services.organisation_save(
                district=district, actor=request.user, organisation=organisation, **form.save_kwargs()
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The organisation has been saved."))
            return redirect(saved)
    context = {"district": district, "form": form, "organisation": organisation}
    return render(request, "network/directory/organisation_form.html", context, status=400 if form.errors else 200)


# Contacts ----------------------------------------------------------------------------------------


@access.requires(rules.can_see_contact, load=rules.staff_contact)
@require_GET
def contact(request, pk):
    contact = rules.contact_for_staff(request.user, pk)
    districts = rules.contact_staff_districts(request.user, contact)
    context = {
        "contact": contact,
        "district": districts[0],
        "districts": districts,
        "node_key": f"c{contact.pk}",
        "activity_query": f"contact={contact.pk}",
        "language_names": _language_names(contact.languages),
        **selectors.contact_detail(contact=contact, districts=districts),
    }
    return render(request, "network/directory/contact.html", context)


@access.requires(desk_rules.can_use_desk, load=desk_rules.district)
@require_http_methods(["GET", "POST"])
def contact_form(request, slug, pk=None):
    district = desk_rules.district_for(request.user, slug)
    contact = _contact_in(district, pk) if pk else None
    initial = {}
    if contact is None and request.GET.get("organisation", "").isdigit():
        initial["organisation"] = request.GET["organisation"]
    form = forms.ContactForm(request.POST or None, district=district, contact=contact, initial=initial or None)
    if form.is_valid():
        try:
            saved = services.contact_save(district=district, actor=request.user, contact=contact, **form.save_kwargs())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The contact has been saved."))
            return redirect("network:contact", pk=saved.pk)
    context = {"district": district, "form": form, "contact": contact}
    return render(request, "network/directory/contact_form.html", context, status=400 if form.errors else 200)


@access.requires(desk_rules.can_use_desk, load=desk_rules.district)
@require_POST
def contact_confirm(request, slug, pk):
    district = desk_rules.district_for(request.user, slug)
    contact = _contact_in(district, pk)
    services.contact_confirm(contact=contact, district=district, actor=request.user)
    messages.success(request, _("Marked as confirmed today: %(name)s.") % {"name": contact.name})
    return redirect(_next(request, reverse("network:contact", args=[contact.pk])))


# Relationships and interactions ----------------------------------------------------------------


@access.requires(desk_rules.can_use_desk, load=desk_rules.district)
@require_http_methods(["GET", "POST"])
def relationship_create(request, slug):
    district = desk_rules.district_for(request.user, slug)
    initial = {key: request.GET[key] for key in ("from_end", "to_end") if key in request.GET}
    form = forms.RelationshipForm(request.POST or None, district=district, initial=initial)
    if form.is_valid():
        try:
            services.relationship_save(district=district, actor=request.user, **form.save_kwargs())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The relationship has been saved."))
            return redirect(_next(request, reverse("network:graph", args=[slug])))
    context = {"district": district, "form": form, "next": _next(request, "")}
    return render(request, "network/directory/relationship_form.html", context, status=400 if form.errors else 200)


def _relationship_in(district, pk):
    """A relationship recorded in the district, or with an end in its directory; Http404 otherwise."""
    relationship = (
        Relationship.objects.select_related("from_organisation", "from_contact", "to_organisation", "to_contact")
        .filter(pk=pk)
        .first()
    )
    if relationship is None:
        raise Http404
    if relationship.district_id == district.pk:
        return relationship
    organisations = selectors.organisation_list_for_district(district=district)
    contacts = selectors.contact_list_for_district(district=district)
    ends_here = (
        organisations.filter(pk__in=[relationship.from_organisation_id, relationship.to_organisation_id]).exists()
        or contacts.filter(pk__in=[relationship.from_contact_id, relationship.to_contact_id]).exists()
    )
    if not ends_here:
        raise Http404
    return relationship


@access.requires(desk_rules.can_use_desk, load=desk_rules.district)
@require_http_methods(["GET", "POST"])
def relationship_end(request, slug, pk):
    district = desk_rules.district_for(request.user, slug)
    relationship = _relationship_in(district, pk)
    form = forms.RelationshipEndForm(request.POST or None)
    if form.is_valid():
        try:
            services.relationship_end(
                relationship=relationship, district=district, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The relationship has ended; it stays in the history."))
            return redirect(_next(request, reverse("network:graph", args=[slug])))
    context = {"district": district, "form": form, "relationship": relationship, "next": _next(request, "")}
    return render(request, "network/directory/relationship_end.html", context, status=400 if form.errors else 200)


@access.requires(desk_rules.can_use_desk, load=desk_rules.district)
@require_http_methods(["GET", "POST"])
def interaction_create(request, slug):
    district = desk_rules.district_for(request.user, slug)
    initial = {key: request.GET[key] for key in ("organisation", "contact") if key in request.GET}
    form = forms.InteractionForm(request.POST or None, district=district, initial=initial)
    if form.is_valid():
        try:
            entry = services.interaction_record(district=district, actor=request.user, **form.save_kwargs())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The entry has been saved."))
            target = entry.target
            fallback = (
                target.get_absolute_url()
                if isinstance(target, Organisation)
                else reverse("network:contact", args=[target.pk])
            )
            return redirect(_next(request, fallback))
    context = {"district": district, "form": form, "next": _next(request, "")}
    return render(request, "network/directory/interaction_form.html", context, status=400 if form.errors else 200)


# Map and graph -----------------------------------------------------------------------------------


@access.requires(desk_rules.can_use_desk, load=desk_rules.district)
@require_GET
def network_map(request, slug):
    district = desk_rules.district_for(request.user, slug)
    context = selectors.map_context(district=district)
    context["unplaced"] = selectors.organisation_list_for_district(district=district).filter(lat__isnull=True)
    return render(request, "network/directory/map.html", context)


@access.requires(desk_rules.can_use_desk, load=desk_rules.district)
@require_GET
def network_graph(request, slug):
    district = desk_rules.district_for(request.user, slug)
    form = forms.GraphForm(request.GET or None, district=district)
    context = {"district": district, "form": form, **graph_selectors.network_graph(district=district, **form.filters())}
    return render(request, "network/directory/graph.html", context, status=400 if form.errors else 200)


# Fixed words first: a district's slug could otherwise be "organisations".
urlpatterns = [
    path("network/organisations/<int:pk>/", organisation, name="organisation"),
    path("network/contacts/<int:pk>/", contact, name="contact"),
    path("network/<slug:slug>/", directory, name="directory"),
    path("network/<slug:slug>/contacts/", contacts, name="contacts"),
    path("network/<slug:slug>/map/", network_map, name="map"),
    path("network/<slug:slug>/graph/", network_graph, name="graph"),
    path("network/<slug:slug>/organisations/new/", organisation_form, name="organisation-create"),
    path("network/<slug:slug>/organisations/<int:pk>/edit/", organisation_form, name="organisation-edit"),
    path("network/<slug:slug>/contacts/new/", contact_form, name="contact-create"),
    path("network/<slug:slug>/contacts/<int:pk>/edit/", contact_form, name="contact-edit"),
    path("network/<slug:slug>/contacts/<int:pk>/confirm/", contact_confirm, name="contact-confirm"),
    path("network/<slug:slug>/relationships/new/", relationship_create, name="relationship-create"),
    path("network/<slug:slug>/relationships/<int:pk>/end/", relationship_end, name="relationship-end"),
    path("network/<slug:slug>/interactions/new/", interaction_create, name="interaction-create"),
]
