"""The organization's "national portal" tab: whether each published
dataset's copy on the national portal is identical, missing or different
(field by field), and a "compare now" button.

The page reads ``opendata_th_sync_diff_list`` and the button posts to
``opendata_th_sync_diff_organization`` (their auth functions decide: the
organization's admins and sysadmins). The button's form checks the CSRF
token itself (see :mod:`.csrf`) and answers with a redirect to the page
(reloading it does not compare again).
"""
from __future__ import annotations

import json
from typing import Any

from flask import Blueprint

import ckan.plugins.toolkit as tk

from ckanext.opendata_th.views import calls
from ckanext.opendata_th.views.csrf import protect_from_csrf

sync = Blueprint("opendata_th_sync", __name__)

PAGE_SIZE = 50


def _page() -> int:
    try:
        return max(1, min(int(tk.request.args.get("page", "1")), 10_000))
    except ValueError:
        return 1


def shown(value: Any) -> str:
    """A compared value for people: none as "—", a list item by item, a
    resource that only one side has as its fields."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, (list, tuple)):
        return ", ".join(shown(item) for item in value)
    if isinstance(value, dict):
        return "; ".join(f"{key}: {shown(item)}" for key, item in value.items())
    if isinstance(value, (int, float, bool)):
        return json.dumps(value)
    return str(value)


def _not_allowed() -> str:
    return tk._("Only the organization's admins can see and run the comparison with the national portal")


def status_labels() -> dict[str, str]:
    """The statuses for people, in the request's language."""
    return {"identical": tk._("Identical"), "different": tk._("Different"),
            "missing": tk._("Missing on the national portal"), "not_compared": tk._("Not compared")}


@sync.route("/organization/sync/<id>")
def read(id: str):
    """The stored comparison of each published dataset, a page at a time."""
    organization = calls.organization_or_404(id)
    page = _page()
    try:
        listing = calls.action("opendata_th_sync_diff_list", {
            "organization_id": organization["id"], "limit": PAGE_SIZE, "offset": (page - 1) * PAGE_SIZE})
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Organization not found"))
    except tk.NotAuthorized:
        return tk.abort(403, _not_allowed())
    pages = max(1, -(-listing["count"] // PAGE_SIZE))
    return tk.render("opendata_th/sync/read.html", {
        "group_dict": organization, "group_type": "organization",
        "listing": listing, "page": page, "pages": pages,
        "labels": status_labels(), "shown": shown,
        "page_url": lambda number: tk.h.url_for("opendata_th_sync.read", id=organization["name"],
                                                page=number),
    })


@sync.route("/organization/sync/<id>/compare", methods=["POST"])
def compare(id: str):
    """Compare the organization's published datasets now (or queue it),
    then show the page with what happened."""
    protect_from_csrf()
    organization = calls.organization_or_404(id)
    try:
        outcome = calls.action("opendata_th_sync_diff_organization", {"organization_id": organization["id"]})
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Organization not found"))
    except tk.NotAuthorized:
        return tk.abort(403, _not_allowed())
    if outcome["queued"]:
        tk.h.flash_notice(outcome["message"])
    else:
        summary = outcome["summary"]
        tk.h.flash_success(tk._(
            "{total} datasets compared: {identical} identical, {different} different, {missing} missing, "
            "{not_compared} not compared").format(**summary))
        if summary["errors"]:
            errors = sorted({result["error"] for result in outcome["results"] if result["error"]})
            tk.h.flash_error(tk._("The national portal could not be read: {errors}").format(
                errors=" ".join(errors)))
    return tk.redirect_to("opendata_th_sync.read", id=organization["name"])
