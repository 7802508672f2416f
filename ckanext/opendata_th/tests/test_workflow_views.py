"""The disclosure workflow's pages (views/workflow.py) through the real CKAN
app, for every role: the dataset's workflow page and its forms, the guided
classification, the organization's approval queue and priority list, the
tabs and the stage badge.

Anonymous visitors and other organizations' admins see none of it (404 for
a private dataset, 403 for a public one); members read; editors act;
admins approve. Refused forms come back in place, in Thai, with the input
kept and nothing saved; a GET never writes.
"""
from __future__ import annotations

import re
from types import SimpleNamespace
from urllib.parse import urlencode

import pytest
from bs4 import BeautifulSoup

from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.opendata_th.tests.datasets import national_dataset, national_resource
from ckanext.opendata_th.tests.web import Browser

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db_once")

SECRET_NOTE = "คำขอของสมาคมผู้ส่งออก เลขที่ 77/2569"


def text(response) -> str:
    return response.get_data(as_text=True)


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(text(response), "html.parser")


@pytest.fixture
def portal():
    """An organization with its admin (an approver), editor and member;
    another organization with its admin; a sysadmin; a private dataset of
    public data with a resource. Unique names: the module's tests share
    one database."""
    admin, editor, member, other_admin = (factories.UserWithToken() for _ in range(4))
    sysadmin = factories.SysadminWithToken()
    org = factories.Organization(title="กรมทดสอบขั้นตอน", users=[
        {"name": admin["name"], "capacity": "admin"},
        {"name": editor["name"], "capacity": "editor"},
        {"name": member["name"], "capacity": "member"}])
    other = factories.Organization(users=[{"name": other_admin["name"], "capacity": "admin"}])
    dataset = call_action("package_create", {"user": sysadmin["name"]}, **national_dataset(
        owner_org=org["id"], private=True, resources=[national_resource()]))
    return SimpleNamespace(org=org, other=other, admin=admin, editor=editor, member=member,
                           other_admin=other_admin, sysadmin=sysadmin, dataset=dataset)


def show(portal, dataset=None):
    return call_action("opendata_th_workflow_show", {"user": portal.admin["name"]},
                       id=(dataset or portal.dataset)["id"])


def page_url(dataset, suffix=""):
    return f"/dataset/{dataset['name']}/disclosure{suffix}"


def classify_url(dataset, answers=None, details=None):
    query = [("walk", "1")] + [(f"answers.{k}", v) for k, v in (answers or {}).items()]
    query += [(f"details.{k}", v) for k, v in (details or {}).items()]
    return f"/dataset/{dataset['name']}/classify?{urlencode(query)}"


def classify_fully(portal, dataset=None):
    """The admin classifies the dataset as disclosable (through the API)."""
    call_action("opendata_th_classify", {"user": portal.admin["name"]}, id=(dataset or portal.dataset)["id"],
                answers={"oia_disclosable": True, "quality_acceptable": True, "open_licence": True})


def publish(portal, dataset):
    """The dataset through the workflow's actions up to published."""
    call_action("opendata_th_select", {"user": portal.editor["name"]}, id=dataset["id"],
                reasons=["transparency"])
    classify_fully(portal, dataset)
    for step in ("prepare", "submit"):
        call_action("opendata_th_transition", {"user": portal.editor["name"]}, id=dataset["id"],
                    transition=step)
    call_action("opendata_th_transition", {"user": portal.admin["name"]}, id=dataset["id"],
                transition="approve")


# -- who sees what -------------------------------------------------------------------

def test_outsiders_get_no_workflow_page_of_a_private_dataset(app, portal):
    anonymous, outsider = Browser(app), Browser(app, portal.other_admin)
    for visitor in (anonymous, outsider):
        for url in (page_url(portal.dataset), f"/dataset/{portal.dataset['name']}/classify",
                    classify_url(portal.dataset, {"oia_disclosable": "yes"})):
            response = visitor.get(url)
            assert response.status_code == 404, url
            assert "กรมทดสอบขั้นตอน" not in text(response)
    page = outsider.get(f"/organization/{portal.other['name']}")
    for path in ("/transition", "/select", "/priority"):
        refused = outsider.submit(page, page_url(portal.dataset, path), {
            "transition": "select", "reasons": "transparency", "value": "5", "quality": "5",
            "manageability": "5", "comment": "x"})
        assert refused.status_code == 404
    assert outsider.submit(page, f"/dataset/{portal.dataset['name']}/classify",
                           {"walk": "1", "answers.oia_disclosable": "yes"}).status_code == 404
    after = show(portal)
    assert after["stage"] == "candidate" and after["selection"] is None
    assert after["priority"] is None and after["classification"] is None


