"""Who may ask for a suggested web address."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan.types import AuthResult, Context, DataDict

from ckanext.opendata_th.logic.action.names import CREATE_ACTIONS


def opendata_th_name_suggest(context: Context, data_dict: DataDict) -> AuthResult:
    """Only those who may create the kind of object asked about: the preview
    serves their form, and tells others nothing about the names in use."""
    action = CREATE_ACTIONS.get(data_dict.get("kind") or "dataset")
    if action is None:
        return {"success": False}
    try:
        tk.check_access(action, context, {})
    except tk.NotAuthorized:
        return {"success": False, "msg": tk._("Not authorized to create this kind of object")}
    return {"success": True}
