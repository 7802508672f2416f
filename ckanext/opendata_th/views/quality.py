"""Data-quality reports on the resource page (the whole report) and the
dataset page (a line per resource), and the "check again" button.

The report is read from the stored checks (model/quality.py) for whoever
may see the page (CKAN has checked that before the templates run); the
button posts to ``opendata_th_quality_check`` (its auth function decides:
the dataset's editors).
"""
from __future__ import annotations

from typing import Any, Optional

from flask import Blueprint

import ckan.plugins.toolkit as tk

from ckanext.opendata_th.logic.action.quality import as_dict
from ckanext.opendata_th.model.quality import QualityReport
from ckanext.opendata_th.views import calls
from ckanext.opendata_th.views.csrf import protect_from_csrf

quality = Blueprint("opendata_th_quality", __name__)

SEVERITY_CLASSES = {"error": "bg-danger", "warning": "bg-warning text-dark", "info": "bg-secondary"}


def opendata_th_quality_report(resource_id: str) -> Optional[dict[str, Any]]:
    """The resource's newest report for its page (texts in the page's
    language), or None when it has none yet."""
    row = QualityReport.latest([resource_id]).get(resource_id)
    return as_dict(row) if row is not None else None


def opendata_th_quality_summary(pkg: dict[str, Any]) -> list[dict[str, Any]]:
    """For the dataset page: each resource and its newest report (or None)."""
    resources = [r for r in pkg.get("resources") or [] if r.get("id")]
    latest = QualityReport.latest(r["id"] for r in resources)
    return [{"resource": r, "report": latest.get(r["id"])} for r in resources]


def opendata_th_severity_class(severity: str) -> str:
    return SEVERITY_CLASSES.get(severity, "bg-secondary")


def opendata_th_severity_label(severity: str) -> str:
    return {"error": tk._("Error"), "warning": tk._("Warning"), "info": tk._("Note")}.get(severity, severity)


def opendata_th_column_type_label(kind: str) -> str:
    return {
        "empty": tk._("empty"), "integer": tk._("whole number"), "decimal": tk._("decimal number"),
        "boolean": tk._("yes/no"), "date": tk._("date"), "datetime": tk._("date and time"),
        "time": tk._("time"), "code": tk._("code"), "text": tk._("text"),
    }.get(kind, kind)


@quality.route("/dataset/<id>/resource/<resource_id>/quality/check", methods=["POST"])
def check(id: str, resource_id: str):
    """Queue a new check of the resource's file, then back to its page."""
    protect_from_csrf()
    try:
        calls.action("opendata_th_quality_check", {"resource_id": resource_id})
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Resource not found"))
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Only the dataset's editors can ask for a new data-quality check"))
    tk.h.flash_notice(tk._("The file will be checked in a moment: reload this page to see the report."))
    return tk.redirect_to("resource.read", id=id, resource_id=resource_id)
