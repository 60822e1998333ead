"""Referrals from the team's referral to the partner's outcome, through real views, real mail and the real database."""

import email
import email.policy
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from kiezwerk.accounts.services import membership_add
from kiezwerk.concerns import services as concern_services
from kiezwerk.concerns.models import ConcernStatus
from kiezwerk.core.models import Entry, OutboxMail
from kiezwerk.network.models import (
    Contact,
    LegalBasis,
    Organisation,
    OrganisationKind,
    Referral,
    ReferralStatus,
    ReferralStep,
    Visibility,
)
from kiezwerk.network.services import referrals as services

from ..factories import CategoryFactory, UserFactory, concern_reported
from ..outbox import send_retries


def make_organisation(district, name="Amt für Abfallwirtschaft", **kwargs):
    organisation = Organisation.objects.create(
        name=name,
        kind=OrganisationKind.CITY_OFFICE,
        email=kwargs.pop("email", "abfall@example.org"),
        visibility=kwargs.pop("visibility", Visibility.PUBLIC),
        **kwargs,
    )
    organisation.districts.add(district)
    return organisation


@pytest.fixture
def organisation(district):
    return make_organisation(district)


@pytest.fixture
def partner_user(organisation):
    user = UserFactory(email="sachbearbeitung@example.org")
    membership_add(user=user, target=organisation)
    return user


@pytest.fixture
def concern(district, category):
    concern, _token = concern_reported(
        district, category, reporter_name="Ayşe K.", reporter_email="ayse@example.org", language="de"
    )
    return concern


def mails(smtp_server):
    return [
        (envelope.rcpt_tos, email.message_from_bytes(envelope.content, policy=email.policy.default))
        for envelope in smtp_server.messages
    ]


def body(message):
    """The text of a mail, also of one with attachments (the referral's site plan)."""
    return message.get_body(preferencelist=("plain",)).get_content()


def refer(concern, organisation, manager, **kwargs):
    return services.referral_create(
        concern=concern, organisation=organisation, actor=manager, message="Bitte abholen.", **kwargs
    )


# The team refers ---------------------------------------------------------------------------------


def test_referring_mails_the_partner_a_link_and_tells_the_resident(
    concern, organisation, manager, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        referral, token = refer(concern, organisation, manager)
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.REFERRED
    assert referral.due_on == timezone.localdate() + timedelta(days=14)
    assert (referral.remind_on, referral.escalate_on) == (referral.due_on - timedelta(days=7), referral.due_on)
    sent = {tuple(to): message for to, message in mails(smtp_server)}
    partner_mail = body(sent[("abfall@example.org",)])
    assert reverse("network:partner-link", args=[token]) in partner_mail
    assert "ayse@example.org" not in partner_mail and "Ayşe" not in partner_mail  # not introduced
    assert "Amt für Abfallwirtschaft" in body(sent[("ayse@example.org",)])  # public organisation named
    assert referral.token_hash != token and len(referral.token_hash) == 64


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"organisation": "foreign"}, "organisation"),
        ({"contact": "elsewhere"}, "contact"),
        ({"introduce_resident": True}, "consent"),
        ({"due_on": "yesterday"}, "due"),
        ({"message": "  "}, "message"),
    ],
)
def test_bad_referrals_change_nothing(concern, organisation, other_district, manager, change, code):
    kwargs = {"message": "Bitte abholen."}
    target = organisation
    if change.get("organisation") == "foreign":
        target = make_organisation(other_district, name="Woanders")
    if change.get("contact") == "elsewhere":
        other = make_organisation(concern.district, name="Anderes Amt")
        kwargs["contact"] = Contact.objects.create(
            name="Frau M.",
            organisation=other,
            legal_basis=LegalBasis.PUBLIC_TASK,
            last_confirmed_on=timezone.localdate(),
        )
    if change.get("introduce_resident"):
        kwargs["introduce_resident"] = True
    if change.get("due_on"):
        kwargs["due_on"] = timezone.localdate() - timedelta(days=1)
    if "message" in change:
        kwargs["message"] = change["message"]
    with pytest.raises(Exception) as error:
        services.referral_create(concern=concern, organisation=target, actor=manager, **kwargs)
    codes = {e.code for errors in error.value.error_dict.values() for e in errors}
    assert code in codes
    assert not Referral.objects.exists()
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.NEW


