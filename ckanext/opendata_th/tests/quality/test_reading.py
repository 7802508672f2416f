"""Reading files as tables: the format from the content, the encoding, the
delimiter, workbooks, JSON records, and row numbers that stay right when
rows are left out, batch after batch."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import polars as pl
import pytest
import xlwt

from ckanext.opendata_th.quality import check_file
from ckanext.opendata_th.quality.reading import (
    _record_boundary,
    Limits,
    RestartInOrder,
    RestartWithTranscoding,
    UnreadableFile,
    cell_text,
    clean,
    may_hold_unicode_space,
    open_table,
    sniff_delimiter,
)

THAI_TABLE = "จังหวัด,ปี,จำนวน\nเชียงใหม่,2567,10\nน่าน,2568,12\n"


def read_all(path: Path, limits: Limits = Limits(), transcode: bool = False, in_order: bool = False):
    """(table, [(row number, cells)]) of every row read, cleaned."""
    with open_table(str(path), limits, transcode=transcode, in_order=in_order) as table:
        rows = []
        for batch in table.batches():
            numbers = batch.row_numbers(range(batch.frame.height))
            rows.extend(zip(numbers, clean(batch.frame).rows()))
    return table, rows


def write(tmp_path: Path, name: str, content: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


def test_utf8_with_a_byte_order_mark_is_utf8_and_the_mark_is_not_in_the_header(tmp_path):
    table, rows = read_all(write(tmp_path, "a.csv", THAI_TABLE.encode("utf-8-sig")))
    assert (table.source.encoding, table.source.bom, table.source.format) == ("utf-8", True, "csv")
    assert table.header == ["จังหวัด", "ปี", "จำนวน"]
    assert rows == [(2, ("เชียงใหม่", "2567", "10")), (3, ("น่าน", "2568", "12"))]


def test_utf8_without_a_mark(tmp_path):
    table, _ = read_all(write(tmp_path, "a.csv", THAI_TABLE.encode("utf-8")))
    assert (table.source.encoding, table.source.bom) == ("utf-8", False)


def test_a_cp874_file_is_detected_and_its_thai_read_right(tmp_path):
    text = "ชื่อ,หมายเหตุ\n“น่าน”,ปี 2566–2568\nลำปาง,ข้อมูลปีงบประมาณ\n"
    table, rows = read_all(write(tmp_path, "a.csv", text.encode("cp874")))
    assert table.source.encoding == "cp874"
    assert table.header == ["ชื่อ", "หมายเหตุ"]
    assert rows[0] == (2, ("“น่าน”", "ปี 2566–2568"))
    assert not table.notes.undecodable.count


def test_utf16_with_a_mark_as_excel_saves_unicode_text(tmp_path):
    table, rows = read_all(write(tmp_path, "a.txt", "ปี\tจำนวน\r\n2567\t5\r\n".encode("utf-16")))
    assert (table.source.encoding, table.source.delimiter, table.source.format) == ("utf-16", "\t", "tsv")
    assert rows == [(2, ("2567", "5"))]


@pytest.mark.parametrize("delimiter", [",", "\t", ";", "|"])
def test_the_delimiter_is_detected(tmp_path, delimiter):
    text = "\n".join(delimiter.join(row) for row in
                     [["a", "b", "c"], ["1", "x, y", "3"], ["4", "5", "6"]]) + "\n"
    if delimiter == ",":
        text = text.replace("x, y", '"x, y"')
    table, rows = read_all(write(tmp_path, "a.csv", text.encode()))
    assert table.source.delimiter == delimiter
    assert rows[0][1] == ("1", "x, y", "3")


def test_a_comma_inside_quotes_does_not_make_commas_the_delimiter():
    assert sniff_delimiter('a;b\n"1,5";"2,5"\n"3,1";"4,0"\n') == ";"


def test_one_column_text_has_a_comma_delimiter():
    assert sniff_delimiter("name\nก\nข\n") == ","


@pytest.mark.parametrize("in_order", [False, True])
def test_cells_are_stripped_and_blank_ones_are_none_but_the_header_is_kept_as_written(tmp_path, in_order):
    path = write(tmp_path, "a.csv", " a ,b\u3000\n  x ,   \n\u00a0y\t,\"\"\n,\u2003\n".encode())
    with open_table(str(path), in_order=in_order) as table:
        frame = next(iter(table.batches())).frame
    assert table.header == [" a ", "b\u3000"]
    assert frame.rows() == [("x", None), ("y", None), (None, None)]


def test_every_white_space_beyond_ascii_makes_a_block_take_the_unicode_strip():
    spaces = [chr(code) for code in range(128, 0x110000) if chr(code).isspace()]
    assert len(spaces) == 19  # U+0085, U+00A0, U+1680, U+2000-U+200A, U+2028/9, U+202F, U+205F, U+3000
    for space in spaces:
        data = f"ข้อมูล,{space}ค่า\n".encode()
        assert may_hold_unicode_space(data, len(data)), hex(ord(space))
    thai = "จังหวัด,ค่า\nเชียงใหม่, 12 \n".encode()
    assert not may_hold_unicode_space(thai, len(thai))


def test_each_block_is_stripped_whether_its_spaces_are_ascii_or_not(tmp_path):
    rows = [f"{n}, แถว {n}\t" if n < 200 else f"{n},\u00a0แถว {n}\u2003" for n in range(400)]
    path = write(tmp_path, "a.csv", ("n,name\n" + "\n".join(rows) + "\n").encode())
    table, read = read_all(path, Limits(block_bytes=1024, max_line_bytes=1024, batch_rows=50))
    assert [cells for _, cells in read] == [(str(n), f"แถว {n}") for n in range(400)]


def test_clean_strips_unicode_white_space_and_makes_blank_cells_none():
    frame = pl.DataFrame({"a": ["  x ", "\u00a0y\t", "\u3000"], "b": ["   ", None, "z"]})
    assert clean(frame).rows() == [("x", None), ("y", None), (None, "z")]


def test_rows_left_out_keep_the_row_numbers_of_the_others_across_blocks(tmp_path):
    lines = ["n,name,value"]
    for row in range(2, 402):
        if row % 37 == 0:
            lines.append(f"{row},ragged")  # too few cells: left out
        elif row % 53 == 0:
            lines.append(f"{row},too,many,cells")
        else:
            lines.append(f"{row},แถว {row},{row * 2}")
    path = write(tmp_path, "a.csv", ("\n".join(lines) + "\n").encode())
    table, rows = read_all(path, Limits(max_line_bytes=512, block_bytes=512, batch_rows=50))
    assert all(number == int(cells[0]) for number, cells in rows)
    assert table.notes.ragged.count == len([r for r in range(2, 402) if r % 37 == 0 or r % 53 == 0])
    assert table.notes.ragged.rows == [37, 53, 74, 106, 111]
    assert table.notes.ragged.values[:2] == ["2", "4"]


def test_a_blank_line_is_an_empty_row_and_a_quoted_line_break_stays_in_its_cell(tmp_path):
    text = 'a,b\n1,"two\nlines"\n\n3,4\n'
    _, rows = read_all(write(tmp_path, "a.csv", text.encode()))
    assert rows == [(2, ("1", "two\nlines")), (3, (None, None)), (4, ("3", "4"))]


@pytest.mark.parametrize("data, end", [
    (b"a,b\n1,2\n3,4", 8),                      # the last line may go on in the next block
    (b"a,b\n1,\"x\ny\"\n", 12),                # a line break inside quotes is no boundary...
    (b"a,b\n1,\"x\ny", 4),                       # ...while the quote is open
    (b'a,b\n1,"say ""hi""\n', 4),               # a doubled quote inside an open cell
    (b'a,b\n1,"say ""hi"""\n', 19),
    (b"no line break", None),
    (b'"open\n', None),
])
def test_a_block_ends_after_the_last_line_break_outside_quotes(data, end):
    assert _record_boundary(data, len(data)) == end


