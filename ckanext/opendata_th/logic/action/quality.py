"""Data-quality reports through the API (issue 13, point 2).

- ``opendata_th_quality_report_show``: a resource's newest report (a GET).
- ``opendata_th_quality_check``: queue a new check of a resource's file
  now (a POST), e.g. after its linked file changed where the portal cannot
  see it.
"""
from __future__ import annotations

from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.opendata_th import localize
from ckanext.opendata_th.jobs import quality as quality_jobs
from ckanext.opendata_th.model.quality import QualityReport
from ckanext.opendata_th.playbook.messages import Message

Context = dict[str, Any]
DataDict = dict[str, Any]


def resource_id_schema() -> dict[str, Any]:
    not_empty, unicode_safe = tk.get_validator("not_empty"), tk.get_validator("unicode_safe")
    return {"resource_id": [not_empty, unicode_safe]}


def as_dict(row: QualityReport) -> dict[str, Any]:
    """A stored report for the API: the checker's JSON report with each
    finding's message also rendered in the caller's language (``text``)."""
    report = dict(row.report or {})
    if report.get("findings"):
        report["findings"] = [{**f, "text": localize.text(Message.from_dict(f.get("message")))}
                              for f in report["findings"]]
    return {
        "resource_id": row.resource_id, "package_id": row.package_id, "state": row.state,
        "checked_at": row.checked_at.isoformat(), "seconds": row.seconds,
        "errors": row.errors, "warnings": row.warnings, "personal_data": row.personal_data,
        "machine_readable": row.machine_readable, "url": row.url,
        "problem": localize.text(Message.from_dict(row.problem)) if row.problem else None,
        "report": report or None,
    }


@tk.side_effect_free
@tk.validate(resource_id_schema)
def opendata_th_quality_report_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The newest data-quality report of a resource's file.

    :param resource_id: the resource id
    :returns: ``{"resource_id", "package_id", "state"`` (checked | unreadable |
        failed), ``"checked_at", "seconds", "errors", "warnings",
        "personal_data", "machine_readable", "url", "problem"`` (why the file
        was not checked, in the caller's language), ``"report"`` (the
        checker's JSON report, schema 1, see ckanext/opendata_th/quality/
        report.py; each finding also has ``text``)}. Not found (404) when
        the resource has no report yet.
    """
    tk.check_access("opendata_th_quality_report_show", context, data_dict)
    row = QualityReport.latest([data_dict["resource_id"]]).get(data_dict["resource_id"])
    if row is None:
        raise tk.ObjectNotFound(localize.gettext("This resource has no data-quality report yet"))
    return as_dict(row)


@tk.validate(resource_id_schema)
def opendata_th_quality_check(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Queue a new data-quality check of a resource's file (POST; needs the
    right to edit the dataset).

    :param resource_id: the resource id
    :returns: ``{"resource_id", "queued": true}``
    """
    resource = model.Resource.get(data_dict["resource_id"])
    if resource is None or resource.state != "active":
        raise tk.ObjectNotFound(localize.gettext("Resource not found"))
    tk.check_access("opendata_th_quality_check", context, data_dict)
    shown = tk.get_action("resource_show")(dict(context), {"id": resource.id})
    quality_jobs.enqueue(resource.id, quality_jobs.version_of(shown))
    return {"resource_id": resource.id, "queued": True}
