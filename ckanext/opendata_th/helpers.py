"""Template helpers registered by the ``opendata_th`` plugin (ITemplateHelpers)."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.opendata_th.context import display_zone, now
from ckanext.opendata_th.home import (opendata_th_about_text, opendata_th_agency,
                                      opendata_th_home_datasets, opendata_th_intro_text,
                                      opendata_th_site_logo)
from ckanext.opendata_th.form_guide import opendata_th_form_rules, opendata_th_form_sections
from ckanext.opendata_th.playbook import dates, display, frequency, national_schema
from ckanext.opendata_th.views.quality import (opendata_th_column_type_label,
                                              opendata_th_quality_report,
                                              opendata_th_quality_summary,
                                              opendata_th_severity_class,
                                              opendata_th_severity_label)
from ckanext.opendata_th.views.readiness import opendata_th_readiness_tab_shown
from ckanext.opendata_th.views.workflow import (opendata_th_stage_label,
                                               opendata_th_workflow_activity,
                                               opendata_th_workflow_org_tabs,
                                               opendata_th_workflow_tab_shown)

__all__ = ["opendata_th_fields_by_data_type", "opendata_th_display_date",
           "opendata_th_last_update_source",
           # dates in Thai (BE, Bangkok time) through CKAN's own date helpers
           "render_datetime", "time_ago_from_timestamp",
           # what dataset and resource pages show
           "opendata_th_shown_fields", "opendata_th_update_frequency",
           # the home page and branding (home.py)
           "opendata_th_agency", "opendata_th_site_logo", "opendata_th_about_text",
           "opendata_th_intro_text", "opendata_th_home_datasets",
           # the dataset and resource forms (form_guide.py)
           "opendata_th_form_sections", "opendata_th_form_rules",
           # the organization page's readiness tab (views/readiness.py)
           "opendata_th_readiness_tab_shown",
           # the disclosure workflow's stage badge and tabs (views/workflow.py)
           "opendata_th_stage_label", "opendata_th_workflow_tab_shown",
           "opendata_th_workflow_org_tabs", "opendata_th_workflow_activity",
           # data-quality reports on resource and dataset pages (views/quality.py)
           "opendata_th_quality_report", "opendata_th_quality_summary",
           "opendata_th_severity_class", "opendata_th_severity_label",
           "opendata_th_column_type_label"]


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
    """A date or a moment for people, as :func:`render_datetime` shows it,
    with the time of day when ``value`` has one ("24 พ.ย. 2569",
    "24 พ.ย. 2569 09:30 น."); a value that is no date is shown as it is."""
    return tk.h.render_datetime(value, with_hours=True) or str(value or "")


def _language() -> str:
    try:
        return tk.h.lang() or tk.config.get("ckan.locale_default")
    except RuntimeError:  # no request: a job or a command
        return tk.config.get("ckan.locale_default")


def _shown(value: Any) -> dt.datetime | dt.date | None:
    """``value`` as people see it: a bare date stays a date (no time zone
    shift); a moment is a naive time in ``ckan.display_timezone``. CKAN's own
    timestamps, written without an offset, are UTC."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and len(value.strip()) == 10:
        return dates.parse_iso_date(value)
    moment = dates.parse_ckan_timestamp(value)
    if moment is None:
        return None
    return moment.replace(tzinfo=dates.BANGKOK).astimezone(display_zone()).replace(tzinfo=None)


@tk.chained_helper
def render_datetime(next_func: Callable[..., str], datetime_: Any, date_format: str | None = None,
                    with_hours: bool = False, with_seconds: bool = False) -> str:
    """Every date CKAN and this extension show (pages, activity stream,
    tooltips of "x days ago"), in ``ckan.display_timezone``: Buddhist Era
    and Thai month names in Thai ("29 พ.ย. 2569 07:30 น."), Gregorian in
    English ("29 Nov 2026 07:30"). An explicit strftime ``date_format``
    (machine-readable dates) and other languages are left to CKAN; a value
    that is no date gives "", as CKAN's does."""
    lang = _language()
    if date_format or lang not in ("th", "en"):
        return next_func(datetime_, date_format=date_format, with_hours=with_hours,
                         with_seconds=with_seconds)
    shown = _shown(datetime_)
    if shown is None:
        return ""
    if not isinstance(shown, dt.datetime) or not (with_hours or with_seconds):
        return dates.format_date_th(shown) if lang == "th" else dates.format_date_en(shown)
    if lang == "th":
        return dates.format_datetime_th(shown, with_seconds=with_seconds)
    return dates.format_datetime_en(shown, with_seconds=with_seconds)


