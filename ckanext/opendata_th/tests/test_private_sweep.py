"""Nothing private shows anywhere: every registered action and every GET
page, asked as an anonymous visitor and as another organization's admin,
answers nothing of a private dataset — neither its title, description,
tag, resource name, workflow comments, nor its id or its resource's id —
unless the request itself sent it (an id given is echoed in an error).

The data: a private dataset of personal data (in a group too) and a private
dataset of public data waiting for approval, with workflow notes, beside a
published one, all in one organization. Made once for the module; the
tests only read it (and check at the end that nothing changed).

Each action is called with a few parameter sets chosen by what it is about
(a dataset by id or name, a resource, the organization, the group, a text
search), every set carrying the common keys (``package_id``,
``organization_id``, ``q``, ``include_private``...). Actions that change
things run before those that read, so that a change (following a private
dataset, say) is caught by the lists that would then show it. The actions
are called inside CKAN as the API calls them (a quarter of the time of
HTTP requests; the API only writes their answer as JSON), and the main ones
over HTTP too; the pages (about 120, each asked by both visitors) are all
requested over HTTP: most of the module's time."""
from __future__ import annotations

import json
import re
from types import SimpleNamespace

import pytest

import ckan.logic
import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.opendata_th.model.workflow import WorkflowEvent
from ckanext.opendata_th.tests.datasets import national_dataset, national_resource, publish

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db_once")

MARKERS = ("QZXSECRETTITLE", "QZXSECRETNOTES", "qzxsecrettag", "QZXSECRETRES", "QZXSELECTNOTE",
           "QZXSUBMITNOTE", "QZXPENDINGTITLE", "QZXPENDINGRES", "qzx-secret-name", "qzx-pending-name")
"""What the private datasets hold and nobody outside may see."""

SKIP = {
    "opendata_th_link_check",  # fetches the resources' links
    "send_email_notifications",  # mails every user
    "config_option_update",  # the site's settings (sysadmins only anyway)
}
READS = ("_show", "_list", "_search", "_autocomplete", "_count", "_history", "_queue", "_diff",
         "_lookup", "_info")
"""Action names that read; the others (writes) are called first."""

_DATA: dict = {}


@pytest.fixture
def data(clean_db_once):
    """The organization, its private and published datasets, and the
    outsiders, made once for the module's tests."""
    if _DATA:
        return SimpleNamespace(**_DATA)
    admin, editor, other_admin = (factories.UserWithToken() for _ in range(3))
    org = factories.Organization(name="qzx-org-a", users=[{"name": admin["name"], "capacity": "admin"},
                                                          {"name": editor["name"], "capacity": "editor"}])
    factories.Organization(name="qzx-org-b", users=[{"name": other_admin["name"], "capacity": "admin"}])
    group = factories.Group(name="qzx-group", users=[{"name": admin["name"], "capacity": "admin"}])
    context = {"user": editor["name"]}
    secret = call_action("package_create", dict(context), **national_dataset(
        owner_org=org["id"], private=True, name="qzx-secret-name", title="QZXSECRETTITLE",
        notes="QZXSECRETNOTES", tags=[{"name": "qzxsecrettag"}], data_category="ข้อมูลส่วนบุคคล",
        data_classification="ลับ", resources=[national_resource(name="QZXSECRETRES")]))
    call_action("member_create", {"user": admin["name"]}, id=group["id"], object=secret["id"],
                object_type="package", capacity="public")
    pending = call_action("package_create", dict(context), **national_dataset(
        owner_org=org["id"], private=True, name="qzx-pending-name", title="QZXPENDINGTITLE",
        resources=[national_resource(name="QZXPENDINGRES")]))
    call_action("opendata_th_select", dict(context), id=pending["id"], reasons=["transparency"],
                note="QZXSELECTNOTE")
    call_action("opendata_th_prioritise", dict(context), id=pending["id"], value=4, quality=3,
                manageability=5)
    call_action("opendata_th_classify", dict(context), id=pending["id"],
                answers={"oia_disclosable": True, "quality_acceptable": True, "open_licence": True})
    call_action("opendata_th_transition", dict(context), id=pending["id"], transition="prepare")
    call_action("opendata_th_transition", dict(context), id=pending["id"], transition="submit",
                comment="QZXSUBMITNOTE")
    public = publish(call_action("package_create", dict(context), **national_dataset(
        owner_org=org["id"], private=True, name="qzx-public", title="ข้อมูลที่เผยแพร่แล้ว",
        resources=[national_resource()]))["id"])
    _DATA.update(admin=admin, editor=editor, other_admin=other_admin, org=org, group=group,
                 secret=secret, pending=pending, public=public,
                 ids=[secret["id"], pending["id"], secret["resources"][0]["id"],
                      pending["resources"][0]["id"]],
                 before=_state(secret["id"], pending["id"]))
    return SimpleNamespace(**_DATA)


