"""The yearly open-data report as XLSX and PDF: what the cells hold (numbers
as numbers, data never a formula), Thai and English labels, Buddhist Era
dates in Thai, and a PDF whose Thai text a PDF reader gets back as typed,
page after page."""
from __future__ import annotations

import copy
import io
import re
import time
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pdfplumber
import pytest

from ckanext.opendata_th.reports import yearly
from ckanext.opendata_th.tests.playbook.catalog import thai_catalog

ORG_TITLE = "สำนักงานพัฒนารัฐบาลดิจิทัล (องค์การมหาชน)"
LONG_TITLE = ("ข้อมูลจำนวนผู้ใช้บริการสถานีรถไฟฟ้าขนส่งมวลชนกรุงเทพมหานครรายเดือน"
              "แยกตามสถานีและช่วงเวลาของวันทำการและวันหยุดราชการ")
"""A Thai title with no space in it, wider than its column."""
FORMULA_TITLES = ["=HYPERLINK(\"http://evil.example\",\"คลิก\")", "+66 2 612 6000", "-1 ข้อมูล", "@SUM(A1)"]


def th(msgid: str) -> str:
    return thai_catalog().get(msgid, msgid)


def en(msgid: str) -> str:
    return msgid


def dataset(number: int, title: str, published_at: str, high_value: bool = False) -> dict[str, Any]:
    return {"name": f"dataset-{number}", "title": title, "published_at": published_at,
            "high_value": high_value}