_AGO: dict[str, Callable[[int], str]] = {
    "minute": lambda n: tk.ungettext("{count} minute ago", "{count} minutes ago", n),
    "hour": lambda n: tk.ungettext("{count} hour ago", "{count} hours ago", n),
    "day": lambda n: tk.ungettext("{count} day ago", "{count} days ago", n),
    "week": lambda n: tk.ungettext("{count} week ago", "{count} weeks ago", n),
    "month": lambda n: tk.ungettext("{count} month ago", "{count} months ago", n),
    "year": lambda n: tk.ungettext("{count} year ago", "{count} years ago", n),
}


@tk.chained_helper
def time_ago_from_timestamp(next_func: Callable[..., str], timestamp: Any) -> str:
    """"3 วันที่แล้ว", "3 days ago": how long ago a CKAN timestamp was, in
    whole calendar units (:func:`dates.elapsed`). Other languages are left
    to CKAN; a moment ahead of now is shown as its date and time."""
    if _language() not in ("th", "en"):
        return next_func(timestamp)
    moment = dates.parse_ckan_timestamp(timestamp)
    if moment is None:
        return tk._("Unknown")
    ago = dates.elapsed(moment, now())
    if ago is None:
        return tk.h.render_datetime(timestamp, with_hours=True)
    count, unit = ago
    if count == 0:
        return tk._("Just now")
    return _AGO[unit](count).format(count=count)


def opendata_th_last_update_source(source: str) -> str:
    """Where a dataset's last-update date comes from, in the current language."""
    label = frequency.LAST_UPDATE_SOURCES.get(source)
    return tk._(label.msgid) if label else source


def opendata_th_shown_fields(level: str, values: Mapping[str, Any], data_type: Any) -> list[str]:
    """Names of the schema fields a dataset page (``level`` "dataset") or a
    resource page ("resource") shows: those of the dataset's data type that
    have a value; the update frequency is one row (see
    :func:`opendata_th_update_frequency`)."""
    return display.shown_fields(level, values, data_type)


_EVERY: dict[str, Callable[[int], str]] = {
    frequency.YEAR: lambda n: tk.ungettext("every {count} year", "every {count} years", n),
    frequency.HALF_YEAR: lambda n: tk.ungettext("every {count} half-year", "every {count} half-years", n),
    frequency.QUARTER: lambda n: tk.ungettext("every {count} quarter", "every {count} quarters", n),
    frequency.MONTH: lambda n: tk.ungettext("every {count} month", "every {count} months", n),
    frequency.WEEK: lambda n: tk.ungettext("every {count} week", "every {count} weeks", n),
    frequency.DAY: lambda n: tk.ungettext("every {count} day", "every {count} days", n),
    frequency.WORKING_DAY: lambda n: tk.ungettext("every {count} working day", "every {count} working days", n),
    frequency.HOUR: lambda n: tk.ungettext("every {count} hour", "every {count} hours", n),
    frequency.MINUTE: lambda n: tk.ungettext("every {count} minute", "every {count} minutes", n),
}


def opendata_th_update_frequency(pkg: Mapping[str, Any]) -> str:
    """A dataset's update frequency as one phrase in the current language
    ("ทุก 1 เดือน", "every 1 month", "ทุก 1 วัน เวลา 09:00 น."), or "" when
    it has none. Units without a count read as their label; "other" as the
    publisher's text."""
    found = display.frequency_of(pkg)
    if found is None:
        return ""
    if found.count is not None:
        phrase = _EVERY[found.unit](found.count).format(count=found.count)
    elif found.other:
        phrase = found.other
    else:
        field = national_schema.FIELDS["dataset"][display.UPDATE_UNIT_FIELD]
        phrase = found.unit if _language() == "th" else field.choice_labels_en.get(found.unit, found.unit)
    if not found.at:
        return phrase
    if found.unit in frequency.SUB_DAILY:
        return tk._("{frequency} from {time}").format(frequency=phrase, time=found.at)
    return tk._("{frequency} at {time}").format(frequency=phrase, time=found.at)


# converting a resource's PDF or workbook to CSV (views/conversion.py)
from ckanext.opendata_th.views.conversion import (  # noqa: E402
    opendata_th_conversions,
    opendata_th_convertible,
)

__all__ += ["opendata_th_convertible", "opendata_th_conversions"]

# feedback on published datasets (views/feedback.py)
from ckanext.opendata_th.views.feedback import (  # noqa: E402
    opendata_th_feedback_block,
    opendata_th_feedback_queue_tab,
)

__all__ += ["opendata_th_feedback_block", "opendata_th_feedback_queue_tab"]
