"""The organization dashboard, the yearly report and the yearly targets
through the API, against the real PostgreSQL and search index: every
figure is counted from what the portal holds (stages, ten-property scores,
schedules, quality reports, feedback, requests, the workflow's history),
never typed; members see their organization's figures, admins set its
targets, sysadmins see the whole portal; nobody else sees any of it; bad
targets are refused in Thai or English with nothing saved."""
from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

import ckan.model as model
from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.opendata_th import readiness
from ckanext.opendata_th.model.dataset_request import DatasetRequest
from ckanext.opendata_th.model.feedback import Feedback
from ckanext.opendata_th.model.quality import QualityReport
from ckanext.opendata_th.model.target import YearlyMeasure, YearlyTarget
from ckanext.opendata_th.model.workflow import WorkflowEvent
from ckanext.opendata_th.playbook.dates import BANGKOK
from ckanext.opendata_th.tests.datasets import create_dataset, national_dataset, national_resource

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db_once")

_PORTAL: dict = {}


@pytest.fixture
def portal(clean_db_once):
    """An organization (admin, editor, member) with three published
    datasets (one high-value, one of them published last fiscal year), two
    private candidates, a quality report with errors, feedback and a
    request; another organization (its admin, one published dataset); a
    sysadmin. Made once for the module."""
    if not _PORTAL:
        users = {role: factories.UserWithToken() for role in ("admin", "editor", "member", "other_admin")}
        users["sysadmin"] = factories.SysadminWithToken()
        org = factories.Organization(title="สถาบันการค้าทดสอบ", users=[
            {"name": users["admin"]["name"], "capacity": "admin"},
            {"name": users["editor"]["name"], "capacity": "editor"},
            {"name": users["member"]["name"], "capacity": "member"}])
        other = factories.Organization(users=[{"name": users["other_admin"]["name"], "capacity": "admin"}])
        context = {"user": users["sysadmin"]["name"]}

        def new(owner, private=False, **fields):
            return create_dataset(dict(context), **national_dataset(
                owner_org=owner["id"], private=private, resources=[national_resource()], **fields))

        published = [new(org, high_value_dataset="True"), new(org), new(org)]
        candidates = [new(org, private=True), new(org, private=True)]
        foreign = new(other)
        # the third dataset was first published in the last fiscal year
        last_year = readiness.current_fiscal_year() - 1
        moment = dt.datetime(2000 + last_year - 2543, 3, 1, 10, 0, tzinfo=BANGKOK)
        model.Session.query(WorkflowEvent).filter_by(package_id=published[2]["id"]).update({"at": moment})
        resource_id = published[0]["resources"][0]["id"]
        model.Session.add(QualityReport(package_id=published[0]["id"], resource_id=resource_id, version="1",
                                        url="x", state="checked", errors=3, warnings=1, personal_data=True))
        model.Session.add(QualityReport(package_id=foreign["id"], resource_id=foreign["resources"][0]["id"],
                                        version="1", url="x", state="checked", errors=7, warnings=0))
        model.Session.add(Feedback(package_id=published[1]["id"], kind="complaint", message="ข้อมูลผิด",
                                   language="th", visibility="visible", progress="open"))
        model.Session.add(Feedback(package_id=foreign["id"], kind="error", message="ข้อมูลผิด",
                                   language="th", visibility="held", progress="open"))
        now = dt.datetime.now(dt.timezone.utc)
        model.Session.add(DatasetRequest(title="ข้อมูลราคาส่งออกรายเดือน", organization_id=org["id"],
                                         reply_key="k", state="new", created=now, modified=now))
        model.Session.commit()
        _PORTAL.update(users=users, org=org, other=other, published=published, candidates=candidates,
                       foreign=foreign, last_year=last_year)
    return SimpleNamespace(anonymous=None, **_PORTAL["users"], **{k: v for k, v in _PORTAL.items() if k != "users"})


def api(app, user, action, status=200, lang="", **data):
    headers = {"Authorization": user["token"]} if user else {}
    prefix = f"/{lang}" if lang else ""
    response = app.post(f"{prefix}/api/3/action/{action}", json=data, headers=headers, status=status)
    return response.json


def test_a_member_sees_the_figures_of_the_organization(app, portal):
    shown = api(app, portal.member, "opendata_th_dashboard_show", organization=portal.org["name"])["result"]
    stages = {row["stage"]: row["count"] for row in shown["datasets"]["stages"]}
    assert shown["datasets"]["total"] == 5
    assert stages["published"] == 3 and stages["candidate"] == 2
    assert [row["stage"] for row in shown["datasets"]["stages"]][:5] == [
        "candidate", "selected", "prepared", "pending_approval", "published"]
    assert shown["properties"]["published"] == 3
    assert sum(row["count"] for row in shown["properties"]["distribution"]) == 3
    assert shown["quality"]["with_errors"] == 1 and shown["quality"]["personal_data"] == 1
    assert shown["quality"]["datasets"][0]["name"] == portal.published[0]["name"]
    assert shown["feedback"]["open"] == 1 and shown["feedback"]["held"] == 0
    assert shown["requests"] == {"open": 1, "new": 1, "needs_info": 0}
    assert shown["schedule"]["published"] == 3
    assert (shown["schedule"]["overdue"] + shown["schedule"]["on_schedule"]
            + shown["schedule"]["no_schedule"]) == 3
    assert shown["fiscal_year"] == readiness.current_fiscal_year()
    assert shown["datasets"]["stages"][0]["label"] == "สำรวจแล้ว"  # Thai by default
    activities = shown["readiness"]["activities"]
    assert len(activities) == 5 and all(a["level"] is None and a["name"] for a in activities)


