"""The checks of one file, and :func:`check_file`, which runs them.

A file is read in batches (:mod:`.reading`), whose cells the reader has
cleaned (surrounding white space stripped, blank cells made ``None``); they
are checked with polars expressions over whole columns, never a Python
loop per cell:

- the file: format against the name's extension, encoding (not UTF-8;
  undecodable bytes), rows with more or fewer cells than the header, a
  header without rows; every worksheet of a workbook (empty ones noted,
  beyond :data:`MAX_SHEETS` noted unchecked);
- the header: blank names, duplicate names, names over 63 bytes in UTF-8
  (PostgreSQL's identifier limit: the DataStore cannot take them), names
  with surrounding spaces;
- rows: duplicates (a 64-bit hash per row, see below), entirely empty rows;
- each column: empty cells, entirely empty columns, its inferred type
  (``empty``, ``integer``, ``decimal``, ``boolean``, ``date``,
  ``datetime``, ``time``, ``code``, ``text``), numbers written with
  thousands separators, with both decimal marks in one column, in Thai
  digits, with leading zeros a numeric type would lose, and a numeric
  column with a few cells that are not numbers;
- dates, codes and personal data: each column is also given to a
  :class:`~ckanext.opendata_th.quality.dates.DateColumn`, a
  :class:`~ckanext.opendata_th.quality.codes.CodeColumn` and a
  :class:`~ckanext.opendata_th.quality.personal.PersonalDataColumn`
  (:class:`~ckanext.opendata_th.quality.findings.ColumnCheck`), whose
  profiles join the column's entry (a date kind or a code list decides its
  type) and whose findings join the report. The values of a column with
  personal data are never echoed: every finding about that column loses
  its example values.

Speed: three things run at once on a file's batches: the reader parses
and cleans the next blocks (UTF-8 text in several threads at once, see
:class:`~ckanext.opendata_th.quality.reading.DelimitedTable`; pyarrow
releases the GIL), the date, code and personal-data checks run in a small
thread pool (a task per column), and this thread counts every column's
cells in two polars selects (polars spreads the columns over its own
threads). The first batch is small (``Limits.first_batch_rows``) so that
this starts early, and a column whose first 1,000 cells are mostly not
numbers is decided to be text before any of its cells is counted
(:data:`_NUMERIC_AT_FIRST`): only its empty cells are counted.
Cells are read as decimals only where they are not whole numbers, and
patterns that recognise numbers with separators or Thai digits run only on
the cells polars could not read as numbers. A polars call costs 0.1 to
0.5 ms whatever its size, so the probes of all the columns are one select.

Memory: a batch at a time (``Limits.batch_rows`` rows), plus, for the
duplicate rows, one 64-bit hash per row read (8 bytes a row: 8 MB for a
million rows), never the rows themselves. At the end the duplicates are
found by sorting the hashes (a transient copy or two: about 24 bytes a
row, then the repeated rows only); two
different rows share a hash with a chance of about n²/2⁶⁵ (one in 36
million for a million rows). Examples, counts and the other checks' state
are bounded per column.
"""
from __future__ import annotations

import bisect
import dataclasses
import os
import queue
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Optional

import polars as pl

from ckanext.opendata_th.playbook.messages import Message, N_
from ckanext.opendata_th.quality.findings import (
    ERROR,
    INFO,
    MAX_EXAMPLES,
    WARNING,
    ColumnCheck,
    Finding,
    Location,
)
from ckanext.opendata_th.quality.reading import (
    EXTENSIONS,
    Batch,
    Limits,
    RestartInOrder,
    RestartWithTranscoding,
    RowSample,
    Table,
    UnreadableFile,
    column_name,
    extension_of,
    open_table,
    worksheet_names,
)
from ckanext.opendata_th.quality.report import ColumnReport, FileFacts, Report, encoding_name

POSTGRES_IDENTIFIER_BYTES = 63
"""The longest column name the DataStore (PostgreSQL) takes, in bytes."""
MOSTLY = 0.9
"""Share of a column's cells that must be numbers for the column to count
as numeric (its other cells are then reported)."""
BOOLEAN_WORDS = ("true", "false", "yes", "no", "ใช่", "ไม่ใช่", "จริง", "เท็จ")
"""Cells (in any letter case) that make a column boolean when they are all it holds."""
_BOOLEAN_PROBE = 100
"""A column whose first cells are not all boolean words is not counted further."""
_HASH_SEED = 0x0D47A5E7
_WORKERS = max(2, min(4, os.cpu_count() or 2))
"""Threads that run the columns' date, code and personal-data checks."""

TYPES: tuple[str, ...] = ("empty", "integer", "decimal", "boolean", "date", "datetime", "time",
                          "code", "text")
"""The inferred column types."""

_FORMATTED = r"^[+-]?[0-9๐-๙][0-9๐-๙.,]*$"
"""A number written with separators or Thai digits (polars cannot cast it)."""
_THOUSANDS = r"^[+-]?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?$"
_THOUSANDS_INTEGER = r"^[+-]?[0-9]{1,3}(?:,[0-9]{3})+$"
_COMMA_DECIMAL = r"^[+-]?(?:[0-9]{1,3}(?:\.[0-9]{3})+(?:,[0-9]+)?|[0-9]+,[0-9]+)$"
"""1.234,5 or 1234,5 or 1.234.567: a comma is the decimal mark (a point, if
any, groups thousands). 1,234 is read as thousands, not as a decimal."""
_COMMA_INTEGER = r"^[+-]?[0-9]{1,3}(?:\.[0-9]{3}){2,}$"
_THAI_DIGIT = "[๐-๙]"
_THAI_NUMBER = r"^[+-]?[0-9๐-๙]+(?:[.,][0-9๐-๙]+)*$"
_THAI_INTEGER = r"^[+-]?[0-9๐-๙]+$"

