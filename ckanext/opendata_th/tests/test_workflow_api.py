"""The disclosure workflow's API: a dataset goes from candidate to published
only through the state machine, every step recorded with who, when and why;
approving (by an approver only) publishes; each role may do exactly its
part; bad input is refused in Thai with nothing changed; nothing internal is
shown outside the organization."""
from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.opendata_th import workflow
from ckanext.opendata_th.model.workflow import WorkflowEvent
from ckanext.opendata_th.playbook import workflow as rules
from ckanext.opendata_th.tests.datasets import national_dataset, national_resource

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db_once")

THAI = re.compile("[\u0e00-\u0e7f]")
DISCLOSABLE = {"oia_disclosable": True, "quality_acceptable": True, "open_licence": True}
SECURITY = {"oia_disclosable": False, "national_security": True}
ROLES = ("anonymous", "stranger", "member", "editor", "approver", "admin", "sysadmin", "other_admin")

_USERS: dict[str, dict] = {}


@pytest.fixture
def users(clean_db_once):
    """The people of the tests, made once per module; each test gives them
    roles in organizations of its own."""
    if not _USERS:
        _USERS.update({role: factories.UserWithToken()
                       for role in ("admin", "editor", "approver", "member", "other_admin", "stranger")})
        _USERS["sysadmin"] = factories.SysadminWithToken()
    return _USERS


@pytest.fixture
def portal(users, ckan_config, monkeypatch):
    """An organization with an admin, an editor, an editor listed as an
    approver and a member; another organization with its admin; a logged-in
    stranger; a sysadmin."""
    monkeypatch.setitem(ckan_config, "ckanext.opendata_th.approvers", [users["approver"]["name"]])
    org = factories.Organization(title="กองสถิติการค้า", users=[
        {"name": users["admin"]["name"], "capacity": "admin"},
        {"name": users["editor"]["name"], "capacity": "editor"},
        {"name": users["approver"]["name"], "capacity": "editor"},
        {"name": users["member"]["name"], "capacity": "member"}])
    other = factories.Organization(users=[{"name": users["other_admin"]["name"], "capacity": "admin"}])
    return SimpleNamespace(org=org, other=other, anonymous=None, **users)


def make_dataset(portal, **fields):
    """A private dataset of the organization, valid under the national schema."""
    fields.setdefault("resources", [national_resource()])
    return call_action("package_create", {"user": portal.editor["name"]},
                       **national_dataset(owner_org=portal.org["id"], private=True, **fields))


def act(portal, action, user="editor", **data):
    return call_action(action, {"user": getattr(portal, user)["name"]}, **data)


def api(app, user, action, lang="", **data):
    """POST an action as ``user`` (None: anonymous)."""
    prefix = f"/{lang}" if lang else ""
    headers = {"Authorization": user["token"]} if user else {}
    return app.post(f"{prefix}/api/3/action/{action}", json=data, headers=headers)


def stored(package_id):
    """(row fields, number of events, private, category, classification), fresh from the database."""
    model.Session.expire_all()
    found = workflow.record(package_id)
    row = None if found is None else {
        column: getattr(found, column) for column in (
            "stage", "selection_reasons", "selection_note", "value", "quality", "manageability",
            "priority", "classification", "approved_by", "approval_source")}
    events = model.Session.query(WorkflowEvent).filter_by(package_id=package_id).count()
    package = model.Package.get(package_id)
    return (row, events, package.private, package.extras.get("data_category"),
            package.extras.get("data_classification"))


def to_pending(portal, dataset):
    """Select, classify as disclosable, prepare and send for approval."""
    act(portal, "opendata_th_select", id=dataset["id"], reasons=["transparency"], note="")
    act(portal, "opendata_th_classify", id=dataset["id"], answers=DISCLOSABLE)
    act(portal, "opendata_th_transition", id=dataset["id"], transition="prepare")
    return act(portal, "opendata_th_transition", id=dataset["id"], transition="submit",
               comment="พร้อมเผยแพร่")


def anonymous_sees(app, dataset) -> bool:
    return app.get("/api/3/action/package_show", query_string={"id": dataset["id"]}).status_code == 200


# -- the migration ---------------------------------------------------------------

def test_the_migration_gives_every_existing_dataset_its_row(portal, migrate_db_for):
    private = make_dataset(portal)
    public = make_dataset(portal)
    harvest_source = make_dataset(portal)
    deleted = make_dataset(portal)
    with model.meta.engine.begin() as connection:  # as they were before the workflow existed
        connection.execute(sa.text("UPDATE package SET private = false WHERE id = :id"), {"id": public["id"]})
        connection.execute(sa.text("UPDATE package SET type = 'harvest' WHERE id = :id"),
                           {"id": harvest_source["id"]})
        connection.execute(sa.text("UPDATE package SET state = 'deleted' WHERE id = :id"), {"id": deleted["id"]})
    model.Session.remove()
    migrate_db_for("opendata_th", "0004_readiness_reminders", forward=False)
    migrate_db_for("opendata_th")

    with model.meta.engine.connect() as connection:
        rows = dict(connection.execute(sa.text(
            "SELECT package_id, stage || ':' || coalesce(approval_source, '') FROM opendata_th_workflow")).all())
        events = connection.execute(sa.text(
            "SELECT package_id, kind, to_stage FROM opendata_th_workflow_event")).all()
    assert rows[private["id"]] == "candidate:"
    assert rows[public["id"]] == "published:before_workflow"
    assert harvest_source["id"] not in rows and deleted["id"] not in rows
    assert sorted(e for e in events if e[0] in (private["id"], public["id"])) == sorted(
        [(private["id"], "created", "candidate"), (public["id"], "created", "published")])
    assert len(events) == len(rows)


