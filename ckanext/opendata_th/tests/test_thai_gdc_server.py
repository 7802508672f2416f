"""The local thai_gdc CKAN (tests/thai_gdc): its sample data, its store and
search, and its HTTP answers, talked to over real HTTP with ckanapi and
requests as the harvester and the publisher will. Pure: no CKAN
(``pytest -p no:ckan``)."""
from __future__ import annotations

import datetime as dt
import json
import re
import socket
import subprocess
import sys
import threading
import time
from typing import Any, Iterator

import ckanapi
import pytest
import requests

from ckanext.opendata_th.tests.thai_gdc import (DATA_TYPES, FAULT_KINDS, Request, ThaiGdcCatalog,
                                                ThaiGdcServer, organization_id, sample_datasets,
                                                sample_organizations)
from ckanext.opendata_th.tests.thai_gdc.catalog import (CHOICES, DATASET_FIELDS, MULTIPLE_CHOICE,
                                                        OTHER_CHOICE, BooleanQuery, MatchAll,
                                                        SearchError, Term, parse_lucene,
                                                        parse_solr_date)

TOKEN = "secret-sysadmin-token"
ORGANIZATIONS = ("trade-stat", "agri-data", "water-data")


@pytest.fixture
def catalog() -> ThaiGdcCatalog:
    return ThaiGdcCatalog(sample_datasets(30, organizations=ORGANIZATIONS),
                          sample_organizations(ORGANIZATIONS))


@pytest.fixture
def server(catalog: ThaiGdcCatalog) -> Iterator[ThaiGdcServer]:
    with ThaiGdcServer(catalog, token=TOKEN) as running:
        yield running
    assert running.errors == []  # no request broke the server itself


@pytest.fixture(scope="module")
def big_server() -> Iterator[ThaiGdcServer]:
    """2,000 datasets, as benchmarks/harvest.py serves them (read-only tests)."""
    with ThaiGdcServer(ThaiGdcCatalog(sample_datasets(2000))) as running:
        yield running
    assert running.errors == []


@pytest.fixture
def anonymous(server: ThaiGdcServer) -> ckanapi.RemoteCKAN:
    return ckanapi.RemoteCKAN(server.url)


@pytest.fixture
def sysadmin(server: ThaiGdcServer) -> ckanapi.RemoteCKAN:
    return ckanapi.RemoteCKAN(server.url, apikey=TOKEN)


def action(server: ThaiGdcServer, action_name: str, **params: Any) -> requests.Response:
    """GET an action with query-string parameters."""
    return requests.get(f"{server.url}/api/3/action/{action_name}", params=params, timeout=5)


def all_ids(client: ckanapi.RemoteCKAN, **params: Any) -> list[str]:
    """Page through package_search as ckanext-harvest does (100 a page, id asc)."""
    ids: list[str] = []
    start = 0
    while True:
        page = client.action.package_search(rows=100, start=start, sort="id asc", **params)
        if not page["results"]:
            return ids
        ids += [d["id"] for d in page["results"]]
        start += 100


def new_dataset(**fields: Any) -> dict[str, Any]:
    """A dataset thai_gdc's validation accepts."""
    return {"name": "new-dataset", "title": "ชุดข้อมูลใหม่", "owner_org": "trade-stat",
            "data_type": "ข้อมูลสถิติ", "maintainer": "กลุ่มงานสถิติ",
            "maintainer_email": "stat@trade-stat.go.th", "notes": "คำอธิบาย",
            "update_frequency_unit": "ปี", "update_frequency_interval": "1",
            "geo_coverage": "ประเทศ", "data_source": "ระบบทะเบียน", "data_category": "ข้อมูลสาธารณะ",
            "data_classification": "เปิดเผย", "license_id": "Open Data Common",
            "objective": ["พันธกิจหน่วยงาน"], "data_format": ["CSV"], "first_year_of_data": "2566",
            "tags": [{"name": "การค้า"}],
            "resources": [{"name": "ข้อมูล", "url": "https://agency.example/a.csv", "format": "CSV"}],
            **fields}


# -- sample data ------------------------------------------------------------

def test_sample_datasets_are_the_same_for_a_seed_and_differ_between_seeds():
    assert sample_datasets(12, seed=3) == sample_datasets(12, seed=3)
    assert sample_datasets(12, seed=3) != sample_datasets(12, seed=4)


def test_sample_datasets_cover_every_data_type_with_its_fields():
    datasets = sample_datasets(60)
    letters = {"ข้อมูลระเบียน": "R", "ข้อมูลสถิติ": "S", "ข้อมูลภูมิสารสนเทศเชิงพื้นที่": "G",
               "ข้อมูลหลากหลายประเภท": "M", "ข้อมูลประเภทอื่นๆ": "O"}
    assert {d["data_type"] for d in datasets} == set(DATA_TYPES)
    for dataset in datasets:
        letter = letters[dataset["data_type"]]
        for field_name, types in DATASET_FIELDS.items():
            assert field_name in dataset
            if letter not in types:
                assert dataset[field_name] in ("", []), (field_name, dataset["data_type"])
        if letter == "S":
            assert "2560" <= dataset["first_year_of_data"] <= dataset["last_year_of_data"] <= "2568"
            assert dataset["unit_of_measure"] and dataset["disaggregate"]
        if letter == "G":
            assert float(dataset["west_bound_longitude"]) < float(dataset["east_bound_longitude"])
        if letter == "O":
            assert dataset["data_type_other"]
        dt.date.fromisoformat(dataset["last_updated_date"])


