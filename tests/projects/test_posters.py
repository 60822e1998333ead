"""A project's poster: a real PDF (WeasyPrint) read back with pypdfium2, its QR code decoded with zxing-cpp."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import pgettext

from kiezwerk.core.models import AuditEvent
from kiezwerk.network.models import Organisation
from kiezwerk.projects.models import ProjectPartner
from kiezwerk.projects.services import projects as services
from kiezwerk.projects.services import volunteers

from ..pdfs import embedded_fonts, read_pdf
from .conftest import project_made, shift_made


def poster_url(project):
    return reverse("projects:poster", args=[project.pk])


def poster_text(response):
    """(pages, the first page's text with its lines joined, QR codes): the PDF breaks long lines anywhere."""
    pages, text, codes = read_pdf(response.content)
    return pages, " ".join(text.split()), codes


def words(code, text):
    with translation.override(code):
        return pgettext("poster", text)


def partner(project, name, visibility="public"):
    organisation = Organisation.objects.create(name=name, kind="city_office", visibility=visibility)
    organisation.districts.add(project.district)
    return ProjectPartner.objects.create(project=project, organisation=organisation, part="Container")


@pytest.fixture
def action(district, manager):
    project = project_made(
        district,
        manager,
        title="Frühjahrsputz Lindenplatz",
        goal="Ein sauberer Platz für alle",
        address="Lindenplatz 3",
        starts_on=timezone.localdate() + timedelta(days=3),
    )
    shift = shift_made(project, manager, capacity=2)
    # A volunteer with name, e-mail and phone, confirmed: none of it may reach the poster.
    signup = volunteers.signup_create(
        shift=shift, name="Zeynep Kaya", email="zeynep@example.org", phone="0176 5551234", language="de"
    )
    volunteers.signup_confirm(signup=signup)
    partner(project, "Abfallwirtschaftsbetrieb")
    partner(project, "Geheimer Verein", visibility="internal")
    return project, shift


def test_poster_in_german_and_arabic_with_the_qr_code_to_the_project(client, manager, action):
    project, shift = action
    client.force_login(manager)
    response = client.post(poster_url(project), {"languages": ["ar"]})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="plakat-testviertel-fruehjahrsputz-lindenplatz.pdf"'
    pages, text, codes = poster_text(response)
    assert pages == 1
    # The QR code (and the printed URL) lead to the project's public page, which a resident can open.
    assert codes == [f"http://testserver{project.get_absolute_url()}"] and codes[0] in text
    client.logout()
    assert client.get(project.get_absolute_url()).status_code == 200
    # The project's own texts, its day, place, shift and partners.
    start = timezone.localtime(shift.starts_at)
    for shown in (
        "Frühjahrsputz Lindenplatz",
        "Ein sauberer Platz für alle",
        "Lindenplatz 3",
        f"{start:%d.%m.%Y}, {start:%H:%M}–{timezone.localtime(shift.ends_at):%H:%M}",
        "Am Brunnen",
        "Feste Schuhe",
        "Abfallwirtschaftsbetrieb",
        translation.gettext("a partner of our network"),  # a partner that is not public stays unnamed
    ):
        assert shown in text, shown
    # German first, then Arabic, each from its catalogue; Arabic in its own font.
    assert words("de", "Join in: scan the QR code") == "Mitmachen: QR-Code scannen"
    for code in ("de", "ar"):
        for label in ("Join in: scan the QR code", "Meeting point", "Please bring"):
            assert words(code, label) in text, (code, label)
    assert text.index("Mitmachen: QR-Code scannen") < text.index(words("ar", "Join in: scan the QR code"))
    assert words("tr", "Join in: scan the QR code") not in text
    assert "Noto-Sans-Arabic" in embedded_fonts(response.content)
    # Never a volunteer, never a count that is stale once printed.
    for secret in ("Zeynep", "Kaya", "zeynep@example.org", "5551234", "Plätze frei", "Plätzen frei"):
        assert secret not in text, secret
    assert "Geheimer Verein" not in text


def test_an_arabic_project_keeps_its_own_texts(client, manager, district):
    project = project_made(district, manager, title="تنظيف الحديقة", goal="حديقة نظيفة للجميع", language="ar")
    shift_made(project, manager)
    client.force_login(manager)
    response = client.post(poster_url(project), {})
    assert response.status_code == 200
    _pages, text, codes = poster_text(response)
    assert "تنظيف الحديقة" in text and "حديقة نظيفة للجميع" in text
    assert codes == [f"http://testserver{project.get_absolute_url()}"]
    assert words("ar", "Join in: scan the QR code") not in text  # German only: nothing else was chosen


def test_only_coming_shifts_and_at_most_five(client, manager, district):
    project = project_made(district, manager)
    past = shift_made(project, manager, days=-2)
    for days in range(1, 8):
        shift_made(project, manager, days=days)
    partner(project, "Abfallwirtschaftsbetrieb")
    client.force_login(manager)
    pages, text, codes = poster_text(client.post(poster_url(project), {"languages": ["tr", "ar"]}))
    assert pages == 1 and codes == [f"http://testserver{project.get_absolute_url()}"]  # three languages fit on A4
    assert f"{timezone.localtime(past.starts_at):%d.%m.%Y}" not in text
    today = timezone.localdate()
    shown = [(today + timedelta(days=d)).strftime("%d.%m.%Y") in text for d in range(1, 8)]
    assert shown == [True] * 5 + [False] * 2
    assert "Weitere Termine auf der Projektseite." in text


def test_long_texts_flow_on_but_the_qr_code_stays_on_the_first_page(client, manager, district):
    project = project_made(
        district,
        manager,
        title="Großer Frühjahrsputz rund um den Lindenplatz und die Wertachauen mit Nachbarschaftsfest am Abend",
        goal="Saubere Wege und Wiesen für alle, die hier wohnen, spielen und arbeiten. " * 4,
    )
    for days in range(1, 6):
        shift = shift_made(project, manager, days=days)
        volunteers.shift_save(
            project=project,
            actor=manager,
            shift=shift,
            starts_at=shift.starts_at,
            ends_at=shift.ends_at,
            capacity=shift.capacity,
            place="Vor der Kirche St. Peter und Paul, am großen Brunnen neben dem Spielplatz " * 2,
            bring="Handschuhe, feste Schuhe, Wasser, Sonnencreme, eine Warnweste und gute Laune " * 3,
        )
    client.force_login(manager)
    pages, text, codes = poster_text(client.post(poster_url(project), {"languages": ["ar", "ru"]}))
    assert pages >= 1 and codes == [f"http://testserver{project.get_absolute_url()}"]
    assert "Großer Frühjahrsputz" in text


def test_without_coming_shifts_the_poster_asks_to_find_out_more(client, manager, district):
    project = project_made(district, manager, status="done")
    client.force_login(manager)
    response = client.post(poster_url(project), {"languages": ["tr", "pl"]})
    assert response.status_code == 200
    _pages, text, codes = poster_text(response)
    assert "Mehr erfahren: QR-Code scannen" in text and "Mitmachen" not in text
    assert (
        words("tr", "Find out more: scan the QR code") in text
        and words("pl", "Find out more: scan the QR code") in text
    )
    assert codes == [f"http://testserver{project.get_absolute_url()}"]


def test_the_form_and_the_link_on_the_project_page(client, manager, action, django_assert_max_num_queries):
    project, _shift = action
    client.force_login(manager)
    assert poster_url(project) in client.get(reverse("projects:team-detail", args=[project.pk])).content.decode()
    with django_assert_max_num_queries(12):
        response = client.get(poster_url(project))
    body = response.content.decode()
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert "Plakat drucken" in body and "Plakat herunterladen (PDF)" in body
    assert "Türkçe" in body and "العربية" in body and 'value="de"' not in body  # German is always on it


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"languages": ["tr", "ar", "pl"]}, "Bitte wählen Sie höchstens zwei weitere Sprachen."),
        ({"languages": ["xx"]}, "xx ist keine gültige Auswahl."),
        ({"languages": ["de"]}, "de ist keine gültige Auswahl."),
    ],
)
def test_bad_input_answers_400_with_a_german_error(client, manager, action, data, message):
    project, _shift = action
    client.force_login(manager)
    audits = AuditEvent.objects.count()
    response = client.post(poster_url(project), data)
    assert response.status_code == 400 and response["Content-Type"].startswith("text/html")
    assert message in response.content.decode()
    assert AuditEvent.objects.count() == audits


