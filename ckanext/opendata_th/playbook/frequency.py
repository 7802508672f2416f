"""Update frequency of a dataset and its next due date.

A dataset's frequency is ``update_frequency_unit`` (one of the 13 Thai labels
the national catalogs store) and ``update_frequency_interval``, read as
"every N units" (empty means 1). Due dates use calendar arithmetic, not fixed
day counts: a month after 31 January is the last day of February.

All times are naive local times in Asia/Bangkok; a date means its midnight.
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Mapping
from typing import Any, Literal

from ckanext.opendata_th.playbook.dates import (
    THAI_DIGITS,
    parse_iso_datetime,
    to_local_naive,
)
from ckanext.opendata_th.playbook.messages import BilingualError

UNKNOWN = "ไม่ทราบ"
YEAR = "ปี"
HALF_YEAR = "ครึ่งปี"
QUARTER = "ไตรมาส"
MONTH = "เดือน"
WEEK = "สัปดาห์"
DAY = "วัน"
WORKING_DAY = "วันทำการ"
HOUR = "ชั่วโมง"
MINUTE = "นาที"
REAL_TIME = "ตามเวลาจริง"
NEVER = "ไม่มีการปรับปรุงหลังจากการจัดเก็บข้อมูล"
OTHER = "อื่นๆ"

UNITS: tuple[str, ...] = (
    UNKNOWN, YEAR, HALF_YEAR, QUARTER, MONTH, WEEK, DAY, WORKING_DAY,
    HOUR, MINUTE, REAL_TIME, NEVER, OTHER,
)
"""The stored values of ``update_frequency_unit``, in the form's order."""

UNIT_LABELS_EN: dict[str, str] = {
    UNKNOWN: "unknown",
    YEAR: "year",
    HALF_YEAR: "half-year",
    QUARTER: "quarter",
    MONTH: "month",
    WEEK: "week",
    DAY: "day",
    WORKING_DAY: "working day",
    HOUR: "hour",
    MINUTE: "minute",
    REAL_TIME: "real time",
    NEVER: "never updated after collection",
    OTHER: "other",
}

DAILY_OR_SHORTER: frozenset[str] = frozenset({DAY, WORKING_DAY, HOUR, MINUTE, REAL_TIME})
"""Units of a day or shorter: the form requires an expected update time of day."""
SUB_DAILY = DAILY_OR_SHORTER
"""Alias of :data:`DAILY_OR_SHORTER` (note: it includes day and working day)."""

NO_DUE_UNITS: frozenset[str] = frozenset({UNKNOWN, NEVER, OTHER})
"""Units that give no due date."""

REAL_TIME_STALE_AFTER = dt.timedelta(hours=1)
"""A real-time feed is considered stale one hour after its last update."""

_MONTHS_PER_UNIT = {YEAR: 12, HALF_YEAR: 6, QUARTER: 3, MONTH: 1}
_FIXED_STEP = {
    WEEK: dt.timedelta(weeks=1),
    DAY: dt.timedelta(days=1),
    HOUR: dt.timedelta(hours=1),
    MINUTE: dt.timedelta(minutes=1),
}
_EN_PLURALS = {
    YEAR: "years", HALF_YEAR: "half-years", QUARTER: "quarters", MONTH: "months",
    WEEK: "weeks", DAY: "days", WORKING_DAY: "working days", HOUR: "hours",
    MINUTE: "minutes",
}
_INTEGER = re.compile(r"[+-]?[0-9]+")


class FrequencyError(BilingualError):
    """Bad frequency input, with a Thai and an English message."""


def parse_interval(value: object) -> int:
    """``update_frequency_interval`` as a positive int. None or blank -> 1.

    Accepts ints and digit strings (Thai digits too, surrounding spaces
    ignored); raises :class:`FrequencyError` for anything else, zero or less.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return 1
    text = value.strip().translate(THAI_DIGITS) if isinstance(value, str) else None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif text is not None and _INTEGER.fullmatch(text):
        number = int(text)
    else:
        raise FrequencyError(
            f"ค่าความถี่ของการปรับปรุงข้อมูลต้องเป็นจำนวนเต็ม (ได้รับ “{value}”)",
            f"The update frequency interval must be a whole number (got {value!r})",
        )
    if number < 1:
        raise FrequencyError(
            f"ค่าความถี่ของการปรับปรุงข้อมูลต้องมากกว่าหรือเท่ากับ 1 (ได้รับ {number})",
            f"The update frequency interval must be 1 or more (got {number})",
        )
    return number


def parse_unit(value: object) -> str:
    """``update_frequency_unit`` as one of :data:`UNITS`; None or blank ->
    :data:`UNKNOWN`. Raises :class:`FrequencyError` for other values."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return UNKNOWN
    if isinstance(value, str) and value.strip() in UNITS:
        return value.strip()
    raise FrequencyError(
        f"หน่วยความถี่ของการปรับปรุงข้อมูลไม่ถูกต้อง (ได้รับ “{value}”)",
        f"Unknown update frequency unit (got {value!r})",
    )


def add_months(moment: dt.datetime, months: int) -> dt.datetime:
    """``moment`` plus whole calendar months, clamped to the month's end
    (31 Jan + 1 = 28/29 Feb; 29 Feb + 12 = 28 Feb in a common year)."""
    year, month_index = divmod(moment.month - 1 + months, 12)
    year += moment.year
    day = min(moment.day, calendar.monthrange(year, month_index + 1)[1])
    return moment.replace(year=year, month=month_index + 1, day=day)


