"""The thai_gdc mapping both ways, the "identical" check, and how a harvested
dataset arrives (playbook/national_portal.py)."""
import copy
import csv
import datetime as dt
import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ckanext.opendata_th.playbook import national_portal as np_
from ckanext.opendata_th.playbook import workflow
from ckanext.opendata_th.playbook.national_portal import (
    DIFFERENT,
    IDENTICAL,
    LICENCE_TABLE,
    LOCAL_ANNOTATIONS,
    LOCAL_ONLY_FIELDS,
    MISSING,
    Difference,
    ImportRefused,
    NameUnavailable,
    arrival,
    compare,
    is_local_annotation,
    keep_local_fields,
    local_name,
    remote_time,
    to_local,
    to_remote,
)
from ckanext.opendata_th.playbook.national_schema import DATA_TYPES, FIELDS, applies
from ckanext.opendata_th.playbook.vocabulary import (
    NO_ACCESS_RESTRICTION,
    OPEN,
    OTHER,
    OTHER_DATA_TYPE,
    PERSONAL,
    PUBLIC,
    SECRET,
)
from ckanext.opendata_th.tests.playbook.catalog import shown, thai_catalog

RECORD, STATISTICAL, GEOSPATIAL, MIXED, OTHER_TYPE = DATA_TYPES
HERE = Path(__file__).parent
PACKAGE = HERE.parents[1]

with (HERE / "thai_gdc_fields.csv").open(encoding="utf-8") as _csv:
    THAI_GDC_FIELDS = {(row["level"], row["field_name"]) for row in csv.DictReader(_csv)}

# -- realistic thai_gdc dataset dicts, as a remote package_show gives them ------------

BOOKKEEPING = {
    "id": "item_0b6a3c2e-5f4e-4c1d-9d1e-0d7e2b9f1a11",
    "name": "population-by-province",
    "owner_org": "a3f1e2d4-0000-4000-8000-000000000001",
    "organization": {"id": "a3f1e2d4-0000-4000-8000-000000000001", "name": "nso",
                     "title": "สำนักงานสถิติแห่งชาติ"},
    "private": False,
    "state": "active",
    "type": "dataset",
    "metadata_created": "2024-03-15T02:30:00.123456",
    "metadata_modified": "2025-01-10T08:00:00.654321",
    "creator_user_id": "u-1",
    "revision_id": None,
    "num_resources": 1,
    "num_tags": 2,
    "relationships_as_object": [],
    "relationships_as_subject": [],
    "groups": [{"name": "population", "title": "ประชากร"}],
    "isopen": True,
    "license_title": "Creative Commons Attributions",
    "license_url": "https://creativecommons.org/licenses/by/4.0/",
    "tracking_summary": {"total": 10, "recent": 1},
    "author": None,
    "author_email": None,
    "version": None,
    "url": "",
}

COMMON = {
    "title": "จำนวนประชากรจากการทะเบียน จำแนกตามจังหวัด",
    "notes": "ข้อมูลจำนวนประชากรจากทะเบียนราษฎร รายจังหวัด ณ วันที่ 31 ธันวาคม",
    "allow_harvest": "True",
    "reference_url_catalog": "https://catalog.nso.go.th/dataset/population",
    "maintainer": "กองสถิติสังคม",
    "maintainer_email": "social@nso.go.th",
    "objective": ["เพื่อการให้บริการประชาชน", "พันธกิจหน่วยงาน"],  # the schema's order
    "update_frequency_unit": "ปี",
    "update_frequency_interval": "1",
    "geo_coverage": "จังหวัด",
    "data_source": "กรมการปกครอง กระทรวงมหาดไทย",
    "data_format": ["CSV", "XLS"],
    "data_category": PUBLIC,
    "data_classification": OPEN,
    "license_id": "Creative Commons Attributions",
    "accessible_condition": NO_ACCESS_RESTRICTION,
    "data_language": ["ไทย"],
    "last_updated_date": "2025-01-05",
    "tags": [{"id": "t1", "name": "ประชากร", "display_name": "ประชากร", "state": "active",
              "vocabulary_id": None},
             {"id": "t2", "name": "ทะเบียนราษฎร์", "display_name": "ทะเบียนราษฎร์", "state": "active",
              "vocabulary_id": None}],
}


def resource(number=1, **fields):
    return {
        "id": f"r-{number}", "package_id": BOOKKEEPING["id"], "position": number - 1,
        "state": "active", "created": "2024-03-15T02:31:00", "metadata_modified": "2025-01-10T08:00:00",
        "url": f"https://catalog.nso.go.th/dataset/population/resource/r-{number}/download/pop{number}.csv",
        "url_type": "upload", "name": f"ประชากรปี {2566 + number}", "description": "ไฟล์ CSV รายจังหวัด",
        "format": "CSV", "hash": f"sha256:{number:064x}", "size": 20480 + number, "mimetype": "text/csv",
        "last_modified": "2025-01-10T07:59:00", "cache_url": None, "cache_last_updated": None,
        "datastore_active": True, "revision_id": None, "tracking_summary": {"total": 3, "recent": 0},
        **fields,
    }


