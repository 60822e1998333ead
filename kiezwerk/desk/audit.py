"""The audit verbs of the desk, each with the sentence staff read."""

from django.utils.translation import gettext_lazy as _

from kiezwerk.core.audit import register

register(
    {
        "street_contact.recorded": _("Street contact recorded"),
        "field_note.recorded": _("Conversation note recorded"),
        "field_note.follow_up_set": _("Follow-up of a conversation note set"),
        "field_note.follow_up_done": _("Follow-up of a conversation note done"),
        "reply_template.saved": _("Reply template saved"),
        "reply_template.deleted": _("Reply template deleted"),
        "privacy.exported": _("Personal data exported (Art. 15 GDPR)"),
        "privacy.erased": _("Personal data erased (Art. 17 GDPR)"),
    }
)
