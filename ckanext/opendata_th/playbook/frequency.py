"""Update frequency of a dataset and its next due date.

A dataset's frequency is ``update_frequency_unit`` (one of the 13 Thai labels
the national catalogs store) and ``update_frequency_interval``, read as
"every N units" (empty means 1). Due dates use calendar arithmetic, not fixed
day counts: a month after 31 January is the last day of February.

All times are naive local times in Asia/Bangkok (see :mod:`.dates`); a date
means its midnight. CKAN's own timestamps (``metadata_modified``, a
resource's ``last_modified``) are UTC and are converted when read.

The next update of a unit of a day or longer is due on a *date* (overdue from
the next day); the next update of hourly, minutely and real-time data is due
at a moment.
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from ckanext.opendata_th.playbook.dates import (
    BANGKOK,
    THAI_DIGITS,
    parse_ckan_timestamp,
    parse_iso_date,
    parse_iso_datetime,
    to_local_naive,
)
from ckanext.opendata_th.playbook.messages import N_, Label, Message, MessageError
from ckanext.opendata_th.playbook.vocabulary import OTHER

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
SUB_DAILY: frozenset[str] = frozenset({HOUR, MINUTE, REAL_TIME})
"""Units shorter than a day: due at a moment, not on a date."""

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


class FrequencyError(MessageError):
    """Bad frequency input, and why."""


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
        raise FrequencyError(Message(
            N_("The update frequency interval must be a whole number (you gave “{value}”)"),
            value=value))
    if number < 1:
        raise FrequencyError(Message(
            N_("The update frequency interval must be 1 or more (you gave {number})"), number=number))
    return number


def parse_unit(value: object) -> str:
    """``update_frequency_unit`` as one of :data:`UNITS`; None or blank ->
    :data:`UNKNOWN`. Raises :class:`FrequencyError` for other values."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return UNKNOWN
    if isinstance(value, str) and value.strip() in UNITS:
        return value.strip()
    raise FrequencyError(Message(N_("Unknown update frequency unit “{value}”"), value=value))


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
        raise FrequencyError(Message(
            N_("The update frequency interval is too large ({count} {unit})"),
            count=count, unit=unit_label(unit, plural=True))) from None
    if update_time is not None and unit in (DAY, WORKING_DAY):
        due = dt.datetime.combine(due.date(), update_time.replace(tzinfo=None))
    return due


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


def unit_label(unit: str, *, plural: bool = False) -> Label:
    """A unit as people read it: the stored Thai value, and its English name."""
    english = _EN_PLURALS.get(unit, UNIT_LABELS_EN[unit]) if plural else UNIT_LABELS_EN[unit]
    return Label(unit, english)


def describe_message(unit: str | None, interval: int | str | None = 1) -> Message:
    """:func:`describe` as a :class:`Message` ("every 2 months", "ทุก 2 เดือน")."""
    unit = parse_unit(unit)
    count = parse_interval(interval)
    if unit in NO_DUE_UNITS or unit == REAL_TIME:
        return Message("{unit}", unit=unit_label(unit))  # the unit alone: nothing to translate
    if count == 1:
        return Message(N_("every {unit}"), unit=unit_label(unit))
    return Message(N_("every {count} {units}"), count=count, units=unit_label(unit, plural=True))


def parse_update_time(value: object) -> dt.time | None:
    """The expected update time of day ("HH:MM", Thai digits allowed), or None."""
    try:
        return dt.time.fromisoformat(str(value).strip().translate(THAI_DIGITS)) if value else None
    except ValueError:
        return None


def is_overdue(due: Due | None, now: dt.datetime) -> bool:
    """True when ``now`` is past ``due``; never when there is no due date."""
    return due is not None and due.is_overdue(now)


# -- a dataset's schedule -------------------------------------------------------

OVERDUE = "overdue"
ON_SCHEDULE = "on_schedule"
NO_SCHEDULE = "no_schedule"
SCHEDULES: tuple[str, ...] = (OVERDUE, ON_SCHEDULE, NO_SCHEDULE)
"""Where a dataset stands against its update frequency. No schedule: a unit
that never updates or is unknown (or other), or no last update to count from."""


@dataclass(frozen=True)
class Due:
    """When a dataset's next update is due.

    ``at`` is naive Bangkok time. When ``all_day`` (units of a day or longer)
    only its date counts: the update is due on that date and overdue from the
    next day. Otherwise the update is due at that moment.
    """

    at: dt.datetime
    all_day: bool

    @property
    def date(self) -> dt.date:
        return self.at.date()

    @property
    def overdue_from(self) -> dt.datetime:
        """The first moment (naive Bangkok) at which the update is overdue."""
        if self.all_day:
            return dt.datetime.combine(self.date + dt.timedelta(days=1), dt.time())
        return self.at

    def is_overdue(self, now: dt.datetime) -> bool:
        """True once ``now`` (naive Bangkok, or aware) is past the due date or moment."""
        now = to_local_naive(now)
        return now >= self.overdue_from if self.all_day else now > self.at

    @classmethod
    def from_iso(cls, text: object) -> "Due | None":
        """The :class:`Due` that :meth:`iso` wrote (None for anything else)."""
        if not isinstance(text, str):
            return None
        if len(text) == 10:
            day = parse_iso_date(text)
            return cls(dt.datetime.combine(day, dt.time()), all_day=True) if day else None
        moment = parse_iso_datetime(text)
        return cls(moment, all_day=False) if moment else None

    def iso(self) -> str:
        """``2026-02-15`` for a date, ``2026-02-15T10:30:00+07:00`` for a moment."""
        if self.all_day:
            return self.date.isoformat()
        return self.at.replace(tzinfo=BANGKOK).isoformat()


