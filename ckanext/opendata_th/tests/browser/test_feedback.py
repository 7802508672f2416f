"""Feedback in Chromium, in Thai (the portal's default language): a visitor
without an account reports an error on a published dataset with the form on
its page; it waits for review; the organization's editor logs in, finds it
in the feedback queue, answers it and marks it resolved; then anyone sees
the answer and the resolution on the dataset's page, and the error report no
longer counts against the dataset."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ckan.tests.helpers import call_action

from ckanext.opendata_th.tests.browser.conftest import log_in
from ckanext.opendata_th.tests.datasets import create_dataset, national_dataset, national_resource

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("with_plugins", "clean_db")]


def test_a_visitor_reports_an_error_in_thai_and_an_editor_answers_and_resolves_it(page, base_url, publisher):
    org = publisher["org"]
    site_user = call_action("get_site_user")["name"]
    dataset = create_dataset({"user": site_user}, **national_dataset(
        owner_org=org["id"], title="ผู้ส่งออกรายจังหวัด", resources=[national_resource()]))
    dataset_url = f"{base_url}/dataset/{dataset['name']}"

    # a visitor without an account: the form on the dataset's page, no account asked for
    page.goto(dataset_url)
    block = page.locator("#feedback")
    expect(block.locator("h3")).to_have_text("ความคิดเห็นจากผู้ใช้")
    expect(block).to_contain_text("ไม่มีข้อร้องเรียนหรือรายงานข้อผิดพลาดที่ค้างอยู่")
    expect(page.locator("#feedback-website")).to_be_hidden()  # the honeypot: people never see it
    page.get_by_label("รายงานข้อผิดพลาด").check()
    page.get_by_label("ข้อความของคุณ").fill("ตัวเลขจังหวัดบึงกาฬเป็นศูนย์ทุกเดือน")
    page.get_by_label("ชื่อของคุณ").fill("สมชาย")
    page.get_by_label("ที่อยู่อีเมลของคุณ").fill("somchai@example.co.th")
    with page.expect_navigation():
        page.get_by_role("button", name="ส่งความคิดเห็น").click()
    expect(page.locator(".alert-success, .flash-messages .alert").first).to_contain_text(
        "ความคิดเห็นของคุณจะแสดงเมื่อเจ้าหน้าที่ของหน่วยงานอ่านแล้ว")
    expect(page.locator("#feedback-list")).not_to_contain_text("บึงกาฬ")  # waiting for review
    page.context.clear_cookies()

    # the organization's editor: the queue, answer, resolve
    log_in(page, base_url, publisher["user"])
    page.goto(f"{base_url}/organization/feedback/{org['name']}")  # linked from the dataset's page for editors
    item = page.locator(".opendata-feedback-moderated").filter(has_text="บึงกาฬ")
    expect(item).to_contain_text("somchai@example.co.th")
    expect(item.locator(".feedback-visibility")).to_have_text("รอตรวจสอบ")
    item.get_by_label("ตอบ").fill("แก้ไขข้อมูลจังหวัดบึงกาฬแล้ว ขอบคุณที่แจ้ง")
    with page.expect_navigation():
        item.get_by_role("button", name="ตอบ", exact=True).click()
    expect(page.locator(".alert-success, .flash-messages .alert").first).to_contain_text("เรียบร้อย: “ตอบ”")
    page.get_by_role("link", name="ยังไม่ได้ดำเนินการ").click()  # answered: shown, not resolved yet
    item = page.locator(".opendata-feedback-moderated").filter(has_text="บึงกาฬ")
    expect(item.locator(".feedback-progress")).to_have_text("ตอบแล้ว")
    item.locator(".feedback-step-resolve input[name=note]").fill("อัปโหลดไฟล์ที่แก้ไขแล้ว")
    with page.expect_navigation():
        item.get_by_role("button", name="ทำเครื่องหมายว่าดำเนินการแล้ว").click()
    expect(page.locator(".opendata-feedback-moderated").filter(has_text="บึงกาฬ")).to_have_count(0)
    page.context.clear_cookies()

    # anyone: the answer and the resolution; nothing counts against the dataset
    page.goto(dataset_url)
    shown = page.locator("#feedback .opendata-feedback-item").filter(has_text="บึงกาฬ")
    expect(shown).to_contain_text("สมชาย")
    expect(shown).to_contain_text("แก้ไขข้อมูลจังหวัดบึงกาฬแล้ว ขอบคุณที่แจ้ง")
    expect(shown).to_contain_text("อัปโหลดไฟล์ที่แก้ไขแล้ว")
    expect(shown).not_to_contain_text("somchai@example.co.th")
    expect(page.locator("#feedback .feedback-open")).to_contain_text("ไม่มีข้อร้องเรียนหรือรายงานข้อผิดพลาดที่ค้างอยู่")
