"""The organization's data catalog (views/catalog.py, logic/action/catalog.py)
through the real CKAN app: who may list, export and import; what the
listing and the exports hold, in the DGA template's column order; the
import of XLSX and CSV files (UTF-8 with BOM, cp874) creating private
candidate datasets, or nothing at all when a row is refused; the round
trip from one organization's export to another's import."""
from __future__ import annotations

import csv
import io
import re
from types import SimpleNamespace

import openpyxl
import pytest
from bs4 import BeautifulSoup

import ckan.model as model
from ckan.tests import factories
from ckan.tests.helpers import call_action
from ckanext.activity.model import Activity

from ckanext.opendata_th import workflow as workflow_glue
from ckanext.opendata_th.playbook import catalog as rules
from ckanext.opendata_th.tests.datasets import national_dataset
from ckanext.opendata_th.tests.web import Browser

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db_once")

THAI = re.compile("[\u0e00-\u0e7f]")
_USERS: dict[str, dict] = {}

ROW = {  # one good row of the template, by header
    "ประเภทชุดข้อมูล": "ข้อมูลสถิติ",
    "ชื่อชุดข้อมูล": "สถิติผู้ส่งออกรายเดือน",
    "หน่วยงาน": "",
    "ชื่อฝ่ายงานสำหรับติดต่อ": "กองสถิติ",
    "อีเมลสำหรับติดต่อ": "stat@agency.example",
    "คำสำคัญ": "ส่งออก, สถิติ",
    "รายละเอียด": "จำนวนผู้ส่งออกรายเดือน",
    "วัตถุประสงค์": "พันธกิจหน่วยงาน, แผนงานพิเศษของกรม",
    "หน่วยความถี่ของการปรับปรุงข้อมูล": "เดือน",
    "ค่าความถี่ของการปรับปรุงข้อมูล (ความถี่น้อยที่สุด)": "๑",
    "ขอบเขตเชิงภูมิศาสตร์หรือเชิงพื้นที่": "ประเทศ",
    "แหล่งที่มา": "ระบบศุลกากร",
    "รูปแบบการเก็บข้อมูล": "CSV, XLS",
    "หมวดหมู่ข้อมูลตามธรรมาภิบาลข้อมูลภาครัฐ": "ข้อมูลสาธารณะ",
    "สัญญาอนุญาต": "Open Data Common",
}


@pytest.fixture
def users(clean_db_once):
    if not _USERS:
        _USERS.update({role: factories.UserWithToken()
                       for role in ("admin", "editor", "member", "other_admin", "stranger")})
        _USERS["sysadmin"] = factories.SysadminWithToken()
    return _USERS


_PORTAL: dict[str, object] = {}


@pytest.fixture
def portal(users):
    """An organization with an admin, an editor and a member and two private
    datasets; another organization with its admin and a private dataset.
    Made once for the module: the tests that use it create nothing in it
    (imports that succeed go to a ``target`` organization)."""
    if not _PORTAL:
        _PORTAL.update(_make_portal(users))
    return SimpleNamespace(**_PORTAL, **users)


@pytest.fixture
def target(users):
    """A new organization with the same people as ``portal``'s."""
    return factories.Organization(title="กรมปลายทางบัญชีข้อมูล", users=[
        {"name": users["admin"]["name"], "capacity": "admin"},
        {"name": users["editor"]["name"], "capacity": "editor"},
        {"name": users["member"]["name"], "capacity": "member"}])


def _make_portal(users) -> dict:
    org = factories.Organization(title="กรมทดสอบบัญชีข้อมูล", users=[
        {"name": users["admin"]["name"], "capacity": "admin"},
        {"name": users["editor"]["name"], "capacity": "editor"},
        {"name": users["member"]["name"], "capacity": "member"}])
    other = factories.Organization(users=[{"name": users["other_admin"]["name"], "capacity": "admin"}])
    sysadmin = {"user": users["sysadmin"]["name"]}
    public_data = call_action("package_create", sysadmin, **national_dataset(
        owner_org=org["id"], title="ทะเบียนผู้ส่งออก", tags=[{"name": "ส่งออก"}, {"name": "ทะเบียน"}]))
    secret = call_action("package_create", sysadmin, **national_dataset(
        owner_org=org["id"], title="บัญชีเงินเดือนบุคลากร", data_category="ข้อมูลส่วนบุคคล",
        data_classification="ลับ"))
    elsewhere = call_action("package_create", sysadmin, **national_dataset(
        owner_org=other["id"], title="ข้อมูลของหน่วยงานอื่น"))
    return dict(org=org, other=other, public_data=public_data, secret=secret, elsewhere=elsewhere)


