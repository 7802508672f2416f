"""The figures of an organization's open-data work, or of the whole portal
(playbook steps 3.9–3.10): the organization dashboard, the yearly targets'
actual figures and the yearly report read them from here.

Every figure comes from an aggregate: facet counts of one search over the
organization's datasets (stages, ten-property scores, schedules: the same
index the dataset pages list, so the numbers match what a member finds
there), and grouped SQL over the extension's tables (quality reports,
feedback, requests, the workflow's history, targets). Nothing loops over
datasets.

Labels are given in the request's language; the result is plain JSON.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Optional

import sqlalchemy as sa

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.opendata_th import annotations, localize, readiness
from ckanext.opendata_th.context import site_context
from ckanext.opendata_th import feedback as feedback_glue
from ckanext.opendata_th.model.dataset_request import DatasetRequest, open_counts
from ckanext.opendata_th.model.feedback import Feedback, FeedbackEvent
from ckanext.opendata_th.model.quality import CHECKED
from ckanext.opendata_th.model.readiness import ReadinessAssessment
from ckanext.opendata_th.model.target import YearlyMeasure, YearlyTarget
from ckanext.opendata_th.model.types import utcnow
from ckanext.opendata_th.model.workflow import WorkflowEvent, WorkflowRecord
from ckanext.opendata_th.playbook import dataset_requests as request_rules
from ckanext.opendata_th.playbook import frequency, properties, targets, workflow
from ckanext.opendata_th.playbook import readiness as readiness_rules
from ckanext.opendata_th.playbook.dates import BANGKOK

FUNNEL: tuple[str, ...] = (workflow.CANDIDATE, workflow.SELECTED, workflow.PREPARED,
                           workflow.PENDING, workflow.PUBLISHED)
"""The stages a dataset goes through on its way to publication, in order."""
ASIDE: tuple[str, ...] = (workflow.WITHHELD, workflow.RETURNED)
"""Stages off the way: withheld (not disclosable) and returned by an approver."""
LISTED = 10
"""How many overdue datasets, and datasets with quality findings, are named."""
SCORE_FIELD, UNMET_FIELD = "opendata_score", "opendata_unmet"
HIGH_VALUE = ("True", "true")


def _search(organization_id: Optional[str], fq: str = "", **params: Any) -> dict[str, Any]:
    """package_search over the organization's datasets (or every dataset),
    private ones included, as the portal itself: the callers' auth
    functions let only the organization's members (who see every dataset
    of it) or sysadmins (who see everything) ask, so the answer is theirs,
    without the cost of working out which datasets a user may see."""
    scope = f'+owner_org:"{organization_id}"' if organization_id else ""
    data_dict = {"q": "*:*", "fq": f"{scope} {fq}".strip(), "rows": 0, "include_private": True,
                 "facet.limit": -1, **params}
    return tk.get_action("package_search")(site_context(), data_dict)


def _facet(result: dict[str, Any], field: str) -> dict[str, int]:
    return {str(key): int(count) for key, count in (result.get("facets") or {}).get(field, {}).items()}


def stages(organization_id: Optional[str]) -> dict[str, Any]:
    """Active datasets per stage, funnel first: grouped from the workflow's
    rows (a dataset without one is where the dataset dicts and the search
    index put it: published when public, a candidate when private)."""
    p, w = model.package_table, WorkflowRecord.__table__
    stage = sa.func.coalesce(w.c.stage, sa.case((p.c.private, workflow.CANDIDATE), else_=workflow.PUBLISHED))
    query = (sa.select(stage, sa.func.count()).select_from(p.outerjoin(w, w.c.package_id == p.c.id))
             .where(p.c.state == "active", p.c.type == "dataset").group_by(stage))
    if organization_id:
        query = query.where(p.c.owner_org == organization_id)
    counts = {found: int(count) for found, count in model.Session.execute(query)}
    rows = [{"stage": name, "label": localize.text(workflow.STAGE_LABELS[name]),
             "count": counts.get(name, 0)} for name in FUNNEL + ASIDE]
    return {"total": sum(counts.values()), "stages": rows}


def published(organization_id: Optional[str]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The ten properties and the update schedules of published datasets
    (facets of one search), and the datasets overdue longest."""
    result = _search(organization_id, f"+{annotations.STAGE_FIELD}:{workflow.PUBLISHED}",
                     **{"facet.field": [SCORE_FIELD, UNMET_FIELD, annotations.SCHEDULE_FIELD]})
    total = int(result["count"])
    scores = _facet(result, SCORE_FIELD)
    distribution = [{"score": score, "count": scores.get(str(score), 0)}
                    for score in range(len(properties.PROPERTIES) + 1)]
    scored = sum(row["count"] for row in distribution)
    average = (round(sum(row["score"] * row["count"] for row in distribution) / scored, 1)
               if scored else None)
    unmet = _facet(result, UNMET_FIELD)
    ten = {"published": total, "average": average, "distribution": distribution,
           "unmet": [{"key": item.key, "name": localize.text(item.name), "count": unmet.get(item.key, 0)}
                     for item in properties.PROPERTIES]}
    schedules = _facet(result, annotations.SCHEDULE_FIELD)
    overdue, on_schedule = schedules.get(frequency.OVERDUE, 0), schedules.get(frequency.ON_SCHEDULE, 0)
    listed = _search(organization_id, f"+{annotations.STAGE_FIELD}:{workflow.PUBLISHED} "
                                      f"+{annotations.SCHEDULE_FIELD}:{frequency.OVERDUE}",
                     rows=LISTED, sort=f"{annotations.DUE_FIELD} asc, name asc")["results"] if overdue else []
    schedule = {"published": total, "overdue": overdue, "on_schedule": on_schedule,
                "no_schedule": schedules.get(frequency.NO_SCHEDULE, 0),
                "up_to_date_percent": targets.share(on_schedule, on_schedule + overdue),
                "overdue_datasets": [{"name": d["name"], "title": d.get("title") or d["name"],
                                      "due_date": d.get("opendata_due_date")} for d in listed]}
    return ten, schedule


