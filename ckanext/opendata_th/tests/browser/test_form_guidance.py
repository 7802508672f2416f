"""The dataset form guides a Thai publisher, in a real browser: sections in
the order a publisher fills them, an "อื่นๆ (โปรดระบุ)" box only when อื่นๆ is
chosen, the update time only for daily or shorter units, only the
classification levels the category allows, long choice lists in columns,
calendar hints on year and date fields, and error-summary links that put the
cursor in their field. Without JavaScript every field is shown and a dataset
can still be created.

The tests only look at the form (one adds a dataset of its own name): they
share one publisher, logged in once, and the database is cleaned before the
first of them only."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

import ckan.model as model
from ckan.tests.helpers import call_action

from ckanext.opendata_th.playbook import frequency
from ckanext.opendata_th.playbook import national_schema as ns
from ckanext.opendata_th.tests.browser.conftest import (
    TIMEOUT_MS, TRADE_DEPARTMENT, field, fresh_page, log_in, make_publisher, once_per_module,
    wait_for_modules)

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("with_plugins", "clean_db_once")]

RECORD, STATISTICAL, GEOSPATIAL = ns.DATA_TYPES[:3]
SECTIONS = [
    ("about", "ข้อมูลนี้คืออะไร", "title"),
    ("responsible", "ใครรับผิดชอบ", "maintainer"),
    ("governance", "ธรรมาภิบาลข้อมูลและสัญญาอนุญาต", "data_category"),
    ("frequency", "การปรับปรุงข้อมูล", "update_frequency_unit"),
    ("data_type_fields", "รายละเอียดตามประเภทชุดข้อมูล", "first_year_of_data"),
]
"""(key, Thai heading, a field of the section), in the form's order."""
FORM_HEIGHT_BEFORE = {RECORD: 5036, STATISTICAL: 5779, GEOSPATIAL: 5412}
"""Height in px of the dataset form (#dataset-edit, 1280 px wide) before it was
grouped, per data type, with nothing chosen but the data type."""


@pytest.fixture
def publisher(request):
    """The module's publisher (an editor of two organizations), made once."""
    return once_per_module(request, "publisher", make_publisher)


@pytest.fixture
def logged_in(request, chromium, base_url, publisher):
    """The cookies of the publisher's session, logged in once through the
    login form (each test still gets a new browser context)."""
    def log_in_once():
        with fresh_page(request, chromium) as page:
            log_in(page, base_url, publisher["user"])
            return page.context.storage_state()

    return once_per_module(request, "logged_in", log_in_once)


@pytest.fixture
def new_form(request, chromium, base_url, logged_in):
    """/dataset/new, open in the browser of a logged-in publisher, its
    scripts started."""
    with fresh_page(request, chromium, storage_state=logged_in) as page:
        page.goto(base_url + "/dataset/new")
        expect(page.locator(".account .username")).to_be_visible()  # still logged in
        wait_for_modules(page)
        yield page


def test_the_form_is_in_sections_in_the_order_a_publisher_fills_them(new_form):
    page = new_form
    sections = page.locator("#dataset-edit fieldset.opendata-th-section")
    expect(sections).to_have_count(len(SECTIONS))
    tops = []
    for index, (key, heading, name) in enumerate(SECTIONS):
        section = sections.nth(index)
        expect(section).to_have_attribute("id", f"section-{key}")
        expect(section.locator("legend")).to_have_text(f"{index + 1} {heading}")
        expect(section.locator(".opendata-th-section-help")).to_be_visible()
        expect(section.locator(f"[name={name}]")).to_have_count(1)
        tops.append(section.bounding_box()["y"])
    assert tops == sorted(tops)
    # the help line is Thai, as the rest of the page
    assert "ประเภท ชื่อ และคำอธิบาย" in sections.first.locator(".opendata-th-section-help").inner_text()


