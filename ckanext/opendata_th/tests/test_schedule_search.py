"""What the glue puts in dataset dicts and in the search index, through
CKAN's actions on the PostgreSQL search backend: due dates that skip the
configured holidays, licence openness from CKAN's licence register, the
schedule facet and filter moving with the clock, and the indexed score.

The clock: the playbook reads ``context.now()`` (Python's clock) and the
search backend compiles ``NOW`` in range queries from Python's clock too
(``search.sql.Compiler.now = datetime.now(timezone.utc)``), not from
PostgreSQL's ``now()``; so freezegun moves both, and the tests check that it
does. One test also lets the real clock run past a due moment."""
import datetime as dt
import json
import time

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from freezegun import freeze_time

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.cli.cli import ckan as ckan_cli
from ckan.model.license import LicenseRegister
from ckan.tests.helpers import call_action

from ckanext.opendata_th import context
from ckanext.opendata_th.search import schema as search_schema
from ckanext.opendata_th.search import sql as search_sql
from ckanext.opendata_th.search.index import PostgresPackageSearchIndex

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db")

UTC = dt.timezone.utc
FACET = {"facet.field": '["opendata_schedule"]'}


def properties_of(dataset_dict):
    return {p["key"]: p for p in dataset_dict["opendata_properties"]["properties"]}


def names(**search):
    """Names of the datasets a package_search finds, in name order unless sorted."""
    search.setdefault("sort", "name asc")
    return [d["name"] for d in call_action("package_search", rows=100, **search)["results"]]


def schedule_facet(**search):
    return call_action("package_search", **FACET, **search)["facets"]["opendata_schedule"]


def index_rows(package_ids):
    """{id: (doc_no, indexed_ts)} of the search documents: they change when
    a dataset is indexed again."""
    rows = model.Session.execute(sa.text(
        f"SELECT id, doc_no, indexed_ts FROM {search_schema.TABLE} WHERE id = ANY(:ids)"),
        {"ids": list(package_ids)})
    return {row.id: (row.doc_no, row.indexed_ts) for row in rows}


# -- holidays ----------------------------------------------------------------------

WORKING_DAILY = {"update_frequency_unit": "วันทำการ", "update_frequency_interval": "1",
                 "update_frequency_time": "09:00"}


@pytest.mark.ckan_config("ckanext.opendata_th.holidays", "2026-03-13 2026-04-06")
def test_working_day_due_date_skips_a_configured_holiday(create_dataset):
    # Thursday 12 March 2026; Friday 13 is a holiday, then the weekend
    with freeze_time("2026-03-14 03:00:00"):  # Saturday 10:00 in Bangkok
        created = create_dataset(name="daily-report", last_updated_date="2026-03-12",
                                 **WORKING_DAILY)
        shown = call_action("package_show", id="daily-report")
        assert shown["opendata_due_date"] == "2026-03-16"
        assert shown["opendata_overdue"] is False
        assert shown["opendata_schedule"] == "on_schedule"
        assert properties_of(shown)["timely"]["status"] == "met"
        # the index holds the moment it becomes overdue: Tuesday 00:00 in Bangkok
        overdue_from = "2026-03-16T17:00:00Z"
        assert names(fq=f"opendata_overdue_date:[{overdue_from} TO {overdue_from}]") == [
            "daily-report"]
        assert names(fq="opendata_schedule:on_schedule") == ["daily-report"]
        assert names(fq="opendata_schedule:overdue") == []
        assert created["opendata_due_date"] == "2026-03-16"


def test_without_holidays_a_working_day_due_date_skips_only_the_weekend(create_dataset):
    with freeze_time("2026-03-14 03:00:00"):
        create_dataset(name="daily-report", last_updated_date="2026-03-12", **WORKING_DAILY)
        shown = call_action("package_show", id="daily-report")
        assert shown["opendata_due_date"] == "2026-03-13"
        assert shown["opendata_schedule"] == "overdue"
        assert names(fq="opendata_schedule:overdue") == ["daily-report"]


