"""Datasets valid under the national schema, for tests that create them."""
from __future__ import annotations

import uuid
from typing import Any


def national_dataset(**fields: Any) -> dict[str, Any]:
    """A ``package_create`` dict that the national schema accepts: a public
    record dataset (ข้อมูลระเบียน) with every required field. ``fields`` add
    or override keys; pass at least ``owner_org``."""
    dataset = {
        "name": f"dataset-{uuid.uuid4().hex[:12]}",
        "title": "จำนวนผู้ส่งออกรายจังหวัด",
        "notes": "ข้อมูลตัวอย่าง / Sample data",
        "data_type": "ข้อมูลระเบียน",
        "maintainer": "ฝ่ายเทคโนโลยีสารสนเทศ",
        "maintainer_email": "opendata@agency.example",
        "tags": [{"name": "การค้า"}],
        "objective": ["พันธกิจหน่วยงาน"],
        "update_frequency_unit": "ปี",
        "update_frequency_interval": "1",
        "geo_coverage": "ประเทศ",
        "data_source": "สถาบันการค้าระหว่างประเทศ",
        "data_format": ["CSV"],
        "data_category": "ข้อมูลสาธารณะ",
        "data_classification": "เปิดเผย",
        "license_id": "Open Data Common",
    }
    dataset.update(fields)
    return dataset


def national_resource(**fields: Any) -> dict[str, Any]:
    """A resource dict that the national schema accepts."""
    return {"url": "https://agency.example/data.csv", "name": "ข้อมูล 2568", "format": "CSV", **fields}
