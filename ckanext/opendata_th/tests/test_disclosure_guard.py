"""Only public data classified as open may be public, by every route.

A dataset whose data_category is not ข้อมูลสาธารณะ (public data), or whose
data_classification is not เปิดเผย (open), cannot be public: not through
package_create (public by default when ``private`` is not given),
package_update, package_patch, package_revise, the resource actions, the
dataset form's visibility select, nor the organization page's bulk "Make
public" (bulk_update_public). Sysadmins, organization admins and editors are
all refused, with a reason in the request's language; a refused request changes
nothing, and the dataset stays invisible to anonymous visitors. Private
datasets of any category stay allowed.
"""
from __future__ import annotations

import html
import re
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.logic.action.update import bulk_update_public as ckan_bulk_update_public
from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.opendata_th.playbook.vocabulary import (
    CONFIDENTIAL, INTERNAL, INTERNAL_DISTRIBUTION, OPEN, PERSONAL, PUBLIC, SECRET, SECURITY)
from ckanext.opendata_th.tests.datasets import national_dataset, national_resource
from ckanext.opendata_th.tests.web import Browser

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db")

ROLES = ["sysadmin", "admin", "editor"]
PERSONAL_DATA = {"data_category": PERSONAL, "data_classification": CONFIDENTIAL}
OPEN_DATA = {"data_category": PUBLIC, "data_classification": OPEN}


# --- people, datasets --------------------------------------------------------------

@pytest.fixture
def people():
    """An organization with an admin and an editor, and a sysadmin (not a member)."""
    admin, editor = factories.UserWithToken(), factories.UserWithToken()
    org = factories.Organization(users=[{"name": admin["name"], "capacity": "admin"},
                                        {"name": editor["name"], "capacity": "editor"}])
    return SimpleNamespace(org=org, sysadmin=factories.SysadminWithToken(), admin=admin, editor=editor)


@pytest.fixture(params=ROLES)
def user(request, people):
    """Each of: a sysadmin, the organization's admin, its editor."""
    return getattr(people, request.param)


@pytest.fixture(params=["sysadmin", "admin"])
def bulk_user(request, people):
    """The users who may use the organization's bulk actions."""
    return getattr(people, request.param)


def create(people, **fields):
    """A dataset created directly (as a sysadmin) for a test to work on."""
    return call_action("package_create", {"user": people.sysadmin["name"]},
                       **national_dataset(owner_org=people.org["id"], **fields))


def made_public_before_the_rule(people, dataset):
    """A dataset that may not be public, made public as CKAN's own bulk "Make
    public" did before this rule (straight to the table)."""
    ckan_bulk_update_public({"model": model, "user": people.sysadmin["name"], "ignore_auth": True},
                            {"datasets": [dataset["id"]], "org_id": people.org["id"]})
    assert call_action("package_show", id=dataset["id"])["private"] is False
    return call_action("package_show", id=dataset["id"])


def shown(dataset):
    return call_action("package_show", id=dataset["id"])


def stored_private(dataset):
    model.Session.expire_all()
    return model.Package.get(dataset["id"]).private


# --- assertions ------------------------------------------------------------------------

ENGLISH_WORDS = re.compile(r"\b(cannot|public|private|dataset|data|only|Keep)\b")


def assert_reason(message, category=PERSONAL, classification=CONFIDENTIAL, labels=("Personal", "Confidential"),
                  lang="th"):
    """A refusal in one language (Thai unless an English page or API call
    asked for English) that names the category and classification and says
    to keep the dataset private."""
    assert " / " not in message, message
    if lang == "th":
        assert "เผยแพร่เป็นสาธารณะไม่ได้" in message and "ไม่เผยแพร่" in message, message
        assert not ENGLISH_WORDS.search(re.sub(r"^[a-z0-9_-]+: ", "", message)), message  # after a dataset's name
        assert f"“{category}”" in message, message
        if classification:
            assert f"“{classification}”" in message, message
        else:
            assert "ไม่ได้ระบุระดับชั้นข้อมูล" in message, message
        return
    assert "cannot be public" in message and "Keep the dataset private" in message, message
    assert "เผยแพร่เป็นสาธารณะไม่ได้" not in message, message
    assert f"“{category}” ({labels[0]})" in message, message
    if classification:
        assert f"“{classification}” ({labels[1]})" in message, message
    else:
        assert "no data classification" in message, message