# -- the whole way -------------------------------------------------------------------

def test_a_dataset_goes_from_candidate_to_published_and_every_step_is_recorded(app, portal):
    dataset = make_dataset(portal)
    shown = act(portal, "opendata_th_workflow_show", id=dataset["name"])
    assert shown["stage"] == "candidate" and shown["stage_label"] == "สำรวจแล้ว"
    assert shown["roles"] == ["editor"]
    assert [t["name"] for t in shown["transitions"]] == ["select", "withhold"]

    shown = act(portal, "opendata_th_select", id=dataset["id"],
                reasons=["useful_to_developers", "required_by_law"], note="กฎหมายกำหนดให้เปิดเผย")
    assert shown["stage"] == "selected"
    assert shown["selection"] == {"reasons": ["required_by_law", "useful_to_developers"],
                                  "reason_labels": shown["selection"]["reason_labels"],
                                  "note": "กฎหมายกำหนดให้เปิดเผย"}
    assert all(THAI.search(label) for label in shown["selection"]["reason_labels"])

    shown = act(portal, "opendata_th_prioritise", id=dataset["id"], value=4, quality="๓", manageability="5")
    # effective value 4.5 (two reasons), weights 2:1:1 -> (9 + 3 + 5) / 4 = 4.25 -> 81.2 of 100
    assert shown["priority"] == {"value": 4, "quality": 3, "manageability": 5, "score": 81.2}

    prepare = next(t for t in shown["transitions"] if t["name"] == "prepare")
    assert prepare["allowed"] is False and prepare["refusals"]  # not classified yet
    shown = act(portal, "opendata_th_classify", id=dataset["id"], answers=DISCLOSABLE)
    assert shown["classification"]["outcome"] == "disclosable"
    assert shown["classification"]["disclosable"] is True
    assert shown["classification"]["classified_by"] == portal.editor["fullname"]
    shown = act(portal, "opendata_th_transition", id=dataset["id"], transition="prepare")
    assert shown["stage"] == "prepared"
    shown = act(portal, "opendata_th_transition", id=dataset["id"], transition="submit",
                comment="พร้อมเผยแพร่แล้ว")
    assert shown["stage"] == "pending_approval" and shown["stage_label"] == "รออนุมัติ"
    assert shown["transitions"] == []  # an editor cannot approve
    assert not anonymous_sees(app, dataset)

    # the admin sees it waiting, approves it, and it is public
    [waiting] = act(portal, "opendata_th_approval_queue", user="admin", organization_id=portal.org["name"])
    assert waiting["id"] == dataset["id"] and waiting["comment"] == "พร้อมเผยแพร่แล้ว"
    assert waiting["submitted_by"] == portal.editor["fullname"]
    assert act(portal, "opendata_th_approval_queue", user="editor") == []
    shown = act(portal, "opendata_th_workflow_show", user="admin", id=dataset["id"])
    assert shown["roles"] == ["approver", "editor"]
    assert [(t["name"], t["allowed"]) for t in shown["transitions"]] == [("approve", True), ("return", True)]
    shown = act(portal, "opendata_th_transition", user="admin", id=dataset["id"], transition="approve",
                comment="อนุมัติ")
    assert shown["stage"] == "published" and shown["stage_label"] == "เผยแพร่แล้ว"
    assert shown["approval"]["approved_by"] == portal.admin["fullname"]
    assert shown["approval"]["source"] == "local" and shown["approval"]["approved_at"].endswith("+00:00")
    assert stored(dataset["id"])[2] is False
    assert anonymous_sees(app, dataset)
    assert act(portal, "opendata_th_approval_queue", user="admin") == []

    history = act(portal, "opendata_th_workflow_history", user="member", id=dataset["id"])
    assert [(e["kind"], e["transition"], e["to_stage"]) for e in history] == [
        ("transition", "approve", "published"),
        ("transition", "submit", "pending_approval"),
        ("transition", "prepare", "prepared"),
        ("classified", None, None),
        ("prioritised", None, None),
        ("transition", "select", "selected"),
        ("selected", None, None),
        ("created", None, "candidate")]
    assert history[0]["user"] == portal.admin["name"] and history[0]["comment"] == "อนุมัติ"
    assert history[0]["from_label"] == "รออนุมัติ" and history[0]["to_label"] == "เผยแพร่แล้ว"
    assert history[1]["user"] == portal.editor["name"] and history[1]["comment"] == "พร้อมเผยแพร่แล้ว"
    assert history[0]["at"] >= history[1]["at"] and history[0]["at"].endswith("+00:00")
    assert history[3]["detail"]["outcome"] == "disclosable"


