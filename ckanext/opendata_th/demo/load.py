"""Load the demo agency and its datasets into this CKAN site.

Idempotent: an organization or dataset that already exists is left as it is,
so running ``ckan opendata-th demo`` twice changes nothing the second time.
"""
from __future__ import annotations

import datetime as dt
import json
import mimetypes
from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan.lib.plugins import lookup_package_plugin
from werkzeug.datastructures import FileStorage

from ckanext.opendata_th import readiness
from ckanext.opendata_th.context import now, site_context
from ckanext.opendata_th.demo.datasets import DATA_DIR, DATASETS, ORGANIZATION
from ckanext.opendata_th.demo.readiness import ASSESSMENTS
from ckanext.opendata_th.demo.workflow import PLANS

_CORE_KEYS = {"name", "title", "notes", "owner_org", "license_id", "maintainer",
              "maintainer_email", "url", "tags", "resources", "private"}


def _schema_keys() -> set[str]:
    """Top-level keys that the active dataset schema keeps: CKAN's own, and
    the scheming schema's fields when ckanext-scheming is enabled."""
    plugin = lookup_package_plugin("dataset")
    keys = set(plugin.create_package_schema().keys())
    if p.plugin_loaded("scheming_datasets"):
        schema = tk.get_action("scheming_dataset_schema_show")({}, {"type": "dataset"})
        keys.update(field["field_name"] for field in schema["dataset_fields"])
    return keys


def package_dict_for(dataset: dict[str, Any], owner_org: str,
                     schema_keys: set[str]) -> dict[str, Any]:
    """Turn a demo dataset into a ``package_create`` dict for this site.

    Fields the site's schema knows (e.g. the thai_gdc fields once the
    scheming schema is enabled) stay top-level; the others become extras,
    with lists stored as JSON as thai_gdc stores multi-choice values.
    """
    pkg: dict[str, Any] = {"owner_org": owner_org, "extras": []}
    for key, value in dataset.items():
        if key == "resources":
            continue
        if key == "tags":
            pkg["tags"] = [{"name": tag} for tag in value]
        elif key in _CORE_KEYS or key in schema_keys:
            pkg[key] = value
        else:
            text = json.dumps(value, ensure_ascii=False) if isinstance(value, list) else value
            pkg["extras"].append({"key": key, "value": text})
    if not pkg["extras"]:
        del pkg["extras"]
    return pkg


def load_demo(org_name: str) -> dict[str, list[str]]:
    """Create the demo organization and datasets that do not exist yet.

    Returns the names created and the names that already existed.
    """
    context = site_context()
    created: list[str] = []
    existing: list[str] = []

    try:
        tk.get_action("organization_show")(dict(context), {"id": org_name})
        existing.append(org_name)
    except tk.ObjectNotFound:
        tk.get_action("organization_create")(
            dict(context), {"name": org_name, **ORGANIZATION})
        created.append(org_name)

    _load_assessments(org_name, context)
    schema_keys = _schema_keys()
    for dataset in DATASETS:
        try:
            tk.get_action("package_show")(dict(context), {"id": dataset["name"]})
            existing.append(dataset["name"])
            continue
        except tk.ObjectNotFound:
            pass
        pkg = tk.get_action("package_create")(
            dict(context), package_dict_for(dataset, org_name, schema_keys))
        for resource in dataset["resources"]:
            path = DATA_DIR / resource["file"]
            content_type = mimetypes.guess_type(path.name)[0] or "text/csv"
            with path.open("rb") as stream:
                tk.get_action("resource_create")(dict(context), {
                    "package_id": pkg["id"],
                    "name": resource["name"],
                    "description": resource["description"],
                    "format": resource["format"],
                    "url": path.name,
                    "upload": FileStorage(stream=stream, filename=path.name,
                                          content_type=content_type),
                })
        _walk(pkg["id"], PLANS.get(dataset["name"], {}), context)
        created.append(dataset["name"])
    from ckanext.opendata_th.demo.feedback import load_feedback
    load_feedback(context)  # feedback in every state on the published datasets
    from ckanext.opendata_th.demo.dataset_requests import load_requests_and_high_value
    created += load_requests_and_high_value(org_name, context)  # requests in every state, a high-value dataset
    from ckanext.opendata_th.demo.targets import load_targets
    load_targets(org_name, context)  # this year's and last year's targets
    return {"created": created, "existing": existing}


def _walk(package_id: str, plan: dict[str, Any], context: dict[str, Any]) -> None:
    """Take a new demo dataset through the disclosure workflow as its plan
    says (demo/workflow.py), with the same actions the pages use."""
    def act(action: str, **data: Any) -> None:
        tk.get_action(action)(dict(context), {"id": package_id, **data})

    if plan.get("reasons"):
        act("opendata_th_select", reasons=plan["reasons"], note=plan.get("note", ""))
    if plan.get("scores"):
        value, quality, manageability = plan["scores"]
        act("opendata_th_prioritise", value=value, quality=quality, manageability=manageability)
    if plan.get("answers"):
        act("opendata_th_classify", answers=plan["answers"], details={})
    for transition, comment in plan.get("transitions", []):
        act("opendata_th_transition", transition=transition, comment=comment)


def _load_assessments(org_name: str, context: dict[str, Any]) -> None:
    """The demo agency's readiness assessments, published, for the fiscal
    years that have none yet (the current year's makes the agency ready to
    publish its datasets)."""
    current = readiness.current_fiscal_year()
    today = now().date()
    for offset, assessment in sorted(ASSESSMENTS.items()):
        year = current + offset
        shown = tk.get_action("opendata_th_readiness_show")(
            dict(context), {"organization": org_name, "fiscal_year": year})
        if shown["exists"]:
            continue
        actions = [{"activity": action["activity"], "description": action["description"],
                    "due_date": (today + dt.timedelta(days=action["due_in_days"])).isoformat(),
                    "done": action["done"]} for action in assessment["actions"]]
        tk.get_action("opendata_th_readiness_update")(dict(context), {
            "organization": org_name, "fiscal_year": year, "published": True,
            "activities": assessment["activities"], "actions": actions})
