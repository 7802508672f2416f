"""The push to the national portal end to end: datasets published on this
portal, the push jobs queued after commit on real Redis and run by CKAN's
worker (in this process), and the local thai_gdc server as data.go.th,
which validates writes as thai_gdc does and takes injected faults.

What must hold: a published dataset whose allow_harvest is "True" gets an
identical copy there, updated in place (no second dataset, no duplicated
resources); unpublishing withdraws the copy (private there, deleted where
the remote does not allow that); nothing leaves the portal while push is
off, for a private dataset or without allow_harvest; faults are retried,
recorded in plain words when they last, and never change the local
dataset; a lost answer to a create does not create twice."""
from __future__ import annotations

import datetime as dt

import pytest

import ckan.model as model
from ckan.lib import jobs
from ckan.tests.helpers import call_action

from ckanext.opendata_th.harvesters import push
from ckanext.opendata_th.jobs import sync as sync_jobs
from ckanext.opendata_th.model.sync import PULL, PUSH, SyncRecord
from ckanext.opendata_th.model.types import utcnow
from ckanext.opendata_th.playbook import national_portal
from ckanext.opendata_th.tests.datasets import national_resource
from ckanext.opendata_th.tests.thai_gdc import ThaiGdcCatalog, ThaiGdcServer, sample_organizations

PLUGINS = "opendata_th_search opendata_th activity scheming_datasets"
TOKEN = "push-token-5be07a"
REMOTE_ORG = "trade-institute-national"
URL_OPTION = "ckanext.opendata_th.sync.url"
TOKEN_OPTION = "ckanext.opendata_th.sync.token"
ORGANIZATION_OPTION = "ckanext.opendata_th.sync.organization"
TIMEOUT_OPTION = "ckanext.opendata_th.harvest.request_timeout"
BACKOFF_OPTION = "ckanext.opendata_th.harvest.backoff"

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.ckan_config("ckanext.opendata_th.harvest.retries", "2"),
    pytest.mark.ckan_config(BACKOFF_OPTION, "0"),
    pytest.mark.ckan_config(TIMEOUT_OPTION, "2"),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_queues", "with_test_worker"),
]

WRITES = ("package_create", "package_update", "package_patch", "package_delete", "dataset_purge")


@pytest.fixture(scope="module", autouse=True)
def loaded_once():
    """What a worker process loads once, not per push: the Thai word
    splitter's dictionaries (the search index, 3-7 s)."""
    from ckanext.opendata_th.search import text

    text.words("จำนวนผู้ส่งออกรายจังหวัด ข้อมูลตัวอย่าง")


@pytest.fixture
def national():
    """The national catalog (empty but for this portal's organization there),
    which knows the push token and refuses others."""
    catalog = ThaiGdcCatalog([], sample_organizations([REMOTE_ORG, "another-agency"]))
    with ThaiGdcServer(catalog, token=TOKEN, reject_unknown_tokens=True) as server:
        yield server


@pytest.fixture
def push_on(national, ckan_config):
    """Push configured to the national catalog (its URL known once it serves)."""
    ckan_config[URL_OPTION] = national.url
    ckan_config[TOKEN_OPTION] = TOKEN
    ckan_config[ORGANIZATION_OPTION] = REMOTE_ORG
    return national


@pytest.fixture
def publish(create_dataset, national):
    """``publish(**fields)``: a published dataset that allows harvesting,
    with two resources whose links answer quickly (the link checks queued
    with the push ask the national server, which answers 404)."""
    def make(**fields):
        fields.setdefault("allow_harvest", "True")
        fields.setdefault("resources", [
            national_resource(url=f"{national.url}/files/exporters.csv"),
            national_resource(url=f"{national.url}/files/exporters.xlsx", name="ข้อมูล Excel",
                              format="XLSX")])
        return create_dataset(**fields)

    return make


def queued_pushes() -> list[str]:
    return [job.meta["title"] for job in jobs.get_queue().jobs
            if job.meta.get("title", "").startswith("opendata_th push")]


def run_jobs() -> None:
    jobs.Worker(["default"]).work(burst=True)


def record_of(package_id: str) -> SyncRecord | None:
    model.Session.remove()
    return model.Session.get(SyncRecord, package_id)