def test_a_member_reads_the_workflow_but_has_no_buttons_or_forms(app, portal):
    call_action("opendata_th_select", {"user": portal.editor["name"]}, id=portal.dataset["id"],
                reasons=["transparency"], note=SECRET_NOTE)
    member = Browser(app, portal.member)
    response = member.get(page_url(portal.dataset))
    assert response.status_code == 200
    page = soup(response)
    assert page.select_one(".opendata-workflow h1").get_text(strip=True) == "ขั้นตอนการเปิดเผยข้อมูล"
    current = page.select_one(".workflow-step[aria-current=step]")
    assert "คัดเลือกแล้ว" in current.get_text()  # selected
    assert SECRET_NOTE in text(response) and "ความโปร่งใส" in text(response)
    assert not page.select(".opendata-workflow form[method=post]")  # neither buttons nor forms
    assert "ขั้นตอนการเปิดเผยข้อมูล" in text(member.get(f"/dataset/{portal.dataset['name']}"))  # the tab
    assert member.get(f"/dataset/{portal.dataset['name']}/classify").status_code == 403
    for url in (page_url(portal.dataset, "/select"), page_url(portal.dataset, "/priority"),
                page_url(portal.dataset, "/transition")):
        assert member.submit(response, url, {"reasons": "agency_mission", "value": "1", "quality": "1",
                                             "manageability": "1", "transition": "deselect",
                                             "comment": "ไม่ต้องการ"}).status_code == 403
    after = show(portal)
    assert after["stage"] == "selected" and after["selection"]["reasons"] == ["transparency"]
    assert after["priority"] is None


def test_a_public_dataset_shows_its_stage_to_everyone_but_the_workflow_to_members_only(app, portal):
    dataset = call_action("package_create", {"user": portal.sysadmin["name"]}, **national_dataset(
        owner_org=portal.org["id"], private=True, resources=[national_resource()]))
    publish(portal, dataset)
    for visitor in (Browser(app), Browser(app, portal.other_admin)):
        dataset_page = visitor.get(f"/dataset/{dataset['name']}")
        assert dataset_page.status_code == 200
        badge = soup(dataset_page).select_one("h1 .opendata-stage-badge")
        assert badge is not None and "เผยแพร่แล้ว" in badge.get_text()
        assert page_url(dataset) not in text(dataset_page)  # no tab
        refused = visitor.get(page_url(dataset))
        assert refused.status_code == 403
        assert "เฉพาะสมาชิก" in text(refused)
        assert SECRET_NOTE not in text(refused)
    assert page_url(dataset) in text(Browser(app, portal.member).get(f"/dataset/{dataset['name']}"))


def test_the_stage_badge_in_search_results_for_members(app, portal):
    member = Browser(app, portal.member)
    found = soup(member.get(f"/organization/{portal.org['name']}"))
    item = next(li for li in found.select(".dataset-item") if portal.dataset["title"] in li.get_text())
    assert "สำรวจแล้ว" in item.select_one(".opendata-stage-badge").get_text()


def test_the_page_in_english(app, portal):
    response = Browser(app, portal.editor, lang="en").get(page_url(portal.dataset))
    assert response.status_code == 200
    body = text(response)
    assert "Disclosure workflow" in body and "Candidate" in body and "Select for disclosure" in body
    assert "choose the selection reasons below" in body


# -- the selection -----------------------------------------------------------------------