def assert_refused(response, key="private", **reason):
    """HTTP 409 "Validation Error" with the reason under ``key`` (in Thai,
    the portal's language, unless ``lang`` says otherwise)."""
    assert response.status_code == 409, response.get_data(as_text=True)
    error = response.json["error"]
    assert error["__type"] == "Validation Error"
    assert error[key], error
    assert_reason(error[key][0], **reason)
    return error


def assert_hidden(app, dataset):
    """Anonymous visitors can neither read nor find the dataset."""
    assert app.get("/api/3/action/package_show", query_string={"id": dataset["id"]}).status_code == 403
    assert app.get(f"/dataset/{dataset['name']}").status_code in (403, 404)
    found = app.get("/api/3/action/package_search", query_string={"q": "*:*", "rows": 1000}).json
    assert dataset["id"] not in {result["id"] for result in found["result"]["results"]}


def assert_visible(app, dataset):
    assert app.get("/api/3/action/package_show", query_string={"id": dataset["id"]}).status_code == 200
    found = app.get("/api/3/action/package_search", query_string={"q": "*:*", "rows": 1000}).json
    assert dataset["id"] in {result["id"] for result in found["result"]["results"]}


# --- the action API over HTTP ------------------------------------------------------------

def api(app, user, action, **data):
    return app.post(f"/api/3/action/{action}", json=data, headers={"Authorization": user["token"]})


@pytest.mark.parametrize("visibility", [{"private": False}, {}, {"private": "False"}, {"private": "false"},
                                        {"private": ""}, {"private": "on"}],
                         ids=["false", "not-given", "False-string", "false-string", "empty", "on"])
def test_package_create_of_non_public_data_as_public_is_refused(app, people, user, visibility):
    # CKAN's boolean_validator stores "", "on" and anything but true/yes/t/y/1 as public
    fields = national_dataset(owner_org=people.org["id"], **PERSONAL_DATA, **visibility)
    assert_refused(api(app, user, "package_create", **fields))
    assert model.Package.by_name(fields["name"]) is None
    assert app.get("/api/3/action/package_show", query_string={"id": fields["name"]}).status_code == 404


@pytest.mark.parametrize("governance, reason", [
    ({"data_category": INTERNAL, "data_classification": INTERNAL_DISTRIBUTION},
     {"category": INTERNAL, "classification": INTERNAL_DISTRIBUTION,
      "labels": ("Internal use", "Internal distribution")}),
    ({"data_category": SECURITY, "data_classification": SECRET},
     {"category": SECURITY, "classification": SECRET, "labels": ("Security", "Secret")}),
    ({"data_category": PUBLIC}, {"category": PUBLIC, "classification": None, "labels": ("Public", "")}),
], ids=["internal", "security", "public-without-classification"])
def test_every_non_open_governance_is_refused_as_public(app, people, governance, reason):
    fields = national_dataset(owner_org=people.org["id"], **governance)
    if "data_classification" not in governance:
        del fields["data_classification"]
    assert_refused(api(app, people.admin, "package_create", **fields), **reason)
    assert model.Package.by_name(fields["name"]) is None


@pytest.mark.parametrize("private", [True, "True", "true", "1", "yes"])
def test_non_public_data_can_be_created_private(app, people, user, private):
    fields = national_dataset(owner_org=people.org["id"], **PERSONAL_DATA, private=private)
    response = api(app, user, "package_create", **fields)
    assert response.status_code == 200, response.json
    dataset = response.json["result"]
    assert dataset["private"] is True and stored_private(dataset) is True
    assert_hidden(app, dataset)


