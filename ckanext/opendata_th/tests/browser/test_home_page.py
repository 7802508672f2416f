"""The agency's home page in a real browser, in Thai (the portal's default;
the browser asks for English): it names the agency, its logo loads, and its
search box takes the visitor to the dataset search."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ckan.tests import factories

from ckanext.opendata_th.tests.datasets import create_dataset, national_dataset, national_resource

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("with_plugins", "clean_db")]

NAME_TH = "กรมส่งเสริมการค้าระหว่างประเทศ"
NAME_EN = "Department of International Trade Promotion"


def image_loaded(locator) -> bool:
    return locator.evaluate("img => img.complete && img.naturalWidth > 0")


@pytest.mark.ckan_config("ckanext.opendata_th.agency.name_th", NAME_TH)
@pytest.mark.ckan_config("ckanext.opendata_th.agency.name_en", NAME_EN)
@pytest.mark.ckan_config("ckanext.opendata_th.agency.url", "https://www.ditp.example")
@pytest.mark.ckan_config("ckan.site_title", "พอร์ทัลข้อมูลเปิด กรมส่งเสริมการค้าระหว่างประเทศ")
def test_the_thai_home_page_names_the_agency_and_its_search_box_finds_datasets(page, base_url):
    sysadmin = factories.Sysadmin()
    org = factories.Organization(title=NAME_TH)
    for title, high_value in [("มูลค่าการส่งออกสินค้ารายตลาด", "True"), ("หลักสูตรอบรมผู้ส่งออก", "False")]:
        create_dataset( {"user": sysadmin["name"]}, **national_dataset(
            owner_org=org["id"], title=title, high_value_dataset=high_value,
            resources=[national_resource()]))

    page.goto(base_url + "/")

    expect(page.locator("html")).to_have_attribute("lang", "th")
    expect(page.locator("h1.opendata-th-agency-name")).to_have_text(NAME_TH)
    expect(page.locator(".opendata-th-agency-other-name")).to_have_text(NAME_EN)
    for logo in (page.locator(".masthead .logo img"), page.locator(".opendata-th-agency-logo")):
        expect(logo).to_be_visible()
        assert image_loaded(logo), logo
    expect(page.locator("#home-dataset-count .number")).to_have_text("2")
    expect(page.locator("#home-high-value .opendata-th-dataset h3")).to_have_text(["มูลค่าการส่งออกสินค้ารายตลาด"])
    expect(page.locator("#home-newest h2")).to_have_text("ชุดข้อมูลล่าสุด")
    expect(page.locator("body")).not_to_contain_text("ยินดีต้อนรับสู่ CKAN")
    expect(page.locator("footer")).not_to_contain_text("Powered by")
    expect(page.locator("footer .opendata-th-footer-agency")).to_contain_text(NAME_TH)

    page.fill("#field-main-search", "ส่งออก")
    with page.expect_navigation():
        page.press("#field-main-search", "Enter")

    assert page.url.startswith(base_url + "/dataset/?q=")
    expect(page.locator("#field-giant-search")).to_have_value("ส่งออก")
    expect(page.locator(".dataset-heading a")).to_have_count(2)


def test_the_about_page_says_what_the_portal_is_in_thai(page, base_url):
    page.goto(base_url + "/about")

    expect(page.locator("html")).to_have_attribute("lang", "th")
    expect(page.locator("article")).to_contain_text("พอร์ทัลนี้เผยแพร่ข้อมูลเปิดของ")
    expect(page.locator("article")).not_to_contain_text("CKAN is")