def test_a_second_open_referral_to_the_same_partner_is_refused(concern, organisation, manager):
    refer(concern, organisation, manager)
    with pytest.raises(Exception) as error:
        refer(concern, organisation, manager)
    assert "duplicate" in {e.code for errors in error.value.error_dict.values() for e in errors}
    other = make_organisation(concern.district, name="Grünamt", email="gruen@example.org")
    refer(concern, other, manager)  # several partners for one concern are fine
    assert concern.referrals.count() == 2


def test_closed_concerns_are_not_referred(concern, organisation, manager):
    concern_services.concern_reply(concern=concern, actor=manager, text="Erledigt.", new_status="resolved")
    with pytest.raises(Exception) as error:
        refer(concern, organisation, manager)
    assert error.value.code == "closed"


# Who gets the mail --------------------------------------------------------------------------------


def make_contact(organisation, name="Frau Demir", email="demir@example.org", role="Sachbearbeitung"):
    return Contact.objects.create(
        name=name,
        role=role,
        email=email,
        organisation=organisation,
        legal_basis=LegalBasis.PUBLIC_TASK,
        last_confirmed_on=timezone.localdate(),
    )


def received(smtp_server):
    """{recipient: [(subject, partner links in the body), …]} of the mails the server accepted."""
    found = {}
    for to, message in mails(smtp_server):
        found.setdefault(to[0], []).append((message["Subject"], re.findall(r"/p/[\w-]+/", body(message))))
    return found


def test_the_chosen_contact_alone_gets_the_link_and_the_partners_mails(
    client, concern, organisation, manager, smtp_server, django_capture_on_commit_callbacks
):
    demir = make_contact(organisation)
    smtp_server.refuse = 2  # the first attempts (resident, partner) are turned away; the retries keep the recipient
    with django_capture_on_commit_callbacks(execute=True):
        referral, token = refer(concern, organisation, manager, contact=demir)
    assert send_retries() == 2
    [(_subject, links)] = received(smtp_server)["demir@example.org"]
    assert links == [reverse("network:partner-link", args=[token])]
    assert "persönlich" in body(next(m for to, m in mails(smtp_server) if to == ["demir@example.org"]))
    # The team's answer and a new link follow the link: to the person, never to the organisation's address.
    client.post(reverse("network:partner-link", args=[token]), {"step": "ask", "text": "Welche Hausnummer?"})
    with django_capture_on_commit_callbacks(execute=True):
        services.referral_answer(referral=referral, actor=manager, text="Nummer 12.")
        new_token = services.referral_renew_link(referral=referral, actor=manager)
    got = received(smtp_server)
    assert "abfall@example.org" not in got
    assert [links for _subject, links in got["demir@example.org"]] == [
        [reverse("network:partner-link", args=[token])],
        [],  # the answer
        [reverse("network:partner-link", args=[new_token])],
    ]


def test_without_a_contact_the_organisations_address_gets_the_link_and_its_people_nothing(
    concern, organisation, manager, smtp_server, django_capture_on_commit_callbacks
):
    make_contact(organisation)
    with django_capture_on_commit_callbacks(execute=True):
        referral, token = refer(concern, organisation, manager)
    got = received(smtp_server)
    assert "demir@example.org" not in got
    [(_subject, links)] = got["abfall@example.org"]
    assert links == [reverse("network:partner-link", args=[token])]
    message = next(m for to, m in mails(smtp_server) if to == ["abfall@example.org"])
    assert "für Amt für Abfallwirtschaft bestimmt" in body(message) and "persönlich" not in body(message)
    assert referral.contact is None