def test_only_the_approval_makes_a_dataset_public(portal):
    """The dataset schema's rule (the lead's part): an editor's package_patch
    cannot make a dataset public, not even once it waits for approval."""
    dataset = make_dataset(portal)
    to_pending(portal, dataset)
    for user in ("editor", "admin"):
        with pytest.raises(tk.ValidationError) as refused:
            act(portal, "package_patch", user=user, id=dataset["id"], private=False)
        assert "private" in refused.value.error_dict
    assert stored(dataset["id"])[0]["stage"] == "pending_approval"
    assert stored(dataset["id"])[2] is True


def test_an_approver_returns_with_a_reason_and_the_editor_sends_it_again(portal):
    dataset = make_dataset(portal)
    to_pending(portal, dataset)
    with pytest.raises(tk.ValidationError) as refused:
        act(portal, "opendata_th_transition", user="admin", id=dataset["id"], transition="return", comment=" ")
    assert THAI.search(refused.value.error_dict["transition"][0])
    shown = act(portal, "opendata_th_transition", user="approver", id=dataset["id"], transition="return",
                comment="เพิ่มคำอธิบายข้อมูล")
    assert shown["stage"] == "returned" and shown["stage_label"] == "ส่งกลับแก้ไข"
    assert stored(dataset["id"])[2] is True
    shown = act(portal, "opendata_th_transition", id=dataset["id"], transition="submit", comment="แก้แล้ว")
    assert shown["stage"] == "pending_approval"
    [waiting] = act(portal, "opendata_th_approval_queue", user="approver", organization_id=portal.org["id"])
    assert waiting["comment"] == "แก้แล้ว"


def test_withdrawing_makes_a_published_dataset_private_again(app, portal):
    dataset = make_dataset(portal)
    to_pending(portal, dataset)
    act(portal, "opendata_th_transition", user="approver", id=dataset["id"], transition="approve")
    assert anonymous_sees(app, dataset)
    with pytest.raises(tk.ValidationError):
        act(portal, "opendata_th_transition", id=dataset["id"], transition="withdraw")  # no reason
    assert anonymous_sees(app, dataset)
    shown = act(portal, "opendata_th_transition", id=dataset["id"], transition="withdraw",
                comment="พบข้อมูลส่วนบุคคลในไฟล์")
    assert shown["stage"] == "returned" and shown["approval"] is None
    assert stored(dataset["id"])[2] is True
    assert not anonymous_sees(app, dataset)


def test_an_editor_withholds_reopens_and_deselects_with_a_reason(portal):
    dataset = make_dataset(portal)
    with pytest.raises(tk.ValidationError):
        act(portal, "opendata_th_transition", id=dataset["id"], transition="withhold", comment="")
    shown = act(portal, "opendata_th_transition", id=dataset["id"], transition="withhold",
                comment="มีข้อมูลที่ยังไม่ได้ตรวจสอบ")
    assert shown["stage"] == "withheld"
    assert [t["name"] for t in shown["transitions"]] == ["reopen"]
    assert act(portal, "opendata_th_transition", id=dataset["id"], transition="reopen",
               comment="ตรวจสอบแล้ว")["stage"] == "candidate"
    act(portal, "opendata_th_select", id=dataset["id"], reasons="agency_mission, transparency")
    shown = act(portal, "opendata_th_transition", id=dataset["id"], transition="deselect",
                comment="ยังไม่ใช่ลำดับแรก")
    assert shown["stage"] == "candidate"
    assert shown["selection"]["reasons"] == ["agency_mission", "transparency"]  # kept for next time
    history = act(portal, "opendata_th_workflow_history", id=dataset["id"], limit=2)
    assert [(e["transition"], e["comment"]) for e in history] == [
        ("deselect", "ยังไม่ใช่ลำดับแรก"), ("select", None)]


# -- classification --------------------------------------------------------------

def test_a_security_outcome_withholds_a_candidate_and_sets_its_governance_fields(app, portal):
    dataset = make_dataset(portal)
    shown = act(portal, "opendata_th_classify", id=dataset["id"], answers={"oia_disclosable": "no"})
    assert shown["stage"] == "candidate"  # a partial path is kept for the guided form
    assert shown["classification"]["next_question"] == "national_security"
    assert stored(dataset["id"])[3:] == ("ข้อมูลสาธารณะ", "เปิดเผย")

    shown = act(portal, "opendata_th_classify", id=dataset["id"], answers=SECURITY)
    assert shown["stage"] == "withheld" and shown["stage_label"] == "ไม่เปิดเผย"
    assert shown["classification"]["outcome"] == "security" and shown["classification"]["disclosable"] is False
    assert stored(dataset["id"])[2:] == (True, "ข้อมูลความมั่นคง", "ลับ")
    [withheld, classified, *_] = act(portal, "opendata_th_workflow_history", id=dataset["id"])
    assert withheld["transition"] == "withhold" and withheld["user"] is None
    assert THAI.search(withheld["comment"]) and THAI.search(withheld["user_display"])
    assert classified["kind"] == "classified" and classified["user"] == portal.editor["name"]
    # withheld data cannot be selected nor sent for approval
    with pytest.raises(tk.ValidationError) as refused:
        act(portal, "opendata_th_select", id=dataset["id"], reasons="transparency")
    assert "data_category" in refused.value.error_dict
    with pytest.raises(tk.ValidationError):
        act(portal, "opendata_th_transition", id=dataset["id"], transition="submit")
    assert not anonymous_sees(app, dataset)


