"""Dataset requests through the API, against the real PostgreSQL, Redis and
job queue: anyone asks (no account); everyone reads the requests with their
status; the admins of the request's organization triage it (sysadmins every
request, and they alone address one to an organization); the requester
answers a question with the secret key of their request. Each role may do
exactly its part; accepting makes a private candidate dataset in the
disclosure workflow, which the public does not see linked until it is
published; "already available" links only a public dataset; "not suitable"
needs a reason from the fixed list; bad input is refused in Thai or English
and changes nothing; the spam defences (honeypot, per-sender rate limit
over Redis, 429 on the API); the requester e-mailed after a decision is
committed; the open counts per organization in one aggregate query."""
from __future__ import annotations

import email
import email.policy
import re
from types import SimpleNamespace

import pytest

import ckan.lib.jobs as jobs
import ckan.model as model
import ckan.plugins.toolkit as tk
import rq
from ckan.lib.redis import connect_to_redis
from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.opendata_th.model.dataset_request import DatasetRequest, DatasetRequestEvent, open_counts
from ckanext.opendata_th.model.workflow import WorkflowRecord
from ckanext.opendata_th.tests.datasets import create_dataset, national_dataset, national_resource

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db_once")

THAI = re.compile("[\u0e00-\u0e7f]")
ROLES = ("anonymous", "member", "editor", "admin", "sysadmin", "other_admin")
ASK = {"title": "ราคาขายปลีกสินค้าเกษตรรายวัน", "purpose": "ใช้ทำแอปเปรียบเทียบราคาให้เกษตรกร",
       "description": "รายจังหวัด ตั้งแต่ปี 2565", "name": "สมชาย", "email": "somchai@example.co.th"}

_PORTAL: dict[str, dict] = {}


@pytest.fixture(autouse=True)
def fresh_rate_counts(ckan_config):
    """Every test starts with no request counted (the counts live in Redis)."""
    redis = connect_to_redis()
    for key in redis.scan_iter(f"{ckan_config.get('ckan.site_id')}:opendata_th:rate:dataset_request:*"):
        redis.delete(key)


@pytest.fixture
def portal(clean_db_once):
    """An organization (admin, editor, member) with a published and a
    private dataset; another organization with its admin; a sysadmin. Made
    once for the module (the tests make requests of their own)."""
    if not _PORTAL:
        people = {role: factories.UserWithToken() for role in ("admin", "editor", "member", "other_admin")}
        people["sysadmin"] = factories.SysadminWithToken()
        org = factories.Organization(title="กรมการค้าภายใน", users=[
            {"name": people["admin"]["name"], "capacity": "admin"},
            {"name": people["editor"]["name"], "capacity": "editor"},
            {"name": people["member"]["name"], "capacity": "member"}])
        other = factories.Organization(title="กรมส่งเสริมการเกษตร", users=[
            {"name": people["other_admin"]["name"], "capacity": "admin"}])
        sysadmin = {"user": people["sysadmin"]["name"]}
        public = create_dataset(sysadmin, **national_dataset(owner_org=org["id"], title="ราคาสินค้าเกษตร",
                                                             resources=[national_resource()]))
        private = create_dataset(sysadmin, **national_dataset(owner_org=org["id"], title="ข้อมูลภายใน",
                                                              private=True))
        _PORTAL.update(people=people, org=org, other=other, public=public, private=private)
    return SimpleNamespace(**_PORTAL)


def as_(portal, role):
    """An action context of the role (anonymous: no user), auth applied."""
    user = "" if role == "anonymous" else portal.people[role]["name"]
    return {"user": user, "ignore_auth": False}


def ask(portal, role="anonymous", **fields):
    return call_action("opendata_th_request_create", as_(portal, role),
                       **{**ASK, "organization_id": portal.org["name"], **fields})


def refused(action, context, **data):
    with pytest.raises(Exception) as caught:
        call_action(action, context, **data)
    return caught.value


def events(request_id):
    return model.Session.query(DatasetRequestEvent).filter_by(request_id=request_id).count()


# -- asking -----------------------------------------------------------------------------