@pytest.mark.parametrize("missing", ["contact", "organisation"])
def test_a_recipient_without_an_address_is_refused_and_nothing_is_written(
    concern, organisation, manager, missing, django_capture_on_commit_callbacks
):
    contact = make_contact(organisation, email="") if missing == "contact" else None
    if missing == "organisation":
        organisation.email = ""
        organisation.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(Exception) as error:
        refer(concern, organisation, manager, contact=contact)
    assert [e.code for e in error.value.error_dict["contact"]] == ["no_address"]
    assert not Referral.objects.exists()
    assert not OutboxMail.objects.filter(purpose="network/email/referral").exists()


def test_a_new_link_is_not_sent_when_the_person_has_no_address_any_more(concern, organisation, manager):
    demir = make_contact(organisation)
    referral, token = refer(concern, organisation, manager, contact=demir)
    Contact.objects.filter(pk=demir.pk).update(email="")  # e.g. erased on request
    referral.refresh_from_db()
    with pytest.raises(Exception) as error:
        services.referral_renew_link(referral=referral, actor=manager)
    assert error.value.code == "no_address"
    assert services.referral_by_token(token) == (referral, "ok")  # the old link still works
    assert OutboxMail.objects.filter(purpose="network/email/referral").count() == 1


# The partner answers through the link ----------------------------------------------------------------


def test_partner_link_lifecycle_reaches_the_residents_tracking_page(
    client, concern, organisation, manager, smtp_server, django_capture_on_commit_callbacks, district
):
    lat, lon = district.centre
    tracked, tracking_token = concern_services.concern_report(
        district=district, category=concern.category, title="Glas am Radweg", description="x", lat=lat, lon=lon
    )
    referral, token = refer(tracked, organisation, manager)
    url = reverse("network:partner-link", args=[token])
    page = client.get(url)
    assert page.status_code == 200 and page["Referrer-Policy"] == "same-origin"
    assert "Glas am Radweg" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"step": "accept", "text": ""}).status_code == 302
    tracked.refresh_from_db()
    assert tracked.status == ConcernStatus.IN_PROGRESS
    client.post(url, {"step": "progress", "text": "Termin am Montag.", "public": "on"})
    client.post(url, {"step": "progress", "text": "Intern: Fahrzeug defekt."})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"step": "close", "outcome": "solved", "text": "Abgeholt am Montag.", "public": "on"})
    referral.refresh_from_db()
    assert (referral.status, referral.outcome) == (ReferralStatus.CLOSED, "solved")
    assert list(referral.steps.values_list("step", flat=True)) == [
        "sent",
        "accepted",
        "progress",
        "progress",
        "closed",
    ]
    assert all(event.via_link for event in referral.steps.exclude(step="sent"))
    tracking = client.get(reverse("concerns:track", args=[tracking_token])).content.decode()
    assert "Amt für Abfallwirtschaft: Termin am Montag." in tracking
    assert "Amt für Abfallwirtschaft: Abgeholt am Montag." in tracking
    assert "Fahrzeug defekt" not in tracking
    # The team was told of each step by mail.
    team_mails = [message for to, message in mails(smtp_server) if to == [manager.email]]
    assert len(team_mails) == 2  # accepted and closed (progress was not sent to the SMTP server here)
    # A finished referral offers no more steps: a repeated close changes nothing.
    response = client.post(url, {"step": "close", "outcome": "not_solved", "text": "x"})
    assert response.status_code == 400
    referral.refresh_from_db()
    assert referral.outcome == "solved"


def test_question_and_answer_go_back_and_forth(
    client, concern, organisation, manager, smtp_server, django_capture_on_commit_callbacks
):
    referral, token = refer(concern, organisation, manager)
    url = reverse("network:partner-link", args=[token])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"step": "ask", "text": "Welche Hausnummer genau?"})
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ASKED_BACK
    assert any("Welche Hausnummer" in body(m) for to, m in mails(smtp_server) if to == [manager.email])
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("network:referral-action", args=[referral.pk, "answer"]), {"text": "Nummer 12."})
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SENT
    assert any("Nummer 12." in body(m) for to, m in mails(smtp_server) if to == ["abfall@example.org"])
    # Questions and answers are internal: never on the public page.
    assert not Entry.objects.filter(concern=concern, is_public=True, text__contains="Hausnummer").exists()