def make_report(*, portal: bool = False, datasets: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """The dict opendata_th_yearly_report_show returns (labels of stages,
    targets and activities come translated: here in Thai)."""
    if datasets is None:
        datasets = [
            dataset(1, "งบประมาณรายจ่ายประจำปี", "2026-03-01T10:00:00+07:00", True),
            dataset(2, LONG_TITLE, "2025-10-15T09:30:00+07:00"),
            dataset(3, "น้ำฝนรายวัน ผู้ใหญ่บ้าน กั๊ก ปี่ ญี่ปุ่น", "2026-09-30T23:59:00+07:00", True),
        ] + [dataset(10 + i, title, "2026-05-01T08:00:00+07:00") for i, title in enumerate(FORMULA_TITLES)]
    published = len(datasets)
    return {
        "organization": None if portal else {"id": "o-1", "name": "dga", "title": ORG_TITLE},
        "fiscal_year": 2569, "fiscal_year_start": "2025-10-01", "fiscal_year_end": "2026-09-30",
        "generated_at": "2026-11-30T08:04:00+00:00",  # 15:04 in Bangkok
        "datasets": {"total": 57, "stages": [
            {"stage": "candidate", "label": "สำรวจแล้ว", "count": 20},
            {"stage": "selected", "label": "คัดเลือกแล้ว", "count": 10},
            {"stage": "prepared", "label": "จัดเตรียมแล้ว", "count": 5},
            {"stage": "pending_approval", "label": "รออนุมัติ", "count": 2},
            {"stage": "published", "label": "เผยแพร่แล้ว", "count": 18},
            {"stage": "withheld", "label": "ไม่เปิดเผย", "count": 1},
            {"stage": "returned", "label": "ส่งกลับแก้ไข", "count": 1}]},
        "readiness": {
            "fiscal_year": 2569, "assessed": True, "required_level": 3, "max_level": 5,
            "ready": None if portal else False,
            "organizations_assessed": 12 if portal else None,
            "organizations_ready": 7 if portal else None,
            "activities": [
                {"key": "governance", "name": "การกำกับดูแลข้อมูล", "level": 3,
                 "level_name": "กำหนดแล้ว", "average": 2.6 if portal else None},
                {"key": "publishing", "name": "การเผยแพร่ข้อมูลเปิด", "level": 2,
                 "level_name": "เริ่มต้น", "average": 2.2 if portal else None},
                {"key": "use", "name": "=การส่งเสริมการใช้ข้อมูล", "level": None,
                 "level_name": "ยังไม่ประเมิน", "average": None}]},
        "properties": {"published": 18, "average": 7.4,
                       "distribution": [{"score": s, "count": 0} for s in range(11)], "unmet": []},
        "schedule": {"published": 18, "overdue": 2, "on_schedule": 14, "no_schedule": 2,
                     "up_to_date_percent": 87.5, "overdue_datasets": []},
        "quality": {"resources": 0, "checked": 0, "with_errors": 0, "with_warnings": 0,
                    "personal_data": 0, "not_checkable": 0, "datasets": []},
        "feedback": {"open": 1, "held": 0, "unanswered": 1},
        "requests": {"open": 2, "new": 1, "needs_info": 1},
        "targets": {"set": True, "rows": [
            {"key": "datasets_published", "label": "ชุดข้อมูลที่เผยแพร่", "unit": "count",
             "target": 12, "actual": published, "met": published >= 12},
            {"key": "high_value_published", "label": "ชุดข้อมูลที่มีคุณค่าสูงที่เผยแพร่",
             "unit": "count", "target": None, "actual": 2, "met": None},
            {"key": "up_to_date_percent", "label": "ชุดข้อมูลที่ปรับปรุงตามกำหนด (%)",
             "unit": "percent", "target": 80, "actual": 87.5, "met": True}]},
        "published_datasets": datasets,
        "feedback_handled": {"received": 25, "answered": 20, "resolved": 15, "hidden": 2},
        "requests_handled": {"received": 9, "accepted": 4, "already_available": 2,
                             "not_suitable": 1, "open": 2},
    }


def empty_year() -> dict[str, Any]:
    """A fiscal year with nothing published, no targets and no assessment."""
    report = make_report(datasets=[])
    report["targets"] = {"set": False, "rows": [
        {"key": key, "label": label, "unit": unit, "target": None, "actual": actual, "met": None}
        for key, label, unit, actual in (
            ("datasets_published", "ชุดข้อมูลที่เผยแพร่", "count", 0),
            ("high_value_published", "ชุดข้อมูลที่มีคุณค่าสูงที่เผยแพร่", "count", 0),
            ("up_to_date_percent", "ชุดข้อมูลที่ปรับปรุงตามกำหนด (%)", "percent", None))]}
    report["properties"].update(published=0, average=None)
    report["schedule"].update(published=0, overdue=0, on_schedule=0, no_schedule=0,
                              up_to_date_percent=None)
    report["readiness"].update(assessed=False, ready=False)
    return report


@pytest.fixture(scope="module")
def font() -> str:
    return yearly.find_font(None)


# -- reading the files back ------------------------------------------------------------

def open_book(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def rows_of(sheet) -> list[list[Any]]:
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def row_with(sheet, first: str) -> tuple:
    """The cells of the row that starts with ``first``, up to its last value."""
    for row in sheet.iter_rows():
        if row[0].value == first:
            cells = list(row)
            while cells and cells[-1].value is None:
                cells.pop()
            return tuple(cells)
    raise AssertionError(f"no row starts with {first!r} in {sheet.title}")


_SARA_AM_DRAWN = re.compile("\u0e4d([\u0e48-\u0e4b]?)\u0e32")


def page_text(page) -> str:
    """The page's text in the order the PDF draws it (the order it was
    typed; text extractors that sort by position put a tone mark shifted
    left before its vowel), SARA AM made whole again, a space where a gap
    separates two characters, a line break where the line changes."""
    out: list[str] = []
    previous = None  # the last letter drawn (marks sit over or under it)
    for char in page.chars:
        if _is_mark(char["text"]):
            out.append(char["text"])
            continue
        if previous is not None:
            if abs(char["top"] - previous["top"]) > 3:
                out.append("\n")
            elif char["x0"] - previous["x1"] > 1.0:
                out.append(" ")
        out.append(char["text"])
        previous = char
    return _SARA_AM_DRAWN.sub(lambda m: m.group(1) + "\u0e33", "".join(out))


def _is_mark(text: str) -> bool:
    return bool(re.match("[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]", text))


def pdf_pages(data: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(data)) as document:
        return [page_text(page) for page in document.pages]


# -- the workbook ---------------------------------------------------------------------

def test_the_thai_workbook_has_its_three_sheets_with_frozen_bold_headers():
    book = open_book(yearly.workbook(make_report(), lang="th", gettext=th))

    assert book.sheetnames == ["สรุป", "ชุดข้อมูลที่เผยแพร่", "ความพร้อม"]
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2"
    listed, readiness = book["ชุดข้อมูลที่เผยแพร่"], book["ความพร้อม"]
    assert [c.value for c in listed[1]] == ["ลำดับ", "ชื่อชุดข้อมูล", "ชื่อใน URL", "เผยแพร่เมื่อ",
                                           "มีคุณค่าสูง"]
    assert [c.value for c in readiness[1]] == ["ด้าน", "ระดับ", "ชื่อระดับ"]
    assert all(c.font.b for c in listed[1]) and all(c.font.b for c in readiness[1])
    assert listed.auto_filter.ref == "A1:E8"


def test_the_summary_sheet_cell_by_cell_in_thai():
    summary = open_book(yearly.workbook(make_report(), lang="th", gettext=th))["สรุป"]

    assert summary["A1"].value == "รายงานผลการดำเนินงานด้านข้อมูลเปิด ประจำปีงบประมาณ พ.ศ. 2569"
    assert summary["A1"].font.b
    assert [summary["A2"].value, summary["B2"].value] == ["หน่วยงาน", ORG_TITLE]
    assert [summary["A3"].value, summary["B3"].value] == [
        "ปีงบประมาณ", "พ.ศ. 2569 (1 ต.ค. 2568 – 30 ก.ย. 2569)"]
    assert [summary["A4"].value, summary["B4"].value] == ["จัดทำเมื่อ", "30 พ.ย. 2569 15:04 น."]

    assert [c.value for c in row_with(summary, "ตัวชี้วัด")] == ["ตัวชี้วัด", "เป้าหมาย", "ผลที่ทำได้", "ผ่าน"]
    assert [c.value for c in row_with(summary, "ชุดข้อมูลที่เผยแพร่")] == ["ชุดข้อมูลที่เผยแพร่", 12, 7, "ไม่ใช่"]
    assert [c.value for c in row_with(summary, "ชุดข้อมูลที่มีคุณค่าสูงที่เผยแพร่")] == [
        "ชุดข้อมูลที่มีคุณค่าสูงที่เผยแพร่", "ไม่ได้กำหนด", 2, "—"]
    percent = row_with(summary, "ชุดข้อมูลที่ปรับปรุงตามกำหนด (%)")
    assert [c.value for c in percent] == ["ชุดข้อมูลที่ปรับปรุงตามกำหนด (%)", 80, 87.5, "ใช่"]
    assert (percent[1].number_format, percent[2].number_format) == ('0"%"', '0.0"%"')

    assert [c.value for c in row_with(summary, "สำรวจแล้ว")] == ["สำรวจแล้ว", 20]
    total = row_with(summary, "รวม")
    assert [c.value for c in total] == ["รวม", 57] and total[0].font.b and total[1].font.b
    assert row_with(summary, "ผลการประเมิน")[1].value == "ยังไม่พร้อม"
    assert row_with(summary, "ระดับที่กำหนด")[1].value == 3
    assert row_with(summary, "คะแนนเฉลี่ย (เต็ม 10)")[1].value == 7.4
    assert row_with(summary, "สัดส่วนชุดข้อมูลที่ปรับปรุงตามกำหนด")[1].value == 87.5
    feedback = [row[0].row for row in summary.iter_rows() if row[0].value == "ได้รับ"]
    assert [summary.cell(r, 2).value for r in feedback] == [25, 9]  # feedback, then requests
    assert row_with(summary, "ยังดำเนินการไม่แล้วเสร็จ")[1].value == 2
    assert row_with(summary, "มีข้อมูลอยู่แล้ว")[1].value == 2

    numbers = [c for row in summary.iter_rows() for c in row if isinstance(c.value, (int, float))]
    assert len(numbers) > 20 and all(c.data_type == "n" for c in numbers)
    # column A fits its labels; the title and the headings run on over the empty cells beside them
    letters = len("ชุดข้อมูลที่เผยแพร่ซึ่งนำมาประเมิน") - len("ุู้่ี่ึ่ิ")  # marks above and below take no width
    assert letters < summary.column_dimensions["A"].width < len(summary["A1"].value)
    assert summary.column_dimensions["B"].width > len(ORG_TITLE)


def test_the_datasets_sheet_lists_them_in_publication_order_with_thai_dates():
    listed = open_book(yearly.workbook(make_report(), lang="th", gettext=th))["ชุดข้อมูลที่เผยแพร่"]
    rows = rows_of(listed)[1:]

    assert [row[0] for row in rows] == list(range(1, 8))
    assert rows[0] == [1, LONG_TITLE, "dataset-2", "15 ต.ค. 2568 09:30 น.", "ไม่ใช่"]
    assert rows[1] == [2, "งบประมาณรายจ่ายประจำปี", "dataset-1", "1 มี.ค. 2569 10:00 น.", "ใช่"]
    assert rows[-1][3:] == ["30 ก.ย. 2569 23:59 น.", "ใช่"]
    assert all(listed.cell(r, 1).data_type == "n" for r in range(2, 9))
    # the long title wraps in a column as wide as allowed; the short ones fit theirs
    assert listed.column_dimensions["B"].width == yearly.MAX_COLUMN_WIDTH
    assert listed.cell(2, 2).alignment.wrap_text
    assert listed.column_dimensions["D"].width >= len("15 ต.ค. 2568 09:30 น.")


def test_texts_that_look_like_formulas_stay_texts():
    data = yearly.workbook(make_report(), lang="th", gettext=th)
    book = open_book(data)
    titles = {row[1] for row in rows_of(book["ชุดข้อมูลที่เผยแพร่"])[1:]}
    assert set(FORMULA_TITLES) <= titles
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f"
                if isinstance(cell.value, str) and cell.value.startswith(("=", "+", "-", "@")):
                    assert cell.data_type == "s" and cell.quotePrefix, cell.value
    assert book["ความพร้อม"]["A4"].value == "=การส่งเสริมการใช้ข้อมูล"
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name) and b"<f " not in archive.read(name)


def test_the_english_workbook_has_english_labels_and_common_era_dates():
    book = open_book(yearly.workbook(make_report(), lang="en", gettext=en))

    assert book.sheetnames == ["Summary", "Published datasets", "Readiness"]
    summary = book["Summary"]
    assert summary["A1"].value == "Yearly open data report, fiscal year 2569 BE"
    assert summary["B3"].value == "2569 BE (1 Oct 2025 – 30 Sep 2026)"
    assert summary["B4"].value == "30 Nov 2026 15:04"
    assert [c.value for c in row_with(summary, "Indicator")] == ["Indicator", "Target", "Actual", "Met"]
    assert row_with(summary, "ชุดข้อมูลที่มีคุณค่าสูงที่เผยแพร่")[1].value == "Not set"
    assert row_with(summary, "Assessment result")[1].value == "Not ready"
    assert row_with(summary, "Still open")[1].value == 2
    listed = rows_of(book["Published datasets"])
    assert listed[0] == ["No.", "Dataset title", "URL name", "Published at", "High-value"]
    assert listed[2] == [2, "งบประมาณรายจ่ายประจำปี", "dataset-1", "1 Mar 2026 10:00", "Yes"]


def test_the_portal_wide_workbook_counts_organizations_and_average_levels():
    book = open_book(yearly.workbook(make_report(portal=True), lang="th", gettext=th))
    summary = book["สรุป"]

    assert summary["A1"].value == ("รายงานผลการดำเนินงานด้านข้อมูลเปิดของทั้งระบบ "
                                   "ประจำปีงบประมาณ พ.ศ. 2569")
    assert summary["B2"].value == "ทั้งระบบ (ทุกหน่วยงาน)"
    assert row_with(summary, "หน่วยงานที่ประเมินแล้ว")[1].value == 12
    assert row_with(summary, "หน่วยงานที่พร้อม")[1].value == 7
    assert "ผลการประเมิน" not in [row[0] for row in rows_of(summary)]
    readiness = rows_of(book["ความพร้อม"])
    assert readiness[0] == ["ด้าน", "ระดับ", "ชื่อระดับ", "ระดับเฉลี่ย"]
    assert readiness[1] == ["การกำกับดูแลข้อมูล", 3, "กำหนดแล้ว", 2.6]
    assert readiness[3] == ["=การส่งเสริมการใช้ข้อมูล", "—", "ยังไม่ประเมิน", "—"]


def test_an_empty_year_says_so_instead_of_listing():
    book = open_book(yearly.workbook(empty_year(), lang="th", gettext=th))
    summary = book["สรุป"]

    assert rows_of(book["ชุดข้อมูลที่เผยแพร่"]) == [
        ["ลำดับ", "ชื่อชุดข้อมูล", "ชื่อใน URL", "เผยแพร่เมื่อ", "มีคุณค่าสูง"],
        ["ไม่มีชุดข้อมูลที่เผยแพร่ครั้งแรกในปีงบประมาณนี้", None, None, None, None]]
    assert "ไม่ได้กำหนดเป้าหมายไว้สำหรับปีงบประมาณนี้" in [row[0] for row in rows_of(summary)]
    assert [c.value for c in row_with(summary, "ชุดข้อมูลที่เผยแพร่")] == ["ชุดข้อมูลที่เผยแพร่", "ไม่ได้กำหนด", 0, "—"]
    assert [c.value for c in row_with(summary, "ชุดข้อมูลที่ปรับปรุงตามกำหนด (%)")][1:] == ["ไม่ได้กำหนด", "—", "—"]
    assert row_with(summary, "ผลการประเมิน")[1].value == "ยังไม่ประเมิน"
    assert row_with(summary, "คะแนนเฉลี่ย (เต็ม 10)")[1].value == "—"


def test_control_characters_and_missing_sections_do_not_break_the_workbook():
    report = make_report(datasets=[dataset(1, "ข้อมูล\x00\x1bลับ\nบรรทัดใหม่", "not a date")])
    del report["feedback_handled"]
    book = open_book(yearly.workbook(report, lang="th", gettext=th))

    assert rows_of(book["ชุดข้อมูลที่เผยแพร่"])[1] == [1, "ข้อมูล ลับ บรรทัดใหม่", "dataset-1", "—", "ไม่ใช่"]
    assert row_with(book["สรุป"], "ตอบแล้ว")[1].value == "—"


def test_sheet_names_are_valid():
    assert yearly.sheet_name("ก/ข:ค*?[x]\\") == "ก ข ค   x"
    assert yearly.sheet_name("x" * 40) == "x" * 31
    assert yearly.sheet_name("///") == "Sheet"


# -- the PDF ----------------------------------------------------------------------------

def test_the_thai_pdf_reads_back_as_typed(font):
    data = yearly.pdf(make_report(), lang="th", gettext=th, font=font)

    assert data.startswith(b"%PDF-")
    pages = pdf_pages(data)
    text = "\n".join(pages)
    assert "(cid:" not in text  # every glyph, SARA AM's two included, maps to its characters
    first = pages[0]
    assert "รายงานผลการดำเนินงานด้านข้อมูลเปิด ประจำปีงบประมาณ พ.ศ. 2569" in first
    assert ORG_TITLE in first
    assert "พ.ศ. 2569 (1 ต.ค. 2568 – 30 ก.ย. 2569)" in first
    assert "30 พ.ย. 2569 15:04 น." in first
    assert "ชุดข้อมูลที่เผยแพร่ 12 7 ไม่ใช่" in first
    assert "ชุดข้อมูลที่มีคุณค่าสูงที่เผยแพร่ ไม่ได้กำหนด 2 —" in first
    assert "ชุดข้อมูลที่ปรับปรุงตามกำหนด (%) 80% 87.5% ใช่" in first
    assert "ยังไม่พร้อม" in first and "การกำกับดูแลข้อมูล 3 กำหนดแล้ว" in first
    for heading in ("เป้าหมายและผลการดำเนินงาน", "ชุดข้อมูลแยกตามขั้นตอน", "คุณลักษณะ 10 ประการของข้อมูลเปิด",
                    "การดำเนินการต่อความคิดเห็นจากผู้ใช้", "การดำเนินการต่อคำขอชุดข้อมูล",
                    "ชุดข้อมูลที่เผยแพร่ในปีงบประมาณ"):
        assert heading in text
    assert "น้ำฝนรายวัน ผู้ใหญ่บ้าน กั๊ก ปี่ ญี่ปุ่น" in text
    assert "15 ต.ค. 2568" in text and "=HYPERLINK(" in text
    for number, page in enumerate(pages, start=1):
        assert page.rstrip().endswith(f"หน้า {number}/{len(pages)}")


def cell_lines(page) -> list[list[str]]:
    """The lines of text of each ruled cell of the page (SARA AM made whole);
    every character must lie inside its cell."""
    cells = []
    for rect in page.rects:
        inside = [c for c in page.chars
                  if rect["x0"] <= (c["x0"] + c["x1"]) / 2 <= rect["x1"]
                  and rect["top"] <= (c["top"] + c["bottom"]) / 2 <= rect["bottom"]]
        lines: list[str] = []
        top = None
        for char in inside:
            assert rect["x0"] <= char["x0"] and char["x1"] <= rect["x1"] + 0.5, char["text"]
            if not _is_mark(char["text"]) and (top is None or abs(char["top"] - top) > 3):
                lines.append("")
                top = char["top"]
            lines[-1] += char["text"]
        cells.append([_SARA_AM_DRAWN.sub(lambda m: m.group(1) + "\u0e33", line) for line in lines])
    return cells


def test_a_long_thai_title_wraps_between_words_inside_its_column(font):
    data = yearly.pdf(make_report(), lang="th", gettext=th, font=font)
    with pdfplumber.open(io.BytesIO(data)) as document:
        cells = [lines for page in document.pages for lines in cell_lines(page)]

    [title] = [lines for lines in cells if "".join(lines) == LONG_TITLE]
    assert len(title) >= 2
    # each line ends where a word ends (no space between Thai words to break at)
    ends, position = set(), 0
    for word in yearly.thai_words(LONG_TITLE):
        position += len(word)
        ends.add(position)
    position = 0
    for line in title[:-1]:
        position += len(line)
        assert position in ends, line
    assert title[0].startswith("ข้อมูลจำนวน")


def test_a_title_too_long_for_a_page_is_cut_in_the_pdf_only(font):
    title = " ".join(["ข้อมูลสถิติ"] + [f"word{n}" for n in range(600)])
    report = make_report(datasets=[dataset(1, title, "2026-03-01T10:00:00+07:00")])
    with pdfplumber.open(io.BytesIO(yearly.pdf(report, lang="th", gettext=th, font=font))) as document:
        [cell] = [lines for page in document.pages for lines in cell_lines(page)
                  if lines and lines[0].startswith("ข้อมูลสถิติ")]
    assert len(cell) == yearly.MAX_CELL_LINES and cell[-1].endswith("…")
    book = open_book(yearly.workbook(report, lang="th", gettext=th))
    assert book["ชุดข้อมูลที่เผยแพร่"]["B2"].value == title


def test_words_wider_than_the_line_are_cut_between_letters_never_inside_one(font):
    document = yearly._Document(font, str)
    assert document.lines("ผู้ใหญ่บ้าน", 0.1, "", 10) == ["ผู้", "ใ", "ห", "ญ่", "บ้", "า", "น"]
    assert document.lines("", 10, "", 10) == [""]
    assert document.lines("  a\n b  ", 100, "", 10) == ["a b"]


def test_the_english_pdf(font):
    pages = pdf_pages(yearly.pdf(make_report(), lang="en", gettext=en, font=font))
    first = pages[0]
    assert "Yearly open data report, fiscal year 2569 BE" in first
    assert "2569 BE (1 Oct 2025 – 30 Sep 2026)" in first
    assert "Indicator Target Actual Met" in first
    assert "Not set" in first
    assert pages[-1].rstrip().endswith(f"Page {len(pages)}/{len(pages)}")
    assert "1 Mar 2026" in "\n".join(pages)


def test_the_portal_wide_and_the_empty_pdf(font):
    portal = pdf_pages(yearly.pdf(make_report(portal=True), lang="th", gettext=th, font=font))
    assert "รายงานผลการดำเนินงานด้านข้อมูลเปิดของทั้งระบบ" in portal[0]
    assert "ทั้งระบบ (ทุกหน่วยงาน)" in portal[0]
    assert "หน่วยงานที่พร้อม 7" in portal[0]
    assert "ระดับเฉลี่ย" in portal[0]

    empty = "\n".join(pdf_pages(yearly.pdf(empty_year(), lang="th", gettext=th, font=font)))
    assert "ไม่มีชุดข้อมูลที่เผยแพร่ครั้งแรกในปีงบประมาณนี้" in empty
    assert "ไม่ได้กำหนดเป้าหมายไว้สำหรับปีงบประมาณนี้" in empty
    assert "ลำดับ" not in empty  # no empty table
    assert "ยังไม่ประเมิน" in empty


def test_the_dataset_list_runs_over_pages_with_its_header_on_each(font):
    titles = [f"ชุดข้อมูลที่ {n} ผู้ใช้น้ำประปา" for n in range(1, 121)]
    report = make_report(datasets=[dataset(n, title, f"2026-01-{1 + n % 28:02d}T10:00:00+07:00")
                                   for n, title in enumerate(titles, start=1)])
    pages = pdf_pages(yearly.pdf(report, lang="th", gettext=th, font=font))

    assert len(pages) >= 4
    listing = [i for i, page in enumerate(pages) if "ชุดข้อมูลที่เผยแพร่ในปีงบประมาณ" in page][0]
    for page in pages[listing:]:
        assert "ลำดับ ชื่อชุดข้อมูล ชื่อใน URL เผยแพร่เมื่อ มีคุณค่าสูง" in page
    text = "\n".join(pages)
    assert all(title in text for title in titles)
    assert "120 ชุดข้อมูลที่" in pages[-1]
    for number, page in enumerate(pages, start=1):
        assert page.rstrip().endswith(f"หน้า {number}/{len(pages)}")


def test_ten_thousand_datasets_render():
    """Bounded: 10,000 datasets first published in one year (more than the
    whole portal publishes). The workbook lists them all (1.6–3.9 s on the
    shared 2-core development machine); the PDF the first 1,000 and says
    so (all 10,000 took 21–37 s, most of it fpdf2 shaping the Thai lines:
    too long for a web request). Each run prints its times (pytest -s).
    Not a timed assertion."""
    font = yearly.find_font(None)
    titles = ["ข้อมูลจำนวนผู้ใช้บริการสถานีรถไฟฟ้า {}", "งบประมาณรายจ่ายประจำปี {}", "Open budget {}",
              "น้ำฝนรายวัน ผู้ใหญ่บ้าน {}"]
    report = make_report(datasets=[
        dataset(n, titles[n % 4].format(n), f"2026-{1 + n % 9:02d}-{1 + n % 28:02d}T10:00:00+07:00",
                n % 7 == 0) for n in range(10_000)])

    started = time.perf_counter()
    book = yearly.workbook(report, lang="th", gettext=th)
    workbook_seconds = time.perf_counter() - started
    started = time.perf_counter()
    data = yearly.pdf(report, lang="th", gettext=th, font=font)
    pdf_seconds = time.perf_counter() - started
    assert open_book(book)["ชุดข้อมูลที่เผยแพร่"].max_row == 10_001
    with pdfplumber.open(io.BytesIO(data)) as document:
        last = page_text(document.pages[-1])
        count = len(document.pages)
    print(f"\n10,000 datasets: XLSX {workbook_seconds:.1f} s, {len(book):,} bytes; "
          f"PDF {pdf_seconds:.1f} s, {count} pages, {len(data):,} bytes")
    assert last.rstrip().endswith(f"หน้า {count}/{count}")
    with pdfplumber.open(io.BytesIO(data)) as document:
        text = "".join(page_text(page) for page in document.pages)
    assert "1,000" in text and "10,000" in text and "XLSX" in text  # the note
    assert text.count("dataset-") == 1000  # one URL name per row listed


# -- the font ---------------------------------------------------------------------------

def test_a_configured_font_must_exist(tmp_path):
    font = tmp_path / "THSarabunNew.ttf"
    font.write_bytes(b"font")
    assert yearly.find_font(str(font)) == str(font)
    assert yearly.find_font(f"  {font}  ") == str(font)
    missing = tmp_path / "missing.ttf"
    with pytest.raises(ValueError, match=re.escape(str(missing))):
        yearly.find_font(str(missing))
    not_a_font = tmp_path / "notes.txt"
    not_a_font.write_text("x")
    with pytest.raises(ValueError, match="not a TrueType or OpenType font"):
        yearly.find_font(str(not_a_font))
    with pytest.raises(ValueError, match="does not exist"):
        yearly.find_font(str(tmp_path))


def test_without_configuration_the_first_installed_tlwg_font_is_taken(tmp_path, monkeypatch):
    laksaman, loma = tmp_path / "Laksaman.otf", tmp_path / "Loma.ttf"
    monkeypatch.setattr(yearly, "FONT_CANDIDATES", (laksaman, loma))
    loma.write_bytes(b"font")
    assert yearly.find_font(None) == str(loma)
    assert yearly.find_font("") == str(loma)
    laksaman.write_bytes(b"font")
    assert yearly.find_font(None) == str(laksaman)


def test_no_thai_font_says_what_to_install(monkeypatch, tmp_path):
    monkeypatch.setattr(yearly, "FONT_CANDIDATES", (tmp_path / "Laksaman.otf",))
    with pytest.raises(ValueError) as error:
        yearly.find_font(None)
    assert "fonts-tlwg-laksaman-otf" in str(error.value)
    assert "ckanext.opendata_th.report_font" in str(error.value)


def test_the_tlwg_fonts_are_looked_for_laksaman_first():
    names = [path.name for path in yearly.FONT_CANDIDATES]
    assert names[:2] == ["Laksaman.otf", "Laksaman.ttf"]
    assert names.index("Loma.otf") < names.index("Garuda.otf") < names.index("Norasi.otf")
    assert Path("/usr/share/fonts/opentype/tlwg/Loma.otf") in yearly.FONT_CANDIDATES


def test_the_bold_face_next_to_the_font_is_used_when_installed(tmp_path):
    regular = tmp_path / "Loma.otf"
    regular.write_bytes(b"font")
    assert yearly.bold_face(str(regular)) is None
    (tmp_path / "Loma-Bold.otf").write_bytes(b"font")
    assert yearly.bold_face(str(regular)) == str(tmp_path / "Loma-Bold.otf")


def test_the_report_dict_is_not_changed():
    report = make_report()
    before = copy.deepcopy(report)
    yearly.workbook(report, lang="th", gettext=th)
    assert report == before
