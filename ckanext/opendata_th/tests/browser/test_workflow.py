"""A dataset walks the disclosure workflow in Chromium, in Thai (the portal's
default language): an editor selects it with a reason, classifies it with
the guided form (disclosable), marks it prepared and sends it for approval;
the organization's admin finds it in the approval queue and approves it;
then anyone, logged out, sees it.

Set OPENDATA_TH_SHOTS to a directory to keep a screenshot of each page."""
from __future__ import annotations

import os

import pytest
from playwright.sync_api import expect

from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.opendata_th.tests.browser.conftest import PASSWORD, fresh_page, log_in
from ckanext.opendata_th.tests.datasets import national_dataset, national_resource

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("with_plugins", "clean_db")]


def shot(page, name: str) -> None:
    """A screenshot of the whole page, when OPENDATA_TH_SHOTS names a directory."""
    directory = os.environ.get("OPENDATA_TH_SHOTS")
    if directory:
        page.screenshot(path=os.path.join(directory, f"workflow-{name}.png"), full_page=True)


def log_out(page, base_url) -> None:
    page.context.clear_cookies()
    page.goto(base_url + "/")


def test_a_dataset_goes_from_candidate_to_published_in_thai(request, chromium, page, base_url,
                                                            publisher):
    org = publisher["org"]
    admin = factories.User(password=PASSWORD, fullname="สมหญิง ผู้อำนวยการ")
    call_action("organization_member_create", id=org["id"], username=admin["name"], role="admin")
    sysadmin = factories.Sysadmin()
    dataset = call_action("package_create", {"user": sysadmin["name"]}, **national_dataset(
        owner_org=org["id"], private=True, title="สถิติการส่งออกรายเดือน",
        resources=[national_resource()]))

    # the editor: select, classify, prepare, send for approval
    log_in(page, base_url, publisher["user"])
    page.goto(f"{base_url}/dataset/{dataset['name']}")
    expect(page.locator("h1 .opendata-stage-badge")).to_contain_text("สำรวจแล้ว")
    page.get_by_role("link", name="ขั้นตอนการเปิดเผยข้อมูล").click()
    expect(page.locator(".opendata-workflow h1")).to_have_text("ขั้นตอนการเปิดเผยข้อมูล")
    expect(page.locator(".workflow-step[aria-current=step]")).to_contain_text("สำรวจแล้ว")
    shot(page, "1-candidate-editor")
    page.get_by_label("ความโปร่งใส").check()
    page.fill("#selection-note", "ผู้ส่งออกขอใช้ข้อมูลรายเดือน")
    with page.expect_navigation():
        page.locator("#selection button[type=submit]").click()
    flash = page.locator(".alert-success, .flash-messages .alert").first
    expect(flash).to_contain_text("บันทึกการคัดเลือกแล้ว")
    expect(page.locator(".workflow-step[aria-current=step]")).to_contain_text("คัดเลือกแล้ว")
    # preparing needs a classification first: the page says why, with a link
    prepare = page.locator("#transition-prepare")
    expect(prepare.locator("button")).to_be_disabled()
    expect(prepare.locator(".workflow-refusals")).to_be_visible()
    page.locator("label[for='score-value-4']").click()
    page.locator("label[for='score-quality-3']").click()
    page.locator("label[for='score-manageability-5']").click()
    with page.expect_navigation():
        page.get_by_role("button", name="บันทึกลำดับความสำคัญ").click()
    expect(page.locator(".workflow-score")).to_be_visible()
    shot(page, "2-selected-editor")

    page.locator("#classification").get_by_role("link", name="พิจารณาการเปิดเผยชุดข้อมูล").click()
    expect(page.locator(".workflow-question legend")).to_contain_text("คำถามข้อที่ 1")
    shot(page, "3-question")
    for number in (1, 2, 3):
        expect(page.locator(".workflow-question legend")).to_contain_text(f"คำถามข้อที่ {number}")
        with page.expect_navigation():
            page.get_by_role("button", name="ใช่", exact=True).click()
    expect(page.locator(".workflow-path li")).to_have_count(3)
    expect(page.locator(".workflow-result")).to_contain_text("ข้อมูลนี้เปิดเผยได้")
    expect(page.locator(".workflow-result")).to_contain_text("ข้อมูลสาธารณะ")
    shot(page, "4-result")
    with page.expect_navigation():
        page.get_by_role("button", name="บันทึกการพิจารณาการเปิดเผย").click()
    expect(page.locator(".workflow-outcome")).to_contain_text("เปิดเผยได้")

    with page.expect_navigation():
        page.locator("#transition-prepare button").click()
    expect(page.locator(".workflow-step[aria-current=step]")).to_contain_text("จัดเตรียมแล้ว")
    page.fill("#comment-submit", "ตรวจสอบคำอธิบายข้อมูลครบแล้ว")
    with page.expect_navigation():
        page.get_by_role("button", name="ส่งขออนุมัติ").click()
    expect(page.locator(".workflow-step[aria-current=step]")).to_contain_text("รออนุมัติ")
    expect(page.locator("#transition-approve")).to_have_count(0)  # an editor does not approve
    shot(page, "5-pending-editor")
    log_out(page, base_url)

    # the admin: the approval queue, then approve
    log_in(page, base_url, admin)
    page.goto(f"{base_url}/organization/{org['name']}")
    page.get_by_role("link", name="รออนุมัติ (1)").click()
    expect(page.locator(".workflow-queue-table")).to_contain_text("ตรวจสอบคำอธิบายข้อมูลครบแล้ว")
    shot(page, "6-queue-approver")
    page.get_by_role("link", name="สถิติการส่งออกรายเดือน").click()
    shot(page, "7-pending-approver")
    page.fill("#comment-approve", "อนุมัติให้เผยแพร่")
    with page.expect_navigation():
        page.locator("#transition-approve button").click()
    expect(page.locator(".workflow-step[aria-current=step]")).to_contain_text("เผยแพร่แล้ว")
    expect(page.locator(".workflow-history-table")).to_contain_text("อนุมัติให้เผยแพร่")
    expect(page.locator(".workflow-approval")).to_contain_text("สมหญิง ผู้อำนวยการ")
    shot(page, "8-published-approver")

    # anyone: the dataset is public
    with fresh_page(request, chromium) as anonymous:
        response = anonymous.goto(f"{base_url}/dataset/{dataset['name']}")
        assert response.status == 200
        expect(anonymous.locator("h1").first).to_contain_text("สถิติการส่งออกรายเดือน")
        expect(anonymous.locator("h1 .opendata-stage-badge")).to_contain_text("เผยแพร่แล้ว")
        shot(anonymous, "9-public-anonymous")
        expect(anonymous.get_by_role("link", name="ขั้นตอนการเปิดเผยข้อมูล")).to_have_count(0)
    import ckan.model as model

    model.Session.remove()  # the server's threads committed: read afresh
    assert call_action("package_show", id=dataset["id"])["private"] is False
