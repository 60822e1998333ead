"""Import organisations and contact persons from CSV (preview first, then all or nothing), and audit exports.

The columns are in `ORGANISATION_COLUMNS` and `CONTACT_COLUMNS`; each has an English key and a German
header, both accepted (case, spaces, hyphens and underscores do not matter). The export
(`network.selectors.exports`) writes the same columns, so an exported file imports again.
"""

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kiezwerk.core.csv import FORMULA_STARTS
from kiezwerk.core.services import audit_record

from ..models import Contact, LegalBasis, Organisation, OrganisationKind, Visibility

MAX_IMPORT_BYTES = 1_000_000
MAX_IMPORT_ROWS = 2000
LIST_SEPARATOR = "|"


@dataclass(frozen=True)
class Column:
    key: str  # the model field and the English header
    header: str  # the German header (what the export writes)
    label: str
    required: bool = False
    aliases: tuple = ()


ORGANISATION_COLUMNS = [
    Column("name", "Name", gettext_lazy("Name"), required=True),
    Column("kind", "Art", gettext_lazy("Kind"), required=True),
    Column("city", "Stadt", gettext_lazy("City")),
    Column("whole_city", "Ganze Stadt", gettext_lazy("Serves the whole city")),
    Column("area_note", "Gebiet", gettext_lazy("Area served"), aliases=("area",)),
    Column("topics", "Themen", gettext_lazy("Topics")),
    Column("competencies", "Kompetenzen", gettext_lazy("Competencies")),
    Column("languages", "Sprachen", gettext_lazy("Languages")),
    Column("email", "E-Mail", gettext_lazy("E-mail"), aliases=("mail",)),
    Column("phone", "Telefon", gettext_lazy("Phone"), aliases=("tel",)),
    Column("address", "Adresse", gettext_lazy("Address"), aliases=("anschrift",)),
    Column("website", "Website", gettext_lazy("Website"), aliases=("webseite", "url", "internet")),
    Column("opening_hours", "Öffnungszeiten", gettext_lazy("Opening hours")),
    Column("visibility", "Sichtbarkeit", gettext_lazy("Visibility")),
    Column("description", "Beschreibung", gettext_lazy("Description")),
]

CONTACT_COLUMNS = [
    Column("name", "Name", gettext_lazy("Name"), required=True),
    Column("role", "Funktion", gettext_lazy("Role"), aliases=("rolle",)),
    Column("organisation", "Organisation", gettext_lazy("Organisation"), aliases=("organization",)),
    Column("email", "E-Mail", gettext_lazy("E-mail"), aliases=("mail",)),
    Column("phone", "Telefon", gettext_lazy("Phone"), aliases=("tel",)),
    Column("channels", "Kanäle", gettext_lazy("Other channels")),
    Column("languages", "Sprachen", gettext_lazy("Languages")),
    Column("legal_basis", "Rechtsgrundlage", gettext_lazy("Legal basis"), required=True),
    Column("consent_note", "Einwilligung", gettext_lazy("How and when agreed")),
    Column(
        "last_confirmed_on",
        "Zuletzt bestätigt",
        gettext_lazy("Last confirmed"),
        required=True,
        aliases=("last_confirmed", "bestätigt am"),
    ),
]

COLUMNS = {"organisations": ORGANISATION_COLUMNS, "contacts": CONTACT_COLUMNS}

