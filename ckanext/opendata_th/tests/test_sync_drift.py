"""The drift report (issue 12, point 4): are the published datasets' copies
on the national portal identical? Through ``ckan opendata-th sync diff``,
the ``opendata_th_sync_diff*`` actions and the organization's page, against
the local thai_gdc server: copies identical, different (a title changed
remotely, a resource URL changed remotely), missing (deleted remotely);
remote failures that keep the stored result; who may see and run it; and
the "accessible" property read from the stored result.

ckanext-harvest is imported inside tests only (see tests/conftest.py)."""
from __future__ import annotations

import re
import time
import uuid
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.cli.cli import ckan as ckan_cli
from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.opendata_th import cli
from ckanext.opendata_th.harvesters import target as push_config
from ckanext.opendata_th.model.sync import PULL, PUSH, SyncRecord
from ckanext.opendata_th.playbook import national_portal
from ckanext.opendata_th.tests.datasets import create_dataset, national_dataset, national_resource
from ckanext.opendata_th.tests.thai_gdc import ThaiGdcCatalog, ThaiGdcServer, sample_organizations
from ckanext.opendata_th.tests.web import Browser

PLUGINS = "opendata_th_search opendata_th activity scheming_datasets harvest opendata_th_harvester"
TOKEN = "push-key-7f3a"
REMOTE_ORG = "agency-remote"
THAI = re.compile("[\u0e00-\u0e7f]")

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.ckan_config("ckanext.opendata_th.harvest.retries", "1"),
    pytest.mark.ckan_config("ckanext.opendata_th.harvest.backoff", "0"),
    pytest.mark.ckan_config("ckanext.opendata_th.harvest.request_timeout", "1"),
    pytest.mark.usefixtures("with_plugins", "clean_db_once", "with_extended_cli"),
]


# -- the national portal -------------------------------------------------------------------

@pytest.fixture(scope="module")
def server():
    """The local thai_gdc catalog; this portal's token is its sysadmin's."""
    catalog = ThaiGdcCatalog([], sample_organizations([REMOTE_ORG]))
    with ThaiGdcServer(catalog, token=TOKEN) as running:
        yield running


@pytest.fixture
def remote(server):
    """The server, serving with no fault and accepting any token."""
    server.come_back()
    server.clear_faults()
    server.reject_unknown_tokens = False
    yield server
    server.come_back()
    server.clear_faults()
    server.reject_unknown_tokens = False


@pytest.fixture
def push_target(remote, ckan_config, monkeypatch):
    """This portal publishes to the remote (ckanext.opendata_th.sync.*)."""
    monkeypatch.setitem(ckan_config, push_config.URL_OPTION, remote.url)
    monkeypatch.setitem(ckan_config, push_config.TOKEN_OPTION, TOKEN)
    monkeypatch.setitem(ckan_config, push_config.ORGANIZATION_OPTION, REMOTE_ORG)
    return remote


def copy_to_remote(server, dataset: dict, **changes) -> dict:
    """Put the national copy of a local dataset on the remote, as the
    publisher would (under the local name), with ``changes`` made there."""
    shown = call_action("package_show", id=dataset["id"])
    stored = server.catalog.add(national_portal.to_remote(shown, owner_org=REMOTE_ORG, name=shown["name"]))
    if changes:
        stored = server.catalog.update(stored["id"], **changes)
    return stored


# -- this portal -----------------------------------------------------------------------------

_PEOPLE: dict[str, dict] = {}


@pytest.fixture
def people(clean_db_once):
    if not _PEOPLE:
        _PEOPLE.update({role: factories.UserWithToken()
                        for role in ("admin", "editor", "member", "other_admin", "stranger")})
        _PEOPLE["sysadmin"] = factories.SysadminWithToken()
    return SimpleNamespace(**_PEOPLE)


@pytest.fixture
def org(people):
    """A new organization of the admin, editor and member (each test its
    own, so the reports count only its datasets), and another organization
    whose admin is other_admin."""
    made = factories.Organization(title="กรมทดสอบความตรงกัน", users=[
        {"name": people.admin["name"], "capacity": "admin"},
        {"name": people.editor["name"], "capacity": "editor"},
        {"name": people.member["name"], "capacity": "member"}])
    factories.Organization(users=[{"name": people.other_admin["name"], "capacity": "admin"}])
    return made