def api(app, user, action, lang="", **data):
    prefix = f"/{lang}" if lang else ""
    headers = {"Authorization": user["token"]} if user else {}
    return app.post(f"{prefix}/api/3/action/{action}", json=data, headers=headers)


def listing(portal, user=None, **data):
    return call_action("opendata_th_catalog_list", {"user": (user or portal.member)["name"]},
                       organization_id=portal.org["id"], **data)


def csv_bytes(rows: list[dict], encoding="utf-8-sig", headers=None) -> bytes:
    headers = headers or list(ROW)
    stream = io.StringIO(newline="")
    writer = csv.writer(stream)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([row.get(h, "") for h in headers])
    return stream.getvalue().encode(encoding)


def xlsx_bytes(rows: list[dict], above: int = 0) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for _ in range(above):  # the template's title lines above its header row
        sheet.append(["บัญชีข้อมูลของหน่วยงาน"])
    sheet.append(list(ROW))
    for row in rows:
        sheet.append([row.get(h, "") for h in ROW])
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def import_file(app, user, org, content: bytes, name="catalog.csv", lang=""):
    prefix = f"/{lang}" if lang else ""
    return app.post(f"{prefix}/api/3/action/opendata_th_catalog_import",
                    data={"organization_id": org["id"], "upload": (io.BytesIO(content), name)},
                    headers={"Authorization": user["token"]}, content_type="multipart/form-data")


def titles_in(org) -> set[str]:
    model.Session.expire_all()
    return {title for (title,) in model.Session.query(model.Package.title).filter(
        model.Package.owner_org == org["id"], model.Package.state == "active")}


def row(**changes) -> dict:
    return {**ROW, **changes}


# -- who may see and do what -------------------------------------------------------

def test_members_in_every_capacity_see_the_private_datasets(portal):
    for role in ("member", "editor", "admin", "sysadmin"):
        result = listing(portal, portal.__dict__[role])
        assert {item["title"] for item in result["results"]} == {"ทะเบียนผู้ส่งออก", "บัญชีเงินเดือนบุคลากร"}
        assert result["count"] == 2


@pytest.mark.parametrize("who", [None, "stranger", "other_admin"])
def test_anonymous_and_outsiders_get_403_from_the_actions(app, portal, who):
    user = portal.__dict__[who] if who else None
    response = api(app, user, "opendata_th_catalog_list", organization_id=portal.org["id"])
    assert response.status_code == 403
    assert "บัญชีเงินเดือน" not in response.get_data(as_text=True)
    refused = import_file(app, user, portal.org, csv_bytes([row()])) if user else api(
        app, None, "opendata_th_catalog_import", organization_id=portal.org["id"], content="x")
    assert refused.status_code == 403
    assert "สถิติผู้ส่งออกรายเดือน" not in titles_in(portal.org)


def test_a_member_may_not_import(app, portal):
    response = import_file(app, portal.member, portal.org, csv_bytes([row()]))
    assert response.status_code == 403
    assert "สถิติผู้ส่งออกรายเดือน" not in titles_in(portal.org)


def test_unknown_organization_is_404(app, portal):
    response = api(app, portal.sysadmin, "opendata_th_catalog_list", organization_id="no-such-org")
    assert response.status_code == 404