# Values accepted beside the codes (German first; compared case-insensitively).
KIND_ALIASES = {
    OrganisationKind.CITY_OFFICE: ["Amt", "Stadtverwaltung", "Verwaltung", "Behörde", "city office"],
    OrganisationKind.ASSOCIATION: ["Verein", "association"],
    OrganisationKind.SOCIAL_SERVICE: ["Sozialer Träger", "Träger", "social service"],
    OrganisationKind.SCHOOL: ["Schule", "Kita", "Schule oder Kita", "school"],
    OrganisationKind.RELIGIOUS: ["Religionsgemeinschaft", "Kirche", "Gemeinde", "religious community", "church"],
    OrganisationKind.HOUSING: ["Wohnungsunternehmen", "Wohnungsbaugesellschaft", "housing company"],
    OrganisationKind.BUSINESS: ["Unternehmen", "Gewerbe", "Firma", "business"],
    OrganisationKind.INITIATIVE: ["Initiative"],
    OrganisationKind.OTHER: ["Sonstige", "Andere", "other"],
}
LEGAL_BASIS_ALIASES = {
    LegalBasis.CONSENT: ["Einwilligung", "Art. 6 (1) a", "consent"],
    LegalBasis.CONTRACT: ["Vertrag", "Kooperationsvereinbarung", "Art. 6 (1) b", "contract"],
    LegalBasis.PUBLIC_TASK: ["Öffentliche Aufgabe", "Art. 6 (1) e", "public task"],
    LegalBasis.LEGITIMATE_INTEREST: ["Berechtigtes Interesse", "Art. 6 (1) f", "legitimate interest"],
}
VISIBILITY_ALIASES = {
    Visibility.PUBLIC: ["öffentlich", "public"],
    Visibility.INTERNAL: ["intern", "internal"],
}
TRUE_WORDS = {"ja", "j", "yes", "y", "true", "wahr", "1", "x"}
FALSE_WORDS = {"nein", "n", "no", "false", "falsch", "0", ""}
LANGUAGE_CODE_RE = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{2,8})?$")


def _norm(text):
    """A header or value for comparing: case, spaces, hyphens, underscores and dots do not matter."""
    return re.sub(r"[\s_\-.()]+", "", str(text)).casefold()


def _alias_map(aliases):
    table = {}
    for code, words in aliases.items():
        for word in [code.value, code.label, *words]:
            table[_norm(word)] = code.value
    return table


KIND_VALUES = _alias_map(KIND_ALIASES)
LEGAL_BASIS_VALUES = _alias_map(LEGAL_BASIS_ALIASES)
VISIBILITY_VALUES = _alias_map(VISIBILITY_ALIASES)


# The result of reading a file ----------------------------------------------------------------------


@dataclass
class ImportRow:
    number: int  # the line in the spreadsheet (the header is 1)
    values: dict  # parsed values by column key
    errors: list = field(default_factory=list)
    organisation: Organisation | None = None  # a contact's organisation, when named


@dataclass
class ImportPreview:
    kind: str  # "organisations" or "contacts"
    columns: list = field(default_factory=list)  # the Columns present in the file, in our order
    rows: list = field(default_factory=list)
    errors: list = field(default_factory=list)  # file-level: nothing could be read row by row
    notices: list = field(default_factory=list)
    encoding: str = "utf-8"
    delimiter: str = ";"

    @property
    def error_rows(self):
        return [row for row in self.rows if row.errors]

    @property
    def is_valid(self):
        return bool(self.rows) and not self.errors and not self.error_rows


