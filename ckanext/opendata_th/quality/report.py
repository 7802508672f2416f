"""A quality report: what :func:`~ckanext.opendata_th.quality.check_file`
found in one file, as JSON for machines and as a summary for people.

JSON schema 1
-------------
:meth:`Report.as_json` gives a dict that ``json.dumps`` writes as is. Every
key is always present; new keys may be added within schema 1, a key is
never removed or changed in meaning without a new ``schema`` number.

``schema``
    ``1``.
``file``
    ``name`` (the name the file was checked under), ``size`` (bytes),
    ``format`` (``csv``, ``tsv``, ``xlsx``, ``xls``, ``json``; ``null``
    when unreadable: the format is decided from the content, not the
    name), ``encoding`` (Python's codec name of a text file: ``utf-8``,
    ``cp874``, ``utf-16``...; ``null`` for workbooks), ``bom`` (whether a
    byte-order mark starts the text), ``delimiter`` (of delimited text:
    ``","``, ``"\\t"``, ``";"`` or ``"|"``, else ``null``), ``sheet`` (the
    first worksheet checked), ``sheets`` (every worksheet's name). Every
    worksheet of a workbook is checked (up to 20): findings then say the
    worksheet in their ``examples`` (``sheet``) and name its columns
    "worksheet / column"; each column has its ``sheet``.
``readable``
    ``false`` when the file cannot be read as a table (binary, empty, a
    zip bomb, a PDF...): then ``error`` says why and nothing else was
    checked.
``error``
    ``null``, or the finding (see below) that made the file unreadable;
    it is also the one item of ``findings``.
``complete``
    ``false`` when the check stopped at its time limit (a
    ``check.time_limit`` finding says where).
``rows``
    Data rows (the header row aside), including empty rows and the rows
    left out because their number of cells is not the header's.
``columns``
    One object per header cell, in order: ``position`` (from 1), ``name``
    (the header cell as written, ``""`` when blank), ``label`` (the name
    findings use for it: the name, ``#3`` for a blank one, ``name #4`` for
    a repeated one), ``type`` (``empty``, ``integer``, ``decimal``,
    ``boolean``, ``date``, ``datetime``, ``time``, ``code``, ``text``),
    ``filled`` and ``empty`` (cells with and without a value, surrounding
    spaces ignored); then, only when the date, code and personal-data
    checks recognised something in the column: ``kind`` (``date``,
    ``datetime`` or ``time``), ``formats`` ({format label: cells}, see
    :mod:`.dates`) and ``calendars`` (``{"BE": cells, "CE": cells}``) for a
    date or time column; ``code_list`` (``iso3166-alpha2``, ``iso4217``,
    ``unlocode``, ``th-province``..., see :mod:`.codes`) and ``invalid``
    (cells not in it) for a code column; ``personal_data`` (the kinds
    found: ``citizen_id``, ``phone``, ``email``, ``person_name``; never a
    value) for a column with personal data.
``duplicate_rows``
    Rows that repeat an earlier row exactly (empty rows aside).
``empty_rows``
    Rows without any value.
``counts``
    ``{"error": n, "warning": n, "info": n}``: findings by severity.
``findings``
    Each: ``code`` (a stable dotted name, e.g. ``rows.duplicate``,
    ``numbers.leading_zeros``, ``personal.citizen_id``), ``severity``
    (``error``: the file should not be published as it is, the command line
    exits 1; ``warning``: should be fixed; ``info``), ``message`` (``id``:
    the English message with ``{name}`` fields, ``params``: their values;
    translate ``id`` with the extension's catalog and fill in the params),
    ``column`` (the column's ``label``, or ``null`` for the file), ``count``
    (cells, rows or values concerned), ``examples`` (at most 5 locations:
    ``row`` as a spreadsheet numbers it, the header being row 1, or a JSON
    record's position from 1; ``column``; ``sheet``), ``values`` (at most 5
    example values; always empty for personal data and for every finding
    about a column that holds personal data).
``seconds``
    How long the check took.

The summary (:meth:`Report.summary`) renders the same in Thai (the
default) or English through the extension's compiled gettext catalog,
without CKAN.
"""
from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from ckanext.opendata_th.playbook.messages import Gettext, Message, N_
from ckanext.opendata_th.quality.findings import ERROR, INFO, SEVERITIES, WARNING, Finding

