"""Converting a PDF's tables and a workbook's sheets to CSV (playbook step
3.6.1: data published in an open, machine-readable format).

Plain Python: the background job hands over a local file, an output
directory and the source's name, and turns each :class:`OutputFile` of the
:class:`Conversion` into a new resource of the same dataset, which the
publisher reviews before it is published.

- :func:`pdf_tables_to_csv` finds the ruled tables on every page with
  pdfplumber and writes one CSV per table *shape*: a table continued over
  pages (its header repeated on each page or not) is one CSV; a table with
  another header starts a new CSV. Pages with text but no table, pages that
  are pictures (scans: they need OCR, which the portal does not do) and
  characters the PDF's fonts do not name are reported as ``problems``.
- :func:`xlsx_to_csv` writes every non-empty worksheet of an XLSX (read
  with openpyxl, row by row) or XLS (xlrd) workbook to its own CSV, with
  cells written as a person reads them in the spreadsheet: dates as ISO
  dates, numbers without binary float noise, codes kept with their leading
  zeros.

Every output is UTF-8 **without** a byte-order mark, comma-separated,
quoted where needed (RFC 4180). The national catalogs' own files (the
data.go.th sub-district file in ``shared/samples`` is one) are UTF-8
without BOM, and the readers a CSV resource goes to next — CKAN's
DataStore loader, the quality checker, pandas and polars, the national
portal's harvester — read it as it is; a BOM is at best skipped and at
worst glued to the first column's name ("\\ufeffid"). Excel users open the
file through Data > From Text/CSV, which asks for the encoding.

Hostile files are refused with a :class:`ConversionError` (a
:class:`~ckanext.opendata_th.playbook.messages.MessageError`, so the glue
shows why in the user's language), never a crash or a hung worker:
:class:`ConvertLimits` bounds the input size, the pages, the rows written,
the wall-clock time (checked between pages and every few thousand rows)
and, for an XLSX, the sizes its ZIP declares (checked before openpyxl
opens it). When a conversion fails, the files it had written are removed.
"""
from __future__ import annotations

import csv
import datetime as dt
import logging
import os
import re
import time
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Optional, Union

from ckanext.opendata_th.playbook.messages import Message, MessageError, N_

log = logging.getLogger(__name__)

KIB = 1024
MIB = 1024 * KIB
GIB = 1024 * MIB

PathLike = Union[str, "os.PathLike[str]"]


# -- public shapes ---------------------------------------------------------------------------

@dataclass(frozen=True)
class ConvertLimits:
    """Bounds that keep one conversion from taking a worker's memory or
    time. Exceeding one raises :class:`ConversionError` naming it."""

    max_pages: int = 500
    """Pages of a PDF converted at most (checked before the first page is read)."""
    max_input_bytes: int = 100 * MIB
    """Size of the file to convert."""
    max_output_rows: int = 1_000_000
    """Data rows written in all, over every CSV of one conversion
    (data.go.th's guidance: about a million rows a file at most)."""
    max_seconds: float = 600.0
    """Wall-clock time of one conversion, checked between pages and every
    :data:`ROWS_BETWEEN_CLOCK_CHECKS` rows. A single pathological page can
    overrun it: the background job's own time limit (set a little longer)
    is the hard stop."""
    max_unpacked_bytes: int = 1 * GIB
    """XLSX: the uncompressed size all the parts of its ZIP declare.
    Python's zipfile stops inflating a part at its declared size (and then
    fails its checksum), so the declared sizes bound what is read."""
    max_compression_ratio: float = 200.0
    """XLSX: declared uncompressed / compressed size of any part over
    :data:`RATIO_CHECKED_FROM_BYTES`. Sheet XML compresses 5 to 50 times;
    zip bombs thousands of times. (The quality checker uses the same bound.)"""
    max_zip_members: int = 10_000
    """XLSX: parts its ZIP may hold."""


ROWS_BETWEEN_CLOCK_CHECKS = 2_000
RATIO_CHECKED_FROM_BYTES = 1 * MIB


@dataclass(frozen=True)
class OutputFile:
    """One CSV written by a conversion: the glue makes it a resource."""

    path: Path
    title: Message
    """The resource's name: the source's name (data, often Thai) and which
    table or sheet, e.g. "รายงาน 2567 — ตารางที่ 1" once rendered in Thai."""
    header: tuple[str, ...]
    """The CSV's first row."""
    row_count: int
    """Data rows, the header not counted."""
    pages: tuple[int, ...] = ()
    """PDF pages (from 1) the rows came from; empty for a worksheet."""
    sheet: Optional[str] = None
    """The worksheet's name as the workbook spells it; None for a PDF."""

    @property
    def file_name(self) -> str:
        """ASCII file name, e.g. ``report-2567-table-1.csv``."""
        return self.path.name

    def as_dict(self) -> dict[str, Any]:
        return {"path": str(self.path), "file_name": self.file_name, "title": self.title.as_dict(),
                "header": list(self.header), "row_count": self.row_count,
                "pages": list(self.pages), "sheet": self.sheet}


