"""Reading a data file as a table of text cells, streamed in batches.

What a file is is decided by its CONTENT, never by its name: the first
bytes tell a ZIP (an XLSX workbook), an OLE2 compound file (an XLS
workbook), other binary formats (PDF, images, Word files...: not data
tables, the file is unreadable), JSON (an array of records) or delimited
text. For text, the encoding is detected (a byte-order mark; UTF-8; else
chardet's guess, corrected for Thai by
:func:`~ckanext.opendata_th.playbook.text_encoding.thai_encoding`, so that
Windows-874 / TIS-620 files read as ``cp874``) and the delimiter (comma,
tab, semicolon or pipe) is the one that splits the first records into the
most consistent number of cells.

Every format is read in batches (:class:`Batch`: a polars DataFrame of
``String`` columns named ``f0``, ``f1``... and the spreadsheet row numbers
of its rows), so that memory stays bounded whatever the file's size:

- delimited text: UTF-8 is cut into blocks of whole records
  (``Limits.block_bytes``) that pyarrow parses in a few threads at once
  (each block's UTF-8 checked once as a whole, by polars, not cell by cell;
  its cells stripped of ASCII white space only, the cheaper strip, when
  the block holds no other);
  text in another encoding goes through :class:`TranscodingReader`, which
  decodes it (cp874, UTF-16...) and records the rows of the bytes it
  cannot decode, and is read by ``pyarrow.csv.open_csv``, a streaming
  reader, one block (``Limits.max_line_bytes``) at a time; every column
  is read as a string;
- XLSX: ``openpyxl`` in read-only mode (rows parsed from the sheet's XML
  one at a time), after the ZIP's declared sizes and compression ratios
  were checked against :class:`Limits` (a zip bomb is refused before any
  byte is inflated);
- XLS: ``xlrd`` (the format holds at most 65,536 rows a sheet);
- JSON: ``ijson``, an incremental parser, one record at a time.

Cells are text as the file holds them (numbers and dates from a workbook
are written back as text, see :func:`cell_text`); ``None`` is an empty
cell; the batches' cells are cleaned (:func:`clean`: stripped, blank
ones ``None``). What
a reader noticed on its way (rows whose number of cells differs from the
header's, bytes it could not decode, JSON items that are not records) is
collected in :class:`ReaderNotes` for the checks to report.

A file that cannot be read at all raises :class:`UnreadableFile`, whose
message says why in the reader's language (``code`` names the cause).
"""
from __future__ import annotations

import abc
import codecs
import collections
import csv
import datetime as dt
import functools
import io
import json
import os
import zipfile
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, BinaryIO, Optional

import polars as pl
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from ckanext.opendata_th.playbook.messages import Message, MessageError, N_
from ckanext.opendata_th.playbook.text_encoding import thai_encoding
from ckanext.opendata_th.quality.findings import MAX_EXAMPLES

KIB, MIB, GIB = 1 << 10, 1 << 20, 1 << 30

CSV, TSV, XLSX, XLS, JSON = "csv", "tsv", "xlsx", "xls", "json"
FORMATS: tuple[str, ...] = (CSV, TSV, XLSX, XLS, JSON)
"""The formats the checker reads (``csv`` is any delimited text but tab
separated, which is ``tsv``)."""

DELIMITERS: tuple[str, ...] = (",", "\t", ";", "|")
"""The delimiters recognised, in the order a tie is decided."""

EXTENSIONS: dict[str, tuple[str, ...]] = {
    CSV: ("csv", "txt", "tsv", "tab", "dat", "psv"),
    TSV: ("tsv", "tab", "txt", "csv", "dat"),
    XLSX: ("xlsx", "xlsm"),
    XLS: ("xls",),
    JSON: ("json",),
}
"""File name extensions that fit each format (a name with another
extension is a warning; delimited text is accepted under any of the usual
text extensions)."""


@dataclass(frozen=True)
class Limits:
    """Bounds that keep one check from taking a worker's memory or time.
    The defaults suit files published on an agency portal (up to a few GB
    of CSV); the background job may pass tighter ones."""

    max_seconds: float = 600.0
    """Wall-clock time a check may take. Honoured between batches: the
    check stops, reports what it read, and says it stopped (a finding
    ``check.time_limit``)."""
    max_line_bytes: int = 4 * MIB
    """Longest record of delimited text (also the streaming reader's block
    size, so it bounds the memory one block takes). A longer one (a 10 MB
    single line) makes the file unreadable: it is not a table."""
    block_bytes: int = 4 * MIB
    """Bytes of UTF-8 text cut into a block of whole records and parsed on
    one of the parser threads (the blocks are parsed several at a time)."""
    max_columns: int = 1000
    """Widest table read; a wider one is unreadable."""
    max_unzipped_bytes: int = 1 * GIB
    """Declared uncompressed size of all the members of an XLSX (a ZIP)."""
    max_zip_ratio: float = 200.0
    """Declared uncompressed / compressed size of any member over 1 MiB.
    Sheet XML compresses 5 to 50 times; zip bombs, thousands of times.
    Python's zipfile stops inflating a member at its declared size, so the
    declared sizes bound what is read."""
    max_zip_members: int = 10_000
    """Members an XLSX may hold."""
    batch_rows: int = 250_000
    """Rows a batch of delimited text holds at most (the checks run batch
    by batch; bigger batches amortise the per-batch work of every column's
    checks, smaller ones hold less memory)."""
    first_batch_rows: int = 100_000
    """Rows of the first batch of delimited text: smaller, so that checking
    starts sooner (the next blocks are parsed meanwhile) and the columns that
    are plainly text are decided on fewer rows."""
    python_batch_rows: int = 20_000
    """Rows a batch of XLSX, XLS or JSON holds (those are built row by row
    in Python, so smaller batches keep the time limit responsive)."""
    sample_bytes: int = 64 * KIB
    """Bytes read from the start of a file to tell its format, encoding
    and delimiter."""


class UnreadableFile(MessageError):
    """The file cannot be read as a table; ``code`` is a stable dotted name
    of the cause (``file.empty``, ``file.binary``, ``file.zip_bomb``...)."""

    def __init__(self, code: str, message: Message) -> None:
        self.code = code
        super().__init__(message)


class RestartWithTranscoding(Exception):
    """A file taken for UTF-8 holds bytes that are not UTF-8 further on
    than the sample: the check starts again, reading the file through
    :class:`TranscodingReader` (which replaces and records them). Internal
    to the quality package."""