def test_rejecting_needs_a_reason(client, concern, organisation, manager):
    referral, token = refer(concern, organisation, manager)
    url = reverse("network:partner-link", args=[token])
    assert client.post(url, {"step": "reject", "text": ""}).status_code == 400
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SENT
    client.post(url, {"step": "reject", "text": "Privatgrund – bitte Hausverwaltung."})
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.REJECTED


@pytest.mark.parametrize("state", ["expired", "revoked", "unknown"])
def test_dead_links_show_a_clear_page_and_change_nothing(client, concern, organisation, manager, state):
    referral, token = refer(concern, organisation, manager)
    if state == "expired":
        Referral.objects.filter(pk=referral.pk).update(link_expires_at=timezone.now() - timedelta(minutes=1))
    elif state == "revoked":
        services.referral_revoke_link(referral=referral, actor=manager)
    else:
        token = "x" * 43
    url = reverse("network:partner-link", args=[token])
    page = client.get(url)
    assert page.status_code == (404 if state == "unknown" else 410)
    assert "Nichts wurde geändert" in page.content.decode() or "Nothing has been changed" in page.content.decode()
    before = referral.steps.count()
    assert client.post(url, {"step": "accept"}).status_code in (404, 410)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SENT and referral.steps.count() == before


def test_a_new_link_replaces_the_old_one(client, concern, organisation, manager):
    referral, old = refer(concern, organisation, manager)
    new = services.referral_renew_link(referral=referral, actor=manager)
    assert client.get(reverse("network:partner-link", args=[old])).status_code == 404
    assert client.get(reverse("network:partner-link", args=[new])).status_code == 200


def test_the_resident_is_introduced_only_with_consent(client, concern, organisation, manager):
    _referral, token = refer(concern, organisation, manager, introduce_resident=True, resident_consent=True)
    page = client.get(reverse("network:partner-link", args=[token])).content.decode()
    assert "Ayşe K." in page and "ayse@example.org" in page


# The partner login --------------------------------------------------------------------------------


def test_partners_see_only_their_organisations_referrals(client, concern, organisation, partner_user, manager):
    mine, _ = refer(concern, organisation, manager)
    other_org = make_organisation(concern.district, name="Grünamt", email="gruen@example.org")
    theirs, _ = refer(concern, other_org, manager)
    concern_services.concern_reply(
        concern=concern, actor=manager, text="Intern: Nachbar ist Hausmeister", is_public=False
    )
    client.force_login(partner_user)
    listing = client.get(reverse("network:partner-home")).content.decode()
    assert reverse("network:partner-referral", args=[mine.pk]) in listing
    assert reverse("network:partner-referral", args=[theirs.pk]) not in listing
    assert client.get(reverse("network:partner-referral", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("network:partner-referral", args=[theirs.pk]), {"step": "accept"}).status_code == 404
    page = client.get(reverse("network:partner-referral", args=[mine.pk])).content.decode()
    assert "Sperrmüll an der Ecke" in page
    assert "ayse@example.org" not in page and "Ayşe" not in page  # no consent, no contact data
    assert "Nachbar ist Hausmeister" not in page  # internal notes of the team never
    client.post(reverse("network:partner-referral", args=[mine.pk]), {"step": "accept"})
    mine.refresh_from_db()
    assert mine.status == ReferralStatus.ACCEPTED
    assert mine.steps.get(step="accepted").author == partner_user
    theirs.refresh_from_db()
    assert theirs.status == ReferralStatus.SENT


def test_partner_list_spans_districts_with_filters_and_counts(
    client, concern, organisation, partner_user, manager, other_district
):
    organisation.districts.add(other_district)
    lat, lon = other_district.centre
    there, _token = concern_services.concern_report(
        district=other_district,
        category=CategoryFactory(district=other_district, slug="waste"),
        title="Glascontainer voll",
        description="Seit einer Woche.",
        lat=lat,
        lon=lon,
    )
    here, _ = refer(concern, organisation, manager)
    away, _ = refer(there, organisation, manager)
    services.referral_accept(referral=away, actor=partner_user)
    services.referral_close(referral=away, outcome="solved", actor=partner_user)
    client.force_login(partner_user)

    def listed(query=""):
        page = client.get(reverse("network:partner-home") + query).content.decode()
        return page, {pk for pk in (here.pk, away.pk) if reverse("network:partner-referral", args=[pk]) in page}

    page, shown = listed()
    assert shown == {here.pk} and "Offen (1)" in page and "Abgeschlossen (1)" in page
    assert listed("?status=all")[1] == {here.pk, away.pk}
    assert listed("?status=closed")[1] == {away.pk}
    assert listed(f"?status=all&district={other_district.slug}")[1] == {away.pk}
    page, shown = listed("?status=nonsense&district=nowhere")  # unknown values fall back: open, every district
    assert shown == {here.pk}
    assert "Testviertel" in page and "Nachbarviertel" in page  # the district filter offers both


@pytest.mark.parametrize("who", ["resident", "manager", "other_manager"])
def test_people_without_an_organisation_have_no_partner_view(request, client, who, concern, organisation, manager):
    referral, _ = refer(concern, organisation, manager)
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("network:partner-home")).status_code == 403
    assert client.get(reverse("network:partner-referral", args=[referral.pk])).status_code == 404


