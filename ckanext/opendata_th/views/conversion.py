"""Converting a resource's PDF or workbook to CSV, and the review page
where the dataset's editors add each CSV to the dataset or discard it.

The "Convert to CSV" button (templates/opendata_th/conversion/
resource_button.html, on the resource page) posts to
``opendata_th_resource_convert``; the review page reads
``opendata_th_conversion_show`` and previews each CSV's first rows from
the kept file; its forms post to ``opendata_th_conversion_accept`` and
``opendata_th_conversion_discard``. The actions' auth functions decide
(the dataset's editors); the forms check the CSRF token themselves (see
:mod:`.csrf`) and answer with a redirect to the review page.
"""
from __future__ import annotations

import csv
import itertools
from collections.abc import Mapping
from typing import Any, Optional

from flask import Blueprint

import ckan.plugins.toolkit as tk

from ckanext.opendata_th.jobs import conversion as conversion_jobs
from ckanext.opendata_th.logic.action.conversion import MAX_FILE_NAME, as_dict
from ckanext.opendata_th.model.conversion import PENDING, Conversion
from ckanext.opendata_th.model.quality import QualityReport
from ckanext.opendata_th.views import calls
from ckanext.opendata_th.views.csrf import protect_from_csrf

conversion = Blueprint("opendata_th_conversion", __name__)

CONVERTIBLE_FORMATS = frozenset({"PDF", "XLSX", "XLS"})
PREVIEW_ROWS = 20
PREVIEW_CELL_CHARS = 500
"""A preview cell longer than this is cut (a page is not a data dump)."""
RECENT_CONVERSIONS = 5

EDITORS_ONLY = "Only the dataset's editors can convert its files to CSV and review the result"


# -- helpers for the resource page ------------------------------------------------------------

def opendata_th_convertible(resource: Mapping[str, Any]) -> bool:
    """Whether the resource's file looks convertible to CSV: its format is
    PDF, XLSX or XLS, or its data-quality check found a PDF (whatever its
    declared format). The job decides from the content in the end."""
    if str(resource.get("format") or "").strip().upper().lstrip(".") in CONVERTIBLE_FORMATS:
        return True
    if not resource.get("id"):
        return False
    report = QualityReport.latest([resource["id"]]).get(resource["id"])
    error = ((report.report or {}).get("error") or {}) if report is not None else {}
    message = error.get("message") or {}
    return error.get("code") == "file.not_a_table" and (message.get("params") or {}).get("format") == "PDF"


def opendata_th_conversions(resource_id: str) -> list[dict[str, Any]]:
    """The resource's recent conversions (newest first, texts in the page's
    language) for the dataset's editors; nothing for anyone else."""
    rows = Conversion.of_resource(resource_id, limit=RECENT_CONVERSIONS)
    if not rows or not calls.allowed("opendata_th_conversion_show", {"id": rows[0].id}):
        return []
    return [as_dict(row) for row in rows]


def state_labels() -> dict[str, str]:
    """The states of a conversion and of its CSVs, in the request's language."""
    return {"queued": tk._("Waiting to be converted"), "done": tk._("Converted"),
            "failed": tk._("Could not be converted"), "pending": tk._("Waiting for your review"),
            "added": tk._("Added to the dataset"), "discarded": tk._("Discarded")}


# -- pages -----------------------------------------------------------------------------------

def _shown(package: dict[str, Any], conversion_id: str) -> dict[str, Any]:
    """The dataset's conversion, or a 403/404 page."""
    try:
        shown = calls.action("opendata_th_conversion_show", {"id": conversion_id[:200]})
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Conversion not found"))
    except tk.NotAuthorized:
        return tk.abort(403, tk._(EDITORS_ONLY))
    if shown["package_id"] != package["id"]:
        return tk.abort(404, tk._("Conversion not found"))
    return shown


def preview(conversion_id: str, stored: Optional[str]) -> list[list[str]]:
    """The header and first :data:`PREVIEW_ROWS` rows of a kept CSV (empty
    once the CSV was added or discarded, or when it is gone)."""
    row = Conversion.get(conversion_id)
    path = conversion_jobs.stored_path(row, stored or "") if row is not None else None
    if path is None or not path.is_file():
        return []
    with path.open(encoding="utf-8", newline="", errors="replace") as stream:
        return [[cell[:PREVIEW_CELL_CHARS] for cell in cells]
                for cells in itertools.islice(csv.reader(stream), PREVIEW_ROWS + 1)]


