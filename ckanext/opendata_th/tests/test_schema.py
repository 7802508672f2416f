"""The national dataset schema through CKAN's action API and web form.

Every field of schemas/dataset.yaml is validated on the server: valid values
are stored as thai_gdc stores them, invalid ones are refused with a message
in the portal's language (Thai) under the field's key, and a refused create or update
changes nothing.
"""
import json
import re

import pytest

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.opendata_th.playbook import frequency
from ckanext.opendata_th.playbook import national_schema as ns
from ckanext.opendata_th.playbook.national_schema import FIELDS
from ckanext.opendata_th.tests.datasets import national_dataset, national_resource

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db_once")

RECORD, STATISTICAL, GEOSPATIAL, MIXED, OTHER_TYPE = ns.DATA_TYPES
NOT_A_CHOICE = "ไม่มีในรายการ"


@pytest.fixture
def site_user():
    return call_action("get_site_user")


@pytest.fixture
def org():
    """One organization for the module's datasets (the database is cleaned once)."""
    try:
        return call_action("organization_show", id="national-schema")
    except tk.ObjectNotFound:
        return factories.Organization(name="national-schema")


@pytest.fixture
def create(org, site_user):
    """package_create of a valid national dataset with ``fields`` changed."""
    def create(**fields):
        return call_action("package_create", {"user": site_user["name"]},
                           **national_dataset(owner_org=org["id"], **fields))
    return create


def package_count():
    return model.Session.query(model.Package).count()


@pytest.fixture
def refused(org, site_user):
    """The error dict of a package_create that must fail and store nothing."""
    def refused(**fields):
        before = package_count()
        with pytest.raises(tk.ValidationError) as info:
            call_action("package_create", {"user": site_user["name"]},
                        **national_dataset(owner_org=org["id"], **fields))
        assert package_count() == before
        return info.value.error_dict
    return refused


def assert_thai(messages):
    """Refusals are in the portal's language, Thai (call_action runs outside
    a request), and in Thai only: no English sentence beside them."""
    assert messages, "no error message"
    for message in messages:
        assert re.search("[\u0e00-\u0e7f]{4}", message), message
        assert " / " not in message, message
        assert not re.search(r"\b(is|are) (required|not among)|\bmust (be|use)\b|\bat least\b", message), message


def field_errors(error_dict, level, name):
    """The messages of one dataset or (first) resource field."""
    if level == "dataset":
        return error_dict.get(name)
    resource_errors = [errors for errors in error_dict.get("resources", []) if errors]
    return resource_errors[0].get(name) if resource_errors else None


def a_data_type_of(*fields):
    """The first data type that all ``fields`` apply to."""
    return next(t for t in ns.DATA_TYPES if all(t in f.data_types for f in fields))


def with_value(field, value):
    """Dataset fields that set ``field`` (dataset or resource) to ``value``."""
    fields = {"data_type": a_data_type_of(field)}
    if field.level == "dataset":
        fields[field.name] = value
    else:
        fields["resources"] = [national_resource(**{field.name: value})]
    return fields


def stored(dataset, field):
    return dataset[field.name] if field.level == "dataset" else dataset["resources"][0][field.name]


def field_id(field):
    return f"{field.level}.{field.name}"


SINGLE_CHOICE = [f for fields in FIELDS.values() for f in fields.values() if f.choices and not f.multiple]
MULTIPLE_CHOICE = [f for fields in FIELDS.values() for f in fields.values() if f.multiple]


# --- a complete dataset ------------------------------------------------------------

