"""The audit verbs of concerns, each with the sentence staff read."""

from django.utils.translation import gettext_lazy as _

from kiezwerk.core.audit import register

register(
    {
        "concern.reported": _("Concern reported"),
        "concern.status_changed": _("Status changed"),
        "concern.replied": _("Public reply written"),
        "concern.noted": _("Internal note written"),
        "concern.reviewed": _("Concern reviewed"),
        "concern.assigned": _("Assignment changed"),
        "concern.categorised": _("Category changed"),
        "concern.follow_up_set": _("Follow-up date set"),
        "concern.marked_duplicate": _("Marked as a duplicate"),
        "concern.redacted": _("Text redacted"),
        "concern.photo_redacted": _("Photo redacted"),
        "concern.reporter_anonymised": _("Reporter's data anonymised"),
        "concern.flagged": _("Reported to the moderators by a resident"),
        "concern.place_corrected": _("Address corrected"),
        "concern.review_requested": _("A partner reported the concern as solved; the team is asked to check"),
        "concern.review_dismissed": _("The team checked the partner's report and keeps working on the concern"),
    }
)