class RestartInOrder(Exception):
    """Text read in parallel blocks (:class:`_BlockRecords`) cannot be read
    that way (a record longer than a block, a parse error, a quote inside a
    cell of the first block): the check starts again, reading the file in
    order, which reports what and where. Internal to the quality package."""


@dataclass(frozen=True)
class Source:
    """What the file turned out to be."""

    format: str
    encoding: Optional[str] = None
    """Python's codec name of a text file's encoding (``utf-8``, ``cp874``,
    ``utf-16``...); ``None`` for workbooks (JSON is UTF-8)."""
    bom: bool = False
    delimiter: Optional[str] = None
    sheet: Optional[str] = None
    """The worksheet checked (the first one)."""
    sheets: tuple[str, ...] = ()
    """Every worksheet of a workbook."""


@dataclass
class RowSample:
    """How often something was seen and the first places (and values)."""

    count: int = 0
    rows: list[int] = field(default_factory=list)
    values: list[str] = field(default_factory=list)

    def add(self, row: int, value: Optional[str] = None, times: int = 1) -> None:
        self.count += times
        if len(self.rows) < MAX_EXAMPLES:
            self.rows.append(row)
            if value is not None:
                self.values.append(value)


@dataclass
class ReaderNotes:
    """What a reader noticed while reading (reported by the checks)."""

    ragged: RowSample = field(default_factory=RowSample)
    """Rows with more or fewer cells than the header (values: the number
    of cells); such a row is left out of the other checks."""
    blank_lines: RowSample = field(default_factory=RowSample)
    """Lines of nothing but spaces in delimited text (empty rows)."""
    undecodable: RowSample = field(default_factory=RowSample)
    """Bytes the encoding cannot decode (replaced by U+FFFD)."""
    not_records: RowSample = field(default_factory=RowSample)
    """JSON array items that are not objects (left out)."""
    extra_keys: RowSample = field(default_factory=RowSample)
    """JSON records with keys the first record lacks (values: the keys)."""


@dataclass(frozen=True)
class Segment:
    """Rows ``offset`` to ``offset + length - 1`` of a batch are the
    spreadsheet rows ``first_row`` onwards, one after the other."""

    offset: int
    length: int
    first_row: int


@dataclass(frozen=True)
class Batch:
    """Some consecutive rows of the table: ``frame`` has one ``String``
    column per header cell (``f0``, ``f1``...), the cells cleaned
    (:func:`clean`: stripped, ``None`` for a blank one)."""

    frame: pl.DataFrame
    segments: tuple[Segment, ...]

    def row_numbers(self, positions: Sequence[int]) -> list[int]:
        """The spreadsheet row numbers of the frame's rows ``positions``."""
        numbers = []
        for position in positions:
            for segment in self.segments:
                if segment.offset <= position < segment.offset + segment.length:
                    numbers.append(segment.first_row + position - segment.offset)
                    break
        return numbers


def column_name(index: int) -> str:
    """The internal name of the table's column ``index`` (from 0)."""
    return f"f{index}"


class Table(abc.ABC):
    """A file opened as a table: its header and its rows in batches (each
    kind of file is a subclass)."""

    source: Source
    header: list[str]
    """The header's cells as the file holds them ("" for a blank one)."""
    header_row: int
    """The header's row number (1 in text; the first non-empty row of a
    sheet; 0 for JSON, whose keys are no row)."""
    notes: ReaderNotes

    @abc.abstractmethod
    def batches(self) -> Iterator[Batch]:
        """The rows after the header, batch by batch."""

    def close(self) -> None:
        """Release the file."""

    def __enter__(self) -> "Table":
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()


# -- what a file is ---------------------------------------------------------------------------

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "PDF"),
    (b"\x89PNG", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF8", "GIF"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
    (b"\x1f\x8b", "GZIP"),
    (b"Rar!", "RAR"),
    (b"7z\xbc\xaf", "7-Zip"),
    (b"{\\rtf", "RTF"),
    (b"BM", "BMP"),
)
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27)) + b"\x7f"
_BINARY_SHARE = 0.05
"""Share of control bytes (other than tab, line breaks, form feed and
escape) over which a sample is binary, not text."""
_MAX_SNIFFED_RECORDS = 50
_CHARDET_BYTES = 16 * KIB
"""chardet is pure Python: it reads the first 16 KiB of a non-UTF-8 file."""


def _not_a_table(kind: str) -> UnreadableFile:
    return UnreadableFile("file.not_a_table", Message(N_(
        "The file is a {format} file, not a data table: publish the data as CSV, XLSX or JSON."),
        format=kind))


def extension_of(filename: str) -> str:
    """The lower-case extension of ``filename`` without its dot ("" if none)."""
    base = os.path.basename(filename)
    return base.rsplit(".", 1)[1].lower() if "." in base.strip(".") else ""


def _zip_kind(path: str) -> str:
    """XLSX, or the name of another ZIP-based format."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "xl/workbook.xml" in names:
                return XLSX
            if "mimetype" in names:
                mimetype = archive.read("mimetype")[:100].decode("ascii", "replace")
                return "OpenDocument (ODS/ODT)" if "opendocument" in mimetype else "ZIP"
    except (zipfile.BadZipFile, OSError, ValueError):
        raise UnreadableFile("file.corrupt", Message(N_(
            "The file looks like an XLSX workbook (a ZIP archive) but is damaged: it cannot be opened.")))
    if any(name.startswith("word/") for name in names):
        return "Word (DOCX)"
    if any(name.startswith("ppt/") for name in names):
        return "PowerPoint (PPTX)"
    return "ZIP"


def _is_utf8(sample: bytes, whole: bool) -> bool:
    """Whether ``sample`` is UTF-8 (if it is not the ``whole`` file, a
    character cut at its end still counts)."""
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as error:
        return (not whole and error.start >= len(sample) - 3
                and error.reason == "unexpected end of data")
    return True


def detect_encoding(sample: bytes, whole: bool = False) -> tuple[str, bool]:
    """(codec name, whether a byte-order mark starts the file) of text.
    UTF-8 whenever the sample is UTF-8 (ASCII included); else chardet's
    guess with Thai single-byte answers (and misreadings) made cp874."""
    for bom, name in _BOMS:
        if sample.startswith(bom):
            return name, True
    if _is_utf8(sample, whole):
        return "utf-8", False
    import chardet

    detected = chardet.detect(sample[:_CHARDET_BYTES]).get("encoding")
    name = thai_encoding(detected, sample) or "cp874"
    try:
        return codecs.lookup(name).name, False
    except LookupError:
        return "cp874", False


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the first records of ``text`` into the
    most consistent number of cells (and, on a tie, the most cells); a
    comma when none splits the header."""
    best, best_score = ",", (0.0, 1)
    for delimiter in DELIMITERS:
        counts = []
        for record in csv.reader(io.StringIO(text), delimiter=delimiter, quotechar='"'):
            if record:
                counts.append(len(record))
            if len(counts) >= _MAX_SNIFFED_RECORDS:
                break
        if not counts or counts[0] < 2:
            continue
        score = (sum(count == counts[0] for count in counts) / len(counts), counts[0])
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _looks_binary(sample: bytes) -> bool:
    if b"\x00" in sample:
        return True
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return controls > _BINARY_SHARE * len(sample)


