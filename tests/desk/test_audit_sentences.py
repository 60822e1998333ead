"""The audit trail in words: the workspace's change list, the audit page and the CSV tell each change as a German
sentence with its details (before → after with translated labels) and who did it, and name the objects as
people know them; never a verb's code, a stored value's code or "app.model id"."""

import csv
import io
import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from kiezwerk.concerns import services as concern_services
from kiezwerk.concerns.models import ConcernStatus
from kiezwerk.core import audit
from kiezwerk.core.models import AccessibilityFeedback, AuditEvent, OutboxMail
from kiezwerk.core.services import audit_record
from kiezwerk.desk.models import FieldNote, ReplyTemplate, StreetContact
from kiezwerk.events.models import Event
from kiezwerk.network.models import (
    Contact,
    LegalBasis,
    Organisation,
    OrganisationKind,
    Outcome,
    Referral,
    Relationship,
)
from kiezwerk.network.services import referrals as referral_services
from kiezwerk.projects.models import ProjectTemplate
from kiezwerk.projects.services import projects as project_services

from ..factories import CategoryFactory, ConcernFactory, referral_answered

TITLE = "Sperrmüll in der Hofeinfahrt"


@pytest.fixture
def werner(manager):
    manager.display_name = "Werner Hansen"
    manager.save(update_fields=["display_name"])
    return manager


@pytest.fixture
def desk(client, werner):
    client.force_login(werner)
    return client


@pytest.fixture
def concern(district, category):
    lat, lon = district.centre
    concern, _token = concern_services.concern_report(
        district=district, category=category, title=TITLE, description="Zwei Sofas.", lat=lat, lon=lon
    )
    return concern


@pytest.fixture
def organisation(district):
    organisation = Organisation.objects.create(
        name="Abfallwirtschaftsbetrieb", kind=OrganisationKind.CITY_OFFICE, email="abfall@example.org"
    )
    organisation.districts.add(district)
    return organisation


def workspace(desk, concern):
    """The workspace's change list (its section), as text with the markup."""
    page = desk.get(reverse("desk:concern", args=[concern.pk])).content.decode()
    section = page[page.index('aria-labelledby="audit-heading"') :]
    return section[: section.index("</section>")]


def audit_page(desk, district, **query):
    page = desk.get(reverse("desk:audit", args=[district.slug]), query).content.decode()
    return page[page.index("<table") : page.index("</table>")]


def test_a_status_change_reads_as_a_german_sentence_with_before_after_and_actor(desk, district, concern, werner):
    concern_services.concern_reply(concern=concern, actor=werner, new_status=ConcernStatus.TRIAGED)

    expected = "Status geändert: Neu → Gesichtet, von Werner H."
    assert expected in workspace(desk, concern)
    table = audit_page(desk, district)
    assert expected in table
    # The concern is named by number and title and linked to its workspace; no code anywhere.
    url = reverse("desk:concern", args=[concern.pk])
    assert f'<a href="{url}">Anliegen #{concern.pk} <q lang="de" dir="auto">{TITLE}</q></a>' in table
    for page in (workspace(desk, concern), table):
        assert "concern.status_changed" not in page and "concerns.concern" not in page
        assert "triaged" not in page and "new →" not in page


def test_assignment_category_and_follow_up_read_with_their_labels(desk, district, concern, category, werner):
    graffiti = CategoryFactory(district=district, slug="graffiti", name_de="Graffiti")
    concern_services.concern_assign(concern=concern, actor=werner, assignee=werner)
    concern_services.concern_categorise(concern=concern, actor=werner, category=graffiti)
    concern_services.concern_follow_up(concern=concern, actor=werner, on=date(2030, 5, 1))

    for page in (workspace(desk, concern), audit_page(desk, district)):
        assert "Zuständigkeit geändert: niemand → Werner H., von Werner H." in page
        assert "Kategorie geändert: Wilder Müll → Graffiti, von Werner H." in page
        assert "Wiedervorlage gesetzt: keine → 1. Mai 2030, von Werner H." in page
        # The anonymous resident's report: nobody's account, the reporter did it.
        assert "Anliegen in „Wilder Müll“ gemeldet (Website, 0 Fotos), von der meldenden Person" in page
        assert "illegal-dumping" not in page and "2030-05-01" not in page


