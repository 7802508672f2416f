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


# The Thai calendar months, written out (long name, abbreviation, English).
MONTHS = [
    (1, "มกราคม", "ม.ค.", "Jan"), (2, "กุมภาพันธ์", "ก.พ.", "Feb"), (3, "มีนาคม", "มี.ค.", "Mar"),
    (4, "เมษายน", "เม.ย.", "Apr"), (5, "พฤษภาคม", "พ.ค.", "May"), (6, "มิถุนายน", "มิ.ย.", "Jun"),
    (7, "กรกฎาคม", "ก.ค.", "Jul"), (8, "สิงหาคม", "ส.ค.", "Aug"), (9, "กันยายน", "ก.ย.", "Sep"),
    (10, "ตุลาคม", "ต.ค.", "Oct"), (11, "พฤศจิกายน", "พ.ย.", "Nov"), (12, "ธันวาคม", "ธ.ค.", "Dec"),
]


@pytest.mark.parametrize("month, long, short, english", MONTHS)
def test_each_month_has_its_own_thai_and_english_name(month, long, short, english):
    day = dt.date(2026, month, 15)
    assert dates.format_date_th(day, "long") == f"15 {long} 2569"
    assert dates.format_date_th(day, "short") == f"15 {short} 2569"
    assert dates.format_date_en(day) == f"15 {english} 2026"


def test_month_name_tables_are_in_calendar_order():
    assert dates.THAI_MONTHS == tuple(m[1] for m in MONTHS)
    assert dates.THAI_MONTHS_ABBR == tuple(m[2] for m in MONTHS)
    assert dates.EN_MONTHS_ABBR == tuple(m[3] for m in MONTHS)


def test_thai_datetimes_in_the_long_style():
    moment = dt.datetime(2026, 6, 1, 23, 59, 59)
    assert dates.format_datetime_th(moment, "long") == "1 มิถุนายน 2569 23:59 น."
    assert dates.format_datetime_th(dt.datetime(2026, 7, 31, 0, 0)) == "31 ก.ค. 2569 00:00 น."
    assert dates.format_datetime_en(dt.datetime(2026, 7, 31, 0, 0)) == "31 Jul 2026 00:00"


def test_an_unknown_style_is_named_in_the_error():
    with pytest.raises(ValueError) as info:
        dates.format_date_th(dt.date(2026, 1, 1), "medium")  # type: ignore[arg-type]
    assert str(info.value) == "style must be 'short' or 'long', not 'medium'"


def test_thai_digits_are_the_ten_code_points_from_0e50():
    thai = "".join(chr(0x0E50 + n) for n in range(10))
    assert thai == "๐๑๒๓๔๕๖๗๘๙"
    assert thai.translate(dates.THAI_DIGITS) == "0123456789"
    assert dates.parse_iso_datetime("๒๐๒๖-๐๖-๐๗T๐๘:๐๙") == dt.datetime(2026, 6, 7, 8, 9)


def test_be_offset_and_new_year_edges():
    assert dates.BE_OFFSET == 543
    assert dates.to_be_year(1) == 544
    assert dates.format_date_th(dt.date(2026, 12, 31)) == "31 ธ.ค. 2569"
    assert dates.format_date_th(dt.date(2027, 1, 1)) == "1 ม.ค. 2570"


# --- CKAN's own timestamps are UTC ------------------------------------------------

@pytest.mark.parametrize("value, expected", [
    # naive text is UTC: +7 hours, across midnight, month and year ends
    ("2026-11-29T03:03:00.123456", dt.datetime(2026, 11, 29, 10, 3, 0, 123456)),
    ("2026-11-29T16:59:59", dt.datetime(2026, 11, 29, 23, 59, 59)),
    ("2026-11-30T17:00:00", dt.datetime(2026, 12, 1, 0, 0)),
    ("2026-12-31T18:30:00", dt.datetime(2027, 1, 1, 1, 30)),
    ("2024-02-28T20:00:00", dt.datetime(2024, 2, 29, 3, 0)),
    (" 2026-11-29 03:03 ", dt.datetime(2026, 11, 29, 10, 3)),
    # an explicit offset is converted as it says
    ("2026-11-29T03:03:00Z", dt.datetime(2026, 11, 29, 10, 3)),
    ("2026-11-29T03:03:00+07:00", dt.datetime(2026, 11, 29, 3, 3)),
    ("2026-11-29T03:03:00+0700", dt.datetime(2026, 11, 29, 3, 3)),
    ("2026-11-29T03:03:00-05:00", dt.datetime(2026, 11, 29, 15, 3)),
    # a bare date stays that date (midnight), it is not shifted by 7 hours
    ("2026-11-29", dt.datetime(2026, 11, 29)),
    (dt.date(2026, 11, 29), dt.datetime(2026, 11, 29)),
    # a naive datetime is UTC too, an aware one is converted
    (dt.datetime(2026, 11, 29, 20, 0), dt.datetime(2026, 11, 30, 3, 0)),
    (dt.datetime(2026, 11, 29, 20, 0, tzinfo=dates.BANGKOK), dt.datetime(2026, 11, 29, 20, 0)),
    (dt.datetime(2026, 11, 29, 20, 0, tzinfo=dt.timezone.utc), dt.datetime(2026, 11, 30, 3, 0)),
])
def test_parse_ckan_timestamp_reads_utc_as_bangkok_time(value, expected):
    assert dates.parse_ckan_timestamp(value) == expected


