"""Converting PDF tables and workbook sheets to CSV: real PDFs drawn here
with fpdf2 in a Thai font (Thai text must come out as it was typed, marks
in order), real XLSX files written with openpyxl and XLS with xlwt, and
the hostile ones (not a PDF, encrypted, scanned, zip bombs, limits)."""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import struct
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path

import openpyxl
import pytest
import xlwt
from fpdf import FPDF
from fpdf.enums import EncryptionMethod, TableHeadingsDisplay
from fpdf.fonts import FontFace
from PIL import Image, ImageDraw

from ckanext.opendata_th.playbook.messages import Message
from ckanext.opendata_th.quality.convert import (
    CONVERTERS,
    ConversionError,
    ConvertLimits,
    clean_cell,
    file_slug,
    number_text,
    pdf_tables_to_csv,
    workbook_cell_text,
    xlsx_to_csv,
)

FONT_NAMES = ("Loma.otf", "Loma.ttf", "Garuda.otf", "Garuda.ttf", "Norasi.otf", "Norasi.ttf")
"""Regular Thai fonts of Debian's fonts-tlwg-* packages (scripts/system-deps.sh
--browser installs fonts-tlwg-loma-otf; `make test` runs it)."""

THAI_WORDS = ["ข้อมูล", "ที่", "น้ำ", "กรุงเทพมหานคร", "ปี่", "ฤดู", "สำนักงาน", "เชียงใหม่",
              "กั๊ก", "ผู้ใหญ่", "ญี่ปุ่น", "ปั้น", "ซื้อ", "กิ่ง", "ชั่วโมง", "เรื่อง", "ฤๅษี", "พ.ศ. ๒๕๖๗"]
"""Stacked marks (vowel then tone), SARA AM, Thai digits and abbreviations."""


@pytest.fixture(scope="module")
def thai_font() -> Path:
    for root in (Path("/usr/share/fonts"), Path("/usr/local/share/fonts")):
        for font_name in FONT_NAMES:
            found = sorted(root.rglob(font_name)) if root.is_dir() else []
            if found:
                return found[0]
    raise AssertionError("No Thai font: install fonts-tlwg-loma-otf (scripts/system-deps.sh --browser)")


def new_pdf(font: Path, shaping: bool = False) -> FPDF:
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_font("thai", "", str(font))
    pdf.set_font("thai", size=12)
    if shaping:
        pdf.set_text_shaping(True)
    return pdf


def draw_table(pdf: FPDF, rows: Sequence[Sequence[str]], *, repeat_header: bool = True,
               widths: Sequence[int] | None = None) -> None:
    """A ruled table (fpdf2 draws every cell's borders) that flows over
    pages, its first row the header, repeated on each page or not."""
    with pdf.table(headings_style=FontFace(emphasis=""), col_widths=widths,
                   repeat_headings=(TableHeadingsDisplay.ON_TOP_OF_EVERY_PAGE if repeat_header
                                    else TableHeadingsDisplay.NONE)) as table:
        for cells in rows:
            row = table.row()
            for cell in cells:
                row.cell(cell)