def test_an_editor_selects_the_dataset_with_reasons(app, portal):
    editor = Browser(app, portal.editor)
    page = editor.get(page_url(portal.dataset))
    assert soup(page).select("input[name=reasons]")
    done = editor.submit(page, page_url(portal.dataset, "/select"),
                         {"reasons": ["transparency", "useful_to_developers"], "note": SECRET_NOTE},
                         follow_redirects=True)
    assert done.status_code == 200
    assert "บันทึกการคัดเลือกแล้ว" in text(done)
    after = show(portal)
    assert after["stage"] == "selected"
    assert set(after["selection"]["reasons"]) == {"transparency", "useful_to_developers"}
    assert after["selection"]["note"] == SECRET_NOTE
    history = soup(editor.get(page_url(portal.dataset))).select(".workflow-history-table tbody tr")
    assert any("คัดเลือก" in row.get_text() for row in history)


def test_a_selection_without_reason_is_refused_in_place_with_the_note_kept(app, portal):
    editor = Browser(app, portal.editor)
    page = editor.get(page_url(portal.dataset))
    refused = editor.submit(page, page_url(portal.dataset, "/select"), {"note": SECRET_NOTE})
    assert refused.status_code == 400
    body = soup(refused)
    assert "อย่างน้อยหนึ่ง" in body.select_one("#errors-reasons").get_text()
    assert body.select_one("#selection-note").get_text() == SECRET_NOTE
    unknown = editor.submit(page, page_url(portal.dataset, "/select"), {"reasons": "because"})
    assert unknown.status_code == 400 and "because" in soup(unknown).select_one("#errors-reasons").get_text()
    assert show(portal)["stage"] == "candidate" and show(portal)["selection"] is None


def test_data_that_is_not_public_cannot_be_selected_and_the_page_says_why(app, portal):
    dataset = call_action("package_create", {"user": portal.sysadmin["name"]}, **national_dataset(
        owner_org=portal.org["id"], private=True, data_category="ข้อมูลส่วนบุคคล",
        data_classification="ลับ"))
    editor = Browser(app, portal.editor)
    page = editor.get(page_url(dataset))
    body = soup(page)
    assert not body.select("input[name=reasons]")
    assert "ข้อมูลส่วนบุคคล" in body.select_one(".workflow-not-public").get_text()
    refused = editor.submit(page, page_url(dataset, "/select"), {"reasons": "transparency"})
    assert refused.status_code == 400
    assert show(portal, dataset)["stage"] == "candidate"


def test_forms_without_the_csrf_token_are_refused(app, portal):
    editor = Browser(app, portal.editor)
    for path, data in (("/select", {"reasons": "transparency"}),
                       ("/priority", {"value": "5", "quality": "5", "manageability": "5"}),
                       ("/transition", {"transition": "select"})):
        assert editor.client.post(page_url(portal.dataset, path), data=data).status_code == 400
    assert editor.client.post(f"/dataset/{portal.dataset['name']}/classify", data={
        "walk": "1", "answers.oia_disclosable": "yes", "answers.quality_acceptable": "yes",
        "answers.open_licence": "yes"}).status_code == 400
    after = show(portal)
    assert after["stage"] == "candidate" and after["selection"] is None
    assert after["priority"] is None and after["classification"] is None


# -- the priority ----------------------------------------------------------------------

def test_an_editor_scores_the_priority_and_a_bad_score_is_refused(app, portal):
    editor = Browser(app, portal.editor)
    page = editor.get(page_url(portal.dataset))
    assert len(soup(page).select("input[type=radio][name=value]")) == 5
    refused = editor.submit(page, page_url(portal.dataset, "/priority"),
                            {"value": "9", "quality": "3", "manageability": "2"})
    assert refused.status_code == 400
    body = soup(refused)
    value_errors = body.select_one("#errors-value").get_text()
    assert "1" in value_errors and "5" in value_errors and "9" in value_errors
    assert body.select_one("#score-quality-3").has_attr("checked")  # the input is kept
    assert show(portal)["priority"] is None
    done = editor.submit(page, page_url(portal.dataset, "/priority"),
                         {"value": "5", "quality": "3", "manageability": "3"}, follow_redirects=True)
    assert done.status_code == 200
    priority = show(portal)["priority"]
    assert (priority["value"], priority["quality"], priority["manageability"]) == (5, 3, 3)
    assert f"{priority['score']:g}" in text(done)
    ranked = Browser(app, portal.member).get(f"/organization/priorities/{portal.org['name']}")
    assert ranked.status_code == 200
    first = soup(ranked).select_one(".workflow-priority-table tbody tr")
    assert portal.dataset["title"] in first.get_text()


