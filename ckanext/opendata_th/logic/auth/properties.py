"""Who may see a dataset's assessment and run its link check."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk


def _allowed(action: str, context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, bool]:
    try:
        tk.check_access(action, context, {"id": data_dict.get("id")})
    except tk.NotAuthorized:
        return {"success": False}
    return {"success": True}


@tk.auth_allow_anonymous_access
def opendata_th_properties_show(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, bool]:
    """Whoever may see the dataset may see how it meets the ten properties."""
    return _allowed("package_show", context, data_dict)


def opendata_th_link_check(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, bool]:
    """Running a live link check needs the right to edit the dataset."""
    return _allowed("package_update", context, data_dict)