def national(data_type=RECORD, **fields):
    """A thai_gdc dataset of ``data_type`` with the fields that type has."""
    by_type = {
        RECORD: {"data_support": "หน่วยงานของรัฐ", "data_collect": "บุคคล", "created_date": "2020-01-01",
                 "high_value_dataset": "True", "reference_data": "False",
                 "resources": [resource(1, resource_data_collect="บุคคล",
                                        resource_created_date="2020-01-01",
                                        resource_last_updated_date="2025-01-05")]},
        STATISTICAL: {"first_year_of_data": "2560", "last_year_of_data": "2568",
                      "data_release_calendar": "2025-03-31", "official_statistics": "True",
                      "disaggregate": ["เพศ", "อายุ/กลุ่มอายุ", "ขอบเขตเชิงภูมิศาสตร์หรือเชิงพื้นที่"],
                      "unit_of_measure": "คน", "unit_of_multiplier": "พัน",
                      "calculation_method": "นับจากทะเบียนบ้าน", "standard": "มาตรฐานสถิติทางการ",
                      "resources": [resource(1, resource_first_year_of_data="2560",
                                             resource_last_year_of_data="2568",
                                             resource_disaggregate=["เพศ"],
                                             resource_unit_of_measure="คน",
                                             resource_unit_of_multiplier="หน่วย",
                                             resource_official_statistics="True",
                                             resource_data_release_calendar="2025-03-31")]},
        GEOSPATIAL: {"geographic_data_set": "ชั้นข้อมูลขอบเขตการปกครอง", "equivalent_scale": "1:50,000",
                     "west_bound_longitude": "97.3433", "east_bound_longitude": "105.6369",
                     "north_bound_longitude": "20.4651", "south_bound_longitude": "5.6130",
                     "positional_accuracy": "± 5 เมตร", "reference_period": "พ.ศ. 2567",
                     "data_release_date": "2024-12-01", "data_release_calendar": "2025-12-01",
                     "resources": [resource(1, format="SHP", resource_geographic_data_set="ชั้นข้อมูลป่าไม้",
                                            resource_equivalent_scale="1:25,000",
                                            resource_positional_accuracy="± 2 เมตร",
                                            resource_data_release_date="2024-12-01")]},
        MIXED: {"data_support": "ไม่มี", "data_collect": "ครัวเรือน/ครอบครัว", "created_date": "2019-05-01",
                "high_value_dataset": "False", "reference_data": "False",
                "resources": [resource(1), resource(2, format="PDF", url_type=None,
                                                    url="https://www.nso.go.th/report.pdf")]},
        OTHER_TYPE: {"data_type_other": "ข้อมูลเสียงสัมภาษณ์", "data_support": "สถาบันการศึกษา",
                     "data_collect": "ไม่ทราบ", "high_value_dataset": "False", "reference_data": "True",
                     "resources": [resource(1, format="MP3")]},
    }
    return copy.deepcopy({**BOOKKEEPING, **COMMON, "data_type": data_type, **by_type[data_type], **fields})


# The schema fields of a national dict, and what each must become here.
SCHEMA_FIELDS = [name for name in FIELDS["dataset"]
                 if name not in ("name", "owner_org", "tag_string") and name not in LOCAL_ONLY_FIELDS]
RESOURCE_FIELDS = list(FIELDS["resource"])


def local_copy(remote, **overrides):
    """A dataset as this portal's package_show would give it after importing
    ``remote``: ids, annotations and the bookkeeping CKAN adds."""
    dataset = to_local(remote).dataset
    dataset = copy.deepcopy(dataset)
    dataset.update({"id": "local-1", "name": "population-by-province", "owner_org": "org-local",
                    "private": False, "state": "active", "metadata_modified": "2025-02-01T00:00:00",
                    "opendata_stage": "published", "opendata_properties": {"score": 7},
                    "opendata_schedule": "on_schedule", "opendata_overdue": False,
                    "opendata_attest_complete": "True", "num_tags": 2})
    dataset["tags"] = [{"id": f"lt{i}", "name": tag["name"], "display_name": tag["name"],
                        "vocabulary_id": None, "state": "active"} for i, tag in enumerate(dataset["tags"])]
    for number, res in enumerate(dataset["resources"]):
        res.update({"id": f"local-r{number}", "package_id": "local-1", "position": number,
                    "created": "2025-02-01T00:00:00"})
    dataset.update(overrides)
    return dataset


def refused(remote) -> ImportRefused:
    with pytest.raises(ImportRefused) as info:
        to_local(remote)
    error = info.value
    message = shown(error.message)
    assert error.message.msgid in thai_catalog()
    assert "ไม่สูญเสียข้อมูล" in message.th and "cannot be stored here without loss" in message.en
    return error


# -- to_local ---------------------------------------------------------------------------


@pytest.mark.parametrize("data_type", DATA_TYPES)
def test_every_data_type_arrives_with_the_same_field_names_and_values(data_type):
    remote = national(data_type)
    imported = to_local(remote)
    dataset = imported.dataset
    for name in SCHEMA_FIELDS:
        if remote.get(name) not in (None, ""):
            assert applies(FIELDS["dataset"][name], data_type), name  # the fixture is realistic
            assert dataset[name] == remote[name], name
        else:
            assert name not in dataset, name
    assert dataset["tags"] == [{"name": "ประชากร"}, {"name": "ทะเบียนราษฎร์"}]
    assert len(dataset["resources"]) == len(remote["resources"])
    for mine, theirs in zip(dataset["resources"], remote["resources"]):
        for name in RESOURCE_FIELDS:
            if theirs.get(name) not in (None, ""):
                assert mine[name] == theirs[name], name
    assert imported.notes == () and imported.set_aside == {}


def test_remote_bookkeeping_never_arrives():
    dataset = to_local(national(STATISTICAL)).dataset
    for key in ("id", "name", "owner_org", "organization", "private", "state", "type", "metadata_created",
                "metadata_modified", "creator_user_id", "revision_id", "num_resources", "num_tags",
                "relationships_as_object", "relationships_as_subject", "groups", "extras",
                "tracking_summary", "isopen", "license_title", "license_url"):
        assert key not in dataset, key
    res = dataset["resources"][0]
    for key in ("id", "package_id", "position", "created", "metadata_modified", "state", "url_type",
                "cache_url", "cache_last_updated", "datastore_active", "revision_id", "tracking_summary"):
        assert key not in res, key


def test_an_uploaded_remote_file_is_linked_where_it_is():
    remote = national(MIXED)
    resources = to_local(remote).dataset["resources"]
    assert resources[0]["url"] == remote["resources"][0]["url"]
    assert "url_type" not in resources[0]
    assert resources[1]["url"] == "https://www.nso.go.th/report.pdf"
    # CKAN's own resource fields come along
    assert resources[0]["hash"] == remote["resources"][0]["hash"]
    assert resources[0]["size"] == 20481 and resources[0]["mimetype"] == "text/csv"
    assert resources[0]["last_modified"] == "2025-01-10T07:59:00"


def test_known_resources_keep_their_local_ids():
    resources = to_local(national(MIXED), resource_ids={"r-2": "local-b"}).dataset["resources"]
    assert "id" not in resources[0]
    assert resources[1]["id"] == "local-b"


