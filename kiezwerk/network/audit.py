"""The audit verbs of the network, each with the sentence staff read and its details; how its rows are named."""

from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from kiezwerk.core.audit import Name, Verb, changed, day, label, names, register

from .models import Contact, InteractionKind, Organisation, Outcome, Referral, ReferralStatus, Relationship
from .rules import can_see_contact, can_see_organisation, can_work_referral

FORMATS = {"csv": "CSV", "vcf": "vCard"}


def _fields(model, data):
    """The verbose names of the changed fields a row records."""
    fields = []
    for name in data.get("fields", []):
        try:
            fields.append(str(model._meta.get_field(name).verbose_name))
        except LookupError:
            continue
    return ", ".join(fields)


def organisation_changed(event, lookup):
    fields = _fields(Organisation, event.data)
    return gettext("Organisation changed: %(fields)s") % {"fields": fields} if fields else None


def contact_changed(event, lookup):
    fields = _fields(Contact, event.data)
    return gettext("Contact person changed: %(fields)s") % {"fields": fields} if fields else None


def contact_confirmed(event, lookup):
    return changed(gettext("Contact person confirmed"), event.data, day)


def relationship_ended(event, lookup):
    if not event.data.get("after"):
        return None
    return gettext("Relationship ended on %(date)s") % {"date": day(event.data["after"])}


def interaction_recorded(event, lookup):
    if "kind" not in event.data:
        return None
    return gettext("Activity recorded: %(kind)s") % {"kind": label(InteractionKind, event.data["kind"])}


def imported(event, lookup):
    count = event.data.get("count")
    if count is None:
        return None
    if event.verb == "network.organisations_imported":
        return ngettext("%(count)s organisation imported", "%(count)s organisations imported", count) % {"count": count}
    return ngettext("%(count)s contact person imported", "%(count)s contact persons imported", count) % {"count": count}


def exported(event, lookup):
    data = event.data
    if "count" not in data:
        return None
    values = {"count": data["count"], "format": FORMATS.get(data.get("format"), data.get("format", ""))}
    if data.get("what") == "organisations":
        return (
            ngettext(
                "Network exported: %(count)s organisation as %(format)s",
                "Network exported: %(count)s organisations as %(format)s",
                data["count"],
            )
            % values
        )
    return (
        ngettext(
            "Network exported: %(count)s contact person as %(format)s",
            "Network exported: %(count)s contact persons as %(format)s",
            data["count"],
        )
        % values
    )


def referral_created(event, lookup):
    data = event.data
    if not data.get("due_on"):
        return None
    if data.get("resident_introduced"):
        return gettext("Referral sent, due on %(date)s; the reporter was introduced with their consent") % {
            "date": day(data["due_on"])
        }
    return gettext("Referral sent, due on %(date)s") % {"date": day(data["due_on"])}


def referral_due_moved(event, lookup):
    return changed(gettext("Referral due date moved"), event.data, day)


def _status(value):
    return label(ReferralStatus, value)


def _status_change(text):
    """A step of the team that moves the referral from one status to another."""

    def details(event, lookup):
        return changed(str(text), event.data, _status)

    return details


# A partner's steps: (the sentence, the sentence when the partner used the secret link).
PARTNER_STEPS = {
    "accepted": (_("Partner accepted the referral"), _("Partner accepted the referral through the link")),
    "asked": (_("Partner asked the team a question"), _("Partner asked the team a question through the link")),
    "rejected": (_("Partner rejected the referral"), _("Partner rejected the referral through the link")),
    "progress": (_("Partner reported progress"), _("Partner reported progress through the link")),
    "closed": (_("Partner closed the referral"), _("Partner closed the referral through the link")),
}


def partner_step(event, lookup):
    """ "Partner hat die Vermittlung per Link abgeschlossen: Angenommen → Abgeschlossen, Ergebnis: Gelöst"."""
    data = event.data
    if not data:
        return None
    plain, through_link = PARTNER_STEPS[event.verb.partition(".")[2]]
    what = str(through_link if data.get("via_link") else plain)
    what = changed(what, data, _status) or what
    if data.get("outcome"):
        what = gettext("%(what)s, outcome: %(outcome)s") % {"what": what, "outcome": label(Outcome, data["outcome"])}
    if data.get("public"):
        what = gettext("%(what)s (shared publicly)") % {"what": what}
    return what


