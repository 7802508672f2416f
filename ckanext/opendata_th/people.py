"""Who a user is to the portal: the account behind a name, and its place
in an organization. One set of answers for the auth functions, the actions
and the views (member, editor, admin), so that every feature decides the
same way.

A decision about what someone may do now asks for an active account
(:func:`active_user`): a deleted or pending one may do nothing, whatever
memberships it kept. A record of who did something names the account
whatever its state (:func:`user_object`).
"""
from __future__ import annotations

from typing import Optional, Union

import flask

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan import authz

UserRef = Union[str, model.User, None]
"""A user name or id, an account, or no one."""


def user_object(user: UserRef) -> Optional[model.User]:
    """The account of a user name or id (or the account itself), whatever
    its state; None for no one or an unknown name. The signed-in user of
    the request is the account already loaded (a page asks several times)."""
    if isinstance(user, model.User):
        return user
    if not isinstance(user, str) or not user:
        return None
    signed_in = _signed_in()
    if signed_in is not None and user in (signed_in.name, signed_in.id):
        return signed_in
    return model.User.get(user)


def _signed_in() -> Optional[model.User]:
    """The account of the request's signed-in user, if any."""
    if not flask.has_request_context():
        return None
    current = getattr(tk.current_user, "_get_current_object", lambda: None)()
    return current if isinstance(current, model.User) and current.is_authenticated else None


def active_user(user: UserRef) -> Optional[model.User]:
    """The account, only when it is active."""
    found = user_object(user)
    return found if found is not None and found.state == "active" else None


def is_member(user: UserRef, organization_id: Optional[str]) -> bool:
    """Sysadmins and the organization's members in any capacity."""
    return _has(user, organization_id, "read")


def is_editor(user: UserRef, organization_id: Optional[str]) -> bool:
    """Sysadmins and the organization's editors and admins (who may update
    its datasets)."""
    return _has(user, organization_id, "update_dataset")


def is_admin(user: UserRef, organization_id: Optional[str]) -> bool:
    """Sysadmins and the organization's admins."""
    return _has(user, organization_id, "admin")


def _has(user: UserRef, organization_id: Optional[str], permission: str) -> bool:
    """Whether the active account holds ``permission`` (one of CKAN's role
    permissions: "read" is a member's, "update_dataset" an editor's, "admin"
    an admin's) in the organization; sysadmins hold every one."""
    found = active_user(user)
    if found is None:
        return False
    if found.sysadmin:
        return True
    return bool(organization_id) and authz.has_user_permission_for_group_or_org(
        organization_id, found.name, permission)