SCHEMA = 1
I18N = Path(__file__).resolve().parents[1] / "i18n"
DOMAIN = "ckanext-opendata_th"
LANGUAGES = ("th", "en")


@dataclass(frozen=True)
class FileFacts:
    """What the file is (see ``file`` in the schema)."""

    name: str
    size: int = 0
    format: Optional[str] = None
    encoding: Optional[str] = None
    bom: bool = False
    delimiter: Optional[str] = None
    sheet: Optional[str] = None
    sheets: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "size": self.size, "format": self.format,
                "encoding": self.encoding, "bom": self.bom, "delimiter": self.delimiter,
                "sheet": self.sheet, "sheets": list(self.sheets)}


@dataclass(frozen=True)
class ColumnReport:
    """One column (see ``columns`` in the schema); ``profile`` holds what
    the date, code and personal-data checks recognised."""

    name: str
    label: str
    position: int
    type: str
    filled: int
    empty: int
    profile: Mapping[str, Any] = field(default_factory=dict)
    sheet: Optional[str] = None
    """The worksheet, when a workbook's several worksheets were checked."""

    def as_dict(self) -> dict[str, Any]:
        entry = dict(self.profile)
        entry.update(position=self.position, name=self.name, label=self.label, type=self.type,
                     filled=self.filled, empty=self.empty)
        if self.sheet is not None:
            entry["sheet"] = self.sheet
        return entry


@dataclass(frozen=True)
class Report:
    """What the check of one file found."""

    file: FileFacts
    readable: bool
    rows: int = 0
    columns: tuple[ColumnReport, ...] = ()
    duplicate_rows: int = 0
    empty_rows: int = 0
    findings: tuple[Finding, ...] = ()
    complete: bool = True
    seconds: float = 0.0
    error: Optional[Finding] = None

    @classmethod
    def unreadable(cls, file: FileFacts, error: Finding, seconds: float = 0.0) -> "Report":
        """The report of a file that cannot be read as a table."""
        return cls(file=file, readable=False, findings=(error,), complete=False, seconds=seconds,
                   error=error)

    def counts(self) -> dict[str, int]:
        """Findings by severity."""
        counts = dict.fromkeys(SEVERITIES, 0)
        for finding in self.findings:
            counts[finding.severity] += 1
        return counts

    @property
    def has_errors(self) -> bool:
        return any(finding.severity == ERROR for finding in self.findings)

    def as_json(self) -> dict[str, Any]:
        """The report as JSON-ready data (schema 1, see the module's documentation)."""
        return {
            "schema": SCHEMA,
            "file": self.file.as_dict(),
            "readable": self.readable,
            "error": self.error.as_dict() if self.error else None,
            "complete": self.complete,
            "rows": self.rows,
            "columns": [column.as_dict() for column in self.columns],
            "duplicate_rows": self.duplicate_rows,
            "empty_rows": self.empty_rows,
            "counts": self.counts(),
            "findings": [finding.as_dict() for finding in self.findings],
            "seconds": self.seconds,
        }

    def summary(self, lang: str = "th", gettext: Optional[Gettext] = None) -> str:
        """The report for people, in ``lang`` (``th`` or ``en``): the file,
        the findings (errors first) with where they were seen, the columns.
        ``gettext``: translate with this instead of the extension's catalog."""
        gettext = gettext or catalog_gettext(lang)

        def text(message: Message) -> str:
            return message.render(gettext, lang)

        if not self.readable:  # one line: the command line prints it on stderr
            reason = self.error.message if self.error else Message("")
            return " ".join(text(Message(N_("{file} cannot be checked: {reason}"),
                                         file=self.file.name, reason=reason)).split())
        lines = [text(self._headline())]
        counts = self.counts()
        lines.append(text(Message(N_("Errors: {errors}, warnings: {warnings}, notes: {infos}."),
                                  errors=counts[ERROR], warnings=counts[WARNING], infos=counts[INFO])))
        if not self.findings:
            lines.append(text(Message(N_("No problems found."))))
        for severity in SEVERITIES:
            for finding in self.findings:
                if finding.severity == severity:
                    lines.append("- " + text(_finding_line(finding)))
        if self.columns:
            lines.append(text(Message(N_("Columns:"))))
            for column in self.columns:
                lines.append("  " + text(Message(
                    N_("{position}. {column}: {type}, {filled} filled, {empty} empty"),
                    position=column.position, column=column.label,
                    type=TYPE_LABELS.get(column.type, Message(column.type)),
                    filled=column.filled, empty=column.empty)))
        return "\n".join(lines)

    def _headline(self) -> Message:
        facts = self.file
        kind = (facts.format or "").upper()
        details: list[Message] = []
        if facts.encoding:
            details.append(Message(N_("encoding {encoding}"), encoding=encoding_name(facts.encoding)))
        if facts.delimiter:
            details.append(Message(N_("delimiter {delimiter}"),
                                   delimiter=DELIMITER_LABELS.get(facts.delimiter, Message(facts.delimiter))))
        checked = sorted({column.sheet for column in self.columns if column.sheet})
        if len(checked) > 1:
            details.append(Message(N_("{count} worksheets"), count=len(checked)))
        elif facts.sheet:
            details.append(Message(N_("worksheet “{sheet}”"), sheet=facts.sheet))
        return Message(N_("{file}: {format} ({details}), {rows} rows, {columns} columns."),
                       file=facts.name, format=kind, details=tuple(details), rows=self.rows,
                       columns=len(self.columns))