def schedule_of(due: Due | None, now: dt.datetime) -> str:
    """:data:`OVERDUE`, :data:`ON_SCHEDULE` or :data:`NO_SCHEDULE`."""
    if due is None:
        return NO_SCHEDULE
    return OVERDUE if due.is_overdue(now) else ON_SCHEDULE


# -- the last update of a dataset -------------------------------------------------

DECLARED = "declared"
"""The publisher's last_updated_date (or a resource's resource_last_updated_date)."""
FILE = "file"
"""The latest change of a resource's file or link (CKAN's ``last_modified``)."""
METADATA = "metadata"
"""The dataset's last metadata change, used only when there is nothing else."""
LAST_UPDATE_SOURCES: dict[str, Message] = {
    DECLARED: Message(N_("as declared by the publisher")),
    FILE: Message(N_("from the latest file upload or link change")),
    METADATA: Message(N_("from the latest change of the metadata")),
}


@dataclass(frozen=True)
class LastUpdate:
    """When a dataset's data was last updated, and where that comes from.

    ``moment`` (naive Bangkok) is the latest of the dates the publisher
    declared and the resources' file changes; ``source`` says which one it is.
    ``declared`` is the dataset's own ``last_updated_date``; it is stale when a
    file changed on a later day.
    """

    moment: dt.datetime
    source: str
    declared: dt.date | None = None
    latest_file: dt.datetime | None = None

    @property
    def is_date(self) -> bool:
        """Declared dates have no time of day."""
        return self.source == DECLARED

    @property
    def declared_stale(self) -> bool:
        return (self.declared is not None and self.latest_file is not None
                and self.latest_file.date() > self.declared)

    def as_dict(self) -> dict[str, Any]:
        moment = (self.moment.date().isoformat() if self.is_date
                  else self.moment.replace(tzinfo=BANGKOK).isoformat())
        return {
            "date": moment,
            "source": self.source,
            "declared": self.declared.isoformat() if self.declared else None,
            "declared_stale": self.declared_stale,
            "latest_file": (self.latest_file.replace(tzinfo=BANGKOK).isoformat()
                            if self.latest_file else None),
        }


def _midnight(day: dt.date | None) -> dt.datetime | None:
    return dt.datetime.combine(day, dt.time()) if day else None


def last_update_of(dataset: Mapping[str, Any]) -> LastUpdate | None:
    """When the dataset's data was last updated (see :class:`LastUpdate`).

    Candidates: the dataset's ``last_updated_date`` and the resources'
    ``resource_last_updated_date`` (dates the publisher declares, in Bangkok)
    and the resources' ``last_modified`` (CKAN's UTC timestamp of the latest
    file upload or link change). The latest wins; on the same moment a
    declared date wins. Only when there is none of those is the dataset's
    ``metadata_modified`` used (a metadata edit is not a data update).
    Unparsable values are ignored.
    """
    declared = parse_iso_date(dataset.get("last_updated_date"))
    declared_dates = [declared]
    files = []
    for resource in dataset.get("resources") or []:
        if isinstance(resource, Mapping):
            declared_dates.append(parse_iso_date(resource.get("resource_last_updated_date")))
            files.append(parse_ckan_timestamp(resource.get("last_modified")))
    latest_declared = max((d for d in declared_dates if d), default=None)
    latest_file = max((f for f in files if f), default=None)
    candidates = [(moment, source) for moment, source in (
        (_midnight(latest_declared), DECLARED), (latest_file, FILE)) if moment is not None]
    if candidates:
        moment, source = max(candidates, key=lambda c: (c[0], c[1] == DECLARED))
        return LastUpdate(moment, source, declared, latest_file)
    modified = parse_ckan_timestamp(dataset.get("metadata_modified"))
    return LastUpdate(modified, METADATA) if modified else None


def due_after(last_update: dt.datetime | dt.date, unit: str | None, interval: int | str | None = 1, *,
              holidays: frozenset[dt.date] = frozenset()) -> Due | None:
    """The :class:`Due` of the next update after ``last_update``, or None for
    units without a due date; raises :class:`FrequencyError` like
    :func:`next_due`."""
    unit = parse_unit(unit)
    at = next_due(last_update, unit, interval, holidays=holidays)
    return None if at is None else Due(at, all_day=unit not in SUB_DAILY)


def due_of(dataset: Mapping[str, Any], *, holidays: frozenset[dt.date] = frozenset(),
           last: LastUpdate | None = None) -> Due | None:
    """The next due date (or moment) of a CKAN dataset dict, from its
    frequency fields and its last update (``last``, when the caller already
    has it); None when it has no schedule or its frequency is unreadable."""
    last = last or last_update_of(dataset)
    if last is None:
        return None
    try:
        return due_after(last.moment, dataset.get("update_frequency_unit"),
                         dataset.get("update_frequency_interval"), holidays=holidays)
    except FrequencyError:
        return None
