"""Who may see and run the drift report (are the copies on the national
portal identical?): the organization's admins and sysadmins (CKAN lets
sysadmins past every auth function). Editors, members, anonymous visitors
and other organizations' admins are refused: the report names the remote
catalogs and their failures, and running it calls them, which is the
organization's publishing business.
"""
from __future__ import annotations

from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.opendata_th import localize, people, readiness

AuthResult = dict[str, Any]


def organization(data_dict: dict[str, Any]) -> model.Group:
    """The active organization of ``organization_id`` (an id or a name), or
    ObjectNotFound (404)."""
    found = readiness.organization(data_dict.get("organization_id"))
    if found is None:
        raise tk.ObjectNotFound(localize.gettext("Organization not found"))
    return found


def dataset(data_dict: dict[str, Any]) -> model.Package:
    """The active dataset of ``id`` (an id or a name), or ObjectNotFound (404)."""
    id_or_name = data_dict.get("id")
    package = model.Package.get(id_or_name) if isinstance(id_or_name, str) and id_or_name else None
    if package is None or package.state != "active" or package.type != "dataset":
        raise tk.ObjectNotFound(localize.gettext("Dataset not found"))
    return package


def _admins_only(organization_id: str | None, context: dict[str, Any]) -> AuthResult:
    if organization_id and people.is_admin(context.get("user"), organization_id):
        return {"success": True}
    return {"success": False, "msg": localize.gettext(
        "Only the organization's admins can see and run the comparison with the national portal")}


def opendata_th_sync_diff_list(context: dict[str, Any], data_dict: dict[str, Any]) -> AuthResult:
    """The organization's admins read its stored drift report."""
    return _admins_only(organization(data_dict).id, context)


def opendata_th_sync_diff_organization(context: dict[str, Any], data_dict: dict[str, Any]) -> AuthResult:
    """The organization's admins compare its published datasets now."""
    return _admins_only(organization(data_dict).id, context)


def opendata_th_sync_diff(context: dict[str, Any], data_dict: dict[str, Any]) -> AuthResult:
    """The admins of the dataset's organization compare it now."""
    return _admins_only(dataset(data_dict).owner_org, context)
