"""The national dataset schema's rules, and the schema against thai_gdc 2.2.4's
fields (thai_gdc_fields.csv, a copy of shared/reference/thai_gdc_fields.csv)."""
import csv
import datetime as dt
import json
import re
from pathlib import Path

import pytest
import yaml

from ckanext.opendata_th.playbook import frequency, properties
from ckanext.opendata_th.playbook import national_schema as ns
from ckanext.opendata_th.playbook.national_schema import FIELDS, SchemaError
from ckanext.opendata_th.tests.playbook.catalog import en, th, thai_catalog

with (Path(__file__).parent / "thai_gdc_fields.csv").open(encoding="utf-8") as _csv:
    THAI_GDC = list(csv.DictReader(_csv))

RECORD, STATISTICAL, GEOSPATIAL, MIXED, OTHER_TYPE = ns.DATA_TYPES
MULTIPLE = {"objective", "data_format", "data_language", "disaggregate", "resource_disaggregate"}
OWN_FIELDS = {"update_frequency_time", "opendata_attest_complete", "opendata_attest_primary"}


def assert_bilingual(error):
    """A message of the catalogs, read in Thai on Thai pages and in English on English ones."""
    assert error.message.msgid in thai_catalog()
    assert re.search("[\u0e00-\u0e7f]", th(error))
    assert re.search("[A-Za-z]{3}", en(error))
    assert str(error) == en(error)


def raises(call, *args):
    with pytest.raises(SchemaError) as info:
        call(*args)
    assert_bilingual(info.value)
    return info.value


# --- the schema is thai_gdc's -------------------------------------------------

GLOSSARY = Path(ns.__file__).resolve().parents[1] / "i18n" / "glossary.yaml"


def glossary_spelling(label: str) -> str:
    """A national label as the portal writes it: the words the glossary
    (i18n/glossary.yaml) avoids everywhere replaced by its term, e.g.
    ภูมิศาสตร์สารสนเทศ -> ภูมิสารสนเทศ. Everything else stays thai_gdc's."""
    for term in yaml.safe_load(GLOSSARY.read_text(encoding="utf-8"))["terms"]:
        if term["scope"] == "everywhere" and not any(e in label for e in term["except"]):
            for word in term["avoid"]:
                label = label.replace(word, term["thai"])
    return label


@pytest.mark.parametrize("row", THAI_GDC, ids=lambda row: f"{row['level']}.{row['field_name']}")
def test_every_thai_gdc_field_is_in_the_schema(row):
    field = FIELDS[row["level"]][row["field_name"]]
    if row["label_th"]:
        assert field.label_th == glossary_spelling(row["label_th"])
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
    assert "หมวดหมู่ข้อมูลตามธรรมาภิบาลข้อมูลภาครัฐ" in th(error)
    assert "Data Category is required" in en(error)
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
        assert unit in th(error) and "HH:MM" in en(error)


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
    assert "“yes”" in th(error) and "“True”" in en(error)  # short lists are listed
    error = raises(ns.check_choice, FIELDS["dataset"]["geo_coverage"], "Province")
    assert "Geo Coverage" in en(error) and "choose from" not in en(error)
    raises(ns.check_choice, FIELDS["dataset"]["geo_coverage"], 1)
    raises(ns.check_choice, FIELDS["dataset"]["geo_coverage"], ["จังหวัด"])


def test_check_choices_keeps_the_schema_order_without_duplicates():
    language = FIELDS["dataset"]["data_language"]
    assert ns.check_choices(language, ["อังกฤษ", "ไทย", "ไทย"]) == ["ไทย", "อังกฤษ"]
    assert ns.check_choices(language, "ไทย") == ["ไทย"]
    assert ns.check_choices(language, json.dumps(["อังกฤษ"])) == ["อังกฤษ"]
    assert ns.check_choices(language, []) == []
    error = raises(ns.check_choices, language, ["ไทย", "Thai", "Klingon"])
    assert "“Thai”, “Klingon”" in en(error)
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
        assert category in th(error) and level in en(error)


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
    assert "Last year of data" in en(error)


