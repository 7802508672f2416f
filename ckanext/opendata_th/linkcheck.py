"""Checks that resource URLs answer (evidence for the "permanent" property).

Runs as a CKAN background job after a resource is created or changed, and
from ``ckan opendata-th check-links``. Each check is kept as a record.
"""
from __future__ import annotations

import logging
from typing import Any

import requests

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.opendata_th.model import LinkCheck

log = logging.getLogger(__name__)


def check_url(url: str, timeout: float) -> tuple[bool, int | None, str | None]:
    """(answered, HTTP status, error): HEAD first, GET when HEAD is refused."""
    try:
        response = requests.head(url, timeout=timeout, allow_redirects=True)
        if response.status_code in (405, 501) or response.status_code >= 400:
            response = requests.get(url, timeout=timeout, stream=True, allow_redirects=True)
            response.close()
        return response.status_code < 400, response.status_code, None
    except requests.RequestException as error:
        return False, None, str(error)[:500]


def check_package_links(package_id: str) -> list[LinkCheck]:
    """Check every linked (not uploaded) resource of a dataset and record it."""
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    dataset = tk.get_action("package_show")(
        {"user": site_user["name"], "ignore_auth": True}, {"id": package_id})
    timeout = tk.config.get("ckanext.opendata_th.link_check.timeout")
    records = []
    for resource in dataset.get("resources", []):
        if resource.get("url_type") == "upload" or not resource.get("url"):
            continue
        ok, status, error = check_url(resource["url"], timeout)
        record = LinkCheck(package_id=dataset["id"], resource_id=resource["id"],
                           url=resource["url"], ok=ok, status_code=status, error=error)
        model.Session.add(record)
        records.append(record)
        log.info("Link check %s %s: %s", resource["id"], resource["url"], status or error)
    model.Session.commit()
    return records


def enqueue(package_id: str) -> None:
    tk.enqueue_job(check_package_links, [package_id],
                   title=f"opendata_th link check {package_id}")


def enqueue_if_linked(pkg_dict: dict[str, Any]) -> None:
    """Queue a check when the dataset has resources that are links."""
    if any(r.get("url") and r.get("url_type") != "upload"
           for r in pkg_dict.get("resources") or []):
        enqueue(pkg_dict["id"])
