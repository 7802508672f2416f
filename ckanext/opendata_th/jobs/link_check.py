"""Checks that resource links answer (evidence for the "permanent" property).

Runs as a background job after a dataset's resources change (queued after
commit by :mod:`..subscriptions`), from ``ckan opendata-th check-links``, and
on demand through the ``opendata_th_link_check`` action. Each check is kept.
"""
from __future__ import annotations

import logging
from typing import Any

import requests

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.opendata_th.context import site_context
from ckanext.opendata_th.jobs import search_index
from ckanext.opendata_th.model import LinkCheck

log = logging.getLogger(__name__)

_USER_AGENT = "ckanext-opendata-th link check"


def check_url(url: str, timeout: float) -> tuple[bool, int | None, str | None]:
    """(answered, HTTP status, error). HEAD first; servers that refuse HEAD
    (any 4xx/5xx) get a GET, whose answer counts. Network errors, timeouts and
    refused connections are failures with the error text."""
    headers = {"User-Agent": _USER_AGENT}
    try:
        response = requests.head(url, timeout=timeout, allow_redirects=True, headers=headers)
        if response.status_code >= 400:
            response = requests.get(url, timeout=timeout, stream=True, allow_redirects=True,
                                    headers=headers)
            response.close()
        return response.status_code < 400, response.status_code, None
    except requests.RequestException as error:
        return False, None, str(error)[:500]


def linked_resources(dataset: dict[str, Any]) -> list[dict[str, Any]]:
    """The resources that are links (not files uploaded to the portal)."""
    return [r for r in dataset.get("resources") or []
            if r.get("url") and r.get("url_type") != "upload"]


def check_dataset_links(package_id: str) -> list[LinkCheck]:
    """Check every linked resource of a dataset and record each answer.
    A dataset deleted or purged since the job was queued is skipped."""
    try:
        dataset = tk.get_action("package_show")(site_context(), {"id": package_id})
    except tk.ObjectNotFound:
        log.info("Link check skipped: dataset %s no longer exists", package_id)
        return []
    if dataset.get("state") == "deleted":
        log.info("Link check skipped: dataset %s is deleted", package_id)
        return []
    timeout = tk.config.get("ckanext.opendata_th.link_check.timeout")
    records = []
    for resource in linked_resources(dataset):
        ok, status, error = check_url(resource["url"], timeout)
        record = LinkCheck(package_id=dataset["id"], resource_id=resource["id"],
                           url=resource["url"], ok=ok, status_code=status, error=error)
        model.Session.add(record)
        records.append(record)
        log.info("Link check %s %s: %s", resource["id"], resource["url"], status or error)
    model.Session.commit()
    if records:  # search results carry the assessment made at indexing
        search_index.reindex(dataset["id"])
    return records


def enqueue(package_id: str) -> None:
    """Queue a link check of one dataset."""
    tk.enqueue_job(check_dataset_links, [package_id],
                   title=f"opendata_th link check {package_id}")


def enqueue_if_linked(dataset: dict[str, Any]) -> None:
    """Queue a check when the (committed) dataset has linked resources."""
    if linked_resources(dataset):
        enqueue(dataset["id"])
