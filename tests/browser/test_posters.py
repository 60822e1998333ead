"""The desk's poster form on a 360 px phone: errors shown beside the fields, then the PDF downloaded."""

from django.urls import reverse
from playwright.sync_api import expect

from .conftest import log_in


def test_poster_form_on_a_phone(page, live_server, district, street, manager, axe_check):
    log_in(page, live_server, manager)
    page.goto(live_server.url + reverse("desk:poster", args=[district.slug]))
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    axe_check(page)
    page.get_by_label("Straße").fill("Donauwörther Straße")
    page.get_by_label("Hausnummer").fill("12")
    for name in ("Türkçe", "العربية", "Polski"):
        page.get_by_label(name).check()
    page.get_by_role("button", name="Aushang herunterladen (PDF)").click()
    expect(page.get_by_text("Bitte wählen Sie höchstens zwei weitere Sprachen.").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    axe_check(page)
    page.get_by_label("Polski").uncheck()
    with page.expect_download() as download:
        page.get_by_role("button", name="Aushang herunterladen (PDF)").click()
    assert download.value.suggested_filename == "aushang-testviertel-donauwoerther-strasse-12.pdf"
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"


def test_project_poster_form_on_a_phone(page, live_server, district, manager, axe_check):
    from ..projects.conftest import project_made, shift_made

    project = project_made(district, manager, title="Frühjahrsputz Lindenplatz")
    shift_made(project, manager)
    log_in(page, live_server, manager)
    page.goto(live_server.url + reverse("projects:team-detail", args=[project.pk]))
    page.get_by_role("link", name="Plakat drucken").click()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    axe_check(page)
    for name in ("Türkçe", "العربية", "Polski"):
        page.get_by_label(name).check()
    page.get_by_role("button", name="Plakat herunterladen (PDF)").click()
    expect(page.get_by_text("Bitte wählen Sie höchstens zwei weitere Sprachen.").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    axe_check(page)
    page.get_by_label("Polski").uncheck()
    with page.expect_download() as download:
        page.get_by_role("button", name="Plakat herunterladen (PDF)").click()
    assert download.value.suggested_filename == "plakat-testviertel-fruehjahrsputz-lindenplatz.pdf"
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
