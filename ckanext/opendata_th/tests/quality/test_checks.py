"""The checks of one file, through check_file: every finding the engine
reports (codes, severities, rows, values), inferred column types, the
sample tambon file, and the date, code and personal-data checks joined in
(personal values never echoed)."""
from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from ckanext.opendata_th.quality import Limits, check_file
from ckanext.opendata_th.quality.findings import ERROR, INFO, WARNING

SAMPLE = Path("/work/shared/samples/tambon_latlong_first300.csv")


def check(tmp_path: Path, text: str, name: str = "data.csv", encoding: str = "utf-8", **kwargs):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return check_file(path, **kwargs)


def finding(report, code: str, column: str | None = None):
    found = [f for f in report.findings if f.code == code and (column is None or f.column == column)]
    assert len(found) == 1, f"{code} {column}: {[f.code for f in report.findings]}"
    return found[0]


def codes(report) -> set[str]:
    return {f.code for f in report.findings}


def rows_of(found) -> list[int]:
    return [location.row for location in found.examples]


def column(report, label: str):
    return next(c for c in report.columns if c.label == label)


def test_a_clean_file_has_no_finding(tmp_path):
    report = check(tmp_path, "ปี,จำนวน,สัดส่วน\n2567,10,0.5\n2568,12,1.25\n")
    assert report.readable and report.complete
    assert report.findings == () and not report.has_errors
    assert report.rows == 2
    assert [(c.label, c.type, c.filled, c.empty) for c in report.columns] == [
        ("ปี", "integer", 2, 0), ("จำนวน", "integer", 2, 0), ("สัดส่วน", "decimal", 2, 0)]


def test_header_problems_name_their_columns(tmp_path):
    long_name = "จำนวนผู้ได้รับการจัดสรรที่ดินทำกินในเขตปฏิรูป"  # 45 Thai letters: 135 bytes
    report = check(tmp_path, f"ปี,,ปี, จังหวัด ,{long_name}\n2567,1,2,น่าน,3\n")
    blank = finding(report, "header.blank")
    assert (blank.severity, blank.column, blank.message.params["position"]) == (ERROR, "#2", 2)
    duplicate = finding(report, "header.duplicate")
    assert (duplicate.severity, duplicate.column, duplicate.count) == (ERROR, "ปี", 2)
    assert duplicate.message.params["positions"] == (1, 3)
    spaces = finding(report, "header.spaces")
    assert (spaces.severity, spaces.column) == (WARNING, " จังหวัด ")
    too_long = finding(report, "header.too_long")
    assert (too_long.severity, too_long.column, too_long.message.params["size"]) == (
        ERROR, long_name, len(long_name.encode()))
    assert [c.label for c in report.columns] == ["ปี", "#2", "ปี #3", " จังหวัด ", long_name]
    assert all(f.examples[0].row == 1 for f in report.findings if f.code.startswith("header."))


def test_63_bytes_is_not_too_long(tmp_path):
    report = check(tmp_path, f"{'ก' * 21},b\n1,2\n")  # 63 bytes
    assert "header.too_long" not in codes(report)


def test_duplicate_rows_are_counted_with_the_rows_they_repeat(tmp_path):
    text = "a,b\n1,x\n2,y\n1,x\n3,z\n2,y\n1,x\n,\n,\n"
    report = check(tmp_path, text)
    duplicate = finding(report, "rows.duplicate")
    assert (duplicate.severity, duplicate.count, report.duplicate_rows) == (WARNING, 3, 3)
    assert rows_of(duplicate) == [4, 6, 7]
    pairs = [(p.params["row"], p.params["first"]) for p in duplicate.message.params["pairs"]]
    assert pairs == [(4, 2), (6, 3), (7, 2)]


def test_cells_that_differ_only_by_surrounding_spaces_are_the_same_row(tmp_path):
    report = check(tmp_path, "a,b\n1,x\n 1 ,x  \n")
    assert finding(report, "rows.duplicate").count == 1


def test_duplicates_are_found_across_batches(tmp_path):
    rows = "".join(f"{i},ค่า {i}\n" for i in range(3000)) + "17,ค่า 17\n"
    report = check(tmp_path, "n,name\n" + rows, limits=Limits(batch_rows=500, max_line_bytes=4096, block_bytes=4096))
    assert rows_of(finding(report, "rows.duplicate")) == [3002]
    assert report.rows == 3001


