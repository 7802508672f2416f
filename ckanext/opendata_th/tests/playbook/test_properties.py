"""The ten properties of open data, rule by rule."""
import datetime as dt
import json

import pytest

from ckanext.opendata_th.playbook import properties as p
from ckanext.opendata_th.playbook.properties import (
    MET,
    NEEDS_ATTESTATION,
    NOT_MET,
    ExternalChecks,
    evaluate,
)
from ckanext.opendata_th.tests.playbook.catalog import en, th

NOW = dt.datetime(2026, 11, 24, 12, 0)
ALL_GOOD = ExternalChecks(url_status={"r2": True}, national_portal_identical=True)


def make_dataset(**changes):
    """A dataset that meets all ten properties; ``changes`` override keys."""
    dataset = {
        "name": "export-value",
        "private": False,
        "license_id": "odc-by",
        "update_frequency_unit": "เดือน",
        "update_frequency_interval": "1",
        "last_updated_date": "2026-11-01",
        "metadata_modified": "2026-11-02T03:00:00",
        "accessible_condition": "ไม่มีการจำกัดการเข้าถึงข้อมูล",
        "opendata_attest_complete": "True",
        "opendata_attest_primary": "True",
        "resources": [
            {"id": "r1", "name": "ส่งออก 2569", "format": "CSV", "url_type": "upload",
             "url": "http://portal.example/dataset/r1/download/export.csv",
             "last_modified": "2026-11-01T09:00:00",
             "resource_accessible_condition": "ไม่มีการจำกัดการเข้าถึงข้อมูล"},
            {"id": "r2", "name": "exports-api", "format": "JSON", "url_type": "",
             "url": "https://api.example.go.th/exports"},
        ],
    }
    dataset.update(changes)
    return dataset


def resources(*formats):
    return [{"id": f"r{i}", "name": f"res{i}", "format": fmt, "url_type": "upload"}
            for i, fmt in enumerate(formats)]


def check(key, dataset=None, checks=ALL_GOOD, now=NOW, **kwargs):
    return evaluate(dataset if dataset is not None else make_dataset(), now=now, checks=checks, **kwargs)[key]


def texts(result, lang="en"):
    return " | ".join({"th": th, "en": en}[lang](e) for e in result.evidence)


# --- the whole assessment ---------------------------------------------------

def test_a_good_dataset_meets_all_ten_in_order():
    assessment = evaluate(make_dataset(), now=NOW, checks=ALL_GOOD)
    assert [r.key for r in assessment.results] == list(p.PROPERTY_KEYS)
    assert p.PROPERTY_KEYS == (
        "complete", "primary", "timely", "accessible", "machine_readable",
        "non_discriminatory", "non_proprietary", "license_free", "permanent", "free_of_charge",
    )
    assert {r.key: r.status for r in assessment.results} == dict.fromkeys(p.PROPERTY_KEYS, MET)
    assert (assessment.score, assessment.total) == (10, 10)
    assert all(r.advice == p.NO_ADVICE and r.evidence for r in assessment.results)


def test_as_dict_is_json_serializable_message_ids_and_parameters():
    dataset = make_dataset(license_id="cc-nc", opendata_attest_primary=None)
    data = evaluate(dataset, now=NOW, checks=ALL_GOOD).as_dict()
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data
    assert (data["score"], data["total"]) == (8, 10)
    primary = data["properties"][1]
    assert primary["key"] == "primary"
    assert primary["name"] == "Primacy"
    assert primary["status"] == NEEDS_ATTESTATION
    assert primary["evidence"] == [{"id": "The publisher has not attested that the data is primary",
                                    "params": {}}]
    assert primary["advice"]["id"].startswith("Publish the data as collected at the source")
    assert primary["advice_for"] == "publisher"
    licence = data["properties"][7]
    assert (licence["key"], licence["status"]) == ("license_free", NOT_MET)
    assert licence["evidence"] == [{"id": "The licence {licence} forbids commercial use",
                                    "params": {"licence": "cc-nc"}}]
    assert data["properties"][0]["advice"] is None and data["properties"][0]["advice_for"] is None


def test_property_names_are_thai_and_english():
    names = {prop.key: (th(prop.name), en(prop.name)) for prop in p.PROPERTIES}
    assert names["machine_readable"] == ("เครื่องอ่านได้", "Machine readability")
    assert names["non_proprietary"] == ("ไม่มีกรรมสิทธิ์", "Non-proprietary formats")
    assert names["free_of_charge"] == ("ไม่มีค่าใช้จ่าย", "Free of charge")
    assert len(names) == 10


