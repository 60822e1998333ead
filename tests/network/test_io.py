"""Importing the network from CSV (preview, all or nothing) and exporting it as CSV and vCard 4.0."""

import csv
import html
import io
import re
from datetime import date, timedelta

import pytest
import vobject
from django.core import signing
from django.urls import reverse
from django.utils import translation

from kiezwerk.concerns.models import Category
from kiezwerk.core.csv import FORMULA_STARTS, cell
from kiezwerk.core.models import AuditEvent
from kiezwerk.network.forms.io import CONFIRM_SALT, import_token
from kiezwerk.network.models import Contact, LegalBasis, Organisation, OrganisationKind, Visibility
from kiezwerk.network.selectors import exports
from kiezwerk.network.services import imports

from ..factories import CategoryFactory, UserFactory

ORG_HEADER = "Name;Art;Themen;Sprachen;E-Mail;Telefon;Adresse;Website;Öffnungszeiten;Sichtbarkeit"
ORG_ROWS = [
    "Stadtteilmütter e.V.;Verein;illegal-dumping|youth;de|tr|ar;info@stadtteilmuetter.de;0821 123;"
    "Hauptstraße 1;www.stadtteilmuetter.de;Di 10–12 Uhr;öffentlich",
    "Abfallwirtschaftsbetrieb;city_office;illegal-dumping;de;awb@augsburg.de;+49 821 324;Am Mittleren Moos 15;;;intern",
]
CONTACT_HEADER = "Name;Funktion;Organisation;E-Mail;Telefon;Rechtsgrundlage;Zuletzt bestätigt;Einwilligung"


@pytest.fixture
def city_district(district):
    district.city = "Augsburg"
    district.save(update_fields=["city"])
    CategoryFactory(district=district, slug="illegal-dumping", name_de="Wilder Müll")
    CategoryFactory(district=district, slug="youth", name_de="Jugend")
    return district


@pytest.fixture
def desk(client, manager):
    client.force_login(manager)
    return client


def csv_bytes(*lines, encoding="utf-8-sig"):
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def upload(data, name="netzwerk.csv"):
    return io.BytesIO(data) if name is None else _named(data, name)


def _named(data, name):
    handle = io.BytesIO(data)
    handle.name = name
    return handle


def preview_of(district, *lines, kind="organisations", encoding="utf-8-sig"):
    return imports.import_preview(district=district, kind=kind, data=csv_bytes(*lines, encoding=encoding))


def organisation(district, name="Quartierstreff", **kwargs):
    kwargs.setdefault("kind", OrganisationKind.ASSOCIATION)
    kwargs.setdefault("city", district.city)
    org = Organisation.objects.create(name=name, **kwargs)
    org.districts.add(district)
    return org


def row_errors(preview):
    return {row.number: " ".join(row.errors) for row in preview.error_rows}


# Reading a file ---------------------------------------------------------------------------------


def test_good_file_previews_every_row_with_parsed_values(city_district):
    preview = preview_of(city_district, ORG_HEADER, *ORG_ROWS)
    assert preview.is_valid, (preview.errors, row_errors(preview))
    first, second = preview.rows
    assert first.number == 2
    assert first.values["kind"] == OrganisationKind.ASSOCIATION
    assert first.values["topics"] == ["illegal-dumping", "youth"]
    assert first.values["languages"] == ["de", "tr", "ar"]
    assert first.values["website"] == "https://www.stadtteilmuetter.de"
    assert first.values["visibility"] == Visibility.PUBLIC
    assert second.values["visibility"] == Visibility.INTERNAL
    assert preview.delimiter == ";"
    assert preview.encoding == "utf-8"
    assert not preview.notices


def test_comma_and_english_headers_and_no_bom(city_district):
    preview = preview_of(
        city_district,
        "name,kind,topics,e-mail,opening_hours",
        'Tafel,social_service,illegal-dumping,tafel@example.org,"Mo, Mi 9–12"',
        encoding="utf-8",
    )
    assert preview.is_valid, row_errors(preview)
    assert preview.delimiter == ","
    assert preview.rows[0].values["opening_hours"] == "Mo, Mi 9–12"


def test_windows_1252_is_read_with_a_notice(city_district):
    preview = preview_of(city_district, "Name;Art;Adresse", "Bürgerverein Göggingen;Verein;Straße 1", encoding="cp1252")
    assert preview.is_valid
    assert preview.encoding == "windows-1252"
    assert preview.rows[0].values["name"] == "Bürgerverein Göggingen"
    assert preview.notices


def test_utf16_file_is_refused_as_a_whole(city_district):
    preview = preview_of(city_district, "Name;Art", "Verein A;Verein", encoding="utf-16")
    assert not preview.is_valid
    assert preview.errors and not preview.rows


def test_mixed_encodings_are_an_error_of_the_row(city_district):
    data = "Name;Art\r\nMüller-Stiftung;Verein\r\n".encode() + "Bäckerei Öz;Unternehmen\r\n".encode("cp1252")
    preview = imports.import_preview(district=city_district, kind="organisations", data=data)
    assert preview.encoding == "windows-1252"
    assert set(row_errors(preview)) == {2}
    assert "Müller" in row_errors(preview)[2] or "Ã" in row_errors(preview)[2]


