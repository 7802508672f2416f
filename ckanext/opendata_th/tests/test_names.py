"""Web addresses made from titles: a dataset, organization or group created
without a name gets one from its title (Thai in RTGS), unique within the
portal; updates never rename; ``opendata_th_name_suggest`` gives the form's
preview the same name, to those who may create, and writes nothing."""
from __future__ import annotations

import time
from typing import Any, Optional

import pytest

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.opendata_th.logic.action.names import TITLE_MAX_LENGTH
from ckanext.opendata_th.tests.datasets import national_dataset

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db")

EXPORT_TITLE = "มูลค่าการส่งออกสินค้ารายตลาด"
EXPORT_NAME = "munlakha-kansongok-sinkha-rai-talat"
SUGGEST = "/api/3/action/opendata_th_name_suggest"


def as_user(user: Optional[dict[str, Any]]) -> dict[str, Any]:
    """An action context for ``user`` (None: anonymous) with authorization on."""
    return {"user": user["name"] if user else "", "ignore_auth": False}


def without_name(**fields: Any) -> dict[str, Any]:
    """A valid dataset with no name, unless ``fields`` give one."""
    dataset = national_dataset(**fields)
    if "name" not in fields:
        del dataset["name"]
    return dataset


@pytest.fixture
def portal():
    """Two organizations, each with an editor; a sysadmin."""
    editor, other_editor = factories.UserWithToken(), factories.UserWithToken()
    org = factories.Organization(users=[{"name": editor["name"], "capacity": "editor"}])
    other_org = factories.Organization(users=[{"name": other_editor["name"], "capacity": "editor"}])
    return {"editor": editor, "org": org, "other_editor": other_editor, "other_org": other_org,
            "sysadmin": factories.SysadminWithToken()}


def create_dataset(user: dict[str, Any], org: dict[str, Any], **fields: Any) -> dict[str, Any]:
    return call_action("package_create", as_user(user), **without_name(owner_org=org["id"], **fields))


# -- creating without a name -----------------------------------------------------------

def test_a_dataset_created_without_a_name_gets_one_from_its_thai_title(portal):
    dataset = create_dataset(portal["editor"], portal["org"], title=EXPORT_TITLE)
    assert dataset["name"] == EXPORT_NAME
    assert call_action("package_show", id=EXPORT_NAME)["title"] == EXPORT_TITLE


@pytest.mark.parametrize("blank", ["", "   ", None])
def test_an_empty_name_counts_as_left_out(portal, blank):
    dataset = create_dataset(portal["editor"], portal["org"], title="ข้อมูล (ux)", name=blank)
    assert dataset["name"] == "khomun-ux"


def test_a_name_given_is_kept(portal):
    dataset = create_dataset(portal["editor"], portal["org"], title=EXPORT_TITLE, name="export-value")
    assert dataset["name"] == "export-value"


def test_taken_names_get_the_next_number(portal):
    names = [create_dataset(portal["editor"], portal["org"], title="ข้อมูลประชากร")["name"]
             for _ in range(3)]
    assert names == ["khomun-prachakon", "khomun-prachakon-2", "khomun-prachakon-3"]


def test_a_private_dataset_of_another_organization_takes_its_name_without_showing_it(portal, app):
    secret = create_dataset(portal["other_editor"], portal["other_org"], title="โครงการลับ",
                            private=True)
    assert secret["name"] == "khrongkan-lap"
    # the editor of the first organization cannot see it...
    with pytest.raises(tk.NotAuthorized):
        call_action("package_show", as_user(portal["editor"]), id=secret["name"])
    # ...and gets a number, as CKAN's own "URL already in use" would tell
    response = app.get(SUGGEST, query_string={"title": "โครงการลับ"},
                       headers={"Authorization": portal["editor"]["token"]})
    assert response.status_code == 200
    assert response.json["result"] == {"name": "khrongkan-lap-2"}  # the name only, nothing of the dataset
    assert set(response.json) == {"help", "success", "result"}
    assert secret["id"] not in response.body
    mine = create_dataset(portal["editor"], portal["org"], title="โครงการลับ")
    assert mine["name"] == "khrongkan-lap-2"