def test_sample_datasets_use_thai_gdc_value_shapes():
    datasets = sample_datasets(90)
    for dataset in datasets:
        for field_name in MULTIPLE_CHOICE - {"resource_disaggregate"}:
            assert isinstance(dataset[field_name], list)
            assert set(dataset[field_name]) <= set(CHOICES[field_name])
        assert dataset["allow_harvest"] in ("True", "False")
        for field_name in ("update_frequency_unit", "geo_coverage", "data_category"):
            assert dataset[field_name] in CHOICES[field_name]
        for field_name, value in dataset.items():
            chosen = value if isinstance(value, list) else [value]
            if OTHER_CHOICE in chosen and f"{field_name}_other" in dataset:
                assert dataset[f"{field_name}_other"], field_name
        assert 1 <= len(dataset["resources"]) <= 3
        assert dataset["tags"] and re.search("[ก-๙]", dataset["title"])
    others = [d for d in datasets if OTHER_CHOICE in json.dumps(d, ensure_ascii=False)]
    assert len(others) > 10
    assert {d["license_id"] for d in datasets} >= {
        "Open Data Common", "License not specified", "Creative Commons Attributions"}
    undisclosable = [d for d in datasets if d["data_category"] != "ข้อมูลสาธารณะ"]
    assert undisclosable and all(d["data_classification"] != "เปิดเผย" and not d["private"]
                                 for d in undisclosable)
    assert sum(d["data_classification"] == "เปิดเผย" for d in datasets) > 0.8 * len(datasets)


def test_sample_names_are_unique_ascii_slugs_and_titles_unique():
    datasets = sample_datasets(400)
    names = [d["name"] for d in datasets]
    assert len(set(names)) == len(names) and len({d["title"] for d in datasets}) == len(datasets)
    assert all(re.fullmatch(r"[a-z0-9\-]{2,70}", name) for name in names)
    assert all(d["id"].startswith("item_") for d in datasets)


def test_sample_resources_link_to_the_catalog_or_are_uploads():
    datasets = sample_datasets(40, site_url="https://agency.gdcatalog.go.th/")
    resources = [(d, r) for d in datasets for r in d["resources"]]
    uploads = [r for _, r in resources if r["url_type"] == "upload"]
    links = [(d, r) for d, r in resources if r["url_type"] == ""]
    assert uploads and links
    assert all("/" not in r["url"] for r in uploads)
    for dataset, resource in links:
        assert resource["url"].startswith(
            f"https://agency.gdcatalog.go.th/dataset/{dataset['id']}/resource/{resource['id']}/download/")
    assert {r["format"] for _, r in resources} == {"CSV", "XLSX", "PDF"}


def test_sample_organizations_have_thai_titles_and_stable_ids():
    trade, other = sample_organizations(["trade-stat", "new-agency"])
    assert trade["id"] == organization_id("trade-stat") and trade["title"] == "สำนักงานสถิติการค้า"
    assert other["type"] == "organization" and other["is_organization"] is True
    assert other["state"] == "active" and re.search("[ก-๙]", other["title"])


# -- the store ---------------------------------------------------------------

def test_add_sets_what_package_create_sets():
    catalog = ThaiGdcCatalog(clock=lambda: dt.datetime(2025, 1, 2, 3, 4, 5, 600000))
    stored = catalog.add({"title": "ชุด", "owner_org": "new-agency", "tag_string": "ก,ข",
                          "resources": [{"url": "https://x/download/a.csv", "url_type": "upload"},
                                        {"url": "https://y/b.pdf"}]})
    assert re.fullmatch(r"item_[0-9a-f\-]{36}", stored["id"])
    assert stored["metadata_created"] == stored["metadata_modified"] == "2025-01-02T03:04:05.600000"
    assert stored["organization"]["name"] == "new-agency"
    assert stored["owner_org"] == catalog.organization("new-agency")["id"]
    assert [t["name"] for t in stored["tags"]] == ["ก", "ข"] and stored["num_tags"] == 2
    first, second = stored["resources"]
    assert (first["position"], second["position"]) == (0, 1)
    assert first["package_id"] == stored["id"] and first["id"] != second["id"]
    assert first["url"] == "a.csv"  # an upload keeps its file name, as CKAN stores it
    assert catalog.show(stored["id"], "http://h")["resources"][0]["url"] == (
        f"http://h/dataset/{stored['id']}/resource/{first['id']}/download/a.csv")
    with pytest.raises(ValueError):
        catalog.add({"name": stored["name"], "title": "อื่น"})