@pytest.mark.parametrize("choice, other", [("geo_coverage", "geo_coverage_other"),
                                           ("update_frequency_unit", "update_frequency_unit_other"),
                                           ("license_id", "license_id_other")])
def test_an_other_box_of_a_list_appears_only_while_other_is_chosen(new_form, choice, other):
    page = new_form
    expect(field(page, other)).to_be_hidden()
    page.select_option(f"#field-{choice}", "อื่นๆ")
    expect(field(page, other)).to_be_visible()
    expect(field(page, other).locator("label")).to_contain_text("อื่นๆ (โปรดระบุ)")
    page.select_option(f"#field-{choice}", ns.FIELDS["dataset"][choice].choices[1])
    expect(field(page, other)).to_be_hidden()


def test_an_other_box_of_checkboxes_appears_only_while_other_is_ticked(new_form):
    page = new_form
    page.select_option("#field-data_type", STATISTICAL)
    for choice in ("objective", "data_format", "data_language", "disaggregate"):
        other = field(page, f"{choice}_other")
        expect(other).to_be_hidden()
        page.check(f"input[name={choice}][value='อื่นๆ']")
        expect(other).to_be_visible()
        page.check(f"input[name={choice}][value='ไม่ทราบ']")  # another choice too: still asked
        expect(other).to_be_visible()
        page.uncheck(f"input[name={choice}][value='อื่นๆ']")
        expect(other).to_be_hidden()


def test_the_other_data_type_box_appears_only_for_the_other_data_type(new_form):
    page = new_form
    expect(field(page, "data_type_other")).to_be_hidden()
    page.select_option("#field-data_type", "ข้อมูลประเภทอื่นๆ")
    expect(field(page, "data_type_other")).to_be_visible()
    page.select_option("#field-data_type", RECORD)
    expect(field(page, "data_type_other")).to_be_hidden()


def test_the_update_time_is_asked_only_for_daily_or_shorter_units(new_form):
    page = new_form
    time_field = field(page, "update_frequency_time")
    expect(time_field).to_be_hidden()
    for unit in frequency.UNITS:
        page.select_option("#field-update_frequency_unit", unit)
        if unit in frequency.DAILY_OR_SHORTER:
            expect(time_field).to_be_visible()
        else:
            expect(time_field).to_be_hidden()


def classification_choices(page):
    return [value for value in page.locator("#field-data_classification option").evaluate_all(
        "options => options.map(option => option.value)") if value]


def test_only_the_classifications_the_category_allows_are_offered(new_form):
    page = new_form
    assert classification_choices(page) == list(ns.FIELDS["dataset"]["data_classification"].choices)
    for category, allowed in ns.CLASSIFICATIONS.items():
        page.select_option("#field-data_category", category)
        assert classification_choices(page) == list(allowed), category

    # a level the new category also allows is kept; one it does not is dropped
    page.select_option("#field-data_category", "ข้อมูลส่วนบุคคล")
    page.select_option("#field-data_classification", "ลับมาก")
    page.select_option("#field-data_category", "ข้อมูลความมั่นคง")
    expect(page.locator("#field-data_classification")).to_have_value("ลับมาก")
    page.select_option("#field-data_category", "ข้อมูลสาธารณะ")
    expect(page.locator("#field-data_classification")).to_have_value("เปิดเผย")  # its only level
    page.select_option("#field-data_category", "ข้อมูลความลับทางราชการ")
    expect(page.locator("#field-data_classification")).to_have_value("")
    page.select_option("#field-data_category", "")
    assert len(classification_choices(page)) == len(ns.FIELDS["dataset"]["data_classification"].choices)


def test_long_choice_lists_are_laid_out_in_columns(new_form):
    page = new_form
    choices = page.locator("#field-data_format label")
    expect(choices).to_have_count(len(ns.FIELDS["dataset"]["data_format"].choices))

    def columns():
        return len({round(box["x"]) for box in (choices.nth(i).bounding_box() for i in range(choices.count()))})

    assert columns() >= 3
    page.set_viewport_size({"width": 375, "height": 800})  # a phone: one column
    assert columns() == 1


