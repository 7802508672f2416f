"""Who may convert a resource's file to CSV and review the result: the
dataset's editors only. A conversion is a draft of new resources; even a
public dataset's conversions are not shown to its readers, and a private
dataset's never to anyone outside its editors."""
from __future__ import annotations

from typing import Any, Optional

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.opendata_th.model.conversion import Conversion

AuthResult = dict[str, Any]


def _may_edit(context: dict[str, Any], package_id: Optional[str]) -> AuthResult:
    if not package_id:
        return {"success": False}
    try:
        tk.check_access("package_update", context, {"id": package_id})
    except (tk.NotAuthorized, tk.ObjectNotFound):
        return {"success": False}
    return {"success": True}


def _of_conversion(context: dict[str, Any], data_dict: dict[str, Any]) -> AuthResult:
    row = Conversion.get(str(data_dict.get("id") or ""))
    return _may_edit(context, row.package_id if row is not None else None)


def opendata_th_resource_convert(context: dict[str, Any], data_dict: dict[str, Any]) -> AuthResult:
    """Converting a resource's file needs the right to edit its dataset."""
    resource = model.Resource.get(str(data_dict.get("resource_id") or ""))
    return _may_edit(context, resource.package_id if resource is not None else None)


def opendata_th_conversion_show(context: dict[str, Any], data_dict: dict[str, Any]) -> AuthResult:
    """Reviewing a conversion needs the right to edit its dataset."""
    return _of_conversion(context, data_dict)


def opendata_th_conversion_accept(context: dict[str, Any], data_dict: dict[str, Any]) -> AuthResult:
    """Adding a converted CSV to the dataset needs the right to edit it."""
    return _of_conversion(context, data_dict)


def opendata_th_conversion_discard(context: dict[str, Any], data_dict: dict[str, Any]) -> AuthResult:
    """Discarding a converted CSV needs the right to edit its dataset."""
    return _of_conversion(context, data_dict)
