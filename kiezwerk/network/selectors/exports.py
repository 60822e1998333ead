"""A district's organisations and contact persons as CSV (the import's columns) and as vCard 4.0 (RFC 6350).

Internal notes of contact persons are never exported.
"""

from itertools import chain

import vobject

from kiezwerk.core.csv import csv_lines

from ..models import Organisation, Visibility
from ..services.imports import CONTACT_COLUMNS, LIST_SEPARATOR, ORGANISATION_COLUMNS
from . import directory

CSV_DELIMITER = ";"


def organisation_list_for_district(*, district):
    """Organisations serving the district, and those serving its whole city."""
    return Organisation.objects.serving(district).order_by("name", "pk")


def contact_list_for_district(*, district):
    """Contact persons of the district, and those working at one of its organisations (the directory's list)."""
    return directory.contact_list_for_district(district=district)


# CSV ------------------------------------------------------------------------------------------------


def _csv_value(value):
    """A value as the import reads it: ja/nein, lists joined by |, dates as dd.mm.yyyy."""
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if isinstance(value, list):
        return LIST_SEPARATOR.join(value)
    if hasattr(value, "strftime"):
        return value.strftime("%d.%m.%Y")
    return value


def _csv(columns, rows):
    """UTF-8 with BOM and `;` between cells: what German Excel opens without asking."""
    header = [column.header for column in columns]
    values = ([_csv_value(row(column.key)) for column in columns] for row in rows)
    return "\ufeff" + "".join(csv_lines(chain([header], values), delimiter=CSV_DELIMITER))


def organisations_csv(organisations):
    return _csv(ORGANISATION_COLUMNS, [lambda key, o=o: getattr(o, key) for o in organisations])


def contacts_csv(contacts):
    def value(contact, key):
        if key == "organisation":
            return contact.organisation.name if contact.organisation else ""
        return getattr(contact, key)

    return _csv(CONTACT_COLUMNS, [lambda key, c=c: value(c, key) for c in contacts])


# vCard 4.0 ------------------------------------------------------------------------------------------


def _card(properties):
    """One vCard 4.0 of (name, value, TYPE) properties, empty values left out; vobject escapes and folds."""
    card = vobject.vCard()
    card.add("version").value = "4.0"
    for name, value, kind in properties:
        if value:
            line = card.add(name)
            line.value = value
            if kind:
                line.type_param = kind
            if name == "url":
                line.encoded = True  # a URI, not text: nothing to escape (RFC 6350 6.7.8)
    return card.serialize()


def _organisation_card(organisation):
    properties = [
        ("kind", "org", None),
        ("fn", organisation.name, None),
        ("org", [organisation.name], None),
        ("email", organisation.email, "work"),
        ("tel", organisation.phone, "work"),
    ]
    if organisation.address or organisation.city:
        properties.append(("adr", vobject.vcard.Address(street=organisation.address, city=organisation.city), "work"))
    properties.append(("url", organisation.website, None))
    properties += [("lang", code, None) for code in organisation.languages]
    if organisation.visibility == Visibility.PUBLIC:
        properties.append(("note", organisation.description, None))
    return _card(properties)


def _contact_card(contact):
    properties = [
        ("kind", "individual", None),
        ("fn", contact.name, None),
        ("org", [contact.organisation.name] if contact.organisation else None, None),
        ("title", contact.role, None),
        ("email", contact.email, "work"),
        ("tel", contact.phone, "work"),
        *[("lang", code, None) for code in contact.languages],
        # Other channels ("Signal, Tuesdays in the office") help whoever calls; the internal notes stay here.
        ("note", contact.channels, None),
    ]
    return _card(properties)


def organisations_vcard(organisations):
    return "".join(_organisation_card(organisation) for organisation in organisations)


def contacts_vcard(contacts):
    return "".join(_contact_card(contact) for contact in contacts)
