"""Update frequency: interval parsing, calendar due dates, descriptions."""
import datetime as dt

import pytest

from ckanext.opendata_th.playbook import frequency as f
from ckanext.opendata_th.playbook.frequency import FrequencyError, next_due
from ckanext.opendata_th.tests.playbook.catalog import en, th

D = dt.datetime


def test_units_are_the_thirteen_thai_choices_in_form_order():
    assert f.UNITS == (
        "ไม่ทราบ", "ปี", "ครึ่งปี", "ไตรมาส", "เดือน", "สัปดาห์", "วัน", "วันทำการ",
        "ชั่วโมง", "นาที", "ตามเวลาจริง", "ไม่มีการปรับปรุงหลังจากการจัดเก็บข้อมูล", "อื่นๆ",
    )
    assert set(f.UNIT_LABELS_EN) == set(f.UNITS)
    assert f.UNIT_LABELS_EN["ครึ่งปี"] == "half-year"
    assert f.UNIT_LABELS_EN["วันทำการ"] == "working day"
    assert f.UNIT_LABELS_EN["ไม่มีการปรับปรุงหลังจากการจัดเก็บข้อมูล"] == "never updated after collection"


def test_daily_or_shorter_units_need_an_update_time():
    assert f.DAILY_OR_SHORTER == {"วัน", "วันทำการ", "ชั่วโมง", "นาที", "ตามเวลาจริง"}
    assert "สัปดาห์" not in f.DAILY_OR_SHORTER


def test_only_units_shorter_than_a_day_are_due_at_a_moment():
    assert f.SUB_DAILY == {"ชั่วโมง", "นาที", "ตามเวลาจริง"}


# --- parse_interval ---------------------------------------------------------

@pytest.mark.parametrize("value, expected", [
    (None, 1), ("", 1), ("   ", 1), ("1", 1), ("4", 4), (" 12 ", 12), (3, 3),
    ("๒", 2), ("๑๒", 12), (" ๕ ", 5), ("+2", 2),
])
def test_parse_interval_accepts_positive_whole_numbers(value, expected):
    assert f.parse_interval(value) == expected


@pytest.mark.parametrize("value", ["abc", "1.5", "2.0", "1,000", "๒ ปี", "two", 1.5, True, [1]])
def test_parse_interval_rejects_non_integers(value):
    with pytest.raises(FrequencyError) as info:
        f.parse_interval(value)
    error = info.value
    assert isinstance(error, ValueError)
    assert "จำนวนเต็ม" in th(error)
    assert "whole number" in en(error)
    assert error.message.msgid == "The update frequency interval must be a whole number (you gave “{value}”)"
    assert error.message.params == {"value": value}
    assert str(error) == en(error)


@pytest.mark.parametrize("value, shown", [("0", "0"), (0, "0"), ("-3", "-3"), (-1, "-1"), ("๐", "0")])
def test_parse_interval_rejects_zero_and_negatives(value, shown):
    with pytest.raises(FrequencyError) as info:
        f.parse_interval(value)
    assert th(info.value) == f"ค่าความถี่ของการปรับปรุงข้อมูลต้องมีค่าตั้งแต่ 1 ขึ้นไป (ค่าที่ระบุ: {shown})"
    assert en(info.value) == f"The update frequency interval must be 1 or more (you gave {shown})"


def test_parse_unit_defaults_blank_to_unknown_and_rejects_other_values():
    assert f.parse_unit(None) == "ไม่ทราบ"
    assert f.parse_unit("") == "ไม่ทราบ"
    assert f.parse_unit(" เดือน ") == "เดือน"
    with pytest.raises(FrequencyError) as info:
        f.parse_unit("monthly")
    assert "monthly" in th(info.value) and "monthly" in en(info.value)


# --- next_due: every unit ---------------------------------------------------

