"""Import organisations and contact persons from CSV (preview first, then all or nothing), and audit exports.

The columns are in `ORGANISATION_COLUMNS` and `CONTACT_COLUMNS`; each has an English key and a German
header, both accepted (case, spaces, hyphens and underscores do not matter). The export
(`network.selectors.exports`) writes the same columns, so an exported file imports again.

A row that names a stored organisation (same name, same city, serving the district: what the export
lists) or contact person (same name at the same organisation) updates it; the preview says per row
whether it is created, updated (which columns) or unchanged. Only the confirmation writes, through the
directory's services (`organisation_save`, `contact_save`), which audit every organisation and person.
"""

import csv
import functools
import io
import re
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kiezwerk.core.csv import FORMULA_STARTS
from kiezwerk.core.services import audit_record

from ..models import Contact, LegalBasis, Organisation, OrganisationKind, Visibility, serves_q
from ..selectors import directory as directory_selectors
from .directory import contact_save, organisation_save

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


@functools.cache
def _alias_map(name):
    """{normalised word: code}: the code, the label the interface shows in every language, the aliases."""
    aliases = {"kind": KIND_ALIASES, "legal_basis": LEGAL_BASIS_ALIASES, "visibility": VISIBILITY_ALIASES}[name]
    table = {}
    for code, words in aliases.items():
        labels = []
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                labels.append(str(code.label))
        for word in [code.value, *labels, *words]:
            table[_norm(word)] = code.value
    return table


# The result of reading a file ----------------------------------------------------------------------


CREATE, UPDATE, UNCHANGED = ACTIONS = "created", "updated", "unchanged"


@dataclass
class ImportRow:
    number: int  # the line in the spreadsheet (the header is 1)
    values: dict  # parsed values by column key
    errors: list = field(default_factory=list)
    organisation: Organisation | None = None  # a contact's organisation, when named
    target: Organisation | Contact | None = None  # the stored organisation or person this row updates
    changes: list = field(default_factory=list)  # keys of the columns whose value differs from the stored one
    unknown_topics: list = field(default_factory=list)  # values of the topics column that name no topic

    @property
    def action(self):
        if self.target is None:
            return CREATE
        return UPDATE if self.changes else UNCHANGED


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

    def count(self, action):
        return sum(1 for row in self.rows if row.action == action)

    @property
    def writes(self):
        """How many rows the confirmation writes (created or updated)."""
        return sum(1 for row in self.rows if row.action != UNCHANGED)

    @property
    def plan(self):
        """What the confirmation would do, row by row: the preview a person confirms (JSON-able)."""
        return [[row.number, row.target.pk if row.target else None, row.changes] for row in self.rows]


def csv_decode(data):
    """(text, encoding) of uploaded bytes: UTF-8 (BOM or not), else Windows-1252, else Latin-1.

    Raises ValidationError(code="encoding") for UTF-16/32 files and binary content.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data:
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


@dataclass
class Topics:
    """The district's topics (its categories) by every name a file may give them."""

    codes: dict  # {key: slug}
    names: dict  # {key: {slugs}}: German and translated names, and "Group › Topic" as the forms show them
    offered: list  # the names an error offers: the active categories as the interface shows them


def _topic_key(text):
    return " ".join(text.replace(">", "›").split()).casefold()


def district_topics(district):
    """The district's topics for reading a file: codes (category slugs) and names in every language."""
    categories = list(district.categories.select_related("parent").order_by("position", "name_de"))
    names = {}
    for category in categories:
        own = category.names()
        labels = list(own.values())
        if category.parent:
            group = category.parent.names()
            labels += [f"{group.get(language, group['de'])} › {name}" for language, name in own.items()]
        for label in labels:
            if isinstance(label, str) and label.strip():
                names.setdefault(_topic_key(label), set()).add(category.slug)
    return Topics(
        codes={_topic_key(category.slug): category.slug for category in categories},
        names=names,
        offered=[category.name for category in categories if category.is_active],
    )


def _parse_topics(row, column, raw, topics):
    """Slugs of the topics a cell names, by code or name, separated by | (or commas)."""
    slugs, ambiguous = [], []

    def find(text):
        key = _topic_key(text)
        found = {topics.codes[key]} if key in topics.codes else topics.names.get(key, set())
        if len(found) > 1:
            ambiguous.append(text)
            return ""
        return next(iter(found), None)

    for piece in filter(None, (piece.strip() for piece in raw.split(LIST_SEPARATOR))):
        slug = find(piece)
        if slug is None and "," in piece:  # a name may hold a comma; else the cell is a list with commas
            for part in filter(None, (part.strip() for part in piece.split(","))):
                slug = find(part)
                if slug is None:
                    row.unknown_topics.append(part)
                elif slug not in slugs:
                    slugs.append(slug)
        elif slug is None:
            row.unknown_topics.append(piece)
        elif slug and slug not in slugs:
            slugs.append(slug)
    if ambiguous:
        row.errors.append(
            _("%(column)s: “%(value)s” is the name of several topics; write the code of the one meant instead.")
            % {"column": column.header, "value": ", ".join(ambiguous)}
        )
    return slugs


