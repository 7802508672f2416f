"""Template helpers registered by the ``opendata_th`` plugin (ITemplateHelpers)."""
from __future__ import annotations

import ckan.plugins.toolkit as tk

from ckanext.opendata_th.playbook import dates, national_schema

__all__ = ["opendata_th_fields_by_data_type", "opendata_th_display_date"]


def opendata_th_fields_by_data_type(level: str) -> dict[str, list[str]]:
    """{field name: the data_type values it applies to} for the fields of
    ``level`` ("dataset" or "resource") that some data types do not have.
    The form's opendata-th-data-type module hides them for the other types."""
    return {
        name: [data_type for data_type in national_schema.DATA_TYPES if data_type in field.data_types]
        for name, field in national_schema.FIELDS[level].items()
        if field.data_types != frozenset(national_schema.DATA_TYPES)
    }


def opendata_th_display_date(value: str | None) -> str:
    """An ISO date or date-time for people: Buddhist Era in Thai
    ("24 พ.ย. 2569 09:30 น."), Gregorian in other languages."""
    moment = dates.parse_iso_datetime(value)
    if moment is None:
        return value or ""
    has_time = (moment.hour, moment.minute) != (0, 0)
    if tk.h.lang() == "th":
        return dates.format_datetime_th(moment) if has_time else dates.format_date_th(moment)
    return dates.format_datetime_en(moment) if has_time else dates.format_date_en(moment)