def test_only_a_sysadmin_can_set_up_the_comparison_with_data_go_th():
    """Not yet assessed until sync is set up: the advice is a sysadmin's to follow."""
    accessible = evaluate(make_dataset(), now=NOW)["accessible"]
    assert accessible.status == NEEDS_ATTESTATION
    assert accessible.advice_for == p.SYSADMIN
    assert "synchronisation" in en(accessible.advice)
    differs = evaluate(make_dataset(), now=NOW, checks=ExternalChecks(national_portal_identical=False))
    assert differs["accessible"].advice_for == p.PUBLISHER
    assert all(r.advice_for == p.PUBLISHER for r in evaluate(make_dataset(), now=NOW).results
               if r.key != "accessible")


def test_missing_checks_mean_needs_attestation_for_accessible_and_links():
    assessment = evaluate(make_dataset(), now=NOW)
    assert assessment["accessible"].status == NEEDS_ATTESTATION
    assert assessment["permanent"].status == NEEDS_ATTESTATION
    assert assessment.score == 8
    with pytest.raises(KeyError):
        assessment["openness"]


# --- complete and primary -----------------------------------------------------

@pytest.mark.parametrize("key, field", [
    ("complete", "opendata_attest_complete"), ("primary", "opendata_attest_primary"),
])
@pytest.mark.parametrize("value, status", [
    ("True", MET), (True, MET), ("False", NOT_MET), (False, NOT_MET),
    (None, NEEDS_ATTESTATION), ("", NEEDS_ATTESTATION), ("maybe", NEEDS_ATTESTATION),
])
def test_attested_properties(key, field, value, status):
    result = check(key, make_dataset(**{field: value}))
    assert result.status == status
    assert bool(en(result.advice)) == (status != MET)


def test_missing_attestation_field_needs_attestation():
    dataset = make_dataset()
    del dataset["opendata_attest_complete"]
    result = check("complete", dataset)
    assert result.status == NEEDS_ATTESTATION
    assert "not attested" in texts(result)


# --- timely -------------------------------------------------------------------

def test_timely_met_before_the_due_date_with_be_and_ce_evidence():
    result = check("timely")
    assert result.status == MET
    # the upload at 09:00 UTC is 16:00 in Bangkok; a monthly due is a date
    assert texts(result, "th") == (
        "ความถี่: ทุกเดือน | ปรับปรุงล่าสุด 1 พ.ย. 2569 16:00 น. (จากไฟล์ที่อัปโหลดหรือลิงก์ที่แก้ไขล่าสุด)"
        " | กำหนดปรับปรุงครั้งถัดไป 1 ธ.ค. 2569"
    )
    assert texts(result) == ("Frequency: every month | Last updated 1 Nov 2026 16:00 "
                             "(from the latest file upload or link change) | Next update due 1 Dec 2026")


def test_timely_says_when_the_declared_date_is_older_than_an_upload():
    dataset = make_dataset(last_updated_date="2026-10-01")  # r1 was uploaded on 1 Nov
    result = check("timely", dataset)
    assert "The declared last update date (1 Oct 2026) is older than the latest file upload" in texts(result)
    assert "(1 ต.ค. 2569) เก่ากว่าไฟล์ที่อัปโหลดล่าสุด" in texts(result, "th")
    assert "older" not in texts(check("timely"))


def test_timely_not_met_when_overdue():
    dataset = make_dataset(last_updated_date="2026-09-15", resources=resources("CSV"))
    result = check("timely", dataset)
    assert result.status == NOT_MET
    assert "เลยกำหนดปรับปรุงข้อมูลเมื่อ 15 ต.ค. 2569" in texts(result, "th")
    assert "The update was due 15 Oct 2026" in texts(result)
    assert en(result.advice) == "Update the data and its last update date, or correct the frequency to match real updates"


def test_timely_interval_counts():
    dataset = make_dataset(last_updated_date="2026-09-15", update_frequency_interval="๓",
                           resources=resources("CSV"))
    result = check("timely", dataset)
    assert result.status == MET
    assert "Next update due 15 Dec 2026" in texts(result)


