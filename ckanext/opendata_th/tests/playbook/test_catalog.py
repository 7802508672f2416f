"""The data catalog's template (playbook/catalog.py) without CKAN: its
columns and headers, reading XLSX and CSV files (UTF-8 with or without BOM,
cp874), and reading a row's cells as national-schema fields, with errors
that name the cell's problem in Thai and English."""
from __future__ import annotations

import csv
import io

import openpyxl
import pytest

from ckanext.opendata_th.playbook import catalog
from ckanext.opendata_th.playbook.messages import Message

HEADERS = catalog.headers()[:15]


def thai(message: Message) -> str:
    """A message as the Thai page shows it (labels in Thai; the msgid
    untranslated is enough to see the parameters)."""
    return message.render(lang="th")


def cells(**by_key: str) -> list[str]:
    return [by_key.get(key, "") for key in catalog.TEMPLATE_FIELDS]


def read(**by_key: str) -> catalog.Row:
    return catalog.read_row(2, HEADERS, cells(**by_key))


# -- columns ----------------------------------------------------------------------

def test_columns_follow_the_dga_template_then_ours():
    assert [c.key for c in catalog.COLUMNS] == [
        "data_type", "title", "owner_org", "maintainer", "maintainer_email", "tag_string", "notes",
        "objective", "update_frequency_unit", "update_frequency_interval", "geo_coverage", "data_source",
        "data_format", "data_category", "license_id", "data_classification", "stage", "priority", "overdue"]
    assert catalog.headers()[:3] == ["ประเภทชุดข้อมูล", "ชื่อชุดข้อมูล", "หน่วยงาน"]
    assert catalog.headers()[-3:] == ["ขั้นตอน", "ลำดับความสำคัญ", "เลยกำหนดปรับปรุง"]


@pytest.mark.parametrize("header, key", [
    ("ชื่อชุดข้อมูล", "title"), ("  ชื่อชุดข้อมูล ", "title"), ("Dataset Name", "title"), ("title", "title"),
    ("วัตถุประสงค์ (เลือกได้มากกว่า 1 ข้อ)", "objective"), ("รูปแบบการเก็บข้อมูล [รูปแบบ]", "data_format"),
    ("หมวดหมู่ข้อมูลตามธรรมาภิบาลข้อมูลภาครัฐ (เลือกได้มากกว่า 1 ข้อ)", "data_category"),
    ("ประเภทข้อมูล", "data_type"), ("องค์กร", "owner_org"), ("ชั้นความลับของข้อมูลภาครัฐ", "data_classification"),
    ("ขั้นตอน", "stage"), ("Timestamp", None), ("", None), (None, None)])
def test_headers_are_recognised(header, key):
    assert catalog.header_key(header) == key


# -- writing ----------------------------------------------------------------------

def test_export_row_writes_choices_tags_and_other_texts():
    dataset = {"data_type": "ข้อมูลประเภทอื่นๆ", "data_type_other": "ภาพถ่าย", "title": "ชุด",
               "tags": [{"name": "ก"}, {"name": "ข"}], "objective": '["พันธกิจหน่วยงาน", "อื่นๆ"]',
               "objective_other": "แผนกรม", "data_format": ["CSV"], "update_frequency_interval": 1,
               "license_id": "Open Data Common", "data_classification": "เปิดเผย"}
    row = catalog.export_row(dataset, organization_title="กรม", stage="สำรวจแล้ว", priority=72.5,
                             overdue="")
    by_key = dict(zip([c.key for c in catalog.COLUMNS], row))
    assert by_key["data_type"] == "ข้อมูลประเภทอื่นๆ: ภาพถ่าย"
    assert by_key["owner_org"] == "กรม" and by_key["tag_string"] == "ก, ข"
    assert by_key["objective"] == "พันธกิจหน่วยงาน, อื่นๆ: แผนกรม"
    assert by_key["update_frequency_interval"] == "1"
    assert (by_key["stage"], by_key["priority"], by_key["overdue"]) == ("สำรวจแล้ว", "72.5", "")
    assert len(row) == len(catalog.COLUMNS)