def test_missing_required_columns_are_one_error_naming_them(city_district):
    preview = preview_of(city_district, "Name;E-Mail", "Verein A;a@example.org")
    assert len(preview.errors) == 1
    assert "Art" in preview.errors[0]
    preview = preview_of(city_district, "Name;Funktion", "Frau Yilmaz;Leitung", kind="contacts")
    assert len(preview.errors) == 1
    assert "Rechtsgrundlage" in preview.errors[0] and "Zuletzt bestätigt" in preview.errors[0]
    assert "Name" not in preview.errors[0]


def test_empty_file_and_header_only(city_district):
    assert imports.import_preview(district=city_district, kind="organisations", data=b"").errors
    assert preview_of(city_district, "Name;Art").errors


def test_bad_values_are_errors_of_their_rows(city_district):
    preview = preview_of(
        city_district,
        "Name;Art;Themen;Sprachen;E-Mail;Sichtbarkeit;Website;Ganze Stadt",
        "Gut e.V.;Verein;youth;de;gut@example.org;intern;;nein",
        "Falsche Art;Gaststätte;;;;;;",
        "Falsche Mail;Verein;;;kein-at-zeichen;;;",
        "Falsches Thema;Verein;parking;;;;;",
        "Falsche Sichtbarkeit;Verein;;;;geheim;;",
        "Falsche Sprache;Verein;;Deutsch;;;;",
        "Falsche Website;Verein;;;;;nicht eine adresse;",
        "Falsches ja;Verein;;;;;;vielleicht",
        ";Verein;;;;;;",
    )
    errors = row_errors(preview)
    assert set(errors) == {3, 4, 5, 6, 7, 8, 9, 10}
    assert "Gaststätte" in errors[3]
    assert "kein-at-zeichen" in errors[4]
    assert "parking" in errors[5]
    assert "geheim" in errors[6]
    assert "Deutsch" in errors[7]
    assert "nicht eine adresse" in errors[8]
    assert "Name" in errors[10]
    assert not preview.is_valid


def test_too_long_values_and_extra_cells(city_district):
    preview = preview_of(city_district, "Name;Art", "x" * 201 + ";Verein", "Zu viel;Verein;noch was")
    assert set(row_errors(preview)) == {2, 3}


def test_duplicates_in_the_file_and_stored_organisations(city_district, other_district):
    stored = organisation(city_district, "Quartierstreff")
    Organisation.objects.create(name="Tafel", kind=OrganisationKind.SOCIAL_SERVICE, city="München")
    organisation(other_district, "Bürgerhaus", city="Augsburg")  # works in the neighbouring district only
    preview = preview_of(
        city_district,
        "Name;Art;Stadt",
        "quartierstreff;Verein;",  # same name, same city (the district's), other case: updates the name
        "Kinderhaus;Schule;Augsburg",
        "KINDERHAUS;Kita;augsburg",
        "Tafel;Träger;Augsburg",  # the same name in another city is another organisation
        "Bürgerhaus;Verein;Augsburg",
    )
    errors = row_errors(preview)
    assert set(errors) == {4, 6}
    assert "3" in errors[4]
    assert "Bürgerhaus" in errors[6]
    updated, created, _twice, tafel, _elsewhere = preview.rows
    assert (updated.action, updated.target, updated.changes) == (imports.UPDATE, stored, ["name"])
    assert (created.action, tafel.action) == (imports.CREATE, imports.CREATE)


def test_contacts_need_legal_basis_and_confirmation_date(city_district):
    org = organisation(city_district, "Stadtteilmütter e.V.")
    future = (date.today() + timedelta(days=3)).strftime("%d.%m.%Y")
    preview = preview_of(
        city_district,
        CONTACT_HEADER,
        "Ayşe Demir;Koordinatorin;Stadtteilmütter e.V.;ayse@example.org;0821 1;Einwilligung;01.03.2025;mündlich",
        "Jan Berg;Hausmeister;;;;public_task;2024-11-30",
        "Ohne Grund;;;;;;01.03.2025",
        "Ohne Datum;;;;;Vertrag;",
        "Falsches Datum;;;;;Vertrag;31.02.2025",
        "Zukunft;;;;;Vertrag;" + future,
        "Falsche Grundlage;;;;;weil ich es will;01.03.2025",
        "Unbekannt;;Gibt es nicht e.V.;;;Vertrag;01.03.2025",
        "ayşe demir;;Stadtteilmütter e.V.;;;Vertrag;01.03.2025",
        kind="contacts",
    )
    errors = row_errors(preview)
    assert set(errors) == {4, 5, 6, 7, 8, 9, 10}
    assert "Rechtsgrundlage" in errors[4]
    assert "Zuletzt bestätigt" in errors[5]
    assert "31.02.2025" in errors[6]
    assert "weil ich es will" in errors[8]
    assert "Gibt es nicht" in errors[9]
    assert "2" in errors[10]  # the same person twice at the same organisation
    first, second = preview.rows[:2]
    assert (first.organisation, first.values["legal_basis"]) == (org, LegalBasis.CONSENT)
    assert first.values["last_confirmed_on"] == date(2025, 3, 1)
    assert second.values["last_confirmed_on"] == date(2024, 11, 30)


# Through the pages ------------------------------------------------------------------------------


