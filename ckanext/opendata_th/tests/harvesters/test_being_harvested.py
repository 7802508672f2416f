"""This portal, served over HTTP, harvested as GD-Catalog harvests a thai_gdc
catalog: by ckanext-harvest's stock CKAN harvester (what the national
harvesters run) and by this project's ``datagoth`` harvester. Published
datasets go with every thai_gdc field in thai_gdc's shapes; private ones
never leave. (Both harvests run in this test's process against the portal's
own web server; the stock harvester's import stage belongs to the other
side and is not run here, since it would write the same ids back.)"""
from __future__ import annotations

import json

import pytest

import ckan.model as model
from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.opendata_th.playbook import national_portal
from ckanext.opendata_th.tests.datasets import create_dataset, national_dataset, national_resource
from ckanext.opendata_th.tests.harvesters import runs

PLUGINS = ("opendata_th_search opendata_th activity scheming_datasets harvest ckan_harvester "
           "opendata_th_harvester")

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.usefixtures("with_plugins", "clean_db"),
]


@pytest.fixture
def portal(base_url):
    """Two published datasets (a statistical one with its BE years and a
    record one with an "อื่นๆ" value) and a private one, of one
    organization; a second organization receives the harvested copies."""
    sysadmin = factories.Sysadmin()
    agency = factories.Organization(name="trade-institute", title="สถาบันการค้า")
    copies = factories.Organization(name="copies", title="สำเนา")
    context = {"user": sysadmin["name"]}
    statistical = create_dataset(context, **national_dataset(
        name="export-value", title="มูลค่าการส่งออกรายปี", owner_org=agency["id"], allow_harvest="True",
        data_type="ข้อมูลสถิติ", first_year_of_data="2560", last_year_of_data="2568",
        objective=["พันธกิจหน่วยงาน", "อื่นๆ"], objective_other="ติดตามตลาดส่งออก",
        resources=[national_resource(url="https://trade.example/export.csv")]))
    record = create_dataset(context, **national_dataset(
        name="member-firms", title="ทะเบียนผู้ส่งออก", owner_org=agency["id"], allow_harvest="True",
        geo_coverage="อื่นๆ", geo_coverage_other="เขตเศรษฐกิจพิเศษ",
        resources=[national_resource(url="https://trade.example/firms.xlsx", format="XLSX")]))
    secret = create_dataset(context, private=True, **national_dataset(
        name="draft-prices", title="ราคาต้นทุนภายใน", owner_org=agency["id"],
        resources=[national_resource(url="https://trade.example/internal.csv")]))
    return dict(url=base_url, sysadmin=sysadmin, agency=agency, copies=copies,
                published=[statistical, record], private=secret)


def harvest_objects(source_id: str):
    from ckanext.harvest.model import HarvestObject

    model.Session.remove()
    return model.Session.query(HarvestObject).filter_by(harvest_source_id=source_id).all()


def test_the_stock_ckan_harvester_takes_the_published_datasets_in_thai_gdc_shapes(portal):
    from ckanext.harvest.harvesters.ckanharvester import CKANHarvester
    from ckanext.harvest.model import HarvestJob

    source = call_action("harvest_source_create", {"user": portal["sysadmin"]["name"]},
                         name="agency-portal", url=portal["url"], source_type="ckan",
                         owner_org=portal["copies"]["id"])
    job = HarvestJob(source_id=source["id"])
    job.save()

    harvester = CKANHarvester()
    ids = harvester.gather_stage(job)

    assert ids, [e.message for e in job.gather_errors]
    objects = harvest_objects(source["id"])
    assert all(harvester.fetch_stage(o) for o in objects)
    taken = {o.guid: json.loads(o.content) for o in objects}
    published = {d["id"]: d for d in portal["published"]}
    assert set(taken) == set(published)  # the private dataset never leaves
    for dataset_id, remote in taken.items():
        mine = call_action("package_show", id=dataset_id)
        assert national_portal.compare(mine, remote).status == national_portal.IDENTICAL
        assert isinstance(remote["objective"], list) and isinstance(remote["data_format"], list)
        assert remote["allow_harvest"] == "True"  # thai_gdc's string
    statistical = taken[portal["published"][0]["id"]]
    assert (statistical["first_year_of_data"], statistical["last_year_of_data"]) == ("2560", "2568")
    assert statistical["objective_other"] == "ติดตามตลาดส่งออก"
    assert "ราคาต้นทุนภายใน" not in json.dumps(taken, ensure_ascii=False)


def test_the_datagoth_harvester_copies_the_published_datasets_and_nothing_else(portal):
    source = call_action("harvest_source_create", {"user": portal["sysadmin"]["name"]},
                         name="agency-portal-copy", url=portal["url"], source_type="datagoth",
                         config=json.dumps({"organization_map": {"trade-institute": "copies"}}),
                         owner_org=portal["copies"]["id"])
    runs.purge_queues()
    runs.run_job(source["id"], {"user": portal["sysadmin"]["name"]})

    copies = call_action("package_search", {"user": portal["sysadmin"]["name"]},
                         fq=f"owner_org:{portal['copies']['id']}", include_private=True)["results"]
    assert sorted(c["title"] for c in copies) == sorted(d["title"] for d in portal["published"])
    for original in portal["published"]:
        [copy] = [c for c in copies if c["title"] == original["title"]]
        assert copy["id"] != original["id"] and copy["name"] == original["name"] + "-2"
        assert copy["private"] is False and copy["opendata_stage"] == "published"
        mine = call_action("package_show", id=original["id"])
        assert national_portal.compare(copy, mine).status == national_portal.IDENTICAL
