"""Dataset requests' pages through the real CKAN app: the public list with
its filters and pages, the form anyone (no account) uses, with its CSRF
token, its honeypot and its rate limit; a request's page, where its
organization's admin triages, a sysadmin addresses it, and the requester
answers with their secret link. Pages are Thai; refused forms come back in
place with the input kept and nothing saved; a GET never writes; nothing
private is shown to visitors or other organizations' admins."""
from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup

import ckan.model as model
from ckan.lib.redis import connect_to_redis
from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.opendata_th.model.dataset_request import DatasetRequest, DatasetRequestEvent
from ckanext.opendata_th.tests.web import Browser

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db_once")

ASK = {"title": "จำนวนนักท่องเที่ยวรายจังหวัด", "purpose": "วางแผนธุรกิจโฮมสเตย์",
       "description": "รายเดือน ปี 2565-2568", "name": "มานี", "email": "manee@example.co.th"}
_PORTAL: dict = {}


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def text(response) -> str:
    return " ".join(soup(response).get_text(" ").split())


@pytest.fixture(autouse=True)
def fresh_rate_counts(ckan_config):
    redis = connect_to_redis()
    for key in redis.scan_iter(f"{ckan_config.get('ckan.site_id')}:opendata_th:rate:dataset_request:*"):
        redis.delete(key)


@pytest.fixture
def portal(clean_db_once):
    """An organization with its admin and editor, another organization with
    its admin, a sysadmin (made once: tests make requests of their own)."""
    if not _PORTAL:
        admin, editor, other_admin = (factories.UserWithToken() for _ in range(3))
        sysadmin = factories.SysadminWithToken()
        org = factories.Organization(title="กรมการท่องเที่ยว", users=[
            {"name": admin["name"], "capacity": "admin"}, {"name": editor["name"], "capacity": "editor"}])
        other = factories.Organization(title="กรมอุทยานแห่งชาติ", users=[
            {"name": other_admin["name"], "capacity": "admin"}])
        _PORTAL.update(admin=admin, editor=editor, other_admin=other_admin, sysadmin=sysadmin, org=org,
                       other=other)
    return SimpleNamespace(**_PORTAL)


def ask(portal, **fields):
    return call_action("opendata_th_request_create", {"user": ""},
                       **{**ASK, "organization_id": portal.org["name"], **fields})


def stored():
    return (model.Session.query(DatasetRequest).count(), model.Session.query(DatasetRequestEvent).count())


def test_anyone_asks_with_the_form_and_gets_the_links_of_the_request(app, portal):
    visitor = Browser(app)
    form = visitor.get("/dataset-request/new?organization=" + portal.org["name"])
    assert form.status_code == 200
    page = soup(form)
    assert page.select_one("h1").get_text(strip=True) == "ขอชุดข้อมูล"
    assert page.select_one("#field-organization option[selected]")["value"] == portal.org["name"]
    assert page.select_one("input[name=homepage]")  # the honeypot, hidden from people
    sent = visitor.submit(form, "/dataset-request/new", {**ASK, "organization_id": portal.org["name"]})
    assert sent.status_code == 200
    thanks = soup(sent)
    assert "ขอบคุณ" in thanks.select_one("h1").get_text()
    row = model.Session.query(DatasetRequest).filter_by(title=ASK["title"]).order_by(
        DatasetRequest.created.desc()).first()
    assert thanks.select_one("a.request-reply-link")["href"].endswith(
        f"/dataset-request/{row.id}?key={row.reply_key}#reply")
    assert "manee@example.co.th" in text(sent)
    assert row.organization_id == portal.org["id"] and row.requester_email == "manee@example.co.th"


def test_the_form_refuses_bad_input_in_thai_keeps_it_and_saves_nothing(app, portal):
    visitor = Browser(app)
    form = visitor.get("/dataset-request/new")
    before = stored()
    refused = visitor.submit(form, "/dataset-request/new", {"title": "ab", "purpose": "", "email": "x@",
                                                          "description": "รายละเอียดที่พิมพ์ไว้"})
    assert refused.status_code == 400
    page = soup(refused)
    errors = {e["data-field"]: e.get_text(strip=True) for e in page.select(".invalid-feedback")}
    assert errors["title"] == "กรุณาอธิบายข้อมูลที่ต้องการอย่างน้อย 5 ตัวอักษร"
    assert set(errors) == {"title", "purpose", "email"}
    assert page.select_one("#field-description").get_text() == "รายละเอียดที่พิมพ์ไว้"
    english = Browser(app, lang="en")
    english_form = english.get("/dataset-request/new")
    refused = english.submit(english_form, "/dataset-request/new", {"title": "ab", "purpose": "x"})
    assert "Describe the data you want in at least 5 characters" in text(refused)
    assert stored() == before


