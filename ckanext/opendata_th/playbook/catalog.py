"""The agency's data catalog (step 3.1, survey) as a spreadsheet: the
columns of the DGA data-catalog template, reading a file the agency filled
in, and mapping its rows to the national schema's fields.

The columns are those of ckanext-thai_gdc's catalog exporter, in its order,
headed by the national schema's Thai labels; the portal's own columns
(classification level, stage, priority, overdue) come after them, so a
tool that reads the template by position still finds its columns. A cell
holds what the national catalogs store: Thai choice values (English labels
are read too), multi-choice values separated by commas, tags separated by
commas. The "other" choice is written ``อื่นๆ: <text>``; a value that is
not among a field's choices is read as "other" with that text when the
field has an "other" choice (the template's convention), and refused
otherwise.

Nothing here knows CKAN: the glue reads the organization's datasets and
creates the rows' datasets; these rules only say what goes in which cell
and what a row means, with errors as :class:`.messages.Message`.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from ckanext.opendata_th.playbook import national_schema
from ckanext.opendata_th.playbook.dates import THAI_DIGITS
from ckanext.opendata_th.playbook.messages import N_, Label, Message, MessageError
from ckanext.opendata_th.playbook.vocabulary import OTHER, OTHER_DATA_TYPE

ORGANIZATION = "owner_org"
TAGS = "tag_string"
CLASSIFICATION = "data_classification"
STAGE = "stage"
PRIORITY = "priority"
OVERDUE = "overdue"

TEMPLATE_FIELDS: tuple[str, ...] = (
    "data_type", "title", ORGANIZATION, "maintainer", "maintainer_email", TAGS, "notes",
    "objective", "update_frequency_unit", "update_frequency_interval", "geo_coverage",
    "data_source", "data_format", "data_category", "license_id")
"""The DGA data-catalog template's columns, in its order."""
PORTAL_COLUMNS: tuple[str, ...] = (CLASSIFICATION, STAGE, PRIORITY, OVERDUE)
"""The portal's own columns, after the template's. Only the classification
level is imported; the others are the workflow's and are ignored."""

_OUR_LABELS = {
    STAGE: Label("ขั้นตอน", "Stage"),
    PRIORITY: Label("ลำดับความสำคัญ", "Priority"),
    OVERDUE: Label("เลยกำหนดปรับปรุง", "Update overdue"),
}

MAX_COLUMNS = 100
"""Columns read from a row; the rest of a wider sheet is ignored."""
MAX_CELL = 10_000
"""Characters a cell may hold (longer: the row is refused)."""
MAX_UNPACKED = 50 * 1024 * 1024
"""Bytes an XLSX file may unpack to (a small zip can unpack to gigabytes)."""
HEADER_SEARCH_ROWS = 10
"""The template has a title and notes above its header row: the header
row is looked for among the first rows."""

_SEPARATORS = re.compile(r"\s*[,\n;]\s*")
_SPACES = re.compile(r"\s+")
_SUFFIX = re.compile(r"\s*[(\[].*?[)\]]\s*$")
_OTHER_TEXT = re.compile(r"^(?P<choice>[^:：]+?)\s*[:：]\s*(?P<text>.*)$", re.S)


class CatalogFileError(MessageError):
    """A file that cannot be read as the catalog template, and why."""


@dataclass(frozen=True)
class Column:
    key: str
    """The dataset field (or ``stage``, ``priority``, ``overdue``)."""
    label: Label

    @property
    def header(self) -> str:
        """The template's header: the national (Thai) label."""
        return self.label.th


def _field(name: str) -> national_schema.Field:
    return national_schema.FIELDS["dataset"][name]


def _column(key: str) -> Column:
    if key in _OUR_LABELS:
        return Column(key, _OUR_LABELS[key])
    return Column(key, _field(key).label)


COLUMNS: tuple[Column, ...] = tuple(_column(key) for key in TEMPLATE_FIELDS + PORTAL_COLUMNS)
"""Every column of the export, in order."""
IMPORTED: frozenset[str] = frozenset(TEMPLATE_FIELDS + (CLASSIFICATION,))
REQUIRED_HEADERS: tuple[str, ...] = ("title",)
"""Without these columns the file is not the template."""

