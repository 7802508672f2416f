"""The public and a publisher read dates in Thai, in a real browser (fixtures
in conftest.py): a statistical file's resource page shows Buddhist Era dates
in Bangkok time, the update frequency as one phrase and no map fields; the
dataset's activity stream says how long ago each change was, with the BE
date and time in its tooltip. The browser asks for English: Thai comes from
the portal's default locale, and no script rewrites the dates afterwards."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect


from ckanext.opendata_th.playbook import national_schema as ns
from ckanext.opendata_th.tests.browser.conftest import log_in
from ckanext.opendata_th.tests.datasets import create_dataset, national_dataset, national_resource

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("with_plugins", "clean_db")]

STATISTICAL = ns.DATA_TYPES[1]
BE_DATE_TIME = re.compile(r"\d{1,2} (ม\.ค\.|ก\.พ\.|มี\.ค\.|เม\.ย\.|พ\.ค\.|มิ\.ย\.|ก\.ค\.|ส\.ค\.|ก\.ย\.|ต\.ค\.|พ\.ย\.|ธ\.ค\.) "
                          r"25\d\d \d\d:\d\d น\.")


@pytest.fixture
def export_value(publisher):
    """A statistical dataset of the publisher's organization, updated every
    month; its file changed at 17:30 UTC on 28 Nov 2026 (29 Nov in Bangkok)."""
    return create_dataset( {"user": publisher["user"]["name"]}, **national_dataset(
        name="export-value", title="มูลค่าการส่งออกสินค้ารายตลาด", owner_org=publisher["org"]["id"],
        data_type=STATISTICAL, update_frequency_unit="เดือน", update_frequency_interval="1",
        resources=[national_resource(name="มูลค่าการส่งออก 2568", last_modified="2026-11-28T17:30:00",
                                     resource_first_year_of_data="2560", resource_unit_of_measure="ล้านบาท")]))


def test_the_public_reads_a_statistical_resource_page_in_thai(page, base_url, export_value):
    resource = export_value["resources"][0]
    page.goto(f"{base_url}/dataset/export-value/resource/{resource['id']}")
    expect(page.locator("html")).to_have_attribute("lang", "th")
    info = page.locator("table", has=page.locator("th", has_text="ปีข้อมูลที่เริ่มต้นจัดทำ"))

    def row(label):
        return info.locator("tr", has=page.locator("th", has_text=label)).locator("td")

    expect(row("ข้อมูลปรับปรุงล่าสุด")).to_have_text("29 พ.ย. 2569")  # Bangkok's day, BE year
    expect(row("ความถี่ของการปรับปรุงข้อมูล")).to_have_text("ทุก 1 เดือน")
    expect(row("ปีข้อมูลที่เริ่มต้นจัดทำ")).to_have_text("2560")
    expect(row("หน่วยวัด")).to_have_text("ล้านบาท")
    text = info.inner_text()
    for field in ns.FIELDS["resource"].values():
        if STATISTICAL not in field.data_types:
            assert field.label_th not in text, field.name
    assert "ค.ศ." not in page.content()
    assert "ค่าความถี่" not in text and "หน่วยความถี่" not in text
    # the sidebar lists the resources and the social links, not rows of the table
    sidebar = page.locator("aside.secondary")
    expect(sidebar).to_contain_text("มูลค่าการส่งออก 2568")
    expect(sidebar).not_to_contain_text("ความถี่")
    expect(sidebar).not_to_contain_text("Open Data Common")


def test_a_publisher_reads_the_activity_stream_in_thai(page, base_url, publisher, export_value):
    log_in(page, base_url, publisher["user"])
    page.goto(f"{base_url}/dataset/activity/export-value")
    dates = page.locator(".activity .date")
    expect(dates.first).to_be_visible()
    for index in range(dates.count()):
        date = dates.nth(index)
        # "เมื่อสักครู่ | ดูรุ่นนี้" (just now | view this version)
        assert re.match(r"(เมื่อสักครู่|\d+ นาทีที่แล้ว)\s+\|", date.inner_text().strip())
        assert BE_DATE_TIME.fullmatch(date.get_attribute("title")), date.get_attribute("title")
    assert "ค.ศ." not in page.content() and " ago" not in page.inner_text("body")
