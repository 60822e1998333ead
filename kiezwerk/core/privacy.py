"""Personal data across the apps (DSGVO Art. 15, 17 and retention): a registry of providers.

Each app that stores personal data declares it in its own `privacy.py` module, imported at start-up
(`CoreConfig.ready`): a `Provider` subclass, registered with `register`. The desk's privacy page and
the retention task ask every provider through the functions below; nothing here knows an app.
"""

import hashlib
import re
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .services import audit_record

_providers = {}


@dataclass(frozen=True)
class Subject:
    """Whom a request is about: an e-mail address and/or a phone number, in the requester's districts."""

    email: str  # stripped, lower case; "" when not asked for
    phone: str  # as entered (stripped); "" when not asked for
    districts: tuple

    @property
    def phone_key(self):
        return phone_key(self.phone)


@dataclass(frozen=True)
class Record:
    """One thing found, for the privacy page: a short description and, maybe, where to see it."""

    text: str
    url: str = ""


class Provider:
    """What one app stores about a person. Subclass in the app's `privacy.py` and `register` an instance."""

    key = ""  # unique, e.g. the app's label
    label = ""  # heading on the privacy page (translated)
    erase_text = ""  # one sentence on the page: what erasing does here (or why it does not)
    erased = {}  # the keys `erase` counts, each with its label (translated)

    def find(self, subject):
        """[Record] of what is stored about the subject."""
        return []

    def export(self, subject):
        """{section: JSON-able data}; the sections of all providers make one document."""
        return {}

    def erase(self, subject, *, actor):
        """Remove the subject's personal data; audit it without the address. Returns {key of `erased`: count}."""
        return {}

    def retain(self, *, now):
        """Apply this app's retention rules. Returns {what: count}."""
        return {}


def register(provider):
    if not provider.key or provider.key in _providers:
        raise ImproperlyConfigured(f"A privacy provider needs a unique key: {provider.key!r}.")
    _providers[provider.key] = provider
    return provider


def providers():
    """The registered providers, in the order of INSTALLED_APPS."""
    return list(_providers.values())


# Values ------------------------------------------------------------------------------------------


def phone_key(phone):
    """A phone number reduced for comparison: digits only, "+49", "0049" and a leading "0" alike.

    German numbers become "49" plus the number without its leading zero ("0521 12345",
    "+49 521 12345" and "+49 (0)521 12345" are all "4952112345"); others keep their country code.
    """
    digits = re.sub(r"\D", "", phone or "")
    if (phone or "").strip().startswith("+"):
        international = digits
    elif digits.startswith("00"):
        international = digits[2:]
    else:
        international = "49" + digits.lstrip("0") if digits else ""
    if international.startswith("49"):
        international = "49" + international[2:].lstrip("0")
    return international


def phone_q(queryset, field, subject):
    """Q for the rows of `queryset` whose `field` holds the subject's phone number, in any spelling."""
    rows = queryset.exclude(**{field: ""}).values_list("pk", field)
    return Q(pk__in=[pk for pk, phone in rows if phone_key(phone) == subject.phone_key])


def fingerprint(value):
    """How audit rows name an e-mail address or a phone number: never the value itself."""
    return hashlib.sha256(value.encode()).hexdigest()[:16]


def subject_for(*, email="", phone="", districts):
    return Subject(email=(email or "").strip().lower(), phone=(phone or "").strip(), districts=tuple(districts))


# Requests ----------------------------------------------------------------------------------------


def find(*, email="", phone="", districts):
    """[(provider, [Record])] for every provider, the ones that found nothing included."""
    subject = subject_for(email=email, phone=phone, districts=districts)
    return [(provider, provider.find(subject)) for provider in providers()]


def _audit(verb, subject, actor, counts):
    names = {"email": fingerprint(subject.email)} if subject.email else {}
    if subject.phone:
        names["phone"] = fingerprint(subject.phone_key)
    for district in subject.districts:
        audit_record(actor=actor, verb=verb, target=district, district=district, **names, **counts)


def export(*, email="", phone="", districts, actor):
    """Everything the providers store about the subject, as one JSON-able document (Art. 15/20); audited."""
    subject = subject_for(email=email, phone=phone, districts=districts)
    data = {"email": subject.email, "phone": subject.phone, "generated_at": timezone.now().isoformat()}
    for provider in providers():
        sections = provider.export(subject)
        if data.keys() & sections.keys():
            raise ImproperlyConfigured(f"Privacy provider {provider.key!r} repeats a section: {sorted(sections)}.")
        data.update(sections)
    counts = {key: len(value) for key, value in data.items() if isinstance(value, list)}
    _audit("privacy.exported", subject, actor, counts)
    return data