_ALIASES = {
    # headers of the template's other versions and of thai_gdc's forms
    "ประเภทข้อมูล": "data_type",
    "องค์กร": ORGANIZATION,
    "ชื่อหน่วยงาน": ORGANIZATION,
    "หน่วยความถี่": "update_frequency_unit",
    "ความถี่ในการปรับปรุงข้อมูล": "update_frequency_unit",
    "ค่าความถี่ของการปรับปรุงข้อมูล": "update_frequency_interval",
    "ชั้นความลับของข้อมูลภาครัฐ": CLASSIFICATION,
    "ชั้นความลับ": CLASSIFICATION,
    "description": "notes",
    "organization": ORGANIZATION,
    "tags": TAGS,
    "license": "license_id",
    "classification": CLASSIFICATION,
}


def _normal(text: str) -> str:
    return _SPACES.sub(" ", text).strip().casefold()


def _header_keys() -> dict[str, str]:
    keys: dict[str, str] = {}
    for column in COLUMNS:
        for name in (column.label.th, column.label.en, column.key):
            keys.setdefault(_normal(name), column.key)
    keys.update({_normal(alias): key for alias, key in _ALIASES.items()})
    return keys


_HEADER_KEYS = _header_keys()


def header_key(header: object) -> str | None:
    """The column a header names: a national label in Thai or English, the
    field name, or a known variant ("วัตถุประสงค์ (เลือกได้มากกว่า 1 ข้อ)");
    None for a column this catalog does not know."""
    if not isinstance(header, str) or not header.strip():
        return None
    text = _normal(header)
    while text:
        if text in _HEADER_KEYS:
            return _HEADER_KEYS[text]
        shorter = _SUFFIX.sub("", text)
        if shorter == text:
            break
        text = shorter
    return None


# -- writing --------------------------------------------------------------------

def _other_choice(fld: national_schema.Field) -> str | None:
    """The field's "other" choice when it has one (and a ``_other`` field)."""
    other = OTHER_DATA_TYPE if fld.name == "data_type" else OTHER
    if other in fld.choices and f"{fld.name}_other" in national_schema.FIELDS["dataset"]:
        return other
    return None


def _with_other(fld: national_schema.Field, values: list[str], other_text: object) -> list[str]:
    other = _other_choice(fld)
    text = other_text.strip() if isinstance(other_text, str) else ""
    if other is None or not text:
        return values
    return [f"{value}: {text}" if value == other else value for value in values]


def cell(dataset: Mapping[str, object], key: str, *, organization_title: str = "",
         licence_titles: Mapping[str, str] | None = None) -> str:
    """The text of one template column for a dataset dict (as package_show
    or package_search return it)."""
    if key == ORGANIZATION:
        return organization_title
    if key == TAGS:
        tags = dataset.get("tags")
        if isinstance(tags, list):
            return ", ".join(str(t.get("name")) for t in tags if isinstance(t, Mapping) and t.get("name"))
        return str(dataset.get(TAGS) or "")
    fld = national_schema.FIELDS["dataset"].get(key)
    value = dataset.get(key)
    if fld is None or not fld.choices:
        return "" if national_schema.is_empty(value) else str(value).strip()
    values = _with_other(fld, national_schema.selected(value), dataset.get(f"{key}_other"))
    return ", ".join(values)


def export_row(dataset: Mapping[str, object], *, organization_title: str, stage: str,
               priority: float | None, overdue: str) -> list[str]:
    """One row of the export: the template's cells, then the portal's
    (``stage`` and ``overdue`` already in the reader's language)."""
    row = [cell(dataset, key, organization_title=organization_title) for key in TEMPLATE_FIELDS]
    row.append(cell(dataset, CLASSIFICATION))
    row.append(stage)
    row.append("" if priority is None else f"{priority:g}")
    row.append(overdue)
    return row


def headers() -> list[str]:
    return [column.header for column in COLUMNS]


FORMULA_START = ("=", "+", "-", "@")
"""What makes a spreadsheet read a typed text as a formula (and run it: CSV
and XLSX injection). Every export of users' texts guards against it: this
CSV with :func:`csv_safe`, the XLSX files with
:func:`ckanext.opendata_th.reports.yearly.keep_as_text`."""


def csv_safe(text: str) -> str:
    """A CSV cell that a spreadsheet will not run as a formula: a text
    starting with = + - @ gets a leading apostrophe (read back without it)."""
    return f"'{text}" if text.startswith(FORMULA_START) else text


# -- reading a file --------------------------------------------------------------

