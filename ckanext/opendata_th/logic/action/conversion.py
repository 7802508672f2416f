"""Converting a resource's PDF tables or workbook sheets to CSV, reviewed
before anything is published (issue 13, point 3; playbook step 3.6.1).

- ``opendata_th_resource_convert`` (POST): queue a conversion of a
  resource's file (jobs/conversion.py).
- ``opendata_th_conversion_show``: a conversion, its CSVs and problems, in
  the caller's language.
- ``opendata_th_conversion_accept`` (POST): add one of its CSVs to the
  dataset as a new resource (an uploaded CSV file).
- ``opendata_th_conversion_discard`` (POST): drop one of its CSVs.

All of them are for the dataset's editors (logic/auth/conversion.py): the
CSVs are not published until an editor adds them.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Optional

from werkzeug.datastructures import FileStorage

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.opendata_th import localize
from ckanext.opendata_th.jobs import conversion as conversion_jobs
from ckanext.opendata_th.logic.inputs import refused
from ckanext.opendata_th.model.conversion import (ADDED, DISCARDED, DONE, PENDING, QUEUED,
                                                  Conversion)
from ckanext.opendata_th.model.types import utcnow
from ckanext.opendata_th.playbook.messages import N_, Message

Context = dict[str, Any]
DataDict = dict[str, Any]

RESOURCE_LANGUAGE = "th"
"""The language of the new resources' names and descriptions: the
national catalog's (its titles are Thai)."""
MAX_FILE_NAME = 200


def resource_id_schema() -> dict[str, Any]:
    not_empty, unicode_safe = tk.get_validator("not_empty"), tk.get_validator("unicode_safe")
    return {"resource_id": [not_empty, unicode_safe]}


def id_schema() -> dict[str, Any]:
    not_empty, unicode_safe = tk.get_validator("not_empty"), tk.get_validator("unicode_safe")
    return {"id": [not_empty, unicode_safe]}


def file_schema() -> dict[str, Any]:
    not_empty, unicode_safe = tk.get_validator("not_empty"), tk.get_validator("unicode_safe")
    return {"id": [not_empty, unicode_safe], "file_name": [not_empty, unicode_safe]}


def _when(moment: Optional[dt.datetime]) -> Optional[str]:
    return moment.isoformat() if moment is not None else None


def as_dict(row: Conversion) -> dict[str, Any]:
    """A conversion for the API and the review page, its texts in the
    caller's language (the stored path of a CSV is not shown)."""
    requester = model.User.get(row.requested_by) if row.requested_by else None
    return {
        "id": row.id, "package_id": row.package_id, "resource_id": row.resource_id,
        "requested_by": row.requested_by, "requested_by_name": requester.name if requester else None,
        "requested_at": _when(row.requested_at), "finished_at": _when(row.finished_at),
        "state": row.state,
        "problem": localize.text(Message.from_dict(row.problem)) if row.problem else None,
        "problems": [localize.text(Message.from_dict(problem)) for problem in row.problems or []],
        "files": [{
            "file_name": f.get("file_name"), "title": localize.text(Message.from_dict(f.get("title"))),
            "header": list(f.get("header") or []), "row_count": f.get("row_count"),
            "pages": list(f.get("pages") or []), "sheet": f.get("sheet"),
            "state": f.get("state"), "resource_id": f.get("resource_id"),
        } for f in row.files or []],
    }


def _conversion(conversion_id: str) -> Conversion:
    row = Conversion.get(conversion_id)
    if row is None:
        raise tk.ObjectNotFound(localize.gettext("Conversion not found"))
    return row


def _locked(conversion_id: str) -> Conversion:
    """The conversion, locked until the next commit: two clicks on the same
    button do not add the same CSV twice."""
    row = (model.Session.query(Conversion).filter(Conversion.id == conversion_id)
           .populate_existing().with_for_update().one_or_none())
    if row is None:
        raise tk.ObjectNotFound(localize.gettext("Conversion not found"))
    return row


def _pending_file(row: Conversion, file_name: str) -> dict[str, Any]:
    """The CSV ``file_name`` of the conversion, still waiting for a choice."""
    if row.state != DONE:
        raise refused({"id": [Message(N_("This conversion has no CSV file to review yet."))]})
    entry = row.file(file_name[:MAX_FILE_NAME])
    if entry is None:
        raise refused({"file_name": [Message(N_("This conversion has no CSV file named “{name}”."),
                                             name=file_name[:MAX_FILE_NAME])]})
    if entry.get("state") == ADDED:
        raise refused({"file_name": [Message(N_("“{name}” was already added to the dataset."),
                                             name=file_name)]})
    if entry.get("state") == DISCARDED:
        raise refused({"file_name": [Message(N_("“{name}” was discarded."), name=file_name)]})
    path = conversion_jobs.stored_path(row, entry.get("stored") or "")
    if path is None or not path.is_file():
        raise refused({"file_name": [Message(N_("The file “{name}” is no longer kept: convert the "
                                                "resource again."), name=file_name)]})
    return entry


def _user_id(context: Context) -> Optional[str]:
    user = model.User.get(context.get("user") or "") if context.get("user") else None
    return user.id if user is not None else None


