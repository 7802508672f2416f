"""The dashboard pages (playbook steps 3.9–3.10): an organization's figures
for its members, the form of its yearly targets for its admins, the whole
portal's figures for sysadmins, and the yearly report as XLSX or PDF.

Every figure comes from the ``opendata_th_dashboard_show`` and
``opendata_th_yearly_report_show`` actions, called as the request's user
(their auth functions decide who sees what); the pages only lay them out.
The charts are drawn on the server (:mod:`ckanext.opendata_th.charts`) and
every number they show is written as text beside them too. A GET never
writes; the targets' form checks the CSRF token (see :mod:`.csrf`).
"""
from __future__ import annotations

import logging
from typing import Any, Optional

from flask import Blueprint, Response
from markupsafe import Markup

import ckan.plugins.toolkit as tk

from ckanext.opendata_th import charts, localize
from ckanext.opendata_th import dashboard as dashboard_figures
from ckanext.opendata_th.playbook.messages import N_
from ckanext.opendata_th.views import calls
from ckanext.opendata_th.views.csrf import protect_from_csrf

dashboard = Blueprint("opendata_th_dashboard", __name__)
log = logging.getLogger(__name__)

YEARS_BACK = 3
"""Fiscal years before the current one the year selector offers at least."""
MAX_FIELD = 50
"""Characters of a target read from the form (a longer one is refused by
the action's rules anyway)."""
FUNNEL_ASIDE = ("withheld", "returned")
"""Stages drawn muted, after the funnel."""
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"
TARGET_HELP = {
    "datasets_published": N_("How many datasets the organization means to publish for the first "
                             "time in the fiscal year."),
    "high_value_published": N_("How many of them are to be high-value datasets."),
    "up_to_date_percent": N_("The share (0–100) of the organization's published datasets to keep "
                             "updated on schedule."),
}
"""The targets form's help text per field (translated where shown)."""
NOT_ADMIN = N_("Only admins of the organization can set its yearly targets")


# -- reading through the actions ---------------------------------------------------

def _requested_year() -> Optional[str]:
    """The ``year`` of the query string as it was sent (None: not given);
    the actions check it."""
    return tk.request.args.get("year", "").strip()[:20] or None


def _not_allowed(organization: Optional[dict[str, Any]]) -> str:
    if organization is None:
        return tk._("Only sysadmins can see the figures of the whole portal")
    return tk._("Only members of the organization can see its dashboard")


def _call_for_year(action: str, data_dict: dict[str, Any], year: Optional[str],
                   refused: str) -> tuple[dict[str, Any], Optional[str]]:
    """The action's result for the requested year, and a notice when that
    year is no fiscal year the action accepts: the current year is shown
    instead, never an error page. 403 or 404 pages when it may not be seen."""
    notice = None
    try:
        try:
            result = calls.action(action, {**data_dict, "fiscal_year": year} if year else data_dict)
        except tk.ValidationError as error:
            if not year or "fiscal_year" not in error.error_dict:
                raise
            notice = calls.first_error(error)
            result = calls.action(action, data_dict)
    except tk.NotAuthorized:
        return tk.abort(403, refused)
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Organization not found"))
    except tk.ValidationError as error:
        return tk.abort(400, calls.first_error(error))
    if notice:
        notice = f"{notice} " + tk._("Shown instead: the current fiscal year, {year}.").format(
            year=result["fiscal_year"])
    return result, notice


def _year_choices(organization_id: Optional[str], shown: int) -> list[int]:
    """The fiscal years the selector offers, newest first: from the earliest
    with targets or an assessment (at least three years back) to next year."""
    from ckanext.opendata_th import readiness as glue
    from ckanext.opendata_th.playbook.readiness import FIRST_FISCAL_YEAR

    current = glue.current_fiscal_year()
    first = min(year for year in (dashboard_figures.first_fiscal_year(organization_id),
                                  current - YEARS_BACK, shown)
                if year is not None)
    return list(range(current + 1, max(first, FIRST_FISCAL_YEAR) - 1, -1))


def _year_text(year: int) -> str:
    return tk._("Fiscal year B.E. {year}").format(year=year)


# -- numbers as people read them --------------------------------------------------