def test_signed_in_forms_need_their_csrf_token_and_a_filled_honeypot_saves_nothing(app, portal):
    """CKAN 2.11 checks the token of requests with a login session; a
    visitor without one has no session a forged form could use."""
    made = ask(portal)
    before = stored()
    editor = Browser(app, portal.editor)
    assert editor.client.post("/dataset-request/new", data=ASK).status_code == 400
    admin = Browser(app, portal.admin)
    assert admin.client.post(f"/dataset-request/{made['id']}/triage", data={
        "decision": "not_suitable", "reason": "not_held"}).status_code == 400
    assert stored() == before
    visitor = Browser(app)
    form = visitor.get("/dataset-request/new")
    fooled = visitor.submit(form, "/dataset-request/new", {**ASK, "homepage": "http://spam.example"})
    assert fooled.status_code == 200 and "ขอบคุณ" in text(fooled)  # the program is not told
    assert not soup(fooled).select("a.request-reply-link")
    assert stored() == before


@pytest.mark.ckan_config("ckanext.opendata_th.dataset_requests.rate_limit.count", "1")
def test_over_the_rate_limit_the_form_says_when_to_try_again(app, portal):
    visitor = Browser(app)
    form = visitor.get("/dataset-request/new")
    assert visitor.submit(form, "/dataset-request/new", ASK).status_code == 200
    before = stored()
    again = visitor.submit(visitor.get("/dataset-request/new"), "/dataset-request/new", ASK)
    assert again.status_code == 429 and int(again.headers["Retry-After"]) > 0
    assert re.search(r"กรุณาลองใหม่ในอีก \d+ นาที", text(again))
    assert stored() == before


def test_the_public_list_filters_pages_and_refuses_bad_filters_without_a_500(app, portal):
    for n in range(3):
        ask(portal, title=f"สถิติอุทยานลำดับที่ {n}", organization_id=portal.other["name"])
    decided = ask(portal, title="สถิติอุทยานที่ปฏิเสธ", organization_id=portal.other["name"])
    call_action("opendata_th_request_triage", {"user": portal.sysadmin["name"]}, id=decided["id"],
                decision="not_suitable", reason="other_agency")
    before = stored()
    listing = app.get(f"/dataset-request?organization={portal.other['name']}")
    titles = [a.get_text(strip=True) for a in soup(listing).select(".request-item h3 a")]
    assert titles == ["สถิติอุทยานที่ปฏิเสธ", "สถิติอุทยานลำดับที่ 2", "สถิติอุทยานลำดับที่ 1",
                      "สถิติอุทยานลำดับที่ 0"]
    badges = [b.get_text(strip=True) for b in soup(listing).select(".request-item .request-state")]
    assert badges[0] == "ไม่สามารถดำเนินการได้" and badges[1] == "รอหน่วยงานพิจารณา"
    assert "ข้อมูลนี้อยู่ในความครอบครองของหน่วยงานอื่น" in text(listing)
    open_only = app.get(f"/dataset-request?organization={portal.other['name']}&state=open")
    assert len(soup(open_only).select(".request-item")) == 3
    assert app.get("/dataset-request?state=deleted").status_code == 400
    assert app.get("/dataset-request?page=abc").status_code == 200
    assert app.get("/dataset-request?organization=" + "x" * 5000).status_code == 400
    many = app.get("/dataset-request?page=2")
    assert many.status_code == 200
    assert "manee@example.co.th" not in listing.get_data(as_text=True)
    assert stored() == before  # a GET never writes


def test_the_admin_triages_on_the_page_and_a_refused_decision_comes_back_in_place(app, portal):
    made = ask(portal)
    url = f"/dataset-request/{made['id']}"
    visitor_page = app.get(url)
    assert not soup(visitor_page).select("form.request-decision")
    assert "manee@example.co.th" not in visitor_page.get_data(as_text=True)
    for outsider in (portal.editor, portal.other_admin):
        browser = Browser(app, outsider)
        page = browser.get(url)
        assert not soup(page).select("form.request-decision")
        assert browser.submit(page, url + "/triage", {"decision": "not_suitable",
                                                      "reason": "not_held"}).status_code == 403
    admin = Browser(app, portal.admin)
    page = admin.get(url)
    decisions = [form["data-decision"] for form in soup(page).select("form.request-decision")]
    assert decisions == ["accept", "available", "not_suitable", "needs_info"]
    assert "manee@example.co.th" in text(page)
    refused = admin.submit(page, url + "/triage", {"decision": "not_suitable", "comment": "ไม่มีข้อมูล"})
    assert refused.status_code == 400
    form = soup(refused).select_one("form[data-decision=not_suitable]")
    assert form.select_one("[data-field=reason]").get_text(strip=True).startswith("กรุณาเลือกเหตุผล")
    assert form.select_one("textarea[name=comment]").get_text() == "ไม่มีข้อมูล"
    assert model.Session.get(DatasetRequest, made["id"]).state == "new"
    done = admin.submit(page, url + "/triage", {"decision": "needs_info", "comment": "ต้องการรายอำเภอหรือไม่"},
                        follow_redirects=True)
    assert "บันทึกแล้ว คำขอนี้มีสถานะ “ต้องการข้อมูลเพิ่มเติม”" in text(done)
    history = soup(done).select(".request-event")
    assert history[0]["data-kind"] == "decision" and "ต้องการรายอำเภอหรือไม่" in history[0].get_text()