def _mixed_records(rows: int) -> str:
    """Records with quoted line breaks and commas, ragged ones and blank lines."""
    lines = ["n,name,note"]
    for number in range(1, rows + 1):
        if number % 41 == 0:
            lines.append(f"{number},ragged")
        elif number % 67 == 0:
            lines.append("")
        elif number % 13 == 0:
            lines.append(f'{number},"แถว {number}\nสองบรรทัด","1,234"')
        else:
            lines.append(f"{number},แถว {number},")
    return "\n".join(lines) + "\n"


def test_blocks_parsed_in_parallel_read_as_the_file_read_in_order(tmp_path):
    path = write(tmp_path, "a.csv", _mixed_records(3000).encode())
    limits = Limits(block_bytes=2048, max_line_bytes=4096, batch_rows=700)
    parallel, parallel_rows = read_all(path, limits)  # no quote inside a cell: no restart
    in_order, in_order_rows = read_all(path, limits, in_order=True)
    assert parallel_rows == in_order_rows
    assert len(parallel_rows) == 3000 - 3000 // 41
    assert parallel.notes.ragged.rows == in_order.notes.ragged.rows == [42, 83, 124, 165, 206]
    assert parallel.notes.ragged.count == in_order.notes.ragged.count == 3000 // 41
    assert (2, ("1", "แถว 1", None)) in parallel_rows
    assert (14, ("13", "แถว 13\nสองบรรทัด", "1,234")) in parallel_rows


