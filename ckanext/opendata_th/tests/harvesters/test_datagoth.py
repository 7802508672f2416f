"""The ``datagoth`` harvester end to end: a harvest source on this portal,
ckanext-harvest's gather and fetch consumers on real Redis (run in this
process until their queues are empty), ``harvest_jobs_run`` to finish the
job, and the local thai_gdc server as the remote catalog.

ckanext-harvest is imported inside fixtures and tests, never when the module
is collected: its model maps Package.harvest_objects in every process that
imports it (see tests/conftest.py)."""
from __future__ import annotations

import datetime as dt
import json
import re
from types import SimpleNamespace

import pytest

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.opendata_th import localize
from ckanext.opendata_th.model.sync import SyncRecord, SyncSource
from ckanext.opendata_th.model.workflow import WorkflowEvent, WorkflowRecord
from ckanext.opendata_th.playbook import national_portal
from ckanext.opendata_th.tests.datasets import national_dataset, national_resource
from ckanext.opendata_th.tests.harvesters import runs
from ckanext.opendata_th.tests.thai_gdc import (ThaiGdcCatalog, ThaiGdcServer, sample_datasets,
                                                sample_organizations)

PLUGINS = "opendata_th_search opendata_th activity scheming_datasets harvest opendata_th_harvester"
TOKEN_OPTION = "ckanext.opendata_th.sync.token"
TOKEN = "gateway-key-51c2"
REMOTE_ORGANIZATIONS = ("trade-stat", "agri-data")

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.ckan_config("ckanext.opendata_th.harvest.retries", "1"),
    pytest.mark.ckan_config("ckanext.opendata_th.harvest.backoff", "0"),
    pytest.mark.ckan_config("ckanext.opendata_th.harvest.request_timeout", "1"),
    pytest.mark.ckan_config(TOKEN_OPTION, TOKEN),
    pytest.mark.usefixtures("with_plugins", "clean_db"),
]


# -- the remote catalog ---------------------------------------------------------------

def remote_datasets(count: int = 10) -> list[dict]:
    """Two of each data_type, one of them (the 8th) public though not
    disclosable; one with the licence "License not specified" and one
    with an "อื่นๆ" value."""
    datasets = sample_datasets(count, seed=12, organizations=REMOTE_ORGANIZATIONS)
    datasets[0]["license_id"] = "License not specified"
    datasets[1]["geo_coverage"] = "อื่นๆ"
    datasets[1]["geo_coverage_other"] = "เขตพัฒนาพิเศษภาคตะวันออก"
    return datasets


@pytest.fixture
def remote():
    """The local thai_gdc catalog, serving; ``.catalog`` changes it."""
    catalog = ThaiGdcCatalog(remote_datasets(), sample_organizations(REMOTE_ORGANIZATIONS))
    with ThaiGdcServer(catalog) as server:
        yield server


@pytest.fixture
def keyed_remote():
    """The same catalog behind a token (the sysadmin's, on the action API;
    the gateway's key on /get-ckan)."""
    catalog = ThaiGdcCatalog(remote_datasets(5), sample_organizations(REMOTE_ORGANIZATIONS))
    with ThaiGdcServer(catalog, token=TOKEN, reject_unknown_tokens=True) as server:
        yield server


def remote_show(server, remote_id: str) -> dict:
    """The remote dataset as its package_show gives it (to the sysadmin)."""
    return server.catalog.show(remote_id, site_url=server.url)


# -- this portal -----------------------------------------------------------------------

@pytest.fixture
def portal():
    """The sysadmin, the local organization named as a remote one
    (trade-stat), the one the map sends agri-data to, and the harvest
    source's own organization."""
    return SimpleNamespace(
        sysadmin=factories.Sysadmin(),
        trade=factories.Organization(name="trade-stat", title="สำนักงานสถิติการค้า (สำเนา)"),
        agri=factories.Organization(name="agri-local", title="ศูนย์ข้อมูลการเกษตร (สำเนา)"),
        copies=factories.Organization(name="national-copies", title="ชุดข้อมูลจากส่วนกลาง"))


def make_source(portal, url: str, **config) -> dict:
    config.setdefault("organization_map", {"agri-data": "agri-local"})
    return call_action("harvest_source_create", {"user": portal.sysadmin["name"]},
                       name="data-go-th", title="data.go.th", url=url, source_type="datagoth",
                       config=json.dumps(config), owner_org=portal.copies["id"])