def test_errors_in_the_team_members_language(client, manager, action):
    project, _shift = action
    client.force_login(manager)
    with translation.override("ar"):
        expected = translation.gettext("Please choose at most two further languages.")
    response = client.post(poster_url(project), {"languages": ["tr", "ar", "pl"]}, HTTP_ACCEPT_LANGUAGE="ar")
    assert response.status_code == 400 and expected in response.content.decode()


@pytest.mark.parametrize(("status", "visibility"), [("idea", "public"), ("running", "internal")])
def test_no_poster_for_a_project_residents_cannot_see(client, manager, district, status, visibility):
    project = project_made(district, manager, status=status, visibility=visibility)
    client.force_login(manager)
    message = "Nur ein öffentliches Projekt nach der Ideenphase kann ein Plakat bekommen"
    page = client.get(poster_url(project))
    assert (
        page.status_code == 200
        and message in page.content.decode()
        and f'action="{poster_url(project)}"' not in page.content.decode()
    )
    assert poster_url(project) not in client.get(reverse("projects:team-detail", args=[project.pk])).content.decode()
    response = client.post(poster_url(project), {"languages": ["ar"]})
    assert response.status_code == 400 and response["Content-Type"].startswith("text/html")
    assert message in response.content.decode()
    # Made public and planned, it gets one.
    project.visibility = "public"
    project.save(update_fields=["visibility"])
    if status == "idea":
        services.project_status_change(project=project, actor=manager, new_status="planning")
    assert client.post(poster_url(project), {}).status_code == 200


@pytest.mark.parametrize("who", ["resident", "other_manager"])
def test_only_the_districts_team_prints_posters(request, client, action, who):
    project, _shift = action
    client.force_login(request.getfixturevalue(who))
    for method in (client.get, client.post):
        response = method(poster_url(project), {"languages": ["ar"]})
        assert response.status_code in (403, 404) and response["Content-Type"] != "application/pdf"


def test_the_poster_shows_the_action_days(client, manager, district):
    project = project_made(district, manager, starts_on=date(2031, 4, 12), ends_on=date(2031, 4, 13))
    client.force_login(manager)
    _pages, text, _codes = poster_text(client.post(poster_url(project), {}))
    assert "Samstag, 12. April 2031 – Sonntag, 13. April 2031" in text
    assert words("de", "When") in text