def test_a_valid_dataset_is_stored_as_the_national_catalogs_store_it(create):
    dataset = create(
        data_type=STATISTICAL, allow_harvest=True, data_language=["อังกฤษ", "ไทย"],
        update_frequency_interval="๓", first_year_of_data="๒๕๖๖", last_year_of_data="2568",
        disaggregate="เพศ", last_updated_date="2025-12-31", opendata_attest_complete="True",
        tag_string="การค้า,ส่งออก", resources=[national_resource(resource_last_year_of_data="2568")],
    )
    shown = call_action("package_show", id=dataset["id"])
    assert shown["allow_harvest"] == "True"
    assert shown["objective"] == ["พันธกิจหน่วยงาน"]
    assert shown["data_format"] == ["CSV"]
    assert shown["data_language"] == ["ไทย", "อังกฤษ"]  # the form's order
    assert shown["disaggregate"] == ["เพศ"]
    assert shown["update_frequency_interval"] == "3"
    assert (shown["first_year_of_data"], shown["last_year_of_data"]) == ("2566", "2568")
    assert shown["last_updated_date"] == "2025-12-31"
    assert shown["opendata_attest_complete"] == "True"
    assert shown["accessible_condition"] == "ไม่มีการจำกัดการเข้าถึงข้อมูล"
    assert {tag["name"] for tag in shown["tags"]} == {"การค้า", "ส่งออก"}
    assert shown["resources"][0]["resource_last_year_of_data"] == "2568"
    # multi-choice fields are stored as JSON lists, as thai_gdc stores them
    extras = model.Package.get(dataset["id"]).extras  # a dict on CKAN 2.11 and 2.12
    assert extras["data_language"] == json.dumps(["ไทย", "อังกฤษ"])  # ASCII escapes, as scheming


def test_package_show_output_updates_unchanged(create, site_user):
    dataset = create(data_type=GEOSPATIAL, geographic_data_set="ชั้นข้อมูลป่าไม้",
                     data_release_date="2025-06-01", resources=[national_resource()])
    shown = call_action("package_show", id=dataset["id"])
    again = call_action("package_update", {"user": site_user["name"]}, **shown)
    for level, before, after in [("dataset", shown, again),
                                 ("resource", shown["resources"][0], again["resources"][0])]:
        assert {name: after.get(name) for name in FIELDS[level]} == \
            {name: before.get(name) for name in FIELDS[level]}


# --- every choice is validated ------------------------------------------------------

def a_valid_choice(field):
    return next(c for c in field.choices if c not in (ns.OTHER, ns.OTHER_DATA_TYPE))


@pytest.mark.parametrize("field", SINGLE_CHOICE, ids=field_id)
def test_single_choice_fields_store_their_choices_only(create, refused, field):
    value = a_valid_choice(field)
    assert stored(create(**with_value(field, value)), field) == value
    assert_thai(field_errors(refused(**with_value(field, NOT_A_CHOICE)), field.level, field.name))


@pytest.mark.parametrize("field", MULTIPLE_CHOICE, ids=field_id)
def test_multiple_choice_fields_round_trip_as_lists_of_their_choices(create, refused, field):
    first, second = [c for c in field.choices if c != ns.OTHER][:2]
    assert stored(create(**with_value(field, [second, first])), field) == [first, second]
    assert stored(create(**with_value(field, first)), field) == [first]
    errors = field_errors(refused(**with_value(field, [first, NOT_A_CHOICE])), field.level, field.name)
    assert_thai(errors)
    assert NOT_A_CHOICE in errors[0]


def test_booleans_are_the_strings_true_and_false(create, refused):
    assert create(allow_harvest=False)["allow_harvest"] == "False"
    assert create(opendata_attest_primary="True")["opendata_attest_primary"] == "True"
    assert_thai(refused(allow_harvest="yes")["allow_harvest"])


# --- required fields ---------------------------------------------------------------

REQUIRED = [f for f in FIELDS["dataset"].values() if f.required and f.name not in ("name", "tag_string")]


def test_required_fields(refused):
    for field in REQUIRED:
        assert_thai(refused(**{field.name: ""}).get(field.name))
    for name in ("url", "name"):
        assert_thai(field_errors(refused(resources=[national_resource(**{name: ""})]), "resource", name))


def test_at_least_one_tag_is_required_and_thai_tags_are_welcome(create, refused):
    assert_thai(refused(tags=[])["tag_string"])
    assert [tag["name"] for tag in create(tags=[{"name": "ท่าเรือ"}])["tags"]] == ["ท่าเรือ"]
    # the web form sends tag_string
    assert [tag["name"] for tag in create(tags=[], tag_string="ท่าเรือ")["tags"]] == ["ท่าเรือ"]
    assert_thai(refused(tags=[], tag_string="ท่าเรือ!")["tag_string"])


def test_dataset_names_are_at_most_70_characters(create, refused):
    assert create(name="a" * 70)["name"] == "a" * 70
    assert_thai(refused(name="a" * 71)["name"])


