"""The audit verbs of concerns, each with the sentence staff read and its details; how a concern is named."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from kiezwerk.accounts.models import short_name
from kiezwerk.core.audit import REPORTER, Name, Verb, changed, day, label, names, register
from kiezwerk.core.models import FlagReason, Moderation

from .models import Category, Channel, Concern, ConcernStatus, RedactionField
from .rules import can_work_concern


def _categories(event, lookup):
    """{slug: name in the page's language} of the event's district (one query per district and page)."""
    return lookup.once(
        ("concerns.category", event.district_id),
        lambda: {c.slug: c.name for c in Category.objects.filter(district=event.district_id)},
    )


def _category(event, lookup):
    categories = _categories(event, lookup)
    return lambda slug: categories.get(slug) or gettext("a category that no longer exists")


def _status(value):
    return label(ConcernStatus, value)


def _person(value):
    return short_name(value) or gettext("nobody")


def reported(event, lookup):
    data = event.data
    if "category" not in data:
        return None
    count = data.get("photos", 0)
    return ngettext(
        "Concern reported in “%(category)s” (%(channel)s, %(count)s photo)",
        "Concern reported in “%(category)s” (%(channel)s, %(count)s photos)",
        count,
    ) % {
        "category": _category(event, lookup)(data["category"]),
        "channel": label(Channel, data.get("channel")),
        "count": count,
    }


def status_changed(event, lookup):
    return changed(gettext("Status changed"), event.data, _status)


def reviewed(event, lookup):
    return changed(gettext("Concern reviewed"), event.data, lambda value: label(Moderation, value))


def assigned(event, lookup):
    return changed(gettext("Assignment changed"), event.data, _person)


def categorised(event, lookup):
    return changed(gettext("Category changed"), event.data, _category(event, lookup))


def follow_up_set(event, lookup):
    return changed(gettext("Follow-up date set"), event.data, day)


def marked_duplicate(event, lookup):
    data = event.data
    if not data.get("original"):
        return None
    original = lookup.name("concerns.concern", data["original"]).full
    return gettext("Marked as a duplicate of %(original)s: %(before)s → %(after)s") % {
        "original": original,
        "before": _status(data.get("before")),
        "after": _status(data.get("after", ConcernStatus.DUPLICATE)),
    }


def redacted(event, lookup):
    data = event.data
    if "field" not in data:
        return None
    return gettext("Text redacted (%(field)s), reason: %(reason)s") % {
        "field": label(RedactionField, data["field"]),
        "reason": data.get("reason") or "–",
    }


def photo_redacted(event, lookup):
    if "reason" not in event.data:
        return None
    return gettext("Photo redacted, reason: %(reason)s") % {"reason": event.data["reason"] or "–"}


def reporter_anonymised(event, lookup):
    reason = event.data.get("reason", "")
    if reason == "request":
        return gettext("Reporter's data anonymised at the person's request (Art. 17 GDPR)")
    if reason.startswith("retention:"):
        months = reason.partition(":")[2]
        return gettext("Reporter's data anonymised after the retention period (%(months)s months)") % {"months": months}
    if reason:
        return gettext("Reporter's data anonymised: %(reason)s") % {"reason": reason}
    return None


def place_corrected(event, lookup):
    text = changed(gettext("Address corrected"), event.data, lambda value: value or gettext("no address"))
    if text and event.data.get("moved"):
        text = gettext("%(change)s; the marker was moved there") % {"change": text}
    return text


def language_set(event, lookup):
    names = dict(settings.CONTENT_LANGUAGES)
    return changed(gettext("Language of the text corrected"), event.data, lambda code: names.get(code, code))


def flagged(event, lookup):
    if "reason" not in event.data:
        return None
    return gettext("Reported to the moderators by a resident: %(reason)s") % {
        "reason": label(FlagReason, event.data["reason"])
    }


register(
    {
        "concern.reported": Verb(_("Concern reported"), details=reported, nobody=REPORTER),
        "concern.status_changed": Verb(_("Status changed"), details=status_changed),
        "concern.replied": _("Public reply written"),
        "concern.noted": _("Internal note written"),
        "concern.reviewed": Verb(_("Concern reviewed"), details=reviewed),
        "concern.assigned": Verb(_("Assignment changed"), details=assigned),
        "concern.categorised": Verb(_("Category changed"), details=categorised),
        "concern.follow_up_set": Verb(_("Follow-up date set"), details=follow_up_set),
        "concern.marked_duplicate": Verb(
            _("Marked as a duplicate"), details=marked_duplicate, refs=(("original", "concerns.concern"),)
        ),
        "concern.redacted": Verb(_("Text redacted"), details=redacted),
        "concern.photo_redacted": Verb(_("Photo redacted"), details=photo_redacted),
        "concern.reporter_anonymised": Verb(_("Reporter's data anonymised"), details=reporter_anonymised),
        # Flagged by a resident: the sentence says who; an account, if any, is named.
        "concern.flagged": Verb(_("Reported to the moderators by a resident"), details=flagged, nobody=None),
        "concern.place_corrected": Verb(_("Address corrected"), details=place_corrected),
        "concern.language_set": Verb(_("Language of the text corrected"), details=language_set),
        "concern.review_requested": _("A partner reported the concern as solved; the team is asked to check"),
        "concern.review_dismissed": _("The team checked the partner's report and keeps working on the concern"),
    }
)


def concern_names(ids, viewer):
    """ "Anliegen #12 „Sperrmüll in der Hofeinfahrt“", linked to the workspace for the district's staff."""
    concerns = (
        Concern.objects.filter(pk__in=ids).select_related("district").only("pk", "title", "language", "district__id")
    )
    return {
        str(c.pk): Name(
            gettext("Concern #%(number)s") % {"number": c.pk},
            reverse("desk:concern", args=[c.pk]) if viewer is not None and can_work_concern(viewer, c) else "",
            title=c.title,
            lang=c.language,
        )
        for c in concerns
    }


names("concerns.concern", concern_names)