def test_empty_rows_blank_lines_and_empty_cells(tmp_path):
    report = check(tmp_path, "a,b,c\n1,,x\n,,\n\n2,5,\n  ,\t,\n")
    empty_rows = finding(report, "rows.empty")
    assert (empty_rows.severity, empty_rows.count, rows_of(empty_rows)) == (WARNING, 3, [3, 4, 6])
    assert report.empty_rows == 3
    cells = finding(report, "column.empty_cells", "b")
    assert (cells.count, rows_of(cells)) == (4, [2, 3, 4, 6])
    assert cells.values == ()
    assert (column(report, "b").filled, column(report, "b").empty) == (1, 4)


def test_an_empty_column(tmp_path):
    report = check(tmp_path, "a,ว่าง,c\n1,,x\n2,  ,y\n")
    empty = finding(report, "column.empty", "ว่าง")
    assert (empty.severity, empty.count) == (WARNING, 2)
    assert column(report, "ว่าง").type == "empty"
    assert "column.empty_cells" not in codes(report)


def test_ragged_rows_are_an_error_with_example_rows(tmp_path):
    report = check(tmp_path, "a,b,c\n1,2,3\n4,5\n6,7,8,9\n10,11,12\n")
    ragged = finding(report, "rows.ragged")
    assert (ragged.severity, ragged.count, rows_of(ragged)) == (ERROR, 2, [3, 4])
    assert report.rows == 4 and column(report, "a").filled == 2


def test_a_header_without_rows(tmp_path):
    report = check(tmp_path, "a,b\n")
    assert finding(report, "file.no_rows").severity == ERROR
    assert report.rows == 0 and report.has_errors


def test_a_header_and_empty_rows_only_has_no_data_rows(tmp_path):
    report = check(tmp_path, "a,b\n,\n\n")
    assert codes(report) == {"file.no_rows", "rows.empty", "column.empty"}
    assert report.rows == 2


@pytest.mark.parametrize("values,expected", [
    (["1", "-2", "+3", "40"], "integer"),
    (["1.5", "2", "-0.25", "1e3"], "decimal"),
    (["1,234", "12", "5,678,901"], "integer"),
    (["1,234.5", "2"], "decimal"),
    (["true", "FALSE", "True"], "boolean"),
    (["ใช่", "ไม่ใช่"], "boolean"),
    (["น่าน", "12"], "text"),
    (["00123", "00456"], "text"),
    (["๑๒๓", "๔๕"], "integer"),
    ([None, None], "empty"),
])
def test_inferred_types(tmp_path, values, expected):
    cells = "\n".join('"' + value + '"' if value else "" for value in values)
    report = check(tmp_path, "x\n" + cells + "\n")
    assert column(report, "x").type == expected


def test_thousands_separators_are_a_warning_with_examples(tmp_path):
    report = check(tmp_path, 'มูลค่า\n"1,234,567"\n"12"\n"2,500"\n')
    found = finding(report, "numbers.thousands_separator", "มูลค่า")
    assert (found.severity, found.count, rows_of(found), found.values) == (
        WARNING, 2, [2, 4], ("1,234,567", "2,500"))


def test_mixed_decimal_marks_are_an_error(tmp_path):
    report = check(tmp_path, 'ราคา\n"1.234,5"\n"1,234.5"\n"12.75"\n"3,5"\n')
    found = finding(report, "numbers.mixed_decimal_marks", "ราคา")
    assert found.severity == ERROR
    assert (found.message.params["comma"], found.message.params["dot"]) == (2, 2)
    assert set(found.values) == {"1.234,5", "3,5", "1,234.5", "12.75"}
    assert rows_of(found) == [2, 3, 4, 5]


def test_one_decimal_mark_throughout_is_no_finding(tmp_path):
    report = check(tmp_path, 'ราคา\n"1,234.5"\n"12.75"\n"3"\n')
    assert "numbers.mixed_decimal_marks" not in codes(report)