def test_a_catalog_of_sample_datasets_knows_their_organizations():
    catalog = ThaiGdcCatalog(sample_datasets(10, organizations=["new-agency", "trade-stat"]))
    names = {o["name"] for o in catalog.organizations.values()}
    assert names == {"new-agency", "trade-stat"}
    assert catalog.search(filters=["+organization:new-agency"]).count == 5


def test_changes_bump_metadata_modified_strictly():
    frozen = dt.datetime(2025, 1, 1)
    catalog = ThaiGdcCatalog(sample_datasets(3), clock=lambda: frozen)
    first = next(iter(catalog.datasets))
    stamps = [catalog.datasets[first]["metadata_modified"]]
    catalog.update(first, title="ใหม่")
    stamps.append(catalog.datasets[first]["metadata_modified"])
    catalog.make_private(first)
    stamps.append(catalog.datasets[first]["metadata_modified"])
    catalog.delete(first)
    stamps.append(catalog.datasets[first]["metadata_modified"])
    assert stamps == sorted(set(stamps)) and len(stamps) == 4
    assert catalog.datasets[first]["private"] is True and catalog.datasets[first]["state"] == "deleted"
    catalog.update(first, metadata_modified="2020-05-05T00:00:00")
    assert catalog.datasets[first]["metadata_modified"] == "2020-05-05T00:00:00"
    catalog.purge(first)
    assert catalog.get(first) is None


# -- the query language ------------------------------------------------------

def test_lucene_or_beside_required_clauses_is_optional_as_in_solr():
    tree = parse_lucene("+capacity:public organization:a OR organization:b +state:(active)")
    assert tree == BooleanQuery((("+", Term("capacity", "public")), ("", Term("organization", "a")),
                                 ("", Term("organization", "b")), ("+", Term("state", "active"))))
    assert parse_lucene("a AND b") == BooleanQuery((("+", Term("text", "a")),
                                                    ("+", Term("text", "b"))))
    assert parse_lucene("*:*") == MatchAll()
    with pytest.raises(SearchError):
        parse_lucene('title:"unclosed')


def test_solr_dates_and_date_math():
    now = dt.datetime(2025, 3, 31, 10, 20, 30, 123456)
    assert parse_solr_date("2024-01-02T03:04:05.123456Z") == dt.datetime(2024, 1, 2, 3, 4, 5, 123000)
    assert parse_solr_date("NOW-1DAY", lambda: now) == dt.datetime(2025, 3, 30, 10, 20, 30, 123000)
    assert parse_solr_date("NOW/DAY-1MONTH", lambda: now) == dt.datetime(2025, 2, 28)
    for bad in ("2024-01-02T03:04:05", "2024-13-02T00:00:00Z", "yesterday"):
        with pytest.raises(SearchError):
            parse_solr_date(bad)


# -- the action API ------------------------------------------------------------

def test_status_show_answers_as_thai_gdc(anonymous: ckanapi.RemoteCKAN, server: ThaiGdcServer):
    status = anonymous.action.status_show()
    assert status["site_url"] == server.url and status["locale_default"] == "th"
    assert status["ckan_version"].startswith("2.9.")
    assert "thai_gdc" in status["extensions"] and "scheming_datasets" in status["extensions"]
    assert status["thaigdc_catalog_type"] == "agency"
    assert status["thaigdc_is_as_a_service"] in ("true", "false")
    assert re.fullmatch(r"\d+\.\d+\.\d+", status["thaigdc_version"])
    assert set(status["thaigdc_update"]) == {"thai_gdc", "xloader", "discovery"}


def test_envelope_unknown_action_and_get_on_a_write_action(server: ThaiGdcServer):
    answer = action(server, "package_list")
    assert answer.headers["Content-Type"].startswith("application/json")
    assert answer.json()["help"] == f"{server.url}/api/3/action/help_show?name=package_list"
    assert answer.json()["success"] is True
    unknown = requests.get(f"{server.url}/api/action/no_such_action", timeout=5)
    assert unknown.status_code == 400
    assert unknown.json() == "Bad request - Action name not known: no_such_action"
    write = action(server, "package_create", name="x")
    assert write.status_code == 400 and "Please use POST method" in write.json()
    assert requests.delete(f"{server.url}/api/3/action/package_delete", timeout=5).status_code == 405
    broken = requests.post(f"{server.url}/api/3/action/package_search", data=b"{not json",
                           headers={"Content-Type": "application/json"}, timeout=5)
    assert broken.status_code == 400 and "JSON Error" in broken.json()


def test_search_pages_through_every_public_dataset_once(anonymous: ckanapi.RemoteCKAN,
                                                        catalog: ThaiGdcCatalog):
    ids = all_ids(anonymous)
    assert ids == sorted(catalog.datasets) and len(ids) == 30
    first = anonymous.action.package_search()
    assert first["count"] == 30 and len(first["results"]) == 10
    assert first["sort"] == "score desc, metadata_modified desc"
    assert first["facets"] == {} and first["search_facets"] == {}
    assert first["results"][0] == anonymous.action.package_show(id=first["results"][0]["id"])


