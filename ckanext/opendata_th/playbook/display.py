"""What the dataset and resource pages show of the national schema's fields.

The national schema has many optional fields, and many of them belong to one
data type only (map fields to geospatial data, units of measure to
statistical data). A page lists only the fields that belong to the dataset's
data type and have a value, and reads the update frequency, which the schema
stores in four fields, as one phrase ("every 2 months at 09:00"). This module
decides which rows and which numbers; the words come from the translation
catalogs, in the glue.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from ckanext.opendata_th.playbook.frequency import (
    DAILY_OR_SHORTER,
    NO_DUE_UNITS,
    REAL_TIME,
    UNITS,
    FrequencyError,
    parse_interval,
    parse_update_time,
)
from ckanext.opendata_th.playbook.national_schema import FIELDS, applies, selected
from ckanext.opendata_th.playbook.vocabulary import (
    OTHER,
    UPDATE_INTERVAL_FIELD,
    UPDATE_TIME_FIELD,
    UPDATE_UNIT_FIELD,
)

UPDATE_UNIT_OTHER_FIELD = f"{UPDATE_UNIT_FIELD}_other"

FREQUENCY_FIELDS = (UPDATE_UNIT_FIELD, UPDATE_UNIT_OTHER_FIELD, UPDATE_INTERVAL_FIELD, UPDATE_TIME_FIELD)
"""The fields read together as one frequency phrase, shown in the row of the first."""

COUNTED_UNITS: tuple[str, ...] = tuple(u for u in UNITS if u not in NO_DUE_UNITS and u != REAL_TIME)
"""Units read as "every N units"; the others (unknown, real time, never
updated, other) are read as their label."""


def has_value(value: object) -> bool:
    """Whether a stored value is worth a row: not None, blank, an empty list
    or an empty JSON list (as multiple-choice fields are stored)."""
    if isinstance(value, Mapping):
        return bool(value)
    return bool(selected(value))


def shown_fields(level: str, values: Mapping[str, Any], data_type: object) -> list[str]:
    """Names of the schema fields of ``level`` ("dataset" or "resource"), in
    the schema's order, that a page shows: those that belong to ``data_type``
    and have a value. The frequency fields are one row, under
    ``update_frequency_unit``, shown when a unit is set."""
    return [
        name for name, field in FIELDS[level].items()
        if applies(field, data_type) and name not in FREQUENCY_FIELDS[1:] and has_value(values.get(name))
    ]


@dataclass(frozen=True)
class Frequency:
    """A dataset's update frequency, ready to be put in words."""

    unit: str
    """The stored unit (a Thai label of the national schema, or whatever a
    harvested dataset holds)."""
    count: int | None
    """N of "every N units" for :data:`COUNTED_UNITS`; None for the other
    units and for an unreadable interval."""
    other: str = ""
    """The publisher's text when the unit is "other" (อื่นๆ)."""
    at: str = ""
    """The expected update time ("HH:MM") of daily and shorter frequencies
    (but real time)."""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def frequency_of(values: Mapping[str, Any]) -> Frequency | None:
    """The update frequency of a dataset dict, or None when it has no unit."""
    unit = str(values.get(UPDATE_UNIT_FIELD) or "").strip()
    if not unit:
        return None
    count = None
    if unit in COUNTED_UNITS:
        try:
            count = parse_interval(values.get(UPDATE_INTERVAL_FIELD))
        except FrequencyError:
            count = None
    other = str(values.get(UPDATE_UNIT_OTHER_FIELD) or "").strip() if unit == OTHER else ""
    at = ""
    if unit in DAILY_OR_SHORTER and unit != REAL_TIME:  # real time has no time of day
        text = str(values.get(UPDATE_TIME_FIELD) or "").strip()
        time = parse_update_time(text)
        at = f"{time:%H:%M}" if time else text  # a harvested "9.00" is shown as it is
    return Frequency(unit=unit, count=count, other=other, at=at)