# -- the steps ----------------------------------------------------------------------------

def test_a_step_that_cannot_be_taken_shows_why_and_a_post_is_refused_in_place(app, portal):
    call_action("opendata_th_select", {"user": portal.editor["name"]}, id=portal.dataset["id"],
                reasons=["transparency"])
    editor = Browser(app, portal.editor)
    page = editor.get(page_url(portal.dataset))
    prepare = soup(page).select_one("#transition-prepare")
    assert prepare.select_one("button").has_attr("disabled")
    refusals = prepare.select_one(".workflow-refusals").get_text()
    assert "พิจารณาการเปิดเผย" in refusals  # classify first, in Thai
    assert prepare.select_one(f"a[href$='/dataset/{portal.dataset['name']}/classify']")
    refused = editor.submit(page, page_url(portal.dataset, "/transition"), {"transition": "prepare"})
    assert refused.status_code == 400
    assert soup(refused).select_one("#errors-prepare").get_text(strip=True)
    deselect = editor.submit(page, page_url(portal.dataset, "/transition"),
                             {"transition": "deselect", "comment": "   "})
    assert deselect.status_code == 400  # the comment is required
    assert soup(deselect).select_one("#errors-deselect").get_text(strip=True)
    assert show(portal)["stage"] == "selected"
    unknown = editor.submit(page, page_url(portal.dataset, "/transition"), {"transition": "x" * 500})
    assert unknown.status_code == 400
    assert soup(unknown).select_one(".workflow-next .alert-danger").get_text(strip=True)
    assert show(portal)["stage"] == "selected"


def test_an_editor_cannot_approve(app, portal):
    call_action("opendata_th_select", {"user": portal.editor["name"]}, id=portal.dataset["id"],
                reasons=["transparency"])
    classify_fully(portal)
    for step in ("prepare", "submit"):
        call_action("opendata_th_transition", {"user": portal.editor["name"]}, id=portal.dataset["id"],
                    transition=step)
    editor = Browser(app, portal.editor)
    page = editor.get(page_url(portal.dataset))
    assert not soup(page).select("#transition-approve")
    assert editor.submit(page, page_url(portal.dataset, "/transition"),
                         {"transition": "approve"}).status_code == 403
    assert editor.get(f"/organization/approvals/{portal.org['name']}").status_code == 403
    assert show(portal)["stage"] == "pending_approval"
    assert call_action("package_show", id=portal.dataset["id"])["private"]


def test_the_whole_way_through_the_pages_ends_public(app, portal):
    editor = Browser(app, portal.editor)
    page = editor.get(page_url(portal.dataset))
    editor.submit(page, page_url(portal.dataset, "/select"), {"reasons": "agency_mission"})
    saved = editor.submit(page, f"/dataset/{portal.dataset['name']}/classify", {
        "walk": "1", "answers.oia_disclosable": "yes", "answers.quality_acceptable": "yes",
        "answers.open_licence": "yes"}, follow_redirects=True)
    assert saved.status_code == 200
    assert show(portal)["classification"]["outcome"] == "disclosable"
    for step in ("prepare", "submit"):
        done = editor.submit(page, page_url(portal.dataset, "/transition"),
                             {"transition": step, "comment": "พร้อมแล้ว"}, follow_redirects=True)
        assert done.status_code == 200, step
    assert show(portal)["stage"] == "pending_approval"

    admin = Browser(app, portal.admin)
    organization_page = text(admin.get(f"/organization/{portal.org['name']}"))
    assert "รออนุมัติ (1)" in organization_page
    queue = admin.get(f"/organization/approvals/{portal.org['name']}")
    assert queue.status_code == 200
    row = soup(queue).select_one(".workflow-queue-table tbody tr")
    assert portal.dataset["title"] in row.get_text() and "พร้อมแล้ว" in row.get_text()
    page = admin.get(page_url(portal.dataset))
    approve = soup(page).select_one("#transition-approve")
    assert not approve.select_one("button").has_attr("disabled")
    done = admin.submit(page, page_url(portal.dataset, "/transition"),
                        {"transition": "approve", "comment": "อนุมัติให้เผยแพร่"}, follow_redirects=True)
    assert done.status_code == 200
    assert "เผยแพร่แล้ว" in text(done)
    assert show(portal)["stage"] == "published"
    public = Browser(app).get(f"/dataset/{portal.dataset['name']}")
    assert public.status_code == 200 and portal.dataset["title"] in text(public)
    assert "รออนุมัติ (0)" in text(admin.get(f"/organization/{portal.org['name']}"))
    history = soup(admin.get(page_url(portal.dataset))).select_one(".workflow-history-table").get_text()
    assert "อนุมัติให้เผยแพร่" in history and "ส่งขออนุมัติ" in history