def test_search_rows_are_cut_at_1000_as_ckan_does(big_server: ThaiGdcServer):
    answer = action(big_server, "package_search", rows=5000, fl="id").json()["result"]
    assert answer["count"] == 2000 and len(answer["results"]) == 1000


def test_search_parameter_errors(server: ThaiGdcServer):
    cases: list[tuple[dict[str, Any], int, str]] = [
        ({"rows": "many"}, 409, "Validation Error"),
        ({"start": -1}, 409, "Validation Error"),
        ({"sort": "name"}, 400, "Search Query Error"),  # no asc/desc
        ({"sort": "tags asc"}, 409, "Search Error"),  # Solr: a multivalued field
        ({"limit": 5}, 400, "Search Query Error"),  # not a package_search parameter
        ({"fq": "name:(unclosed"}, 409, "Search Error"),
        ({"fq": "metadata_modified:[2024-01-01T00:00:00 TO *]"}, 409, "Search Error"),  # no Z
    ]
    for params, status, error_type in cases:
        answer = action(server, "package_search", **params)
        assert answer.status_code == status, params
        assert answer.json()["success"] is False
        assert answer.json()["error"]["__type"] == error_type, params
    assert action(server, "package_search", rows="x").json()["error"]["rows"] == ["Invalid integer"]


def test_search_sorts(anonymous: ckanapi.RemoteCKAN, catalog: ThaiGdcCatalog):
    def order(sort: str) -> list[str]:
        return [d["name"] for d in anonymous.action.package_search(sort=sort, rows=100)["results"]]

    # Solr keeps milliseconds: datasets changed within one keep their index order.
    def millis(dataset: dict[str, Any]) -> str:
        return dataset["metadata_modified"][:23]

    indexed = list(catalog.datasets.values())
    assert order("metadata_modified asc") == [d["name"] for d in sorted(indexed, key=millis)]
    assert order("metadata_modified desc") == [
        d["name"] for d in sorted(indexed, key=millis, reverse=True)]
    assert order("name asc") == sorted(d["name"] for d in catalog.datasets.values())
    combined = order("organization asc, name desc")
    expected = sorted(catalog.datasets.values(), key=lambda d: d["name"], reverse=True)
    expected.sort(key=lambda d: d["organization"]["name"])
    assert combined == [d["name"] for d in expected]


def test_search_metadata_modified_windows(anonymous: ckanapi.RemoteCKAN, catalog: ThaiGdcCatalog):
    since = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    time.sleep(0.002)
    changed = sorted(catalog.datasets)[:3]
    for dataset_id in changed:
        catalog.update(dataset_id, notes="ปรับปรุงข้อมูล")
    window = f"metadata_modified:[{since.isoformat()}Z TO *]"  # ckanext-harvest's form
    assert sorted(all_ids(anonymous, fq=window)) == changed
    before = f"metadata_modified:[* TO {since.isoformat()}Z]"
    assert sorted(all_ids(anonymous, fq=before)) == sorted(set(catalog.datasets) - set(changed))
    assert anonymous.action.package_search(fq="metadata_modified:[NOW-1DAY TO *]")["count"] == 30


def test_search_filters_by_organization(anonymous: ckanapi.RemoteCKAN, catalog: ThaiGdcCatalog):
    def owners(fq: str) -> set[str]:
        ids = all_ids(anonymous, fq=fq)
        return {catalog.datasets[i]["organization"]["name"] for i in ids}

    assert owners("organization:trade-stat") == {"trade-stat"}
    assert owners(f"owner_org:{organization_id('agri-data')}") == {"agri-data"}
    assert owners("-organization:trade-stat") == {"agri-data", "water-data"}
    assert owners("+organization:(trade-stat OR agri-data)") == {"trade-stat", "agri-data"}
    # As on CKAN: fq is sent to Solr after "+capacity:public ", which makes an OR optional.
    assert owners("organization:trade-stat OR organization:agri-data") == set(ORGANIZATIONS)


def test_search_fl_returns_only_those_fields(anonymous: ckanapi.RemoteCKAN, catalog: ThaiGdcCatalog):
    results = anonymous.action.package_search(fl="id,name,metadata_modified", rows=100)["results"]
    assert len(results) == 30 and all(set(r) == {"id", "name", "metadata_modified"} for r in results)
    for result in results:
        stored = catalog.datasets[result["id"]]["metadata_modified"]
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?Z", result["metadata_modified"])
        assert result["metadata_modified"][:19] == stored[:19]
    only_ids = anonymous.action.package_search(fl="id", rows=2)["results"]
    assert all(list(r) == ["id"] for r in only_ids)


