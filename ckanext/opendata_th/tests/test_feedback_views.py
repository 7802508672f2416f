"""Feedback's pages, without a browser: the block on a published dataset's
page (what is shown, the open complaints, the form anyone may use without
an account or JavaScript), the form with CKAN's CSRF token, its errors in
Thai or English with what was typed kept, the 429 page over the rate limit,
the honeypot, the organization's moderation queue for its editors only, no
feedback at all on a dataset that is not published, and the demo agency's
feedback."""
from __future__ import annotations

import math

from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.lib.redis import connect_to_redis
from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.opendata_th import feedback as glue
from ckanext.opendata_th.model.feedback import Feedback
from ckanext.opendata_th.tests.datasets import create_dataset, national_dataset, national_resource
from ckanext.opendata_th.tests.web import Browser

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db_once")

SENT = {"kind": "error", "message": "ตัวเลขจังหวัดบึงกาฬเป็นศูนย์ทุกเดือน", "name": "สมชาย",
        "email": "somchai@example.co.th"}

_PEOPLE: dict = {}


@pytest.fixture(autouse=True)
def fresh_rate_counts(ckan_config):
    redis = connect_to_redis()
    for key in redis.scan_iter(f"{ckan_config.get('ckan.site_id')}:opendata_th:rate:feedback:*"):
        redis.delete(key)


@pytest.fixture
def people(clean_db_once):
    """An organization's admin, editor and member, another organization's
    admin, a signed-in stranger (made once for the module); a published
    dataset of the organization for each test."""
    if not _PEOPLE:
        _PEOPLE.update({role: factories.UserWithToken()
                        for role in ("admin", "editor", "member", "other_admin", "stranger")})
        _PEOPLE["org"] = factories.Organization(title="กองสถิติการค้า", users=[
            {"name": _PEOPLE["admin"]["name"], "capacity": "admin"},
            {"name": _PEOPLE["editor"]["name"], "capacity": "editor"},
            {"name": _PEOPLE["member"]["name"], "capacity": "member"}])
        _PEOPLE["other"] = factories.Organization(users=[{"name": _PEOPLE["other_admin"]["name"],
                                                          "capacity": "admin"}])
        _PEOPLE["sysadmin"] = factories.Sysadmin()
    found = SimpleNamespace(anonymous=None, **_PEOPLE)
    found.dataset = dataset(found)
    return found


def dataset(people, private=False):
    return create_dataset({"user": people.sysadmin["name"]}, **national_dataset(
        owner_org=people.org["id"], private=private, title="ผู้ส่งออกรายจังหวัด", resources=[national_resource()]))


def signed_in(user) -> dict[str, str]:
    """Headers of a signed-in user: the API token, which CKAN takes for pages
    too (without a CSRF token). The CSRF tests use the form (Browser)."""
    return {"Authorization": user["token"]} if user else {}


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def items() -> int:
    model.Session.expire_all()
    return model.Session.query(Feedback).count()