def test_a_common_era_year_gets_its_buddhist_era_year():
    error = raises(ns.parse_be_year, YEAR, "2025")
    assert th(error) == (
        "ปีข้อมูลล่าสุดที่เผยแพร่ (สำหรับชุดข้อมูลสถิติ)ต้องเป็นปี พ.ศ. 4 หลัก ระหว่าง 2400 ถึง 2700 "
        "เช่น 2568 (ค่าที่ระบุ: “2025”) ปี ค.ศ. 2025 ตรงกับ พ.ศ. 2568")
    assert en(error) == (
        "Last year of data (Statistical data) must be a 4-digit Buddhist Era year between 2400 and 2700, "
        "e.g. 2568 (you gave “2025”); 2025 CE is 2568 BE")


@pytest.mark.parametrize("value, hint", [
    ("1857", "; 1857 CE is 2400 BE"),   # the first CE year whose BE year is accepted
    ("๒๐๒๖", "; 2026 CE is 2569 BE"),
    ("2157", "; 2157 CE is 2700 BE"),   # the last CE year whose BE year is accepted
    ("1856", ""),                       # 2399 BE would be refused: no hint
    ("0999", ""),
    ("2701", ""),
])
def test_the_common_era_hint_starts_at_the_ce_year_of_be_2400(value, hint):
    error = raises(ns.parse_be_year, YEAR, value)
    assert en(error).endswith(f"(you gave “{value}”){hint}")
    assert ("CE is" in en(error)) == bool(hint) == ("ค.ศ." in th(error))


@pytest.mark.parametrize("value", ["2158", "2200", "2399"])
def test_the_common_era_hint_never_suggests_a_year_that_is_refused(value):
    error = raises(ns.parse_be_year, YEAR, value)
    assert en(error).endswith(f"(you gave “{value}”)")  # no "CE is ... BE" hint
    assert "ค.ศ." not in th(error)


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
    assert th(error) == "วันที่ปรับปรุงข้อมูลล่าสุดต้องใช้ปีคริสต์ศักราช ไม่ใช่พุทธศักราช: พ.ศ. 2568 ตรงกับ ค.ศ. 2025"
    assert en(error) == "Last updated date must use the Common Era year, not the Buddhist Era: 2568 BE is 2025 CE"


def test_years_from_2400_are_buddhist_era_in_dates():
    error = raises(ns.parse_date, DATE, "2400-01-01")
    assert en(error).endswith(": 2400 BE is 1857 CE")
    assert en(raises(ns.parse_date, DATE, dt.date(2569, 2, 1))).endswith(": 2569 BE is 2026 CE")
    assert ns.parse_date(DATE, "2399-12-31") == "2399-12-31"
    assert ns.parse_date(DATE, "2024-02-29") == "2024-02-29"


def test_a_date_that_is_not_iso_is_refused_with_an_example():
    error = raises(ns.parse_date, DATE, "31/01/2025")
    assert th(error) == "วันที่ปรับปรุงข้อมูลล่าสุดต้องเป็นวันที่แบบ ปี ค.ศ.-เดือน-วัน เช่น 2025-01-31 (ค่าที่ระบุ: “31/01/2025”)"
    assert en(error) == "Last updated date must be a date as YYYY-MM-DD, e.g. 2025-01-31 (you gave “31/01/2025”)"
    raises(ns.parse_date, DATE, "2025-02-29")  # not a leap year


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
    assert "70" in th(error) and "71" in en(error)


# --- more exact rules and messages ---------------------------------------------

@pytest.mark.parametrize("value, expected", [
    (None, True), ("", True), ("  ", True), ([], True), ((), True), (["", " "], True), ([None, ""], True),
    ([[], [" "]], True), ("x", False), (["", "x"], False), (["x", ""], False), (("", "x"), False),
    (0, False), (False, False), ({}, False),
])
def test_is_empty_means_no_value_at_all(value, expected):
    assert ns.is_empty(value) is expected


def test_a_list_with_one_value_is_not_empty_for_the_access_condition():
    assert ns.default_accessible_condition(ns.PUBLIC, ["", "ลงทะเบียน"]) == ["", "ลงทะเบียน"]
    assert ns.default_accessible_condition(ns.PUBLIC, ["", " "]) == "ไม่มีการจำกัดการเข้าถึงข้อมูล"


