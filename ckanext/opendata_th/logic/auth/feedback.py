"""Who may send, read and moderate feedback.

Anyone, without an account, sends feedback on a published dataset and
reads the items shown on it. The editors and admins of the dataset's
organization (and sysadmins) moderate: they see every item, with the
reporter's e-mail address, and take the moderation steps. A dataset that
is not published has no feedback for anyone else: the refusal is CKAN's own
for a dataset the user may not read (403), or says the dataset is not
published to those who may read it.

Unknown datasets, organizations and items raise ObjectNotFound (404), as
CKAN's own auth functions do. Sysadmins pass (CKAN answers for them before
these run); the actions refuse what nobody may do (feedback on a dataset
that is not published).
"""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.opendata_th import feedback as glue
from ckanext.opendata_th import localize, people, readiness
from ckanext.opendata_th.playbook import feedback as rules
from ckanext.opendata_th.playbook.messages import N_

AuthResult = dict[str, Any]


def _dataset(data_dict: dict[str, Any]):
    found = glue.dataset(data_dict.get("package_id"))
    if found is None:
        raise tk.ObjectNotFound(localize.gettext("Dataset not found"))
    return found


def _unreadable(user: str, package) -> AuthResult:
    """CKAN's own refusal of a dataset the user may not read."""
    return {"success": False, "msg": localize.gettext("User %s not authorized to read package %s")
            % (user or "", package.id)}


def _public_reader(context: dict[str, Any], package, refusal: str) -> AuthResult:
    """Moderators, and whoever may read the dataset when it is published."""
    user = context.get("user") or ""
    if people.is_editor(user, package.owner_org):
        return {"success": True}
    if not glue.may_read(user, package):
        return _unreadable(user, package)
    if not glue.is_public(package):
        return {"success": False, "msg": localize.gettext(refusal)}
    return {"success": True}


@tk.auth_allow_anonymous_access
def opendata_th_feedback_create(context: dict[str, Any], data_dict: dict[str, Any]) -> AuthResult:
    """Anyone, on a published dataset."""
    package = _dataset(data_dict)
    user = context.get("user") or ""
    if not glue.may_read(user, package):
        return _unreadable(user, package)
    if not glue.is_public(package):
        return {"success": False, "msg": localize.gettext("Feedback can be sent only on published datasets")}
    return {"success": True}


@tk.auth_allow_anonymous_access
def opendata_th_feedback_list(context: dict[str, Any], data_dict: dict[str, Any]) -> AuthResult:
    """A dataset's: anyone when it is published (the action shows them only
    the items shown), its organization's editors always. An
    organization's (the moderation queue): its editors."""
    if data_dict.get("organization_id"):
        organization = readiness.organization(data_dict.get("organization_id"))
        if organization is None:
            raise tk.ObjectNotFound(localize.gettext("Organization not found"))
        if people.is_editor(context.get("user"), organization.id):
            return {"success": True}
        return {"success": False, "msg": localize.gettext(
            "Only the editors of the organization can see its feedback queue")}
    return _public_reader(context, _dataset(data_dict), N_("Feedback is shown only on published datasets"))


@tk.auth_allow_anonymous_access
def opendata_th_feedback_show(context: dict[str, Any], data_dict: dict[str, Any]) -> AuthResult:
    """An item shown on a published dataset: anyone; any item: the editors
    of the dataset's organization. Others are told it is not found."""
    found = glue.item(data_dict.get("id"))
    package = glue.dataset(found.package_id) if found is not None else None
    if found is None or package is None:
        raise tk.ObjectNotFound(localize.gettext("Feedback not found"))
    allowed = _public_reader(context, package, N_("Feedback is shown only on published datasets"))
    if not allowed["success"]:
        return allowed
    if found.visibility != rules.VISIBLE and not people.is_editor(context.get("user"), package.owner_org):
        raise tk.ObjectNotFound(localize.gettext("Feedback not found"))
    return allowed


@tk.auth_allow_anonymous_access
def opendata_th_feedback_counts(context: dict[str, Any], data_dict: dict[str, Any]) -> AuthResult:
    """An organization's: its members. A dataset's: whoever may read its feedback."""
    if data_dict.get("organization_id"):
        organization = readiness.organization(data_dict.get("organization_id"))
        if organization is None:
            raise tk.ObjectNotFound(localize.gettext("Organization not found"))
        if people.is_member(context.get("user"), organization.id):
            return {"success": True}
        return {"success": False, "msg": localize.gettext(
            "Only the members of the organization can see its feedback figures")}
    return _public_reader(context, _dataset(data_dict), N_("Feedback is shown only on published datasets"))


def _moderators(context: dict[str, Any], data_dict: dict[str, Any]) -> AuthResult:
    found = glue.item(data_dict.get("id"))
    package = glue.dataset(found.package_id) if found is not None else None
    if found is None or package is None:
        raise tk.ObjectNotFound(localize.gettext("Feedback not found"))
    if people.is_editor(context.get("user"), package.owner_org):
        return {"success": True}
    return {"success": False, "msg": localize.gettext(
        "Only the editors of the dataset's organization can moderate its feedback")}


def opendata_th_feedback_approve(context: dict[str, Any], data_dict: dict[str, Any]) -> AuthResult:
    """The editors of the dataset's organization."""
    return _moderators(context, data_dict)


def opendata_th_feedback_answer(context: dict[str, Any], data_dict: dict[str, Any]) -> AuthResult:
    """The editors of the dataset's organization."""
    return _moderators(context, data_dict)


def opendata_th_feedback_resolve(context: dict[str, Any], data_dict: dict[str, Any]) -> AuthResult:
    """The editors of the dataset's organization."""
    return _moderators(context, data_dict)


def opendata_th_feedback_reopen(context: dict[str, Any], data_dict: dict[str, Any]) -> AuthResult:
    """The editors of the dataset's organization."""
    return _moderators(context, data_dict)


def opendata_th_feedback_hold(context: dict[str, Any], data_dict: dict[str, Any]) -> AuthResult:
    """The editors of the dataset's organization."""
    return _moderators(context, data_dict)


def opendata_th_feedback_hide(context: dict[str, Any], data_dict: dict[str, Any]) -> AuthResult:
    """The editors of the dataset's organization."""
    return _moderators(context, data_dict)