@pytest.fixture
def queues():
    """ckanext-harvest's gather and fetch queues on Redis, emptied."""
    runs.purge_queues()


def harvest(source: dict, queues) -> SimpleNamespace:
    """One harvest job, as the consumers and the cron run it (tests/harvesters/
    runs.py). Returns the job, its report and its harvest objects."""
    from ckanext.harvest.model import HarvestObject

    job = runs.run_job(source["id"], {"ignore_auth": True})
    model.Session.remove()
    shown = call_action("harvest_job_show", id=job["id"])
    report = call_action("harvest_job_report", id=job["id"])
    objects = model.Session.query(HarvestObject).filter_by(harvest_job_id=job["id"]).all()
    return SimpleNamespace(job=shown, stats=shown["stats"], report=report, objects=objects,
                           errors=[e["message"] for e in report["gather_errors"]],
                           object_errors=[m["message"] for o in report["object_errors"].values()
                                          for m in o["errors"]])


def record_of(remote_id: str) -> SyncRecord:
    return model.Session.query(SyncRecord).filter_by(remote_id=remote_id).one()


def local(remote_id: str) -> dict:
    return call_action("package_show", id=record_of(remote_id).package_id)


def watermark_of(source_id: str):
    found = model.Session.get(SyncSource, source_id)
    return found.watermark if found is not None else None


def header(request, name: str):
    """A header of a request the remote received, whatever its case."""
    return {key.lower(): value for key, value in request.headers.items()}.get(name.lower())


def workflow(package_id: str) -> WorkflowRecord:
    return model.Session.get(WorkflowRecord, package_id)


def local_counts() -> tuple:
    """How many datasets this portal has, public ones, and field values
    stored: what a failed harvest must leave as it was."""
    datasets = model.Session.query(model.Package).filter_by(type="dataset", state="active").all()
    return (len(datasets), sum(1 for d in datasets if not d.private),
            model.Session.query(model.PackageExtra).count(),
            sorted((d.name, d.title, d.private, d.metadata_modified) for d in datasets))


# -- a full import -------------------------------------------------------------------

def test_every_dataset_arrives_with_every_field_intact(portal, remote, queues):
    datasets = list(remote.catalog.datasets.values())
    taken = datasets[2]["name"]  # a local dataset already uses one remote name
    mine = call_action("package_create", {"user": portal.sysadmin["name"]},
                       **national_dataset(name=taken, owner_org=portal.trade["id"],
                                          resources=[national_resource()]))
    source = make_source(portal, remote.url)

    run = harvest(source, queues)

    assert run.job["status"] == "Finished" and not run.errors
    assert run.stats["added"] == 10, run.object_errors
    # ckanext-harvest counts an object with a message as errored: the one withheld
    assert run.stats["errored"] == 1 and len(run.object_errors) == 1
    for dataset in datasets:
        shown = remote_show(remote, dataset["id"])
        copy = local(dataset["id"])
        assert national_portal.compare(copy, shown).status == national_portal.IDENTICAL, \
            national_portal.compare(copy, shown).as_dict()
        assert copy["id"] != dataset["id"] and copy["title"] == dataset["title"]
        assert [r["url"] for r in copy["resources"]] == [r["url"] for r in shown["resources"]]
        assert all(r["url"].startswith(("http://", "https://")) for r in copy["resources"])
        expected_org = {"trade-stat": portal.trade["id"], "agri-data": portal.agri["id"]}
        assert copy["owner_org"] == expected_org[shown["organization"]["name"]]
    # the local dataset keeps its name; the harvested one gets another
    assert call_action("package_show", id=taken)["id"] == mine["id"]
    assert local(datasets[2]["id"])["name"] == f"{taken}-2"
    # national values the local schema has no choice for: by the documented table
    assert local(datasets[0]["id"])["license_id"] == national_portal.LICENCE_TABLE["License not specified"]
    other = local(datasets[1]["id"])
    assert (other["geo_coverage"], other["geo_coverage_other"]) == ("อื่นๆ", "เขตพัฒนาพิเศษภาคตะวันออก")