def remote_copies(server) -> list[dict]:
    """Every dataset of the national catalog (any state), as its sysadmin sees them."""
    return [server.catalog.show(i, site_url=server.url) for i in list(server.catalog.datasets)]


def local(dataset_id: str) -> dict:
    return call_action("package_show", id=dataset_id)


# -- publishing and updating -------------------------------------------------------------------

def test_a_published_dataset_gets_an_identical_copy_on_the_national_portal(push_on, publish):
    dataset = publish(name="exporters-by-province", geo_coverage="อื่นๆ",
                      geo_coverage_other="เขตพัฒนาพิเศษภาคตะวันออก")
    assert queued_pushes() == [f"opendata_th push {dataset['id']}"]
    run_jobs()

    [copy] = remote_copies(push_on)
    assert copy["name"] == "exporters-by-province"
    assert copy["organization"]["name"] == REMOTE_ORG and copy["private"] is False
    assert national_portal.compare(local(dataset["id"]), copy).status == national_portal.IDENTICAL
    assert copy["geo_coverage_other"] == "เขตพัฒนาพิเศษภาคตะวันออก"
    record = record_of(dataset["id"])
    assert (record.direction, record.remote_url, record.remote_id, record.remote_name) == (
        PUSH, push_on.url, copy["id"], "exporters-by-province")
    assert record.pushed_at is not None and record.push_error is None
    assert record.drift_status == national_portal.IDENTICAL
    assert record.resource_ids == {r["id"]: c["id"] for r, c in zip(dataset["resources"],
                                                                     copy["resources"])}
    # the token went with every call, never anywhere else
    assert all(r.headers.get("api-key") == TOKEN for r in push_on.requests if r.action)


def test_an_update_changes_the_same_remote_dataset_without_duplicates(push_on, publish, sysadmin,
                                                                      national):
    dataset = publish()
    run_jobs()
    [first] = remote_copies(push_on)
    call_action("package_patch", {"user": sysadmin["name"]}, id=dataset["id"],
                title="จำนวนผู้ส่งออกรายจังหวัด (ปรับปรุง)")
    resources = local(dataset["id"])["resources"]
    resources[1]["url"] = f"{national.url}/files/exporters-2568.xlsx"  # a changed link
    call_action("package_patch", {"user": sysadmin["name"]}, id=dataset["id"], resources=resources)
    call_action("resource_create", {"user": sysadmin["name"]}, package_id=dataset["id"],
                url=f"{national.url}/files/exporters.json", name="JSON", format="JSON")
    assert len(queued_pushes()) == 3
    run_jobs()

    [copy] = remote_copies(push_on)
    assert copy["id"] == first["id"] and copy["title"] == "จำนวนผู้ส่งออกรายจังหวัด (ปรับปรุง)"
    assert [r["url"] for r in copy["resources"]] == [r["url"] for r in local(dataset["id"])["resources"]]
    # the resources kept their remote ids, the changed link too
    assert [r["id"] for r in copy["resources"][:2]] == [r["id"] for r in first["resources"]]
    assert national_portal.compare(local(dataset["id"]), copy).status == national_portal.IDENTICAL
    assert len(push_on.calls("package_create")) == 1


# -- withdrawing ----------------------------------------------------------------------------------

def test_withdrawing_the_dataset_makes_the_remote_copy_private(push_on, publish, sysadmin):
    dataset = publish()
    run_jobs()
    call_action("opendata_th_transition", {"user": sysadmin["name"]}, id=dataset["id"],
                transition="withdraw", comment="ข้อมูลคลาดเคลื่อน")
    assert queued_pushes() == [f"opendata_th push {dataset['id']}"]
    run_jobs()

    [copy] = remote_copies(push_on)
    assert copy["private"] is True and copy["state"] == "active"  # not deleted, never purged
    record = record_of(dataset["id"])
    assert record.withdrawn_at is not None and record.push_error is None
    assert push_on.url in record.withdrawn_reason
    assert not push_on.calls("package_delete") and not push_on.calls("dataset_purge")