def test_timely_daily_data_is_due_on_a_date_counted_in_bangkok():
    # 15:00 UTC on the 23rd is 22:00 in Bangkok: due on the 24th, overdue from the 25th
    dataset = make_dataset(update_frequency_unit="วัน", last_updated_date="2026-11-20",
                           update_frequency_time="08:00",
                           resources=[{"id": "a", "format": "CSV", "last_modified": "2026-11-23T15:00:00"}])
    result = check("timely", dataset, now=dt.datetime(2026, 11, 24, 23, 59))
    assert result.status == MET
    assert texts(result).endswith("Next update due 24 Nov 2026")
    assert check("timely", dataset, now=dt.datetime(2026, 11, 25, 0, 0)).status == NOT_MET


def test_timely_working_days_use_the_holidays_passed_in():
    dataset = make_dataset(update_frequency_unit="วันทำการ", last_updated_date="2026-11-20",
                           resources=resources("CSV"))  # a Friday
    # due on Monday (not on Saturday), overdue from Tuesday
    assert check("timely", dataset, now=dt.datetime(2026, 11, 22, 23, 0)).status == MET
    assert check("timely", dataset, now=dt.datetime(2026, 11, 23, 23, 59)).status == MET
    tuesday_noon = dt.datetime(2026, 11, 24, 12, 0)
    result = check("timely", dataset, now=tuesday_noon)
    assert result.status == NOT_MET
    assert "The update was due 23 Nov 2026" in texts(result)
    holiday = frozenset({dt.date(2026, 11, 23)})
    assert check("timely", dataset, now=tuesday_noon, holidays=holiday).status == MET
    assert "Next update due 24 Nov 2026" in texts(check("timely", dataset, now=tuesday_noon, holidays=holiday))


def test_timely_accepts_an_aware_now():
    # uploaded 03:00 UTC = 10:00 Bangkok; hourly data is due at 11:00 Bangkok = 04:00 UTC
    dataset = make_dataset(update_frequency_unit="ชั่วโมง", last_updated_date=None,
                           resources=[{"id": "a", "format": "CSV", "last_modified": "2026-11-24T03:00:00"}])
    utc = dt.timezone.utc
    assert "Next update due 24 Nov 2026 11:00" in texts(check("timely", dataset, now=dt.datetime(2026, 11, 24, 10, 30)))
    assert check("timely", dataset, now=dt.datetime(2026, 11, 24, 3, 30, tzinfo=utc)).status == MET
    assert check("timely", dataset, now=dt.datetime(2026, 11, 24, 4, 30, tzinfo=utc)).status == NOT_MET


def test_never_updated_after_collection_is_timely():
    dataset = make_dataset(update_frequency_unit="ไม่มีการปรับปรุงหลังจากการจัดเก็บข้อมูล",
                           last_updated_date="2001-01-01", resources=resources("CSV"))
    result = check("timely", dataset)
    assert result.status == MET
    assert "as timely as it can be" in texts(result)


@pytest.mark.parametrize("unit", ["ไม่ทราบ", "อื่นๆ", "", None])
def test_timely_needs_attestation_without_a_due_date(unit):
    result = check("timely", make_dataset(update_frequency_unit=unit, update_frequency_unit_other="ตามรอบงบประมาณ"))
    assert result.status == NEEDS_ATTESTATION
    assert "no due date" in texts(result)
    assert "update frequency" in en(result.advice)


def test_timely_shows_the_other_unit_text():
    result = check("timely", make_dataset(update_frequency_unit="อื่นๆ", update_frequency_unit_other="ตามรอบงบประมาณ"))
    assert "อื่นๆ (ตามรอบงบประมาณ)" in texts(result, "th")


@pytest.mark.parametrize("changes, fragment", [
    ({"update_frequency_interval": "0"}, "1 or more"),
    ({"update_frequency_interval": "ทุกเดือน"}, "whole number"),
    ({"update_frequency_unit": "monthly"}, "Unknown update frequency unit"),
    ({"update_frequency_unit": "ปี", "update_frequency_interval": "99999"}, "too large"),
])
def test_timely_needs_attestation_for_bad_frequency_values(changes, fragment):
    result = check("timely", make_dataset(**changes))
    assert result.status == NEEDS_ATTESTATION
    assert fragment in texts(result)