@pytest.mark.parametrize("role", ROLES)
def test_anyone_asks_and_only_triagers_see_who_asked(portal, role):
    made = ask(portal, role)
    assert made["state"] == "new" and made["state_label"] == "รอหน่วยงานพิจารณา"
    assert made["organization"]["name"] == portal.org["name"]
    assert made["reply_key"]
    assert [e["kind"] for e in made["history"]] == ["created"]
    assert ("requester" in made) == (role in ("admin", "sysadmin"))
    for viewer in ROLES:
        shown = call_action("opendata_th_request_show", as_(portal, viewer), id=made["id"])
        assert "reply_key" not in shown
        assert ("requester" in shown) == (viewer in ("admin", "sysadmin")), viewer
        if viewer in ("admin", "sysadmin"):
            assert shown["requester"] == {"name": "สมชาย", "email": "somchai@example.co.th",
                                          "account": role != "anonymous"}
        else:
            assert "somchai@example.co.th" not in str(shown) and "สมชาย" not in str(shown)


def test_a_signed_in_requester_is_e_mailed_at_their_account_by_default(portal):
    made = ask(portal, "member", email="", name="")
    row = model.Session.get(DatasetRequest, made["id"])
    assert row.requester_email == portal.people["member"]["email"]
    assert row.requester_user_id == portal.people["member"]["id"]


def test_the_organization_is_optional_and_an_unknown_one_is_refused_in_thai_and_english(portal):
    made = ask(portal, organization_id="")
    assert made["organization"] is None
    before = model.Session.query(DatasetRequest).count()
    thai = refused("opendata_th_request_create", as_(portal, "anonymous"), **{**ASK, "organization_id": "nope"})
    assert thai.error_dict == {"organization_id": ["ไม่มีหน่วยงาน “nope”"]}
    private_org = refused("opendata_th_request_create", {"user": "", "ignore_auth": False},
                          **{**ASK, "organization_id": "x" * 5000})
    assert "organization_id" in private_org.error_dict
    assert model.Session.query(DatasetRequest).count() == before


def test_bad_input_is_refused_with_every_problem_and_nothing_saved(portal, app):
    before = model.Session.query(DatasetRequest).count()
    error = refused("opendata_th_request_create", as_(portal, "anonymous"),
                    title="ab", purpose="", email="ไม่ใช่อีเมล", description="x" * 2001, name="n" * 101)
    assert set(error.error_dict) == {"title", "purpose", "email", "description", "name"}
    assert all(THAI.search(texts[0]) for texts in error.error_dict.values())
    english = app.post("/en/api/3/action/opendata_th_request_create", json={
        "title": "ab", "purpose": "why"}, environ_base={"REMOTE_ADDR": "10.1.0.1"})
    assert english.status_code == 409
    assert english.json["error"]["title"] == ["Describe the data you want in at least 5 characters"]
    huge = app.post("/api/3/action/opendata_th_request_create", json={
        "title": "t" * 100_000, "purpose": "p" * 100_000}, environ_base={"REMOTE_ADDR": "10.1.0.2"})
    assert huge.status_code == 409 and "title" in huge.json["error"]
    assert model.Session.query(DatasetRequest).count() == before


def test_the_honeypot_refuses_a_program_and_saves_nothing(portal):
    before = model.Session.query(DatasetRequest).count()
    error = refused("opendata_th_request_create", as_(portal, "anonymous"), **ASK, homepage="http://spam.example")
    assert list(error.error_dict) == ["homepage"]
    assert model.Session.query(DatasetRequest).count() == before
    assert ask(portal, homepage="   ")["state"] == "new"  # blank is a person's


@pytest.mark.ckan_config("ckanext.opendata_th.dataset_requests.rate_limit.count", "2")
def test_the_rate_limit_counts_each_sender_in_redis_and_answers_429(portal, app):
    def post(address, **extra):
        return app.post("/api/3/action/opendata_th_request_create", json={**ASK, **extra},
                        environ_base={"REMOTE_ADDR": address})

    assert [post("192.0.2.10").status_code for _ in range(2)] == [200, 200]
    over = post("192.0.2.10")
    assert over.status_code == 429 and int(over.headers["Retry-After"]) > 0
    assert "ลองใหม่" in over.json["error"]["title"][0]
    assert post("192.0.2.10", title="ab").status_code == 429  # bad input counts too
    assert post("192.0.2.11").status_code == 200  # another sender
    english = app.post("/en/api/3/action/opendata_th_request_create", json=ASK,
                       environ_base={"REMOTE_ADDR": "192.0.2.10"})
    assert english.status_code == 429 and "try again" in english.json["error"]["title"][0]
    sysadmin = app.post("/api/3/action/opendata_th_request_create", json=ASK,
                        environ_base={"REMOTE_ADDR": "192.0.2.10"},
                        headers={"Authorization": portal.people["sysadmin"]["token"]})
    assert sysadmin.status_code == 200
    titles = [r.title for r in model.Session.query(DatasetRequest)]
    assert titles.count(ASK["title"]) >= 4


