"""The dashboard pages (views/dashboard.py) through the real CKAN app: the
organization's dashboard for its members with every panel and its numbers,
the targets' form for its admins (saved with a flash, bad values refused in
Thai with what was typed kept and nothing saved), the whole portal's page
for sysadmins, the yearly report as XLSX and PDF downloads, and nobody
else seeing any figure; a bad year shows the current one with a notice."""
from __future__ import annotations

import io
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup

import ckan.model as model
from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.opendata_th import readiness
from ckanext.opendata_th.model.dataset_request import DatasetRequest
from ckanext.opendata_th.model.feedback import Feedback
from ckanext.opendata_th.model.quality import QualityReport
from ckanext.opendata_th.model.target import YearlyTarget
from ckanext.opendata_th.tests.datasets import create_dataset, national_dataset, national_resource
from ckanext.opendata_th.tests.web import Browser

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db_once")

ORG_TITLE = "สำนักงานทดสอบแดชบอร์ด"
PANELS = ["เป้าหมายประจำปีงบประมาณ", "จำนวนชุดข้อมูลในแต่ละขั้นตอน", "ความพร้อมในปีงบประมาณ",
          "คุณลักษณะ 10 ประการของข้อมูลเปิด", "กำหนดการปรับปรุงข้อมูล", "คุณภาพข้อมูล",
          "ความคิดเห็นจากผู้ใช้และคำขอชุดข้อมูล"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

_PORTAL: dict = {}


@pytest.fixture
def portal(clean_db_once):
    """An organization (admin, editor, member) with two published datasets
    (one high-value, one with a quality report with errors and personal
    data), a private candidate, an open complaint and a new dataset
    request; another organization with its admin and a published dataset;
    a sysadmin. Made once for the module."""
    if not _PORTAL:
        users = {role: factories.UserWithToken() for role in ("admin", "editor", "member", "other_admin")}
        users["sysadmin"] = factories.SysadminWithToken()
        org = factories.Organization(title=ORG_TITLE, users=[
            {"name": users["admin"]["name"], "capacity": "admin"},
            {"name": users["editor"]["name"], "capacity": "editor"},
            {"name": users["member"]["name"], "capacity": "member"}])
        other = factories.Organization(title="หน่วยงานอื่น", users=[
            {"name": users["other_admin"]["name"], "capacity": "admin"}])
        context = {"user": users["sysadmin"]["name"]}

        def new(owner, private=False, **fields):
            return create_dataset(dict(context), **national_dataset(
                owner_org=owner["id"], private=private, resources=[national_resource()], **fields))

        published = [new(org, title="สถิติการส่งออกรายเดือน", high_value_dataset="True"),
                     new(org, title="ราคาสินค้าเกษตรรายสัปดาห์")]
        candidate = new(org, private=True, title="ชุดข้อมูลที่ยังไม่เผยแพร่")
        foreign = new(other, title="ข้อมูลของหน่วยงานอื่น")
        model.Session.add(QualityReport(
            package_id=published[0]["id"], resource_id=published[0]["resources"][0]["id"], version="1",
            url="x", state="checked", errors=4, warnings=2, personal_data=True))
        model.Session.add(Feedback(package_id=published[1]["id"], kind="complaint", message="ข้อมูลผิด",
                                   language="th", visibility="visible", progress="open"))
        model.Session.add(DatasetRequest(title="ข้อมูลราคาส่งออกรายวัน", organization_id=org["id"],
                                         reply_key="k", state="new"))
        model.Session.commit()
        _PORTAL.update(users=users, org=org, other=other, published=published, candidate=candidate,
                       foreign=foreign)
    return SimpleNamespace(anonymous=None, **_PORTAL["users"],
                           **{key: value for key, value in _PORTAL.items() if key != "users"})


@pytest.fixture
def no_targets(portal):
    """The organization starts the test without targets."""
    model.Session.query(YearlyTarget).filter_by(organization_id=portal.org["id"]).delete()
    model.Session.commit()
    yield
    model.Session.query(YearlyTarget).filter_by(organization_id=portal.org["id"]).delete()
    model.Session.commit()


def headers(user) -> dict[str, str]:
    """A signed-in user's API token, which CKAN takes for pages too (a form
    posted this way needs no CSRF token; the form's own test uses Browser)."""
    return {"Authorization": user["token"]} if user else {}


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def url(portal, suffix="") -> str:
    return f"/organization/dashboard/{portal.org['name']}{suffix}"


def current_year() -> int:
    return readiness.current_fiscal_year()


def cells(page, selector) -> dict[str, str]:
    """{the row's data attribute value: its last cell's text} of a table."""
    found = {}
    for row in page.select(selector):
        key = next(value for name, value in row.attrs.items() if name.startswith("data-"))
        found[key] = row.select("td")[-1].get_text(" ", strip=True)
    return found


def counts(section) -> dict[str, str]:
    """{term: its value} of a panel's definition lists."""
    return {dt.get_text(strip=True): dt.find_next_sibling("dd").get_text(strip=True)
            for dt in section.select("dl.dashboard-counts dt")}


# -- who sees it ------------------------------------------------------------------------

@pytest.mark.parametrize("role", ["anonymous", "other_admin"])
def test_outsiders_get_no_figure(app, portal, role):
    user = getattr(portal, role)
    for path in ("", f"/report-{current_year()}.xlsx", f"/report-{current_year()}.pdf"):
        refused = app.get(url(portal, path), headers=headers(user), status=403)
        body = refused.get_data(as_text=True)
        assert "จำนวนชุดข้อมูลในแต่ละขั้นตอน" not in body and "สถิติการส่งออกรายเดือน" not in body
    assert app.get(f"/organization/targets/{portal.org['name']}", headers=headers(user)).status_code == 403
    # and no dashboard tab on the organization's page
    page = app.get(f"/organization/{portal.org['name']}", headers=headers(user))
    assert url(portal) not in page.get_data(as_text=True)


def test_an_unknown_organization_is_not_found(app, portal):
    app.get("/organization/dashboard/no-such-organization", headers=headers(portal.sysadmin), status=404)


def test_a_member_sees_every_panel_with_its_numbers(app, portal, no_targets):
    response = app.get(url(portal), headers=headers(portal.member))
    assert response.status_code == 200
    page = soup(response)
    assert page.select_one("h1.page-heading").get_text(strip=True) == "แดชบอร์ด"
    assert [h2.get_text(strip=True) for h2 in page.select("section.dashboard-panel h2")] == PANELS
    assert page.select_one("#dashboard-year option[selected]")["value"] == str(current_year())
    assert f"ปีงบประมาณ พ.ศ. {current_year()}" in page.select_one("#dashboard-year option[selected]").get_text()

    # a. no targets yet, and no button for a member
    targets = page.select_one("#dashboard-targets")
    assert f"ยังไม่ได้ตั้งเป้าหมายสำหรับปีงบประมาณ พ.ศ. {current_year()}" in targets.get_text()
    assert targets.select_one(".dashboard-set-targets") is None
    assert "ตั้งเป้าหมาย" not in [a.get_text(strip=True) for a in page.select("a")]
    row = page.select_one('.dashboard-targets-table tr[data-target="datasets_published"]')
    assert [td.get_text(" ", strip=True) for td in row.select("td")] == ["ไม่ได้กำหนด", "2", "— เปรียบเทียบไม่ได้"]
    assert targets.select_one("svg.dashboard-progress-chart") is not None

    # b. the stages, each linking to the organization's datasets at that stage
    stages = cells(page, ".dashboard-stages-table tr[data-stage]")
    assert stages["published"] == "2" and stages["candidate"] == "1" and stages["withheld"] == "0"
    link = page.select_one('.dashboard-stages-table tr[data-stage="published"] a')
    assert link["href"] == f"/organization/{portal.org['name']}?opendata_stage=published"
    assert link.get_text(strip=True) == "เผยแพร่แล้ว"
    assert page.select_one("#dashboard-stages svg.dashboard-funnel-chart") is not None

    # c. not assessed: a sentence and the way to the readiness tab
    readiness = page.select_one("#dashboard-readiness")
    assert f"ยังไม่มีแบบประเมินความพร้อมของปีงบประมาณ {current_year()}" in readiness.get_text()
    assert readiness.select_one("a")["href"].startswith(f"/organization/readiness/{portal.org['name']}")

    # d. the ten properties: the average of the published datasets' scores
    scores = [call_action("package_show", {"user": portal.sysadmin["name"]}, id=d["id"])[
        "opendata_properties"]["score"] for d in portal.published]
    average = round(sum(scores) / len(scores), 1)
    shown = f"{average:.1f}".removesuffix(".0")
    assert page.select_one(".dashboard-average").get_text(strip=True) == f"{shown} / 10"
    assert page.select_one("#dashboard-properties svg.dashboard-distribution-chart") is not None
    assert len(page.select(".dashboard-unmet-table tr[data-property]")) == 10

    # e. the update schedules
    schedule = counts(page.select_one("#dashboard-schedule"))
    assert sum(int(schedule[key]) for key in ("ตามกำหนด", "เลยกำหนด", "ไม่มีกำหนดปรับปรุง")) == 2

    # f. quality: one resource with errors, warnings and personal data; the dataset named
    quality = page.select_one("#dashboard-quality")
    assert counts(quality) == {"ทรัพยากร": "3", "ตรวจแล้ว": "1", "มีข้อผิดพลาด": "1", "มีคำเตือน": "1",
                               "มีข้อมูลส่วนบุคคล": "1", "ตรวจไม่ได้": "0"}
    worst = quality.select_one(".dashboard-quality-list li")
    assert worst.select_one("a")["href"] == f"/dataset/{portal.published[0]['name']}"
    assert "ข้อผิดพลาด 4 รายการ คำเตือน 2 รายการ" in worst.get_text()

    # g. the open complaint (no queue link for a member) and the new request, linked
    feedback = page.select_one("#dashboard-feedback")
    numbers = counts(feedback)
    assert numbers["ข้อร้องเรียนและรายงานข้อผิดพลาดที่ยังไม่ได้ดำเนินการ"] == "1"
    assert numbers["รอตรวจสอบ"] == "0"
    assert feedback.select_one(".dashboard-feedback-open a") is None
    request_link = feedback.select_one(".dashboard-requests-open a")
    assert request_link.get_text(strip=True) == "1"
    assert request_link["href"] == f"/dataset-request?state=open&organization={portal.org['name']}"

    # the downloads of the year's report
    hrefs = [a["href"] for a in page.select(".dashboard-downloads a")]
    assert hrefs == [url(portal, f"/report-{current_year()}.xlsx"), url(portal, f"/report-{current_year()}.pdf")]


def test_the_dashboard_tab_is_the_extensions_first(app, portal):
    page = soup(app.get(f"/organization/{portal.org['name']}", headers=headers(portal.member)))
    tabs = [a["href"] for a in page.select("ul.nav-tabs a") if a.get("href", "").startswith("/organization/")]
    ours = [href for href in tabs if href.split("/")[2] not in (portal.org["name"], "members", "about", "activity")]
    assert ours[0] == url(portal)


def test_an_editor_sees_the_feedback_queue_linked(app, portal):
    page = soup(app.get(url(portal), headers=headers(portal.editor)))
    assert page.select_one(".dashboard-feedback-open a")["href"] == (
        f"/organization/feedback/{portal.org['name']}?show=unresolved")
    assert page.select_one(".dashboard-set-targets") is None


def test_the_english_page_has_english_headings(app, portal):
    page = soup(app.get(f"/en{url(portal)}", headers=headers(portal.member)))
    headings = [h2.get_text(strip=True) for h2 in page.select("section.dashboard-panel h2")]
    assert headings == ["Targets of the fiscal year", "Datasets per stage", "Readiness in the fiscal year",
                        "Ten properties of open data", "Update schedule", "Data quality",
                        "Feedback and dataset requests"]
    assert page.select_one('.dashboard-stages-table tr[data-stage="published"] a').get_text(strip=True) == "Published"
    assert f"Fiscal year B.E. {current_year()}" in page.get_text()


@pytest.mark.parametrize("year", ["abc", "2026", "9999"])
def test_a_bad_year_shows_the_current_year_with_a_notice(app, portal, year):
    response = app.get(url(portal, f"?year={year}"), headers=headers(portal.member))
    assert response.status_code == 200
    page = soup(response)
    notice = page.select_one(".dashboard-notice").get_text(" ", strip=True)
    assert f"จึงแสดงปีงบประมาณปัจจุบัน ({current_year()}) แทน" in notice
    if year == "2026":
        assert "2569" in notice  # the Buddhist Era year is suggested
    assert page.select_one("#dashboard-year option[selected]")["value"] == str(current_year())


def test_another_year_is_shown_when_asked(app, portal):
    year = current_year() - 1
    page = soup(app.get(url(portal, f"?year={year}"), headers=headers(portal.member)))
    assert page.select_one(".dashboard-notice") is None
    assert page.select_one("#dashboard-year option[selected]")["value"] == str(year)
    assert page.select_one(".dashboard-downloads a")["href"].endswith(f"/report-{year}.xlsx")


# -- targets -------------------------------------------------------------------------------

def test_the_admin_sees_the_set_targets_button(app, portal, no_targets):
    page = soup(app.get(url(portal), headers=headers(portal.admin)))
    button = page.select_one("#dashboard-targets .dashboard-set-targets")
    assert button.get_text(strip=True) == "ตั้งเป้าหมาย"
    assert button["href"] == f"/organization/targets/{portal.org['name']}?year={current_year()}"


def test_the_admin_saves_targets_with_the_form(app, portal, no_targets):
    admin = Browser(app, portal.admin)
    form_url = f"/organization/targets/{portal.org['name']}?year={current_year()}"
    form = admin.get(form_url)
    assert form.status_code == 200
    page = soup(form)
    assert [field["name"] for field in page.select("form#targets-form input.dashboard-target-input")] == [
        "datasets_published", "high_value_published", "up_to_date_percent"]
    assert "ผลที่ทำได้ถึงตอนนี้ใน" in page.select_one("#target-help-datasets_published").get_text()

    saved = admin.submit(form, f"/organization/targets/{portal.org['name']}", {
        "year": str(current_year()), "datasets_published": "5", "high_value_published": "",
        "up_to_date_percent": "๘๐"})
    assert saved.status_code == 302
    assert saved.headers["Location"].endswith(f"{url(portal)}?year={current_year()}")
    model.Session.expire_all()
    stored = model.Session.get(YearlyTarget, (portal.org["id"], current_year()))
    assert (stored.datasets_published, stored.high_value_published, stored.up_to_date_percent) == (5, None, 80)

    shown = admin.get(f"{url(portal)}?year={current_year()}")
    assert "บันทึกเป้าหมายแล้ว" in shown.get_data(as_text=True)
    targets = cells(soup(shown), ".dashboard-targets-table tr[data-target]")
    # the last cell says whether the target is met: 2 published of 5 is not
    assert targets["datasets_published"] == "✗ ไม่ผ่าน"
    table = soup(shown).select_one('.dashboard-targets-table tr[data-target="datasets_published"]')
    assert [td.get_text(strip=True) for td in table.select("td")][:2] == ["5", "2"]


def test_bad_targets_are_shown_in_thai_with_what_was_typed_and_nothing_is_saved(app, portal, no_targets):
    call_action("opendata_th_target_update", {"user": portal.admin["name"]}, organization=portal.org["id"],
                fiscal_year=current_year(), datasets_published=3)
    admin = Browser(app, portal.admin)
    form = admin.get(f"/organization/targets/{portal.org['name']}")
    refused = admin.submit(form, f"/organization/targets/{portal.org['name']}", {
        "year": str(current_year()), "datasets_published": "ห้า", "high_value_published": "2",
        "up_to_date_percent": "120"})
    assert refused.status_code == 200
    page = soup(refused)
    assert "ยังไม่ได้บันทึกเป้าหมาย" in page.select_one(".dashboard-error-summary").get_text()
    errors = {group["data-target"]: group.select_one(".error-block").get_text(strip=True)
              for group in page.select("form#targets-form .form-group") if group.select_one(".error-block")}
    assert set(errors) == {"datasets_published", "up_to_date_percent"}
    assert "จำนวนเต็ม" in errors["datasets_published"] and "0 ถึง 100" in errors["up_to_date_percent"]
    typed = {field["name"]: field["value"] for field in page.select("input.dashboard-target-input")}
    assert typed == {"datasets_published": "ห้า", "high_value_published": "2", "up_to_date_percent": "120"}
    model.Session.expire_all()
    stored = model.Session.get(YearlyTarget, (portal.org["id"], current_year()))
    assert (stored.datasets_published, stored.high_value_published, stored.up_to_date_percent) == (3, None, None)


def test_the_form_needs_its_csrf_token(app, portal, no_targets):
    admin = Browser(app, portal.admin)
    refused = admin.client.post(f"/organization/targets/{portal.org['name']}",
                                data={"year": str(current_year()), "datasets_published": "7"})
    assert refused.status_code in (400, 403)
    assert model.Session.get(YearlyTarget, (portal.org["id"], current_year())) is None


@pytest.mark.parametrize("role", ["editor", "member", "other_admin", "anonymous"])
def test_only_admins_open_or_post_the_targets_form(app, portal, role, no_targets):
    user = getattr(portal, role)
    form_url = f"/organization/targets/{portal.org['name']}"
    assert app.get(form_url, headers=headers(user)).status_code == 403
    assert app.post(form_url, headers=headers(user), data={
        "year": str(current_year()), "datasets_published": "9"}).status_code == 403
    assert model.Session.get(YearlyTarget, (portal.org["id"], current_year())) is None


# -- the whole portal ------------------------------------------------------------------------

@pytest.mark.parametrize("role", ["anonymous", "admin", "member"])
def test_only_sysadmins_see_the_whole_portal(app, portal, role):
    user = getattr(portal, role)
    for path in ("", f"/report-{current_year()}.xlsx"):
        refused = app.get(f"/ckan-admin/opendata-dashboard{path}", headers=headers(user), status=403)
        assert "จำนวนชุดข้อมูลในแต่ละขั้นตอน" not in refused.get_data(as_text=True)


def test_the_sysadmin_sees_the_whole_portal(app, portal):
    response = app.get("/ckan-admin/opendata-dashboard", headers=headers(portal.sysadmin))
    assert response.status_code == 200
    page = soup(response)
    assert page.select_one("h1.page-heading").get_text(strip=True) == "ภาพรวมทั้งพอร์ทัล"
    assert [h2.get_text(strip=True) for h2 in page.select("section.dashboard-panel h2")] == PANELS
    assert page.select_one(".dashboard-set-targets") is None
    stages = cells(page, ".dashboard-stages-table tr[data-stage]")
    assert int(stages["published"]) >= 3  # both organizations' published datasets
    assert page.select_one('.dashboard-stages-table tr[data-stage="published"] a')["href"] == (
        "/dataset/?opendata_stage=published")
    assert "ยังไม่มีหน่วยงานใดประเมินความพร้อม" in page.select_one("#dashboard-readiness").get_text()
    hrefs = [a["href"] for a in page.select(".dashboard-downloads a")]
    assert hrefs == [f"/ckan-admin/opendata-dashboard/report-{current_year()}.xlsx",
                     f"/ckan-admin/opendata-dashboard/report-{current_year()}.pdf"]
    # a tab of the sysadmins' pages
    admin_page = soup(app.get("/ckan-admin", headers=headers(portal.sysadmin)))
    assert "/ckan-admin/opendata-dashboard" in [a.get("href") for a in admin_page.select("a")]


def test_the_portal_wide_readiness_counts_the_assessed_organizations(app, portal):
    call_action("opendata_th_readiness_update", {"user": portal.other_admin["name"]},
                organization=portal.other["id"], fiscal_year=current_year(), activities={
                    "management_plan": {"level": 3}, "capacity_building": {"level": 2},
                    "promoting_reuse": {"level": 2}, "budget": {"level": 2}, "strategy": {"level": 2}})
    page = soup(app.get("/ckan-admin/opendata-dashboard", headers=headers(portal.sysadmin)))
    readiness = page.select_one("#dashboard-readiness")
    assert "หน่วยงานที่ประเมินความพร้อมแล้ว 1 แห่ง พร้อม 1 แห่ง" in readiness.get_text()
    levels = cells(page, ".dashboard-readiness-table tr[data-activity]")
    assert levels["management_plan"] == "3" and levels["budget"] == "2"
    assert readiness.select_one("svg.readiness-level-chart") is not None
    # the organization's own page shows its levels
    own = soup(app.get(f"/organization/dashboard/{portal.other['name']}", headers=headers(portal.other_admin)))
    assert cells(own, ".dashboard-readiness-table tr[data-activity]")["management_plan"].startswith("3 –")
    assert "พร้อม" in own.select_one(".dashboard-readiness-verdict").get_text()


# -- the yearly report -------------------------------------------------------------------------

def test_the_member_downloads_the_yearly_report_as_xlsx(app, portal):
    from openpyxl import load_workbook

    year = current_year()
    response = app.get(url(portal, f"/report-{year}.xlsx"), headers=headers(portal.member))
    assert response.status_code == 200
    assert response.headers["Content-Type"] == XLSX
    assert response.headers["Content-Disposition"].startswith(
        f'attachment; filename="open-data-report-{portal.org["name"]}-{year}.xlsx"')
    assert response.headers["Cache-Control"] == "private, no-store"
    book = load_workbook(io.BytesIO(response.data))
    texts = {str(cell.value) for sheet in book.worksheets for row in sheet.iter_rows() for cell in row
             if cell.value is not None}
    assert any(ORG_TITLE in text for text in texts)


def test_the_member_downloads_the_yearly_report_as_pdf(app, portal):
    import pdfplumber

    year = current_year()
    response = app.get(url(portal, f"/report-{year}.pdf"), headers=headers(portal.member))
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"].startswith(
        f'attachment; filename="open-data-report-{portal.org["name"]}-{year}.pdf"')
    assert response.headers["Cache-Control"] == "private, no-store"
    with pdfplumber.open(io.BytesIO(response.data)) as document:
        text = "".join(page.extract_text() or "" for page in document.pages)
    assert ORG_TITLE in text.replace("\u0e4d\u0e32", "\u0e33")


def test_the_sysadmin_downloads_the_portals_report(app, portal):
    year = current_year()
    response = app.get(f"/ckan-admin/opendata-dashboard/report-{year}.xlsx", headers=headers(portal.sysadmin))
    assert response.status_code == 200
    assert f'filename="open-data-report-portal-{year}.xlsx"' in response.headers["Content-Disposition"]


def test_a_report_of_a_year_out_of_range_is_refused(app, portal):
    response = app.get(url(portal, f"/report-{current_year() + 5}.xlsx"), headers=headers(portal.member))
    assert response.status_code == 400


@pytest.mark.ckan_config("ckanext.opendata_th.report_font", "/no/such/font.ttf")
def test_without_a_thai_font_the_pdf_is_a_clear_503_page(app, portal):
    response = app.get(url(portal, f"/report-{current_year()}.pdf"), headers=headers(portal.member))
    assert response.status_code == 503
    body = response.get_data(as_text=True)
    assert "ยังสร้างรายงาน PDF ไม่ได้ในขณะนี้" in body and "XLSX" in body