def post_file(client, district, data, kind="organisations"):
    return client.post(reverse("network:import", args=[district.slug]), {"kind": kind, "file": upload(data)})


def token_of(response):
    match = re.search(r'name="token" value="([^"]+)"', response.content.decode())
    return match and match.group(1)


def test_import_page_documents_the_columns(desk, city_district):
    response = desk.get(reverse("network:import", args=[city_district.slug]))
    body = response.content.decode()
    assert response.status_code == 200
    for header in ["Öffnungszeiten", "Rechtsgrundlage", "Zuletzt bestätigt", "legal_basis", "illegal-dumping"]:
        assert header in body


def test_good_file_is_imported_after_the_confirmation(desk, city_district, manager):
    response = post_file(desk, city_district, csv_bytes(ORG_HEADER, *ORG_ROWS))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Stadtteilmütter e.V." in body and "Abfallwirtschaftsbetrieb" in body
    assert not Organisation.objects.exists()  # the preview writes nothing
    token = token_of(response)
    assert token
    response = desk.post(reverse("network:import-confirm", args=[city_district.slug]), {"token": token})
    assert response.status_code == 302
    orgs = list(Organisation.objects.order_by("name"))
    assert [o.name for o in orgs] == ["Abfallwirtschaftsbetrieb", "Stadtteilmütter e.V."]
    assert all(list(o.districts.all()) == [city_district] for o in orgs)
    assert orgs[1].city == "Augsburg"
    assert orgs[1].opening_hours == "Di 10–12 Uhr"
    event = AuditEvent.objects.get(verb="network.organisations_imported")
    assert (event.actor, event.data["count"]) == (manager, 2)
    # The same confirmation again: now every row is a duplicate, and nothing is imported twice.
    response = desk.post(reverse("network:import-confirm", args=[city_district.slug]), {"token": token})
    assert response.status_code == 400
    assert Organisation.objects.count() == 2


def test_file_with_errors_offers_no_confirmation_and_imports_nothing(desk, city_district):
    response = post_file(desk, city_district, csv_bytes(ORG_HEADER, ORG_ROWS[0], "Kaputt;Gaststätte;;;;;;;;"))
    assert response.status_code == 400
    body = response.content.decode()
    assert "Gaststätte" in body and 'href="#row-3"' in body
    assert token_of(response) is None
    assert not Organisation.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        "Name;Art\r\nVerein A;Verein\r\n".encode("utf-16"),  # wrong encoding
        csv_bytes("Name;E-Mail", "Verein A;a@example.org"),  # missing column
        csv_bytes("Name;Art", "Verein A;Verein", "verein a;Verein"),  # duplicate
        csv_bytes("Name;Art;E-Mail", "Verein A;Verein;nope"),  # bad value
    ],
    ids=["encoding", "columns", "duplicate", "value"],
)
def test_malformed_files_import_nothing(desk, city_district, data):
    response = post_file(desk, city_district, data)
    assert response.status_code == 400
    assert token_of(response) is None
    assert not Organisation.objects.exists()


def test_contacts_are_imported_with_their_organisation(desk, city_district):
    org = organisation(city_district, "Stadtteilmütter e.V.")
    data = csv_bytes(
        CONTACT_HEADER,
        "Ayşe Demir;Koordinatorin;Stadtteilmütter e.V.;ayse@example.org;;consent;01.03.2025;schriftlich am 1.3.",
    )
    token = token_of(post_file(desk, city_district, data, kind="contacts"))
    assert desk.post(reverse("network:import-confirm", args=[city_district.slug]), {"token": token}).status_code == 302
    contact = Contact.objects.get()
    assert (contact.organisation, contact.legal_basis, contact.last_confirmed_on) == (
        org,
        LegalBasis.CONSENT,
        date(2025, 3, 1),
    )
    assert list(contact.districts.all()) == [city_district]


def test_confirmation_checks_again_and_is_all_or_nothing(desk, city_district):
    token = token_of(post_file(desk, city_district, csv_bytes(ORG_HEADER, *ORG_ROWS)))
    organisation(city_district, "Abfallwirtschaftsbetrieb")  # added by a colleague meanwhile
    response = desk.post(reverse("network:import-confirm", args=[city_district.slug]), {"token": token})
    assert response.status_code == 400
    assert "Abfallwirtschaftsbetrieb" in response.content.decode()
    assert list(Organisation.objects.values_list("name", flat=True)) == ["Abfallwirtschaftsbetrieb"]
    assert not AuditEvent.objects.filter(verb="network.organisations_imported").exists()


def test_confirmation_refuses_altered_or_foreign_tokens(desk, city_district, other_district, manager):
    data = csv_bytes("Name;Art", "Verein A;Verein")
    url = reverse("network:import-confirm", args=[city_district.slug])
    token = token_of(post_file(desk, city_district, data))
    forged = signing.dumps({"d": city_district.pk, "u": manager.pk, "k": "organisations", "f": "Name;Art\nB;Verein"})
    other_user = import_token(district=city_district, user=UserFactory(), kind="organisations", data=data)
    other_place = import_token(district=other_district, user=manager, kind="organisations", data=data)
    wrong_kind = signing.dumps(
        {"d": city_district.pk, "u": manager.pk, "k": "users", "f": "x"}, salt=CONFIRM_SALT, compress=True
    )
    for bad in [token[:-2] + "xx", forged, other_user, other_place, wrong_kind, ""]:
        assert desk.post(url, {"token": bad}).status_code == 302
    assert not Organisation.objects.exists()


