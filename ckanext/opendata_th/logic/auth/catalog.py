"""Who may read and fill in an organization's data catalog: its members
(any capacity) read it, with its private datasets; those who may create
datasets in it (editors, admins) import; sysadmins do everything (CKAN
lets them past every auth function). Anyone else, another organization's
admin included, is refused: the catalog lists datasets not yet disclosed.
"""
from __future__ import annotations

from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan import authz

from ckanext.opendata_th import localize, people, readiness

AuthResult = dict[str, Any]


def organization(data_dict: dict[str, Any]) -> model.Group:
    """The active organization of ``organization_id`` (an id or a name), or
    ObjectNotFound (404)."""
    found = readiness.organization(data_dict.get("organization_id"))
    if found is None:
        raise tk.ObjectNotFound(localize.gettext("Organization not found"))
    return found


def opendata_th_catalog_list(context: dict[str, Any], data_dict: dict[str, Any]) -> AuthResult:
    """The organization's members read its whole catalog."""
    if people.is_member(context.get("user"), organization(data_dict).id):
        return {"success": True}
    return {"success": False, "msg": localize.gettext(
        "Only members of the organization can see its data catalog")}


def opendata_th_catalog_import(context: dict[str, Any], data_dict: dict[str, Any]) -> AuthResult:
    """Importing creates datasets: those who may create them in the
    organization (its editors and admins)."""
    user = context.get("user")
    if user and authz.has_user_permission_for_group_or_org(
            organization(data_dict).id, user, "create_dataset"):
        return {"success": True}
    return {"success": False, "msg": localize.gettext(
        "Only editors and admins of the organization can import its data catalog")}