def test_personal_data_needs_the_recorded_permission(portal):
    dataset = make_dataset(portal)
    answers = {"oia_disclosable": False, "national_security": False, "personal_data": True,
               "permission_granted": True, "quality_acceptable": True, "open_licence": True}
    before = stored(dataset["id"])
    with pytest.raises(tk.ValidationError) as refused:
        act(portal, "opendata_th_classify", id=dataset["id"], answers=answers)
    assert any(key.startswith("details.") for key in refused.value.error_dict)
    assert all(THAI.search(text) for texts in refused.value.error_dict.values() for text in texts)
    assert stored(dataset["id"]) == before
    shown = act(portal, "opendata_th_classify", id=dataset["id"], answers=answers,
                details={"permission_by": "เจ้าของข้อมูลทุกราย", "permission_reference": "หนังสือ ที่ 12/2568"})
    assert shown["classification"]["disclosable"] is True
    assert shown["classification"]["details"]["permission_reference"] == "หนังสือ ที่ 12/2568"


def test_anyone_reads_the_classification_schema_in_thai_or_english(app):
    thai = app.get("/api/3/action/opendata_th_classification_schema_show")
    assert thai.status_code == 200
    shown = thai.json["result"]
    assert shown["start"] == "oia_disclosable"
    assert THAI.search(str(shown["questions"]))
    english = app.get("/en/api/3/action/opendata_th_classification_schema_show").json["result"]
    assert english != shown


# -- selection and priority ---------------------------------------------------------

def test_only_public_data_can_be_selected(portal):
    dataset = make_dataset(portal, data_category="ข้อมูลใช้ภายใน", data_classification="ชั้นเผยแพร่ภายในองค์กร")
    before = stored(dataset["id"])
    with pytest.raises(tk.ValidationError) as refused:
        act(portal, "opendata_th_select", id=dataset["id"], reasons=["transparency"])
    assert list(refused.value.error_dict) == ["data_category"]
    assert "ข้อมูลสาธารณะ" in refused.value.error_dict["data_category"][0]
    assert stored(dataset["id"]) == before


def test_the_priority_list_ranks_the_datasets_on_their_way(portal):
    low, high, unscored, withheld = (make_dataset(portal, title=title)
                                     for title in ("ก ต่ำ", "ข สูง", "ค ไม่มีคะแนน", "ง ไม่เปิดเผย"))
    act(portal, "opendata_th_prioritise", id=low["id"], value=1, quality=1, manageability=2)
    act(portal, "opendata_th_prioritise", id=high["id"], value=5, quality=4, manageability=4)
    act(portal, "opendata_th_classify", id=withheld["id"], answers=SECURITY)
    listed = act(portal, "opendata_th_priority_list", user="member", organization_id=portal.org["name"])
    assert [(item["rank"], item["id"]) for item in listed] == [
        (1, high["id"]), (2, low["id"]), (0, unscored["id"])]
    assert listed[0]["score"] == 87.5 and listed[0]["stage_label"] == "สำรวจแล้ว"
    assert listed[2]["score"] is None and listed[2]["value"] is None


@pytest.mark.ckan_config("ckanext.opendata_th.priority.weights", "value:1 quality:0 manageability:0")
def test_the_priority_follows_the_configured_weights(portal):
    dataset = make_dataset(portal)
    act(portal, "opendata_th_select", id=dataset["id"], reasons=["transparency"])
    shown = act(portal, "opendata_th_prioritise", id=dataset["id"], value=3, quality=1, manageability=1)
    assert shown["priority"]["score"] == 50.0
    # a second reason raises the value by half a point
    shown = act(portal, "opendata_th_select", id=dataset["id"], reasons=["transparency", "agency_mission"])
    assert shown["priority"]["score"] == 62.5 and shown["stage"] == "selected"


# -- who may do what -------------------------------------------------------------

def _status(app, portal, role, action, **data):
    return api(app, getattr(portal, role), action, **data).status_code


def test_only_the_organization_reads_a_datasets_workflow_even_when_it_is_public(app, portal):
    dataset = make_dataset(portal)
    to_pending(portal, dataset)
    act(portal, "opendata_th_transition", user="admin", id=dataset["id"], transition="approve")
    org = portal.org["id"]
    for role in ROLES:
        allowed = role not in ("anonymous", "stranger", "other_admin")
        for action, data in (("opendata_th_workflow_show", {"id": dataset["id"]}),
                             ("opendata_th_workflow_history", {"id": dataset["id"]}),
                             ("opendata_th_priority_list", {"organization_id": org})):
            response = api(app, getattr(portal, role), action, **data)
            assert response.status_code == (200 if allowed else 403), (role, action)
            if not allowed:
                assert "transparency" not in response.body and "พร้อมเผยแพร่" not in response.body
    waiting = make_dataset(portal)
    to_pending(portal, waiting)
    for role in ROLES:
        response = api(app, getattr(portal, role), "opendata_th_approval_queue")
        assert response.status_code == (403 if role == "anonymous" else 200), role
        if role != "anonymous":
            listed = [item["id"] for item in response.json["result"]]
            assert (waiting["id"] in listed) is (role in ("approver", "admin")), role
            assert dataset["id"] not in listed