def sniff(path: str, limits: Limits) -> Source:
    """What the file at ``path`` is, from its content."""
    try:
        size = os.path.getsize(path)
        with open(path, "rb") as stream:
            head = stream.read(limits.sample_bytes)
    except OSError as error:
        raise UnreadableFile("file.cannot_open", Message(
            N_("The file cannot be opened: {reason}"), reason=error.strerror or str(error)))
    if size == 0:
        raise UnreadableFile("file.empty", Message(N_("The file is empty.")))
    if head.startswith(_ZIP_MAGIC):
        kind = _zip_kind(path)
        if kind != XLSX:
            raise _not_a_table(kind)
        return Source(format=XLSX)
    if head.startswith(_OLE_MAGIC):
        return Source(format=XLS)
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            raise _not_a_table(kind)
    encoding, bom = detect_encoding(head, whole=size <= len(head))
    if encoding != "utf-16" and _looks_binary(head):
        raise UnreadableFile("file.binary", Message(N_(
            "The file holds binary data, not text or a spreadsheet: it cannot be read as a table.")))
    text = head.decode(encoding, errors="replace")
    if bom:
        text = text.lstrip("\ufeff")
    start = text.lstrip()[:200].lower()
    if start.startswith(("<!doctype html", "<html", "<head", "<body", "<table")):
        raise _not_a_table("HTML")
    if start.startswith("<?xml"):
        raise _not_a_table("XML")
    if start.startswith(("[", "{")):
        return Source(format=JSON, encoding=encoding, bom=bom)
    if not start:
        raise UnreadableFile("file.empty", Message(N_("The file is empty.")))
    if len(head) == limits.sample_bytes and "\n" in text:
        text = text[:text.rindex("\n")]  # the last record may be cut
    delimiter = sniff_delimiter(text)
    return Source(format=TSV if delimiter == "\t" else CSV, encoding=encoding, bom=bom,
                  delimiter=delimiter)


# -- delimited text ---------------------------------------------------------------------------

class TranscodingReader(io.RawIOBase):
    """A binary stream of UTF-8 read from a file in another encoding.

    Bytes the encoding cannot decode become U+FFFD, and the line of the
    first few of them (with how many) is recorded in ``undecodable``: a
    file that is partly cp874 and partly UTF-8 is reported, not refused.
    The line is counted in the decoded text (a row number when no cell
    holds a line break)."""

    CHUNK = 1 * MIB

    def __init__(self, raw: BinaryIO, encoding: str, undecodable: RowSample) -> None:
        super().__init__()
        self._raw = raw
        self._decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
        self._pending = bytearray()
        self._eof = False
        self._lines_before = 0
        self._undecodable = undecodable

    def readable(self) -> bool:
        return True

    def _fill(self) -> None:
        chunk = self._raw.read(self.CHUNK)
        if not chunk:
            self._eof = True
        text = self._decoder.decode(chunk, final=not chunk)
        if "\ufffd" in text:
            self._record(text)
        self._lines_before += text.count("\n")
        self._pending += text.encode("utf-8")

    def _record(self, text: str) -> None:
        position = text.find("\ufffd")
        while position >= 0:
            line = self._lines_before + text.count("\n", 0, position) + 1
            end = position
            while end < len(text) and text[end] == "\ufffd":
                end += 1
            self._undecodable.add(line, times=end - position)
            if len(self._undecodable.rows) >= MAX_EXAMPLES:
                # count the rest without locating them
                self._undecodable.count += text.count("\ufffd", end)
                return
            position = text.find("\ufffd", end)

    def readinto(self, buffer: Any) -> int:
        while len(self._pending) < len(buffer) and not self._eof:
            self._fill()
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        del self._pending[:size]
        return size

    def close(self) -> None:
        self._raw.close()
        super().close()


_InvalidRow = tuple[int, str, int]
"""A record pyarrow left out: (its record number from 1, its text, its number of cells)."""


_UNICODE_SPACE_LEADS = (b"\xc2", b"\xe1", b"\xe2", b"\xe3")
"""The first bytes of the UTF-8 of every white space character beyond ASCII
(U+0085, U+00A0, U+1680, U+2000-U+200A, U+2028, U+2029, U+202F, U+205F,
U+3000). Thai text (whose bytes start with ``\xe0``) holds none of them
unless it holds other signs of those blocks too (©, dashes, curly quotes),
which only cost the slower strip."""


def may_hold_unicode_space(data: bytes | bytearray, size: int) -> bool:
    """Whether ``data[:size]`` (UTF-8) may hold a white space character
    beyond ASCII: four searches for one byte (``memchr``: a few hundred
    microseconds for a block of 4 MiB)."""
    return any(data.find(lead, 0, size) >= 0 for lead in _UNICODE_SPACE_LEADS)


def _clean_records(records: pa.RecordBatch, unicode_spaces: bool = True) -> pa.RecordBatch:
    """The cells stripped of surrounding white space (Unicode's, which
    includes the no-break space), blank ones ``None``: what :func:`clean`
    does, done on the Arrow batch by pyarrow (in the thread that parsed it,
    and faster). ``unicode_spaces=False``: the text is known to hold no
    white space beyond ASCII (:func:`may_hold_unicode_space`), so the
    cheaper ASCII strip does the same."""
    trim = pc.utf8_trim_whitespace if unicode_spaces else pc.ascii_trim_whitespace
    columns = []
    for column in records.columns:
        stripped = trim(column)
        lengths = pc.binary_length(stripped)
        if pc.min(lengths).as_py() == 0:  # a cell that is blank (None is no length)
            stripped = pc.if_else(pc.equal(lengths, 0), pa.scalar(None, pa.string()), stripped)
        columns.append(stripped)
    return pa.RecordBatch.from_arrays(columns, names=records.schema.names)