@pytest.mark.parametrize("value", [None, "", "garbage", "2026-02-30T10:00:00", "2026-13-01 00:00", 12345])
def test_parse_ckan_timestamp_gives_none_for_anything_else(value):
    assert dates.parse_ckan_timestamp(value) is None


def test_parse_iso_datetime_of_date_objects_and_offsets():
    assert dates.parse_iso_datetime(dt.date(2024, 2, 29)) == dt.datetime(2024, 2, 29)
    assert dates.parse_iso_datetime("2024-02-29") == dt.datetime(2024, 2, 29)
    assert dates.parse_iso_datetime("2025-02-29") is None  # not a leap year
    assert dates.parse_iso_datetime("2026-11-24T23:30:00-01:00") == dt.datetime(2026, 11, 25, 7, 30)
    aware = dt.datetime(2026, 11, 24, 17, 0, tzinfo=dt.timezone.utc)
    assert dates.parse_iso_datetime(aware) == dt.datetime(2026, 11, 25, 0, 0)


@pytest.mark.parametrize("text", ["2026-11-24+07:00", "2026-11-24x10:00"])
def test_only_t_or_a_space_separates_the_date_and_the_time(text):
    assert dates.parse_iso_datetime(text) is None


def test_datetimes_show_seconds_when_asked():
    moment = dt.datetime(2026, 11, 29, 0, 30, 15)
    assert dates.format_datetime_th(moment, with_seconds=True) == "29 พ.ย. 2569 00:30:15 น."
    assert dates.format_datetime_th(moment, "long", with_seconds=True) == "29 พฤศจิกายน 2569 00:30:15 น."
    assert dates.format_datetime_en(moment, with_seconds=True) == "29 Nov 2026 00:30:15"


NOW = dt.datetime(2026, 11, 29, 10, 0)


@pytest.mark.parametrize("then, expected", [
    (NOW, (0, "minute")),
    (NOW - dt.timedelta(seconds=59), (0, "minute")),
    (NOW + dt.timedelta(seconds=50), (0, "minute")),  # a server clock slightly ahead
    (NOW - dt.timedelta(minutes=1), (1, "minute")),
    (NOW - dt.timedelta(minutes=59, seconds=59), (59, "minute")),
    (NOW - dt.timedelta(hours=1), (1, "hour")),
    (NOW - dt.timedelta(hours=23, minutes=59), (23, "hour")),
    (NOW - dt.timedelta(days=1), (1, "day")),
    (NOW - dt.timedelta(days=3, hours=5), (3, "day")),
    (NOW - dt.timedelta(days=6, hours=23), (6, "day")),
    (NOW - dt.timedelta(days=7), (1, "week")),
    (NOW - dt.timedelta(days=27), (3, "week")),
    (dt.datetime(2026, 10, 29, 10, 0), (1, "month")),  # calendar months
    (dt.datetime(2026, 10, 29, 10, 1), (4, "week")),  # a minute short of a month
    (dt.datetime(2026, 1, 31, 12, 0), (9, "month")),
    (dt.datetime(2025, 11, 29, 10, 0), (1, "year")),
    (dt.datetime(2025, 11, 29, 10, 1), (11, "month")),
    (dt.datetime(2016, 2, 29, 0, 0), (10, "year")),
])
def test_elapsed_counts_whole_units_of_the_largest_size(then, expected):
    assert dates.elapsed(then, NOW) == expected
    assert expected[1] in dates.ELAPSED_UNITS


def test_elapsed_after_month_ends():
    # 31 Jan to 28 Feb is not yet a month; to 3 Mar it is
    assert dates.elapsed(dt.datetime(2026, 1, 31), dt.datetime(2026, 2, 28)) == (4, "week")
    assert dates.elapsed(dt.datetime(2026, 1, 31), dt.datetime(2026, 3, 3)) == (1, "month")


def test_elapsed_is_none_for_a_moment_ahead():
    assert dates.elapsed(NOW + dt.timedelta(minutes=2), NOW) is None
    assert dates.elapsed(NOW + dt.timedelta(days=400), NOW) is None
