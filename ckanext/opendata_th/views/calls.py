"""The pages call the same actions as API clients, as the user of the
request: shared by the blueprints."""
from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

from flask import Response

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


def organization_or_404(id: str, **includes: bool) -> dict[str, Any]:
    """The organization of a page's URL (its tabs), or a 404 page for an
    unknown one or a group. ``includes``: organization_show's ``include_*``
    (datasets are never included)."""
    try:
        organization = action("organization_show", {"id": id[:200], **includes, "include_datasets": False})
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return tk.abort(404, tk._("Organization not found"))
    if organization.get("type") != "organization" or not organization.get("is_organization", True):
        return tk.abort(404, tk._("Organization not found"))
    return organization


def am_following(organization: dict[str, Any]) -> bool:
    """Whether the request's user follows the organization (the button of
    its pages' sidebar)."""
    if not tk.current_user.is_authenticated:
        return False
    try:
        return bool(action("am_following_group", {"id": organization["id"]}))
    except (tk.NotAuthorized, tk.ObjectNotFound):
        return False


def messages(value: Any) -> list[str]:
    """An action's error value as a list of texts (nested dicts flattened)."""
    if isinstance(value, dict):
        return [text for item in value.values() for text in messages(item)]
    if isinstance(value, (list, tuple)):
        return [text for item in value for text in messages(item)]
    return [str(value)] if value not in (None, "") else []


def errors_by_field(error: tk.ValidationError) -> dict[str, list[str]]:
    """A ValidationError's texts by field, for a form."""
    return {key: messages(value) for key, value in error.error_dict.items()}


def first_error(error: tk.ValidationError) -> str:
    """A ValidationError's texts in one line, for a page's notice."""
    return " ".join(messages(error.error_dict))


def attachment(data: bytes, name: str, content_type: str) -> Response:
    """``data`` as a file to save (``name``, in UTF-8 and an ASCII
    fallback), never shown in the portal's pages nor kept by a cache (what
    the portal sends as files is an organization's own)."""
    ascii_name = re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("_") or "file"
    response = Response(data, mimetype=content_type)
    response.headers["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}")
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cache-Control"] = "private, no-store"
    # else CKAN adds "public, max-age=..." to a response it did not render
    tk.request.environ["__no_cache__"] = True
    return response
