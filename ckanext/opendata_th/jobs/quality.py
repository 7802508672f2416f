"""Data-quality checks of resources (playbook step 3.6), in the background.

After a committed change of a dataset (``subscriptions.py``), every
resource whose file is new or changed since its last report gets a job on
CKAN's queue: the file is read from the portal's storage (an upload) or
fetched (a link, up to ``ckanext.opendata_th.quality.max_download_mb``),
checked by :func:`ckanext.opendata_th.quality.check_file` within
``ckanext.opendata_th.quality.time_limit`` seconds, and the report is
kept (:class:`~ckanext.opendata_th.model.quality.QualityReport`). The
dataset is then re-indexed (the ten-property evaluation reads the reports).

A report whose file holds personal data (PDPA B.E. 2562) stops a published
dataset from staying public: it is made private and returned to the
approver with the reason, as a change of classification to not disclosable
is (logic/approval_gate.py).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import tempfile
import time
from collections.abc import Mapping
from typing import Any, Optional
from urllib.parse import unquote, urlparse

import requests

import ckan.lib.uploader as uploader
import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.opendata_th import localize
from ckanext.opendata_th.context import site_context
from ckanext.opendata_th.jobs import search_index
from ckanext.opendata_th.model.quality import CHECKED, FAILED, UNREADABLE, QualityReport
from ckanext.opendata_th.playbook.messages import N_, Message

log = logging.getLogger(__name__)

TIME_LIMIT_OPTION = "ckanext.opendata_th.quality.time_limit"
MAX_DOWNLOAD_OPTION = "ckanext.opendata_th.quality.max_download_mb"
DOWNLOAD_TIMEOUT_OPTION = "ckanext.opendata_th.quality.download_timeout"
_USER_AGENT = "ckanext-opendata-th quality check"
_CHUNK = 1024 * 1024
NOT_MACHINE_READABLE = "file.not_a_table"
"""The checker's finding for a PDF, a word-processor file, an image...:
a file that is not a data table."""


class FetchFailed(Exception):
    """The file could not be had; ``message`` says why."""

    def __init__(self, message: Message) -> None:
        super().__init__(message.msgid)
        self.message = message


def time_limit() -> int:
    return int(tk.config.get(TIME_LIMIT_OPTION))


def version_of(resource: Mapping[str, Any]) -> str:
    """What identifies the version of a resource's file: its URL, and what
    changes when a file is uploaded again (time, size, hash)."""
    facts = [resource.get(key) for key in ("url", "url_type", "last_modified", "size", "hash")]
    return hashlib.sha256(json.dumps(facts, default=str).encode()).hexdigest()[:32]


def checkable(resource: Mapping[str, Any]) -> bool:
    """A resource with a file or a link to check (an API endpoint is not a file)."""
    url = str(resource.get("url") or "").strip()
    return bool(url) and str(resource.get("format") or "").upper() != "API"


# -- queueing ---------------------------------------------------------------------------------

def enqueue(resource_id: str, version: str) -> None:
    tk.enqueue_job(check_resource, [resource_id, version],
                   title=f"opendata_th quality check {resource_id}",
                   rq_kwargs={"timeout": time_limit() + int(tk.config.get(DOWNLOAD_TIMEOUT_OPTION)) + 60})


def enqueue_if_changed(dataset: Mapping[str, Any]) -> None:
    """Queue a check of each resource of the (committed) dataset whose file
    changed since its last report (or that has none)."""
    resources = [r for r in dataset.get("resources") or [] if isinstance(r, Mapping) and checkable(r)]
    latest = QualityReport.latest(r["id"] for r in resources)
    for resource in resources:
        version = version_of(resource)
        report = latest.get(resource["id"])
        if report is None or report.version != version:
            enqueue(resource["id"], version)


# -- the check -----------------------------------------------------------------------------------

def check_resource(resource_id: str, version: Optional[str] = None) -> Optional[QualityReport]:
    """Check the file of a resource and keep the report. Skipped when the
    resource is gone, or its file changed since the job was queued
    (``version``; the newer version has a job of its own)."""
    try:
        resource = tk.get_action("resource_show")(site_context(), {"id": resource_id})
    except tk.ObjectNotFound:
        log.info("Quality check skipped: resource %s no longer exists", resource_id)
        return None
    current = version_of(resource)
    if version is not None and version != current:
        log.info("Quality check skipped: resource %s changed since it was queued", resource_id)
        return None
    started = time.monotonic()
    row = QualityReport(package_id=resource["package_id"], resource_id=resource_id, version=current,
                        url=resource.get("url"))
    with tempfile.TemporaryDirectory(prefix="opendata-th-quality-") as folder:
        try:
            path, name = local_copy(resource, folder)
        except FetchFailed as failure:
            row.state, row.problem = FAILED, failure.message.as_dict()
        else:
            # imported here: a worker's job process loads polars and pyarrow
            # only when it has a file to check
            from ckanext.opendata_th.quality import check_file
            from ckanext.opendata_th.quality.reading import Limits

            report = check_file(path, filename=name, limits=Limits(max_seconds=time_limit())).as_json()
            _fill(row, report)
    row.seconds = round(time.monotonic() - started, 3)
    model.Session.add(row)
    model.Session.commit()
    log.info("Quality check of resource %s: %s, %s errors, %s warnings", resource_id, row.state,
             row.errors, row.warnings)
    if row.personal_data:
        _recall_for_personal_data(resource)
    search_index.reindex(resource["package_id"])
    return row


def _fill(row: QualityReport, report: dict[str, Any]) -> None:
    counts = report.get("counts") or {}
    findings = report.get("findings") or []
    row.report = report
    row.state = CHECKED if report.get("readable") else UNREADABLE
    row.errors, row.warnings = int(counts.get("error") or 0), int(counts.get("warning") or 0)
    row.personal_data = any(str(f.get("code", "")).startswith("personal.") for f in findings)
    row.machine_readable = not any(f.get("code") == NOT_MACHINE_READABLE for f in findings)
    if not report.get("readable") and report.get("error"):
        row.problem = report["error"].get("message")


def local_copy(resource: Mapping[str, Any], folder: str) -> tuple[str, str]:
    """(path, file name) of the resource's file: the stored upload, or the
    linked file downloaded into ``folder``. Raises :class:`FetchFailed`."""
    url = str(resource.get("url") or "")
    name = unquote(os.path.basename(urlparse(url).path)) or "data"
    if resource.get("url_type") == "upload":
        path = uploader.get_resource_uploader(dict(resource)).get_path(resource["id"])
        if path and os.path.isfile(path):
            return path, name
    return _download(url, os.path.join(folder, "file"), name)


def _download(url: str, target: str, name: str) -> tuple[str, str]:
    if urlparse(url).scheme not in ("http", "https"):
        raise FetchFailed(Message(N_("The resource's link is not a web address that can be read: {url}"),
                                  url=url[:200]))
    limit = int(tk.config.get(MAX_DOWNLOAD_OPTION)) * 1024 * 1024
    timeout = float(tk.config.get(DOWNLOAD_TIMEOUT_OPTION))
    try:
        with requests.get(url, stream=True, timeout=timeout, allow_redirects=True,
                          headers={"User-Agent": _USER_AGENT}) as response:
            if response.status_code >= 400:
                raise FetchFailed(Message(N_("The file could not be downloaded: the server answered {status}"),
                                          status=response.status_code))
            written = 0
            with open(target, "wb") as out:
                for chunk in response.iter_content(_CHUNK):
                    written += len(chunk)
                    if written > limit:
                        raise FetchFailed(Message(N_(
                            "The file is larger than {limit} MB, the most this portal checks"),
                            limit=limit // (1024 * 1024)))
                    out.write(chunk)
    except requests.RequestException as error:
        raise FetchFailed(Message(N_("The file could not be downloaded: {error}"),
                                  error=type(error).__name__))
    return target, name


def _recall_for_personal_data(resource: Mapping[str, Any]) -> None:
    """A published dataset whose file holds personal data goes private at
    once and back to the approver ("recall", by the system, with the
    reason); its copy on the national portal is withdrawn too."""
    from ckanext.opendata_th import workflow as workflow_glue
    from ckanext.opendata_th.jobs import sync as sync_jobs
    from ckanext.opendata_th.playbook import workflow as rules

    package = model.Package.get(resource["package_id"])
    if package is None or package.private or package.state != "active":
        return
    reason = Message(N_("Personal data was found in the file of “{resource}”: it must not be "
                        "published (PDPA B.E. 2562)"), resource=resource.get("name") or resource["id"])
    if workflow_glue.ensure(package, None).stage == rules.PUBLISHED:
        workflow_glue.change_stage(package, "recall", user_id=None, roles=frozenset({rules.SYSTEM}),
                                   comment=localize.text(reason))
    package.private = True
    package.metadata_modified = dt.datetime.utcnow()
    model.Session.commit()
    sync_jobs.enqueue_for(package.id)