def _check_topics(row, column, topics):
    """An error naming the values of the topics column that name no topic (codes the row already has are kept)."""
    stored = set(row.target.topics or []) if row.target else set()
    kept = [value for value in row.unknown_topics if value in stored]
    unknown = [value for value in row.unknown_topics if value not in stored]
    row.values["topics"] = [*row.values["topics"], *(slug for slug in kept if slug not in row.values["topics"])]
    if unknown:
        row.errors.append(
            _("%(column)s: “%(value)s” is not a topic of this district. Possible topics: %(names)s.")
            % {"column": column.header, "value": ", ".join(unknown), "names": ", ".join(topics.offered) or "–"}
        )


def _parse_organisation(row, column, raw, *, topics):
    key = column.key
    if key == "kind":
        value = _choice(raw, _alias_map("kind"))
        if value is None:
            row.errors.append(
                _("%(column)s: “%(value)s” is not a known kind (e.g. Verein, Schule, Amt; see the list of values).")
                % {"column": column.header, "value": raw}
            )
        return value
    if key == "visibility":
        value = _choice(raw, _alias_map("visibility")) if raw else Visibility.INTERNAL.value
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
        return _parse_topics(row, column, raw, topics)
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
        value = _choice(raw, _alias_map("legal_basis"))
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
    except csv.Error:
        preview.errors.append(
            _(
                "The file cannot be read as CSV from line %(line)s on (a cell too long or a stray quotation mark?). "
                "Save it from the spreadsheet as “CSV UTF-8” and try again."
            )
            % {"line": reader.line_num}
        )
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

    topics = district_topics(district) if kind == "organisations" else None
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
        _plan_organisations(preview, district, topics)
    else:
        _resolve_organisations(preview.rows, _district_organisations(district))
        _plan_contacts(preview, district)
    return preview


def _organisation_key(name, city):
    return (_norm(name), _norm(city))


def _same(key, value, stored):
    """Whether a value read from the file equals the stored one (lists as sets, addresses in any case)."""
    if key in ("topics", "languages"):
        return sorted(set(value)) == sorted(set(stored or []))
    if key == "email":
        return value.casefold() == (stored or "").casefold()
    return value == stored


def _compare(row, columns, skip=()):
    """Record the columns whose value differs from the row's target."""
    row.changes = [
        column.key
        for column in columns
        if column.key not in skip
        and row.values.get(column.key) is not None
        and not _same(column.key, row.values[column.key], getattr(row.target, column.key))
    ]


def _check_twice(row, key, seen):
    if key in seen:
        row.errors.append(
            _("“%(name)s” appears twice in the file (also in row %(row)s).")
            % {"name": row.values["name"], "row": seen[key]}
        )
    else:
        seen[key] = row.number


def _plan_organisations(preview, district, topics):
    """Match each row with the stored organisation of the same name and city serving the district.

    The export lists the organisations serving the district, so these are the ones a row may update;
    one of the same name and city elsewhere is an error (it is not changed from this district).
    """
    serving, elsewhere = {}, {}
    for organisation in Organisation.objects.serving(district):
        key = _organisation_key(organisation.name, organisation.city or district.city)
        serving.setdefault(key, []).append(organisation)
    for name, city in Organisation.objects.exclude(serves_q(district)).values_list("name", "city").iterator():
        elsewhere[_organisation_key(name, city)] = city
    seen = {}
    for row in preview.rows:
        if "city" in row.values:
            row.values["city"] = row.values["city"] or district.city
        name = row.values.get("name")
        city = row.values.get("city") or district.city
        key = _organisation_key(name, city) if name else None
        found = serving.get(key, [])
        if key:
            _check_twice(row, key, seen)
        if len(found) > 1:
            row.errors.append(
                _("Several organisations “%(name)s” in %(city)s work in this district. Rename all but one first.")
                % {"name": name, "city": city or _("(no city)")}
            )
        elif found:
            row.target = found[0]
        elif key in elsewhere:
            row.errors.append(
                _(
                    "An organisation “%(name)s” already exists in %(city)s, but it does not work in this district; "
                    "it is not changed from here."
                )
                % {"name": name, "city": elsewhere[key] or _("(no city)")}
            )
        if row.unknown_topics:
            _check_topics(row, _column("organisations", "topics"), topics)
        if row.target:
            if row.values.get("city") == (row.target.city or district.city):
                row.values["city"] = row.target.city  # an empty cell and the district's city are the same
            _compare(row, preview.columns)
        whole_city = row.values.get("whole_city", row.target.whole_city if row.target else False)
        if whole_city and not row.values.get("city", row.target.city if row.target else district.city):
            row.errors.append(_("An organisation serving the whole city needs its city."))


