"""ckanext-harvest's source listing and the dashboard, on the PostgreSQL
search backend (no Solr)."""
import pytest

from ckan.tests import factories
from ckan.tests.helpers import call_action

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", "activity opendata_th_search harvest ckan_harvester"),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]


def test_harvest_sources_are_listed_from_the_index(app):
    admin = factories.Sysadmin()
    org = factories.Organization()
    source = call_action("harvest_source_create", {"user": admin["name"]},
                         name="data-go-th", title="data.go.th (ข้อมูลเปิดภาครัฐ)",
                         url="https://data.go.th/", source_type="ckan",
                         owner_org=org["id"])
    found = call_action("package_search", fq="+dataset_type:harvest")
    assert [d["name"] for d in found["results"]] == ["data-go-th"]
    assert found["results"][0]["id"] == source["id"]
    page = app.get("/harvest/", extra_environ={"REMOTE_USER": admin["name"]})
    assert page.status_code == 200
    assert "data.go.th (ข้อมูลเปิดภาครัฐ)" in page.body


def test_dashboard_lists_the_users_datasets(app):
    user = factories.User()
    org = factories.Organization(users=[{"name": user["name"], "capacity": "editor"}])
    factories.Dataset(owner_org=org["id"], title="ข้อมูลการค้าของฉัน",
                      user=user)
    token = factories.APIToken(user=user["name"])["token"]
    page = app.get("/dashboard/datasets", headers={"Authorization": token})
    assert page.status_code == 200
    assert "ข้อมูลการค้าของฉัน" in page.body


def test_extension_search_parameters_pass_through():
    org = factories.Organization()
    factories.Dataset(owner_org=org["id"], name="with-extras")
    result = call_action("package_search", q="name:with-extras", ext_bbox="1,2,3,4")
    assert result["count"] == 1


def source_with_datasets(harvested: str, local: str) -> tuple[dict, dict]:
    """A sysadmin and a harvest source with one harvested and one local dataset."""
    admin = factories.Sysadmin()
    org = factories.Organization()
    source = call_action("harvest_source_create", {"user": admin["name"]},
                         name=f"{harvested}-source", title="Agency catalog",
                         url="https://catalog.example/", source_type="ckan",
                         owner_org=org["id"])
    factories.Dataset(owner_org=org["id"], name=harvested,
                      extras=[{"key": "harvest_source_id", "value": source["id"]}])
    factories.Dataset(owner_org=org["id"], name=local)
    return admin, source


def test_clearing_a_harvest_source_index_removes_its_datasets():
    admin, source = source_with_datasets("harvested", "local")
    call_action("harvest_source_index_clear", {"user": admin["name"]}, id=source["id"])
    remaining = call_action("package_search", q="*:*", fq="-dataset_type:harvest")
    assert [d["name"] for d in remaining["results"]] == ["local"]


def test_clearing_a_harvest_source_works_without_solr():
    """harvest_source_clear (the "Clear" button, `ckan harvester clearsource`)
    calls harvest_source_index_clear as a plain function, not an action."""
    admin, source = source_with_datasets("harvested-here", "kept")
    call_action("harvest_source_clear", {"user": admin["name"]}, id=source["id"])
    remaining = call_action("package_search", q="*:*", fq="-dataset_type:harvest")
    assert [d["name"] for d in remaining["results"]] == ["kept"]