def test_a_deletion_deletes_the_copy_where_the_remote_does_not_allow_private(push_on, publish,
                                                                              sysadmin):
    dataset = publish()
    run_jobs()
    push_on.fail("package_patch", "403")  # this remote refuses private datasets
    call_action("package_delete", {"user": sysadmin["name"]}, id=dataset["name"])
    run_jobs()

    [copy] = remote_copies(push_on)
    assert copy["state"] == "deleted"
    assert len(push_on.calls("package_delete")) == 1 and not push_on.calls("dataset_purge")
    assert record_of(dataset["id"]).withdrawn_at is not None


def test_allow_harvest_false_pushes_nothing_and_withdraws_a_copy(push_on, publish, sysadmin):
    kept_home = publish(allow_harvest="False")
    assert queued_pushes() == []
    run_jobs()
    assert remote_copies(push_on) == [] and not [r for r in push_on.requests if r.action]

    dataset = publish()
    run_jobs()
    call_action("package_patch", {"user": sysadmin["name"]}, id=dataset["id"], allow_harvest="False")
    run_jobs()
    [copy] = remote_copies(push_on)
    assert copy["private"] is True
    assert record_of(kept_home["id"]) is None


def test_a_private_dataset_never_leaves_the_portal(push_on, create_dataset, sysadmin, national):
    dataset = create_dataset(private=True, allow_harvest="True", resources=[
        national_resource(url=f"{national.url}/files/secret.csv")])
    call_action("package_patch", {"user": sysadmin["name"]}, id=dataset["id"], notes="แก้ไข")
    assert queued_pushes() == []
    assert sync_jobs.push_dataset(dataset["id"]) == push.SKIPPED  # even if asked
    run_jobs()
    assert [r for r in push_on.requests if r.action] == []
    assert record_of(dataset["id"]) is None


def test_a_dataset_harvested_from_the_national_portal_is_never_pushed_back(push_on, publish,
                                                                           sysadmin):
    dataset = publish()
    jobs.get_queue().empty()
    model.Session.add(SyncRecord(package_id=dataset["id"], direction=PULL, remote_url=push_on.url,
                                 remote_id="item_harvested", remote_name=dataset["name"]))
    model.Session.commit()
    call_action("package_patch", {"user": sysadmin["name"]}, id=dataset["id"], notes="แก้ไข")
    assert queued_pushes() == []
    assert sync_jobs.push_dataset(dataset["id"]) == push.SKIPPED
    assert sync_jobs.push_all()["pushed"] == 0
    assert [r for r in push_on.requests if r.action] == []


def test_push_off_queues_nothing_and_asks_nothing(national, publish, ckan_config):
    dataset = publish()
    assert queued_pushes() == []
    assert sync_jobs.push_all() == {"pushed": 0, "withdrawn": 0, "skipped": 0, "failed": 0}
    ckan_config[URL_OPTION] = national.url  # a URL without token and organization: still off
    assert sync_jobs.push_dataset(dataset["id"]) == push.SKIPPED
    run_jobs()
    assert [r for r in national.requests if r.action] == []

    # configured later, a first sync pushes what was published before
    ckan_config[TOKEN_OPTION], ckan_config[ORGANIZATION_OPTION] = TOKEN, REMOTE_ORG
    assert sync_jobs.push_all()["pushed"] == 1
    assert [c["name"] for c in remote_copies(national)] == [dataset["name"]]


# -- faults -----------------------------------------------------------------------------------

def test_a_server_error_is_retried_within_the_job(push_on, publish):
    push_on.fail("package_create", "500")
    dataset = publish()
    run_jobs()
    assert len(push_on.calls("package_create")) == 2
    assert [c["name"] for c in remote_copies(push_on)] == [dataset["name"]]
    record = record_of(dataset["id"])
    assert record.push_error is None and record.push_attempts == 0


def test_a_create_whose_answer_is_lost_is_not_made_twice(push_on, publish, ckan_config):
    ckan_config[TIMEOUT_OPTION], ckan_config[BACKOFF_OPTION] = "0.25", "1"
    push_on.timeout_sleep = 0.5  # the remote creates it after the client gave up
    push_on.fail("package_create", "timeout")
    dataset = publish()
    run_jobs()
    [copy] = remote_copies(push_on)
    assert copy["name"] == dataset["name"]
    assert len(push_on.calls("package_create")) == 1  # found by its name instead of a second create
    record = record_of(dataset["id"])
    assert record.remote_id == copy["id"] and record.push_error is None