def test_timely_needs_attestation_without_any_update_date():
    dataset = make_dataset(last_updated_date="", metadata_modified=None, resources=resources("CSV"))
    result = check("timely", dataset)
    assert result.status == NEEDS_ATTESTATION
    assert texts(result) == "No last update date is recorded"


def test_timely_falls_back_to_metadata_modified():
    dataset = make_dataset(last_updated_date=None, metadata_modified="2026-10-01T00:00:00",
                           resources=resources("CSV"))
    result = check("timely", dataset)
    assert result.status == NOT_MET
    assert "Last updated 1 Oct 2026 07:00 (from the latest change of the metadata)" in texts(result)


# --- accessible ---------------------------------------------------------------

@pytest.mark.parametrize("identical, status, fragment", [
    (True, MET, "identical"),
    (False, NOT_MET, "differs from its copy on data.go.th"),
    (None, NEEDS_ATTESTATION, "Not yet compared with the copy on data.go.th"),
])
def test_accessible_follows_the_national_portal_comparison(identical, status, fragment):
    result = check("accessible", checks=ExternalChecks(national_portal_identical=identical))
    assert result.status == status
    assert fragment in texts(result)


# --- machine_readable ---------------------------------------------------------

@pytest.mark.parametrize("formats", [
    ["CSV"], ["csv", ".json", "Xlsx"], ["XML", "ODS", "RDF", "GeoJSON", "Shapefile"],
    ["KML", "GML", "GeoTIFF", "API", "Parquet", "SQL", "TSV", "XLS"],
])
def test_machine_readable_met(formats):
    result = check("machine_readable", make_dataset(resources=resources(*formats)))
    assert result.status == MET
    assert en(result.evidence[0]).startswith("Every resource is in a machine-readable format")


@pytest.mark.parametrize("bad", ["PDF", "DOC", "DOCX", "JPG", "JPEG", "PNG", "GIF", "TIFF", "HTML", "TXT", "ZIP"])
def test_machine_readable_not_met_lists_the_offending_resources(bad):
    result = check("machine_readable", make_dataset(resources=resources("CSV", bad)))
    assert result.status == NOT_MET
    assert len(result.evidence) == 1
    assert en(result.evidence[0]).startswith("“res1” is ")
    assert "“res1”" in th(result.evidence[0])
    assert "PDF → CSV" in en(result.advice)


def test_machine_readable_not_met_without_resources_or_formats():
    assert en(check("machine_readable", make_dataset(resources=[])).evidence[0]) == "The dataset has no resources"
    result = check("machine_readable", make_dataset(resources=[{"name": "x", "format": "", "url": "http://a.example/"}]))
    assert result.status == NOT_MET
    assert texts(result) == "“x” has no format"


def test_blank_format_falls_back_to_the_url_extension():
    resource = {"name": "x", "format": "", "url": "https://a.example/files/data.csv?download=1"}
    assert p.normalize_format(resource) == "CSV"
    assert p.normalize_format({"url": "https://a.example.go.th"}) == ""
    assert check("machine_readable", make_dataset(resources=[resource])).status == MET


# --- non_proprietary ----------------------------------------------------------

@pytest.mark.parametrize("formats", [
    ["CSV", "JSON", "XML", "ODS", "RDF", "GeoJSON", "KML", "GML", "GeoTIFF"],
    ["Parquet", "TXT", "HTML", "PDF", "SHP", "TSV"],
])
def test_non_proprietary_met_for_open_formats(formats):
    assert check("non_proprietary", make_dataset(resources=resources(*formats))).status == MET


@pytest.mark.parametrize("bad", ["XLS", "XLSX", "DOC", "DOCX", "XLS/XLSX"])
def test_non_proprietary_not_met_for_proprietary_formats(bad):
    result = check("non_proprietary", make_dataset(resources=resources("CSV", bad, "ZIP")))
    assert result.status == NOT_MET
    shown = "XLS" if bad == "XLS/XLSX" else bad  # the alias of Excel
    # the proprietary format first, and the unknown one is still reported
    assert texts(result) == f"“res1” is {shown}, a proprietary format | Cannot tell whether the format ZIP of “res2” is open"
    assert "CSV or ODS" in en(result.advice)


@pytest.mark.parametrize("unknown", ["ZIP", "API", "SQL", ""])
def test_non_proprietary_needs_attestation_for_unknown_formats(unknown):
    result = check("non_proprietary", make_dataset(resources=resources("CSV", unknown)))
    assert result.status == NEEDS_ATTESTATION
    assert "Cannot tell whether the format" in texts(result)