@transaction.atomic
def erase(*, email="", phone="", districts, actor):
    """Erase the subject's personal data in every provider (Art. 17); audited. Returns the non-zero counts."""
    subject = subject_for(email=email, phone=phone, districts=districts)
    counts = {}
    for provider in providers():
        counts.update({key: count for key, count in provider.erase(subject, actor=actor).items() if count})
    _audit("privacy.erased", subject, actor, counts)
    return counts


def erased_labels(counts):
    """[(label, count)] for an `erase` result, in the order of the providers."""
    return [(label, counts[key]) for provider in providers() for key, label in provider.erased.items() if key in counts]


def retain(*, now=None):
    """Run every provider's retention rules. Returns {provider key: its counts}."""
    now = now or timezone.now()
    return {provider.key: provider.retain(now=now) for provider in providers()}


# Core's own personal data: the outbox holds addresses and texts of mails -------------------------


class Mails(Provider):
    key = "mails"
    label = gettext_lazy("E-mails in the outbox")
    erase_text = gettext_lazy("E-mails to the address are deleted from the outbox, sent or not.")
    erased = {"mails": gettext_lazy("E-mails deleted from the outbox")}

    def _mails(self, subject):
        from .models import OutboxMail

        if not subject.email:
            return []
        mails = OutboxMail.objects.filter(Q(district__in=subject.districts) | Q(district__isnull=True))
        return [mail for mail in mails if subject.email in (address.lower() for address in mail.to)]

    def find(self, subject):
        return [
            Record(
                _("“%(subject)s”, %(created)s (%(status)s)")
                % {
                    "subject": mail.subject,
                    "created": formats.date_format(timezone.localtime(mail.created_at), "SHORT_DATETIME_FORMAT"),
                    "status": mail.get_status_display(),
                }
            )
            for mail in self._mails(subject)
        ]

    def export(self, subject):
        return {
            "mails": [
                {"created": m.created_at.isoformat(), "subject": m.subject, "body": m.body, "status": m.status}
                for m in self._mails(subject)
            ]
        }

    def erase(self, subject, *, actor):
        from .models import OutboxMail

        found = [mail.pk for mail in self._mails(subject)]
        return {"mails": OutboxMail.objects.filter(pk__in=found).delete()[0]}

    def retain(self, *, now):
        from . import outbox

        return {"mails": outbox.purge(now=now)}


register(Mails())


# Barriers reported through the accessibility statement: the reporter's address and name, and their text ----------


class AccessibilityFeedbacks(Provider):
    key = "accessibility"
    label = gettext_lazy("Accessibility feedback")
    erase_text = gettext_lazy("Messages about barriers sent from the address are deleted, with their answers.")
    erased = {"accessibility": gettext_lazy("Accessibility feedback deleted")}

    def _feedback(self, subject):
        from .models import AccessibilityFeedback

        if not subject.email:
            return AccessibilityFeedback.objects.none()
        return AccessibilityFeedback.objects.filter(
            Q(district__in=subject.districts) | Q(district__isnull=True), email__iexact=subject.email
        ).order_by("pk")

    def find(self, subject):
        return [
            Record(
                _("Barrier reported on %(created)s: “%(text)s”")
                % {
                    "created": formats.date_format(timezone.localtime(f.created_at), "SHORT_DATETIME_FORMAT"),
                    "text": Truncator(f.text).chars(80),
                }
            )
            for f in self._feedback(subject)
        ]

    def export(self, subject):
        return {
            "accessibility_feedback": [
                {
                    "created": f.created_at.isoformat(),
                    "page": f.page,
                    "name": f.name,
                    "text": f.text,
                    "answer": f.answer,
                    "answered": f.answered_at.isoformat() if f.answered_at else None,
                }
                for f in self._feedback(subject)
            ]
        }

    def erase(self, subject, *, actor):
        return {"accessibility": self._feedback(subject).delete()[0]}

    def retain(self, *, now):
        """Feedback is deleted RETENTION_MONTHS after it came in (the statement's yearly review has used it)."""
        from .models import AccessibilityFeedback

        cutoff = now - timedelta(days=round(settings.RETENTION_MONTHS * 30.44))
        return {"accessibility": AccessibilityFeedback.objects.filter(created_at__lt=cutoff).delete()[0]}


register(AccessibilityFeedbacks())