@dataclass(frozen=True)
class Conversion:
    """What a conversion wrote, and what the publisher should know about
    what it could not convert (``problems``: it did not stop for them)."""

    source: str
    """The source's name, as used in the titles."""
    files: tuple[OutputFile, ...]
    problems: tuple[Message, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {"source": self.source, "files": [f.as_dict() for f in self.files],
                "problems": [p.as_dict() for p in self.problems]}


class ConversionError(MessageError):
    """The file cannot be converted at all. ``code`` names the cause for
    machines (e.g. ``pdf.encrypted``, ``limit.pages``); the message says it
    for people."""

    def __init__(self, code: str, message: Message) -> None:
        self.code = code
        super().__init__(message)


# -- shared machinery ------------------------------------------------------------------------

_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_KNOWN_EXTENSIONS = re.compile(r"\.(pdf|xlsx|xlsm|xls|csv)$", re.IGNORECASE)
_SLUG_MAX = 60


def _source_name(name: Optional[str], path: Path) -> str:
    """The source's name for titles: the given name (a resource's name)
    or the file's, without its extension; underscores read as spaces."""
    text = (name or "").strip() or path.name
    text = _KNOWN_EXTENSIONS.sub("", text).replace("_", " ")
    return " ".join(text.split()) or path.name


def _file_stem(source: str, file_name: Optional[str]) -> str:
    """The slug file names start with: the source's name's, or, when that
    has nothing Latin (a Thai resource name), the original file's name's."""
    slug = file_slug(source)
    if slug == "data" and file_name:
        slug = file_slug(_KNOWN_EXTENSIONS.sub("", Path(file_name).name))
    return slug


def file_slug(name: str) -> str:
    """An ASCII slug of ``name`` for file names: Latin letters and digits
    (Thai digits read as digits), hyphen-separated, at most 60 characters;
    ``data`` when nothing is left (an all-Thai name: CKAN strips Thai from
    file names anyway, and the resource's title keeps it)."""
    ascii_text = unicodedata.normalize("NFKD", name.translate(_THAI_DIGITS))
    ascii_text = ascii_text.encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    if len(slug) > _SLUG_MAX:
        slug = slug[:_SLUG_MAX].rsplit("-", 1)[0] if "-" in slug[:_SLUG_MAX] else slug[:_SLUG_MAX]
    return slug or "data"


def _page_ranges(pages: Iterable[int]) -> str:
    """``1, 2, 3, 7`` → ``"1–3, 7"``: a page list that stays short."""
    runs: list[list[int]] = []  # [first, last]
    for page in sorted(set(pages)):
        if runs and page == runs[-1][1] + 1:
            runs[-1][1] = page
        else:
            runs.append([page, page])
    return ", ".join(str(first) if first == last else f"{first}–{last}" for first, last in runs)


class _Deadline:
    """The conversion's wall-clock limit."""

    def __init__(self, seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._seconds = seconds
        self._end = clock() + seconds

    def check(self) -> None:
        if self._clock() >= self._end:
            raise ConversionError("limit.seconds", Message(
                N_("The conversion took longer than {limit} seconds and was stopped."),
                limit=_number_words(self._seconds)))


def _number_words(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _megabytes(size: int) -> str:
    return f"{size / MIB:,.1f}"


def _check_input_size(path: Path, limits: ConvertLimits) -> None:
    try:
        size = path.stat().st_size
    except OSError as error:
        raise ConversionError("file.missing", Message(
            N_("The file to convert cannot be read: {reason}"), reason=error.strerror or str(error)))
    if size > limits.max_input_bytes:
        raise ConversionError("limit.input_bytes", Message(
            N_("The file is {size} MB; at most {limit} MB can be converted."),
            size=_megabytes(size), limit=_megabytes(limits.max_input_bytes)))


class _CsvOutput:
    """One CSV being written. Rows are written as they come (memory stays
    bounded); the first row written is the header."""

    def __init__(self, path: Path, outputs: "_Outputs") -> None:
        self.path = path
        self._outputs = outputs
        self._stream: IO[str] = path.open("x", encoding="utf-8", newline="")
        self._writer = csv.writer(self._stream)
        self.header: Optional[tuple[str, ...]] = None
        self.row_count = 0
        self.pages: set[int] = set()

    def write(self, row: Sequence[str]) -> None:
        if self.header is None:
            self.header = tuple(row)
        else:
            self._outputs.count_row()
            self.row_count += 1
        self._writer.writerow(row)

    def close(self) -> None:
        if not self._stream.closed:
            self._stream.close()


class _Outputs:
    """The CSVs of one conversion, their names, the row limit, and the
    clean-up: when the conversion fails, every file it wrote is removed."""

    def __init__(self, out_dir: PathLike, limits: ConvertLimits, deadline: _Deadline) -> None:
        self.out_dir = Path(out_dir)
        self.out_dir.mkdir(parents=True, exist_ok=True)
        self.limits = limits
        self.deadline = deadline
        self.files: list[OutputFile] = []
        self._open: list[_CsvOutput] = []
        self._written: list[Path] = []
        self._rows = 0

    def __enter__(self) -> "_Outputs":
        return self

    def __exit__(self, kind: Optional[type[BaseException]], error: Optional[BaseException],
                 trace: Optional[TracebackType]) -> None:
        for output in self._open:
            output.close()
        if error is not None:
            for path in self._written:
                path.unlink(missing_ok=True)

    def start(self, stem: str) -> _CsvOutput:
        """A new CSV named ``stem.csv`` (``stem-2.csv``... if taken)."""
        path = self.out_dir / f"{stem}.csv"
        number = 1
        while path.exists():
            number += 1
            path = self.out_dir / f"{stem}-{number}.csv"
        output = _CsvOutput(path, self)
        self._open.append(output)
        self._written.append(path)
        return output

    def finish(self, output: _CsvOutput, title: Message, *, sheet: Optional[str] = None,
               header: Optional[Sequence[str]] = None) -> None:
        output.close()
        self._open.remove(output)
        self.files.append(OutputFile(
            path=output.path, title=title, header=tuple(header if header is not None else output.header or ()),
            row_count=output.row_count, pages=tuple(sorted(output.pages)), sheet=sheet))

    def count_row(self) -> None:
        self._rows += 1
        if self._rows > self.limits.max_output_rows:
            raise ConversionError("limit.rows", Message(
                N_("The conversion was stopped: it would write more than {limit} rows."),
                limit=f"{self.limits.max_output_rows:,}"))
        if self._rows % ROWS_BETWEEN_CLOCK_CHECKS == 0:
            self.deadline.check()


# -- PDF -------------------------------------------------------------------------------------

_PDF_MAGIC = b"%PDF-"
_PDF_HEADER_WINDOW = 1024
"""Bytes in which the ``%PDF-`` header must appear (readers allow junk before it)."""

_ZERO_WIDTH = re.compile("[\u200b\u2060\ufeff\u00ad]")
"""Zero-width space, word joiner, BOM and soft hyphen: word-break hints
and hyphenation left in the text, never data."""
_WHITESPACE = re.compile(r"\s+")
_SARA_AM = re.compile("([\u0e48-\u0e4b]?)\u0e4d([\u0e48-\u0e4b]?)\u0e32")
"""NIKHAHIT then SARA AA (a tone mark before, between or none): SARA AM
drawn as two glyphs, which some fonts do and their PDFs name so."""
_UNNAMED_GLYPH = re.compile(r"\(cid:\d+\)")
_NUMBER = re.compile(r"^[-+(]?[\d๐-๙][\d๐-๙,. ]*%?\)?$")
_THAI_VOWEL_MARKS = frozenset("\u0e31\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e3a\u0e47")
"""Marks written right after their consonant: above and below vowels, MAITAIKHU."""
_THAI_UPPER_MARKS = frozenset("\u0e48\u0e49\u0e4a\u0e4b\u0e4c\u0e4d\u0e4e")
"""Tone marks, THANTHAKHAT, NIKHAHIT, YAMAKKAN: written after the vowel mark."""


def _is_thai(char: str) -> bool:
    return "\u0e01" <= char <= "\u0e5b"


def _is_mark(text: str) -> bool:
    return bool(text) and unicodedata.category(text[0]) in ("Mn", "Me")


def _mark_rank(mark: str) -> int:
    return 1 if mark[:1] in _THAI_UPPER_MARKS else 0


def clean_cell(text: str) -> str:
    """A table cell's text as one line: zero-width characters dropped,
    SARA AM made whole, whitespace runs collapsed to one space and trimmed.
    A bare line break between two Thai characters is dropped instead: Thai
    writes no spaces between words and wraps lines between them (or, in a
    narrow cell, inside a word), so a space there would split a phrase or
    a word. A space the PDF draws at the end of the line is kept; one it
    left out at a wrap (some producers do) cannot be told from a word
    break and is lost."""
    text = _SARA_AM.sub(lambda m: m.group(1) + m.group(2) + "\u0e33", _ZERO_WIDTH.sub("", text))

    def joined(match: re.Match[str]) -> str:
        run, start, end = match.group(), match.start(), match.end()
        if (set(run) <= {"\n", "\r"} and 0 < start and end < len(text)
                and _is_thai(text[start - 1]) and _is_thai(text[end])):
            return ""
        return " "

    return _WHITESPACE.sub(joined, text).strip()


@dataclass
class _Cluster:
    """A base character and the marks drawn over or under it (a Thai
    consonant with its vowel and tone marks), in the order the PDF's
    content stream gives them — the order they were typed."""

    base: Mapping[str, Any]
    marks: list[str] = field(default_factory=list)

    @property
    def x0(self) -> float:
        return float(self.base["x0"])

    @property
    def x1(self) -> float:
        return float(self.base["x1"])

    @property
    def top(self) -> float:
        return float(self.base["top"])

    @property
    def size(self) -> float:
        return float(self.base.get("size") or 10.0)

    @property
    def mid_x(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def mid_y(self) -> float:
        return (self.top + float(self.base["bottom"])) / 2

    def text(self) -> str:
        # Vowel marks before tone marks, as Thai is typed: a PDF may draw
        # (and so list) the tone mark first.
        return str(self.base["text"]) + "".join(sorted(self.marks, key=_mark_rank))


def _deduplicated(chars: Sequence[Mapping[str, Any]], tolerance: float = 1.0) -> list[Mapping[str, Any]]:
    """The page's characters without those drawn twice (or more) at the
    same place: some PDFs fake bold by drawing each character again a
    fraction of a point away. Stream order kept; linear time."""
    grid: dict[tuple[int, int], list[Mapping[str, Any]]] = {}
    kept: list[Mapping[str, Any]] = []
    for char in chars:
        x, y = float(char["x0"]), float(char["top"])
        cell = (int(x // tolerance), int(y // tolerance))
        duplicate = False
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                for other in grid.get((cell[0] + dx, cell[1] + dy), ()):
                    if (other["text"] == char["text"] and other.get("fontname") == char.get("fontname")
                            and abs(float(other["x0"]) - x) <= tolerance
                            and abs(float(other["top"]) - y) <= tolerance):
                        duplicate = True
        if not duplicate:
            grid.setdefault(cell, []).append(char)
            kept.append(char)
    return kept


def _clusters(chars: Sequence[Mapping[str, Any]]) -> list[_Cluster]:
    """Group the page's characters (stream order) into clusters: a mark
    belongs to the character before it when it is drawn near it. Sorting
    single characters by position (as text extractors do) would put a
    Thai tone mark that a font shifts left before its vowel, or past the
    next consonant."""
    clusters: list[_Cluster] = []
    for char in chars:
        text = str(char.get("text") or "")
        if not text:
            continue
        last = clusters[-1] if clusters else None
        if (last is not None and _is_mark(text)
                and abs(float(char["top"]) - last.top) <= last.size
                and last.x0 - last.size <= float(char["x0"]) <= last.x1 + last.size):
            last.marks.append(text)
        else:
            clusters.append(_Cluster(char))
    return clusters


def _cell_text(clusters: Sequence[_Cluster]) -> str:
    """The text of the clusters of one cell: lines top to bottom, each
    left to right, a space where a gap wider than a third of the font size
    separates two clusters (PDFs often place words without space
    characters)."""
    if not clusters:
        return ""
    lines: list[list[_Cluster]] = []
    for cluster in sorted(clusters, key=lambda c: c.top):
        if lines and cluster.top - lines[-1][0].top <= 0.5 * lines[-1][0].size:
            lines[-1].append(cluster)
        else:
            lines.append([cluster])
    texts = []
    for line in lines:
        line.sort(key=lambda c: c.x0)
        pieces = [line[0].text()]
        for previous, cluster in zip(line, line[1:]):
            if cluster.x0 - previous.x1 > cluster.size / 3:
                pieces.append(" ")
            pieces.append(cluster.text())
        texts.append("".join(pieces))
    return "\n".join(texts)


@dataclass
class _PageTable:
    """One table found on a page: its rows of cleaned cells and where its
    columns start (to tell a continued table from another one)."""

    rows: list[list[str]]
    columns: tuple[float, ...]
    page: int
    first_on_page: bool
    last_on_page: bool


@dataclass
class _PageResult:
    tables: list[_PageTable]
    has_text: bool
    has_images: bool
    unnamed_glyphs: bool


def _table_rows(table: Any, clusters: Sequence[_Cluster]) -> list[list[str]]:
    """The cells of a pdfplumber table, each cell's text from the clusters
    whose base character's middle lies in it (as pdfplumber assigns
    characters), built by :func:`_cell_text`. Rows with no text at all
    (thin rows between double rules) are dropped."""
    x0, top, x1, bottom = table.bbox
    inside = sorted((c for c in clusters if x0 <= c.mid_x < x1 and top <= c.mid_y < bottom),
                    key=lambda c: c.mid_y)
    tops = [c.mid_y for c in inside]
    rows = []
    for row in table.rows:
        cells = []
        for cell in row.cells:
            if cell is None:
                cells.append("")
                continue
            cx0, ctop, cx1, cbottom = cell
            first, last = _bisect(tops, ctop), _bisect(tops, cbottom)
            cells.append(clean_cell(_cell_text(
                [c for c in inside[first:last] if cx0 <= c.mid_x < cx1])))
        if any(cells):
            rows.append(cells)
    return rows


def _bisect(values: Sequence[float], value: float) -> int:
    low, high = 0, len(values)
    while low < high:
        middle = (low + high) // 2
        if values[middle] < value:
            low = middle + 1
        else:
            high = middle
    return low


def _read_page(page: Any, number: int) -> _PageResult:
    chars = _deduplicated([c for c in page.chars if c.get("upright", True)])
    has_images = bool(page.images)
    if not chars:
        return _PageResult([], False, has_images, False)
    clusters = _clusters(chars)
    found: list[_PageTable] = []
    for table in page.find_tables():
        rows = _table_rows(table, clusters)
        if not rows or (len(rows) == 1 and len(rows[0]) == 1):
            continue  # a frame around a paragraph, not a table
        columns = tuple(sorted({round(cell[0], 1) for cell in table.cells})) + (round(table.bbox[2], 1),)
        found.append(_PageTable(rows, columns, number, first_on_page=not found, last_on_page=False))
    if found:
        found[-1].last_on_page = True
    unnamed = any(_UNNAMED_GLYPH.search(cell) for table in found for row in table.rows for cell in row)
    return _PageResult(found, True, has_images, unnamed)


def _same_layout(one: Sequence[float], other: Sequence[float], tolerance: float) -> bool:
    return len(one) == len(other) and all(abs(a - b) <= tolerance for a, b in zip(one, other))


def _is_number(text: str) -> bool:
    return bool(_NUMBER.match(text))


class _TableJoiner:
    """Writes the tables of a PDF, page after page, into CSVs: a table
    whose header is the open CSV's header is appended to it (its header
    row dropped), and so is a table that goes on at the top of the next
    page with the same columns and no header of its own; any other table
    starts a new CSV."""

    def __init__(self, outputs: _Outputs, name: str, slug: str) -> None:
        self._outputs = outputs
        self._name = name
        self._slug = slug
        self._output: Optional[_CsvOutput] = None
        self._header: list[str] = []
        self._columns: tuple[float, ...] = ()
        self._last: Optional[_PageTable] = None
        self._numeric: list[int] = []
        self._filled: list[int] = []
        self._count = 0

    def add(self, table: _PageTable, page_width: float) -> None:
        header, rows = table.rows[0], table.rows[1:]
        if self._output is not None and header == self._header:
            self._append(table, rows)
        elif self._output is not None and self._continues(table, page_width):
            self._append(table, table.rows)
        else:
            self.close()
            self._count += 1
            self._output = self._outputs.start(f"{self._slug}-table-{self._count}")
            self._header = header
            self._columns = table.columns
            self._numeric = [0] * len(header)
            self._filled = [0] * len(header)
            self._output.write(header)
            self._append(table, rows)
        self._last = table

    def _continues(self, table: _PageTable, page_width: float) -> bool:
        last = self._last
        if last is None or not (table.first_on_page and last.last_on_page and table.page == last.page + 1):
            return False
        if len(table.rows[0]) != len(self._header):
            return False
        if not _same_layout(table.columns, self._columns, max(3.0, 0.01 * page_width)):
            return False
        return not self._looks_like_header(table.rows[0])

    def _looks_like_header(self, row: Sequence[str]) -> bool:
        """A row that is all text (no cell empty, none a number) where the
        table so far holds numbers in some column is a new table's header."""
        if not all(row) or any(_is_number(cell) for cell in row):
            return False
        return any(numeric * 2 > filled for numeric, filled in zip(self._numeric, self._filled))

    def _append(self, table: _PageTable, rows: Sequence[Sequence[str]]) -> None:
        assert self._output is not None
        self._output.pages.add(table.page)
        for row in rows:
            for index, cell in enumerate(row[:len(self._filled)]):
                if cell:
                    self._filled[index] += 1
                    self._numeric[index] += _is_number(cell)
            self._output.write(row)

    def close(self) -> None:
        if self._output is not None:
            self._outputs.finish(self._output, Message(
                N_("{name} — table {number}"), name=self._name, number=self._count))
            self._output = None


def _pdf_error(code: str, message: str) -> ConversionError:
    return ConversionError(code, Message(message))


def _open_pdf(path: Path) -> Any:
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfplumber.utils.exceptions import PdfminerException

    try:
        return pdfplumber.open(path)
    except PdfminerException as error:
        cause = error.args[0] if error.args else error
        if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)):
            raise _pdf_error("pdf.encrypted", N_(
                "This PDF is protected by a password: remove the protection and upload it again."))
        raise _pdf_error("pdf.damaged", N_("This PDF is damaged and cannot be read."))
    except Exception:  # pdfminer raises many kinds of errors on broken files
        log.info("PDF %s cannot be opened", path, exc_info=True)
        raise _pdf_error("pdf.damaged", N_("This PDF is damaged and cannot be read."))


def pdf_tables_to_csv(pdf_path: PathLike, out_dir: PathLike, *, name: Optional[str] = None,
                      file_name: Optional[str] = None,
                      limits: ConvertLimits = ConvertLimits()) -> Conversion:
    """Write the tables of the PDF at ``pdf_path`` as CSV files in
    ``out_dir``, one per table shape (see :class:`_TableJoiner`), named
    ``<slug>-table-<n>.csv``. ``name`` is the source's name for titles and
    file names (a resource's name; the file's own name by default);
    ``file_name``, the name the file was published under, names the files
    when ``name`` has no Latin letters or digits (a Thai name).

    Tables are found from their rules (pdfplumber's "lines" strategy):
    tables drawn without lines are not seen, and their pages are reported
    as pages with no table. A cell's text keeps the order Thai was typed
    in (see :func:`_clusters`) and is cleaned by :func:`clean_cell`.

    Raises :class:`ConversionError` for a file that is not a PDF, a
    damaged or password-protected PDF, and any limit exceeded."""
    path = Path(pdf_path)
    source = _source_name(name, path)
    _check_input_size(path, limits)
    with path.open("rb") as stream:
        if _PDF_MAGIC not in stream.read(_PDF_HEADER_WINDOW):
            raise _pdf_error("pdf.not_pdf", N_("This file is not a PDF."))
    deadline = _Deadline(limits.max_seconds)
    pdf = _open_pdf(path)
    try:
        try:
            page_count = len(pdf.pages)
        except Exception:  # a broken page tree
            log.info("PDF %s has no readable page tree", path, exc_info=True)
            raise _pdf_error("pdf.damaged", N_("This PDF is damaged and cannot be read."))
        if page_count > limits.max_pages:
            raise ConversionError("limit.pages", Message(
                N_("The PDF has {pages} pages; at most {limit} can be converted."),
                pages=page_count, limit=limits.max_pages))
        with _Outputs(out_dir, limits, deadline) as outputs:
            joiner = _TableJoiner(outputs, source, _file_stem(source, file_name))
            no_table: list[int] = []
            pictures: list[int] = []
            unreadable: list[int] = []
            unnamed: list[int] = []
            any_text = False
            for number, page in enumerate(pdf.pages, start=1):
                deadline.check()
                try:
                    result = _read_page(page, number)
                    width = float(page.width)
                except Exception:  # pdfminer raises anything on a damaged page; the others go on
                    log.info("PDF %s: page %s cannot be read", path, number, exc_info=True)
                    unreadable.append(number)
                    continue
                finally:
                    page.close()
                any_text = any_text or result.has_text
                if not result.has_text:
                    if result.has_images:
                        pictures.append(number)
                    continue
                if not result.tables:
                    no_table.append(number)
                if result.unnamed_glyphs:
                    unnamed.append(number)
                for table in result.tables:
                    joiner.add(table, width)
            joiner.close()
            problems = _pdf_problems(outputs.files, any_text, no_table, pictures, unreadable, unnamed)
            return Conversion(source=source, files=tuple(outputs.files), problems=tuple(problems))
    finally:
        _close_pdf(pdf)


def _close_pdf(pdf: Any) -> None:
    """Close a pdfplumber PDF, even one whose page tree is broken (its own
    ``close`` reads the pages again, and raises again)."""
    try:
        pdf.close()
    except Exception:
        stream = getattr(pdf, "stream", None)
        if stream is not None:
            stream.close()


def _pdf_problems(files: Sequence[OutputFile], any_text: bool, no_table: list[int],
                  pictures: list[int], unreadable: list[int], unnamed: list[int]) -> list[Message]:
    problems = []
    if not any_text and not unreadable:
        problems.append(Message(N_("This PDF is an image: it needs OCR (reading text from a "
                                   "picture), which this portal does not do.")))
        return problems
    if not files and any_text:
        problems.append(Message(N_("No table was found in this PDF. Only tables drawn with "
                                   "lines are found.")))
    elif no_table:
        problems.append(Message(N_("Pages with text but no table: {pages}"),
                                pages=_page_ranges(no_table)))
    if pictures:
        problems.append(Message(N_("Pages that are images (their text needs OCR, which this "
                                   "portal does not do): {pages}"), pages=_page_ranges(pictures)))
    if unreadable:
        problems.append(Message(N_("Pages that could not be read (damaged): {pages}"),
                                pages=_page_ranges(unreadable)))
    if unnamed:
        problems.append(Message(N_("Some characters on pages {pages} could not be read: the PDF's "
                                   "font does not say which letters it draws. They are written "
                                   "as (cid:…); correct them before publishing."),
                                pages=_page_ranges(unnamed)))
    return problems


# -- workbooks -------------------------------------------------------------------------------

_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_QUOTED_OR_BRACKETED = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.|_.|\*.')
_ZERO_PADDED = re.compile(r"^0+$")

Cell = Optional[str]
Rows = Iterator[list[Cell]]


def _format_section(number_format: Optional[str]) -> str:
    """The first (positive numbers') section of a number format, without
    quoted text, bracketed colours or locales, and escapes."""
    return _QUOTED_OR_BRACKETED.sub("", (number_format or "").split(";")[0])


def _shows_time(number_format: Optional[str]) -> bool:
    """Whether a date format shows a time of day (hours or seconds; minutes
    alone are ambiguous with months, and never come without them)."""
    section = _format_section(number_format).lower()
    return "h" in section or "s" in section or "am/pm" in section


def _zero_pad_width(number_format: Optional[str]) -> int:
    """Digits a format like ``00000`` pads a whole number to (codes typed
    as numbers and shown with their leading zeros: postal, district,
    citizen ID), or 0."""
    section = _format_section(number_format)
    return len(section) if _ZERO_PADDED.match(section) else 0


def number_text(value: Union[int, float], number_format: Optional[str] = None) -> str:
    """A number as a spreadsheet shows it, without binary noise: at most 15
    significant digits (Excel's precision: 0.1 + 0.2 is 0.3), no exponent,
    no ".0" on whole numbers; a whole number under a zero-padding format
    (``00000``) keeps its leading zeros."""
    if isinstance(value, float):
        if value != value or value in (_INFINITY, -_INFINITY):
            return str(value)
        if value.is_integer() and abs(value) < 1e15:
            return _whole_text(int(value), number_format)
        text = repr(value)
        if "e" not in text and len(text.lstrip("-0.").replace(".", "")) <= 15:
            return text  # already as short as the spreadsheet shows it
        decimal = Decimal(repr(float(f"{value:.15g}")))
    else:
        decimal = Decimal(value)
    if decimal == decimal.to_integral_value():
        return _whole_text(int(decimal), number_format)
    text = format(decimal, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


_INFINITY = float("inf")


def _whole_text(whole: int, number_format: Optional[str]) -> str:
    width = _zero_pad_width(number_format) if number_format else 0
    if width and whole >= 0:
        return str(whole).zfill(width)
    return str(whole)


def _time_text(value: dt.time) -> str:
    return value.isoformat(timespec="milliseconds" if value.microsecond else "seconds")


def _duration_text(value: dt.timedelta) -> str:
    """Elapsed time as ``[h]:mm:ss`` shows it: hours past 24 kept."""
    seconds = round(value.total_seconds())
    sign = "-" if seconds < 0 else ""
    hours, rest = divmod(abs(seconds), 3600)
    return f"{sign}{hours}:{rest // 60:02d}:{rest % 60:02d}"


def workbook_cell_text(value: Any, number_format: Optional[str] = None) -> Cell:
    """A workbook cell's value as CSV text, ``None`` for an empty cell:
    dates as ISO dates (``yyyy-mm-dd``, with `` hh:mm:ss`` when the
    cell's format shows a time), numbers by :func:`number_text`, booleans
    TRUE/FALSE, text (codes with leading zeros included) as it is."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        return number_text(value, number_format)
    if isinstance(value, dt.datetime):
        if _shows_time(number_format) or (number_format is None and value.time() != dt.time(0)):
            return value.isoformat(sep=" ", timespec="seconds")
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return _time_text(value)
    if isinstance(value, dt.timedelta):
        return _duration_text(value)
    return str(value)


def _not_workbook() -> ConversionError:
    return ConversionError("workbook.not_workbook", Message(
        N_("This file is not an Excel workbook (XLSX or XLS), whatever its name says.")))


def _damaged_workbook() -> ConversionError:
    return ConversionError("workbook.damaged", Message(
        N_("This workbook cannot be read: it is damaged or protected by a password.")))


def _check_zip(path: Path, limits: ConvertLimits) -> None:
    """Refuse an XLSX whose ZIP declares more than the limits allow, from
    its central directory alone: nothing is inflated."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _damaged_workbook()
    if len(members) > limits.max_zip_members:
        raise ConversionError("limit.zip_members", Message(
            N_("The workbook holds {count} parts; at most {limit} are allowed."),
            count=len(members), limit=limits.max_zip_members))
    total = sum(member.file_size for member in members)
    if total > limits.max_unpacked_bytes:
        raise ConversionError("limit.unpacked_bytes", Message(
            N_("The workbook would unpack to {size} MB; at most {limit} MB is allowed."),
            size=_megabytes(total), limit=_megabytes(limits.max_unpacked_bytes)))
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > RATIO_CHECKED_FROM_BYTES and ratio > limits.max_compression_ratio:
            raise ConversionError("limit.compression_ratio", Message(
                N_("A part of the workbook ({part}) is compressed {ratio} times; more than "
                   "{limit} times is refused (a zip bomb)."),
                part=member.filename, ratio=f"{ratio:,.0f}", limit=_number_words(limits.max_compression_ratio)))
    if not any(member.filename.startswith("xl/") for member in members):
        raise _not_workbook()  # a Word or OpenDocument file, or another ZIP


def _xlsx_sheets(path: Path, limits: ConvertLimits) -> Iterator[tuple[str, Rows]]:
    """The worksheets of an XLSX, each as rows of cell texts, parsed one
    row at a time (openpyxl read-only: memory stays bounded)."""
    _check_zip(path, limits)
    import openpyxl

    with path.open("rb") as stream:  # a file object: openpyxl refuses names not ending in .xlsx
        try:
            workbook = openpyxl.load_workbook(stream, read_only=True, data_only=True, keep_links=False)
        except Exception:  # a damaged workbook makes openpyxl raise anything
            log.info("XLSX %s cannot be opened", path, exc_info=True)
            raise _damaged_workbook()
        try:
            for sheet in workbook.worksheets:
                sheet.reset_dimensions()  # the stored dimensions may be wrong: read what is there
                yield sheet.title, _xlsx_rows(sheet)
        finally:
            workbook.close()


def _xlsx_rows(sheet: Any) -> Rows:
    formats: dict[int, Optional[str]] = {}  # by style id: looked up once per style

    def number_format(cell: Any) -> Optional[str]:
        style = getattr(cell, "_style_id", None)
        if style is None:
            return getattr(cell, "number_format", None)
        if style not in formats:
            formats[style] = cell.number_format
        return formats[style]

    for row in sheet.iter_rows():
        cells: list[Cell] = []
        for cell in row:
            value = cell.value
            if value is None or value == "":
                cells.append(None)
            elif isinstance(value, str):
                cells.append(value)
            else:
                cells.append(workbook_cell_text(value, number_format(cell)))
        yield cells


def _xls_sheets(path: Path) -> Iterator[tuple[str, Rows]]:
    """The worksheets of an XLS (BIFF) workbook. xlrd reads the whole file
    (the input size limit bounds it; a sheet holds at most 65,536 rows);
    sheets are loaded and released one at a time."""
    import xlrd

    try:
        try:
            book = xlrd.open_workbook(str(path), formatting_info=True, on_demand=True)
        except NotImplementedError:  # formatting not readable in this BIFF version
            book = xlrd.open_workbook(str(path), on_demand=True)
    except xlrd.XLRDError as error:
        if "encrypted" in str(error).lower():
            raise ConversionError("workbook.encrypted", Message(N_(
                "This workbook is protected by a password: remove the protection and upload it again.")))
        raise _damaged_workbook()
    except Exception:  # xlrd raises struct, index and its own errors on damaged files
        log.info("XLS %s cannot be opened", path, exc_info=True)
        raise _damaged_workbook()
    try:
        for index in range(book.nsheets):
            try:
                sheet = book.sheet_by_index(index)
            except Exception:
                log.info("XLS %s: sheet %s cannot be read", path, index, exc_info=True)
                raise _damaged_workbook()
            yield sheet.name, _xls_rows(book, sheet)
            book.unload_sheet(index)
    finally:
        book.release_resources()


def _xls_rows(book: Any, sheet: Any) -> Rows:
    import xlrd

    formats: dict[int, Optional[str]] = {}

    def number_format(xf_index: int) -> Optional[str]:
        if xf_index not in formats:
            try:
                formats[xf_index] = book.format_map[book.xf_list[xf_index].format_key].format_str
            except (AttributeError, IndexError, KeyError):
                formats[xf_index] = None
        return formats[xf_index]

    for number in range(sheet.nrows):
        cells: list[Cell] = []
        for cell in sheet.row(number):
            kind, value = cell.ctype, cell.value
            if kind in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                cells.append(None)
            elif kind == xlrd.XL_CELL_TEXT:
                cells.append(value or None)
            elif kind == xlrd.XL_CELL_BOOLEAN:
                cells.append(workbook_cell_text(bool(value)))
            elif kind == xlrd.XL_CELL_ERROR:
                cells.append(xlrd.error_text_from_code.get(value, "#ERROR"))
            elif kind == xlrd.XL_CELL_DATE:
                cells.append(_xls_date_text(value, book.datemode, number_format(cell.xf_index)))
            else:
                cells.append(workbook_cell_text(value, number_format(cell.xf_index)))
        yield cells


def _xls_date_text(value: float, datemode: int, number_format: Optional[str]) -> Cell:
    import xlrd

    try:
        moment = xlrd.xldate.xldate_as_datetime(value, datemode)
    except (ValueError, OverflowError, xlrd.xldate.XLDateError):
        return number_text(value)
    if value < 1 and not re.search("[dy]", _format_section(number_format).lower()):
        return _time_text(moment.time())  # a time of day alone
    return workbook_cell_text(moment, number_format)


class _SheetWriter:
    """Writes one worksheet's rows to a CSV: leading and trailing empty
    rows dropped (empty rows between data kept), empty columns on the left
    and cells left empty at the right of the widest row dropped, every row
    as wide as the widest. Rows are written as they come; when they turn
    out ragged or indented, the file is rewritten once, streamed."""

    def __init__(self, outputs: _Outputs, stem: str) -> None:
        self._outputs = outputs
        self._stem = stem
        self.output: Optional[_CsvOutput] = None
        self._pending_empty = 0
        self._width = 0
        self._indent: Optional[int] = None
        self._ragged = False

    def add(self, cells: Sequence[Cell]) -> None:
        end = len(cells)
        while end and cells[end - 1] is None:
            end -= 1
        if not end:
            if self.output is not None:
                self._pending_empty += 1
            return
        if self.output is None:
            self.output = self._outputs.start(self._stem)
        for _ in range(self._pending_empty):
            self.output.write([])  # padded to the width when the file is rewritten
            self._ragged = True
        self._pending_empty = 0
        first = next(index for index, cell in enumerate(cells) if cell is not None)
        self._indent = first if self._indent is None else min(self._indent, first)
        if self._width and end != self._width:
            self._ragged = True
        self._width = max(self._width, end)
        self.output.write(["" if cell is None else cell for cell in cells[:end]])

    def finish(self, title: Message, sheet: str) -> None:
        output = self.output
        if output is None:
            return
        output.close()
        indent = self._indent or 0
        header = list(output.header or ())[indent:]
        header += [""] * (self._width - indent - len(header))
        if self._ragged or indent:
            self._rewrite(output.path, indent, self._width - indent)
        self._outputs.finish(output, title, sheet=sheet, header=header)

    def _rewrite(self, path: Path, indent: int, width: int) -> None:
        squared = path.with_name(path.name + ".part")
        with path.open(encoding="utf-8", newline="") as source, \
                squared.open("w", encoding="utf-8", newline="") as target:
            writer = csv.writer(target)
            for row in csv.reader(source):
                row = row[indent:]
                writer.writerow(row + [""] * (width - len(row)))
        os.replace(squared, path)


def _workbook_kind(path: Path) -> str:
    with path.open("rb") as stream:
        head = stream.read(8)
    if head.startswith(_ZIP_MAGIC):
        return "xlsx"
    if head == _OLE_MAGIC:
        return "xls"
    raise _not_workbook()


def xlsx_to_csv(xlsx_path: PathLike, out_dir: PathLike, *, name: Optional[str] = None,
                file_name: Optional[str] = None,
                limits: ConvertLimits = ConvertLimits()) -> Conversion:
    """Write every non-empty worksheet of the workbook at ``xlsx_path`` (an
    XLSX, or an XLS: the content decides, not the name) as its own CSV in
    ``out_dir``, named ``<slug>-sheet-<position>.csv`` (its position among
    the workbook's sheets, from 1), titled with the sheet's own name.
    ``name`` and ``file_name`` as for :func:`pdf_tables_to_csv`.
    Cells are written by :func:`workbook_cell_text`; formulas as the value
    the workbook last computed.

    Raises :class:`ConversionError` for a file that is not a workbook, a
    damaged or protected one, a ZIP that would inflate past the limits
    (before it is opened), and any limit exceeded."""
    path = Path(xlsx_path)
    source = _source_name(name, path)
    _check_input_size(path, limits)
    kind = _workbook_kind(path)
    deadline = _Deadline(limits.max_seconds)
    slug = _file_stem(source, file_name)
    sheets = _xlsx_sheets(path, limits) if kind == "xlsx" else _xls_sheets(path)
    problems: list[Message] = []
    with _Outputs(out_dir, limits, deadline) as outputs:
        try:
            for position, (sheet_name, rows) in enumerate(sheets, start=1):
                deadline.check()
                writer = _SheetWriter(outputs, f"{slug}-sheet-{position}")
                try:
                    for count, cells in enumerate(rows, start=1):
                        if count % ROWS_BETWEEN_CLOCK_CHECKS == 0:
                            deadline.check()
                        writer.add(cells)
                except ConversionError:
                    raise
                except Exception:  # a damaged sheet makes the parsers raise anything
                    log.info("Workbook %s: sheet %r cannot be read", path, sheet_name, exc_info=True)
                    raise _damaged_workbook()
                writer.finish(Message(N_("{name} — {sheet}"), name=source, sheet=sheet_name), sheet_name)
        finally:
            close = getattr(sheets, "close", None)
            if close is not None:
                close()
        if not outputs.files:
            problems.append(Message(N_("Every worksheet of this workbook is empty: nothing was converted.")))
        return Conversion(source=source, files=tuple(outputs.files), problems=tuple(problems))


CONVERTERS: Mapping[str, Callable[..., Conversion]] = {
    "PDF": pdf_tables_to_csv,
    "XLSX": xlsx_to_csv,
    "XLS": xlsx_to_csv,
}
"""The converter for a resource's format (upper case), for the job to pick."""
