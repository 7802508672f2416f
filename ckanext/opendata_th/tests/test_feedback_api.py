"""Feedback on published datasets through the API, against the real
PostgreSQL and Redis: anyone (no account) sends; an item sent without an
account waits for the organization's editors, who approve, answer, resolve,
reopen, hold and hide, every step kept in the item's history (hiding is not
deleting); each role may do exactly its part; a dataset that is not
published has no feedback for anyone (no leak to outsiders); the spam
defences (honeypot, blocked words, links, the per-sender rate limit over
Redis); bad input refused in Thai or English with nothing saved; the
reporter e-mailed after an answer or a resolution is committed; the open
counts in one aggregate query."""
from __future__ import annotations

import email
import hashlib
import math
import email.policy
import re
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

import ckan.lib.jobs as jobs
import ckan.model as model
from ckan.lib.redis import connect_to_redis
from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.opendata_th import feedback as glue
from ckanext.opendata_th import ratelimit
from ckanext.opendata_th.model.feedback import Feedback, FeedbackEvent
from ckanext.opendata_th.tests.datasets import create_dataset, national_dataset, national_resource

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db_once")

THAI = re.compile("[\u0e00-\u0e7f]")
ROLES = ("anonymous", "stranger", "member", "editor", "admin", "sysadmin", "other_admin")
MODERATORS = {"editor", "admin", "sysadmin"}
STEPS = ("approve", "answer", "resolve", "reopen", "hold", "hide")
COMPLAINT = {"kind": "complaint", "message": "ตัวเลขเดือนมีนาคม 2569 หายไปจากไฟล์", "name": "สมหญิง",
             "email": "somying@example.co.th"}

_USERS: dict[str, dict] = {}


@pytest.fixture(autouse=True)
def fresh_rate_counts(ckan_config):
    """Every test starts with no submission counted (the counts live in Redis)."""
    redis = connect_to_redis()
    for key in redis.scan_iter(f"{ckan_config.get('ckan.site_id')}:opendata_th:rate:feedback:*"):
        redis.delete(key)


@pytest.fixture
def portal(clean_db_once):
    """An organization (admin, editor, member) with a private dataset;
    another organization with its admin; a signed-in stranger; a sysadmin
    (made once for the module). Each test gets a published dataset of its own."""
    if not _USERS:
        _USERS.update({role: factories.UserWithToken()
                       for role in ("admin", "editor", "member", "other_admin", "stranger")})
        _USERS["sysadmin"] = factories.SysadminWithToken()
        _USERS["org"] = factories.Organization(title="กองสถิติการค้า", users=[
            {"name": _USERS["admin"]["name"], "capacity": "admin"},
            {"name": _USERS["editor"]["name"], "capacity": "editor"},
            {"name": _USERS["member"]["name"], "capacity": "member"}])
        _USERS["other"] = factories.Organization(users=[{"name": _USERS["other_admin"]["name"],
                                                         "capacity": "admin"}])
        _USERS["private"] = new_dataset(SimpleNamespace(**_USERS), private=True)
    people = SimpleNamespace(anonymous=None, **_USERS)
    people.public = new_dataset(people)
    return people


def new_dataset(people, private=False, **fields):
    return create_dataset({"user": people.sysadmin["name"]}, **national_dataset(
        owner_org=people.org["id"], private=private, resources=[national_resource()], **fields))


def api(app, user, action, lang="", remote_addr="192.0.2.10", **data):
    """POST an action as ``user`` (None: anonymous) from ``remote_addr``."""
    prefix = f"/{lang}" if lang else ""
    headers = {"Authorization": user["token"]} if user else {}
    return app.post(f"{prefix}/api/3/action/{action}", json=data, headers=headers,
                    environ_overrides={"REMOTE_ADDR": remote_addr})


def get(app, user, action, lang="", **data):
    prefix = f"/{lang}" if lang else ""
    headers = {"Authorization": user["token"]} if user else {}
    return app.get(f"{prefix}/api/3/action/{action}", query_string=data, headers=headers)


