"""The desk's pages through the test client: what a manager sees and does, and what bad input does not change."""

import csv
import io
import json
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kiezwerk.concerns import services as concern_services
from kiezwerk.concerns.models import Channel, Concern, ConcernStatus
from kiezwerk.core.models import AuditEvent, Entry, Follower, OutboxMail
from kiezwerk.desk.models import FieldNote, ReplyTemplate, SavedFilter, StreetContact

from ..factories import ConcernFactory
from .conftest import age, mails, subscribe


@pytest.fixture
def desk(client, manager):
    client.force_login(manager)
    return client


def report(district, category, title="Sperrmüll", **kwargs):
    lat, lon = district.centre
    concern, _token = concern_services.concern_report(
        district=district, category=category, title=title, description="Am Gehweg", lat=lat, lon=lon, **kwargs
    )
    return concern


# Inbox -------------------------------------------------------------------------------------------


def test_inbox_lists_overdue_first_and_is_bounded(desk, district, category, django_assert_max_num_queries):
    fresh = ConcernFactory(district=district, category=category, title="Frisch")
    overdue = age(ConcernFactory(district=district, category=category, title="Liegt lange"), 10)
    ConcernFactory.create_batch(30, district=district, category=category, status=ConcernStatus.TRIAGED)
    # The page's own (district, user, forms, saved filters …) and the list's: the bounded count, one per
    # urgency group (shared by the page and the map), the page's rows, the map's points.
    with django_assert_max_num_queries(16):
        response = desk.get(reverse("desk:inbox", args=[district.slug]))
    body = response.content.decode()
    assert response.status_code == 200
    assert body.index(overdue.title) < body.index(fresh.title)
    assert "Überfällig" in body


def test_inbox_search_and_bad_filters(desk, district, category, other_district):
    ConcernFactory(district=district, category=category, title="Laterne defekt")
    ConcernFactory(district=district, category=category, title="Sperrmüll")
    ConcernFactory(district=other_district, title="Laterne im Nachbarviertel")
    response = desk.get(reverse("desk:inbox", args=[district.slug]), {"q": "later"})
    body = response.content.decode()
    assert "Laterne defekt" in body and "Sperrmüll" not in body and "Nachbarviertel" not in body
    # An unreadable map area is an error at its field, not a crash; the list is then unfiltered.
    response = desk.get(reverse("desk:inbox", args=[district.slug]), {"bbox": "north,south"})
    assert response.status_code == 200
    assert "vier Zahlen" in response.content.decode()


def test_saved_filters_belong_to_their_owner(desk, district, manager):
    url = reverse("desk:filter-save", args=[district.slug])
    assert desk.post(url, {"name": "", "query": "status=new"}).status_code == 302
    assert not SavedFilter.objects.exists()
    desk.post(url, {"name": "Neu bei mir", "query": "status=new&assignee=me"})
    saved = SavedFilter.objects.get()
    assert (saved.user, saved.query) == (manager, "status=new&assignee=me")
    assert "Neu bei mir" in desk.get(reverse("desk:inbox", args=[district.slug])).content.decode()


def test_bulk_change_is_all_or_nothing(desk, district, category):
    open_one = ConcernFactory(district=district, category=category)
    resolved = ConcernFactory(district=district, category=category, status=ConcernStatus.RESOLVED)
    url = reverse("desk:inbox-bulk", args=[district.slug])
    response = desk.post(
        url, {"bulk-concerns": [open_one.pk, resolved.pk], "bulk-action": "status", "bulk-status": "in_progress"}
    )
    assert response.status_code == 302
    assert Concern.objects.get(pk=open_one.pk).status == ConcernStatus.NEW  # nothing changed
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any(str(resolved.pk) in m for m in messages)
    desk.post(url, {"bulk-concerns": [open_one.pk], "bulk-action": "status", "bulk-status": "in_progress"})
    assert Concern.objects.get(pk=open_one.pk).status == ConcernStatus.IN_PROGRESS


