"""Who may see the dashboard, the yearly report and the targets: an
organization's members see its figures and targets, its admins set the
targets; the portal-wide figures are for sysadmins (CKAN lets them past
every auth function). Unknown organizations are 404, as in CKAN."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.opendata_th import localize, people, readiness

AuthResult = dict[str, Any]


def _organization_id(data_dict: dict[str, Any]) -> str:
    found = readiness.organization(data_dict.get("organization"))
    if found is None:
        raise tk.ObjectNotFound(localize.gettext("Organization not found"))
    return found.id


def _members(data_dict: dict[str, Any], context: dict[str, Any]) -> AuthResult:
    if not data_dict.get("organization"):
        return {"success": False, "msg": localize.gettext(
            "Only sysadmins can see the figures of the whole portal")}
    if people.is_member(context.get("user"), _organization_id(data_dict)):
        return {"success": True}
    return {"success": False, "msg": localize.gettext(
        "Only members of the organization can see its dashboard")}


def opendata_th_dashboard_show(context: dict[str, Any], data_dict: dict[str, Any]) -> AuthResult:
    """The organization's members; the whole portal: sysadmins."""
    return _members(data_dict, context)


def opendata_th_yearly_report_show(context: dict[str, Any], data_dict: dict[str, Any]) -> AuthResult:
    """As the dashboard."""
    return _members(data_dict, context)


def opendata_th_target_show(context: dict[str, Any], data_dict: dict[str, Any]) -> AuthResult:
    """The organization's members."""
    return _members(data_dict, context)


def opendata_th_target_update(context: dict[str, Any], data_dict: dict[str, Any]) -> AuthResult:
    """The organization's admins."""
    if people.is_admin(context.get("user"), _organization_id(data_dict)):
        return {"success": True}
    return {"success": False, "msg": localize.gettext(
        "Only admins of the organization can set its yearly targets")}