def test_each_role_may_take_only_its_steps(app, portal):
    dataset = make_dataset(portal)
    before = stored(dataset["id"])
    writes = (("opendata_th_select", {"reasons": ["transparency"]}),
              ("opendata_th_prioritise", {"value": 3, "quality": 3, "manageability": 3}),
              ("opendata_th_classify", {"answers": DISCLOSABLE}),
              ("opendata_th_transition", {"transition": "withhold", "comment": "ไม่เผยแพร่"}))
    for role in ("anonymous", "stranger", "member", "other_admin"):
        for action, data in writes:
            response = api(app, getattr(portal, role), action, id=dataset["id"], **data)
            assert response.status_code == 403, (role, action)
            assert THAI.search(response.json["error"]["message"]), (role, action)
    assert stored(dataset["id"]) == before

    for role in ("editor", "approver", "admin", "sysadmin"):
        other = make_dataset(portal)
        for action, data in writes[:3]:
            assert _status(app, portal, role, action, id=other["id"], **data) == 200, (role, action)
    # approving: approvers (admins, listed editors), never a plain editor, nor a
    # sysadmin without ckanext.opendata_th.sysadmins_publish_directly
    for role, status in (("editor", 403), ("member", 403), ("other_admin", 403), ("sysadmin", 403),
                         ("approver", 200), ("admin", 200)):
        pending = make_dataset(portal)
        to_pending(portal, pending)
        response = api(app, getattr(portal, role), "opendata_th_transition", id=pending["id"],
                       transition="approve")
        assert response.status_code == status, role
        assert stored(pending["id"])[2] is (status != 200), role
        if role in ("editor", "sysadmin"):
            assert "ผู้อนุมัติ" in response.json["error"]["message"]


def test_a_sysadmin_approves_only_with_the_option_or_as_an_approver_of_the_organization(
        app, portal, ckan_config, monkeypatch):
    assert not workflow.is_approver(portal.sysadmin["name"], portal.org["id"])
    [pending, returned] = (make_dataset(portal), make_dataset(portal))
    for dataset in (pending, returned):
        to_pending(portal, dataset)
    assert api(app, portal.sysadmin, "opendata_th_approval_queue").json["result"] == []
    response = api(app, portal.sysadmin, "opendata_th_transition", id=returned["id"], transition="return",
                   comment="ขาดคำอธิบาย")
    assert response.status_code == 403 and stored(returned["id"])[0]["stage"] == "pending_approval"
    # with the option, the sysadmin approves and returns for every organization
    monkeypatch.setitem(ckan_config, "ckanext.opendata_th.sysadmins_publish_directly", "true")
    assert workflow.is_approver(portal.sysadmin["name"], portal.other["id"])
    listed = {item["id"] for item in api(app, portal.sysadmin, "opendata_th_approval_queue").json["result"]}
    assert {pending["id"], returned["id"]} <= listed
    assert api(app, portal.sysadmin, "opendata_th_transition", id=returned["id"], transition="return",
               comment="ขาดคำอธิบาย").status_code == 200
    response = api(app, portal.sysadmin, "opendata_th_transition", id=pending["id"], transition="approve")
    assert response.status_code == 200 and stored(pending["id"])[2] is False
    # without it, a sysadmin who is an admin of the organization is its approver
    monkeypatch.setitem(ckan_config, "ckanext.opendata_th.sysadmins_publish_directly", "false")
    call_action("organization_member_create", {"user": portal.admin["name"]}, id=portal.org["id"],
                username=portal.sysadmin["name"], role="admin")
    assert workflow.is_approver(portal.sysadmin["name"], portal.org["id"])  # (this test's organization)
    assert not workflow.is_approver(portal.sysadmin["name"], portal.other["id"])
    shown = api(app, portal.sysadmin, "opendata_th_transition", id=returned["id"], transition="submit")
    assert shown.status_code == 200 and shown.json["result"]["roles"] == ["approver", "editor"]


def test_an_approver_listed_in_the_config_approves_only_their_organizations(portal):
    mine = make_dataset(portal)
    theirs = call_action("package_create", {"user": portal.sysadmin["name"]},
                         **national_dataset(owner_org=portal.other["id"], private=True))
    assert workflow.is_approver(portal.approver["name"], portal.org["id"])
    assert not workflow.is_approver(portal.approver["name"], portal.other["id"])
    assert not workflow.is_approver(portal.editor["name"], portal.org["id"])
    assert not workflow.is_approver(None, portal.org["id"])
    assert workflow.roles(portal.approver["name"], model.Package.get(mine["id"])) == {"editor", "approver"}
    assert workflow.roles(portal.approver["name"], model.Package.get(theirs["id"])) == frozenset()
    assert workflow.roles(portal.member["name"], model.Package.get(mine["id"])) == frozenset()


# -- bad input --------------------------------------------------------------------