def test_a_deleted_dataset_still_holds_its_name(portal):
    first = create_dataset(portal["editor"], portal["org"], title="ราคาสินค้า")
    call_action("package_delete", as_user(portal["editor"]), id=first["id"])
    assert create_dataset(portal["editor"], portal["org"], title="ราคาสินค้า")["name"] == "rakha-sinkha-2"


def test_a_dataset_name_keeps_to_the_national_70_characters(portal):
    title = "ข้อมูลการส่งออกสินค้าเกษตรแปรรูปรายจังหวัดและรายเดือน " * 5
    first = create_dataset(portal["editor"], portal["org"], title=title)
    second = create_dataset(portal["editor"], portal["org"], title=title)
    assert len(first["name"]) <= 70 and len(second["name"]) <= 70
    assert second["name"].endswith("-2")


def test_without_title_or_name_the_usual_missing_value_errors_come_in_thai(portal):
    dataset = without_name(owner_org=portal["org"]["id"])
    del dataset["title"]
    with pytest.raises(tk.ValidationError) as raised:
        call_action("package_create", as_user(portal["editor"]), **dataset)
    assert {"title", "name"} <= set(raised.value.error_dict)
    assert model.Session.query(model.Package).count() == 0


def test_anonymous_cannot_create_and_nothing_is_made(portal):
    with pytest.raises(tk.NotAuthorized):
        call_action("package_create", as_user(None), **without_name(owner_org=portal["org"]["id"]))
    assert model.Session.query(model.Package).count() == 0


def test_an_organization_and_a_group_share_the_names_of_the_group_table(portal):
    sysadmin = portal["sysadmin"]
    title = "สำนักงานสถิติแห่งชาติ"  # one word in PyThaiNLP's dictionary
    org = call_action("organization_create", as_user(sysadmin), title=title)
    assert org["name"] == "samnakngansathitihaengchat"
    group = call_action("group_create", as_user(sysadmin), title=title, name="")
    assert group["name"] == "samnakngansathitihaengchat-2"
    again = call_action("organization_create", as_user(sysadmin), title=title)
    assert again["name"] == "samnakngansathitihaengchat-3"
    assert call_action("organization_show", id=again["name"])["title"] == title


def test_a_title_without_letters_gives_the_kind_as_name(portal):
    sysadmin = portal["sysadmin"]
    assert call_action("group_create", as_user(sysadmin), title="🎉🎉")["name"] == "group"
    assert call_action("organization_create", as_user(sysadmin), title="!!!")["name"] == "organization"
    assert create_dataset(portal["editor"], portal["org"], title="…")["name"] == "dataset"


# -- updates never rename -----------------------------------------------------------------

def test_updating_the_title_does_not_rename(portal):
    dataset = create_dataset(portal["editor"], portal["org"], title=EXPORT_TITLE)
    patched = call_action("package_patch", as_user(portal["editor"]), id=dataset["id"],
                          title="ราคาสินค้าเกษตร")
    assert patched["name"] == EXPORT_NAME
    updated = call_action("package_update", as_user(portal["editor"]),
                          **dict(patched, title="ดัชนีราคาผู้บริโภค"))
    assert updated["name"] == EXPORT_NAME
    org = call_action("organization_patch", as_user(portal["sysadmin"]), id=portal["org"]["id"],
                      title="กรมการค้าภายใน")
    assert org["name"] == portal["org"]["name"]


def test_updating_with_an_empty_name_is_refused_not_renamed(portal):
    dataset = create_dataset(portal["editor"], portal["org"], title=EXPORT_TITLE)
    with pytest.raises(tk.ValidationError) as raised:
        call_action("package_update", as_user(portal["editor"]), **dict(dataset, name=""))
    assert "name" in raised.value.error_dict
    assert call_action("package_show", id=dataset["id"])["name"] == EXPORT_NAME


# -- the form's preview ---------------------------------------------------------------------

def test_the_suggestion_is_the_name_a_create_would_give(portal):
    context = as_user(portal["editor"])
    suggested = call_action("opendata_th_name_suggest", context, title=EXPORT_TITLE)
    assert suggested == {"name": EXPORT_NAME}
    create_dataset(portal["editor"], portal["org"], title=EXPORT_TITLE)
    assert call_action("opendata_th_name_suggest", context, title=EXPORT_TITLE,
                       kind="dataset") == {"name": EXPORT_NAME + "-2"}
    sysadmin = as_user(portal["sysadmin"])
    assert call_action("opendata_th_name_suggest", sysadmin, title="กรมการค้าภายใน",
                       kind="organization") == {"name": "kromkankhaphainai"}