# -- reading ------------------------------------------------------------------------------

def test_the_list_filters_pages_and_refuses_bad_filters(portal):
    mine = [ask(portal, title=f"ชุดข้อมูลทดสอบรายการ {n}", organization_id=portal.other["name"])
            for n in range(3)]
    anonymous = as_(portal, "anonymous")
    listed = call_action("opendata_th_request_list", anonymous, organization_id=portal.other["id"],
                         limit=2, offset=0)
    assert listed["count"] == 3 and [r["id"] for r in listed["results"]] == [mine[2]["id"], mine[1]["id"]]
    second = call_action("opendata_th_request_list", anonymous, organization_id=portal.other["name"],
                         limit=2, offset=2)
    assert [r["id"] for r in second["results"]] == [mine[0]["id"]]
    assert call_action("opendata_th_request_list", anonymous, state="accepted",
                       organization_id=portal.other["name"])["count"] == 0
    assert call_action("opendata_th_request_list", anonymous, state="open",
                       organization_id=portal.other["name"])["count"] == 3
    for bad in ({"state": "deleted"}, {"limit": "1000"}, {"offset": "-1"}, {"organization_id": "nope"},
                {"unassigned": "maybe"}):
        assert set(refused("opendata_th_request_list", anonymous, **bad).error_dict) == set(bad), bad


def test_for_triage_lists_the_open_requests_each_one_decides_on(portal):
    here = ask(portal, title="คำขอถึงกรมการค้าภายใน")
    there = ask(portal, title="คำขอถึงกรมส่งเสริมการเกษตร", organization_id=portal.other["name"])
    nowhere = ask(portal, title="คำขอที่ไม่รู้หน่วยงาน", organization_id="")

    def queue(role):
        return {r["id"] for r in call_action("opendata_th_request_list", as_(portal, role), for_triage=True,
                                             limit=100)["results"]}

    assert {here["id"]} <= queue("admin") and not {there["id"], nowhere["id"]} & queue("admin")
    assert {there["id"]} <= queue("other_admin") and here["id"] not in queue("other_admin")
    assert {here["id"], there["id"], nowhere["id"]} <= queue("sysadmin")
    assert queue("editor") == queue("member") == queue("anonymous") == set()
    unassigned = call_action("opendata_th_request_list", as_(portal, "anonymous"), unassigned=True, limit=100)
    assert nowhere["id"] in {r["id"] for r in unassigned["results"]}
    assert all(r["organization"] is None for r in unassigned["results"])


def test_show_of_an_unknown_request_is_404(portal, app):
    assert app.get("/api/3/action/opendata_th_request_show?id=nope").status_code == 404
    schema = call_action("opendata_th_request_schema_show", as_(portal, "anonymous"))
    assert [r["key"] for r in schema["reasons"]][:2] == ["not_held", "other_agency"]
    assert all(THAI.search(r["label"]) for r in schema["reasons"])


# -- who triages ----------------------------------------------------------------------------

@pytest.mark.parametrize("role", ROLES)
def test_only_the_organizations_admins_and_sysadmins_triage(portal, role):
    made = ask(portal)
    decide = {"id": made["id"], "decision": "needs_info", "comment": "ต้องการระดับอำเภอหรือจังหวัด"}
    if role in ("admin", "sysadmin"):
        shown = call_action("opendata_th_request_triage", as_(portal, role), **decide)
        assert shown["state"] == "needs_info" and shown["history"][0]["comment"] == decide["comment"]
        assert shown["history"][0]["actor"] == "กรมการค้าภายใน"
        assert shown["history"][0]["user"]  # who decided: for those who triage
        public = call_action("opendata_th_request_show", as_(portal, "anonymous"), id=made["id"])
        assert "user" not in public["history"][0]
    else:
        error = refused("opendata_th_request_triage", as_(portal, role), **decide)
        assert isinstance(error, tk.NotAuthorized)
        assert model.Session.get(DatasetRequest, made["id"]).state == "new"
        assert events(made["id"]) == 1


