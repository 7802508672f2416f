"""The readiness pages (views/readiness.py) for every role, through the
real CKAN app: the tab page, the form, the buttons, evidence files, the
XLSX export and the sysadmins' overview.

Anonymous visitors and other organizations' admins see the summary only
once it is published (403 before), never evidence, files or actions;
members read everything but change nothing; the organization's admins edit.
"""
from __future__ import annotations

import io
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup

from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.opendata_th.tests.web import Browser

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db_once")

SECRET_EVIDENCE = "หนังสือสั่งการภายใน ฉบับที่ 12/2569"
SECRET_ACTION = "อบรมเจ้าหน้าที่เรื่องมาตรฐานข้อมูลเปิด"


def current_year() -> int:
    from ckanext.opendata_th import readiness

    return readiness.current_fiscal_year()


def csrf(response) -> dict[str, str]:
    """The page's CSRF field, to post a form as a browser does."""
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    field = soup.find("meta", attrs={"name": "csrf_field_name"})["content"]
    return {field: soup.find("meta", attrs={"name": field})["content"]}


def text(response) -> str:
    return response.get_data(as_text=True)


@pytest.fixture
def portal():
    """An organization with its admin, editor and member; another
    organization with its admin; a sysadmin. Unique names: the module's
    tests share one database."""
    admin, member, other_admin, sysadmin = (
        factories.UserWithToken(), factories.UserWithToken(), factories.UserWithToken(),
        factories.SysadminWithToken())
    org = factories.Organization(title="กรมทดสอบความพร้อม", users=[
        {"name": admin["name"], "capacity": "admin"},
        {"name": member["name"], "capacity": "member"}])
    other = factories.Organization(users=[{"name": other_admin["name"], "capacity": "admin"}])
    return SimpleNamespace(org=org, other=other, admin=admin, member=member,
                           other_admin=other_admin, sysadmin=sysadmin)


def fill_in(portal, **fields):
    """The admin's assessment of the current year through the API."""
    return call_action("opendata_th_readiness_update", {"user": portal.admin["name"]},
                       organization=portal.org["id"], fiscal_year=current_year(), **fields)


def full_assessment(portal, published=False):
    return fill_in(portal, published=published, activities={
        "management_plan": {"level": 3, "evidence": SECRET_EVIDENCE,
                            "links": ["https://example.go.th/plan"], "responsible": "นางสาวใจดี"},
        "capacity_building": {"level": 2}, "promoting_reuse": {"level": 2},
        "budget": {"level": 1}, "strategy": {"level": 2}},
        actions=[{"activity": "budget", "description": SECRET_ACTION, "owner": portal.member["name"],
                  "due_date": "2020-01-31", "done": False}])


def read_url(portal, **query):
    suffix = "".join(f"{'&' if i else '?'}{k}={v}" for i, (k, v) in enumerate(query.items()))
    return f"/organization/readiness/{portal.org['name']}{suffix}"


def test_anonymous_and_other_admins_see_nothing_until_the_summary_is_published(app, portal):
    assessment = full_assessment(portal)
    anonymous = Browser(app)
    outsider = Browser(app, portal.other_admin)
    for visitor in (anonymous, outsider):
        assert visitor.get(read_url(portal)).status_code == 403
        assert visitor.get(read_url(portal) + "/edit").status_code == 403
        assert visitor.get(read_url(portal) + "/export.xlsx").status_code == 403
        organization_page = text(visitor.get(f"/organization/{portal.org['name']}"))
        assert f"/organization/readiness/{portal.org['name']}" not in organization_page

    call_action("opendata_th_readiness_update", {"user": portal.admin["name"]},
                organization=portal.org["id"], fiscal_year=assessment["fiscal_year"], published=True)
    for visitor in (anonymous, outsider):
        response = visitor.get(read_url(portal))
        assert response.status_code == 200
        page = text(response)
        assert "ไม่พร้อม" in page  # the verdict, in Thai
        assert 'role="img"' in page and "<svg" in page  # the chart
        assert SECRET_EVIDENCE not in page and SECRET_ACTION not in page
        assert "https://example.go.th/plan" not in page and "นางสาวใจดี" not in page
        assert read_url(portal) + "/edit" not in page and "export.xlsx" not in page
        assert f"/organization/readiness/{portal.org['name']}" in text(
            visitor.get(f"/organization/{portal.org['name']}"))  # the tab is shown now
        assert visitor.get(read_url(portal) + "/export.xlsx").status_code == 403
        assert visitor.get(read_url(portal) + "/edit").status_code == 403
    page = outsider.get(f"/organization/{portal.other['name']}")
    for path in ("/edit", "/publish", "/copy"):
        refused = outsider.client.post(read_url(portal) + path, data={
            **csrf(page), "year": str(assessment["fiscal_year"]), "published": "false",
            "activities.budget.level": "5"})
        assert refused.status_code == 403
    after = call_action("opendata_th_readiness_show", {"user": portal.admin["name"]},
                        organization=portal.org["id"])
    assert after["published"] and after["activities"] == assessment["activities"]
    assert not call_action("opendata_th_readiness_show", {"user": portal.admin["name"]},
                           organization=portal.org["id"],
                           fiscal_year=assessment["fiscal_year"] + 1)["exists"]