def test_the_properties_average_is_the_mean_of_the_published_scores(app, portal):
    shown = api(app, portal.admin, "opendata_th_dashboard_show", organization=portal.org["id"])["result"]
    scores = [call_action("package_show", {"user": portal.sysadmin["name"]}, id=d["id"])[
        "opendata_properties"]["score"] for d in portal.published]
    assert shown["properties"]["average"] == round(sum(scores) / 3, 1)
    by_score = {row["score"]: row["count"] for row in shown["properties"]["distribution"]}
    for score in set(scores):
        assert by_score[score] == scores.count(score)
    assert [row["key"] for row in shown["properties"]["unmet"]][0] == "complete"


def test_figures_stay_inside_the_organization(app, portal):
    """Another organization's dataset, quality findings and held feedback
    count in its own figures, never in this one's."""
    mine = api(app, portal.member, "opendata_th_dashboard_show", organization=portal.org["name"])["result"]
    assert all(row["name"] != portal.foreign["name"] for row in mine["quality"]["datasets"])
    assert mine["quality"]["with_errors"] == 1
    theirs = api(app, portal.other_admin, "opendata_th_dashboard_show",
                 organization=portal.other["name"])["result"]
    assert theirs["datasets"]["total"] == 1 and theirs["quality"]["with_errors"] == 1
    assert theirs["feedback"]["held"] == 1 and theirs["feedback"]["open"] == 0


@pytest.mark.parametrize("role", ["anonymous", "other_admin"])
def test_outsiders_see_no_figure_of_the_organization(app, portal, role):
    for action in ("opendata_th_dashboard_show", "opendata_th_yearly_report_show", "opendata_th_target_show"):
        refused = api(app, getattr(portal, role), action, status=403, organization=portal.org["name"])
        assert refused["success"] is False
        assert "result" not in refused


@pytest.mark.parametrize("role", ["anonymous", "member", "admin"])
def test_only_sysadmins_see_the_whole_portal(app, portal, role):
    refused = api(app, getattr(portal, role), "opendata_th_dashboard_show", status=403)
    assert "ผู้ดูแลระบบ" in refused["error"]["message"]


def test_the_sysadmin_sees_the_whole_portal(app, portal):
    shown = api(app, portal.sysadmin, "opendata_th_dashboard_show")["result"]
    assert shown["organization"] is None
    assert shown["datasets"]["total"] == 6 and shown["properties"]["published"] == 4
    assert shown["quality"]["with_errors"] == 2
    assert shown["feedback"] == {"open": 1, "held": 1, "unanswered": 1}
    assert shown["readiness"]["organizations_assessed"] == 0 and shown["readiness"]["ready"] is None


def test_an_unknown_organization_is_not_found(app, portal):
    api(app, portal.sysadmin, "opendata_th_dashboard_show", status=404, organization="no-such-org")


def test_a_common_era_year_is_refused_with_the_buddhist_era_year_suggested(app, portal):
    refused = api(app, portal.member, "opendata_th_dashboard_show", status=409,
                  organization=portal.org["name"], fiscal_year=2026)
    assert "2569" in refused["error"]["fiscal_year"][0]


# -- targets ---------------------------------------------------------------------

def targets_of(app, user, portal, **data):
    return api(app, user, "opendata_th_target_show", organization=portal.org["name"], **data)["result"]


def test_the_admin_sets_targets_and_the_actual_figures_are_counted(app, portal):
    year = readiness.current_fiscal_year()
    saved = api(app, portal.admin, "opendata_th_target_update", organization=portal.org["name"],
                fiscal_year=year, datasets_published="๒", high_value_published=3,
                up_to_date_percent="80")["result"]
    assert saved["targets"] == {"datasets_published": 2, "high_value_published": 3, "up_to_date_percent": 80}
    assert saved["modified_by"] == portal.admin["name"]
    rows = {row["key"]: row for row in targets_of(app, portal.member, portal)["rows"]}
    # two datasets first published this year (the third was last year's), one of them high-value
    assert (rows["datasets_published"]["actual"], rows["datasets_published"]["met"]) == (2, True)
    assert (rows["high_value_published"]["actual"], rows["high_value_published"]["met"]) == (1, False)
    assert rows["up_to_date_percent"]["target"] == 80
    shown = api(app, portal.member, "opendata_th_dashboard_show", organization=portal.org["name"])["result"]
    assert shown["targets"]["set"] is True
    assert [row["actual"] for row in shown["targets"]["rows"]][:2] == [2, 1]
    # a blank clears one target and keeps the others
    cleared = api(app, portal.admin, "opendata_th_target_update", organization=portal.org["name"],
                  fiscal_year=year, datasets_published=2, high_value_published="",
                  up_to_date_percent=80)["result"]
    assert cleared["targets"]["high_value_published"] is None


