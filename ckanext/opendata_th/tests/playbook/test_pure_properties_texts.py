"""The ten properties branch by branch, with the exact status, evidence and
advice a publisher reads, rendered as a Thai page (through the Thai catalog)
and an English page show them. The clock is always given."""
import datetime as dt

import pytest

from ckanext.opendata_th.playbook import frequency
from ckanext.opendata_th.playbook import properties as p
from ckanext.opendata_th.playbook.messages import Message
from ckanext.opendata_th.playbook.properties import (
    MET,
    NEEDS_ATTESTATION,
    NOT_MET,
    ExternalChecks,
    PropertyResult,
    evaluate,
)
from ckanext.opendata_th.tests.playbook.catalog import B, shown

NOW = dt.datetime(2026, 11, 24, 12, 0)   # a Tuesday, naive Bangkok time
NO_RESOURCES = B("ชุดข้อมูลยังไม่มีทรัพยากรข้อมูล", "The dataset has no resources")


def result(key, dataset, checks=None, now=NOW, **kwargs):
    return evaluate(dataset, now=now, checks=checks, **kwargs)[key]


NO_ADVICE = B("", "")


def evidence_of(res):
    return tuple(shown(e) for e in res.evidence)


def outcome(res):
    return res.status, evidence_of(res), shown(res.advice)


# --- complete and primary -------------------------------------------------------

COMPLETE_ADVICE = B(
    "เผยแพร่ข้อมูลทั้งหมดที่เปิดเผยได้ (ยกเว้นส่วนที่กฎหมายคุ้มครอง) แล้วยืนยันความครบถ้วน",
    "Publish all the data that can be disclosed (except what the law protects), then attest completeness",
)
PRIMARY_ADVICE = B(
    "เผยแพร่ข้อมูลตามที่จัดเก็บจากแหล่งต้นทางในระดับละเอียดที่สุด ไม่สรุปหรือดัดแปลง แล้วยืนยันอีกครั้ง",
    "Publish the data as collected at the source, at the finest level of detail, not aggregated or "
    "modified, then attest it",
)


@pytest.mark.parametrize("value, expected", [
    ("True", (MET, (B("ผู้เผยแพร่ยืนยันว่าข้อมูลครบถ้วน", "The publisher attests that the data is complete"),),
              NO_ADVICE)),
    (" TRUE ", (MET, (B("ผู้เผยแพร่ยืนยันว่าข้อมูลครบถ้วน", "The publisher attests that the data is complete"),),
                NO_ADVICE)),
    ("false", (NOT_MET, (B("ผู้เผยแพร่ระบุว่าข้อมูลยังไม่ครบถ้วน",
                           "The publisher states that the data is not complete"),), COMPLETE_ADVICE)),
    ("yes", (NEEDS_ATTESTATION, (B("ผู้เผยแพร่ยังไม่ได้ยืนยันความครบถ้วนของข้อมูล",
                                   "The publisher has not attested completeness"),), COMPLETE_ADVICE)),
])
def test_complete(value, expected):
    assert outcome(result("complete", {"opendata_attest_complete": value})) == expected


@pytest.mark.parametrize("value, expected", [
    (True, (MET, (B("ผู้เผยแพร่ยืนยันว่าเป็นข้อมูลจากแหล่งต้นทาง", "The publisher attests that the data is primary"),),
            NO_ADVICE)),
    (False, (NOT_MET, (B("ผู้เผยแพร่ระบุว่าไม่ใช่ข้อมูลจากแหล่งต้นทาง",
                         "The publisher states that the data is not primary"),), PRIMARY_ADVICE)),
    (None, (NEEDS_ATTESTATION, (B("ผู้เผยแพร่ยังไม่ได้ยืนยันว่าเป็นข้อมูลปฐมภูมิ",
                                  "The publisher has not attested that the data is primary"),), PRIMARY_ADVICE)),
])
def test_primary(value, expected):
    assert outcome(result("primary", {"opendata_attest_primary": value})) == expected


# --- timely ---------------------------------------------------------------------