def test_thai_digits_in_numbers(tmp_path):
    report = check(tmp_path, 'จำนวน\n๑๒๓\n45\n"๖,๗๘๙"\n')
    found = finding(report, "numbers.thai_digits", "จำนวน")
    assert (found.severity, found.count, rows_of(found), found.values) == (WARNING, 2, [2, 4], ("๑๒๓", "๖,๗๘๙"))


def test_leading_zeros_a_numeric_type_would_lose(tmp_path):
    report = check(tmp_path, "รหัส\n00123\n0042\n123\n")
    found = finding(report, "numbers.leading_zeros", "รหัส")
    assert (found.severity, found.count, rows_of(found), found.values) == (
        WARNING, 2, [2, 3], ("00123", "0042"))
    assert column(report, "รหัส").type == "text"


def test_zero_and_decimals_below_one_are_not_leading_zeros(tmp_path):
    report = check(tmp_path, "x\n0\n0.5\n10\n")
    assert "numbers.leading_zeros" not in codes(report)


def test_a_numeric_column_with_a_few_words(tmp_path):
    cells = "".join(f"{i}\n" for i in range(20)) + "-\nn/a\n"
    report = check(tmp_path, "จำนวน\n" + cells)
    found = finding(report, "column.not_numbers", "จำนวน")
    assert (found.severity, found.count, rows_of(found), found.values) == (WARNING, 2, [22, 23], ("-", "n/a"))
    assert column(report, "จำนวน").type == "text"


def test_a_text_column_is_not_told_about_numbers(tmp_path):
    report = check(tmp_path, "ชื่อ\nน่าน\n\"1,234\"\nลำปาง\n")
    assert not {c for c in codes(report) if c.startswith("numbers.") or c == "column.not_numbers"}


def test_cp874_is_a_warning_and_undecodable_bytes_an_error_with_their_row(tmp_path):
    report = check(tmp_path, "ชื่อ,ค่า\nน่าน,1\n", encoding="cp874")
    assert (report.file.encoding, finding(report, "file.not_utf8").severity) == ("cp874", WARNING)
    assert finding(report, "file.not_utf8").message.params["encoding"] == "Windows-874 (TIS-620)"
    path = tmp_path / "mixed.csv"
    rows = "".join(f"{i},ข้อมูล\n" for i in range(4000))
    path.write_bytes(("a,b\n" + rows).encode() + "4000,กข\n".encode("cp874"))
    report = check_file(path)
    undecodable = finding(report, "file.undecodable")
    assert (undecodable.severity, undecodable.count, rows_of(undecodable)) == (ERROR, 2, [4002])
    assert report.rows == 4001 and report.file.encoding == "utf-8"


def test_the_format_is_told_by_content_and_a_wrong_extension_is_a_warning(tmp_path):
    workbook = openpyxl.Workbook()
    workbook.active.append(["a", "b"])
    workbook.active.append([1, 2])
    path = tmp_path / "ข้อมูล.csv"
    workbook.save(path)
    report = check_file(path)
    assert report.file.format == "xlsx" and report.file.sheet == "Sheet"
    wrong = finding(report, "file.wrong_extension")
    assert wrong.severity == WARNING
    assert wrong.message.params == {"extension": "csv", "format": "XLSX", "expected": "xlsx"}


def test_the_name_it_was_published_under_decides_the_extension_check(tmp_path):
    path = tmp_path / "upload.tmp"
    path.write_bytes(b"a,b\n1,2\n")
    assert "file.wrong_extension" not in codes(check_file(path, filename="data.csv"))
    assert "file.wrong_extension" in codes(check_file(path, filename="data.json"))
    assert check_file(path, filename="data.csv").file.name == "data.csv"