@pytest.mark.parametrize("cell, value", [('12" screen', '12" screen'), ('"say ""hi"""', 'say "hi"')])
def test_from_a_cell_holding_a_quote_on_the_rest_is_read_in_order(tmp_path, cell, value):
    # a quote inside an unquoted cell (12") would make every later block be cut in the wrong place
    text = "n,text\n" + "".join(f"{i},x\n" for i in range(500))
    text += f"500,{cell}\n" + "".join(f'{i},"line\nbreak, and comma"\n' for i in range(501, 1500))
    path = write(tmp_path, "a.csv", text.encode())
    limits = Limits(block_bytes=1024, max_line_bytes=4096, batch_rows=300)
    _, rows = read_all(path, limits)
    _, in_order = read_all(path, limits, in_order=True)
    assert rows == in_order
    assert len(rows) == 1500 and rows[-1] == (1501, ("1499", "line\nbreak, and comma"))
    assert rows[500] == (502, ("500", value))
    report = check_file(str(path), limits=limits)
    assert report.rows == 1500
    assert "rows.ragged" not in {finding.code for finding in report.findings}


def test_a_quote_in_the_first_block_reads_the_file_in_order(tmp_path):
    path = write(tmp_path, "a.csv", b'a,b\n1,"x ""y"""\n2,z\n')
    with pytest.raises(RestartInOrder):
        read_all(path)
    _, rows = read_all(path, in_order=True)
    assert rows == [(2, ("1", 'x "y"')), (3, ("2", "z"))]
    assert check_file(str(path)).rows == 2


def test_a_quoted_cell_longer_than_a_line_may_be_is_reported_by_the_reader_in_order(tmp_path):
    text = 'a,b\n1,"' + "ยาว\n" * 3000 + '"\n2,x\n'
    report = check_file(str(write(tmp_path, "a.csv", text.encode())),
                        limits=Limits(block_bytes=1024, max_line_bytes=8192))
    assert not report.readable
    assert report.findings[0].code == "file.line_too_long"


def test_batches_hold_at_most_about_batch_rows(tmp_path):
    text = "a,b\n" + "".join(f"{i},x\n" for i in range(5000))
    with open_table(str(write(tmp_path, "a.csv", text.encode())), Limits(batch_rows=1000,
                                                                        max_line_bytes=4096, block_bytes=4096)) as table:
        heights = [batch.frame.height for batch in table.batches()]
    assert sum(heights) == 5000 and len(heights) >= 5
    assert max(heights) < 1000 + 4096 // len("0,x\n")  # a block's rows past the limit at most


def test_bytes_that_are_not_utf8_past_the_sample_ask_for_transcoding_and_are_then_recorded(tmp_path):
    good = "a,b\n" + "".join(f"{i},ข้อมูล\n" for i in range(3000))
    path = write(tmp_path, "a.csv", good.encode() + "9999,กขค\n".encode("cp874") + b"10000,ok\n")
    with pytest.raises(RestartWithTranscoding):
        read_all(path)
    table, rows = read_all(path, transcode=True)
    assert table.notes.undecodable.rows == [3002]
    assert table.notes.undecodable.count == 3
    assert rows[-2] == (3002, ("9999", "\ufffd\ufffd\ufffd"))