def _header_cells(records: pa.RecordBatch) -> list[str]:
    """The first record's cells as the file holds them ("" for an empty one)."""
    return ["" if cell is None else cell for cell in (column[0].as_py() for column in records.columns)]


@functools.lru_cache(maxsize=8)
def _convert_options(max_columns: int, check_utf8: bool) -> pacsv.ConvertOptions:
    """Every column a string, empty cells ``None`` (one set of options per
    limit: building the column types for a thousand columns costs)."""
    return pacsv.ConvertOptions(
        column_types={column_name(i): pa.string() for i in range(max_columns + 1)},
        null_values=[""], strings_can_be_null=True, quoted_strings_can_be_null=True,
        check_utf8=check_utf8)


def ensure_utf8(data: bytes | bytearray, size: int) -> None:
    """Raise ``pa.ArrowInvalid`` (as pyarrow's own check would) unless
    ``data[:size]`` is UTF-8: one pass of polars' validator over the whole
    block, several times cheaper than pyarrow's check of every cell."""
    try:
        pl.Series((bytes(memoryview(data)[:size]),), dtype=pl.Binary).cast(pl.String)
    except pl.exceptions.ComputeError:
        raise pa.ArrowInvalid("CSV conversion error: invalid UTF8 data") from None


class _Records(abc.ABC):
    """The records of delimited text: ``header`` (the first record, as the
    file holds it; ``None`` when the file has none), then the others as
    cleaned Arrow batches of string columns (:func:`_clean_records`), in
    order: ``next()`` returns the next one (``None`` at the end). The
    records left out on the way are handed to ``invalid`` with their record
    numbers counted from the start of the file (the header is 1)."""

    header: Optional[list[str]] = None

    def __init__(self, limits: Limits, delimiter: str, invalid: Callable[[_InvalidRow], None]) -> None:
        self._limits = limits
        self._delimiter = delimiter
        self._invalid = invalid

    def _parse_options(self, handler: Callable[[Any], str]) -> pacsv.ParseOptions:
        return pacsv.ParseOptions(delimiter=self._delimiter, quote_char='"', double_quote=True,
                                  newlines_in_values=True, ignore_empty_lines=False,
                                  invalid_row_handler=handler)

    def _convert_options(self, check_utf8: bool = True) -> pacsv.ConvertOptions:
        return _convert_options(self._limits.max_columns, check_utf8)

    @abc.abstractmethod
    def next(self) -> Optional[pa.RecordBatch]:
        """The next records (raises ``pa.ArrowInvalid`` for a broken file)."""

    @abc.abstractmethod
    def close(self) -> None:
        """Release the file."""


class _StreamedRecords(_Records):
    """pyarrow's streaming CSV reader on one thread, block after block:
    for text that is transcoded (:class:`TranscodingReader`), and for UTF-8
    from where a cell holds a quote (see :class:`_BlockRecords`). Given the
    column ``names``, the stream starts after the header, its records
    numbered after ``records_before``."""

    def __init__(self, stream: BinaryIO, limits: Limits, delimiter: str,
                 invalid: Callable[[_InvalidRow], None], names: Optional[list[str]] = None,
                 records_before: int = 0) -> None:
        super().__init__(limits, delimiter, invalid)
        self._stream = stream
        self._records_before = records_before
        self._first: Optional[pa.RecordBatch] = None
        try:
            self._reader = pacsv.open_csv(
                stream,
                read_options=pacsv.ReadOptions(use_threads=False, block_size=limits.max_line_bytes,
                                               column_names=names or (),
                                               autogenerate_column_names=names is None),
                parse_options=self._parse_options(self._handle),
                convert_options=self._convert_options())
            if len(self._reader.schema) > limits.max_columns:
                raise _too_wide(len(self._reader.schema), limits)
            first = self._read()
        except BaseException:
            stream.close()
            raise
        if first is not None and names is not None:
            self._first = _clean_records(first)
        elif first is not None and first.num_rows:
            self.header = _header_cells(first)
            self._first = _clean_records(first.slice(1))

    def _handle(self, row: Any) -> str:
        number = row.number if row.number is not None and row.number >= 0 else None
        self._invalid((-1 if number is None else self._records_before + number, row.text or "",
                       row.actual_columns))
        return "skip"

    def _read(self) -> Optional[pa.RecordBatch]:
        try:
            return self._reader.read_next_batch()
        except StopIteration:
            return None

    def next(self) -> Optional[pa.RecordBatch]:
        if self._first is not None:
            first, self._first = self._first, None
            return first
        records = self._read()
        return None if records is None else _clean_records(records)

    def close(self) -> None:
        self._stream.close()


_PARSERS = max(2, min(4, os.cpu_count() or 2))
"""Threads that parse blocks of UTF-8 text at once."""


def _record_boundary(data: bytes | bytearray, size: int) -> Optional[int]:
    """Where the last whole record of ``data[:size]`` ends (just after a
    line break followed by an even number of quote characters before it,
    counted from the start of ``data``, which starts a record), or ``None``."""
    quotes = data.count(b'"', 0, size)
    end = size
    while True:
        line_break = data.rfind(b"\n", 0, end)
        if line_break < 0:
            return None
        quotes -= data.count(b'"', line_break + 1, end)
        if quotes % 2 == 0:
            return line_break + 1
        end = line_break


def _holds_quote(column: pa.Array) -> bool:
    """Whether a cell of a string column holds a quote character (one look
    at the bytes of all its cells at once)."""
    values = column.buffers()[2]
    return values is not None and values.to_pybytes().find(b'"') >= 0


@dataclass
class _Block:
    """One block of records, parsed (and cleaned) in a parser thread."""

    start: int
    """Where the block starts in the file."""
    header: Optional[list[str]]
    """The first record as the file holds it, in the file's first block."""
    records: pa.RecordBatch
    """The other records, cleaned."""
    parsed: int
    """Records parsed, the header and the records left out included."""
    invalid: list[_InvalidRow]
    quotes_in_cells: bool