def _state(*package_ids):
    """What the private datasets are now: their rows and their workflow history's length."""
    model.Session.expire_all()
    state = {}
    for package_id in package_ids:
        package = model.Package.get(package_id)
        state[package_id] = (package.private, package.state, package.title, package.owner_org,
                             str(package.metadata_modified), len(package.resources),
                             model.Session.query(WorkflowEvent).filter_by(package_id=package_id).count())
    return state


NAMES = {"qzx-secret-name": 0, "qzx-pending-name": 1}
"""The private datasets' names, with the place of their ids in ``data.ids``:
a request that names a dataset may get its id back (CKAN's refusals say
which dataset they refuse)."""


def leaks(body: str, ids: list[str], sent: str = "") -> list[str]:
    """What of the private datasets the answer holds that the request did not send."""
    body, sent = body.lower(), sent.lower()
    found = [marker for marker in MARKERS if marker.lower() in body and marker.lower() not in sent]
    given = {id_ for id_ in ids if id_ in sent}
    given |= {ids[place] for name, place in NAMES.items() if name in sent}
    return found + [f"id:{id_[:8]}" for id_ in ids if id_ in body and id_ not in given]


def visitors(data):
    return (("anonymous", {}), ("other_admin", {"Authorization": data.other_admin["token"]}))


def _variants(action: str, data) -> list[dict]:
    """The parameter sets an action is asked with: by what it is about,
    each with the keys many actions read."""
    secret, pending, org = data.secret, data.pending, data.org
    resource_id = secret["resources"][0]["id"]
    common = {"package_id": secret["id"], "resource_id": resource_id, "dataset_id": secret["id"],
              "organization_id": org["id"], "org_id": org["id"], "organization": org["name"],
              "group_id": data.group["id"], "object": secret["id"], "object_type": "package",
              "q": "*:*", "include_private": True, "include_drafts": True, "include_datasets": True,
              "all_fields": True, "rows": 100, "limit": 100}
    by_id = {**common, "id": secret["id"]}
    by_name = {**common, "id": pending["name"]}  # the dataset pending approval, with its workflow notes
    text = {"q": "qzx", "query": "qzx", "include_private": True, "include_drafts": True,
            "organization_id": org["name"]}
    if "resource" in action or action.startswith(("datastore_", "xloader_", "datapusher_")):
        return [{**common, "id": resource_id}, by_name]
    if action.startswith(("organization_", "member_", "bulk_")):
        return [{**common, "id": org["id"]}, {**common, "id": org["name"], "object": pending["id"]}]
    if action.startswith("group_"):
        return [{**common, "id": data.group["name"]}]
    if action.endswith(("_autocomplete", "_search")) or action.startswith(("tag_", "vocabulary_")):
        return [text, by_id]
    if action.startswith("user_") or action.endswith(("followee_list", "_activity_list")):
        return [{**common, "id": data.editor["name"]}, by_id, text]
    if action.startswith(DATASET_ACTIONS):
        return [by_id, by_name]
    return [by_name]


DATASET_ACTIONS = ("package_", "dataset_", "opendata_th_", "follow_", "unfollow_", "am_following_",
                   "activity_", "current_package_", "recently_changed_")
"""Actions about a dataset: asked about each private dataset, by id and by name."""


def _answer(action: str, user: str, variant: dict) -> str:
    """What the action answers the user (""; anonymous) as text: its
    result, or its error with every message. Called inside CKAN, as the API
    calls it (the API only turns this into JSON: tested below over HTTP for
    the actions that matter most); each call in a session of its own, as a
    request has."""
    try:
        result = tk.get_action(action)({"user": user}, dict(variant))
    except Exception as error:  # refusals, and whatever a bad parameter set makes an action raise
        model.Session.rollback()
        return f"{error} {getattr(error, 'error_dict', '')}"
    finally:
        model.Session.remove()
    return json.dumps(result, default=str, ensure_ascii=False)


