"""The yearly open-data report of an organization, or of the whole portal,
as an XLSX workbook and as an A4 PDF, in Thai or in English (issue 14,
point 7).

The input is the plain dict that ``opendata_th_yearly_report_show`` returns:
the dashboard's figures, the datasets first published in the fiscal year,
and the feedback and dataset requests handled in it. Names of fixed things
(stages, targets, activities, levels) come in it already translated; every
fixed text of the report itself is an English message id marked with ``N_``
and read through the ``gettext`` the caller gives. Dates have Buddhist Era
years in Thai and Common Era years in English, on Bangkok's clock.

Pure: imports nothing from CKAN. openpyxl, fpdf2 (with uharfbuzz for text
shaping) and PyThaiNLP are imported when a file is made.

What the files hold:

* The workbook stores counts, levels, scores and percentages as numbers (a
  percentage as the number the portal shows, 87.5, displayed "87.5%"), and
  dates as text in the report's language ("1 มี.ค. 2569 10:00 น."): a
  spreadsheet's own date cells would show Common Era years. A text that
  starts with "=", "+", "-" or "@" is a text cell with Excel's quote prefix:
  never a formula, not even once the cell is edited.
* The PDF draws Thai through HarfBuzz (vowel and tone marks placed by the
  font's rules) and wraps Thai between words, found with PyThaiNLP, since
  Thai puts no spaces between words. Texts without combining marks (numbers,
  dataset names, many dates) skip the shaping, which costs fpdf2 one to two
  milliseconds a line: 10,000 datasets take some 20–40 seconds on a
  2-core machine (the workbook 2–4).
"""
from __future__ import annotations

import datetime as dt
import functools
import io
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional, Union

from ckanext.opendata_th.playbook.catalog import FORMULA_START
from ckanext.opendata_th.playbook.dates import (
    BANGKOK,
    format_date_en,
    format_date_th,
    format_datetime_en,
    format_datetime_th,
    parse_iso_date,
    parse_iso_datetime,
    to_ce_year,
)
from ckanext.opendata_th.playbook.messages import N_, Message

Gettext = Callable[[str], str]

FONT_OPTION = "ckanext.opendata_th.report_font"
"""The config option naming a Thai TTF/OTF font for the PDF."""

FONT_FAMILIES = ("Laksaman", "Loma", "Garuda", "Norasi")
"""Debian's TLWG Thai fonts, in order of preference: Laksaman is the free
equivalent of TH Sarabun, the typeface of Thai government documents."""

FONT_CANDIDATES: tuple[Path, ...] = tuple(
    folder / f"{family}{suffix}"
    for family in FONT_FAMILIES
    for folder, suffix in ((Path("/usr/share/fonts/opentype/tlwg"), ".otf"),
                           (Path("/usr/share/fonts/truetype/tlwg"), ".ttf")))
"""Where the packages fonts-tlwg-<family>-otf and -ttf put the regular faces."""

FONT_SUFFIXES = (".ttf", ".otf")

MISSING = "—"
"""Shown for a figure the data does not have."""

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACES = re.compile(r"\s+")
_SHAPED = re.compile(r"[\u0300-\u036f\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]")
"""Combining marks (Thai vowel and tone marks above and below a letter):
only a text with one needs HarfBuzz to place them."""
_SARA_AM = re.compile("([\u0e48-\u0e4b]?)\u0e33")
"""SARA AM after a tone mark or none. HarfBuzz draws SARA AM as NIKHAHIT and
SARA AA (NIKHAHIT before the tone mark) and fpdf2 then names only the first
glyph in the PDF's text layer; given those two characters, it names each,
and the text is copied as many Thai PDFs give it (ํา)."""
_THAI = re.compile(r"[\u0e01-\u0e5b]")
_ATTACHED = re.compile(r"[\u0300-\u036f\u0e31\u0e33-\u0e3a\u0e47-\u0e4e]")
"""Characters that stay with the letter before them when a word must be
cut: combining marks and SARA AM."""