BAD_INPUT = (
    ("opendata_th_transition", {"transition": "publish_now"}, "transition"),
    ("opendata_th_transition", {"transition": "approve"}, "transition"),  # not at this stage
    ("opendata_th_transition", {"transition": "deselect", "comment": "x" * 2001}, "comment"),
    ("opendata_th_transition", {}, "transition"),
    ("opendata_th_select", {"reasons": {"a": 1}}, "reasons"),
    ("opendata_th_select", {"reasons": ["fun"]}, "reasons"),
    ("opendata_th_select", {"reasons": []}, "reasons"),
    ("opendata_th_select", {"reasons": ["transparency"], "note": "x" * 2001}, "note"),
    ("opendata_th_prioritise", {"value": 0, "quality": 3, "manageability": 3}, "value"),
    ("opendata_th_prioritise", {"value": 3, "quality": 6, "manageability": 3}, "quality"),
    ("opendata_th_prioritise", {"value": 3, "quality": 3, "manageability": "x"}, "manageability"),
    ("opendata_th_classify", {"answers": {"is_it_fine": True}}, "answers.is_it_fine"),
    ("opendata_th_classify", {"answers": {"oia_disclosable": "maybe"}}, "answers.oia_disclosable"),
    ("opendata_th_classify", {"answers": ["oia_disclosable"]}, "answers"),
    ("opendata_th_classify", {"answers": DISCLOSABLE, "details": "law"}, "details"),
)


def test_bad_input_is_refused_in_thai_and_changes_nothing(app, portal):
    candidate, selected = make_dataset(portal), make_dataset(portal)
    act(portal, "opendata_th_select", id=selected["id"], reasons=["transparency"])
    before = {dataset["id"]: stored(dataset["id"]) for dataset in (candidate, selected)}
    for action, data, field in BAD_INPUT:
        dataset = candidate if action == "opendata_th_select" else selected
        case = (action, field)
        response = api(app, portal.admin, action, id=dataset["id"], **data)
        assert response.status_code == 409, (case, response.json)
        errors = response.json["error"]
        assert field in errors, (case, errors)
        assert all(THAI.search(text) for text in errors[field]), (case, errors)
        assert stored(dataset["id"]) == before[dataset["id"]], case
        english = api(app, portal.admin, action, lang="en", id=dataset["id"], **data).json["error"]
        assert english[field] != errors[field], case


def test_unknown_or_deleted_datasets_and_organizations_are_not_found(app, portal):
    deleted = make_dataset(portal)
    act(portal, "package_delete", id=deleted["id"])
    for action in ("opendata_th_workflow_show", "opendata_th_workflow_history", "opendata_th_transition",
                   "opendata_th_select", "opendata_th_prioritise", "opendata_th_classify"):
        for id_ in ("no-such-dataset", deleted["id"], "x" * 500):
            for user in (portal.sysadmin, portal.editor, None):
                response = api(app, user, action, id=id_, transition="select", reasons=["transparency"])
                assert response.status_code == 404, (action, id_)
                assert THAI.search(response.json["error"]["message"])
    for action in ("opendata_th_priority_list", "opendata_th_approval_queue"):
        assert api(app, portal.sysadmin, action, organization_id="no-such-org").status_code == 404


def test_reading_the_workflow_writes_nothing(app, portal):
    dataset = make_dataset(portal)
    with model.meta.engine.begin() as connection:  # a dataset from before the workflow
        connection.execute(sa.text("DELETE FROM opendata_th_workflow WHERE package_id = :id"),
                           {"id": dataset["id"]})
        connection.execute(sa.text("DELETE FROM opendata_th_workflow_event WHERE package_id = :id"),
                           {"id": dataset["id"]})
    shown = api(app, portal.member, "opendata_th_workflow_show", id=dataset["id"]).json["result"]
    assert shown["stage"] == "candidate"
    assert api(app, portal.member, "opendata_th_workflow_history", id=dataset["id"]).json["result"] == []
    assert stored(dataset["id"])[:2] == (None, 0)
    # the first change makes the row
    act(portal, "opendata_th_select", id=dataset["id"], reasons=["transparency"])
    assert stored(dataset["id"])[0]["stage"] == "selected"


# -- the readiness gate ---------------------------------------------------------------

def test_sending_for_approval_and_approving_need_a_ready_organization(portal, ckan_config, monkeypatch):
    dataset = make_dataset(portal)
    act(portal, "opendata_th_select", id=dataset["id"], reasons=["transparency"])
    act(portal, "opendata_th_classify", id=dataset["id"], answers=DISCLOSABLE)
    act(portal, "opendata_th_transition", id=dataset["id"], transition="prepare")
    act(portal, "opendata_th_transition", id=dataset["id"], transition="submit")
    monkeypatch.setitem(ckan_config, "ckanext.opendata_th.require_readiness", "true")
    before = stored(dataset["id"])
    with pytest.raises(tk.ValidationError) as refused:
        act(portal, "opendata_th_transition", user="admin", id=dataset["id"], transition="approve")
    [reason] = refused.value.error_dict["transition"]
    assert "ความพร้อม" in reason and portal.org["title"] in reason
    assert stored(dataset["id"]) == before
    act(portal, "opendata_th_transition", user="admin", id=dataset["id"], transition="return", comment="รอประเมิน")
    with pytest.raises(tk.ValidationError) as refused:
        act(portal, "opendata_th_transition", id=dataset["id"], transition="submit")
    assert "ความพร้อม" in refused.value.error_dict["transition"][0]