def test_an_exported_row_reads_back_as_the_same_fields():
    dataset = {"data_type": "ข้อมูลประเภทอื่นๆ", "data_type_other": "ภาพถ่าย", "title": "ชุด",
               "maintainer": "ฝ่าย", "maintainer_email": "a@b.example", "tags": [{"name": "ก"}],
               "notes": "รายละเอียด", "objective": ["พันธกิจหน่วยงาน", "อื่นๆ"], "objective_other": "แผน, กรม",
               "update_frequency_unit": "อื่นๆ", "update_frequency_unit_other": "ตามรอบบัญชี",
               "update_frequency_interval": "2", "geo_coverage": "ประเทศ", "data_source": "ระบบ",
               "data_format": ["CSV", "XLS"], "data_category": "ข้อมูลสาธารณะ", "license_id": "Open Data Common",
               "data_classification": "เปิดเผย"}
    row = catalog.export_row(dataset, organization_title="", stage="", priority=None, overdue="")
    read_back = catalog.read_row(2, catalog.headers(), row)
    assert read_back.errors == {}
    expected = {k: v for k, v in dataset.items() if k != "tags"} | {"tag_string": "ก"}
    assert read_back.fields == expected


def test_csv_safe_keeps_formulas_as_text():
    assert catalog.csv_safe("=SUM(A1)") == "'=SUM(A1)"
    assert catalog.csv_safe("-1") == "'-1"
    assert catalog.csv_safe("ปกติ") == "ปกติ"
    content = "ชื่อชุดข้อมูล\n'=SUM(A1)\n".encode()
    assert catalog.read_table(content, max_rows=5).rows == [(2, ["=SUM(A1)"])]


# -- reading cells -------------------------------------------------------------------

def test_good_row_with_thai_digits_english_labels_and_tags():
    row = read(data_type="Statistical Data", title=" ชุดข้อมูล ", tag_string="ก, ข;ค\nก",
               update_frequency_unit="ปี", update_frequency_interval="๑๒", data_format="csv, Shapefile",
               data_category="ข้อมูลสาธารณะ", license_id="Open Data Common")
    assert row.errors == {}
    assert row.fields["data_type"] == "ข้อมูลสถิติ"
    assert row.fields["title"] == "ชุดข้อมูล"
    assert row.fields["tag_string"] == "ก,ข,ค"
    assert row.fields["update_frequency_interval"] == "12"
    assert row.fields["data_format"] == ["CSV", "Shapefile"]


def test_unknown_values_of_fields_with_other_become_other():
    row = read(geo_coverage="ลุ่มน้ำเจ้าพระยา", license_id="CC-BY-4.0", objective="อื่นๆ: แผนกรม")
    assert row.errors == {}
    assert (row.fields["geo_coverage"], row.fields["geo_coverage_other"]) == ("อื่นๆ", "ลุ่มน้ำเจ้าพระยา")
    assert (row.fields["license_id"], row.fields["license_id_other"]) == ("อื่นๆ", "CC-BY-4.0")
    assert (row.fields["objective"], row.fields["objective_other"]) == (["อื่นๆ"], "แผนกรม")


def test_bad_choices_are_row_errors_that_say_which_value_and_field():
    row = read(data_type="ข้อมูลแปลก", data_category="สาธารณะ", data_classification="ลับสุดยอด")
    assert set(row.errors) == {"data_type", "data_category"}
    text = thai(row.errors["data_category"][0])
    assert "“สาธารณะ”" in text and "หมวดหมู่ข้อมูลตามธรรมาภิบาลข้อมูลภาครัฐ" in text
    assert "“ข้อมูลสาธารณะ”" in text  # the choices are listed
    english = row.errors["data_type"][0].render(lang="en")
    assert "Data Type" in english and "“ข้อมูลแปลก”" in english
    # the classification is read by the columns after the template's
    full = catalog.read_row(2, catalog.headers(), cells() + ["ลับสุดยอด"])
    assert "data_classification" in full.errors


def test_blank_cells_are_left_out_and_organization_kept_apart():
    row = read(title="ชุด", owner_org="กรมทดสอบ")
    assert row.fields == {"title": "ชุด"}
    assert row.organization == "กรมทดสอบ"
    assert catalog.same_organization(" กรมทดสอบ ", ["กรมทดสอบ", "dept-test"])
    assert catalog.same_organization("DEPT-TEST", ["กรมทดสอบ", "dept-test"])
    assert not catalog.same_organization("กรมอื่น", ["กรมทดสอบ", "dept-test"])


