"""Messages in the reader's language, through CKAN: Thai pages in Thai only,
English pages (``/en/``) in English only; API clients get the portal's
language (Thai) unless they ask for another with the ``/en/`` prefix or an
``Accept-Language`` header. CKAN's own validation messages follow the same
language as the extension's."""
import re
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup

import ckan.model as model
from ckan.tests import factories

from ckanext.opendata_th.tests.datasets import create_dataset, national_dataset, national_resource
from ckanext.opendata_th.tests.test_disclosure_guard import new_dataset_form_data
from ckanext.opendata_th.tests.web import Browser

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db")

THAI = re.compile("[\u0e00-\u0e7f]")
ENGLISH_SENTENCE = re.compile(r"\b(is|are|must|Missing|already|not|value)\b")


@pytest.fixture
def people():
    editor, admin = factories.UserWithToken(), factories.UserWithToken()
    org = factories.Organization(users=[{"name": editor["name"], "capacity": "editor"},
                                        {"name": admin["name"], "capacity": "admin"}])
    return SimpleNamespace(org=org, editor=editor, admin=admin, sysadmin=factories.SysadminWithToken())


def refused_create(app, people, prefix="", headers=None):
    """An API package_create with a URL name already taken (CKAN's own
    message) and a Common Era year where a Buddhist Era year belongs (ours);
    returns the error dict of the 409 answer after checking nothing was stored."""
    taken = create_dataset(**national_dataset(owner_org=people.org["id"]))
    fields = national_dataset(owner_org=people.org["id"], name=taken["name"], data_type="ข้อมูลสถิติ",
                              first_year_of_data="2020", last_year_of_data="2025")
    before = model.Session.query(model.Package).count()
    response = app.post(f"{prefix}/api/3/action/package_create", json=fields,
                        headers={"Authorization": people.editor["token"], **(headers or {})})
    assert response.status_code == 409, response.get_data(as_text=True)
    assert model.Session.query(model.Package).count() == before
    return response.json["error"]


def assert_thai_only(messages):
    for message in messages:
        assert THAI.search(message) and " / " not in message, message
        assert not ENGLISH_SENTENCE.search(message), message


def assert_english_only(messages):
    for message in messages:
        # Thai may appear only inside quotes (a stored choice value)
        assert not THAI.search(re.sub("“[^”]*”", "", message)), message


def test_api_errors_are_in_thai_by_default(app, people):
    error = refused_create(app, people)
    assert error["name"] == ["URL นี้ถูกใช้แล้ว"]  # CKAN's own message, from CKAN's Thai catalog
    assert error["last_year_of_data"] == [
        "ปีข้อมูลล่าสุดที่เผยแพร่ (สำหรับชุดข้อมูลสถิติ)ต้องเป็นปี พ.ศ. 4 หลัก ระหว่าง 2400 ถึง 2700 "
        "เช่น 2568 (ค่าที่ระบุ: “2025”) ปี ค.ศ. 2025 ตรงกับ พ.ศ. 2568"]
    assert_thai_only(error["name"] + error["last_year_of_data"] + error["first_year_of_data"])


@pytest.mark.parametrize("prefix, headers", [
    ("/en", {}),                                     # CKAN's locale prefix
    ("", {"Accept-Language": "en-GB,en;q=0.9"}),      # the header, for /api/ without a prefix
    ("/en", {"Accept-Language": "th"}),              # the prefix wins over the header
], ids=["prefix", "accept-language", "prefix-wins"])
def test_api_errors_in_english_when_asked(app, people, prefix, headers):
    error = refused_create(app, people, prefix, headers)
    assert error["name"] == ["That URL is already in use."]
    assert error["last_year_of_data"] == [
        "Last year of data (Statistical data) must be a 4-digit Buddhist Era year between 2400 and 2700, "
        "e.g. 2568 (you gave “2025”); 2025 CE is 2568 BE"]
    assert_english_only(error["name"] + error["last_year_of_data"] + error["first_year_of_data"])