def test_search_text_queries_and_facets(anonymous: ckanapi.RemoteCKAN, catalog: ThaiGdcCatalog):
    tagged = {d["id"] for d in catalog.datasets.values()
              if "การค้า" in [t["name"] for t in d["tags"]]}
    assert tagged and set(all_ids(anonymous, q="การค้า")) == tagged
    assert all_ids(anonymous, q="nothing-matches-this") == []
    facets = anonymous.action.package_search(rows=0, **{"facet.field": '["organization"]'})
    assert sum(facets["facets"]["organization"].values()) == 30
    items = facets["search_facets"]["organization"]["items"]
    assert {i["display_name"] for i in items} >= {"สำนักงานสถิติการค้า", "ศูนย์ข้อมูลการเกษตร"}


def test_private_datasets_only_for_the_sysadmin(anonymous: ckanapi.RemoteCKAN,
                                                sysadmin: ckanapi.RemoteCKAN,
                                                catalog: ThaiGdcCatalog, server: ThaiGdcServer):
    hidden = sorted(catalog.datasets)[4]
    catalog.make_private(hidden)
    assert hidden not in all_ids(anonymous) and hidden not in all_ids(anonymous, include_private=True)
    assert hidden not in all_ids(sysadmin)  # CKAN: include_private is needed
    assert hidden in all_ids(sysadmin, include_private=True)
    refused = action(server, "package_show", id=hidden)
    assert refused.status_code == 403
    assert refused.json()["error"]["__type"] == "Authorization Error"
    with pytest.raises(ckanapi.NotAuthorized):
        anonymous.action.package_show(id=catalog.datasets[hidden]["name"])
    assert sysadmin.action.package_show(id=hidden)["private"] is True
    assert catalog.datasets[hidden]["name"] not in anonymous.action.package_list()


def test_deleted_and_purged_datasets(anonymous: ckanapi.RemoteCKAN, sysadmin: ckanapi.RemoteCKAN,
                                     catalog: ThaiGdcCatalog, server: ThaiGdcServer):
    deleted, purged = sorted(catalog.datasets)[:2]
    catalog.delete(deleted)
    catalog.purge(purged)
    for client in (anonymous, sysadmin):
        ids = all_ids(client, include_private=True)
        assert deleted not in ids and purged not in ids and len(ids) == 28
    assert action(server, "package_show", id=deleted).status_code == 403  # as CKAN: not 404
    assert sysadmin.action.package_show(id=deleted)["state"] == "deleted"
    for client in (anonymous, sysadmin):
        with pytest.raises(ckanapi.NotFound):
            client.action.package_show(id=purged)
    assert action(server, "package_show", id="no-such-dataset").status_code == 404
    assert action(server, "package_show").json()["error"]["name_or_id"] == "Missing value"


def test_the_token_in_each_header_makes_the_sysadmin(server: ThaiGdcServer, catalog: ThaiGdcCatalog):
    hidden = sorted(catalog.datasets)[0]
    catalog.make_private(hidden)
    for header in ("Authorization", "X-CKAN-API-Key", "api-key"):
        answer = requests.get(f"{server.url}/api/3/action/package_show", params={"id": hidden},
                              headers={header: TOKEN}, timeout=5)
        assert answer.status_code == 200, header
    wrong = requests.get(f"{server.url}/api/3/action/package_show", params={"id": hidden},
                         headers={"Authorization": "not-the-token"}, timeout=5)
    assert wrong.status_code == 403
    with pytest.raises(ckanapi.NotAuthorized):  # an unknown token is an anonymous user
        ckanapi.RemoteCKAN(server.url, apikey="not-the-token").action.package_create(**new_dataset())
    assert ckanapi.RemoteCKAN(server.url, apikey="nope").action.package_search()["count"] == 29


def test_unknown_tokens_can_be_refused(catalog: ThaiGdcCatalog):
    with ThaiGdcServer(catalog, token=TOKEN, reject_unknown_tokens=True) as server:
        refused = requests.get(f"{server.url}/api/3/action/package_search",
                               headers={"Authorization": "nope"}, timeout=5)
        assert refused.status_code == 403
        assert refused.json()["error"]["__type"] == "Authorization Error"
        assert action(server, "package_search").status_code == 200


def test_the_gateway_wants_its_key(server: ThaiGdcServer, catalog: ThaiGdcCatalog):
    url = f"{server.gateway_url}/package_search"
    missing = requests.get(url, timeout=5)
    assert missing.status_code == 401 and "message" in missing.json()
    wrong = requests.get(url, headers={"api-key": "wrong"}, timeout=5)
    assert wrong.status_code == 403 and "message" in wrong.json()
    good = requests.get(url, headers={"api-key": TOKEN}, timeout=5)
    assert good.status_code == 200 and good.json()["result"]["count"] == 30
    assert requests.get(url, params={"api-key": TOKEN}, timeout=5).status_code == 200
    hidden = sorted(catalog.datasets)[0]
    catalog.make_private(hidden)
    behind = requests.get(f"{server.gateway_url}/package_show", params={"id": hidden},
                          headers={"api-key": TOKEN}, timeout=5)
    assert behind.status_code == 403  # the gateway calls CKAN as an anonymous user
    write = requests.post(f"{server.gateway_url}/package_create", json=new_dataset(),
                          headers={"api-key": TOKEN}, timeout=5)
    assert write.status_code == 403


