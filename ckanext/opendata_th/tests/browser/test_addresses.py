"""Thai titles make web addresses: in a real browser (fixtures in
conftest.py), the URL preview follows a Thai title as it is typed, in the
Royal Thai General System, and the saved dataset or organization lives at
that address. Without JavaScript the server makes the same address; an
address typed by hand is kept; the edit form never renames."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.opendata_th.playbook import national_schema as ns
from ckanext.opendata_th.playbook.slugs import name_from_title
from ckanext.opendata_th.tests.browser.conftest import (
    PASSWORD, TRADE_DEPARTMENT, choose_in_select2, log_in)

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("with_plugins", "clean_db")]

EXPORT_TITLE = "มูลค่าการส่งออกสินค้ารายตลาด"
EXPORT_NAME = "munlakha-kansongok-sinkha-rai-talat"
STATISTICS_OFFICE = "สำนักงานสถิติแห่งชาติ"
STATISTICS_NAME = "samnakngansathitihaengchat"
SAVE_TIMEOUT_MS = 30_000


@pytest.fixture(autouse=True)
def dictionaries_loaded():
    """PyThaiNLP loads its dictionaries once per process, on the first title
    (seconds on a busy machine). The test server runs in this process: load
    them here, so that the first preview is not timed against that load."""
    name_from_title("ข้อมูล")


def fill_the_rest_of_the_dataset_form(page, scripts=True):
    """The fields a record dataset needs besides its title and URL."""
    page.select_option("#field-data_type", ns.DATA_TYPES[0])  # ข้อมูลระเบียน
    if scripts:
        choose_in_select2(page, "#s2id_field-organizations", "ส่งเสริม", TRADE_DEPARTMENT)
        page.click("#s2id_field-tag_string")
        page.keyboard.type("การค้า")
        page.locator(".select2-drop-active .select2-result-label", has_text="การค้า").first.wait_for()
        page.keyboard.press("Enter")
        page.keyboard.press("Escape")
    else:
        page.select_option("#field-organizations", label=TRADE_DEPARTMENT)
        page.fill("#field-tag_string", "การค้า")
    page.select_option("#field-private", "True")  # private: only an approver publishes
    page.fill("#field-notes", "มูลค่าการส่งออกสินค้าของไทยแยกตามตลาดปลายทาง")
    page.fill("#field-maintainer", "กองสถิติการค้า")
    page.fill("#field-maintainer_email", "stat@ditp.example")
    page.check("input[name=objective][value='พันธกิจหน่วยงาน']")
    for name, value in {"update_frequency_unit": "ปี", "geo_coverage": "ประเทศ",
                        "data_category": "ข้อมูลสาธารณะ", "data_classification": "เปิดเผย",
                        "license_id": "Open Data Common"}.items():
        page.select_option(f"#field-{name}", value)
    page.fill("#field-update_frequency_interval", "1")
    page.fill("#field-data_source", "ระบบสถิติการค้าระหว่างประเทศ")
    page.check("input[name=data_format][value='CSV']")


def save(page, button):
    """Submit a form and wait for the next page (saving a dataset indexes it
    and queues its checks: slower than a page view on a busy machine)."""
    with page.expect_navigation(timeout=SAVE_TIMEOUT_MS):
        page.click(button, timeout=SAVE_TIMEOUT_MS)


def add_a_link_and_finish(page):
    page.click("#resource-link-button")
    page.fill("#field-resource-url", "https://ditp.example/export.csv")
    page.fill("#field-name", "มูลค่าการส่งออก 2568")
    save(page, "button[name=save][value=go-metadata]")


def test_a_thai_title_gives_the_dataset_a_romanized_address(page, base_url, publisher):
    log_in(page, base_url, publisher["user"])
    page.goto(base_url + "/dataset/new")

    preview = page.locator(".slug-preview .slug-preview-value")
    page.locator("#field-title").press_sequentially("ข้อมูล (ux)")
    expect(preview).to_have_text("khomun-ux")  # not "ux"
    page.fill("#field-title", "")
    page.locator("#field-title").press_sequentially(EXPORT_TITLE)
    expect(preview).to_have_text(EXPORT_NAME)
    expect(page.locator("#field-name")).to_have_value(EXPORT_NAME)

    fill_the_rest_of_the_dataset_form(page)
    save(page, "#dataset-edit button[name=save]")
    assert page.url == f"{base_url}/dataset/{EXPORT_NAME}/resource/new"
    add_a_link_and_finish(page)

    assert page.url == f"{base_url}/dataset/{EXPORT_NAME}"
    expect(page.locator("article h1")).to_contain_text(EXPORT_TITLE)
    assert call_action("package_show", id=EXPORT_NAME)["title"] == EXPORT_TITLE

    # a second dataset with the same title gets the next number, and the edit
    # form of the first one never changes its address
    page.goto(base_url + "/dataset/new")
    page.locator("#field-title").press_sequentially(EXPORT_TITLE)
    expect(preview).to_have_text(EXPORT_NAME + "-2")
    page.goto(f"{base_url}/dataset/edit/{EXPORT_NAME}")
    page.fill("#field-title", "ราคาสินค้าเกษตร")
    page.locator("#field-title").press_sequentially("รายเดือน")
    page.wait_for_timeout(800)  # longer than the preview's pause in typing
    expect(page.locator("#field-name")).to_have_value(EXPORT_NAME)


def test_an_address_typed_by_hand_is_kept(page, base_url, publisher):
    log_in(page, base_url, publisher["user"])
    page.goto(base_url + "/dataset/new")
    page.locator("#field-title").press_sequentially("ราคาสินค้า")
    expect(page.locator(".slug-preview .slug-preview-value")).to_have_text("rakha-sinkha")
    page.click(".slug-preview button")
    page.fill("#field-name", "prices")
    page.locator("#field-title").press_sequentially("เกษตร")
    page.wait_for_timeout(800)
    expect(page.locator("#field-name")).to_have_value("prices")


def test_without_javascript_the_server_makes_the_address(page, base_url, publisher):
    log_in(page, base_url, publisher["user"])
    page.route("**/*.js", lambda route: route.abort())
    page.goto(base_url + "/dataset/new")
    expect(page.locator("#field-name")).to_be_visible()  # no preview: the plain field
    page.fill("#field-title", EXPORT_TITLE)
    fill_the_rest_of_the_dataset_form(page, scripts=False)
    save(page, "#dataset-edit button[name=save]")
    assert page.url == f"{base_url}/dataset/{EXPORT_NAME}/resource/new"


def test_a_sysadmin_gives_a_new_organization_a_thai_title(page, base_url):
    sysadmin = factories.Sysadmin(password=PASSWORD, fullname="ผู้ดูแลระบบ")
    log_in(page, base_url, sysadmin)
    page.goto(base_url + "/organization/new")

    page.locator("#field-name").press_sequentially(STATISTICS_OFFICE)
    expect(page.locator(".slug-preview .slug-preview-value")).to_have_text(STATISTICS_NAME)
    expect(page.locator("#field-url")).to_have_value(STATISTICS_NAME)
    save(page, "button[name=save]")

    assert page.url == f"{base_url}/organization/{STATISTICS_NAME}"
    assert call_action("organization_show", id=STATISTICS_NAME)["title"] == STATISTICS_OFFICE

    # the edit form keeps the address
    page.goto(f"{base_url}/organization/edit/{STATISTICS_NAME}")
    # CKAN starts the page's modules after loading its translations; a title
    # emptied before then looks like a new form's to CKAN's own preview
    expect(page.locator(".slug-preview")).to_have_count(1)
    page.fill("#field-name", "")
    page.locator("#field-name").press_sequentially("สำนักงานสถิติจังหวัด")
    page.wait_for_timeout(800)
    expect(page.locator("#field-url")).to_have_value(STATISTICS_NAME)

    # a group with the same title: the next number (groups share the names)
    page.goto(base_url + "/group/new")
    page.locator("#field-name").press_sequentially(STATISTICS_OFFICE)
    expect(page.locator(".slug-preview .slug-preview-value")).to_have_text(STATISTICS_NAME + "-2")
    save(page, "button[name=save]")
    assert page.url == f"{base_url}/group/{STATISTICS_NAME}-2"
