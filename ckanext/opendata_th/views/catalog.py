"""The organization's data catalog tab: the survey of every dataset (its
members), the export as CSV or XLSX in the DGA template's columns, and the
import of a filled-in template (editors and admins).

Every page goes through the ``opendata_th_catalog_*`` actions (their auth
functions decide who sees what). The import form checks the CSRF token
itself (see :mod:`.csrf`).
"""
from __future__ import annotations

import csv
import io
from typing import Any

from flask import Blueprint

import ckan.plugins.toolkit as tk

from ckanext.opendata_th import localize
from ckanext.opendata_th.playbook import catalog as rules
from ckanext.opendata_th.playbook import national_schema, workflow
from ckanext.opendata_th.views.csrf import protect_from_csrf
from ckanext.opendata_th.views import calls

catalog = Blueprint("opendata_th_catalog", __name__)

PAGE_SIZE = 50
EXPORT_PAGE = 1000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FILTERS = ("stage", "data_category", "overdue", "q")


def _first_error(error: tk.ValidationError) -> str:
    messages = []
    for key, value in error.error_dict.items():
        if key in ("refused", "created", "ignored_columns"):
            continue
        messages.extend(value if isinstance(value, list) else [value])
    return " ".join(str(message) for message in messages)


def _filters() -> dict[str, str]:
    """The filters of the query string, as sent (the action checks them)."""
    return {key: tk.request.args.get(key, "").strip()[:200] for key in FILTERS
            if tk.request.args.get(key, "").strip()}


def _page() -> int:
    try:
        return max(1, min(int(tk.request.args.get("page", "1")), 10_000))
    except ValueError:
        return 1


def _listing(organization: dict[str, Any], filters: dict[str, str], limit: int, offset: int) -> dict[str, Any]:
    """The action's page of the catalog; 403 for non-members, 400 for a bad
    filter."""
    try:
        return calls.action("opendata_th_catalog_list", {"organization_id": organization["id"], **filters,
                                                    "limit": limit, "offset": offset})
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Organization not found"))
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Only members of the organization can see its data catalog."))
    except tk.ValidationError as error:
        return tk.abort(400, _first_error(error))


def _render(organization: dict[str, Any], report: dict[str, Any] | None = None,
            import_error: str = "", status: int = 200):
    filters = _filters()
    page = _page()
    listing = _listing(organization, filters, PAGE_SIZE, (page - 1) * PAGE_SIZE)
    can_import = tk.h.check_access("opendata_th_catalog_import", {"organization_id": organization["id"]})
    pages = max(1, -(-listing["count"] // PAGE_SIZE))
    category_field = national_schema.FIELDS["dataset"]["data_category"]
    labels = {column["key"]: column["label"] for column in listing["columns"]}
    html = tk.render("opendata_th/catalog/read.html", {
        "group_dict": organization, "group_type": "organization",
        "listing": listing, "filters": filters, "page": page, "pages": pages,
        "stages": [(stage, localize.text(workflow.STAGE_LABELS[stage])) for stage in workflow.STAGES],
        "categories": list(category_field.choices),
        "can_import": can_import, "report": report, "import_error": import_error,
        "field_label": lambda key: labels.get(key) or key,
        "max_rows": _max_rows(),
        "page_url": lambda number: tk.h.url_for("opendata_th_catalog.read", id=organization["name"],
                                                page=number, **filters),
        "export_url": lambda fmt: tk.h.url_for("opendata_th_catalog.export", id=organization["name"],
                                               fmt=fmt, **filters),
    })
    return html if status == 200 else (html, status)


def _max_rows() -> int:
    from ckanext.opendata_th.logic.action.catalog import max_rows

    return max_rows()


@catalog.route("/organization/catalog/<id>")
def read(id: str):
    """The catalog tab: every dataset of the organization with its category,
    classification, stage, priority and overdue status, filters, the
    export links and (editors) the import form."""
    return _render(calls.organization_or_404(id))


@catalog.route("/organization/catalog/<id>/import", methods=["POST"])
def import_(id: str):
    """Import a filled-in template: the page again, with what was created or
    the rows refused and why (nothing is created then)."""
    protect_from_csrf()
    organization = calls.organization_or_404(id)
    upload = tk.request.files.get("upload")
    data_dict: dict[str, Any] = {"organization_id": organization["id"]}
    if upload is not None and upload.filename:
        data_dict["upload"] = upload.stream
    try:
        report = calls.action("opendata_th_catalog_import", data_dict)
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Only editors and admins of the organization can import its data catalog."))
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Organization not found"))
    except tk.ValidationError as error:
        if "refused" in error.error_dict:
            return _render(organization, report=error.error_dict, status=409)
        return _render(organization, import_error=_first_error(error), status=400)
    # the organization again: its dataset count in the sidebar has changed
    return _render(calls.organization_or_404(id), report=report)


@catalog.route("/organization/catalog/<id>/export.<fmt>")
def export(id: str, fmt: str):
    """The catalog (with the page's filters) as the DGA template: CSV
    (UTF-8 with BOM, as Excel opens Thai) or XLSX."""
    if fmt not in ("csv", "xlsx"):
        return tk.abort(404, tk._("Not found"))
    organization = calls.organization_or_404(id)
    filters = _filters()
    rows: list[list[str]] = []
    offset = 0
    while True:
        listing = _listing(organization, filters, EXPORT_PAGE, offset)
        rows.extend(item["row"] for item in listing["results"])
        offset += EXPORT_PAGE
        if offset >= listing["count"] or not listing["results"]:
            break
    headers = [column["header"] for column in listing["columns"]]
    name = f"catalog-{organization['name']}"
    if fmt == "csv":
        return calls.attachment(_csv(headers, rows), f"{name}.csv", "text/csv; charset=utf-8")
    return calls.attachment(_xlsx(headers, rows), f"{name}.xlsx", XLSX)


def _csv(headers: list[str], rows: list[list[str]]) -> bytes:
    stream = io.StringIO(newline="")
    writer = csv.writer(stream)
    writer.writerow(headers)
    writer.writerows([rules.csv_safe(text) for text in row] for row in rows)
    return b"\xef\xbb\xbf" + stream.getvalue().encode("utf-8")


def _xlsx(headers: list[str], rows: list[list[str]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    from ckanext.opendata_th.reports.yearly import keep_as_text

    book = Workbook(write_only=True)
    sheet = book.create_sheet(tk._("Data catalog")[:31])
    bold = Font(bold=True)
    header_cells = []
    for text in headers:
        header = WriteOnlyCell(sheet, value=text)
        header.font = bold
        header_cells.append(header)
    sheet.append(header_cells)
    for row in rows:
        cells = []
        for text in row:
            cell = WriteOnlyCell(sheet, value=text)
            cell.data_type = "s"  # texts, and one that starts like a formula never one
            keep_as_text(cell)
            cells.append(cell)
        sheet.append(cells)
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()