def test_a_partner_step_through_the_link_shows_on_the_workspace_with_its_referral(
    desk, district, concern, organisation, werner
):
    referral, _token = referral_services.referral_create(
        concern=concern, organisation=organisation, actor=werner, message="Bitte abholen."
    )
    referral_services.referral_accept(referral=referral, via_link=True)
    referral_services.referral_close(referral=referral, outcome=Outcome.SOLVED, via_link=True)

    page = workspace(desk, concern)
    assert "Partner hat die Vermittlung per Link abgeschlossen: Angenommen → Abgeschlossen, Ergebnis: Gelöst" in page
    assert "Partner hat die Vermittlung per Link angenommen: Gesendet → Angenommen" in page
    assert "Vermittlung gesendet, fällig am" in page and "von Werner H." in page
    url = reverse("network:referral", args=[referral.pk])
    named = f'<a href="{url}">Vermittlung an Abfallwirtschaftsbetrieb (Anliegen #{concern.pk})</a>'
    assert named in page
    # The audit page of this concern lists its referral's steps too, named the same way.
    table = audit_page(desk, district, concern=concern.pk)
    assert "Partner hat die Vermittlung per Link abgeschlossen" in table and named in table
    for text in (page, table):
        assert "referral.closed" not in text and "network.referral" not in text and "solved" not in text


def test_the_csv_keeps_its_codes_and_adds_the_sentence(desk, district, concern, werner):
    concern_services.concern_reply(concern=concern, actor=werner, new_status=ConcernStatus.TRIAGED)
    response = desk.get(reverse("desk:audit", args=[district.slug]), {"format": "csv", "concern": concern.pk})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == ["time", "actor", "action", "target_type", "target_id", "details", "text"]
    status = next(row for row in rows[1:] if row[2] == "concern.status_changed")
    assert status[1:5] == [werner.email, "concern.status_changed", "concerns.concern", str(concern.pk)]
    assert '"after": "triaged"' in status[5] and '"before": "new"' in status[5]
    assert status[6] == "Status geändert: Neu → Gesichtet, von Werner H."


