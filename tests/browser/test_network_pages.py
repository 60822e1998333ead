"""The network's pages in a real browser on a phone: no accessibility violations, the map draws its partners."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from kiezwerk.network.models import Contact, LegalBasis, Organisation, OrganisationKind, Relationship

from ..factories import ConcernFactory, referral_answered
from .conftest import log_in


def test_network_pages_have_no_accessibility_violations(page, live_server, district, category, manager, axe_check):
    lat, lon = district.centre
    office = Organisation.objects.create(
        name="Amt für Abfallwirtschaft", kind=OrganisationKind.CITY_OFFICE, topics=[category.slug], lat=lat, lon=lon
    )
    club = Organisation.objects.create(name="Bürgerverein", kind=OrganisationKind.ASSOCIATION)
    for organisation in (office, club):
        organisation.districts.add(district)
    person = Contact.objects.create(
        name="Frau Yilmaz",
        role="Sachbearbeitung",
        organisation=office,
        legal_basis=LegalBasis.PUBLIC_TASK,
        last_confirmed_on=timezone.localdate().replace(year=timezone.localdate().year - 2),
    )
    Relationship.objects.create(from_contact=person, to_organisation=club, label="kennt", reverse_label="kennt")
    for i in range(16):  # enough people for the graph table to fold its tail
        Contact.objects.create(
            name=f"Mitglied {i}",
            organisation=club,
            legal_basis=LegalBasis.CONSENT,
            last_confirmed_on=timezone.localdate(),
        )
    for days in range(20, 140, 10):  # a record, and more referrals than the organisation page lists at first
        sent = timezone.now() - timedelta(days=days)
        referral_answered(office, ConcernFactory(district=district, category=category), sent=sent, took_days=days % 7)
    log_in(page, live_server, manager)
    for path in ("", "contacts/", "graph/", "import/"):
        page.goto(f"{live_server.url}/network/{district.slug}/{path}")
        axe_check(page)
    page.goto(f"{live_server.url}/network/{district.slug}/graph/?people=on")
    page.locator("details.more summary").click()  # keyboard and screen readers reach the folded rows too
    expect(page.get_by_role("link", name="Mitglied 9")).to_be_visible()
    axe_check(page)
    page.goto(f"{live_server.url}/network/{district.slug}/map/")
    expect(page.locator("#network-map .kw-pin--org")).to_have_count(1)
    axe_check(page)
    page.goto(f"{live_server.url}/network/organisations/{office.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Amt für Abfallwirtschaft")
    expect(page.locator("#referral-record")).to_contain_text("12 von 12 beantworteten gelöst")
    page.locator("details.more summary").focus()
    page.keyboard.press("Enter")
    expect(page.locator("details.more")).to_have_attribute("open", "")
    axe_check(page)


def test_import_preview_says_per_row_what_happens_and_confirms(page, live_server, district, manager, axe_check):
    stored = Organisation.objects.create(name="Bürgerverein", kind=OrganisationKind.ASSOCIATION, phone="0821 1")
    stored.districts.add(district)
    Organisation.objects.create(name="Tafel", kind=OrganisationKind.SOCIAL_SERVICE).districts.add(district)
    data = "Name;Art;Telefon\r\nBürgerverein;Verein;0821 2\r\nTafel;Träger;\r\nKinderhaus;Kita;\r\n".encode()
    log_in(page, live_server, manager)
    page.goto(f"{live_server.url}/network/{district.slug}/import/")
    page.get_by_label("CSV-Datei").set_input_files({"name": "netzwerk.csv", "mimeType": "text/csv", "buffer": data})
    page.get_by_role("button", name="Datei prüfen").click()
    rows = page.locator("#preview-caption ~ tbody tr")
    expect(rows.nth(0)).to_contain_text("wird aktualisiert: Telefon")
    expect(rows.nth(1)).to_contain_text("unverändert")
    expect(rows.nth(2)).to_contain_text("wird neu angelegt")
    axe_check(page)
    confirm = page.get_by_role("button", name="2 Zeilen bestätigen und importieren")
    confirm.focus()
    page.keyboard.press("Enter")
    expect(page.locator(".message--success")).to_contain_text("Organisationen: 1 neu angelegt, 1 aktualisiert.")
    stored.refresh_from_db()
    assert stored.phone == "0821 2"


def test_the_network_graph_on_a_phone(page, live_server, district, manager, axe_check):
    """Without JavaScript's help: the form chooses the surroundings and people; a large drawing scrolls on its own."""
    rows = [
        Organisation.objects.create(name=f"Verein Nummer {i:02}", kind=OrganisationKind.ASSOCIATION) for i in range(30)
    ]
    for i, row in enumerate(rows):
        row.districts.add(district)
        Relationship.objects.create(
            from_organisation=row, to_organisation=rows[(i + 1) % 30], label="kennt", reverse_label="kennt"
        )
    Contact.objects.create(
        name="Frau Vorsitzende",
        organisation=rows[5],
        legal_basis=LegalBasis.CONSENT,
        last_confirmed_on=timezone.localdate(),
    )
    log_in(page, live_server, manager)
    page.goto(f"{live_server.url}/network/{district.slug}/graph/")
    drawing = page.locator("svg.network-graph")
    expect(drawing).to_have_attribute("role", "img")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # only the drawing scrolls sideways
    box = drawing.bounding_box()
    assert box["width"] > 360  # at its natural size, so its names stay readable
    assert page.locator("svg.network-graph text").first.bounding_box()["height"] >= 11
    expect(page.locator("svg.network-graph circle")).to_have_count(0)  # people folded
    axe_check(page)
    page.get_by_label("Umfeld von").select_option(label="Verein Nummer 05")
    page.get_by_label("Personen zeigen").check()
    page.get_by_role("button", name="Anzeigen").click()
    expect(page.get_by_role("heading", level=2, name="Umfeld von Verein Nummer 05")).to_be_visible()
    expect(page.locator("svg.network-graph .network-graph__node--org")).to_have_count(3)
    expect(page.locator("svg.network-graph circle")).to_have_count(1)
    box = page.locator("svg.network-graph").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360  # a small drawing fits the screen
    axe_check(page)
