"""Demo readiness assessments of the demo agency: the current fiscal year
(ready, with an overdue improvement action) and the one before (not ready
yet), so the readiness tab shows a verdict, the chart and the year-to-year
comparison. Plain data, no CKAN imports; fiscal years are given relative to
the current one."""
from __future__ import annotations

from typing import Any

PLAN_URL = "https://trade-institute.example/opendata/action-plan-2567.pdf"

ASSESSMENTS: dict[int, dict[str, Any]] = {
    # one year ago: plans and people in place, little else
    -1: {
        "activities": {
            "management_plan": {
                "level": 2,
                "evidence": "ร่างแผนปฏิบัติการข้อมูลเปิดเสนอผู้บริหารแล้ว ยังไม่ได้รับอนุมัติ",
                "responsible": "ฝ่ายเทคโนโลยีสารสนเทศ",
            },
            "capacity_building": {
                "level": 1,
                "evidence": "เจ้าหน้าที่สองคนเคยเข้าอบรมการใช้ CKAN ของสำนักงานพัฒนารัฐบาลดิจิทัล",
                "responsible": "ฝ่ายบริหารทรัพยากรบุคคล",
            },
            "promoting_reuse": {"level": 1, "evidence": "", "responsible": ""},
            "budget": {"level": 1, "evidence": "ใช้งบประมาณของโครงการอื่นตามความจำเป็น",
                       "responsible": "ฝ่ายแผนและงบประมาณ"},
            "strategy": {
                "level": 2,
                "evidence": "ข้อมูลเปิดอยู่ในแผนดิจิทัลของสถาบัน",
                "responsible": "ผู้อำนวยการฝ่ายยุทธศาสตร์",
            },
        },
        "actions": [],
    },
    # this year: ready (every activity at level 2 or above)
    0: {
        "activities": {
            "management_plan": {
                "level": 3,
                "evidence": "แผนปฏิบัติการข้อมูลเปิด พ.ศ. 2567 อนุมัติโดยผู้อำนวยการสถาบัน "
                            "มีคณะทำงานธรรมาภิบาลข้อมูลประชุมทุกไตรมาส",
                "links": [PLAN_URL],
                "responsible": "ฝ่ายเทคโนโลยีสารสนเทศ",
            },
            "capacity_building": {
                "level": 2,
                "evidence": "อบรมผู้ดูแลชุดข้อมูลทุกฝ่าย 24 คน เรื่องการจัดเตรียมข้อมูลและการใช้ CKAN",
                "responsible": "ฝ่ายบริหารทรัพยากรบุคคล",
            },
            "promoting_reuse": {
                "level": 2,
                "evidence": "เปิดช่องทางรับข้อเสนอแนะบนพอร์ทัล และจัดกิจกรรมแนะนำข้อมูลการค้าแก่ผู้ประกอบการ",
                "responsible": "ฝ่ายประชาสัมพันธ์",
            },
            "budget": {
                "level": 2,
                "evidence": "มีรายการงบประมาณสำหรับดูแลพอร์ทัลในแผนงบประมาณประจำปี",
                "responsible": "ฝ่ายแผนและงบประมาณ",
            },
            "strategy": {
                "level": 3,
                "evidence": "ข้อมูลเปิดเป็นตัวชี้วัดในแผนยุทธศาสตร์ของสถาบัน",
                "responsible": "ผู้อำนวยการฝ่ายยุทธศาสตร์",
            },
        },
        "actions": [
            {"activity": "capacity_building",
             "description": "จัดอบรมการตรวจคุณภาพข้อมูลให้ผู้ดูแลชุดข้อมูลรุ่นที่ 2",
             "due_in_days": -14, "done": False},
            {"activity": "budget",
             "description": "เสนอรายการงบประมาณข้อมูลเปิดแยกต่างหากในคำของบประมาณปีถัดไป",
             "due_in_days": 90, "done": False},
        ],
    },
}