def test_published_arrive_published_as_the_national_portal_says(portal, remote, queues):
    run = harvest(make_source(portal, remote.url), queues)
    assert run.stats["added"] == 10
    published = [d for d in remote.catalog.datasets.values() if d["data_category"] == "ข้อมูลสาธารณะ"]
    assert len(published) == 9
    for dataset in published:
        copy = local(dataset["id"])
        found = workflow(copy["id"])
        assert copy["private"] is False and copy["opendata_stage"] == "published"
        assert found.approval_source == remote.url
        assert found.approved_at == national_portal.remote_time(dataset["metadata_created"])
        approval = model.Session.query(WorkflowEvent).filter_by(package_id=copy["id"],
                                                                transition="approve").one()
        assert approval.detail["source"] == remote.url and approval.user_id is None


def test_undisclosable_arrive_withheld_and_private_and_the_report_names_them(portal, remote, queues):
    run = harvest(make_source(portal, remote.url), queues)
    [closed] = [d for d in remote.catalog.datasets.values() if d["data_category"] != "ข้อมูลสาธารณะ"]
    copy = local(closed["id"])
    assert copy["private"] is True and copy["opendata_stage"] == "withheld"
    [named] = [m for m in run.object_errors if closed["title"] in m]
    assert closed["data_category"] in named  # why
    history = model.Session.query(WorkflowEvent).filter_by(package_id=copy["id"], transition="withhold").one()
    assert closed["data_category"] in history.comment


# -- re-runs ----------------------------------------------------------------------------

def test_a_rerun_with_no_change_creates_no_harvest_object_and_asks_little(portal, remote, queues):
    source = make_source(portal, remote.url)
    harvest(source, queues)
    before = len(remote.requests)
    run = harvest(source, queues)
    assert run.objects == [] and not run.errors
    asked = remote.requests[before:]
    assert [r.action for r in asked] == ["package_search"]  # one listing page for 10 datasets
    assert asked[0].params.get("fl") == "id,name,metadata_modified"


def test_a_rerun_imports_only_what_changed_and_keeps_the_local_records(portal, remote, queues):
    source = make_source(portal, remote.url)
    harvest(source, queues)
    changed = list(remote.catalog.datasets.values())[3]
    copy = local(changed["id"])
    # local records: a classification, and the national approval
    found = workflow(copy["id"])
    found.classification = {"outcome": "open", "disclosable": True, "answers": {}, "version": 1}
    model.Session.commit()
    approved_at, resource_ids = found.approved_at, [r["id"] for r in copy["resources"]]
    remote.catalog.update(changed["id"], title=changed["title"] + " (ฉบับปรับปรุง)")

    run = harvest(source, queues)

    assert [o.guid for o in run.objects] == [changed["id"]]
    assert run.stats["updated"] == 1 and run.stats["added"] == 0
    again = local(changed["id"])
    assert again["title"].endswith("(ฉบับปรับปรุง)") and again["private"] is False
    assert [r["id"] for r in again["resources"]] == resource_ids
    found = workflow(copy["id"])
    assert found.classification["outcome"] == "open"
    assert (found.stage, found.approved_at, found.approval_source) == ("published", approved_at, remote.url)


def test_an_update_that_makes_a_published_copy_undisclosable_recalls_it(portal, remote, queues):
    source = make_source(portal, remote.url)
    harvest(source, queues)
    target = list(remote.catalog.datasets.values())[0]
    remote.catalog.update(target["id"], data_category="ข้อมูลส่วนบุคคล", data_classification="ลับ")
    run = harvest(source, queues)
    copy = local(target["id"])
    assert copy["private"] is True and copy["opendata_stage"] == "pending_approval"
    assert any(target["title"] in m and "ข้อมูลส่วนบุคคล" in m for m in run.object_errors)


# -- withdrawals -----------------------------------------------------------------------

