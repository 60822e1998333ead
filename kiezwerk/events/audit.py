"""The audit verbs of events, each with the sentence staff read; how an event is named."""

from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from kiezwerk.core.audit import Name, Verb, label, names, register

from .models import Event, RegistrationStatus
from .rules import can_work_event


def _fields(event, lookup):
    fields = []
    for name in event.data.get("fields", []):
        try:
            fields.append(str(Event._meta.get_field(name).verbose_name))
        except LookupError:
            continue
    return gettext("Event changed: %(fields)s") % {"fields": ", ".join(fields)} if fields else None


def _told(event, lookup):
    count = event.data.get("told")
    if not count:
        return None
    return ngettext("%(count)s registered person told", "%(count)s registered people told", count) % {"count": count}


def _status(event, lookup):
    status = event.data.get("status")
    return gettext("Registration: %(status)s") % {"status": label(RegistrationStatus, status)} if status else None


register(
    {
        "event.created": _("Event created"),
        "event.submitted": _("Event submitted for approval"),
        "event.changed": Verb(_("Event changed"), details=_fields),
        "event.approved": _("Event approved"),
        "event.declined": _("Event declined"),
        "event.proposal_accepted": _("Change to the event accepted"),
        "event.proposal_declined": _("Change to the event declined"),
        "event.cancelled": Verb(_("Event cancelled"), details=_told),
        "event.date_cancelled": Verb(_("Date of the event cancelled"), details=_told),
        "event.date_moved": Verb(_("Date of the event moved"), details=_told),
        "event.report": _("Attendance of a date recorded"),
        # A person without an account acts through the mailed link: the sentence says who.
        "registration.created": Verb(_("Registration for the event"), details=_status, nobody=None),
        "registration.confirmed": Verb(_("Registration confirmed"), details=_status, nobody=None),
        "registration.cancelled": Verb(_("Registration cancelled"), nobody=None),
        "registration.offered": _("A freed place offered to the next person waiting"),
        "registration.offer_accepted": Verb(_("Offered place accepted"), nobody=None),
        "registration.offer_declined": Verb(_("Offered place declined"), nobody=None),
        "registration.offer_expired": _("Offer of a place expired"),
        "registration.attendance": _("Attendance of the registered people recorded"),
    }
)


def event_names(ids, viewer):
    """ "Veranstaltung #3 „Nachbarschaftscafé“", linked to the team's page for the district's staff."""
    return {
        str(e.pk): Name(
            gettext("Event #%(number)s") % {"number": e.pk},
            e.get_absolute_url() if viewer is not None and can_work_event(viewer, e) else "",
            title=e.title,
            lang=e.language,
        )
        for e in Event.objects.filter(pk__in=ids).select_related("district")
    }


names("events.event", event_names)