def _number(value: Any) -> str:
    """1,234; 85.5; "—" for no value."""
    if value is None:
        return "—"
    if isinstance(value, float):
        text = f"{value:,.1f}"
        return text[:-2] if text.endswith(".0") else text
    return f"{value:,}"


def _percent(value: Any) -> str:
    return "—" if value is None else f"{_number(float(value))}%"


def _target_value(row: dict[str, Any], value: Any) -> str:
    return _percent(value) if row["unit"] == "percent" else _number(value)


def _progress_text(row: dict[str, Any]) -> str:
    """A target's bar's text: "12 (target 20)", "12 (no target)", "not measured"."""
    if row["actual"] is None:
        actual = tk._("not measured")
        if row["target"] is None:
            return actual
    else:
        actual = _target_value(row, row["actual"])
    if row["target"] is None:
        return tk._("{actual} (no target)").format(actual=actual)
    return tk._("{actual} (target {target})").format(actual=actual,
                                                     target=_target_value(row, row["target"]))


# -- the charts ------------------------------------------------------------------------

def _progress_chart(figures: dict[str, Any]) -> Markup:
    rows = []
    for row in figures["targets"]["rows"]:
        if row["unit"] == "percent":
            maximum = 100.0
        else:
            maximum = float(max(row["target"] or 0, row["actual"] or 0, 1))
        rows.append(charts.Progress(row["label"], row["target"], row["actual"], maximum,
                                    _progress_text(row), row["met"]))
    return Markup(charts.progress_chart(rows, title=tk._("Targets of fiscal year {year} against the "
                                                          "actual figures").format(
        year=figures["fiscal_year"])))


def _datasets_text(count: int) -> str:
    return tk.ungettext("{count} dataset", "{count} datasets", count).format(count=_number(count))


def _funnel_chart(figures: dict[str, Any]) -> Markup:
    steps = [charts.Step(row["label"], row["count"], _datasets_text(row["count"]),
                         muted=row["stage"] in FUNNEL_ASIDE)
             for row in figures["datasets"]["stages"]]
    return Markup(charts.funnel_chart(steps, title=tk._("Datasets per stage")))


def _readiness_chart(figures: dict[str, Any], portal: bool) -> Markup:
    readiness = figures["readiness"]
    bars = []
    for activity in readiness.get("activities") or []:
        if activity["level"] is None:
            text = tk._("Not assessed")
        elif portal:
            text = tk._("average {value}").format(value=_number(activity["average"]))
        else:
            text = f"{activity['level']} – {activity['level_name']}".rstrip(" –")
        bars.append(charts.Bar(activity["name"], activity["level"], text))
    title = (tk._("Average level of each activity in fiscal year {year}") if portal
             else tk._("Level of each activity in fiscal year {year}")).format(year=readiness["fiscal_year"])
    return Markup(charts.level_chart(
        bars, max_level=readiness["max_level"], required_level=readiness["required_level"],
        title=title,
        required_text=tk._("required: level {level}").format(level=readiness["required_level"])))


def _distribution_chart(figures: dict[str, Any]) -> Markup:
    columns = [charts.Column(str(row["score"]), row["count"], _number(row["count"]))
               for row in figures["properties"]["distribution"]]
    return Markup(charts.distribution_chart(
        columns, title=tk._("Published datasets by the number of properties they meet"),
        axis_label=tk._("Properties met (of 10)")))


# -- the dashboard pages -------------------------------------------------------------

