"""Hostile files get a clear error or finding within seconds, never a
crash or a hang: binary junk, a zip bomb in an XLSX, a 10 MB single line, a
wrong extension, an empty file, a header only, JSON that is no array of
records, formats that are no table, an absurdly wide table."""
from __future__ import annotations

import io
import json
import os
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest

from ckanext.opendata_th.quality import Limits, check_file

SECONDS = 10.0


def checked(path: Path, **kwargs):
    started = time.monotonic()
    report = check_file(path, **kwargs)
    assert time.monotonic() - started < SECONDS
    return report


def unreadable(path: Path, code: str, **kwargs):
    report = checked(path, **kwargs)
    assert not report.readable
    assert report.error is not None and report.error.code == code
    assert report.error.severity == "error" and report.findings == (report.error,)
    assert report.as_json()["error"]["code"] == code
    return report


def write(tmp_path: Path, name: str, content: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


def test_binary_junk_named_csv(tmp_path):
    report = unreadable(write(tmp_path, "junk.csv", os.urandom(200_000)), "file.binary")
    assert "binary" in report.summary("en")


def test_control_characters_without_nul_bytes_are_binary_too(tmp_path):
    unreadable(write(tmp_path, "junk.csv", bytes(range(1, 32)) * 1000), "file.binary")


def test_an_empty_file(tmp_path):
    report = unreadable(write(tmp_path, "empty.csv", b""), "file.empty")
    assert report.summary("th") == "ตรวจไฟล์ empty.csv ไม่ได้: ไฟล์ว่างเปล่า"


def test_a_file_of_blank_lines_is_empty(tmp_path):
    unreadable(write(tmp_path, "blank.csv", b"\n\n  \r\n"), "file.empty")


def test_a_header_only_is_readable_with_an_error(tmp_path):
    report = checked(write(tmp_path, "header.csv", "ปี,จำนวน\n".encode()))
    assert report.readable and report.has_errors
    assert [f.code for f in report.findings] == ["file.no_rows"]


def test_a_10_mb_single_line_is_refused_quickly(tmp_path):
    path = write(tmp_path, "long.csv", b"a,b\n1," + b"x" * (10 << 20) + b"\n2,3\n")
    report = unreadable(path, "file.line_too_long")
    assert report.error.message.params["limit"] == "4"


def test_a_10_mb_file_of_one_line_without_a_line_break(tmp_path):
    unreadable(write(tmp_path, "line.csv", b"x," * (5 << 20)), "file.line_too_long")


def test_an_absurdly_wide_header(tmp_path):
    header = ",".join(f"c{i}" for i in range(1500))
    report = unreadable(write(tmp_path, "wide.csv", (header + "\n" + header + "\n").encode()), "file.too_wide")
    assert report.error.message.params == {"columns": 1500, "limit": 1000}


def zip_bomb_xlsx(path: Path, inflated: int) -> None:
    """A real workbook plus a member that inflates ``inflated`` zero bytes."""
    workbook = openpyxl.Workbook()
    workbook.active.append(["a"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    with zipfile.ZipFile(buffer, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        with archive.open("xl/media/bomb.bin", "w", force_zip64=True) as member:
            chunk = b"\0" * (1 << 20)
            for _ in range(inflated >> 20):
                member.write(chunk)
    path.write_bytes(buffer.getvalue())


def test_a_zip_bomb_in_an_xlsx_is_refused_before_inflating(tmp_path):
    path = tmp_path / "bomb.xlsx"
    zip_bomb_xlsx(path, 64 << 20)  # 64 MB of zeros in about 64 KB
    assert path.stat().st_size < 1 << 20
    report = unreadable(path, "file.zip_bomb")
    assert "zip bomb" in report.summary("en")


def test_the_unzipped_size_limit(tmp_path):
    workbook = openpyxl.Workbook()
    workbook.active.append(["a"])
    workbook.active.append([1])
    path = tmp_path / "small.xlsx"
    workbook.save(path)
    assert checked(path).readable
    unreadable(path, "file.zip_bomb", limits=Limits(max_unzipped_bytes=1000))


def test_a_damaged_xlsx(tmp_path):
    workbook = openpyxl.Workbook()
    buffer = io.BytesIO()
    workbook.save(buffer)
    unreadable(write(tmp_path, "broken.xlsx", buffer.getvalue()[:2000]), "file.corrupt")


def test_a_zip_that_is_not_a_workbook(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    report = unreadable(write(tmp_path, "report.xlsx", buffer.getvalue()), "file.not_a_table")
    assert report.error.message.params["format"] == "Word (DOCX)"


@pytest.mark.parametrize("content,kind", [
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "PDF"),
    (b"\x89PNG\r\n\x1a\n" + bytes(100), "PNG"),
    (b"<!DOCTYPE html><html><body><table><tr><td>1</td></tr></table></body></html>", "HTML"),
    (b"\xef\xbb\xbf<?xml version='1.0'?><Workbook/>", "XML"),
])
def test_formats_that_are_no_table(tmp_path, content, kind):
    report = unreadable(write(tmp_path, "data.xls", content), "file.not_a_table")
    assert report.error.message.params["format"] == kind


def test_an_ole_file_that_is_no_workbook(tmp_path):
    unreadable(write(tmp_path, "old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2000)), "file.corrupt")


def test_a_csv_named_xlsx_is_read_with_a_warning(tmp_path):
    report = checked(write(tmp_path, "data.xlsx", "ปี,จำนวน\n2567,1\n".encode()))
    assert report.readable and report.file.format == "csv"
    assert [f.code for f in report.findings] == ["file.wrong_extension"]


@pytest.mark.parametrize("content,code", [
    (json.dumps({"result": {"records": [{"a": 1}]}}), "file.not_records"),
    ('[{"a": 1}, {"a": 2', "file.corrupt"),
    ("[1, 2, 3]", None),
])
def test_json_that_is_not_an_array_of_records(tmp_path, content, code):
    path = write(tmp_path, "data.json", content.encode())
    if code:
        unreadable(path, code)
    else:
        report = checked(path)
        assert report.readable and report.rows == 0
        assert {f.code for f in report.findings} == {"file.no_rows", "rows.not_records"}


def test_a_quote_never_closed_does_not_hang(tmp_path):
    path = write(tmp_path, "quote.csv", b'a,b\n1,"never closed\n' + b"2,3\n" * 100_000)
    report = checked(path)
    assert not report.readable or report.rows <= 100_001


def test_the_time_limit_is_honoured(tmp_path):
    rows = b"".join(b"%d,x\n" % i for i in range(200_000))
    report = checked(write(tmp_path, "big.csv", b"a,b\n" + rows),
                     limits=Limits(max_seconds=0.0, batch_rows=10_000, max_line_bytes=1 << 16,
                                   block_bytes=1 << 16))
    assert not report.complete and report.rows < 200_000
    assert "check.time_limit" in {f.code for f in report.findings}