@pytest.mark.parametrize("who", [None, "stranger", "other_admin"])
def test_outsiders_get_no_page_and_no_export(app, portal, who):
    browser = Browser(app, portal.__dict__[who] if who else None)
    base = f"/organization/catalog/{portal.org['name']}"
    for url in (base, f"{base}/export.csv", f"{base}/export.xlsx"):
        response = browser.get(url)
        assert response.status_code == 403, url
        assert "บัญชีเงินเดือน" not in response.get_data(as_text=True)
    # nor the tab on the organization's page
    page = browser.get(f"/organization/{portal.org['name']}")
    assert f"/organization/catalog/{portal.org['name']}" not in page.get_data(as_text=True)


# -- the listing -----------------------------------------------------------------

def test_listing_shows_category_classification_stage_priority_and_overdue(portal):
    found = workflow_glue.ensure(model.Package.get(portal.public_data["id"]), None)
    found.priority = 72.5
    model.repo.commit()
    items = {item["title"]: item for item in listing(portal)["results"]}
    data = items["ทะเบียนผู้ส่งออก"]
    assert (data["data_category"], data["data_classification"]) == ("ข้อมูลสาธารณะ", "เปิดเผย")
    assert (data["stage"], data["stage_label"]) == ("candidate", "สำรวจแล้ว")
    assert data["priority"] == 72.5 and data["private"] is True
    assert data["overdue"] is False
    secret = items["บัญชีเงินเดือนบุคลากร"]
    assert (secret["data_category"], secret["data_classification"]) == ("ข้อมูลส่วนบุคคล", "ลับ")
    assert secret["priority"] is None


def test_listing_filters(portal):
    assert [i["title"] for i in listing(portal, data_category="ข้อมูลส่วนบุคคล")["results"]] == [
        "บัญชีเงินเดือนบุคลากร"]
    assert [i["title"] for i in listing(portal, q="ผู้ส่งออก")["results"]] == ["ทะเบียนผู้ส่งออก"]
    assert listing(portal, stage="candidate")["count"] == 2
    assert listing(portal, stage="published")["count"] == 0
    assert listing(portal, overdue="true")["count"] == 0
    assert listing(portal, overdue="false")["count"] == 2
    # lucene syntax in the text is read as words, never a 500
    assert listing(portal, q='ผู้ส่งออก") OR (*:*')["count"] >= 0
    page = listing(portal, limit=1, offset=1)
    assert page["count"] == 2 and len(page["results"]) == 1


@pytest.mark.parametrize("field, value", [
    ("stage", "approved"), ("data_category", "ข้อมูลลับ"), ("overdue", "maybe"),
    ("limit", "1001"), ("limit", "-1"), ("offset", "x"), ("q", "ก" * 201)],
    ids=["stage", "category", "overdue", "limit-high", "limit-negative", "offset", "q-long"])
def test_bad_filters_are_refused_in_thai(app, portal, field, value):
    response = api(app, portal.member, "opendata_th_catalog_list",
                   organization_id=portal.org["id"], **{field: value})
    assert response.status_code == 409
    error = response.json["error"]
    assert field in error and THAI.search(error[field][0])


# -- the exports ----------------------------------------------------------------

def test_csv_export_has_the_template_columns_in_order(app, portal):
    response = Browser(app, portal.member).get(f"/organization/catalog/{portal.org['name']}/export.csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    data = response.get_data()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == [
        "ประเภทชุดข้อมูล", "ชื่อชุดข้อมูล", "หน่วยงาน", "ชื่อฝ่ายงานสำหรับติดต่อ", "อีเมลสำหรับติดต่อ",
        "คำสำคัญ", "รายละเอียด", "วัตถุประสงค์", "หน่วยความถี่ของการปรับปรุงข้อมูล",
        "ค่าความถี่ของการปรับปรุงข้อมูล (ความถี่น้อยที่สุด)", "ขอบเขตเชิงภูมิศาสตร์หรือเชิงพื้นที่",
        "แหล่งที่มา", "รูปแบบการเก็บข้อมูล", "หมวดหมู่ข้อมูลตามธรรมาภิบาลข้อมูลภาครัฐ", "สัญญาอนุญาต",
        "ระดับชั้นข้อมูล", "ขั้นตอน", "ลำดับความสำคัญ", "เลยกำหนดปรับปรุง"]
    by_title = {r[1]: r for r in rows[1:]}
    assert set(by_title) == {"ทะเบียนผู้ส่งออก", "บัญชีเงินเดือนบุคลากร"}
    data_row = by_title["ทะเบียนผู้ส่งออก"]
    assert data_row[0] == "ข้อมูลระเบียน"
    assert data_row[2] == "กรมทดสอบบัญชีข้อมูล"
    assert set(data_row[5].split(", ")) == {"ส่งออก", "ทะเบียน"}
    assert data_row[7:10] == ["พันธกิจหน่วยงาน", "ปี", "1"]
    assert data_row[12:16] == ["CSV", "ข้อมูลสาธารณะ", "Open Data Common", "เปิดเผย"]
    assert data_row[16] == "สำรวจแล้ว"