def _stored_names(conversion_id: str) -> dict[str, str]:
    row = Conversion.get(conversion_id)
    return {f["file_name"]: f.get("stored") or "" for f in (row.files if row is not None else [])}


@conversion.route("/dataset/<id>/conversion/<conversion_id>")
def review(id: str, conversion_id: str):
    """The review page: the conversion's state and each CSV with a preview
    of its first rows, to add to the dataset or discard."""
    package = calls.dataset_or_404(id)
    shown = _shown(package, conversion_id)
    stored = _stored_names(shown["id"])
    previews = {f["file_name"]: preview(shown["id"], stored.get(f["file_name"]))
                for f in shown["files"] if f["state"] == PENDING}
    resource = next((r for r in package.get("resources") or [] if r.get("id") == shown["resource_id"]), None)
    return tk.render("opendata_th/conversion/review.html", {
        "pkg_dict": package, "pkg": package, "dataset_type": package.get("type") or "dataset",
        "conversion": shown, "source": resource, "previews": previews,
        "labels": state_labels(), "preview_rows": PREVIEW_ROWS,
    })


@conversion.route("/dataset/<id>/resource/<resource_id>/convert", methods=["POST"])
def convert(id: str, resource_id: str):
    """Queue the conversion of the resource's file, then show its review page."""
    protect_from_csrf()
    package = calls.dataset_or_404(id)
    try:
        shown = calls.action("opendata_th_resource_convert", {"resource_id": resource_id[:200]})
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Resource not found"))
    except tk.NotAuthorized:
        return tk.abort(403, tk._(EDITORS_ONLY))
    except tk.ValidationError as error:
        tk.h.flash_error(" ".join(_texts(error)))
        return tk.redirect_to("resource.read", id=package["name"], resource_id=resource_id)
    if shown["package_id"] != package["id"]:
        return tk.abort(404, tk._("Resource not found"))
    tk.h.flash_notice(tk._("The file will be converted in a moment: reload this page to see the CSV files."))
    return tk.redirect_to("opendata_th_conversion.review", id=package["name"], conversion_id=shown["id"])


@conversion.route("/dataset/<id>/conversion/<conversion_id>/accept", methods=["POST"])
def accept(id: str, conversion_id: str):
    """Add one CSV of the conversion to the dataset as a new resource."""
    return _choose(id, conversion_id, "opendata_th_conversion_accept")


@conversion.route("/dataset/<id>/conversion/<conversion_id>/discard", methods=["POST"])
def discard(id: str, conversion_id: str):
    """Discard one CSV of the conversion."""
    return _choose(id, conversion_id, "opendata_th_conversion_discard")


def _choose(id: str, conversion_id: str, action: str):
    protect_from_csrf()
    package = calls.dataset_or_404(id)
    shown = _shown(package, conversion_id)
    file_name = (tk.request.form.get("file_name") or "")[:MAX_FILE_NAME]
    title = next((f["title"] for f in shown["files"] if f["file_name"] == file_name), file_name)
    try:
        result = calls.action(action, {"id": shown["id"], "file_name": file_name})
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Conversion not found"))
    except tk.NotAuthorized:
        return tk.abort(403, tk._(EDITORS_ONLY))
    except tk.ValidationError as error:
        tk.h.flash_error(" ".join(_texts(error)))
    else:
        if action == "opendata_th_conversion_accept":
            tk.h.flash_success(tk._("“{title}” was added to the dataset as a new resource.").format(
                title=result.get("name") or title))
        else:
            tk.h.flash_notice(tk._("“{title}” was discarded.").format(title=title))
    return tk.redirect_to("opendata_th_conversion.review", id=package["name"], conversion_id=shown["id"])


def _texts(error: tk.ValidationError) -> list[str]:
    """The messages of a ValidationError, for a flash message."""
    texts: list[str] = []
    for value in (error.error_dict or {}).values():
        texts.extend(str(item) for item in (value if isinstance(value, list) else [value]))
    return texts