def test_a_deleted_resource_does_not_arrive():
    remote = national(MIXED)
    remote["resources"][0]["state"] = "deleted"
    assert [r["name"] for r in to_local(remote).dataset["resources"]] == ["ประชากรปี 2568"]


@pytest.mark.parametrize("given", [
    ["CSV", "JSON"], '["CSV", "JSON"]', '["JSON", "CSV"]', ("JSON", "CSV", "CSV"), [" CSV ", "JSON", ""],
])
def test_multi_choice_fields_arrive_as_lists_in_the_schemas_order(given):
    assert to_local(national(data_format=given)).dataset["data_format"] == ["CSV", "JSON"]


def test_a_bare_string_in_a_multi_choice_field_is_one_choice():
    dataset = to_local(national(STATISTICAL, data_format="CSV", objective="ยุทธศาสตร์ชาติ",
                                disaggregate="เพศ", data_language="อังกฤษ")).dataset
    assert dataset["data_format"] == ["CSV"] and dataset["objective"] == ["ยุทธศาสตร์ชาติ"]
    assert dataset["disaggregate"] == ["เพศ"] and dataset["data_language"] == ["อังกฤษ"]


def test_a_resource_multi_choice_as_a_json_string():
    remote = national(STATISTICAL)
    remote["resources"][0]["resource_disaggregate"] = '["อายุ/กลุ่มอายุ", "เพศ"]'
    assert to_local(remote).dataset["resources"][0]["resource_disaggregate"] == ["เพศ", "อายุ/กลุ่มอายุ"]


@pytest.mark.parametrize("given, stored", [
    (True, "True"), (False, "False"), ("True", "True"), ("False", "False"), ("true", "True"),
    (" FALSE ", "False"),
])
def test_booleans_arrive_as_true_or_false_text(given, stored):
    remote = national(STATISTICAL, allow_harvest=given, official_statistics=given)
    remote["resources"][0]["resource_official_statistics"] = given
    dataset = to_local(remote).dataset
    assert dataset["allow_harvest"] == dataset["official_statistics"] == stored
    assert dataset["resources"][0]["resource_official_statistics"] == stored


def test_a_boolean_that_is_neither_is_refused_naming_the_field():
    error = refused(national(high_value_dataset="maybe"))
    assert error.field == "high_value_dataset"
    message = shown(error.message)
    assert "High Value Dataset" in message.en and "“maybe”" in message.en
    assert "ชุดข้อมูลที่มีคุณค่าสูง" in message.th


@pytest.mark.parametrize("given", [2568, "2568", " 2568 ", "๒๕๖๘"])
def test_buddhist_era_years_arrive_as_text(given):
    remote = national(STATISTICAL, last_year_of_data=given)
    remote["resources"][0]["resource_last_year_of_data"] = given
    dataset = to_local(remote).dataset
    assert dataset["last_year_of_data"] == "2568"
    assert dataset["resources"][0]["resource_last_year_of_data"] == "2568"


def test_a_common_era_year_is_refused_naming_the_field():
    error = refused(national(STATISTICAL, first_year_of_data="2017"))
    assert error.field == "first_year_of_data"
    assert "First year of data" in shown(error.message).en and "2017" in shown(error.message).en


def test_a_resource_year_that_is_not_one_is_refused_with_its_path():
    remote = national(STATISTICAL)
    remote["resources"][0]["resource_first_year_of_data"] = "ปีงบ 60"
    assert refused(remote).field == "resources[0].resource_first_year_of_data"


def test_a_date_with_a_time_is_stored_as_the_date_and_a_bad_one_is_refused():
    assert to_local(national(last_updated_date="2025-01-05T00:00:00")).dataset[
        "last_updated_date"] == "2025-01-05"
    assert refused(national(last_updated_date="5 ม.ค. 2568")).field == "last_updated_date"


def test_an_interval_that_is_not_a_whole_number_is_refused():
    assert to_local(national(update_frequency_interval=3)).dataset["update_frequency_interval"] == "3"
    assert refused(national(update_frequency_interval="ทุกปี")).field == "update_frequency_interval"


def test_other_values_with_their_text_are_kept():
    remote = national(STATISTICAL, geo_coverage=OTHER, geo_coverage_other="ลุ่มน้ำเจ้าพระยา",
                      data_format=["CSV", OTHER], data_format_other="Parquet",
                      unit_of_multiplier=OTHER, unit_of_multiplier_other="ร้อยละ")
    imported = to_local(remote)
    dataset = imported.dataset
    assert (dataset["geo_coverage"], dataset["geo_coverage_other"]) == (OTHER, "ลุ่มน้ำเจ้าพระยา")
    assert (dataset["data_format"], dataset["data_format_other"]) == (["CSV", OTHER], "Parquet")
    assert (dataset["unit_of_multiplier"], dataset["unit_of_multiplier_other"]) == (OTHER, "ร้อยละ")
    assert imported.notes == ()


def test_each_data_type_other_keeps_its_text():
    dataset = to_local(national(OTHER_TYPE)).dataset
    assert (dataset["data_type"], dataset["data_type_other"]) == (OTHER_DATA_TYPE, "ข้อมูลเสียงสัมภาษณ์")


def test_an_unknown_choice_is_kept_as_other_with_its_value():
    imported = to_local(national(geo_coverage="ลุ่มน้ำ"))
    assert (imported.dataset["geo_coverage"], imported.dataset["geo_coverage_other"]) == (OTHER, "ลุ่มน้ำ")
    [note] = imported.notes
    assert (note.field, note.remote, note.local) == ("geo_coverage", "ลุ่มน้ำ", OTHER)
    message = shown(note.message)
    assert note.message.msgid in thai_catalog()
    assert message.en == ("Geo Coverage: the national catalog's value “ลุ่มน้ำ” is not among this "
                          "portal's choices; it is stored as “อื่นๆ” with the value in Other geo "
                          "coverage (please specify)")
    assert message.th.startswith("ขอบเขตเชิงภูมิศาสตร์หรือเชิงพื้นที่: ค่า “ลุ่มน้ำ”")
    assert "ขอบเขตเชิงพื้นที่อื่นๆ (โปรดระบุ)" in message.th
    assert json.loads(json.dumps(imported.as_dict()))["notes"][0]["field"] == "geo_coverage"