@pytest.mark.parametrize("unit, interval, last, due", [
    ("ปี", 1, D(2025, 3, 15, 10, 0), D(2026, 3, 15, 10, 0)),
    ("ปี", 4, D(2025, 3, 15), D(2029, 3, 15)),
    ("ครึ่งปี", 1, D(2026, 1, 10), D(2026, 7, 10)),
    ("ครึ่งปี", 3, D(2026, 1, 10), D(2027, 7, 10)),
    ("ไตรมาส", 1, D(2026, 11, 15), D(2027, 2, 15)),
    ("ไตรมาส", 2, D(2026, 1, 15), D(2026, 7, 15)),
    ("เดือน", 1, D(2026, 3, 15, 8, 30), D(2026, 4, 15, 8, 30)),
    ("เดือน", 2, D(2026, 11, 15), D(2027, 1, 15)),
    ("เดือน", 14, D(2026, 11, 15), D(2028, 1, 15)),
    ("สัปดาห์", 1, D(2026, 12, 28), D(2027, 1, 4)),
    ("สัปดาห์", 2, D(2026, 3, 2), D(2026, 3, 16)),
    ("วัน", 1, D(2026, 12, 31, 6, 0), D(2027, 1, 1, 6, 0)),
    ("วัน", 3, D(2026, 2, 27), D(2026, 3, 2)),
    ("ชั่วโมง", 1, D(2026, 12, 31, 23, 30), D(2027, 1, 1, 0, 30)),
    ("ชั่วโมง", 6, D(2026, 5, 1, 9, 0), D(2026, 5, 1, 15, 0)),
    ("นาที", 1, D(2026, 5, 1, 9, 59), D(2026, 5, 1, 10, 0)),
    ("นาที", 15, D(2026, 5, 1, 9, 50), D(2026, 5, 1, 10, 5)),
    ("ตามเวลาจริง", 1, D(2026, 5, 1, 9, 0), D(2026, 5, 1, 10, 0)),
])
def test_next_due_for_each_unit(unit, interval, last, due):
    assert next_due(last, unit, interval) == due


@pytest.mark.parametrize("unit", ["ไม่ทราบ", "ไม่มีการปรับปรุงหลังจากการจัดเก็บข้อมูล", "อื่นๆ", "", None])
def test_units_without_a_due_date_give_none(unit):
    assert next_due(D(2026, 1, 1), unit, 1) is None


def test_real_time_is_stale_after_one_hour_whatever_the_interval():
    assert f.REAL_TIME_STALE_AFTER == dt.timedelta(hours=1)
    assert next_due(D(2026, 5, 1, 9, 0), "ตามเวลาจริง", 5) == D(2026, 5, 1, 10, 0)


def test_a_date_input_means_midnight():
    assert next_due(dt.date(2026, 5, 1), "ชั่วโมง", 2) == D(2026, 5, 1, 2, 0)
    assert next_due(dt.date(2026, 5, 1), "เดือน") == D(2026, 6, 1)


def test_interval_may_be_the_stored_text():
    assert next_due(D(2026, 1, 15), "เดือน", "๓") == D(2026, 4, 15)
    assert next_due(D(2026, 1, 15), "เดือน", "") == D(2026, 2, 15)
    assert next_due("2026-01-15", "เดือน", None) == D(2026, 2, 15)


def test_next_due_rejects_bad_units_and_intervals():
    with pytest.raises(FrequencyError):
        next_due(D(2026, 1, 1), "fortnight", 1)
    with pytest.raises(FrequencyError):
        next_due(D(2026, 1, 1), "เดือน", "0")
    with pytest.raises(FrequencyError) as info:
        next_due(D(2026, 1, 1), "ปี", 100_000)
    assert "too large" in en(info.value)
    with pytest.raises(TypeError):
        next_due("yesterday", "เดือน", 1)


# --- month ends and leap years ---------------------------------------------

