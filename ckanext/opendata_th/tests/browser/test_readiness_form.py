"""An organization admin fills in the readiness assessment in Chromium, in
Thai (the portal's default language): levels, evidence, an improvement
action with an owner and a due date; saves; and sees the verdict and the
chart on the organization's readiness tab."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ckan.tests import factories

from ckanext.opendata_th.tests.browser.conftest import PASSWORD, log_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("with_plugins", "clean_db")]

ACTIVITIES = ("management_plan", "capacity_building", "promoting_reuse", "budget", "strategy")


@pytest.fixture
def approver():
    """The admin (approver) of an agency with one other member."""
    admin = factories.User(password=PASSWORD, fullname="สมหญิง รักษ์ข้อมูล")
    member = factories.User(fullname="วิชัย ตั้งใจ")
    org = factories.Organization(title="กรมทดสอบแบบประเมิน", users=[
        {"name": admin["name"], "capacity": "admin"},
        {"name": member["name"], "capacity": "member"}])
    return {"user": admin, "member": member, "org": org}


def test_an_admin_fills_in_the_assessment_and_sees_the_chart(page, base_url, approver):
    from ckanext.opendata_th import readiness

    year = readiness.current_fiscal_year()
    org = approver["org"]
    log_in(page, base_url, approver["user"])

    page.goto(f"{base_url}/organization/{org['name']}")
    page.get_by_role("link", name="ความพร้อม").click()
    expect(page.locator("h1.page-heading")).to_have_text("แบบประเมินความพร้อม")
    expect(page.locator(".readiness-verdict")).to_contain_text("ยังไม่พร้อม")
    page.get_by_role("link", name="กรอกแบบประเมิน").click()

    # the form explains each level and what evidence it expects
    first = page.locator("#activity-management_plan")
    expect(first.locator(".readiness-level-choice")).to_have_count(6)  # five levels, "not assessed"
    expect(first.locator(".readiness-level-evidence").first).to_contain_text("หลักฐานที่ควรมี")

    for key in ACTIVITIES:
        page.locator(f"label[for='level-{key}-{3 if key == 'budget' else 2}']").click()
    page.fill("#evidence-budget", "ได้รับงบประมาณโครงการข้อมูลเปิด ปีงบประมาณ " + str(year))
    page.fill("#links-budget", "https://example.go.th/budget")
    page.fill("#responsible-budget", "ผู้อำนวยการกองคลัง")
    page.select_option("#actions-0-activity", "strategy")
    page.fill("#actions-0-description", "จัดทำยุทธศาสตร์ข้อมูลของกรม")
    page.select_option("#actions-0-owner", approver["member"]["name"])
    page.fill("#actions-0-due_date", f"{year - 543}-09-30")
    with page.expect_navigation():
        page.get_by_role("button", name="บันทึกแบบประเมิน").click()

    expect(page.locator(".alert-success, .flash-messages .alert").first).to_contain_text(
        f"บันทึกแบบประเมินความพร้อม ปีงบประมาณ {year} แล้ว")
    verdict = page.locator(".readiness-verdict")
    expect(verdict).to_contain_text("พร้อม")
    expect(verdict).not_to_contain_text("ยังไม่พร้อม")
    chart = page.locator("svg.readiness-level-chart")
    expect(chart).to_be_visible()
    expect(chart).to_have_attribute("role", "img")
    expect(chart.locator("rect")).to_have_count(5)  # one bar per activity
    expect(chart.locator("desc")).to_contain_text("3 –")  # budget's level, for screen readers
    box = chart.bounding_box()
    assert box and box["width"] > 300 and box["height"] > 150
    actions = page.locator(".readiness-actions")
    expect(actions).to_contain_text("จัดทำยุทธศาสตร์ข้อมูลของกรม")
    expect(actions).to_contain_text("วิชัย ตั้งใจ")  # the owner by name
    expect(page.locator(".readiness-history")).to_contain_text("สร้างแบบประเมิน")