SET_FREQUENCY = B(
    "เลือกหน่วยและค่าความถี่ของการปรับปรุงข้อมูลจากรายการ (เช่น ทุก 1 เดือน) และระบุวันที่ปรับปรุงข้อมูลล่าสุด",
    "Choose the update frequency unit and interval from the list (e.g. every 1 month) and record the last update date",
)
UPDATE_NOW = B(
    "ปรับปรุงข้อมูลและวันที่ปรับปรุงข้อมูลล่าสุด หรือแก้ไขความถี่ให้ตรงกับการปรับปรุงจริง",
    "Update the data and its last update date, or correct the frequency to match real updates",
)
UPLOADED = ("จากไฟล์ที่อัปโหลดหรือลิงก์ที่แก้ไขล่าสุด", "from the latest file upload or link change")


def test_timely_with_a_declared_date_shows_dates_without_a_time():
    dataset = {"update_frequency_unit": "เดือน", "update_frequency_interval": "๓",
               "last_updated_date": "2026-11-01", "resources": [{"id": "a", "url_type": "upload"}]}
    assert outcome(result("timely", dataset)) == (MET, (
        B("ความถี่: ทุก 3 เดือน", "Frequency: every 3 months"),
        B("ปรับปรุงล่าสุด 1 พ.ย. 2569 (ตามวันที่ที่ผู้เผยแพร่ระบุ)", "Last updated 1 Nov 2026 (as declared by the publisher)"),
        B("กำหนดปรับปรุงครั้งถัดไป 1 ก.พ. 2570", "Next update due 1 Feb 2027"),
    ), NO_ADVICE)


def test_timely_overdue_after_an_upload_newer_than_the_declared_date():
    # 02:00 UTC on 10 Sep is 09:00 in Bangkok; a month later is 10 Oct, long before 24 Nov
    dataset = {"update_frequency_unit": "เดือน", "last_updated_date": "2026-09-01",
               "resources": [{"id": "a", "last_modified": "2026-09-10T02:00:00"}]}
    assert outcome(result("timely", dataset)) == (NOT_MET, (
        B("ความถี่: ทุกเดือน", "Frequency: every month"),
        B(f"ปรับปรุงล่าสุด 10 ก.ย. 2569 09:00 น. ({UPLOADED[0]})", f"Last updated 10 Sep 2026 09:00 ({UPLOADED[1]})"),
        B("วันที่ปรับปรุงข้อมูลล่าสุดที่ระบุไว้ (1 ก.ย. 2569) เก่ากว่าไฟล์ที่อัปโหลดล่าสุด",
          "The declared last update date (1 Sep 2026) is older than the latest file upload"),
        B("เลยกำหนดปรับปรุงข้อมูลเมื่อ 10 ต.ค. 2569", "The update was due 10 Oct 2026"),
    ), UPDATE_NOW)


def test_timely_hourly_data_is_due_at_a_time_of_day():
    # 03:00 UTC is 10:00 in Bangkok; every 6 hours: due at 16:00
    dataset = {"update_frequency_unit": "ชั่วโมง", "update_frequency_interval": 6,
               "resources": [{"id": "a", "last_modified": "2026-11-24T03:00:00"}]}
    expected = (
        B("ความถี่: ทุก 6 ชั่วโมง", "Frequency: every 6 hours"),
        B(f"ปรับปรุงล่าสุด 24 พ.ย. 2569 10:00 น. ({UPLOADED[0]})", f"Last updated 24 Nov 2026 10:00 ({UPLOADED[1]})"),
    )
    assert outcome(result("timely", dataset, now=dt.datetime(2026, 11, 24, 16, 0))) == (MET, expected + (
        B("กำหนดปรับปรุงครั้งถัดไป 24 พ.ย. 2569 16:00 น.", "Next update due 24 Nov 2026 16:00"),), NO_ADVICE)
    assert outcome(result("timely", dataset, now=dt.datetime(2026, 11, 24, 16, 0, 1))) == (NOT_MET, expected + (
        B("เลยกำหนดปรับปรุงข้อมูลเมื่อ 24 พ.ย. 2569 16:00 น.", "The update was due 24 Nov 2026 16:00"),), UPDATE_NOW)