def test_non_proprietary_not_met_without_resources():
    assert check("non_proprietary", make_dataset(resources=[])).status == NOT_MET


# --- license_free -------------------------------------------------------------

@pytest.mark.parametrize("license_id", [
    "cc-by", "cc-by-sa", "cc-zero", "odc-by", "odc-odbl", "odc-pddl", "other-open", "other-pd",
    "other-at", "gfdl", "Open Data Common", "Creative Commons Attributions",
    "Creative Commons Attribution Share-Alike", "CC-BY",
])
def test_license_free_met_for_open_licences(license_id):
    result = check("license_free", make_dataset(license_id=license_id))
    assert result.status == MET
    assert texts(result) == f"{license_id} is an open licence"


@pytest.mark.parametrize("license_id, clause", [
    ("cc-nc", "forbids commercial use"),
    ("Creative Commons Attribution Non-Commercial", "forbids commercial use"),
    ("Creative Commons Attribution Non-Commercial Share-Alike", "forbids commercial use"),
    ("Creative Commons Attribution No-Derivs", "forbids derivative works"),
    ("Creative Commons Attribution Non-Commercial No-Derivs", "forbids commercial use and derivative works"),
    ("CC-BY-ND-4.0", "forbids derivative works"),
])
def test_license_free_not_met_for_nc_and_nd(license_id, clause):
    result = check("license_free", make_dataset(license_id=license_id),
                   open_license_ids=p.DEFAULT_OPEN_LICENSE_IDS | {license_id})
    assert result.status == NOT_MET
    assert texts(result) == f"The licence {license_id} {clause}"


@pytest.mark.parametrize("license_id, text", [
    ("", "No licence is specified"), (None, "No licence is specified"),
    ("notspecified", "No licence is specified"), ("other-closed", "other-closed is not a recognised open licence"),
])
def test_license_free_not_met_without_an_open_licence(license_id, text):
    result = check("license_free", make_dataset(license_id=license_id))
    assert result.status == NOT_MET
    assert texts(result) == text
    assert "Open Data Common" in en(result.advice)


def test_license_free_uses_the_callers_open_ids():
    dataset = make_dataset(license_id="ogl-th")
    assert check("license_free", dataset).status == NOT_MET
    assert check("license_free", dataset, open_license_ids=frozenset({"ogl-th"})).status == MET


def test_license_free_other_licence_needs_attestation():
    result = check("license_free", make_dataset(license_id="อื่นๆ", license_id_other="สัญญาอนุญาตของกรม"))
    assert result.status == NEEDS_ATTESTATION
    assert texts(result, "th") == "สัญญาอนุญาตอื่นๆ: สัญญาอนุญาตของกรม"


# --- non_discriminatory -------------------------------------------------------

def test_non_discriminatory_met_for_public_unrestricted_data():
    result = check("non_discriminatory", make_dataset(accessible_condition=""))
    assert result.status == MET
    assert "without logging in" in texts(result)


@pytest.mark.parametrize("private", [True, "True"])
def test_non_discriminatory_not_met_when_private(private):
    result = check("non_discriminatory", make_dataset(private=private))
    assert result.status == NOT_MET
    assert texts(result) == "The dataset is private: only logged-in members can see it"


def test_non_discriminatory_not_met_when_a_resource_requires_login():
    dataset = make_dataset()
    dataset["resources"][1]["resource_accessible_condition"] = "ต้องลงทะเบียนก่อนใช้งาน"
    result = check("non_discriminatory", dataset)
    assert result.status == NOT_MET
    assert texts(result) == "“exports-api” has an access condition: ต้องลงทะเบียนก่อนใช้งาน"
    assert "without registering" in en(result.advice)


def test_non_discriminatory_checks_the_dataset_access_condition_too():
    result = check("non_discriminatory", make_dataset(accessible_condition="เฉพาะหน่วยงานรัฐ"))
    assert result.status == NOT_MET
    assert texts(result, "th") == "ชุดข้อมูลมีเงื่อนไขการเข้าถึง: เฉพาะหน่วยงานรัฐ"


# --- permanent ----------------------------------------------------------------