@pytest.mark.parametrize("role", ROLES)
def test_only_sysadmins_assign_and_triage_unassigned_requests(portal, role):
    made = ask(portal, organization_id="")
    if role == "sysadmin":
        shown = call_action("opendata_th_request_assign", as_(portal, role), id=made["id"],
                            organization_id=portal.other["name"], comment="ข้อมูลการเกษตร")
        assert shown["organization"]["name"] == portal.other["name"]
        assert shown["history"][0]["kind"] == "assigned"
        assert call_action("opendata_th_request_triage", as_(portal, "other_admin"), id=made["id"],
                           decision="not_suitable", reason="not_held")["state"] == "not_suitable"
        again = refused("opendata_th_request_assign", as_(portal, role), id=made["id"],
                        organization_id=portal.org["name"])
        assert "id" in again.error_dict  # a decided request stays where it is
    else:
        for action, data in (("opendata_th_request_assign", {"organization_id": portal.org["name"]}),
                             ("opendata_th_request_triage", {"decision": "needs_info", "comment": "?"})):
            error = refused(action, as_(portal, role), id=made["id"], **data)
            assert isinstance(error, tk.NotAuthorized), (role, action)
        assert model.Session.get(DatasetRequest, made["id"]).organization_id is None


# -- the decisions --------------------------------------------------------------------------

def test_accepting_makes_a_private_candidate_linked_only_for_those_who_may_see_it(portal):
    made = ask(portal, title="ปริมาณผลผลิตข้าวรายอำเภอ")
    shown = call_action("opendata_th_request_triage", as_(portal, "admin"), id=made["id"], decision="accept",
                        comment="จะรวบรวมจากสำนักงานจังหวัด")
    assert shown["state"] == "accepted" and shown["dataset"]["private"] is True
    package = model.Package.get(shown["dataset"]["id"])
    assert package.private and package.owner_org == portal.org["id"]
    assert package.title == "ปริมาณผลผลิตข้าวรายอำเภอ"
    assert made["id"] in package.notes
    assert model.Session.get(WorkflowRecord, package.id).stage == "candidate"
    dataset = call_action("package_show", {"user": portal.people["editor"]["name"]}, id=package.id)
    assert dataset["opendata_stage"] == "candidate"
    assert dataset["maintainer_email"] == portal.people["admin"]["email"]
    for role in ("anonymous", "other_admin"):  # the private candidate is not revealed
        seen = call_action("opendata_th_request_show", as_(portal, role), id=made["id"])
        assert seen["state"] == "accepted" and seen["dataset"] is None
        assert package.id not in str(seen) and package.name not in str(seen)
        listed = call_action("opendata_th_request_list", as_(portal, role), state="accepted", limit=100)
        assert package.name not in str(listed)
    for role in ("member", "editor"):
        assert call_action("opendata_th_request_show", as_(portal, role), id=made["id"])["dataset"]["id"] == package.id
    # once published, everyone sees it linked
    from ckanext.opendata_th.tests.datasets import publish
    call_action("package_patch", {"user": portal.people["sysadmin"]["name"]}, id=package.id,
                data_classification="เปิดเผย", resources=[national_resource()])
    publish(package.id)
    seen = call_action("opendata_th_request_show", as_(portal, "anonymous"), id=made["id"])
    assert seen["dataset"]["name"] == package.name and seen["dataset"]["private"] is False
    assert refused("opendata_th_request_triage", as_(portal, "admin"), id=made["id"],
                   decision="reopen", comment="x").error_dict["decision"]


def test_accepting_refuses_what_the_dataset_schema_refuses_and_changes_nothing(portal):
    made = ask(portal)
    datasets = model.Session.query(model.Package).count()
    error = refused("opendata_th_request_triage", as_(portal, "admin"), id=made["id"], decision="accept",
                    data_type="ไม่มีประเภทนี้")
    assert "dataset" in error.error_dict and THAI.search(error.error_dict["dataset"][0])
    error = refused("opendata_th_request_triage", as_(portal, "admin"), id=made["id"], decision="accept",
                    maintainer_email="not-an-address")
    assert list(error.error_dict) == ["maintainer_email"]
    unassigned = ask(portal, organization_id="")
    error = refused("opendata_th_request_triage", as_(portal, "sysadmin"), id=unassigned["id"], decision="accept")
    assert list(error.error_dict) == ["decision"]
    assert model.Session.query(model.Package).count() == datasets
    assert model.Session.get(DatasetRequest, made["id"]).state == "new" and events(made["id"]) == 1


