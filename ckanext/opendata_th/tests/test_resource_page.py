"""Resource and dataset pages show what applies: only the fields of the
dataset's data type that have a value (no map fields on a statistical file),
the update frequency as one phrase, and the state only when it is not simply
active. Values a data type does not have cannot be saved through the form or
the API, but a harvested copy or a dataset whose data type changed can still
hold them: those are written straight into the database here."""
import pytest
from bs4 import BeautifulSoup

import ckan.model as model
from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.opendata_th.playbook import national_schema as ns
from ckanext.opendata_th.tests.datasets import create_dataset, national_dataset, national_resource

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db")

STATISTICAL = ns.DATA_TYPES[1]
MAP_FIELDS = [name for name, field in ns.FIELDS["resource"].items() if STATISTICAL not in field.data_types]


def table(body, heading=None):
    """{label: value} of the rows of the page's additional-info table."""
    soup = BeautifulSoup(body, "html.parser")
    found = soup.select_one("section.additional-info table") if heading is None else next(
        h2.find_next("table") for h2 in soup.find_all("h2") if h2.get_text(strip=True) == heading)
    return {row.th.get_text(" ", strip=True): row.td.get_text(" ", strip=True)
            for row in found.select("tbody tr") if row.th and row.td}


@pytest.fixture
def sysadmin():
    return factories.Sysadmin()


@pytest.fixture
def statistical(sysadmin):
    """A statistical dataset updated every month, with one CSV file whose
    record gained the map fields of a geospatial copy."""
    org = factories.Organization()
    dataset = create_dataset( {"user": sysadmin["name"]}, **national_dataset(
        name="export-value", owner_org=org["id"], data_type=STATISTICAL,
        update_frequency_unit="เดือน", update_frequency_interval="1",
        resources=[national_resource(resource_first_year_of_data="2560", resource_unit_of_measure="บาท")]))
    resource = model.Resource.get(dataset["resources"][0]["id"])
    resource.extras = {**resource.extras, "resource_geographic_data_set": "ชั้นข้อมูลป่าไม้",
                       "resource_equivalent_scale": "1:4,000", "resource_positional_accuracy": "5 m",
                       "resource_data_release_date": "2026-01-01", "resource_data_collect": "บุคคล"}
    model.Session.commit()
    shown = call_action("package_show", id="export-value")
    assert shown["resources"][0]["resource_geographic_data_set"] == "ชั้นข้อมูลป่าไม้"  # the record holds it
    return shown


def resource_url(dataset, lang=""):
    return f"{'/' + lang if lang else ''}/dataset/{dataset['name']}/resource/{dataset['resources'][0]['id']}"


def test_statistical_resource_page_shows_its_fields_and_no_map_fields(app, statistical):
    thai = table(app.get(resource_url(statistical)).body, "ข้อมูลเพิ่มเติม")
    assert thai["ปีข้อมูลที่เริ่มต้นจัดทำ"] == "2560"
    assert thai["หน่วยวัด"] == "บาท"
    for name in MAP_FIELDS:
        label = ns.FIELDS["resource"][name].label_th
        assert label not in thai, f"{name} ({label}) shown on a statistical resource"
    assert "ชั้นข้อมูลป่าไม้" not in " ".join(thai.values())
    # empty fields of the data type have no row (last year of data, disaggregation, ...)
    assert "ปีข้อมูลล่าสุดที่เผยแพร่" not in thai and "การจัดจำแนก" not in thai
    assert all(value for value in thai.values()), thai
    # no raw rows of stored keys ("datastore active", "package id", ...)
    assert not [label for label in thai if "_" in label or label.isascii()], thai


def test_frequency_is_one_phrase_on_the_resource_page(app, statistical):
    thai = table(app.get(resource_url(statistical)).body, "ข้อมูลเพิ่มเติม")
    assert thai["ความถี่ของการปรับปรุงข้อมูล"] == "ทุก 1 เดือน"
    english = table(app.get(resource_url(statistical, "en")).body, "Additional Information")
    assert english["Update frequency"] == "every 1 month"
    assert "เดือน" not in " ".join(english.values())


def test_frequency_is_one_phrase_on_the_dataset_page(app, statistical, sysadmin):
    thai = table(app.get("/dataset/export-value").body)
    assert thai["ความถี่ของการปรับปรุงข้อมูล"] == "ทุก 1 เดือน"
    for field in ("update_frequency_unit", "update_frequency_interval", "update_frequency_time",
                  "update_frequency_unit_other"):
        assert ns.FIELDS["dataset"][field].label_th not in thai
    english = table(app.get("/en/dataset/export-value").body)
    assert english["Update frequency"] == "every 1 month"
    assert "Update Frequency Unit" not in english and "Update Frequency Interval" not in english