@pytest.mark.parametrize("unit, interval, last, due", [
    ("เดือน", 1, D(2026, 1, 31), D(2026, 2, 28)),
    ("เดือน", 1, D(2024, 1, 31), D(2024, 2, 29)),
    ("เดือน", 1, D(2026, 3, 31), D(2026, 4, 30)),
    ("เดือน", 2, D(2025, 12, 31), D(2026, 2, 28)),
    ("ครึ่งปี", 1, D(2026, 8, 31), D(2027, 2, 28)),
    ("ครึ่งปี", 1, D(2027, 8, 31), D(2028, 2, 29)),
    ("ไตรมาส", 1, D(2026, 11, 30), D(2027, 2, 28)),
    ("ไตรมาส", 1, D(2026, 5, 31), D(2026, 8, 31)),
    ("ปี", 1, D(2024, 2, 29), D(2025, 2, 28)),
    ("ปี", 4, D(2024, 2, 29), D(2028, 2, 29)),
    ("วัน", 1, D(2024, 2, 28), D(2024, 2, 29)),
    ("วัน", 1, D(2026, 2, 28), D(2026, 3, 1)),
])
def test_month_ends_are_clamped_and_leap_years_respected(unit, interval, last, due):
    assert next_due(last, unit, interval) == due


def test_clamping_does_not_drift_because_each_due_date_starts_from_the_last_update():
    # Jan 31 -> Feb 28; an update on Mar 31 is then due Apr 30, not Apr 28.
    assert next_due(D(2026, 1, 31), "เดือน") == D(2026, 2, 28)
    assert next_due(D(2026, 3, 31), "เดือน") == D(2026, 4, 30)
    assert next_due(D(2026, 1, 31), "เดือน", 3) == D(2026, 4, 30)


# --- working days -----------------------------------------------------------

FRI, SAT, SUN, MON = D(2026, 11, 20, 9), D(2026, 11, 21, 9), D(2026, 11, 22, 9), D(2026, 11, 23, 9)


def test_working_days_skip_the_weekend():
    assert FRI.weekday() == 4
    assert next_due(FRI, "วันทำการ") == MON
    assert next_due(SAT, "วันทำการ") == MON
    assert next_due(SUN, "วันทำการ") == MON
    assert next_due(MON, "วันทำการ") == D(2026, 11, 24, 9)
    assert next_due(D(2026, 11, 19, 9), "วันทำการ", 3) == D(2026, 11, 24, 9)  # Thu + 3 = Tue
    assert next_due(FRI, "วันทำการ", 5) == D(2026, 11, 27, 9)


def test_working_days_skip_holidays():
    holidays = frozenset({dt.date(2026, 11, 23), dt.date(2026, 11, 24)})
    assert next_due(FRI, "วันทำการ", holidays=holidays) == D(2026, 11, 25, 9)
    assert next_due(FRI, "วันทำการ", 2, holidays=holidays) == D(2026, 11, 26, 9)
    # Holidays do not change calendar-day units.
    assert next_due(FRI, "วัน", 3, holidays=holidays) == MON


# --- update time of day -----------------------------------------------------

def test_update_time_sets_the_time_of_day_for_day_units():
    nine = dt.time(9, 0)
    assert next_due(D(2026, 5, 1, 15, 45), "วัน", update_time=nine) == D(2026, 5, 2, 9, 0)
    assert next_due(dt.date(2026, 5, 1), "วัน", 2, update_time=nine) == D(2026, 5, 3, 9, 0)
    assert next_due(FRI, "วันทำการ", update_time=dt.time(17, 30)) == D(2026, 11, 23, 17, 30)


def test_update_time_is_ignored_by_other_units():
    nine = dt.time(9, 0)
    assert next_due(D(2026, 5, 1, 15, 45), "ชั่วโมง", update_time=nine) == D(2026, 5, 1, 16, 45)
    assert next_due(D(2026, 5, 1, 15, 45), "เดือน", update_time=nine) == D(2026, 6, 1, 15, 45)


# --- Due: dates and moments ------------------------------------------------

