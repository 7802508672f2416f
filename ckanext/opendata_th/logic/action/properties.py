"""The ten properties of open data and the link checks behind "permanent"."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.opendata_th.jobs import link_check
from ckanext.opendata_th.logic import schema


@tk.side_effect_free
@tk.validate(schema.dataset_id)
def opendata_th_properties_show(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """How a dataset stands against the ten properties of open data.

    Reads only: link evidence comes from the latest recorded checks (run one
    with ``opendata_th_link_check``).

    :param id: the dataset id or name
    :returns: ``{"score": n, "total": 10, "properties": [...], "due_date": ...,
        "overdue": ..., "schedule": ..., "last_update": {...}}``. Each property
        has its ``key``, ``name``, ``status`` (met, not_met, needs_attestation:
        not yet assessed), ``evidence`` and ``advice`` (None when met) with
        ``advice_for`` ("publisher" or "sysadmin"). Each text is
        ``{"id": <English message id>, "params": {...}, "text": <in the
        request's language>}``: Thai by default, English for ``/en/api/...``
        or ``Accept-Language: en``; ``id`` and ``params`` are the same in
        every language, for programs.
    """
    tk.check_access("opendata_th_properties_show", context, data_dict)
    dataset = tk.get_action("package_show")(dict(context), {"id": data_dict["id"]})
    return {**dataset["opendata_properties"], "due_date": dataset["opendata_due_date"],
            "overdue": dataset["opendata_overdue"], "schedule": dataset["opendata_schedule"],
            "last_update": dataset["opendata_last_update"]}


@tk.validate(schema.dataset_id)
def opendata_th_link_check(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """Check now that each linked resource of a dataset answers, record the
    answers, and return the dataset's updated ten-property assessment.
    POST only; needs the right to edit the dataset.

    :param id: the dataset id or name
    :returns: ``{"checks": [{"resource_id", "url", "ok", "status_code",
        "error"}], "properties": <as opendata_th_properties_show>}``
    """
    tk.check_access("opendata_th_link_check", context, data_dict)
    dataset = tk.get_action("package_show")(dict(context), {"id": data_dict["id"]})
    records = link_check.check_dataset_links(dataset["id"])
    checks = [{"resource_id": r.resource_id, "url": r.url, "ok": r.ok,
               "status_code": r.status_code, "error": r.error} for r in records]
    shown = tk.get_action("opendata_th_properties_show")(dict(context), {"id": dataset["id"]})
    return {"checks": checks, "properties": shown}