def test_xlsx_export_with_a_filter(app, portal):
    response = Browser(app, portal.editor).get(
        f"/organization/catalog/{portal.org['name']}/export.xlsx?data_category=ข้อมูลส่วนบุคคล")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.get_data())).worksheets[0]
    rows = [[c if c is not None else "" for c in r] for r in sheet.iter_rows(values_only=True)]
    assert rows[0] == rules.headers()
    assert [r[1] for r in rows[1:]] == ["บัญชีเงินเดือนบุคลากร"]
    assert rows[1][13:16] == ["ข้อมูลส่วนบุคคล", "Open Data Common", "ลับ"]


def test_a_text_that_looks_like_a_formula_stays_text(app, portal, target):
    call_action("package_create", {"user": portal.sysadmin["name"]}, **national_dataset(
        owner_org=target["id"], title="=HYPERLINK(\"http://evil.example\")", data_source="@SUM(A1)"))
    browser = Browser(app, portal.member)
    base = f"/organization/catalog/{target['name']}"
    text = browser.get(f"{base}/export.csv").get_data().decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "'@SUM(A1)" in text
    sheet = openpyxl.load_workbook(io.BytesIO(browser.get(f"{base}/export.xlsx").get_data())).worksheets[0]
    for start in ("=HYPERLINK", "@SUM"):  # neither run on opening nor once the cell is edited
        cell = next(c for r in sheet.iter_rows() for c in r if str(c.value).startswith(start))
        assert cell.data_type == "s" and cell.quotePrefix, start
    assert rules.read_table(text.encode("utf-8"), max_rows=10).rows  # and it reads back
    titles = [r.fields.get("title") for r in rules.read_rows(rules.read_table(text.encode(), max_rows=10))]
    assert '=HYPERLINK("http://evil.example")' in titles


# -- the import --------------------------------------------------------------------

def _check_imported(org, title="สถิติผู้ส่งออกรายเดือน"):
    model.Session.expire_all()
    package = model.Session.query(model.Package).filter_by(owner_org=org["id"], title=title).one()
    dataset = call_action("package_show", id=package.id)
    assert dataset["private"] is True
    assert workflow_glue.record(package.id).stage == "candidate"
    return dataset


def test_import_csv_with_bom_creates_private_candidates(app, portal, target):
    response = import_file(app, portal.editor, target, csv_bytes([row()]))
    assert response.status_code == 200, response.get_data(as_text=True)
    report = response.json["result"]
    assert [(c["row"], c["title"]) for c in report["created"]] == [(2, "สถิติผู้ส่งออกรายเดือน")]
    assert report["refused"] == []
    dataset = _check_imported(target)
    assert dataset["data_type"] == "ข้อมูลสถิติ"
    assert sorted(t["name"] for t in dataset["tags"]) == sorted(["ส่งออก", "สถิติ"])
    assert dataset["objective"] == ["พันธกิจหน่วยงาน", "อื่นๆ"]
    assert dataset["objective_other"] == "แผนงานพิเศษของกรม"
    assert dataset["update_frequency_interval"] == "1"
    assert dataset["data_format"] == ["CSV", "XLS"]
    assert dataset["data_category"] == "ข้อมูลสาธารณะ"