def test_an_unknown_choice_is_appended_to_the_other_text_once():
    dataset = to_local(national(geo_coverage="ลุ่มน้ำ", geo_coverage_other="ภาคกลาง")).dataset
    assert dataset["geo_coverage_other"] == "ภาคกลาง, ลุ่มน้ำ"
    # a value already in the text is not repeated (a re-harvest of the same dict)
    dataset = to_local(national(geo_coverage="ลุ่มน้ำ", geo_coverage_other="ภาคกลาง, ลุ่มน้ำ")).dataset
    assert dataset["geo_coverage_other"] == "ภาคกลาง, ลุ่มน้ำ"


def test_unknown_entries_of_a_multi_choice_field_are_kept_as_other():
    imported = to_local(national(data_format=["GeoJSON", "CSV", "Parquet", "GeoJSON"],
                                 data_format_other="Avro"))
    assert imported.dataset["data_format"] == ["CSV", OTHER]
    assert imported.dataset["data_format_other"] == "Avro, GeoJSON, Parquet"
    assert [(n.field, n.remote) for n in imported.notes] == [("data_format", "GeoJSON"),
                                                            ("data_format", "Parquet")]


def test_an_unknown_data_type_becomes_the_other_data_type():
    imported = to_local({**national(RECORD), "data_type": "ข้อมูลเชิงพื้นที่แบบเวกเตอร์"})
    assert imported.dataset["data_type"] == OTHER_DATA_TYPE
    assert imported.dataset["data_type_other"] == "ข้อมูลเชิงพื้นที่แบบเวกเตอร์"
    assert imported.notes[0].local == OTHER_DATA_TYPE


def test_an_unknown_resource_choice_is_kept_as_other_with_its_path():
    remote = national(STATISTICAL)
    remote["resources"][0]["resource_disaggregate"] = ["เพศ", "ภูมิภาค"]
    imported = to_local(remote)
    res = imported.dataset["resources"][0]
    assert res["resource_disaggregate"] == ["เพศ", OTHER]
    assert res["resource_disaggregate_other"] == "ภูมิภาค"
    assert imported.notes[0].field == "resources[0].resource_disaggregate"


def test_a_choice_in_another_case_is_the_choice_with_a_note():
    imported = to_local(national(data_format=["csv", "Json"]))
    assert imported.dataset["data_format"] == ["CSV", "JSON"]
    assert [(n.remote, n.local) for n in imported.notes] == [("csv", "CSV"), ("Json", "JSON")]


@pytest.mark.parametrize("field, value", [
    ("data_category", "ข้อมูลเปิด"),
    ("data_classification", "ลับเฉพาะ"),
    ("geographic_data_set", "ชั้นข้อมูลถนน"),
    ("allow_harvest", "ยินยอม"),
])
def test_an_unknown_value_in_a_field_with_no_other_is_refused_naming_field_and_value(field, value):
    data_type = GEOSPATIAL if field == "geographic_data_set" else RECORD
    error = refused(national(data_type, **{field: value}))
    assert error.field == field
    message = shown(error.message)
    assert f"“{value}”" in message.en and FIELDS["dataset"][field].label_en in message.en
    assert f"“{value}”" in message.th and FIELDS["dataset"][field].label_th in message.th
    assert str(error) == message.en


# -- licences ---------------------------------------------------------------------------

LICENCE_CHOICES = FIELDS["dataset"]["license_id"].choices
CKAN_DEFAULT_LICENCES = {
    "notspecified": "License not specified",
    "odc-pddl": "Open Data Commons Public Domain Dedication and License (PDDL)",
    "odc-odbl": "Open Data Commons Open Database License (ODbL)",
    "odc-by": "Open Data Commons Attribution License",
    "cc-zero": "Creative Commons CCZero",
    "cc-by": "Creative Commons Attribution",
    "cc-by-sa": "Creative Commons Attribution Share-Alike",
    "gfdl": "GNU Free Documentation License",
    "other-open": "Other (Open)",
    "other-pd": "Other (Public Domain)",
    "other-at": "Other (Attribution)",
    "uk-ogl": "UK Open Government Licence (OGL)",
    "cc-nc": "Creative Commons Non-Commercial (Any)",
    "other-nc": "Other (Non-Commercial)",
    "other-closed": "Other (Not Open)",
}


def test_the_licence_table_covers_ckans_licences_and_maps_to_choices():
    for licence_id, title in CKAN_DEFAULT_LICENCES.items():
        assert licence_id in LICENCE_TABLE
        assert title in LICENCE_TABLE or title in LICENCE_CHOICES, title
    for national_value, local in LICENCE_TABLE.items():
        assert national_value not in LICENCE_CHOICES  # only values the schema does not have
        assert local in LICENCE_CHOICES
    licences = json.loads((PACKAGE / "schemas" / "licenses.json").read_text(encoding="utf-8"))
    assert set(LICENCE_TABLE.values()) <= {licence["id"] for licence in licences}


@pytest.mark.parametrize("national_value, local", [
    ("cc-by", "Creative Commons Attributions"),
    ("Creative Commons Attribution", "Creative Commons Attributions"),
    ("cc-by-sa", "Creative Commons Attribution Share-Alike"),
    ("cc-nc", "Creative Commons Attribution Non-Commercial"),
    ("CC-BY", "Creative Commons Attributions"),
])
def test_a_licence_with_a_thai_gdc_equivalent_is_stored_as_it(national_value, local):
    imported = to_local(national(license_id=national_value))
    assert imported.dataset["license_id"] == local and "license_id_other" not in imported.dataset
    [note] = imported.notes
    assert (note.field, note.remote, note.local) == ("license_id", national_value, local)
    assert shown(note.message).en == (f"License: the national catalog's value “{national_value}” is "
                                      f"stored here as its equivalent “{local}”")
    assert "เทียบเท่า" in shown(note.message).th