def test_deletion_and_privatisation_withdraw_and_never_purge(portal, remote, queues):
    source = make_source(portal, remote.url)
    harvest(source, queues)
    deleted, hidden = list(remote.catalog.datasets.values())[:2]
    remote.catalog.delete(deleted["id"])
    remote.catalog.make_private(hidden["id"])
    count = model.Session.query(model.Package).filter_by(type="dataset").count()

    run = harvest(source, queues)

    assert run.stats["deleted"] == 2 and run.stats["errored"] == 0
    assert model.Session.query(model.Package).filter_by(type="dataset").count() == count  # no purge
    for dataset in (deleted, hidden):
        record = record_of(dataset["id"])
        copy = call_action("package_show", id=record.package_id)
        assert copy["private"] is True and copy["state"] == "active"
        reason = localize.text(national_reason(remote.url))
        assert record.withdrawn_at is not None and record.withdrawn_reason == reason
        withdrawal = model.Session.query(WorkflowEvent).filter_by(package_id=copy["id"],
                                                                  transition="withdraw").one()
        assert withdrawal.comment == reason and remote.url in reason
        assert workflow(copy["id"]).stage == "returned"
    # nothing more to do on the next run
    assert harvest(source, queues).objects == []
    # the privatised one is public again there: published again here
    remote.catalog.update(hidden["id"], private=False)
    run = harvest(source, queues)
    assert [o.guid for o in run.objects] == [hidden["id"]]
    back = local(hidden["id"])
    assert back["private"] is False and back["opendata_stage"] == "published"
    assert record_of(hidden["id"]).withdrawn_at is None


def national_reason(remote_url: str):
    from ckanext.opendata_th.harvesters import pull

    return pull.reason(pull.NOT_PUBLIC, remote_url)  # CKAN refuses both to anonymous callers


def test_with_a_token_a_deletion_and_a_privatisation_are_told_apart(portal, keyed_remote, queues):
    source = make_source(portal, keyed_remote.url, token_option=TOKEN_OPTION)
    harvest(source, queues)
    deleted, hidden = list(keyed_remote.catalog.datasets.values())[:2]
    keyed_remote.catalog.delete(deleted["id"])
    keyed_remote.catalog.make_private(hidden["id"])
    harvest(source, queues)
    from ckanext.opendata_th.harvesters import pull

    assert record_of(deleted["id"]).withdrawn_reason == localize.text(pull.reason(pull.DELETED, keyed_remote.url))
    assert record_of(hidden["id"]).withdrawn_reason == localize.text(
        pull.reason(pull.MADE_PRIVATE, keyed_remote.url))
    assert local(hidden["id"])["private"] is True


def test_a_remote_private_dataset_seen_with_a_token_arrives_a_private_candidate(portal, keyed_remote, queues):
    hidden, later = list(keyed_remote.catalog.datasets.values())[:2]
    keyed_remote.catalog.make_private(hidden["id"])
    source = make_source(portal, keyed_remote.url, token_option=TOKEN_OPTION)
    harvest(source, queues)
    copy = local(hidden["id"])
    assert copy["private"] is True and copy["opendata_stage"] == "candidate"
    # a published copy whose remote becomes private (still listed, with the token) is withdrawn
    keyed_remote.catalog.make_private(later["id"])
    run = harvest(source, queues)
    assert [o.guid for o in run.objects] == [later["id"]]
    assert local(later["id"])["private"] is True and workflow(local(later["id"])["id"]).stage == "returned"
    assert harvest(source, queues).objects == []  # and that is not done again


def test_unfollowing_an_organization_withdraws_its_datasets_and_following_it_again_brings_them_back(
        portal, remote, queues):
    source = make_source(portal, remote.url)
    harvest(source, queues)
    every_agri = [d["id"] for d in remote.catalog.datasets.values() if d["organization"]["name"] == "agri-data"]
    agri = [i for i in every_agri if remote.catalog.datasets[i]["data_category"] == "ข้อมูลสาธารณะ"]

    def follow(*organizations):
        config = {"organizations": list(organizations), "organization_map": {"agri-data": "agri-local"}}
        call_action("harvest_source_patch", {"user": portal.sysadmin["name"]}, id=source["id"],
                    config=json.dumps(config))

    follow("trade-stat")
    run = harvest(source, queues)
    assert run.stats["deleted"] == len(every_agri) == 5 and len(agri) == 4  # one was withheld
    from ckanext.opendata_th.harvesters import pull

    reason = localize.text(pull.reason(pull.UNFOLLOWED, remote.url))
    assert all(local(i)["private"] and record_of(i).withdrawn_reason == reason for i in every_agri)
    follow()  # all of them again
    run = harvest(source, queues)
    assert sorted(o.guid for o in run.objects) == sorted(every_agri)
    assert all(not local(i)["private"] and local(i)["opendata_stage"] == "published" for i in agri)
    assert all(record_of(i).withdrawn_at is None for i in every_agri)
    assert harvest(source, queues).objects == []