class _BlockRecords(_Records):
    """UTF-8 text cut into blocks of whole records and parsed by pyarrow in
    a few threads at once (each block's parse releases the GIL).

    A block ends at a line break after which the file has held an even
    number of quote characters: there, no quoted cell is open, provided
    every quote so far opened or closed a cell or was doubled inside one.
    A quote inside an unquoted cell (``12"``) breaks that rule; it shows as
    a quote in the cell's value, as does a doubled quote (which keeps the
    rule). So from the first block whose cells hold a quote (its start is
    right: no quote before it stood inside a cell), the rest of the file is
    read in order by :class:`_StreamedRecords`. A file whose lines, or a
    record, are longer than ``Limits.max_line_bytes``, or that pyarrow
    cannot parse, is read again from its start in order
    (:class:`RestartInOrder`: the streaming reader reports what and where).
    The blocks' record numbers are made the file's by counting the records
    of the blocks before."""

    def __init__(self, path: str, limits: Limits, delimiter: str,
                 invalid: Callable[[_InvalidRow], None]) -> None:
        super().__init__(limits, delimiter, invalid)
        self._path = path
        self._file = open(path, "rb")
        self._in_order: Optional[_StreamedRecords] = None
        self._next_start = 0
        self._pool = ThreadPoolExecutor(max_workers=_PARSERS, thread_name_prefix="quality-parse")
        self._pending: "collections.deque[Future[_Block]]" = collections.deque()
        self._carry = b""
        self._end = False
        self._records_before = 0
        self._names: Optional[list[str]] = None
        self._first: Optional[pa.RecordBatch] = None
        try:
            first = self._submit_next()
            if first is not None:
                self._first = self._take(first)
                if self.header is not None:
                    if len(self.header) > limits.max_columns:
                        raise _too_wide(len(self.header), limits)
                    self._names = [column_name(i) for i in range(len(self.header))]
        except BaseException:
            self.close()
            raise

    def _cut(self) -> Optional[tuple[bytes | bytearray, int]]:
        """The next block of whole records: the first ``size`` bytes of a
        buffer of its own (``(buffer, size)``; ``None`` at the end of the
        file), read behind what was left of the last one."""
        while not self._end:
            carried = len(self._carry)
            buffer = bytearray(carried + self._limits.block_bytes)
            buffer[:carried] = self._carry
            read = self._file.readinto(memoryview(buffer)[carried:])
            if not read:
                self._end = True
                break
            size = carried + read
            end = _record_boundary(buffer, size)
            if end is None:
                if size > self._limits.max_line_bytes:
                    raise RestartInOrder()
                self._carry = bytes(buffer[:size])
                continue
            self._carry = bytes(buffer[end:size])
            self._next_start += end
            return buffer, end
        block, self._carry = self._carry, b""
        self._next_start += len(block)
        return (block, len(block)) if block else None

    def _submit_next(self) -> "Optional[Future[_Block]]":
        start = self._next_start
        block = self._cut()
        if block is None:
            return None
        return self._pool.submit(self._parse, start, *block, self._names)

    def _parse(self, start: int, data: bytes | bytearray, size: int,
               names: Optional[list[str]]) -> _Block:
        invalid: list[_InvalidRow] = []

        def handle(row: Any) -> str:
            invalid.append((row.number, row.text or "", row.actual_columns))
            return "skip"

        ensure_utf8(data, size)  # for the whole block at once: pyarrow need not check each cell
        table = pacsv.read_csv(
            pa.BufferReader(pa.py_buffer(memoryview(data)[:size])),
            read_options=pacsv.ReadOptions(use_threads=False, block_size=size + 1,
                                           column_names=names or (),
                                           autogenerate_column_names=names is None),
            parse_options=self._parse_options(handle),
            convert_options=self._convert_options(check_utf8=False))
        records = table.combine_chunks().to_batches()
        batch = records[0] if records else pa.RecordBatch.from_pylist([], schema=table.schema)
        quotes = data.find(b'"', 0, size) >= 0 and any(_holds_quote(column) for column in batch.columns)
        header = None
        if names is None and batch.num_rows:
            header, batch = _header_cells(batch), batch.slice(1)
        return _Block(start, header, _clean_records(batch, may_hold_unicode_space(data, size)),
                      table.num_rows, invalid, quotes)

    def _take(self, future: "Future[_Block]") -> Optional[pa.RecordBatch]:
        block = future.result()
        if block.quotes_in_cells:
            if block.header is not None:  # the header's cells hold quotes
                raise RestartInOrder()
            return self._read_the_rest_in_order(block.start)
        if block.header is not None:
            self.header = block.header
        for number, text, cells in block.invalid:
            self._invalid((self._records_before + number, text, cells))
        self._records_before += block.parsed + len(block.invalid)
        return block.records

    def _read_the_rest_in_order(self, start: int) -> Optional[pa.RecordBatch]:
        """Leave the blocks from ``start`` on and read the rest of the file
        with the streaming reader."""
        for future in self._pending:
            future.cancel()
        self._pending.clear()
        self._end = True
        stream = open(self._path, "rb")
        stream.seek(start)
        self._in_order = _StreamedRecords(stream, self._limits, self._delimiter, self._invalid,
                                          names=self._names, records_before=self._records_before)
        return self._in_order.next()

    def next(self) -> Optional[pa.RecordBatch]:
        if self._first is not None:
            first, self._first = self._first, None
            return first
        if self._in_order is not None:
            return self._in_order.next()
        while len(self._pending) < _PARSERS + 1:
            future = self._submit_next()
            if future is None:
                break
            self._pending.append(future)
        if not self._pending:
            return None
        return self._take(self._pending.popleft())

    def close(self) -> None:
        for future in self._pending:
            future.cancel()
        self._pool.shutdown(wait=True)
        self._file.close()
        if self._in_order is not None:
            self._in_order.close()


