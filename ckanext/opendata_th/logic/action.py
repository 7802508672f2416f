"""Actions of the ``opendata_th`` plugin (``/api/3/action/opendata_th_*``)."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.opendata_th import linkcheck, status
from ckanext.opendata_th.logic import schema

__all__ = ["opendata_th_properties_show"]


@tk.side_effect_free
@tk.validate(schema.properties_show)
def opendata_th_properties_show(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """How a dataset stands against the ten properties of open data.

    :param id: the dataset id or name
    :param check_links: check now that each linked resource answers (needs
        the right to edit the dataset); otherwise the latest checks are used
    :returns: ``{"score": n, "total": 10, "properties": [...],
        "due_date": ..., "overdue": ...}``, each property with its status
        (met, not_met, needs_attestation), evidence and advice in Thai and
        English
    """
    tk.check_access("opendata_th_properties_show", context, data_dict)
    dataset = tk.get_action("package_show")(dict(context), {"id": data_dict["id"]})
    if data_dict["check_links"]:
        linkcheck.check_package_links(dataset["id"])
        status.annotate(dataset)
    return {**dataset["opendata_properties"], "due_date": dataset["opendata_due_date"],
            "overdue": dataset["opendata_overdue"]}
