"""The audit verbs of the desk, each with the sentence staff read and its details; how the desk's rows are named."""

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from kiezwerk.accounts.access import is_staff_of
from kiezwerk.core import privacy
from kiezwerk.core.audit import Name, Verb, changed, day, names, register

from .models import FieldNote, ReplyTemplate, StreetContact

# Keys of the privacy rows that name the person (hashes of the address and the number), not counts.
PERSON_KEYS = {"email", "phone"}


def note_follow_up_set(event, lookup):
    return changed(gettext("Follow-up of a conversation note set"), event.data, day)


def note_follow_up_done(event, lookup):
    if not event.data.get("before"):
        return None
    return gettext("Follow-up of a conversation note done (it was due on %(date)s)") % {
        "date": day(event.data["before"])
    }


def template_saved(event, lookup):
    if "title" not in event.data:
        return None
    return gettext("Reply template “%(title)s” saved") % {"title": event.data["title"]}


def template_deleted(event, lookup):
    if "title" not in event.data:
        return None
    return gettext("Reply template “%(title)s” deleted") % {"title": event.data["title"]}


def _counts(data):
    return {key: value for key, value in data.items() if key not in PERSON_KEYS and isinstance(value, int)}


def exported(event, lookup):
    count = sum(_counts(event.data).values())
    return ngettext(
        "Personal data exported (Art. 15 GDPR): %(count)s entry",
        "Personal data exported (Art. 15 GDPR): %(count)s entries",
        count,
    ) % {"count": count}


def erased(event, lookup):
    done = "; ".join(f"{label}: {count}" for label, count in privacy.erased_labels(_counts(event.data)))
    return gettext("Personal data erased (Art. 17 GDPR): %(counts)s") % {
        "counts": done or gettext("nothing was stored")
    }


register(
    {
        "street_contact.recorded": _("Street contact recorded"),
        "field_note.recorded": _("Conversation note recorded"),
        "field_note.follow_up_set": Verb(_("Follow-up of a conversation note set"), details=note_follow_up_set),
        "field_note.follow_up_done": Verb(_("Follow-up of a conversation note done"), details=note_follow_up_done),
        "reply_template.saved": Verb(_("Reply template saved"), details=template_saved),
        "reply_template.deleted": Verb(_("Reply template deleted"), details=template_deleted),
        "privacy.exported": Verb(_("Personal data exported (Art. 15 GDPR)"), details=exported),
        "privacy.erased": Verb(_("Personal data erased (Art. 17 GDPR)"), details=erased),
    }
)


def _date(moment):
    return formats.date_format(timezone.localtime(moment), "DATE_FORMAT")


def street_contact_names(ids, viewer):
    contacts = StreetContact.objects.filter(pk__in=ids).select_related("topic")
    return {
        str(c.pk): Name(gettext("Street contact of %(date)s: %(topic)s") % {"date": _date(c.at), "topic": c.topic.name})
        for c in contacts
    }


def field_note_names(ids, viewer):
    notes = FieldNote.objects.filter(pk__in=ids).only("pk", "met", "at")
    return {
        str(n.pk): Name(gettext("Conversation note with %(met)s, %(date)s") % {"met": n.met, "date": _date(n.at)})
        for n in notes
    }


def reply_template_names(ids, viewer):
    """Linked to its form for the district's staff."""
    templates = (
        ReplyTemplate.objects.filter(pk__in=ids).select_related("district").only("pk", "title", "district__slug")
    )
    return {
        str(t.pk): Name(
            gettext("Reply template “%(title)s”") % {"title": t.title},
            reverse("desk:template-edit", args=[t.district.slug, t.pk])
            if viewer is not None and is_staff_of(viewer, t.district)
            else "",
        )
        for t in templates
    }


names("desk.streetcontact", street_contact_names)
names("desk.fieldnote", field_note_names)
names("desk.replytemplate", reply_template_names)
