"""How patiently this portal calls a national catalog, harvesting or
pushing: the options ``ckanext.opendata_th.harvest.request_timeout``,
``.retries`` and ``.backoff``. (Kept apart from the harvester, which
imports ckanext-harvest: push works without that plugin.)"""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

REQUEST_TIMEOUT_OPTION = "ckanext.opendata_th.harvest.request_timeout"
RETRIES_OPTION = "ckanext.opendata_th.harvest.retries"
BACKOFF_OPTION = "ckanext.opendata_th.harvest.backoff"


def number(option: str, default: float) -> float:
    """A non-negative number option; its default when unset or not one."""
    try:
        value = float(tk.config.get(option, default))
    except (TypeError, ValueError):
        return default
    return value if value >= 0 else default


def patience() -> dict[str, Any]:
    """The timeout, retries and back-off of a ``RemoteCatalog``."""
    return {"timeout": number(REQUEST_TIMEOUT_OPTION, 30.0),
            "retries": int(number(RETRIES_OPTION, 3)),
            "backoff": number(BACKOFF_OPTION, 1.0)}