def send(app, people, dataset=None, user=None, **fields):
    response = api(app, user, "opendata_th_feedback_create",
                   package_id=(dataset or people.public)["id"], **{**COMPLAINT, **fields})
    assert response.status_code == 200, response.json
    return response.json["result"]


def moderate(people, step, item_id, user="editor", **data):
    return call_action(f"opendata_th_feedback_{step}", {"user": getattr(people, user)["name"]}, id=item_id,
                       **data)


def stored(item_id=None):
    """(visibility, progress, answer, number of events) of an item, or the
    number of items and events, fresh from the database."""
    model.Session.expire_all()
    if item_id is None:
        return (model.Session.query(Feedback).count(), model.Session.query(FeedbackEvent).count())
    row = model.Session.get(Feedback, item_id)
    events = model.Session.query(FeedbackEvent).filter_by(feedback_id=item_id).count()
    return (row.visibility, row.progress, row.answer, events)


def public_ids(app, dataset):
    response = get(app, None, "opendata_th_feedback_list", package_id=dataset["id"])
    assert response.status_code == 200, response.json
    return [item["id"] for item in response.json["result"]["items"]]


# -- the way of one item -------------------------------------------------------------------

def test_an_anonymous_complaint_waits_for_review_is_answered_resolved_and_kept(app, portal):
    receipt = send(app, portal)
    assert receipt["visible"] is False and receipt["kind"] == "complaint"
    assert receipt["notice"] == "ขอบคุณ ความคิดเห็นของคุณจะแสดงเมื่อเจ้าหน้าที่ของหน่วยงานอ่านแล้ว"
    item_id = receipt["id"]
    assert stored(item_id) == ("held", "open", None, 1)
    assert public_ids(app, portal.public) == []  # not shown yet
    counts = get(app, None, "opendata_th_feedback_counts", package_id=portal.public["id"]).json["result"]
    assert counts == {"dataset": {"open": 0, "held": None, "unanswered": 0, "shown": 0}}

    # the organization's editors find it in their queue, with why it waits and the address
    queue = call_action("opendata_th_feedback_list", {"user": portal.editor["name"]},
                        organization_id=portal.org["name"], visibility="held")
    [held] = queue["items"]
    assert held["id"] == item_id and held["email"] == "somying@example.co.th"
    assert held["screening"] == ["ส่งโดยไม่มีบัญชีผู้ใช้ รายการใหม่จากผู้เยี่ยมชมต้องรอการตรวจสอบ"]
    assert [step["name"] for step in held["steps"]] == ["approve", "answer", "resolve", "hide"]
    assert queue["counts"]["held"] == 1 and queue["moderator"] is True

    shown = moderate(portal, "approve", item_id)
    assert (shown["visibility"], shown["visibility_label"]) == ("visible", "แสดงอยู่")
    assert public_ids(app, portal.public) == [item_id]
    counts = get(app, None, "opendata_th_feedback_counts", package_id=portal.public["id"]).json["result"]
    assert counts["dataset"]["open"] == 1  # a complaint shown counts against the dataset

    shown = moderate(portal, "answer", item_id, user="admin", answer="เพิ่มข้อมูลเดือนมีนาคมแล้ว")
    assert (shown["progress"], shown["answer"], shown["answered_by"]) == (
        "answered", "เพิ่มข้อมูลเดือนมีนาคมแล้ว", portal.admin["fullname"])
    assert shown["counts_against"] is True  # answered is not resolved
    shown = moderate(portal, "resolve", item_id, note="แก้ไขไฟล์แล้ว")
    assert (shown["progress"], shown["counts_against"], shown["resolution"]) == ("resolved", False, "แก้ไขไฟล์แล้ว")
    assert get(app, None, "opendata_th_feedback_counts",
               package_id=portal.public["id"]).json["result"]["dataset"]["open"] == 0

    # what everyone sees: the answer and the resolution, never the address
    public = get(app, None, "opendata_th_feedback_show", id=item_id).json["result"]
    assert public["answer"] == "เพิ่มข้อมูลเดือนมีนาคมแล้ว" and public["progress_label"] == "ดำเนินการแล้ว"
    assert public["author_label"] == "สมหญิง" and public["kind_label"] == "ข้อร้องเรียน"
    assert not {"email", "user", "visibility", "screening", "history", "answered_by"} & set(public)
    assert "somying" not in str(public)

    shown = moderate(portal, "reopen", item_id, note="ยังขาดเดือนเมษายน")
    assert shown["progress"] == "answered" and shown["resolution"] is None
    moderate(portal, "hold", item_id)
    shown = moderate(portal, "hide", item_id, note="ข้อความซ้ำ")
    assert shown["visibility"] == "hidden" and public_ids(app, portal.public) == []
    assert get(app, None, "opendata_th_feedback_show", id=item_id).status_code == 404
    moderate(portal, "approve", item_id)  # hiding is not deleting: it comes back as it was

    history = call_action("opendata_th_feedback_show", {"user": portal.member["name"], "ignore_auth": True},
                          id=item_id)["history"]
    assert [(e["step"], e["user"]) for e in history] == [
        ("approve", portal.editor["name"]), ("hide", portal.editor["name"]), ("hold", portal.editor["name"]),
        ("reopen", portal.editor["name"]), ("resolve", portal.editor["name"]), ("answer", portal.admin["name"]),
        ("approve", portal.editor["name"]), ("created", None)]
    assert history[1]["note"] == "ข้อความซ้ำ" and history[5]["note"] == "เพิ่มข้อมูลเดือนมีนาคมแล้ว"
    assert (history[1]["from_visibility"], history[1]["to_visibility"]) == ("held", "hidden")
    assert history[-1]["step_label"] == "ได้รับ" and history[0]["at"].endswith("+00:00")
    assert stored(item_id) == ("visible", "answered", "เพิ่มข้อมูลเดือนมีนาคมแล้ว", 8)