@pytest.mark.parametrize("national_value", ["License not specified", "notspecified", "odc-odbl",
                                            "Other (Public Domain)", "Thai Government Open Licence"])
def test_a_licence_with_no_equivalent_is_other_with_the_value_kept(national_value):
    imported = to_local(national(license_id=national_value))
    assert imported.dataset["license_id"] == OTHER
    assert imported.dataset["license_id_other"] == national_value
    assert [(n.field, n.remote, n.local) for n in imported.notes] == [("license_id", national_value, OTHER)]


def test_a_licence_kept_as_other_follows_the_other_text_already_there():
    dataset = to_local(national(license_id="License not specified",
                                license_id_other="ดูเงื่อนไขบนเว็บ")).dataset
    assert dataset["license_id_other"] == "ดูเงื่อนไขบนเว็บ, License not specified"


def test_thai_gdc_licences_and_other_arrive_unchanged():
    for choice in LICENCE_CHOICES:
        imported = to_local(national(license_id=choice, license_id_other="สัญญาของหน่วยงาน"))
        assert imported.dataset["license_id"] == choice and imported.notes == ()


# -- extras, set-aside fields, tags, annotations ---------------------------------------------


def test_a_21_catalog_sends_schema_fields_as_extras_with_json_lists():
    remote = national(STATISTICAL)
    moved = {name: remote.pop(name) for name in ("objective", "data_format", "disaggregate", "data_category",
                                                  "data_classification", "official_statistics")}
    remote["extras"] = [{"key": name, "value": json.dumps(value, ensure_ascii=False)
                         if isinstance(value, list) else value} for name, value in moved.items()]
    remote["extras"].append({"key": "harvest_source_title", "value": "NSO catalog"})
    imported = to_local(remote)
    for name, value in moved.items():
        assert imported.dataset[name] == value, name
    assert imported.set_aside == {"harvest_source_title": "NSO catalog"}
    assert "extras" not in imported.dataset
    assert arrival(remote).stage == workflow.PUBLISHED  # governance fields read from the extras too


def test_a_top_level_field_wins_over_an_extras_pair_which_is_set_aside():
    remote = national(extras=[{"key": "maintainer", "value": "ฝ่ายเก่า"},
                              {"key": "title", "value": COMMON["title"]}])
    imported = to_local(remote)
    assert imported.dataset["maintainer"] == COMMON["maintainer"]
    assert imported.set_aside == {"extras.maintainer": "ฝ่ายเก่า"}


def test_fields_the_schema_does_not_hold_are_set_aside_not_dropped():
    remote = national(RECORD, allow_cdp="True", first_year_of_data="2560", unit_of_measure="",
                      author="นายสมชาย", version="2.0")
    remote["resources"][0].update(resource_cdp="False", resource_disaggregate=["เพศ"],
                                  archiver={"status": "ok"})
    imported = to_local(remote)
    assert imported.set_aside == {
        "allow_cdp": "True",
        "first_year_of_data": "2560",  # a statistical field on a record dataset
        "resources[0].resource_disaggregate": ["เพศ"],
        "resources[0].resource_cdp": "False",
        "resources[0].archiver": {"status": "ok"},
    }
    assert "first_year_of_data" not in imported.dataset
    # CKAN's own fields that this portal holds too come along
    assert imported.dataset["author"] == "นายสมชาย" and imported.dataset["version"] == "2.0"
    assert json.dumps(imported.as_dict(), ensure_ascii=False)


def test_thai_tags_arrive_as_they_are():
    remote = national(tags=[{"name": "ภาษีอากร"}, {"name": "ค่าใช้จ่าย ภาครัฐ"}, "ประชากร",
                            {"name": "ภาษีอากร"}, {"name": " "},
                            {"name": "ภาค", "vocabulary_id": "v1"}])
    imported = to_local(remote)
    assert imported.dataset["tags"] == [{"name": "ภาษีอากร"}, {"name": "ค่าใช้จ่าย ภาครัฐ"},
                                        {"name": "ประชากร"}]
    assert imported.set_aside["vocabulary_tags"] == [{"name": "ภาค", "vocabulary_id": "v1"}]


def test_tags_from_a_tag_string_when_no_list_is_given():
    remote = national(tag_string="สถิติ, ประชากร")
    del remote["tags"]
    assert to_local(remote).dataset["tags"] == [{"name": "สถิติ"}, {"name": "ประชากร"}]


def test_this_portals_annotations_never_arrive():
    remote = national(opendata_stage="published", opendata_properties={"score": 9},
                      opendata_attest_complete="True", opendata_anything="x")
    imported = to_local(remote)
    assert not [key for key in imported.dataset if key.startswith("opendata_")]
    assert imported.set_aside == {}


def test_the_local_annotations_are_the_ones_annotations_py_writes():
    source = (PACKAGE / "annotations.py").read_text(encoding="utf-8")
    written = set(re.findall(r'"(opendata_(?!th_)[a-z_]+)"', source))
    assert written and written <= LOCAL_ANNOTATIONS
    assert all(is_local_annotation(key) for key in LOCAL_ANNOTATIONS)
    assert is_local_annotation("opendata_future_key") and not is_local_annotation("data_type")


def test_the_local_only_fields_are_the_schemas_fields_thai_gdc_lacks():
    ours = {name for name in FIELDS["dataset"]}
    national_fields = {name for level, name in THAI_GDC_FIELDS if level == "dataset"}
    assert LOCAL_ONLY_FIELDS == ours - national_fields
    assert {name for name in FIELDS["resource"]} <= {name for level, name in THAI_GDC_FIELDS
                                                     if level == "resource"}


def test_keep_local_fields_keeps_what_the_remote_cannot_have():
    imported = to_local(national()).dataset
    existing = {"opendata_attest_complete": "True", "opendata_attest_primary": "False",
                "update_frequency_time": "09:30", "title": "ชื่อเดิม"}
    merged = keep_local_fields(imported, existing)
    assert merged["opendata_attest_complete"] == "True" and merged["update_frequency_time"] == "09:30"
    assert merged["title"] == COMMON["title"]  # only local-only fields
    assert "opendata_attest_complete" not in imported  # a copy, the argument is unchanged
    assert keep_local_fields({**imported, "update_frequency_time": "10:00"}, existing)[
        "update_frequency_time"] == "10:00"