@pytest.mark.parametrize("who", ["resident", "partner_user", "other_manager"])
def test_only_the_districts_staff_refer_and_follow_up(request, client, who, concern, organisation, manager):
    referral, _ = refer(concern, organisation, manager)
    client.force_login(request.getfixturevalue(who))
    urls = [
        reverse("network:refer", args=[concern.pk]),
        reverse("network:referral", args=[referral.pk]),
        *[
            reverse("network:referral-action", args=[referral.pk, a])
            for a in ("answer", "due", "withdraw", "revoke", "renew")
        ],
        reverse("network:escalations", args=[concern.district.slug]),
    ]
    for url in urls:
        for method in (client.get, client.post):
            assert method(url, {"organisation": organisation.pk, "message": "x", "text": "x"}).status_code in (
                403,
                404,
            ), url
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SENT and referral.link_revoked_at is None
    assert Referral.objects.count() == 1


# The team's pages ---------------------------------------------------------------------------------


def test_refer_page_refers_and_bad_input_keeps_the_text(client, concern, organisation, manager):
    client.force_login(manager)
    url = reverse("network:refer", args=[concern.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Amt für Abfallwirtschaft" in page.content.decode()
    response = client.post(url, {"organisation": "", "message": "Bitte bis Freitag.", "plan": "standard"})
    assert response.status_code == 400 and "Bitte bis Freitag." in response.content.decode()
    final = {"organisation": organisation.pk, "recipients_of": organisation.pk, "message": "Bitte bis Freitag."}
    response = client.post(url, {**final, "plan": "urgent", "introduce_resident": "on"})
    assert response.status_code == 400 and not Referral.objects.exists()  # no consent recorded
    response = client.post(url, {**final, "plan": "urgent"})
    assert response.url == reverse("desk:concern", args=[concern.pk])
    referral = Referral.objects.get()
    assert referral.due_on == timezone.localdate() + timedelta(days=3)
    workspace = client.get(reverse("desk:concern", args=[concern.pk])).content.decode()
    assert reverse("network:referral", args=[referral.pk]) in workspace


def _select(page, name):
    return re.search(rf'<select name="{name}".*?</select>', page, re.S).group(0)


def test_refer_page_without_javascript_asks_for_the_recipient_in_a_second_step_keeping_the_input(
    client, concern, organisation, district, manager, smtp_server, django_capture_on_commit_callbacks
):
    demir = make_contact(organisation)
    other = make_organisation(district, name="Grünflächenamt", email="gruen@example.org")
    make_contact(other, name="Herr Grün", email="herr.gruen@example.org")
    client.force_login(manager)
    url = reverse("network:refer", args=[concern.pk])
    page = client.get(url).content.decode()
    assert re.search(r'<div id="recipient-field"[^>]*\shidden>', page)  # step 1: no list of people yet
    assert "Weiter: Empfänger wählen" in page
    due = (timezone.localdate() + timedelta(days=20)).isoformat()
    entered = {
        "organisation": organisation.pk,
        "message": "Bitte bis Freitag abholen.",
        "plan": "long",
        "due_on": due,
        "introduce_resident": "on",
        "resident_consent": "on",
    }
    step_two = client.post(url, entered)
    assert step_two.status_code == 200 and not Referral.objects.exists()
    page = step_two.content.decode()
    recipients = _select(page, "contact")
    assert "An die Adresse der Organisation (abfall@example.org)" in recipients
    assert "Frau Demir – Sachbearbeitung (demir@example.org)" in recipients
    assert "Herr Grün" not in recipients and "autofocus" in recipients
    assert not re.search(r'<div id="recipient-field"[^>]*\shidden>', page)
    assert f'name="recipients_of" id="id_recipients_of" value="{organisation.pk}"' in page
    assert "Bitte bis Freitag abholen.</textarea>" in page and f'value="{due}"' in page
    form = step_two.context["form"]
    assert (form["plan"].value(), form["introduce_resident"].value(), form["resident_consent"].value()) == (
        "long",
        True,
        True,
    )
    # Changing the organisation on the second page (no JavaScript): its people are listed, nothing is sent.
    changed = client.post(url, {**entered, "organisation": other.pk, "recipients_of": organisation.pk})
    assert changed.status_code == 200 and not Referral.objects.exists()
    assert "Herr Grün" in _select(changed.content.decode(), "contact")
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(url, {**entered, "recipients_of": organisation.pk, "contact": demir.pk})
    assert done.url == reverse("desk:concern", args=[concern.pk])
    referral = Referral.objects.get()
    assert (referral.organisation, referral.contact, referral.plan) == (organisation, demir, "long")
    assert referral.message == "Bitte bis Freitag abholen." and referral.resident_introduced_at
    assert set(received(smtp_server)) >= {"demir@example.org"} and "abfall@example.org" not in received(smtp_server)
    follow = client.get(done.url).content.decode()
    assert "die E-Mail geht an demir@example.org" in follow


@pytest.mark.parametrize("who", ["other_organisations", "unknown"])
def test_a_crafted_contact_is_refused_with_a_clear_error_and_nothing_is_written(
    client, concern, organisation, district, manager, who
):
    other = make_organisation(district, name="Grünflächenamt", email="gruen@example.org")
    stranger = make_contact(other, name="Herr Grün", email="herr.gruen@example.org")
    client.force_login(manager)
    response = client.post(
        reverse("network:refer", args=[concern.pk]),
        {
            "organisation": organisation.pk,
            "recipients_of": organisation.pk,
            "contact": stranger.pk if who == "other_organisations" else 999999,
            "message": "Bitte abholen.",
            "plan": "standard",
        },
    )
    assert response.status_code == 400
    errors = response.context["form"].errors.as_data()["contact"]
    if who == "other_organisations":
        assert [e.code for e in errors] == ["contact"]
        assert "Herr Grün ist nicht bei Amt für Abfallwirtschaft tätig." in response.content.decode()
    else:
        assert "Bitte wählen Sie einen Empfänger aus der Liste." in response.content.decode()
    assert "Bitte abholen.</textarea>" in response.content.decode()
    assert not Referral.objects.exists() and not OutboxMail.objects.filter(purpose="network/email/referral").exists()
    assert not Entry.objects.filter(concern=concern, kind="referral").exists()


def test_refer_page_suggests_who_else_can_help(client, concern, category, district, manager):
    asked = make_organisation(district, "Amt für Abfallwirtschaft", topics=[category.slug])
    make_organisation(district, "Saubere Ecke e.V.", topics=[category.slug], email="ecke@example.org")
    client.force_login(manager)
    url = reverse("network:refer", args=[concern.pk])
    page = client.get(url).content.decode()
    suggestions = page.split('id="suggestions-heading"')[1].split("</ol>")[0]
    assert "Amt für Abfallwirtschaft" in suggestions and "Saubere Ecke e.V." in suggestions
    assert "Bereits zu diesem Anliegen gefragt" not in page
    refer(concern, asked, manager)
    page = client.get(url).content.decode()
    suggestions, already = page.split('id="suggestions-heading"')[1].split("</ol>")[0:2]
    assert "Saubere Ecke e.V." in suggestions and "Amt für Abfallwirtschaft" not in suggestions
    assert "Bereits zu diesem Anliegen gefragt" in already and "Amt für Abfallwirtschaft" in already


def test_moving_the_due_date_recomputes_reminder_and_escalation(client, concern, organisation, manager):
    referral, _ = refer(concern, organisation, manager)
    client.force_login(manager)
    new_due = timezone.localdate() + timedelta(days=30)
    client.post(reverse("network:referral-action", args=[referral.pk, "due"]), {"due_on": new_due.isoformat()})
    referral.refresh_from_db()
    assert (referral.due_on, referral.remind_on, referral.escalate_on) == (
        new_due,
        new_due - timedelta(days=7),
        new_due,
    )
    response = client.post(reverse("network:referral-action", args=[referral.pk, "due"]), {"due_on": "2001-01-01"})
    assert response.status_code == 400
    referral.refresh_from_db()
    assert referral.due_on == new_due


# Reminders and escalation ---------------------------------------------------------------------------


def test_reminder_then_escalation_each_once_by_mail(
    concern, organisation, manager, smtp_server, django_capture_on_commit_callbacks
):
    referral, _ = refer(concern, organisation, manager)
    smtp_server.messages.clear()
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.referral_followups_send(today=today) == (0, 0)
        assert services.referral_followups_send(today=referral.remind_on) == (1, 0)
        assert services.referral_followups_send(today=referral.remind_on) == (0, 0)  # once
    recipients = sorted(to[0] for to, _m in mails(smtp_server))
    assert recipients == ["abfall@example.org", manager.email]
    smtp_server.messages.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.referral_followups_send(today=referral.escalate_on + timedelta(days=1)) == (0, 1)
        assert services.referral_followups_send(today=referral.escalate_on + timedelta(days=2)) == (0, 0)
    [(to, message)] = mails(smtp_server)
    assert to == [manager.email]
    assert "Eskaliert" in message["Subject"] or "Escalated" in message["Subject"]
    assert referral.steps.filter(step=ReferralStep.ESCALATED).count() == 1


def test_a_refused_reminder_mail_is_retried(
    concern, organisation, manager, smtp_server, django_capture_on_commit_callbacks
):
    referral, _ = refer(concern, organisation, manager)
    smtp_server.messages.clear()
    smtp_server.refuse = 1
    with django_capture_on_commit_callbacks(execute=True):
        services.referral_followups_send(today=referral.remind_on)
    send_retries()
    assert len(smtp_server.messages) == 2  # partner and team, the refused attempt retried


def test_escalation_list_shows_overdue_referrals(client, concern, organisation, manager):
    concern.title, concern.language = "Kadınlar için buluşma yeri", "tr"
    concern.save(update_fields=["title", "language"])
    referral, _ = refer(concern, organisation, manager)
    Referral.objects.filter(pk=referral.pk).update(escalate_on=timezone.localdate() - timedelta(days=2))
    client.force_login(manager)
    page = client.get(reverse("network:escalations", args=[concern.district.slug])).content.decode()
    assert reverse("network:referral", args=[referral.pk]) in page
    assert '<span lang="tr" dir="auto">Kadınlar için buluşma yeri</span>' in page  # read out in Turkish


def test_the_command_runs_the_followups(concern, organisation, manager):
    from django.core.management import call_command

    referral, _ = refer(concern, organisation, manager)
    Referral.objects.filter(pk=referral.pk).update(remind_on=timezone.localdate())
    call_command("referral_reminders")
    assert referral.steps.filter(step=ReferralStep.REMINDED).count() == 1


def test_a_suggestion_preselects_its_organisation(client, concern, organisation, manager):
    client.force_login(manager)
    page = client.get(reverse("network:refer", args=[concern.pk]), {"organisation": organisation.pk})
    assert page.context["form"]["organisation"].value() == str(organisation.pk)
