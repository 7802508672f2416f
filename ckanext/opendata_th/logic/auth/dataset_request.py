"""Who may do what with dataset requests.

Anyone, without an account, asks for a dataset and reads every request
with its status and history (the requester's name and e-mail are shown
only to those who triage it). The admins of the organization a request is
addressed to triage it; sysadmins triage every request (CKAN lets them past
these functions), also the unassigned ones, and they alone assign a request
to an organization. The requester answers a question with the secret link
of their request, or, when they asked while logged in, with their account.

Unknown requests raise ObjectNotFound (404).
"""
from __future__ import annotations

import hmac
from typing import Any, Optional

import ckan.plugins.toolkit as tk

from ckanext.opendata_th import localize, people
from ckanext.opendata_th.model.dataset_request import DatasetRequest

AuthResult = dict[str, Any]


def request_or_404(data_dict: dict[str, Any]) -> DatasetRequest:
    """The request of ``id``, or ObjectNotFound (404)."""
    found = DatasetRequest.get(data_dict.get("id"))
    if found is None:
        raise tk.ObjectNotFound(localize.gettext("Dataset request not found"))
    return found


def may_triage(user_name: Optional[str], organization_id: Optional[str]) -> bool:
    """Whether the user triages requests addressed to this organization
    (None: not assigned yet): sysadmins always, the organization's admins
    for its own."""
    return people.is_admin(user_name, organization_id)


def is_requester(user_name: Optional[str], found: DatasetRequest) -> bool:
    """Whether the user is the account that made the request."""
    user = people.active_user(user_name)
    return user is not None and found.requester_user_id == user.id


def key_matches(found: DatasetRequest, key: object) -> bool:
    """Whether ``key`` is the secret of the request's reply link."""
    return isinstance(key, str) and bool(key) and len(key) <= 200 and hmac.compare_digest(
        key.encode("utf-8"), (found.reply_key or "").encode("utf-8"))


@tk.auth_allow_anonymous_access
def opendata_th_request_create(context: dict[str, Any], data_dict: dict[str, Any]) -> AuthResult:
    """Anyone: open data must not require registering."""
    return {"success": True}


@tk.auth_allow_anonymous_access
def opendata_th_request_list(context: dict[str, Any], data_dict: dict[str, Any]) -> AuthResult:
    """Anyone: requests are listed publicly with their status."""
    return {"success": True}


@tk.auth_allow_anonymous_access
def opendata_th_request_show(context: dict[str, Any], data_dict: dict[str, Any]) -> AuthResult:
    """Anyone (the requester's name and e-mail only for those who triage)."""
    request_or_404(data_dict)
    return {"success": True}


@tk.auth_allow_anonymous_access
def opendata_th_request_schema_show(context: dict[str, Any], data_dict: dict[str, Any]) -> AuthResult:
    """Anyone: the states, decisions and reasons are public."""
    return {"success": True}


def opendata_th_request_triage(context: dict[str, Any], data_dict: dict[str, Any]) -> AuthResult:
    """The admins of the request's organization (sysadmins: every request)."""
    found = request_or_404(data_dict)
    if may_triage(context.get("user"), found.organization_id):
        return {"success": True}
    if not found.organization_id:
        return {"success": False, "msg": localize.gettext(
            "Only sysadmins can decide on a request that is not addressed to an organization")}
    return {"success": False, "msg": localize.gettext(
        "Only the admins of the organization the request is addressed to can decide on it")}


def opendata_th_request_assign(context: dict[str, Any], data_dict: dict[str, Any]) -> AuthResult:
    """Sysadmins only (CKAN lets them past before this runs)."""
    request_or_404(data_dict)
    return {"success": False, "msg": localize.gettext(
        "Only sysadmins can address a request to an organization")}


@tk.auth_allow_anonymous_access
def opendata_th_request_reply(context: dict[str, Any], data_dict: dict[str, Any]) -> AuthResult:
    """The requester: with the secret ``key`` of the request's link, or
    logged in with the account that asked."""
    found = request_or_404(data_dict)
    if key_matches(found, data_dict.get("key")) or is_requester(context.get("user"), found):
        return {"success": True}
    return {"success": False, "msg": localize.gettext(
        "Only the person who made the request can answer, with the link they were given")}
