"""Datasets valid under the national schema, for tests that create them."""
from __future__ import annotations

import uuid
from typing import Any


def national_dataset(**fields: Any) -> dict[str, Any]:
    """A ``package_create`` dict that the national schema accepts: a record
    dataset (ข้อมูลระเบียน) of public data with every required field. Without
    ``private`` it is created private (a candidate of the disclosure
    workflow); :func:`create_dataset` publishes it.
    ``fields`` add or override keys; pass at least ``owner_org``."""
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


def publish(dataset_id: str) -> dict[str, Any]:
    """Make a dataset public as an approval does, for tests of other features
    that need a public dataset: the approval is recorded (source "tests"),
    then the dataset is made public through ``package_patch``, so the
    publish rule's other conditions still apply. The workflow itself is
    tested through its actions (tests/test_workflow_api.py)."""
    import ckan.model as model
    from ckan.tests.helpers import call_action

    from ckanext.opendata_th.logic import approval_gate

    package = model.Package.get(dataset_id)
    approval_gate.record_publication(package, user_id=None, source="tests", comment="")
    site_user = call_action("get_site_user")["name"]  # the activity stream needs a user
    return call_action("package_patch", {"user": site_user}, id=dataset_id, private=False)


def create_dataset(context: dict[str, Any] | None = None, **dataset: Any) -> dict[str, Any]:
    """``package_create`` of ``dataset`` (e.g. a :func:`national_dataset`)
    in ``context``, then :func:`publish` unless ``private=True`` is given:
    what creating a public dataset was before the approval rule."""
    from ckan.tests.helpers import call_action

    private = dataset.pop("private", False)
    if context is None:  # the activity stream needs a user
        context = {"user": call_action("get_site_user")["name"]}
    created = call_action("package_create", context, **{**dataset, "private": True})
    return created if private else publish(created["id"])