def test_timely_from_the_metadata_change_alone():
    dataset = {"update_frequency_unit": "ปี", "metadata_modified": "2026-01-15T20:30:00"}  # 03:30 on the 16th
    status, evidence, _ = outcome(result("timely", dataset))
    assert status == MET
    assert evidence[1] == B("ปรับปรุงล่าสุด 16 ม.ค. 2569 03:30 น. (จากการแก้ไขคำอธิบายชุดข้อมูลล่าสุด)",
                            "Last updated 16 Jan 2026 03:30 (from the latest change of the metadata)")
    assert evidence[2] == B("กำหนดปรับปรุงครั้งถัดไป 16 ม.ค. 2570", "Next update due 16 Jan 2027")


def test_never_updated_data_is_timely():
    dataset = {"update_frequency_unit": "ไม่มีการปรับปรุงหลังจากการจัดเก็บข้อมูล"}
    assert outcome(result("timely", dataset)) == (MET, (B(
        "ข้อมูลไม่มีการปรับปรุงหลังจากการจัดเก็บ จึงเป็นปัจจุบันเท่าที่เป็นไปได้แล้ว",
        "The data is not updated after collection, so it is as timely as it can be"),), NO_ADVICE)


@pytest.mark.parametrize("unit, other, th, en", [
    ("ไม่ทราบ", "ตามรอบงบประมาณ", "ไม่ทราบ", "unknown"),          # the other text belongs to "other" only
    (None, None, "ไม่ทราบ", "unknown"),
    ("อื่นๆ", "ตามรอบงบประมาณ", "อื่นๆ (ตามรอบงบประมาณ)", "other (ตามรอบงบประมาณ)"),
    ("อื่นๆ", "  ", "อื่นๆ", "other"),
    ("อื่นๆ", None, "อื่นๆ", "other"),
])
def test_timely_without_a_computable_due_date(unit, other, th, en):
    dataset = {"update_frequency_unit": unit, "update_frequency_unit_other": other,
               "last_updated_date": "2026-11-01"}
    assert outcome(result("timely", dataset)) == (NEEDS_ATTESTATION, (B(
        f"ความถี่ของการปรับปรุงข้อมูล: {th} จึงคำนวณกำหนดปรับปรุงไม่ได้",
        f"Update frequency: {en}, so no due date can be computed"),), SET_FREQUENCY)


@pytest.mark.parametrize("changes, th, en", [
    ({"update_frequency_interval": "0"}, "ค่าความถี่ของการปรับปรุงข้อมูลต้องมีค่าตั้งแต่ 1 ขึ้นไป (ค่าที่ระบุ: 0)",
     "The update frequency interval must be 1 or more (you gave 0)"),
    ({"update_frequency_unit": "ปี", "update_frequency_interval": "99999"},
     "ค่าความถี่ของการปรับปรุงข้อมูลมากเกินไป (99999 ปี)", "The update frequency interval is too large (99999 years)"),
])
def test_timely_with_an_unusable_frequency(changes, th, en):
    dataset = {"update_frequency_unit": "เดือน", "last_updated_date": "2026-11-01", **changes}
    assert outcome(result("timely", dataset)) == (NEEDS_ATTESTATION, (B(th, en),), SET_FREQUENCY)


def test_timely_without_a_last_update():
    dataset = {"update_frequency_unit": "เดือน", "resources": [{"id": "a", "last_modified": None}]}
    assert outcome(result("timely", dataset)) == (NEEDS_ATTESTATION, (B(
        "ไม่พบวันที่ปรับปรุงข้อมูลล่าสุด", "No last update date is recorded"),), SET_FREQUENCY)


def test_assess_timely_alone_with_a_known_last_update_and_an_aware_clock():
    dataset = {"update_frequency_unit": "วัน", "last_updated_date": "2026-01-01"}
    assert p.assess_timely(dataset, now=NOW).status == NOT_MET
    recent = frequency.LastUpdate(dt.datetime(2026, 11, 24), frequency.DECLARED, dt.date(2026, 11, 24))
    # due on 25 Nov, overdue from 26 Nov 00:00 in Bangkok = 25 Nov 17:00 UTC
    utc = dt.timezone.utc
    assert p.assess_timely(dataset, now=dt.datetime(2026, 11, 25, 16, 59, tzinfo=utc), last=recent).status == MET
    late = p.assess_timely(dataset, now=dt.datetime(2026, 11, 25, 17, 0, tzinfo=utc), last=recent)
    assert late.status == NOT_MET
    assert evidence_of(late)[-1] == B("เลยกำหนดปรับปรุงข้อมูลเมื่อ 25 พ.ย. 2569", "The update was due 25 Nov 2026")


