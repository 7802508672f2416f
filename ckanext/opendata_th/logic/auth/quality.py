"""Who may read a resource's data-quality report and ask for a new check."""
from __future__ import annotations

from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk

AuthResult = dict[str, Any]


def _allowed(action: str, context: dict[str, Any], data_dict: dict[str, Any]) -> AuthResult:
    try:
        tk.check_access(action, context, data_dict)
    except tk.NotAuthorized:
        return {"success": False}
    return {"success": True}


@tk.auth_allow_anonymous_access
def opendata_th_quality_report_show(context: dict[str, Any], data_dict: dict[str, Any]) -> AuthResult:
    """Whoever may see the resource (its dataset) may see its report."""
    return _allowed("resource_show", context, {"id": data_dict.get("resource_id")})


def opendata_th_quality_check(context: dict[str, Any], data_dict: dict[str, Any]) -> AuthResult:
    """Asking for a new check needs the right to edit the resource's dataset."""
    resource = model.Resource.get(str(data_dict.get("resource_id") or ""))
    if resource is None:
        return {"success": False}
    return _allowed("package_update", context, {"id": resource.package_id})