def test_member_reads_everything_and_changes_nothing(app, portal):
    before = full_assessment(portal)
    member = Browser(app, portal.member)
    response = member.get(read_url(portal))
    assert response.status_code == 200
    page = text(response)
    assert SECRET_EVIDENCE in page and SECRET_ACTION in page
    assert "เลยกำหนด" in page  # the action due in 2020 is marked overdue
    assert read_url(portal) + "/edit" not in page  # no edit button
    assert "export.xlsx" in page
    assert member.get(read_url(portal) + "/edit").status_code == 403
    refused = member.client.post(read_url(portal) + "/edit", data={
        **csrf(response), "activities.budget.level": "5"})
    assert refused.status_code == 403
    published = member.client.post(read_url(portal) + "/publish", data={
        **csrf(response), "year": str(before["fiscal_year"]), "published": "true"})
    assert published.status_code == 403
    after = call_action("opendata_th_readiness_show", {"user": portal.admin["name"]},
                        organization=portal.org["id"])
    assert after["activities"] == before["activities"] and not after["published"]


def test_admin_fills_in_the_form_and_sees_the_result(app, portal):
    admin = Browser(app, portal.admin)
    year = current_year()
    assert "กรอกแบบประเมิน" in text(admin.get(read_url(portal, year=year)))  # no assessment yet
    form = admin.get(f"/organization/readiness/{portal.org['name']}/edit?year={year}")
    assert form.status_code == 200
    page = text(form)
    assert 'type="radio"' in page and 'type="date"' in page
    assert page.count('name="actions-') >= 3 * 5  # three blank rows for new actions
    data = {f"activities.{key}.level": "2" for key in
            ("management_plan", "capacity_building", "promoting_reuse", "budget", "strategy")}
    data.update({"activities.budget.evidence": "งบประมาณปี 2570 ตามแผน",
                 "activities.budget.links": "https://example.go.th/a\nhttps://example.go.th/b",
                 "activities.budget.responsible": "ผู้อำนวยการกองคลัง",
                 "actions-0-activity": "strategy", "actions-0-description": "ทำแผนยุทธศาสตร์ข้อมูล",
                 "actions-0-owner": portal.member["name"], "actions-0-due_date": "2099-09-30",
                 "actions-1-activity": "budget"})  # a blank row: left out
    saved = admin.submit(form, f"/organization/readiness/{portal.org['name']}/edit?year={year}",
                         data, follow_redirects=True)
    assert saved.status_code == 200
    page = text(saved)
    assert "บันทึก" in page  # the flash message
    assert "พร้อม" in page and "ไม่พร้อม" not in page
    assert "ทำแผนยุทธศาสตร์ข้อมูล" in page
    shown = call_action("opendata_th_readiness_show", {"user": portal.admin["name"]},
                        organization=portal.org["id"], fiscal_year=year)
    budget = next(item for item in shown["activities"] if item["key"] == "budget")
    assert budget["level"] == 2 and budget["links"] == ["https://example.go.th/a",
                                                        "https://example.go.th/b"]
    assert [(a["description"], a["owner"], a["due_date"]) for a in shown["actions"]] == [
        ("ทำแผนยุทธศาสตร์ข้อมูล", portal.member["name"], "2099-09-30")]
    assert shown["verdict"]["ready"]
    history = text(admin.get(read_url(portal, year=year)))
    assert "สร้างแบบประเมิน" in history  # the history's "created" entry

    # removing the action through its checkbox
    form = admin.get(f"/organization/readiness/{portal.org['name']}/edit?year={year}")
    soup = BeautifulSoup(text(form), "html.parser")
    action_id = soup.find("input", attrs={"name": "actions-0-id"})["value"]
    admin.submit(form, f"/organization/readiness/{portal.org['name']}/edit?year={year}",
                 {"actions-0-id": action_id, "actions-0-activity": "strategy",
                  "actions-0-description": "ทำแผนยุทธศาสตร์ข้อมูล", "actions-0-remove": "true"})
    assert call_action("opendata_th_readiness_show", {"user": portal.admin["name"]},
                       organization=portal.org["id"], fiscal_year=year)["actions"] == []