# -- per-column statistics ------------------------------------------------------------------

_STATS = ("filled", "plain", "integer", "leading_zeros", "formatted", "thousands",
          "thousands_integer", "comma", "comma_integer", "thai", "thai_number", "thai_integer",
          "dot")
"""Counts kept per column (see :func:`_count_exprs`)."""
_EXAMPLE_KINDS = ("empty", "thousands", "comma", "dot", "thai", "leading_zeros", "not_number")
_DECIDE_AFTER = 1000
"""Cells with a value read before a column may be decided not numeric."""
_NUMERIC_AT_FIRST = 0.5
"""A column whose first :data:`_DECIDE_AFTER` non-blank cells (or, when its
first batch holds fewer, its cells after the batch that completes them) are
less than half numbers is text: how it writes numbers is not examined (it
cannot become numeric, :data:`MOSTLY`, unless nearly all of a much longer
rest is numbers)."""


@dataclass
class _ColumnState:
    """What is known of one column so far."""

    position: int
    """From 1."""
    name: str
    label: str
    """The name findings use: the header's, ``#3`` for a blank one, ``name #3`` for a repeat."""
    checks: list[ColumnCheck]
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(_STATS, 0))
    examples: dict[str, RowSample] = field(
        default_factory=lambda: {kind: RowSample() for kind in _EXAMPLE_KINDS})
    rows: int = 0
    booleans: int = 0
    maybe_boolean: bool = True
    maybe_numeric: bool = True
    """False once the column is decided to be text (:data:`_NUMERIC_AT_FIRST`)."""

    @property
    def internal(self) -> str:
        return column_name(self.position - 1)

    @property
    def empty(self) -> int:
        return self.rows - self.counts["filled"]

    @property
    def numbers(self) -> int:
        counts = self.counts
        return (counts["plain"] + counts["thousands"] + counts["comma"]
                + counts["thai_number"])

    @property
    def integers(self) -> int:
        counts = self.counts
        return (counts["integer"] + counts["thousands_integer"] + counts["comma_integer"]
                + counts["thai_integer"])

    def flag(self, name: str) -> pl.Expr:
        """A flag column of this column (:func:`_flags`)."""
        return pl.col(f"{self.internal}:{name}")


def _flags(column: _ColumnState, values: pl.Series) -> list[pl.Series]:
    """Per cell, computed once a batch: ``integer`` (polars reads it as a
    whole number) and ``plain`` (as a finite number). Cells are read as
    decimals only when they are not whole numbers: in most numeric columns,
    none, or all (half the casts)."""
    integer = values.cast(pl.Int64, strict=False).is_not_null()
    rest = values.is_not_null() & ~integer
    others = int(rest.sum())
    if not others:
        plain = integer
    elif others > values.len() // 4:
        plain = values.cast(pl.Float64, strict=False).is_finite().fill_null(False)
    else:
        positions = rest.arg_true()
        decimals = values.gather(positions).cast(pl.Float64, strict=False).is_finite().fill_null(False)
        plain = integer.clone().scatter(positions, decimals)
    return [plain.alias(f"{column.internal}:plain"), integer.alias(f"{column.internal}:integer")]


def _count_exprs(column: _ColumnState) -> list[pl.Expr]:
    """Counts of one column's plain numbers in one batch, as a single-row select."""
    x, plain, integer = pl.col(column.internal), column.flag("plain"), column.flag("integer")
    integers = x.filter(integer)
    sums = {
        "plain": plain.sum(),
        "integer": integer.sum(),
        "dot": (plain & ~integer).sum(),
        "other": (x.is_not_null() & ~plain).sum(),
        "leading_zeros": (integers.str.starts_with("0") & (integers.str.len_bytes() > 1)).sum(),
    }
    return [expr.alias(f"{column.internal}:{name}") for name, expr in sums.items()]


def _formatted_counts(others: pl.Series) -> dict[str, int]:
    """Counts of the numbers written with separators or Thai digits among
    ``others`` (the cells that are not plain numbers). Thousands separators
    are looked for first (the common case: one pattern a cell), the other
    patterns only in what is left; the separator patterns take ASCII digits
    only, so every number with Thai digits is left for the last."""
    counts = dict.fromkeys(("formatted", "thousands", "thousands_integer", "comma", "comma_integer",
                            "thai", "thai_number", "thai_integer"), 0)
    thousands = others.str.contains(_THOUSANDS).fill_null(False)
    counts["thousands"] = int(thousands.sum())
    if counts["thousands"]:
        counts["thousands_integer"] = counts["thousands"] - int(
            (thousands & others.str.contains(".", literal=True)).sum())
    rest = others.filter(~thousands)
    rest = rest.filter(rest.str.contains(_FORMATTED).fill_null(False))
    counts["formatted"] = counts["thousands"] + rest.len()
    if rest.len():
        comma = rest.str.contains(_COMMA_DECIMAL)
        counts["comma"] = int(comma.sum())
        counts["comma_integer"] = int(rest.filter(comma).str.contains(_COMMA_INTEGER).sum())
        thai_cells = rest.filter(~comma)
        thai_cells = thai_cells.filter(thai_cells.str.contains(_THAI_DIGIT))
        counts["thai"] = thai_cells.len()
        if thai_cells.len():
            counts["thai_number"] = int(thai_cells.str.contains(_THAI_NUMBER).sum())
            counts["thai_integer"] = int(thai_cells.str.contains(_THAI_INTEGER).sum())
    return counts