# -- the gateway ------------------------------------------------------------------------

def test_the_gateway_with_its_key_in_the_header(portal, keyed_remote, queues):
    source = make_source(portal, keyed_remote.gateway_url, api="gateway", token_option=TOKEN_OPTION,
                         token_header="api-key")
    run = harvest(source, queues)
    assert run.stats["added"] == 5 and not run.errors
    assert keyed_remote.requests and all(
        r.path.startswith("/get-ckan/") and header(r, "api-key") == TOKEN and not header(r, "authorization")
        for r in keyed_remote.requests)


@pytest.mark.ckan_config("ckanext.opendata_th.sync.agri_token", "not-the-key")
def test_a_refused_key_changes_nothing_and_says_so(portal, keyed_remote, queues):
    source = make_source(portal, keyed_remote.gateway_url, api="gateway",
                         token_option="ckanext.opendata_th.sync.agri_token")
    run = harvest(source, queues)
    assert run.job["status"] == "Finished" and run.objects == []
    [error] = run.errors
    assert keyed_remote.gateway_url in error and "403" in error and "Traceback" not in error
    assert model.Session.query(SyncRecord).count() == 0


# -- faults ---------------------------------------------------------------------------

FAULTS = {
    "500": lambda server: server.fail("package_search", "500", times=100),
    "timeout": lambda server: (setattr(server, "timeout_sleep", 1.5),
                               server.fail("package_search", "timeout", times=100)),
    "malformed": lambda server: server.fail("package_search", "malformed", times=100),
    "page missing mid-gather": lambda server: server.fail("package_search", "404", times=100, after=1),
    "dropped": lambda server: server.fail("package_search", "drop", times=100),
    "remote gone": lambda server: server.go_away(),
}


@pytest.mark.parametrize("fault", FAULTS)
def test_a_fault_leaves_the_portal_as_it_was_and_the_next_run_completes(portal, remote, queues, fault,
                                                                         monkeypatch):
    from ckanext.opendata_th.harvesters import datagoth

    monkeypatch.setattr(datagoth, "PAGE_SIZE", 4)  # several pages for 10 datasets
    source = make_source(portal, remote.url)
    harvest(source, queues)
    imported = max(national_portal.remote_time(d["metadata_modified"])
                   for d in remote.catalog.datasets.values())
    first, second = list(remote.catalog.datasets.values())[:2]
    remote.catalog.update(first["id"], title="ชื่อใหม่ของชุดข้อมูล")
    remote.catalog.delete(second["id"])
    before = local_counts()

    FAULTS[fault](remote)
    run = harvest(source, queues)

    assert run.job["status"] == "Finished" and run.objects == []
    [error] = run.errors
    assert remote.url in error and "Traceback" not in error
    assert local_counts() == before
    # the watermark moved to what the first job imported, not to the changes
    assert watermark_of(source["id"]) == imported

    remote.clear_faults()
    remote.come_back()
    run = harvest(source, queues)
    assert not run.errors and run.stats["errored"] == 0
    assert run.stats["updated"] == 1 and run.stats["deleted"] == 1
    assert local(first["id"])["title"] == "ชื่อใหม่ของชุดข้อมูล"
    assert local(second["id"])["private"] is True
    assert watermark_of(source["id"]) == imported  # the failed job is not counted


def test_a_withdrawal_the_remote_cannot_confirm_withdraws_nothing(portal, remote, queues):
    source = make_source(portal, remote.url)
    harvest(source, queues)
    gone = list(remote.catalog.datasets.values())[0]
    remote.catalog.delete(gone["id"])
    remote.fail("package_show", "500", times=100)
    run = harvest(source, queues)
    assert run.stats["errored"] == 1
    assert local(gone["id"])["private"] is False and record_of(gone["id"]).withdrawn_at is None
    remote.clear_faults()
    assert harvest(source, queues).stats["deleted"] == 1


