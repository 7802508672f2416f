"""The demo agency's feedback: items on its published datasets in every
state, so that a fresh portal shows the moderation queue (items waiting for
review), answers and resolutions on the dataset pages, an open complaint
counted against a dataset, and a hidden advertisement.

The items are sent as a visitor without an account would send them, and
moderated by the portal itself, through the same actions as the pages.
Items that are answered or resolved have no e-mail address: loading the
demo e-mails nobody.
"""
from __future__ import annotations

from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.opendata_th.model.feedback import Feedback

FEEDBACK: dict[str, list[dict[str, Any]]] = {
    "export-value-by-market": [
        {"kind": "complaint", "name": "ปรีชา ส่งออกดี",
         "message": "ไฟล์เดือนล่าสุดยังไม่มีตัวเลขตลาดเวียดนาม ทั้งที่รายงานข่าวออกมาแล้ว",
         "steps": [("answer", {"answer": "ขอบคุณที่แจ้ง ตัวเลขตลาดเวียดนามรอการยืนยันจากกรมศุลกากร "
                                         "จะเพิ่มภายในสัปดาห์หน้า"})]},
        {"kind": "error", "name": "",
         "message": "คอลัมน์ มูลค่า (ล้านบาท) ของเดือนมกราคม 2568 ซ้ำกับเดือนธันวาคม 2567",
         "steps": [("answer", {"answer": "ตรวจสอบแล้วเป็นความผิดพลาดในการนำเข้าข้อมูล"}),
                   ("resolve", {"note": "แก้ไขไฟล์และอัปโหลดใหม่แล้ว"})]},
        {"kind": "comment", "name": "นักวิจัยเศรษฐกิจ", "email": "researcher@example.ac.th",
         "message": "อยากให้มีข้อมูลย้อนหลังถึงปี 2560 เพื่อใช้วิเคราะห์แนวโน้ม", "steps": []},
    ],
    "registered-exporters-by-province": [
        {"kind": "error", "name": "สมศักดิ์",
         "message": "จังหวัดบึงกาฬใช้รหัสจังหวัดผิด (ควรเป็น 38)", "steps": []},
        {"kind": "comment", "name": "ผู้ประกอบการ SME",
         "message": "ข้อมูลมีประโยชน์มาก ใช้ประกอบการหาคู่ค้าในภูมิภาค", "steps": [("approve", {})]},
    ],
    "tambon-location": [
        {"kind": "comment", "name": "โปรโมชันพิเศษ",
         "message": "รับทำเว็บราคาถูก คลิกเลย https://spam.example https://spam.example/a https://spam.example/b",
         "steps": [("hide", {"note": "โฆษณา ไม่เกี่ยวกับชุดข้อมูล"})]},
    ],
}
"""By dataset name: each item as sent, and the moderation steps taken on it."""


def load_feedback(context: dict[str, Any]) -> list[str]:
    """Send and moderate the demo items of each published demo dataset
    that has no feedback yet (running the demo again adds nothing).
    Returns the names of the datasets that got feedback."""
    loaded = []
    for name, items in FEEDBACK.items():
        package = model.Package.get(name)
        if package is None or package.private or package.state != "active":
            continue
        if model.Session.query(Feedback).filter(Feedback.package_id == package.id).first() is not None:
            continue
        for entry in items:
            sent = tk.get_action("opendata_th_feedback_create")(
                {"user": "", "ignore_auth": True},  # a visitor without an account
                {"package_id": package.id, "kind": entry["kind"], "message": entry["message"],
                 "name": entry.get("name", ""), "email": entry.get("email", "")})
            for step, data in entry["steps"]:
                tk.get_action(f"opendata_th_feedback_{step}")(dict(context), {"id": sent["id"], **data})
        loaded.append(name)
    return loaded
