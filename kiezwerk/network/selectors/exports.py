"""A district's organisations and contact persons as CSV (the import's columns) and as vCard 4.0 (RFC 6350).

Internal notes of contact persons are never exported.
"""

import csv
import io

from ..models import Organisation, Visibility
from ..services.imports import CONTACT_COLUMNS, FORMULA_STARTS, LIST_SEPARATOR, ORGANISATION_COLUMNS
from . import directory

CSV_DELIMITER = ";"
VCARD_LINE_OCTETS = 75


def organisation_list_for_district(*, district):
    """Organisations serving the district, and those serving its whole city."""
    return Organisation.objects.serving(district).order_by("name", "pk")


def contact_list_for_district(*, district):
    """Contact persons of the district, and those working at one of its organisations (the directory's list)."""
    return directory.contact_list_for_district(district=district)


# CSV ------------------------------------------------------------------------------------------------


def _csv_cell(value):
    if isinstance(value, bool):
        value = "ja" if value else "nein"
    elif isinstance(value, list):
        value = LIST_SEPARATOR.join(value)
    elif hasattr(value, "strftime"):
        value = value.strftime("%d.%m.%Y")
    value = "" if value is None else str(value)
    # A spreadsheet runs cells starting like a formula; the import removes the ' again.
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _csv(columns, rows):
    """UTF-8 with BOM and `;` between cells: what German Excel opens without asking."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=CSV_DELIMITER, lineterminator="\r\n")
    writer.writerow([column.header for column in columns])
    for row in rows:
        writer.writerow([_csv_cell(row(column.key)) for column in columns])
    return "\ufeff" + buffer.getvalue()


def organisations_csv(organisations):
    return _csv(ORGANISATION_COLUMNS, [lambda key, o=o: getattr(o, key) for o in organisations])


def contacts_csv(contacts):
    def value(contact, key):
        if key == "organisation":
            return contact.organisation.name if contact.organisation else ""
        return getattr(contact, key)

    return _csv(CONTACT_COLUMNS, [lambda key, c=c: value(c, key) for c in contacts])


# vCard 4.0 ------------------------------------------------------------------------------------------


def vcard_escape(text):
    """RFC 6350 3.4: backslash, comma, semicolon and line breaks escaped in text values."""
    return (
        str(text)
        .replace("\\", "\\\\")
        .replace(",", "\\,")
        .replace(";", "\\;")
        .replace("\r\n", "\\n")
        .replace("\r", "\\n")
        .replace("\n", "\\n")
    )


def vcard_fold(line):
    """RFC 6350 3.2: lines of at most 75 octets; continuation lines start with a space.

    Never splits a UTF-8 sequence, so every physical line is valid UTF-8 on its own.
    """
    out, current, size, limit = [], [], 0, VCARD_LINE_OCTETS
    for char in line:
        octets = len(char.encode("utf-8"))
        if size + octets > limit:
            out.append("".join(current))
            current, size, limit = [" "], 1, VCARD_LINE_OCTETS
        current.append(char)
        size += octets
    out.append("".join(current))
    return "\r\n".join(out) + "\r\n"


def _card(properties):
    lines = ["BEGIN:VCARD", "VERSION:4.0", *(f"{name}:{value}" for name, value in properties if value), "END:VCARD"]
    return "".join(vcard_fold(line) for line in lines)


def _organisation_card(organisation):
    properties = [
        ("KIND", "org"),
        ("FN", vcard_escape(organisation.name)),
        ("ORG", vcard_escape(organisation.name)),
        ("EMAIL;TYPE=work", vcard_escape(organisation.email)),
        ("TEL;TYPE=work", vcard_escape(organisation.phone)),
    ]
    if organisation.address or organisation.city:
        # ADR: PO box; extended; street; locality; region; postal code; country
        properties.append(
            ("ADR;TYPE=work", f";;{vcard_escape(organisation.address)};{vcard_escape(organisation.city)};;;")
        )
    properties.append(("URL", organisation.website))
    if organisation.languages:
        properties += [("LANG", vcard_escape(code)) for code in organisation.languages]
    if organisation.visibility == Visibility.PUBLIC and organisation.description:
        properties.append(("NOTE", vcard_escape(organisation.description)))
    return _card(properties)


def _contact_card(contact):
    properties = [
        ("KIND", "individual"),
        ("FN", vcard_escape(contact.name)),
        ("ORG", vcard_escape(contact.organisation.name) if contact.organisation else ""),
        ("TITLE", vcard_escape(contact.role)),
        ("EMAIL;TYPE=work", vcard_escape(contact.email)),
        ("TEL;TYPE=work", vcard_escape(contact.phone)),
        *[("LANG", vcard_escape(code)) for code in contact.languages],
        # Other channels ("Signal, Tuesdays in the office") help whoever calls; the internal notes stay here.
        ("NOTE", vcard_escape(contact.channels)),
    ]
    return _card(properties)


def organisations_vcard(organisations):
    return "".join(_organisation_card(organisation) for organisation in organisations)


def contacts_vcard(contacts):
    return "".join(_contact_card(contact) for contact in contacts)
