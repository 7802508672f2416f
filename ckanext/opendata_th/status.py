"""The playbook's view of one dataset, added to CKAN's dataset dict.

``annotate`` puts on the dict what publishers filter and act on:

``opendata_due_date``   next update due (ISO, Asia/Bangkok), or None
``opendata_overdue``    True once that moment has passed
``opendata_properties`` the ten open-data properties: score and detail

The rules are in :mod:`.playbook`; this module gathers their inputs from
CKAN (licences, configured holidays, the latest link checks).
"""
from __future__ import annotations

import datetime as dt
import json
from typing import Any

import sqlalchemy as sa

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.opendata_th.model import LinkCheck
from ckanext.opendata_th.playbook import frequency, properties
from ckanext.opendata_th.playbook.dates import BANGKOK, parse_iso_date


def now() -> dt.datetime:
    """The current time in Asia/Bangkok, naive (the playbook's clock)."""
    return dt.datetime.now(BANGKOK).replace(tzinfo=None)


def holidays() -> frozenset[dt.date]:
    """Public holidays skipped when counting working days (from config)."""
    values = tk.config.get("ckanext.opendata_th.holidays") or []
    if isinstance(values, str):
        values = values.split()
    return frozenset(d for d in map(parse_iso_date, values) if d)


def open_license_ids() -> frozenset[str]:
    """Ids of the licences CKAN's register marks as open."""
    register = model.Package.get_license_register()
    return frozenset(lic.id for lic in register.values() if lic.isopen())


_LATEST_CHECKS = sa.text(
    f"SELECT DISTINCT ON (resource_id) resource_id, ok FROM {LinkCheck.__tablename__} "
    "WHERE package_id = :package_id ORDER BY resource_id, checked_at DESC")


def latest_link_checks(package_id: str) -> dict[str, bool] | None:
    """{resource id: answered} from the latest check of each resource."""
    # plain SQL on the session's connection: no ORM flush on every show
    rows = model.Session.connection().execute(_LATEST_CHECKS, {"package_id": package_id})
    return {resource_id: ok for resource_id, ok in rows} or None


def annotate(pkg_dict: dict[str, Any], *, checks: properties.ExternalChecks | None = None) -> None:
    """Add the due date, overdue flag and ten-property assessment."""
    moment = now()
    due = frequency.due_of(pkg_dict, holidays=holidays())
    pkg_dict["opendata_due_date"] = due.isoformat() if due else None
    pkg_dict["opendata_overdue"] = frequency.is_overdue(due, moment)
    if checks is None and pkg_dict.get("id"):
        checks = properties.ExternalChecks(url_status=latest_link_checks(pkg_dict["id"]))
    pkg_dict["opendata_properties"] = properties.evaluate(
        pkg_dict, now=moment, checks=checks, open_license_ids=open_license_ids(),
        holidays=holidays()).as_dict()


def for_index(doc: dict[str, Any]) -> dict[str, Any]:
    """Put the searchable parts of the annotation in a search document.

    They are computed from the validated dataset (the raw dict CKAN indexes
    keeps schema fields in extras). The due date is stored in UTC, as CKAN
    stores dates in the index, so that ``[* TO NOW]`` ranges work.
    """
    doc.pop("opendata_properties", None)
    dataset = json.loads(doc["validated_data_dict"]) if doc.get("validated_data_dict") else doc
    annotate(dataset)
    due = dataset["opendata_due_date"]
    doc["opendata_due_date"] = (
        dt.datetime.fromisoformat(due).replace(tzinfo=BANGKOK).astimezone(dt.timezone.utc)
        .strftime("%Y-%m-%dT%H:%M:%SZ") if due else None)
    doc["opendata_overdue"] = dataset["opendata_overdue"]
    assessment = dataset["opendata_properties"]
    doc["opendata_score"] = assessment["score"]
    doc["opendata_unmet"] = [prop["key"] for prop in assessment["properties"]
                             if prop["status"] != properties.MET]
    return doc


def label_facets(search_results: dict[str, Any]) -> dict[str, Any]:
    """Readable names for the overdue facet's true/false values."""
    facet = search_results.get("search_facets", {}).get("opendata_overdue")
    if facet:
        names = {"true": tk._("Overdue"), "false": tk._("On schedule")}
        for item in facet["items"]:
            item["display_name"] = names.get(item["name"], item["name"])
    return search_results