def test_a_refused_token_is_recorded_plainly_and_not_retried_blindly(push_on, publish, ckan_config):
    wrong = "expired-token-000"
    ckan_config[TOKEN_OPTION] = wrong
    dataset = publish(title="ชุดข้อมูลเดิม")
    run_jobs()
    record = record_of(dataset["id"])
    assert record.push_attempts == 1 and record.remote_id is None
    assert "403" in record.push_error and push_on.url in record.push_error
    assert wrong not in record.push_error and TOKEN not in record.push_error
    assert local(dataset["id"])["title"] == "ชุดข้อมูลเดิม" and local(dataset["id"])["private"] is False
    asked = len(push_on.requests)
    later = utcnow() + dt.timedelta(days=2)
    assert sync_jobs.retry_failed_pushes(later)["waiting"] == 1
    assert len(push_on.requests) == asked  # the remote would refuse again

    ckan_config[TOKEN_OPTION] = TOKEN  # the sysadmin fixes the token
    assert sync_jobs.retry_failed_pushes(later, include_refused=True)["pushed"] == 1
    assert [c["name"] for c in remote_copies(push_on)] == [dataset["name"]]


def test_data_the_remote_refuses_is_recorded_and_waits(push_on, publish, ckan_config):
    ckan_config[ORGANIZATION_OPTION] = "no-such-agency"
    dataset = publish()
    run_jobs()
    record = record_of(dataset["id"])
    assert "owner_org" in record.push_error and record.push_attempts == 1
    assert len(push_on.calls("package_create")) == 1  # a 409 is not tried again
    assert sync_jobs.retry_failed_pushes(utcnow() + dt.timedelta(days=2))["waiting"] == 1
    assert remote_copies(push_on) == []


def test_a_remote_that_went_away_is_pushed_to_when_it_comes_back(push_on, publish):
    push_on.go_away()
    dataset = publish()
    run_jobs()
    record = record_of(dataset["id"])
    assert record.push_attempts == 1 and push_on.url in record.push_error
    assert local(dataset["id"])["private"] is False
    assert sync_jobs.retry_failed_pushes() == {"pushed": 0, "withdrawn": 0, "skipped": 0,
                                               "failed": 0, "waiting": 1}  # not due yet

    push_on.come_back()
    counts = sync_jobs.retry_failed_pushes(utcnow() + dt.timedelta(minutes=6))
    assert counts["pushed"] == 1 and counts["waiting"] == 0
    assert [c["name"] for c in remote_copies(push_on)] == [dataset["name"]]
    assert record_of(dataset["id"]).push_error is None


# -- the commands ---------------------------------------------------------------------------

def invoke(*args: str):
    from click.testing import CliRunner

    from ckanext.opendata_th import cli

    return CliRunner().invoke(cli.sync, list(args))


def test_push_all_pushes_what_was_published_before_push_was_configured(national, publish, ckan_config):
    dataset = publish()  # push off: nothing queued, nothing sent
    assert not queued_pushes() and not remote_copies(national)
    refused = invoke("push-all")
    assert refused.exit_code == 2 and "sync.url" in refused.stderr

    ckan_config[URL_OPTION] = national.url
    ckan_config[TOKEN_OPTION] = TOKEN
    ckan_config[ORGANIZATION_OPTION] = REMOTE_ORG
    result = invoke("push-all", "--org", local(dataset["id"])["organization"]["name"])
    assert result.exit_code == 0, result.output
    assert "pushed: 1" in result.output
    assert [c["name"] for c in remote_copies(national)] == [dataset["name"]]
    assert invoke("push-all", "--org", "no-such-organization").exit_code != 0


def test_sync_retry_pushes_again_when_the_remote_is_back(push_on, publish):
    push_on.go_away()
    dataset = publish()
    run_jobs()
    push_on.come_back()
    record = record_of(dataset["id"])
    record.modified = utcnow() - dt.timedelta(hours=2)  # the failure is long past: due now
    model.Session.commit()

    result = invoke("retry")
    assert result.exit_code == 0, result.output
    assert "pushed: 1" in result.output
    assert [c["name"] for c in remote_copies(push_on)] == [dataset["name"]]