def test_import_cp874_csv_and_content_text(app, portal, target):
    titles = ("สถิติแบบรหัส874", "สถิติแบบข้อความ")
    content = csv_bytes([row(**{"ชื่อชุดข้อมูล": titles[0], "หน่วยงาน": target["title"]})],
                        encoding="cp874")
    assert import_file(app, portal.admin, target, content).status_code == 200
    text = csv_bytes([row(**{"ชื่อชุดข้อมูล": titles[1], "หน่วยงาน": target["name"]})]).decode("utf-8-sig")
    response = api(app, portal.sysadmin, "opendata_th_catalog_import", organization_id=target["id"],
                   content=text)
    assert response.status_code == 200, response.get_data(as_text=True)
    for title in titles:
        _check_imported(target, title)


def test_import_xlsx_with_title_lines_above_the_headers(app, portal, target):
    rows = [row(**{"ชื่อชุดข้อมูล": f"ชุดข้อมูลจากไฟล์ Excel {n}"}) for n in range(3)]
    response = import_file(app, portal.editor, target, xlsx_bytes(rows, above=2), name="catalog.xlsx")
    assert response.status_code == 200, response.get_data(as_text=True)
    assert [c["row"] for c in response.json["result"]["created"]] == [4, 5, 6]
    for n in range(3):
        _check_imported(target, f"ชุดข้อมูลจากไฟล์ Excel {n}")


def test_a_bad_row_among_good_ones_creates_nothing(app, portal):
    rows = [row(**{"ชื่อชุดข้อมูล": "ชุดดีหนึ่ง"}),
            row(**{"ชื่อชุดข้อมูล": "ชุดเสีย", "หมวดหมู่ข้อมูลตามธรรมาภิบาลข้อมูลภาครัฐ": "ข้อมูลลับสุด",
                   "อีเมลสำหรับติดต่อ": "not-an-email"}),
            row(**{"ชื่อชุดข้อมูล": "ชุดดีสอง"}),
            row(**{"ชื่อชุดข้อมูล": "ชุดหน่วยงานอื่น", "หน่วยงาน": "กรมอื่น"}),
            row(**{"ชื่อชุดข้อมูล": "ทะเบียนผู้ส่งออก"}),  # already in the organization
            row(**{"ชื่อชุดข้อมูล": "ชุดดีหนึ่ง"})]       # twice in the file
    before = titles_in(portal.org)
    activities = model.Session.query(Activity).count()
    response = import_file(app, portal.editor, portal.org, csv_bytes(rows))
    assert response.status_code == 409
    error = response.json["error"]
    assert error["created"] == []
    refused = {item["row"]: item for item in error["refused"]}
    assert set(refused) == {3, 5, 6, 7}
    assert set(refused[3]["errors"]) == {"data_category", "maintainer_email"}
    assert "ข้อมูลลับสุด" in refused[3]["errors"]["data_category"][0]
    assert "กรมอื่น" in refused[5]["errors"]["owner_org"][0]
    assert "ทะเบียนผู้ส่งออก" in refused[6]["errors"]["title"][0]
    assert "2" in refused[7]["errors"]["title"][0]
    assert all(THAI.search(text) for item in refused.values() for texts in item["errors"].values()
               for text in texts)
    assert THAI.search(error["message"][0])
    # nothing was created, not even the good rows, nor their history
    assert titles_in(portal.org) == before
    assert model.Session.query(Activity).count() == activities
    search = call_action("package_search", {"user": portal.sysadmin["name"]}, q="ชุดดีหนึ่ง",
                         include_private=True)
    assert search["count"] == 0


def test_refused_rows_in_english(app, portal):
    content = csv_bytes([row(**{"ชื่อชุดข้อมูล": "ชุดภาษาอังกฤษ",
                                "หน่วยความถี่ของการปรับปรุงข้อมูล": "",
                                "ประเภทชุดข้อมูล": "Weird"})])
    response = import_file(app, portal.editor, portal.org, content, lang="en")
    assert response.status_code == 409
    errors = response.json["error"]["refused"][0]["errors"]
    assert "Weird" in errors["data_type"][0] and "choices" in errors["data_type"][0]