def test_gateway_with_another_header(catalog: ThaiGdcCatalog):
    with ThaiGdcServer(catalog, token="k", token_header="X-Api-Key") as server:
        url = f"{server.gateway_url}/status_show"
        assert requests.get(url, headers={"x-api-key": "k"}, timeout=5).status_code == 200
        assert requests.get(url, headers={"api-key": "k"}, timeout=5).status_code == 401


def test_package_create_update_patch_delete(sysadmin: ckanapi.RemoteCKAN,
                                            anonymous: ckanapi.RemoteCKAN,
                                            catalog: ThaiGdcCatalog):
    created = sysadmin.action.package_create(**new_dataset())
    assert created["organization"]["name"] == "trade-stat" and created["num_resources"] == 1
    assert created["resources"][0]["id"] and created["metadata_created"]
    assert created["id"] in all_ids(anonymous)
    updated = sysadmin.action.package_update(**new_dataset(id=created["id"], title="ชื่อใหม่"))
    assert updated["title"] == "ชื่อใหม่" and updated["metadata_modified"] > created["metadata_modified"]
    assert updated["metadata_created"] == created["metadata_created"]
    without_resources = new_dataset(id=created["id"])
    del without_resources["resources"]
    assert sysadmin.action.package_update(**without_resources)["resources"] == []  # CKAN 2.9
    patched = sysadmin.action.package_patch(id="new-dataset", notes="แก้คำอธิบาย")
    assert patched["notes"] == "แก้คำอธิบาย" and patched["title"] == "ชุดข้อมูลใหม่"
    assert sysadmin.action.package_delete(id=created["id"]) is None
    assert catalog.datasets[created["id"]]["state"] == "deleted"
    assert created["id"] not in all_ids(anonymous)


def test_write_validation_and_authorization(sysadmin: ckanapi.RemoteCKAN,
                                            anonymous: ckanapi.RemoteCKAN,
                                            catalog: ThaiGdcCatalog, server: ThaiGdcServer):
    taken = next(iter(catalog.datasets.values()))["name"]
    with pytest.raises(ckanapi.ValidationError) as error:
        sysadmin.action.package_create(**new_dataset(name=taken))
    assert error.value.error_dict["name"] == ["That URL is already in use."]
    with pytest.raises(ckanapi.ValidationError) as error:
        sysadmin.action.package_create(**new_dataset(title=""))
    assert error.value.error_dict["title"] == ["Missing value"]
    with pytest.raises(ckanapi.ValidationError) as error:
        sysadmin.action.package_create(**new_dataset(data_format=["CSV", "Excel"],
                                                     owner_org="no-such-org", name="Bad Name"))
    assert error.value.error_dict["data_format"] == ['unexpected choice "Excel"']
    assert error.value.error_dict["owner_org"] == ["Organization does not exist"]
    assert "lowercase alphanumeric" in error.value.error_dict["name"][0]
    raw = requests.post(f"{server.url}/api/3/action/package_create", json=new_dataset(title=""),
                        headers={"Authorization": TOKEN}, timeout=5)
    assert raw.status_code == 409 and raw.json()["error"]["__type"] == "Validation Error"
    with pytest.raises(ckanapi.NotAuthorized):
        anonymous.action.package_create(**new_dataset())
    with pytest.raises(ckanapi.NotAuthorized):
        anonymous.action.package_patch(id=taken, title="x")
    with pytest.raises(ckanapi.NotFound):
        sysadmin.action.package_update(**new_dataset(id="no-such-dataset"))
    assert len(catalog.datasets) == 30


def test_organizations_and_package_list(anonymous: ckanapi.RemoteCKAN, sysadmin: ckanapi.RemoteCKAN,
                                        catalog: ThaiGdcCatalog):
    assert anonymous.action.organization_list(sort="name asc") == sorted(ORGANIZATIONS)
    listed = anonymous.action.organization_list(all_fields=True)
    assert [o["title"] for o in listed] == sorted(o["title"] for o in listed)
    assert sum(o["package_count"] for o in listed) == 30
    hidden = next(d for d in catalog.datasets.values() if d["organization"]["name"] == "agri-data")
    catalog.make_private(hidden["id"])
    shown = anonymous.action.organization_show(id="agri-data")
    assert shown["id"] == organization_id("agri-data") and shown["title"] == "ศูนย์ข้อมูลการเกษตร"
    assert sysadmin.action.organization_show(id=shown["id"])["package_count"] == \
        shown["package_count"] + 1
    with_datasets = anonymous.action.organization_show(id="agri-data", include_datasets=True)
    assert len(with_datasets["packages"]) == shown["package_count"]
    with pytest.raises(ckanapi.NotFound):
        anonymous.action.organization_show(id="no-such-org")
    names = anonymous.action.package_list()
    assert names == sorted(names) and hidden["name"] not in names and len(names) == 29
    assert anonymous.action.package_list(limit=5, offset=2) == names[2:7]