# -- the licence register --------------------------------------------------------------

def licence(licence_id, conformance):
    return {"id": licence_id, "title": licence_id, "url": "", "od_conformance": conformance,
            "osd_conformance": "not reviewed", "status": "active", "maintainer": "",
            "domain_content": False, "domain_data": True, "domain_software": False}


@pytest.fixture
def licence_register(monkeypatch, tmp_path):
    """``licence_register([licences])``: CKAN's licence register from a file
    of these licences (``licenses_group_url``), for this test only."""
    def use(licences):
        path = tmp_path / "licenses.json"
        path.write_text(json.dumps(licences, ensure_ascii=False), encoding="utf-8")
        monkeypatch.setitem(tk.config, "licenses_group_url", f"file://{path}")
        monkeypatch.setattr(model.Package, "_license_register", LicenseRegister(), raising=False)
    return use


OTHER_LICENCE = {"license_id": "อื่นๆ", "license_id_other": "ใบอนุญาตของหน่วยงาน"}


def test_licence_openness_comes_from_the_configured_register(create_dataset):
    # the test configuration's register (schemas/licenses.json): Open Data
    # Common is open; "other" (อื่นๆ) is not reviewed, so a person must check
    create_dataset(name="common", license_id="Open Data Common")
    create_dataset(name="own-licence", **OTHER_LICENCE)
    common = properties_of(call_action("package_show", id="common"))["license_free"]
    own = properties_of(call_action("package_show", id="own-licence"))["license_free"]
    assert (common["status"], own["status"]) == ("met", "needs_attestation")
    assert names(fq="opendata_unmet:license_free") == ["own-licence"]


def test_a_register_that_changes_openness_changes_license_free(create_dataset, licence_register):
    # an agency's register: Open Data Common not approved, its own licence approved
    licence_register([licence("Open Data Common", "rejected"), licence("อื่นๆ", "approved")])
    create_dataset(name="common", license_id="Open Data Common")
    create_dataset(name="own-licence", **OTHER_LICENCE)
    common = properties_of(call_action("package_show", id="common"))["license_free"]
    own = properties_of(call_action("package_show", id="own-licence"))["license_free"]
    assert (common["status"], own["status"]) == ("not_met", "met")
    assert common["evidence"][0]["id"] == "{licence} is not a recognised open licence"
    assert common["evidence"][0]["text"] == "Open Data Common ไม่อยู่ในรายการสัญญาอนุญาตแบบเปิด"
    # the index and the properties action agree
    assert names(fq="opendata_unmet:license_free") == ["common"]
    statuses = {p["key"]: p["status"] for p in call_action(
        "opendata_th_properties_show", id="own-licence")["properties"]}
    assert statuses["license_free"] == "met"


# -- the schedule facet moves with the clock ----------------------------------------------