def test_update_time_arrives_from_a_portal_that_has_it():
    dataset = to_local(national(update_frequency_unit="วัน", update_frequency_time="9.30 น.")).dataset
    assert dataset["update_frequency_time"] == "09:30"


def test_the_remote_dict_is_not_changed():
    remote = national(STATISTICAL, extras=[{"key": "x", "value": "y"}], data_format="csv")
    before = copy.deepcopy(remote)
    to_local(remote)
    compare(remote, remote)
    arrival(remote)
    assert remote == before


# -- to_remote ----------------------------------------------------------------------------


@pytest.mark.parametrize("data_type", DATA_TYPES)
def test_a_round_trip_keeps_every_schema_field_value(data_type):
    remote = national(data_type)
    pushed = to_remote(local_copy(remote), owner_org="nso-remote", name="pop-remote")
    for name in SCHEMA_FIELDS:
        assert pushed.get(name) == (remote[name] or None if name in remote else None), name
    for mine, theirs in zip(pushed["resources"], remote["resources"]):
        for name in RESOURCE_FIELDS:
            assert mine.get(name) == theirs.get(name), name
        assert mine["hash"] == theirs["hash"]
    assert pushed["tags"] == [{"name": "ประชากร"}, {"name": "ทะเบียนราษฎร์"}]
    assert compare(local_copy(remote), pushed).status == IDENTICAL


def test_to_remote_sends_no_local_ids_annotations_or_local_only_fields():
    local = local_copy(national(STATISTICAL), update_frequency_time="09:00")
    local["resources"][0]["url_type"] = "upload"
    pushed = to_remote(local, owner_org="nso-remote", name="pop-remote")
    assert (pushed["name"], pushed["owner_org"], pushed["private"]) == ("pop-remote", "nso-remote", False)
    assert "id" not in pushed and not [key for key in pushed if key.startswith("opendata_")]
    assert "update_frequency_time" not in pushed and "tag_string" not in pushed
    for key in ("state", "metadata_modified", "num_tags"):
        assert key not in pushed
    res = pushed["resources"][0]
    assert set(res) <= set(FIELDS["resource"]) | {"hash", "id"}
    assert "id" not in res and "url_type" not in res
    assert pushed["tags"] == [{"name": "ประชากร"}, {"name": "ทะเบียนราษฎร์"}]
    assert json.dumps(pushed, ensure_ascii=False)


def test_to_remote_writes_thai_gdc_representations():
    local = local_copy(national(STATISTICAL), data_format='["XLS", "CSV"]', allow_harvest=True,
                       official_statistics="false", last_year_of_data=2568)
    pushed = to_remote(local, owner_org="o", name="n")
    assert pushed["data_format"] == ["CSV", "XLS"]
    assert (pushed["allow_harvest"], pushed["official_statistics"]) == ("True", "False")
    assert pushed["last_year_of_data"] == "2568"


def test_to_remote_reuses_the_remote_resource_ids_by_url():
    local = local_copy(national(MIXED))
    urls = [res["url"] for res in local["resources"]]
    remote_resources = [{"id": "rr-pdf", "url": urls[1]}, {"id": "rr-gone", "url": "https://x/old.csv"},
                        {"id": "rr-csv", "url": urls[0] + " "}]
    pushed = to_remote(local, owner_org="o", name="n", remote_resources=remote_resources)
    assert [res.get("id") for res in pushed["resources"]] == ["rr-csv", "rr-pdf"]
    # two local resources with one URL: one remote id, used once
    local["resources"].append(copy.deepcopy(local["resources"][0]))
    pushed = to_remote(local, owner_org="o", name="n", remote_resources=remote_resources)
    assert [res.get("id") for res in pushed["resources"]] == ["rr-csv", "rr-pdf", None]


# -- compare -------------------------------------------------------------------------------


@pytest.mark.parametrize("data_type", DATA_TYPES)
def test_a_harvested_dataset_is_identical_to_its_source(data_type):
    remote = national(data_type)
    drift = compare(local_copy(remote), remote)
    assert drift.status == IDENTICAL and drift.differences == ()
    assert drift.as_dict() == {"status": "identical", "differences": []}


def test_no_remote_copy_is_missing():
    drift = compare(local_copy(national()), None)
    assert drift.as_dict() == {"status": MISSING, "differences": []}


def test_normalisations_report_no_false_differences():
    local = local_copy(national(STATISTICAL))
    remote = national(STATISTICAL)
    remote.update({
        "data_format": '["XLS", "CSV"]',                 # a JSON string, another order
        "objective": ["พันธกิจหน่วยงาน", "เพื่อการให้บริการประชาชน"],
        "official_statistics": True,                   # a bool
        "allow_harvest": "true",
        "title": f"  {COMMON['title']}  ",             # surrounding spaces
        "reference_url_catalog": COMMON["reference_url_catalog"] + "\n",
        "url": None,                                   # None == "" == missing
        "license_id": "cc-by",                         # the licence table's equivalent
        "accessible_condition": "",                    # the default of public data
        "last_year_of_data": 2568,                     # a number
        "data_release_calendar": "2025-03-31T00:00:00",
        "tags": [{"name": "ทะเบียนราษฎร์"}, {"name": "ประชากร"}, {"name": "ประชากร"}],
        "created_date": "2020-01-01",                  # does not apply to statistical data
        "opendata_stage": "candidate",                 # a remote running this extension
        "metadata_modified": "2030-01-01T00:00:00",
        "extras": [{"key": "data_language", "value": '["ไทย"]'}],
    })
    remote["resources"][0].update(url=" " + remote["resources"][0]["url"], hash="", url_type="upload")
    local.pop("url", None)
    drift = compare(local, remote)
    assert drift.status == IDENTICAL, drift.as_dict()


def test_an_unknown_national_value_is_identical_to_how_it_was_stored():
    remote = national(geo_coverage="ลุ่มน้ำ", license_id="License not specified",
                      data_format=["CSV", "Parquet"])
    assert compare(local_copy(remote), remote).status == IDENTICAL


