"""Personal data of events (see core.privacy): the names and e-mail addresses of people registered."""

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kiezwerk.core import privacy

from .models import Registration
from .services import registrations


def _registrations(subject):
    found = Registration.objects.filter(occurrence__event__district__in=subject.districts, anonymised_at=None)
    if not subject.email:
        return found.none()
    return found.filter(Q(email__iexact=subject.email) | Q(user__email__iexact=subject.email))


class Registrations(privacy.Provider):
    key = "events"
    label = gettext_lazy("Registrations for events")
    erase_text = gettext_lazy(
        "Registrations: those for dates to come are cancelled (a freed place is offered to the next person "
        "waiting); name, e-mail address and account link are removed. Attendance remains as a figure."
    )
    erased = {"registrations": gettext_lazy("Registrations anonymised")}

    def find(self, subject):
        return [
            privacy.Record(
                _("%(name)s, registered for “%(event)s” on %(date)s (%(status)s)")
                % {
                    "name": r.display_name or r.address,
                    "event": r.occurrence.event.title,
                    "date": r.occurrence.starts_at.date().isoformat(),
                    "status": r.status_label,
                },
                r.occurrence.event.get_absolute_url(),
            )
            for r in _registrations(subject).select_related("occurrence__event__district", "user").order_by("pk")
        ]

    def export(self, subject):
        return {
            "event_registrations": [
                {
                    "event": r.occurrence.event.title,
                    "date": r.occurrence.starts_at.isoformat(),
                    "name": r.name,
                    "email": r.email,
                    "status": r.status,
                    "registered": r.created_at.isoformat(),
                    "attended": r.attended,
                }
                for r in _registrations(subject).select_related("occurrence__event").order_by("pk")
            ]
        }

    def erase(self, subject, *, actor):
        upcoming = _registrations(subject).filter(
            status__in=registrations.ACTIVE, occurrence__starts_at__gt=timezone.now()
        )
        for registration in upcoming:
            registrations.cancel(registration=registration, actor=actor)
        return {"registrations": registrations.anonymise(_registrations(subject))}

    def retain(self, *, now):
        return registrations.retention_apply(now=now)


privacy.register(Registrations())