def test_confirmation_expires(desk, city_district, manager, monkeypatch):
    token = token_of(post_file(desk, city_district, csv_bytes("Name;Art", "Verein A;Verein")))
    monkeypatch.setattr("kiezwerk.network.forms.io.CONFIRM_MAX_AGE", -1)
    desk.post(reverse("network:import-confirm", args=[city_district.slug]), {"token": token})
    assert not Organisation.objects.exists()


# Export -----------------------------------------------------------------------------------------


@pytest.fixture
def network(city_district):
    org = organisation(
        city_district,
        "Kirche St. Anton; Gemeindebüro, Süd\\Nord",
        kind=OrganisationKind.RELIGIOUS,
        topics=["youth"],
        languages=["de", "pl"],
        email="buero@st-anton.de",
        phone="+49 821 55 66",
        address="Imhofstraße 49",
        website="https://st-anton.de/?a=1,2",
        opening_hours="Mo–Fr 9–12",
        visibility=Visibility.PUBLIC,
        description="Offene Türen.\nJeden Sonntag Café, auch für Familien; kostenlos.",
    )
    organisation(city_district, '=HYPERLINK("x")', kind=OrganisationKind.OTHER, whole_city=True)
    contact = Contact.objects.create(
        name="Maria Nowak",
        role="Pfarrsekretärin, Ansprechpartnerin für" + " die Jugendarbeit" * 5,
        organisation=org,
        email="nowak@st-anton.de",
        phone="0821 55 67",
        channels="Signal; dienstags im Büro",
        languages=["pl", "de"],
        notes="GEHEIM: kennt den Vermieter privat",
        legal_basis=LegalBasis.CONSENT,
        consent_note="mündlich am 1.3.2025",
        last_confirmed_on=date(2025, 3, 1),
    )
    contact.districts.add(city_district)
    return org, contact


CONTACT_FIELDS = ["name", "role", "email", "phone", "channels", "languages", "legal_basis", "consent_note"]


def export(client, district, what, fmt):
    return client.get(reverse("network:export", args=[district.slug, what, fmt]))


def test_csv_export_opens_in_excel_and_imports_again(desk, city_district, network, manager):
    originals = {
        "organisations": list(Organisation.objects.order_by("name").values()),
        "contacts": list(Contact.objects.values(*CONTACT_FIELDS)),
    }
    files = {}
    for what in ["organisations", "contacts"]:
        response = export(desk, city_district, what, "csv")
        assert response.status_code == 200
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        files[what] = response.content
        assert files[what].startswith(b"\xef\xbb\xbf")
    organisations = list(csv.reader(io.StringIO(files["organisations"].decode("utf-8-sig")), delimiter=";"))
    assert organisations[0][:3] == ["Name", "Art", "Stadt"]
    assert "'=HYPERLINK" in files["organisations"].decode()  # no formula runs in a spreadsheet
    assert "GEHEIM" not in files["contacts"].decode()
    assert AuditEvent.objects.filter(verb="network.exported", actor=manager).count() == 2

    Contact.objects.all().delete()
    Organisation.objects.all().delete()
    for what in ["organisations", "contacts"]:
        response = post_file(desk, city_district, files[what], kind=what)
        assert response.status_code == 200, response.content.decode()
        desk.post(reverse("network:import-confirm", args=[city_district.slug]), {"token": token_of(response)})
    ignore = {"id", "created_at", "updated_at"}
    after = list(Organisation.objects.order_by("name").values())
    assert [{k: v for k, v in o.items() if k not in ignore} for o in after] == [
        {k: v for k, v in o.items() if k not in ignore} for o in originals["organisations"]
    ]
    # Languages are stored as a sorted set, as the directory's form stores them.
    assert list(Contact.objects.values(*CONTACT_FIELDS)) == [
        {**contact, "languages": sorted(contact["languages"])} for contact in originals["contacts"]
    ]
    contact = Contact.objects.get()
    assert (contact.organisation.name, contact.last_confirmed_on, contact.notes) == (
        network[0].name,
        date(2025, 3, 1),
        "",
    )


def test_the_import_takes_off_what_the_csv_writer_adds():
    for first in FORMULA_STARTS:
        assert imports._cell(cell(f"{first}x")) == f"{first}x"


def parse_vcards(text):
    """A strict RFC 6350 reader: CRLF lines of at most 75 octets, folding, escapes.

    Returns [{name: [(params, value)]}].
    """
    assert text.endswith("\r\n")
    physical = text[:-2].split("\r\n")
    for line in physical:
        assert len(line.encode("utf-8")) <= 75, line
        assert "\n" not in line and "\r" not in line
    logical = []
    for line in physical:
        if line.startswith(" "):
            logical[-1] += line[1:]
        else:
            logical.append(line)
    cards, card = [], None
    for line in logical:
        name_part, value = re.match(r"^([^:]+):(.*)$", line).groups()
        name, *params = name_part.split(";")
        assert re.match(r"^[A-Z-]+$", name), name
        if name == "BEGIN":
            assert value == "VCARD" and card is None
            card = {}
        elif name == "END":
            assert value == "VCARD"
            cards.append(card)
            card = None
        else:
            card.setdefault(name, []).append((params, value))
    assert card is None
    return cards


