"""Auth functions of the ``opendata_th`` actions."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

__all__ = ["opendata_th_properties_show"]


@tk.auth_allow_anonymous_access
def opendata_th_properties_show(context: dict[str, Any], data_dict: dict[str, Any]):
    """Whoever may see the dataset may see how it meets the ten properties;
    running a live link check needs the right to edit it."""
    action = "package_update" if tk.asbool(data_dict.get("check_links")) else "package_show"
    try:
        tk.check_access(action, context, {"id": data_dict.get("id")})
    except tk.NotAuthorized:
        return {"success": False}
    return {"success": True}
