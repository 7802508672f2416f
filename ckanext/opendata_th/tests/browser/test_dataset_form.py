"""A Thai publisher creates a statistical dataset through the web form, in a
real browser (fixtures in conftest.py). The publisher logs in through the
login form, fills the dataset form in Thai, section by section, sees the form
show the statistical fields and hide the record fields, adds a resource by
URL and finishes; the stored dataset is then read back through the action
API. The form's guidance itself is tested in test_form_guidance.py."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

import ckan.model as model
from ckan.tests.helpers import call_action

from ckanext.opendata_th.playbook import national_schema as ns
from ckanext.opendata_th.tests.browser.conftest import (
    TRADE_DEPARTMENT, choose_in_select2, field, log_in)

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("with_plugins", "clean_db")]

RECORD, STATISTICAL = ns.DATA_TYPES[:2]
STATISTICAL_ONLY = ["first_year_of_data", "last_year_of_data", "unit_of_measure", "unit_of_multiplier"]
RECORD_ONLY = ["data_support", "data_collect", "created_date"]


def fill_dataset_form(page, **changes):
    """Fill /dataset/new as a publisher would, for a statistical dataset.
    ``changes`` replace select values (field name: option)."""
    form = page.locator("#dataset-edit")
    expect(form).to_contain_text("ประเภทชุดข้อมูล")
    expect(form).to_contain_text("ชื่อชุดข้อมูล")

    # the form shows only the fields of the chosen data type
    page.select_option("#field-data_type", RECORD)
    for name in RECORD_ONLY:
        expect(field(page, name)).to_be_visible()
    for name in STATISTICAL_ONLY:
        expect(field(page, name)).to_be_hidden()
    page.select_option("#field-data_type", STATISTICAL)
    for name in STATISTICAL_ONLY:
        expect(field(page, name)).to_be_visible()
    for name in RECORD_ONLY:
        expect(field(page, name)).to_be_hidden()
    expect(page.locator("label[for=field-first_year_of_data]")).to_contain_text("ปีข้อมูลที่เริ่มต้นจัดทำ")

    page.fill("#field-title", "มูลค่าการส่งออกสินค้ารายตลาด")
    # the portal's suggestion from the title arrives first (under load it
    # could land while the URL is being typed), then the URL is edited
    expect(page.locator("#field-name")).to_have_value(re.compile(r"^munlakha-"))
    page.click(".slug-preview button")  # edit the URL the title's Thai letters cannot give
    page.fill("#field-name", "export-value-by-market")
    expect(page.locator("#field-name")).to_have_value("export-value-by-market")
    choose_in_select2(page, "#s2id_field-organizations", "ส่งเสริม", TRADE_DEPARTMENT)
    # the visibility says how a dataset becomes public: only an approver publishes it
    expect(page.locator("#field-private-help")).to_contain_text("ผู้อนุมัติ")
    page.select_option("#field-private", "True")
    page.click("#s2id_field-tag_string")
    page.keyboard.type("การค้า")
    page.locator(".select2-drop-active .select2-result-label", has_text="การค้า").first.wait_for()
    page.keyboard.press("Enter")
    expect(page.locator("#s2id_field-tag_string .select2-search-choice")).to_have_text(["การค้า"])
    page.keyboard.press("Escape")
    page.fill("#field-notes", "มูลค่าการส่งออกสินค้าของไทยแยกตามตลาดปลายทาง รายปี")
    page.fill("#field-maintainer", "กองสถิติการค้า")
    page.fill("#field-maintainer_email", "stat@ditp.example")
    page.check("input[name=objective][value='พันธกิจหน่วยงาน']")
    page.check("input[name=objective][value='เพื่อการให้บริการประชาชน']")
    selects = {
        "update_frequency_unit": "ปี",
        "geo_coverage": "ประเทศ",
        "data_category": "ข้อมูลสาธารณะ",
        "data_classification": "เปิดเผย",
        "license_id": "Open Data Common",
        "unit_of_multiplier": "ล้าน",
        **changes,
    }
    for name, value in selects.items():
        page.select_option(f"#field-{name}", value)
    page.fill("#field-update_frequency_interval", "1")
    page.fill("#field-data_source", "ระบบสถิติการค้าระหว่างประเทศ")
    page.check("input[name=data_format][value='CSV']")
    page.check("input[name=data_format][value='XLS']")
    page.fill("#field-first_year_of_data", "2566")
    page.fill("#field-last_year_of_data", "2568")
    page.fill("#field-unit_of_measure", "บาท")


def test_a_publisher_creates_a_statistical_dataset_through_the_thai_form(page, base_url, publisher):
    user, org = publisher["user"], publisher["org"]
    log_in(page, base_url, user)

    page.goto(base_url + "/dataset/new")
    fill_dataset_form(page)
    with page.expect_navigation():
        page.click("#dataset-edit button[name=save]")

    # stage 2: the resource form shows the statistical resource fields only
    assert page.url == f"{base_url}/dataset/export-value-by-market/resource/new"
    expect(field(page, "resource_first_year_of_data")).to_be_visible()
    expect(field(page, "resource_data_collect")).to_be_hidden()
    page.click("#resource-link-button")  # ลิงก์
    page.fill("#field-resource-url", "https://ditp.example/export-value-by-market.csv")
    page.fill("#field-name", "มูลค่าการส่งออก 2566-2568")
    choose_in_select2(page, "#s2id_field-format", "CSV", "CSV")
    expect(page.locator("#s2id_field-format .select2-chosen")).to_have_text("CSV")
    with page.expect_navigation():
        page.click("button[name=save][value=go-metadata]")  # สิ้นสุด

    assert page.url == f"{base_url}/dataset/export-value-by-market"
    expect(page.locator("article h1")).to_contain_text("มูลค่าการส่งออกสินค้ารายตลาด")
    expect(page.locator("#opendata-properties h3")).to_contain_text("คุณลักษณะ 10 ประการของข้อมูลเปิด")

    dataset = call_action("package_show", id="export-value-by-market")
    assert dataset["state"] == "active"
    assert dataset["owner_org"] == org["id"]
    assert dataset["private"] is True and dataset["opendata_stage"] == "candidate"
    assert dataset["creator_user_id"] == user["id"]
    assert dataset["title"] == "มูลค่าการส่งออกสินค้ารายตลาด"
    assert dataset["data_type"] == STATISTICAL
    assert [tag["name"] for tag in dataset["tags"]] == ["การค้า"]
    assert dataset["objective"] == ["เพื่อการให้บริการประชาชน", "พันธกิจหน่วยงาน"]  # schema order
    assert dataset["data_format"] == ["CSV", "XLS"]
    assert (dataset["first_year_of_data"], dataset["last_year_of_data"]) == ("2566", "2568")
    assert (dataset["unit_of_measure"], dataset["unit_of_multiplier"]) == ("บาท", "ล้าน")
    assert (dataset["update_frequency_unit"], dataset["update_frequency_interval"]) == ("ปี", "1")
    assert (dataset["data_category"], dataset["data_classification"]) == ("ข้อมูลสาธารณะ", "เปิดเผย")
    assert dataset["license_id"] == "Open Data Common"
    assert dataset["maintainer_email"] == "stat@ditp.example"
    for name in RECORD_ONLY:
        assert not dataset.get(name)
    [resource] = dataset["resources"]
    assert resource["url"] == "https://ditp.example/export-value-by-market.csv"
    assert resource["name"] == "มูลค่าการส่งออก 2566-2568"
    assert resource["format"] == "CSV"


def test_a_common_era_year_is_refused_on_the_form_and_the_summary_leads_to_it(page, base_url, publisher):
    log_in(page, base_url, publisher["user"])

    page.goto(base_url + "/dataset/new")
    fill_dataset_form(page)
    page.fill("#field-first_year_of_data", "2023")  # ค.ศ., not พ.ศ.
    with page.expect_navigation():
        page.click("#dataset-edit button[name=save]")

    # the form comes back with a Thai message under the field and a link to it in the summary
    assert page.url == f"{base_url}/dataset/new"
    message = field(page, "first_year_of_data").locator(".error-block")
    expect(message).to_contain_text("พ.ศ.")
    assert not re.search("[A-Za-z]{3}", message.inner_text())  # Thai only on a Thai page
    link = page.locator(".error-explanation a[href='#field-first_year_of_data']")
    expect(link).to_have_text("ปีข้อมูลที่เริ่มต้นจัดทำ (สำหรับชุดข้อมูลสถิติ)")
    link.click()
    expect(page.locator("#field-first_year_of_data")).to_be_focused()
    # what was typed is kept, and the form still shows the statistical fields
    expect(page.locator("#field-first_year_of_data")).to_have_value("2023")
    expect(page.locator("#field-last_year_of_data")).to_have_value("2568")
    expect(page.locator("input[name=data_format][value='XLS']")).to_be_checked()
    expect(field(page, "first_year_of_data")).to_be_visible()
    expect(field(page, "data_support")).to_be_hidden()

    assert model.Session.query(model.Package).count() == 0
