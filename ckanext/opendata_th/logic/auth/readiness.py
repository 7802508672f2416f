"""Who may read and write readiness assessments: the organization's members
read, its admins write, sysadmins do everything (CKAN lets them past every
auth function); anyone else sees only a published summary.

Unknown or deleted organizations and unknown files raise ObjectNotFound
(404), as CKAN's own auth functions do.
"""
from __future__ import annotations

from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.opendata_th import localize, people, readiness
from ckanext.opendata_th.playbook import readiness as rules

AuthResult = dict[str, Any]


def _organization(data_dict: dict[str, Any]) -> model.Group:
    found = readiness.organization(data_dict.get("organization"))
    if found is None:
        raise tk.ObjectNotFound(localize.gettext("Organization not found"))
    return found


def _file_organization_id(data_dict: dict[str, Any]) -> str:
    found = readiness.readiness_file(data_dict.get("id"))
    organization_id = found and readiness.file_organization_id(found)
    if not organization_id or readiness.organization(organization_id) is None:
        raise tk.ObjectNotFound(localize.gettext("File not found"))
    return organization_id


def _members(organization_id: str, context: dict[str, Any]) -> AuthResult:
    if people.is_member(context.get("user"), organization_id):
        return {"success": True}
    return {"success": False, "msg": localize.gettext(
        "Only members of the organization can see its readiness assessment")}


def _admins(organization_id: str, context: dict[str, Any]) -> AuthResult:
    if people.is_admin(context.get("user"), organization_id):
        return {"success": True}
    return {"success": False, "msg": localize.gettext(
        "Only admins of the organization can change its readiness assessment")}


def _sysadmins() -> AuthResult:
    # CKAN answers for sysadmins before calling an auth function
    return {"success": False, "msg": localize.gettext(
        "Only sysadmins can see the readiness of every organization")}


@tk.auth_allow_anonymous_access
def opendata_th_readiness_schema_show(context: dict[str, Any], data_dict: dict[str, Any]) -> AuthResult:
    """The questionnaire is public."""
    return {"success": True}


@tk.auth_allow_anonymous_access
def opendata_th_readiness_show(context: dict[str, Any], data_dict: dict[str, Any]) -> AuthResult:
    """Members see the whole assessment; anyone sees a published one's
    summary."""
    organization = _organization(data_dict)
    if people.is_member(context.get("user"), organization.id):
        return {"success": True}
    try:
        year = rules.parse_fiscal_year(data_dict.get("fiscal_year") or readiness.current_fiscal_year(),
                                       readiness.current_fiscal_year())
    except rules.ReadinessInputError:
        year = None
    found = readiness.assessment(organization.id, year) if year is not None else None
    if found is not None and found.published:
        return {"success": True}
    return {"success": False, "msg": localize.gettext(
        "This readiness assessment is not published: only members of the organization can see it")}


@tk.auth_allow_anonymous_access
def opendata_th_readiness_list(context: dict[str, Any], data_dict: dict[str, Any]) -> AuthResult:
    """One organization's years: anyone (non-members get the published
    ones only). Every organization: sysadmins."""
    if data_dict.get("organization"):
        _organization(data_dict)
        return {"success": True}
    return _sysadmins()


def opendata_th_readiness_update(context: dict[str, Any], data_dict: dict[str, Any]) -> AuthResult:
    """The organization's admins fill in and publish its assessment."""
    return _admins(_organization(data_dict).id, context)


def opendata_th_readiness_history(context: dict[str, Any], data_dict: dict[str, Any]) -> AuthResult:
    """Members read who changed what."""
    return _members(_organization(data_dict).id, context)


def opendata_th_readiness_copy_forward(context: dict[str, Any], data_dict: dict[str, Any]) -> AuthResult:
    """Starting a new year from an earlier one is writing: admins."""
    return _admins(_organization(data_dict).id, context)


def opendata_th_readiness_file_upload(context: dict[str, Any], data_dict: dict[str, Any]) -> AuthResult:
    """Evidence files are added by the organization's admins."""
    return _admins(_organization(data_dict).id, context)


def opendata_th_readiness_file_delete(context: dict[str, Any], data_dict: dict[str, Any]) -> AuthResult:
    """Admins of the organization whose assessment holds the file."""
    return _admins(_file_organization_id(data_dict), context)


def opendata_th_readiness_file_download(context: dict[str, Any], data_dict: dict[str, Any]) -> AuthResult:
    """Evidence files are never public: members of the file's organization."""
    return _members(_file_organization_id(data_dict), context)


def opendata_th_readiness_overdue_actions(context: dict[str, Any], data_dict: dict[str, Any]) -> AuthResult:
    """One organization's overdue actions: its members. Every
    organization's: sysadmins."""
    if data_dict.get("organization"):
        return _members(_organization(data_dict).id, context)
    return _sysadmins()