def test_each_kind_of_difference_is_found_with_its_path():
    local = local_copy(national(MIXED))
    remote = national(MIXED)
    remote["title"] = "จำนวนประชากร (ฉบับแก้ไข)"
    remote["data_format"] = ["CSV"]
    remote["tags"] = [{"name": "ประชากร"}]
    remote["high_value_dataset"] = "True"
    remote["maintainer_email"] = ""
    remote["resources"][1]["url"] = "https://www.nso.go.th/report-2568.pdf"
    remote["resources"][0]["name"] = "ประชากร"
    remote["resources"][0]["hash"] = "sha256:ff"
    remote["resources"].append(resource(3, name="ไฟล์เพิ่ม"))
    drift = compare(local, remote)
    assert drift.status == DIFFERENT
    assert [d.field for d in drift.differences] == [
        "title", "maintainer_email", "tags", "data_format", "high_value_dataset",
        "resources[0].hash", "resources[0].name", "resources[1].url", "resources[2]"]
    by_path = {d.field: d for d in drift.differences}
    assert by_path["title"] == Difference("title", COMMON["title"], "จำนวนประชากร (ฉบับแก้ไข)")
    assert by_path["maintainer_email"] == Difference("maintainer_email", "social@nso.go.th", None)
    assert by_path["tags"] == Difference("tags", sorted(["ประชากร", "ทะเบียนราษฎร์"]), ["ประชากร"])
    assert by_path["data_format"] == Difference("data_format", ["CSV", "XLS"], ["CSV"])
    assert by_path["high_value_dataset"] == Difference("high_value_dataset", "False", "True")
    assert by_path["resources[1].url"].local == "https://www.nso.go.th/report.pdf"
    extra = by_path["resources[2]"]
    assert extra.local is None and extra.remote["name"] == "ไฟล์เพิ่ม"
    assert extra.remote["url"].endswith("pop3.csv")
    assert json.loads(json.dumps(drift.as_dict(), ensure_ascii=False))["differences"][0] == {
        "field": "title", "local": COMMON["title"], "remote": "จำนวนประชากร (ฉบับแก้ไข)"}


def test_a_resource_only_here_and_hashes_compared_only_when_both_have_one():
    remote = national(MIXED)
    local = local_copy(remote)
    del remote["resources"][1]
    remote["resources"][0].pop("hash")
    drift = compare(local, remote)
    assert [d.field for d in drift.differences] == ["resources[1]"]
    assert drift.differences[0].remote is None
    assert drift.differences[0].local["url"] == "https://www.nso.go.th/report.pdf"


def test_a_changed_data_type_reports_the_fields_that_come_and_go():
    local = local_copy(national(STATISTICAL))
    remote = {**national(STATISTICAL), "data_type": RECORD}
    fields = [d.field for d in compare(local, remote).differences]
    assert fields[0] == "data_type"
    assert "first_year_of_data" in fields and "disaggregate" in fields
    assert fields.index("first_year_of_data") < fields.index("disaggregate")  # the schema's order


def test_the_licence_and_its_other_text_are_compared():
    local = local_copy(national(license_id="License not specified"))
    assert compare(local, national(license_id="notspecified")).differences == (
        Difference("license_id_other", "License not specified", "notspecified"),)
    assert [d.field for d in compare(local, national(license_id="cc-by")).differences] == [
        "license_id", "license_id_other"]


def test_local_only_fields_and_names_are_not_compared():
    remote = national()
    local = local_copy(remote, name="population-by-province-2", update_frequency_time="09:00",
                       opendata_attest_primary="False", owner_org="other-org")
    assert compare(local, remote).status == IDENTICAL


# -- arrival -------------------------------------------------------------------------------


def test_a_private_remote_dataset_arrives_as_a_private_candidate():
    for private in (True, "True", "true"):
        result = arrival(national(private=private))
        assert (result.stage, result.private, result.reason, result.published_at) == (
            workflow.CANDIDATE, True, None, None)


def test_public_open_data_arrives_published_when_the_remote_published_it():
    result = arrival(national(metadata_created="2024-03-15T02:30:00.123456"))
    assert (result.stage, result.private, result.reason) == (workflow.PUBLISHED, False, None)
    assert result.published_at == dt.datetime(2024, 3, 15, 2, 30, 0, 123456, tzinfo=dt.timezone.utc)
    assert result.as_dict() == {"stage": "published", "private": False, "reason": None,
                                "published_at": "2024-03-15T02:30:00.123456+00:00"}


@pytest.mark.parametrize("governance", [
    {"data_category": PERSONAL, "data_classification": SECRET},
    {"data_category": PUBLIC, "data_classification": ""},
    {"data_category": None, "data_classification": OPEN},
])
def test_public_data_that_may_not_be_public_arrives_withheld_with_the_reason(governance):
    result = arrival(national(**governance))
    assert (result.stage, result.private, result.published_at) == (workflow.WITHHELD, True, None)
    assert result.reason.msgid.startswith("A dataset with {category} and {classification} cannot be public")
    assert "cannot be public" in shown(result.reason).en
    assert "เผยแพร่เป็นสาธารณะไม่ได้" in shown(result.reason).th
    assert result.as_dict()["reason"]["id"] == result.reason.msgid


@pytest.mark.parametrize("value, expected", [
    ("2025-01-02T03:04:05.123456", dt.datetime(2025, 1, 2, 3, 4, 5, 123456, tzinfo=dt.timezone.utc)),
    ("2025-01-02T03:04:05", dt.datetime(2025, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc)),
    ("2025-01-02T03:04:05Z", dt.datetime(2025, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc)),
    ("2025-01-02T10:04:05+07:00", dt.datetime(2025, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc)),
    (dt.datetime(2025, 1, 2, 3, 4, 5), dt.datetime(2025, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc)),
    (None, None), ("", None), ("เมื่อวาน", None), (20250102, None), ("2025-13-45T00:00:00", None),
])
def test_remote_times_are_utc(value, expected):
    parsed = remote_time(value)
    assert parsed == expected
    if parsed is not None:
        assert parsed.utcoffset() == dt.timedelta(0)