def _active_datasets(organization_id: Optional[str]) -> sa.sql.Select:
    """The ids of the active datasets (of the organization)."""
    p = model.package_table
    query = sa.select(p.c.id).where(p.c.state == "active", p.c.type == "dataset")
    if organization_id:
        query = query.where(p.c.owner_org == organization_id)
    return query


_QUALITY = """
WITH resources AS (
    SELECT r.id AS resource_id FROM resource r JOIN package p ON p.id = r.package_id
    WHERE r.state = 'active' AND p.state = 'active' AND p.type = 'dataset' {scope}
), latest AS (
    -- the newest report of each resource (sorted bytewise: ids need no collation)
    SELECT DISTINCT ON (q.resource_id COLLATE "C") q.package_id, q.state, q.errors, q.warnings,
           q.personal_data
    FROM opendata_th_quality_report q JOIN resources USING (resource_id)
    ORDER BY q.resource_id COLLATE "C", q.checked_at DESC
), worst AS (
    SELECT package_id, sum(errors) AS errors, sum(warnings) AS warnings FROM latest
    WHERE state = :checked GROUP BY package_id HAVING sum(errors) + sum(warnings) > 0
    ORDER BY sum(errors) DESC, sum(warnings) DESC, package_id LIMIT :listed
)
SELECT (SELECT count(*) FROM resources),
       count(*) FILTER (WHERE state = :checked),
       count(*) FILTER (WHERE state = :checked AND errors > 0),
       count(*) FILTER (WHERE state = :checked AND warnings > 0),
       count(*) FILTER (WHERE personal_data),
       count(*) FILTER (WHERE state <> :checked),
       (SELECT json_agg(json_build_array(p.name, p.title, w.errors, w.warnings)
                        ORDER BY w.errors DESC, w.warnings DESC, p.name)
        FROM worst w JOIN package p ON p.id = w.package_id)
FROM latest
"""


def quality(organization_id: Optional[str]) -> dict[str, Any]:
    """The newest quality report of each active resource of the active
    datasets, summed; the datasets with the most findings named. One
    statement."""
    scope = "AND p.owner_org = :organization_id" if organization_id else ""
    row = model.Session.execute(sa.text(_QUALITY.format(scope=scope)), {
        "organization_id": organization_id, "checked": CHECKED, "listed": LISTED}).one()
    return {"resources": row[0], "checked": row[1], "with_errors": row[2], "with_warnings": row[3],
            "personal_data": row[4], "not_checkable": row[5],
            "datasets": [{"name": name, "title": title or name, "errors": int(errors),
                          "warnings": int(warnings)} for name, title, errors, warnings in row[6] or []]}


