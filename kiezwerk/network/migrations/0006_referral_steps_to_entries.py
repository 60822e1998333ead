"""A referral's steps become entries on the concern's timeline (and back).

Until now each step was a ReferralEvent plus a copied concerns.Update (kind "referral"). concerns.0007 has
made every Update a core Entry and noted which (`Update.entry_id`); here each event sets context (the
referral), `step`, `via_link` and its own text on the Entry copied from its Update, so no step is there
twice. An event without an Update (the demo's history) gets a new internal Entry. The text is the step's
own, as written; a closing step loses its "<outcome>. " prefix (the outcome is the referral's).

Backward: each step entry becomes a ReferralEvent and its Update again, with the texts the old code wrote
("<organisation>: <step>" above an internal step; "<partner>: <text>" for a public one, in the concern's
language); the labels in the site's language.
"""

from django.conf import settings
from django.db import migrations
from django.utils import translation
from django.utils.translation import gettext

# The English labels (msgids) as the old code wrote them into texts; German as translated then.
OUTCOMES = {
    "solved": ("Solved", "Gelöst"),
    "partly": ("Partly solved", "Teilweise gelöst"),
    "not_solved": ("Not solved", "Nicht gelöst"),
    "not_responsible": ("Not our responsibility", "Nicht zuständig"),
}
STEPS = {
    "sent": "Referred",
    "accepted": "Accepted",
    "asked": "Question",
    "answered": "Answer",
    "rejected": "Rejected",
    "progress": "Progress",
    "closed": "Closed",
    "reminded": "Reminder",
    "escalated": "Escalated",
    "due_moved": "Due date moved",
    "link_revoked": "Link revoked",
    "link_renewed": "New link",
    "withdrawn": "Withdrawn",
}


def _type(apps, app_label, model):
    ContentType = apps.get_model("contenttypes", "ContentType")
    return ContentType.objects.get_or_create(app_label=app_label, model=model)[0]


def _own_text(kind, text, outcome):
    """A closing step's text without the outcome the old code put in front of it."""
    if kind == "closed":
        for label in OUTCOMES.get(outcome, ()):
            if text == f"{label}." or text.startswith(f"{label}. "):
                return text[len(label) + 1 :].strip()
    return text


def forward(apps, schema_editor):
    ReferralEvent = apps.get_model("network", "ReferralEvent")
    Entry = apps.get_model("core", "Entry")
    referral_type = _type(apps, "network", "referral")
    concern_type = _type(apps, "concerns", "concern")
    events = ReferralEvent.objects.select_related("referral__concern", "update").order_by("pk")
    new = []
    for event in events.iterator(chunk_size=2000):
        referral = event.referral
        step = {
            "context_type": referral_type,
            "context_id": referral.pk,
            "step": event.kind,
            "via_link": event.via_link,
            "text": _own_text(event.kind, event.text, referral.outcome),
        }
        if event.update is not None and event.update.entry_id:
            Entry.objects.filter(pk=event.update.entry_id).update(**step)
        else:
            new.append(
                Entry(
                    **step,
                    target_type=concern_type,
                    target_id=referral.concern_id,
                    district_id=referral.concern.district_id,
                    kind="referral",
                    is_public=event.is_public,
                    author_id=event.author_id,
                    created_at=event.created_at,
                )
            )
    Entry.objects.bulk_create(new, batch_size=2000)


def backward(apps, schema_editor):
    ReferralEvent = apps.get_model("network", "ReferralEvent")
    Referral = apps.get_model("network", "Referral")
    Update = apps.get_model("concerns", "Update")
    Entry = apps.get_model("core", "Entry")
    referral_type = _type(apps, "network", "referral")
    referrals = Referral.objects.select_related("organisation", "concern").in_bulk()
    steps = Entry.objects.filter(context_type=referral_type).order_by("created_at", "pk")
    for entry in steps.iterator(chunk_size=2000):
        referral = referrals[entry.context_id]
        with translation.override(settings.LANGUAGE_CODE):
            label = gettext(STEPS.get(entry.step, entry.step))
            own = entry.text
            if entry.step == "closed" and referral.outcome in OUTCOMES:
                own = f"{gettext(OUTCOMES[referral.outcome][0])}. {entry.text}".strip()
        if entry.is_public:
            with translation.override(referral.concern.language):
                public = referral.organisation.name if referral.organisation.visibility == "public" else None
                partner = public or gettext("a partner of our network")
                text = gettext("%(partner)s: %(text)s") % {"partner": partner, "text": entry.text}
        else:
            text = f"{referral.organisation.name}: {label}\n\n{own}".strip()
        update = Update.objects.create(
            concern_id=entry.target_id,
            kind="referral",
            is_public=entry.is_public,
            author_id=entry.author_id,
            text=text,
            created_at=entry.created_at,
        )
        event = ReferralEvent.objects.create(
            referral_id=referral.pk,
            kind=entry.step,
            text=own,
            is_public=entry.is_public,
            author_id=entry.author_id,
            via_link=entry.via_link,
            update=update,
        )
        ReferralEvent.objects.filter(pk=event.pk).update(created_at=entry.created_at)  # auto_now_add
    steps.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("network", "0005_delete_interaction"),
        ("concerns", "0007_activity_entries"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0003_activity"),
    ]

    operations = [migrations.RunPython(forward, backward)]
