"""Posters from the desk: a real PDF (WeasyPrint), read back; its QR code decoded with zxing-cpp."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import resolve, reverse
from django.utils import translation

from kiezwerk.core.selectors import district_contains

from ..pdfs import embedded_fonts, read_pdf


def poster_url(district):
    return reverse("desk:poster", args=[district.slug])


def title(code):
    with translation.override(code):
        return translation.gettext("Something wrong here?"), translation.gettext("Report it here.")


def test_poster_for_an_address_in_german_turkish_and_arabic(client, manager, district, street):
    client.force_login(manager)
    data = {"street": "donauwörther str.", "house_number": "12a", "label": "", "languages": ["ar", "tr"]}
    response = client.post(poster_url(district), data)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="aushang-testviertel-donauwoerther-strasse-12a.pdf"'
    pages, text, codes = read_pdf(response.content)
    assert pages == 1
    # German, Turkish, Arabic: each as its catalogue has it; German first.
    for code in ("de", "tr", "ar"):
        for line in title(code):
            assert line in text, (code, line)
    assert text.index(title("de")[0]) < text.index(title("tr")[0]) < text.index(title("ar")[0])
    assert title("de") == ("Hier stimmt etwas nicht?", "Melden Sie es hier.")
    assert "هل هناك مشكلة هنا؟" in text  # Arabic glyphs, not boxes: the text maps back to Arabic letters
    assert "Noto-Sans-Arabic" in embedded_fonts(response.content)
    assert "Donauwörther Straße 12a" in text and "Testviertel" in text and "Quartiersmanagement (Demo)" in text
    # The QR code opens the report form of the district, at a place inside it; the URL is printed too.
    assert len(codes) == 1
    url = urlsplit(codes[0])
    assert f"{url.scheme}://{url.netloc}" == "http://testserver" and codes[0] in text
    match = resolve(url.path)
    assert (match.view_name, match.kwargs) == ("concerns:report", {"slug": district.slug})
    lat, lon = (float(part) for part in parse_qs(url.query)["location"][0].split(","))
    assert district_contains(district, lat=lat, lon=lon)
    # The resident who scans it finds the place set.
    client.logout()
    report = client.get(codes[0].removeprefix("http://testserver"))
    assert report.status_code == 200 and report.context["form"]["location"].value() == f"{lat:.6f},{lon:.6f}"


def test_poster_for_coordinates_with_a_label_by_get(client, moderator, district):
    client.force_login(moderator)
    lat, lon = district.centre
    response = client.get(poster_url(district), {"location": f"{lat},{lon}", "label": "Spielplatz am Bach"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="aushang-testviertel-spielplatz-am-bach.pdf"'
    _pages, text, codes = read_pdf(response.content)
    assert "Spielplatz am Bach" in text and title("de")[0] in text and title("en")[0] not in text
    assert codes == [f"http://testserver/districts/{district.slug}/report/?location={lat:.5f},{lon:.5f}"]


def test_the_form_shows_in_the_desk_navigation(client, manager, district, street, django_assert_max_num_queries):
    client.force_login(manager)
    with django_assert_max_num_queries(12):
        response = client.get(poster_url(district))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    body = response.content.decode()
    assert f'href="{poster_url(district)}" aria-current="page">Aushänge<' in body
    assert "Türkçe" in body and "العربية" in body and "Donauwörther Straße" in body


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"location": "48.38,10.87", "languages": ["tr", "ar", "pl"]},
            "languages",
            "Bitte wählen Sie höchstens zwei weitere Sprachen.",
        ),
        ({"location": "48.42,10.87"}, "location", "Dieser Ort liegt außerhalb von Testviertel."),
        ({"location": "x,y"}, "location", None),
        (
            {"street": "Hauptstraße", "house_number": "3"},
            "street",
            "In Testviertel gibt es keine Straße „Hauptstraße“.",
        ),
        ({"street": "Donauwörther Straße", "house_number": "500"}, "house_number", None),
        ({"label": "Spielplatz"}, None, "Bitte geben Sie Straße und Hausnummer oder Koordinaten ein."),
    ],
)
def test_bad_input_keeps_the_form_with_a_german_error(client, manager, district, street, data, field, message):
    client.force_login(manager)
    response = client.post(poster_url(district), data)
    assert response.status_code == 400 and response["Content-Type"].startswith("text/html")
    form = response.context["form"]
    assert list(form.errors) == [field or "__all__"]
    if message:
        assert message in " ".join(form.errors[field or "__all__"])
        assert message in response.content.decode()
    assert form["location"].value() == data.get("location")  # the form is kept


def test_errors_in_the_team_members_language(client, manager, district):
    client.force_login(manager)
    with translation.override("ar"):
        expected = translation.gettext("Please choose at most two further languages.")
    response = client.post(
        poster_url(district), {"location": "48.38,10.87", "languages": ["tr", "ar", "pl"]}, HTTP_ACCEPT_LANGUAGE="ar"
    )
    assert response.status_code == 400 and expected in response.content.decode()
    assert 'dir="rtl"' in response.content.decode()


@pytest.mark.parametrize("who", ["resident", "other_manager"])
def test_only_the_districts_team_prints_posters(request, client, district, who):
    client.force_login(request.getfixturevalue(who))
    response = client.get(poster_url(district), {"location": "48.38,10.87"})
    assert response.status_code == 403 and response["Content-Type"] != "application/pdf"


def test_anonymous_visitors_are_sent_to_the_login(client, district):
    response = client.post(poster_url(district), {"location": "48.38,10.87"})
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))