def test_a_moment_is_overdue_only_after_it():
    due = f.Due(D(2026, 5, 1, 10, 0), all_day=False)
    assert f.is_overdue(due, D(2026, 5, 1, 10, 1)) is True
    assert f.is_overdue(due, due.at) is False
    assert f.is_overdue(due, D(2026, 5, 1, 9, 59)) is False
    assert f.is_overdue(None, D(2099, 1, 1)) is False
    assert due.iso() == "2026-05-01T10:00:00+07:00"


def test_a_due_date_is_overdue_from_the_next_day_in_bangkok():
    due = f.Due(D(2026, 5, 31), all_day=True)
    assert due.iso() == "2026-05-31"
    assert due.overdue_from == D(2026, 6, 1)
    assert not due.is_overdue(D(2026, 5, 31, 0, 0))
    assert not due.is_overdue(D(2026, 5, 31, 23, 59, 59))
    assert due.is_overdue(D(2026, 6, 1, 0, 0))
    # around midnight in Bangkok = 17:00 UTC the day before
    utc = dt.timezone.utc
    assert not due.is_overdue(dt.datetime(2026, 5, 31, 16, 59, 59, tzinfo=utc))
    assert due.is_overdue(dt.datetime(2026, 5, 31, 17, 0, 0, tzinfo=utc))


def test_is_overdue_converts_an_aware_now_to_bangkok_time():
    due = f.Due(D(2026, 5, 1, 10, 0), all_day=False)
    assert f.is_overdue(due, dt.datetime(2026, 5, 1, 2, 59, tzinfo=dt.timezone.utc)) is False
    assert f.is_overdue(due, dt.datetime(2026, 5, 1, 3, 1, tzinfo=dt.timezone.utc)) is True


def test_schedule_of():
    due = f.Due(D(2026, 5, 1), all_day=True)
    assert f.schedule_of(due, D(2026, 5, 1, 23, 0)) == f.ON_SCHEDULE
    assert f.schedule_of(due, D(2026, 5, 2)) == f.OVERDUE
    assert f.schedule_of(None, D(2026, 5, 2)) == f.NO_SCHEDULE


# --- describe -------------------------------------------------------------

@pytest.mark.parametrize("unit, interval, th, en", [
    ("เดือน", 1, "ทุกเดือน", "every month"),
    ("เดือน", 2, "ทุก 2 เดือน", "every 2 months"),
    ("เดือน", "", "ทุกเดือน", "every month"),
    ("ปี", "๔", "ทุก 4 ปี", "every 4 years"),
    ("ครึ่งปี", 1, "ทุกครึ่งปี", "every half-year"),
    ("ไตรมาส", 2, "ทุก 2 ไตรมาส", "every 2 quarters"),
    ("สัปดาห์", 1, "ทุกสัปดาห์", "every week"),
    ("วันทำการ", 1, "ทุกวันทำการ", "every working day"),
    ("วันทำการ", 3, "ทุก 3 วันทำการ", "every 3 working days"),
    ("ชั่วโมง", 6, "ทุก 6 ชั่วโมง", "every 6 hours"),
    ("นาที", 1, "ทุกนาที", "every minute"),
    ("ตามเวลาจริง", 1, "ตามเวลาจริง", "real time"),
    ("ไม่ทราบ", 1, "ไม่ทราบ", "unknown"),
    ("อื่นๆ", 1, "อื่นๆ", "other"),
    ("ไม่มีการปรับปรุงหลังจากการจัดเก็บข้อมูล", 1,
     "ไม่มีการปรับปรุงหลังจากการจัดเก็บข้อมูล", "never updated after collection"),
])
def test_describe_in_thai_and_english(unit, interval, th, en):
    assert f.describe(unit, interval, "th") == th
    assert f.describe(unit, interval, "en") == en


# --- last_update_of -------------------------------------------------------