def published(org, **fields) -> dict:
    return create_dataset(**national_dataset(
        owner_org=org["id"], resources=[national_resource(url=f"https://agency.example/{uuid.uuid4().hex}.csv")],
        **fields))


_MIXED: dict[str, object] = {}


@pytest.fixture
def mixed(people, server):
    """An organization whose published datasets' national copies are
    identical, differ in the title, differ in a resource URL, were deleted
    remotely, and one that has none (missing, until a test removes its
    stored result: then never compared); and a private dataset. Made once
    for the module: every test that uses it compares all of them again, and
    the copies do not change, so each finds the same statuses."""
    if not _MIXED:
        org = factories.Organization(title="กรมทดสอบสถานะต่าง ๆ", users=[
            {"name": people.admin["name"], "capacity": "admin"}])
        same = published(org, name=f"same-{uuid.uuid4().hex[:8]}", title="ชุดข้อมูลที่ตรงกัน")
        retitled = published(org, name=f"retitled-{uuid.uuid4().hex[:8]}", title="ชื่อเดิมของชุดข้อมูล")
        moved = published(org, name=f"moved-{uuid.uuid4().hex[:8]}", title="ไฟล์ย้ายที่")
        deleted = published(org, name=f"deleted-{uuid.uuid4().hex[:8]}", title="ลบบนพอร์ทัลกลาง")
        unknown = published(org, name=f"unknown-{uuid.uuid4().hex[:8]}", title="ยังไม่เคยเปรียบเทียบ")
        private = create_dataset(private=True, **national_dataset(owner_org=org["id"], title="ยังไม่เผยแพร่"))
        copy_to_remote(server, same)
        copy_to_remote(server, retitled, title="ชื่อที่แก้บนพอร์ทัลกลาง")
        moved_copy = copy_to_remote(server, moved)
        resources = [dict(moved_copy["resources"][0], url="https://elsewhere.example/moved.csv")]
        server.catalog.update(moved_copy["id"], resources=resources)
        copy_to_remote(server, deleted)
        server.catalog.delete(deleted["name"])
        _MIXED.update(org=org, same=same, retitled=retitled, moved=moved, deleted=deleted, unknown=unknown,
                      private=private)
    return SimpleNamespace(**_MIXED)


def record(dataset: dict) -> SyncRecord | None:
    model.Session.expire_all()
    return model.Session.get(SyncRecord, dataset["id"])


def diff_command(ckan_config, *args):
    """``opendata-th sync diff`` itself (the test of the whole ``ckan``
    command, which builds a new app each time, is the first one below)."""
    return CliRunner().invoke(cli.sync, ["diff", *args])


def as_user(user: dict | None) -> dict:
    return {"user": user["name"] if user else "", "ignore_auth": False}


def page(app, user, url, lang=""):
    """A page as ``user`` sees it (signed in by their API token)."""
    headers = {"Authorization": user["token"]} if user else {}
    return app.get(f"/{lang}{url}" if lang else url, headers=headers)


def accessible(dataset: dict) -> str:
    shown = call_action("package_show", id=dataset["id"])
    return next(p["status"] for p in shown["opendata_properties"]["properties"] if p["key"] == "accessible")


# -- the command ----------------------------------------------------------------------------