OTHER_FIELDS = [
    f for fields in FIELDS.values() for f in fields.values()
    if f.name.endswith("_other") and f.name != "data_type_other"
]


def parent_of(field):
    return FIELDS[field.level][field.name.removesuffix("_other")]


@pytest.mark.parametrize("field", OTHER_FIELDS, ids=field_id)
def test_other_text_is_required_with_the_other_choice(create, refused, field):
    parent = parent_of(field)
    other = [ns.OTHER] if parent.multiple else ns.OTHER
    data_type = a_data_type_of(field, parent)
    values = {parent.name: other}
    if field.level == "dataset":
        errors = refused(data_type=data_type, **values)
    else:
        errors = refused(data_type=data_type, resources=[national_resource(**values)])
    assert_thai(field_errors(errors, field.level, field.name))

    values[field.name] = "ระบุเอง"
    if field.level == "dataset":
        dataset = create(data_type=data_type, **values)
    else:
        dataset = create(data_type=data_type, resources=[national_resource(**values)])
    assert stored(dataset, field) == "ระบุเอง"


# --- data types ----------------------------------------------------------------------

STATISTICAL_FIELDS = {
    "first_year_of_data": "2566", "last_year_of_data": "2568", "disaggregate": ["เพศ"],
    "unit_of_measure": "คน", "unit_of_multiplier": "พัน", "calculation_method": "ผลรวม",
    "standard": "ISIC Rev.4", "official_statistics": "True", "data_release_calendar": "2026-01-15",
}
GEOSPATIAL_FIELDS = {
    "geographic_data_set": "ชั้นข้อมูลป่าไม้", "equivalent_scale": "1:50,000",
    "west_bound_longitude": "97.3", "east_bound_longitude": "105.7",
    "north_bound_longitude": "20.5", "south_bound_longitude": "5.6",
    "positional_accuracy": "10 เมตร", "reference_period": "2567", "data_release_date": "2025-06-01",
}
RECORD_FIELDS = {
    "data_support": "หน่วยงานของรัฐ", "data_collect": "บุคคล", "created_date": "2024-01-01",
    "high_value_dataset": "True", "reference_data": "False",
}
STATISTICAL_RESOURCE_FIELDS = {
    "resource_first_year_of_data": "2566", "resource_last_year_of_data": "2568",
    "resource_disaggregate": ["อายุ/กลุ่มอายุ"], "resource_unit_of_measure": "บาท",
    "resource_unit_of_multiplier": "ล้าน", "resource_data_release_calendar": "2026-01-15",
    "resource_official_statistics": "False",
}


@pytest.mark.parametrize("kept_for, dropped_for, fields", [
    (STATISTICAL, RECORD, STATISTICAL_FIELDS),
    (GEOSPATIAL, STATISTICAL, GEOSPATIAL_FIELDS),
    (RECORD, STATISTICAL, RECORD_FIELDS),
], ids=["statistical", "geospatial", "record"])
def test_fields_are_kept_for_their_data_types_and_dropped_for_others(create, kept_for, dropped_for, fields):
    kept = call_action("package_show", id=create(data_type=kept_for, **fields)["id"])
    assert {name: kept[name] for name in fields} == fields
    dropped = call_action("package_show", id=create(data_type=dropped_for, **fields)["id"])
    assert not set(fields) & set(dropped)
    assert not set(fields) & {extra["key"] for extra in dropped.get("extras", [])}


def test_resource_fields_follow_the_dataset_data_type(create, site_user):
    resources = [national_resource(resource_created_date="2024-01-01", **STATISTICAL_RESOURCE_FIELDS)]
    statistical = create(data_type=STATISTICAL, resources=resources)["resources"][0]
    assert {name: statistical[name] for name in STATISTICAL_RESOURCE_FIELDS} == STATISTICAL_RESOURCE_FIELDS
    assert "resource_created_date" not in statistical
    record = create(data_type=RECORD, resources=resources)["resources"][0]
    assert not set(STATISTICAL_RESOURCE_FIELDS) & set(record)
    assert record["resource_created_date"] == "2024-01-01"

    # resource_create goes through the same rules
    dataset = create(data_type=RECORD)
    added = call_action("resource_create", {"user": site_user["name"]}, package_id=dataset["id"],
                        **national_resource(resource_first_year_of_data="2566"))
    assert "resource_first_year_of_data" not in added
    with pytest.raises(tk.ValidationError) as info:
        call_action("resource_create", {"user": site_user["name"]}, package_id=dataset["id"],
                    **national_resource(resource_data_collect=NOT_A_CHOICE))
    assert_thai(info.value.error_dict["resource_data_collect"])
    assert len(call_action("package_show", id=dataset["id"])["resources"]) == 1