def test_a_form_error_shows_in_thai_keeps_the_input_and_changes_nothing(app, portal):
    before = full_assessment(portal)
    admin = Browser(app, portal.admin)
    url = f"/organization/readiness/{portal.org['name']}/edit?year={before['fiscal_year']}"
    form = admin.get(url)
    response = admin.submit(form, url, {
        "activities.budget.level": "4",
        "activities.budget.evidence": "หลักฐานใหม่ที่ยังไม่บันทึก",
        "activities.strategy.links": "ftp://example.go.th/x",
        "actions-3-activity": "strategy", "actions-3-description": "งานใหม่",
        "actions-3-due_date": "31/12/2569"})
    assert response.status_code == 400
    page = text(response)
    soup = BeautifulSoup(page, "html.parser")
    assert "ไม่ได้บันทึก" in page  # the summary, in Thai
    # the input comes back
    assert soup.find("input", attrs={"name": "activities.budget.level", "value": "4"}).has_attr("checked")
    assert "หลักฐานใหม่ที่ยังไม่บันทึก" in page and "ftp://example.go.th/x" in page
    # the errors are next to their fields
    links = soup.find("textarea", attrs={"name": "activities.strategy.links"}).find_parent("div")
    assert links.select(".error-block")
    due = soup.find("input", attrs={"name": "actions-0-due_date"}).find_parent("td")
    assert due.select(".error-block"), "the bad date's error is on the row the user typed it in"
    after = call_action("opendata_th_readiness_show", {"user": portal.admin["name"]},
                        organization=portal.org["id"], fiscal_year=before["fiscal_year"])
    assert after["activities"] == before["activities"] and after["actions"] == before["actions"]


def test_bad_years_are_refused_with_a_clear_message(app, portal):
    full_assessment(portal)
    admin = Browser(app, portal.admin)
    response = admin.get(read_url(portal, year=2026))
    assert response.status_code == 400
    assert "2569" in text(response)  # "did you mean 2569?" for a Common Era year
    assert admin.get(read_url(portal, year="abc")).status_code == 400
    assert Browser(app).get(read_url(portal, year="x" * 5000)).status_code in (400, 403)


def test_admin_publishes_copies_forward_and_withdraws(app, portal):
    full_assessment(portal)
    admin = Browser(app, portal.admin)
    year = current_year()
    page = admin.get(read_url(portal, year=year))
    response = admin.submit(page, read_url(portal) + "/publish",
                            {"year": str(year), "published": "true"}, follow_redirects=True)
    assert "เผยแพร่" in text(response)
    assert Browser(app).get(read_url(portal)).status_code == 200
    response = admin.submit(page, read_url(portal) + "/publish",
                            {"year": str(year), "published": "false"}, follow_redirects=True)
    assert Browser(app).get(read_url(portal)).status_code == 403

    page = admin.get(read_url(portal, year=year))
    assert "/copy" in text(page)
    response = admin.submit(page, read_url(portal) + "/copy", {"year": str(year)})
    assert response.status_code == 302 and f"year={year + 1}" in response.headers["Location"]
    copied = call_action("opendata_th_readiness_show", {"user": portal.admin["name"]},
                         organization=portal.org["id"], fiscal_year=year + 1)
    assert copied["exists"] and copied["actions"][0]["description"] == SECRET_ACTION
    page = text(admin.get(read_url(portal, year=year)))
    assert "/copy" not in page  # the next year has an assessment now
    assert "การเปรียบเทียบ" in page and "readiness-comparison-chart" in page
    again = admin.submit(admin.get(read_url(portal, year=year)), read_url(portal) + "/copy",
                         {"year": str(year)}, follow_redirects=True)
    assert "มีแบบประเมิน" in text(again) or again.status_code == 200