def test_assess_timely_skips_holidays():
    dataset = {"update_frequency_unit": "วันทำการ", "last_updated_date": "2026-11-20"}  # a Friday
    assert p.assess_timely(dataset, now=NOW).status == NOT_MET     # due Mon 23
    off = frozenset({dt.date(2026, 11, 23)})
    assert evidence_of(p.assess_timely(dataset, now=NOW, holidays=off))[-1] == B(
        "กำหนดปรับปรุงครั้งถัดไป 24 พ.ย. 2569", "Next update due 24 Nov 2026")


# --- accessible -------------------------------------------------------------------

@pytest.mark.parametrize("identical, expected", [
    (True, (MET, (B("ชุดข้อมูลในพอร์ทัลหน่วยงานตรงกับ data.go.th",
                    "The dataset is identical on the agency portal and on data.go.th"),), NO_ADVICE)),
    (False, (NOT_MET, (B("ชุดข้อมูลในพอร์ทัลหน่วยงานไม่ตรงกับ data.go.th",
                         "The dataset differs from its copy on data.go.th"),),
             B("เผยแพร่ชุดข้อมูลไปยัง data.go.th อีกครั้งเพื่อให้ทั้งสองแห่งตรงกัน",
               "Publish the dataset to data.go.th again so that both copies are identical"))),
    (None, (NEEDS_ATTESTATION, (B("ยังไม่ได้เปรียบเทียบกับชุดข้อมูลบน data.go.th",
                                  "Not yet compared with the copy on data.go.th"),),
            B("ตั้งค่าการเชื่อมโยงกับ data.go.th เพื่อให้พอร์ทัลเปรียบเทียบชุดข้อมูลแต่ละชุดกับชุดข้อมูลบน data.go.th ได้",
              "Set up synchronisation with data.go.th so that the portal can compare each dataset with its copy there"))),
])
def test_accessible(identical, expected):
    checks = ExternalChecks(national_portal_identical=identical)
    assert outcome(result("accessible", {}, checks)) == expected


# --- machine readable ----------------------------------------------------------------

CONVERT = B("แปลงทรัพยากรเหล่านี้เป็นรูปแบบที่เครื่องอ่านได้ (เช่น PDF → CSV) และระบุรูปแบบของทุกทรัพยากร",
            "Convert these resources to a machine-readable format (e.g. PDF → CSV) and set every resource's format")


def test_machine_readable_lists_each_format_once_in_order():
    resources = [{"format": "json"}, {"format": "CSV"}, {"format": "Shapefile"}, {"format": ".csv"}]
    assert outcome(result("machine_readable", {"resources": resources})) == (MET, (B(
        "ทุกทรัพยากรอยู่ในรูปแบบที่เครื่องอ่านได้ (CSV, JSON, SHP)",
        "Every resource is in a machine-readable format (CSV, JSON, SHP)"),), NO_ADVICE)


def test_machine_readable_names_resources_by_name_id_url_or_position():
    resources = [
        {"name": "รายงาน", "id": "r1", "format": "PDF"},
        {"id": "r2", "format": ""},
        {"url": "http://x.example/a", "format": "doc"},
        {"format": "CSV"},
        {"format": "jpeg"},
    ]
    assert outcome(result("machine_readable", {"resources": resources})) == (NOT_MET, (
        B("“รายงาน” อยู่ในรูปแบบ PDF ซึ่งเครื่องอ่านไม่ได้", "“รายงาน” is PDF, which is not machine-readable"),
        B("“r2” ไม่ได้ระบุรูปแบบ", "“r2” has no format"),
        B("“http://x.example/a” อยู่ในรูปแบบ DOC ซึ่งเครื่องอ่านไม่ได้",
          "“http://x.example/a” is DOC, which is not machine-readable"),
        B("“#5” อยู่ในรูปแบบ JPG ซึ่งเครื่องอ่านไม่ได้", "“#5” is JPG, which is not machine-readable"),
    ), CONVERT)