@pytest.mark.parametrize("header", ["fr", "xx, *;q=0.1", "th-TH,th;q=0.9", ";;;,q=" * 200])
def test_a_language_the_portal_does_not_offer_or_a_garbled_header_gets_thai(app, people, header):
    error = refused_create(app, people, headers={"Accept-Language": header})
    assert error["name"] == ["URL นี้ถูกใช้แล้ว"]
    assert_thai_only(error["last_year_of_data"])


def test_the_header_does_not_change_the_language_of_pages(app, people):
    dataset = create_dataset(**national_dataset(owner_org=people.org["id"]))
    body = app.get(f"/dataset/{dataset['name']}", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "คุณลักษณะ 10 ประการของข้อมูลเปิด" in body and "Ten properties of open data" not in body


def test_the_properties_api_speaks_the_language_asked_for(app, people):
    dataset = create_dataset(**national_dataset(owner_org=people.org["id"],
        resources=[{"url": "http://example.org/report.pdf", "format": "PDF", "name": "report"}]))
    url = "/api/3/action/opendata_th_properties_show"
    thai = app.get(url, query_string={"id": dataset["name"]}).json["result"]["properties"]
    english = app.get("/en" + url, query_string={"id": dataset["name"]}).json["result"]["properties"]
    by_key_th = {p["key"]: p for p in thai}
    by_key_en = {p["key"]: p for p in english}
    machine_th, machine_en = by_key_th["machine_readable"], by_key_en["machine_readable"]
    assert (machine_th["name"], machine_en["name"]) == ("เครื่องอ่านได้", "Machine readability")
    assert machine_th["evidence"][0]["text"] == "“report” อยู่ในรูปแบบ PDF ซึ่งเครื่องอ่านไม่ได้"
    assert machine_en["evidence"][0]["text"] == "“report” is PDF, which is not machine-readable"
    # the machine form is the same in every language
    assert machine_th["evidence"][0]["id"] == machine_en["evidence"][0]["id"]
    assert machine_th["evidence"][0]["params"] == {"name": "report", "format": "PDF"}
    assert machine_th["status"] == machine_en["status"] == "not_met"


# --- the dataset form -------------------------------------------------------------------

def form_errors(response):
    """The error summary's items and the messages under the fields."""
    assert response.status_code == 200, response.status_code
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    form = soup.find("form", id="dataset-edit")
    summary = form.find(class_="error-explanation")
    assert summary is not None, "no error summary"
    items = [li.get_text(" ", strip=True) for li in summary.find_all("li")]
    inline = [span.get_text(" ", strip=True) for span in form.select(".error-block, .invalid-feedback")]
    return items, inline


def submit_bad_form(app, people, lang):
    browser = Browser(app, people.editor, lang=lang)
    page = browser.get("/dataset/new")
    data = new_dataset_form_data(people, title="", data_type="ข้อมูลสถิติ", last_year_of_data="2025",
                                 maintainer_email="not-an-email")
    data["name"] = ""
    response = browser.submit(page, "/dataset/new", data)
    assert model.Session.query(model.Package).count() == 0
    return form_errors(response)


def test_form_errors_on_a_thai_page_are_thai_only(app, people):
    items, inline = submit_bad_form(app, people, "")
    text = " ".join(items)
    assert "ต้องเป็นปี พ.ศ. 4 หลัก" in text
    assert "ไม่ใช่อีเมลที่ถูกต้อง" in text
    for item in items + inline:
        message = item.split(":", 1)[-1]
        assert THAI.search(message) and " / " not in message, item
        assert not ENGLISH_SENTENCE.search(re.sub("“[^”]*”", "", message)), item  # quotes hold what was typed


def test_form_errors_on_an_english_page_are_english_only(app, people):
    items, inline = submit_bad_form(app, people, "en")
    text = " ".join(items)
    assert "must be a 4-digit Buddhist Era year" in text
    assert "is not a valid email address" in text
    assert "URL is required" in text
    for item in items + inline:
        assert not THAI.search(re.sub("“[^”]*”", "", item)), item


# --- the ten-property panel, as each reader sees it ------------------------------------

def panel(app, dataset, user=None):
    browser = Browser(app, user)
    body = browser.get(f"/dataset/{dataset['name']}").get_data(as_text=True)
    section = BeautifulSoup(body, "html.parser").find(id="opendata-properties")
    assert section is not None
    return section


def row(section, key):
    return section.find("tr", attrs={"data-property": key})


@pytest.fixture
def public_dataset(people):
    """Public open data with a CSV link not yet checked, no attestation, and
    no sync with data.go.th (the portal cannot compare the copies)."""
    return create_dataset(**national_dataset(owner_org=people.org["id"], resources=[national_resource()]))


def test_the_public_reads_the_score_and_neutral_not_yet_assessed(app, public_dataset):
    section = panel(app, public_dataset)
    text = section.get_text(" ", strip=True)
    score = section.find(attrs={"data-score": True})["data-score"]
    assert f"ชุดข้อมูลนี้มีคุณลักษณะของข้อมูลเปิดครบ {score} จาก 10 ประการ" in text
    accessible = row(section, "accessible")
    assert accessible.find(class_="badge").get_text(strip=True) == "ยังไม่ได้ประเมิน"
    assert "bg-light" in accessible.find(class_="badge")["class"]
    assert not section.select(".bg-warning")  # nothing orange for the public
    assert "ยังไม่ได้เปรียบเทียบกับชุดข้อมูลบน data.go.th" in accessible.get_text()
    # no advice at all, and no button: the public cannot act
    assert not section.select(".opendata-th-advice") and not section.select(".opendata-th-check-links")
    assert "ตั้งค่าการเชื่อมโยง" not in text
    assert row(section, "machine_readable").find(class_="badge").get_text(strip=True) == "ผ่าน"


def test_a_publisher_sees_what_they_can_do_but_not_the_sysadmins_settings(app, people, public_dataset):
    section = panel(app, public_dataset, people.editor)
    complete = row(section, "complete")
    assert complete.select(".opendata-th-advice-publisher")
    assert "สิ่งที่คุณทำได้:" in complete.get_text()
    assert not section.select(".opendata-th-advice-sysadmin")
    assert not row(section, "accessible").select(".opendata-th-advice")
    assert "ตั้งค่าการเชื่อมโยง" not in section.get_text()
    assert section.select(".opendata-th-check-links")
    assert not section.select(".bg-warning")


def test_a_sysadmin_is_told_to_set_up_sync(app, people, public_dataset):
    section = panel(app, public_dataset, people.sysadmin)
    advice = row(section, "accessible").select_one(".opendata-th-advice-sysadmin")
    assert advice is not None
    assert advice.get_text(" ", strip=True) == (
        "สำหรับผู้ดูแลระบบ: ตั้งค่าการเชื่อมโยงกับ data.go.th เพื่อให้พอร์ทัลเปรียบเทียบชุดข้อมูลแต่ละชุด"
        "กับชุดข้อมูลบน data.go.th ได้")
    assert row(section, "complete").select(".opendata-th-advice-publisher")  # they may edit too


def test_the_panel_in_english(app, people, public_dataset):
    browser = Browser(app, people.sysadmin, lang="en")
    body = browser.get(f"/dataset/{public_dataset['name']}").get_data(as_text=True)
    section = BeautifulSoup(body, "html.parser").find(id="opendata-properties")
    text = section.get_text(" ", strip=True)
    assert "of the 10 properties of open data" in text
    accessible = row(section, "accessible")
    assert accessible.find(class_="badge").get_text(strip=True) == "Not yet assessed"
    assert "For sysadmins: Set up synchronisation with data.go.th" in accessible.get_text(" ", strip=True)
    assert not THAI.search(re.sub("“[^”]*”", "", text.replace(public_dataset["title"], "")))