def _field(name, choices=(), label="ฟิลด์", label_en="Field"):
    return ns.Field(name=name, level="dataset", label_th=label, label_en=label_en,
                    data_types=frozenset(ns.DATA_TYPES), required=False, choices=tuple(choices),
                    choice_labels_en={c: c for c in choices}, multiple=False)


def test_only_the_other_text_of_a_choice_field_is_required_with_other():
    # "title" has no choices, so a "title_other" would not be an "other" text
    assert ns.missing_value_error(_field("title_other"), RECORD, {"title": "อื่นๆ"}) is None
    # a field ending in _other without any parent field
    assert ns.missing_value_error(_field("nothing_other"), RECORD, {"nothing": "อื่นๆ"}) is None


def test_required_and_other_messages():
    error = ns.missing_value_error(FIELDS["dataset"]["data_category"], RECORD, {})
    assert (th(error), en(error)) == (
        "กรุณาระบุหมวดหมู่ข้อมูลตามธรรมาภิบาลข้อมูลภาครัฐ", "Data Category is required")
    error = ns.missing_value_error(FIELDS["dataset"]["objective_other"], RECORD, {"objective": ["อื่นๆ"]})
    assert (th(error), en(error)) == (
        "กรุณาระบุวัตถุประสงค์อื่นๆ (โปรดระบุ) เมื่อเลือก “อื่นๆ” ในวัตถุประสงค์",
        "Other objective (please specify) is required when Objective is “อื่นๆ” (other)")
    error = ns.missing_value_error(FIELDS["dataset"]["data_type_other"], OTHER_TYPE, {"data_type": OTHER_TYPE})
    assert th(error) == "กรุณาระบุประเภทชุดข้อมูลอื่นๆ (โปรดระบุ) เมื่อเลือก “ข้อมูลประเภทอื่นๆ” ในประเภทชุดข้อมูล"
    # data_type's "other" is its own choice, not อื่นๆ
    assert ns.missing_value_error(FIELDS["dataset"]["data_type_other"], OTHER_TYPE, {"data_type": "อื่นๆ"}) is None


def test_update_time_message_names_the_unit():
    error = ns.missing_value_error(FIELDS["dataset"]["update_frequency_time"], RECORD,
                                   {"update_frequency_unit": " วันทำการ "})
    assert th(error) == ("กรุณาระบุเวลาที่คาดว่าจะปรับปรุงข้อมูล (ชั่วโมง:นาที) "
                                "เมื่อหน่วยความถี่ของการปรับปรุงข้อมูลเป็น “วันทำการ”")
    assert en(error) == ("Expected update time (HH:MM) is required when the update frequency unit "
                                "is “วันทำการ” (working day)")


def test_choice_errors_in_full():
    error = raises(ns.check_choice, FIELDS["dataset"]["allow_harvest"], "yes")
    assert th(error) == "“yes” ไม่อยู่ในตัวเลือกของยินยอมให้นำชื่อชุดข้อมูลไปใช้ที่ GD-Catalog (เลือกได้จาก “False”, “True”)"
    assert en(error) == ("“yes” is not among the choices of Allow for harvest to GD-Catalog "
                                "(choose from: “False”, “True”)")
    error = raises(ns.check_choices, FIELDS["dataset"]["data_language"], ["ไทย", "Thai", "Klingon"])
    assert th(error) == "“Thai”, “Klingon” ไม่อยู่ในตัวเลือกของภาษาที่ใช้"
    assert en(error) == "“Thai”, “Klingon” are not among the choices of Data Language"
    error = raises(ns.check_choices, FIELDS["dataset"]["data_language"], ["Thai"])
    assert en(error) == "“Thai” is not among the choices of Data Language"
    error = raises(ns.check_choices, FIELDS["dataset"]["data_language"], 5)
    assert th(error) == "ภาษาที่ใช้ต้องเป็นรายการของตัวเลือก (ค่าที่ระบุ: “5”)"
    assert en(error) == "Data Language must be a list of choices (you gave “5”)"


