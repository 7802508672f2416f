"""Template helpers registered by the ``opendata_th`` plugin (ITemplateHelpers)."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.opendata_th.context import display_zone
from ckanext.opendata_th.playbook import dates, frequency, national_schema

__all__ = ["opendata_th_fields_by_data_type", "opendata_th_display_date",
           "opendata_th_last_update_source"]


def opendata_th_fields_by_data_type(level: str) -> dict[str, list[str]]:
    """{field name: the data_type values it applies to} for the fields of
    ``level`` ("dataset" or "resource") that some data types do not have.
    The form's opendata-th-data-type module hides them for the other types."""
    return {
        name: [data_type for data_type in national_schema.DATA_TYPES if data_type in field.data_types]
        for name, field in national_schema.FIELDS[level].items()
        if field.data_types != frozenset(national_schema.DATA_TYPES)
    }


def opendata_th_display_date(value: Any) -> str:
    """A date or a moment for people, in ``ckan.display_timezone``: Buddhist
    Era in Thai ("24 พ.ย. 2569", "24 พ.ย. 2569 09:30 น."), Gregorian in other
    languages. A bare date (``YYYY-MM-DD``) is shown as a date; a time without
    an offset is one of CKAN's UTC timestamps."""
    if isinstance(value, str) and len(value.strip()) == 10:
        day = dates.parse_iso_date(value)
        if day is None:
            return value
        return dates.format_date_th(day) if tk.h.lang() == "th" else dates.format_date_en(day)
    moment = dates.parse_ckan_timestamp(value)
    if moment is None:
        return str(value or "")
    local = moment.replace(tzinfo=dates.BANGKOK).astimezone(display_zone()).replace(tzinfo=None)
    return dates.format_datetime_th(local) if tk.h.lang() == "th" else dates.format_datetime_en(local)


def opendata_th_last_update_source(source: str) -> str:
    """Where a dataset's last-update date comes from, in the current language."""
    label = frequency.LAST_UPDATE_SOURCES.get(source)
    return label.in_language(tk.h.lang()) if label else source