def test_public_data_classified_open_can_be_public(app, people, user):
    fields = national_dataset(owner_org=people.org["id"], **OPEN_DATA)  # private not given: public
    response = api(app, user, "package_create", **fields)
    assert response.status_code == 200, response.json
    dataset = response.json["result"]
    assert dataset["private"] is False
    assert_visible(app, dataset)
    # and a private one made public
    private = create(people, **OPEN_DATA, private=True)
    response = api(app, user, "package_patch", id=private["id"], private=False)
    assert response.status_code == 200, response.json
    assert_visible(app, private)


def test_a_private_non_public_dataset_cannot_be_made_public_by_update_patch_or_revise(app, people, user):
    dataset = create(people, **PERSONAL_DATA, private=True)
    before = shown(dataset)
    full = {key: value for key, value in before.items() if not key.startswith("opendata_")}
    for action, data in [
        ("package_update", {**full, "private": False}),
        ("package_update", {**full, "private": "False"}),
        ("package_patch", {"id": dataset["id"], "private": False}),
        ("package_patch", {"id": dataset["name"], "private": "false", "title": "เปลี่ยนชื่อ"}),
        ("package_revise", {"match": {"id": dataset["id"]}, "update": {"private": False}}),
    ]:
        assert_refused(api(app, user, action, **data))
        assert shown(dataset) == before, action
        assert stored_private(dataset) is True
    assert_hidden(app, dataset)

    # while private it can be edited
    response = api(app, user, "package_patch", id=dataset["id"], title="ชื่อใหม่")
    assert response.status_code == 200, response.json
    assert shown(dataset)["title"] == "ชื่อใหม่" and stored_private(dataset) is True
    response = api(app, user, "package_revise", match={"id": dataset["id"]}, update={"notes": "ใหม่"})
    assert response.status_code == 200, response.json
    assert_hidden(app, dataset)


def test_a_public_dataset_cannot_become_non_public_data_and_stay_public(app, people, user):
    dataset = create(people, **OPEN_DATA)
    before = shown(dataset)
    full = {key: value for key, value in before.items() if key != "private" and not key.startswith("opendata_")}
    for action, data in [
        ("package_patch", {"id": dataset["id"], **PERSONAL_DATA}),
        ("package_update", {**full, **PERSONAL_DATA}),  # private not given: the stored public
        ("package_revise", {"match": {"id": dataset["id"]}, "update": PERSONAL_DATA}),
    ]:
        assert_refused(api(app, user, action, **data))
        assert shown(dataset) == before, action
    assert_visible(app, dataset)

    # made private at the same time, the change is fine
    response = api(app, user, "package_patch", id=dataset["id"], private=True, **PERSONAL_DATA)
    assert response.status_code == 200, response.json
    assert shown(dataset)["data_category"] == PERSONAL
    assert_hidden(app, dataset)


def test_resource_actions_are_refused_on_a_public_dataset_that_may_not_be_public(app, people, user):
    dataset = create(people, **PERSONAL_DATA, private=True, resources=[national_resource()])
    dataset = made_public_before_the_rule(people, dataset)
    resource = dataset["resources"][0]
    for action, data in [
        ("resource_create", {"package_id": dataset["id"], **national_resource(name="ใหม่")}),
        ("resource_update", {**national_resource(name="แก้ไข"), "id": resource["id"]}),
        ("resource_patch", {"id": resource["id"], "name": "แก้ไข"}),
        ("resource_delete", {"id": resource["id"]}),
    ]:
        assert_refused(api(app, user, action, **data))
        assert shown(dataset) == dataset, action

    # once private, the resources can be changed
    response = api(app, user, "package_patch", id=dataset["id"], private=True)
    assert response.status_code == 200, response.json
    assert_hidden(app, dataset)
    for action, data in [
        ("resource_create", {"package_id": dataset["id"], **national_resource(name="ใหม่")}),
        ("resource_patch", {"id": resource["id"], "name": "แก้ไข"}),
        ("resource_delete", {"id": resource["id"]}),
    ]:
        response = api(app, user, action, **data)
        assert response.status_code == 200, (action, response.json)
    assert [r["name"] for r in shown(dataset)["resources"]] == ["ใหม่"]
    assert stored_private(dataset) is True