def _column(kind, key):
    return next(column for column in COLUMNS[kind] if column.key == key)


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


def _plan_contacts(preview, district):
    """Match each row with the district's contact person of the same name at the same organisation.

    These are the people the export lists. A person written (new or changed) with consent as the legal
    basis needs a note on how they agreed, as in the directory's form.
    """
    stored = {}
    for contact in directory_selectors.contact_list_for_district(district=district):
        stored.setdefault((_norm(contact.name), contact.organisation_id), []).append(contact)
    seen = {}
    for row in preview.rows:
        name = row.values.get("name")
        if not name:
            continue
        key = (_norm(name), row.organisation.pk if row.organisation else None)
        _check_twice(row, key, seen)
        found = stored.get(key, [])
        if len(found) > 1:
            row.errors.append(
                _("Several contact persons “%(name)s” are stored there. Rename all but one first.") % {"name": name}
            )
            continue
        if found:
            row.target = found[0]
            _compare(row, preview.columns, skip=("organisation",))
        if row.action == UNCHANGED:
            continue
        legal_basis = row.values.get("legal_basis") or getattr(row.target, "legal_basis", "")
        note = row.values.get("consent_note", getattr(row.target, "consent_note", ""))
        if legal_basis == LegalBasis.CONSENT and not note:
            row.errors.append(
                _("%(column)s: for consent, note when and how the person agreed.")
                % {"column": _column("contacts", "consent_note").header}
            )


# Writing -------------------------------------------------------------------------------------------


def _invalid(preview):
    return ValidationError(_("The file has errors. Nothing was imported."), code="invalid", params={"preview": preview})


def _organisation_write(row, district, actor):
    if row.target is None:
        values = {"city": district.city, **row.values}
        return organisation_save(district=district, actor=actor, districts=[district], **values)
    organisation = row.target
    values = {key: row.values[key] for key in row.changes}
    districts = list(organisation.districts.all())
    whole_city = values.get("whole_city", organisation.whole_city)
    city = values.get("city", organisation.city)
    serves_here = any(d.pk == district.pk for d in districts) or (
        whole_city and district.city and city.strip().casefold() == district.city.casefold()
    )
    if not serves_here:  # the row took away what made it serve the district: it is listed for it instead
        districts.append(district)
    return organisation_save(district=district, actor=actor, organisation=organisation, districts=districts, **values)


def _contact_write(row, district, actor):
    if row.target is None:
        values = {key: value for key, value in row.values.items() if key != "organisation"}
        return contact_save(district=district, actor=actor, organisation=row.organisation, **values)
    values = {key: row.values[key] for key in row.changes}
    return contact_save(district=district, actor=actor, contact=row.target, **values)


@transaction.atomic
def network_import(*, district, kind, data, actor, plan=None):
    """Create or update what the rows of a CSV file say, all or nothing; the file is checked again first.

    `plan` is the preview's plan the person confirmed: when the stored data changed since, so that the
    rows would do something else, nothing is written. Raises ValidationError with the new preview in
    `params`: code "invalid" when any row has an error, "changed" when the plan differs.
    Returns the preview of what was done.
    """
    preview = import_preview(district=district, kind=kind, data=data)
    if not preview.is_valid:
        raise _invalid(preview)
    if plan is not None and plan != preview.plan:
        raise ValidationError(
            _("The stored data changed since the preview. Nothing was imported; check the new preview."),
            code="changed",
            params={"preview": preview},
        )
    write = _organisation_write if kind == "organisations" else _contact_write
    created, updated = [], []
    for row in preview.rows:
        if row.action == UNCHANGED:
            continue
        try:
            instance = write(row, district, actor)
        except ValidationError as error:
            # The preview checks the same rules; this is the last line of defence and stops everything.
            if hasattr(error, "error_dict"):
                row.errors.extend(f"{name}: {' '.join(texts)}" for name, texts in error.message_dict.items())
            else:
                row.errors.extend(error.messages)
            raise _invalid(preview) from error
        (created if row.action == CREATE else updated).append(instance.pk)
    if created or updated:
        audit_record(
            actor=actor,
            verb=f"network.{kind}_imported",
            target=district,
            district=district,
            count=len(created) + len(updated),
            created=created,
            updated=updated,
            encoding=preview.encoding,
        )
    return preview


def network_export_record(*, district, what, fmt, count, actor):
    """Audit an export of the district's organisations or contacts (who took which data, how many rows)."""
    return audit_record(
        actor=actor, verb="network.exported", target=district, district=district, what=what, format=fmt, count=count
    )