@pytest.mark.parametrize("content, name, words", [
    (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "catalog.csv", ".xlsx"),
    (b"PK\x03\x04 this is no workbook", "catalog.xlsx", ".xlsx"),
    ("ชื่อ,อีเมล\nก,ข\n".encode(), "catalog.csv", "ชื่อชุดข้อมูล"),
    (csv_bytes([]), "catalog.csv", ""),
], ids=["binary", "broken-xlsx", "wrong-headers", "no-rows"])
def test_a_bad_file_is_refused_with_a_clear_message(app, portal, content, name, words):
    before = titles_in(portal.org)
    response = import_file(app, portal.editor, portal.org, content, name=name)
    assert response.status_code == 409
    message = response.json["error"]["upload"][0]
    assert THAI.search(message) and words in message
    assert titles_in(portal.org) == before


@pytest.mark.ckan_config("ckanext.opendata_th.catalog.import_max_rows", "2")
def test_too_many_rows_is_refused(app, portal):
    rows = [row(**{"ชื่อชุดข้อมูล": f"ชุดเกิน {n}"}) for n in range(3)]
    response = import_file(app, portal.editor, portal.org, csv_bytes(rows))
    assert response.status_code == 409
    assert "2" in response.json["error"]["upload"][0]
    assert "ชุดเกิน 0" not in titles_in(portal.org)


@pytest.mark.ckan_config("ckanext.opendata_th.catalog.import_max_size", "1000")
def test_too_large_a_file_is_refused(app, portal):
    rows = [row(**{"ชื่อชุดข้อมูล": f"ชุดใหญ่ {n}"}) for n in range(10)]
    response = import_file(app, portal.editor, portal.org, csv_bytes(rows))
    assert response.status_code == 409
    assert THAI.search(response.json["error"]["upload"][0])
    assert "ชุดใหญ่ 0" not in titles_in(portal.org)


def test_export_then_import_into_another_organization_makes_the_same_datasets(app, portal, target):
    # an agency moving its catalog: the organization has the same title on the new portal
    source_org = target
    target_admin = factories.UserWithToken()
    target = factories.Organization(title=source_org["title"], users=[
        {"name": target_admin["name"], "capacity": "admin"}])
    for dataset in (portal.public_data, portal.secret):  # copies of the portal's two datasets
        copy = {k: v for k, v in call_action("package_show", id=dataset["id"]).items()
                if k not in ("id", "name", "owner_org", "organization", "resources", "groups")}
        call_action("package_create", {"user": portal.sysadmin["name"]}, **{**copy, "owner_org": source_org["id"]})
    call_action("package_create", {"user": portal.sysadmin["name"]}, **national_dataset(
        owner_org=source_org["id"], title="ชุดข้อมูลประเภทอื่น", data_type="ข้อมูลประเภทอื่นๆ",
        data_type_other="ข้อมูลภาพถ่าย", geo_coverage="อื่นๆ", geo_coverage_other="ลุ่มน้ำเจ้าพระยา",
        data_format=["CSV", "อื่นๆ"], data_format_other="Parquet"))
    exported = Browser(app, portal.admin).get(f"/organization/catalog/{source_org['name']}/export.xlsx")
    response = import_file(app, target_admin, target, exported.get_data(), name="catalog.xlsx")
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.json["result"]["ignored_columns"] == []
    fields = [key for key in rules.IMPORTED if key != rules.ORGANIZATION] + [
        "data_type_other", "geo_coverage_other", "data_format_other", "objective_other"]
    source = {d["title"]: d for d in listing_for(portal.admin, source_org)["results"]}
    assert len(source) == 3
    copies = {d["title"]: d for d in listing_for(target_admin, target)["results"]}
    assert set(copies) == set(source)
    for title in source:
        original = call_action("package_show", id=source[title]["id"])
        copy = call_action("package_show", id=copies[title]["id"])
        assert copy["private"] is True and copy["owner_org"] == target["id"]
        for key in fields:
            assert copy.get(key) == original.get(key), (title, key)
        assert sorted(t["name"] for t in copy["tags"]) == sorted(t["name"] for t in original["tags"])