TYPE_LABELS: dict[str, Message] = {
    "empty": Message(N_("no values")),
    "integer": Message(N_("whole numbers")),
    "decimal": Message(N_("decimal numbers")),
    "boolean": Message(N_("true/false values")),
    "date": Message(N_("dates")),
    "datetime": Message(N_("dates and times")),
    "time": Message(N_("times of day")),
    "code": Message(N_("codes")),
    "text": Message(N_("text")),
}
DELIMITER_LABELS: dict[str, Message] = {
    ",": Message(N_("comma")),
    "\t": Message(N_("tab")),
    ";": Message(N_("semicolon")),
    "|": Message(N_("vertical bar")),
}
_SEVERITY_LINES: dict[str, str] = {
    ERROR: N_("Error: {message}"),
    WARNING: N_("Warning: {message}"),
    INFO: N_("Info: {message}"),
}


ENCODING_NAMES = {"cp874": "Windows-874 (TIS-620)", "utf-16": "UTF-16", "utf-8": "UTF-8"}


def encoding_name(codec: Optional[str]) -> str:
    """How an encoding is named to people."""
    return ENCODING_NAMES.get(codec or "", (codec or "").upper())


def _finding_line(finding: Finding) -> Message:
    message = Message(_SEVERITY_LINES[finding.severity], message=finding.message)
    rows = [location.row for location in finding.examples if location.row is not None]
    if rows:
        return Message(N_("{finding} (rows {rows})"), finding=message,
                       rows=", ".join(str(row) for row in rows))
    return message


@functools.lru_cache(maxsize=len(LANGUAGES) + 1)
def catalog_gettext(lang: str) -> Gettext:
    """The gettext of the extension's compiled catalog for ``lang`` (the
    English message ids where there is none, as for English)."""
    from babel.support import Translations

    return Translations.load(dirname=str(I18N), locales=[lang], domain=DOMAIN).gettext
