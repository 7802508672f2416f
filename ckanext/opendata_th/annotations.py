"""The playbook's view of each dataset, added to CKAN's dataset dicts and
search documents.

``opendata_last_update``  when the data was last updated and where that date
                          comes from (see :class:`.frequency.LastUpdate`)
``opendata_due_date``     the next update's due date (ISO date) or, for
                          hourly and shorter units, moment (ISO, +07:00)
``opendata_overdue``      True once that date or moment has passed
``opendata_schedule``     overdue, on_schedule or no_schedule
``opendata_properties``   the ten open-data properties: score and detail,
                          texts in the request's language
``opendata_stage``        the dataset's stage in the disclosure workflow
                          (candidate, selected, ..., published; a facet)

The rules are in :mod:`.playbook`; this module gathers their inputs from CKAN
once per call (licences, holidays, the latest link checks of every dataset
annotated) and never per dataset. Search results carry what was computed
when the dataset was indexed, so a page of 100 results costs no query at all;
only what changes with the clock is decided again.

"accessible" (the copy on data.go.th is identical) reads the last stored
comparison of each dataset with its national copy (the drift report,
``harvesters/drift.py``, stores it in the dataset's sync record): identical
is met, different or missing is not met, never compared is not yet assessed.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.opendata_th import context, localize
from ckanext.opendata_th import workflow as workflow_glue
from ckanext.opendata_th.model import LinkCheck
from ckanext.opendata_th.model.quality import QualityReport
from ckanext.opendata_th.model.sync import SyncRecord
from ckanext.opendata_th.playbook import frequency, properties, workflow
from ckanext.opendata_th.playbook.dates import BANGKOK
from ckanext.opendata_th.playbook.national_portal import IDENTICAL

SCHEDULE_FIELD = "opendata_schedule"
"""The facet of where datasets stand against their update frequency."""
STAGE_FIELD = "opendata_stage"
"""The facet of the datasets' stages in the disclosure workflow."""
HIGH_VALUE_FIELD = "high_value_dataset"
"""The thai_gdc flag of high-value datasets ("True"/"False"; a facet)."""
SCHEDULED = "scheduled"
"""Indexed value of ``opendata_schedule`` for datasets with a due date."""
DUE_FIELD = "opendata_overdue_date"
"""Indexed only: the UTC moment from which the dataset is overdue (a date
field, ``*_date``, in CKAN's Solr schema too)."""


@dataclass(frozen=True)
class Facts:
    """What the rules need from outside the dataset dicts, read once."""

    now: dt.datetime
    holidays: frozenset[dt.date]
    open_license_ids: frozenset[str]
    link_checks: dict[str, dict[str, bool]]
    zone: dt.tzinfo
    stages: dict[str, str]
    drift: dict[str, str]
    """{package id: the last stored comparison with the national copy
    (identical, different, missing)}; datasets never compared are absent."""
    not_tables: dict[str, frozenset[str]]
    """{package id: its resources whose file the data-quality check found
    not to be a data table (a PDF, a document, an image...)}."""

    @classmethod
    def read(cls, package_ids: Iterable[str]) -> "Facts":
        ids = list(package_ids)
        return cls(now=context.now(), holidays=context.holidays(),
                   open_license_ids=context.open_license_ids(),
                   link_checks=LinkCheck.latest(ids), zone=context.display_zone(),
                   stages={id_: record.stage for id_, record in workflow_glue.records(ids).items()},
                   drift=drift_statuses(ids), not_tables=not_tables(ids))

    def national_portal_identical(self, package_id: str) -> bool | None:
        """Whether the national copy was identical at the last comparison:
        True, False (different or missing) or None (never compared)."""
        status = self.drift.get(package_id)
        if status is None:
            return None
        return status == IDENTICAL


def not_tables(package_ids: list[str]) -> dict[str, frozenset[str]]:
    """{package id: resource ids whose newest quality report found no data
    table}, in one query for all the datasets."""
    if not package_ids:
        return {}
    rows = model.Session.execute(_NOT_TABLES, {"ids": package_ids})
    found: dict[str, set[str]] = {}
    for package_id, resource_id in rows:
        found.setdefault(package_id, set()).add(resource_id)
    return {package_id: frozenset(ids) for package_id, ids in found.items()}


_NOT_TABLES = sa.text(f"""
    SELECT package_id, resource_id FROM (
        SELECT DISTINCT ON (q.resource_id) q.package_id, q.resource_id, q.machine_readable
        FROM {QualityReport.__tablename__} q
        WHERE q.package_id = ANY(:ids)
        ORDER BY q.resource_id, q.checked_at DESC) newest
    WHERE machine_readable IS FALSE
""")


def drift_statuses(package_ids: list[str]) -> dict[str, str]:
    """{package id: stored drift status} of the datasets compared with their
    national copy, in one query for all of them."""
    if not package_ids:
        return {}
    rows = model.Session.query(SyncRecord.package_id, SyncRecord.drift_status).filter(
        SyncRecord.package_id.in_(package_ids), SyncRecord.drift_status.isnot(None))
    return {package_id: status for package_id, status in rows}