def test_machine_readable_without_resources():
    assert outcome(result("machine_readable", {"resources": []})) == (NOT_MET, (NO_RESOURCES,), CONVERT)
    assert outcome(result("machine_readable", {"resources": None})) == (NOT_MET, (NO_RESOURCES,), CONVERT)


# --- non proprietary --------------------------------------------------------------------

OPEN_INSTEAD = B("เผยแพร่ในรูปแบบเปิด เช่น CSV หรือ ODS แทน XLS/XLSX/DOC/DOCX",
                 "Publish in an open format such as CSV or ODS instead of XLS/XLSX/DOC/DOCX")
CHECK_FORMAT = B("ระบุรูปแบบของทรัพยากร และตรวจสอบว่ามีข้อกำหนดเปิดเผยที่ใช้ได้โดยไม่ต้องพึ่งซอฟต์แวร์ของผู้ผลิตรายเดียว",
                 "Set the resource format and check that it has an open specification usable without one "
                 "vendor's software")


def test_non_proprietary_met_lists_the_open_formats():
    resources = [{"format": "pdf"}, {"format": "CSV"}, {"format": "text/csv"}]
    assert outcome(result("non_proprietary", {"resources": resources})) == (MET, (B(
        "ทุกทรัพยากรอยู่ในรูปแบบเปิด (CSV, PDF)", "Every resource is in an open format (CSV, PDF)"),), NO_ADVICE)


def test_non_proprietary_keeps_the_unknown_formats_after_the_proprietary_ones():
    resources = [{"name": "c", "format": "ZIP"}, {"name": "a", "format": "CSV"},
                 {"name": "b", "format": "xlsx"}, {"name": "d", "format": ""}]
    assert outcome(result("non_proprietary", {"resources": resources})) == (NOT_MET, (
        B("“b” อยู่ในรูปแบบ XLSX ซึ่งผูกกับซอฟต์แวร์ของผู้ผลิตรายเดียว", "“b” is XLSX, a proprietary format"),
        B("ไม่ทราบว่ารูปแบบ ZIP ของ “c” เป็นรูปแบบเปิดหรือไม่", "Cannot tell whether the format ZIP of “c” is open"),
        B("ไม่ทราบว่ารูปแบบ - ของ “d” เป็นรูปแบบเปิดหรือไม่", "Cannot tell whether the format - of “d” is open"),
    ), OPEN_INSTEAD)


def test_non_proprietary_needs_attestation_when_only_unknown_formats_remain():
    resources = [{"id": "r1", "format": "CSV"}, {"format": "API"}]
    assert outcome(result("non_proprietary", {"resources": resources})) == (NEEDS_ATTESTATION, (B(
        "ไม่ทราบว่ารูปแบบ API ของ “#2” เป็นรูปแบบเปิดหรือไม่", "Cannot tell whether the format API of “#2” is open"),
    ), CHECK_FORMAT)


def test_non_proprietary_without_resources():
    assert outcome(result("non_proprietary", {})) == (NOT_MET, (NO_RESOURCES,), B(
        "เพิ่มทรัพยากรข้อมูลในรูปแบบเปิด เช่น CSV", "Add a resource in an open format such as CSV"))


# --- non discriminatory ---------------------------------------------------------------------

MAKE_PUBLIC = B(
    "เผยแพร่เป็นสาธารณะเมื่อได้รับอนุมัติ และยกเลิกเงื่อนไขการเข้าถึง ให้ทุกคนดาวน์โหลดได้โดยไม่ต้องลงทะเบียน",
    "Make the dataset public once approved and remove access conditions, so that anyone can download it "
    "without registering",
)


def test_non_discriminatory_lists_every_restriction():
    dataset = {"private": "true", "accessible_condition": " เฉพาะหน่วยงานรัฐ ",
               "resources": [{"name": "api", "resource_accessible_condition": "ต้องลงทะเบียน"},
                             {"resource_accessible_condition": "ไม่มีการจำกัดการเข้าถึงข้อมูล"},
                             {"resource_accessible_condition": "ขออนุญาตก่อน"}]}
    assert outcome(result("non_discriminatory", dataset)) == (NOT_MET, (
        B("ชุดข้อมูลนี้ไม่เผยแพร่ เฉพาะสมาชิกของหน่วยงานที่เข้าสู่ระบบจึงเห็นได้",
          "The dataset is private: only logged-in members can see it"),
        B("ชุดข้อมูลมีเงื่อนไขการเข้าถึง: เฉพาะหน่วยงานรัฐ", "The dataset has an access condition: เฉพาะหน่วยงานรัฐ"),
        B("“api” มีเงื่อนไขการเข้าถึง: ต้องลงทะเบียน", "“api” has an access condition: ต้องลงทะเบียน"),
        B("“#3” มีเงื่อนไขการเข้าถึง: ขออนุญาตก่อน", "“#3” has an access condition: ขออนุญาตก่อน"),
    ), MAKE_PUBLIC)