class DelimitedTable(Table):
    """CSV, TSV, semicolon- or pipe-separated text, every column as text,
    empty cells as ``None``, blank lines kept as empty rows, quoted cells
    may hold line breaks. UTF-8 is parsed in blocks on several threads
    (:class:`_BlockRecords`), other text (and UTF-8 that must be read in
    order) by pyarrow's streaming reader (:class:`_StreamedRecords`). The
    header is read as the first record. A record with more or fewer cells
    than the header is reported and left out; its row number is its record
    number. The batches' cells are cleaned (:func:`clean`)."""

    def __init__(self, path: str, source: Source, limits: Limits, transcode: bool,
                 in_order: bool = False) -> None:
        self.source = source
        self.notes = ReaderNotes()
        self.header_row = 1
        self._limits = limits
        self._transcoded = transcode or source.encoding != "utf-8"
        self._in_order = in_order or self._transcoded
        self._skipped: list[int] = []
        self._records: Optional[_Records] = None
        try:
            self._records = self._open(path)
        except BaseException:
            self.close()
            raise
        if self._records.header is None:
            self.close()
            raise UnreadableFile("file.empty", Message(N_("The file is empty.")))
        self.header = self._records.header

    def _open(self, path: str) -> _Records:
        delimiter = self.source.delimiter or ","
        try:
            if not self._in_order:
                return _BlockRecords(path, self._limits, delimiter, self._invalid_row)
            stream: Any = open(path, "rb")
            if self._transcoded:
                stream = io.BufferedReader(
                    TranscodingReader(stream, self.source.encoding or "utf-8", self.notes.undecodable),
                    TranscodingReader.CHUNK)
            return _StreamedRecords(stream, self._limits, delimiter, self._invalid_row)
        except pa.ArrowInvalid as error:
            raise self._unreadable(error, row=1)

    def _invalid_row(self, row: _InvalidRow) -> None:
        number, text, cells = row
        line = number if number >= 0 else None
        if line is None:  # not known (not expected with one thread): after the last one
            line = (self._skipped[-1] + 1) if self._skipped else 0
        self._skipped.append(line)
        if not text.strip(" \t\r\n" + (self.source.delimiter or ",")):
            self.notes.blank_lines.add(line)
        else:
            self.notes.ragged.add(line, str(cells))

    def _unreadable(self, error: Exception, row: int) -> Exception:
        text = str(error)
        if "invalid UTF8" in text and not self._transcoded:
            return RestartWithTranscoding()
        if not self._in_order:  # the streaming reader tells what and where
            return RestartInOrder()
        if "straddling" in text or "cannot infer number of columns" in text:  # a row longer than a block
            return UnreadableFile("file.line_too_long", Message(N_(
                "A line longer than {limit} MB was found at or after row {row}: the file is not "
                "a table that can be read."),
                row=row, limit=f"{self._limits.max_line_bytes / MIB:g}"))
        return UnreadableFile("file.corrupt", Message(
            N_("The file cannot be read after row {row}: {reason}"), row=row, reason=text))

    def _next_arrow_batch(self, row: int) -> Optional[pa.RecordBatch]:
        assert self._records is not None
        try:
            return self._records.next()
        except pa.ArrowInvalid as error:
            raise self._unreadable(error, row) from None

    def batches(self) -> Iterator[Batch]:
        names = [column_name(i) for i in range(len(self.header))]
        pending: list[pa.RecordBatch] = []
        segments: list[Segment] = []
        rows_in_pending = 0
        next_record_row = 2  # the row number the next record would have if none were skipped
        skipped_seen = 0
        carried: list[int] = []
        batch_rows = min(self._limits.first_batch_rows, self._limits.batch_rows)
        while True:
            arrow_batch = self._next_arrow_batch(next_record_row)
            if arrow_batch is None:
                break
            new_skips = sorted(carried + self._skipped[skipped_seen:])
            skipped_seen = len(self._skipped)
            batch_segments, next_record_row, carried = _segments(
                rows_in_pending, arrow_batch.num_rows, next_record_row, new_skips)
            _extend_segments(segments, batch_segments)
            if arrow_batch.num_rows:
                pending.append(arrow_batch)
                rows_in_pending += arrow_batch.num_rows
            if rows_in_pending >= batch_rows:
                yield _arrow_batch(pending, names, segments)
                pending, segments, rows_in_pending = [], [], 0
                batch_rows = self._limits.batch_rows
        if rows_in_pending:
            yield _arrow_batch(pending, names, segments)

    def close(self) -> None:
        if self._records is not None:
            self._records.close()


def _too_wide(columns: int, limits: Limits) -> UnreadableFile:
    return UnreadableFile("file.too_wide", Message(N_(
        "The table has {columns} columns, more than the {limit} the checker reads."),
        columns=columns, limit=limits.max_columns))


def _segments(offset: int, rows: int, next_row: int,
              skips: list[int]) -> tuple[list[Segment], int, list[int]]:
    """Where ``rows`` records (at ``offset`` in the batch) sit, given that
    the next one would be row ``next_row`` and that the lines ``skips``
    (ragged or blank, sorted) were left out. Returns the segments, the row
    number after them, and the skips that lie beyond these records (read
    ahead: they belong to the next block). A line number behind the records
    (cells with line breaks make lines and rows differ) is ignored."""
    segments: list[Segment] = []
    left = rows
    for index, skip in enumerate(skips):
        if skip < next_row:
            continue
        gap = skip - next_row
        if gap > left:
            if left:
                segments.append(Segment(offset, left, next_row))
            return segments, next_row + left, skips[index:]
        if gap:
            segments.append(Segment(offset, gap, next_row))
            offset += gap
            left -= gap
        next_row = skip + 1
    if left:
        segments.append(Segment(offset, left, next_row))
        next_row += left
    return segments, next_row, []


def _extend_segments(segments: list[Segment], more: list[Segment]) -> None:
    for segment in more:
        if segments and (segments[-1].offset + segments[-1].length == segment.offset
                         and segments[-1].first_row + segments[-1].length == segment.first_row):
            last = segments.pop()
            segment = Segment(last.offset, last.length + segment.length, last.first_row)
        segments.append(segment)


def _arrow_batch(pending: list[pa.RecordBatch], names: list[str], segments: list[Segment]) -> Batch:
    frame = pl.from_arrow(pa.Table.from_batches(pending).rename_columns(names))
    assert isinstance(frame, pl.DataFrame)
    return Batch(frame, tuple(segments))