def test_year_and_date_fields_say_which_calendar_they_take(new_form):
    page = new_form
    page.select_option("#field-data_type", STATISTICAL)
    for name in ("first_year_of_data", "last_year_of_data"):
        expect(field(page, name).locator(".info-block")).to_contain_text("ปี พ.ศ. เช่น 2568")
    for name in ("last_updated_date", "data_release_calendar"):
        expect(field(page, name).locator(".info-block")).to_contain_text("ปฏิทินสากล (ปี ค.ศ.)")
    # the chosen day is shown in the Buddhist Era
    page.fill("#field-last_updated_date", "2025-01-31")
    expect(field(page, "last_updated_date").locator(".opendata-th-be-date")).to_have_text("31 มกราคม พ.ศ. 2568")
    page.fill("#field-last_updated_date", "")
    expect(field(page, "last_updated_date").locator(".opendata-th-be-date")).to_have_text("")


def test_error_summary_links_put_the_cursor_in_their_field(new_form):
    page = new_form
    page.select_option("#field-data_type", STATISTICAL)
    page.select_option("#field-geo_coverage", "อื่นๆ")
    page.fill("#field-first_year_of_data", "2023")  # a Common Era year
    with page.expect_navigation():
        page.click("#dataset-edit button[name=save]")

    links = page.locator(".error-explanation li a")
    expected = {"title", "notes", "tag_string", "objective", "geo_coverage_other", "first_year_of_data",
                "maintainer"}
    labels = set(page.locator(".error-explanation li").evaluate_all(
        "items => items.map(item => item.dataset.fieldLabel)"))
    assert expected <= labels
    # in the form's order: the first section's fields before the third's
    order = page.locator(".error-explanation li").evaluate_all("items => items.map(i => i.dataset.fieldLabel)")
    assert order.index("title") < order.index("maintainer") < order.index("first_year_of_data")

    for index in range(links.count()):
        link = links.nth(index)
        name = link.evaluate("a => a.closest('li').dataset.fieldLabel")
        link.click()
        focused = page.evaluate("""() => {
            const el = document.activeElement;
            const group = el && el.closest('.form-group');
            return group ? Array.from(group.querySelectorAll('[name]')).map(e => e.name) : [];
        }""")
        assert name in focused, (name, focused)  # select2 widgets: their search box
    page.locator(".error-explanation a[href='#field-first_year_of_data']").click()
    expect(page.locator("#field-first_year_of_data")).to_be_focused()
    page.locator(".error-explanation a[href='#field-objective']").click()
    expect(page.locator("#field-objective-1")).to_be_focused()
    # the statistical fields are still shown, the typed year kept
    expect(page.locator("#field-first_year_of_data")).to_have_value("2023")
    expect(field(page, "geo_coverage_other")).to_be_visible()


def test_the_form_is_much_shorter_than_it_was(new_form):
    page = new_form
    for data_type, before in FORM_HEIGHT_BEFORE.items():
        page.select_option("#field-data_type", data_type)
        height = page.locator("#dataset-edit").bounding_box()["height"]
        assert height < 0.75 * before, (data_type, height, before)


# --- without JavaScript --------------------------------------------------------------------

@pytest.fixture
def page_without_javascript(request, chromium, base_url, logged_in):
    """A Chromium page of the logged-in publisher with JavaScript turned off
    (a screenshot in /tmp when the test fails, as the ``page`` fixture does)."""
    # a whole form is posted and a dataset created: slower than a page view
    with fresh_page(request, chromium, timeout_ms=3 * TIMEOUT_MS, storage_state=logged_in,
                    java_script_enabled=False) as page:
        yield page