def test_bulk_change_refuses_concerns_of_another_district(desk, district, other_district, category, manager):
    mine = ConcernFactory(district=district, category=category)
    foreign = ConcernFactory(district=other_district)
    url = reverse("desk:inbox-bulk", args=[district.slug])
    desk.post(url, {"bulk-concerns": [mine.pk, foreign.pk], "bulk-action": "assign", "bulk-assignee": manager.pk})
    assert Concern.objects.filter(assignee=manager).count() == 0


# Workspace ---------------------------------------------------------------------------------------


def test_reply_with_a_template_in_the_residents_language(
    desk, district, category, smtp_server, django_capture_on_commit_callbacks
):
    template = ReplyTemplate.objects.create(
        district=district, title="Weitergeleitet", texts={"de": "Wir haben es weitergeleitet.", "tr": "İlettik."}
    )
    title = "Kaldırımda bir haftadır eski yataklar duruyor"
    concern = report(district, category, title=title, language="tr", reporter_email="ayse@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        response = desk.post(
            reverse("desk:concern-reply", args=[concern.pk]),
            {"action": "reply", "template": template.pk, "text": "", "new_status": "referred"},
        )
    assert response.status_code == 302
    update = concern.entries.get(kind="status")
    assert update.text == "İlettik." and update.is_public
    assert Concern.objects.get(pk=concern.pk).status == ConcernStatus.REFERRED
    [(recipients, _message, body)] = mails(smtp_server)
    assert recipients == ["ayse@example.org"] and "İlettik." in body


def test_resolving_without_a_reason_keeps_everything(desk, district, category):
    concern = report(district, category)
    response = desk.post(
        reverse("desk:concern-reply", args=[concern.pk]), {"action": "reply", "text": "", "new_status": "resolved"}
    )
    assert response.status_code == 400
    assert "Bitte prüfen Sie Ihre Angaben" in response.content.decode()
    assert Concern.objects.get(pk=concern.pk).status == ConcernStatus.NEW
    assert not concern.entries.exclude(kind="created").exists()


def test_internal_note_cannot_change_the_status(desk, district, category):
    concern = report(district, category)
    response = desk.post(
        reverse("desk:concern-reply", args=[concern.pk]),
        {"action": "note", "text": "Ruft morgen an", "new_status": "triaged"},
    )
    assert response.status_code == 400
    assert "Ruft morgen an" in response.content.decode()  # the typed text is kept
    assert Concern.objects.get(pk=concern.pk).status == ConcernStatus.NEW


def test_the_workspace_offers_two_explicit_actions_and_nothing_is_public_by_default(desk, district, category):
    concern = report(district, category)
    page = desk.get(reverse("desk:concern", args=[concern.pk])).content.decode()
    assert 'name="visibility"' not in page  # no preselected "public" choice any more
    note = page.index('name="action" value="note"')
    reply = page.index('name="action" value="reply"')
    assert note < reply  # Enter in the form presses the first button: the internal note
    assert "Intern notieren" in page and "Öffentlich antworten" in page
    assert "bekommt die Antwort per E-Mail" in page  # the public button says who is mailed