def unescape(value):
    """Split a structured value on unescaped ';' and undo the escapes of each part."""
    parts, current, chars = [], "", iter(value)
    for char in chars:
        if char == "\\":
            following = next(chars)
            assert following in "\\,;nN", following
            current += "\n" if following in "nN" else following
        elif char == ";":
            parts.append(current)
            current = ""
        else:
            assert char != ",", value  # a bare comma would start a second value
            current += char
    parts.append(current)
    return parts


def test_vcard_export_follows_rfc_6350(desk, city_district, network):
    org, contact = network
    response = export(desk, city_district, "organisations", "vcf")
    assert response["Content-Type"] == "text/vcard; charset=utf-8"
    text = response.content.decode("utf-8")
    cards = parse_vcards(text)
    assert len(cards) == 2
    card = next(c for c in cards if unescape(c["FN"][0][1]) == [org.name])
    assert card["VERSION"] == [([], "4.0")]
    assert card["KIND"] == [([], "org")]
    assert unescape(card["ORG"][0][1]) == [org.name]
    assert unescape(card["NOTE"][0][1]) == [org.description]
    assert unescape(card["ADR"][0][1]) == ["", "", "Imhofstraße 49", "Augsburg", "", "", ""]
    assert card["URL"][0][1] == org.website
    assert unescape(card["TEL"][0][1]) == [org.phone]
    assert "Kirche St. Anton\\; Gemeindebüro\\, Süd\\\\Nord" in text.replace("\r\n ", "")

    text = export(desk, city_district, "contacts", "vcf").content.decode("utf-8")
    (card,) = parse_vcards(text)
    assert unescape(card["TITLE"][0][1]) == [contact.role]
    assert unescape(card["ORG"][0][1]) == [org.name]
    assert unescape(card["NOTE"][0][1]) == [contact.channels]
    assert unescape(card["EMAIL"][0][1]) == [contact.email]
    assert "GEHEIM" not in text  # internal notes never leave
    assert any(len(line.encode()) == 75 for line in text.split("\r\n"))  # the long title was folded

    # An independent reader agrees.
    parsed = list(vobject.readComponents(text))
    assert parsed[0].fn.value == contact.name
    assert parsed[0].title.value == contact.role
    assert parsed[0].note.value == contact.channels
    assert AuditEvent.objects.filter(verb="network.exported", data__format="vcf").count() == 2


def test_vcard_folding_keeps_utf8_sequences_whole():
    line = "NOTE:" + "ü" * 100 + "😀" * 30
    card = exports._card([("fn", "X", None), ("note", line[len("NOTE:") :], None)])
    folded = card[card.index("NOTE:") :].split("\r\nEND:VCARD")[0] + "\r\n"
    physical = folded[:-2].split("\r\n")
    assert all(len(part.encode("utf-8")) <= 75 for part in physical)
    assert "".join(part[1:] if i else part for i, part in enumerate(physical)) == line


def test_internal_organisation_description_stays_out_of_the_vcard(desk, city_district):
    organisation(city_district, "Intern", description="Nur für uns", visibility=Visibility.INTERNAL)
    assert "Nur für uns" not in export(desk, city_district, "organisations", "vcf").content.decode()


def test_export_holds_only_the_district(desk, city_district, other_district):
    organisation(other_district, "Anderswo", city="Augsburg")
    organisation(city_district, "Hier")
    Organisation.objects.create(name="Stadtweit", kind=OrganisationKind.CITY_OFFICE, city="Augsburg", whole_city=True)
    body = export(desk, city_district, "organisations", "csv").content.decode()
    assert "Hier" in body and "Stadtweit" in body and "Anderswo" not in body


# Permissions ------------------------------------------------------------------------------------


def io_requests(district, token=""):
    data = csv_bytes("Name;Art", "Verein A;Verein")
    yield "get", reverse("network:import", args=[district.slug]), {}
    yield "post", reverse("network:import", args=[district.slug]), {"kind": "organisations", "file": upload(data)}
    yield "post", reverse("network:import-confirm", args=[district.slug]), {"token": token}
    for what in ["organisations", "contacts"]:
        for fmt in ["csv", "vcf"]:
            yield "get", reverse("network:export", args=[district.slug, what, fmt]), {}


@pytest.mark.parametrize("who", ["anonymous", "resident", "partner", "other_manager"])
def test_only_the_districts_staff_use_import_and_export(client, city_district, manager, who, request):
    organisation(city_district, "Vorhanden")
    token = import_token(
        district=city_district, user=manager, kind="organisations", data=csv_bytes("Name;Art", "B;Verein")
    )
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    for method, url, data in io_requests(city_district, token):
        response = getattr(client, method)(url, data)
        if who == "anonymous":
            assert response.status_code == 302 and "/login" in response["Location"], url
        else:
            assert response.status_code == 403, url
    # Export URLs are GET only; the import pages refuse other methods.
    assert Organisation.objects.count() == (2 if who == "partner" else 1)  # "Vorhanden" (and the partner's own)
    assert not AuditEvent.objects.filter(verb__startswith="network.").exists()