def annotate(pkg_dict: dict[str, Any]) -> None:
    """Annotate one dataset dict."""
    annotate_all([pkg_dict])


def annotate_all(pkg_dicts: list[dict[str, Any]]) -> None:
    """Annotate dataset dicts, reading the facts once for all of them."""
    facts = Facts.read(d["id"] for d in pkg_dicts if d.get("id"))
    for pkg_dict in pkg_dicts:
        _annotate(pkg_dict, facts)


def annotate_results(results: list[dict[str, Any]]) -> None:
    """Annotate search results.

    A result carries what was computed when it was indexed (see
    :func:`for_index`; the link-check job re-indexes the dataset after each
    check): its last update, due date and a summary of the ten properties
    (the score and each property's status; the evidence and advice come with
    ``package_show`` and ``opendata_th_properties_show``). Only what the
    clock changes is decided here: whether the due date has passed, and with
    it the schedule and the status of "timely". Results indexed without the
    summary are annotated in full, with one query for all their link checks.
    """
    indexed = [d for d in results if isinstance(d.get("opendata_properties"), dict)]
    others = [d for d in results if not isinstance(d.get("opendata_properties"), dict)]
    now = context.now()
    for pkg_dict in indexed:
        due = frequency.Due.from_iso(pkg_dict.get("opendata_due_date"))
        overdue = frequency.is_overdue(due, now)
        pkg_dict["opendata_overdue"] = overdue
        pkg_dict[SCHEDULE_FIELD] = frequency.schedule_of(due, now)
        if due is not None:  # with a due date, "timely" is met until it passes
            assessment = pkg_dict["opendata_properties"]
            for prop in assessment["properties"]:
                if prop["key"] == "timely":
                    prop["status"] = properties.NOT_MET if overdue else properties.MET
            assessment["score"] = sum(prop["status"] == properties.MET
                                      for prop in assessment["properties"])
    if others:
        annotate_all(others)


def summary(assessment: dict[str, Any]) -> dict[str, Any]:
    """An assessment without its evidence and advice: the score and statuses."""
    return {"score": assessment["score"], "total": assessment["total"],
            "properties": [{"key": prop["key"], "status": prop["status"]}
                           for prop in assessment["properties"]]}


def _annotate_schedule(pkg_dict: dict[str, Any], facts: Facts) -> None:
    """The last update, due date and schedule."""
    last = frequency.last_update_of(pkg_dict)
    due = frequency.due_of(pkg_dict, holidays=facts.holidays, last=last)
    pkg_dict["opendata_last_update"] = last.as_dict() if last else None
    pkg_dict["opendata_due_date"] = due.iso() if due else None
    pkg_dict["opendata_overdue"] = frequency.is_overdue(due, facts.now)
    pkg_dict[SCHEDULE_FIELD] = frequency.schedule_of(due, facts.now)


def _annotate(pkg_dict: dict[str, Any], facts: Facts) -> None:
    _annotate_schedule(pkg_dict, facts)
    pkg_dict[STAGE_FIELD] = facts.stages.get(pkg_dict.get("id") or "") or (
        workflow.CANDIDATE if pkg_dict.get("private") else workflow.PUBLISHED)
    package_id = pkg_dict.get("id") or ""
    checks = properties.ExternalChecks(url_status=facts.link_checks.get(package_id),
                                       national_portal_identical=facts.national_portal_identical(package_id),
                                       not_tables=facts.not_tables.get(package_id, frozenset()))
    pkg_dict["opendata_properties"] = properties.evaluate(
        pkg_dict, now=facts.now, checks=checks, open_license_ids=facts.open_license_ids,
        holidays=facts.holidays, zone=facts.zone).as_dict(render=localize.text)


def for_index(doc: dict[str, Any]) -> dict[str, Any]:
    """Put the playbook's fields in a search document.

    They are computed from the validated dataset (the raw dict CKAN indexes
    keeps schema fields in extras), and the annotated dataset is what search
    results return. What changes with time alone is not indexed as a value:
    the document holds the UTC moment from which the dataset is overdue (see
    the schedule facet below).
    """
    for key in ("opendata_properties", "opendata_last_update", "opendata_due_date",
                "opendata_overdue", SCHEDULE_FIELD, STAGE_FIELD):
        doc.pop(key, None)
    if not doc.get("validated_data_dict"):
        return doc
    dataset = json.loads(doc["validated_data_dict"])
    facts = Facts.read([dataset["id"]])
    _annotate(dataset, facts)
    assessment = dataset["opendata_properties"]
    dataset["opendata_properties"] = summary(assessment)
    doc["validated_data_dict"] = json.dumps(dataset, ensure_ascii=False)
    due = frequency.Due.from_iso(dataset["opendata_due_date"])  # as _annotate found it
    doc[DUE_FIELD] = (due.overdue_from.replace(tzinfo=BANGKOK).astimezone(dt.timezone.utc)
                      .strftime("%Y-%m-%dT%H:%M:%SZ") if due else None)
    doc[SCHEDULE_FIELD] = SCHEDULED if due else frequency.NO_SCHEDULE
    doc[STAGE_FIELD] = dataset[STAGE_FIELD]
    doc["opendata_score"] = assessment["score"]
    doc["opendata_unmet"] = [prop["key"] for prop in assessment["properties"]
                             if prop["status"] != properties.MET]
    return doc