def feedback_counts(organization_id: Optional[str]) -> dict[str, int]:
    found = feedback_glue.counts(organization_ids=[organization_id] if organization_id else None)
    total = feedback_glue.Counts()
    for counts in found["organizations"].values():
        total = total + counts
    return {"open": total.open, "held": total.held, "unanswered": total.unanswered}


def request_counts(organization_id: Optional[str]) -> dict[str, int]:
    found = open_counts()
    rows = [found.get(organization_id, {})] if organization_id else list(found.values())
    return {key: sum(row.get(key, 0) for row in rows)
            for key in ("open", request_rules.NEW, request_rules.NEEDS_INFO)}


def readiness_figures(organization_id: Optional[str], year: int) -> dict[str, Any]:
    """The organization's levels per activity in the fiscal year, or, for
    the portal, each activity's average over the organizations assessed."""
    schema = readiness.schema()
    required = readiness.required_level()
    lang = localize.request_language()
    query = model.Session.query(ReadinessAssessment.organization_id, ReadinessAssessment.document).filter(
        ReadinessAssessment.fiscal_year == year)
    if organization_id:
        query = query.filter(ReadinessAssessment.organization_id == organization_id)
    documents = [document for _, document in query]
    found = [readiness_rules.levels(schema, document) for document in documents]
    activities = []
    for activity in schema.activities:
        levels = [level for level in (each[activity.key] for each in found) if level is not None]
        average = round(sum(levels) / len(levels), 1) if levels else None
        level = round(average) if average is not None else None
        activities.append({"key": activity.key, "name": activity.name.in_language(lang),
                           "level": level, "average": average,
                           "level_name": activity.level(level).name.in_language(lang) if level else ""})
    verdicts = [readiness_rules.evaluate(schema, document, required) for document in documents]
    return {"fiscal_year": year, "assessed": bool(documents), "required_level": required,
            "max_level": schema.max_level,
            "ready": (verdicts[0].ready if verdicts else False) if organization_id else None,
            "organizations_assessed": None if organization_id else len(documents),
            "organizations_ready": None if organization_id else sum(v.ready for v in verdicts),
            "activities": activities}


# -- the year's figures ------------------------------------------------------------

def _fiscal_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    """The fiscal year as [start, end) moments in Bangkok time."""
    first, last = readiness_rules.fiscal_year_bounds(year)
    start = dt.datetime.combine(first, dt.time(), BANGKOK)
    return start, dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), BANGKOK)


def _first_publications(organization_id: Optional[str], year: int) -> sa.sql.Subquery:
    """The active datasets (of the organization) published now whose first
    publication falls in the fiscal year, with its moment: a publication in
    the year and none before it."""
    start, end = _fiscal_bounds(year)
    e, w, p = WorkflowEvent.__table__, WorkflowRecord.__table__, model.package_table
    before = sa.exists(sa.select(e.c.id).where(e.c.package_id == w.c.package_id,
                                               e.c.to_stage == workflow.PUBLISHED, e.c.at < start))
    first = (sa.select(sa.func.min(e.c.at)).where(
        e.c.package_id == w.c.package_id, e.c.to_stage == workflow.PUBLISHED,
        e.c.at >= start, e.c.at < end).scalar_subquery())
    query = (sa.select(w.c.package_id, first.label("published_at"))
             .select_from(w.join(p, p.c.id == w.c.package_id))
             .where(w.c.stage == workflow.PUBLISHED, p.c.state == "active", p.c.type == "dataset",
                    sa.not_(before)))
    if organization_id:
        query = query.where(p.c.owner_org == organization_id)
    found = query.subquery()
    return sa.select(found).where(found.c.published_at.is_not(None)).subquery()


def _high_value(package_id: sa.ColumnElement) -> sa.ColumnElement:
    """Whether the dataset's ``high_value_dataset`` is "True" (one set of
    ids, hashed, rather than a look-up per dataset)."""
    x = model.package_extra_table  # (migration 0013 indexes exactly these rows)
    return package_id.in_(sa.select(x.c.package_id).where(
        x.c.key == annotations.HIGH_VALUE_FIELD, x.c.value.in_(HIGH_VALUE), x.c.state == "active"))


def published_in(organization_id: Optional[str], year: int) -> tuple[int, int]:
    """(datasets, high-value datasets) first published in the fiscal year
    and published still."""
    found = _first_publications(organization_id, year)
    row = model.Session.execute(sa.select(
        sa.func.count(), sa.func.count().filter(_high_value(found.c.package_id))).select_from(found)).one()
    return int(row[0]), int(row[1])


