"""The national dataset schema's rules, and the schema against thai_gdc 2.2.4's
fields (thai_gdc_fields.csv, a copy of shared/reference/thai_gdc_fields.csv)."""
import csv
import datetime as dt
import json
import re
from pathlib import Path

import pytest

from ckanext.opendata_th.playbook import frequency, properties
from ckanext.opendata_th.playbook import national_schema as ns
from ckanext.opendata_th.playbook.national_schema import FIELDS, SchemaError

with (Path(__file__).parent / "thai_gdc_fields.csv").open(encoding="utf-8") as _csv:
    THAI_GDC = list(csv.DictReader(_csv))

RECORD, STATISTICAL, GEOSPATIAL, MIXED, OTHER_TYPE = ns.DATA_TYPES
MULTIPLE = {"objective", "data_format", "data_language", "disaggregate", "resource_disaggregate"}
OWN_FIELDS = {"update_frequency_time", "opendata_attest_complete", "opendata_attest_primary"}


def assert_bilingual(error):
    assert re.search("[\u0e00-\u0e7f]", error.message_th)
    assert re.search("[A-Za-z]{3}", error.message_en)
    assert str(error) == f"{error.message_th} / {error.message_en}"


def raises(call, *args):
    with pytest.raises(SchemaError) as info:
        call(*args)
    assert_bilingual(info.value)
    return info.value


# --- the schema is thai_gdc's -------------------------------------------------

@pytest.mark.parametrize("row", THAI_GDC, ids=lambda row: f"{row['level']}.{row['field_name']}")
def test_every_thai_gdc_field_is_in_the_schema(row):
    field = FIELDS[row["level"]][row["field_name"]]
    if row["label_th"]:
        assert field.label_th == row["label_th"]
    else:  # ours where thai_gdc has none
        assert re.search("[\u0e00-\u0e7f]", field.label_th)
    assert field.label_en == (row["label_en"] or field.label_en) and field.label_en
    assert field.data_types == {ns.DATA_TYPE_CODES[code] for code in row["data_types"]}
    if row["required"] == "yes":
        assert field.required
    choices = [choice.split("=")[0] for choice in row["choices"].split(" | ")] if row["choices"] else []
    assert list(field.choices) == choices
    assert field.multiple == (row["field_name"] in MULTIPLE)


def test_the_schema_adds_only_the_playbook_fields():
    ours = {(level, name) for level, fields in FIELDS.items() for name in fields}
    theirs = {(row["level"], row["field_name"]) for row in THAI_GDC}
    assert ours - theirs == {("dataset", name) for name in OWN_FIELDS}


def test_only_the_national_required_fields_are_required():
    required = {(f.level, f.name) for fields in FIELDS.values() for f in fields.values() if f.required}
    national = {(row["level"], row["field_name"]) for row in THAI_GDC if row["required"] == "yes"}
    assert required == national | {("dataset", "name")}  # CKAN needs the URL name


def test_choice_lists_agree_with_the_playbook():
    assert FIELDS["dataset"]["update_frequency_unit"].choices == frequency.UNITS
    assert FIELDS["dataset"]["data_category"].choices == tuple(ns.CLASSIFICATIONS)
    levels = FIELDS["dataset"]["data_classification"].choices
    assert {level for allowed in ns.CLASSIFICATIONS.values() for level in allowed} == set(levels)


def test_the_licence_register_holds_the_licence_choices():
    licences = json.loads((ns.SCHEMA_FILE.parent / "licenses.json").read_text(encoding="utf-8"))
    assert [licence["id"] for licence in licences] == list(FIELDS["dataset"]["license_id"].choices)
    open_ids = {licence["id"] for licence in licences if licence["od_conformance"] == "approved"}
    assert open_ids == {
        "Open Data Common", "Creative Commons Attributions", "Creative Commons Attribution Share-Alike"}
    assert open_ids <= properties.DEFAULT_OPEN_LICENSE_IDS


# --- which fields apply --------------------------------------------------------

def test_fields_apply_to_their_data_types_only():
    first_year = FIELDS["dataset"]["first_year_of_data"]
    assert ns.applies(first_year, STATISTICAL)
    assert not ns.applies(first_year, RECORD)
    assert not ns.applies(FIELDS["dataset"]["equivalent_scale"], STATISTICAL)
    assert ns.applies(FIELDS["dataset"]["equivalent_scale"], GEOSPATIAL)
    assert ns.applies(FIELDS["resource"]["resource_created_date"], GEOSPATIAL)
    assert not ns.applies(FIELDS["resource"]["resource_created_date"], STATISTICAL)
    assert all(ns.applies(FIELDS["dataset"]["title"], t) for t in ns.DATA_TYPES)


