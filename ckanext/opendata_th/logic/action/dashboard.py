"""The organization dashboard, the yearly report and the yearly targets
(playbook steps 3.9–3.10).

Figures are computed (ckanext/opendata_th/dashboard.py), never typed: only
the targets are stored. Texts are in the request's language.
"""
from __future__ import annotations

from typing import Any, Optional

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.opendata_th import dashboard, localize, readiness
from ckanext.opendata_th.logic import schema
from ckanext.opendata_th.logic.action.readiness import fiscal_year_param
from ckanext.opendata_th.logic.inputs import refused, validated
from ckanext.opendata_th.model.target import YearlyTarget
from ckanext.opendata_th.model.types import utcnow
from ckanext.opendata_th.playbook import targets as rules

Context = dict[str, Any]
DataDict = dict[str, Any]


def _organization(data: DataDict) -> Optional[model.Group]:
    """The organization named, or None for the whole portal."""
    if not data.get("organization"):
        return None
    found = readiness.organization(data["organization"])
    if found is None:
        raise tk.ObjectNotFound(localize.gettext("Organization not found"))
    return found


@tk.side_effect_free
def opendata_th_dashboard_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The figures of an organization's open-data work, or of the whole
    portal: datasets per stage, readiness, the ten properties, update
    schedules, quality findings, feedback and requests, and the fiscal
    year's targets against the actual figures. Members of the
    organization; without ``organization``, sysadmins.

    :param organization: the organization's id or name (optional)
    :param fiscal_year: the fiscal year (Buddhist Era; default: the current one)
    :returns: ``{"organization", "fiscal_year", "fiscal_year_start",
        "fiscal_year_end", "generated_at", "datasets": {"total", "stages"},
        "readiness", "properties": {"published", "average", "distribution",
        "unmet"}, "schedule": {"overdue", "on_schedule", "no_schedule",
        "up_to_date_percent", "overdue_datasets"}, "quality", "feedback",
        "requests", "targets": {"set", "rows": [{"key", "label", "unit",
        "target", "actual", "met"}]}}`` (README: Dashboard)
    """
    data = validated(data_dict, schema.dashboard_show(), context)
    tk.check_access("opendata_th_dashboard_show", context, data)
    organization = _organization(data)
    return dashboard.figures(organization, fiscal_year_param(data.get("fiscal_year")))


@tk.side_effect_free
def opendata_th_yearly_report_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The yearly open-data report of an organization (or of the portal):
    the dashboard's figures for the fiscal year, the datasets first
    published in it (and published still), and the feedback and dataset
    requests handled in it. The same people as the dashboard.

    :param organization: the organization's id or name (optional)
    :param fiscal_year: the fiscal year (Buddhist Era; default: the current one)
    :returns: as ``opendata_th_dashboard_show``, and ``published_datasets``
        (``[{"name", "title", "published_at", "high_value"}]``),
        ``feedback_handled`` (``{"received", "answered", "resolved",
        "hidden"}``) and ``requests_handled`` (``{"received", "accepted",
        "already_available", "not_suitable", "open"}``)
    """
    data = validated(data_dict, schema.dashboard_show(), context)
    tk.check_access("opendata_th_yearly_report_show", context, data)
    organization = _organization(data)
    return dashboard.yearly_report(organization, fiscal_year_param(data.get("fiscal_year")))


def _target_dict(organization: model.Group, year: int, found: Optional[YearlyTarget]) -> dict[str, Any]:
    modified_by = model.Session.get(model.User, found.modified_by) if found and found.modified_by else None
    return {"organization": {"id": organization.id, "name": organization.name,
                             "title": organization.title or organization.name},
            "fiscal_year": year,
            "targets": {key: getattr(found, key) if found else None for key in rules.TARGET_KEYS},
            "modified": found.modified.isoformat() if found else None,
            "modified_by": modified_by.name if modified_by else None}


@tk.side_effect_free
def opendata_th_target_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """An organization's targets for a fiscal year, and the actual figures.
    The organization's members.

    :param organization: the organization's id or name
    :param fiscal_year: the fiscal year (Buddhist Era; default: the current one)
    :returns: ``{"organization", "fiscal_year", "targets":
        {"datasets_published", "high_value_published", "up_to_date_percent"}
        (None: not set), "modified", "modified_by", "rows": [{"key",
        "label", "unit", "target", "actual", "met"}]}``
    """
    data = validated(data_dict, schema.target_show(), context)
    tk.check_access("opendata_th_target_show", context, data)
    organization = _organization(data)
    assert organization is not None  # the schema requires it
    year = fiscal_year_param(data.get("fiscal_year"))
    found = model.Session.get(YearlyTarget, (organization.id, year))
    live = None
    if year == readiness.current_fiscal_year():
        live = dashboard.published(organization.id)[1]["up_to_date_percent"]
    return {**_target_dict(organization, year, found),
            "rows": dashboard.target_figures(organization.id, year, live)["rows"]}


def opendata_th_target_update(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Set an organization's targets for a fiscal year: the number of
    datasets to publish, of high-value datasets to publish, and the share
    (%) of published datasets to keep up to date. Each is a whole number
    (the share 0–100); a blank or missing one is not set. Every error is
    reported at once and nothing is saved. The organization's admins.

    :param organization: the organization's id or name
    :param fiscal_year: the fiscal year (Buddhist Era), up to next year
    :param datasets_published: datasets to publish in the year
    :param high_value_published: high-value datasets to publish in the year
    :param up_to_date_percent: share of published datasets to keep up to date
    :returns: as ``opendata_th_target_show``
    """
    data = validated(data_dict, schema.target_update(), context, leave=rules.TARGET_KEYS)
    organization = _organization(data)
    assert organization is not None  # the schema requires it
    tk.check_access("opendata_th_target_update", context, data)
    year = fiscal_year_param(data["fiscal_year"])
    try:
        values = rules.parse_targets(data)
    except rules.TargetInputError as error:
        raise refused(error.errors)
    found = model.Session.get(YearlyTarget, (organization.id, year))
    if found is None:
        found = YearlyTarget(organization_id=organization.id, fiscal_year=year)
        model.Session.add(found)
    user = model.User.get(context["user"]) if context.get("user") else None
    for key, value in values.items():
        setattr(found, key, value)
    found.modified, found.modified_by = utcnow(), user.id if user else None
    if not context.get("defer_commit"):
        model.repo.commit()
    return tk.get_action("opendata_th_target_show")(
        {"user": context.get("user"), "ignore_auth": True},
        {"organization": organization.id, "fiscal_year": year})