def first_fiscal_year(organization_id: Optional[str]) -> Optional[int]:
    """The earliest fiscal year with targets or a readiness assessment (of
    the organization, or of any), or None."""
    found = []
    for table in (YearlyTarget, ReadinessAssessment):
        query = model.Session.query(sa.func.min(table.fiscal_year))
        if organization_id:
            query = query.filter(table.organization_id == organization_id)
        found.append(query.scalar())
    years = [year for year in found if year is not None]
    return min(years) if years else None


def up_to_date_in(organization_id: Optional[str], year: int,
                  live: Optional[float]) -> Optional[float]:
    """The share of published datasets up to date in the fiscal year: as
    measured now for the current year, the year's last recorded measure for
    a past one, nothing for a year to come."""
    current = readiness.current_fiscal_year()
    if year == current:
        return live
    if year > current:
        return None
    query = model.Session.query(sa.func.sum(YearlyMeasure.on_schedule), sa.func.sum(YearlyMeasure.overdue)).filter(
        YearlyMeasure.fiscal_year == year)
    if organization_id:
        query = query.filter(YearlyMeasure.organization_id == organization_id)
    on_schedule, overdue = query.one()
    if on_schedule is None:
        return None
    return targets.share(int(on_schedule), int(on_schedule) + int(overdue))


def goals(organization_id: Optional[str], year: int) -> tuple[bool, dict[str, Optional[int]]]:
    """(set, the targets): one organization's, or the portal's counts
    summed over the organizations that set them (a share is not summed)."""
    query = model.Session.query(YearlyTarget).filter(YearlyTarget.fiscal_year == year)
    if organization_id:
        query = query.filter(YearlyTarget.organization_id == organization_id)
    rows = query.all()
    if not rows:
        return False, {key: None for key in targets.TARGET_KEYS}
    if organization_id:
        return True, {key: getattr(rows[0], key) for key in targets.TARGET_KEYS}

    def summed(key: str) -> Optional[int]:
        values = [getattr(row, key) for row in rows if getattr(row, key) is not None]
        return sum(values) if values else None
    return True, {targets.DATASETS_PUBLISHED: summed(targets.DATASETS_PUBLISHED),
                  targets.HIGH_VALUE_PUBLISHED: summed(targets.HIGH_VALUE_PUBLISHED),
                  targets.UP_TO_DATE_PERCENT: None}


def target_figures(organization_id: Optional[str], year: int,
                   live_up_to_date: Optional[float]) -> dict[str, Any]:
    """The year's targets against the actual figures."""
    is_set, wanted = goals(organization_id, year)
    datasets, high_value = published_in(organization_id, year)
    actuals = {targets.DATASETS_PUBLISHED: datasets, targets.HIGH_VALUE_PUBLISHED: high_value,
               targets.UP_TO_DATE_PERCENT: up_to_date_in(organization_id, year, live_up_to_date)}
    return {"set": is_set, "rows": [
        {"key": row.target.key, "label": localize.text(row.target.label), "unit": row.target.unit,
         "target": row.goal, "actual": row.actual, "met": row.met}
        for row in targets.compare(wanted, actuals)]}


def _organization(found: Optional[model.Group]) -> Optional[dict[str, Any]]:
    return None if found is None else {"id": found.id, "name": found.name,
                                        "title": found.title or found.name}


def figures(organization: Optional[model.Group], year: int) -> dict[str, Any]:
    """Every panel of the dashboard for one organization (None: the whole
    portal) and one fiscal year."""
    organization_id = organization.id if organization is not None else None
    first, last = readiness_rules.fiscal_year_bounds(year)
    ten, schedule = published(organization_id)
    return {
        "organization": _organization(organization),
        "fiscal_year": year, "fiscal_year_start": first.isoformat(), "fiscal_year_end": last.isoformat(),
        "generated_at": utcnow().astimezone(BANGKOK).isoformat(timespec="seconds"),
        "datasets": stages(organization_id),
        "readiness": readiness_figures(organization_id, year),
        "properties": ten,
        "schedule": schedule,
        "quality": quality(organization_id),
        "feedback": feedback_counts(organization_id),
        "requests": request_counts(organization_id),
        "targets": target_figures(organization_id, year, schedule["up_to_date_percent"]),
    }