def csv_decode(data):
    """(text, encoding) of uploaded bytes: UTF-8 (BOM or not), else Windows-1252, else Latin-1.

    Raises ValidationError(code="encoding") for UTF-16/32 files and binary content.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data[:4096]:
        raise ValidationError(
            _("The file is not a CSV text file in UTF-8 or Windows-1252. Save it as “CSV UTF-8” and try again."),
            code="encoding",
        )
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "windows-1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def csv_delimiter(text):
    """`;` (German Excel) or `,` (or a tab), whichever the header line holds most often outside quotes."""
    header = text.split("\n", 1)[0]
    unquoted = re.sub(r'"[^"]*"', "", header)
    counts = {delimiter: unquoted.count(delimiter) for delimiter in (";", ",", "\t")}
    best = max(counts, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ";"


def _header_map(columns):
    table = {}
    for column in columns:
        for name in (column.key, column.header, column.label, *column.aliases):
            table[_norm(name)] = column
    return table


def _cell(text):
    text = (text or "").strip()
    if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_STARTS:
        text = text[1:]
    return text


def _looks_double_encoded(text):
    """True when text read as Windows-1252 was really UTF-8 (“MÃ¼ller”): a file of mixed encodings."""
    if text.isascii():
        return False
    try:
        return text.encode("cp1252").decode("utf-8") != text
    except (UnicodeEncodeError, UnicodeDecodeError):
        return False


def _split_list(text):
    return [item.strip() for item in re.split(r"[|,]", text) if item.strip()] if text else []


def _parse_date(text):
    for pattern in ("%d.%m.%Y", "%Y-%m-%d", "%d.%m.%y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def _choice(text, table):
    return table.get(_norm(text))


def _check_length(row, column, value, model):
    limit = model._meta.get_field(column.key).max_length
    if limit and len(value) > limit:
        row.errors.append(
            _("%(column)s: at most %(limit)s characters (this has %(length)s).")
            % {"column": column.header, "limit": limit, "length": len(value)}
        )


def _parse_common(row, column, raw, model):
    """Parse what organisations and contacts share; returns the value or None (error recorded)."""
    key = column.key
    if key == "languages":
        codes = _split_list(raw)
        wrong = [code for code in codes if not LANGUAGE_CODE_RE.match(code.lower())]
        if wrong:
            row.errors.append(
                _("%(column)s: “%(value)s” is not a language code like de, tr or ar.")
                % {"column": column.header, "value": ", ".join(wrong)}
            )
        return [code.lower() for code in codes]
    if key == "email" and raw:
        try:
            validate_email(raw)
        except ValidationError:
            row.errors.append(
                _("%(column)s: “%(value)s” is not a valid e-mail address.") % {"column": column.header, "value": raw}
            )
        _check_length(row, column, raw, model)
        return raw.lower()
    _check_length(row, column, raw, model)
    return raw


def _parse_organisation(row, column, raw, *, topics):
    key = column.key
    if key == "kind":
        value = _choice(raw, KIND_VALUES)
        if value is None:
            row.errors.append(
                _("%(column)s: “%(value)s” is not a known kind (e.g. Verein, Schule, Amt; see the list of values).")
                % {"column": column.header, "value": raw}
            )
        return value
    if key == "visibility":
        value = _choice(raw, VISIBILITY_VALUES) if raw else Visibility.INTERNAL.value
        if value is None:
            row.errors.append(
                _("%(column)s: “%(value)s” is neither “öffentlich” nor “intern”.")
                % {"column": column.header, "value": raw}
            )
        return value
    if key == "whole_city":
        word = raw.casefold()
        if word in TRUE_WORDS or word in FALSE_WORDS:
            return word in TRUE_WORDS
        row.errors.append(_("%(column)s: write “ja” or “nein”.") % {"column": column.header})
        return None
    if key == "topics":
        slugs = _split_list(raw)
        unknown = [slug for slug in slugs if slug not in topics]
        if unknown:
            row.errors.append(
                _("%(column)s: unknown topic (category slug) “%(value)s”.")
                % {"column": column.header, "value": ", ".join(unknown)}
            )
        return slugs
    if key == "website" and raw:
        url = raw if "://" in raw else "https://" + raw
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            row.errors.append(
                _("%(column)s: “%(value)s” is not a web address.") % {"column": column.header, "value": raw}
            )
        _check_length(row, column, url, Organisation)
        return url
    return _parse_common(row, column, raw, Organisation)


def _parse_contact(row, column, raw):
    key = column.key
    if key == "legal_basis":
        value = _choice(raw, LEGAL_BASIS_VALUES)
        if value is None:
            row.errors.append(
                _(
                    "%(column)s: “%(value)s” is not a legal basis (Einwilligung, Vertrag, Öffentliche Aufgabe, "
                    "Berechtigtes Interesse)."
                )
                % {"column": column.header, "value": raw}
            )
        return value
    if key == "last_confirmed_on":
        value = _parse_date(raw)
        if value is None:
            row.errors.append(
                _("%(column)s: “%(value)s” is not a date (31.12.2024 or 2024-12-31).")
                % {"column": column.header, "value": raw}
            )
        elif value > timezone.localdate():
            row.errors.append(_("%(column)s: the date lies in the future.") % {"column": column.header})
        return value
    if key == "organisation":
        return raw
    return _parse_common(row, column, raw, Contact)


def _district_organisations(district):
    from ..selectors.exports import organisation_list_for_district

    return organisation_list_for_district(district=district)


def import_preview(*, district, kind, data):
    """Read an uploaded CSV file and check every row; nothing is written.

    File-level problems (encoding, size, missing columns) go to `errors`, row problems to each row.
    """
    preview = ImportPreview(kind=kind)
    columns = COLUMNS[kind]
    if len(data) > MAX_IMPORT_BYTES:
        preview.errors.append(_("The file is larger than 1 MB. Split it into several files."))
        return preview
    try:
        text, preview.encoding = csv_decode(data)
    except ValidationError as error:
        preview.errors.extend(error.messages)
        return preview
    if preview.encoding != "utf-8":
        preview.notices.append(
            _(
                "The file is not UTF-8; it was read as Windows-1252 (what older Excel versions write). "
                "Check the umlauts in the preview."
            )
        )
    preview.delimiter = csv_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=preview.delimiter)
    try:
        lines = list(reader)
    except csv.Error as error:
        preview.errors.append(_("The file cannot be read as CSV: %(error)s") % {"error": error})
        return preview
    if not lines or not any(cell.strip() for cell in lines[0]):
        preview.errors.append(_("The file is empty: the first line must name the columns."))
        return preview

    # Header: which position holds which column.
    header_map = _header_map(columns)
    positions, ignored = {}, []
    for index, name in enumerate(lines[0]):
        column = header_map.get(_norm(name))
        if column is None:
            if name.strip():
                ignored.append(name.strip())
        elif column.key in positions:
            preview.errors.append(_("The column “%(column)s” appears twice.") % {"column": name.strip()})
        else:
            positions[column.key] = index
    missing = [column.header for column in columns if column.required and column.key not in positions]
    if missing:
        preview.errors.append(
            _("Required columns are missing: %(columns)s. The first line must name the columns.")
            % {"columns": ", ".join(missing)}
        )
    if ignored:
        preview.notices.append(_("These columns are not imported: %(columns)s.") % {"columns": ", ".join(ignored)})
    if preview.errors:
        return preview
    preview.columns = [column for column in columns if column.key in positions]
    body = [(number, line) for number, line in enumerate(lines[1:], start=2) if any(cell.strip() for cell in line)]
    if not body:
        preview.errors.append(_("The file has no rows below the header."))
        return preview
    if len(body) > MAX_IMPORT_ROWS:
        preview.errors.append(
            _("The file has more than %(limit)s rows. Split it into several files.") % {"limit": MAX_IMPORT_ROWS}
        )
        return preview

    organisations = list(_district_organisations(district))
    topics = set(district.categories.values_list("slug", flat=True)) if kind == "organisations" else set()
    for number, line in body:
        row = ImportRow(number=number, values={})
        if len(line) > len(lines[0]):
            row.errors.append(_("This row has more cells than the header has columns."))
        for column in preview.columns:
            index = positions[column.key]
            raw = _cell(line[index] if index < len(line) else "")
            if preview.encoding != "utf-8" and _looks_double_encoded(raw):
                row.errors.append(
                    _("%(column)s: “%(value)s” looks like UTF-8 in a file that is not: the file mixes encodings.")
                    % {"column": column.header, "value": raw}
                )
            if column.required and not raw:
                row.errors.append(_("%(column)s is required.") % {"column": column.header})
                row.values[column.key] = None
                continue
            if kind == "organisations":
                row.values[column.key] = _parse_organisation(row, column, raw, topics=topics)
            else:
                row.values[column.key] = _parse_contact(row, column, raw)
        preview.rows.append(row)

    if kind == "organisations":
        _check_organisation_duplicates(preview.rows, district)
    else:
        _resolve_organisations(preview.rows, organisations)
        _check_contact_duplicates(preview.rows, district)
    return preview


def _organisation_key(name, city):
    return (_norm(name), _norm(city))


def _check_organisation_duplicates(rows, district):
    """Same name in the same city: an error against the file's earlier rows and against stored organisations."""
    existing = {
        _organisation_key(name, city): city
        for name, city in Organisation.objects.values_list("name", "city").iterator()
    }
    seen = {}
    for row in rows:
        name = row.values.get("name")
        if not name:
            continue
        city = row.values.get("city") or district.city
        key = _organisation_key(name, city)
        if key in seen:
            row.errors.append(
                _("“%(name)s” appears twice in the file (also in row %(row)s).") % {"name": name, "row": seen[key]}
            )
        else:
            seen[key] = row.number
        if key in existing:
            row.errors.append(
                _("An organisation “%(name)s” already exists in %(city)s.")
                % {"name": name, "city": existing[key] or _("(no city)")}
            )