# -- the organization's pages ------------------------------------------------------------

def test_who_sees_the_organization_pages(app, portal):
    approvals = f"/organization/approvals/{portal.org['name']}"
    priorities = f"/organization/priorities/{portal.org['name']}"
    for visitor in (Browser(app), Browser(app, portal.other_admin)):
        assert visitor.get(approvals).status_code == 403
        assert visitor.get(priorities).status_code == 403
        organization_page = text(visitor.get(f"/organization/{portal.org['name']}"))
        assert approvals not in organization_page and priorities not in organization_page
    member_page = text(Browser(app, portal.member).get(f"/organization/{portal.org['name']}"))
    assert priorities in member_page and approvals not in member_page
    assert Browser(app, portal.member).get(approvals).status_code == 403
    # a sysadmin is no approver without ckanext.opendata_th.sysadmins_publish_directly
    assert Browser(app, portal.sysadmin).get(approvals).status_code == 403
    assert Browser(app, portal.admin).get(approvals).status_code == 200
    assert Browser(app).get("/organization/approvals/no-such-organization").status_code == 404
    assert Browser(app, portal.member).get("/dataset/no-such-dataset/disclosure").status_code == 404


# -- the guided classification ------------------------------------------------------------------

def questions(response) -> str:
    """The key of the question the page asks (None on the result page)."""
    button = soup(response).select_one(".workflow-answer-buttons button")
    return button["name"].removeprefix("answers.") if button else None


def test_the_guided_form_asks_one_question_at_a_time_and_never_writes(app, portal):
    editor = Browser(app, portal.editor)
    start = editor.get(f"/dataset/{portal.dataset['name']}/classify")
    assert start.status_code == 200
    assert questions(start) == "oia_disclosable"
    assert "พระราชบัญญัติข้อมูลข่าวสารของราชการ" in text(start)  # the law it cites
    second = editor.get(classify_url(portal.dataset, {"oia_disclosable": "no"}))
    assert questions(second) == "national_security"
    security = editor.get(classify_url(portal.dataset, {"oia_disclosable": "no", "national_security": "yes"}))
    assert questions(security) is None
    result = soup(security).select_one(".workflow-result")
    assert "ข้อมูลความมั่นคง" in result.get_text() and result.select_one("form[method=post]")
    path = soup(security).select(".workflow-path li")
    assert len(path) == 2 and all(item.select_one("a.workflow-change") for item in path)
    changed = editor.get(path[1].select_one("a.workflow-change")["href"])
    assert questions(changed) == "national_security"
    assert show(portal)["classification"] is None  # walking saved nothing


def test_personal_data_asks_for_the_permission_and_refuses_a_yes_without_it(app, portal):
    editor = Browser(app, portal.editor)
    answers = {"oia_disclosable": "no", "national_security": "no", "personal_data": "yes"}
    asked = editor.get(classify_url(portal.dataset, answers))
    assert questions(asked) == "permission_granted"
    assert soup(asked).select_one("input[name='details.permission_by']")
    assert soup(asked).select_one("input[name='details.permission_reference']")
    refused = editor.get(classify_url(portal.dataset, {**answers, "permission_granted": "yes"},
                                      {"permission_by": "เจ้าของข้อมูลทุกราย"}))
    assert refused.status_code == 400
    assert questions(refused) == "permission_granted"  # asked again
    body = soup(refused)
    assert body.select_one("#errors-detail-permission_reference").get_text(strip=True)
    assert body.select_one("input[name='details.permission_by']")["value"] == "เจ้าของข้อมูลทุกราย"
    granted = editor.get(classify_url(portal.dataset, {**answers, "permission_granted": "yes"}, {
        "permission_by": "เจ้าของข้อมูลทุกราย", "permission_reference": "หนังสือ ที่ 12/2569"}))
    assert questions(granted) == "quality_acceptable"
    assert "หนังสือ ที่ 12/2569" in soup(granted).select_one(".workflow-path").get_text()
    refused_personal = editor.get(classify_url(portal.dataset, {**answers, "permission_granted": "no"}))
    assert "ข้อมูลส่วนบุคคล" in soup(refused_personal).select_one(".workflow-result").get_text()