def test_signed_in_users_are_shown_at_once_unless_reviewed_or_held_by_the_spam_rules(
        app, portal, ckan_config, monkeypatch):
    receipt = send(app, portal, user=portal.stranger, name="", email="")
    assert receipt["visible"] is True
    assert receipt["notice"] == "ขอบคุณ ความคิดเห็นของคุณแสดงในหน้าชุดข้อมูลแล้ว"
    [shown] = get(app, None, "opendata_th_feedback_list", package_id=portal.public["id"]).json["result"]["items"]
    assert shown["id"] == receipt["id"] and shown["author_label"] == "ผู้เยี่ยมชม"  # no name given
    seen = call_action("opendata_th_feedback_show", {"user": portal.editor["name"]}, id=receipt["id"])
    assert seen["user"] == portal.stranger["name"] and seen["email"] is None

    monkeypatch.setitem(ckan_config, glue.MODERATE_OPTION, True)
    receipt = send(app, portal, user=portal.stranger)
    assert receipt["visible"] is False
    assert call_action("opendata_th_feedback_show", {"user": portal.editor["name"]}, id=receipt["id"])[
        "screening"] == ["หน่วยงานตรวจสอบทุกรายการใหม่ก่อนแสดง"]

    # the blocked-word list and the link limit hold anyone's item
    monkeypatch.setitem(ckan_config, glue.MODERATE_OPTION, False)
    monkeypatch.setitem(ckan_config, glue.WORDS_OPTION, "casino\nบาคาร่า")
    monkeypatch.setitem(ckan_config, glue.LINKS_OPTION, 1)
    words = send(app, portal, user=portal.stranger, kind="comment", message="เล่นบาคาร่าได้เงินจริง")
    links = send(app, portal, user=portal.stranger, kind="comment",
                 message="ดูที่ https://a.example และ https://b.example")
    clean = send(app, portal, user=portal.stranger, kind="comment", message="ข้อมูลมีประโยชน์ https://a.example")
    assert (words["visible"], links["visible"], clean["visible"]) == (False, False, True)
    editor = {"user": portal.editor["name"]}
    assert call_action("opendata_th_feedback_show", editor, id=words["id"])["screening"] == [
        "มีคำในรายการคำต้องห้าม: บาคาร่า"]
    assert call_action("opendata_th_feedback_show", editor, id=links["id"])["screening"] == [
        "มีลิงก์ 2 ลิงก์ (เกิน 1)"]