def test_export_xlsx_holds_the_assessment_for_members(app, portal):
    from openpyxl import load_workbook

    full_assessment(portal)
    for user in (portal.member, portal.admin, portal.sysadmin):
        response = Browser(app, user).get(read_url(portal) + "/export.xlsx")
        assert response.status_code == 200
        assert response.headers["Content-Disposition"].startswith("attachment;")
        book = load_workbook(io.BytesIO(response.data))
        assessment, actions = book.worksheets
        cells = [str(cell.value) for row in assessment.iter_rows() for cell in row if cell.value]
        assert "กรมทดสอบความพร้อม" in cells and str(current_year()) in cells
        assert "หน่วยงาน" in cells and "ปีงบประมาณ" in cells  # Thai headers
        assert SECRET_EVIDENCE in cells and "https://example.go.th/plan" in cells
        action_cells = [str(cell.value) for row in actions.iter_rows() for cell in row if cell.value]
        assert SECRET_ACTION in action_cells and "2020-01-31" in action_cells


def test_export_keeps_a_text_that_looks_like_a_formula_a_text(app, portal):
    from openpyxl import load_workbook

    formula = '=HYPERLINK("https://evil.example","click")'
    fill_in(portal, activities={"budget": {"evidence": formula}, "strategy": {"evidence": "@SUM(A1)"}})
    response = Browser(app, portal.admin).get(read_url(portal) + "/export.xlsx")
    sheet = load_workbook(io.BytesIO(response.data)).worksheets[0]
    for text in (formula, "@SUM(A1)"):  # neither run on opening nor once the cell is edited
        cells = [cell for row in sheet.iter_rows() for cell in row if cell.value == text]
        assert cells and all(cell.data_type == "s" and cell.quotePrefix for cell in cells), text


def test_evidence_files_upload_download_and_delete(app, portal):
    full_assessment(portal)
    year = current_year()
    admin = Browser(app, portal.admin)
    form = admin.get(f"/organization/readiness/{portal.org['name']}/edit?year={year}")
    response = admin.client.post(read_url(portal) + "/file", data={
        **csrf(form), "year": str(year), "activity": "budget",
        "upload": (io.BytesIO(b"%PDF-1.4 evidence"), "แผนงบประมาณ.pdf")},
        content_type="multipart/form-data", follow_redirects=True)
    assert response.status_code == 200
    assert "แผนงบประมาณ.pdf" in text(response)
    shown = call_action("opendata_th_readiness_show", {"user": portal.admin["name"]},
                        organization=portal.org["id"], fiscal_year=year)
    stored = next(item for item in shown["activities"] if item["key"] == "budget")["files"][0]
    download = f"{read_url(portal)}/file/{stored['id']}"

    got = Browser(app, portal.member).get(download)
    assert got.status_code == 200 and got.data == b"%PDF-1.4 evidence"
    assert got.headers["Content-Disposition"].startswith("attachment;")
    assert "UTF-8''" in got.headers["Content-Disposition"]
    assert got.headers["X-Content-Type-Options"] == "nosniff"
    for outsider in (Browser(app), Browser(app, portal.other_admin)):
        assert outsider.get(download).status_code == 403
    assert Browser(app, portal.member).get(f"{read_url(portal)}/file/no-such-file").status_code == 404
    assert Browser(app).get(f"{read_url(portal)}/file/no-such-file").status_code == 403

    # a member may not delete it; an empty upload is refused with a message
    member = Browser(app, portal.member)
    page = member.get(read_url(portal))
    assert member.client.post(f"{download}/delete", data={**csrf(page), "year": str(year)}
                              ).status_code == 403
    refused = admin.client.post(read_url(portal) + "/file", data={
        **csrf(form), "year": str(year), "activity": "budget",
        "upload": (io.BytesIO(b""), "empty.txt")},
        content_type="multipart/form-data", follow_redirects=True)
    assert "ว่าง" in text(refused) or "empty" in text(refused)

    deleted = admin.client.post(f"{download}/delete", data={**csrf(form), "year": str(year)},
                                follow_redirects=True)
    assert deleted.status_code == 200
    assert Browser(app, portal.member).get(download).status_code == 404


def test_sysadmin_overview_lists_every_organization(app, portal):
    full_assessment(portal)
    response = Browser(app, portal.sysadmin).get("/ckan-admin/readiness")
    assert response.status_code == 200
    page = text(response)
    assert "กรมทดสอบความพร้อม" in page
    assert portal.other["title"] in page  # no assessment, listed all the same
    assert "ไม่มีแบบประเมิน" in page
    soup = BeautifulSoup(page, "html.parser")
    assert soup.find("a", href=f"/organization/readiness/{portal.org['name']}?year={current_year()}")
    for visitor in (Browser(app), Browser(app, portal.admin)):
        assert visitor.get("/ckan-admin/readiness").status_code == 403
    assert Browser(app, portal.sysadmin).get("/ckan-admin/readiness?year=2026").status_code == 400