def listing_for(user, org):
    return call_action("opendata_th_catalog_list", {"user": user["name"]}, organization_id=org["id"])


# -- the page ------------------------------------------------------------------------

def test_page_in_thai_for_an_editor_with_filters_and_import_form(app, portal):
    browser = Browser(app, portal.editor)
    response = browser.get(f"/organization/catalog/{portal.org['name']}?data_category=ข้อมูลส่วนบุคคล")
    assert response.status_code == 200
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert soup.select_one(".opendata-catalog h1").get_text(strip=True) == "บัญชีข้อมูล"
    rows = soup.select("tr.catalog-dataset")
    assert [r.find("a").get_text(strip=True) for r in rows] == ["บัญชีเงินเดือนบุคลากร"]
    assert "ลับ" in rows[0].get_text() and "สำรวจแล้ว" in rows[0].get_text()
    assert soup.select_one("select[name=data_category] option[selected]")["value"] == "ข้อมูลส่วนบุคคล"
    assert soup.select_one("form[enctype='multipart/form-data'] input[name=upload]")
    assert "export.xlsx?data_category=" in response.get_data(as_text=True)
    # the organization page has the tab
    assert f"/organization/catalog/{portal.org['name']}" in browser.get(
        f"/organization/{portal.org['name']}").get_data(as_text=True)


def test_page_for_a_member_has_no_import_form(app, portal):
    response = Browser(app, portal.member).get(f"/organization/catalog/{portal.org['name']}")
    assert response.status_code == 200
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert len(soup.select("tr.catalog-dataset")) == 2
    assert soup.select_one("input[name=upload]") is None


def test_import_through_the_form_shows_the_report(app, portal, target):
    browser = Browser(app, portal.editor)
    url = f"/organization/catalog/{target['name']}"
    page = browser.get(url)
    bad = csv_bytes([row(**{"ชื่อชุดข้อมูล": "ชุดจากฟอร์ม"}),
                     row(**{"ชื่อชุดข้อมูล": "ชุดจากฟอร์มเสีย", "อีเมลสำหรับติดต่อ": ""})])
    response = browser.submit(page, f"{url}/import", {"upload": (io.BytesIO(bad), "catalog.csv")})
    assert response.status_code == 409
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    refused = soup.select("tr.catalog-refused-row")
    assert len(refused) == 1 and "3" in refused[0].get_text() and "อีเมลสำหรับติดต่อ" in refused[0].get_text()
    assert "ชุดจากฟอร์ม" not in titles_in(target)
    good = csv_bytes([row(**{"ชื่อชุดข้อมูล": "ชุดจากฟอร์ม"})])
    response = browser.submit(page, f"{url}/import", {"upload": (io.BytesIO(good), "catalog.csv")})
    assert response.status_code == 200
    assert "ชุดจากฟอร์ม" in BeautifulSoup(response.get_data(as_text=True), "html.parser").select_one(
        ".catalog-import-created").get_text()
    _check_imported(target, "ชุดจากฟอร์ม")


def test_import_form_without_csrf_token_is_refused(app, portal):
    browser = Browser(app, portal.editor)
    response = browser.client.post(f"/organization/catalog/{portal.org['name']}/import",
                                   data={"upload": (io.BytesIO(csv_bytes([row()])), "catalog.csv")})
    assert response.status_code in (400, 403)
    assert "สถิติผู้ส่งออกรายเดือน" not in titles_in(portal.org)


def test_the_page_never_writes(app, portal):
    browser = Browser(app, portal.member)
    before = model.Session.query(model.Package).count()
    assert browser.get(f"/organization/catalog/{portal.org['name']}").status_code == 200
    assert browser.get(f"/organization/catalog/{portal.org['name']}/import").status_code in (404, 405)
    model.Session.expire_all()
    assert model.Session.query(model.Package).count() == before
