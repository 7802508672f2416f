"""Dates for Thai readers: Buddhist Era years, Thai month names, the Thai
fiscal year, and lenient parsing of the ISO dates CKAN stores.

The playbook's clock, said once: every time the rules work with is a naive
local time in Asia/Bangkok (UTC+7, no daylight saving), because Thai due
dates, fiscal years and working days are counted on Bangkok's calendar.
Aware datetimes are converted to Bangkok time and made naive. CKAN's own
timestamps (``metadata_modified``, ``metadata_created``, a resource's
``last_modified`` and ``created``) are naive UTC: read them with
:func:`parse_ckan_timestamp`, never as local times. Dates the publisher types
(``last_updated_date``) are Bangkok dates.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Literal

BE_OFFSET = 543
"""Buddhist Era year = Common Era year + 543."""

BANGKOK = dt.timezone(dt.timedelta(hours=7), "Asia/Bangkok")

THAI_MONTHS = (
    "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
)
THAI_MONTHS_ABBR = (
    "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
    "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
)
EN_MONTHS_ABBR = (
    "Jan", "Feb", "Mar", "Apr", "May", "Jun",
    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
)

THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
"""Translation table from Thai digits (U+0E50–U+0E59) to ASCII digits."""

_ISO_START = re.compile(r"\d{4}-\d{2}-\d{2}")
_HAS_OFFSET = re.compile(r"(Z|[+-]\d{2}:?\d{2})$")


def to_be_year(ce_year: int) -> int:
    """Buddhist Era year of a Common Era year (2026 -> 2569)."""
    return ce_year + BE_OFFSET


def to_ce_year(be_year: int) -> int:
    """Common Era year of a Buddhist Era year (2569 -> 2026)."""
    return be_year - BE_OFFSET


def format_date_th(value: dt.date, style: Literal["short", "long"] = "short") -> str:
    """Thai display with a BE year: ``24 พ.ย. 2569`` (short) or
    ``24 พฤศจิกายน 2569`` (long). A datetime shows its date only."""
    if style not in ("short", "long"):
        raise ValueError(f"style must be 'short' or 'long', not {style!r}")
    months = THAI_MONTHS if style == "long" else THAI_MONTHS_ABBR
    return f"{value.day} {months[value.month - 1]} {to_be_year(value.year)}"


def format_date_en(value: dt.date) -> str:
    """English display with a CE year: ``24 Nov 2026`` (locale independent)."""
    return f"{value.day} {EN_MONTHS_ABBR[value.month - 1]} {value.year}"


def format_datetime_th(value: dt.datetime, style: Literal["short", "long"] = "short",
                       with_seconds: bool = False) -> str:
    """Thai date and time: ``24 พ.ย. 2569 09:30 น.`` (``09:30:15 น.`` with seconds)."""
    return f"{format_date_th(value, style)} {_clock(value, with_seconds)} น."


def format_datetime_en(value: dt.datetime, with_seconds: bool = False) -> str:
    """English date and time: ``24 Nov 2026 09:30`` (``09:30:15`` with seconds)."""
    return f"{format_date_en(value)} {_clock(value, with_seconds)}"


def _clock(value: dt.datetime, with_seconds: bool) -> str:
    return f"{value:%H:%M:%S}" if with_seconds else f"{value:%H:%M}"


ELAPSED_UNITS = ("minute", "hour", "day", "week", "month", "year")
"""The units :func:`elapsed` counts in, shortest first."""

_CLOCK_SKEW = dt.timedelta(minutes=1)


def elapsed(then: dt.datetime, now: dt.datetime) -> tuple[int, str] | None:
    """How long ago ``then`` was, in the largest whole unit of
    :data:`ELAPSED_UNITS`: ``(3, "day")``, ``(2, "month")``, for "3 days ago".

    Months and years are calendar ones (29 Oct to 29 Nov is one month), so
    give both times in the same zone. Under a minute, and up to a minute
    ahead (servers' clocks differ slightly), gives ``(0, "minute")``, "just
    now"; a later moment gives None: it is not "ago" at all."""
    delta = now - then
    if delta < -_CLOCK_SKEW:
        return None
    if delta < _CLOCK_SKEW:
        return 0, "minute"
    months = (now.year - then.year) * 12 + now.month - then.month
    if (now.day, now.time()) < (then.day, then.time()):
        months -= 1
    if months >= 12:
        return months // 12, "year"
    if months >= 1:
        return months, "month"
    if delta.days >= 7:
        return delta.days // 7, "week"
    if delta.days >= 1:
        return delta.days, "day"
    if delta.seconds >= 3600:
        return delta.seconds // 3600, "hour"
    return delta.seconds // 60, "minute"


def to_local_naive(value: dt.datetime) -> dt.datetime:
    """A naive Bangkok time: aware values are converted, naive ones kept."""
    if value.tzinfo is None:
        return value
    return value.astimezone(BANGKOK).replace(tzinfo=None)


def parse_iso_datetime(text: object) -> dt.datetime | None:
    """Lenient ISO parser: ``YYYY-MM-DD`` (midnight), ``YYYY-MM-DDTHH:MM[:SS[.ffffff]]``
    with ``T`` or a space, optional ``Z``/offset (converted to Bangkok time),
    Thai digits, surrounding spaces. date/datetime values pass through.
    Anything else, including impossible dates, gives None."""
    if isinstance(text, dt.datetime):
        return to_local_naive(text)
    if isinstance(text, dt.date):
        return dt.datetime(text.year, text.month, text.day)
    if not isinstance(text, str):
        return None
    text = text.strip().translate(THAI_DIGITS)
    if not _ISO_START.match(text) or (len(text) > 10 and text[10] not in "T "):
        return None
    try:
        if len(text) == 10:
            return dt.datetime.combine(dt.date.fromisoformat(text), dt.time())
        return to_local_naive(dt.datetime.fromisoformat(text))
    except ValueError:
        return None


def parse_ckan_timestamp(text: object) -> dt.datetime | None:
    """One of CKAN's own timestamps, which it writes in UTC without an offset
    (``2026-11-29T03:03:00.123456``), as naive Bangkok time (10:03:00.123456).
    Values with an offset are converted as they say; a bare date is kept."""
    if isinstance(text, str) and len(text.strip()) > 10:
        moment = parse_iso_datetime(text)
        if moment is not None and not _HAS_OFFSET.search(text.strip()[10:]):
            return to_local_naive(moment.replace(tzinfo=dt.timezone.utc))
        return moment
    if isinstance(text, dt.datetime) and text.tzinfo is None:
        return to_local_naive(text.replace(tzinfo=dt.timezone.utc))
    return parse_iso_datetime(text)


def parse_iso_date(text: object) -> dt.date | None:
    """The date part of :func:`parse_iso_datetime`, or None."""
    parsed = parse_iso_datetime(text)
    return parsed.date() if parsed else None


def fiscal_year_be(value: dt.date) -> int:
    """Thai fiscal year (ปีงบประมาณ, October to September) as a BE year,
    named after the year it ends in: 2026-10-01 -> 2570, 2026-09-30 -> 2569."""
    return to_be_year(value.year + (1 if value.month >= 10 else 0))
