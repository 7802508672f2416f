"""``python -m ckanext.opendata_th.quality``: exit codes 0 / 1 / 2, the
JSON report, Thai and English summaries, and a clear one-line message (no
traceback) for an unreadable file. Run as a real subprocess."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

CLEAN = "ปี,จังหวัด,จำนวน\n2567,น่าน,10\n2568,ลำปาง,12\n"
WITH_ERROR = "ปี,ปี,จำนวน\n2567,น่าน,10\n2568,ลำปาง,12\n"  # a duplicate column name


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ckanext.opendata_th.quality", *args],
                          capture_output=True, text=True, timeout=60)


def write(tmp_path: Path, name: str, content: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(content)
    return str(path)


def test_a_clean_file_exits_0_with_a_thai_summary_by_default(tmp_path):
    result = run(write(tmp_path, "ok.csv", CLEAN.encode()))
    assert result.returncode == 0, result.stderr
    assert "ok.csv: CSV" in result.stdout
    assert "ไม่พบปัญหา" in result.stdout
    assert "2 แถว 3 คอลัมน์" in result.stdout
    assert result.stderr == ""


def test_an_english_summary(tmp_path):
    result = run(write(tmp_path, "ok.csv", CLEAN.encode()), "--lang", "en")
    assert result.returncode == 0
    assert "2 rows, 3 columns" in result.stdout and "No problems found." in result.stdout
    assert "1. ปี: whole numbers, 2 filled, 0 empty" in result.stdout


def test_error_findings_exit_1_and_are_listed_in_the_language_asked(tmp_path):
    path = write(tmp_path, "bad.csv", WITH_ERROR.encode())
    thai = run(path)
    assert thai.returncode == 1
    assert "ข้อผิดพลาด: ชื่อคอลัมน์ “ปี” ถูกใช้ 2 ครั้ง (คอลัมน์ที่ 1, 2)" in thai.stdout
    english = run(path, "--lang", "en")
    assert english.returncode == 1
    assert "Error: The column name “ปี” is used 2 times (columns 1, 2)" in english.stdout


def test_warnings_alone_exit_0(tmp_path):
    result = run(write(tmp_path, "w.csv", (CLEAN + "2568,ลำปาง,12\n").encode()), "--lang", "en")
    assert result.returncode == 0
    assert "Warning: 1 rows repeat an earlier row exactly: row 4 repeats row 3. (rows 4)" in result.stdout


def test_json_output_parses_and_matches_the_exit_code(tmp_path):
    result = run(write(tmp_path, "bad.csv", WITH_ERROR.encode()), "--json")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["schema"] == 1 and report["readable"] is True
    assert report["counts"]["error"] == 1
    assert [f["code"] for f in report["findings"]] == ["header.duplicate"]
    assert report["findings"][0]["message"]["id"].startswith("The column name")


def test_an_unreadable_file_exits_2_with_one_line_on_stderr_and_no_traceback(tmp_path):
    path = write(tmp_path, "junk.csv", bytes(range(256)) * 40)
    for lang, text in (("th", "ตรวจไฟล์ junk.csv ไม่ได้: ไฟล์นี้เป็นข้อมูลไบนารี"),
                       ("en", "junk.csv cannot be checked: The file holds binary data")):
        result = run(path, "--lang", lang)
        assert result.returncode == 2
        assert result.stdout == ""
        assert result.stderr.startswith(text) and result.stderr.count("\n") == 1
        assert "Traceback" not in result.stderr


def test_an_unreadable_file_with_json_prints_the_report_too(tmp_path):
    result = run(write(tmp_path, "empty.csv", b""), "--json", "--lang", "en")
    assert result.returncode == 2
    report = json.loads(result.stdout)
    assert (report["readable"], report["error"]["code"]) == (False, "file.empty")
    assert report["findings"] == [report["error"]]
    assert "The file is empty." in result.stderr


def test_a_missing_file_exits_2(tmp_path):
    result = run(str(tmp_path / "nothing.csv"), "--lang", "en")
    assert result.returncode == 2
    assert "cannot be checked: The file cannot be opened" in result.stderr
    assert "Traceback" not in result.stderr


def test_every_message_of_the_engine_has_a_thai_translation_with_the_same_fields():
    import ast
    import string

    from babel.messages.pofile import read_po

    from ckanext.opendata_th.quality import __main__ as cli
    from ckanext.opendata_th.quality import checks, reading, report

    catalog_path = Path(report.I18N) / "th" / "LC_MESSAGES" / "ckanext-opendata_th.po"
    with catalog_path.open("rb") as stream:
        thai = {m.id: m.string for m in read_po(stream) if m.id and m.string and not m.fuzzy}
    msgids = set()
    for module in (checks, reading, report, cli):
        for node in ast.walk(ast.parse(Path(module.__file__).read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "N_":
                msgids.add(node.args[0].value)
    assert len(msgids) > 50
    missing = sorted(msgid for msgid in msgids if msgid not in thai)
    assert not missing

    def fields(text: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}

    assert [m for m in msgids if fields(m) != fields(thai[m])] == []