def test_without_javascript_every_field_is_shown_and_a_dataset_can_be_created(
        page_without_javascript, base_url, publisher):
    page = page_without_javascript
    org = publisher["org"]
    page.goto(base_url + "/dataset/new")

    # nothing is hidden: every field of every data type, every "other" box, the update time
    for name in ("data_type_other", "objective_other", "geo_coverage_other", "update_frequency_time",
                 "first_year_of_data", "data_collect", "west_bound_longitude", "license_id_other"):
        expect(field(page, name)).to_be_visible()
    assert classification_choices(page) == list(ns.FIELDS["dataset"]["data_classification"].choices)
    # the long lists are still in columns (CSS, not script)
    boxes = page.locator("#field-objective label")
    assert boxes.nth(0).bounding_box()["y"] == boxes.nth(1).bounding_box()["y"]

    page.select_option("#field-data_type", RECORD)
    page.fill("#field-title", "ทะเบียนผู้ส่งออก")
    page.fill("#field-name", "exporter-register")
    page.select_option("#field-organizations", label=TRADE_DEPARTMENT)
    page.fill("#field-tag_string", "การค้า")
    page.fill("#field-notes", "รายชื่อผู้ส่งออกที่ขึ้นทะเบียน")
    page.check("input[name=objective][value='พันธกิจหน่วยงาน']")
    page.fill("#field-data_source", "ระบบทะเบียนผู้ส่งออก")
    page.check("input[name=data_format][value='CSV']")
    page.select_option("#field-geo_coverage", "ประเทศ")
    page.fill("#field-maintainer", "กองทะเบียน")
    page.fill("#field-maintainer_email", "register@ditp.example")
    page.select_option("#field-data_category", "ข้อมูลสาธารณะ")
    page.select_option("#field-data_classification", "เปิดเผย")
    page.select_option("#field-license_id", "Open Data Common")
    page.select_option("#field-update_frequency_unit", "วัน")
    page.fill("#field-update_frequency_time", "09:30")
    with page.expect_navigation():
        page.click("#dataset-edit button[name=save]")

    assert page.url == f"{base_url}/dataset/exporter-register/resource/new", page.locator(
        ".error-explanation").all_inner_texts()
    expect(page.locator("#resource-link-button")).to_be_hidden()  # CKAN's buttons need a script
    page.fill("#field-resource-url", "https://ditp.example/exporters.csv")
    page.fill("#field-name", "ผู้ส่งออก 2568")
    page.fill("#field-format", "CSV")
    with page.expect_navigation():
        page.click("button[name=save][value=go-metadata]")

    assert page.url == f"{base_url}/dataset/exporter-register"
    dataset = call_action("package_show", id="exporter-register")
    assert dataset["state"] == "active"
    assert dataset["owner_org"] == org["id"]
    assert (dataset["data_type"], dataset["update_frequency_time"]) == (RECORD, "09:30")
    assert dataset["objective"] == ["พันธกิจหน่วยงาน"]
    assert [resource["url"] for resource in dataset["resources"]] == ["https://ditp.example/exporters.csv"]


def test_without_javascript_the_server_refuses_what_the_script_would_have_hidden(
        page_without_javascript, base_url):
    page = page_without_javascript
    datasets_before = model.Session.query(model.Package).count()
    page.goto(base_url + "/dataset/new")
    page.select_option("#field-data_category", "ข้อมูลสาธารณะ")
    page.select_option("#field-data_classification", "ลับ")  # the script would not offer it
    page.select_option("#field-update_frequency_unit", "ชั่วโมง")  # and would ask for the time
    with page.expect_navigation():
        page.click("#dataset-edit button[name=save]")

    for name in ("data_classification", "update_frequency_time"):
        expect(field(page, name).locator(".error-block")).to_be_visible()
        expect(page.locator(f".error-explanation a[href='#field-{name}']")).to_be_visible()
    expect(page.locator("#field-data_classification")).to_have_value("ลับ")  # what was chosen is kept
    assert model.Session.query(model.Package).count() == datasets_before  # none was added
