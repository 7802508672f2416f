"""Converting a resource's PDF tables or workbook sheets to CSV files in the
background (playbook step 3.6.1), for the publisher to review.

A publisher asks for it (logic/action/conversion.py); the job reads the
resource's file as the quality check does (:func:`.quality.local_copy`:
the stored upload, or the linked file downloaded), decides from its
*content* what it is (a PDF, an XLSX or an XLS: a resource's declared
format is often wrong), runs the plain-Python converter
(:mod:`ckanext.opendata_th.quality.convert`) within
``ckanext.opendata_th.quality.time_limit`` seconds, and keeps the CSVs
under CKAN's storage path, in ``opendata_th/conversions/<conversion id>/``,
until the publisher adds each one to the dataset or discards it. Nothing
is added to the dataset here.

A file that cannot be converted (not a PDF or a workbook, damaged, too
big, past a limit, not downloadable) leaves the conversion ``failed`` with
the reason as a message, shown in the reader's language; an unexpected
error is logged with its traceback and shown as a plain sentence.
"""
from __future__ import annotations

import contextlib

import logging
import os
import shutil
import tempfile
import zipfile
from pathlib import Path
from typing import Optional

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.lib.uploader import get_storage_path

from ckanext.opendata_th.context import site_context
from ckanext.opendata_th.jobs import quality as quality_jobs
from ckanext.opendata_th.model.conversion import DONE, FAILED, PENDING, QUEUED, Conversion
from ckanext.opendata_th.model.types import utcnow
from ckanext.opendata_th.playbook.messages import N_, Message

log = logging.getLogger(__name__)

PDF, WORKBOOK = "PDF", "XLSX"
"""The converters (keys of ``convert.CONVERTERS``) a file's content picks;
the workbook converter reads XLS as well as XLSX."""

_PDF_MAGIC = b"%PDF-"
_PDF_HEADER_WINDOW = 1024
"""PDF readers allow some junk before the ``%PDF-`` header."""
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
"""The compound file of an XLS (and of DOC and PPT: the converter refuses those)."""
_WORKBOOK_PART = "xl/workbook.xml"

FOLDER = ("opendata_th", "conversions")


def job_timeout() -> int:
    """Seconds after which the worker stops a conversion job: the
    converter's own limit, the download's timeout, and a minute."""
    return quality_jobs.time_limit() + int(tk.config.get(quality_jobs.DOWNLOAD_TIMEOUT_OPTION)) + 60


def folder_of(conversion_id: str) -> Optional[Path]:
    """Where a conversion's CSVs are kept (None: the portal has no storage
    path, so nothing can be uploaded either)."""
    root = get_storage_path()
    if not root:
        return None
    return Path(root).joinpath(*FOLDER, os.path.basename(conversion_id))


def stored_path(conversion: Conversion, stored: str) -> Optional[Path]:
    """The kept CSV ``stored`` of a conversion (only a name in its folder)."""
    folder = folder_of(conversion.id)
    return folder / os.path.basename(stored) if folder is not None and stored else None


def remove_stored(conversion: Conversion, stored: str) -> None:
    """Remove a kept CSV once the publisher chose; the folder with the last one."""
    path = stored_path(conversion, stored)
    if path is None:
        return
    path.unlink(missing_ok=True)
    with contextlib.suppress(OSError):  # other CSVs still wait for their choice
        path.parent.rmdir()


def enqueue(conversion_id: str) -> None:
    tk.enqueue_job(convert, [conversion_id], title=f"opendata_th conversion {conversion_id}",
                   rq_kwargs={"timeout": job_timeout()})


def kind_of(path: str) -> Optional[str]:
    """Which converter the file at ``path`` needs, from its first bytes:
    :data:`PDF`, :data:`WORKBOOK`, or None (neither)."""
    with open(path, "rb") as stream:
        head = stream.read(_PDF_HEADER_WINDOW)
    if _PDF_MAGIC in head:
        return PDF
    if head.startswith(_OLE_MAGIC):
        return WORKBOOK
    if head.startswith(_ZIP_MAGIC):
        try:  # the central directory only: nothing is inflated
            with zipfile.ZipFile(path) as archive:
                if _WORKBOOK_PART in archive.namelist():
                    return WORKBOOK
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
    return None


def not_convertible() -> Message:
    return Message(N_("This file is neither a PDF nor an Excel workbook (XLSX or XLS): it cannot be "
                      "converted to CSV."))


def convert(conversion_id: str) -> Optional[Conversion]:
    """Run a queued conversion and keep what it gave. Skipped when the
    conversion is gone or not queued any more."""
    row = Conversion.get(conversion_id)
    if row is None or row.state != QUEUED:
        log.info("Conversion %s skipped: it is gone or no longer queued", conversion_id)
        return None
    try:
        resource = tk.get_action("resource_show")(site_context(), {"id": row.resource_id})
    except tk.ObjectNotFound:
        return _failed(row, Message(N_("The resource no longer exists.")))
    folder = folder_of(row.id)
    if folder is None:
        return _failed(row, Message(N_("The portal has no storage for files (ckan.storage_path): "
                                       "nothing can be converted.")))
    with tempfile.TemporaryDirectory(prefix="opendata-th-conversion-") as scratch:
        try:
            path, file_name = quality_jobs.local_copy(resource, scratch)
        except quality_jobs.FetchFailed as failure:
            return _failed(row, failure.message)
        return _run(row, path, resource.get("name") or file_name, file_name, folder)


def _run(row: Conversion, path: str, source_name: str, file_name: str, folder: Path) -> Conversion:
    from ckanext.opendata_th.quality.convert import CONVERTERS, ConversionError, ConvertLimits

    kind = kind_of(path)
    if kind is None:
        return _failed(row, not_convertible())
    try:
        result = CONVERTERS[kind](path, folder, name=source_name, file_name=file_name,
                                  limits=ConvertLimits(max_seconds=quality_jobs.time_limit()))
    except ConversionError as error:
        shutil.rmtree(folder, ignore_errors=True)
        return _failed(row, error.message)
    except Exception:  # a converter's bug must not leave the conversion queued forever
        log.exception("Conversion %s of resource %s failed", row.id, row.resource_id)
        shutil.rmtree(folder, ignore_errors=True)
        return _failed(row, Message(N_("The file could not be converted because of an unexpected "
                                       "error. The portal's administrators can see it in the log.")))
    row.files = [{
        "file_name": output.file_name, "title": output.title.as_dict(), "header": list(output.header),
        "row_count": output.row_count, "pages": list(output.pages), "sheet": output.sheet,
        "stored": output.path.name, "state": PENDING, "resource_id": None,
    } for output in result.files]
    row.problems = [problem.as_dict() for problem in result.problems]
    row.state, row.finished_at = DONE, utcnow()
    model.Session.commit()
    log.info("Conversion %s of resource %s: %s CSV files", row.id, row.resource_id, len(row.files))
    return row


def _failed(row: Conversion, problem: Message) -> Conversion:
    row.state, row.problem, row.finished_at = FAILED, problem.as_dict(), utcnow()
    model.Session.commit()
    log.info("Conversion %s of resource %s failed: %s", row.id, row.resource_id, problem.render())
    return row