def test_every_branch_of_the_shipped_tree_reaches_its_outcome(app, portal):
    editor = Browser(app, portal.editor)
    permission = {"permission_by": "ผู้ปกครอง", "permission_reference": "ที่ 1/2569"}
    branches = [
        ({"oia_disclosable": "yes", "quality_acceptable": "yes", "open_licence": "yes"}, {}, "disclosable"),
        ({"oia_disclosable": "yes", "quality_acceptable": "no"}, {}, "needs_preparation"),
        ({"oia_disclosable": "yes", "quality_acceptable": "yes", "open_licence": "no"}, {},
         "needs_preparation"),
        ({"oia_disclosable": "no", "national_security": "yes"}, {}, "security"),
        ({"oia_disclosable": "no", "national_security": "no", "personal_data": "yes",
          "permission_granted": "no"}, {}, "personal"),
        ({"oia_disclosable": "no", "national_security": "no", "personal_data": "yes",
          "permission_granted": "yes", "quality_acceptable": "yes", "open_licence": "yes"}, permission,
         "disclosable"),
        ({"oia_disclosable": "no", "national_security": "no", "personal_data": "no",
          "specific_law": "no"}, {}, "no_legal_basis"),
        ({"oia_disclosable": "no", "national_security": "no", "personal_data": "no", "specific_law": "yes",
          "quality_acceptable": "yes", "open_licence": "yes"}, {"law": "พ.ร.บ.สถิติ มาตรา 15"},
         "disclosable"),
    ]
    from ckanext.opendata_th import workflow as glue

    outcomes = glue.classification_schema().outcomes
    labels = {key: outcome.label.in_language("th") for key, outcome in outcomes.items()}
    for answers, details, outcome in branches:
        response = editor.get(classify_url(portal.dataset, answers, details))
        assert response.status_code == 200, answers
        result = soup(response).select_one(".workflow-result")
        assert result is not None and labels[outcome] in result.get_text(), (answers, outcome)
        assert outcomes[outcome].category in result.get_text()
    assert show(portal)["classification"] is None


def test_saving_the_guided_classification_sets_the_fields_and_withholds_secret_data(app, portal):
    editor = Browser(app, portal.editor)
    page = editor.get(classify_url(portal.dataset, {"oia_disclosable": "no", "national_security": "yes"}))
    saved = editor.submit(page, f"/dataset/{portal.dataset['name']}/classify", {
        "walk": "1", "answers.oia_disclosable": "no", "answers.national_security": "yes"},
        follow_redirects=True)
    assert saved.status_code == 200
    after = show(portal)
    assert after["classification"]["outcome"] == "security"
    assert after["stage"] == "withheld"
    dataset = call_action("package_show", id=portal.dataset["id"])
    assert dataset["data_category"] == "ข้อมูลความมั่นคง" and dataset["private"]
    assert "ไม่เปิดเผย" in soup(saved).select_one(".workflow-stage").get_text()


def test_partial_answers_are_saved_and_the_form_resumes_from_them(app, portal):
    editor = Browser(app, portal.editor)
    page = editor.get(classify_url(portal.dataset, {"oia_disclosable": "no"}))
    assert soup(page).select_one("form.workflow-save-partial")
    editor.submit(page, f"/dataset/{portal.dataset['name']}/classify",
                  {"walk": "1", "answers.oia_disclosable": "no"}, follow_redirects=True)
    stored = show(portal)["classification"]
    assert stored["answers"] == {"oia_disclosable": False} and stored["outcome"] is None
    resumed = editor.get(f"/dataset/{portal.dataset['name']}/classify")
    assert questions(resumed) == "national_security"
    assert show(portal)["stage"] == "candidate"