def test_bulk_update_public_refuses_all_when_one_may_not_be_public(app, people, bulk_user):
    open_data = create(people, **OPEN_DATA, private=True)
    personal = create(people, **PERSONAL_DATA, private=True)
    security = create(people, data_category=SECURITY, data_classification=SECRET, private=True)
    request = {"datasets": [open_data["id"], personal["id"], security["id"]], "org_id": people.org["id"]}
    error = assert_refused(api(app, bulk_user, "bulk_update_public", **request), key="datasets")
    assert len(error["datasets"]) == 2
    assert error["datasets"][0].startswith(f"{personal['name']}: ")
    assert_reason(error["datasets"][0].removeprefix(f"{personal['name']}: "))
    assert error["datasets"][1].startswith(f"{security['name']}: ") and SECURITY in error["datasets"][1]
    for dataset in (open_data, personal, security):  # all or nothing
        assert stored_private(dataset) is True
        assert_hidden(app, dataset)

    response = api(app, bulk_user, "bulk_update_public", datasets=[open_data["id"]], org_id=people.org["id"])
    assert response.status_code == 200, response.json
    assert stored_private(open_data) is False
    assert_visible(app, open_data)


def test_datasets_made_public_in_bulk_are_indexed_public_whatever_the_garbage_collector(app, people):
    """The check reads the datasets before CKAN's bulk update changes their
    rows; objects it leaves in the session must not reach the index still
    private (they stay there until Python's cycle collector runs)."""
    import gc

    open_data = create(people, **OPEN_DATA, private=True)
    gc.disable()
    try:
        call_action("bulk_update_public", {"user": people.sysadmin["name"]},
                    datasets=[open_data["id"]], org_id=people.org["id"])
    finally:
        gc.enable()
    assert stored_private(open_data) is False
    assert_visible(app, open_data)


def test_bulk_update_public_keeps_ckans_auth(app, people):
    personal = create(people, **PERSONAL_DATA, private=True)
    response = api(app, people.editor, "bulk_update_public", datasets=[personal["id"]], org_id=people.org["id"])
    assert response.status_code == 403  # not authorised comes first: nothing about the datasets
    assert "datasets" not in response.json["error"]
    assert stored_private(personal) is True


def test_refused_with_no_exception_for_sysadmins_in_python(people):
    """The rule holds inside CKAN too (call_action ignores auth)."""
    with pytest.raises(tk.ValidationError) as info:
        call_action("package_create", {"user": people.sysadmin["name"]},
                    **national_dataset(owner_org=people.org["id"], **PERSONAL_DATA))
    assert_reason(info.value.error_dict["private"][0])


# --- the web form and the organization page, as a browser uses them --------------------------

def form_values(page, form_id="dataset-edit", button="save"):
    """What a browser sends for a form as shown, submitted with its ``button``:
    {name: value or [values]}."""
    soup = BeautifulSoup(page.get_data(as_text=True), "html.parser")
    form = soup.find("form", id=form_id)
    values = {}

    def add(name, value):
        if name in values:
            values[name] = [*(values[name] if isinstance(values[name], list) else [values[name]]), value]
        else:
            values[name] = value

    for element in form.find_all(["input", "select", "textarea"]):
        name = element.get("name")
        if not name or element.get("type") in ("submit", "button", "file"):
            continue
        if element.name == "select":
            options = element.find_all("option")
            chosen = [o for o in options if o.has_attr("selected")] or options[:1]
            for option in chosen:
                add(name, option.get("value", option.text))
        elif element.name == "textarea":
            add(name, element.text)
        elif element.get("type") in ("checkbox", "radio"):
            if element.has_attr("checked"):
                add(name, element.get("value", "on"))
        else:
            add(name, element.get("value", ""))
    submit = form.find("button", attrs={"name": button})
    values[button] = submit.get("value", "")
    return values