def test_a_failed_dataset_is_gathered_again_and_the_watermark_waits_for_it(portal, remote, queues):
    source = make_source(portal, remote.url)
    agri = model.Group.get("agri-local")
    agri.state = "deleted"  # the map's organization is gone: agri-data's datasets fail
    model.Session.commit()
    run = harvest(source, queues)
    failed = [d for d in remote.catalog.datasets.values() if d["organization"]["name"] == "agri-data"]
    assert run.stats["errored"] == len(failed) == 5 and run.stats["added"] == 5
    assert all("agri-local" in m for m in run.object_errors)
    assert all(not model.Session.query(SyncRecord).filter_by(remote_id=d["id"]).count() for d in failed)

    agri = model.Group.get("agri-local")
    agri.state = "active"
    model.Session.commit()
    run = harvest(source, queues)  # no remote change: the failed ones again, only them
    assert sorted(o.guid for o in run.objects) == sorted(d["id"] for d in failed)
    assert run.stats["added"] == 5 and all(o.state == "COMPLETE" for o in run.objects)
    assert watermark_of(source["id"]) is None  # the first job had errors

    harvest(source, queues)  # starts by judging the second job: clean
    newest = max(national_portal.remote_time(d["metadata_modified"]) for d in failed)
    assert watermark_of(source["id"]) == newest


def test_a_dataset_that_cannot_be_stored_fails_alone_with_the_field_named(portal, remote, queues):
    broken = list(remote.catalog.datasets.values())[4]
    remote.catalog.update(broken["id"], data_category="ข้อมูลลับเฉพาะกิจ")
    run = harvest(make_source(portal, remote.url), queues)
    assert run.stats["added"] == 9
    [failed] = [o for o in run.objects if o.state == "ERROR"]
    assert failed.guid == broken["id"]
    [message] = [m for m in run.object_errors if broken["title"] in m]
    assert "ข้อมูลลับเฉพาะกิจ" in message
    assert not model.Session.query(SyncRecord).filter_by(remote_id=broken["id"]).count()


# -- the publish rule and the readiness gate ----------------------------------------------

@pytest.mark.ckan_config("ckanext.opendata_th.require_readiness", "true")
def test_the_readiness_gate_does_not_refuse_a_national_publication(portal, remote, queues):
    from ckanext.opendata_th.logic import readiness_gate

    assert readiness_gate.refusal(portal.trade["id"]) is not None  # not assessed: not ready
    harvest(make_source(portal, remote.url), queues)
    published = [d for d in remote.catalog.datasets.values()
                 if d["data_category"] == "ข้อมูลสาธารณะ" and d["organization"]["name"] == "trade-stat"]
    assert published and all(local(d["id"])["private"] is False for d in published)
    # the gate still holds for this portal's own datasets
    mine = call_action("package_create", {"user": portal.sysadmin["name"]},
                       **national_dataset(owner_org=portal.trade["id"], resources=[national_resource()]))
    from ckanext.opendata_th.logic import approval_gate

    approval_gate.record_publication(model.Package.get(mine["id"]), user_id=None, source="tests", comment="")
    model.Session.commit()
    with pytest.raises(tk.ValidationError):
        call_action("package_patch", {"user": portal.sysadmin["name"]}, id=mine["id"], private=False)


# -- the time limit ----------------------------------------------------------------------

def test_a_stuck_job_is_finished_by_the_time_limit(portal, remote, ckan_config):
    from ckanext.harvest.model import HarvestJob, HarvestSource

    assert ckan_config["ckan.harvest.timeout"] == "120"  # the default this plugin sets
    source = make_source(portal, remote.url)
    stuck = HarvestJob(source=HarvestSource.get(source["id"]), status="Running",
                       created=dt.datetime.utcnow() - dt.timedelta(minutes=121))
    stuck.save()
    recent = HarvestJob(source=HarvestSource.get(source["id"]), status="Running",
                        created=dt.datetime.utcnow() - dt.timedelta(minutes=30), gather_started=None)
    recent.save()
    stuck_id, recent_id = stuck.id, recent.id
    call_action("harvest_jobs_run", source_id=source["id"])
    model.Session.remove()
    shown = call_action("harvest_job_show", id=stuck_id)
    assert shown["status"] == "Finished"
    [error] = call_action("harvest_job_report", id=stuck_id)["gather_errors"]
    assert "timeout (120 minutes)" in error["message"]
    assert call_action("harvest_job_show", id=recent_id)["status"] == "Running"