@pytest.mark.parametrize("private", [False, "False", None, ""])
def test_non_discriminatory_met(private):
    dataset = {"private": private, "accessible_condition": "ไม่มีการจำกัดการเข้าถึงข้อมูล",
               "resources": [{"name": "a", "resource_accessible_condition": ""}]}
    assert outcome(result("non_discriminatory", dataset)) == (MET, (B(
        "ชุดข้อมูลเป็นสาธารณะ ทุกคนเข้าถึงได้โดยไม่ต้องเข้าสู่ระบบหรือลงทะเบียน",
        "The dataset is public: anyone can access it without logging in or registering"),), NO_ADVICE)


# --- licence ------------------------------------------------------------------------------------

CHOOSE_OPEN = B("เลือกสัญญาอนุญาตแบบเปิด เช่น Open Data Common หรือ Creative Commons Attributions",
                "Choose an open licence such as Open Data Common or Creative Commons Attributions")


@pytest.mark.parametrize("license_id, th, en", [
    ("", "ยังไม่ได้ระบุสัญญาอนุญาต", "No licence is specified"),
    ("NotSpecified", "ยังไม่ได้ระบุสัญญาอนุญาต", "No licence is specified"),
    ("cc-by-nc-nd", "สัญญาอนุญาต cc-by-nc-nd ห้ามใช้เพื่อการค้าและห้ามดัดแปลง",
     "The licence cc-by-nc-nd forbids commercial use and derivative works"),
    ("cc-nc", "สัญญาอนุญาต cc-nc ห้ามใช้เพื่อการค้า", "The licence cc-nc forbids commercial use"),
    ("CC-BY-ND-4.0", "สัญญาอนุญาต CC-BY-ND-4.0 ห้ามดัดแปลง", "The licence CC-BY-ND-4.0 forbids derivative works"),
    ("other-closed", "other-closed ไม่อยู่ในรายการสัญญาอนุญาตแบบเปิด", "other-closed is not a recognised open licence"),
])
def test_licence_not_met(license_id, th, en):
    assert outcome(result("license_free", {"license_id": license_id})) == (NOT_MET, (B(th, en),), CHOOSE_OPEN)


def test_licence_met_names_the_licence():
    assert outcome(result("license_free", {"license_id": " odc-by "})) == (MET, (B(
        "odc-by เป็นสัญญาอนุญาตแบบเปิด", "odc-by is an open licence"),), NO_ADVICE)


@pytest.mark.parametrize("other, shown", [("สัญญาอนุญาตของกรม", "สัญญาอนุญาตของกรม"), (None, "-"), ("  ", "-")])
def test_licence_other_needs_attestation(other, shown):
    dataset = {"license_id": "อื่นๆ", "license_id_other": other}
    assert outcome(result("license_free", dataset)) == (NEEDS_ATTESTATION, (B(
        f"สัญญาอนุญาตอื่นๆ: {shown}", f"Other licence: {shown}"),), B(
        "ตรวจสอบว่าสัญญาอนุญาตให้ใช้ ดัดแปลง และเผยแพร่ต่อได้โดยไม่มีข้อจำกัด หรือเลือกสัญญาอนุญาตแบบเปิด",
        "Check that the licence allows use, adaptation and redistribution without restriction, "
        "or choose an open licence"))


# --- permanent -------------------------------------------------------------------------------------

FIX_LINKS = B("แก้ไขลิงก์ที่เข้าถึงไม่ได้ หรืออัปโหลดไฟล์ไว้ในพอร์ทัล และคงที่อยู่เดิมไว้ถาวร",
              "Fix the broken links or upload the files to the portal, and keep their addresses stable")