def find_font(configured: Optional[str]) -> str:
    """The path of the Thai font for the PDF: ``configured`` (the option
    :data:`FONT_OPTION`) when given, else the first installed TLWG font of
    :data:`FONT_CANDIDATES`. ValueError when the configured file does not
    exist or no Thai font is installed."""
    if configured is not None and configured.strip():
        path = Path(configured.strip()).expanduser()
        if not path.is_file():
            raise ValueError(f"The font file {str(path)!r} given by {FONT_OPTION} does not exist")
        if path.suffix.lower() not in FONT_SUFFIXES:
            raise ValueError(f"The font file {str(path)!r} given by {FONT_OPTION} is not a "
                             f"TrueType or OpenType font (.ttf, .otf)")
        return str(path)
    for candidate in FONT_CANDIDATES:
        if candidate.is_file():
            return str(candidate)
    raise ValueError("No Thai font for the PDF report: install the Debian package "
                     f"fonts-tlwg-laksaman-otf, or set the option {FONT_OPTION} to the path "
                     "of a Thai TrueType or OpenType font")


# -- the report as rows of cells, in the reader's language ------------------------

@dataclass(frozen=True)
class Number:
    """A figure: stored as a number in the workbook, written in the PDF.
    ``kind``: "count" (1,234), "decimal" (7.5) or "percent" (87.5%)."""

    value: Union[int, float]
    kind: str = "count"

    def text(self) -> str:
        value = self.value
        if self.kind == "decimal" or isinstance(value, float) and not value.is_integer():
            shown = f"{value:,.1f}"
        else:
            shown = f"{int(value):,}"
        return shown + "%" if self.kind == "percent" else shown

    def number_format(self) -> str:
        decimals = self.kind == "decimal" or isinstance(self.value, float) and not self.value.is_integer()
        if self.kind == "percent":
            return '0.0"%"' if decimals else '0"%"'
        return "#,##0.0" if decimals else "#,##0"


Cell = Union[str, Number]


@dataclass
class Table:
    """A section of the report: a heading, the column names (none: label and
    value pairs), the rows, and a note said before the rows."""

    heading: str
    columns: tuple[str, ...]
    rows: list[tuple[Cell, ...]]
    note: str = ""
    total: bool = False
    """The last row is a total (written bold)."""
    widths: tuple[float, ...] = (120, 60)
    """The columns' relative widths on a PDF page."""
    number_columns: tuple[int, ...] = (1,)
    """The columns of figures, aligned right in the PDF."""


@dataclass
class Report:
    """The report in one language, ready to be written to a file."""

    title: str
    facts: list[tuple[str, str]]
    summary: list[Table]
    readiness_verdict: Table
    """The summary's readiness section; the activities follow it in the PDF."""
    activities: Table
    datasets: Table
    lang: str = "th"
    generated_at: Optional[dt.datetime] = None


def clean_text(value: Any) -> str:
    """A text from data as one line: no control characters (which neither
    a workbook nor a PDF can hold), whitespace runs made one space."""
    if value is None:
        return ""
    return _SPACES.sub(" ", _CONTROL.sub(" ", str(value))).strip()


def _number(value: Any, kind: str = "count") -> Cell:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return MISSING
    return Number(value, kind)


def _count(section: Mapping[str, Any], key: str) -> Cell:
    return _number(section.get(key))


def _portal(report: Mapping[str, Any]) -> bool:
    """A report of the whole portal, not of one organization."""
    return not isinstance(report.get("organization"), Mapping)