@pytest.mark.parametrize("count, listed", [(1, True), (7, True), (8, True), (9, False), (14, False)])
def test_choices_are_listed_in_errors_up_to_eight(count, listed):
    choices = [f"c{n}" for n in range(count)]
    error = raises(ns.check_choice, _field("f", choices), "zz")
    expected = ", ".join(f"“{c}”" for c in choices)
    assert en(error) == "“zz” is not among the choices of Field" + (
        f" (choose from: {expected})" if listed else "")
    assert th(error) == "“zz” ไม่อยู่ในตัวเลือกของฟิลด์" + (f" (เลือกได้จาก {expected})" if listed else "")


def test_the_eight_licences_are_listed_in_a_licence_error():
    licence = FIELDS["dataset"]["license_id"]
    assert len(licence.choices) == 8
    assert "(choose from: “" in en(raises(ns.check_choice, licence, "MIT"))


def test_only_strings_and_booleans_can_be_choices():
    numbered = _field("f", ["1", "2"])
    assert ns.check_choice(numbered, " 2 ") == "2"
    raises(ns.check_choice, numbered, 2)
    raises(ns.check_choice, numbered, None)


def test_classification_errors_in_full():
    error = raises(ns.check_classification, "ข้อมูลสาธารณะ", "ลับ")
    assert th(error) == "หมวดหมู่ข้อมูล “ข้อมูลสาธารณะ” กำหนดระดับชั้นข้อมูลได้เฉพาะ “เปิดเผย” (ที่เลือกไว้: “ลับ”)"
    assert en(error) == ("The data category “ข้อมูลสาธารณะ” (Public) allows only the classification "
                         "“เปิดเผย” (Open) (you chose “ลับ”)")
    error = raises(ns.check_classification, "ข้อมูลส่วนบุคคล", "เปิดเผย")
    assert th(error) == ("หมวดหมู่ข้อมูล “ข้อมูลส่วนบุคคล” กำหนดระดับชั้นข้อมูลได้เฉพาะ “ชั้นเผยแพร่ภายในองค์กร”, "
                         "“ลับ”, “ลับมาก” (ที่เลือกไว้: “เปิดเผย”)")
    assert en(error) == ("The data category “ข้อมูลส่วนบุคคล” (Personal) allows only the classification "
                         "“ชั้นเผยแพร่ภายในองค์กร” (Internal distribution), “ลับ” (Confidential), "
                         "“ลับมาก” (Secret) (you chose “เปิดเผย”)")


@pytest.mark.parametrize("category", ["ข้อมูลเปิด", "", 5, ["ข้อมูลสาธารณะ"]])
def test_unknown_categories_are_left_to_the_category_check(category):
    assert ns.check_classification(category, "ลับที่สุด") is None


@pytest.mark.parametrize("value, expected", [
    ("๙.๓๐ น.", "09:30"), ("๒๓:๕๙", "23:59"), ("๐:๐๐", "00:00"), ("17.05", "17:05"), (" 8:15 น. ", "08:15"),
    ("20:00:59", "20:00"), ("20.00.00 น.", "20:00"),
])
def test_more_times_of_day(value, expected):
    assert ns.parse_time_of_day(TIME, value) == expected


@pytest.mark.parametrize("value", ["๒๔:๐๐", "๙", "12:5", "1230", "25:00", "-1:00"])
def test_more_bad_times_of_day(value):
    error = raises(ns.parse_time_of_day, TIME, value)
    assert en(error) == f"Expected update time must be a time of day as HH:MM, e.g. 09:30 (you gave “{value}”)"
    assert th(error) == f"เวลาที่คาดว่าจะปรับปรุงข้อมูลต้องเป็นเวลาแบบ ชั่วโมง:นาที เช่น 09:30 (ค่าที่ระบุ: “{value}”)"


def test_bad_intervals_keep_the_frequency_messages():
    error = raises(ns.parse_interval, "0")
    assert th(error) == "ค่าความถี่ของการปรับปรุงข้อมูลต้องมีค่าตั้งแต่ 1 ขึ้นไป (ค่าที่ระบุ: 0)"
    assert en(error) == "The update frequency interval must be 1 or more (you gave 0)"


def test_dataset_name_message_in_full():
    error = raises(ns.check_dataset_name, "a" * 71)
    assert th(error) == "URL ของชุดข้อมูลยาวได้ไม่เกิน 70 ตัวอักษร (ขณะนี้ยาว 71 ตัวอักษร)"
    assert en(error) == "The dataset URL name can be at most 70 characters long (it is 71)"
