"""The language of what residents write (issue G, item 4): stored at intake as detected, with the interface
language for texts that do not tell; shown to the team and corrected by it (audited); reply templates and the
text's `lang` follow it. The resident's mails stay in the interface language they used."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from kiezwerk.concerns import services
from kiezwerk.concerns.models import Channel, Concern
from kiezwerk.core.models import AuditEvent, Entry, OutboxMail
from kiezwerk.desk.models import ReplyTemplate

from ..concerns.test_report import form_data, report_url


def report_in(client, district, category, interface, **text):
    client.post(reverse("set_language"), {"language": interface, "next": "/"})
    response = client.post(report_url(district), form_data(district, category, **text))
    assert response.status_code == 302
    return Concern.objects.get()


def test_a_german_text_reported_in_the_turkish_interface_is_stored_as_german(client, district, category):
    concern = report_in(client, district, category, "tr", reporter_email="ayse@example.org")
    assert concern.language == "de"  # "Sperrmüll vor Hausnummer 12 / Seit einer Woche liegen Matratzen …"
    assert concern.entries.get(kind="created").language == "de"
    # Ayşe chose Turkish: she follows her concern, and gets its tracking link, in Turkish.
    assert concern.followers.get().language == "tr"
    with translation.override("tr"):
        subject = translation.gettext("Your concern “%(title)s” has been received") % {"title": concern.title}
    assert OutboxMail.objects.get(to=["ayse@example.org"]).subject == subject
    page = client.get(concern.get_absolute_url()).content.decode()
    assert f'<h1 id="concern-title" lang="de" dir="auto">{concern.title}</h1>' in page
    assert '<div class="description" lang="de" dir="auto">' in page


@pytest.mark.parametrize("interface", ["tr", "pl"])
def test_a_short_or_mixed_report_keeps_the_interface_language(client, district, category, interface):
    # A Turkish subject above a German description: half and half.
    concern = report_in(client, district, category, interface, title="Çöp konteyneri taştı")
    assert concern.language == interface


def test_the_team_states_the_language_of_a_concern_it_records(district, category, manager):
    lat, lon = district.centre
    concern, _token = services.concern_report(
        district=district,
        category=category,
        title="Sperrmüll im Hof",
        description="Die Bewohnerin hat angerufen: seit einer Woche liegen Matratzen im Hof.",
        lat=lat,
        lon=lon,
        language="tr",
        channel=Channel.PHONE,
        actor=manager,
    )
    assert concern.language == "tr"


@pytest.fixture
def german(client, district, category):
    concern = report_in(client, district, category, "tr")
    client.logout()
    return concern


def test_the_team_sees_and_corrects_the_language(client, manager, german, django_assert_max_num_queries):
    client.force_login(manager)
    workspace = reverse("desk:concern", args=[german.pk])
    page = client.get(workspace).content.decode()
    assert 'Sprache des Textes: <span lang="de">Deutsch</span>' in page
    assert '<option value="de" selected>Deutsch</option>' in page

    with django_assert_max_num_queries(20):
        response = client.post(reverse("desk:concern-language", args=[german.pk]), {"language-language": "tr"})
    assert response.status_code == 302
    german.refresh_from_db()
    assert german.language == "tr"
    event = AuditEvent.objects.get(verb="concern.language_set")
    assert (event.actor, event.data["before"], event.data["after"]) == (manager, "de", "tr")

    page = client.get(workspace).content.decode()
    assert "Die Sprache des Textes wurde korrigiert." in page
    assert "Sprache des Textes korrigiert: Deutsch → Türkçe" in page
    assert f'<h1 id="concern-title" lang="tr" dir="auto">{german.title}</h1>' in page
    # The public page (cached per district) follows at once.
    client.logout()
    assert '<div class="description" lang="tr" dir="auto">' in client.get(german.get_absolute_url()).content.decode()

    # The same language again changes nothing and records nothing.
    services.concern_language_set(concern=german, actor=manager, language="tr")
    assert AuditEvent.objects.filter(verb="concern.language_set").count() == 1


@pytest.mark.parametrize("code", ["xx", "", "tr-TR", "fr"])
def test_a_language_not_offered_is_refused_with_a_translated_error(client, manager, german, code):
    client.force_login(manager)
    response = client.post(reverse("desk:concern-language", args=[german.pk]), {"language-language": code})
    assert response.status_code == 400
    page = response.content.decode()
    # Django's own German for a choice not offered (or none).
    assert "Bitte eine gültige Auswahl treffen." in page or "Dieses Feld ist zwingend erforderlich." in page
    for interface, message in [
        ("de", "Bitte wählen Sie eine der angebotenen Sprachen."),
        ("tr", "Lütfen sunulan dillerden birini seçin."),
        ("ar", "يرجى اختيار إحدى اللغات المعروضة."),
    ]:
        with translation.override(interface), pytest.raises(ValidationError) as refused:
            services.concern_language_set(concern=german, actor=manager, language=code)
        assert refused.value.message_dict == {"language": [message]}
    german.refresh_from_db()
    assert german.language == "de"
    assert not AuditEvent.objects.filter(verb="concern.language_set").exists()


def test_the_team_of_another_district_cannot_correct_it(client, german, other_manager):
    client.force_login(other_manager)
    response = client.post(reverse("desk:concern-language", args=[german.pk]), {"language-language": "ar"})
    assert response.status_code in (403, 404)
    german.refresh_from_db()
    assert german.language == "de"


def test_reply_templates_follow_the_corrected_language(client, district, manager, german):
    template = ReplyTemplate.objects.create(
        district=district,
        title="Weitergeleitet",
        texts={"de": "Wir haben es weitergeleitet.", "tr": "Talebinizi ilgili birime ilettik."},
    )
    client.force_login(manager)
    workspace = reverse("desk:concern", args=[german.pk])
    assert "Wir haben es weitergeleitet." in client.get(workspace).content.decode()

    client.post(reverse("desk:concern-language", args=[german.pk]), {"language-language": "tr"})
    page = client.get(workspace).content.decode()
    assert "Talebinizi ilgili birime ilettik." in page and "Wir haben es weitergeleitet." not in page
    response = client.post(
        reverse("desk:concern-reply", args=[german.pk]),
        {"action": "reply", "template": template.pk, "text": "", "new_status": "referred"},
    )
    assert response.status_code == 302
    reply = Entry.objects.get(concern=german, kind="status")
    assert (reply.text, reply.language) == ("Talebinizi ilgili birime ilettik.", "tr")
    # The reply carries its language where it is shown: the workspace and the public page.
    shown = '<div lang="tr" dir="auto"><p>Talebinizi ilgili birime ilettik.</p></div>'
    assert shown in client.get(workspace).content.decode()
    assert shown in client.get(german.get_absolute_url()).content.decode()
