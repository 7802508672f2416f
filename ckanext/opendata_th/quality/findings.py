"""What a quality check reports: findings, with where they were seen.

Plain Python (no CKAN): the command line, the background job and the
disclosure workflow read the same objects. A finding's message is a
:class:`~ckanext.opendata_th.playbook.messages.Message` (an English message
id marked with ``N_`` and named parameters) that is rendered in Thai or
English where it is shown.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final, Literal, Optional, Protocol

from ckanext.opendata_th.playbook.messages import Message

ERROR: Final = "error"
WARNING: Final = "warning"
INFO: Final = "info"
Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[str, ...] = (ERROR, WARNING, INFO)
"""From the most to the least severe. An error keeps a file from being
published as it is (the command line exits 1); a warning should be fixed;
an info is a fact worth knowing."""

MAX_EXAMPLES = 5
"""Example locations (and values) a finding keeps at most."""


@dataclass(frozen=True)
class Location:
    """Where something was seen. ``row`` is the row's number as a
    spreadsheet shows it: the header is row 1, the first data row 2 (for a
    JSON array of records, the record's position, from 1)."""

    row: Optional[int] = None
    column: Optional[str] = None
    sheet: Optional[str] = None

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "sheet": self.sheet}


@dataclass(frozen=True)
class Finding:
    """One problem (or fact) about a file or a column."""

    code: str
    """Stable dotted identifier, e.g. ``rows.duplicate``, ``personal.citizen_id``."""
    severity: Severity
    message: Message
    column: Optional[str] = None
    count: int = 1
    """How many cells, rows or values it concerns."""
    examples: tuple[Location, ...] = ()
    values: tuple[str, ...] = ()
    """Example offending values; always empty for personal data (never echoed)."""

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "severity": self.severity, "message": self.message.as_dict(),
                "column": self.column, "count": self.count,
                "examples": [e.as_dict() for e in self.examples], "values": list(self.values)}


class ColumnCheck(Protocol):
    """A check that reads one column batch after batch (files are streamed).

    ``update`` gets the column's cells of one batch as a polars ``Utf8``
    Series: stripped of surrounding spaces, ``None`` for a blank cell;
    ``first_row`` is the :attr:`Location.row` of the batch's first cell.
    ``profile`` gives JSON-serializable facts for the column's entry in the
    report (empty when the check recognised nothing), ``findings`` what is
    wrong."""

    def update(self, values: Any, first_row: int) -> None: ...

    def profile(self) -> Mapping[str, Any]: ...

    def findings(self, column: str) -> list[Finding]: ...