@pytest.mark.ckan_config("ckanext.opendata_th.harvest.time_limit", "45")
def test_the_time_limit_is_configurable(ckan_config):
    assert ckan_config["ckan.harvest.timeout"] == "45"


# -- the source configuration ------------------------------------------------------------

@pytest.mark.parametrize("config, says", [
    ({"token": "abc"}, "token_option"),
    ({"api_key": "abc"}, "ckanext.opendata_th.sync.token"),
    ({"api": "soap"}, "soap"),
    ({"organizations": "trade-stat"}, "organizations"),
    ({"organizations": ["Trade Stat"]}, "organizations"),
    ({"organization_map": {"trade-stat": "no-such-org"}}, "no-such-org"),
    ({"token_option": "sqlalchemy.url"}, "sqlalchemy.url"),
    ({"token_option": "ckanext.opendata_th.sync.other_token"}, "ckanext.opendata_th.sync.other_token"),
    ({"token_header": "Api Key"}, "token_header"),
    ({"pages": 3}, "pages"),
])
def test_a_wrong_source_configuration_is_refused_plainly(portal, config, says):
    with pytest.raises(tk.ValidationError) as raised:
        call_action("harvest_source_create", {"user": portal.sysadmin["name"]}, name="wrong",
                    title="wrong", url="https://data.go.th", source_type="datagoth",
                    config=json.dumps(config), owner_org=portal.copies["id"])
    message = " ".join(raised.value.error_dict["config"])
    assert says in message, message
    assert "abc" not in message  # a token given is not repeated


def test_the_configuration_errors_come_in_the_users_language(app):
    admin = factories.SysadminWithToken()
    org = factories.Organization()
    fields = {"name": "wrong", "title": "wrong", "url": "https://data.go.th", "source_type": "datagoth",
              "config": json.dumps({"api": "soap"}), "owner_org": org["id"]}
    answers = {lang: app.post(f"{lang}/api/3/action/harvest_source_create", json=fields,
                              headers={"Authorization": admin["token"]}) for lang in ("", "/en")}
    thai, english = (" ".join(answers[lang].json["error"]["config"]) for lang in ("", "/en"))
    assert answers[""].status_code == answers["/en"].status_code == 409
    assert "api must be" in english and "soap" in english
    assert "api must be" not in thai and "soap" in thai and re.search("[\u0e00-\u0e7f]", thai)


def test_a_daily_dataset_arrives_without_a_made_up_update_time(portal, remote, queues):
    """This portal asks an expected update time of a daily dataset; the
    national portal has no such field. The copy arrives without one (never
    an invented time); a local edit of the copy asks for it as usual."""
    daily = next(iter(remote.catalog.datasets.values()))
    remote.catalog.update(daily["id"], update_frequency_unit="วัน", update_frequency_interval="1")

    run = harvest(make_source(portal, remote.url), queues)

    assert not run.errors
    copy = local(daily["id"])
    assert copy["update_frequency_unit"] == "วัน" and not copy.get("update_frequency_time")
    assert not any("update_frequency_time" in note.get("field", "") for note in record_of(daily["id"]).notes)
    with pytest.raises(tk.ValidationError) as refused:
        call_action("package_patch", {"user": portal.sysadmin["name"]}, id=copy["id"], notes="แก้ไขคำอธิบาย")
    assert "update_frequency_time" in refused.value.error_dict


def test_this_portals_own_pushed_datasets_are_never_harvested_back(portal, remote, queues, create_dataset):
    """A source on the catalog this portal pushes to lists the portal's own
    copies there: they are skipped, not imported as national datasets."""
    from ckanext.opendata_th.model.sync import PUSH

    ours = create_dataset()
    pushed = next(iter(remote.catalog.datasets.values()))  # the copy of ``ours`` there
    model.Session.add(SyncRecord(package_id=ours["id"], direction=PUSH, remote_url=remote.url,
                                 remote_id=pushed["id"], remote_name=pushed["name"]))
    model.Session.commit()

    run = harvest(make_source(portal, remote.url), queues)

    assert not run.errors
    assert run.stats["added"] == len(remote.catalog.datasets) - 1
    assert model.Session.query(SyncRecord).filter_by(remote_id=pushed["id"]).one().direction == PUSH
    assert call_action("package_show", id=ours["id"])["title"] == ours["title"]