def test_already_available_links_a_public_dataset_and_refuses_a_private_one_alike(portal):
    made = ask(portal)
    admin = as_(portal, "admin")
    private = refused("opendata_th_request_triage", admin, id=made["id"], decision="available",
                      dataset=portal.private["name"])
    unknown = refused("opendata_th_request_triage", admin, id=made["id"], decision="available",
                      dataset="no-such-dataset")
    # the same words: no one learns that the private dataset exists
    assert private.error_dict["dataset"][0].replace(portal.private["name"], "X") == \
        unknown.error_dict["dataset"][0].replace("no-such-dataset", "X")
    assert refused("opendata_th_request_triage", admin, id=made["id"], decision="available").error_dict == {
        "dataset": ["ระบุชุดข้อมูลที่เผยแพร่แล้วซึ่งมีข้อมูลนี้ (ชื่อหรือรหัส)"]}
    assert events(made["id"]) == 1
    shown = call_action("opendata_th_request_triage", admin, id=made["id"], decision="available",
                        dataset=portal.public["name"], comment="มีอยู่แล้ว")
    assert shown["state"] == "available" and shown["dataset"]["name"] == portal.public["name"]
    public = call_action("opendata_th_request_show", as_(portal, "anonymous"), id=made["id"])
    assert public["dataset"]["name"] == portal.public["name"]
    reopened = call_action("opendata_th_request_triage", admin, id=made["id"], decision="reopen",
                           comment="ไม่ใช่ข้อมูลรายวัน")
    assert reopened["state"] == "new" and reopened["dataset"] is None
    assert [e["decision"] for e in reopened["history"]] == ["reopen", "available", None]


def test_not_suitable_needs_a_reason_from_the_fixed_list_shown_in_both_languages(portal, app):
    made = ask(portal)
    admin = as_(portal, "admin")
    for bad in ({}, {"reason": "boring"}):
        error = refused("opendata_th_request_triage", admin, id=made["id"], decision="not_suitable", **bad)
        assert list(error.error_dict) == ["reason"] and THAI.search(error.error_dict["reason"][0])
    english = app.post("/en/api/3/action/opendata_th_request_triage", json={
        "id": made["id"], "decision": "not_suitable", "reason": "boring"},
        headers={"Authorization": portal.people["admin"]["token"]})
    assert english.status_code == 409 and english.json["error"]["reason"][0].startswith(
        "Choose why the request is not suitable")
    assert events(made["id"]) == 1
    shown = call_action("opendata_th_request_triage", admin, id=made["id"], decision="not_suitable",
                        reason="personal_data", comment="มีเลขประจำตัวประชาชน")
    assert (shown["state"], shown["reason"]) == ("not_suitable", "personal_data")
    assert shown["reason_label"] == "เป็นข้อมูลส่วนบุคคล (พ.ร.บ. คุ้มครองข้อมูลส่วนบุคคล พ.ศ. 2562)"
    in_english = app.get(f"/en/api/3/action/opendata_th_request_show?id={made['id']}").json["result"]
    assert in_english["reason_label"] == "It is personal data (PDPA B.E. 2562)"
    assert in_english["state_label"] == "Not suitable"


def test_unknown_decisions_and_decisions_not_allowed_now_change_nothing(portal):
    made = ask(portal)
    admin = as_(portal, "admin")
    assert "decision" in refused("opendata_th_request_triage", admin, id=made["id"],
                                 decision="delete").error_dict
    assert "decision" in refused("opendata_th_request_triage", admin, id=made["id"], decision="reopen",
                                 comment="x").error_dict
    assert "comment" in refused("opendata_th_request_triage", admin, id=made["id"], decision="needs_info",
                                comment="").error_dict
    assert "comment" in refused("opendata_th_request_triage", admin, id=made["id"], decision="needs_info",
                                comment="c" * 2001).error_dict
    assert isinstance(refused("opendata_th_request_triage", admin, id="nope", decision="accept"),
                      tk.ObjectNotFound)
    assert model.Session.get(DatasetRequest, made["id"]).state == "new" and events(made["id"]) == 1