def _section(report: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = report.get(key)
    return value if isinstance(value, Mapping) else {}


def _date_text(value: dt.date, lang: str) -> str:
    return format_date_th(value) if lang == "th" else format_date_en(value)


def _moment_text(value: dt.datetime, lang: str) -> str:
    return format_datetime_th(value) if lang == "th" else format_datetime_en(value)


def _yes_no(value: Any, tr: Gettext) -> str:
    if value is None:
        return MISSING
    return tr(N_("Yes")) if value else tr(N_("No"))


def build(report: Mapping[str, Any], *, lang: str, gettext: Gettext,
          with_time: bool = True) -> Report:
    """The report's sections as rows of cells in ``lang`` ("th": Buddhist
    Era years). ``with_time``: the datasets' publication time, not only
    the day."""
    tr = gettext
    lang = "th" if lang.replace("-", "_").split("_")[0].lower() == "th" else "en"
    organization = None if _portal(report) else report["organization"]
    year = int(report["fiscal_year"])
    start = parse_iso_date(report.get("fiscal_year_start")) or dt.date(to_ce_year(year) - 1, 10, 1)
    end = parse_iso_date(report.get("fiscal_year_end")) or dt.date(to_ce_year(year), 9, 30)
    generated = parse_iso_datetime(report.get("generated_at"))
    if organization is None:
        title = Message(N_("Yearly open data report of the whole portal, fiscal year {year} BE"),
                        year=year)
        who = tr(N_("Whole portal (all organizations)"))
    else:
        title = Message(N_("Yearly open data report, fiscal year {year} BE"), year=year)
        who = clean_text(organization.get("title") or organization.get("name"))
    facts = [
        (tr(N_("Organization")), who),
        (tr(N_("Fiscal year")), Message(N_("{year} BE ({start} – {end})"), year=year,
                                        start=start, end=end).render(tr, lang)),
        (tr(N_("Generated at")), _moment_text(generated, lang) if generated else MISSING),
    ]
    verdict = _readiness_verdict(report, tr)
    return Report(
        title=title.render(tr, lang), facts=facts,
        summary=[_targets(report, tr), _stages(report, tr), verdict, _properties(report, tr),
                 _schedule(report, tr), _feedback(report, tr), _requests(report, tr)],
        readiness_verdict=verdict, activities=_activities(report, tr),
        datasets=_published(report, tr, lang, with_time),
        lang=lang, generated_at=generated)


def _targets(report: Mapping[str, Any], tr: Gettext) -> Table:
    targets = _section(report, "targets")
    rows: list[tuple[Cell, ...]] = []
    for row in targets.get("rows") or ():
        kind = "percent" if row.get("unit") == "percent" else "count"
        target = row.get("target")
        rows.append((clean_text(row.get("label") or row.get("key")),
                     tr(N_("Not set")) if target is None else _number(target, kind),
                     _number(row.get("actual"), kind),
                     _yes_no(row.get("met"), tr)))
    note = "" if targets.get("set") else tr(N_("No targets were set for this fiscal year."))
    return Table(tr(N_("Targets and actual results")),
                 (tr(N_("Indicator")), tr(N_("Target")), tr(N_("Actual")), tr(N_("Met"))),
                 rows, note, widths=(84, 32, 32, 32), number_columns=(1, 2))


def _stages(report: Mapping[str, Any], tr: Gettext) -> Table:
    datasets = _section(report, "datasets")
    rows: list[tuple[Cell, ...]] = [
        (clean_text(stage.get("label") or stage.get("stage")), _count(stage, "count"))
        for stage in datasets.get("stages") or ()]
    rows.append((tr(N_("Total")), _count(datasets, "total")))
    return Table(tr(N_("Datasets by stage")), (tr(N_("Stage")), tr(N_("Count"))), rows, total=True,
                 widths=(130, 50))


def _readiness_verdict(report: Mapping[str, Any], tr: Gettext) -> Table:
    readiness = _section(report, "readiness")
    rows: list[tuple[Cell, ...]] = []
    if _portal(report):
        rows += [(tr(N_("Organizations assessed")), _count(readiness, "organizations_assessed")),
                 (tr(N_("Organizations ready")), _count(readiness, "organizations_ready"))]
    else:
        if not readiness.get("assessed"):
            verdict = tr(N_("Not assessed"))
        elif readiness.get("ready"):
            verdict = tr(N_("Ready"))
        else:
            verdict = tr(N_("Not ready"))
        rows.append((tr(N_("Assessment result")), verdict))
    rows.append((tr(N_("Required level")), _count(readiness, "required_level")))
    return Table(tr(N_("Readiness")), (), rows)


def _properties(report: Mapping[str, Any], tr: Gettext) -> Table:
    properties = _section(report, "properties")
    return Table(tr(N_("Ten properties of open data")), (), [
        (tr(N_("Published datasets assessed")), _count(properties, "published")),
        (tr(N_("Average score (out of 10)")), _number(properties.get("average"), "decimal")),
    ])


def _schedule(report: Mapping[str, Any], tr: Gettext) -> Table:
    schedule = _section(report, "schedule")
    return Table(tr(N_("Update schedule")), (), [
        (tr(N_("Share kept up to date")), _number(schedule.get("up_to_date_percent"), "percent")),
        (tr(N_("On schedule")), _count(schedule, "on_schedule")),
        (tr(N_("Overdue")), _count(schedule, "overdue")),
        (tr(N_("No update schedule")), _count(schedule, "no_schedule")),
    ])


def _feedback(report: Mapping[str, Any], tr: Gettext) -> Table:
    handled = _section(report, "feedback_handled")
    return Table(tr(N_("Feedback handled")), (), [
        (tr(N_("Received")), _count(handled, "received")),
        (tr(N_("Answered")), _count(handled, "answered")),
        (tr(N_("Resolved")), _count(handled, "resolved")),
        (tr(N_("Hidden")), _count(handled, "hidden")),
    ])


def _requests(report: Mapping[str, Any], tr: Gettext) -> Table:
    handled = _section(report, "requests_handled")
    return Table(tr(N_("Dataset requests handled")), (), [
        (tr(N_("Received")), _count(handled, "received")),
        (tr(N_("Accepted")), _count(handled, "accepted")),
        (tr(N_("Already available")), _count(handled, "already_available")),
        (tr(N_("Not suitable")), _count(handled, "not_suitable")),
        (tr(N_("Still open")), _count(handled, "open")),
    ])


def _activities(report: Mapping[str, Any], tr: Gettext) -> Table:
    readiness = _section(report, "readiness")
    portal = _portal(report)
    columns = (tr(N_("Activity")), tr(N_("Level")), tr(N_("Level name")))
    widths: tuple[float, ...] = (95, 25, 60)
    if portal:
        columns += (tr(N_("Average level")),)
        widths = (86, 20, 50, 24)
    rows: list[tuple[Cell, ...]] = []
    for activity in readiness.get("activities") or ():
        row: tuple[Cell, ...] = (clean_text(activity.get("name") or activity.get("key")),
                                 _count(activity, "level"),
                                 clean_text(activity.get("level_name")) or MISSING)
        if portal:
            row += (_number(activity.get("average"), "decimal"),)
        rows.append(row)
    return Table(tr(N_("Readiness")), columns, rows, widths=widths, number_columns=(1, 3))


def _published(report: Mapping[str, Any], tr: Gettext, lang: str, with_time: bool) -> Table:
    listed = []
    for dataset in report.get("published_datasets") or ():
        moment = parse_iso_datetime(dataset.get("published_at"))
        listed.append((moment or dt.datetime.max, clean_text(dataset.get("title")), moment, dataset))
    listed.sort(key=lambda item: item[:2])
    rows: list[tuple[Cell, ...]] = []
    for number, (_, title, moment, dataset) in enumerate(listed, start=1):
        if moment is None:
            when = MISSING
        else:
            when = _moment_text(moment, lang) if with_time else _date_text(moment, lang)
        rows.append((Number(number), title or clean_text(dataset.get("name")),
                     clean_text(dataset.get("name")), when,
                     _yes_no(bool(dataset.get("high_value")), tr)))
    note = "" if rows else tr(N_("No datasets were first published in this fiscal year."))
    return Table(tr(N_("Datasets published in the fiscal year")),
                 (tr(N_("No.")), tr(N_("Dataset title")), tr(N_("URL name")),
                  tr(N_("Published at")), tr(N_("High-value"))), rows, note,
                 widths=(12, 86, 38, 26, 18), number_columns=(0,))


# -- XLSX -----------------------------------------------------------------------------

SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
MAX_CELL_TEXT = 32_767
MAX_COLUMN_WIDTH = 70
"""Wider texts (long titles) wrap in their cell."""


def workbook(report: Mapping[str, Any], *, lang: str, gettext: Gettext) -> bytes:
    """The report as an XLSX workbook: the sheets Summary, Published
    datasets (those first published in the fiscal year) and Readiness (the
    level of each activity)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    model = build(report, lang=lang, gettext=gettext, with_time=True)
    tr = gettext
    bold = Font(bold=True)
    book = Workbook()
    book.properties.title = model.title
    book.properties.language = model.lang
    summary = _Sheet(book.active, sheet_name(tr(N_("Summary"))))
    summary.row([model.title], font=Font(bold=True, size=14), spans=True)
    for label, value in model.facts:
        summary.row([label, value], first_font=bold)
    for table in model.summary:
        summary.skip()
        summary.row([table.heading], font=Font(bold=True, size=12), spans=True)
        if table.note:
            summary.row([table.note], spans=True)
        if table.columns:
            summary.row(table.columns, font=bold)
        for index, row in enumerate(table.rows):
            last = index == len(table.rows) - 1
            summary.row(row, font=bold if table.total and last else None,
                        first_font=None if table.columns else bold)
    summary.sheet.freeze_panes = "A2"
    summary.fit_columns()

    for name, table in ((tr(N_("Published datasets")), model.datasets),
                        (model.activities.heading, model.activities)):
        sheet = _Sheet(book.create_sheet(), sheet_name(name))
        sheet.row(table.columns, font=bold)
        for row in table.rows:
            sheet.row(row)
        if table.rows:
            sheet.sheet.auto_filter.ref = sheet.sheet.dimensions
        elif table.note:
            sheet.row([table.note], spans=True)
        sheet.sheet.freeze_panes = "A2"
        sheet.fit_columns()
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def sheet_name(text: str) -> str:
    """A valid sheet name: at most 31 characters, none of []:*?/\\."""
    return SHEET_NAME_FORBIDDEN.sub(" ", text).strip()[:31] or "Sheet"


class _Sheet:
    """Rows written one after the other."""

    def __init__(self, sheet: Any, title: str) -> None:
        sheet.title = title
        self.sheet = sheet
        self.next_row = 1
        self.spanning: set[int] = set()
        """Rows of one text (title, headings, notes) that runs on over the
        empty cells right of it: not counted in the column widths."""

    def skip(self) -> None:
        self.next_row += 1

    def row(self, cells: Sequence[Cell], *, font: Any = None, first_font: Any = None,
            spans: bool = False) -> None:
        for column, value in enumerate(cells, start=1):
            cell = self.sheet.cell(self.next_row, column)
            put_cell(cell, value)
            if font is not None:
                cell.font = font
            elif first_font is not None and column == 1:
                cell.font = first_font
        if spans:
            self.spanning.add(self.next_row)
        self.next_row += 1

    def fit_columns(self) -> None:
        """Columns as wide as their longest text; texts longer than
        :data:`MAX_COLUMN_WIDTH` wrap in their cell."""
        from openpyxl.styles import Alignment
        from openpyxl.utils import get_column_letter

        widths: dict[int, float] = {}
        wrap = Alignment(wrap_text=True, vertical="top")
        for row in self.sheet.iter_rows():
            if row[0].row in self.spanning:
                continue
            for cell in row:
                if cell.value is None:
                    continue
                width = _shown_width(cell.value, cell.number_format) + 2
                if width > MAX_COLUMN_WIDTH:
                    cell.alignment = wrap
                widths[cell.column] = max(widths.get(cell.column, 0.0), min(width, MAX_COLUMN_WIDTH))
        for column, width in widths.items():
            self.sheet.column_dimensions[get_column_letter(column)].width = max(width, 8)


def put_cell(cell: Any, value: Cell) -> None:
    """Store a figure as a number, a text as text (:func:`keep_as_text`)."""
    if isinstance(value, Number):
        cell.value = value.value
        cell.number_format = value.number_format()
        return
    cell.value = clean_text(value)[:MAX_CELL_TEXT]
    keep_as_text(cell)


def keep_as_text(cell: Any) -> None:
    """An openpyxl cell whose text starts like a formula (``= + - @``)
    becomes a text cell with the quote prefix: openpyxl alone would store
    "=..." as a formula, which the spreadsheet would run when the file is
    opened, and a text cell without the prefix is read as a formula once it
    is edited. Every XLSX export of the portal passes its cells here."""
    if isinstance(cell.value, str) and cell.value.startswith(FORMULA_START):
        cell.data_type = "s"
        cell.quotePrefix = True


def _shown_width(value: Any, number_format: str) -> float:
    """About how many digit widths a value takes: Thai letters a little
    more; marks above and below a letter none."""
    if isinstance(value, (int, float)):
        return len(Number(value, "percent" if "%" in number_format else "count").text())
    text = str(value)
    letters = len(text) - len(_SHAPED.findall(text))
    return letters * 1.15 if _THAI.search(text) else letters


# -- PDF ---------------------------------------------------------------------------

FAMILY = "thai"
PAGE_MARGIN = 15.0
FOOTER_ROOM = 18.0
MAX_CELL_LINES = 12
"""A cell longer than this many lines is cut with an ellipsis (a title of
some thousand characters would otherwise fill a page)."""
ELLIPSIS = "…"
PT = 25.4 / 72
"""One typographic point in millimetres."""


def pdf(report: Mapping[str, Any], *, lang: str, gettext: Gettext, font: str) -> bytes:
    """The report as an A4 portrait PDF in the Thai ``font`` (a TTF/OTF path,
    see :func:`find_font`): title, organization, fiscal year, the summary's
    sections as tables, then the datasets first published in the fiscal
    year (the table's header repeated on each page it runs onto); page
    numbers at the foot of each page."""
    model = build(report, lang=lang, gettext=gettext, with_time=False)
    listed = model.datasets.rows
    if len(listed) > PDF_DATASETS:
        model.datasets.rows = listed[:PDF_DATASETS]
        model.datasets.note = Message(
            N_("The first {shown} of {total} datasets are listed; the XLSX file lists them all."),
            shown=f"{PDF_DATASETS:,}", total=f"{len(listed):,}").render(gettext, model.lang)
    document = _Document(font, lambda page: Message(
        N_("Page {page}/{pages}"), page=page, pages=PAGES_ALIAS).render(gettext, model.lang))
    document.render(model)
    return document.output()


PDF_DATASETS = 1000
"""The PDF lists at most this many datasets (about 25 pages, a few seconds to
write: a web request's time stays bounded); the XLSX lists every one."""

PAGES_ALIAS = "{nb}"
"""fpdf2 writes the number of pages in its place when the document is done."""


def bold_face(font: str) -> Optional[str]:
    """The bold face next to a regular font file (Loma.otf -> Loma-Bold.otf),
    if installed."""
    path = Path(font)
    for name in (f"{path.stem}-Bold", f"{path.stem} Bold", f"{path.stem}Bold"):
        candidate = path.with_name(name + path.suffix)
        if candidate.is_file():
            return str(candidate)
    return None


@functools.lru_cache(maxsize=20_000)
def thai_words(text: str) -> tuple[str, ...]:
    """The words of a Thai text without spaces (PyThaiNLP's dictionary
    segmentation): where a line may break."""
    from pythainlp.tokenize import word_tokenize

    words = tuple(word for word in word_tokenize(text, engine="newmm", keep_whitespace=True) if word)
    return words if "".join(words) == text else (text,)


def graphemes(text: str) -> Iterator[str]:
    """Letters with their marks: where a word too long for its line is cut."""
    current = ""
    for char in text:
        if current and not _ATTACHED.match(char):
            yield current
            current = ""
        current += char
    if current:
        yield current


@dataclass(frozen=True)
class _Column:
    width: float
    align: str


class _Document:
    """An fpdf2 document drawn top to bottom; pages break between table rows."""

    def __init__(self, font: str, page_text: Callable[[int], str]) -> None:
        from fpdf import FPDF

        class Pages(FPDF):
            def footer(self) -> None:
                self.set_font(FAMILY, "", 8)
                self.set_xy(PAGE_MARGIN, self.h - 12)
                self.cell(self.w - 2 * PAGE_MARGIN, 5, page_text(self.page_no()), align="C")

        doc = Pages(orientation="P", unit="mm", format="A4")
        doc.set_margins(PAGE_MARGIN, PAGE_MARGIN, PAGE_MARGIN)
        doc.set_auto_page_break(False)
        doc.add_font(FAMILY, "", font)
        doc.add_font(FAMILY, "B", bold_face(font) or font)
        doc.set_text_shaping(True)
        doc.set_draw_color(150)
        doc.set_fill_color(232)
        doc.set_line_width(0.2)
        self.doc = doc
        self.y = PAGE_MARGIN
        self.bottom = doc.h - FOOTER_ROOM
        self.width = doc.w - 2 * PAGE_MARGIN
        self._widths: dict[tuple[str, str, float], float] = {}

    # text

    def text_width(self, text: str, style: str, size: float) -> float:
        """The width of ``text`` as :meth:`draw_text` draws it (mm); asked of
        the font directly, as fpdf2's get_string_width() costs a bidi pass."""
        key = (text, style, size)
        width = self._widths.get(key)
        if width is None:
            doc = self.doc
            doc.set_font(FAMILY, style, size)
            shaping = doc.text_shaping if _SHAPED.search(text) else None
            width = doc.current_font.get_text_width(text, doc.font_size_pt, shaping)[1] / doc.k
            self._widths[key] = width
        return width

    def lines(self, text: str, room: float, style: str, size: float) -> list[str]:
        """``text`` wrapped to ``room`` millimetres: at spaces, between
        Thai words, and inside a word only when it is wider than a line."""
        text = clean_text(text)
        if not text or self.text_width(text, style, size) <= room:
            return [text]
        space = self.text_width(" ", style, size)
        lines: list[str] = []
        line, used = "", 0.0

        def add(piece: str, after_space: bool) -> None:
            nonlocal line, used
            width = self.text_width(piece, style, size)
            gap = space if after_space and line else 0.0
            if line and used + gap + width > room:
                lines.append(line)
                line, used, gap = "", 0.0, 0.0
            if not line and width > room:
                parts = list(graphemes(piece))
                if len(parts) > 1:  # a letter wider than the line goes on one of its own
                    for part in parts:
                        add(part, False)
                    return
            line += (" " if gap else "") + piece
            used += gap + width

        for chunk in text.split(" "):
            fits = used + (space if line else 0.0) + self.text_width(chunk, style, size) <= room
            if fits or not _THAI.search(chunk):
                add(chunk, True)
                continue
            for index, word in enumerate(thai_words(chunk)):
                add(word, index == 0)
        if line:
            lines.append(line)
        if len(lines) > MAX_CELL_LINES:
            lines = lines[:MAX_CELL_LINES]
            last = lines[-1]
            while last and self.text_width(last + ELLIPSIS, style, size) > room:
                last = last[:-1]
            lines[-1] = last.rstrip() + ELLIPSIS
        return lines

    def draw_text(self, x: float, y: float, w: float, h: float, text: str, *,
                  align: str = "L", style: str = "", size: float = 10) -> None:
        """One line of text in the box; through HarfBuzz only when it has marks."""
        if not text:
            return
        doc = self.doc
        doc.set_font(FAMILY, style, size)
        if _SHAPED.search(text):
            doc.set_xy(x, y)
            doc.cell(w, h, _SARA_AM.sub("\u0e4d\\1\u0e32", text), align=align)
            return
        width = self.text_width(text, style, size)
        if align == "R":
            left = x + w - doc.c_margin - width
        elif align == "C":
            left = x + (w - width) / 2
        else:
            left = x + doc.c_margin
        doc.text(left, y + 0.5 * h + 0.3 * doc.font_size, text)  # the baseline cell() uses

    # layout

    def new_page(self) -> None:
        self.doc.add_page()
        self.y = PAGE_MARGIN

    def room_for(self, height: float) -> None:
        if self.y + height > self.bottom:
            self.new_page()

    def paragraph(self, text: str, *, style: str = "", size: float = 10,
                  before: float = 0.0, after: float = 1.0) -> None:
        line_height = size * PT * 1.5
        self.y += before
        for line in self.lines(text, self.width - 2 * self.doc.c_margin, style, size):
            self.room_for(line_height)
            self.draw_text(PAGE_MARGIN, self.y, self.width, line_height, line, style=style, size=size)
            self.y += line_height
        self.y += after

    def facts(self, facts: Sequence[tuple[str, str]], size: float = 10) -> None:
        """Label and value lines without rules (organization, fiscal year...)."""
        label_width = max(self.text_width(label, "B", size) for label, _ in facts) + 6
        line_height = size * PT * 1.5
        for label, value in facts:
            lines = self.lines(value, self.width - label_width - 2 * self.doc.c_margin, "", size)
            self.room_for(line_height * len(lines))
            self.draw_text(PAGE_MARGIN, self.y, label_width, line_height, label, style="B", size=size)
            for line in lines:
                self.draw_text(PAGE_MARGIN + label_width, self.y, self.width - label_width,
                               line_height, line, size=size)
                self.y += line_height

    def table(self, table: Table, *, size: float = 9.5, heading: bool = True) -> None:
        """The table's heading and note, then its rows in ruled cells, the
        column names repeated at the top of each page it runs onto. A
        heading is kept with the column names and the first row."""
        scale = self.width / sum(table.widths)
        columns = [_Column(w * scale, "R" if i in table.number_columns else "L")
                   for i, w in enumerate(table.widths)]
        line_height = size * PT * 1.45
        header = self._row_lines(table.columns, columns, "B", size) if table.columns else []
        header_height = self._row_height(header, line_height) if header else 0.0
        first = self._row_lines(table.rows[0], columns, "", size) if table.rows else []
        first_height = self._row_height(first, line_height) if first else 0.0
        if heading:
            note_height = 10 * PT * 1.5 + 1 if table.note else 0.0
            self.room_for(3 + 12 * PT * 1.5 + 1 + note_height + header_height + first_height)
            self.paragraph(table.heading, style="B", size=12, before=3)
            if table.note:
                self.paragraph(table.note, size=10)
        else:
            self.y += 2
        for index, row in enumerate(table.rows):
            lines = first if index == 0 else self._row_lines(row, columns, "", size)
            height = first_height if index == 0 else self._row_height(lines, line_height)
            if index == 0 or self.y + height > self.bottom:
                if self.y + header_height + height > self.bottom:
                    self.new_page()
                if header:
                    self._draw_row(header, columns, header_height, line_height, "B", size, fill=True)
            bold = table.total and index == len(table.rows) - 1
            self._draw_row(lines, columns, height, line_height, "B" if bold else "", size)
        self.y += 1

    CELL_PAD = 0.9
    """Room above and below the lines of a table cell (mm)."""

    def _row_lines(self, row: Sequence[Cell], columns: Sequence[_Column], style: str,
                   size: float) -> list[list[str]]:
        return [self.lines(value.text() if isinstance(value, Number) else str(value),
                           column.width - 2 * self.doc.c_margin, style, size)
                for value, column in zip(row, columns)]

    def _row_height(self, lines: Sequence[Sequence[str]], line_height: float) -> float:
        return max(len(cell) for cell in lines) * line_height + 2 * self.CELL_PAD

    def _draw_row(self, lines: Sequence[Sequence[str]], columns: Sequence[_Column], height: float,
                  line_height: float, style: str, size: float, *, fill: bool = False) -> None:
        x = PAGE_MARGIN
        for cell, column in zip(lines, columns):
            self.doc.rect(x, self.y, column.width, height, style="DF" if fill else "D")
            y = self.y + self.CELL_PAD
            for line in cell:
                self.draw_text(x, y, column.width, line_height, line,
                               align=column.align, style=style, size=size)
                y += line_height
            x += column.width
        self.y += height

    # the report

    def render(self, model: Report) -> None:
        doc = self.doc
        doc.set_lang(model.lang)
        doc.set_title(model.title)
        if model.generated_at is not None:
            doc.set_creation_date(model.generated_at.replace(tzinfo=BANGKOK))
        self.new_page()
        self.paragraph(model.title, style="B", size=14, after=2)
        self.facts(model.facts)
        self.y += 2
        for table in model.summary:
            self.table(table)
            if table is model.readiness_verdict and model.activities.rows:
                self.table(model.activities, heading=False)
        self.table(model.datasets, size=9)

    def output(self) -> bytes:
        return bytes(self.doc.output())