@pytest.mark.parametrize("data_type", [None, "", "ข้อมูลเปิด", ["ข้อมูลสถิติ"]])
def test_without_a_valid_data_type_every_field_applies(data_type):
    assert ns.applies(FIELDS["dataset"]["first_year_of_data"], data_type)


# --- required fields -----------------------------------------------------------

def test_required_fields_need_a_value():
    error = ns.missing_value_error(FIELDS["dataset"]["data_category"], RECORD, {})
    assert_bilingual(error)
    assert "หมวดหมู่ข้อมูลตามธรรมาภิบาลข้อมูลภาครัฐ" in error.message_th
    assert "Data Category is required" in error.message_en
    assert ns.missing_value_error(FIELDS["dataset"]["url"], RECORD, {}) is None


OTHER_FIELDS = [
    (level, name) for level, fields in FIELDS.items() for name in fields
    if name.endswith("_other") and name != "data_type_other"
]


@pytest.mark.parametrize("level, name", OTHER_FIELDS)
def test_other_text_is_required_when_other_is_chosen(level, name):
    field = FIELDS[level][name]
    parent = FIELDS[level][name.removesuffix("_other")]
    data_type = next(iter(field.data_types & parent.data_types))
    for chosen in (["อื่นๆ"], json.dumps(["ไม่ทราบ", "อื่นๆ"])) if parent.multiple else ("อื่นๆ",):
        assert_bilingual(ns.missing_value_error(field, data_type, {parent.name: chosen}))
    assert ns.missing_value_error(field, data_type, {parent.name: parent.choices[0]}) is None
    assert ns.missing_value_error(field, data_type, {}) is None


def test_data_type_other_is_required_for_the_other_data_type():
    field = FIELDS["dataset"]["data_type_other"]
    assert_bilingual(ns.missing_value_error(field, OTHER_TYPE, {"data_type": OTHER_TYPE}))
    assert ns.missing_value_error(field, RECORD, {"data_type": RECORD}) is None


@pytest.mark.parametrize("unit", frequency.UNITS)
def test_update_time_is_required_for_daily_or_shorter_units(unit):
    error = ns.missing_value_error(
        FIELDS["dataset"]["update_frequency_time"], RECORD, {"update_frequency_unit": unit})
    assert (error is not None) == (unit in frequency.DAILY_OR_SHORTER)
    if error:
        assert_bilingual(error)
        assert unit in error.message_th and "HH:MM" in error.message_en


def test_fields_of_other_types_are_never_required():
    other_text = FIELDS["dataset"]["unit_of_multiplier_other"]
    assert ns.missing_value_error(other_text, RECORD, {"unit_of_multiplier": "อื่นๆ"}) is None


# --- choices -------------------------------------------------------------------

def test_check_choice():
    allow = FIELDS["dataset"]["allow_harvest"]
    assert ns.check_choice(allow, "True") == "True"
    assert ns.check_choice(allow, True) == "True"
    assert ns.check_choice(allow, False) == "False"
    assert ns.check_choice(FIELDS["dataset"]["geo_coverage"], " จังหวัด ") == "จังหวัด"
    error = raises(ns.check_choice, allow, "yes")
    assert "“yes”" in error.message_th and "“True”" in error.message_en  # short lists are listed
    error = raises(ns.check_choice, FIELDS["dataset"]["geo_coverage"], "Province")
    assert "Geo Coverage" in error.message_en and "choose from" not in error.message_en
    raises(ns.check_choice, FIELDS["dataset"]["geo_coverage"], 1)
    raises(ns.check_choice, FIELDS["dataset"]["geo_coverage"], ["จังหวัด"])


def test_check_choices_keeps_the_schema_order_without_duplicates():
    language = FIELDS["dataset"]["data_language"]
    assert ns.check_choices(language, ["อังกฤษ", "ไทย", "ไทย"]) == ["ไทย", "อังกฤษ"]
    assert ns.check_choices(language, "ไทย") == ["ไทย"]
    assert ns.check_choices(language, json.dumps(["อังกฤษ"])) == ["อังกฤษ"]
    assert ns.check_choices(language, []) == []
    error = raises(ns.check_choices, language, ["ไทย", "Thai", "Klingon"])
    assert "“Thai”, “Klingon”" in error.message_en
    raises(ns.check_choices, language, {"ไทย": True})


@pytest.mark.parametrize("value, expected", [
    (["a", " ", "b"], ["a", "b"]), ('["a"]', ["a"]), ("a", ["a"]), ("", []), (None, []),
    ("[not json", ["[not json"]), (True, ["True"]),
])
def test_selected(value, expected):
    assert ns.selected(value) == expected


# --- governance category and classification --------------------------------------