def test_schedule_facet_and_filter_move_with_the_clock_without_reindexing(create_dataset,
                                                                        monkeypatch):
    # monthly from 15 Jan 2026: due 15 Feb, overdue from 16 Feb 00:00 in
    # Bangkok = 15 Feb 17:00 UTC
    with freeze_time("2026-02-15 16:59:59"):
        due_soon = create_dataset(name="due-soon", update_frequency_unit="เดือน",
                                  update_frequency_interval="1", last_updated_date="2026-01-15")
        fresh = create_dataset(name="fresh", update_frequency_unit="ปี",
                               update_frequency_interval="1", last_updated_date="2026-01-15")
        static = create_dataset(name="static", update_frequency_unit="ไม่ทราบ",
                                update_frequency_interval="")
        # the search backend's NOW is the frozen clock
        assert search_sql.Compiler().now == dt.datetime(2026, 2, 15, 16, 59, 59, tzinfo=UTC)
        assert context.now() == dt.datetime(2026, 2, 15, 23, 59, 59)
        shown = call_action("package_show", id="due-soon")
        assert shown["opendata_due_date"] == "2026-02-15"
        assert shown["opendata_schedule"] == "on_schedule"
        assert schedule_facet() == {"on_schedule": 2, "no_schedule": 1}
        assert names(fq="opendata_schedule:overdue") == []
        assert names(fq="opendata_schedule:on_schedule") == ["due-soon", "fresh"]
        indexed = index_rows([due_soon["id"], fresh["id"], static["id"]])
        assert len(indexed) == 3

    reindexed = []
    index_package = PostgresPackageSearchIndex.index_package

    def spy(self, pkg_dict, *args, **kwargs):
        reindexed.append(pkg_dict and pkg_dict.get("name"))
        return index_package(self, pkg_dict, *args, **kwargs)

    monkeypatch.setattr(PostgresPackageSearchIndex, "index_package", spy)
    with freeze_time("2026-02-15 17:00:00"):  # 16 Feb 00:00 in Bangkok
        assert search_sql.Compiler().now == dt.datetime(2026, 2, 15, 17, 0, tzinfo=UTC)
        shown = call_action("package_show", id="due-soon")
        assert (shown["opendata_overdue"], shown["opendata_schedule"]) == (True, "overdue")
        assert properties_of(shown)["timely"]["status"] == "not_met"
        assert schedule_facet() == {"overdue": 1, "on_schedule": 1, "no_schedule": 1}
        assert names(fq="opendata_schedule:overdue") == ["due-soon"]
        assert names(fq='opendata_schedule:"overdue"') == ["due-soon"]
        assert names(fq="opendata_schedule:on_schedule") == ["fresh"]
        assert names(fq="opendata_schedule:no_schedule") == ["static"]
        assert schedule_facet(fq="opendata_schedule:overdue") == {"overdue": 1}
        assert schedule_facet(fq_list=["opendata_schedule:on_schedule"]) == {"on_schedule": 1}
        found = call_action("package_search", fq="opendata_schedule:overdue")["results"]
        assert [(d["name"], d["opendata_schedule"]) for d in found] == [("due-soon", "overdue")]
    # nothing was indexed again: the documents are the ones written before
    assert reindexed == []
    assert index_rows([due_soon["id"], fresh["id"], static["id"]]) == indexed


def test_schedule_facet_moves_with_the_real_clock(create_dataset):
    """No frozen clock: an every-minute dataset whose file changed 50 seconds
    ago is on schedule, and overdue once the minute has passed."""
    changed = (dt.datetime.now(UTC) - dt.timedelta(seconds=50)).replace(microsecond=0)
    feed = {"name": "feed", "url": "https://agency.example/feed.json", "format": "JSON",
            "last_modified": changed.replace(tzinfo=None).isoformat()}  # CKAN's UTC
    created = create_dataset(name="per-minute", update_frequency_unit="นาที",
                             update_frequency_interval="1", update_frequency_time="00:00",
                             resources=[feed])
    due_at = dt.datetime.fromisoformat(created["opendata_due_date"])
    assert due_at == changed + dt.timedelta(minutes=1)
    assert due_at.utcoffset() == dt.timedelta(hours=7)
    assert schedule_facet() == {"on_schedule": 1}
    assert names(fq="opendata_schedule:on_schedule") == ["per-minute"]
    time.sleep(max(0.0, (due_at - dt.datetime.now(UTC)).total_seconds()) + 1)
    assert schedule_facet() == {"overdue": 1}
    assert names(fq="opendata_schedule:overdue") == ["per-minute"]
    assert call_action("package_show", id="per-minute")["opendata_schedule"] == "overdue"


# -- the indexed score ---------------------------------------------------------------------

ATTESTED = {"opendata_attest_complete": "True", "opendata_attest_primary": "True"}
MONTHLY = {"update_frequency_unit": "เดือน", "update_frequency_interval": "1"}


