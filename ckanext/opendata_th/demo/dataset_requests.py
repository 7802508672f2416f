"""The demo's dataset requests and its published high-value dataset, so
that a fresh portal shows requests in every state (one waiting for the
organization, one waiting for the requester's answer, one accepted into a
candidate dataset, one answered with a published dataset, one not
suitable, one not yet addressed to an organization) and the high-value
list page with a dataset on it.

The requests are sent as a visitor without an account would send them and
decided by the portal itself, through the same actions as the pages. The
decided ones have no e-mail address: loading the demo e-mails nobody.
Running the demo again adds nothing.
"""
from __future__ import annotations

import mimetypes
from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk
from werkzeug.datastructures import FileStorage

from ckanext.opendata_th.demo.datasets import DATA_DIR
from ckanext.opendata_th.demo.workflow import DISCLOSABLE
from ckanext.opendata_th.model.dataset_request import DatasetRequest

HIGH_VALUE: dict[str, Any] = {
    "name": "trade-partner-countries",
    "title": "ประเทศคู่ค้าสำคัญพร้อมรหัสประเทศ ISO 3166",
    "notes": (
        "รายชื่อประเทศคู่ค้าสำคัญของไทยพร้อมรหัสประเทศมาตรฐาน ISO 3166 (2 และ 3 ตัวอักษร) "
        "ชื่อภาษาไทยและภาษาอังกฤษ และภูมิภาค ใช้เป็นรหัสอ้างอิงในชุดข้อมูลการค้า\n\n"
        "Thailand's main trade partners with their ISO 3166 country codes, Thai and English "
        "names and region: the reference codes of the trade datasets."
    ),
    "tags": [{"name": "รหัสมาตรฐาน"}, {"name": "ประเทศคู่ค้า"}, {"name": "ISO 3166"}],
    "data_type": "ข้อมูลระเบียน",
    "objective": ["พันธกิจหน่วยงาน", "เพื่อการให้บริการประชาชน"],
    "update_frequency_unit": "ปี",
    "update_frequency_interval": "1",
    "geo_coverage": "โลก",
    "created_date": "2025-02-01",
    "last_updated_date": "2025-02-01",
    "data_support": "หน่วยงาน/องค์กรระหว่างประเทศ",
    "data_collect": "ขอบเขตเชิงภูมิศาสตร์หรือเชิงพื้นที่",
    "high_value_dataset": "True",
    "reference_data": "True",
    "allow_harvest": "True",
    "maintainer": "ฝ่ายเทคโนโลยีสารสนเทศ",
    "maintainer_email": "opendata@trade-institute.example",
    "data_source": "สถาบันการค้าระหว่างประเทศ",
    "data_category": "ข้อมูลสาธารณะ",
    "data_classification": "เปิดเผย",
    "accessible_condition": "ไม่มีการจำกัดการเข้าถึงข้อมูล",
    "data_language": ["ไทย", "อังกฤษ"],
    "data_format": ["CSV"],
    "license_id": "Open Data Common",
    "opendata_attest_complete": "True",
    "opendata_attest_primary": "True",
}
HIGH_VALUE_FILE = ("trade_partner_countries.csv", "ประเทศคู่ค้าสำคัญ (ISO 3166)",
                   "Source: ISO 3166-1 country codes")

CONTACT = "opendata@trade-institute.example"
"""The contact e-mail of the candidate dataset the accepted request makes."""

