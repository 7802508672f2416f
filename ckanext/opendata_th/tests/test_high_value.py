"""High-value datasets (thai_gdc's ``high_value_dataset``): a facet of the
dataset search labelled in Thai and English, and the public list page of
the published ones, linked from the home page. A private high-value
dataset appears nowhere for visitors or other organizations' admins, and
the list page shows published datasets only, whoever looks."""
from __future__ import annotations

import sys
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup

from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.opendata_th.tests.datasets import create_dataset, national_dataset, national_resource
from ckanext.opendata_th.tests.web import Browser

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db_once")

_CATALOG: dict = {}


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


@pytest.fixture
def catalog(clean_db_once):
    """Two public high-value datasets, a private high-value one and a public
    ordinary one of one organization (with its member); another
    organization with its admin."""
    if not _CATALOG:
        member, other_admin = factories.UserWithToken(), factories.UserWithToken()
        sysadmin = factories.Sysadmin()
        org = factories.Organization(title="กรมเจ้าท่า", users=[{"name": member["name"], "capacity": "member"}])
        factories.Organization(users=[{"name": other_admin["name"], "capacity": "admin"}])

        def create(**fields):
            return create_dataset({"user": sysadmin["name"]}, **national_dataset(
                owner_org=org["id"], resources=[national_resource()], **fields))

        first = create(title="ท่าเรือและรหัส UN/LOCODE", high_value_dataset="True")
        second = create(title="ปริมาณสินค้าผ่านท่าเรือ", high_value_dataset="True")
        hidden = create(title="รายชื่อผู้ประกอบการเรือ", high_value_dataset="True", private=True)
        ordinary = create(title="ตารางเดินเรือ", high_value_dataset="False")
        _CATALOG.update(member=member, other_admin=other_admin, first=first, second=second, hidden=hidden,
                        ordinary=ordinary)
    return SimpleNamespace(**_CATALOG)


def titles(page) -> list[str]:
    return [a.get_text(strip=True) for a in page.select(".dataset-heading a")]


@pytest.mark.parametrize("who", [None, "other_admin", "member"])
def test_the_list_page_shows_the_published_high_value_datasets_only(app, catalog, who):
    browser = Browser(app, getattr(catalog, who) if who else None)
    response = browser.get("/high-value")
    assert response.status_code == 200
    page = soup(response)
    assert page.select_one("h1").get_text(strip=True) == "ชุดข้อมูลที่มีคุณค่าสูง"
    assert titles(page) == ["ปริมาณสินค้าผ่านท่าเรือ", "ท่าเรือและรหัส UN/LOCODE"]  # newest change first
    assert "ชุดข้อมูลที่มีคุณค่าสูง 2 ชุด" in page.select_one(".high-value-count").get_text(" ", strip=True)
    html = response.get_data(as_text=True)
    assert catalog.hidden["name"] not in html and "รายชื่อผู้ประกอบการเรือ" not in html
    assert "ตารางเดินเรือ" not in html


def test_the_list_page_has_pages_and_bad_page_numbers_do_not_fail(app, catalog, monkeypatch):
    monkeypatch.setattr(sys.modules["ckanext.opendata_th.views.high_value"], "PAGE_SIZE", 1)
    first, second = soup(app.get("/high-value")), soup(app.get("/high-value?page=2"))
    assert titles(first) == ["ปริมาณสินค้าผ่านท่าเรือ"] and titles(second) == ["ท่าเรือและรหัส UN/LOCODE"]
    assert "หน้า 1 จาก 2" in first.select_one(".pagination").get_text(" ", strip=True)
    assert first.select_one(".pagination a")["href"] == "/high-value?page=2"
    for bad in ("abc", "-3", "99999999999"):
        assert app.get(f"/high-value?page={bad}").status_code == 200
    english = soup(Browser(app, lang="en").get("/high-value"))
    assert english.select_one("h1").get_text(strip=True) == "High-value datasets"


@pytest.mark.parametrize("who", [None, "other_admin"])
def test_the_facet_counts_public_datasets_and_is_labelled(app, catalog, who):
    user = getattr(catalog, who)["name"] if who else ""
    found = call_action("package_search", {"user": user, "ignore_auth": False}, q="",
                        include_private=True, **{"facet.field": '["high_value_dataset"]'})
    assert found["facets"]["high_value_dataset"] == {"True": 2, "False": 1}
    headers = {"Authorization": getattr(catalog, who)["token"]} if who else {}
    found = app.get('/api/3/action/package_search?include_private=true&facet.field=["high_value_dataset"]',
                    headers=headers).json["result"]
    items = {item["name"]: item["display_name"] for item in found["search_facets"]["high_value_dataset"]["items"]}
    assert items == {"True": "มีคุณค่าสูง", "False": "ไม่ได้ระบุว่ามีคุณค่าสูง"}
    page = soup(Browser(app, getattr(catalog, who) if who else None).get("/dataset/?high_value_dataset=True"))
    assert sorted(titles(page)) == ["ท่าเรือและรหัส UN/LOCODE", "ปริมาณสินค้าผ่านท่าเรือ"]
    facet_text = " ".join(page.get_text(" ").split())
    assert "ชุดข้อมูลที่มีคุณค่าสูง" in facet_text and "มีคุณค่าสูง" in facet_text


def test_the_organizations_member_counts_its_private_one_in_the_facet_and_english_labels(app, catalog):
    found = call_action("package_search", {"user": catalog.member["name"], "ignore_auth": False}, q="",
                        include_private=True, **{"facet.field": '["high_value_dataset"]'})
    assert found["facets"]["high_value_dataset"] == {"True": 3, "False": 1}
    english = soup(Browser(app, lang="en").get("/dataset/"))
    text = " ".join(english.get_text(" ").split())
    assert "High-value datasets" in text and "Not marked as high-value" in text


def test_the_home_page_links_the_list(app, catalog):
    page = soup(app.get("/"))
    assert page.select_one("#home-high-value a.opendata-th-high-value-list")["href"] == "/high-value"
