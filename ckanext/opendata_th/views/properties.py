"""Dataset page actions about the ten properties."""
from __future__ import annotations

from flask import Blueprint

import ckan.plugins.toolkit as tk

from ckanext.opendata_th.views.csrf import protect_from_csrf

properties = Blueprint("opendata_th_properties", __name__)


@properties.route("/dataset/<id>/opendata-th/check-links", methods=["POST"])
def check_links(id: str):
    """Run the link check now (the panel's button) and go back to the dataset."""
    protect_from_csrf()
    try:
        result = tk.get_action("opendata_th_link_check")({}, {"id": id})
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Dataset not found"))
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Unauthorized to update dataset"))
    failed = [check for check in result["checks"] if not check["ok"]]
    if not result["checks"]:
        tk.h.flash_notice(tk._("This dataset has no linked resources to check."))
    elif failed:
        tk.h.flash_error(tk._("{failed} of {total} links did not answer.").format(
            failed=len(failed), total=len(result["checks"])))
    else:
        tk.h.flash_success(tk._("All {total} links answered.").format(total=len(result["checks"])))
    return tk.redirect_to("dataset.read", id=id, _anchor="opendata-properties")
