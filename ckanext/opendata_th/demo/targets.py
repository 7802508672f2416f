"""The demo agency's yearly targets, so that a fresh portal's dashboard and
yearly report compare targets with actual figures: this fiscal year's
(some met by the demo's publications, some not yet) and last year's, with
the up-to-date share measured at the end of last year (the daily ``ckan
opendata-th measure`` would have recorded it then). Set through the same
action as the targets page; running the demo again changes nothing.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.opendata_th import dashboard, readiness
from ckanext.opendata_th.model.target import YearlyMeasure, YearlyTarget
from ckanext.opendata_th.playbook.dates import BANGKOK
from ckanext.opendata_th.playbook.readiness import fiscal_year_bounds

TARGETS: dict[int, dict[str, int]] = {
    0: {"datasets_published": 4, "high_value_published": 2, "up_to_date_percent": 80},
    -1: {"datasets_published": 3, "high_value_published": 1, "up_to_date_percent": 75},
}
"""By fiscal year, relative to the current one."""
LAST_YEAR_MEASURE = {"on_schedule": 5, "overdue": 1}


def load_targets(org_name: str, context: dict[str, Any]) -> None:
    """Set the targets the organization has not set yet, record last
    year's up-to-date share if missing, and measure this year's."""
    organization = model.Group.get(org_name)
    current = readiness.current_fiscal_year()
    for offset, values in TARGETS.items():
        if model.Session.get(YearlyTarget, (organization.id, current + offset)) is None:
            tk.get_action("opendata_th_target_update")(dict(context), {
                "organization": org_name, "fiscal_year": current + offset, **values})
    if model.Session.get(YearlyMeasure, (organization.id, current - 1)) is None:
        last_day = fiscal_year_bounds(current - 1)[1]
        model.Session.add(YearlyMeasure(
            organization_id=organization.id, fiscal_year=current - 1,
            measured_at=dt.datetime.combine(last_day, dt.time(23, 0), BANGKOK), **LAST_YEAR_MEASURE))
    dashboard.measure_up_to_date()
    model.repo.commit()