def _resolve_organisations(rows, organisations):
    by_name = {}
    for organisation in organisations:
        by_name.setdefault(_norm(organisation.name), []).append(organisation)
    for row in rows:
        name = row.values.get("organisation")
        if not name:
            continue
        found = by_name.get(_norm(name), [])
        if len(found) == 1:
            row.organisation = found[0]
        elif not found:
            row.errors.append(
                _("Organisation: “%(name)s” is not in this district's network. Import the organisations first.")
                % {"name": name}
            )
        else:
            row.errors.append(
                _("Organisation: “%(name)s” names several organisations (in different cities).") % {"name": name}
            )


def _check_contact_duplicates(rows, district):
    """Same name at the same organisation (or both without one in this district): an error."""
    existing = {
        (_norm(name), organisation_id)
        for name, organisation_id in Contact.objects.filter(districts=district).values_list("name", "organisation_id")
    }
    organisation_ids = {row.organisation.pk for row in rows if row.organisation}
    existing |= {
        (_norm(name), organisation_id)
        for name, organisation_id in Contact.objects.filter(organisation_id__in=organisation_ids).values_list(
            "name", "organisation_id"
        )
    }
    seen = {}
    for row in rows:
        name = row.values.get("name")
        if not name:
            continue
        key = (_norm(name), row.organisation.pk if row.organisation else None)
        if key in seen:
            row.errors.append(
                _("“%(name)s” appears twice in the file (also in row %(row)s).") % {"name": name, "row": seen[key]}
            )
        else:
            seen[key] = row.number
        if key in existing:
            row.errors.append(_("A contact person “%(name)s” already exists there.") % {"name": name})