def test_last_update_is_the_latest_of_declared_dates_and_file_changes_in_bangkok_time():
    dataset = {
        "last_updated_date": "2026-03-01",
        "metadata_modified": "2026-12-01T00:00:00",
        "resources": [
            {"last_modified": "2026-02-01T10:00:00", "resource_last_updated_date": "2026-01-01"},
            {"last_modified": None, "resource_last_updated_date": "2026-03-05"},
            # CKAN writes last_modified in UTC: 08:15 UTC is 15:15 in Bangkok
            {"last_modified": "2026-03-05T08:15:00.123000"},
        ],
    }
    last = f.last_update_of(dataset)
    assert last.moment == D(2026, 3, 5, 15, 15, 0, 123000)
    assert last.source == f.FILE
    assert last.declared == dt.date(2026, 3, 1)
    assert last.declared_stale is True
    assert last.as_dict() == {
        "date": "2026-03-05T15:15:00.123000+07:00", "source": "file", "declared": "2026-03-01",
        "declared_stale": True, "latest_file": "2026-03-05T15:15:00.123000+07:00"}


def test_an_upload_after_17_utc_is_the_next_day_in_bangkok():
    dataset = {"last_updated_date": "2026-01-31",
               "resources": [{"last_modified": "2026-01-31T17:30:00"}]}
    last = f.last_update_of(dataset)
    assert last.moment == D(2026, 2, 1, 0, 30)
    assert last.declared_stale is True  # the upload is on 1 Feb in Bangkok
    same_day = f.last_update_of({"last_updated_date": "2026-01-31",
                                 "resources": [{"last_modified": "2026-01-31T16:59:00"}]})
    assert same_day.moment == D(2026, 1, 31, 23, 59)
    assert same_day.source == f.FILE and same_day.declared_stale is False


def test_a_declared_date_wins_over_an_older_upload():
    last = f.last_update_of({"last_updated_date": "2026-04-02",
                             "resources": [{"last_modified": "2026-04-01T03:00:00"}]})
    assert (last.moment, last.source, last.declared_stale) == (D(2026, 4, 2), f.DECLARED, False)
    assert last.as_dict()["date"] == "2026-04-02"


def test_last_update_ignores_unparsable_values():
    dataset = {
        "last_updated_date": "เมื่อวาน",
        "resources": [{"last_modified": "garbage", "resource_last_updated_date": "2026-02-30"},
                      {"resource_last_updated_date": "2026-01-02"}],
        "metadata_modified": "2026-12-01T00:00:00",
    }
    last = f.last_update_of(dataset)
    assert (last.moment, last.source, last.declared) == (D(2026, 1, 2), f.DECLARED, None)


def test_last_update_falls_back_to_metadata_modified_only_when_nothing_else():
    dataset = {"resources": [{"last_modified": "", "created": "2026-06-01T00:00:00"}],
               "metadata_created": "2026-06-01T00:00:00",
               "metadata_modified": "2026-07-01T12:00:00"}
    last = f.last_update_of(dataset)
    assert (last.moment, last.source) == (D(2026, 7, 1, 19, 0), f.METADATA)
    assert f.last_update_of({"resources": []}) is None
    assert f.last_update_of({}) is None


def test_due_of_a_dataset_dict():
    dataset = {"update_frequency_unit": "เดือน", "update_frequency_interval": "๒",
               "last_updated_date": "2026-01-31"}
    assert f.due_of(dataset) == f.Due(D(2026, 3, 31), all_day=True)
    daily = {"update_frequency_unit": "วันทำการ", "update_frequency_time": "09:30",
             "last_updated_date": "2026-11-20"}  # a Friday
    assert f.due_of(daily) == f.Due(D(2026, 11, 23), all_day=True)
    hourly = {"update_frequency_unit": "ชั่วโมง", "update_frequency_interval": "6",
              "resources": [{"last_modified": "2026-11-20T20:00:00"}]}  # 03:00 on the 21st
    assert f.due_of(hourly) == f.Due(D(2026, 11, 21, 9, 0), all_day=False)
    assert f.due_of({**dataset, "update_frequency_interval": "0"}) is None
    assert f.due_of({"update_frequency_unit": "ไม่ทราบ",
                     "last_updated_date": "2026-01-31"}) is None
    assert f.due_of({"update_frequency_unit": "ปี"}) is None