@pytest.fixture
def scored(create_dataset):
    """Three datasets of known scores (link unchecked: "permanent" unmet)."""
    with freeze_time("2026-03-10 03:00:00"):
        create_dataset(name="attested", last_updated_date="2026-03-01", **ATTESTED)
        create_dataset(name="plain", last_updated_date="2026-03-01")
        create_dataset(name="pdf-late", last_updated_date="2025-12-01", **MONTHLY, resources=[
            {"name": "report", "url": "https://agency.example/report.pdf", "format": "PDF"}])
        return {name: call_action("opendata_th_properties_show", id=name)["score"]
                for name in ("attested", "plain", "pdf-late")}


def test_score_is_indexed_for_filters_and_sorting(scored):
    assert scored == {"attested": 8, "plain": 6, "pdf-late": 4}
    with freeze_time("2026-03-10 03:00:00"):
        assert names(fq="opendata_score:[8 TO *]") == ["attested"]
        assert names(fq="opendata_score:[5 TO 7]") == ["plain"]
        assert names(fq="opendata_score:4") == ["pdf-late"]
        assert names(fq="opendata_score:[* TO 6]") == ["pdf-late", "plain"]
        assert names(sort="opendata_score desc") == ["attested", "plain", "pdf-late"]
        assert names(sort="opendata_score asc") == ["pdf-late", "plain", "attested"]
        assert names(fq="opendata_unmet:timely") == ["pdf-late"]
        assert names(fq="opendata_unmet:machine_readable") == ["pdf-late"]
        assert names(fq="opendata_unmet:complete") == ["pdf-late", "plain"]
        assert names(fq="opendata_unmet:permanent") == ["attested", "pdf-late", "plain"]


def test_search_results_assessment_follows_the_clock(scored):
    with freeze_time("2027-03-10 03:00:00"):  # a year on: all three are overdue
        shown = {name: call_action("package_show", id=name)["opendata_properties"]["score"]
                 for name in ("attested", "plain", "pdf-late")}
        assert shown == {"attested": 7, "plain": 5, "pdf-late": 4}
        found = call_action("package_search", q="*:*", sort="name asc")["results"]
        assert {d["name"]: d["opendata_properties"]["score"] for d in found} == shown
        assert {d["name"]: properties_of(d)["timely"]["status"] for d in found} == {
            "attested": "not_met", "plain": "not_met", "pdf-late": "not_met"}


def test_indexed_score_follows_the_clock_after_the_daily_refresh(scored, ckan_config):
    from ckanext.opendata_th.jobs.search_index import refresh_overdue

    with freeze_time("2027-03-10 03:00:00"):  # a year on: attested and plain are overdue
        shown = {name: call_action("opendata_th_properties_show", id=name)["score"]
                 for name in ("attested", "plain")}
        assert shown == {"attested": 7, "plain": 5}
        # the indexed figures lag until the daily run of `remind` refreshes them
        assert names(fq="opendata_unmet:timely") == ["pdf-late"]
        assert refresh_overdue() == ["attested", "plain"]
        assert names(fq="opendata_unmet:timely") == ["attested", "pdf-late", "plain"]
        assert names(fq="opendata_score:[8 TO *]") == []
        assert refresh_overdue() == []  # nothing left to refresh
        result = CliRunner().invoke(ckan_cli, ["-c", ckan_config["__file__"], "opendata-th", "remind"])
        assert "re-indexed" not in result.output


def test_indexed_score_follows_the_link_check(create_dataset, sysadmin, link_site):
    create_dataset(name="linked", resources=[
        {"name": "data", "url": link_site.answer("/data.csv", 200), "format": "CSV"}])
    assert call_action("opendata_th_properties_show", id="linked")["score"] == 6
    assert names(fq="opendata_score:6") == ["linked"]
    assert names(fq="opendata_unmet:permanent") == ["linked"]
    result = call_action("opendata_th_link_check", {"user": sysadmin["name"]}, id="linked")
    assert result["properties"]["score"] == 7
    assert names(fq="opendata_unmet:permanent") == []
    assert names(fq="opendata_score:7") == ["linked"]
    [found] = call_action("package_search", q="name:linked")["results"]
    assert found["opendata_properties"]["score"] == 7
