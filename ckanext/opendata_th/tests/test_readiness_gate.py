"""The readiness gate: with ``ckanext.opendata_th.require_readiness`` on (the
default), no dataset of an organization that is not ready for the current
fiscal year can be made public, by any route, by anyone; the error says what
is missing and links to the assessment. Datasets already public stay public
and editable. (test.ini turns the gate off for the rest of the suite.)

The datasets here are approved (the approval rule is tested in
test_disclosure_guard.py and test_workflow_api.py), so the gate decides."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup
from freezegun import freeze_time

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.opendata_th import readiness
from ckanext.opendata_th.logic import approval_gate
from ckanext.opendata_th.tests.datasets import national_dataset
from ckanext.opendata_th.tests.test_disclosure_guard import bulk_form, form_values
from ckanext.opendata_th.tests.web import Browser

pytestmark = [pytest.mark.usefixtures("with_plugins", "clean_db_once"),
              pytest.mark.ckan_config("ckanext.opendata_th.require_readiness", "true")]

ASSESSMENT_URL = re.compile(r"https?://\S+/organization/readiness/(\S+?)\?year=(\d{4})")


@pytest.fixture
def people():
    """An organization (with no assessment yet) with an admin and an editor,
    and a sysadmin who is not a member."""
    admin, editor = factories.UserWithToken(), factories.UserWithToken()
    org = factories.Organization(title="กองสถิติการค้า", users=[
        {"name": admin["name"], "capacity": "admin"}, {"name": editor["name"], "capacity": "editor"}])
    return SimpleNamespace(org=org, sysadmin=factories.SysadminWithToken(), admin=admin, editor=editor)


def assess(people, level=2, year=None, **levels):
    """The organization's assessment: every activity at ``level`` unless
    named otherwise (None: not assessed)."""
    year = year or readiness.current_fiscal_year()
    activities = {key: {"level": levels.get(key, level)} for key in readiness.schema().keys}
    return call_action("opendata_th_readiness_update", {"user": people.admin["name"]},
                       organization=people.org["id"], fiscal_year=year, activities=activities)


def api(app, user, action, lang="", **data):
    prefix = f"/{lang}" if lang else ""
    return app.post(f"{prefix}/api/3/action/{action}", json=data, headers={"Authorization": user["token"]})


def create(people, **fields):
    """An approved dataset: private when ``private=True``, else made public."""
    private = fields.pop("private", False)
    dataset = call_action("package_create", {"user": people.sysadmin["name"]},
                          **national_dataset(owner_org=people.org["id"], private=True, **fields))
    approve(dataset)
    if private:
        return dataset
    return call_action("package_patch", {"user": people.sysadmin["name"]}, id=dataset["id"], private=False)


def approve(dataset):
    """Record an approval (what the approve transition does before it makes
    the dataset public)."""
    approval_gate.record_publication(model.Package.get(dataset["id"]), user_id=None,
                                     source="tests", comment="")
    model.repo.commit()


def stored_private(dataset):
    model.Session.expire_all()
    return model.Package.get(dataset["id"]).private


def refusal(response):
    """The gate's message under ``private`` of an HTTP 409."""
    assert response.status_code == 409, response.get_data(as_text=True)
    [message] = response.json["error"]["private"]
    return message


def assert_links_to_assessment(message, people):
    match = ASSESSMENT_URL.search(message)
    assert match, message
    assert match.group(1) == people.org["name"]
    assert int(match.group(2)) == readiness.current_fiscal_year()


def test_a_new_public_dataset_of_an_organization_that_is_not_ready_is_refused(app, people, ckan_config,
                                                                             monkeypatch):
    # only a sysadmin allowed to publish directly can create a public dataset
    monkeypatch.setitem(ckan_config, "ckanext.opendata_th.sysadmins_publish_directly", "true")
    role = "sysadmin"
    data = national_dataset(owner_org=people.org["id"], private=False)
    response = api(app, getattr(people, role), "package_create", **data)
    message = refusal(response)
    assert "กองสถิติการค้า" in message and "ยังไม่พร้อม" in message, message
    assert f"ปีงบประมาณ {readiness.current_fiscal_year()}" in message
    assert_links_to_assessment(message, people)
    assert model.Package.by_name(data["name"]) is None  # nothing created

    # private is fine, not ready or not
    private = api(app, getattr(people, role), "package_create", **{**data, "private": True})
    assert private.status_code == 200 and private.json["result"]["private"] is True


