"""Personal data of projects (see core.privacy): volunteers' names, e-mail addresses and phone numbers."""

from functools import reduce
from operator import or_

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kiezwerk.core import privacy

from .models import SignUp, SignUpStatus
from .services import volunteers


def _signups(subject):
    signups = SignUp.objects.filter(shift__project__district__in=subject.districts, anonymised_at=None)
    conditions = []
    if subject.email:
        conditions.append(Q(email__iexact=subject.email) | Q(user__email__iexact=subject.email))
    if subject.phone_key:
        conditions.append(privacy.phone_q(signups, "phone", subject))
    return signups.filter(reduce(or_, conditions)) if conditions else signups.none()


class Volunteers(privacy.Provider):
    key = "projects"
    label = gettext_lazy("Volunteers of projects")
    erase_text = gettext_lazy(
        "Volunteers: open sign-ups are cancelled (the next person on the waiting list moves up); name, e-mail "
        "address, phone number and account link are removed. Attendance and hours remain as figures."
    )
    erased = {"signups": gettext_lazy("Sign-ups anonymised")}

    def find(self, subject):
        records = []
        for s in _signups(subject).select_related("shift__project").order_by("pk"):
            text = _("%(name)s, helper in “%(project)s” on %(date)s (%(status)s)") % {
                "name": s.display_name or s.address,
                "project": s.shift.project.title,
                "date": s.shift.starts_at.date().isoformat(),
                "status": s.get_status_display(),
            }
            records.append(privacy.Record(text, reverse("projects:team-detail", args=[s.shift.project_id])))
        return records

    def export(self, subject):
        return {
            "volunteer_signups": [
                {
                    "project": s.shift.project.title,
                    "shift_starts": s.shift.starts_at.isoformat(),
                    "name": s.name,
                    "email": s.email,
                    "phone": s.phone,
                    "status": s.status,
                    "signed_up": s.created_at.isoformat(),
                    "attended": s.attended,
                    "hours": str(s.hours) if s.hours is not None else None,
                }
                for s in _signups(subject).select_related("shift__project").order_by("pk")
            ]
        }

    def erase(self, subject, *, actor):
        upcoming = _signups(subject).filter(
            status__in=[SignUpStatus.REGISTERED, SignUpStatus.WAITING], shift__starts_at__gt=timezone.now()
        )
        for signup in upcoming:
            volunteers.signup_cancel(signup=signup, actor=actor)
        return {"signups": volunteers.signups_anonymise(_signups(subject))}

    def retain(self, *, now):
        """Volunteers of projects that ended more than PROJECT_RETENTION_MONTHS ago are anonymised."""
        return volunteers.retention_apply(now=now)


privacy.register(Volunteers())