@tk.validate(resource_id_schema)
def opendata_th_resource_convert(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Queue the conversion of a resource's file (a PDF's tables, or an XLSX
    or XLS workbook's sheets) to CSV files, for review (POST; the dataset's
    editors). What the file is, is read from its content, not its format.
    A conversion of the resource already waiting for the worker is
    returned rather than queued again.

    :param resource_id: the resource id
    :returns: the conversion, as ``opendata_th_conversion_show`` gives it
        (state ``queued``)
    """
    resource = model.Resource.get(data_dict["resource_id"])
    if resource is None or resource.state != "active" or resource.package is None \
            or resource.package.state == "deleted":
        raise tk.ObjectNotFound(localize.gettext("Resource not found"))
    tk.check_access("opendata_th_resource_convert", context, {"resource_id": resource.id})
    if not (resource.url or "").strip():
        raise refused({"resource_id": [Message(N_("This resource has no file to convert."))]})
    waiting_since = utcnow() - dt.timedelta(seconds=conversion_jobs.job_timeout())
    waiting = (model.Session.query(Conversion)
               .filter(Conversion.resource_id == resource.id, Conversion.state == QUEUED,
                       Conversion.requested_at > waiting_since)
               .order_by(Conversion.requested_at.desc()).first())
    if waiting is not None:
        return as_dict(waiting)
    row = Conversion(package_id=resource.package_id, resource_id=resource.id,
                     requested_by=_user_id(context), state=QUEUED, problems=[], files=[])
    model.Session.add(row)
    model.Session.commit()
    conversion_jobs.enqueue(row.id)
    return as_dict(row)


@tk.side_effect_free
@tk.validate(id_schema)
def opendata_th_conversion_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """A conversion of a resource's file to CSV (the dataset's editors).

    :param id: the conversion id
    :returns: ``{"id", "package_id", "resource_id", "requested_by"`` (user
        id), ``"requested_by_name", "requested_at", "finished_at", "state"``
        (queued | done | failed), ``"problem"`` (why it failed, in the
        caller's language), ``"problems"`` (what it could not convert, in
        the caller's language), ``"files"``: ``[{"file_name", "title"`` (in
        the caller's language), ``"header", "row_count", "pages", "sheet",
        "state"`` (pending | added | discarded), ``"resource_id"`` (once
        added)``}]}``
    """
    row = _conversion(data_dict["id"])
    tk.check_access("opendata_th_conversion_show", context, {"id": row.id})
    return as_dict(row)


@tk.validate(file_schema)
def opendata_th_conversion_accept(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Add one CSV of a conversion to the dataset as a new resource: an
    uploaded CSV file named ``file_name``, its name the CSV's title in Thai,
    its description saying what it was converted from (POST; the dataset's
    editors, as ``resource_create`` checks again).

    :param id: the conversion id
    :param file_name: the CSV's ``file_name`` (from ``opendata_th_conversion_show``)
    :returns: the new resource (as ``resource_create`` gives it)
    """
    row = _conversion(data_dict["id"])
    tk.check_access("opendata_th_conversion_accept", context, {"id": row.id})
    row = _locked(row.id)
    entry = _pending_file(row, data_dict["file_name"])
    file_name, stored = entry["file_name"], entry.get("stored") or ""
    path = conversion_jobs.stored_path(row, stored)
    assert path is not None  # _pending_file checked it
    fields = _new_resource(row, entry)
    row.with_file(file_name, state=ADDED)  # claimed: a second click is refused from here
    model.Session.commit()
    try:
        with path.open("rb") as stream:
            created = tk.get_action("resource_create")(
                {"user": context.get("user", ""), "ignore_auth": context.get("ignore_auth", False)},
                {**fields, "upload": FileStorage(stream, filename=file_name, content_type="text/csv")})
    except Exception:
        model.Session.rollback()
        row = _locked(row.id)
        row.with_file(file_name, state=PENDING)
        model.Session.commit()
        raise
    row = _locked(row.id)
    row.with_file(file_name, resource_id=created["id"])
    model.Session.commit()
    conversion_jobs.remove_stored(row, stored)
    return created


def _new_resource(row: Conversion, entry: dict[str, Any]) -> dict[str, Any]:
    """The new resource's fields: name and description in Thai."""
    source = model.Resource.get(row.resource_id)
    source_name = (source.name if source is not None else "") or row.resource_id
    if entry.get("sheet"):
        description = Message(N_("Converted to CSV from the worksheet “{sheet}” of “{source}”."),
                              sheet=entry["sheet"], source=source_name)
    elif entry.get("pages"):
        description = Message(N_("Converted to CSV from the tables on pages {pages} of “{source}”."),
                              pages=_page_list(entry["pages"]), source=source_name)
    else:
        description = Message(N_("Converted to CSV from “{source}”."), source=source_name)
    return {
        "package_id": row.package_id,
        "name": localize.text(Message.from_dict(entry.get("title")), RESOURCE_LANGUAGE) or entry["file_name"],
        "description": localize.text(description, RESOURCE_LANGUAGE),
        "format": "CSV", "mimetype": "text/csv",
    }


def _page_list(pages: list[int]) -> str:
    """``[1, 2, 3, 7]`` → ``"1–3, 7"``."""
    runs: list[list[int]] = []
    for page in sorted(set(int(p) for p in pages)):
        if runs and page == runs[-1][1] + 1:
            runs[-1][1] = page
        else:
            runs.append([page, page])
    return ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in runs)


@tk.validate(file_schema)
def opendata_th_conversion_discard(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Drop one CSV of a conversion: it is not added to the dataset, and its
    kept file is removed (POST; the dataset's editors).

    :param id: the conversion id
    :param file_name: the CSV's ``file_name``
    :returns: the conversion, as ``opendata_th_conversion_show`` gives it
    """
    row = _conversion(data_dict["id"])
    tk.check_access("opendata_th_conversion_discard", context, {"id": row.id})
    row = _locked(row.id)
    entry = _pending_file(row, data_dict["file_name"])
    row.with_file(entry["file_name"], state=DISCARDED)
    model.Session.commit()
    conversion_jobs.remove_stored(row, entry.get("stored") or "")
    return as_dict(row)