def test_a_private_dataset_becomes_public_only_once_the_organization_is_ready(app, people):
    dataset = create(people, private=True)
    for action, extra in (("package_patch", {}), ("package_update", national_dataset(
            owner_org=people.org["id"], name=dataset["name"]))):
        message = refusal(api(app, people.admin, action, **{**extra, "id": dataset["id"], "private": False}))
        assert "ยังไม่ได้ประเมิน" in message, message  # no assessment: nothing assessed
        assert stored_private(dataset) is True

    assess(people, budget=1)  # budget below the required level 2
    message = refusal(api(app, people.admin, "package_patch", id=dataset["id"], private=False))
    assert "งบประมาณ" in message and "ระดับ 1" in message and "ระดับ 2" in message, message
    english = refusal(api(app, people.admin, "package_patch", lang="en", id=dataset["id"], private=False))
    assert "not ready" in english and "Budget" in english and "level 1" in english, english
    assert_links_to_assessment(english, people)
    assert stored_private(dataset) is True

    assess(people, budget=2)
    response = api(app, people.admin, "package_patch", id=dataset["id"], private=False)
    assert response.status_code == 200, response.json
    assert stored_private(dataset) is False
    assert app.get("/api/3/action/package_show", query_string={"id": dataset["id"]}).status_code == 200


@pytest.mark.ckan_config("ckanext.opendata_th.readiness.required_level", "3")
def test_the_required_level_comes_from_the_configuration(app, people):
    assess(people, level=2)
    dataset = create(people, private=True)
    message = refusal(api(app, people.admin, "package_patch", id=dataset["id"], private=False))
    assert "ระดับ 3" in message, message
    assess(people, level=3)
    assert api(app, people.admin, "package_patch", id=dataset["id"], private=False).status_code == 200


def test_public_datasets_stay_public_and_editable_when_the_organization_is_not_ready(app, people):
    assess(people, level=2)
    dataset = create(people)  # made public while ready
    assess(people, level=1)   # then the assessment is lowered
    response = api(app, people.editor, "package_patch", id=dataset["id"], title="สถิติการส่งออก (แก้ไข)")
    assert response.status_code == 200, response.json
    assert stored_private(dataset) is False
    assert call_action("package_show", id=dataset["id"])["title"] == "สถิติการส่งออก (แก้ไข)"


def test_a_public_dataset_cannot_move_into_an_organization_that_is_not_ready(app, people):
    assess(people)
    dataset = create(people)  # public in a ready organization
    unready = factories.Organization(users=[{"name": people.admin["name"], "capacity": "admin"}])
    message = refusal(api(app, people.admin, "package_patch", id=dataset["id"], owner_org=unready["id"]))
    assert "ยังไม่พร้อม" in message, message
    model.Session.expire_all()
    assert model.Package.get(dataset["id"]).owner_org == people.org["id"]
    # moved private, it may go
    response = api(app, people.admin, "package_patch", id=dataset["id"], owner_org=unready["id"], private=True)
    assert response.status_code == 200, response.json


def test_with_the_gate_off_any_organization_may_publish(app, people, ckan_config, monkeypatch):
    # (a ckan_config mark here would lose to the module's)
    monkeypatch.setitem(ckan_config, "ckanext.opendata_th.require_readiness", "false")
    dataset = create(people, private=True)
    response = api(app, people.admin, "package_patch", id=dataset["id"], private=False)
    assert response.status_code == 200 and response.json["result"]["private"] is False