CHECK_LINKS = B("ตรวจสอบลิงก์ของทรัพยากร หรือยืนยันว่าลิงก์จะเข้าถึงได้อย่างถาวร",
                "Run the link check, or confirm that the links stay available")
LINKS = [
    {"id": "u", "name": "upload", "url_type": "upload", "url": "http://portal.example/u.csv"},
    {"id": "ok", "name": "ok", "url": "http://ok.example/x"},
    {"id": "new", "name": "new", "url": "http://new.example/x"},
    {"id": "bad", "name": "bad", "url": "http://bad.example/x"},
]


def test_a_failed_link_outranks_an_unchecked_one():
    checks = ExternalChecks(url_status={"ok": True, "bad": False, "new": None})
    assert outcome(result("permanent", {"resources": LINKS}, checks)) == (NOT_MET, (B(
        "ลิงก์ของ “bad” เข้าถึงไม่ได้: http://bad.example/x", "The link of “bad” fails: http://bad.example/x"),
    ), FIX_LINKS)


def test_unchecked_links_need_attestation():
    checks = ExternalChecks(url_status={"ok": True, "bad": True})
    assert outcome(result("permanent", {"resources": LINKS}, checks)) == (NEEDS_ATTESTATION, (B(
        "ยังไม่ได้ตรวจสอบลิงก์ของ “new”", "The link of “new” has not been checked"),), CHECK_LINKS)


def test_permanent_met_when_every_link_answers():
    checks = ExternalChecks(url_status={"ok": True, "bad": True, "new": True})
    assert outcome(result("permanent", {"resources": LINKS}, checks)) == (MET, (B(
        "ทุกทรัพยากรอัปโหลดไว้ในพอร์ทัลหรือลิงก์ยังเข้าถึงได้",
        "Every resource is uploaded to the portal or its link answers"),), NO_ADVICE)


def test_a_failed_link_without_an_address_or_name():
    checks = ExternalChecks(url_status={"x": False})
    assert evidence_of(result("permanent", {"resources": [{"id": "x", "url": None}]}, checks)) == (B(
        "ลิงก์ของ “x” เข้าถึงไม่ได้: ", "The link of “x” fails: "),)
    assert evidence_of(result("permanent", {"resources": [{}, {}]})) == (
        B("ยังไม่ได้ตรวจสอบลิงก์ของ “#1”", "The link of “#1” has not been checked"),
        B("ยังไม่ได้ตรวจสอบลิงก์ของ “#2”", "The link of “#2” has not been checked"),
    )


def test_permanent_without_resources():
    assert outcome(result("permanent", {"resources": []})) == (NOT_MET, (NO_RESOURCES,), FIX_LINKS)


# --- free of charge ------------------------------------------------------------------------------------

def test_free_of_charge():
    assert outcome(result("free_of_charge", {"opendata_attest_free_of_charge": "false"})) == (NOT_MET, (B(
        "ผู้เผยแพร่ระบุว่ามีค่าใช้จ่ายในการเข้าถึงข้อมูล", "The publisher states that access to the data is charged"),),
        B("ให้ทุกคนดาวน์โหลดข้อมูลได้โดยไม่มีค่าใช้จ่าย", "Let anyone download the data free of charge"))
    assert outcome(result("free_of_charge", {"opendata_attest_free_of_charge": "maybe"})) == (MET, (B(
        "พอร์ทัลให้ดาวน์โหลดข้อมูลโดยไม่มีค่าใช้จ่าย", "The portal charges nothing for downloads"),), NO_ADVICE)


# --- the assessment and its parts -----------------------------------------------------------------------

def test_an_empty_dataset():
    assessment = evaluate({}, now=NOW)
    assert {r.key: r.status for r in assessment.results} == {
        "complete": NEEDS_ATTESTATION, "primary": NEEDS_ATTESTATION, "timely": NEEDS_ATTESTATION,
        "accessible": NEEDS_ATTESTATION, "machine_readable": NOT_MET, "non_discriminatory": MET,
        "non_proprietary": NOT_MET, "license_free": NOT_MET, "permanent": NOT_MET, "free_of_charge": MET,
    }
    assert (assessment.score, assessment.total) == (2, 10)