def _received_and_handled(organization_id: Optional[str], year: int) -> dict[str, int]:
    """Feedback received in the fiscal year, and steps taken on feedback in it."""
    start, end = _fiscal_bounds(year)
    f, ev = Feedback.__table__, FeedbackEvent.__table__
    datasets = _active_datasets(organization_id)
    received = model.Session.execute(sa.select(sa.func.count()).where(
        f.c.created_at >= start, f.c.created_at < end, f.c.package_id.in_(datasets))).scalar()
    steps = dict(model.Session.execute(
        sa.select(ev.c.step, sa.func.count(sa.distinct(ev.c.feedback_id)))
        .select_from(ev.join(f, f.c.id == ev.c.feedback_id))
        .where(ev.c.at >= start, ev.c.at < end, f.c.package_id.in_(datasets),
               ev.c.step.in_(("answer", "resolve", "hide")))
        .group_by(ev.c.step)).all())
    return {"received": int(received or 0), "answered": int(steps.get("answer", 0)),
            "resolved": int(steps.get("resolve", 0)), "hidden": int(steps.get("hide", 0))}


def _requests_handled(organization_id: Optional[str], year: int) -> dict[str, int]:
    """Requests received in the fiscal year, by where they stand now."""
    start, end = _fiscal_bounds(year)
    query = model.Session.query(DatasetRequest.state, sa.func.count()).filter(
        DatasetRequest.created >= start, DatasetRequest.created < end)
    if organization_id:
        query = query.filter(DatasetRequest.organization_id == organization_id)
    states = {state: int(count) for state, count in query.group_by(DatasetRequest.state)}
    return {"received": sum(states.values()),
            "accepted": states.get(request_rules.ACCEPTED, 0),
            "already_available": states.get(request_rules.AVAILABLE, 0),
            "not_suitable": states.get(request_rules.NOT_SUITABLE, 0),
            "open": sum(states.get(state, 0) for state in request_rules.OPEN_STATES)}


def yearly_report(organization: Optional[model.Group], year: int) -> dict[str, Any]:
    """The dashboard's figures and what the year's report lists besides:
    the datasets first published in the year, feedback and requests handled."""
    report = figures(organization, year)
    organization_id = organization.id if organization is not None else None
    found = _first_publications(organization_id, year)
    p = model.package_table
    rows = model.Session.execute(
        sa.select(p.c.name, p.c.title, found.c.published_at, _high_value(p.c.id))
        .select_from(found.join(p, p.c.id == found.c.package_id))
        .order_by(found.c.published_at, p.c.name)).all()
    report["published_datasets"] = [
        {"name": name, "title": title or name,
         "published_at": at.astimezone(BANGKOK).isoformat(timespec="seconds"), "high_value": bool(high)}
        for name, title, at, high in rows]
    report["feedback_handled"] = _received_and_handled(organization_id, year)
    report["requests_handled"] = _requests_handled(organization_id, year)
    return report


# -- the daily measure ---------------------------------------------------------------

def measure_up_to_date() -> int:
    """Record, for every organization, how many of its published datasets
    are on schedule and how many overdue today, as the current fiscal
    year's measure (replacing the day before's). Returns how many
    organizations were measured. Not committed."""
    year = readiness.current_fiscal_year()
    result = _search(None, f"+{annotations.STAGE_FIELD}:{workflow.PUBLISHED}",
                     **{"facet.field": ["owner_org"]})
    organizations = _facet(result, "owner_org")
    overdue = _facet(_search(None, f"+{annotations.STAGE_FIELD}:{workflow.PUBLISHED} "
                                            f"+{annotations.SCHEDULE_FIELD}:{frequency.OVERDUE}",
                             **{"facet.field": ["owner_org"]}), "owner_org")
    on_schedule = _facet(_search(None, f"+{annotations.STAGE_FIELD}:{workflow.PUBLISHED} "
                                                f"+{annotations.SCHEDULE_FIELD}:{frequency.ON_SCHEDULE}",
                                 **{"facet.field": ["owner_org"]}), "owner_org")
    now = utcnow()
    for organization_id in organizations:
        row = model.Session.get(YearlyMeasure, (organization_id, year)) or YearlyMeasure(
            organization_id=organization_id, fiscal_year=year)
        row.measured_at, row.on_schedule, row.overdue = (
            now, on_schedule.get(organization_id, 0), overdue.get(organization_id, 0))
        model.Session.add(row)
    return len(organizations)