# -- the requester's answer ---------------------------------------------------------------------

def test_the_requester_answers_with_the_key_or_their_account_and_the_request_waits_again(portal):
    made = ask(portal)
    call_action("opendata_th_request_triage", as_(portal, "admin"), id=made["id"], decision="needs_info",
                comment="ต้องการรายวันหรือรายสัปดาห์")
    for role in ROLES:
        if role == "sysadmin":
            continue
        error = refused("opendata_th_request_reply", as_(portal, role), id=made["id"], key="wrong",
                        reply="รายวัน")
        assert isinstance(error, tk.NotAuthorized), role
    shown = call_action("opendata_th_request_reply", as_(portal, "anonymous"), id=made["id"],
                        key=made["reply_key"], reply="รายวัน")
    assert shown["state"] == "new" and shown["history"][0]["kind"] == "reply"
    assert shown["history"][0]["comment"] == "รายวัน" and shown["history"][0]["actor"] == "ผู้ขอ"
    assert refused("opendata_th_request_reply", as_(portal, "anonymous"), id=made["id"], key=made["reply_key"],
                   reply="อีกครั้ง").error_dict == {"reply": ["คำขอนี้ไม่ได้รอข้อมูลเพิ่มเติม"]}
    by_account = ask(portal, "member")
    call_action("opendata_th_request_triage", as_(portal, "admin"), id=by_account["id"], decision="needs_info",
                comment="ช่วงปีใด")
    assert call_action("opendata_th_request_reply", as_(portal, "member"), id=by_account["id"],
                       reply="2565-2568")["state"] == "new"


# -- e-mail and counts ----------------------------------------------------------------------------

def run_jobs():
    class InProcessWorker(jobs.Worker):
        def execute_job(self, job, queue):
            return rq.SimpleWorker.execute_job(self, job, queue)

    InProcessWorker(["default"]).work(burst=True)


def test_the_requester_is_e_mailed_each_decision_after_it_is_committed(portal, mail_server):
    made = ask(portal)
    silent = ask(portal, email="")
    jobs.get_queue().empty()
    call_action("opendata_th_request_triage", as_(portal, "admin"), id=made["id"], decision="needs_info",
                comment="ต้องการข้อมูลระดับใด")
    call_action("opendata_th_request_triage", as_(portal, "admin"), id=silent["id"], decision="not_suitable",
                reason="not_held")
    refused("opendata_th_request_triage", as_(portal, "admin"), id=made["id"], decision="accept",
            maintainer_email="bad")  # refused: no e-mail
    assert len(jobs.get_queue()) == 2
    run_jobs()
    messages = [email.message_from_string(raw, policy=email.policy.default)
                for _none, _from, _to, raw in mail_server.get_smtp_messages()]
    assert len(messages) == 1
    [message] = messages
    assert message["To"].addresses[0].addr_spec == "somchai@example.co.th"
    assert "ต้องการข้อมูลเพิ่มเติม" in message["Subject"] and ASK["title"] in message["Subject"]
    body = message.get_content()
    assert "ต้องการข้อมูลระดับใด" in body and "เรียน สมชาย" in body
    assert f"/dataset-request/{made['id']}?key={made['reply_key']}#reply" in body
    assert re.search(r"25[67]\d", body)  # the date in the Buddhist Era


def test_open_counts_per_organization_in_one_aggregate_query(portal):
    org = factories.Organization()
    made = [call_action("opendata_th_request_create", {"user": ""}, **{**ASK, "organization_id": org["id"]})
            for _ in range(3)]
    call_action("opendata_th_request_triage", {"user": portal.people["sysadmin"]["name"]}, id=made[0]["id"],
                decision="needs_info", comment="?")
    call_action("opendata_th_request_triage", {"user": portal.people["sysadmin"]["name"]}, id=made[1]["id"],
                decision="not_suitable", reason="duplicate")
    statements = []
    import sqlalchemy as sa

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    sa.event.listen(model.meta.engine, "before_cursor_execute", count)
    try:
        counts = open_counts()
    finally:
        sa.event.remove(model.meta.engine, "before_cursor_execute", count)
    assert len(statements) == 1 and "GROUP BY" in statements[0]
    assert counts[org["id"]] == {"open": 2, "new": 1, "needs_info": 1}
