"""The organization page's bulk "Make public", refused with a message.

CKAN's ``organization.bulk_process`` view does not catch the ValidationError
that ``bulk_update_public`` raises for datasets that may not be public
(logic/action/disclosure.py), so the user would get a 500. This blueprint
serves the same URL for POST only (plugins' blueprints are registered before
CKAN's, so its rule matches first; GET stays CKAN's), runs CKAN's view and
turns a refusal into a flash error in the user's language listing the
datasets, then shows the bulk page again. Nothing was changed.

It checks the form's CSRF token itself (see :mod:`.csrf`), as CKAN's own
view is checked.
"""
from __future__ import annotations

from flask import Blueprint

import ckan.plugins.toolkit as tk
from ckan.views.group import BulkProcessView

from ckanext.opendata_th import localize
from ckanext.opendata_th.views.csrf import protect_from_csrf

disclosure = Blueprint("opendata_th_disclosure", __name__)


@disclosure.route("/organization/bulk_process/<id>", methods=["POST"])
def bulk_process(id: str):
    """CKAN's bulk process of an organization's datasets."""
    protect_from_csrf()
    try:
        return BulkProcessView().post(id, group_type="organization", is_organization=True)
    except tk.ValidationError as error:
        tk.h.flash_error(_refusal_message(error))
        return tk.redirect_to("organization.bulk_process", id=id)


def _refusal_message(error: tk.ValidationError) -> str:
    reason = getattr(error, "reason", None)
    if reason is not None:  # the organization is not ready (logic/readiness_gate.py)
        return tk._("No dataset was made public: {reason}").format(reason=localize.text(reason))
    refusals = getattr(error, "refusals", None)
    if not refusals:  # another validation error: CKAN's summary of it
        return "; ".join(f"{field}: {message}" for field, message in error.error_summary.items())
    datasets = "; ".join(f"“{r.title}” ({r.name}): {localize.text(r.reason)}" for r in refusals)
    return tk._("No dataset was made public, because these datasets must stay private: "
                "{datasets}").format(datasets=datasets)
