"""Who may read and run a dataset's disclosure workflow: the members of its
organization read it (even for a public dataset: the reasons and answers are
internal), the people who may edit the dataset act on it; which steps each
one may take (approving is for approvers) is the state machine's part, in
the action. Sysadmins pass (CKAN answers for them before these run).

Unknown or deleted datasets and organizations raise ObjectNotFound (404), as
CKAN's own auth functions do.
"""
from __future__ import annotations

from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.opendata_th import localize, people, readiness, workflow

AuthResult = dict[str, Any]


def _dataset(data_dict: dict[str, Any]) -> model.Package:
    found = workflow.dataset(data_dict.get("id"))
    if found is None:
        raise tk.ObjectNotFound(localize.gettext("Dataset not found"))
    return found


def _readers(data_dict: dict[str, Any], context: dict[str, Any]) -> AuthResult:
    package = _dataset(data_dict)
    user = context.get("user")
    if people.is_member(user, package.owner_org) or workflow.may_edit(user, package):
        return {"success": True}
    return {"success": False, "msg": localize.gettext(
        "Only members of the dataset's organization can see its disclosure workflow")}


def _editors(data_dict: dict[str, Any], context: dict[str, Any]) -> AuthResult:
    package = _dataset(data_dict)
    if workflow.may_edit(context.get("user"), package):
        return {"success": True}
    return {"success": False, "msg": localize.gettext(
        "Only editors of the dataset can change its disclosure workflow")}


def opendata_th_workflow_show(context: dict[str, Any], data_dict: dict[str, Any]) -> AuthResult:
    """Members of the dataset's organization (and its other editors)."""
    return _readers(data_dict, context)


def opendata_th_workflow_history(context: dict[str, Any], data_dict: dict[str, Any]) -> AuthResult:
    """Members of the dataset's organization (and its other editors)."""
    return _readers(data_dict, context)


def opendata_th_transition(context: dict[str, Any], data_dict: dict[str, Any]) -> AuthResult:
    """People who may update the dataset; the action asks the state machine
    whether their role allows the step (approving: approvers only)."""
    return _editors(data_dict, context)


def opendata_th_select(context: dict[str, Any], data_dict: dict[str, Any]) -> AuthResult:
    """People who may update the dataset."""
    return _editors(data_dict, context)


def opendata_th_prioritise(context: dict[str, Any], data_dict: dict[str, Any]) -> AuthResult:
    """People who may update the dataset."""
    return _editors(data_dict, context)


def opendata_th_classify(context: dict[str, Any], data_dict: dict[str, Any]) -> AuthResult:
    """People who may update the dataset."""
    return _editors(data_dict, context)


@tk.auth_allow_anonymous_access
def opendata_th_classification_schema_show(context: dict[str, Any], data_dict: dict[str, Any]) -> AuthResult:
    """The decision tree is the law: public."""
    return {"success": True}


def opendata_th_priority_list(context: dict[str, Any], data_dict: dict[str, Any]) -> AuthResult:
    """Members of the organization."""
    organization = readiness.organization(data_dict.get("organization_id"))
    if organization is None:
        raise tk.ObjectNotFound(localize.gettext("Organization not found"))
    if people.is_member(context.get("user"), organization.id):
        return {"success": True}
    return {"success": False, "msg": localize.gettext(
        "Only members of the organization can see its priority list")}


def opendata_th_approval_queue(context: dict[str, Any], data_dict: dict[str, Any]) -> AuthResult:
    """Logged-in users; each sees only what they may approve."""
    user = context.get("user")
    if user and model.User.get(user) is not None:
        return {"success": True}
    return {"success": False, "msg": localize.gettext(
        "Log in to see the datasets waiting for your approval")}