def test_unknown_district_is_404(desk):
    assert desk.get(reverse("network:import", args=["nirgendwo"])).status_code == 404
    assert desk.get(reverse("network:export", args=["nirgendwo", "contacts", "csv"])).status_code == 404


def test_wrong_methods_are_refused(desk, city_district):
    assert desk.post(reverse("network:export", args=[city_district.slug, "contacts", "csv"])).status_code == 405
    assert desk.get(reverse("network:import-confirm", args=[city_district.slug])).status_code == 405


# Names as the interface shows them --------------------------------------------------------------


@pytest.fixture
def topics(city_district):
    """Besides the fixture's "Wilder Müll" (illegal-dumping) and "Jugend" (youth): a group, a topic in it, a comma."""
    waste = CategoryFactory(
        district=city_district, slug="waste", name_de="Müll und Sauberkeit", name_en="Waste and cleanliness"
    )
    CategoryFactory(district=city_district, slug="dog-waste", parent=waste, name_de="Hundekot", name_en="Dog waste")
    CategoryFactory(district=city_district, slug="parking", name_de="Parken, Halten", name_en="Parking")
    return city_district


def test_topics_are_read_by_the_names_the_interface_shows(topics):
    preview = preview_of(
        topics,
        "Name;Art;Themen",
        "A;Verein;  wilder MÜLL |jugend ",  # German names, any case, spaces around
        "B;Verein;Waste and cleanliness|DOG WASTE",  # English names
        "C;Verein;Müll und Sauberkeit › Hundekot|youth",  # "group › topic" as the forms list it, and a code
        "D;Verein;Parken, Halten",  # a name holding a comma
        "E;Verein;Hundekot, Jugend, Hundekot",  # names separated by commas, one twice
    )
    assert preview.is_valid, row_errors(preview)
    assert [row.values["topics"] for row in preview.rows] == [
        ["illegal-dumping", "youth"],
        ["waste", "dog-waste"],
        ["dog-waste", "youth"],
        ["parking"],
        ["dog-waste", "youth"],
    ]


def test_unknown_topic_is_a_translated_error_naming_the_value_and_the_topics(desk, topics):
    lines = ("Name;Art;Themen", "A;Verein;Jugend", "B;Verein;Jugend|Parkplatz")
    with translation.override("de"):
        error = row_errors(preview_of(topics, *lines))
    assert set(error) == {3}
    assert "Themen: „Parkplatz“ ist kein Thema dieses Quartiers. Mögliche Themen:" in error[3]
    assert all(
        name in error[3] for name in ["Wilder Müll", "Jugend", "Müll und Sauberkeit", "Hundekot", "Parken, Halten"]
    )
    with translation.override("en"):
        error = row_errors(preview_of(topics, *lines))
    assert "“Parkplatz” is not a topic of this district" in error[3] and "Dog waste" in error[3]

    response = post_file(desk, topics, csv_bytes(*lines))
    body = html.unescape(response.content.decode())
    assert response.status_code == 400 and token_of(response) is None
    assert "Zeile 3</a>: Themen: „Parkplatz“ ist kein Thema" in body
    assert not Organisation.objects.exists()


def test_a_name_of_several_topics_asks_for_the_code(topics):
    other = CategoryFactory(district=topics, slug="other", name_de="Sonstiges")
    CategoryFactory(district=topics, slug="other-waste", parent=Category.objects.get(slug="waste"), name_de="Sonstiges")
    CategoryFactory(district=topics, slug="other-other", parent=other, name_de="Sonstiges")
    preview = preview_of(topics, "Name;Art;Themen", "A;Verein;Sonstiges", "B;Verein;Müll und Sauberkeit › Sonstiges")
    assert set(row_errors(preview)) == {2}
    assert "Sonstiges" in row_errors(preview)[2]
    assert preview.rows[1].values["topics"] == ["other-waste"]


def test_kinds_and_legal_bases_are_read_by_their_labels_in_both_languages(city_district):
    preview = preview_of(
        city_district,
        "Name;Art",
        "A;Church or religious community",
        "B;Schule oder Kita",
        "C;social service provider",
    )
    assert [row.values["kind"] for row in preview.rows] == ["religious", "school", "social_service"]
    preview = preview_of(
        city_district,
        "Name;Rechtsgrundlage;Zuletzt bestätigt",
        "A;Öffentliche Aufgabe, dienstlicher Kontakt (Art. 6 Abs. 1 lit. e);01.03.2025",
        "B;Legitimate interest (Art. 6 (1) f);01.03.2025",
        kind="contacts",
    )
    assert preview.is_valid, row_errors(preview)
    assert [row.values["legal_basis"] for row in preview.rows] == ["public_task", "legitimate_interest"]


# Updating what is stored ------------------------------------------------------------------------


def follow_confirm(client, district, response):
    return client.post(
        reverse("network:import-confirm", args=[district.slug]), {"token": token_of(response)}, follow=True
    )