def test_the_fiscal_year_turns_at_midnight_bangkok_time_on_1_october(app, people):
    assess(people, level=2, year=2569)  # ready for fiscal year 2569 only
    context = {"user": people.admin["name"]}  # (API tokens are not valid yet in the frozen past)
    first, second = create(people, private=True), create(people, private=True)
    with freeze_time("2026-09-30T16:59:00Z"):  # 23:59 on 30 September in Bangkok: still 2569
        assert readiness.current_fiscal_year() == 2569
        patched = call_action("package_patch", dict(context), id=first["id"], private=False)
        assert patched["private"] is False
    with freeze_time("2026-09-30T17:00:00Z"):  # 00:00 on 1 October in Bangkok: 2570 begins
        assert readiness.current_fiscal_year() == 2570
        with pytest.raises(tk.ValidationError) as refused:
            call_action("package_patch", dict(context), id=second["id"], private=False)
        [message] = refused.value.error_dict["private"]
        assert "ปีงบประมาณ 2570" in message, message


@pytest.mark.parametrize("lang", ["", "en"], ids=["thai", "english"])
def test_bulk_make_public_is_refused_as_a_whole_on_the_api_and_the_page(app, people, lang):
    datasets = [create(people, private=True) for _ in range(2)]
    response = api(app, people.admin, "bulk_update_public", lang=lang,
                   datasets=[d["id"] for d in datasets], org_id=people.org["id"])
    assert response.status_code == 409
    [message] = response.json["error"]["organization"]
    assert_links_to_assessment(message, people)

    browser = Browser(app, people.admin, lang=lang)
    url = f"/organization/bulk_process/{people.org['name']}"
    page = browser.submit(browser.get(url), url, bulk_form(datasets), follow_redirects=True)
    soup = BeautifulSoup(page.get_data(as_text=True), "html.parser")
    flash = " ".join(alert.get_text(" ", strip=True) for alert in soup.select(".alert-danger"))
    if lang == "en":
        assert "No dataset was made public" in flash and "is not ready" in flash, flash
    else:
        assert "ไม่มีชุดข้อมูลใดถูกเปลี่ยนเป็นสาธารณะ" in flash and "ยังไม่พร้อม" in flash, flash
    assert all(stored_private(dataset) for dataset in datasets)

    assess(people)
    page = browser.submit(browser.get(url), url, bulk_form(datasets), follow_redirects=True)
    assert page.status_code == 200
    assert not any(stored_private(dataset) for dataset in datasets)


def test_the_dataset_form_shows_why_and_links_to_the_assessment(app, people):
    dataset = create(people, private=True, title="ราคาส่งออกรายเดือน")
    browser = Browser(app, people.admin)
    page = browser.get(f"/dataset/edit/{dataset['name']}")
    data = {**form_values(page), "private": "False", "title": "ราคาส่งออกรายเดือน (ปรับปรุง)"}
    response = browser.submit(page, f"/dataset/edit/{dataset['name']}", data)
    assert response.status_code == 200
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    summary = soup.find("form", id="dataset-edit").find(class_="error-explanation")
    text = summary.get_text(" ", strip=True)
    assert "ยังไม่พร้อม" in text and "private" not in text, text
    assert_links_to_assessment(text, people)
    assert stored_private(dataset) is True
    assert call_action("package_show", id=dataset["id"])["title"] == "ราคาส่งออกรายเดือน"


def test_a_broken_readiness_schema_stops_ckan_at_start_up_with_its_error(tmp_path, ckan_config):
    broken = tmp_path / "readiness.yaml"
    broken.write_text("version: x\nrule: {required_level: 2}\nlevels: []\nactivities: [{key: budget}]\n",
                      encoding="utf-8")
    ini = tmp_path / "broken.ini"
    test_ini = Path(ckan_config["__file__"])
    logging = test_ini.read_text(encoding="utf-8").split("[loggers]", 1)[1]
    ini.write_text(f"[app:main]\nuse = config:{test_ini}\n"
                   f"ckanext.opendata_th.readiness.schema = {broken}\n\n[loggers]{logging}", encoding="utf-8")
    ckan = Path(sys.executable).parent / "ckan"
    result = subprocess.run([str(ckan), "-c", str(ini), "opendata-th", "readiness-overdue"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert str(broken) in last_line and "levels" in last_line, result.stderr[-3000:]