@pytest.mark.parametrize("action", ["", "publish", None])
def test_a_reply_without_an_explicit_action_is_refused_and_kept(desk, district, category, action):
    concern = report(district, category, reporter_email="ayse@example.org")
    data = {"text": "Die Stadt kommt am Montag."}
    if action is not None:
        data["action"] = action
    response = desk.post(reverse("desk:concern-reply", args=[concern.pk]), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Bitte wählen Sie „Intern notieren“ oder „Öffentlich antworten“." in body
    assert "Die Stadt kommt am Montag." in body  # nothing typed is lost
    assert not concern.entries.exclude(kind="created").exists()


def test_an_internal_note_is_not_public_and_mails_nobody(desk, district, category, django_capture_on_commit_callbacks):
    concern = report(district, category, reporter_email="ayse@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        response = desk.post(
            reverse("desk:concern-reply", args=[concern.pk]), {"action": "note", "text": "Hausverwaltung anrufen"}
        )
    assert response.status_code == 302
    note = concern.entries.get(text="Hausverwaltung anrufen")
    assert not note.is_public
    assert not OutboxMail.objects.filter(purpose="concerns/email/update").exists()
    assert "Hausverwaltung anrufen" not in Client().get(concern.get_absolute_url()).content.decode()


def test_workspace_actions(desk, district, category, manager, volunteer, sensitive_category):
    concern = report(district, category)
    original = report(district, category, title="Das Original")
    desk.post(reverse("desk:concern-assign", args=[concern.pk]), {"assignee": volunteer.pk})
    desk.post(reverse("desk:concern-follow-up", args=[concern.pk]), {"on": "2031-05-04"})
    desk.post(reverse("desk:concern-category", args=[concern.pk]), {"category": sensitive_category.pk})
    concern.refresh_from_db()
    assert concern.assignee == volunteer and str(concern.follow_up_on) == "2031-05-04"
    assert concern.category == sensitive_category and not concern.is_public  # back to review
    response = desk.post(reverse("desk:concern-duplicate", args=[concern.pk]), {"duplicate-original": 999999})
    assert response.status_code == 400 and Concern.objects.get(pk=concern.pk).status == ConcernStatus.NEW
    desk.post(reverse("desk:concern-duplicate", args=[concern.pk]), {"duplicate-original": original.pk})
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.DUPLICATE and concern.duplicate_of == original
    verbs = set(AuditEvent.objects.filter(target_id=str(concern.pk)).values_list("verb", flat=True))
    assert {"concern.assigned", "concern.follow_up_set", "concern.categorised", "concern.marked_duplicate"} <= verbs
    page = desk.get(reverse("desk:concern", args=[concern.pk])).content.decode()
    assert "Das Original" in page


def test_assigning_someone_outside_the_team_is_refused(desk, district, category, resident):
    concern = report(district, category)
    response = desk.post(reverse("desk:concern-assign", args=[concern.pk]), {"assignee": resident.pk})
    assert response.status_code == 400
    assert Concern.objects.get(pk=concern.pk).assignee is None


# Intake and street round -------------------------------------------------------------------------


def test_phoned_in_concern_needs_consent_for_contact_data(desk, district, category, street):
    url = reverse("desk:capture", args=[district.slug])
    data = {
        "channel": "phone",
        "street": street.name,
        "house_number": "12",
        "category": category.pk,
        "title": "Ampel aus",
        "description": "Seit heute früh",
        "language": "de",
        "reporter_name": "Frau K.",
        "reporter_phone": "0821 123",
        "capture_key": "key-1",
    }
    response = desk.post(url, data)
    assert response.status_code == 400
    assert "Ampel aus" in response.content.decode()  # everything typed is still there
    assert not Concern.objects.exists()
    response = desk.post(url, {**data, "contact_consent": "on"})
    concern = Concern.objects.get()
    assert response.url == reverse("desk:concern", args=[concern.pk])
    assert (concern.channel, concern.reporter_phone) == (Channel.PHONE, "0821 123")
    assert concern.contact_consent_at is not None


def test_the_offline_queue_can_send_twice_and_gets_one_row(desk, district, category):
    url = reverse("desk:contact-record", args=[district.slug])
    lat, lon = district.centre
    captured = (timezone.now() - timedelta(hours=2)).isoformat()
    data = {
        "topic": category.pk,
        "people": 3,
        "language": "tr",
        "location": f"{lat},{lon}",
        "capture_key": "c0ffee",
        "captured_at": captured,
    }
    first = desk.post(url, data, headers={"X-Capture-Queue": "1"})
    second = desk.post(url, data, headers={"X-Capture-Queue": "1"})
    assert (first.status_code, first.json()["created"]) == (201, True)
    assert (second.status_code, second.json()["created"]) == (200, False)
    contact = StreetContact.objects.get()
    assert abs((timezone.now() - contact.at) - timedelta(hours=2)) < timedelta(minutes=1)  # the time it was captured
    bad = desk.post(url, {**data, "capture_key": "other", "topic": ""}, headers={"X-Capture-Queue": "1"})
    assert bad.status_code == 400 and "topic" in bad.json()["errors"]
    assert StreetContact.objects.count() == 1


def test_one_tap_turns_a_street_contact_into_a_concern(desk, district, category):
    lat, lon = district.centre
    desk.post(
        reverse("desk:contact-record", args=[district.slug]),
        {"topic": category.pk, "people": 1, "language": "de", "location": f"{lat},{lon}", "note": "Müll am Spielplatz"},
    )
    contact = StreetContact.objects.get()
    response = desk.post(reverse("desk:contact-to-concern", args=[district.slug, contact.pk]))
    concern = Concern.objects.get()
    assert response.url == reverse("desk:concern", args=[concern.pk])
    assert concern.channel == Channel.STREET and concern.description == "Müll am Spielplatz"
    desk.post(reverse("desk:contact-to-concern", args=[district.slug, contact.pk]))
    assert Concern.objects.count() == 1


def test_conversation_note_and_its_follow_up(desk, district):
    url = reverse("desk:note-record", args=[district.slug])
    response = desk.post(url, {"met": "Elternbeirat", "text": "Wünscht Zebrastreifen", "concern": 424242})
    assert response.status_code == 400 and not FieldNote.objects.exists()
    yesterday = timezone.localdate() - timedelta(days=1)
    desk.post(url, {"met": "Elternbeirat", "text": "Wünscht Zebrastreifen", "follow_up_on": yesterday.isoformat()})
    note = FieldNote.objects.get()
    today_page = desk.get(reverse("desk:today", args=[district.slug])).content.decode()
    assert "Elternbeirat" in today_page and "Überfällig" in today_page
    desk.post(reverse("desk:note-follow-up", args=[district.slug, note.pk]), {"done": "1"})
    assert "Elternbeirat" not in desk.get(reverse("desk:today", args=[district.slug])).content.decode()


# Templates, audit, privacy -------------------------------------------------------------------------


def test_reply_templates_need_german_and_a_unique_title(desk, district):
    url = reverse("desk:templates", args=[district.slug])
    response = desk.post(url, {"title": "Danke", "text_en": "Thanks"})
    assert response.status_code == 400 and "Thanks" in response.content.decode()
    desk.post(url, {"title": "Danke", "text_de": "Danke für Ihre Meldung.", "text_ar": "شكرا"})
    template = ReplyTemplate.objects.get()
    assert template.texts == {"de": "Danke für Ihre Meldung.", "ar": "شكرا"}
    response = desk.post(url, {"title": "Danke", "text_de": "Noch einmal"})
    assert response.status_code == 400 and ReplyTemplate.objects.count() == 1
    desk.post(reverse("desk:template-delete", args=[district.slug, template.pk]))
    assert not ReplyTemplate.objects.exists()


def test_audit_csv_export(desk, district, category, manager):
    concern = report(district, category)
    concern_services.concern_follow_up(concern=concern, actor=manager, on=timezone.localdate())
    response = desk.get(reverse("desk:audit", args=[district.slug]), {"format": "csv", "concern": concern.pk})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    # The machine-readable columns as before, then the row in words.
    assert rows[0] == ["time", "actor", "action", "target_type", "target_id", "details", "text"]
    assert {row[2] for row in rows[1:]} == {"concern.reported", "concern.follow_up_set"}
    assert {row[6].partition(":")[0] for row in rows[1:]} == {
        "Anliegen in „Wilder Müll“ gemeldet (Website, 0 Fotos), von der meldenden Person",
        "Wiedervorlage gesetzt",
    }
    assert all(row[4] == str(concern.pk) for row in rows[1:])
    assert "attachment" in response["Content-Disposition"]


def test_privacy_find_export_and_erase(desk, district, category):
    concern = report(district, category, reporter_name="Ayşe K.", reporter_email="ayse@example.org")
    report(district, category, title="Fremd", reporter_email="other@example.org")
    url = reverse("desk:privacy", args=[district.slug])
    found = desk.post(url, {"email": "AYSE@example.org", "action": "find"}).content.decode()
    assert "Ayşe K." in found and "Fremd" not in found
    export = desk.post(url, {"email": "ayse@example.org", "action": "export"})
    data = json.loads(export.content)
    assert [c["id"] for c in data["concerns"]] == [concern.pk] and data["subscriptions"]
    refused = desk.post(url, {"email": "ayse@example.org", "action": "erase"})  # no confirmation
    assert refused.status_code == 400
    assert Concern.objects.get(pk=concern.pk).reporter_email == "ayse@example.org"
    desk.post(url, {"email": "ayse@example.org", "action": "erase", "confirm": "on"})
    concern.refresh_from_db()
    assert (concern.reporter_name, concern.reporter_email) == ("", "")
    assert not Follower.objects.filter(email="ayse@example.org").exists()
    assert "ayse@example.org" not in json.dumps(list(AuditEvent.objects.values_list("data", flat=True)))


# Internal notes never leave the team ---------------------------------------------------------------

SECRET = "Nachbar Herr X trinkt"  # an internal note's text that must never be seen outside


def test_internal_notes_appear_in_no_public_page_feed_or_mail(
    client, district, category, manager, smtp_server, django_capture_on_commit_callbacks
):
    concern = report(district, category, reporter_email="resident@example.org")
    token_concern, token = concern_services.concern_report(
        district=district, category=category, title="Mit Link", description="x", lat=concern.lat, lon=concern.lon
    )
    subscribe(concern, "neighbour@example.org", language="en")
    with django_capture_on_commit_callbacks(execute=True):
        for target in (concern, token_concern):
            concern_services.concern_reply(concern=target, actor=manager, text=SECRET, is_public=False)
            concern_services.concern_reply(concern=target, actor=manager, text="Wir kümmern uns.", new_status="triaged")
        concern_services.concern_mark_duplicate(concern=token_concern, actor=manager, original=concern)
    assert Entry.objects.filter(text=SECRET, is_public=False).count() == 2
    public = [
        concern.get_absolute_url(),
        token_concern.get_absolute_url(),
        reverse("concerns:track", args=[token]),
        reverse("concerns:concern-list", args=[district.slug]),
        reverse("concerns:district-map", args=[district.slug]),
        reverse("concerns:open-data-geojson", args=[district.slug]),
        reverse("concerns:open-data-csv", args=[district.slug]),
    ]
    for url in public:
        response = client.get(url)
        assert response.status_code == 200, url
        content = b"".join(response.streaming_content) if response.streaming else response.content
        assert SECRET.encode() not in content, url
    sent = mails(smtp_server)
    assert len(sent) == 2  # the reply, to the reporter and to the neighbour
    assert all(SECRET not in body for _to, _message, body in sent)
    # The team sees it, marked as internal.
    client.force_login(manager)
    page = client.get(reverse("desk:concern", args=[concern.pk])).content.decode()
    assert SECRET in page and "Interne Notiz" in page


def test_today_counts_street_contacts_without_personal_data(desk, district, category):
    url = reverse("desk:contact-record", args=[district.slug])
    for people, language in ((1, "de"), (10, "tr"), (3, "tr")):
        desk.post(url, {"topic": category.pk, "people": people, "language": language})
    StreetContact.objects.create(district=district, topic=category, at=timezone.now() - timedelta(days=40))  # too old
    page = desk.get(reverse("desk:today", args=[district.slug]))
    figures = page.context["figures"]
    assert (figures["contacts"], figures["people"]) == (3, 14)
    assert figures["topics"] == [(category, 3)] and figures["languages"] == [("tr", "Türkçe", 2), ("de", "Deutsch", 1)]
    body = page.content.decode()
    assert "Straßenkontakte</dt><dd>3<" in body and "(geschätzt)</dt><dd>14<" in body


def test_a_queued_entry_of_another_account_is_refused_and_kept_on_the_phone(desk, district, category, manager):
    url = reverse("desk:contact-record", args=[district.slug])
    data = {"topic": category.pk, "people": 1, "language": "de", "capture_key": "shared-phone"}
    other = desk.post(url, data, headers={"X-Capture-Queue": "1", "X-Capture-Owner": str(manager.pk + 1000)})
    assert other.status_code == 403 and not StreetContact.objects.exists()
    mine = desk.post(url, data, headers={"X-Capture-Queue": "1", "X-Capture-Owner": str(manager.pk)})
    assert mine.status_code == 201 and StreetContact.objects.get().author == manager