def _links(figures: dict[str, Any], organization: Optional[dict[str, Any]]) -> dict[str, Any]:
    """Where the panels' figures lead: the dataset search filtered, the
    readiness tab, the feedback queue, the dataset requests, the reports."""
    year = figures["fiscal_year"]
    if organization is not None:
        name = organization["name"]

        def search(**facets: str) -> str:
            return tk.h.url_for("organization.read", id=name, **facets)

        readiness = tk.h.url_for("opendata_th_readiness.read", id=name, year=year)
        queue = None
        if tk.h.opendata_th_feedback_queue_tab(organization) is not None:
            queue = {view: tk.h.url_for("opendata_th_feedback.queue", id=name, show=view)
                     for view in ("held", "unresolved")}
        requests = {state: tk.h.url_for("opendata_th_dataset_request.index", state=state,
                                        organization=name)
                    for state in ("open", "new", "needs_info")}
        reports = {kind: tk.h.url_for(f"opendata_th_dashboard.report_{kind}", id=name, year=year)
                   for kind in ("xlsx", "pdf")}
    else:
        def search(**facets: str) -> str:
            return tk.h.url_for("dataset.search", **facets)

        readiness = tk.h.url_for("opendata_th_readiness.overview", year=year)
        queue = None
        requests = {state: tk.h.url_for("opendata_th_dataset_request.index", state=state)
                    for state in ("open", "new", "needs_info")}
        reports = {kind: tk.h.url_for(f"opendata_th_dashboard.portal_report_{kind}", year=year)
                   for kind in ("xlsx", "pdf")}
    return {
        "stages": {row["stage"]: search(opendata_stage=row["stage"])
                   for row in figures["datasets"]["stages"]},
        "overdue": search(opendata_stage="published", opendata_schedule="overdue"),
        "readiness": readiness, "feedback_queue": queue, "requests": requests, "reports": reports,
    }


def _page(figures: dict[str, Any], organization: Optional[dict[str, Any]],
          notice: Optional[str]) -> dict[str, Any]:
    """The template's variables for the organization's or the portal's page."""
    portal = organization is None
    can_set = (not portal and calls.allowed("opendata_th_target_update",
                                            {"organization": organization["id"]}))
    return {
        "figures": figures, "portal": portal, "notice": notice, "can_set_targets": can_set,
        "year": figures["fiscal_year"],
        "year_choices": _year_choices(None if portal else organization["id"], figures["fiscal_year"]),
        "year_text": _year_text, "number": _number, "percent": _percent,
        "target_value": _target_value, "datasets_text": _datasets_text,
        "charts": {"progress": _progress_chart(figures), "funnel": _funnel_chart(figures),
                   "readiness": _readiness_chart(figures, portal),
                   "distribution": _distribution_chart(figures)},
        "links": _links(figures, organization),
    }


@dashboard.route("/organization/dashboard/<id>")
def read(id: str):
    """The organization's dashboard (its members)."""
    organization = calls.organization_or_404(id, include_users=False, include_groups=False, include_tags=False)
    figures, notice = _call_for_year("opendata_th_dashboard_show", {"organization": organization["id"]},
                                     _requested_year(), _not_allowed(organization))
    return tk.render("opendata_th/dashboard/read.html", {
        "group_dict": organization, "group_type": "organization",
        "am_following": calls.am_following(organization),
        **_page(figures, organization, notice),
    })


@dashboard.route("/ckan-admin/opendata-dashboard")
def portal():
    """The whole portal's figures (sysadmins)."""
    figures, notice = _call_for_year("opendata_th_dashboard_show", {}, _requested_year(),
                                     _not_allowed(None))
    return tk.render("opendata_th/dashboard/portal.html", _page(figures, None, notice))


# -- the yearly report -----------------------------------------------------------------------

def _report(organization: Optional[dict[str, Any]], year: int, kind: str) -> Response:
    """The yearly report of the organization (None: the portal) as a file."""
    data_dict: dict[str, Any] = {"fiscal_year": year}
    if organization is not None:
        data_dict["organization"] = organization["id"]
    try:
        report = calls.action("opendata_th_yearly_report_show", data_dict)
    except tk.NotAuthorized:
        return tk.abort(403, _not_allowed(organization))
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Organization not found"))
    except tk.ValidationError as error:
        return tk.abort(400, calls.first_error(error))
    from ckanext.opendata_th.reports import yearly

    lang = localize.request_language()
    if kind == "pdf":
        try:
            font = yearly.find_font(tk.config.get(yearly.FONT_OPTION) or None)
        except ValueError as error:
            # 503: the request is right; the server cannot answer it until
            # its administrator installs a font (or fixes the option)
            log.error("The yearly report's PDF cannot be made: %s", error)
            return tk.abort(503, tk._("The PDF report cannot be made now: the portal has no Thai font "
                                      "for it. Download the XLSX report instead, and tell the "
                                      "portal's administrator (the font comes with the Debian "
                                      "package fonts-tlwg-laksaman-otf)."))
        data, content_type = yearly.pdf(report, lang=lang, gettext=tk._, font=font), PDF
    else:
        data, content_type = yearly.workbook(report, lang=lang, gettext=tk._), XLSX
    owner = organization["name"] if organization is not None else "portal"
    return calls.attachment(data, f"open-data-report-{owner}-{report['fiscal_year']}.{kind}", content_type)