@pytest.mark.ckan_config("ckan.auth.user_create_organizations", "false")
@pytest.mark.ckan_config("ckan.auth.user_create_groups", "false")
def test_only_those_who_may_create_get_suggestions(portal, app):
    query = {"title": EXPORT_TITLE}
    assert app.get(SUGGEST, query_string=query).status_code == 403  # anonymous
    editor = {"Authorization": portal["editor"]["token"]}
    assert app.get(SUGGEST, query_string=query, headers=editor).status_code == 200
    # here an editor may create datasets, not organizations or groups
    for kind in ("organization", "group"):
        assert app.get(SUGGEST, query_string=dict(query, kind=kind), headers=editor).status_code == 403
    sysadmin = {"Authorization": portal["sysadmin"]["token"]}
    assert app.get(SUGGEST, query_string=dict(query, kind="group"), headers=sysadmin).json["result"] == {
        "name": EXPORT_NAME}
    with pytest.raises(tk.NotAuthorized):
        call_action("opendata_th_name_suggest", as_user(None), title=EXPORT_TITLE)


def test_a_suggestion_writes_nothing(portal, app):
    headers = {"Authorization": portal["editor"]["token"]}
    before = model.Session.query(model.Package).count(), model.Session.query(model.Group).count()
    for kind in ("dataset", "organization", "group"):
        app.get(SUGGEST, query_string={"title": EXPORT_TITLE, "kind": kind}, headers=headers)
    model.Session.remove()
    after = model.Session.query(model.Package).count(), model.Session.query(model.Group).count()
    assert after == before


def test_a_too_long_title_is_refused_in_thai_by_default(portal, app):
    headers = {"Authorization": portal["editor"]["token"]}
    started = time.perf_counter()
    response = app.get(SUGGEST, query_string={"title": "ข" * (TITLE_MAX_LENGTH + 1)}, headers=headers)
    assert time.perf_counter() - started < 2
    assert response.status_code == 409
    [message] = response.json["error"]["title"]
    assert message == f"ชื่อยาวเกินกว่าจะสร้าง URL ได้ (ไม่เกิน {TITLE_MAX_LENGTH} ตัวอักษร)"
    longest = app.get(SUGGEST, query_string={"title": "ข้อมูล" * (TITLE_MAX_LENGTH // 6)},
                      headers=headers)
    assert longest.status_code == 200 and longest.json["result"]["name"].startswith("khomun-khomun")


@pytest.mark.parametrize("query, field", [
    ({"kind": "dataset"}, "title"),
    ({"title": "", "kind": "dataset"}, "title"),
    ({"title": "ข้อมูล", "kind": "user"}, "kind"),
])
def test_bad_input_gets_a_validation_error(portal, app, query, field):
    headers = {"Authorization": portal["sysadmin"]["token"]}
    response = app.get(SUGGEST, query_string=query, headers=headers)
    assert response.status_code == 409
    assert field in response.json["error"]


def test_an_unknown_kind_is_refused_in_thai(portal, app):
    headers = {"Authorization": portal["sysadmin"]["token"]}
    response = app.get(SUGGEST, query_string={"title": "ข้อมูล", "kind": "user"}, headers=headers)
    assert response.json["error"]["kind"] == [
        "ประเภทต้องเป็น dataset (ชุดข้อมูล) organization (หน่วยงาน) หรือ group (กลุ่ม)"]


@pytest.mark.parametrize("payload", [
    {"title": ["ข้อมูล"]}, {"title": {"th": "ข้อมูล"}}, {"title": 12}, {"title": None},
    {"title": "ข้อมูล", "kind": ["dataset"]}, {"title": "ข" * 100_000}, {},
])
def test_odd_input_never_fails_the_server(portal, app, payload):
    for headers in ({}, {"Authorization": portal["editor"]["token"]}):
        response = app.post(SUGGEST, json=payload, headers=headers)
        assert response.status_code in (200, 403, 409), response.body
