"""Buddhist Era display, Thai month names, lenient ISO parsing, fiscal year."""
import datetime as dt

import pytest

from ckanext.opendata_th.playbook import dates


def test_be_and_ce_years_convert_both_ways():
    assert dates.to_be_year(2026) == 2569
    assert dates.to_ce_year(2569) == 2026
    assert dates.to_ce_year(dates.to_be_year(1999)) == 1999


def test_thai_short_and_long_dates_use_be_years():
    day = dt.date(2026, 11, 24)
    assert dates.format_date_th(day) == "24 พ.ย. 2569"
    assert dates.format_date_th(day, "short") == "24 พ.ย. 2569"
    assert dates.format_date_th(day, "long") == "24 พฤศจิกายน 2569"


def test_thai_dates_cover_every_month():
    long = [dates.format_date_th(dt.date(2025, m, 1), "long") for m in range(1, 13)]
    assert long[0] == "1 มกราคม 2568"
    assert long[-1] == "1 ธันวาคม 2568"
    short = [dates.format_date_th(dt.date(2025, m, 1)) for m in range(1, 13)]
    assert short[0] == "1 ม.ค. 2568"
    assert short[-1] == "1 ธ.ค. 2568"
    assert len(set(long)) == len(set(short)) == 12


def test_thai_date_rejects_an_unknown_style():
    with pytest.raises(ValueError):
        dates.format_date_th(dt.date(2026, 1, 1), "medium")  # type: ignore[arg-type]


def test_english_date_uses_ce_year():
    assert dates.format_date_en(dt.date(2026, 11, 24)) == "24 Nov 2026"
    assert dates.format_date_en(dt.datetime(2026, 1, 5, 9, 30)) == "5 Jan 2026"


def test_datetimes_show_the_time():
    moment = dt.datetime(2026, 11, 24, 9, 5)
    assert dates.format_datetime_th(moment) == "24 พ.ย. 2569 09:05 น."
    assert dates.format_datetime_en(moment) == "24 Nov 2026 09:05"


@pytest.mark.parametrize("text, expected", [
    ("2026-11-24", dt.date(2026, 11, 24)),
    ("  2026-11-24 ", dt.date(2026, 11, 24)),
    ("2026-11-24T23:59:59", dt.date(2026, 11, 24)),
    ("2026-11-24T10:00:00.123456", dt.date(2026, 11, 24)),
    ("2026-11-24 10:00", dt.date(2026, 11, 24)),
    ("๒๕๖๙-๐๑-๐๒", dt.date(2569, 1, 2)),
    (dt.date(2026, 2, 3), dt.date(2026, 2, 3)),
    (dt.datetime(2026, 2, 3, 4, 5), dt.date(2026, 2, 3)),
])
def test_parse_iso_date_accepts_dates_and_datetimes(text, expected):
    assert dates.parse_iso_date(text) == expected


@pytest.mark.parametrize("text", [
    None, "", "   ", "not a date", "24/11/2026", "2026-02-30", "2026-13-01", "2026-11", 20261124,
])
def test_parse_iso_date_gives_none_for_anything_else(text):
    assert dates.parse_iso_date(text) is None


def test_parse_iso_datetime_keeps_the_time_and_makes_midnight_of_dates():
    assert dates.parse_iso_datetime("2026-11-24T10:15:30") == dt.datetime(2026, 11, 24, 10, 15, 30)
    assert dates.parse_iso_datetime("2026-11-24") == dt.datetime(2026, 11, 24)


def test_aware_datetimes_are_converted_to_bangkok_time():
    assert dates.parse_iso_datetime("2026-11-24T20:00:00Z") == dt.datetime(2026, 11, 25, 3, 0)
    assert dates.parse_iso_datetime("2026-11-24T20:00:00+07:00") == dt.datetime(2026, 11, 24, 20, 0)
    utc = dt.datetime(2026, 1, 1, 0, 0, tzinfo=dt.timezone.utc)
    assert dates.to_local_naive(utc) == dt.datetime(2026, 1, 1, 7, 0)
    assert dates.to_local_naive(dt.datetime(2026, 1, 1)) == dt.datetime(2026, 1, 1)


@pytest.mark.parametrize("day, fiscal_year", [
    (dt.date(2026, 9, 30), 2569),
    (dt.date(2026, 10, 1), 2570),
    (dt.date(2026, 12, 31), 2570),
    (dt.date(2027, 1, 1), 2570),
    (dt.date(2027, 9, 30), 2570),
    (dt.date(2027, 10, 1), 2571),
])
def test_fiscal_year_runs_october_to_september_in_be(day, fiscal_year):
    assert dates.fiscal_year_be(day) == fiscal_year