def read_csv(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf"), "UTF-8 without a byte-order mark"
    return list(csv.reader(io.StringIO(raw.decode("utf-8"), newline="")))


def codes(error: pytest.ExceptionInfo[ConversionError]) -> str:
    return error.value.code


HEADER = ["ลำดับ", "จังหวัด", "จำนวน (คน)"]
PROVINCES = ["กรุงเทพมหานคร", "เชียงใหม่", "น่าน", "ขอนแก่น", "ภูเก็ต", "สุราษฎร์ธานี", "อุบลราชธานี"]


def province_rows(count: int) -> list[list[str]]:
    return [[str(i), PROVINCES[i % len(PROVINCES)], f"{i * 1000 + 7:,}"] for i in range(1, count + 1)]


# -- one table, Thai text --------------------------------------------------------------------

def test_a_table_with_thai_text_comes_out_as_typed(tmp_path, thai_font):
    pdf = new_pdf(thai_font)
    pdf.add_page()
    pdf.cell(text="รายงานจำนวนผู้ใช้บริการ ปี 2567 (ข้อความก่อนตาราง ไม่ใช่ตาราง)")
    pdf.ln(12)
    rows = [["คำ", "จำนวน"]] + [[word, str(i)] for i, word in enumerate(THAI_WORDS)]
    draw_table(pdf, rows)
    pdf.output(tmp_path / "upload")

    result = pdf_tables_to_csv(tmp_path / "upload", tmp_path / "out", name="report_2567.pdf")

    assert result.problems == ()
    assert result.source == "report 2567"
    [output] = result.files
    assert output.file_name == "report-2567-table-1.csv"
    assert read_csv(output.path) == rows
    assert output.header == ("คำ", "จำนวน")
    assert output.row_count == len(THAI_WORDS)
    assert output.pages == (1,)
    assert output.sheet is None
    assert output.title == Message("{name} — table {number}", name="report 2567", number=1)
    assert output.title.render() == "report 2567 — table 1"


def test_thai_marks_keep_their_typed_order_when_the_font_positions_them(tmp_path, thai_font):
    """With text shaping (as word processors write Thai), a tone mark above a
    vowel mark is drawn left of it, and a PDF text extractor sorting
    characters by position puts it first ("ซ้ือ" for "ซื้อ")."""
    shaped = [w for w in THAI_WORDS if "ำ" not in w]  # fpdf2 leaves SARA AM's second glyph unnamed
    pdf = new_pdf(thai_font, shaping=True)
    pdf.add_page()
    rows = [["คือ", "ที่"]] + [[w, str(i)] for i, w in enumerate(shaped)]
    draw_table(pdf, rows)
    pdf.output(tmp_path / "shaped.pdf")

    result = pdf_tables_to_csv(tmp_path / "shaped.pdf", tmp_path)

    assert result.problems == ()
    assert read_csv(result.files[0].path) == rows


def test_unnamed_glyphs_are_reported_with_their_pages(tmp_path, thai_font):
    pdf = new_pdf(thai_font, shaping=True)
    pdf.add_page()
    draw_table(pdf, [["ชื่อ", "ปี"], ["สำนักงาน", "2567"]])
    pdf.output(tmp_path / "cid.pdf")

    result = pdf_tables_to_csv(tmp_path / "cid.pdf", tmp_path)

    assert "(cid:" in read_csv(result.files[0].path)[1][0]
    [problem] = result.problems
    assert problem.msgid.startswith("Some characters on pages {pages} could not be read")
    assert problem.params == {"pages": "1"}


def test_marks_drawn_apart_or_out_of_order_are_put_right(tmp_path, thai_font):
    pdf = new_pdf(thai_font)
    pdf.add_page()
    draw_table(pdf, [["คำ", "ที่"], ["น\u0e4d\u0e49\u0e32", "1"], ["ส\u0e4d\u0e32นัก", "2"],
                     ["ก\u0e48\u0e34ง", "3"]])  # a tone mark drawn before its vowel mark
    pdf.output(tmp_path / "am.pdf")

    [output] = pdf_tables_to_csv(tmp_path / "am.pdf", tmp_path).files

    assert read_csv(output.path)[1:] == [["น้ำ", "1"], ["สำนัก", "2"], ["กิ่ง", "3"]]


def test_cells_wrapped_over_lines_are_joined(tmp_path, thai_font):
    """A wrapped Thai cell is joined without a space (Thai has none between
    words); wrapped Latin words keep one space."""
    long_thai = "กระทรวงการพัฒนาสังคมและความมั่นคงของมนุษย์"
    latin = "Bangkok Metropolitan Administration Office"
    pdf = new_pdf(thai_font)
    pdf.add_page()
    draw_table(pdf, [["หน่วยงาน", "name", "ปี"], [long_thai, latin, "2567"], ["", "x", ""]],
               widths=(30, 30, 40))
    pdf.output(tmp_path / "wrapped.pdf")

    [output] = pdf_tables_to_csv(tmp_path / "wrapped.pdf", tmp_path).files

    rows = read_csv(output.path)
    assert rows[1] == [long_thai, latin, "2567"]
    assert rows[2] == ["", "x", ""], "empty cells stay empty strings"


def draw_grid(pdf: FPDF, cells: Sequence[Sequence[Sequence[str]]], *, bold: bool = False,
              double_rule_under_header: bool = False) -> None:
    """A table drawn by hand, as some producers do: rectangles for the
    cells, each cell's words placed one by one (no space characters: the
    gaps between them are the spaces), every word drawn twice 0.1 mm apart
    for a fake bold."""
    x, y, width, height = 20, 20, 60, 10
    for row, texts in enumerate(cells):
        top = y + row * height
        for column, words in enumerate(texts):
            pdf.rect(x + column * width, top, width, height)
            left = x + column * width + 2
            for word in words:
                pdf.text(left, top + 7, word)
                if bold:
                    pdf.text(left + 0.1, top + 7, word)  # 0.1 mm = 0.28 pt
                left += pdf.get_string_width(word) + 2.5  # a gap of about 7 pt
    if double_rule_under_header:  # a second rule 1.5 mm (4 pt) under the header's
        pdf.line(x, y + height + 1.5, x + width * len(cells[0]), y + height + 1.5)


GRID = [[["จังหวัด"], ["ประชากร", "(คน)"]], [["เชียงใหม่"], ["1,789,385"]], [["Nan", "province"], ["477,707"]]]
GRID_TEXT = [["จังหวัด", "ประชากร (คน)"], ["เชียงใหม่", "1,789,385"], ["Nan province", "477,707"]]


def test_words_placed_apart_are_separated_by_a_space(tmp_path, thai_font):
    pdf = new_pdf(thai_font)
    pdf.add_page()
    draw_grid(pdf, GRID)
    pdf.output(tmp_path / "grid.pdf")

    [output] = pdf_tables_to_csv(tmp_path / "grid.pdf", tmp_path).files

    assert read_csv(output.path) == GRID_TEXT


def test_characters_drawn_twice_for_a_fake_bold_are_read_once(tmp_path, thai_font):
    pdf = new_pdf(thai_font)
    pdf.add_page()
    draw_grid(pdf, GRID, bold=True)
    pdf.output(tmp_path / "bold.pdf")

    [output] = pdf_tables_to_csv(tmp_path / "bold.pdf", tmp_path).files

    assert read_csv(output.path) == GRID_TEXT


def test_the_empty_row_between_double_rules_is_dropped(tmp_path, thai_font):
    pdf = new_pdf(thai_font)
    pdf.add_page()
    draw_grid(pdf, GRID, double_rule_under_header=True)
    pdf.output(tmp_path / "double.pdf")

    [output] = pdf_tables_to_csv(tmp_path / "double.pdf", tmp_path).files

    assert read_csv(output.path) == GRID_TEXT
    assert output.row_count == 2


# -- tables over pages -----------------------------------------------------------------------

@pytest.mark.parametrize("repeat_header", [True, False], ids=["header repeated", "header not repeated"])
def test_a_table_continued_over_pages_is_one_csv(tmp_path, thai_font, repeat_header):
    pdf = new_pdf(thai_font)
    pdf.add_page()
    rows = province_rows(70)  # A4 holds about 25 rows of this table
    draw_table(pdf, [HEADER] + rows, repeat_header=repeat_header)
    pdf.output(tmp_path / "long.pdf")

    result = pdf_tables_to_csv(tmp_path / "long.pdf", tmp_path / "out")

    assert result.problems == ()
    [output] = result.files
    assert output.pages == (1, 2, 3)
    assert output.row_count == 70
    assert read_csv(output.path) == [HEADER] + rows


def test_tables_with_different_headers_are_separate_csvs(tmp_path, thai_font):
    pdf = new_pdf(thai_font)
    pdf.add_page()
    draw_table(pdf, [HEADER] + province_rows(3))
    pdf.ln(10)
    budget = [["ปีงบประมาณ", "งบประมาณ (บาท)"], ["2566", "1,200,000.50"], ["2567", "1,350,000"]]
    draw_table(pdf, budget)
    pdf.add_page()
    draw_table(pdf, [HEADER] + province_rows(2))  # same header again, after another table
    pdf.output(tmp_path / "two.pdf")

    result = pdf_tables_to_csv(tmp_path / "two.pdf", tmp_path, name="สถิติ 2567")

    assert [f.file_name for f in result.files] == [
        "2567-table-1.csv", "2567-table-2.csv", "2567-table-3.csv"]
    assert [f.title.params["number"] for f in result.files] == [1, 2, 3]
    assert read_csv(result.files[1].path) == budget
    assert result.files[0].header == tuple(HEADER) and result.files[2].row_count == 2
    assert [f.pages for f in result.files] == [(1,), (1,), (2,)]


def test_a_new_table_at_the_top_of_the_next_page_is_not_taken_for_a_continuation(tmp_path, thai_font):
    """Same columns, but its first row is text where the table above had
    numbers: a header, so a new table."""
    pdf = new_pdf(thai_font)
    pdf.add_page()
    draw_table(pdf, [HEADER] + province_rows(3))
    pdf.add_page()
    other = [["ภาค", "จังหวัดหลัก", "หมายเหตุ"], ["เหนือ", "เชียงใหม่", "12"]]
    draw_table(pdf, other)
    pdf.output(tmp_path / "next.pdf")

    result = pdf_tables_to_csv(tmp_path / "next.pdf", tmp_path)

    assert len(result.files) == 2
    assert read_csv(result.files[1].path) == other


# -- pages that give no table ----------------------------------------------------------------

def test_pages_with_text_but_no_table_are_reported(tmp_path, thai_font):
    pdf = new_pdf(thai_font)
    pdf.add_page()
    draw_table(pdf, [HEADER] + province_rows(2))
    for _ in range(3):
        pdf.add_page()
        pdf.multi_cell(0, 8, "หน้านี้มีแต่ข้อความอธิบาย ไม่มีตาราง")
    pdf.add_page()  # blank: not worth a word
    pdf.output(tmp_path / "text.pdf")

    result = pdf_tables_to_csv(tmp_path / "text.pdf", tmp_path)

    assert len(result.files) == 1
    assert result.problems == (Message("Pages with text but no table: {pages}", pages="2–4"),)


def test_a_pdf_without_any_table_says_so(tmp_path, thai_font):
    pdf = new_pdf(thai_font)
    pdf.add_page()
    pdf.multi_cell(0, 8, "จังหวัด เชียงใหม่ ประชากร 1,789,385 คน (ตัวเลขในย่อหน้า ไม่ใช่ตาราง)")
    pdf.output(tmp_path / "prose.pdf")

    result = pdf_tables_to_csv(tmp_path / "prose.pdf", tmp_path / "out")

    assert result.files == ()
    assert [p.msgid for p in result.problems] == [
        "No table was found in this PDF. Only tables drawn with lines are found."]
    assert list((tmp_path / "out").iterdir()) == []


def scanned_page() -> Image.Image:
    image = Image.new("RGB", (800, 400), "white")
    draw = ImageDraw.Draw(image)
    for row in range(5):
        draw.line((20, 20 + row * 60, 780, 20 + row * 60), fill="black", width=2)
        draw.text((40, 40 + row * 60), f"row {row}  12,345", fill="black")
    return image


def test_a_scanned_pdf_needs_ocr(tmp_path):
    pdf = FPDF()
    for _ in range(2):
        pdf.add_page()
        pdf.image(scanned_page(), x=10, y=10, w=190)
    pdf.output(tmp_path / "scan.pdf")

    result = pdf_tables_to_csv(tmp_path / "scan.pdf", tmp_path)

    assert result.files == ()
    assert result.problems == (Message(
        "This PDF is an image: it needs OCR (reading text from a picture), which this portal does not do."),)


def test_scanned_pages_among_text_pages_are_listed(tmp_path, thai_font):
    pdf = new_pdf(thai_font)
    pdf.add_page()
    draw_table(pdf, [HEADER] + province_rows(2))
    pdf.add_page()
    pdf.image(scanned_page(), x=10, y=10, w=190)
    pdf.output(tmp_path / "mixed.pdf")

    result = pdf_tables_to_csv(tmp_path / "mixed.pdf", tmp_path)

    assert len(result.files) == 1
    assert [(p.msgid.split(" (")[0], p.params) for p in result.problems] == [
        ("Pages that are images", {"pages": "2"})]


# -- files that cannot be converted ----------------------------------------------------------

@pytest.mark.parametrize("content, code", [
    (b"<html><body><table><tr><td>1</td></tr></table></body></html>", "pdf.not_pdf"),
    (b"PK\x03\x04 a zip named .pdf", "pdf.not_pdf"),
    (b"", "pdf.not_pdf"),
    (b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n garbage", "pdf.damaged"),
], ids=["html", "zip", "empty", "damaged"])
def test_a_file_that_is_not_a_readable_pdf_is_refused(tmp_path, content, code):
    path = tmp_path / "report.pdf"
    path.write_bytes(content)

    with pytest.raises(ConversionError) as error:
        pdf_tables_to_csv(path, tmp_path / "out")

    assert codes(error) == code
    assert error.value.message.msgid in ("This file is not a PDF.", "This PDF is damaged and cannot be read.")


def two_latin_pages() -> bytes:
    pdf = FPDF()
    pdf.set_compression(False)
    pdf.set_font("helvetica", size=12)
    for page in range(2):
        pdf.add_page()
        draw_table(pdf, [["year", "count"], [str(2566 + page), "1"]])
    return bytes(pdf.output())


def test_a_pdf_with_a_broken_page_box_is_damaged(tmp_path):
    data = two_latin_pages()
    assert data.count(b"/Contents 6 0 R") == 1  # the second page's
    (tmp_path / "box.pdf").write_bytes(data.replace(b"/Contents 6 0 R", b"/Contents 6 0 R /MediaBox [0 0 x]"))

    with pytest.raises(ConversionError) as error:
        pdf_tables_to_csv(tmp_path / "box.pdf", tmp_path / "out")

    assert codes(error) == "pdf.damaged"


def test_a_page_that_cannot_be_parsed_is_reported_and_the_others_converted(tmp_path, monkeypatch):
    """pdfminer is lenient, so a page that breaks it is simulated: its
    table finder raises on the second page, as pdfminer does on some
    broken content streams."""
    import pdfplumber.page

    (tmp_path / "two.pdf").write_bytes(two_latin_pages())
    find_tables = pdfplumber.page.Page.find_tables

    def broken_second_page(page, *args, **kwargs):
        if page.page_number == 2:
            raise TypeError("unsupported operand type(s)")
        return find_tables(page, *args, **kwargs)

    monkeypatch.setattr(pdfplumber.page.Page, "find_tables", broken_second_page)

    result = pdf_tables_to_csv(tmp_path / "two.pdf", tmp_path / "out")

    assert [read_csv(f.path) for f in result.files] == [[["year", "count"], ["2566", "1"]]]
    assert result.problems == (Message("Pages that could not be read (damaged): {pages}", pages="2"),)


def test_a_password_protected_pdf_is_refused_and_an_owner_protected_one_converted(tmp_path, thai_font):
    for user_password, name in (("secret", "locked.pdf"), (None, "owner.pdf")):
        pdf = new_pdf(thai_font)
        pdf.add_page()
        draw_table(pdf, [HEADER] + province_rows(2))
        pdf.set_encryption(owner_password="owner", user_password=user_password,
                           encryption_method=EncryptionMethod.AES_128)
        pdf.output(tmp_path / name)

    with pytest.raises(ConversionError) as error:
        pdf_tables_to_csv(tmp_path / "locked.pdf", tmp_path / "out")
    assert codes(error) == "pdf.encrypted"
    assert "password" in str(error.value)

    [output] = pdf_tables_to_csv(tmp_path / "owner.pdf", tmp_path / "out").files
    assert read_csv(output.path) == [HEADER] + province_rows(2)


# -- limits ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def three_page_pdf(tmp_path_factory, thai_font) -> Path:
    pdf = new_pdf(thai_font)
    pdf.add_page()
    draw_table(pdf, [HEADER] + province_rows(70))
    path = tmp_path_factory.mktemp("limits") / "three.pdf"
    pdf.output(path)
    return path


@pytest.mark.parametrize("limits, code, params", [
    (ConvertLimits(max_pages=2), "limit.pages", {"pages": 3, "limit": 2}),
    (ConvertLimits(max_output_rows=50), "limit.rows", {"limit": "50"}),
    (ConvertLimits(max_seconds=0), "limit.seconds", {"limit": "0"}),
    (ConvertLimits(max_input_bytes=1000), "limit.input_bytes", {"limit": "0.0"}),
], ids=["pages", "rows", "seconds", "input bytes"])
def test_a_pdf_over_a_limit_is_refused_and_leaves_no_file(tmp_path, three_page_pdf, limits, code, params):
    out = tmp_path / "out"
    with pytest.raises(ConversionError) as error:
        pdf_tables_to_csv(three_page_pdf, out, limits=limits)

    assert codes(error) == code
    assert params.items() <= error.value.message.params.items()
    assert not out.exists() or list(out.iterdir()) == []


def test_the_same_pdf_within_the_limits_converts(tmp_path, three_page_pdf):
    result = pdf_tables_to_csv(three_page_pdf, tmp_path, limits=ConvertLimits(max_pages=3, max_output_rows=70))
    assert [f.row_count for f in result.files] == [70]


# -- cells, numbers and names ----------------------------------------------------------------

@pytest.mark.parametrize("raw, clean", [
    ("  จำนวน\n (คน) ", "จำนวน (คน)"),
    ("กระทรวง\nมหาดไทย", "กระทรวงมหาดไทย"),
    ("Bangkok\nMetropolitan", "Bangkok Metropolitan"),
    ("เลขที่\n12", "เลขที่ 12"),
    ("สำนักงาน \nสถิติ", "สำนักงาน สถิติ"),
    ("a\t\t b\u00a0c", "a b c"),
    ("ข้อ\u200bมูล", "ข้อมูล"),
    ("น\u0e4d\u0e49\u0e32 น\u0e49\u0e4d\u0e32", "น้ำ น้ำ"),
    ("", ""),
    (" \n ", ""),
])
def test_clean_cell(raw, clean):
    assert clean_cell(raw) == clean


@pytest.mark.parametrize("value, number_format, text", [
    (1.1, None, "1.1"),
    (0.1 + 0.2, None, "0.3"),
    (1.1000000000000001, None, "1.1"),
    (5.0, None, "5"),
    (-0.0, None, "0"),
    (1e16, None, "10000000000000000"),
    (1.5e-7, None, "0.00000015"),
    (12345678.9, "#,##0.00", "12345678.9"),
    (1234, "00000", "01234"),
    (1234.0, '"TH-"00000', "01234"),
    (1234.5, "00000", "1234.5"),
    (7, None, "7"),
    (2**70, None, str(2**70)),
])
def test_number_text(value, number_format, text):
    assert number_text(value, number_format) == text


@pytest.mark.parametrize("value, number_format, text", [
    (dt.datetime(2024, 3, 1), "yyyy-mm-dd", "2024-03-01"),
    (dt.datetime(2024, 3, 1, 8, 30), "d/m/yyyy", "2024-03-01"),
    (dt.datetime(2024, 3, 1), "yyyy-mm-dd hh:mm", "2024-03-01 00:00:00"),
    (dt.datetime(2024, 3, 1), "[$-th-TH,107]d mmmm yyyy", "2024-03-01"),
    (dt.datetime(2024, 3, 1, 8, 30, 5), None, "2024-03-01 08:30:05"),
    (dt.time(8, 30), "h:mm", "08:30:00"),
    (dt.timedelta(hours=30, minutes=5), "[h]:mm", "30:05:00"),
    (True, None, "TRUE"),
    ("00123", "@", "00123"),
    ("", None, None),
    (None, None, None),
])
def test_workbook_cell_text(value, number_format, text):
    assert workbook_cell_text(value, number_format) == text


@pytest.mark.parametrize("name, slug", [
    ("report 2567", "report-2567"),
    ("รายงาน ๒๕๖๗", "2567"),
    ("ข้อมูล", "data"),
    ("Café Résumé", "cafe-resume"),
    ("a" * 40 + " " + "b" * 40, "a" * 40),
])
def test_file_slug(name, slug):
    assert file_slug(name) == slug


# -- workbooks -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def workbook(tmp_path_factory) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "ข้อมูล"
    sheet.append(["รหัสจังหวัด", "จังหวัด", "วันที่", "เวลา", "อัตรา", "จำนวน", "ไปรษณีย์", "เปิด"])
    sheet.append(["10", "กรุงเทพมหานคร", dt.date(2024, 1, 31), dt.datetime(2024, 1, 31, 8, 30),
                  0.1 + 0.2, 5.0, 10200, True])
    sheet.append(["0050", "เชียงใหม่", dt.date(2023, 12, 1), dt.datetime(2023, 12, 1, 17, 0, 5),
                  1.1000000000000001, 1234567, 501, False])
    for row in (2, 3):
        sheet.cell(row, 3).number_format = "[$-th-TH,107]d mmmm yyyy"
        sheet.cell(row, 4).number_format = "yyyy-mm-dd hh:mm:ss"
        sheet.cell(row, 7).number_format = "00000"
    book.create_sheet("ว่าง")  # empty
    formatted = book.create_sheet("formatted only")
    formatted["C5"].number_format = "0.00"  # a styled cell without a value is still empty
    formatted["D9"] = ""
    summary = book.create_sheet("Summary 2567")
    summary["B3"] = "ภาค"
    summary["C3"] = "จำนวน"
    summary["B4"] = "เหนือ"
    summary["C4"] = 17
    summary["D4"] = "หมายเหตุ"  # wider than the header
    summary["B6"] = "ใต้"  # an empty row between, kept
    summary["C6"] = 14
    summary["B9"] = None
    path = tmp_path_factory.mktemp("workbook") / "upload"  # as CKAN stores it: no extension
    book.save(path)
    return path


def test_every_non_empty_sheet_becomes_a_csv(tmp_path, workbook):
    result = xlsx_to_csv(workbook, tmp_path, name="workbook.xlsx")

    assert result.problems == ()
    assert [(f.file_name, f.sheet, f.row_count) for f in result.files] == [
        ("workbook-sheet-1.csv", "ข้อมูล", 2), ("workbook-sheet-4.csv", "Summary 2567", 3)]
    first, summary = result.files
    assert first.title == Message("{name} — {sheet}", name="workbook", sheet="ข้อมูล")
    assert first.title.render() == "workbook — ข้อมูล"
    assert read_csv(first.path) == [
        ["รหัสจังหวัด", "จังหวัด", "วันที่", "เวลา", "อัตรา", "จำนวน", "ไปรษณีย์", "เปิด"],
        ["10", "กรุงเทพมหานคร", "2024-01-31", "2024-01-31 08:30:00", "0.3", "5", "10200", "TRUE"],
        ["0050", "เชียงใหม่", "2023-12-01", "2023-12-01 17:00:05", "1.1", "1234567", "00501", "FALSE"],
    ]
    assert first.pages == ()


def test_a_sheet_is_squared_indented_columns_and_trailing_rows_dropped(tmp_path, workbook):
    summary = xlsx_to_csv(workbook, tmp_path).files[1]

    assert read_csv(summary.path) == [
        ["ภาค", "จำนวน", ""],
        ["เหนือ", "17", "หมายเหตุ"],
        ["", "", ""],
        ["ใต้", "14", ""],
    ]
    assert summary.header == ("ภาค", "จำนวน", "")


def test_an_empty_row_between_data_is_kept_as_empty_cells(tmp_path):
    book = openpyxl.Workbook()
    for row in (["ปี", "จำนวน"], ["2566", 10], [], ["2567", 12]):
        book.active.append(row)
    book.save(tmp_path / "gap.xlsx")

    [output] = xlsx_to_csv(tmp_path / "gap.xlsx", tmp_path / "out").files

    assert read_csv(output.path) == [["ปี", "จำนวน"], ["2566", "10"], ["", ""], ["2567", "12"]]
    assert output.row_count == 3


def test_a_sheet_whose_stored_dimensions_are_wrong_is_read_whole(tmp_path):
    """Some generators write <dimension ref="A1"/> whatever the sheet holds;
    openpyxl's read-only mode would then read one cell."""
    book = openpyxl.Workbook()
    for row in (["ปี", "จำนวน"], ["2566", 10], ["2567", 12]):
        book.active.append(row)
    book.save(tmp_path / "dims.xlsx")
    with zipfile.ZipFile(tmp_path / "dims.xlsx") as source, \
            zipfile.ZipFile(tmp_path / "wrong.xlsx", "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            data = source.read(member)
            if member.filename == "xl/worksheets/sheet1.xml":
                assert b'<dimension ref="A1:B3"/>' in data
                data = data.replace(b'<dimension ref="A1:B3"/>', b'<dimension ref="A1"/>')
            target.writestr(member, data)

    [output] = xlsx_to_csv(tmp_path / "wrong.xlsx", tmp_path / "out").files

    assert read_csv(output.path) == [["ปี", "จำนวน"], ["2566", "10"], ["2567", "12"]]


def test_an_xls_workbook_converts_the_same_way(tmp_path):
    book = xlwt.Workbook()
    sheet = book.add_sheet("ข้อมูล")
    date_style = xlwt.easyxf(num_format_str="d/m/yyyy")
    time_style = xlwt.easyxf(num_format_str="yyyy-mm-dd hh:mm")
    padded = xlwt.easyxf(num_format_str="00000")
    for column, title in enumerate(["รหัส", "วันที่", "เวลา", "อัตรา", "ไปรษณีย์"]):
        sheet.write(0, column, title)
    sheet.write(1, 0, "0050")
    sheet.write(1, 1, dt.date(2024, 1, 31), date_style)
    sheet.write(1, 2, dt.datetime(2024, 1, 31, 8, 30), time_style)
    sheet.write(1, 3, 0.1 + 0.2)
    sheet.write(1, 4, 501, padded)
    sheet.write(0, 5, "เปิด")
    sheet.write(1, 5, dt.time(8, 30), xlwt.easyxf(num_format_str="h:mm"))
    book.add_sheet("ว่าง")
    book.add_sheet("สรุป").write(0, 0, "รวม")
    path = tmp_path / "report.xls"
    book.save(str(path))

    result = xlsx_to_csv(path, tmp_path / "out")

    assert [(f.file_name, f.sheet) for f in result.files] == [
        ("report-sheet-1.csv", "ข้อมูล"), ("report-sheet-3.csv", "สรุป")]
    assert read_csv(result.files[0].path) == [
        ["รหัส", "วันที่", "เวลา", "อัตรา", "ไปรษณีย์", "เปิด"],
        ["0050", "2024-01-31", "2024-01-31 08:30:00", "0.3", "00501", "08:30:00"],
    ]
    assert result.files[1].row_count == 0


def test_a_workbook_with_only_empty_sheets_converts_nothing_and_says_so(tmp_path):
    book = openpyxl.Workbook()
    book.create_sheet("อีกแผ่น")
    book.save(tmp_path / "empty.xlsx")

    result = xlsx_to_csv(tmp_path / "empty.xlsx", tmp_path / "out")

    assert result.files == ()
    assert [p.msgid for p in result.problems] == [
        "Every worksheet of this workbook is empty: nothing was converted."]


@pytest.fixture
def openpyxl_must_not_open(monkeypatch) -> None:
    def refuse(*args, **kwargs):
        raise AssertionError("openpyxl was asked to open a refused workbook")
    monkeypatch.setattr(openpyxl, "load_workbook", refuse)


def zip_with(path: Path, members: dict[str, bytes | Callable[[zipfile.ZipFile, str], None]]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            if callable(content):
                content(archive, name)
            else:
                archive.writestr(name, content)
    return path


def zeros(archive: zipfile.ZipFile, name: str, size: int = 40 * 1024 * 1024) -> None:
    with archive.open(name, "w", force_zip64=False) as stream:
        chunk = bytes(1024 * 1024)
        for _ in range(size // len(chunk)):
            stream.write(chunk)


def test_a_zip_bomb_is_refused_before_openpyxl_opens_it(tmp_path, openpyxl_must_not_open):
    bomb = zip_with(tmp_path / "bomb.xlsx", {"[Content_Types].xml": b"<Types/>",
                                             "xl/workbook.xml": b"<workbook/>",
                                             "xl/worksheets/sheet1.xml": zeros})

    with pytest.raises(ConversionError) as error:
        xlsx_to_csv(bomb, tmp_path / "out")

    assert codes(error) == "limit.compression_ratio"
    assert error.value.message.params["part"] == "xl/worksheets/sheet1.xml"
    assert "zip bomb" in str(error.value)


def test_a_zip_declaring_a_huge_size_is_refused_from_its_directory(tmp_path, openpyxl_must_not_open):
    """The part's central-directory entry claims 4 GB: nothing is inflated
    to find out."""
    path = zip_with(tmp_path / "liar.xlsx", {"[Content_Types].xml": b"<Types/>",
                                             "xl/worksheets/sheet1.xml": b"<worksheet/>" * 10})
    data = bytearray(path.read_bytes())
    entry = data.rindex(b"PK\x01\x02")  # the last part's central directory entry
    struct.pack_into("<I", data, entry + 24, 0xFFFF0000)  # its uncompressed size
    path.write_bytes(bytes(data))

    with pytest.raises(ConversionError) as error:
        xlsx_to_csv(path, tmp_path / "out")

    assert codes(error) == "limit.unpacked_bytes"
    assert error.value.message.params["limit"] == "1,024.0"


def test_a_zip_with_too_many_parts_is_refused(tmp_path, openpyxl_must_not_open):
    path = zip_with(tmp_path / "many.xlsx", {f"xl/part{i}.xml": b"<x/>" for i in range(12)})
    with pytest.raises(ConversionError) as error:
        xlsx_to_csv(path, tmp_path / "out", limits=ConvertLimits(max_zip_members=10))
    assert codes(error) == "limit.zip_members"
    assert error.value.message.params == {"count": 12, "limit": 10}


@pytest.mark.parametrize("content, code", [
    (b"id,name\n1,a\n", "workbook.not_workbook"),
    (b"%PDF-1.4 not a workbook", "workbook.not_workbook"),
    (b"PK\x03\x04" + b"\x00" * 200, "workbook.damaged"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "workbook.damaged"),
], ids=["csv", "pdf", "broken zip", "broken ole"])
def test_a_file_that_is_not_a_readable_workbook_is_refused(tmp_path, content, code):
    path = tmp_path / "data.xlsx"
    path.write_bytes(content)
    with pytest.raises(ConversionError) as error:
        xlsx_to_csv(path, tmp_path / "out")
    assert codes(error) == code


def test_a_word_document_named_xlsx_is_not_a_workbook(tmp_path, openpyxl_must_not_open):
    path = zip_with(tmp_path / "letter.xlsx", {"[Content_Types].xml": b"<Types/>",
                                               "word/document.xml": b"<document/>"})
    with pytest.raises(ConversionError) as error:
        xlsx_to_csv(path, tmp_path / "out")
    assert codes(error) == "workbook.not_workbook"


def test_a_workbook_over_the_row_limit_is_refused_and_leaves_no_file(tmp_path, workbook):
    out = tmp_path / "out"
    with pytest.raises(ConversionError) as error:
        xlsx_to_csv(workbook, out, limits=ConvertLimits(max_output_rows=4))
    assert codes(error) == "limit.rows"
    assert list(out.iterdir()) == []  # the first sheet's CSV was written, then removed


def test_a_conversion_never_overwrites_a_file(tmp_path, workbook):
    first = xlsx_to_csv(workbook, tmp_path, name="workbook").files[0].path
    second = xlsx_to_csv(workbook, tmp_path, name="workbook").files[0].path
    assert (first.name, second.name) == ("workbook-sheet-1.csv", "workbook-sheet-1-2.csv")


def test_a_thai_name_leaves_the_file_names_to_the_published_files_name(tmp_path, workbook):
    result = xlsx_to_csv(workbook, tmp_path, name="ข้อมูลงบประมาณ", file_name="budget_report.xlsx")
    assert [f.file_name for f in result.files] == ["budget-report-sheet-1.csv", "budget-report-sheet-4.csv"]
    assert result.files[0].title.params["name"] == "ข้อมูลงบประมาณ"
    named = xlsx_to_csv(workbook, tmp_path / "named", name="Budget 2567", file_name="x.xlsx")
    assert named.files[0].file_name == "budget-2567-sheet-1.csv"


def test_the_conversion_is_json_for_the_job(tmp_path, workbook):
    result = xlsx_to_csv(workbook, tmp_path, name="งบประมาณ 2567")
    data = json.loads(json.dumps(result.as_dict(), ensure_ascii=False))
    assert data["source"] == "งบประมาณ 2567"
    assert data["files"][0]["title"] == {"id": "{name} — {sheet}",
                                         "params": {"name": "งบประมาณ 2567", "sheet": "ข้อมูล"}}
    assert data["files"][0]["file_name"] == "2567-sheet-1.csv"
    assert data["files"][0]["header"][0] == "รหัสจังหวัด"


def test_titles_read_in_thai(tmp_path, workbook):
    from babel.messages.pofile import read_po

    catalog_path = Path(__file__).resolve().parents[2] / "i18n" / "th" / "LC_MESSAGES" / "ckanext-opendata_th.po"
    with catalog_path.open("rb") as stream:
        catalog = read_po(stream)

    def thai(msgid: str) -> str:
        message = catalog.get(msgid)
        return message.string if message is not None and message.string else msgid

    table = Message("{name} — table {number}", name="รายงาน 2567", number=1)
    assert table.render(thai, "th") == "รายงาน 2567 — ตารางที่ 1"
    sheet = xlsx_to_csv(workbook, tmp_path, name="workbook").files[0].title
    assert sheet.render(thai, "th") == "workbook — ข้อมูล"


def test_the_converters_by_format():
    assert CONVERTERS["PDF"] is pdf_tables_to_csv
    assert CONVERTERS["XLSX"] is CONVERTERS["XLS"] is xlsx_to_csv