# -- who may do what ---------------------------------------------------------------------------

def test_anyone_sends_feedback_on_a_published_dataset_and_nobody_on_a_private_one(app, portal):
    for number, role in enumerate(ROLES):
        response = api(app, getattr(portal, role), "opendata_th_feedback_create",
                       package_id=portal.public["name"], remote_addr=f"192.0.2.{number + 20}", **COMPLAINT)
        assert response.status_code == 200, (role, response.json)
    before = stored()
    for number, role in enumerate(ROLES):  # sysadmins too: feedback is for published data
        response = api(app, getattr(portal, role), "opendata_th_feedback_create",
                       package_id=portal.private["id"], remote_addr=f"192.0.2.{number + 40}", **COMPLAINT)
        assert response.status_code == 403, (role, response.json)
        assert THAI.search(response.json["error"]["message"]), role
        if role in ("anonymous", "stranger", "other_admin"):  # no more than CKAN itself says
            assert "ชุดข้อมูลที่เผยแพร่" not in response.json["error"]["message"], role
    response = api(app, None, "opendata_th_feedback_create", package_id="no-such-dataset", **COMPLAINT)
    assert response.status_code == 404 and response.json["error"]["message"].endswith("ไม่พบชุดข้อมูล")
    assert stored() == before


def test_only_the_organizations_editors_see_what_is_not_shown_and_the_addresses(app, portal):
    held = send(app, portal)["id"]
    visible = send(app, portal, kind="comment", message="ขอบคุณสำหรับข้อมูล")["id"]
    moderate(portal, "approve", visible)
    for role in ROLES:
        user = getattr(portal, role)
        listed = get(app, user, "opendata_th_feedback_list", package_id=portal.public["id"])
        assert listed.status_code == 200, role
        ids = {item["id"] for item in listed.json["result"]["items"]}
        moderator = role in MODERATORS
        assert ids == ({held, visible} if moderator else {visible}), role
        assert ("somying@example.co.th" in listed.body) is moderator, role
        assert get(app, user, "opendata_th_feedback_show", id=held).status_code == (200 if moderator else 404), role
        assert get(app, user, "opendata_th_feedback_show", id=visible).status_code == 200, role
        queue = get(app, user, "opendata_th_feedback_list", organization_id=portal.org["id"])
        assert queue.status_code == (200 if moderator else 403), role
        if not moderator:
            asked = get(app, user, "opendata_th_feedback_list", package_id=portal.public["id"], visibility="held")
            assert asked.status_code == 403 and THAI.search(asked.json["error"]["message"]), role
            assert "somying" not in queue.body
        counts = get(app, user, "opendata_th_feedback_counts", organization_id=portal.org["id"])
        assert counts.status_code == (200 if role in MODERATORS | {"member"} else 403), role


def test_a_dataset_made_private_keeps_its_feedback_for_its_editors_only(app, portal):
    dataset = new_dataset(portal)
    item_id = send(app, portal, dataset=dataset)["id"]
    moderate(portal, "approve", item_id)
    call_action("package_patch", {"user": portal.sysadmin["name"]}, id=dataset["id"], private=True)
    for role in ROLES:
        user = getattr(portal, role)
        for action, data in (("opendata_th_feedback_list", {"package_id": dataset["id"]}),
                             ("opendata_th_feedback_show", {"id": item_id}),
                             ("opendata_th_feedback_counts", {"package_id": dataset["id"]})):
            response = get(app, user, action, **data)
            assert response.status_code == (200 if role in MODERATORS else 403), (role, action)
            if role not in MODERATORS:
                assert "มีนาคม" not in response.body, (role, action)
    # the editors still handle it
    assert moderate(portal, "resolve", item_id)["progress"] == "resolved"