def _blank_to_none(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.select([pl.when(pl.col(name).str.len_bytes() > 0).then(pl.col(name)).alias(name)
                         for name in frame.columns])


def clean(frame: pl.DataFrame) -> pl.DataFrame:
    """Cells stripped of surrounding white space (Unicode's, which includes
    the no-break space), blank ones ``None``."""
    return _blank_to_none(frame.select(pl.all().str.strip_chars()))


# -- rows built in Python (workbooks, JSON) ---------------------------------------------------

def _python_batches(rows: Iterator[tuple[int, list[Optional[str]]]], width: int,
                    batch_rows: int) -> Iterator[Batch]:
    """Batches from (row number, cells) pairs, ``width`` cells each."""
    names = [column_name(i) for i in range(width)]
    schema = {name: pl.String for name in names}
    columns: list[list[Optional[str]]] = [[] for _ in range(width)]
    segments: list[Segment] = []
    count = 0
    for number, cells in rows:
        _extend_segments(segments, [Segment(count, 1, number)])
        for column, cell in zip(columns, cells):
            column.append(cell)
        count += 1
        if count >= batch_rows:
            yield Batch(clean(pl.DataFrame(dict(zip(names, columns)), schema=schema)), tuple(segments))
            columns, segments, count = [[] for _ in range(width)], [], 0
    if count:
        yield Batch(clean(pl.DataFrame(dict(zip(names, columns)), schema=schema)), tuple(segments))


def cell_text(value: Any) -> Optional[str]:
    """A workbook's or JSON's cell as text: a whole number without ".0",
    other numbers as Python writes them (12.646), dates and times in ISO
    8601 (a date alone when there is no time of day), booleans as TRUE /
    FALSE (a spreadsheet's words), nested JSON as JSON."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e16 else repr(value)
    if isinstance(value, (int, Decimal)):
        return str(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


class SheetTable(Table):
    """One worksheet of a workbook. The header is its first non-empty
    row; the table's columns run from the header's first to its last
    non-empty cell. Cells outside them are reported with the ragged rows;
    empty rows at the end of the sheet (formatting left behind) are not
    rows of the table.

    ``rows(first_row, last_column)`` gives (row number, cells) from the
    sheet's row ``first_row`` on, at most ``last_column`` cells a row: the
    header is looked for in rows as wide as the widest table read, the
    data rows are read only a little wider than the header (a sheet whose
    formatting reaches column XFD is not read 16,384 cells a row)."""

    MARGIN = 64
    """Cells right of the header that are still looked at (for stray values)."""

    def __init__(self, source: Source, rows: Callable[[int, int], Iterator[tuple[int, Sequence[Any]]]],
                 limits: Limits, on_close: Callable[[], None]) -> None:
        self.source = source
        self.notes = ReaderNotes()
        self._limits = limits
        self._on_close = on_close
        self._rows: Iterator[tuple[int, Sequence[Any]]] = iter(())
        for number, cells in rows(1, limits.max_columns + 1):
            texts = [cell_text(cell) for cell in cells]
            filled = [i for i, text in enumerate(texts) if text is not None and text.strip()]
            if filled:
                self._start, self._end = filled[0], filled[-1] + 1
                if self._end - self._start > limits.max_columns:
                    on_close()
                    raise _too_wide(self._end - self._start, limits)
                self.header = [text or "" for text in texts[self._start:self._end]]
                self.header_row = number
                self._rows = rows(number + 1, self._end + self.MARGIN)
                return
        on_close()
        raise UnreadableFile("file.empty", Message(N_("The worksheet “{sheet}” is empty."),
                                                   sheet=source.sheet or ""))

    def _table_rows(self) -> Iterator[tuple[int, list[Optional[str]]]]:
        width = self._end - self._start
        empty_run: list[int] = []
        empty: list[Optional[str]] = [None] * width
        for number, cells in self._rows:
            texts = [cell_text(cell) for cell in cells[self._start:self._end]]
            if len(texts) < width:
                texts.extend([None] * (width - len(texts)))
            outside = sum(cell is not None and cell != "" for cell in cells[:self._start]) + sum(
                cell is not None and cell != "" for cell in cells[self._end:])
            if outside:
                self.notes.ragged.add(number, str(width + outside))
            if all(text is None or not text.strip() for text in texts):
                empty_run.append(number)  # kept until a row with data follows
                if len(empty_run) > self._limits.python_batch_rows:
                    yield from ((row, empty) for row in empty_run)
                    empty_run = []
                continue
            yield from ((row, empty) for row in empty_run)
            empty_run = []
            yield number, texts

    def batches(self) -> Iterator[Batch]:
        try:
            yield from _python_batches(self._table_rows(), self._end - self._start,
                                       self._limits.python_batch_rows)
        except UnreadableFile:
            raise
        except Exception as error:  # a damaged workbook makes its parser raise anything
            raise UnreadableFile("file.corrupt", Message(
                N_("The workbook is damaged: {reason}"), reason=f"{type(error).__name__}: {error}"))

    def close(self) -> None:
        self._on_close()


_EXCEL_MAX_ROWS = 1_048_576


def _check_zip(path: str, limits: Limits) -> None:
    """Refuse a ZIP whose declared sizes would inflate past the limits."""
    with zipfile.ZipFile(path) as archive:
        members = archive.infolist()
    if len(members) > limits.max_zip_members:
        raise _zip_bomb()
    total = 0
    for member in members:
        total += member.file_size
        if member.file_size > MIB and member.file_size > limits.max_zip_ratio * max(member.compress_size, 1):
            raise _zip_bomb()
    if total > limits.max_unzipped_bytes:
        raise _zip_bomb()


def _zip_bomb() -> UnreadableFile:
    return UnreadableFile("file.zip_bomb", Message(N_(
        "The workbook would inflate to far more data than it holds (a zip bomb?): it was not opened.")))


def open_xlsx(path: str, limits: Limits, sheet_index: int = 0) -> SheetTable:
    try:
        _check_zip(path, limits)
    except (zipfile.BadZipFile, OSError) as error:
        raise UnreadableFile("file.corrupt", Message(N_("The workbook is damaged: {reason}"),
                                                     reason=str(error)))
    import openpyxl

    stream = open(path, "rb")  # a file object: openpyxl would refuse a name not ending in .xlsx

    def close() -> None:
        workbook.close()
        stream.close()

    try:
        workbook = openpyxl.load_workbook(stream, read_only=True, data_only=True)
    except Exception as error:  # a damaged workbook makes openpyxl raise anything
        stream.close()
        raise UnreadableFile("file.corrupt", Message(
            N_("The workbook is damaged: {reason}"), reason=f"{type(error).__name__}: {error}"))
    if not workbook.worksheets:
        close()
        raise UnreadableFile("file.empty", Message(N_("The workbook has no worksheet.")))
    sheet = workbook.worksheets[sheet_index]
    source = Source(format=XLSX, sheet=sheet.title, sheets=tuple(ws.title for ws in workbook.worksheets))
    def rows(first_row: int, last_column: int) -> Iterator[tuple[int, Sequence[Any]]]:
        # max_row given: without it openpyxl first reads the whole sheet to
        # size it when the file does not say its dimensions
        return enumerate(sheet.iter_rows(min_row=first_row, max_row=_EXCEL_MAX_ROWS,
                                         max_col=last_column, values_only=True), start=first_row)

    try:
        return SheetTable(source, rows, limits, close)
    except UnreadableFile:
        raise
    except Exception as error:
        close()
        raise UnreadableFile("file.corrupt", Message(
            N_("The workbook is damaged: {reason}"), reason=f"{type(error).__name__}: {error}"))


def worksheet_names(path: str, limits: Limits = Limits()) -> tuple[str, ...]:
    """The worksheets of a workbook, in order; ``()`` for any other file, or
    a workbook that cannot be opened (opening it to check says why)."""
    try:
        source = sniff(path, limits)
    except UnreadableFile:
        return ()
    try:
        if source.format == XLSX:
            _check_zip(path, limits)
            import openpyxl

            with open(path, "rb") as stream:
                workbook = openpyxl.load_workbook(stream, read_only=True, data_only=True)
                try:
                    return tuple(sheet.title for sheet in workbook.worksheets)
                finally:
                    workbook.close()
        if source.format == XLS:
            import xlrd

            book = xlrd.open_workbook(path, on_demand=True)
            try:
                return tuple(book.sheet_names())
            finally:
                book.release_resources()
    except Exception:  # a damaged workbook: checking its first sheet reports it
        return ()
    return ()


def open_xls(path: str, limits: Limits, sheet_index: int = 0) -> SheetTable:
    import xlrd

    try:
        book = xlrd.open_workbook(path, on_demand=True)
        sheet = book.sheet_by_index(sheet_index)
    except Exception as error:  # xlrd raises its own and struct errors on damaged files
        raise UnreadableFile("file.corrupt", Message(N_(
            "The file is not an Excel workbook that can be read (a damaged XLS, or a Word or "
            "other Office file): {reason}"), reason=f"{type(error).__name__}: {error}"))
    source = Source(format=XLS, sheet=sheet.name, sheets=tuple(book.sheet_names()))

    def value(cell: Any) -> Any:
        if cell.ctype == xlrd.XL_CELL_DATE:
            try:
                return xlrd.xldate.xldate_as_datetime(cell.value, book.datemode)
            except (ValueError, OverflowError, xlrd.xldate.XLDateError):
                return cell.value
        if cell.ctype == xlrd.XL_CELL_BOOLEAN:
            return bool(cell.value)
        if cell.ctype == xlrd.XL_CELL_ERROR:
            return xlrd.error_text_from_code.get(cell.value, "#ERROR")
        if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
            return None
        return cell.value

    def rows(first_row: int, last_column: int) -> Iterator[tuple[int, Sequence[Any]]]:
        return ((number + 1, [value(cell) for cell in sheet.row_slice(number, 0, last_column)])
                for number in range(first_row - 1, sheet.nrows))

    return SheetTable(source, rows, limits, book.release_resources)


# -- JSON -------------------------------------------------------------------------------------

class JsonTable(Table):
    """A JSON array of records (objects), parsed one record at a time with
    ijson. The columns are the first record's keys; keys that later records
    add are reported (``extra_keys``) and left out; a missing key is an
    empty cell. Rows are the records' positions in the array, from 1."""

    def __init__(self, path: str, source: Source, limits: Limits) -> None:
        import ijson

        self.source = source
        self.notes = ReaderNotes()
        self.header_row = 0
        self._limits = limits
        self._stream = open(path, "rb")
        start = self._stream.read(limits.sample_bytes)
        offset = len(codecs.BOM_UTF8) if start.startswith(codecs.BOM_UTF8) else 0
        first = start[offset:].lstrip()[:1]
        if first != b"[":
            self._stream.close()
            raise UnreadableFile("file.not_records", Message(N_(
                "The JSON file holds one object, not an array of records: publish the records "
                "as a JSON array of objects (or as CSV).")))
        self._stream.seek(offset)
        self._items = ijson.items(self._stream, "item")
        self._ijson_error = ijson.JSONError
        self._position = 0
        self._records_left = self._records()
        try:
            self._first: Optional[dict[str, Any]] = next(self._records_left, None)
        except UnreadableFile:
            self._stream.close()
            raise
        self._first_position = self._position
        self.header = [str(key) for key in self._first] if self._first is not None else []
        if len(self.header) > limits.max_columns:
            self._stream.close()
            raise _too_wide(len(self.header), limits)

    def _records(self) -> Iterator[dict[str, Any]]:
        """The objects of the array, non-objects noted; ``_position`` is the
        position of the last one given."""
        try:
            for item in self._items:
                self._position += 1
                if isinstance(item, dict):
                    yield item
                else:
                    self.notes.not_records.add(self._position, type(item).__name__)
        except self._ijson_error as error:
            raise UnreadableFile("file.corrupt", Message(N_(
                "The JSON file is broken after record {row}: {reason}"),
                row=self._position, reason=str(error)))

    def _rows(self) -> Iterator[tuple[int, list[Optional[str]]]]:
        keys = self.header
        known = set(keys)
        record: Optional[dict[str, Any]] = self._first
        number = self._first_position
        while record is not None:
            extra = [str(key) for key in record if str(key) not in known]
            if extra:
                self.notes.extra_keys.add(number, ", ".join(extra[:MAX_EXAMPLES]))
            yield number, [cell_text(record.get(key)) for key in keys]
            record = next(self._records_left, None)
            number = self._position

    def batches(self) -> Iterator[Batch]:
        if not self.header:
            return iter(())
        return _python_batches(self._rows(), len(self.header), self._limits.python_batch_rows)

    def close(self) -> None:
        self._stream.close()


# -- opening ----------------------------------------------------------------------------------

def open_table(path: str, limits: Limits = Limits(), *, transcode: bool = False,
               in_order: bool = False, sheet_index: int = 0) -> Table:
    """The file at ``path`` opened as a :class:`Table` (close it, or use it
    in a ``with``). ``transcode``: read UTF-8 text through
    :class:`TranscodingReader` (after :class:`RestartWithTranscoding`);
    ``in_order``: read UTF-8 text on one thread (after
    :class:`RestartInOrder`); ``sheet_index``: which worksheet of a
    workbook (from 0; see :attr:`Source.sheets`).
    Raises :class:`UnreadableFile`."""
    source = sniff(path, limits)
    if source.format == XLSX:
        return open_xlsx(path, limits, sheet_index)
    if source.format == XLS:
        return open_xls(path, limits, sheet_index)
    if source.format == JSON:
        return JsonTable(path, source, limits)
    return DelimitedTable(path, source, limits, transcode, in_order)