def test_a_visitor_sends_feedback_with_the_form_and_an_editor_approves_and_answers_it(app, people):
    name = people.dataset["name"]
    visitor = Browser(app)
    page = visitor.get(f"/dataset/{name}")
    block = soup(page).select_one("#feedback")
    assert block.select_one("h3").get_text(strip=True) == "ความคิดเห็นจากผู้ใช้"
    assert "ไม่มีข้อร้องเรียนหรือรายงานข้อผิดพลาดที่ค้างอยู่" in block.get_text()
    form = block.select_one("form#feedback-form")
    assert form["action"] == f"/dataset/{name}/feedback" and form["method"] == "post"
    assert form.select_one("input[name=_csrf_token], input[name=csrf_token]") is not None
    honeypot = form.select_one("input[name=website]")
    assert honeypot["tabindex"] == "-1" and "d-none" in honeypot.find_parent("div")["class"]
    assert [radio["value"] for radio in form.select("input[name=kind]")] == ["comment", "complaint", "error"]
    assert "คิวตรวจสอบความคิดเห็น" not in page.get_data(as_text=True)  # no queue link for visitors

    sent = visitor.submit(page, f"/dataset/{name}/feedback", SENT)
    assert sent.status_code == 302 and sent.headers["Location"].endswith(f"/dataset/{name}/feedback#feedback-sent")
    shown = visitor.get(f"/dataset/{name}/feedback")
    assert "ขอบคุณ ความคิดเห็นของคุณจะแสดงเมื่อเจ้าหน้าที่ของหน่วยงานอ่านแล้ว" in shown.get_data(as_text=True)
    assert "บึงกาฬ" not in shown.get_data(as_text=True)  # waiting for review: not shown yet
    [row] = model.Session.query(Feedback).filter_by(package_id=people.dataset["id"]).all()
    assert (row.visibility, row.language, row.author_email) == ("held", "th", "somchai@example.co.th")

    # the editor: the dataset page links to the queue, which has the item with its address
    editor = signed_in(people.editor)
    mine = soup(app.get(f"/dataset/{name}", headers=editor)).select_one("#feedback")
    assert "คิวตรวจสอบความคิดเห็น (รอตรวจสอบ 1 รายการ)" in " ".join(mine.get_text().split())
    queue = app.get(f"/organization/feedback/{people.org['name']}", headers=editor)
    assert queue.status_code == 200
    card = soup(queue).select_one(f"#feedback-{row.id}")
    assert "somchai@example.co.th" in card.get_text() and "บึงกาฬ" in card.get_text()
    assert "ส่งโดยไม่มีบัญชีผู้ใช้" in card.select_one(".feedback-screening").get_text()
    assert [button.get_text(strip=True) for button in card.select(".feedback-steps button")] == [
        "อนุมัติให้แสดง", "ตอบ", "ทำเครื่องหมายว่าดำเนินการแล้ว", "ซ่อน"]
    approved = app.post(f"/organization/feedback/{people.org['name']}/{row.id}", headers=editor,
                        data={"step": "approve"}, follow_redirects=False)
    assert approved.status_code == 302 and f"#feedback-{row.id}" in approved.headers["Location"]
    answered = app.post(f"/organization/feedback/{people.org['name']}/{row.id}?show=unresolved", headers=editor,
                        data={"step": "answer", "answer": "แก้ไขข้อมูลจังหวัดบึงกาฬแล้ว"}, follow_redirects=False)
    assert answered.status_code == 302 and "show=unresolved" in answered.headers["Location"]

    # everyone sees it, with the answer and the open error report counted
    public = soup(app.get(f"/dataset/{name}")).select_one("#feedback")
    assert "ข้อร้องเรียนและรายงานข้อผิดพลาดที่ยังไม่ได้ดำเนินการ 1 เรื่อง" in public.get_text()
    item = public.select_one(f"#feedback-{row.id}")
    assert "สมชาย" in item.get_text() and "แก้ไขข้อมูลจังหวัดบึงกาฬแล้ว" in item.get_text()
    assert "รายงานข้อผิดพลาด" in item.get_text() and "ตอบแล้ว" in item.get_text()
    assert "somchai@" not in app.get(f"/dataset/{name}/feedback").get_data(as_text=True)
    # and in English
    english = soup(app.get(f"/en/dataset/{name}")).select_one("#feedback")
    assert "1 open complaint or error report" in english.get_text()
    assert "Answer from the agency" in english.get_text()


def test_bad_input_is_shown_again_with_its_errors_and_a_signed_in_form_needs_its_csrf_token(app, people):
    name = people.dataset["name"]
    before = items()
    # CKAN checks the CSRF token of signed-in sessions (a visitor without one has no session to abuse)
    member = Browser(app, people.stranger)
    page = member.get(f"/dataset/{name}")
    assert member.client.post(f"/dataset/{name}/feedback", data=SENT).status_code == 400
    assert items() == before
    sent = member.submit(page, f"/dataset/{name}/feedback", SENT)
    assert sent.status_code == 302 and sent.headers["Location"].endswith("#feedback-" + model.Session.query(
        Feedback).filter_by(package_id=people.dataset["id"]).one().id)  # shown at once: signed in
    before = items()
    visitor = Browser(app)
    page = visitor.get(f"/dataset/{name}/feedback")
    refused = visitor.submit(page, f"/dataset/{name}/feedback",
                             {"kind": "praise", "message": "ข้อมูลดีมาก", "name": "ก" * 150, "email": "no-address"})
    assert refused.status_code == 400
    form = soup(refused).select_one("#feedback-form")
    assert "ยาวได้ไม่เกิน 100 ตัวอักษร (ข้อความนี้ยาว 150 ตัวอักษร)" in form.get_text()
    assert "ไม่ใช่ที่อยู่อีเมล (ตัวอย่างเช่น name@example.com)" in form.get_text()
    assert "เลือกประเภทของสิ่งที่ส่ง" in form.get_text()
    assert form.select_one("#feedback-message").get_text() == "ข้อมูลดีมาก"  # what was typed is kept
    assert form.select_one("#feedback-email")["value"] == "no-address"
    assert form.select_one("#feedback-email")["aria-invalid"] == "true"
    english = Browser(app, lang="en")
    page = english.get(f"/dataset/{name}/feedback")
    refused = english.submit(page, f"/dataset/{name}/feedback", {"kind": "error", "message": "  "})
    assert refused.status_code == 400
    text = soup(refused).select_one("#feedback-form").get_text()
    assert "Write your comment, complaint or error report" in text and "กรุณา" not in text
    assert items() == before

    # a program that fills in the hidden field is thanked as a person is, and its item hidden
    bot = visitor.submit(page, f"/dataset/{name}/feedback", {**SENT, "website": "https://pills.example"})
    assert bot.status_code == 302 and bot.headers["Location"].endswith("#feedback-sent")
    assert model.Session.query(Feedback).filter_by(package_id=people.dataset["id"], author_name="สมชาย",
                                                   user_id=None).one().visibility == "hidden"