@pytest.mark.parametrize("fields, thai, english", [
    ({"update_frequency_unit": "ปี", "update_frequency_interval": "2"}, "ทุก 2 ปี", "every 2 years"),
    ({"update_frequency_unit": "วัน", "update_frequency_interval": "1", "update_frequency_time": "09:00"},
     "ทุก 1 วัน เวลา 09:00 น.", "every 1 day at 09:00"),
    ({"update_frequency_unit": "ชั่วโมง", "update_frequency_interval": "6", "update_frequency_time": "08:00"},
     "ทุก 6 ชั่วโมง เริ่มเวลา 08:00 น.", "every 6 hours from 08:00"),
    ({"update_frequency_unit": "ไม่มีการปรับปรุงหลังจากการจัดเก็บข้อมูล"},
     "ไม่มีการปรับปรุงหลังจากการจัดเก็บข้อมูล", "Never updated after collection"),
    ({"update_frequency_unit": "อื่นๆ", "update_frequency_unit_other": "ต้นปีงบประมาณ"},
     "ต้นปีงบประมาณ", "ต้นปีงบประมาณ"),
])
def test_each_kind_of_frequency_reads_as_a_phrase(app, sysadmin, fields, thai, english):
    org = factories.Organization()
    create_dataset( {"user": sysadmin["name"]},
                **national_dataset(name="phrased", owner_org=org["id"], **fields))
    assert table(app.get("/dataset/phrased").body)["ความถี่ของการปรับปรุงข้อมูล"] == thai
    assert table(app.get("/en/dataset/phrased").body)["Update frequency"] == english


def test_state_is_shown_only_when_not_active(app, statistical, sysadmin):
    headers = {"Authorization": factories.APIToken(user=sysadmin["name"])["token"]}
    active = table(app.get("/dataset/export-value", headers=headers).body)
    assert "สถานะ" not in active and "สภาพ" not in active
    assert "active" not in " ".join(active.values())
    call_action("package_patch", {"user": sysadmin["name"]}, id="export-value", state="draft")
    draft = table(app.get("/dataset/export-value", headers=headers).body)
    assert draft["สถานะ"] == "ร่าง"
    assert table(app.get("/en/dataset/export-value", headers=headers).body)["State"] == "Draft"


def test_dataset_page_leaves_out_fields_of_other_data_types(app, statistical):
    package = model.Package.get("export-value")
    package.extras = {**package.extras, "west_bound_longitude": "97.3", "data_support": "หน่วยงานของรัฐ"}
    model.Session.commit()
    thai = table(app.get("/dataset/export-value").body)
    assert ns.FIELDS["dataset"]["west_bound_longitude"].label_th not in thai
    assert ns.FIELDS["dataset"]["data_support"].label_th not in thai
    assert thai["ประเภทชุดข้อมูล"] == STATISTICAL


def test_odd_harvested_values_still_render(app, statistical):
    # a page never fails on values the form would refuse: they are shown as they are
    package = model.Package.get("export-value")
    package.extras = {**package.extras, "update_frequency_interval": "บ่อยๆ", "update_frequency_unit": "รายเดือน"}
    resource = model.Resource.get(statistical["resources"][0]["id"])
    resource.extras = {**resource.extras, "resource_first_year_of_data": "ปีที่แล้ว"}
    resource.last_modified = None
    model.Session.commit()
    page = app.get(resource_url(statistical))
    assert page.status_code == 200
    thai = table(page.body, "ข้อมูลเพิ่มเติม")
    assert thai["ความถี่ของการปรับปรุงข้อมูล"] == "รายเดือน"
    assert thai["ปีข้อมูลที่เริ่มต้นจัดทำ"] == "ปีที่แล้ว"
    assert app.get("/dataset/export-value").status_code == 200


def test_private_dataset_resource_page_stays_hidden(app, sysadmin):
    org = factories.Organization()
    other_admin = factories.User()
    factories.Organization(users=[{"name": other_admin["name"], "capacity": "admin"}])
    dataset = create_dataset( {"user": sysadmin["name"]}, **national_dataset(
        name="internal", owner_org=org["id"], private=True, resources=[national_resource()]))
    url = resource_url(dataset)
    assert app.get(url).status_code == 404
    token = factories.APIToken(user=other_admin["name"])["token"]
    assert app.get(url, headers={"Authorization": token}).status_code == 404
