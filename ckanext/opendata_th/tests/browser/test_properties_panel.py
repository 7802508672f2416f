"""The ten-property panel in a real browser, as the public and as a
publisher see it in Thai: the score in words, "not yet assessed" shown
neutrally (no orange), and advice only for those who can act on it.
Screenshots go to /tmp for people to look at."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect


from ckanext.opendata_th.tests.browser.conftest import log_in
from ckanext.opendata_th.tests.datasets import create_dataset, national_dataset, national_resource

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("with_plugins", "clean_db")]


def test_the_public_and_a_publisher_read_the_panel_in_thai(page, base_url, publisher):
    dataset = create_dataset(**national_dataset(owner_org=publisher["org"]["id"],
        title="จำนวนผู้ส่งออกรายจังหวัด", opendata_attest_complete="True",
        resources=[national_resource(), national_resource(name="รายงานประจำปี", format="PDF",
                                                          url="https://agency.example/report.pdf")]))
    page.goto(f"{base_url}/dataset/{dataset['name']}")
    panel = page.locator("#opendata-properties")
    expect(panel).to_contain_text("คุณลักษณะ 10 ประการของข้อมูลเปิด")
    expect(panel.locator(".opendata-th-score")).to_contain_text("ชุดข้อมูลนี้มีคุณลักษณะของข้อมูลเปิดครบ")
    accessible = panel.locator("tr[data-property=accessible]")
    expect(accessible).to_contain_text("ยังไม่ได้ประเมิน")
    expect(panel.locator(".bg-warning")).to_have_count(0)
    expect(panel.locator(".opendata-th-advice")).to_have_count(0)
    panel.scroll_into_view_if_needed()

    log_in(page, base_url, publisher["user"])
    page.goto(f"{base_url}/dataset/{dataset['name']}")
    panel = page.locator("#opendata-properties")
    expect(panel.locator("tr[data-property=machine_readable] .opendata-th-advice-publisher")).to_contain_text(
        "สิ่งที่คุณทำได้:")
    expect(panel.locator(".opendata-th-advice-sysadmin")).to_have_count(0)
    expect(panel.locator(".bg-warning")).to_have_count(0)