def test_permanent_met_when_uploads_and_links_answer():
    assert check("permanent").status == MET
    only_uploads = make_dataset(resources=resources("CSV", "JSON"))
    assert check("permanent", only_uploads, checks=ExternalChecks()).status == MET


def test_permanent_not_met_when_a_link_fails():
    result = check("permanent", checks=ExternalChecks(url_status={"r2": False}))
    assert result.status == NOT_MET
    assert texts(result) == "The link of “exports-api” fails: https://api.example.go.th/exports"
    assert en(result.advice)


@pytest.mark.parametrize("checks", [None, ExternalChecks(), ExternalChecks(url_status={}),
                                    ExternalChecks(url_status={"r2": None})])
def test_permanent_needs_attestation_when_links_are_not_checked(checks):
    result = check("permanent", checks=checks)
    assert result.status == NEEDS_ATTESTATION
    assert texts(result) == "The link of “exports-api” has not been checked"


def test_permanent_a_failed_link_counts_before_an_unchecked_one():
    dataset = make_dataset()
    dataset["resources"].append({"id": "r3", "name": "old-api", "url": "https://old.example.go.th/x"})
    for status in ({"r2": None, "r3": False}, {"r3": False}):
        result = check("permanent", dataset, checks=ExternalChecks(url_status=status))
        assert result.status == NOT_MET
        assert texts(result) == "The link of “old-api” fails: https://old.example.go.th/x"


def test_permanent_not_met_without_resources():
    assert check("permanent", make_dataset(resources=[])).status == NOT_MET


# --- free_of_charge -----------------------------------------------------------

@pytest.mark.parametrize("value", [None, "", "True"])
def test_free_of_charge_met_by_default(value):
    result = check("free_of_charge", make_dataset(opendata_attest_free_of_charge=value))
    assert result.status == MET
    assert texts(result) == "The portal charges nothing for downloads"


def test_free_of_charge_not_met_when_the_publisher_says_it_is_charged():
    result = check("free_of_charge", make_dataset(opendata_attest_free_of_charge="False"))
    assert result.status == NOT_MET
    assert th(result.advice) == "ให้ทุกคนดาวน์โหลดข้อมูลได้โดยไม่มีค่าใช้จ่าย"


def test_timely_writes_clock_times_in_the_display_zone_and_dates_as_they_are():
    # uploaded 03:00 UTC = 10:00 Bangkok; hourly data is due at 11:00 Bangkok
    hourly = make_dataset(update_frequency_unit="ชั่วโมง", last_updated_date=None,
                          resources=[{"id": "a", "format": "CSV", "last_modified": "2026-11-24T03:00:00"}])
    now = dt.datetime(2026, 11, 24, 10, 30)
    in_bangkok = texts(check("timely", hourly, now=now))
    assert "Last updated 24 Nov 2026 10:00" in in_bangkok and "Next update due 24 Nov 2026 11:00" in in_bangkok
    in_utc = texts(check("timely", hourly, now=now, zone=dt.timezone.utc))
    assert "Last updated 24 Nov 2026 03:00" in in_utc and "Next update due 24 Nov 2026 04:00" in in_utc
    assert check("timely", hourly, now=now, zone=dt.timezone.utc).status == MET
    # a due date has no clock time, so no zone moves it
    monthly = make_dataset(last_updated_date="2026-11-01", resources=resources("CSV"))
    assert texts(check("timely", monthly, zone=dt.timezone(dt.timedelta(hours=-10)))).endswith(
        "Next update due 1 Dec 2026")
    assert p.assess_timely(hourly, now=now, zone=dt.timezone.utc) == check("timely", hourly, now=now,
                                                                           zone=dt.timezone.utc)


def test_a_file_the_quality_check_found_no_table_in_is_not_machine_readable():
    """A PDF uploaded as "CSV": the format it declares is not the evidence,
    the data-quality check's reading of its file is."""
    dataset = make_dataset(resources=resources("CSV", "CSV"))
    dataset["resources"][1]["id"] = "res-pdf"
    result = check("machine_readable", dataset, checks=ExternalChecks(not_tables=frozenset({"res-pdf"})))
    assert result.status == NOT_MET
    assert texts(result) == ("“res1” says it is CSV, but the data-quality check found that its file "
                             "is not a data table")
    assert "“res1”" in th(result.evidence[0])
    assert check("machine_readable", dataset, checks=ExternalChecks(not_tables=frozenset({"other"}))).status == MET