def test_xlsx_is_read_from_its_first_sheet_with_values_as_text(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "ข้อมูล"
    sheet.append([])
    sheet.append(["รหัส", "วันที่", "มูลค่า", "ใช่ไหม"])
    sheet.append(["00123", dt.datetime(2024, 3, 15), 12.5, True])
    sheet.append([None, dt.datetime(2024, 3, 15, 9, 30), 7.0, False])
    sheet.append([])  # trailing empty rows are formatting, not rows
    workbook.create_sheet("อื่น").append(["x"])
    path = tmp_path / "a.xlsx"
    workbook.save(path)
    table, rows = read_all(path)
    assert (table.source.format, table.source.sheet, table.source.sheets) == ("xlsx", "ข้อมูล", ("ข้อมูล", "อื่น"))
    assert (table.header, table.header_row) == (["รหัส", "วันที่", "มูลค่า", "ใช่ไหม"], 2)
    assert rows == [(3, ("00123", "2024-03-15", "12.5", "TRUE")),
                    (4, (None, "2024-03-15 09:30:00", "7", "FALSE"))]


def test_xlsx_cells_outside_the_header_are_noted_with_the_ragged_rows(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in (["a", "b"], [1, 2], [3, 4, "stray"]):
        sheet.append(row)
    path = tmp_path / "a.xlsx"
    workbook.save(path)
    table, rows = read_all(path)
    assert rows == [(2, ("1", "2")), (3, ("3", "4"))]
    assert (table.notes.ragged.count, table.notes.ragged.rows) == (1, [3])


def test_xls_is_read(tmp_path):
    book = xlwt.Workbook()
    sheet = book.add_sheet("แผ่น1")
    for column, value in enumerate(["ปี", "จังหวัด", "จำนวน"]):
        sheet.write(0, column, value)
    sheet.write(1, 0, 2567)
    sheet.write(1, 1, "น่าน")
    sheet.write(1, 2, 12.25)
    path = tmp_path / "a.xls"
    book.save(str(path))
    table, rows = read_all(path)
    assert (table.source.format, table.source.sheet) == ("xls", "แผ่น1")
    assert table.header == ["ปี", "จังหวัด", "จำนวน"]
    assert rows == [(2, ("2567", "น่าน", "12.25"))]


def test_json_records_are_rows_numbered_by_their_position(tmp_path):
    records = [{"ปี": 2567, "ชื่อ": "ก", "ค่า": 1.50}, [1, 2], {"ปี": 2568, "ชื่อ": None, "ใหม่": True},
               {"ปี": 2569, "ชื่อ": {"th": "ข"}}]
    path = write(tmp_path, "a.json", json.dumps(records, ensure_ascii=False).encode())
    table, rows = read_all(path)
    assert (table.source.format, table.header, table.header_row) == ("json", ["ปี", "ชื่อ", "ค่า"], 0)
    assert rows == [(1, ("2567", "ก", "1.5")), (3, ("2568", None, None)), (4, ("2569", '{"th": "ข"}', None))]
    assert (table.notes.not_records.count, table.notes.not_records.rows) == (1, [2])
    assert (table.notes.extra_keys.rows, table.notes.extra_keys.values) == ([3], ["ใหม่"])


def test_an_xlsx_named_csv_is_read_as_xlsx(tmp_path):
    workbook = openpyxl.Workbook()
    workbook.active.append(["a"])
    workbook.active.append([1])
    path = tmp_path / "really.csv"
    workbook.save(path)
    table, rows = read_all(path)
    assert table.source.format == "xlsx" and rows == [(2, ("1",))]


@pytest.mark.parametrize("value,text", [
    (None, None), ("x", "x"), (True, "TRUE"), (12.0, "12"), (12.646, "12.646"), (7, "7"),
    (dt.datetime(2024, 1, 31), "2024-01-31"), (dt.datetime(2024, 1, 31, 8, 5), "2024-01-31 08:05:00"),
    (dt.date(2024, 1, 31), "2024-01-31"), (dt.time(8, 5), "08:05:00"), ({"a": [1]}, '{"a": [1]}'),
])
def test_cell_text(value, text):
    assert cell_text(value) == text


def test_an_unreadable_file_says_why(tmp_path):
    with pytest.raises(UnreadableFile) as raised:
        open_table(str(write(tmp_path, "a.csv", b"")))
    assert raised.value.code == "file.empty"
    assert "empty" in str(raised.value)


def test_the_frames_are_polars_strings(tmp_path):
    with open_table(str(write(tmp_path, "a.csv", b"a,b\n1,2\n"))) as table:
        frame = next(iter(table.batches())).frame
    assert frame.schema == pl.Schema({"f0": pl.String, "f1": pl.String})