def test_monthly_due_dates_at_month_ends():
    for last, due in [("2026-01-31", D(2026, 2, 28)), ("2028-01-31", D(2028, 2, 29)),
                      ("2026-03-31", D(2026, 4, 30)), ("2026-12-31", D(2027, 1, 31))]:
        assert f.due_of({"update_frequency_unit": "เดือน", "last_updated_date": last}).at == due


def test_an_upload_just_before_midnight_in_bangkok_counts_on_its_bangkok_day():
    # 2026-01-31T16:59 UTC is 23:59 on 31 Jan in Bangkok: due 28 Feb
    before = {"update_frequency_unit": "เดือน", "resources": [{"last_modified": "2026-01-31T16:59:00"}]}
    assert f.due_of(before).date == dt.date(2026, 2, 28)
    # 17:01 UTC is 00:01 on 1 Feb in Bangkok: due 1 Mar
    after = {"update_frequency_unit": "เดือน", "resources": [{"last_modified": "2026-01-31T17:01:00"}]}
    assert f.due_of(after).date == dt.date(2026, 3, 1)


# --- the expected update time of day ------------------------------------------

@pytest.mark.parametrize("value, expected", [
    ("09:30", dt.time(9, 30)), (" 17:45 ", dt.time(17, 45)), ("00:00", dt.time(0, 0)),
    ("23:59", dt.time(23, 59)), ("08:15:30", dt.time(8, 15, 30)),
    ("๐๙:๓๐", dt.time(9, 30)), ("๒๓:๕๙", dt.time(23, 59)), ("๑๗:๔๕", dt.time(17, 45)),
    (dt.time(6, 5), dt.time(6, 5)),
])
def test_parse_update_time_reads_hh_mm_with_thai_digits(value, expected):
    assert f.parse_update_time(value) == expected


@pytest.mark.parametrize("value", [None, "", "   ", "24:00", "09:60", "9.30 น.", "noon", "๒๕:๐๐"])
def test_parse_update_time_gives_none_for_anything_else(value):
    assert f.parse_update_time(value) is None


# --- errors say what was wrong ------------------------------------------------

def test_a_bad_last_update_is_named_in_the_type_error():
    with pytest.raises(TypeError) as info:
        next_due("yesterday", "เดือน", 1)
    assert str(info.value) == "last_update must be a date or datetime, not 'yesterday'"


def test_too_large_intervals_are_refused_in_both_languages():
    with pytest.raises(FrequencyError) as info:
        next_due(D(2026, 1, 1), "ปี", 100_000)
    assert th(info.value) == "ค่าความถี่ของการปรับปรุงข้อมูลมากเกินไป (100000 ปี)"
    assert en(info.value) == "The update frequency interval is too large (100000 years)"
    with pytest.raises(FrequencyError) as info:
        next_due(D(2026, 1, 1), "สัปดาห์", 10**9)
    assert en(info.value) == "The update frequency interval is too large (1000000000 weeks)"


@pytest.mark.parametrize("unit, largest", [
    # the last representable date is 31 Dec 9999
    ("ปี", 9999 - 2026),
    ("ครึ่งปี", (9999 - 2026) * 2 + 1),     # 1 Jan 2026 + n half-years <= 1 Jul 9999
    ("ไตรมาส", (9999 - 2026) * 4 + 3),      # ... <= 1 Oct 9999
    ("เดือน", (9999 - 2026) * 12 + 11),     # ... <= 1 Dec 9999
    ("วัน", (dt.date(9999, 12, 31) - dt.date(2026, 1, 1)).days),
])
def test_the_largest_interval_before_the_end_of_the_calendar(unit, largest):
    assert next_due(D(2026, 1, 1), unit, largest).year == 9999
    with pytest.raises(FrequencyError):
        next_due(D(2026, 1, 1), unit, largest + 1)