def test_sync_diff_prints_and_stores_each_status_and_exits_1(mixed, push_target, ckan_config):
    datasets = mixed

    result = CliRunner().invoke(ckan_cli, ["-c", ckan_config["__file__"], "opendata-th", "sync", "diff",
                                           "--org", mixed.org["name"]])

    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    assert f"{datasets.same['name']}\tidentical" in lines
    assert f"{datasets.deleted['name']}\tmissing" in lines
    assert f"{datasets.unknown['name']}\tmissing" in lines
    assert f"{datasets.retitled['name']}\tdifferent" in lines
    assert '\ttitle\tlocal: "ชื่อเดิมของชุดข้อมูล"\tremote: "ชื่อที่แก้บนพอร์ทัลกลาง"' in lines
    moved_at = lines.index(f"{datasets.moved['name']}\tdifferent")
    assert lines[moved_at + 1] == (f'\tresources[0].url\tlocal: "{datasets.moved["resources"][0]["url"]}"'
                                   f'\tremote: "https://elsewhere.example/moved.csv"')
    assert datasets.private["name"] not in result.output  # only published datasets
    assert lines[-1] == "5 published datasets: 1 identical, 2 different, 2 missing, 0 not compared"
    # stored: a push record (remote id unknown until the publisher pushes) with the result
    stored = {name: record(getattr(datasets, name)) for name in ("same", "retitled", "moved", "deleted")}
    assert {name: r.drift_status for name, r in stored.items()} == {
        "same": "identical", "retitled": "different", "moved": "different", "deleted": "missing"}
    assert all(r.direction == PUSH and r.remote_id is None and r.remote_url == push_target.url
               and r.compared_at is not None for r in stored.values())
    assert stored["retitled"].drift["differences"] == [
        {"field": "title", "local": "ชื่อเดิมของชุดข้อมูล", "remote": "ชื่อที่แก้บนพอร์ทัลกลาง"}]
    assert record(datasets.private) is None