def selected(page, name):
    soup = BeautifulSoup(page.get_data(as_text=True), "html.parser")
    select = soup.find("form", id="dataset-edit").find("select", attrs={"name": name})
    return [o.get("value") for o in select.find_all("option") if o.has_attr("selected")]


def input_value(page, name):
    soup = BeautifulSoup(page.get_data(as_text=True), "html.parser")
    return soup.find("form", id="dataset-edit").find(attrs={"name": name}).get("value")


def new_dataset_form_data(people, **fields):
    """The new-dataset form filled in as a publisher fills it."""
    dataset = national_dataset(owner_org=people.org["id"], **fields)
    data = {"tag_string": ",".join(tag["name"] for tag in dataset.pop("tags")),
            "_ckan_phase": "dataset_new_1", "pkg_name": "", "save": ""}
    for key, value in dataset.items():
        data[key] = str(value) if isinstance(value, bool) else value
    return data


def page_text(response):
    return html.unescape(response.get_data(as_text=True))


def assert_form_error(response):
    """The refusal at the top of the form, in Thai only (the page's language)."""
    assert response.status_code == 200
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    summary = soup.find("form", id="dataset-edit").find(class_="error-explanation")
    assert summary is not None, "no error summary"
    message = next(li.get_text(" ", strip=True) for li in summary.find_all("li")
                   if "เผยแพร่เป็นสาธารณะไม่ได้" in li.get_text())
    assert re.match("[\u0e00-\u0e7f]", message) and "private" not in message  # the field named in Thai
    assert_reason(message[message.index("ชุดข้อมูลที่"):])


@pytest.mark.parametrize("visibility", ["False", None], ids=["public-chosen", "visibility-not-sent"])
def test_new_dataset_form_refuses_public_non_public_data_and_keeps_the_input(app, people, user, visibility):
    browser = Browser(app, user)
    page = browser.get("/dataset/new")
    data = new_dataset_form_data(people, **PERSONAL_DATA, title="ข้อมูลผู้รับบริการ", private=visibility)
    if visibility is None:
        del data["private"]
    response = browser.submit(page, "/dataset/new", data)
    assert_form_error(response)
    assert input_value(response, "title") == "ข้อมูลผู้รับบริการ"
    assert selected(response, "data_category") == [PERSONAL]
    assert selected(response, "data_classification") == [CONFIDENTIAL]
    assert model.Package.by_name(data["name"]) is None
    assert app.get("/api/3/action/package_show", query_string={"id": data["name"]}).status_code == 404


def test_new_dataset_form_creates_private_non_public_data_and_public_open_data(app, people, user):
    browser = Browser(app, user)
    personal = new_dataset_form_data(people, **PERSONAL_DATA, private="True")
    response = browser.submit(browser.get("/dataset/new"), "/dataset/new", personal)
    assert response.status_code == 302, page_text(response)
    assert model.Package.by_name(personal["name"]).private is True
    assert_hidden(app, shown({"id": personal["name"]}))

    open_data = new_dataset_form_data(people, **OPEN_DATA, private="False")
    response = browser.submit(browser.get("/dataset/new"), "/dataset/new", open_data)
    assert response.status_code == 302, page_text(response)
    assert model.Package.by_name(open_data["name"]).private is False


def test_edit_form_refuses_making_non_public_data_public(app, people, user):
    dataset = create(people, **PERSONAL_DATA, private=True)
    before = shown(dataset)
    browser = Browser(app, user)
    page = browser.get(f"/dataset/edit/{dataset['name']}")
    assert selected(page, "private") == ["True"]
    data = {**form_values(page), "private": "False", "title": "ชื่อที่แก้"}
    response = browser.submit(page, f"/dataset/edit/{dataset['name']}", data)
    assert_form_error(response)
    assert input_value(response, "title") == "ชื่อที่แก้"
    assert selected(response, "private") == ["False"]
    assert shown(dataset) == before
    assert_hidden(app, dataset)

    # kept private, the edit is saved
    data["private"] = "True"
    response = browser.submit(page, f"/dataset/edit/{dataset['name']}", data)
    assert response.status_code == 302, page_text(response)
    assert shown(dataset)["title"] == "ชื่อที่แก้" and stored_private(dataset) is True