def test_too_long_a_cell_is_refused():
    row = read(title="ก" * (catalog.MAX_CELL + 1))
    assert "title" in row.errors and str(catalog.MAX_CELL) in thai(row.errors["title"][0])


def test_the_same_title_twice_refuses_the_later_row():
    table = catalog.Table(HEADERS, [(2, cells(title="ชุด")), (3, cells(title="ชุด ")), (4, cells(title="อื่น"))])
    rows = catalog.read_rows(table)
    assert [bool(r.errors) for r in rows] == [False, True, False]
    assert "2" in thai(rows[1].errors["title"][0])


def test_ignored_headers():
    assert catalog.ignored_headers(["ชื่อชุดข้อมูล", "Timestamp", "ขั้นตอน", ""]) == ["Timestamp"]


# -- reading files --------------------------------------------------------------------

def _csv(rows, encoding="utf-8") -> bytes:
    stream = io.StringIO(newline="")
    csv.writer(stream).writerows(rows)
    return stream.getvalue().encode(encoding)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp874"])
def test_csv_in_every_thai_encoding(encoding):
    table = catalog.read_table(_csv([HEADERS, cells(title="ชุดข้อมูลภาษาไทย")], encoding), max_rows=10)
    assert table.headers == HEADERS
    assert table.rows == [(2, cells(title="ชุดข้อมูลภาษาไทย"))]


def test_semicolon_csv_and_blank_rows():
    content = "ชื่อชุดข้อมูล;แหล่งที่มา\nชุดหนึ่ง;ระบบ\n;\nชุดสอง;ระบบ\n".encode()
    table = catalog.read_table(content, max_rows=10)
    assert [number for number, _ in table.rows] == [2, 4]


def test_xlsx_with_title_lines_numbers_and_dates():
    import datetime as dt

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["แบบฟอร์มบัญชีข้อมูล"])
    sheet.append(HEADERS + ["วันที่"])
    sheet.append(cells(title="ชุด", update_frequency_interval=3) + [dt.datetime(2025, 1, 31)])
    stream = io.BytesIO()
    book.save(stream)
    table = catalog.read_table(stream.getvalue(), max_rows=10)
    assert table.rows[0][0] == 3
    assert table.rows[0][1][9] == "3" and table.rows[0][1][-1] == "2025-01-31"


def test_xlsx_header_row_on_a_later_sheet():
    book = openpyxl.Workbook()
    book.active.append(["คำอธิบายการกรอกแบบฟอร์ม"])
    data = book.create_sheet("Temp2_Meta_Record")
    data.append(HEADERS)
    data.append(cells(title="ชุดในชีตที่สอง"))
    stream = io.BytesIO()
    book.save(stream)
    table = catalog.read_table(stream.getvalue(), max_rows=10)
    assert table.rows == [(2, cells(title="ชุดในชีตที่สอง"))]


@pytest.mark.parametrize("content", [
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", b"PK\x03\x04broken", bytes(range(128, 256)) * 3])
def test_not_a_spreadsheet(content):
    with pytest.raises(catalog.CatalogFileError) as error:
        catalog.read_table(content, max_rows=10)
    assert "XLSX" in error.value.message.render() or ".xlsx" in error.value.message.render()


def test_wrong_headers_no_rows_and_too_many_rows():
    with pytest.raises(catalog.CatalogFileError) as error:
        catalog.read_table(_csv([["ชื่อ", "อีเมล"], ["ก", "ข"]]), max_rows=10)
    assert "ชื่อชุดข้อมูล" in thai(error.value.message)
    with pytest.raises(catalog.CatalogFileError):
        catalog.read_table(_csv([HEADERS]), max_rows=10)
    with pytest.raises(catalog.CatalogFileError) as error:
        catalog.read_table(_csv([HEADERS] + [cells(title=f"ชุด {n}") for n in range(4)]), max_rows=3)
    assert "3" in error.value.message.render()