def _probe_exprs(column: _ColumnState) -> list[pl.Expr]:
    """How many of the first :data:`_DECIDE_AFTER` non-blank cells of a
    column were looked at, and how many are numbers: plain, or written with
    separators or Thai digits (the cells :func:`_formatted_counts` counts)."""
    probe = pl.col(column.internal).drop_nulls().head(_DECIDE_AFTER)
    number = (probe.cast(pl.Float64, strict=False).is_finite().fill_null(False)
              | probe.str.contains(_THOUSANDS) | probe.str.contains(_COMMA_DECIMAL)
              | (probe.str.contains(_THAI_DIGIT) & probe.str.contains(_THAI_NUMBER)))
    return [probe.len().alias(f"{column.internal}:probed"),
            number.sum().alias(f"{column.internal}:numbers")]


def _positions_expr(column: _ColumnState, kind: str, wanted: int) -> pl.Expr:
    """The positions of the first ``wanted`` cells of a kind in a batch."""
    x, plain, integer = pl.col(column.internal), column.flag("plain"), column.flag("integer")
    if kind == "empty":
        positions = pl.arg_where(x.is_null())
    elif kind == "dot":
        positions = pl.arg_where(plain & ~integer)
    elif kind == "leading_zeros":
        positions = pl.arg_where(integer & x.str.starts_with("0") & (x.str.len_bytes() > 1))
    else:
        others = x.is_not_null() & ~plain
        subset = x.filter(others)
        formatted = subset.str.contains(_FORMATTED)
        thousands = subset.str.contains(_THOUSANDS)
        pattern = {"not_number": ~formatted,
                   "thousands": formatted & thousands,
                   "comma": formatted & ~thousands & subset.str.contains(_COMMA_DECIMAL),
                   "thai": formatted & subset.str.contains(_THAI_DIGIT)}[kind]
        positions = pl.arg_where(others).filter(pattern)
    return positions.head(wanted).implode().alias(f"{column.internal}:{kind}")


# -- rows -----------------------------------------------------------------------------------

class _RowMap:
    """Spreadsheet row numbers of the rows read, by their position in the
    whole stream (one entry per run of consecutive rows)."""

    def __init__(self) -> None:
        self._starts: list[int] = []
        self._first_rows: list[int] = []

    def add(self, batch_offset: int, batch: Batch) -> None:
        for segment in batch.segments:
            self._starts.append(batch_offset + segment.offset)
            self._first_rows.append(segment.first_row)

    def row(self, position: int) -> int:
        index = bisect.bisect_right(self._starts, position) - 1
        return self._first_rows[index] + position - self._starts[index]