REQUESTS: list[dict[str, Any]] = [
    {"title": "ราคาส่งออกข้าวรายสัปดาห์แยกตามชนิดข้าว",
     "purpose": "ใช้ประกอบการตัดสินใจขายข้าวของสหกรณ์การเกษตร",
     "description": "ราคา FOB ข้าวหอมมะลิ ข้าวขาว 5% และข้าวนึ่ง ย้อนหลัง 3 ปี",
     "name": "สหกรณ์การเกษตรบ้านนา", "email": "coop@example.co.th", "decisions": []},
    {"title": "สถิติการนำเข้าเครื่องจักรกลการเกษตร",
     "purpose": "วิจัยเรื่องการใช้เทคโนโลยีในภาคเกษตร", "description": "",
     "name": "", "email": "",
     "decisions": [{"decision": "needs_info",
                    "comment": "ต้องการข้อมูลรายพิกัดศุลกากร (HS 8 หลัก) หรือรายหมวดสินค้า และช่วงปีใด"}]},
    {"title": "รายชื่อตลาดส่งออกใหม่ที่มีศักยภาพ",
     "purpose": "ผู้ประกอบการ SME ใช้หาตลาดใหม่", "description": "ประเทศ สินค้า และอัตราการเติบโต",
     "name": "", "email": "",
     "decisions": [{"decision": "accept", "comment": "จะจัดทำจากรายงานศึกษาตลาดของสถาบัน",
                    "maintainer_email": CONTACT}]},
    {"title": "มูลค่าการส่งออกรายตลาด",
     "purpose": "ทำรายงานข่าวเศรษฐกิจ", "description": "รายเดือน", "name": "", "email": "",
     "decisions": [{"decision": "available", "dataset": "export-value-by-market",
                    "comment": "มีข้อมูลรายเดือนของห้าตลาดสำคัญเผยแพร่แล้ว"}]},
    {"title": "รายชื่อและเบอร์โทรศัพท์ของผู้ส่งออกทุกราย",
     "purpose": "ติดต่อเสนอขายบริการขนส่ง", "description": "", "name": "", "email": "",
     "decisions": [{"decision": "not_suitable", "reason": "personal_data",
                    "comment": "เปิดเผยได้เฉพาะจำนวนผู้ส่งออกรายจังหวัด ซึ่งเผยแพร่แล้ว"}]},
    {"title": "ราคาน้ำมันดีเซลรายวันแยกตามจังหวัด",
     "purpose": "คำนวณต้นทุนการขนส่ง", "description": "", "name": "", "email": "",
     "organization": None, "decisions": []},
]
"""Sent in this order; "organization" None: not addressed to one (the demo
organization by default); each decision is taken by the portal itself."""


def load_high_value(org_name: str, context: dict[str, Any]) -> bool:
    """Create and publish the demo's high-value dataset, if missing."""
    if model.Package.get(HIGH_VALUE["name"]) is not None:
        return False
    package = tk.get_action("package_create")(dict(context), {**HIGH_VALUE, "owner_org": org_name})
    file_name, name, description = HIGH_VALUE_FILE
    path = DATA_DIR / file_name
    with path.open("rb") as stream:
        tk.get_action("resource_create")(dict(context), {
            "package_id": package["id"], "name": name, "description": description, "format": "CSV",
            "url": path.name, "upload": FileStorage(stream=stream, filename=path.name,
                                                    content_type=mimetypes.guess_type(path.name)[0] or "text/csv")})

    def act(action: str, **data: Any) -> None:
        tk.get_action(action)(dict(context), {"id": package["id"], **data})

    act("opendata_th_select", reasons=["useful_to_developers", "required_by_law"], note="")
    act("opendata_th_prioritise", value=5, quality=4, manageability=5)
    act("opendata_th_classify", answers=DISCLOSABLE, details={})
    for transition in ("prepare", "submit", "approve"):
        act("opendata_th_transition", transition=transition, comment="")
    return True


def load_requests(org_name: str, context: dict[str, Any]) -> list[str]:
    """Send and decide the demo requests that were not sent yet (by title).
    Returns the titles sent."""
    organization = model.Group.get(org_name)
    sent = []
    for entry in REQUESTS:
        if model.Session.query(DatasetRequest.id).filter(DatasetRequest.title == entry["title"]).first():
            continue
        target = entry.get("organization", org_name)
        made = tk.get_action("opendata_th_request_create")({"user": "", "ignore_auth": True}, {
            "title": entry["title"], "purpose": entry["purpose"], "description": entry["description"],
            "name": entry["name"], "email": entry["email"],
            "organization_id": organization.id if target and organization is not None else ""})
        for decision in entry["decisions"]:
            tk.get_action("opendata_th_request_triage")(dict(context), {"id": made["id"], **decision})
        sent.append(entry["title"])
    return sent


def load_requests_and_high_value(org_name: str, context: dict[str, Any]) -> list[str]:
    """The demo's high-value dataset and requests; the names of the datasets
    created (the high-value one, when it was missing)."""
    created = [HIGH_VALUE["name"]] if load_high_value(org_name, context) else []
    load_requests(org_name, context)
    return created