def test_over_the_rate_limit_the_form_says_when_to_try_again(app, people, ckan_config, monkeypatch):
    monkeypatch.setitem(ckan_config, glue.RATE_COUNT_OPTION, 1)
    name = people.dataset["name"]
    visitor = Browser(app)
    page = visitor.get(f"/dataset/{name}/feedback")
    assert visitor.submit(page, f"/dataset/{name}/feedback", SENT).status_code == 302
    before = items()
    again = visitor.submit(page, f"/dataset/{name}/feedback", SENT)
    retry_after = int(again.headers["Retry-After"])
    assert again.status_code == 429 and 0 < retry_after <= 600
    alert = soup(again).select_one("#feedback-rate-limit")
    assert alert.get_text(strip=True) == ("คุณส่งความคิดเห็นจำนวนมากในเวลาสั้น ๆ "
                                         f"กรุณาลองใหม่อีกครั้งในอีก {math.ceil(retry_after / 60)} นาที")
    assert soup(again).select_one("#feedback-message").get_text() == SENT["message"]
    assert items() == before


def test_a_private_dataset_has_no_feedback_for_anyone(app, people):
    private = dataset(people, private=True)
    editor = signed_in(people.editor)
    page = app.get(f"/dataset/{private['name']}", headers=editor)
    assert page.status_code == 200 and soup(page).select_one("#feedback") is None
    for user in (people.editor, people.member, people.other_admin, None):
        assert app.get(f"/dataset/{private['name']}/feedback", headers=signed_in(user)).status_code == 404
    visitor = Browser(app)
    page = visitor.get(f"/dataset/{people.dataset['name']}")
    before = items()
    assert visitor.submit(page, f"/dataset/{private['name']}/feedback", SENT).status_code == 404
    assert app.post(f"/dataset/{private['name']}/feedback", headers=editor, data=SENT,
                    follow_redirects=False).status_code == 404
    assert app.get("/dataset/no-such-dataset/feedback").status_code == 404
    assert items() == before