register(
    {
        "organisation.created": _("Organisation created"),
        "organisation.changed": Verb(_("Organisation changed"), details=organisation_changed),
        "contact.created": _("Contact person created"),
        "contact.changed": Verb(_("Contact person changed"), details=contact_changed),
        "contact.confirmed": Verb(_("Contact person confirmed"), details=contact_confirmed),
        "contact.deleted": _("Contact person deleted (privacy request)"),
        "contact.anonymised": _("Contact person anonymised (privacy request)"),
        "relationship.created": _("Relationship recorded"),
        "relationship.ended": Verb(_("Relationship ended"), details=relationship_ended),
        "interaction.recorded": Verb(_("Activity recorded"), details=interaction_recorded),
        "network.organisations_imported": Verb(_("Organisations imported"), details=imported),
        "network.contacts_imported": Verb(_("Contact persons imported"), details=imported),
        "network.exported": Verb(_("Network exported"), details=exported),
        "referral.created": Verb(_("Referral sent"), details=referral_created),
        "referral.requested": _("Request sent to a partner"),
        "referral.answered": Verb(
            _("Team answered the partner's question"),
            details=_status_change(_("Team answered the partner's question")),
        ),
        "referral.due_moved": Verb(_("Referral due date moved"), details=referral_due_moved),
        "referral.withdrawn": Verb(_("Referral withdrawn"), details=_status_change(_("Referral withdrawn"))),
        "referral.link_revoked": _("Partner link revoked"),
        "referral.link_renewed": _("New partner link sent"),
        "referral.escalated": _("Referral escalated"),
        # The partner's steps: the sentence says who (through the link no account acts); a partner login is named.
        **{
            f"referral.{step}": Verb(texts[0], details=partner_step, nobody=None)
            for step, texts in PARTNER_STEPS.items()
        },
    }
)


def organisation_names(ids, viewer):
    """An organisation by its name, linked to its page for staff of a district it serves."""
    return {
        str(o.pk): Name(
            o.name,
            reverse("network:organisation", args=[o.pk])
            if viewer is not None and can_see_organisation(viewer, o)
            else "",
        )
        for o in Organisation.objects.filter(pk__in=ids)
    }


def contact_names(ids, viewer):
    """A contact person by name (and organisation), linked to their page for staff of their districts."""
    return {
        str(c.pk): Name(
            str(c),
            reverse("network:contact", args=[c.pk]) if viewer is not None and can_see_contact(viewer, c) else "",
        )
        for c in Contact.objects.filter(pk__in=ids).select_related("organisation")
    }


def relationship_names(ids, viewer):
    rows = Relationship.objects.filter(pk__in=ids).select_related(
        "from_organisation", "from_contact", "to_organisation", "to_contact"
    )
    return {
        str(r.pk): Name(
            gettext("Relationship: %(from)s – %(label)s – %(to)s")
            % {
                "from": str(r.from_organisation or r.from_contact),
                "label": r.label,
                "to": str(r.to_organisation or r.to_contact),
            }
        )
        for r in rows
    }


def referral_names(ids, viewer):
    """ "Vermittlung an Abfallwirtschaftsbetrieb (Anliegen #12)", linked for the staff of the referral's district."""
    rows = Referral.objects.filter(pk__in=ids).select_related("organisation", "concern", "district")
    rows = rows.prefetch_related("subject")
    return {
        str(r.pk): Name(
            gettext("Referral to %(organisation)s (%(about)s)")
            % {"organisation": r.organisation.name, "about": r.about.label},
            reverse("network:referral", args=[r.pk]) if viewer is not None and can_work_referral(viewer, r) else "",
        )
        for r in rows
    }


names("network.organisation", organisation_names)
names("network.contact", contact_names)
names("network.relationship", relationship_names)
names("network.referral", referral_names)