def test_default_interval_is_one():
    assert next_due(D(2026, 1, 31), "เดือน") == D(2026, 2, 28)
    assert f.due_after(D(2026, 1, 31), "เดือน") == f.Due(D(2026, 2, 28), all_day=True)
    assert f.describe("เดือน") == "ทุกเดือน"
    assert f.describe("ปี", 2) == "ทุก 2 ปี"


@pytest.mark.parametrize("unit, all_day", [
    ("ปี", True), ("ครึ่งปี", True), ("ไตรมาส", True), ("เดือน", True), ("สัปดาห์", True),
    ("วัน", True), ("วันทำการ", True), ("ชั่วโมง", False), ("นาที", False), ("ตามเวลาจริง", False),
])
def test_due_after_is_a_date_for_a_day_or_longer_and_a_moment_below(unit, all_day):
    assert f.due_after(D(2026, 5, 1, 9, 0), unit).all_day is all_day


@pytest.mark.parametrize("unit", ["ไม่ทราบ", "อื่นๆ", "ไม่มีการปรับปรุงหลังจากการจัดเก็บข้อมูล", None])
def test_due_after_is_none_without_a_schedule(unit):
    assert f.due_after(D(2026, 5, 1), unit) is None


def test_add_months_clamps_to_the_end_of_the_month_and_keeps_the_time():
    assert f.add_months(D(2026, 1, 31, 13, 45), 1) == D(2026, 2, 28, 13, 45)
    assert f.add_months(D(2024, 2, 29), 12) == D(2025, 2, 28)
    assert f.add_months(D(2024, 2, 29), 48) == D(2028, 2, 29)
    assert f.add_months(D(2026, 12, 15), 1) == D(2027, 1, 15)
    assert f.add_months(D(2026, 12, 31), 0) == D(2026, 12, 31)
    assert f.add_months(D(2026, 5, 31), 13) == D(2027, 6, 30)


def test_working_days_from_a_weekend_and_over_holidays():
    # Sat 21 Nov 2026 + 1 working day = Mon 23; with Mon and Tue off = Wed 25
    assert f.add_working_days(SAT, 1) == MON
    assert f.add_working_days(SAT, 1, frozenset({dt.date(2026, 11, 23), dt.date(2026, 11, 24)})) \
        == D(2026, 11, 25, 9)
    assert f.add_working_days(FRI, 0) == FRI
    # two weeks of working days is fourteen calendar days
    assert f.add_working_days(MON, 10) == D(2026, 12, 7, 9)


# --- the schedule of a dataset dict --------------------------------------------

def test_due_of_skips_the_holidays_passed_in():
    daily = {"update_frequency_unit": "วันทำการ", "last_updated_date": "2026-11-20"}  # a Friday
    assert f.due_of(daily) == f.Due(D(2026, 11, 23), all_day=True)
    monday_off = frozenset({dt.date(2026, 11, 23)})
    assert f.due_of(daily, holidays=monday_off) == f.Due(D(2026, 11, 24), all_day=True)


def test_due_of_uses_the_last_update_it_is_given():
    dataset = {"update_frequency_unit": "เดือน", "last_updated_date": "2026-01-31"}
    known = f.LastUpdate(D(2026, 3, 31), f.DECLARED, dt.date(2026, 3, 31))
    assert f.due_of(dataset, last=known) == f.Due(D(2026, 4, 30), all_day=True)
    assert f.due_of(dataset) == f.Due(D(2026, 2, 28), all_day=True)
    assert f.due_of({"update_frequency_unit": "เดือน"}, last=known) == f.Due(D(2026, 4, 30), all_day=True)