def test_edit_form_refuses_turning_public_data_into_non_public_data_while_public(app, people, user):
    dataset = create(people, **OPEN_DATA)
    before = shown(dataset)
    browser = Browser(app, user)
    page = browser.get(f"/dataset/edit/{dataset['name']}")
    data = {**form_values(page), **PERSONAL_DATA}
    assert data["private"] == "False"
    response = browser.submit(page, f"/dataset/edit/{dataset['name']}", data)
    assert_form_error(response)
    assert selected(response, "data_category") == [PERSONAL]
    assert shown(dataset) == before


def bulk_form(datasets, action="public"):
    return {f"bulk_action.{action}": action, **{f"dataset_{d['id']}": "on" for d in datasets}}


@pytest.mark.parametrize("lang", ["", "en"], ids=["thai", "english"])
def test_bulk_make_public_on_the_organization_page_refuses_all_with_a_message(app, people, bulk_user, lang):
    open_data = create(people, **OPEN_DATA, private=True, title="สถิติการส่งออก")
    personal = create(people, **PERSONAL_DATA, private=True, title="รายชื่อผู้ส่งออก")
    browser = Browser(app, bulk_user, lang=lang)
    url = f"/organization/bulk_process/{people.org['name']}"
    page = browser.get(url)
    assert page.status_code == 200
    response = browser.submit(page, url, bulk_form([open_data, personal]), follow_redirects=True)
    assert response.status_code == 200
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    flash = " ".join(alert.get_text(" ", strip=True) for alert in soup.select(".alert-danger"))
    assert "รายชื่อผู้ส่งออก" in flash and personal["name"] in flash
    assert "สถิติการส่งออก" not in flash
    if lang == "en":
        assert "No dataset was made public" in flash
        assert "A dataset with the data category “ข้อมูลส่วนบุคคล” (Personal)" in flash
        assert "Keep the dataset private" in flash and "เผยแพร่เป็นสาธารณะไม่ได้" not in flash
    else:
        assert "ไม่มีชุดข้อมูลใดถูกเปลี่ยนเป็นสาธารณะ" in flash
        assert f"“{PERSONAL}”" in flash and f"“{CONFIDENTIAL}”" in flash and "ไม่เผยแพร่" in flash
        assert "Keep the dataset private" not in flash
    for dataset in (open_data, personal):  # all or nothing
        assert stored_private(dataset) is True
        assert_hidden(app, dataset)

    # open data alone is made public
    response = browser.submit(browser.get(url), url, bulk_form([open_data]), follow_redirects=True)
    assert response.status_code == 200
    assert stored_private(open_data) is False
    assert_visible(app, open_data)
    # the other bulk actions are CKAN's
    response = browser.submit(browser.get(url), url, bulk_form([open_data], "private"), follow_redirects=True)
    assert response.status_code == 200 and stored_private(open_data) is True


def test_bulk_page_is_closed_to_editors_and_checks_csrf(app, people):
    personal = create(people, **PERSONAL_DATA, private=True)
    url = f"/organization/bulk_process/{people.org['name']}"
    editor = Browser(app, people.editor)
    assert editor.get(url).status_code == 403
    response = editor.submit(editor.get(f"/organization/{people.org['name']}"), url,
                             bulk_form([personal]))
    assert response.status_code == 403

    admin = Browser(app, people.admin)
    response = admin.client.post(url, data=bulk_form([personal]))  # no CSRF token
    assert response.status_code == 400
    assert stored_private(personal) is True