def test_requests_are_recorded(server: ThaiGdcServer, sysadmin: ckanapi.RemoteCKAN):
    sysadmin.action.package_search(rows=3, fq="organization:trade-stat")
    action(server, "package_show", id="x")
    search = server.calls("package_search")
    assert len(search) == 1 and isinstance(search[0], Request)
    assert search[0].method == "POST" and search[0].path == "/api/action/package_search"
    assert search[0].params == {"rows": 3, "fq": "organization:trade-stat"}
    assert search[0].headers["Authorization"] == TOKEN and b"trade-stat" in search[0].body
    shown = server.calls("package_show")[0]
    assert shown.method == "GET" and shown.params == {"id": "x"}
    assert [r.action for r in server.requests] == ["package_search", "package_show"]


def test_uploaded_files_are_served(server: ThaiGdcServer, sysadmin: ckanapi.RemoteCKAN,
                                   catalog: ThaiGdcCatalog):
    created = sysadmin.action.package_create(**new_dataset(resources=[
        {"name": "ไฟล์", "url": "data.csv", "url_type": "upload", "format": "csv"}]))
    url = created["resources"][0]["url"]
    assert url == (f"{server.url}/dataset/{created['id']}/resource/"
                   f"{created['resources'][0]['id']}/download/data.csv")
    assert created["resources"][0]["format"] == "CSV"
    download = requests.get(url, timeout=5)
    assert download.status_code == 200 and "ชุดข้อมูลใหม่" in download.text
    assert requests.head(url, timeout=5).status_code == 200
    catalog.make_private(created["id"])
    assert requests.get(url, timeout=5).status_code == 404


def test_form_and_query_string_data(server: ThaiGdcServer):
    form = requests.post(f"{server.url}/api/3/action/package_search", data={"rows": "2"}, timeout=5)
    assert len(form.json()["result"]["results"]) == 2
    query = requests.post(f"{server.url}/api/3/action/package_search?rows=3", timeout=5)
    assert len(query.json()["result"]["results"]) == 3
    jsonp = requests.get(f"{server.url}/api/3/action/status_show", params={"callback": "f"},
                         timeout=5)
    assert jsonp.status_code == 200 and jsonp.json()["success"] is True


# -- faults -------------------------------------------------------------------

def test_fault_500_then_recovery(server: ThaiGdcServer, anonymous: ckanapi.RemoteCKAN):
    server.fail("package_search", "500", times=2)
    for _ in range(2):
        answer = action(server, "package_search")
        assert answer.status_code == 500
        assert answer.json()["error"]["__type"] == "Internal Server Error"
    assert anonymous.action.package_search()["count"] == 30


def test_fault_502_and_503_are_html_pages(server: ThaiGdcServer):
    server.fail("status_show", "502")
    server.fail("status_show", "503")
    bad_gateway, unavailable = action(server, "status_show"), action(server, "status_show")
    assert bad_gateway.status_code == 502 and "<html>" in bad_gateway.text
    assert unavailable.status_code == 503 and "text/html" in unavailable.headers["Content-Type"]
    with pytest.raises(ValueError):
        json.loads(bad_gateway.text)
    assert action(server, "status_show").status_code == 200


def test_fault_timeout_after_calls_that_go_through(server: ThaiGdcServer,
                                                   anonymous: ckanapi.RemoteCKAN):
    server.timeout_sleep = 1.0
    server.fail("package_show", "timeout", after=1)
    first = sorted(server.catalog.datasets)[0]
    assert anonymous.action.package_show(id=first)["id"] == first
    started = time.monotonic()
    with pytest.raises(requests.Timeout):
        anonymous.call_action("package_show", {"id": first}, requests_kwargs={"timeout": 0.2})
    assert time.monotonic() - started < 0.9
    assert anonymous.action.package_show(id=first)["id"] == first


def test_a_timeout_ends_when_the_server_stops(catalog: ThaiGdcCatalog):
    server = ThaiGdcServer(catalog).start()
    server.timeout_sleep = 30
    server.fail("status_show", "timeout")
    outcome: list[Any] = []

    def call() -> None:
        try:
            outcome.append(requests.get(f"{server.url}/api/3/action/status_show", timeout=10))
        except requests.RequestException as error:
            outcome.append(error)

    caller = threading.Thread(target=call)
    caller.start()
    time.sleep(0.2)
    started = time.monotonic()
    server.stop()
    caller.join(5)
    assert time.monotonic() - started < 3 and isinstance(outcome[0], requests.ConnectionError)


def test_fault_malformed_json(server: ThaiGdcServer, anonymous: ckanapi.RemoteCKAN):
    server.fail("package_search", "malformed")
    answer = action(server, "package_search")
    assert answer.status_code == 200
    with pytest.raises(ValueError):
        answer.json()
    server.fail("package_search", "malformed")
    with pytest.raises(ckanapi.CKANAPIError):
        anonymous.action.package_search()


