"""The audit verbs of the network, each with the sentence staff read."""

from django.utils.translation import gettext_lazy as _

from kiezwerk.core.audit import register

register(
    {
        "organisation.created": _("Organisation created"),
        "organisation.changed": _("Organisation changed"),
        "contact.created": _("Contact person created"),
        "contact.changed": _("Contact person changed"),
        "contact.confirmed": _("Contact person confirmed"),
        "contact.deleted": _("Contact person deleted (privacy request)"),
        "contact.anonymised": _("Contact person anonymised (privacy request)"),
        "relationship.created": _("Relationship recorded"),
        "relationship.ended": _("Relationship ended"),
        "interaction.recorded": _("Activity recorded"),
        "network.organisations_imported": _("Organisations imported"),
        "network.contacts_imported": _("Contact persons imported"),
        "network.exported": _("Network exported"),
        "referral.created": _("Referral sent"),
        "referral.answered": _("Team answered the partner's question"),
        "referral.due_moved": _("Referral due date moved"),
        "referral.withdrawn": _("Referral withdrawn"),
        "referral.link_revoked": _("Partner link revoked"),
        "referral.link_renewed": _("New partner link sent"),
        "referral.escalated": _("Referral escalated"),
        "referral.accepted": _("Partner accepted the referral"),
        "referral.asked": _("Partner asked the team a question"),
        "referral.rejected": _("Partner rejected the referral"),
        "referral.progress": _("Partner reported progress"),
        "referral.closed": _("Partner closed the referral"),
    }
)