def test_every_worksheet_is_checked_each_finding_in_its_worksheet(tmp_path):
    workbook = openpyxl.Workbook()
    first = workbook.active
    first.title = "2567"
    for row in (["จังหวัด", "มูลค่า"], ["10", 5], ["20", 6]):
        first.append(row)
    second = workbook.create_sheet("2568")
    for row in (["จังหวัด", "มูลค่า"], ["10", 5], ["99", 7], ["99", 7], ["20", None]):
        second.append(row)
    workbook.create_sheet("ว่าง")
    path = tmp_path / "export.xlsx"
    workbook.save(path)
    report = check_file(path)
    assert report.readable and report.rows == 6
    assert report.file.sheets == ("2567", "2568", "ว่าง") and report.file.sheet == "2567"
    assert [(column.sheet, column.label) for column in report.columns] == [
        ("2567", "2567 / จังหวัด"), ("2567", "2567 / มูลค่า"),
        ("2568", "2568 / จังหวัด"), ("2568", "2568 / มูลค่า")]
    duplicate = finding(report, "rows.duplicate")
    assert duplicate.examples[0].sheet == "2568" and rows_of(duplicate) == [4]
    invalid = finding(report, "codes.invalid", "2568 / จังหวัด")
    assert invalid.values == ("99",) and {place.sheet for place in invalid.examples} == {"2568"}
    empty_cells = finding(report, "column.empty_cells", "2568 / มูลค่า")
    assert rows_of(empty_cells) == [5]
    empty_sheet = finding(report, "file.empty_sheet")
    assert (empty_sheet.severity, empty_sheet.message.params["sheet"]) == (INFO, "ว่าง")
    assert "file.other_sheets" not in codes(report)
    assert "(2 เวิร์กชีต)" in report.summary()
    assert [column["sheet"] for column in report.as_json()["columns"]] == ["2567", "2567", "2568", "2568"]


def test_a_workbook_of_empty_worksheets_is_unreadable(tmp_path):
    workbook = openpyxl.Workbook()
    workbook.create_sheet("อีก")
    path = tmp_path / "blank.xlsx"
    workbook.save(path)
    report = check_file(path)
    assert not report.readable and report.error.code == "file.empty"


def test_worksheets_beyond_the_limit_are_noted(tmp_path, monkeypatch):
    from ckanext.opendata_th.quality import checks

    monkeypatch.setattr(checks, "MAX_SHEETS", 2)
    workbook = openpyxl.Workbook()
    workbook.active.append(["a"])
    workbook.active.append([1])
    for name in ("b", "c", "d"):
        sheet = workbook.create_sheet(name)
        sheet.append(["a"])
        sheet.append([2])
    path = tmp_path / "many.xlsx"
    workbook.save(path)
    report = check_file(path)
    other = finding(report, "file.other_sheets")
    assert (other.severity, other.count, other.examples[0].sheet) == (INFO, 2, "c")
    assert {column.sheet for column in report.columns} == {"Sheet", "b"}


def test_every_worksheet_of_an_xls_is_checked(tmp_path):
    import xlwt

    book = xlwt.Workbook()
    for name, rows in (("ก", [["a"], [1]]), ("ข", [["a"], ["x"], ["x"]])):
        sheet = book.add_sheet(name)
        for number, row in enumerate(rows):
            for position, value in enumerate(row):
                sheet.write(number, position, value)
    path = tmp_path / "old.xls"
    book.save(str(path))
    report = check_file(path)
    assert report.file.format == "xls" and report.rows == 3
    assert finding(report, "rows.duplicate").examples[0].sheet == "ข"


def test_json_items_that_are_not_records_and_extra_keys(tmp_path):
    records = [{"a": 1, "b": 2}, "x", {"a": 3, "b": 4, "c": 5}, {"a": 1, "b": 2}]
    report = check(tmp_path, json.dumps(records), name="a.json")
    assert report.file.format == "json" and report.rows == 3
    not_records = finding(report, "rows.not_records")
    assert (not_records.severity, rows_of(not_records)) == (ERROR, [2])
    extra = finding(report, "rows.extra_keys")
    assert (extra.severity, rows_of(extra), extra.values) == (WARNING, [3], ("c",))
    assert rows_of(finding(report, "rows.duplicate")) == [4]


def test_the_sample_tambon_file_keeps_its_codes_and_decimals(tmp_path):
    report = check_file(SAMPLE)
    assert report.readable and report.rows == 300 and report.file.delimiter == ","
    types = {c.label: c.type for c in report.columns}
    assert types["TA_ID"] == types["AM_ID"] == types["CH_ID"] == "code"
    assert types["LAT"] == types["LONG"] == "decimal"
    assert types["TAMBON_T"] == "text" and types["AD_LEVEL"] == "integer"
    assert column(report, "TAMBON_E").empty == 10
    assert finding(report, "column.empty_cells", "TAMBON_E").count == 10
    assert not {c for c in codes(report) if c.startswith("numbers.")}