@dashboard.route("/organization/dashboard/<id>/report-<int:year>.xlsx")
def report_xlsx(id: str, year: int):
    """The organization's yearly report as a workbook (its members)."""
    return _report(calls.organization_or_404(id, include_users=False, include_groups=False, include_tags=False), year, "xlsx")


@dashboard.route("/organization/dashboard/<id>/report-<int:year>.pdf")
def report_pdf(id: str, year: int):
    """The organization's yearly report as a PDF (its members)."""
    return _report(calls.organization_or_404(id, include_users=False, include_groups=False, include_tags=False), year, "pdf")


@dashboard.route("/ckan-admin/opendata-dashboard/report-<int:year>.xlsx")
def portal_report_xlsx(year: int):
    """The whole portal's yearly report as a workbook (sysadmins)."""
    return _report(None, year, "xlsx")


@dashboard.route("/ckan-admin/opendata-dashboard/report-<int:year>.pdf")
def portal_report_pdf(year: int):
    """The whole portal's yearly report as a PDF (sysadmins)."""
    return _report(None, year, "pdf")


# -- the targets' form ---------------------------------------------------------------------

def _targets_errors(error: tk.ValidationError) -> dict[str, list[str]]:
    return {key: calls.messages(value) for key, value in error.error_dict.items()}


@dashboard.route("/organization/targets/<id>", methods=["GET", "POST"])
def targets(id: str):
    """The organization's targets for a fiscal year (its admins): blank is
    no target; every error is shown at its field with what was typed kept,
    and nothing is saved."""
    organization = calls.organization_or_404(id, include_users=False, include_groups=False, include_tags=False)
    if not calls.allowed("opendata_th_target_update", {"organization": organization["id"]}):
        return tk.abort(403, tk._(NOT_ADMIN))
    errors: dict[str, list[str]] = {}
    typed: dict[str, str] = {}
    notice = None
    if tk.request.method == "POST":
        protect_from_csrf()
        year = (tk.request.form.get("year") or "").strip()[:20]
        typed = {key: (tk.request.form.get(key) or "")[:MAX_FIELD] for key in TARGET_HELP}
        try:
            saved = calls.action("opendata_th_target_update", {"organization": organization["id"],
                                                               "fiscal_year": year, **typed})
        except tk.NotAuthorized:
            return tk.abort(403, tk._(NOT_ADMIN))
        except tk.ValidationError as error:
            errors = _targets_errors(error)
        else:
            tk.h.flash_success(tk._("The targets are saved."))
            return tk.redirect_to("opendata_th_dashboard.read", id=organization["name"],
                                  year=saved["fiscal_year"])
        shown, notice = _call_for_year("opendata_th_target_show", {"organization": organization["id"]},
                                       year or None, _not_allowed(organization))
        if notice and "fiscal_year" in errors:
            notice = None  # said at the top already
    else:
        shown, notice = _call_for_year("opendata_th_target_show", {"organization": organization["id"]},
                                       _requested_year(), _not_allowed(organization))
    rows = []
    for row in shown["rows"]:
        value = typed[row["key"]] if typed else ("" if row["target"] is None else str(row["target"]))
        help_text = TARGET_HELP.get(row["key"])
        rows.append({**row, "value": value, "help": tk._(help_text) if help_text else "",
                     "errors": errors.get(row["key"], []),
                     "actual_text": _target_value(row, row["actual"])})
    general = [message for key, messages in errors.items() if key not in TARGET_HELP
               for message in messages]
    return tk.render("opendata_th/dashboard/targets.html", {
        "group_dict": organization, "group_type": "organization",
        "am_following": calls.am_following(organization),
        "year": shown["fiscal_year"], "year_text": _year_text, "rows": rows, "errors": errors,
        "general_errors": general, "notice": notice,
        "modified": shown.get("modified"), "modified_by": shown.get("modified_by"),
    })