# -- names ---------------------------------------------------------------------------------


def test_a_free_remote_name_is_kept():
    assert local_name("population-by-province", lambda name: False) == "population-by-province"


def test_a_taken_name_gets_the_next_number():
    taken = {"population", "population-2", "population-3"}
    assert local_name("population", taken.__contains__) == "population-4"


def test_a_numbered_name_stays_within_the_length():
    long_name = "a" * 69 + "b"
    taken = {long_name, "a" * 68 + "-2"}
    name = local_name(long_name, taken.__contains__)
    assert name == "a" * 68 + "-3" and len(name) == 70
    assert local_name("x" * 80, lambda name: False) == "x" * 70
    assert local_name("abc-def", {"abc-def"}.__contains__, max_length=7) == "abc-d-2"
    assert local_name("abcd-ef", {"abcd-ef"}.__contains__, max_length=7) == "abcd-2"  # no "--"
    ten = "n" * 10
    assert len(local_name(ten, lambda name: name != "n" * 7 + "-10", max_length=10)) == 10


def test_no_free_name_is_an_error_not_a_loop():
    with pytest.raises(NameUnavailable) as info:
        local_name("population", lambda name: True)
    assert info.value.message.msgid in thai_catalog()
    assert "population" in shown(info.value.message).th and "1000" in shown(info.value.message).en


# -- properties over generated national datasets ------------------------------------------------

THAI_TEXT = st.text(alphabet="กขคงจฉชซญดตถทธนบปผพฟภมยรลวศษสหอฮะาิีึืุู่้๊๋ เแโใไ0123456789abcXYZ-./()",
                    min_size=1, max_size=24).filter(lambda text: text.strip() and "," not in text)
KINDS = np_._KINDS


def _value(draw, described, level, data):
    """A value of ``described`` as a thai_gdc catalog may send it, and the
    value expected here."""
    kind = KINDS[level][described.name]
    if kind == "multiple":
        chosen = draw(st.lists(st.sampled_from(described.choices), min_size=1, max_size=4, unique=True))
        expected = [c for c in described.choices if c in chosen]
        sent = draw(st.sampled_from(["list", "json", "bare"] if len(chosen) == 1 else ["list", "json"]))
        value = {"list": chosen, "json": json.dumps(chosen, ensure_ascii=False), "bare": chosen[0]}[sent]
        if OTHER in chosen:
            data[f"{described.name}_other"] = draw(THAI_TEXT)
        return value, expected
    if kind == "boolean":
        value = draw(st.sampled_from([True, False, "True", "False", "true", "false"]))
        return value, "True" if str(value).lower() == "true" else "False"
    if kind == "choice":
        choice = draw(st.sampled_from(described.choices))
        if choice in (OTHER, OTHER_DATA_TYPE) and f"{described.name}_other" in FIELDS[level]:
            data[f"{described.name}_other"] = draw(THAI_TEXT)
        return draw(st.sampled_from([choice, f" {choice} "])), choice
    if kind == "date":
        day = draw(st.dates(dt.date(1990, 1, 1), dt.date(2035, 12, 31))).isoformat()
        return day, day
    if kind == "be_year":
        year = draw(st.integers(2400, 2700))
        return draw(st.sampled_from([year, str(year)])), str(year)
    if kind == "interval":
        number = draw(st.integers(1, 30))
        return draw(st.sampled_from([number, str(number)])), str(number)
    text = draw(THAI_TEXT)
    return text, text


@st.composite
def national_datasets(draw):
    """A thai_gdc dataset dict with random fields of a random data type, and
    the schema values expected on this portal."""
    data_type = draw(st.sampled_from(DATA_TYPES))
    data = {**BOOKKEEPING, "data_type": data_type}
    expected = {"data_type": data_type}
    if data_type == OTHER_DATA_TYPE:
        data["data_type_other"] = draw(THAI_TEXT)
    for name, described in FIELDS["dataset"].items():
        if (name in ("data_type", "name", "owner_org", "tag_string") or name.endswith("_other")
                or name in LOCAL_ONLY_FIELDS or not applies(described, data_type)):
            continue
        if not described.required and draw(st.booleans()):
            continue
        data[name], expected[name] = _value(draw, described, "dataset", data)
    for name in FIELDS["dataset"]:
        if name.endswith("_other") and name in data:
            expected[name] = data[name]
    data["tags"] = [{"name": tag} for tag in draw(st.lists(THAI_TEXT.map(str.strip), min_size=1, max_size=3,
                                                          unique=True))]
    data["resources"] = []
    for number in range(draw(st.integers(0, 3))):
        res = {"id": f"r{number}", "url": f"https://catalog.example.go.th/r{number}.csv",
               "name": draw(THAI_TEXT), "format": "CSV", "url_type": draw(st.sampled_from(["upload", None]))}
        for name, described in FIELDS["resource"].items():
            if (name in res or name.endswith("_other") or not applies(described, data_type)
                    or draw(st.booleans())):
                continue
            res[name], _ = _value(draw, described, "resource", res)
        data["resources"].append(res)
    return data, expected


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(national_datasets())
def test_any_national_dataset_survives_the_round_trip_identical(generated):
    remote, expected = generated
    imported = to_local(remote)
    assert imported.notes == () and imported.set_aside == {}
    for name, value in expected.items():
        assert imported.dataset[name] == value, name
    local = local_copy(remote)
    assert compare(local, remote).status == IDENTICAL
    pushed = to_remote(local, owner_org="o", name="n")
    for name, value in expected.items():
        assert pushed[name] == value, name
    assert compare(local, pushed).status == IDENTICAL
    assert to_local(pushed).dataset == {key: value for key, value in imported.dataset.items()}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(national_datasets(), st.sampled_from(["title", "notes", "maintainer", "data_source"]), THAI_TEXT)
def test_any_changed_text_field_is_reported_at_its_path(generated, field_name, text):
    remote, _ = generated
    local = local_copy(remote)
    remote[field_name] = f"{remote.get(field_name, '')}{text}เปลี่ยน"
    drift = compare(local, remote)
    assert drift.status == DIFFERENT
    assert [d.field for d in drift.differences] == [field_name]