# -- the schedule facet, computed at query time ---------------------------------
#
# Whether a dataset is overdue changes with the clock, not with an edit, so an
# indexed true/false would be wrong from the due moment until the next
# re-index. The index keeps what does not change (``opendata_schedule`` is
# "scheduled" or "no_schedule", and ``opendata_overdue_date``); filters on
# overdue / on_schedule become ranges on ``opendata_overdue_date`` against NOW,
# and the facet's "scheduled" count is split with one count query. This works
# the same on the PostgreSQL backend and on Solr.

_SCHEDULE_TERM = re.compile(
    rf'(?<![\w.:]){SCHEDULE_FIELD}:"?({frequency.OVERDUE}|{frequency.ON_SCHEDULE})"?(?![\w"])')
_RANGES = {
    frequency.OVERDUE: f"{DUE_FIELD}:[* TO NOW]",
    frequency.ON_SCHEDULE: f"{DUE_FIELD}:{{NOW TO *]",
}


def rewrite_schedule_filters(search_params: dict[str, Any]) -> dict[str, Any]:
    """``opendata_schedule:overdue`` / ``on_schedule`` in ``fq`` and
    ``fq_list`` as ranges on the indexed overdue moment."""
    def rewrite(text: Any) -> Any:
        if not isinstance(text, str) or SCHEDULE_FIELD not in text:
            return text
        return _SCHEDULE_TERM.sub(lambda match: _RANGES[match.group(1)], text)

    if "fq" in search_params:
        search_params["fq"] = rewrite(search_params["fq"])
    if isinstance(search_params.get("fq_list"), list):
        search_params["fq_list"] = [rewrite(item) for item in search_params["fq_list"]]
    return search_params


def split_schedule_facet(search_results: dict[str, Any], search_params: dict[str, Any],
                         count_overdue: Callable[[dict[str, Any]], int]) -> None:
    """Turn the indexed facet (scheduled / no_schedule) into overdue /
    on_schedule / no_schedule. ``count_overdue(params)`` runs the same search
    restricted to overdue datasets and returns its count."""
    counts = search_results.get("facets", {}).get(SCHEDULE_FIELD)
    if counts is None:
        return
    scheduled = counts.pop(SCHEDULED, 0)
    if scheduled:
        params = {key: search_params[key] for key in ("q", "fq", "fq_list", "defType", "qf")
                  if search_params.get(key) is not None}
        params["fq"] = f'{params.get("fq", "")} +{_RANGES[frequency.OVERDUE]}'.strip()
        overdue = count_overdue(params)
        counts[frequency.OVERDUE] = overdue
        counts[frequency.ON_SCHEDULE] = scheduled - overdue
    for name in [name for name, count in counts.items() if not count]:
        del counts[name]
    facet = search_results.get("search_facets", {}).get(SCHEDULE_FIELD)
    if facet is not None:
        facet["items"] = [{"name": name, "display_name": name, "count": count}
                          for name, count in counts.items()]


def schedule_labels() -> dict[str, str]:
    """The schedule facet's values for people, in the current language."""
    return {frequency.OVERDUE: tk._("Overdue"), frequency.ON_SCHEDULE: tk._("On schedule"),
            frequency.NO_SCHEDULE: tk._("No update schedule")}


def _count_as_current_user(params: dict[str, Any]) -> int:
    """The number of datasets matching ``params`` that the current user may
    see (CKAN applies their permission labels), private ones included."""
    try:
        user = tk.current_user.name if tk.current_user.is_authenticated else ""
        action_context: dict[str, Any] = {"user": user}
    except (RuntimeError, AttributeError):  # no request: a command or a job
        action_context = context.site_context()
    result = tk.get_action("package_search")(action_context, {
        **params, "rows": 0, "include_private": True, "facet": "false"})
    return result["count"]


def after_search(search_results: dict[str, Any], search_params: dict[str, Any]) -> dict[str, Any]:
    """Annotate the results in one batch; split and label the schedule facet."""
    annotate_results([d for d in search_results["results"] if isinstance(d, dict) and "resources" in d])
    split_schedule_facet(search_results, search_params, _count_as_current_user)
    for field, labels in ((SCHEDULE_FIELD, schedule_labels), (STAGE_FIELD, stage_labels),
                          (HIGH_VALUE_FIELD, high_value_labels)):
        facet = search_results.get("search_facets", {}).get(field)
        if facet:
            names = labels()
            for item in facet["items"]:
                item["display_name"] = names.get(item["name"], item["name"])
    return search_results


def stage_labels() -> dict[str, str]:
    """The stage facet's values for people, in the current language."""
    return {stage: localize.text(label) for stage, label in workflow.STAGE_LABELS.items()}


def high_value_labels() -> dict[str, str]:
    """The high-value facet's values for people, in the current language."""
    return {"True": tk._("High-value"), "False": tk._("Not marked as high-value")}
