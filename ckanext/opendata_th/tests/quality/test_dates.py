"""Date and time columns: formats, calendars, impossible dates, Thai digits,
what is not a date, and reading batch after batch. Pure (polars only)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from ckanext.opendata_th.quality import dates
from ckanext.opendata_th.quality.dates import DateColumn, classify, distinct_cells, strict_pattern
from ckanext.opendata_th.quality.findings import ERROR, INFO, MAX_EXAMPLES, WARNING

SAMPLE = Path("/work/shared/samples/tambon_latlong_first300.csv")


def column(cells, header="วันที่", first_row=2) -> DateColumn:
    check = DateColumn(header)
    check.update(pl.Series(header, cells, dtype=pl.String), first_row)
    return check


def codes(check: DateColumn, header="วันที่") -> dict:
    found = {finding.code: finding for finding in check.findings(header)}
    for finding in found.values():
        assert finding.message.fields() <= set(finding.message.params)
        assert finding.column == header
        assert all(location.column == header for location in finding.examples)
    return found


def be_dates(count: int, start=dt.date(2023, 1, 1)) -> list[str]:
    """Distinct D/M/YYYY dates with Buddhist Era years."""
    days = [start + dt.timedelta(days=i) for i in range(count)]
    return [f"{d.day}/{d.month:02d}/{d.year + 543}" for d in days]


@pytest.mark.parametrize("cell, label, kind, calendar, valid", [
    ("2024-01-31", "YYYY-MM-DD", "date", "CE", True),
    ("2567-01-31", "YYYY-MM-DD", "date", "BE", True),
    ("2024/01/31", "YYYY/MM/DD", "date", "CE", True),
    ("2024-01-31 09:30", "YYYY-MM-DD hh:mm", "datetime", "CE", True),
    ("2024-01-31T09:30:00Z", "YYYY-MM-DDThh:mm:ssZ", "datetime", "CE", True),
    ("2024-01-31T09:30:00.5+07:00", "YYYY-MM-DDThh:mm:ss.f±hh:mm", "datetime", "CE", True),
    ("31/01/2567", "D/M/YYYY", "date", "BE", True),
    ("1/3/2567", "D/M/YYYY", "date", "BE", True),
    ("31-01-2024", "D-M-YYYY", "date", "CE", True),
    ("31.01.2567", "D.M.YYYY", "date", "BE", True),
    ("31/01/67", "D/M/YY", "date", None, True),
    ("31/01/2567 14:05:09", "D/M/YYYY hh:mm:ss", "datetime", "BE", True),
    ("31 มกราคม 2567", "D thai-month YYYY", "date", "BE", True),
    ("31 ม.ค. 67", "D thai-month-abbr YY", "date", None, True),
    ("31 มค 2567", "D thai-month-abbr-no-dots YYYY", "date", "BE", True),
    ("31มกราคม2567", "D thai-month YYYY", "date", "BE", True),
    ("วันที่ 31 มกราคม พ.ศ. 2567", "วันที่ D thai-month พ.ศ. YYYY", "date", "BE", True),
    ("31 มกราคม ค.ศ. 2024", "D thai-month ค.ศ. YYYY", "date", "CE", True),
    ("มกราคม 2567", "thai-month YYYY", "date", "BE", True),
    ("15 มี.ค. 2567 เวลา 10.30 น.", "D thai-month-abbr YYYY เวลา hh.mm น.", "datetime", "BE", True),
    ("31 January 2024", "D english-month YYYY", "date", "CE", True),
    ("31 Jan 2024", "D english-month-abbr YYYY", "date", "CE", True),
    ("31-JAN-24", "D-english-month-abbr-YY", "date", None, True),
    ("January 31, 2024", "english-month D, YYYY", "date", "CE", True),
    ("09:30", "hh:mm", "time", None, True),
    ("09:30:15", "hh:mm:ss", "time", None, True),
    ("9.30 น.", "hh.mm น.", "time", None, True),
    # impossible: they keep their format, and are not valid
    ("31/02/2567", "D/M/YYYY", "date", "BE", False),
    ("15/13/2567", "D/M/YYYY", "date", "BE", False),
    ("12/31/2024", "D/M/YYYY", "date", "CE", False),  # month first is not guessed
    ("31 เมษายน 2567", "D thai-month YYYY", "date", "BE", False),
    ("0/01/2567", "D/M/YYYY", "date", "BE", False),
    ("25:00", "hh:mm", "time", None, False),
    ("2024-01-31 10:61", "YYYY-MM-DD hh:mm", "datetime", "CE", False),
    # leap years: a BE year is converted first (2567 BE = 2024 CE, a leap year)
    ("29/02/2567", "D/M/YYYY", "date", "BE", True),
    ("29/02/2566", "D/M/YYYY", "date", "BE", False),
    ("29/02/2024", "D/M/YYYY", "date", "CE", True),
    ("29/02/2023", "D/M/YYYY", "date", "CE", False),
    ("29/02/67", "D/M/YY", "date", None, True),   # 2567 BE is a leap year
    ("29/02/24", "D/M/YY", "date", None, True),   # 2024 CE too
    ("29/02/66", "D/M/YY", "date", None, False),  # neither 2566 BE nor 2066 CE
    # a year between the eras is in neither calendar
    ("01/01/2300", "D/M/YYYY", "date", None, True),
])
def test_formats_calendars_and_possible_dates(cell, label, kind, calendar, valid):
    row = classify(pl.Series([cell])).row(0, named=True)
    assert (row["label"], row["kind"], row["calendar"], row["valid"]) == (label, kind, calendar, valid)
    assert row["thai_digits"] is False


@pytest.mark.parametrize("cell", [
    "10.30",        # a number, not a time
    "1234", "2567", "1.5", "1,234.50", "-", "ไม่ระบุ", "hello", "",
    "31/01",        # no year
    "2024-01-31x", "0812345678", "13.752", "100.507", "ต. เกาะสาหร่าย",
])
def test_cells_that_are_not_dates(cell):
    row = classify(pl.Series([cell])).row(0, named=True)
    assert row["label"] is None
    assert row["valid"] is False


def test_thai_digits_are_read_and_flagged():
    frame = classify(pl.Series(["๓๑/๐๑/๒๕๖๗", "๒๙/๐๒/๒๕๖๖", "31/01/2567", None]))
    assert frame["label"].to_list() == ["D/M/YYYY", "D/M/YYYY", "D/M/YYYY", None]
    assert frame["valid"].to_list() == [True, False, True, False]
    assert frame["thai_digits"].to_list() == [True, True, False, False]
    assert frame["calendar"].to_list() == ["BE", "BE", "BE", None]


def test_classify_keeps_order_and_length():
    cells = ["x", None, "31/01/2567", "09:30", "2024-01-31", "y"]
    frame = classify(pl.Series(cells))
    assert frame.height == len(cells)
    assert frame["label"].to_list() == [None, None, "D/M/YYYY", "hh:mm", "YYYY-MM-DD", None]


def test_distinct_cells_count_and_first_position_without_blanks():
    groups = distinct_cells(pl.Series(["a", None, "b", "a", None, "a"])).sort("index")
    assert groups.rows() == [("a", 3, 0), ("b", 1, 2)]
    assert distinct_cells(pl.Series([None, None], dtype=pl.String)).is_empty()


@pytest.mark.parametrize("label, expected", [
    ("YYYY-MM-DD", (r"^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}$", "%Y-%m-%d")),
    ("D/M/YYYY hh:mm:ss", (r"^[0-9]{1,2}/[0-9]{1,2}/[0-9]{4} (?:[01]?[0-9]|2[0-3]):[0-5][0-9]"
                           r":[0-5][0-9]$", "%d/%m/%Y %H:%M:%S")),
    ("YYYY-MM-DDThh:mm", (r"^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}T(?:[01]?[0-9]|2[0-3]):[0-5][0-9]$",
                          "%Y-%m-%dT%H:%M")),
    ("hh:mm:ss", (r"^(?:[01]?[0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]$", "%H:%M:%S")),
    ("D/M/YY", None), ("D thai-month YYYY", None), ("YYYY-MM-DDThh:mm:ssZ", None),
    ("hh.mm น.", None),
])
def test_strict_patterns_only_for_numeric_labels(label, expected):
    assert strict_pattern(label) == expected


def test_a_consistent_be_date_column():
    cells = be_dates(30) + [None, None]
    check = column(cells)
    assert check.profile() == {"kind": "date", "formats": {"D/M/YYYY": 30},
                               "calendars": {"BE": 30, "CE": 0}}
    assert check.findings("วันที่") == []


def test_mixed_formats_are_a_warning_with_counts_and_example_rows():
    cells = be_dates(20) + ["2024-02-01", "2024-02-02", "1 ก.พ. 2567"]
    found = codes(column(cells))
    mixed = found["dates.mixed_formats"]
    assert mixed.severity == WARNING
    assert mixed.count == 3  # the cells not in the main format
    assert mixed.message.params["count"] == 3
    assert mixed.message.params["formats"] == (
        "D/M/YYYY (20)", "YYYY-MM-DD (2)", "D thai-month-abbr YYYY (1)")
    # rows: header is row 1, the first data row 2
    assert {e.row for e in mixed.examples} == {22, 23, 24}
    assert set(mixed.values) == {"2024-02-01", "2024-02-02", "1 ก.พ. 2567"}
    assert "D/M/YYYY (20)" in mixed.message.render()


def test_mixed_calendars_are_a_warning():
    cells = be_dates(10) + ["1/01/2024", "2/01/2024"]
    found = codes(column(cells))
    assert "dates.mixed_formats" not in found  # one format, two calendars
    mixed = found["dates.mixed_calendars"]
    assert mixed.severity == WARNING
    assert (mixed.message.params["be"], mixed.message.params["ce"]) == (10, 2)
    assert mixed.count == 2
    assert [e.row for e in mixed.examples] == [12, 13]
    assert mixed.values == ("1/01/2024", "2/01/2024")


def test_impossible_dates_are_an_error_with_values_and_rows():
    cells = be_dates(10) + ["31/02/2567", "15/13/2567", "31/02/2567", "29/02/2566"]
    check = column(cells, first_row=5)
    found = codes(check)
    invalid = found["dates.invalid"]
    assert invalid.severity == ERROR
    assert invalid.count == 4
    assert invalid.values == ("31/02/2567", "15/13/2567", "29/02/2566")
    assert [e.row for e in invalid.examples] == [15, 16, 18]  # first row of each distinct value
    assert "31/02/2567" in invalid.message.render()
    # still a date column: impossible dates have a date format
    assert check.profile()["formats"] == {"D/M/YYYY": 14}


def test_thai_digits_are_an_info():
    cells = be_dates(10) + ["๑/๐๑/๒๕๖๗", "๒/๐๑/๒๕๖๗"]
    found = codes(column(cells))
    thai = found["dates.thai_digits"]
    assert thai.severity == INFO
    assert thai.count == 2
    assert [e.row for e in thai.examples] == [12, 13]
    assert set(found) == {"dates.thai_digits"}  # same format, same calendar


def test_datetime_and_time_kinds():
    assert column(["2024-01-01 10:00", "2024-01-02 11:00"]).profile()["kind"] == "datetime"
    assert column(["10:00", "11:30", "23:59"]).profile()["kind"] == "time"
    mixed = column(["2024-01-01", "2024-01-02 11:00"])
    assert mixed.profile()["kind"] == "datetime"
    assert "dates.mixed_formats" in codes(mixed)


def test_a_column_is_a_date_column_from_80_percent():
    eight = column(be_dates(8) + ["ไม่ระบุ", "-"])
    assert eight.profile()["formats"] == {"D/M/YYYY": 8}
    seven = column(be_dates(7) + ["ไม่ระบุ", "-", "n/a"])
    assert seven.profile() == {}
    assert seven.findings("วันที่") == []


@pytest.mark.parametrize("cells", [
    ["สมชาย", "กรุงเทพมหานคร", "ต. เกาะสาหร่าย"],
    ["1", "25", "1,234", "3.5"],
    ["2567", "2568", "2569"],          # years are not dates
    [None, None],
    [],
])
def test_columns_that_are_not_date_columns(cells):
    check = column(cells)
    assert check.profile() == {}
    assert check.findings("x") == []


def test_the_sample_file_has_no_date_column():
    frame = pl.read_csv(SAMPLE, infer_schema=False)
    for name in frame.columns:
        check = column(frame[name].to_list(), header=name)
        assert check.profile() == {}, name
        assert check.findings(name) == [], name


def test_batches_add_up_and_keep_row_numbers():
    check = DateColumn("d")
    check.update(pl.Series(be_dates(5) + [None]), 2)
    check.update(pl.Series(["2024-03-01", "31/02/2567", None, be_dates(1)[0]]), 8)
    profile = check.profile()
    assert profile["formats"] == {"D/M/YYYY": 7, "YYYY-MM-DD": 1}
    assert profile["calendars"] == {"BE": 7, "CE": 1}
    found = codes(check, "d")
    assert [e.row for e in found["dates.invalid"].examples] == [9]
    assert [e.row for e in found["dates.mixed_formats"].examples] == [8]
    assert [e.row for e in found["dates.mixed_calendars"].examples] == [8]


def test_a_date_column_stays_one_when_a_later_batch_is_junk():
    check = DateColumn("d")
    check.update(pl.Series(be_dates(dates.DECIDE_AFTER)), 2)
    check.update(pl.Series(["ไม่ระบุ"] * 100), 2 + dates.DECIDE_AFTER)
    assert check.profile()["formats"] == {"D/M/YYYY": dates.DECIDE_AFTER}


def test_a_column_decided_not_to_hold_dates_is_not_read_again():
    check = DateColumn("d")
    check.update(pl.Series(["สมชาย"] * dates.DECIDE_AFTER), 2)
    check.update(pl.Series(be_dates(5000)), 2 + dates.DECIDE_AFTER)
    assert check.profile() == {}
    assert check.nonblank == 0  # nothing was counted after the decision


def test_blank_batches_do_not_decide():
    check = DateColumn("d")
    check.update(pl.Series([None] * 2000, dtype=pl.String), 2)
    check.update(pl.Series(be_dates(3)), 2002)
    assert check.profile()["formats"] == {"D/M/YYYY": 3}
    assert codes(check, "d") == {}


def test_repeated_dates_across_batches_are_parsed_once_and_counted_each_time():
    check = DateColumn("d")
    cells = be_dates(50) * 40  # 2,000 cells, 50 distinct
    check.update(pl.Series(cells[:1000]), 2)
    check.update(pl.Series(cells[1000:]), 1002)
    assert check.strategy == "distinct"
    assert check.profile()["formats"] == {"D/M/YYYY": 2000}
    assert check._cache is not None and check._cache.height == 50


def test_nearly_unique_timestamps_take_the_strict_path_with_the_same_answers():
    start = dt.datetime(2024, 1, 1)
    cells = [(start + dt.timedelta(minutes=7 * i)).strftime("%Y-%m-%d %H:%M:%S")
             for i in range(3000)]
    cells[1500] = "2024-02-30 10:00:00"   # no such day
    cells[1501] = "2024-01-01 10:00:60"   # strptime would accept it; the pattern keeps it out
    cells[1502] = "2567-02-29 10:00:00"   # a BE leap day: strptime refuses it, it is valid
    cells[1503] = "1/01/2567 10:00:00"    # another format
    cells[1504] = None
    check = DateColumn("t")
    check.update(pl.Series(cells[:2000]), 2)
    check.update(pl.Series(cells[2000:]), 2002)
    assert check.strategy == "strict"
    profile = check.profile()
    assert profile["kind"] == "datetime"
    assert profile["formats"] == {"YYYY-MM-DD hh:mm:ss": 2998, "D/M/YYYY hh:mm:ss": 1}
    assert profile["calendars"] == {"BE": 2, "CE": 2997}
    found = codes(check, "t")
    assert found["dates.invalid"].values == ("2024-02-30 10:00:00", "2024-01-01 10:00:60")
    assert [e.row for e in found["dates.invalid"].examples] == [1502, 1503]
    assert [e.row for e in found["dates.mixed_formats"].examples] == [1505]
    assert found["dates.mixed_calendars"].count == 2


def test_memory_stays_bounded_with_many_impossible_dates():
    cells = [f"{day}/13/2567" for day in range(1, 29)] * 5 + [
        f"31/{m:02d}/{y}" for m in (2, 4, 6, 9, 11) for y in range(2500, 2530)]
    check = column(cells)
    assert check.invalid == len(cells)
    assert len(check.invalid_values) <= dates.MAX_INVALID_VALUES
    finding = codes(check)["dates.invalid"]
    assert len(finding.values) == len(finding.examples) == MAX_EXAMPLES


def test_accepts_a_plain_list_and_other_dtypes():
    check = DateColumn()
    check.update(["31/01/2567", "1/02/2567"], 2)
    assert check.profile()["formats"] == {"D/M/YYYY": 2}
    nulls = DateColumn()
    nulls.update(pl.Series([None, None]), 2)  # dtype Null
    assert nulls.profile() == {}