def _prefetch(batches: Iterator[Batch], stop: threading.Event) -> Iterator[Batch]:
    """``batches`` read one ahead in a thread of their own, so that parsing
    the next block (pyarrow, which releases the GIL) overlaps checking this
    one. Exceptions reach the consumer; ``stop`` ends the thread early."""
    slots: "queue.Queue[tuple[str, Any]]" = queue.Queue(maxsize=1)

    def hand_over(kind: str, value: Any) -> bool:
        while not stop.is_set():
            try:
                slots.put((kind, value), timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for batch in batches:
                if not hand_over("batch", batch):
                    return
            hand_over("end", None)
        except BaseException as error:  # handed to the consumer, which raises it
            hand_over("error", error)

    thread = threading.Thread(target=produce, name="quality-reader", daemon=True)
    thread.start()
    try:
        while True:
            kind, value = slots.get()
            if kind == "end":
                return
            if kind == "error":
                raise value
            yield value
    finally:
        stop.set()
        thread.join()


# -- the check ------------------------------------------------------------------------------

def _column_checks(header: str) -> list[ColumnCheck]:
    """A fresh date, code and personal-data check for the column named
    ``header`` (a name hints at a code list)."""
    from ckanext.opendata_th.quality.codes import CodeColumn
    from ckanext.opendata_th.quality.dates import DateColumn
    from ckanext.opendata_th.quality.personal import PersonalDataColumn

    return [DateColumn(header), CodeColumn(header), PersonalDataColumn(header)]


def _labels(header: Sequence[str]) -> list[str]:
    labels: list[str] = []
    for position, name in enumerate(header, start=1):
        label = name if name.strip() else f"#{position}"
        if label in labels:
            label = f"{label} #{position}"
        labels.append(label)
    return labels


def header_findings(header: Sequence[str], header_row: int) -> list[Finding]:
    """Blank, repeated, too long and padded column names."""
    findings: list[Finding] = []
    row = header_row or None
    seen: dict[str, list[int]] = {}
    for position, name in enumerate(header, start=1):
        where = (Location(row=row, column=name if name.strip() else f"#{position}"),)
        if not name.strip():
            findings.append(Finding("header.blank", ERROR, Message(
                N_("Column {position} has no name: give every column a name."), position=position),
                column=f"#{position}", examples=where))
            continue
        seen.setdefault(name.strip(), []).append(position)
        size = len(name.encode("utf-8"))
        if size > POSTGRES_IDENTIFIER_BYTES:
            findings.append(Finding("header.too_long", ERROR, Message(N_(
                "The column name “{column}” is {size} bytes long in UTF-8; the DataStore "
                "(PostgreSQL) takes at most {limit}: shorten it."),
                column=name, size=size, limit=POSTGRES_IDENTIFIER_BYTES), column=name, examples=where))
        if name != name.strip():
            findings.append(Finding("header.spaces", WARNING, Message(N_(
                "The column name “{column}” starts or ends with spaces: remove them."),
                column=name), column=name, examples=where))
    for name, positions in seen.items():
        if len(positions) > 1:
            findings.append(Finding("header.duplicate", ERROR, Message(N_(
                "The column name “{column}” is used {count} times (columns {positions}): "
                "the DataStore needs each name once."),
                column=name, count=len(positions), positions=tuple(positions)),
                column=name, count=len(positions),
                examples=tuple(Location(row=row, column=name) for _ in positions[:1])))
    return findings


def _run_now(function: Callable[..., None], *args: Any) -> "Future[None]":
    """Run ``function`` here, as a finished future (when there is no pool)."""
    future: "Future[None]" = Future()
    future.set_result(function(*args))
    return future


def _update_checks(column: _ColumnState, frame: pl.DataFrame, batch: Batch) -> None:
    """Give a batch of one column to its date, code and personal-data checks."""
    values = frame.get_column(column.internal)
    for check in column.checks:
        for segment in batch.segments:
            check.update(values.slice(segment.offset, segment.length), segment.first_row)


class _Check:
    """The state of one file's check while its batches are read."""

    def __init__(self, table: Table, limits: Limits, started: float, label_prefix: str = "") -> None:
        self.table = table
        self.limits = limits
        self.started = started
        labels = [label_prefix + label for label in _labels(table.header)]
        self.columns = [_ColumnState(position, name, label, _column_checks(name.strip()))
                        for position, (name, label) in enumerate(zip(table.header, labels), start=1)]
        self.hashes: list[pl.Series] = []
        self.row_map = _RowMap()
        self.rows_read = 0
        self.empty_rows = RowSample()
        self.complete = True
        self.stopped_at: Optional[int] = None

    def run(self) -> None:
        if not self.columns:
            return
        stop = threading.Event()
        deadline = self.started + self.limits.max_seconds
        with ThreadPoolExecutor(max_workers=_WORKERS, thread_name_prefix="quality-column") as pool:
            for batch in _prefetch(self.table.batches(), stop):
                self.add(batch, pool)
                if time.monotonic() > deadline:
                    self.complete = False
                    self.stopped_at = self.row_map.row(self.rows_read - 1) if self.rows_read else None
                    stop.set()
                    break

    def add(self, batch: Batch, pool: Optional[ThreadPoolExecutor] = None) -> None:
        """Check one batch. The date, code and personal-data checks of the
        columns run in ``pool``'s threads (polars releases the GIL), while
        this thread counts the cells."""
        frame = batch.frame
        self.row_map.add(self.rows_read, batch)
        self.rows_read += frame.height
        updates = [pool.submit(_update_checks, column, frame, batch) if pool
                   else _run_now(_update_checks, column, frame, batch)
                   for column in self.columns]
        self.hashes.append(frame.hash_rows(seed=_HASH_SEED))
        self._count_empty_rows(frame, batch)
        self._count_cells(frame, batch)
        for update in updates:
            update.result()

    def _count_empty_rows(self, frame: pl.DataFrame, batch: Batch) -> None:
        empty = frame.select(pl.all_horizontal(pl.all().is_null()).alias("empty")).get_column("empty")
        count = int(empty.sum())
        if count:
            positions = empty.arg_true().head(MAX_EXAMPLES - len(self.empty_rows.rows)).to_list()
            self.empty_rows.count += count
            self.empty_rows.rows.extend(batch.row_numbers(positions))

    def _count_cells(self, frame: pl.DataFrame, batch: Batch) -> None:
        """Every column's counts in two selects over the whole batch (polars
        runs the columns in parallel), and a third for example positions
        while examples are missing."""
        self._decide_text_columns(frame)
        numeric = [column for column in self.columns if column.maybe_numeric]
        nulls = frame.null_count().row(0)
        if numeric:
            flags = [flag for column in numeric
                     for flag in _flags(column, frame.get_column(column.internal))]
            frame = frame.hstack(flags)
            stats = frame.select([expr for column in numeric for expr in _count_exprs(column)]
                                 ).row(0, named=True)
        wanted: list[pl.Expr] = []
        for column, null_count in zip(self.columns, nulls):
            column.rows += frame.height
            counts = {"filled": frame.height - null_count}
            if column.maybe_numeric:
                counts.update({name: int(stats[f"{column.internal}:{name}"] or 0)
                               for name in ("plain", "integer", "dot", "leading_zeros")})
                if stats[f"{column.internal}:other"]:
                    values = frame.get_column(column.internal)
                    plain = frame.get_column(f"{column.internal}:plain")
                    others = values.filter(values.is_not_null() & ~plain)
                    counts.update(_formatted_counts(others))
                counts["dot"] += counts.get("thousands", 0)
            for name, value in counts.items():
                column.counts[name] += value
            seen = {"empty": null_count}
            if column.maybe_numeric:
                seen.update(thousands=counts.get("thousands", 0), comma=counts.get("comma", 0),
                            dot=counts["dot"] - counts.get("thousands", 0), thai=counts.get("thai", 0),
                            leading_zeros=counts["leading_zeros"],
                            not_number=counts["filled"] - counts["plain"] - counts.get("formatted", 0))
            for kind, count in seen.items():
                sample = column.examples[kind]
                if count and len(sample.rows) < MAX_EXAMPLES:
                    wanted.append(_positions_expr(column, kind, MAX_EXAMPLES - len(sample.rows)))
                sample.count += count
        self._count_booleans(frame)
        if wanted:
            self._take_examples(frame, batch, frame.select(wanted).row(0, named=True))
        for column in numeric:
            filled = column.counts["filled"]
            if filled >= _DECIDE_AFTER and column.numbers < _NUMERIC_AT_FIRST * filled:
                column.maybe_numeric = False

    def _decide_text_columns(self, frame: pl.DataFrame) -> None:
        """Before a column's first cells are counted, decide on its first
        :data:`_DECIDE_AFTER` non-blank cells whether it is text (less than
        half of them numbers, :data:`_NUMERIC_AT_FIRST`): then not one cell
        of it is cast or matched as a number. A column with fewer cells in
        its first batch is decided after the batch, on its counts."""
        undecided = [column for column in self.columns if column.maybe_numeric and not column.rows]
        if not undecided:
            return
        probes = frame.select([expr for column in undecided for expr in _probe_exprs(column)]
                              ).row(0, named=True)
        for column in undecided:
            probed, numbers = probes[f"{column.internal}:probed"], probes[f"{column.internal}:numbers"]
            if probed >= _DECIDE_AFTER and numbers < _NUMERIC_AT_FIRST * probed:
                column.maybe_numeric = False

    def _take_examples(self, frame: pl.DataFrame, batch: Batch, found: Mapping[str, Any]) -> None:
        for key, positions in found.items():
            internal, kind = key.split(":")
            column = self.columns[int(internal[1:])]
            sample = column.examples[kind]
            sample.rows.extend(batch.row_numbers(positions))
            if kind != "empty":
                values = frame.get_column(internal).gather(positions).to_list()
                sample.values.extend(value for value in values if value is not None)

    def _count_booleans(self, frame: pl.DataFrame) -> None:
        """Count the boolean words of the columns that hold nothing else so
        far; a column whose first cells of the batch are not all boolean
        words is not counted (one select for the probes of every column)."""
        candidates = [column for column in self.columns if column.maybe_boolean]
        if not candidates:
            return
        probes = frame.select(
            pl.col(column.internal).drop_nulls().head(_BOOLEAN_PROBE).str.to_lowercase()
            .is_in(BOOLEAN_WORDS).all() for column in candidates).row(0, named=True)
        columns = []
        for column in candidates:
            if probes[column.internal]:
                columns.append(column)
            else:
                column.maybe_boolean = False
        if not columns:
            return
        counts = frame.select(pl.col(column.internal).str.to_lowercase().is_in(BOOLEAN_WORDS).sum()
                              for column in columns).row(0, named=True)
        nulls = frame.select(pl.col(column.internal).null_count() for column in columns).row(0, named=True)
        for column in columns:
            booleans = int(counts[column.internal])
            column.booleans += booleans
            if booleans < frame.height - nulls[column.internal]:
                column.maybe_boolean = False

    # -- the end: duplicates, types, findings ---------------------------------------------------

    def duplicates(self) -> tuple[int, list[tuple[int, int]]]:
        """How many rows repeat an earlier one (empty rows aside), and the
        first (row, earlier row) pairs. The hashes are sorted (equal ones
        meet), and only the rows whose hash repeats are then looked at in
        file order."""
        if not self.hashes:
            return 0, []
        hashes = pl.concat(self.hashes).rename("hash")
        self.hashes = []
        empty_hash = pl.DataFrame({column.internal: [None] for column in self.columns},
                                  schema={column.internal: pl.String for column in self.columns}
                                  ).hash_rows(seed=_HASH_SEED)[0]
        ordered = hashes.sort()
        ordered = ordered.filter(ordered != empty_hash)
        repeated = ordered.filter(ordered == ordered.shift(1))
        count = repeated.len()
        if not count:
            return 0, []
        rows = (pl.DataFrame({"hash": hashes}).with_row_index("position")
                .filter(pl.col("hash").is_in(repeated.unique().implode())))
        first = rows.filter(~pl.col("hash").is_first_distinct()).head(MAX_EXAMPLES)
        earliest = rows.group_by("hash").agg(pl.col("position").min().alias("first"))
        pairs = first.join(earliest, on="hash").sort("position")
        return count, [(self.row_map.row(position), self.row_map.row(earlier))
                       for position, earlier in pairs.select("position", "first").iter_rows()]

    def column_type(self, column: _ColumnState, profile: Mapping[str, Any]) -> str:
        filled = column.counts["filled"]
        if not filled:
            return "empty"
        kind = profile.get("kind")
        if kind in ("date", "datetime", "time"):
            return str(kind)
        if profile.get("code_list"):
            return "code"
        if column.maybe_boolean and column.booleans == filled:
            return "boolean"
        if column.maybe_numeric and column.numbers == filled and not column.counts["leading_zeros"]:
            return "integer" if column.integers == filled else "decimal"
        return "text"


def _sample(code: str, severity: str, message: Message, sample: RowSample,
                    column: Optional[str] = None, with_values: bool = True) -> Finding:
    return Finding(code, severity, message, column=column, count=sample.count,
                   examples=tuple(Location(row=row, column=column) for row in sample.rows[:MAX_EXAMPLES]),
                   values=tuple(sample.values[:MAX_EXAMPLES]) if with_values else ())


def _quoted(values: Sequence[str]) -> str:
    return ", ".join(f'"{value}"' for value in values[:MAX_EXAMPLES])


HIDDEN_VALUES = Message(N_("values not shown: the column holds personal data"))


def _number_findings(column: _ColumnState, kind: str, echo: bool) -> list[Finding]:
    """The findings about how a column writes its numbers; ``echo``: whether
    they may quote the column's values (not when it holds personal data)."""
    counts, examples, label = column.counts, column.examples, column.label

    def _values_text(values: Sequence[str]) -> Any:
        return _quoted(values) if echo else HIDDEN_VALUES

    def _sample_finding(code: str, severity: str, message: Message, sample: RowSample,
                        label: str) -> Finding:
        return _sample(code, severity, message, sample, label, with_values=echo)

    filled = counts["filled"]
    numeric = column.maybe_numeric and filled and column.numbers >= MOSTLY * filled
    findings: list[Finding] = []
    if not numeric or kind in ("date", "datetime", "time"):
        return findings
    if counts["thousands"]:
        sample = examples["thousands"]
        findings.append(_sample_finding("numbers.thousands_separator", WARNING, Message(N_(
            "Column “{column}” has {count} numbers written with thousands separators "
            "({values}): write numbers without them (1234567) so that programs read them as numbers."),
            column=label, count=sample.count, values=_values_text(sample.values)), sample, label))
    if counts["comma"] and counts["dot"]:
        comma = examples["comma"]
        # a point as the decimal mark: plain decimals, and thousands separated by commas
        dotted = sorted(zip(examples["dot"].rows, examples["dot"].values))
        dotted = sorted(dotted + list(zip(examples["thousands"].rows, examples["thousands"].values)))
        dot = RowSample(counts["dot"], [row for row, _ in dotted], [value for _, value in dotted])
        rows = sorted(set(comma.rows[:3] + dot.rows[:2]))
        findings.append(Finding("numbers.mixed_decimal_marks", ERROR, Message(N_(
            "Column “{column}” mixes decimal marks: {dot} numbers use a point ({dot_values}) and "
            "{comma} a comma ({comma_values}): write every number with a decimal point and no "
            "thousands separator."),
            column=label, dot=counts["dot"], comma=comma.count, dot_values=_values_text(dot.values[:2]),
            comma_values=_values_text(comma.values[:3])),
            column=label, count=comma.count + counts["dot"],
            examples=tuple(Location(row=row, column=label) for row in rows),
            values=tuple(dot.values[:2] + comma.values[:3]) if echo else ()))
    if counts["thai"]:
        sample = examples["thai"]
        findings.append(_sample_finding("numbers.thai_digits", WARNING, Message(N_(
            "Column “{column}” has {count} numbers written in Thai digits ({values}): write them "
            "in Arabic digits (0-9) so that programs read them as numbers."),
            column=label, count=sample.count, values=_values_text(sample.values)), sample, label))
    if counts["leading_zeros"] and column.numbers == filled:
        sample = examples["leading_zeros"]
        findings.append(_sample_finding("numbers.leading_zeros", WARNING, Message(N_(
            "Column “{column}” has {count} numbers with leading zeros ({values}) that a numeric "
            "type would lose: keep the column as text (it holds codes or identifiers)."),
            column=label, count=sample.count, values=_values_text(sample.values)), sample, label))
    if column.numbers < filled:
        sample = examples["not_number"]
        findings.append(_sample_finding("column.not_numbers", WARNING, Message(N_(
            "Column “{column}” holds numbers but {count} cells are not numbers ({values}): write "
            "them as numbers, or leave them empty when there is no value."),
            column=label, count=filled - column.numbers, values=_values_text(sample.values)),
            RowSample(filled - column.numbers, sample.rows, sample.values), label))
    return findings


def _column_findings(column: _ColumnState, kind: str, echo: bool) -> list[Finding]:
    findings: list[Finding] = []
    label = column.label
    if column.rows and not column.counts["filled"]:
        findings.append(Finding("column.empty", WARNING, Message(N_(
            "Column “{column}” is entirely empty: fill it or remove it."), column=label),
            column=label, count=column.rows,
            examples=(Location(row=column.examples["empty"].rows[0], column=label),)
            if column.examples["empty"].rows else ()))
        return findings
    if column.empty:
        sample = column.examples["empty"]
        findings.append(_sample("column.empty_cells", WARNING, Message(N_(
            "Column “{column}” has {count} empty cells of {rows}."),
            column=label, count=column.empty, rows=column.rows),
            RowSample(column.empty, sample.rows), label, with_values=False))
    return findings + _number_findings(column, kind, echo)


def _without_values(finding: Finding) -> Finding:
    return dataclasses.replace(finding, values=()) if finding.values else finding


_FILE_START = Location(row=1)
"""Where a finding about the whole file points: its first row."""


def _file_findings(table: Table, filename: str) -> list[Finding]:
    findings: list[Finding] = []
    source, notes = table.source, table.notes
    extension = extension_of(filename)
    if extension and extension not in EXTENSIONS[source.format]:
        findings.append(Finding("file.wrong_extension", WARNING, Message(N_(
            "The file's name ends in .{extension} but it holds {format}: name it .{expected} so "
            "that people and programs open it right."),
            extension=extension, format=source.format.upper(), expected=EXTENSIONS[source.format][0]),
            examples=(_FILE_START,)))
    if source.encoding and source.encoding not in ("utf-8", "ascii"):
        findings.append(Finding("file.not_utf8", WARNING, Message(N_(
            "The text is encoded in {encoding}, not UTF-8: save it as UTF-8 (\"CSV UTF-8\" in "
            "Excel) so that every program reads its Thai text."),
            encoding=encoding_name(source.encoding)), examples=(_FILE_START,)))
    if notes.undecodable.count:
        findings.append(_sample("file.undecodable", ERROR, Message(N_(
            "{count} bytes cannot be read as {encoding} text and were replaced: the file mixes "
            "encodings or is damaged."),
            count=notes.undecodable.count, encoding=encoding_name(source.encoding)),
            notes.undecodable, with_values=False))
    return findings


def _row_findings(check: _Check, duplicates: tuple[int, list[tuple[int, int]]]) -> list[Finding]:
    findings: list[Finding] = []
    notes = check.table.notes
    if notes.ragged.count:
        findings.append(_sample("rows.ragged", ERROR, Message(N_(
            "{count} rows have more or fewer cells than the header's {expected}; they were left "
            "out of the other checks."),
            count=notes.ragged.count, expected=len(check.table.header)), notes.ragged, with_values=False))
    if notes.not_records.count:
        findings.append(_sample("rows.not_records", ERROR, Message(N_(
            "{count} items of the JSON array are not records (objects); they were left out."),
            count=notes.not_records.count),
            notes.not_records, with_values=False))
    if notes.extra_keys.count:
        findings.append(_sample("rows.extra_keys", WARNING, Message(N_(
            "{count} records have keys the first record lacks ({keys}); those keys were left out: "
            "give every record the same keys."),
            count=notes.extra_keys.count, keys=", ".join(notes.extra_keys.values)), notes.extra_keys))
    empty = RowSample(check.empty_rows.count + notes.blank_lines.count,
                      sorted(check.empty_rows.rows + notes.blank_lines.rows)[:MAX_EXAMPLES])
    if empty.count:
        findings.append(_sample("rows.empty", WARNING, Message(N_(
            "{count} rows are entirely empty: remove them."),
            count=empty.count), empty, with_values=False))
    count, pairs = duplicates
    if count:
        findings.append(Finding("rows.duplicate", WARNING, Message(N_(
            "{count} rows repeat an earlier row exactly: {pairs}."),
            count=count, pairs=tuple(Message(N_("row {row} repeats row {first}"), row=row, first=first)
                                     for row, first in pairs)),
            count=count, examples=tuple(Location(row=row) for row, _ in pairs)))
    return findings


def _finish(check: _Check, filename: str) -> tuple[list[ColumnReport], list[Finding], int]:
    table = check.table
    findings = _file_findings(table, filename) + header_findings(table.header, table.header_row)
    rows = check.rows_read + table.notes.ragged.count + table.notes.blank_lines.count
    if check.rows_read == check.empty_rows.count and not table.notes.ragged.count:
        findings.append(Finding("file.no_rows", ERROR, Message(
            N_("The file has a header but no data rows.")), count=0,
            examples=(Location(row=table.header_row or None),)))
    findings += _row_findings(check, check.duplicates())
    columns: list[ColumnReport] = []
    for column in check.columns:
        profile: dict[str, Any] = {}
        for column_check in column.checks:
            profile.update(column_check.profile())
        kind = check.column_type(column, profile)
        theirs = [finding for column_check in column.checks
                  for finding in column_check.findings(column.label)]
        personal = any(finding.code.startswith("personal.") for finding in theirs)
        if personal:  # nothing may quote a value of a column that holds personal data
            theirs = [finding if finding.code.startswith("personal.") else _without_values(finding)
                      for finding in theirs]
        column_findings = _column_findings(column, kind, echo=not personal) + theirs
        findings += column_findings
        columns.append(ColumnReport(name=column.name, label=column.label, position=column.position,
                                    type=kind, filled=column.counts["filled"], empty=column.empty,
                                    profile=profile))
    if not check.complete:
        findings.append(Finding("check.time_limit", WARNING, Message(N_(
            "The check stopped after {seconds} seconds, at row {row}: the rest of the file was not "
            "checked."), seconds=round(check.limits.max_seconds), row=check.stopped_at or 0),
            examples=(Location(row=check.stopped_at),)))
    return columns, findings, rows


MAX_SHEETS = 20
"""Worksheets of one workbook checked at most (the rest are noted)."""
_ONCE_PER_FILE = ("file.wrong_extension",)
"""Findings about the file, not about one of its worksheets."""


def check_file(path: str | os.PathLike[str], *, filename: Optional[str] = None,
               limits: Limits = Limits()) -> Report:
    """Check the data file at ``path`` (``filename``: the name it was
    published under, for the extension check; the path's name by default):
    every worksheet of a workbook. Never raises for a bad file: an
    unreadable one gives a report with ``readable`` false and the reason as
    its one error finding."""
    started = time.monotonic()
    path = os.fspath(path)
    name = filename or os.path.basename(path)
    size = os.path.getsize(path) if os.path.exists(path) else 0
    sheets = worksheet_names(path, limits)
    if len(sheets) <= 1:
        return _check_table(path, name, size, limits, started)
    return _check_workbook(path, name, size, limits, started, sheets)


def _check_table(path: str, name: str, size: int, limits: Limits, started: float,
                 sheet_index: int = 0, label_prefix: str = "") -> Report:
    """Check one table: a text or JSON file, or one worksheet."""
    transcode = in_order = False
    while True:
        try:
            with open_table(path, limits, transcode=transcode, in_order=in_order,
                            sheet_index=sheet_index) as table:
                check = _Check(table, limits, started, label_prefix)
                check.run()
                columns, findings, rows = _finish(check, name)
                source = table.source
                return Report(
                    file=FileFacts(name=name, size=size, format=source.format, encoding=source.encoding,
                                   bom=source.bom, delimiter=source.delimiter, sheet=source.sheet,
                                   sheets=source.sheets),
                    readable=True, rows=rows, columns=tuple(columns),
                    duplicate_rows=next((f.count for f in findings if f.code == "rows.duplicate"), 0),
                    empty_rows=next((f.count for f in findings if f.code == "rows.empty"), 0),
                    findings=tuple(findings), complete=check.complete,
                    seconds=round(time.monotonic() - started, 3))
        except RestartWithTranscoding:
            if transcode:
                raise
            transcode = True
        except RestartInOrder:
            if in_order:
                raise
            in_order = True
        except UnreadableFile as error:
            return Report.unreadable(FileFacts(name=name, size=size),
                                     Finding(error.code, ERROR, error.message),
                                     seconds=round(time.monotonic() - started, 3))


def _in_sheet(finding: Finding, sheet: str) -> Finding:
    """The finding, its places in the worksheet ``sheet``."""
    examples = tuple(dataclasses.replace(example, sheet=sheet) for example in finding.examples) \
        or (Location(sheet=sheet),)
    return dataclasses.replace(finding, examples=examples)


def _check_workbook(path: str, name: str, size: int, limits: Limits, started: float,
                    sheets: tuple[str, ...]) -> Report:
    """Check every worksheet (up to :data:`MAX_SHEETS`) and put their
    reports together: the rows and findings of all, each finding in its
    worksheet, the columns labelled "worksheet / column". An empty
    worksheet is noted; a damaged one is an error of the workbook."""
    checked: list[tuple[str, Report]] = []
    findings: list[Finding] = []
    attempted = 0
    for index, sheet in enumerate(sheets[:MAX_SHEETS]):
        if attempted and time.monotonic() > started + limits.max_seconds:
            break  # the last worksheet checked says where the time ran out
        attempted += 1
        report = _check_table(path, name, size, limits, started, index, f"{sheet} / ")
        if report.readable:
            checked.append((sheet, report))
            findings += [_in_sheet(finding, sheet) for finding in report.findings
                         if finding.code not in _ONCE_PER_FILE or len(checked) == 1]
        elif report.error is not None and report.error.code == "file.empty":
            findings.append(Finding("file.empty_sheet", INFO, Message(
                N_("The worksheet “{sheet}” is empty."), sheet=sheet), examples=(Location(sheet=sheet),)))
        elif report.error is not None:
            findings.append(_in_sheet(report.error, sheet))
    if not checked:
        return Report.unreadable(FileFacts(name=name, size=size, sheets=sheets), Finding(
            "file.empty", ERROR, Message(N_("Every worksheet of the workbook is empty or unreadable."))),
            seconds=round(time.monotonic() - started, 3))
    if len(sheets) > attempted:
        findings.append(Finding("file.other_sheets", INFO, Message(N_(
            "The workbook has {count} worksheets; the first {checked} were checked: publish each "
            "table as a file of its own."), count=len(sheets), checked=attempted),
            count=len(sheets) - attempted, examples=(Location(sheet=sheets[attempted]),)))
    first = checked[0][1]
    return Report(
        file=dataclasses.replace(first.file, sheets=sheets), readable=True,
        rows=sum(report.rows for _, report in checked),
        columns=tuple(dataclasses.replace(column, sheet=sheet)
                      for sheet, report in checked for column in report.columns),
        duplicate_rows=sum(report.duplicate_rows for _, report in checked),
        empty_rows=sum(report.empty_rows for _, report in checked),
        findings=tuple(findings),
        complete=attempted == min(len(sheets), MAX_SHEETS) and all(report.complete for _, report in checked),
        seconds=round(time.monotonic() - started, 3))