def test_sync_diff_exits_0_when_all_identical_and_2_for_an_unknown_organization(org, push_target, ckan_config):
    dataset = published(org)
    copy_to_remote(push_target, dataset)

    result = diff_command(ckan_config, "--org", org["id"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        f"{dataset['name']}\tidentical",
        "1 published datasets: 1 identical, 0 different, 0 missing, 0 not compared"]

    unknown = diff_command(ckan_config, "--org", "no-such-organization")
    assert unknown.exit_code == 2
    assert "Organization not found: no-such-organization" in unknown.output


def test_a_remote_that_fails_or_goes_away_keeps_the_stored_result(org, push_target, ckan_config):
    dataset = published(org)
    other = published(org)
    for each in (dataset, other):
        copy_to_remote(push_target, each)
    assert diff_command(ckan_config, "--org", org["name"]).exit_code == 0
    before = record(dataset).compared_at

    push_target.fail("package_show", "500", times=10)
    failed = diff_command(ckan_config, "--org", org["name"])
    assert failed.exit_code == 2, failed.output
    assert f"{dataset['name']}\tnot_compared\t" in failed.output
    assert "HTTP 500" in failed.output and "stored result kept: identical" in failed.output
    assert "0 identical, 0 different, 0 missing, 2 not compared; 2 could not be compared" in failed.output
    assert record(dataset).drift_status == "identical" and record(dataset).compared_at == before

    push_target.clear_faults()
    push_target.go_away()
    started = time.monotonic()
    gone = diff_command(ckan_config, "--org", org["name"])
    assert gone.exit_code == 2, gone.output
    # reported for each dataset in the portal's language (Thai), the remote tried once
    assert gone.output.count("ติดต่อพอร์ทัลต้นทางไม่ได้") == 2
    assert time.monotonic() - started < 4
    assert record(dataset).drift_status == record(other).drift_status == "identical"
    assert accessible(dataset) == "met"


def test_a_refused_token_is_an_error_not_a_missing_copy(org, push_target, ckan_config, monkeypatch):
    dataset = published(org)
    copy_to_remote(push_target, dataset)
    assert diff_command(ckan_config, "--org", org["name"]).exit_code == 0

    push_target.reject_unknown_tokens = True
    monkeypatch.setitem(ckan_config, push_config.TOKEN_OPTION, "not-the-key")
    result = diff_command(ckan_config, "--org", org["name"])

    assert result.exit_code == 2, result.output
    assert "โทเคนถูกปฏิเสธ (HTTP 403)" in result.output
    assert record(dataset).drift_status == "identical"


def test_without_a_token_a_copy_the_remote_refuses_to_show_is_missing(org, push_target, ckan_config,
                                                                     monkeypatch):
    """Anonymous callers get 403 for a deleted (or private) dataset on CKAN;
    the remote answers its search, so the copy is not there for the public."""
    monkeypatch.setitem(ckan_config, push_config.TOKEN_OPTION, "")
    dataset = published(org)
    copy_to_remote(push_target, dataset)
    push_target.catalog.make_private(dataset["name"])

    result = diff_command(ckan_config, "--org", org["name"])

    assert result.exit_code == 1, result.output
    assert f"{dataset['name']}\tmissing" in result.output
    assert record(dataset).drift_status == "missing"


def test_a_harvested_dataset_is_compared_with_its_source_and_others_are_not_compared(
        org, people, remote, ckan_config):
    """No push target: a dataset harvested from the national portal is
    compared with the dataset it came from (on its harvest source's
    catalog); any other is not compared, and says why."""
    source = call_action("harvest_source_create", {"user": people.sysadmin["name"]},
                         name=f"national-{uuid.uuid4().hex[:8]}", title="data.go.th", url=remote.url,
                         source_type="datagoth", config="{}", owner_org=org["id"])
    harvested = published(org, title="ชุดข้อมูลจากส่วนกลาง")
    original = copy_to_remote(remote, harvested, name=f"original-{uuid.uuid4().hex[:8]}")
    model.Session.add(SyncRecord(package_id=harvested["id"], direction=PULL, remote_url=remote.url,
                                 harvest_source_id=source["id"], remote_id=original["id"],
                                 remote_name=original["name"]))
    model.Session.commit()
    local_only = published(org, title="ชุดข้อมูลของหน่วยงานเอง")
    remote.catalog.update(original["id"], notes="คำอธิบายที่แก้บนพอร์ทัลกลาง")

    result = diff_command(ckan_config, "--org", org["name"])

    assert result.exit_code == 1, result.output
    assert f"{harvested['name']}\tdifferent" in result.output
    assert "\tnotes\tlocal: " in result.output and "คำอธิบายที่แก้บนพอร์ทัลกลาง" in result.output
    assert f"{local_only['name']}\tnot_compared\t" in result.output
    assert "ยังไม่ได้ตั้งค่า ckanext.opendata_th.sync.url" in result.output
    assert record(harvested).drift_status == "different" and record(harvested).direction == PULL
    assert record(local_only) is None
    assert [call.params.get("id") for call in remote.calls("package_show")][-1] == original["id"]


# -- the actions -------------------------------------------------------------------------

def test_diff_list_and_diff_answer_org_admins_and_sysadmins_only(org, people, push_target):
    dataset = published(org)
    copy_to_remote(push_target, dataset)
    for user, before in ((people.admin, "not_compared"), (people.sysadmin, "identical")):
        listing = call_action("opendata_th_sync_diff_list", as_user(user), organization_id=org["name"])
        assert listing["count"] == 1 and listing["results"][0]["status"] == before
        compared = call_action("opendata_th_sync_diff", as_user(user), id=dataset["name"])
        assert compared["status"] == "identical"
    for user in (people.editor, people.member, people.other_admin, people.stranger, None):
        for action, data in (("opendata_th_sync_diff_list", {"organization_id": org["id"]}),
                             ("opendata_th_sync_diff", {"id": dataset["id"]}),
                             ("opendata_th_sync_diff_organization", {"organization_id": org["id"]})):
            with pytest.raises(tk.NotAuthorized):
                call_action(action, as_user(user), **data)
    with pytest.raises(tk.ObjectNotFound):
        call_action("opendata_th_sync_diff_list", as_user(people.admin), organization_id="no-such-org")


def test_diff_list_returns_stored_results_with_labels_and_a_summary(mixed, people, push_target):
    datasets, org = mixed, mixed.org
    outcome = call_action("opendata_th_sync_diff_organization", as_user(people.admin),
                          organization_id=org["id"])
    assert outcome["queued"] is False and outcome["count"] == 5
    assert outcome["summary"] == {"identical": 1, "different": 2, "missing": 2, "not_compared": 0,
                                  "total": 5, "errors": 0}

    listing = call_action("opendata_th_sync_diff_list", as_user(people.admin), organization_id=org["id"],
                          limit=2, offset=0)
    assert listing["count"] == 5 and len(listing["results"]) == 2
    assert listing["summary"] == {"identical": 1, "different": 2, "missing": 2, "not_compared": 0}
    everything = call_action("opendata_th_sync_diff_list", as_user(people.admin), organization_id=org["id"])
    by_name = {item["name"]: item for item in everything["results"]}
    assert [item["name"] for item in everything["results"]] == sorted(by_name)
    retitled = by_name[datasets.retitled["name"]]
    assert retitled["status"] == "different" and retitled["compared_at"]
    assert retitled["differences"] == [{"field": "title", "label": "ชื่อชุดข้อมูล",
                                        "local": "ชื่อเดิมของชุดข้อมูล",
                                        "remote": "ชื่อที่แก้บนพอร์ทัลกลาง"}]
    assert by_name[datasets.moved["name"]]["differences"][0]["field"] == "resources[0].url"
    assert by_name[datasets.deleted["name"]]["status"] == "missing"
    with pytest.raises(tk.ValidationError):
        call_action("opendata_th_sync_diff_list", as_user(people.admin), organization_id=org["id"], limit="x")


def test_diff_refuses_an_unpublished_dataset_and_a_get_never_writes(org, people, push_target, app):
    private = create_dataset(private=True, **national_dataset(owner_org=org["id"]))
    with pytest.raises(tk.ValidationError, match="เผยแพร่"):
        call_action("opendata_th_sync_diff", as_user(people.admin), id=private["id"])
    dataset = published(org)
    copy_to_remote(push_target, dataset)

    got = app.get(f"/api/3/action/opendata_th_sync_diff?id={dataset['id']}",
                  headers={"Authorization": people.admin["token"]})
    assert got.status_code == 400
    assert record(dataset) is None
    posted = app.post("/api/3/action/opendata_th_sync_diff", json={"id": dataset["id"]},
                      headers={"Authorization": people.admin["token"]})
    assert posted.status_code == 200 and posted.json["result"]["status"] == "identical"
    assert record(dataset).drift_status == "identical"


def test_a_long_list_is_compared_by_a_background_job(org, people, push_target, monkeypatch):
    from ckan.lib import jobs

    from ckanext.opendata_th.harvesters import drift
    from ckanext.opendata_th.logic.action import sync as sync_actions

    monkeypatch.setattr(sync_actions, "IN_REQUEST_LIMIT", 1)
    first, second = published(org), published(org)
    for each in (first, second):
        copy_to_remote(push_target, each)
    jobs.get_queue().empty()

    outcome = call_action("opendata_th_sync_diff_organization", as_user(people.admin), organization_id=org["id"])

    assert outcome["queued"] is True and outcome["count"] == 2
    assert "2" in outcome["message"] and THAI.search(outcome["message"])
    queued = [job for job in jobs.get_queue().jobs if job.meta.get("title", "").startswith("opendata_th drift")]
    assert len(queued) == 1 and queued[0].args == [org["id"]]
    assert record(first) is None  # nothing compared in the request
    jobs.get_queue().empty()
    assert drift.compare_organization_job(org["id"])["identical"] == 2
    assert record(first).drift_status == record(second).drift_status == "identical"


# -- "accessible" ---------------------------------------------------------------------------

def test_accessible_follows_the_stored_result(org, people, push_target):
    dataset = published(org)
    assert accessible(dataset) == "needs_attestation"  # never compared
    copy = copy_to_remote(push_target, dataset)

    call_action("opendata_th_sync_diff", as_user(people.admin), id=dataset["id"])
    assert accessible(dataset) == "met"
    found = call_action("package_search", fq=f"id:{dataset['id']}")["results"][0]
    assert next(p["status"] for p in found["opendata_properties"]["properties"]
                if p["key"] == "accessible") == "met"  # re-indexed

    push_target.catalog.update(copy["id"], title="ชื่อที่ไม่ตรงกัน")
    call_action("opendata_th_sync_diff", as_user(people.admin), id=dataset["id"])
    assert accessible(dataset) == "not_met"
    found = call_action("package_search", fq=f"id:{dataset['id']}")["results"][0]
    assert "accessible" in [p["key"] for p in found["opendata_properties"]["properties"]
                            if p["status"] != "met"]

    push_target.catalog.delete(copy["id"])
    call_action("opendata_th_sync_diff", as_user(people.admin), id=dataset["id"])
    assert record(dataset).drift_status == "missing" and accessible(dataset) == "not_met"


# -- the page ---------------------------------------------------------------------------------

def test_the_page_shows_each_status_and_the_differences_in_thai(mixed, people, push_target, app):
    datasets, org, unknown = mixed, mixed.org, mixed.unknown
    call_action("opendata_th_sync_diff_organization", as_user(people.admin), organization_id=org["id"])
    # as if it was published after the comparison: not compared yet
    assert record(unknown).drift_status == "missing"
    model.Session.delete(record(unknown))
    model.Session.commit()

    shown = page(app, people.admin, f"/organization/sync/{org['name']}")
    assert shown.status_code == 200
    soup = BeautifulSoup(shown.get_data(as_text=True), "html.parser")
    rows = {row["data-name"]: row for row in soup.select("tr.sync-dataset")}
    assert {name: row.select_one(".sync-status").get_text(strip=True) for name, row in rows.items()} == {
        datasets.same["name"]: "ตรงกัน", datasets.retitled["name"]: "ไม่ตรงกัน",
        datasets.moved["name"]: "ไม่ตรงกัน", datasets.deleted["name"]: "ไม่พบบนพอร์ทัลกลาง",
        unknown["name"]: "ยังไม่ได้เปรียบเทียบ"}
    link = rows[datasets.same["name"]].find("a")
    assert link["href"].endswith(f"/dataset/{datasets.same['name']}") and link.get_text() == "ชุดข้อมูลที่ตรงกัน"
    compared_at = rows[datasets.same["name"]].select_one(".sync-compared-at").get_text(strip=True)
    assert re.search(r"25[6-9]\d", compared_at) and compared_at.endswith("น.")  # BE year, Bangkok time
    differences = [(row.th.get_text(strip=True), row.select_one(".sync-local").get_text(strip=True),
                    row.select_one(".sync-remote").get_text(strip=True))
                   for row in soup.select("tr.sync-difference")]
    assert ("ชื่อชุดข้อมูล", "ชื่อเดิมของชุดข้อมูล", "ชื่อที่แก้บนพอร์ทัลกลาง") in differences
    assert ("ทรัพยากรข้อมูลที่ 1: URL หรือไฟล์", datasets.moved["resources"][0]["url"],
            "https://elsewhere.example/moved.csv") in differences
    assert "5 ชุดข้อมูล" in soup.select_one(".sync-compare").get_text()  # how many "compare now" compares
    # the organization's tab
    org_page = page(app, people.admin, f"/organization/{org['name']}")
    assert f"/organization/sync/{org['name']}" in org_page.get_data(as_text=True)

    english = page(app, people.admin, f"/organization/sync/{org['name']}", lang="en")
    text = english.get_data(as_text=True)
    assert "Identical" in text and "Missing on the national portal" in text and "Not compared" in text
    assert "Resource 1: URL" in text


def test_compare_now_posts_with_csrf_and_shows_the_outcome(org, people, push_target, app):
    dataset = published(org)
    copy_to_remote(push_target, dataset)
    browser = Browser(app, people.admin)
    form = browser.get(f"/organization/sync/{org['name']}")

    answer = browser.submit(form, f"/organization/sync/{org['name']}/compare", {}, follow_redirects=True)

    assert answer.status_code == 200
    assert record(dataset).drift_status == "identical"
    text = answer.get_data(as_text=True)
    assert "เปรียบเทียบแล้ว 1 ชุดข้อมูล" in text
    without_token = browser.client.post(f"/organization/sync/{org['name']}/compare")
    assert without_token.status_code in (400, 403)


def test_the_page_is_for_org_admins_only(org, people, app):
    for user in (people.editor, people.member, people.other_admin, None):
        assert page(app, user, f"/organization/sync/{org['name']}").status_code == 403
    member_page = page(app, people.member, f"/organization/{org['name']}")
    assert member_page.status_code == 200
    assert f"/organization/sync/{org['name']}" not in member_page.get_data(as_text=True)  # no tab
    assert page(app, people.admin, "/organization/sync/no-such-org").status_code == 404
    sysadmin = page(app, people.sysadmin, f"/organization/sync/{org['name']}")
    assert sysadmin.status_code == 200
    assert "ยังไม่มีชุดข้อมูลที่เผยแพร่" in sysadmin.get_data(as_text=True)