def test_classifying_a_published_dataset_as_not_disclosable_recalls_it(app, portal):
    dataset = make_dataset(portal)
    to_pending(portal, dataset)
    act(portal, "opendata_th_transition", user="admin", id=dataset["id"], transition="approve")
    assert anonymous_sees(app, dataset)
    shown = act(portal, "opendata_th_classify", id=dataset["id"],
                answers={"oia_disclosable": False, "national_security": False, "personal_data": True,
                         "permission_granted": False})
    assert shown["classification"]["outcome"] == "personal"
    assert shown["stage"] == "pending_approval" and shown["approval"] is None
    assert stored(dataset["id"])[2:] == (True, "ข้อมูลส่วนบุคคล", "ลับ")
    assert not anonymous_sees(app, dataset)
    [recalled, *_] = act(portal, "opendata_th_workflow_history", id=dataset["id"])
    assert recalled["transition"] == "recall" and recalled["comment"]
    approve = next(t for t in act(portal, "opendata_th_workflow_show", user="admin", id=dataset["id"])[
        "transitions"] if t["name"] == "approve")
    assert approve["allowed"] is False and approve["refusals"]


def test_the_workflow_speaks_english_when_asked(app, portal):
    dataset = make_dataset(portal)
    shown = api(app, portal.editor, "opendata_th_workflow_show", lang="en", id=dataset["id"]).json["result"]
    assert shown["stage_label"] == "Candidate"
    assert [t["label"] for t in shown["transitions"]] == [
        str(rules.TRANSITIONS["select"].label), str(rules.TRANSITIONS["withhold"].label)]
    refused = api(app, portal.editor, "opendata_th_transition", lang="en", id=dataset["id"],
                  transition="prepare").json["error"]
    assert refused["transition"] == [
        f"“{rules.TRANSITIONS['prepare'].label}” is not possible at the stage “Candidate”"]


def test_a_published_dataset_whose_quality_is_no_longer_acceptable_goes_back_to_the_approvers(app, portal):
    dataset = make_dataset(portal)
    to_pending(portal, dataset)
    act(portal, "opendata_th_transition", user="admin", id=dataset["id"], transition="approve")
    shown = act(portal, "opendata_th_classify", id=dataset["id"],
                answers={"oia_disclosable": True, "quality_acceptable": False})
    assert shown["classification"]["outcome"] == "needs_preparation"
    assert shown["stage"] == "pending_approval"
    assert stored(dataset["id"])[2:] == (True, "ข้อมูลสาธารณะ", "เปิดเผย")
    assert not anonymous_sees(app, dataset)


# -- every role, every step, over HTTP --------------------------------------------------

STEPS = {  # transition: (the stage it starts from, a stage it does not start from, its target)
    "prepare": ("selected", "candidate", "prepared"),
    "submit": ("prepared", "selected", "pending_approval"),
    "deselect": ("selected", "prepared", "candidate"),
    "reopen": ("withheld", "candidate", "candidate"),
    "return": ("pending_approval", "prepared", "returned"),
    "withdraw": ("published", "pending_approval", "returned"),
}
EDITORS = {"editor", "approver", "admin", "sysadmin"}
MAY = {"prepare": EDITORS, "submit": EDITORS, "deselect": EDITORS, "reopen": EDITORS,
       "return": {"approver", "admin"}, "withdraw": EDITORS}
"""Who may take each step: the dataset's editors; returning is the
organization's approvers' (a sysadmin is not one without the option)."""
NO_EDIT = {"anonymous", "member", "other_admin"}
"""Refused by the auth function before anything else (403)."""

_MATRIX: dict = {}


@pytest.fixture
def matrix(users, ckan_config, monkeypatch):
    """One organization for all the role-by-step tests, made once for the
    module, with a private dataset selected and classified as disclosable,
    and a published one; each test puts them at the stage it needs."""
    monkeypatch.setitem(ckan_config, "ckanext.opendata_th.approvers", [users["approver"]["name"]])
    if not _MATRIX:
        org = factories.Organization(users=[
            {"name": users["admin"]["name"], "capacity": "admin"},
            {"name": users["editor"]["name"], "capacity": "editor"},
            {"name": users["approver"]["name"], "capacity": "editor"},
            {"name": users["member"]["name"], "capacity": "member"}])
        other = factories.Organization(users=[{"name": users["other_admin"]["name"], "capacity": "admin"}])
        people = SimpleNamespace(org=org, other=other, anonymous=None, **users)
        private, public = make_dataset(people), make_dataset(people)
        act(people, "opendata_th_select", id=private["id"], reasons=["transparency"])
        act(people, "opendata_th_classify", id=private["id"], answers=DISCLOSABLE)
        to_pending(people, public)
        act(people, "opendata_th_transition", user="admin", id=public["id"], transition="approve")
        _MATRIX.update(people=people, private=private["id"], public=public["id"])
    return SimpleNamespace(**_MATRIX)