def test_crafted_answers_cost_little_and_never_fail(app, portal):
    editor = Browser(app, portal.editor)
    crafted = editor.get(classify_url(portal.dataset, {"oia_disclosable": "maybe" * 1000,
                                                       "not_a_question": "yes"},
                                      {"law": "ก" * 20000}))
    assert crafted.status_code == 400
    assert questions(crafted) == "oia_disclosable"
    assert "คำตอบต้องเป็นใช่หรือไม่ใช่" in text(crafted)
    assert show(portal)["classification"] is None



@pytest.mark.ckan_config("ckanext.opendata_th.sysadmins_publish_directly", "true")
def test_with_the_option_a_sysadmin_has_the_approval_queue(app, portal):
    approvals = f"/organization/approvals/{portal.org['name']}"
    assert Browser(app, portal.sysadmin).get(approvals).status_code == 200


# -- the workflow in the dataset's activity stream --------------------------------------------

def test_the_activity_stream_shows_the_workflow_history_to_members_only(app, portal):
    dataset = call_action("package_create", {"user": portal.sysadmin["name"]}, **national_dataset(
        owner_org=portal.org["id"], private=True, resources=[national_resource()]))
    publish(portal, dataset)
    call_action("opendata_th_transition", {"user": portal.editor["name"]}, id=dataset["id"],
                transition="withdraw", comment=SECRET_NOTE)
    call_action("package_patch", {"user": portal.sysadmin["name"]}, id=dataset["id"], notes="แก้คำอธิบาย")
    url = f"/dataset/activity/{dataset['name']}"
    for reader in (portal.member, portal.editor, portal.sysadmin):
        page = soup(Browser(app, reader).get(url))
        section = page.select_one("#disclosure-history")
        assert section is not None, reader["name"]
        rows = [row.get_text(" ", strip=True) for row in section.select("tbody tr")]
        withdrawn = rows[0]  # newest first
        assert "ถอนการเผยแพร่" in withdrawn and "เผยแพร่แล้ว → ส่งกลับแก้ไข" in withdrawn
        assert SECRET_NOTE in withdrawn and portal.editor["fullname"] in withdrawn
        assert re.search(r"\b25[6-9]\d\b", withdrawn) and "น." in withdrawn  # Buddhist Era, Bangkok time
        assert any("อนุมัติ" in row and "รออนุมัติ → เผยแพร่แล้ว" in row for row in rows)
        assert any("ส่งขออนุมัติ" in row for row in rows) and any("คัดเลือก" in row for row in rows)
        assert page.select(".activity")  # CKAN's own stream is still there
    english = soup(Browser(app, portal.member, lang="en").get(url)).select_one("#disclosure-history")
    assert "Disclosure workflow history" in english.get_text()
    assert "Published → Returned" in english.get_text()
    # the dataset is private again: anonymous visitors and outsiders do not get the page
    for visitor in (Browser(app), Browser(app, portal.other_admin)):
        response = visitor.get(url)
        assert response.status_code in (403, 404) and SECRET_NOTE not in text(response)


def test_the_activity_stream_of_a_public_dataset_hides_the_workflow_from_outsiders(app, portal):
    dataset = call_action("package_create", {"user": portal.sysadmin["name"]}, **national_dataset(
        owner_org=portal.org["id"], private=True, resources=[national_resource()]))
    call_action("opendata_th_select", {"user": portal.editor["name"]}, id=dataset["id"],
                reasons=["transparency"], note=SECRET_NOTE)
    publish(portal, dataset)
    url = f"/dataset/activity/{dataset['name']}"
    for visitor in (Browser(app), Browser(app, portal.other_admin)):
        response = visitor.get(url)
        assert response.status_code == 200  # CKAN's stream of a public dataset is public
        assert soup(response).select(".activity")
        assert soup(response).select_one("#disclosure-history") is None
        assert SECRET_NOTE not in text(response) and "ประวัติขั้นตอนการเปิดเผยข้อมูล" not in text(response)
    member = soup(Browser(app, portal.member).get(url)).select_one("#disclosure-history")
    assert SECRET_NOTE in member.get_text()


