"""Where the demo datasets stand in the disclosure workflow, so that a fresh
portal shows every stage: what each was selected for, its scores, its
classification answers and the transitions it went through.

Plain data, no CKAN imports. The answers follow the shipped decision tree
(schemas/classification.yaml).
"""
from __future__ import annotations

from typing import Any

DISCLOSABLE = {"oia_disclosable": True, "quality_acceptable": True, "open_licence": True}
"""Information the Official Information Act lets the agency disclose, of
acceptable quality, under an open licence."""

PERSONAL = {"oia_disclosable": False, "national_security": False, "personal_data": True,
            "permission_granted": False}
"""Personal data with no permission to disclose it."""

RETURN_COMMENT = ("กรุณาอธิบายความหมายของรหัส UN/LOCODE แต่ละคอลัมน์ในคำอธิบายชุดข้อมูล "
                  "แล้วส่งขออนุมัติอีกครั้ง")

PLANS: dict[str, dict[str, Any]] = {
    "export-value-by-market": {
        "reasons": ["agency_mission", "useful_to_developers"],
        "note": "ผู้ประกอบการใช้วางแผนตลาดส่งออก",
        "scores": (5, 4, 4), "answers": DISCLOSABLE,
        "transitions": [("prepare", ""), ("submit", ""), ("approve", "")],
    },
    "registered-exporters-by-province": {
        "reasons": ["transparency", "useful_to_user_groups"], "note": "",
        "scores": (4, 4, 5), "answers": DISCLOSABLE,
        "transitions": [("prepare", ""), ("submit", ""), ("approve", "")],
    },
    "tambon-location": {
        "reasons": ["useful_to_developers"], "note": "",
        "scores": (3, 3, 5), "answers": DISCLOSABLE,
        "transitions": [("prepare", ""), ("submit", ""), ("approve", "")],
    },
    "trade-training-courses": {
        "reasons": ["agency_mission"], "note": "",
        "scores": (3, 4, 4), "answers": DISCLOSABLE,
        "transitions": [("prepare", ""), ("submit", "")],
    },
    "thai-trade-ports-unlocode": {
        "reasons": ["useful_to_developers", "required_by_law"], "note": "",
        "scores": (4, 3, 4), "answers": DISCLOSABLE,
        "transitions": [("prepare", ""), ("submit", ""), ("return", RETURN_COMMENT)],
    },
    "trade-fair-exhibitors": {
        "reasons": ["useful_to_user_groups"], "note": "ผู้จัดงานแสดงสินค้าขอข้อมูลบ่อย",
        "scores": (4, 2, 3),
    },
    "exporter-contacts": {"answers": PERSONAL},
    "export-promotion-budget-plan": {},
}
"""By dataset name. A dataset with no plan stays a candidate."""