def test_an_unknown_property_is_a_key_error_naming_it():
    with pytest.raises(KeyError) as info:
        evaluate({}, now=NOW)["openness"]
    assert info.value.args == ("openness",)


def test_a_result_as_a_dict():
    res = PropertyResult("permanent", NOT_MET, (Message("The link of “{name}” fails: {url}", name="x", url="u"),),
                         Message("Fix it"))
    assert res.as_dict() == {"key": "permanent", "name": "Permanence", "status": "not_met",
                             "evidence": [{"id": "The link of “{name}” fails: {url}",
                                           "params": {"name": "x", "url": "u"}}],
                             "advice": {"id": "Fix it", "params": {}}, "advice_for": "publisher"}
    assert res.as_dict(render=lambda m: m.render().upper())["evidence"][0]["text"] == "THE LINK OF “X” FAILS: U"
    assert res.met is False and PropertyResult("permanent", MET).met is True


@pytest.mark.parametrize("resource, expected", [
    ({"format": "Esri  Shapefile"}, "SHP"),
    ({"format": " plain   text "}, "TXT"),
    ({"format": ".GeoJSON"}, "GEOJSON"),
    ({"format": "", "url": "https://a.example/files/data.v2.csv"}, "CSV"),
    ({"format": None, "url": "https://a.example/files/report.PDF?x=1#top"}, "PDF"),
    ({"url": "https://a.example/v1.2/data"}, ""),            # a dot in a folder is no extension
    ({"url": "https://a.example/v1.2/"}, ""),
    ({"url": "https://a.example/data.tar.gz"}, "GZ"),
    ({"url": None}, ""),
    ({}, ""),
])
def test_normalize_format(resource, expected):
    assert p.normalize_format(resource) == expected


# --- clock times in the portal's display time zone ------------------------------------------------------

UTC = dt.timezone.utc


def test_clock_times_are_written_in_the_display_zone():
    # uploaded 03:00 UTC (10:00 Bangkok); every 6 hours: due 16:00 Bangkok = 09:00 UTC
    dataset = {"update_frequency_unit": "ชั่วโมง", "update_frequency_interval": 6,
               "resources": [{"id": "a", "last_modified": "2026-11-24T03:00:00"}]}
    evidence = evidence_of(evaluate(dataset, now=NOW, zone=UTC)["timely"])
    assert evidence[1:] == (
        B(f"ปรับปรุงล่าสุด 24 พ.ย. 2569 03:00 น. ({UPLOADED[0]})", f"Last updated 24 Nov 2026 03:00 ({UPLOADED[1]})"),
        B("กำหนดปรับปรุงครั้งถัดไป 24 พ.ย. 2569 09:00 น.", "Next update due 24 Nov 2026 09:00"),
    )
    late = p.assess_timely(dataset, now=dt.datetime(2026, 11, 24, 17, 0), zone=UTC)
    assert evidence_of(late)[-1] == B("เลยกำหนดปรับปรุงข้อมูลเมื่อ 24 พ.ย. 2569 09:00 น.", "The update was due 24 Nov 2026 09:00")
    assert evaluate(dataset, now=NOW, zone=p.BANGKOK)["timely"].evidence == evaluate(dataset, now=NOW)["timely"].evidence


def test_dates_stay_bangkok_dates_in_any_display_zone():
    # 18:00 UTC on 31 Oct is 01:00 on 1 Nov in Bangkok: the monthly due date is 1 Dec
    dataset = {"update_frequency_unit": "เดือน", "resources": [{"id": "a", "last_modified": "2026-10-31T18:00:00"}]}
    evidence = evidence_of(evaluate(dataset, now=NOW, zone=UTC)["timely"])
    assert [e.en for e in evidence[1:]] == [f"Last updated 31 Oct 2026 18:00 ({UPLOADED[1]})",
                                             "Next update due 1 Dec 2026"]
    declared = {"update_frequency_unit": "เดือน", "last_updated_date": "2026-11-01"}
    assert [e.en for e in evidence_of(evaluate(declared, now=NOW, zone=UTC)["timely"])[1:]] == [
        "Last updated 1 Nov 2026 (as declared by the publisher)", "Next update due 1 Dec 2026"]
