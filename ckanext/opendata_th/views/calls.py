"""The pages call the same actions as API clients, as the user of the
request: shared by the blueprints."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk


def context() -> dict[str, Any]:
    """An action context of the request's user (anonymous: "")."""
    return {"user": tk.current_user.name if tk.current_user.is_authenticated else ""}


def action(name: str, data_dict: dict[str, Any]) -> Any:
    """Call an action as the request's user (its auth function applies)."""
    return tk.get_action(name)(context(), data_dict)


def allowed(name: str, data_dict: dict[str, Any]) -> bool:
    """Whether the request's user passes the action's auth function (an
    unknown object: no)."""
    try:
        return bool(tk.h.check_access(name, data_dict))
    except (tk.ObjectNotFound, KeyError):
        return False


def dataset_or_404(id: str) -> dict[str, Any]:
    """The dataset of a page's URL as the request's user may see it, or a
    404 page (CKAN answers a private dataset's outsiders "not found" too)."""
    try:
        package = action("package_show", {"id": id[:200]})
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return tk.abort(404, tk._("Dataset not found"))
    if package.get("state") == "deleted":
        return tk.abort(404, tk._("Dataset not found"))
    return package