def test_other_data_type_needs_its_description(create, refused):
    assert_thai(refused(data_type=OTHER_TYPE)["data_type_other"])
    assert create(data_type=OTHER_TYPE, data_type_other="ข้อมูลเสียง")["data_type_other"] == "ข้อมูลเสียง"
    assert "data_type_other" not in create(data_type=RECORD, data_type_other="ข้อมูลเสียง")


# --- governance ----------------------------------------------------------------------

@pytest.mark.parametrize("category", ns.CLASSIFICATIONS)
def test_classification_must_suit_the_data_category(create, refused, category):
    for level in FIELDS["dataset"]["data_classification"].choices:
        # only public data classified as open may be public (test_disclosure_guard.py)
        fields = {"data_category": category, "data_classification": level,
                  "private": True}
        if level in ns.CLASSIFICATIONS[category]:
            assert create(**fields)["data_classification"] == level
        else:
            errors = refused(**fields).get("data_classification")
            assert_thai(errors)
            assert category in errors[0]


def test_public_data_without_access_condition_has_no_restriction(create):
    assert create(accessible_condition="")["accessible_condition"] == "ไม่มีการจำกัดการเข้าถึงข้อมูล"
    assert create(accessible_condition="ลงทะเบียนก่อน")["accessible_condition"] == "ลงทะเบียนก่อน"
    personal = create(data_category="ข้อมูลส่วนบุคคล", data_classification="ลับ", private=True)
    assert not personal.get("accessible_condition")


# --- licences ----------------------------------------------------------------------------

OPEN_LICENCES = {
    "Open Data Common", "Creative Commons Attributions", "Creative Commons Attribution Share-Alike"}


@pytest.mark.parametrize("licence", FIELDS["dataset"]["license_id"].choices)
def test_national_licences_are_registered_with_ckan(create, licence):
    other = {"license_id_other": "สัญญาอนุญาตของหน่วยงาน"} if licence == ns.OTHER else {}
    dataset = create(license_id=licence, **other)
    assert dataset["license_id"] == licence
    assert dataset["license_title"] == licence
    assert dataset["isopen"] is (licence in OPEN_LICENCES)
    licences = {item["id"] for item in call_action("license_list")}
    assert licence in licences


def test_ckan_licence_ids_are_not_national_values(refused):
    assert_thai(refused(license_id="cc-by")["license_id"])
    assert_thai(refused(license_id=ns.OTHER)["license_id_other"])


# --- values --------------------------------------------------------------------------------

def test_year_fields_hold_buddhist_era_years(refused):
    for value in ("2025", "68", "๒๕", "2399", "2701", "ปี 2568"):
        assert_thai(refused(data_type=STATISTICAL, last_year_of_data=value).get("last_year_of_data"))
    resource = [national_resource(resource_first_year_of_data="2025")]
    assert_thai(field_errors(refused(data_type=STATISTICAL, resources=resource),
                                  "resource", "resource_first_year_of_data"))


def test_thai_digit_years_are_normalised(create):
    dataset = create(data_type=STATISTICAL, first_year_of_data="๒๕๖๗",
                     resources=[national_resource(resource_last_year_of_data="๒๕๖๘")])
    assert dataset["first_year_of_data"] == "2567"
    assert dataset["resources"][0]["resource_last_year_of_data"] == "2568"


DATE_FIELDS = [f for fields in FIELDS.values() for f in fields.values()
               if f.name.endswith(("_date", "_calendar"))]


@pytest.mark.parametrize("field", DATE_FIELDS, ids=field_id)
def test_date_fields(create, refused, field):
    assert stored(create(**with_value(field, "2025-01-31")), field) == "2025-01-31"
    for bad in ("31/01/2025", "2025-02-30", "2568-01-31"):
        assert_thai(field_errors(refused(**with_value(field, bad)), field.level, field.name))


