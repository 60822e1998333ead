"""A partner's "solved" reaches the team: "bitte prüfen" in the inbox and today, resolved with the partner's text."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kiezwerk.concerns import services as concern_services
from kiezwerk.concerns.models import ConcernStatus
from kiezwerk.core.models import AuditEvent
from kiezwerk.desk import selectors as desk_selectors
from kiezwerk.network.models import ReferralStatus, Visibility
from kiezwerk.network.services import referrals as services

from ..factories import concern_reported
from .test_referrals import make_organisation, refer

REVIEW = "Partner meldet erledigt – bitte prüfen"


def report(district, category, title):
    return concern_reported(district, category, title=title)[0]


@pytest.fixture
def closed_as_solved(district, category, organisation, manager):
    concern = report(district, category, "Sperrmüll in der Hofeinfahrt")
    referral, _token = refer(concern, organisation, manager)
    services.referral_accept(referral=referral, via_link=True)
    services.referral_close(referral=referral, outcome="solved", text="Am Dienstag abgeholt.", via_link=True)
    concern.refresh_from_db()
    return concern


@pytest.fixture
def organisation(district):
    return make_organisation(district)


def test_solved_by_the_partner_comes_first_in_the_inbox_and_in_today(
    client, district, category, closed_as_solved, manager
):
    newer = report(district, category, "Laterne kaputt")  # newer, and new: it would come first without the review
    rows = list(desk_selectors.inbox(district=district))
    assert [row.pk for row in rows[:2]] == [closed_as_solved.pk, newer.pk]
    client.force_login(manager)
    inbox = client.get(reverse("desk:inbox", args=[district.slug])).content.decode()
    listed = inbox[inbox.index('class="concern-list desk-list"') :]
    assert listed.count(REVIEW) == 1
    assert listed.index("Sperrmüll in der Hofeinfahrt") < listed.index(REVIEW) < listed.index("Laterne kaputt")
    today = client.get(reverse("desk:today", args=[district.slug])).content.decode()
    assert REVIEW in today and "Sperrmüll in der Hofeinfahrt" in today
    assert AuditEvent.objects.filter(verb="concern.review_requested", target_id=str(closed_as_solved.pk)).exists()


@pytest.mark.parametrize("outcome", ["not_solved", "not_responsible"])
def test_other_outcomes_ask_for_no_check(district, category, organisation, manager, outcome):
    concern = report(district, category, "Graffiti")
    referral, _token = refer(concern, organisation, manager)
    services.referral_close(referral=referral, outcome=outcome, text="Nicht bei uns.", via_link=True)
    concern.refresh_from_db()
    assert concern.review_entry is None


def test_the_workspace_resolves_with_the_partners_text(
    client, closed_as_solved, manager, django_capture_on_commit_callbacks
):
    client.force_login(manager)
    url = reverse("desk:concern", args=[closed_as_solved.pk])
    page = client.get(url).content.decode()
    assert REVIEW in page
    assert "Amt für Abfallwirtschaft hat die Vermittlung am" in page and "„Gelöst“" in page
    assert '<textarea name="text" id="review-text"' in page and "Am Dienstag abgeholt.</textarea>" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("desk:concern-reply", args=[closed_as_solved.pk]),
            {"action": "reply", "new_status": "resolved", "text": "Am Dienstag abgeholt."},
        )
    assert response.status_code == 302
    closed_as_solved.refresh_from_db()
    assert closed_as_solved.status == ConcernStatus.RESOLVED and closed_as_solved.review_entry is None
    public = Client().get(closed_as_solved.get_absolute_url()).content.decode()
    assert "Am Dienstag abgeholt." in public
    assert REVIEW not in client.get(url).content.decode()
    assert closed_as_solved.pk not in [c.pk for c in desk_selectors.review_list(district=closed_as_solved.district)]


def test_keep_working_clears_the_check_and_keeps_the_concern_open(client, closed_as_solved, manager):
    client.force_login(manager)
    response = client.post(reverse("desk:concern-review-dismiss", args=[closed_as_solved.pk]))
    assert response.status_code == 302
    closed_as_solved.refresh_from_db()
    assert closed_as_solved.review_entry is None and closed_as_solved.status == ConcernStatus.IN_PROGRESS
    assert AuditEvent.objects.filter(verb="concern.review_dismissed", actor=manager).exists()
    # A second click finds nothing to dismiss: a clear message, nothing changes.
    again = client.post(reverse("desk:concern-review-dismiss", args=[closed_as_solved.pk]), follow=True)
    assert "Kein Partner hat dieses Anliegen als erledigt gemeldet." in again.content.decode()


def test_a_concern_closed_before_the_partner_answers_is_not_reopened_for_checking(
    district, category, organisation, manager
):
    concern = report(district, category, "Bank kaputt")
    referral, _token = refer(concern, organisation, manager)
    concern_services.concern_reply(concern=concern, actor=manager, text="Erledigt.", new_status="resolved")
    services.referral_close(referral=referral, outcome="solved", via_link=True)
    concern.refresh_from_db()
    assert concern.review_entry is None and concern.status == ConcernStatus.RESOLVED


def test_a_closed_referral_shows_no_due_date(client, closed_as_solved, manager, organisation):
    referral = closed_as_solved.referrals.get()
    assert referral.status == ReferralStatus.CLOSED
    due = f"fällig am {referral.due_on:%-d}."
    client.force_login(manager)
    workspace = client.get(reverse("desk:concern", args=[closed_as_solved.pk])).content.decode()
    panel = workspace[workspace.index('id="referrals-heading"') :]
    panel = panel[: panel.index("</section>")]
    assert due not in panel and "beendet am" in panel  # (the change list still tells when it was due)
    page = client.get(reverse("network:referral", args=[referral.pk])).content.decode()
    heading = page[: page.index('id="steps-heading"')]
    assert due not in heading and "beendet am" in heading
    token = services._new_link(referral)
    referral.save()
    partner_page = Client().get(reverse("network:partner-link", args=[token])).content.decode()
    assert "bitte antworten Sie bis" not in partner_page.lower() and "beendet am" in partner_page
    # Reminders only for open referrals: the follow-up run leaves it alone.
    referral.remind_on = timezone.localdate()
    referral.save()
    assert services.referral_followups_send() == (0, 0)


@pytest.mark.parametrize("visibility, named", [(Visibility.PUBLIC, True), (Visibility.INTERNAL, False)])
def test_the_public_timeline_shows_the_handover(district, category, manager, visibility, named):
    organisation = make_organisation(district, name="Stadtteilverein Nord", visibility=visibility)
    concern = report(district, category, "Spielplatz")
    concern_services.concern_reply(concern=concern, actor=manager, text="", new_status="in_progress")
    refer(concern, organisation, manager)  # already in progress: no status change, but still told
    public = Client().get(concern.get_absolute_url()).content.decode()
    if named:
        assert "Ihr Anliegen wurde weitergegeben an: Stadtteilverein Nord." in public
    else:
        assert "Stadtteilverein Nord" not in public
        assert "Ihr Anliegen wurde an einen Partner aus unserem Netzwerk weitergegeben." in public
