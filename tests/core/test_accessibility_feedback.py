"""The accessibility statement's feedback form: stored, mailed to the operator, answered from the desk."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from kiezwerk.core import privacy
from kiezwerk.core.models import AccessibilityFeedback, AuditEvent, OutboxMail

from ..desk.conftest import mails

URL = "/accessibility/"


@pytest.fixture
def operator(settings, db):
    settings.ACCESSIBILITY_CONTACT_EMAIL = "barrieren@example.org"
    return settings


def send(client, **data):
    return client.post(URL, {"text": "Der Knopf „Absenden“ ist mit dem Screenreader nicht zu finden.", **data})


def test_the_form_is_prefilled_with_the_page_the_person_came_from(client):
    text = client.get(URL + "?page=/districts/testviertel/concerns/").content.decode()
    assert 'name="page" value="/districts/testviertel/concerns/"' in text


def test_a_secret_links_token_is_never_prefilled(client):
    """The feedback is stored and mailed: the tracking link someone came from must not go with it."""
    token = "Zq3kP9xW-7bTn_2LmVv8sR4y"
    text = client.get(URL, {"page": f"/track/{token}/?from=mail"}).content.decode()
    assert 'name="page" value="/track/…/"' in text and 'name="page" value="/track/Zq3' not in text


@pytest.mark.parametrize("page", ["https://spam.example/", "//spam.example/x", "javascript:alert(1)"])
def test_only_a_page_of_this_site_is_prefilled(client, page):
    text = client.get(URL, {"page": page}).content.decode()
    assert '<input type="text" name="page" maxlength="300"' in text
    assert 'name="page" value=' not in text


def test_feedback_is_stored_and_mailed_to_the_operator(
    client, district, operator, smtp_server, django_capture_on_commit_callbacks
):
    page = f"/districts/{district.slug}/report/"
    with django_capture_on_commit_callbacks(execute=True):
        response = send(client, page=page, email="Leser@Example.org", name="Frau Schmidt")
    assert response.status_code == 302
    assert response.url == reverse("core:accessibility-thanks")
    feedback = AccessibilityFeedback.objects.get()
    assert (feedback.page, feedback.email, feedback.name, feedback.language) == (
        page,
        "Leser@Example.org",
        "Frau Schmidt",
        "de",
    )
    assert feedback.district == district  # the page belongs to the district: its team sees it
    [(recipients, message, body)] = mails(smtp_server)
    assert recipients == ["barrieren@example.org"]
    subject = f"Barriere gemeldet (Rückmeldung zur Barrierefreiheit #{feedback.pk})"
    assert OutboxMail.objects.get().subject == subject
    assert message["Subject"].strip() == subject  # a long encoded header comes back folded
    assert message["Reply-To"] == "Leser@Example.org"
    assert "Screenreader nicht zu finden" in body
    assert f"Seite: {page}" in body
    thanks = client.get(response.url).content.decode()
    assert "Danke für Ihre Rückmeldung" in thanks
    assert "Wir antworten Ihnen innerhalb eines Monats per E-Mail." in thanks


def test_feedback_without_an_address_or_district_page_is_the_whole_sites(client, operator, district):
    response = send(client, page="Auf der Startseite")
    assert response.status_code == 302
    feedback = AccessibilityFeedback.objects.get()
    assert (feedback.district, feedback.email, feedback.page) == (None, "", "Auf der Startseite")
    assert "per E-Mail" not in client.get(response.url).content.decode()


def test_the_thanks_page_alone_leads_back_to_the_statement(client):
    assert client.get(reverse("core:accessibility-thanks")).url == URL


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"text": ""}, "Bitte beschreiben Sie die Barriere."),
        ({"text": "   "}, "Bitte beschreiben Sie die Barriere."),
        ({"email": "kein-at"}, "Bitte gültige E-Mail-Adresse eingeben."),
        ({"text": "x" * 3001}, "höchstens 3000 Zeichen"),
    ],
)
def test_bad_input_is_explained_and_nothing_is_stored(client, operator, data, error):
    response = send(client, **data)
    assert response.status_code == 400
    assert error in response.content.decode()
    assert not AccessibilityFeedback.objects.exists()


def test_the_errors_are_translated(client, operator):
    client.cookies["django_language"] = "tr"
    response = send(client, text="")
    assert response.status_code == 400
    assert "Lütfen engeli açıklayın." in response.content.decode()


def test_a_nul_byte_is_refused(client, operator):
    response = send(client, text="Text\x00mit Nullbyte")
    assert response.status_code == 400
    assert not AccessibilityFeedback.objects.exists()


def test_the_form_is_rate_limited_per_client(client, operator, settings):
    settings.INTAKE_RATES = {**settings.INTAKE_RATES, "accessibility": "2/h"}
    assert [send(client).status_code for _ in range(2)] == [302, 302]
    response = send(client)
    assert response.status_code == 400
    assert "Zu viele" in response.content.decode()
    assert AccessibilityFeedback.objects.count() == 2
    other = client.post(URL, {"text": "Andere Verbindung"}, REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 302


def test_the_enforcement_body_comes_from_settings(client, settings):
    settings.ENFORCEMENT_BODY_NAME = "Durchsetzungsstelle Barrierefreiheit Bayern"
    settings.ENFORCEMENT_BODY_ADDRESS = "Beispielweg 2, 80331 München"
    settings.ENFORCEMENT_BODY_PHONE = ""
    settings.ENFORCEMENT_BODY_EMAIL = "durchsetzung@example.org"
    settings.ENFORCEMENT_BODY_URL = "https://durchsetzung.example.org"
    text = client.get(URL).content.decode()
    assert '<span lang="de">Durchsetzungsstelle Barrierefreiheit Bayern</span>' in text
    assert "Beispielweg 2, 80331 München" in text
    assert 'href="mailto:durchsetzung@example.org"' in text
    assert '<a href="https://durchsetzung.example.org">durchsetzung.example.org</a>' in text
    assert "schlichtungsstelle-bgg" not in text


# The team's answer ---------------------------------------------------------------------------------


@pytest.fixture
def feedback(district):
    return AccessibilityFeedback.objects.create(
        district=district, page="/report/", text="Kontrast zu schwach", email="leser@example.org", language="tr"
    )


def answer_url(district, feedback):
    return reverse("desk:accessibility-answer", args=[district.slug, feedback.pk])


def test_the_team_sees_the_feedback_of_its_district_and_of_the_site(
    client, district, other_district, manager, feedback, django_assert_max_num_queries
):
    site_wide = AccessibilityFeedback.objects.create(text="Die Startseite flackert")
    elsewhere = AccessibilityFeedback.objects.create(district=other_district, text="Anderswo kaputt")
    client.force_login(manager)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("desk:accessibility", args=[district.slug]))
    text = response.content.decode()
    assert response.status_code == 200
    assert feedback.text in text and site_wide.text in text
    assert elsewhere.text not in text
    assert "Meldungen: 2" in text


def test_the_team_answers_and_the_person_gets_it_in_their_language(
    client, district, manager, feedback, smtp_server, django_capture_on_commit_callbacks
):
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(answer_url(district, feedback), {"answer": "Wir haben den Kontrast verstärkt."})
    assert response.status_code == 302
    feedback.refresh_from_db()
    assert feedback.answer == "Wir haben den Kontrast verstärkt."
    assert feedback.answered_by == manager
    assert timezone.now() - feedback.answered_at < timedelta(minutes=5)
    [(recipients, message, body)] = mails(smtp_server)
    assert recipients == ["leser@example.org"]
    assert message["Subject"] == "Erişilebilirlik geri bildiriminize yanıt"  # Turkish, as the person wrote
    assert "Wir haben den Kontrast verstärkt." in body and "Kontrast zu schwach" in body
    assert AuditEvent.objects.filter(verb="accessibility.answered", target_id=str(feedback.pk)).exists()
    assert "Beantwortet am" in client.get(reverse("desk:accessibility", args=[district.slug])).content.decode()


def test_an_answer_without_an_address_is_stored_and_no_mail_goes_out(
    client, district, manager, smtp_server, django_capture_on_commit_callbacks
):
    feedback = AccessibilityFeedback.objects.create(text="Ohne Adresse")
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(answer_url(district, feedback), {"answer": "Erledigt."})
    feedback.refresh_from_db()
    assert feedback.answer == "Erledigt." and feedback.answered_at
    assert smtp_server.messages == []


def test_an_empty_answer_is_refused(client, district, manager, feedback):
    client.force_login(manager)
    response = client.post(answer_url(district, feedback), {"answer": ""})
    assert response.status_code == 400
    assert "Bitte schreiben Sie eine Antwort." in response.content.decode()
    feedback.refresh_from_db()
    assert feedback.answered_at is None


def test_a_city_admin_may_answer(client, district, city_admin, feedback):
    client.force_login(city_admin)
    assert client.post(answer_url(district, feedback), {"answer": "Danke."}).status_code == 302


def test_residents_and_other_districts_staff_cannot_see_or_answer(client, district, resident, other_manager, feedback):
    list_url = reverse("desk:accessibility", args=[district.slug])
    assert client.get(list_url).status_code == 302  # to the login
    for user in (resident, other_manager):
        client.force_login(user)
        assert client.get(list_url).status_code == 403
        assert client.post(answer_url(district, feedback), {"answer": "x"}).status_code == 403
    feedback.refresh_from_db()
    assert feedback.answered_at is None


def test_another_districts_feedback_cannot_be_answered_here(client, district, other_district, manager):
    elsewhere = AccessibilityFeedback.objects.create(district=other_district, text="Anderswo")
    client.force_login(manager)
    assert client.post(answer_url(district, elsewhere), {"answer": "x"}).status_code == 404


# Personal data -------------------------------------------------------------------------------------


def test_the_privacy_registry_finds_exports_and_erases_it(district, manager, feedback):
    found = dict((p.key, records) for p, records in privacy.find(email="LESER@example.org", districts=[district]))
    assert len(found["accessibility"]) == 1
    data = privacy.export(email="leser@example.org", districts=[district], actor=manager)
    assert data["accessibility_feedback"][0]["text"] == "Kontrast zu schwach"
    assert privacy.erase(email="leser@example.org", districts=[district], actor=manager)["accessibility"] == 1
    assert not AccessibilityFeedback.objects.exists()


def test_retention_deletes_old_feedback(feedback, settings):
    settings.RETENTION_MONTHS = 24
    old = AccessibilityFeedback.objects.create(text="Alt")
    AccessibilityFeedback.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=800))
    assert privacy.retain()["accessibility"] == {"accessibility": 1}
    assert list(AccessibilityFeedback.objects.all()) == [feedback]


def test_the_tracking_pages_footer_names_the_page_without_its_token(client, district, category):
    from kiezwerk.concerns import services

    lat, lon = district.centre
    _concern, token = services.concern_report(
        district=district, category=category, title="Bank kaputt", description="Lehne fehlt.", lat=lat, lon=lon
    )
    page = client.get(reverse("concerns:track", args=[token])).content.decode()
    assert f"{URL}?page=/track/%E2%80%A6/" in page
    assert f"page=/track/{token}" not in page and "%2Ftrack%2F" + token not in page