def test_accepting_on_the_page_makes_a_candidate_that_visitors_do_not_see_linked(app, portal):
    made = ask(portal, title="ปริมาณขยะในแหล่งท่องเที่ยว")
    url = f"/dataset-request/{made['id']}"
    admin = Browser(app, portal.admin)
    page = admin.get(url)
    accepted = admin.submit(page, url + "/triage", {"decision": "accept", "dataset_title": "ปริมาณขยะรายแหล่ง",
                                                    "data_type": "ข้อมูลสถิติ",
                                                    "maintainer_email": "data@tourism.go.th"},
                            follow_redirects=True)
    assert accepted.status_code == 200
    row = model.Session.get(DatasetRequest, made["id"])
    package = model.Package.get(row.package_id)
    assert package.private and package.title == "ปริมาณขยะรายแหล่ง"
    assert soup(accepted).select_one(".request-status a.request-dataset")["href"].endswith(package.name)
    for browser in (Browser(app), Browser(app, portal.other_admin)):
        seen = browser.get(url)
        assert "รับคำขอแล้ว" in text(seen)
        assert package.name not in seen.get_data(as_text=True)
        assert "หน้านี้จะแสดงลิงก์เมื่อเผยแพร่แล้ว" in text(seen)


def test_the_requester_answers_with_the_secret_link_only(app, portal):
    made = ask(portal)
    call_action("opendata_th_request_triage", {"user": portal.admin["name"]}, id=made["id"],
                decision="needs_info", comment="ต้องการช่วงปีใด")
    url = f"/dataset-request/{made['id']}"
    visitor = Browser(app)
    assert not soup(visitor.get(url)).select("#reply form")
    assert not soup(visitor.get(url + "?key=wrong")).select("#reply form")
    page = visitor.get(f"{url}?key={made['reply_key']}")
    assert "ต้องการช่วงปีใด" in soup(page).select_one("#reply .request-question").get_text()
    wrong = visitor.submit(page, url + "/reply", {"key": "wrong", "reply": "2565"})
    assert wrong.status_code == 403
    empty = visitor.submit(page, url + "/reply", {"key": made["reply_key"], "reply": " "})
    assert empty.status_code == 400 and "กรุณาเขียนคำตอบ" in text(empty)
    answered = visitor.submit(page, url + "/reply", {"key": made["reply_key"], "reply": "ปี 2565-2568"},
                              follow_redirects=True)
    assert "ขอบคุณ ส่งคำตอบของคุณถึงหน่วยงานแล้ว" in text(answered)
    assert model.Session.get(DatasetRequest, made["id"]).state == "new"


def test_a_sysadmin_addresses_an_unassigned_request_on_the_page(app, portal):
    made = ask(portal, organization_id="")
    url = f"/dataset-request/{made['id']}"
    assert not soup(app.get(url)).select("#assign form")
    assert not soup(Browser(app, portal.admin).get(url)).select("#assign")
    sysadmin = Browser(app, portal.sysadmin)
    page = sysadmin.get(url)
    refused = sysadmin.submit(page, url + "/assign", {"organization_id": ""})
    assert refused.status_code == 400 and "กรุณาเลือกหน่วยงาน" in text(refused)
    done = sysadmin.submit(page, url + "/assign", {"organization_id": portal.other["name"]},
                           follow_redirects=True)
    assert "กำหนดให้ “กรมอุทยานแห่งชาติ” รับผิดชอบคำขอนี้แล้ว" in text(done)
    assert soup(Browser(app, portal.other_admin).get(url)).select("form.request-decision")


def test_an_unknown_request_is_404(app, portal):
    assert app.get("/dataset-request/no-such-request").status_code == 404
    assert app.get("/dataset-request/" + "x" * 3000).status_code == 404


def test_page_titles_have_no_empty_part(app, portal):
    """Each page's <title> names the page, then the portal, with no empty
    part between them ("… - - …")."""
    made = ask(portal)
    for path, first in (("/dataset-request", "คำขอชุดข้อมูล"), ("/dataset-request/new", "ขอชุดข้อมูล"),
                        (f"/dataset-request/{made['id']}", ASK["title"])):
        title = soup(app.get(path)).select_one("title").get_text(strip=True)
        parts = [part.strip() for part in title.split(" - ")]
        assert parts[0] == first and all(parts), title