# -- the quality question reads the data-quality reports ---------------------------------------

def quality_report(dataset, **findings):
    """A data-quality report of the dataset's first file, as the check job
    stores it (the job itself: tests/test_quality_reports.py)."""
    import ckan.model as model

    from ckanext.opendata_th.model.quality import CHECKED, QualityReport

    report = QualityReport(package_id=dataset["id"], resource_id=dataset["resources"][0]["id"],
                           version="tests", state=CHECKED, **findings)
    model.Session.add(report)
    model.repo.commit()
    return report


QUALITY_YES = {"oia_disclosable": "yes", "quality_acceptable": "yes"}


def test_the_quality_question_shows_the_reports_and_refuses_yes_while_they_find_problems(app, portal):
    editor = Browser(app, portal.editor)
    # no file checked yet: the answer attests the quality
    asked = editor.get(classify_url(portal.dataset, {"oia_disclosable": "yes"}))
    assert questions(asked) == "quality_acceptable"
    quality = soup(asked).select_one("#workflow-quality")
    assert "ยังไม่ได้ตรวจ" in quality.get_text() and "รับรองคุณภาพ" in quality.get_text()
    assert questions(editor.get(classify_url(portal.dataset, QUALITY_YES))) == "open_licence"

    quality_report(portal.dataset, errors=4, warnings=1)
    asked = editor.get(classify_url(portal.dataset, {"oia_disclosable": "yes"}))
    quality = soup(asked).select_one("#workflow-quality")
    assert quality.select_one("#data-quality-summary")  # the reports' summary
    assert "ข้อผิดพลาด 4 รายการ" in quality.select_one(".workflow-quality-problems").get_text()
    refused = editor.get(classify_url(portal.dataset, QUALITY_YES))
    assert refused.status_code == 400
    assert questions(refused) == "quality_acceptable"  # asked again
    message = soup(refused).select_one(".workflow-question").get_text(" ", strip=True)
    assert "ตอบว่าคุณภาพพร้อม “ใช่” ไม่ได้" in message and "ข้อผิดพลาด 4 รายการ" in message
    english = Browser(app, portal.editor, lang="en").get(classify_url(portal.dataset, QUALITY_YES))
    assert "The quality cannot be “yes” while the data-quality reports" in text(english)
    # saving the whole path is refused, nothing saved, by the page and by the API
    page = editor.get(classify_url(portal.dataset, {"oia_disclosable": "yes"}))
    saved = editor.submit(page, f"/dataset/{portal.dataset['name']}/classify", {
        "walk": "1", "answers.oia_disclosable": "yes", "answers.quality_acceptable": "yes",
        "answers.open_licence": "yes"})
    assert saved.status_code == 400 and questions(saved) == "quality_acceptable"
    response = app.post("/api/3/action/opendata_th_classify",
                        headers={"Authorization": portal.editor["token"]},
                        json={"id": portal.dataset["id"], "answers": {
                            "oia_disclosable": True, "quality_acceptable": True, "open_licence": True}})
    assert response.status_code == 409
    assert "ข้อผิดพลาด 4 รายการ" in " ".join(response.json["error"]["answers.quality_acceptable"])
    assert show(portal)["classification"] is None
    # "no" is still recorded: the data needs preparation
    no = editor.get(classify_url(portal.dataset, {"oia_disclosable": "yes", "quality_acceptable": "no"}))
    assert no.status_code == 200 and questions(no) is None

    # a newer report without problems: "yes" again
    quality_report(portal.dataset, errors=0, warnings=2)
    asked = editor.get(classify_url(portal.dataset, {"oia_disclosable": "yes"}))
    assert "ไม่พบสิ่งที่ทำให้เผยแพร่ไม่ได้" in soup(asked).select_one("#workflow-quality").get_text()
    assert questions(editor.get(classify_url(portal.dataset, QUALITY_YES))) == "open_licence"
    # personal data in the file: refused again
    quality_report(portal.dataset, errors=0, personal_data=True)
    refused = editor.get(classify_url(portal.dataset, QUALITY_YES))
    assert refused.status_code == 400 and "ข้อมูลส่วนบุคคล" in text(refused)