def put_at(package_id, stage):
    """The test's set-up, straight to the table: the dataset at ``stage``; a
    dataset put at "published" is made public as the approval does."""
    found = workflow.record(package_id)
    found.stage = stage
    if stage == rules.PUBLISHED:
        found.approved_at, found.approval_source = found.stage_changed_at, "tests"
    model.repo.commit()
    if stage == rules.PUBLISHED and model.Package.get(package_id).private:
        call_action("package_patch", {"user": call_action("get_site_user")["name"]}, id=package_id,
                    private=False)


ROLES_OF_THE_MATRIX = ("anonymous", "member", "editor", "approver", "admin", "sysadmin", "other_admin")


@pytest.mark.parametrize("transition", list(STEPS))
def test_each_role_takes_each_step_over_http_only_when_it_may(app, matrix, transition):
    """Every role (a loop: one set-up for the seven) × every step a person
    takes besides approving (tested above): at a stage it does not start
    from, without the reason it needs, and from its stage."""
    source, wrong, target = STEPS[transition]
    package_id = matrix.public if source == rules.PUBLISHED else matrix.private
    for role in ROLES_OF_THE_MATRIX:
        case = (role, transition)
        user = getattr(matrix.people, role)
        allowed = role in MAY[transition]

        def take(dataset_id, comment):
            return api(app, user, "opendata_th_transition", id=dataset_id, transition=transition,
                       comment=comment)

        # at a stage the step does not start from: refused, changing nothing
        put_at(matrix.private, wrong)
        before = stored(matrix.private)
        response = take(matrix.private, "เหตุผลของขั้นตอน")
        assert response.status_code == (403 if role in NO_EDIT else 409), (case, response.json)
        assert THAI.search(str(response.json["error"])), case
        assert stored(matrix.private) == before, case

        put_at(package_id, source)
        before = stored(package_id)
        if rules.TRANSITIONS[transition].comment_required:  # the reason is asked of those who may
            response = take(package_id, " ")
            assert response.status_code == (409 if allowed else 403), (case, response.json)
            assert stored(package_id) == before, case
        response = take(package_id, "เหตุผลของขั้นตอน")
        if not allowed:
            assert response.status_code == 403, (case, response.json)
            assert THAI.search(response.json["error"]["message"]), case
            assert stored(package_id) == before, case
            continue
        assert response.status_code == 200, (case, response.json)
        after = stored(package_id)
        assert after[0]["stage"] == target and after[1] == before[1] + 1, case
        assert after[2] is (True if transition == "withdraw" else before[2]), case
        [latest] = act(matrix.people, "opendata_th_workflow_history", user="admin", id=package_id, limit=1)
        assert (latest["transition"], latest["user"]) == (transition, user["name"]), case
        assert (latest["from_stage"], latest["to_stage"]) == (source, target), case


# -- start-up -------------------------------------------------------------------------

def test_a_broken_classification_schema_or_bad_weights_stop_ckans_start_up(tmp_path, ckan_config,
                                                                             monkeypatch):
    """CKAN calls the plugin's configure when it starts: the error names the
    file (and the place in it) or the option."""
    import yaml

    import ckan.plugins as plugins

    from ckanext.opendata_th.playbook.classification import SCHEMA_FILE, ClassificationSchemaError
    from ckanext.opendata_th.playbook.priority import PriorityConfigError

    plugin = plugins.get_plugin("opendata_th")
    path = tmp_path / "classification-2571.yaml"
    monkeypatch.setitem(ckan_config, workflow.CLASSIFICATION_SCHEMA_OPTION, str(path))
    path.write_text("questions: [", encoding="utf-8")
    with pytest.raises(ClassificationSchemaError, match="classification-2571.yaml"):
        plugin.configure(ckan_config)
    tree = yaml.safe_load(SCHEMA_FILE.read_text(encoding="utf-8"))
    tree["questions"][0]["yes"] = "no_such_question"
    path.write_text(yaml.safe_dump(tree, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ClassificationSchemaError, match=r"classification-2571\.yaml.*questions\[1\]\.yes"):
        plugin.configure(ckan_config)
    monkeypatch.setitem(ckan_config, workflow.CLASSIFICATION_SCHEMA_OPTION, str(tmp_path / "missing.yaml"))
    with pytest.raises(ClassificationSchemaError, match="missing.yaml"):
        plugin.configure(ckan_config)
    monkeypatch.delitem(ckan_config, workflow.CLASSIFICATION_SCHEMA_OPTION)

    for weights in ("value:2 quality:one manageability:1", "value:2 quality:1",
                    "value:0 quality:0 manageability:0"):
        monkeypatch.setitem(ckan_config, workflow.WEIGHTS_OPTION, weights)
        with pytest.raises(PriorityConfigError, match=r"ckanext\.opendata_th\.priority\.weights") as error:
            plugin.configure(ckan_config)
        assert weights in str(error.value)
    monkeypatch.setitem(ckan_config, workflow.WEIGHTS_OPTION, "value:1 quality:1 manageability:1")
    plugin.configure(ckan_config)  # a good file and good weights start