def test_update_interval_is_a_positive_whole_number(create, refused):
    for value in ("0", "-1", "abc", "1.5"):
        assert_thai(refused(update_frequency_interval=value).get("update_frequency_interval"))
    assert create(update_frequency_interval="๓")["update_frequency_interval"] == "3"


@pytest.mark.parametrize("unit", sorted(frequency.DAILY_OR_SHORTER))
def test_daily_or_shorter_frequencies_need_an_update_time(create, refused, unit):
    assert_thai(refused(update_frequency_unit=unit)["update_frequency_time"])
    dataset = create(update_frequency_unit=unit, update_frequency_time="๐๙:๓๐")
    assert dataset["update_frequency_time"] == "09:30"


def test_longer_frequencies_need_no_update_time(create, refused):
    assert "update_frequency_time" not in create(update_frequency_unit="เดือน")
    assert_thai(refused(update_frequency_time="25:00")["update_frequency_time"])


def test_contact_email_is_checked(refused):
    assert_thai(refused(maintainer_email="not-an-email")["maintainer_email"])


# --- a refused update changes nothing ---------------------------------------------------

def test_a_refused_update_changes_nothing(create, site_user):
    dataset = create(data_type=STATISTICAL, last_year_of_data="2568")
    before = call_action("package_show", id=dataset["id"])
    for change in ({"data_classification": "ลับ"}, {"last_year_of_data": "2025"},
                   {"objective": [NOT_A_CHOICE]}, {"update_frequency_unit": "วัน"}):
        with pytest.raises(tk.ValidationError) as info:
            call_action("package_patch", {"user": site_user["name"]}, id=dataset["id"], **change)
        assert set(info.value.error_dict) & (set(change) | {"update_frequency_time"})
        assert call_action("package_show", id=dataset["id"]) == before


# --- the web form ------------------------------------------------------------------------

@pytest.fixture
def auth(org):
    """A sysadmin's API token header; the organization lets the form open."""
    return {"Authorization": factories.APIToken(user=factories.Sysadmin()["name"])["token"]}


def test_new_dataset_form_shows_the_national_fields_in_thai(app, auth):
    body = app.get("/dataset/new", headers=auth).get_data(as_text=True)
    for label in ("ประเภทชุดข้อมูล", "หมวดหมู่ข้อมูลตามธรรมาภิบาลข้อมูลภาครัฐ", "ระดับชั้นข้อมูล",
                  "เวลาที่คาดว่าจะปรับปรุงข้อมูล", "ข้อมูลครบถ้วนตามแหล่งต้นทาง",
                  "ปีข้อมูลล่าสุดที่เผยแพร่ (สำหรับชุดข้อมูลสถิติ)", "ข้อมูลภูมิสารสนเทศเชิงพื้นที่",
                  "Creative Commons Attributions"):
        assert label in body
    # the data_type select hides the fields of other types (assets/data-type.js)
    assert 'data-module="opendata-th-data-type"' in body
    assert "first_year_of_data" in body.split('data-module="opendata-th-data-type"')[1].split(">")[0]
    assert "_data-type.js" in body


def test_new_dataset_form_in_english(app, auth):
    body = app.get("/en/dataset/new", headers=auth).get_data(as_text=True)
    for label in ("Data Type", "Data Category", "Expected update time", "Complete as collected at source",
                  "Statistical data"):
        assert label in body


def test_resource_form_and_dataset_page(app, auth, create):
    dataset = create(data_type=STATISTICAL, first_year_of_data="2566", resources=[national_resource()])
    form = app.get(f"/dataset/{dataset['name']}/resource/new", headers=auth).get_data(as_text=True)
    assert "ชื่อทรัพยากรข้อมูล" in form and "หน่วยตัวคูณ" in form
    assert f'data-module-package="{dataset["name"]}"' in form
    page = app.get(f"/dataset/{dataset['name']}", headers=auth).get_data(as_text=True)
    assert "ปีข้อมูลที่เริ่มต้นจัดทำ (สำหรับชุดข้อมูลสถิติ)" in page and "2566" in page
