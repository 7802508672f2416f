"""Data preparation checks (playbook step 3.6): a quality checker for data
files, in plain Python (no CKAN).

Before a file is published it should be in an open, machine-readable format
and clean. :func:`check_file` reads a CSV, TSV (or ``;`` / ``|`` separated
text), XLSX, XLS or JSON (an array of records) file, deciding what it is
from its content, streamed in batches so that memory stays bounded, and
reports per file and per column:

- the format (a wrong extension is a warning; binary junk, a PDF, an empty
  file, a zip bomb or a 10 MB single line make the file unreadable), the
  encoding (UTF-8 with or without a byte-order mark, Windows-874/TIS-620,
  undecodable bytes) and the delimiter;
- header problems: blank, repeated, longer than 63 bytes (the DataStore's
  limit), surrounding spaces;
- the row count, rows with more or fewer cells than the header, duplicate
  rows (with their row numbers) and empty rows; empty cells per column and
  empty columns;
- each column's inferred type; numbers with thousands separators, mixed
  decimal marks, Thai digits, leading zeros a numeric type would lose;
- dates and times (formats, consistency, Buddhist Era years: :mod:`.dates`),
  standard codes (ISO 3166, ISO 4217, UN/LOCODE, Thai administrative codes:
  :mod:`.codes`) and personal data that must not be published (PDPA:
  :mod:`.personal`), never echoing personal values.

Every finding (:class:`~.findings.Finding`) has a severity, a message in
English and Thai, and example locations (spreadsheet row numbers: the
header is row 1).

Public API::

    from ckanext.opendata_th.quality import Limits, Report, check_file

    report = check_file(path, filename="data.csv", limits=Limits(max_seconds=300))
    report.readable, report.has_errors, report.findings
    report.as_json()       # JSON-ready dict, schema 1 (documented in quality/report.py)
    report.summary("th")   # or "en": text for people

Command line: ``python -m ckanext.opendata_th.quality FILE [--json]
[--lang th|en]`` exits 0 (no error), 1 (errors found) or 2 (unreadable).
"""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ckanext.opendata_th.quality.checks import check_file
    from ckanext.opendata_th.quality.reading import Limits
    from ckanext.opendata_th.quality.report import Report

__all__ = ["Limits", "Report", "check_file"]

_PUBLIC = {"check_file": "checks", "Limits": "reading", "Report": "report"}


def __getattr__(name: str) -> Any:
    """The public names, imported when first used: importing a submodule
    (``quality.findings``, as the web pages do) does not load polars and
    pyarrow."""
    if name in _PUBLIC:
        return getattr(importlib.import_module(f"{__name__}.{_PUBLIC[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