def test_each_moderation_step_is_for_the_organizations_editors_only(app, portal):
    item_id = send(app, portal)["id"]
    data = {"approve": {}, "answer": {"answer": "ตอบ"}, "resolve": {}, "reopen": {}, "hold": {},
            "hide": {"note": "สแปม"}}
    for step in STEPS:
        before = stored(item_id)
        for role in ("anonymous", "stranger", "member", "other_admin"):
            response = api(app, getattr(portal, role), f"opendata_th_feedback_{step}", id=item_id, **data[step])
            assert response.status_code == 403, (role, step, response.json)
            assert THAI.search(response.json["error"]["message"]), (role, step)
        assert stored(item_id) == before, step
    # the editors, the admin and a sysadmin each take steps, in an order that allows them
    for role, step in (("editor", "approve"), ("admin", "answer"), ("sysadmin", "resolve"), ("editor", "reopen"),
                       ("admin", "hold"), ("sysadmin", "hide")):
        response = api(app, getattr(portal, role), f"opendata_th_feedback_{step}", id=item_id, **data[step])
        assert response.status_code == 200, (role, step, response.json)
    assert stored(item_id) == ("hidden", "answered", "ตอบ", 7)
    response = api(app, portal.editor, "opendata_th_feedback_approve", id="no-such-item")
    assert response.status_code == 404 and response.json["error"]["message"].endswith("ไม่พบความคิดเห็น")


# -- bad input ----------------------------------------------------------------------------------

def test_bad_input_is_refused_in_thai_or_english_and_nothing_is_saved(app, portal):
    before = stored()
    bad = {"kind": "praise", "message": "", "name": "ก" * 101, "email": "somying@", "package_id": portal.public["id"]}
    thai = api(app, None, "opendata_th_feedback_create", **bad)
    assert thai.status_code == 409
    error = thai.json["error"]
    assert error["kind"] == ["เลือกประเภทของสิ่งที่ส่ง: ความเห็น, ข้อร้องเรียน, รายงานข้อผิดพลาด"]
    assert error["message"] == ["กรุณาเขียนความเห็น ข้อร้องเรียน หรือรายงานข้อผิดพลาด"]
    assert error["name"] == ["ยาวได้ไม่เกิน 100 ตัวอักษร (ข้อความนี้ยาว 101 ตัวอักษร)"]
    assert error["email"] == ["ไม่ใช่ที่อยู่อีเมล (ตัวอย่างเช่น name@example.com)"]
    english = api(app, None, "opendata_th_feedback_create", lang="en", remote_addr="192.0.2.99", **bad)
    assert english.status_code == 409
    assert english.json["error"]["message"] == ["Write your comment, complaint or error report"]
    assert not THAI.search(str(english.json["error"]))
    huge = api(app, None, "opendata_th_feedback_create", package_id=portal.public["id"],
               remote_addr="192.0.2.98", **{**COMPLAINT, "message": "ก" * 100_000})
    assert huge.status_code == 409 and "100000" in huge.json["error"]["message"][0]
    odd = api(app, None, "opendata_th_feedback_create", package_id=portal.public["id"], remote_addr="192.0.2.97",
              kind=["complaint"], message={"x": 1}, name=7, email=None)
    assert odd.status_code == 409 and set(odd.json["error"]) >= {"kind", "message"}
    assert stored() == before

    item_id = send(app, portal, remote_addr="192.0.2.96")["id"]
    before = stored(item_id)
    for step, data, field, thai_text in (
            ("answer", {"answer": "  "}, "answer", "กรุณาเขียนคำตอบ"),
            ("hide", {}, "note", "กรุณาระบุเหตุผลที่ซ่อนรายการนี้"),
            ("hold", {}, "step", "“พักไว้ตรวจสอบ” ทำไม่ได้กับรายการที่ “รอตรวจสอบ”"),
            ("resolve", {"note": "ก" * 1001}, "note", "ยาวได้ไม่เกิน 1000 ตัวอักษร (ข้อความนี้ยาว 1001 ตัวอักษร)")):
        response = api(app, portal.editor, f"opendata_th_feedback_{step}", id=item_id, **data)
        assert response.status_code == 409, (step, response.json)
        assert response.json["error"][field] == [thai_text], step
    english = api(app, portal.editor, "opendata_th_feedback_answer", lang="en", id=item_id, answer="")
    assert english.json["error"]["answer"] == ["Write the answer"]
    assert stored(item_id) == before

    for data, field in (({"visibility": "gone"}, "visibility"), ({"progress": "done"}, "progress"),
                        ({"kind": "praise"}, "kind"), ({"limit": 1000}, "limit"), ({"offset": -1}, "offset"),
                        ({"sort": "random"}, "sort")):
        response = get(app, portal.editor, "opendata_th_feedback_list", package_id=portal.public["id"], **data)
        assert response.status_code == 409 and field in response.json["error"], data
        assert THAI.search(str(response.json["error"][field])), data