# Writing -------------------------------------------------------------------------------------------


@transaction.atomic
def network_import(*, district, kind, data, actor):
    """Import every row of a CSV file, or none: the file is checked again inside the transaction.

    Raises ValidationError(code="invalid") with the preview in `params` when any row has an error.
    Returns the preview of what was imported.
    """
    preview = import_preview(district=district, kind=kind, data=data)
    if not preview.is_valid:
        raise ValidationError(
            _("The file has errors. Nothing was imported."), code="invalid", params={"preview": preview}
        )
    created = []
    for row in preview.rows:
        values = {key: value for key, value in row.values.items() if key != "organisation"}
        if kind == "organisations":
            values.setdefault("city", district.city)
            values["city"] = values["city"] or district.city
            instance = Organisation(**values)
        else:
            instance = Contact(organisation=row.organisation, **values)
        try:
            instance.full_clean()
        except ValidationError as error:
            # The preview checks the same rules; this is the last line of defence and stops everything.
            messages = [f"{name}: {' '.join(texts)}" for name, texts in error.message_dict.items()]
            row.errors.extend(messages)
            raise ValidationError(
                _("The file has errors. Nothing was imported."), code="invalid", params={"preview": preview}
            ) from error
        instance.save()
        instance.districts.add(district)
        created.append(instance.pk)
    audit_record(
        actor=actor,
        verb=f"network.{kind}_imported",
        target=district,
        district=district,
        count=len(created),
        ids=created,
        encoding=preview.encoding,
    )
    return preview


def network_export_record(*, district, what, fmt, count, actor):
    """Audit an export of the district's organisations or contacts (who took which data, how many rows)."""
    return audit_record(
        actor=actor, verb="network.exported", target=district, district=district, what=what, format=fmt, count=count
    )