def cid(first12: str) -> str:
    total = sum(int(digit) * (13 - i) for i, digit in enumerate(first12))
    return first12 + str((11 - total % 11) % 10)


CITIZEN_IDS = [cid(f"{1 + i % 8}1012{i:07d}") for i in range(30)]


def test_dates_codes_and_personal_data_join_the_report_and_no_citizen_id_is_echoed(tmp_path):
    lines = ["วันที่,จังหวัด,เลขประจำตัวประชาชน"]
    for i, citizen_id in enumerate(CITIZEN_IDS):
        date = f"{1 + i % 28:02d}/03/2567" if i % 5 else f"2567-03-{1 + i % 28:02d}"
        province = "99" if i == 7 else ("10", "50", "90")[i % 3]
        lines.append(f"{date},{province},{citizen_id}")
    report = check(tmp_path, "\n".join(lines) + "\n")
    assert {c.label: c.type for c in report.columns}["วันที่"] == "date"
    assert column(report, "วันที่").profile["calendars"]["BE"] == 30
    assert finding(report, "dates.mixed_formats", "วันที่").severity == WARNING
    invalid = finding(report, "codes.invalid", "จังหวัด")
    assert (invalid.severity, rows_of(invalid), invalid.values) == (ERROR, [9], ("99",))
    assert column(report, "จังหวัด").type == "code"
    personal = finding(report, "personal.citizen_id", "เลขประจำตัวประชาชน")
    assert (personal.severity, personal.count, personal.values) == (ERROR, 30, ())
    assert report.has_errors
    everything = json.dumps(report.as_json(), ensure_ascii=False) + report.summary("th") + report.summary("en")
    assert not [value for value in CITIZEN_IDS if value in everything]


def test_no_finding_quotes_a_value_of_a_column_with_personal_data(tmp_path):
    phones = ["0812345678", "0898765432", "021234567"]
    report = check(tmp_path, "โทรศัพท์\n" + "\n".join(phones) + "\n")
    assert "personal.phone" in codes(report)
    zeros = finding(report, "numbers.leading_zeros", "โทรศัพท์")
    assert zeros.values == () and zeros.count == 3
    everything = json.dumps(report.as_json(), ensure_ascii=False) + report.summary("th") + report.summary("en")
    assert not [phone for phone in phones if phone in everything]


def test_the_time_limit_stops_the_check_and_says_where(tmp_path):
    rows = "".join(f"{i},x\n" for i in range(3000))
    report = check(tmp_path, "a,b\n" + rows, limits=Limits(max_seconds=0, batch_rows=1000,
                                                            max_line_bytes=4096, block_bytes=4096))
    assert not report.complete
    stopped = finding(report, "check.time_limit")
    assert stopped.severity == WARNING
    assert 2 <= stopped.examples[0].row < 3001
    assert report.rows < 3000


def test_the_json_report_has_every_documented_key(tmp_path):
    data = check(tmp_path, "a,b\n1,x\n1,x\n").as_json()
    assert set(data) == {"schema", "file", "readable", "error", "complete", "rows", "columns",
                         "duplicate_rows", "empty_rows", "counts", "findings", "seconds"}
    assert data["schema"] == 1 and data["error"] is None
    assert set(data["file"]) == {"name", "size", "format", "encoding", "bom", "delimiter", "sheet", "sheets"}
    assert {"position", "name", "label", "type", "filled", "empty"} <= set(data["columns"][0])
    assert data["counts"] == {"error": 0, "warning": 1, "info": 0}
    assert set(data["findings"][0]) == {"code", "severity", "message", "column", "count", "examples", "values"}
    assert json.loads(json.dumps(data)) == data


def test_worksheets_left_when_the_time_runs_out_are_noted(tmp_path):
    workbook = openpyxl.Workbook()
    workbook.active.append(["a"])
    workbook.active.append([1])
    for name in ("b", "c"):
        sheet = workbook.create_sheet(name)
        sheet.append(["a"])
        sheet.append([2])
    path = tmp_path / "slow.xlsx"
    workbook.save(path)
    report = check_file(path, limits=Limits(max_seconds=0))
    assert not report.complete
    other = finding(report, "file.other_sheets")
    assert other.count + len({column.sheet for column in report.columns}) == 3