@pytest.mark.parametrize("category", ns.CLASSIFICATIONS)
@pytest.mark.parametrize("level", FIELDS["dataset"]["data_classification"].choices)
def test_classification_levels_by_category(category, level):
    if level in ns.CLASSIFICATIONS[category]:
        ns.check_classification(category, level)
    else:
        error = raises(ns.check_classification, category, level)
        assert category in error.message_th and level in error.message_en


def test_classification_table():
    assert ns.CLASSIFICATIONS == {
        "ข้อมูลสาธารณะ": ("เปิดเผย",),
        "ข้อมูลใช้ภายใน": ("ชั้นเผยแพร่ภายในองค์กร",),
        "ข้อมูลส่วนบุคคล": ("ชั้นเผยแพร่ภายในองค์กร", "ลับ", "ลับมาก"),
        "ข้อมูลความมั่นคง": ("ลับ", "ลับมาก", "ลับที่สุด"),
        "ข้อมูลความลับทางราชการ": ("ลับ", "ลับมาก", "ลับที่สุด"),
    }
    ns.check_classification(None, "ลับที่สุด")  # no category: data_category's own error


def test_public_data_has_no_access_restriction_by_default():
    assert ns.default_accessible_condition(ns.PUBLIC, "") == "ไม่มีการจำกัดการเข้าถึงข้อมูล"
    assert ns.default_accessible_condition(ns.PUBLIC, None) == "ไม่มีการจำกัดการเข้าถึงข้อมูล"
    assert ns.default_accessible_condition(ns.PUBLIC, "ลงทะเบียน") == "ลงทะเบียน"
    assert ns.default_accessible_condition(ns.PERSONAL, "") == ""


# --- values ----------------------------------------------------------------------

YEAR = FIELDS["dataset"]["last_year_of_data"]


@pytest.mark.parametrize("value, expected", [
    ("2568", "2568"), ("๒๕๖๘", "2568"), (" 2400 ", "2400"), ("2700", "2700"), (2568, "2568"),
])
def test_be_years(value, expected):
    assert ns.parse_be_year(YEAR, value) == expected


@pytest.mark.parametrize("value", ["68", "25680", "2399", "2701", "abc", "", "2568.0", True, None])
def test_bad_be_years(value):
    error = raises(ns.parse_be_year, YEAR, value)
    assert "Last year of data" in error.message_en


def test_a_common_era_year_gets_its_buddhist_era_year():
    error = raises(ns.parse_be_year, YEAR, "2025")
    assert "2568" in error.message_th and "2568" in error.message_en


DATE = FIELDS["dataset"]["last_updated_date"]


@pytest.mark.parametrize("value, expected", [
    ("2025-01-31", "2025-01-31"), ("๒๐๒๕-๐๑-๓๑", "2025-01-31"), ("2025-01-31T10:30:00", "2025-01-31"),
    ("2025-01-31 10:30", "2025-01-31"), (dt.date(2025, 1, 31), "2025-01-31"),
    (dt.datetime(2025, 1, 31, 10, 30), "2025-01-31"),
])
def test_dates(value, expected):
    assert ns.parse_date(DATE, value) == expected


@pytest.mark.parametrize("value", ["31/01/2025", "2025-02-30", "2025-1-31", "2025-01-31Tnoon", "", 20250131])
def test_bad_dates(value):
    raises(ns.parse_date, DATE, value)


def test_buddhist_era_dates_are_refused_with_the_common_era_year():
    error = raises(ns.parse_date, DATE, "2568-01-31")
    assert "2025" in error.message_th and "2025" in error.message_en


TIME = FIELDS["dataset"]["update_frequency_time"]


@pytest.mark.parametrize("value, expected", [
    ("09:30", "09:30"), ("9:30", "09:30"), ("9.30 น.", "09:30"), ("๐๙:๓๐", "09:30"),
    ("23:59", "23:59"), ("09:30:00", "09:30"), ("00:00", "00:00"),
])
def test_times_of_day(value, expected):
    assert ns.parse_time_of_day(TIME, value) == expected


@pytest.mark.parametrize("value", ["24:00", "9", "09:60", "abc", "", 930])
def test_bad_times_of_day(value):
    raises(ns.parse_time_of_day, TIME, value)


@pytest.mark.parametrize("value, expected", [("3", "3"), ("๓", "3"), (" 12 ", "12"), (2, "2")])
def test_intervals(value, expected):
    assert ns.parse_interval(value) == expected


@pytest.mark.parametrize("value", ["0", "-1", "abc", "1.5"])
def test_bad_intervals(value):
    raises(ns.parse_interval, value)


def test_dataset_names_fit_the_national_catalogs():
    assert ns.check_dataset_name("a" * 70) == "a" * 70
    error = raises(ns.check_dataset_name, "a" * 71)
    assert "70" in error.message_th and "71" in error.message_en