# -- spam -----------------------------------------------------------------------------------------

def test_the_honeypot_hides_an_item_at_once_and_the_sender_cannot_tell(app, portal):
    bot = send(app, portal, website="http://cheap-pills.example")
    human = send(app, portal, remote_addr="192.0.2.12")
    assert {key: value for key, value in bot.items() if key != "id"} == {
        key: value for key, value in human.items() if key != "id"}
    assert stored(bot["id"])[0] == "hidden" and stored(human["id"])[0] == "held"
    hidden = call_action("opendata_th_feedback_list", {"user": portal.editor["name"]},
                         package_id=portal.public["id"], visibility="hidden")["items"]
    assert [item["id"] for item in hidden] == [bot["id"]]
    assert hidden[0]["screening"] == ["มีการกรอกช่องที่ซ่อนไว้ ซึ่งมีเพียงโปรแกรมอัตโนมัติที่กรอก"]
    assert hidden[0]["steps"][0]["name"] == "approve"  # kept: a person's autofill may have done it


def test_the_rate_limit_counts_each_sender_in_redis_and_answers_429(app, portal, ckan_config, monkeypatch):
    monkeypatch.setitem(ckan_config, glue.RATE_COUNT_OPTION, 2)
    monkeypatch.setitem(ckan_config, glue.RATE_WINDOW_OPTION, 600)
    data = {"package_id": portal.public["id"], **COMPLAINT}
    for _ in range(2):
        assert api(app, None, "opendata_th_feedback_create", remote_addr="198.51.100.7", **data).status_code == 200
    before = stored()
    refused = api(app, None, "opendata_th_feedback_create", remote_addr="198.51.100.7", **data)
    assert refused.status_code == 429
    assert refused.json["success"] is False
    # the counts run in fixed windows of 600 s: retry when this one ends
    retry_after = int(refused.headers["Retry-After"])
    assert 0 < retry_after <= 600
    assert refused.json["error"]["message"] == (
        f"คุณส่งความคิดเห็นจำนวนมากในเวลาสั้น ๆ กรุณาลองใหม่อีกครั้งในอีก {math.ceil(retry_after / 60)} นาที")
    english = api(app, None, "opendata_th_feedback_create", lang="en", remote_addr="198.51.100.7", **data)
    assert english.status_code == 429 and english.json["error"]["message"].startswith("You have sent a lot")
    header = app.post("/api/3/action/opendata_th_feedback_create", json=data,
                      headers={"Accept-Language": "en"}, environ_overrides={"REMOTE_ADDR": "198.51.100.7"})
    assert header.status_code == 429 and header.json["error"]["message"].startswith("You have sent a lot")
    # bad input over the limit is refused by the limit, before it is read
    assert api(app, None, "opendata_th_feedback_create", remote_addr="198.51.100.7",
               package_id=portal.public["id"], kind="x").status_code == 429
    assert stored() == before
    # the count is the sender's: another address, and a signed-in user (counted by account), still send
    assert api(app, None, "opendata_th_feedback_create", remote_addr="198.51.100.8", **data).status_code == 200
    assert api(app, portal.stranger, "opendata_th_feedback_create", remote_addr="198.51.100.7",
               **data).status_code == 200
    # an IPv6 sender is one /64 network
    for number in (1, 2):
        assert api(app, None, "opendata_th_feedback_create", remote_addr=f"2001:db8:5:6::{number}",
                   **data).status_code == 200
    assert api(app, None, "opendata_th_feedback_create", remote_addr="2001:db8:5:6:ffff::1",
               **data).status_code == 429
    # the counts are Redis keys that end with their window, named by a
    # digest of the sender (no address is stored)
    redis = connect_to_redis()
    digest = hashlib.sha256(b"ip:198.51.100.7").hexdigest()[:32]
    [key] = redis.scan_iter(f"{ckan_config['ckan.site_id']}:opendata_th:rate:feedback:{digest}:*")
    assert "198.51.100.7" not in str(key)
    assert int(redis.get(key)) == 6 and 0 < redis.ttl(key) <= 601  # every attempt, refused ones too
    redis.delete(key)  # the window is over
    assert api(app, None, "opendata_th_feedback_create", remote_addr="198.51.100.7", **data).status_code == 200
    # a GET never counts (nor writes)
    assert get(app, None, "opendata_th_feedback_list", package_id=portal.public["id"]).status_code == 200
    assert int(redis.get(key)) == 1

    # behind a trusted reverse proxy, the address it saw is counted, not the proxy's
    monkeypatch.setitem(ckan_config, glue.RATE_COUNT_OPTION, 1)
    monkeypatch.setitem(ckan_config, ratelimit.PROXIES_OPTION, 1)

    def from_proxy(forwarded):
        return app.post("/api/3/action/opendata_th_feedback_create", json=data,
                        headers={"X-Forwarded-For": forwarded}, environ_overrides={"REMOTE_ADDR": "10.0.0.2"})

    assert from_proxy("203.0.113.1").status_code == 200
    assert from_proxy("203.0.113.2").status_code == 200  # another visitor behind the same proxy
    assert from_proxy("6.6.6.6, 203.0.113.1").status_code == 429  # an entry the client wrote changes nothing