def test_only_the_organizations_editors_see_and_work_the_queue(app, people):
    item_id = call_action("opendata_th_feedback_create", {"user": ""}, package_id=people.dataset["id"], **SENT)["id"]
    url = f"/organization/feedback/{people.org['name']}"
    for user, status in ((None, 403), (people.stranger, 403), (people.member, 403), (people.other_admin, 403),
                         (people.editor, 200), (people.admin, 200)):
        page = app.get(f"{url}?show=all", headers=signed_in(user))
        assert page.status_code == status, user
        assert (f"feedback-{item_id}" in page.get_data(as_text=True)) is (status == 200), user
        assert ("somchai@example.co.th" in page.get_data(as_text=True)) is (status == 200), user
        answer = app.post(f"{url}/{item_id}", headers=signed_in(user), data={"step": "approve"},
                          follow_redirects=False)
        if status == 403:
            assert answer.status_code == 403, user
    # the editor's approval went through (the admin's then found it shown); the others changed nothing
    assert model.Session.get(Feedback, item_id).visibility == "visible"
    # the organization page's tab (views/feedback.py): the items waiting, for its editors only
    call_action("opendata_th_feedback_create", {"user": ""}, package_id=people.dataset["id"], **SENT)
    held = glue.counts(organization_ids=[people.org["id"]])["organizations"][people.org["id"]].held
    assert held >= 1
    for user, tab in ((people.editor, held), (people.member, None), (people.other_admin, None), (None, None)):
        with app.flask_app.test_request_context(headers=signed_in(user)):
            app.flask_app.preprocess_request()  # CKAN identifies the user
            assert tk.h.opendata_th_feedback_queue_tab(people.org) == tab, user
        # and the tab on the organization's page, with the count
        tabs = soup(app.get(f"/organization/{people.org['name']}", headers=signed_in(user))).select(
            f'a[href$="/organization/feedback/{people.org["name"]}"]')
        assert [" ".join(a.get_text().split()) for a in tabs] == (
            [] if tab is None else [f"คิวตรวจสอบความคิดเห็น ({tab})"]), user
    editor = signed_in(people.editor)
    assert app.get("/organization/feedback/no-such-org", headers=editor).status_code == 404
    assert app.post(f"{url}/{item_id}", headers=editor, data={"step": "delete"}).status_code == 400
    assert app.post(f"{url}/no-such-item", headers=editor, data={"step": "approve"}).status_code == 404
    refused = app.post(f"{url}/{item_id}?show=unresolved", headers=editor, data={"step": "hide", "note": " "})
    assert refused.status_code == 400
    card = soup(refused).select_one(f"#feedback-{item_id}")
    assert "กรุณาระบุเหตุผลที่ซ่อนรายการนี้" in card.get_text()
    model.Session.expire_all()
    assert model.Session.get(Feedback, item_id).visibility == "visible"
    # the tabs: shown and not resolved, then hidden after hiding it
    assert f"feedback-{item_id}" in app.get(f"{url}?show=unresolved", headers=editor).get_data(as_text=True)
    assert f"feedback-{item_id}" not in app.get(url, headers=editor).get_data(as_text=True)  # not held
    app.post(f"{url}/{item_id}", headers=editor, data={"step": "hide", "note": "ข้อมูลส่วนบุคคล"})
    assert f"feedback-{item_id}" in app.get(f"{url}?show=hidden&kind=error", headers=editor).get_data(as_text=True)
    assert f"feedback-{item_id}" not in app.get(f"{url}?show=hidden&kind=comment",
                                                headers=editor).get_data(as_text=True)


def test_the_demo_agency_gets_feedback_in_every_state_once(app, people):
    """The demo's feedback (demo/feedback.py), on datasets named as the demo's
    published ones (``ckan opendata-th demo`` itself is tested in test_demo)."""
    from ckanext.opendata_th.context import site_context
    from ckanext.opendata_th.demo.feedback import FEEDBACK, load_feedback

    for name in FEEDBACK:
        create_dataset({"user": people.sysadmin["name"]}, **national_dataset(
            owner_org=people.org["id"], name=name, resources=[national_resource()]))
    assert load_feedback(site_context()) == list(FEEDBACK)
    rows = model.Session.query(Feedback).join(model.Package, model.Package.id == Feedback.package_id).filter(
        model.Package.name.in_(list(FEEDBACK))).all()
    assert len(rows) == sum(len(entries) for entries in FEEDBACK.values())
    assert {(row.visibility, row.progress) for row in rows} == {
        ("held", "open"), ("visible", "answered"), ("visible", "resolved"), ("visible", "open"), ("hidden", "open")}
    assert all(row.user_id is None and row.language == "th" for row in rows)  # as visitors send it
    assert not [row for row in rows if row.author_email and row.progress != "open"]  # nobody e-mailed
    queue = app.get(f"/organization/feedback/{people.org['name']}", headers=signed_in(people.editor))
    assert "researcher@example.ac.th" in queue.get_data(as_text=True)  # waiting for review, with its address
    page = app.get("/dataset/export-value-by-market").get_data(as_text=True)
    assert "แก้ไขไฟล์และอัปโหลดใหม่แล้ว" in page
    assert "ข้อร้องเรียนและรายงานข้อผิดพลาดที่ยังไม่ได้ดำเนินการ 1 เรื่อง" in page
    assert "spam.example" not in app.get("/dataset/tambon-location/feedback").get_data(as_text=True)
    assert load_feedback(site_context()) == []  # running the demo again adds nothing
    assert model.Session.query(Feedback).count() >= len(rows)