def add_working_days(
    moment: dt.datetime, days: int, holidays: frozenset[dt.date] = frozenset()
) -> dt.datetime:
    """``moment`` plus ``days`` working days, skipping Saturdays, Sundays and
    ``holidays`` (Friday + 1 -> Monday). The time of day is kept."""
    for _ in range(days):
        moment += dt.timedelta(days=1)
        while moment.weekday() >= 5 or moment.date() in holidays:
            moment += dt.timedelta(days=1)
    return moment


def next_due(
    last_update: dt.datetime | dt.date,
    unit: str | None,
    interval: int | str | None = 1,
    *,
    update_time: dt.time | None = None,
    holidays: frozenset[dt.date] = frozenset(),
) -> dt.datetime | None:
    """When the next update is due after ``last_update``, or None for units
    without a due date (unknown, never updated after collection, other).

    ``last_update`` may also be an ISO string; a date means midnight.
    ``interval`` is "every N units" (see :func:`parse_interval`). Real time is
    due :data:`REAL_TIME_STALE_AFTER` (one hour) after the last update, since
    a real-time feed is stale after an hour. ``update_time`` sets the time of
    day of the due moment for the day and working-day units; other units
    ignore it. ``holidays`` only matter to working days. Raises
    :class:`FrequencyError` for a bad unit or an interval too large.
    """
    unit = parse_unit(unit)
    count = parse_interval(interval)
    if unit in NO_DUE_UNITS:
        return None
    start = parse_iso_datetime(last_update)
    if start is None:
        raise TypeError(f"last_update must be a date or datetime, not {last_update!r}")
    try:
        if unit in _MONTHS_PER_UNIT:
            due = add_months(start, _MONTHS_PER_UNIT[unit] * count)
        elif unit == WORKING_DAY:
            due = add_working_days(start, count, holidays)
        elif unit == REAL_TIME:
            due = start + REAL_TIME_STALE_AFTER
        else:
            due = start + _FIXED_STEP[unit] * count
    except (OverflowError, ValueError):
        raise FrequencyError(
            f"ค่าความถี่ของการปรับปรุงข้อมูลมากเกินไป ({count} {unit})",
            f"The update frequency interval is too large ({count} {UNIT_LABELS_EN[unit]})",
        ) from None
    if update_time is not None and unit in (DAY, WORKING_DAY):
        due = dt.datetime.combine(due.date(), update_time.replace(tzinfo=None))
    return due


def is_overdue(due: dt.datetime | None, now: dt.datetime) -> bool:
    """True when ``now`` is past ``due``; never when there is no due date."""
    return due is not None and to_local_naive(now) > due


def describe(unit: str | None, interval: int | str | None = 1, lang: Literal["th", "en"] = "th") -> str:
    """Human text: ``ทุก 2 เดือน`` / ``ทุกเดือน``, ``every 2 months`` /
    ``every month``. Units without a due date, and real time, give their label."""
    unit = parse_unit(unit)
    count = parse_interval(interval)
    if unit in NO_DUE_UNITS or unit == REAL_TIME:
        return unit if lang == "th" else UNIT_LABELS_EN[unit]
    if lang == "th":
        return f"ทุก{unit}" if count == 1 else f"ทุก {count} {unit}"
    if count == 1:
        return f"every {UNIT_LABELS_EN[unit]}"
    return f"every {count} {_EN_PLURALS[unit]}"


def last_update_of(dataset: Mapping[str, Any]) -> dt.datetime | None:
    """When the dataset's data was last updated.

    The latest of the resources' ``last_modified`` and
    ``resource_last_updated_date`` and the dataset's ``last_updated_date``
    (unparsable values are ignored). Only when none of those is present does
    it fall back to the dataset's ``metadata_modified`` (a metadata edit is not
    a data update, so it never beats a real update date). Naive timestamps are
    taken as Bangkok time, although CKAN writes ``last_modified`` and
    ``metadata_modified`` in UTC.
    """
    candidates = [parse_iso_datetime(dataset.get("last_updated_date"))]
    for resource in dataset.get("resources") or []:
        if isinstance(resource, Mapping):
            candidates.append(parse_iso_datetime(resource.get("last_modified")))
            candidates.append(parse_iso_datetime(resource.get("resource_last_updated_date")))
    found = [moment for moment in candidates if moment is not None]
    if found:
        return max(found)
    return parse_iso_datetime(dataset.get("metadata_modified"))


def parse_update_time(value: object) -> dt.time | None:
    """The expected update time of day ("HH:MM", Thai digits allowed), or None."""
    try:
        return dt.time.fromisoformat(str(value).strip().translate(THAI_DIGITS)) if value else None
    except ValueError:
        return None


def due_of(dataset: Mapping[str, Any], *, holidays: frozenset[dt.date] = frozenset()) -> dt.datetime | None:
    """The next due moment of a CKAN dataset dict, from its frequency fields and
    its last update; None when it has no due date or its frequency is unreadable."""
    last = last_update_of(dataset)
    if last is None:
        return None
    try:
        return next_due(
            last,
            parse_unit(dataset.get("update_frequency_unit")),
            parse_interval(dataset.get("update_frequency_interval")),
            update_time=parse_update_time(dataset.get("update_frequency_time")),
            holidays=holidays,
        )
    except FrequencyError:
        return None