def test_last_years_figures_come_from_last_year(app, portal):
    rows = {row["key"]: row for row in targets_of(app, portal.member, portal, fiscal_year=portal.last_year)["rows"]}
    assert rows["datasets_published"]["actual"] == 1  # the dataset dated in March of last fiscal year
    assert rows["high_value_published"]["actual"] == 0
    assert rows["up_to_date_percent"]["actual"] is None  # never measured that year
    model.Session.add(YearlyMeasure(organization_id=portal.org["id"], fiscal_year=portal.last_year,
                                    on_schedule=3, overdue=1))
    model.Session.commit()
    rows = {row["key"]: row for row in targets_of(app, portal.member, portal, fiscal_year=portal.last_year)["rows"]}
    assert rows["up_to_date_percent"]["actual"] == 75.0


@pytest.mark.parametrize("role", ["anonymous", "member", "editor", "other_admin"])
def test_only_the_organizations_admins_set_its_targets(app, portal, role):
    api(app, getattr(portal, role), "opendata_th_target_update", status=403,
        organization=portal.org["name"], fiscal_year=readiness.current_fiscal_year(), datasets_published=99)
    assert model.Session.query(YearlyTarget).filter_by(datasets_published=99).count() == 0


@pytest.mark.parametrize("lang, field, value, expected", [
    ("", "datasets_published", "ห้า", "จำนวนเต็ม"),
    ("", "up_to_date_percent", 120, "0 ถึง 100"),
    ("", "high_value_published", -1, "จำนวนเต็ม"),
    ("en", "datasets_published", "1.5", "whole number"),
    ("en", "up_to_date_percent", True, "from 0 to 100"),
])
def test_bad_targets_are_refused_and_nothing_is_saved(app, portal, lang, field, value, expected):
    year = readiness.current_fiscal_year() + 1
    refused = api(app, portal.admin, "opendata_th_target_update", status=409, lang=lang,
                  organization=portal.org["name"], fiscal_year=year, **{field: value})
    assert expected in refused["error"][field][0]
    assert model.Session.get(YearlyTarget, (portal.org["id"], year)) is None


def test_targets_for_a_year_too_far_ahead_are_refused(app, portal):
    year = readiness.current_fiscal_year() + 2
    api(app, portal.admin, "opendata_th_target_update", status=409, organization=portal.org["name"],
        fiscal_year=year, datasets_published=1)
    assert model.Session.get(YearlyTarget, (portal.org["id"], year)) is None


def test_labels_follow_the_language_of_the_call(app, portal):
    shown = api(app, portal.member, "opendata_th_target_show", lang="en", organization=portal.org["name"])
    assert shown["result"]["rows"][0]["label"] == "Datasets published"
    shown = api(app, portal.member, "opendata_th_target_show", organization=portal.org["name"])
    assert shown["result"]["rows"][0]["label"] == "ชุดข้อมูลที่เผยแพร่"


# -- the yearly report and the daily measure ----------------------------------------

def test_the_yearly_report_lists_the_years_publications_and_what_was_handled(app, portal):
    report = api(app, portal.member, "opendata_th_yearly_report_show",
                 organization=portal.org["name"])["result"]
    names = {row["name"] for row in report["published_datasets"]}
    assert names == {portal.published[0]["name"], portal.published[1]["name"]}
    high = {row["name"]: row["high_value"] for row in report["published_datasets"]}
    assert high[portal.published[0]["name"]] is True
    assert report["published_datasets"][0]["published_at"].endswith("+07:00")
    assert report["feedback_handled"]["received"] == 1
    assert report["requests_handled"]["received"] == 1 and report["requests_handled"]["open"] == 1
    assert set(report["requests_handled"]) == {"received", "accepted", "already_available",
                                               "not_suitable", "open"}
    last = api(app, portal.member, "opendata_th_yearly_report_show", organization=portal.org["name"],
               fiscal_year=portal.last_year)["result"]
    assert [row["name"] for row in last["published_datasets"]] == [portal.published[2]["name"]]


def test_the_daily_measure_records_each_organizations_schedules(app, portal, cli):
    from ckanext.opendata_th.cli import opendata_th
    result = cli.invoke(opendata_th, ["measure"])
    assert result.exit_code == 0, result.output
    year = readiness.current_fiscal_year()
    measured = {row.organization_id: row for row in model.Session.query(YearlyMeasure).filter_by(fiscal_year=year)}
    assert set(measured) == {portal.org["id"], portal.other["id"]}
    assert measured[portal.org["id"]].on_schedule + measured[portal.org["id"]].overdue <= 3
    again = cli.invoke(opendata_th, ["measure"])  # the day's measure replaces the one before
    assert again.exit_code == 0
    assert model.Session.query(YearlyMeasure).filter_by(fiscal_year=year).count() == 2