# -- counts --------------------------------------------------------------------------------------

def test_open_counts_per_dataset_and_organization_come_from_one_aggregate_query(app, portal):
    first, second = new_dataset(portal), new_dataset(portal)
    items = [send(app, portal, dataset=first, kind=kind, remote_addr=f"192.0.2.{50 + n}")["id"]
             for n, kind in enumerate(("complaint", "error", "comment", "complaint"))]
    moderate(portal, "approve", items[0])
    moderate(portal, "answer", items[1], answer="กำลังแก้ไข")
    moderate(portal, "approve", items[2])
    moderate(portal, "hide", items[3], note="ซ้ำ")
    resolved = send(app, portal, dataset=second, remote_addr="192.0.2.60")["id"]
    moderate(portal, "resolve", resolved)
    send(app, portal, dataset=second, remote_addr="192.0.2.61")

    statements = []

    def count(*args):
        statements.append(args[2])

    sa.event.listen(model.meta.engine, "before_cursor_execute", count)
    try:
        found = glue.counts(organization_ids=[portal.org["id"]])
    finally:
        sa.event.remove(model.meta.engine, "before_cursor_execute", count)
    assert len(statements) == 1 and "count(*) FILTER" in statements[0]
    assert found["datasets"][first["id"]] == glue.Counts(open=2, held=0, unanswered=2, shown=3)
    assert found["datasets"][second["id"]] == glue.Counts(open=0, held=1, unanswered=0, shown=1)
    organization = found["organizations"][portal.org["id"]]
    assert organization.open >= 2 and organization.held >= 1
    assert glue.counts(package_ids=[first["id"]])["datasets"] == {first["id"]: found["datasets"][first["id"]]}
    shown = call_action("opendata_th_feedback_counts", {"user": portal.member["name"]},
                        organization_id=portal.org["name"])
    assert shown["datasets"][first["id"]] == {"open": 2, "held": 0, "unanswered": 2, "shown": 3}


# -- e-mails to the reporter -----------------------------------------------------------------------