def test_the_csv_text_follows_the_language(desk, district, concern, werner):
    concern_services.concern_reply(concern=concern, actor=werner, new_status=ConcernStatus.TRIAGED)
    desk.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = desk.get(reverse("desk:audit", args=[district.slug]), {"format": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert "Status changed: New → Triaged, by Werner H." in [row[6] for row in rows]


def test_an_old_row_without_details_reads_as_the_short_sentence(desk, district, concern, werner):
    """Rows written before a verb recorded before and after stay readable."""
    audit_record(actor=None, verb="concern.assigned", target=concern, district=district)
    audit_record(actor=werner, verb="referral.closed", target=concern, district=district)
    page = workspace(desk, concern)
    assert "Zuständigkeit geändert, vom System" in page
    assert "Partner hat die Vermittlung abgeschlossen, von Werner H." in page


# Every registered verb, with the details its services record ------------------------------------------------


def samples(x):
    """{verb: (target, details)} as the services write them; a verb missing here fails the test below."""
    return {
        "district.created": (x.district, {"area_km2": 2.345}),
        "district.updated": (x.district, {"area_km2": 2.5}),
        "district.welcome_changed": (x.district, {"languages": ["de", "ar"]}),
        "mail.resent": (x.mail, {"purpose": "concerns/email/update"}),
        "flag.resolved": (x.concern, {"flags": 2}),
        "accessibility.answered": (x.feedback, {"mailed": True}),
        "concern.reported": (x.concern, {"category": "illegal-dumping", "channel": "phone", "photos": 2}),
        "concern.status_changed": (x.concern, {"before": "new", "after": "in_progress", "update": 7}),
        "concern.replied": (x.concern, {"update": 8, "length": 12}),
        "concern.noted": (x.concern, {"update": 9, "length": 30}),
        "concern.reviewed": (x.concern, {"before": "pending", "after": "approved"}),
        "concern.assigned": (x.concern, {"before": "", "after": "Werner Hansen"}),
        "concern.categorised": (
            x.concern,
            {"before": "illegal-dumping", "after": "graffiti", "moderation": "not_required"},
        ),
        "concern.follow_up_set": (x.concern, {"before": "", "after": "2030-05-01"}),
        "concern.marked_duplicate": (
            x.concern,
            {
                "before": "new",
                "after": "duplicate",
                "original": x.original.pk,
                "supports_moved": 1,
                "subscriptions_moved": 0,
            },
        ),
        "concern.redacted": (x.concern, {"field": "description", "redaction": 1, "reason": "Name entfernt"}),
        "concern.photo_redacted": (x.concern, {"photo": 1, "redaction": 2, "reason": "Gesicht erkennbar"}),
        "concern.reporter_anonymised": (x.concern, {"reason": "retention:24"}),
        "concern.flagged": (x.concern, {"reason": "personal_data"}),
        "concern.place_corrected": (
            x.concern,
            {"before": "Donauwörther Straße 40", "after": "Donauwörther Straße 12a", "moved": True},
        ),
        "concern.language_set": (x.concern, {"before": "de", "after": "tr"}),
        "concern.review_requested": (x.concern, {"entry": 1}),
        "concern.review_dismissed": (x.concern, {"entry": 1}),
        "street_contact.recorded": (x.street_contact, {}),
        "field_note.recorded": (x.note, {}),
        "field_note.follow_up_set": (x.note, {"before": "", "after": "2030-05-01"}),
        "field_note.follow_up_done": (x.note, {"before": "2030-05-01", "after": ""}),
        "reply_template.saved": (x.template, {"title": "Dank"}),
        "reply_template.deleted": (x.template, {"title": "Dank"}),
        "privacy.exported": (x.district, {"email": "ab12cd34ef56ab78", "concerns": 2, "subscriptions": 1}),
        "privacy.erased": (x.district, {"email": "ab12cd34ef56ab78", "concerns": 1, "subscriptions": 2}),
        "organisation.created": (x.organisation, {"fields": ["kind", "name"]}),
        "organisation.changed": (x.organisation, {"fields": ["districts", "email", "name"]}),
        "contact.created": (x.contact, {"fields": ["name", "role"]}),
        "contact.changed": (x.contact, {"fields": ["phone", "role"]}),
        "contact.confirmed": (x.contact, {"before": "2024-05-01", "after": "2025-06-03"}),
        "contact.deleted": (x.contact, {}),
        "contact.anonymised": (x.contact, {}),
        "relationship.created": (x.relationship, {}),
        "relationship.ended": (x.relationship, {"after": "2025-06-03"}),
        "interaction.recorded": (x.organisation, {"kind": "meeting"}),
        "network.organisations_imported": (x.district, {"count": 3, "ids": [1, 2, 3], "encoding": "utf-8"}),
        "network.contacts_imported": (x.district, {"count": 1, "ids": [4], "encoding": "cp1252"}),
        "network.exported": (x.district, {"what": "contacts", "format": "vcf", "count": 5}),
        "referral.created": (
            x.referral,
            {
                "concern": x.concern.pk,
                "organisation": x.organisation.pk,
                "due_on": "2030-05-01",
                "resident_introduced": True,
            },
        ),
        "referral.answered": (x.referral, {"before": "asked_back", "after": "sent"}),
        "referral.due_moved": (x.referral, {"before": "2030-05-01", "after": "2030-05-08"}),
        "referral.withdrawn": (x.referral, {"before": "accepted", "after": "withdrawn"}),
        "referral.link_revoked": (x.referral, {}),
        "referral.link_renewed": (x.referral, {}),
        "referral.escalated": (x.referral, {}),
        "referral.accepted": (x.referral, {"via_link": True, "public": False, "before": "sent", "after": "accepted"}),
        "referral.asked": (x.referral, {"via_link": False, "public": False, "before": "sent", "after": "asked_back"}),
        "referral.rejected": (x.referral, {"via_link": True, "public": False, "before": "sent", "after": "rejected"}),
        "referral.progress": (x.referral, {"via_link": True, "public": True}),
        "referral.closed": (
            x.referral,
            {"via_link": True, "public": True, "before": "accepted", "after": "closed", "outcome": "not_responsible"},
        ),
        "referral.requested": (x.request, {"organisation": x.organisation.pk, "due_on": "2030-05-01"}),
        "project.created": (x.project, {"concerns": [x.concern.pk], "template": x.project_template.pk}),
        "project.changed": (x.project, {"fields": ["title", "starts_on"]}),
        "project.status_changed": (x.project, {"before": "planning", "after": "running", "update": 3}),
        "project.updated": (x.project, {"update": 4, "length": 20}),
        "project.noted": (x.project, {"update": 5, "length": 20}),
        "project.partner_added": (x.project, {"organisation": x.organisation.pk, "part": "Container"}),
        "project.partner_removed": (x.project, {"organisation": x.organisation.pk}),
        "project.concerns_linked": (x.project, {"concerns": [x.concern.pk, x.original.pk]}),
        "project.concerns_resolved": (x.project, {"concerns": [x.concern.pk]}),
        "project.outcome_recorded": (
            x.project,
            {"before": {}, "after": {"participants": 23, "hours": "60.5", "figures": {"litter_kg": 62}}},
        ),
        "project.photos_added": (x.project, {"count": 2}),
        "project.volunteers_mailed": (x.project, {"count": 23}),
        "project_template.created": (x.project_template, {"name": "Müllsammelaktion"}),
        "project_template.changed": (x.project_template, {"name": "Müllsammelaktion"}),
        "project_template.deleted": (x.project_template, {"name": "Müllsammelaktion"}),
        "task.created": (x.project, {"task": 1, "title": "Container bestellen"}),
        "task.changed": (x.project, {"task": 1, "title": "Container bestellen"}),
        "task.done": (x.project, {"task": 1, "title": "Container bestellen"}),
        "task.reopened": (x.project, {"task": 1, "title": "Container bestellen"}),
        "task.deleted": (x.project, {"title": "Container bestellen"}),
        "material.created": (x.project, {"material": 1, "name": "Handschuhe", "needed": 30}),
        "material.changed": (x.project, {"material": 1, "name": "Handschuhe", "needed": 30, "pledged": 30}),
        "material.deleted": (x.project, {"name": "Handschuhe"}),
        "shift.created": (x.project, {"shift": 1, "capacity": 6}),
        "shift.changed": (x.project, {"shift": 1, "capacity": 8}),
        "shift.deleted": (x.project, {"shift": 1}),
        "shift.attendance": (x.project, {"shift": 1, "attended": 5}),
        "signup.created": (x.project, {"shift": 1, "status": "waiting"}),
        "signup.confirmed": (x.project, {"shift": 1, "status": "registered"}),
        "signup.cancelled": (x.project, {"shift": 1, "before": "registered"}),
        "event.created": (x.event, {"dates": 1}),
        "event.submitted": (x.event, {"dates": 12}),
        "event.changed": (x.event, {"fields": ["room", "starts_at"], "proposal": [], "told": 3}),
        "event.approved": (x.event, {}),
        "event.declined": (x.event, {}),
        "event.proposal_accepted": (x.event, {}),
        "event.proposal_declined": (x.event, {}),
        "event.cancelled": (x.event, {"told": 4}),
        "event.date_cancelled": (x.event, {"told": 2}),
        "event.date_moved": (x.event, {"told": 1}),
        "event.report": (x.event, {"attendance": 14}),
        "registration.created": (x.event, {"status": "waiting"}),
        "registration.confirmed": (x.event, {"status": "registered"}),
        "registration.cancelled": (x.event, {"before": "registered"}),
        "registration.offered": (x.event, {"date": 1}),
        "registration.offer_accepted": (x.event, {}),
        "registration.offer_declined": (x.event, {}),
        "registration.offer_expired": (x.event, {}),
        "registration.attendance": (x.event, {"attended": 9}),
    }


class Things:
    """One object of every kind the audit trail names, in the district."""

    def __init__(self, district, category, organisation):
        self.district = district
        CategoryFactory(district=district, slug="graffiti", name_de="Graffiti")
        self.concern = ConcernFactory(district=district, category=category, title=TITLE)
        self.original = ConcernFactory(district=district, category=category, title="Sofa am Spielplatz")
        self.mail = OutboxMail.objects.create(
            district=district, to=["a@example.org"], from_email="x@example.org", subject="Ihr Anliegen", body="…"
        )
        self.street_contact = StreetContact.objects.create(district=district, at=timezone.now(), topic=category)
        self.note = FieldNote.objects.create(district=district, at=timezone.now(), met="Hausmeister", text="Licht")
        self.template = ReplyTemplate.objects.create(district=district, title="Dank", texts={"de": "Danke"})
        self.organisation = organisation
        self.contact = Contact.objects.create(
            name="Erika Muster",
            organisation=organisation,
            legal_basis=LegalBasis.PUBLIC_TASK,
            last_confirmed_on=timezone.localdate(),
        )
        self.relationship = Relationship.objects.create(
            district=district, from_contact=self.contact, to_organisation=organisation, label="berät", reverse_label="x"
        )
        self.referral = referral_answered(organisation, self.concern, sent=timezone.now() - timedelta(days=3))
        self.feedback = AccessibilityFeedback.objects.create(district=district, text="Kontrast zu schwach")
        self.project_template = ProjectTemplate.objects.filter(district=district).first()
        lat, lon = district.centre
        self.project = project_services.project_create(
            district=district, actor=None, title="Frühjahrsputz", goal="Sauber", lat=lat, lon=lon
        )
        self.event = Event.objects.create(
            district=district,
            title="Nachbarschaftscafé",
            starts_at=timezone.now(),
            ends_at=timezone.now() + timedelta(hours=2),
        )
        self.request = Referral.objects.create(
            subject=self.project,
            district=district,
            organisation=organisation,
            message="Bitte einen Container.",
            due_on=date(2030, 5, 1),
            remind_on=date(2030, 4, 24),
            escalate_on=date(2030, 5, 1),
            token_hash="r" * 64,
            link_expires_at=timezone.now() + timedelta(days=30),
        )


def record_every_verb(x, actor):
    events = []
    for verb, (target, details) in samples(x).items():
        events.append(audit_record(actor=actor, verb=verb, target=target, district=x.district, **details))
    return AuditEvent.objects.filter(pk__in=[e.pk for e in events]).select_related("actor").order_by("pk")


# Codes the trail must never show: a verb ("concern.status_changed"), a model label with an id
# ("network.referral 3"), a stored value ("in_progress", "not_responsible", "illegal-dumping"), an ISO date.
CODE = re.compile(r"\b[a-z]+(?:_[a-z]+)*\.[a-z_]+\b|\b[a-z]+_[a-z_]+\b|\b\d{4}-\d\d-\d\d\b|illegal-dumping|%\(")
ENGLISH = re.compile(
    r"\b(the|by|of|to|and|was|with|changed|reported|sent|set|done|none|nobody|reporter|outcome|reason|"
    r"deleted|recorded|referral|concern|partner link|through|entry|entries|organisations|contact persons?)\b",
    re.IGNORECASE,
)


def leaks(text):
    return CODE.findall(text) + ENGLISH.findall(text)


def test_every_verb_names_its_details_and_target_in_german(district, category, organisation, werner):
    x = Things(district, category, organisation)
    assert set(samples(x)) == set(audit.VERBS), "each registered verb needs a sample of the details it records"
    for actor in (werner, None):
        events = record_every_verb(x, actor)
        with translation.override("en"):
            english = {line.event.verb: line.text for line in audit.lines(events, werner)}
        with translation.override("de"):
            lines = audit.lines(events, werner)
            # The same rows without details (as rows written before the verb recorded them) read just as well.
            bare = [audit.text(AuditEvent(verb=e.verb, actor=e.actor, data={}, district=district)) for e in events]
        for line in lines:
            verb, text, target = line.event.verb, line.text, line.target.text
            assert leaks(text) == [], (verb, text)
            assert leaks(target) == [], (verb, target)
            assert text != english[verb], (verb, text)
            assert line.event.target_type not in target and "gelöscht" not in target and "Nr." not in target
            assert "ab12cd34ef56ab78" not in text  # the privacy rows' hashes are not for reading
        for verb, text in zip(events.values_list("verb", flat=True), bare, strict=True):
            assert leaks(text) == [], (verb, text)
        if actor is not None:
            assert all(line.text.endswith(", von Werner H.") for line in lines)


def test_every_verb_reads_without_codes_on_the_workspace_and_the_audit_page(
    desk, district, category, organisation, werner
):
    x = Things(district, category, organisation)
    record_every_verb(x, werner)
    pages = [workspace(desk, x.concern)] + [audit_page(desk, district, page=n) for n in (1, 2)]
    for verb in audit.VERBS:
        for page in pages:
            assert verb not in page
    texts = [re.sub(r"<[^>]+>", " ", page) for page in pages]  # the words, without the markup
    for text in texts:
        assert CODE.findall(text) == []
        for label in ("concerns.concern", "network.referral", "network.organisation", "desk.fieldnote"):
            assert label not in text
    # The workspace lists the concern's own rows and its referral's, and names the referral.
    assert "Als Dublette von Anliegen #" in texts[0] and "„Sofa am Spielplatz“ markiert" in texts[0]
    assert "Partner hat die Vermittlung per Link abgeschlossen" in texts[0]
    assert "Vermittlung an Abfallwirtschaftsbetrieb" in texts[0]
