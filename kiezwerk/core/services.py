"""Writes for districts, streets and the audit trail."""

from functools import partial, update_wrapper

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from shapely import geometry as shapely_geometry

from . import audit, geo, selectors
from .mail import mail_send
from .models import AccessibilityFeedback, AuditEvent, District, Street


def audit_record(*, actor, verb, target, district=None, **data):
    """Append one audit event for `target` (any model instance); `verb` must be registered (core.audit)."""
    if not audit.is_registered(verb):
        raise ValueError(f"Unregistered audit verb {verb!r}: declare it in the app's audit.py.")
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        district=district,
        verb=verb,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        data=data,
    )


@transaction.atomic
def district_load(*, name, boundary, slug="", city="", residents=None, actor=None):
    """Create or update a district from a GeoJSON boundary.

    Raises ValidationError (codes from geo.boundary_parse, or "invalid") for bad input.
    """
    shape = geo.boundary_parse(boundary)
    slug = slug or slugify(name)
    if not slug:
        raise ValidationError(_("The district needs a name."), code="invalid")
    min_lon, min_lat, max_lon, max_lat = shape.bounds
    district = District.objects.select_for_update().filter(slug=slug).first() or District(slug=slug)
    created = district.pk is None
    district.name = name
    district.city = city or district.city
    district.residents = residents if residents is not None else district.residents
    district.boundary = shapely_geometry.mapping(shape)
    district.min_lat, district.max_lat, district.min_lon, district.max_lon = min_lat, max_lat, min_lon, max_lon
    district.area_km2 = round(geo.area_km2(shape), 3)
    district.full_clean()
    district.save()
    district_touch(district=district)
    audit_record(
        actor=actor,
        verb="district.created" if created else "district.updated",
        target=district,
        district=district,
        area_km2=district.area_km2,
    )
    return district


@transaction.atomic
def street_save(*, district, name, line, first_number=1, last_number=1):
    """Create or update a street of the district's register.

    Raises ValidationError(code="outside") when the street leaves the district.
    """
    shape = shapely_geometry.LineString(line)
    if not geo_shape(district).buffer(0.0005).contains(shape):
        raise ValidationError(
            _("The street %(name)s lies outside the district."), code="outside", params={"name": name}
        )
    street, _created = Street.objects.update_or_create(
        district=district,
        name=name,
        defaults={"line": [list(p) for p in line], "first_number": first_number, "last_number": last_number},
    )
    district_touch(district=district)  # site plans and map data name the register's streets
    return street


# Functions an app registers (`district_touch_hook`) to keep what it derives from a district's public data up
# to date (concerns: the open-data files): each is called with the district's id after the change commits; one
# that fails (the broker is down) is logged and fails nothing.
_touch_hooks = []


@transaction.atomic
def district_welcome_set(*, district, texts, actor):
    """The team's welcome text on the district's page, per language ({code: text}; German is the fallback).

    Raises ValidationError (code "german_missing") for a translation without a German text.
    """
    field = District.welcome
    texts = {code: (texts.get(code) or "").strip() for code in field.languages}
    if not texts[field.languages[0]] and any(texts.values()):
        raise ValidationError(
            _("Please write the German text first: it is shown in every language that has no translation."),
            code="german_missing",
        )
    district = District.objects.select_for_update().get(pk=district.pk)
    before = {code: getattr(district, name) for code, name in zip(field.languages, field.fields, strict=True)}
    changed = [code for code in field.languages if texts[code] != before[code]]
    if not changed:
        return district
    for code, name in zip(field.languages, field.fields, strict=True):
        setattr(district, name, texts[code])
    district.full_clean()
    district.save(update_fields=field.fields)
    district_touch(district=district)
    audit_record(actor=actor, verb="district.welcome_changed", target=district, district=district, languages=changed)
    return district


def district_touch_hook(function):
    _touch_hooks.append(function)
    return function


def district_touch(*, district):
    """Mark the district's public data as changed; once the transaction commits, the registered hooks run."""
    District.objects.filter(pk=district.pk).update(data_version=F("data_version") + 1)
    # The cached version goes now (this connection reads the new one) and is set afresh once others can.
    cache.delete(selectors.district_version_key(District.objects.values_list("slug", flat=True).get(pk=district.pk)))
    transaction.on_commit(_later(_version_publish, district.pk), robust=True)
    for hook in _touch_hooks:
        transaction.on_commit(_later(hook, district.pk), robust=True)


def _later(function, district_id):
    """`function(district_id)`, named as the function: a robust on-commit callback that fails is logged by its
    __qualname__, which a bare partial lacks (the logging itself raised)."""
    return update_wrapper(partial(function, district_id), function)


def _version_publish(district_id):
    """The committed version into the cache, for core.selectors.district_version."""
    slug, version = District.objects.values_list("slug", "data_version").get(pk=district_id)
    cache.set(selectors.district_version_key(slug), (district_id, version), timeout=selectors.VERSION_SECONDS)


def geo_shape(district):
    return shapely_geometry.shape(district.boundary)


# Accessibility feedback (BITV 2.0): barriers reported through the statement, and the team's answers ---------


def _page_district(page):
    """The district a local page belongs to (its URL names the district's slug), or None."""
    if not page.startswith("/"):
        return None
    try:
        slug = resolve(page.split("?")[0]).kwargs.get("slug")
    except Resolver404:
        return None
    return District.objects.filter(slug=slug).first() if slug else None


@transaction.atomic
def accessibility_feedback_submit(*, text, page="", email="", name="", language="de"):
    """Store a reported barrier and mail it to the operator (`ACCESSIBILITY_CONTACT_EMAIL`)."""
    feedback = AccessibilityFeedback.objects.create(
        district=_page_district(page), text=text, page=page, email=email, name=name, language=language
    )
    mail_send(
        to=settings.ACCESSIBILITY_CONTACT_EMAIL,
        template="core/email/accessibility_feedback",
        context={"feedback": feedback},
        language=settings.LANGUAGE_CODE,
        headers={"Reply-To": email} if email else None,
        district=feedback.district,
    )
    return feedback


@transaction.atomic
def accessibility_feedback_answer(*, feedback, answer, actor, district):
    """Store the team's answer (with the date) and mail it to the person, when they left an address."""
    answer = answer.strip()
    if not answer:
        raise ValidationError({"answer": _("Please write an answer.")})
    feedback.answer, feedback.answered_at, feedback.answered_by = answer, timezone.now(), actor
    feedback.save(update_fields=["answer", "answered_at", "answered_by"])
    if feedback.email:
        mail_send(
            to=feedback.email,
            template="core/email/accessibility_answer",
            context={"feedback": feedback},
            language=feedback.language,
            district=feedback.district,
        )
    audit_record(
        actor=actor, verb="accessibility.answered", target=feedback, district=district, mailed=bool(feedback.email)
    )
    return feedback