def test_no_action_answers_anything_private_to_outsiders(app, data):
    tk.get_action("package_show")  # the registry is filled on first use
    actions = sorted((name for name in ckan.logic._actions if name not in SKIP),
                     key=lambda name: (name.endswith(READS), name))
    found = []
    for who, user in (("anonymous", ""), ("other_admin", data.other_admin["name"])):
        for action in actions:
            for variant in _variants(action, data):
                sent = json.dumps(variant)
                leaked = leaks(_answer(action, user, variant), data.ids, sent)
                if leaked:
                    found.append((who, action, sent[:80], leaked))
    assert not found, found[:20]

    # the same over HTTP for the actions about a dataset, its workflow and its organization
    for who, headers in visitors(data):
        for action in ("package_show", "resource_show", "opendata_th_workflow_show",
                       "opendata_th_workflow_history", "opendata_th_properties_show", "package_activity_list",
                       "member_list", "group_package_show", "organization_show", "package_search"):
            for variant in _variants(action, data):
                response = app.post(f"/api/3/action/{action}", json=variant, headers=headers)
                leaked = leaks(response.get_data(as_text=True), data.ids, json.dumps(variant))
                assert not leaked, (who, action, response.status_code, leaked)

    # what counts and facets say
    for who, headers in visitors(data):
        listed = app.post("/api/3/action/organization_list", json={"all_fields": True},
                          headers=headers).json["result"]
        assert {o["name"]: o["package_count"] for o in listed}["qzx-org-a"] == 1, who
        shown = app.post("/api/3/action/organization_show", json={"id": data.org["id"]}, headers=headers)
        assert shown.json["result"]["package_count"] == 1, who
        group = app.post("/api/3/action/group_show", json={"id": data.group["id"]}, headers=headers)
        assert group.json["result"]["package_count"] == 0, who
        result = app.post("/api/3/action/package_search", headers=headers, json={
            "q": "*:*", "include_private": True,
            "facet.field": ["opendata_stage", "organization", "groups", "tags"]}).json["result"]
        assert result["count"] == 1 and result["facets"]["opendata_stage"] == {"published": 1}, who
        assert "qzx-group" not in result["facets"]["groups"], who
        assert "qzxsecrettag" not in result["facets"]["tags"], who
        members = app.post("/api/3/action/member_list", json={"id": data.org["id"], "object_type": "package"},
                           headers=headers).json["result"]
        assert [member[0] for member in members] == [data.public["id"]], who
    assert _state(data.secret["id"], data.pending["id"]) == data.before  # nothing was changed


ROUTE_IDS = (
    (("/dataset/activity", "/dataset/changes", "/dataset/<id>/disclosure", "/dataset/<id>/classify"),
     ["PENDING_ID"]),  # where the workflow's notes would show: the dataset pending approval
    (("/dataset",), ["qzx-secret-name"]),
    (("/organization",), ["qzx-org-a"]),
    (("/group",), ["qzx-group"]),
    (("/user",), ["EDITOR"]),  # the editor's pages list their datasets
)
"""The values of a route's ``<id>`` by the start of its path; other routes
with an ``<id>`` get the secret dataset's name and the organization's."""


def _paths(app, data) -> list[str]:
    """Every GET page with its arguments filled in with the private data."""
    resource_id = data.secret["resources"][0]["id"]
    fill = {"PENDING_ID": data.pending["id"], "EDITOR": data.editor["name"]}
    paths = []
    for rule in app.flask_app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.rule.startswith(("/api/", "/webassets/", "/base/", "/_")):
            continue
        ids = next((ids for starts, ids in ROUTE_IDS if rule.rule.startswith(starts)),
                   ["qzx-secret-name", "qzx-org-a"])
        values = {"id": [fill.get(v, v) for v in ids], "resource_id": [resource_id],
                  "package_id": [data.secret["id"]], "package_type": ["dataset"],
                  "group_type": ["organization"] if rule.rule.startswith("/organization") else ["group"]}
        arguments = set(re.findall(r"<(?:[^:<>]+:)?([^<>:]+)>", rule.rule))  # not the blueprint's defaults
        if any(argument not in values for argument in arguments):
            continue
        combos = [{}]
        for argument in sorted(arguments):
            combos = [{**combo, argument: value} for combo in combos for value in values[argument]]
        for combo in combos:
            path = rule.rule
            for argument, value in combo.items():
                path = re.sub(r"<(?:[^:<>]+:)?" + argument + r">", value, path)
            if "download" not in path:
                paths.append(path)
    searches = ["/dataset/?q=qzx", "/dataset/?opendata_stage=pending_approval"]  # (facets: the API test)
    return sorted(set(paths)) + searches


def test_no_page_shows_anything_private_to_outsiders(app, data):
    paths = _paths(app, data)
    for path in ("/dataset/qzx-secret-name", f"/dataset/activity/{data.pending['id']}", "/organization/qzx-org-a",
                 "/group/qzx-group", "/organization/", f"/user/{data.editor['name']}"):
        assert path in paths, path
    found = []
    for who, headers in visitors(data):
        for path in paths:
            try:
                response = app.get(path, headers=headers)
            except (tk.NotAuthorized, tk.ObjectNotFound) as error:  # a view of CKAN's that does not catch it
                leaked = leaks(str(error), data.ids, path)
                status = 500
            else:
                leaked = leaks(response.get_data(as_text=True), data.ids, path)
                status = response.status_code
            if leaked:
                found.append((who, path, status, leaked))
    assert not found, found[:20]
    # the pages do show what is private to the organization's members (the check can fail)
    member = {"Authorization": data.editor["token"]}
    assert "QZXSECRETTITLE" in app.get("/dataset/qzx-secret-name", headers=member).get_data(as_text=True)
    assert "QZXSUBMITNOTE" in app.get(f"/dataset/activity/{data.pending['name']}",
                                      headers=member).get_data(as_text=True)
    assert _state(data.secret["id"], data.pending["id"]) == data.before