def test_fault_drop_closes_the_connection(server: ThaiGdcServer):
    server.fail("package_search", "drop")
    session = requests.Session()
    with pytest.raises(requests.ConnectionError):
        session.get(f"{server.url}/api/3/action/package_search", timeout=5)
    assert session.get(f"{server.url}/api/3/action/package_search", timeout=5).status_code == 200


def test_fault_404_mid_gather(server: ThaiGdcServer, anonymous: ckanapi.RemoteCKAN):
    server.fail("package_search", "404", after=1)
    assert anonymous.action.package_search(rows=10, start=0, sort="id asc")["results"]
    with pytest.raises(ckanapi.NotFound):
        anonymous.action.package_search(rows=10, start=10, sort="id asc")
    assert anonymous.action.package_search(rows=10, start=10, sort="id asc")["results"]


def test_fault_403_token_refused_on_both_paths(server: ThaiGdcServer, sysadmin: ckanapi.RemoteCKAN):
    server.fail("package_create", "403")
    with pytest.raises(ckanapi.NotAuthorized):
        sysadmin.action.package_create(**new_dataset())
    assert sysadmin.action.package_create(**new_dataset())["name"] == "new-dataset"
    server.fail("package_search", "403")
    refused = requests.get(f"{server.gateway_url}/package_search", headers={"api-key": TOKEN},
                           timeout=5)
    assert refused.status_code == 403 and "message" in refused.json()


def test_fault_for_any_action_and_bad_fault_arguments(server: ThaiGdcServer):
    server.fail("*", "500", times=2)
    assert action(server, "status_show").status_code == 500
    assert action(server, "package_list").status_code == 500
    assert action(server, "package_list").status_code == 200
    server.fail("package_list", "500")
    server.clear_faults()
    assert action(server, "package_list").status_code == 200
    with pytest.raises(ValueError):
        server.fail("package_list", "teapot")
    with pytest.raises(ValueError):
        server.fail("package_list", "500", times=0)
    assert set(FAULT_KINDS) >= {"500", "timeout", "malformed", "drop", "404", "403"}


def test_the_remote_goes_away_and_comes_back(server: ThaiGdcServer):
    session = requests.Session()
    assert session.get(f"{server.url}/api/3/action/status_show", timeout=5).status_code == 200
    port = server.port
    server.go_away()
    assert server.away
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", port)) != 0  # refused
    with pytest.raises(requests.ConnectionError):
        session.get(f"{server.url}/api/3/action/status_show", timeout=5)
    server.come_back()
    assert server.port == port and not server.away
    assert session.get(f"{server.url}/api/3/action/status_show", timeout=5).status_code == 200


def test_concurrent_searches_and_changes(server: ThaiGdcServer, catalog: ThaiGdcCatalog):
    failures: list[Any] = []

    def search() -> None:
        session = requests.Session()
        for _ in range(15):
            answer = session.get(f"{server.url}/api/3/action/package_search",
                                 params={"rows": 100, "sort": "metadata_modified desc"}, timeout=5)
            if answer.status_code != 200 or answer.json()["result"]["count"] not in (29, 30):
                failures.append(answer.text[:200])

    threads = [threading.Thread(target=search) for _ in range(4)]
    for thread in threads:
        thread.start()
    ids = sorted(catalog.datasets)
    for index in range(15):
        catalog.update(ids[index % 5], notes=f"ครั้งที่ {index}")
    catalog.purge(ids[-1])
    for thread in threads:
        thread.join(10)
    assert failures == []


# -- speed and the command line -----------------------------------------------

def test_searching_two_thousand_datasets_takes_milliseconds(big_server: ThaiGdcServer):
    session = requests.Session()
    url = f"{big_server.url}/api/3/action/package_search"
    slowest_count = 0.0
    for day in range(1, 4):  # a new filter each time: nothing remembered
        started = time.monotonic()
        window = f"metadata_modified:[2000-01-0{day}T00:00:00Z TO *]"
        assert session.get(url, params={"rows": 0, "fq": window}, timeout=5).json()[
            "result"]["count"] == 2000
        slowest_count = max(slowest_count, time.monotonic() - started)
    started = time.monotonic()
    ids = set()
    for start in range(0, 2000, 100):
        page = session.get(url, timeout=5, params={"rows": 100, "start": start,
                                                   "sort": "id asc"}).json()
        ids |= {d["id"] for d in page["result"]["results"]}
    pages = time.monotonic() - started
    assert len(ids) == 2000
    assert slowest_count < 0.5  # about 0.02 s here
    assert pages < 3  # about 0.7 s here for 20 pages of 1 MB, the client's JSON parsing included


def test_run_by_hand():
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-m", "ckanext.opendata_th.tests.thai_gdc", "--datasets", "7", "--port",
         str(port)], stdout=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline()  # type: ignore[union-attr]
        assert f"http://127.0.0.1:{port}" in line
        answer = requests.get(f"http://127.0.0.1:{port}/api/3/action/package_search", timeout=5)
        assert answer.json()["result"]["count"] == 7
    finally:
        process.terminate()
        process.wait(5)