def test_last_update_from_metadata_only_has_no_declared_date_or_file():
    last = f.last_update_of({"metadata_modified": "2026-07-01T12:00:00"})
    assert (last.declared, last.latest_file, last.declared_stale, last.is_date) == (None, None, False, False)
    assert last.as_dict() == {"date": "2026-07-01T19:00:00+07:00", "source": "metadata", "declared": None,
                              "declared_stale": False, "latest_file": None}


def test_a_declared_date_wins_a_tie_with_a_file_change_at_midnight():
    # 17:00 UTC on 1 April is 00:00 on 2 April in Bangkok, the declared date's midnight
    last = f.last_update_of({"last_updated_date": "2026-04-02",
                             "resources": [{"last_modified": "2026-04-01T17:00:00"}]})
    assert (last.moment, last.source, last.latest_file) == (D(2026, 4, 2), f.DECLARED, D(2026, 4, 2))
    assert last.declared_stale is False
    # one second later the file is the latest
    later = f.last_update_of({"last_updated_date": "2026-04-02",
                              "resources": [{"last_modified": "2026-04-01T17:00:01"}]})
    assert (later.moment, later.source) == (D(2026, 4, 2, 0, 0, 1), f.FILE)
    assert later.declared_stale is False  # the same Bangkok day


def test_last_update_uses_the_latest_resource_declared_date_and_skips_non_dicts():
    dataset = {"last_updated_date": "2026-01-01",
               "resources": ["not a resource", {"resource_last_updated_date": "2026-02-01"},
                             {"resource_last_updated_date": "2026-01-15"}]}
    last = f.last_update_of(dataset)
    assert (last.moment, last.source, last.declared) == (D(2026, 2, 1), f.DECLARED, dt.date(2026, 1, 1))
    assert last.declared_stale is False  # stale only against a file change
    assert last.as_dict() == {"date": "2026-02-01", "source": "declared", "declared": "2026-01-01",
                              "declared_stale": False, "latest_file": None}


def test_last_update_sources_are_messages():
    assert en(f.LAST_UPDATE_SOURCES[f.DECLARED]) == "as declared by the publisher"
    assert en(f.LAST_UPDATE_SOURCES[f.FILE]) == "from the latest file upload or link change"
    assert en(f.LAST_UPDATE_SOURCES[f.METADATA]) == "from the latest change of the metadata"
    assert th(f.LAST_UPDATE_SOURCES[f.DECLARED]) == "ตามวันที่ที่ผู้เผยแพร่ระบุ"
    assert f.SCHEDULES == ("overdue", "on_schedule", "no_schedule")


def test_a_due_moment_is_overdue_one_second_after_it():
    hourly = f.due_after(D(2026, 5, 1, 9, 0), "ชั่วโมง")
    assert hourly == f.Due(D(2026, 5, 1, 10, 0), all_day=False)
    assert hourly.overdue_from == D(2026, 5, 1, 10, 0)
    assert f.schedule_of(hourly, D(2026, 5, 1, 10, 0)) == f.ON_SCHEDULE
    assert f.schedule_of(hourly, D(2026, 5, 1, 10, 0, 1)) == f.OVERDUE
    assert hourly.date == dt.date(2026, 5, 1)


@pytest.mark.parametrize("due", [f.Due(D(2026, 2, 28), all_day=True),
                                 f.Due(D(2026, 2, 28, 23, 30), all_day=False),
                                 f.Due(D(2026, 3, 1, 0, 5), all_day=False)])
def test_a_due_read_back_from_its_iso_text_is_the_same(due):
    assert f.Due.from_iso(due.iso()) == due


@pytest.mark.parametrize("text", [None, "", "soon", "2026-02-30", 20260228])
def test_anything_else_is_no_due(text):
    assert f.Due.from_iso(text) is None


def test_a_due_moment_written_in_another_zone_is_read_in_bangkok_time():
    assert f.Due.from_iso("2026-02-28T17:00:00Z") == f.Due(D(2026, 3, 1, 0, 0), all_day=False)