def queued_mails():
    """The feedback e-mail jobs waiting in CKAN's queue (other follow-ups,
    such as link checks, are left there)."""
    return [job for job in jobs.get_queue().jobs if job.func_name.endswith("jobs.feedback.send_update")]


def mails(mail_server):
    return [(recipients, email.message_from_string(raw, policy=email.policy.default))
            for _none, _from, recipients, raw in mail_server.get_smtp_messages()]


def test_the_reporter_is_emailed_the_answer_and_the_resolution_after_commit(app, portal, mail_server):
    for job in queued_mails():
        job.delete()
    item_id = send(app, portal)["id"]
    moderate(portal, "approve", item_id)
    assert queued_mails() == []  # approving tells nobody
    moderate(portal, "answer", item_id, answer="เพิ่มข้อมูลเดือนมีนาคมแล้ว")
    [job] = queued_mails()
    assert job.perform() == "sent"
    job.delete()
    [(recipients, message)] = mails(mail_server)
    assert recipients == ["somying@example.co.th"]
    assert message["Subject"] == f"[ข้อมูลเปิด] คำตอบต่อความคิดเห็นของคุณเรื่อง “{portal.public['title']}”"
    body = message.get_content()
    assert "เรียน สมหญิง" in body and "เพิ่มข้อมูลเดือนมีนาคมแล้ว" in body
    assert "กองสถิติการค้า ตอบความคิดเห็น (ข้อร้องเรียน)" in body
    assert re.search(r"พ\.ศ\. 25\d\d|25\d\d", body)  # the date in the Buddhist Era
    assert f"/dataset/{portal.public['name']}/feedback#feedback-{item_id}" in body
    assert "ตัวเลขเดือนมีนาคม 2569 หายไปจากไฟล์" in body  # what they wrote

    # a job run again sends nothing more; the history has it
    from ckanext.opendata_th.jobs.feedback import send_update
    answer_event = model.Session.query(FeedbackEvent).filter_by(feedback_id=item_id, step="answer").one()
    assert send_update(answer_event.id) == "already"
    assert len(mails(mail_server)) == 1
    history = call_action("opendata_th_feedback_show", {"user": portal.editor["name"]}, id=item_id)["history"]
    assert history[0]["step"] == "mailed" and history[0]["step_label"] == "ส่งอีเมลถึงผู้แจ้งแล้ว"

    moderate(portal, "resolve", item_id, note="แก้ไขไฟล์แล้ว")
    [job] = queued_mails()
    job.perform()
    job.delete()
    _, resolved = mails(mail_server)[1]
    assert resolved["Subject"] == f"[ข้อมูลเปิด] ความคิดเห็นของคุณเรื่อง “{portal.public['title']}” ดำเนินการแล้ว"
    assert "แก้ไขไฟล์แล้ว" in resolved.get_content()


def test_no_address_no_email_and_an_english_reporter_gets_english(app, portal, mail_server):
    for job in queued_mails():
        job.delete()
    silent = send(app, portal, email="")["id"]
    moderate(portal, "answer", silent, answer="ขอบคุณ")
    [job] = queued_mails()
    assert job.perform() == "no_email"
    job.delete()
    english = api(app, None, "opendata_th_feedback_create", lang="en", package_id=portal.public["id"],
                  remote_addr="192.0.2.70", **{**COMPLAINT, "name": "Jane", "email": "jane@example.org"})
    assert english.json["result"]["notice"].startswith("Thank you.")
    moderate(portal, "answer", english.json["result"]["id"], answer="Added the March figures.")
    [job] = queued_mails()
    assert job.perform() == "sent"
    job.delete()
    [(recipients, message)] = mails(mail_server)
    assert recipients == ["jane@example.org"]
    assert message["Subject"].startswith("[Open data] An answer to your feedback on")
    body = message.get_content()
    assert "Dear Jane," in body and "Added the March figures." in body and not THAI.search(
        body.replace(portal.public["title"], "").replace(portal.org["title"], "").replace(COMPLAINT["message"], ""))