def test_stored_organisation_is_updated_after_the_preview(desk, city_district, manager):
    stored = organisation(
        city_district, "Stadtteilmütter e.V.", phone="0821 1", email="alt@example.org", description="Bleibt."
    )
    same = organisation(city_district, "Tafel", kind=OrganisationKind.SOCIAL_SERVICE, email="Tafel@Example.org")
    data = csv_bytes(
        "Name;Art;E-Mail;Telefon;Themen",
        "Stadtteilmütter e.V.;Verein;neu@example.org;0821 2;Jugend",
        "Tafel;Träger;tafel@example.org;;",  # the address in other case is the same address
        "Kinderhaus;Kita;;;",
    )
    response = post_file(desk, city_district, data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "<td>wird aktualisiert: Themen, E-Mail, Telefon</td>" in body
    assert "<td>unverändert</td>" in body and "<td>wird neu angelegt</td>" in body
    assert "Beim Bestätigen: 1 neu angelegt, 1 aktualisiert, 1 unverändert." in body
    stored.refresh_from_db()
    assert (stored.phone, Organisation.objects.count()) == ("0821 1", 2)  # the preview writes nothing
    assert not AuditEvent.objects.filter(verb__startswith="organisation.").exists()

    body = follow_confirm(desk, city_district, response).content.decode()
    assert "Organisationen: 1 neu angelegt, 1 aktualisiert." in body
    stored.refresh_from_db()
    assert (stored.phone, stored.email, stored.topics, stored.description) == (
        "0821 2",
        "neu@example.org",
        ["youth"],
        "Bleibt.",  # a column the file does not have stays as it is
    )
    assert Organisation.objects.get(pk=same.pk).email == "Tafel@Example.org"
    created = Organisation.objects.get(name="Kinderhaus")
    assert list(created.districts.all()) == [city_district]
    changed = AuditEvent.objects.get(verb="organisation.changed")
    assert (changed.target_id, changed.data["fields"], changed.actor) == (
        str(stored.pk),
        ["email", "phone", "topics"],
        manager,
    )
    assert AuditEvent.objects.get(verb="organisation.created").target_id == str(created.pk)
    summary = AuditEvent.objects.get(verb="network.organisations_imported")
    assert (summary.data["created"], summary.data["updated"], summary.data["count"]) == ([created.pk], [stored.pk], 2)


def test_confirmation_writes_only_what_the_preview_showed(desk, city_district):
    stored = organisation(city_district, "Quartierstreff", phone="0821 1")
    first = post_file(
        desk, city_district, csv_bytes("Name;Art;E-Mail;Telefon", "Quartierstreff;Verein;neu@example.org;0821 2")
    )
    Organisation.objects.filter(pk=stored.pk).update(phone="0821 2")  # a colleague typed the number meanwhile
    response = desk.post(reverse("network:import-confirm", args=[city_district.slug]), {"token": token_of(first)})
    assert response.status_code == 400
    body = response.content.decode()
    assert "seit der Vorschau geändert" in body and "<td>wird aktualisiert: E-Mail</td>" in body
    stored.refresh_from_db()
    assert stored.email == ""
    assert token_of(response) not in (None, token_of(first))  # the new preview can be confirmed
    follow_confirm(desk, city_district, response)
    stored.refresh_from_db()
    assert (stored.email, stored.phone) == ("neu@example.org", "0821 2")


def test_stored_contact_is_updated_after_the_preview(desk, city_district, manager):
    org = organisation(city_district, "Stadtteilmütter e.V.")
    person = Contact.objects.create(
        name="Ayşe Demir",
        organisation=org,
        role="Koordinatorin",
        legal_basis=LegalBasis.CONTRACT,
        last_confirmed_on=date(2024, 5, 1),
        notes="intern",
    )
    data = csv_bytes(
        CONTACT_HEADER,
        "Ayşe Demir;Leitung;Stadtteilmütter e.V.;;;Vertrag;01.03.2025;",
        "Jan Berg;;Stadtteilmütter e.V.;;;Vertrag;01.03.2025;",
    )
    response = post_file(desk, city_district, data, kind="contacts")
    body = response.content.decode()
    assert "<td>wird aktualisiert: Funktion, Zuletzt bestätigt</td>" in body and "<td>wird neu angelegt</td>" in body
    person.refresh_from_db()
    assert person.role == "Koordinatorin"
    follow_confirm(desk, city_district, response)
    person.refresh_from_db()
    assert (person.role, person.last_confirmed_on, person.notes) == ("Leitung", date(2025, 3, 1), "intern")
    assert Contact.objects.get(name="Jan Berg").organisation == org
    assert AuditEvent.objects.get(verb="contact.changed").data["fields"] == ["last_confirmed_on", "role"]


def test_a_person_written_with_consent_needs_the_note_on_how_they_agreed(desk, city_district):
    org = organisation(city_district, "Stadtteilmütter e.V.")
    Contact.objects.create(
        name="Alt", organisation=org, legal_basis=LegalBasis.CONSENT, last_confirmed_on=date(2025, 3, 1)
    )
    preview = preview_of(
        city_district,
        CONTACT_HEADER,
        "Alt;;Stadtteilmütter e.V.;;;Einwilligung;01.03.2025;",  # stored like this: unchanged, nothing written
        "Neu;;Stadtteilmütter e.V.;;;Einwilligung;01.03.2025;",
        "Mit Notiz;;Stadtteilmütter e.V.;;;Einwilligung;01.03.2025;mündlich am 1.3.",
        kind="contacts",
    )
    assert set(row_errors(preview)) == {3}
    assert "Einwilligung" in row_errors(preview)[3]
    assert preview.rows[0].action == imports.UNCHANGED


def snapshot():
    return list(Organisation.objects.order_by("pk").values()), list(Contact.objects.order_by("pk").values())


@pytest.fixture
def odd_organisation(city_district):
    """What a stored row may hold that the file writes otherwise: no city, an address in capitals, lists out of
    order, a topic of a neighbouring district."""
    return organisation(
        city_district,
        "Ohne Stadt",
        city="",
        email="Info@Example.org",
        topics=["youth", "topic-of-the-neighbours", "illegal-dumping"],
        languages=["tr", "de"],
    )


def test_export_imported_again_is_unchanged_and_changes_nothing(desk, city_district, network, odd_organisation):
    before = snapshot()
    for what, count in [("organisations", 3), ("contacts", 1)]:
        response = post_file(desk, city_district, export(desk, city_district, what, "csv").content, kind=what)
        assert response.status_code == 200
        body = response.content.decode()
        assert body.count("<td>unverändert</td>") == count, body
        assert "Nichts zu importieren" in body
        assert token_of(response) is None
    assert snapshot() == before
    assert not AuditEvent.objects.exclude(verb__in=["network.exported", "district.created"]).exists()


def test_a_field_edited_in_the_export_updates_just_that(desk, city_district, network, odd_organisation):
    org, contact = network
    organisations_before, contacts_before = snapshot()
    text = export(desk, city_district, "organisations", "csv").content.decode("utf-8-sig")
    response = post_file(desk, city_district, text.replace("+49 821 55 66", "+49 821 55 99").encode())
    body = response.content.decode()
    assert body.count("<td>unverändert</td>") == 2 and "<td>wird aktualisiert: Telefon</td>" in body
    follow_confirm(desk, city_district, response)
    text = export(desk, city_district, "contacts", "csv").content.decode("utf-8-sig")
    response = post_file(
        desk, city_district, text.replace("nowak@st-anton.de", "m.nowak@st-anton.de").encode(), "contacts"
    )
    assert "<td>wird aktualisiert: E-Mail</td>" in response.content.decode()
    follow_confirm(desk, city_district, response)

    organisations_after, contacts_after = snapshot()
    for before, after, changed in [
        (organisations_before, organisations_after, {org.pk: {"phone": "+49 821 55 99"}}),
        (contacts_before, contacts_after, {contact.pk: {"email": "m.nowak@st-anton.de"}}),
    ]:
        for old, new in zip(before, after, strict=True):
            expected = {**old, **changed.get(old["id"], {}), "updated_at": new["updated_at"]}
            if "last_confirmed_on" in old:  # a person's languages are stored sorted when the person is saved
                expected["languages"] = sorted(old["languages"]) if old["id"] in changed else old["languages"]
            assert new == expected
    assert [e.data["fields"] for e in AuditEvent.objects.filter(verb__endswith=".changed").order_by("pk")] == [
        ["phone"],
        ["email"],
    ]


# Bad input changes nothing ----------------------------------------------------------------------

GOOD_ROW = "Quartierstreff;Verein;0821 2"  # updates the stored organisation's phone


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            csv_bytes("Name;Art;Telefon", GOOD_ROW) + b"x" * 5000 + b"\x00;Verein;\r\n",
            "Die Datei ist keine CSV-Textdatei in UTF-8 oder Windows-1252.",
        ),
        (f"Name;Art;Telefon\r\n{GOOD_ROW}\r\n".encode("utf-16"), "Die Datei ist keine CSV-Textdatei"),
        (csv_bytes(GOOD_ROW), "Pflichtspalten fehlen: Name, Art."),
        (csv_bytes("Name;Art;Telefon", GOOD_ROW, "Lang;Verein;" + "1" * 140_000), "ab Zeile 3 nicht als CSV gelesen"),
        (csv_bytes("Name;Art;Telefon", GOOD_ROW, ";Verein;0821 3"), "Zeile 3</a>: Name ist erforderlich."),
        (
            csv_bytes("Name;Art;Telefon", GOOD_ROW, "Anders;Verein;" + "1" * 41),
            "Zeile 3</a>: Telefon: höchstens 40 Zeichen",
        ),
        (
            csv_bytes("Name;Art;Telefon", GOOD_ROW, " QUARTIERSTREFF ;Verein;0821 3"),
            "Zeile 3</a>: „QUARTIERSTREFF“ kommt in der Datei zweimal vor (auch in Zeile 2).",
        ),
        (csv_bytes("Name;Art;Telefon;Themen", GOOD_ROW + ";", "Anders;Verein;;Parkplatz"), "ist kein Thema"),
    ],
    ids=["nul-byte", "utf-16", "no-header", "unreadable", "empty-name", "too-long", "twice", "unknown-topic"],
)
def test_bad_files_are_explained_in_german_and_change_nothing(desk, city_district, data, message):
    organisation(city_district, "Quartierstreff", phone="0821 1")
    before, audit_before = snapshot(), AuditEvent.objects.count()
    response = post_file(desk, city_district, data)
    body = html.unescape(response.content.decode())
    assert response.status_code == 400
    assert message in body
    assert token_of(response) is None
    if "</a>" in message:  # an error of row 3: the other row still says what it would do
        assert "<td>wird aktualisiert: Telefon</td>" in body
    assert snapshot() == before
    assert AuditEvent.objects.count() == audit_before
