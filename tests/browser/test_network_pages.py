"""The network's pages in a real browser on a phone: no accessibility violations, the map draws its partners."""

from django.utils import timezone
from playwright.sync_api import expect

from kiezwerk.network.models import Contact, LegalBasis, Organisation, OrganisationKind, Relationship

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
    log_in(page, live_server, manager)
    for path in ("", "contacts/", "graph/", "import/"):
        page.goto(f"{live_server.url}/network/{district.slug}/{path}")
        axe_check(page)
    page.goto(f"{live_server.url}/network/{district.slug}/map/")
    expect(page.locator("#network-map .kw-pin--org")).to_have_count(1)
    axe_check(page)
    page.goto(f"{live_server.url}/network/organisations/{office.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Amt für Abfallwirtschaft")
    axe_check(page)