@dataclass(frozen=True)
class Table:
    """The cells of a sheet from its header row on: ``rows`` are
    (row number in the file, cells)."""

    headers: list[str]
    rows: list[tuple[int, list[str]]]


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).replace("\r\n", "\n").strip()
    if text.startswith("'") and text[1:].startswith(FORMULA_START):
        return text[1:]  # written by csv_safe
    return text


def _not_a_spreadsheet() -> CatalogFileError:
    return CatalogFileError(Message(N_(
        "The file is not a spreadsheet: upload the catalog as an Excel workbook (.xlsx) or a CSV file")))


def _xlsx_rows(content: bytes, max_rows: int) -> Iterable[list[object]]:
    import openpyxl  # only workbooks need it

    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise _not_a_spreadsheet() from None
    if unpacked > MAX_UNPACKED:
        raise CatalogFileError(Message(N_("The workbook is too large once unpacked ({size} MB; at most {max} MB)"),
                                       size=unpacked // (1024 * 1024), max=MAX_UNPACKED // (1024 * 1024)))
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a broken workbook
        raise _not_a_spreadsheet() from None
    try:
        # the first sheet with the template's header row (a workbook may
        # start with a sheet of instructions)
        for sheet in workbook.worksheets:
            rows: list[list[object]] = []
            for values in sheet.iter_rows(values_only=True):
                rows.append(list(values[:MAX_COLUMNS]))
                if len(rows) > max_rows + HEADER_SEARCH_ROWS:
                    break
                if len(rows) == HEADER_SEARCH_ROWS and _header_at(rows) is None:
                    break
            if _header_at(rows) is not None:
                return rows
        return []
    finally:
        workbook.close()


def _header_at(rows: Sequence[Sequence[object]]) -> int | None:
    """The index of the template's header row among the first rows."""
    for index, values in enumerate(rows[:HEADER_SEARCH_ROWS]):
        keys = {header_key(_text(value)) for value in values}
        if all(required in keys for required in REQUIRED_HEADERS):
            return index
    return None


def decode_csv(content: bytes) -> str:
    """The text of a CSV file: UTF-8 (with or without BOM), else Windows-874
    (cp874/TIS-620, as Thai Excel saves CSV)."""
    if b"\x00" in content[:4096]:
        raise _not_a_spreadsheet()
    for encoding in ("utf-8-sig", "cp874"):  # not UTF-8: try the Thai Windows code page
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise _not_a_spreadsheet()


def _csv_rows(content: bytes, max_rows: int) -> list[list[object]]:
    text = decode_csv(content)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows: list[list[object]] = []
    try:
        for values in csv.reader(io.StringIO(text, newline=""), dialect):
            rows.append(list(values[:MAX_COLUMNS]))
            if len(rows) > max_rows + HEADER_SEARCH_ROWS:
                break
    except csv.Error:
        raise _not_a_spreadsheet() from None
    return rows


def is_xlsx(content: bytes) -> bool:
    return content[:4] == b"PK\x03\x04"


def read_table(content: bytes, *, max_rows: int) -> Table:
    """The catalog's header row and data rows, from an XLSX or CSV file.
    Raises :class:`CatalogFileError` for a file that is not a spreadsheet,
    has no header row of the template, no data row, or too many rows."""
    raw = _xlsx_rows(content, max_rows) if is_xlsx(content) else _csv_rows(content, max_rows)
    header_at = _header_at(raw)
    if header_at is None:
        raise CatalogFileError(Message(N_(
            "The file does not have the data catalog template's header row: one of its first {rows} rows must "
            "name the columns, with at least the column {column}"),
            rows=HEADER_SEARCH_ROWS, column=Label(f"“{_field('title').label_th}”",
                                                  f"“{_field('title').label_th}” (Dataset Name)")))
    header_row = [_text(value) for value in raw[header_at]]
    rows = []
    for index, values in enumerate(raw[header_at + 1:], start=header_at + 2):
        cells = [_text(value) for value in values]
        if any(cells):
            rows.append((index, cells))
    if len(rows) > max_rows:
        raise CatalogFileError(Message(N_("The file has more than {max} datasets: import it in parts"),
                                       max=max_rows))
    if not rows:
        raise CatalogFileError(Message(N_("The file has no dataset below its header row")))
    return Table(header_row, rows)


# -- reading a row ----------------------------------------------------------------

@dataclass
class Row:
    """One row of the file read as dataset fields, or why it is refused
    (``errors``: {field: [Message]})."""

    row: int
    fields: dict[str, object] = field(default_factory=dict)
    errors: dict[str, list[Message]] = field(default_factory=dict)
    organization: str = ""
    """What the row's organization column says (checked by the glue)."""

    def refuse(self, key: str, message: Message) -> None:
        self.errors.setdefault(key, []).append(message)


def _choice_of(fld: national_schema.Field, text: str) -> str | None:
    """The stored choice a cell names: the value itself or its English label
    (case and spacing ignored)."""
    if text in fld.choices:
        return text
    wanted = _normal(text)
    for choice in fld.choices:
        if _normal(choice) == wanted or _normal(fld.choice_labels_en.get(choice, "")) == wanted:
            return choice
    return None


def _read_choices(fld: national_schema.Field, text: str, row: Row) -> None:
    """A (multi-)choice cell: known choices, "อื่นๆ: text", or, for a field
    with an "other" choice, unknown values as the other text."""
    items = [item for item in (_SEPARATORS.split(text) if fld.multiple else [text]) if item]
    other = _other_choice(fld)
    chosen: list[str] = []
    other_texts: list[str] = []
    unknown: list[str] = []
    for item in items:
        choice = _choice_of(fld, item)
        if choice is None and other is not None:
            match = _OTHER_TEXT.match(item)
            if match and _choice_of(fld, match.group("choice")) == other:
                choice = other
                if match.group("text").strip():
                    other_texts.append(match.group("text").strip())
            elif fld.name != "data_type":
                choice = other
                other_texts.append(item)
        if choice is None:
            unknown.append(item)
        elif choice not in chosen:
            chosen.append(choice)
    if unknown:
        try:
            national_schema.check_choices(fld, unknown) if fld.multiple else national_schema.check_choice(
                fld, unknown[0])
        except national_schema.SchemaError as error:
            row.refuse(fld.name, error.message)
        return
    if not chosen:
        return
    row.fields[fld.name] = [c for c in fld.choices if c in chosen] if fld.multiple else chosen[0]
    if other_texts:
        row.fields[f"{fld.name}_other"] = ", ".join(other_texts)


def _tags(text: str) -> str:
    seen: list[str] = []
    for tag in _SEPARATORS.split(text):
        tag = tag.strip()
        if tag and tag not in seen:
            seen.append(tag)
    return ",".join(seen)


def read_row(number: int, headers_: Sequence[str], cells: Sequence[str]) -> Row:
    """The dataset fields of one data row; a blank cell leaves its field out
    (package_create then says which required field is missing)."""
    row = Row(number)
    for header, text in zip(headers_, cells):
        text = text.strip()
        key = header_key(header)
        if key is None or key not in IMPORTED or not text:
            continue
        if len(text) > MAX_CELL:
            row.refuse(key, Message(N_("{field} is too long ({length} characters; at most {max})"),
                                    field=_field(key).label, length=len(text), max=MAX_CELL))
            continue
        if key == ORGANIZATION:
            row.organization = text
        elif key == TAGS:
            row.fields[TAGS] = _tags(text)
        elif key == "update_frequency_interval":
            row.fields[key] = text.translate(THAI_DIGITS)
        else:
            fld = _field(key)
            if fld.choices:
                _read_choices(fld, text, row)
            else:
                row.fields[key] = text
    return row


def read_rows(table: Table) -> list[Row]:
    """Every data row read; two rows with the same title refuse the later."""
    rows = [read_row(number, table.headers, cells) for number, cells in table.rows]
    first_row: dict[str, int] = {}
    for row in rows:
        title = row.fields.get("title")
        if not isinstance(title, str):
            continue
        key = _normal(title)
        if key in first_row:
            row.refuse("title", Message(N_("The dataset “{title}” is also in row {row} of the file"),
                                        title=title, row=first_row[key]))
        else:
            first_row[key] = row.row
    return rows


def ignored_headers(headers_: Sequence[str]) -> list[str]:
    """The file's column headers that this catalog does not read."""
    return [h for h in headers_ if h and (header_key(h) is None or header_key(h) not in IMPORTED)
            and header_key(h) not in PORTAL_COLUMNS]


def same_organization(text: str, names: Iterable[str]) -> bool:
    """Whether an organization cell names the importing organization (its
    title or URL name; case and spacing ignored)."""
    return _normal(text) in {_normal(name) for name in names if name}
