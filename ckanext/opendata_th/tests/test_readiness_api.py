"""The readiness assessment's API: admins write, members read, sysadmins do
everything, anyone else sees only a published summary; bad input is refused
in the reader's language with nothing changed; every change is in the
history; files are stored in the database and never public."""
from __future__ import annotations

import io
import re
from types import SimpleNamespace

import pytest
from werkzeug.datastructures import FileStorage

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.tests import factories
from ckan.tests.helpers import call_action, call_auth

from ckanext.opendata_th import readiness
from ckanext.opendata_th.model.readiness import ReadinessAssessment, ReadinessChange, ReadinessFile

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db_once")

THAI = re.compile("[\u0e00-\u0e7f]")
KEYS = ("management_plan", "capacity_building", "promoting_reuse", "budget", "strategy")


_USERS: dict[str, dict] = {}


@pytest.fixture
def users(clean_db_once):
    """The people of the tests, made once per module (users with API tokens
    are the slow part of a test's setup); every test gives them roles in
    organizations of its own."""
    if not _USERS:
        _USERS.update({role: factories.UserWithToken()
                       for role in ("admin", "editor", "member", "other_admin", "stranger")})
        _USERS["sysadmin"] = factories.SysadminWithToken()
    return _USERS


@pytest.fixture
def portal(users):
    """An organization with an admin, an editor and a member; another
    organization with its admin; a logged-in stranger; a sysadmin."""
    org = factories.Organization(title="กองสถิติการค้า", users=[
        {"name": users["admin"]["name"], "capacity": "admin"},
        {"name": users["editor"]["name"], "capacity": "editor"},
        {"name": users["member"]["name"], "capacity": "member"}])
    other = factories.Organization(users=[{"name": users["other_admin"]["name"], "capacity": "admin"}])
    return SimpleNamespace(org=org, other=other, year=readiness.current_fiscal_year(), **users)


def api(app, user, action, lang="", **data):
    """POST an action as ``user`` (None: anonymous)."""
    prefix = f"/{lang}" if lang else ""
    headers = {"Authorization": user["token"]} if user else {}
    return app.post(f"{prefix}/api/3/action/{action}", json=data, headers=headers)


def get(app, user, action, lang="", **params):
    prefix = f"/{lang}" if lang else ""
    headers = {"Authorization": user["token"]} if user else {}
    return app.get(f"{prefix}/api/3/action/{action}", query_string=params, headers=headers)


def update(portal, user=None, **data):
    data.setdefault("fiscal_year", portal.year)
    return call_action("opendata_th_readiness_update", {"user": (user or portal.admin)["name"]},
                       organization=portal.org["name"], **data)


def stored(portal, year=None):
    """(document, published, number of history rows) as stored, fresh from the database."""
    model.Session.expire_all()
    found = readiness.assessment(portal.org["id"], year or portal.year)
    if found is None:
        return None
    count = model.Session.query(ReadinessChange).filter_by(assessment_id=found.id).count()
    return found.document, found.published, count


def levels(shown):
    return {activity["key"]: activity["level"] for activity in shown["activities"]}


# -- the questionnaire ---------------------------------------------------------------

def test_anyone_reads_the_questionnaire_in_thai_by_default_and_in_english(app):
    thai = get(app, None, "opendata_th_readiness_schema_show")
    assert thai.status_code == 200
    shown = thai.json["result"]
    assert [a["key"] for a in shown["activities"]] == list(KEYS)
    assert shown["required_level"] == 2
    assert [level["number"] for level in shown["levels"]] == [1, 2, 3, 4, 5]
    assert all(THAI.search(a["name"]) and THAI.search(a["question"]) for a in shown["activities"])
    english = get(app, None, "opendata_th_readiness_schema_show", lang="en").json["result"]
    assert english["levels"][0]["name"] == "Initial"
    assert not any(THAI.search(a["name"]) for a in english["activities"])


@pytest.mark.ckan_config("ckanext.opendata_th.readiness.required_level", "3")
def test_the_configured_required_level_overrides_the_questionnaires(app, portal):
    assert get(app, None, "opendata_th_readiness_schema_show").json["result"]["required_level"] == 3
    shown = update(portal, activities={key: {"level": 2} for key in KEYS})
    assert shown["verdict"]["ready"] is False
    assert shown["verdict"]["required_level"] == 3
    assert {gap["level"] for gap in shown["verdict"]["gaps"]} == {2}


# -- show and update -----------------------------------------------------------------

def test_a_year_not_assessed_shows_empty_to_members_and_reading_it_writes_nothing(app, portal):
    shown = get(app, portal.member, "opendata_th_readiness_show", organization=portal.org["name"]).json["result"]
    assert shown["exists"] is False and shown["summary_only"] is False
    assert shown["fiscal_year"] == portal.year and shown["current"] is True
    assert str(portal.year) in shown["fiscal_year_text"] and "ปีงบประมาณ" in shown["fiscal_year_text"]
    assert levels(shown) == dict.fromkeys(KEYS)
    assert shown["actions"] == []
    assert shown["verdict"]["ready"] is False and len(shown["verdict"]["gaps"]) == 5
    assert THAI.search(shown["verdict"]["text"])
    assert stored(portal) is None


def test_an_admin_fills_in_the_assessment_and_each_change_is_in_the_history(app, portal):
    answers = {key: {"level": 2} for key in KEYS}
    answers["budget"] = {"level": "3", "evidence": "งบประมาณปี 2569 สำหรับข้อมูลเปิด",
                         "links": "https://example.go.th/budget\nhttps://example.go.th/plan",
                         "responsible": "ผู้อำนวยการกองแผนงาน"}
    response = api(app, portal.admin, "opendata_th_readiness_update", organization=portal.org["name"],
                   fiscal_year=portal.year, activities=answers,
                   actions=[{"activity": "strategy", "description": "เสนอยุทธศาสตร์ข้อมูลเปิด",
                             "owner": portal.member["name"], "due_date": "2999-01-31"}])
    assert response.status_code == 200, response.json
    shown = response.json["result"]
    assert shown["exists"] is True and shown["published"] is False
    assert shown["modified_by"] == portal.admin["name"]
    budget = next(a for a in shown["activities"] if a["key"] == "budget")
    assert budget["level"] == 3 and budget["level_name"] == "มีการกำหนดไว้ชัดเจน"
    assert budget["links"] == ["https://example.go.th/budget", "https://example.go.th/plan"]
    assert budget["responsible"] == "ผู้อำนวยการกองแผนงาน" and budget["files"] == []
    [action] = shown["actions"]
    assert action["owner"] == portal.member["name"] and action["overdue"] is False and action["id"]
    assert shown["verdict"]["ready"] is True and shown["verdict"]["gaps"] == []

    # a change: one more history row, newest first, saying who and what
    update(portal, activities={"budget": {"level": 1}})
    update(portal, activities={"budget": {"level": 1}})  # no change: no row
    history = get(app, portal.member, "opendata_th_readiness_history", organization=portal.org["id"],
                  fiscal_year=portal.year).json["result"]
    assert [row["kind"] for row in history] == ["updated", "created"]
    assert history[0]["user"] == portal.admin["name"]
    assert history[0]["user_display"] == portal.admin["fullname"]
    assert history[0]["changed_at"] > history[1]["changed_at"]
    assert history[0]["changes"] == [{"field": "activities.budget.level", "field_text": "งบประมาณ: ระดับ",
                                      "old": 3, "new": 1}]
    assert {c["field"] for c in history[1]["changes"]} >= {"activities.budget.evidence", f"actions.{action['id']}"}
    english = get(app, portal.member, "opendata_th_readiness_history", lang="en",
                  organization=portal.org["id"]).json["result"]
    assert english[0]["changes"][0]["field_text"] == "Budget: level"
    # the verdict says plainly what is missing
    shown = get(app, portal.admin, "opendata_th_readiness_show", lang="en",
                organization=portal.org["id"]).json["result"]
    assert shown["verdict"]["ready"] is False
    assert shown["verdict"]["text"] == "Not ready: Budget is at level 1; every activity must be at level 2 or above"


def test_only_admins_and_sysadmins_change_an_assessment(app, portal):
    update(portal, activities={"budget": {"level": 2}})
    before = stored(portal)
    for role in ("anonymous", "stranger", "member", "editor", "other_admin"):
        user = None if role == "anonymous" else getattr(portal, role)
        response = api(app, user, "opendata_th_readiness_update", organization=portal.org["name"],
                       fiscal_year=portal.year, activities={"budget": {"level": 5}}, published=True)
        assert response.status_code == 403, role
        assert stored(portal) == before, role
    response = api(app, portal.sysadmin, "opendata_th_readiness_update", organization=portal.org["name"],
                   fiscal_year=portal.year, activities={"budget": {"level": 5}})
    assert response.status_code == 200
    assert stored(portal)[0]["activities"]["budget"]["level"] == 5


MEMBERS = ("member", "editor", "admin", "sysadmin")
OTHERS = ("anonymous", "stranger", "other_admin")


def test_members_read_everything_others_only_a_published_summary(app, portal):
    update(portal, activities={"budget": {"level": 3, "evidence": "ลับเฉพาะ", "links": ["https://x.go.th/a"],
                                          "responsible": "คุณสมชาย"}},
           actions=[{"activity": "budget", "description": "ของภายใน", "owner": ""}])
    call_action("opendata_th_readiness_file_upload", {"user": portal.admin["name"]},
                organization=portal.org["id"], fiscal_year=portal.year, activity="budget",
                upload=FileStorage(io.BytesIO(b"secret plan"), "plan.pdf"))
    for role in MEMBERS:
        response = get(app, getattr(portal, role), "opendata_th_readiness_show", organization=portal.org["name"])
        assert response.status_code == 200, role
        shown = response.json["result"]
        budget = next(a for a in shown["activities"] if a["key"] == "budget")
        assert budget["evidence"] == "ลับเฉพาะ" and budget["files"][0]["name"] == "plan.pdf", role
        assert shown["actions"][0]["description"] == "ของภายใน" and shown["summary_only"] is False, role
    for role in OTHERS:
        response = get(app, None if role == "anonymous" else getattr(portal, role),
                       "opendata_th_readiness_show", organization=portal.org["name"])
        assert response.status_code == 403, role
        assert "ลับเฉพาะ" not in response.get_data(as_text=True)

    update(portal, published=True)
    for role in OTHERS:
        user = None if role == "anonymous" else getattr(portal, role)
        response = get(app, user, "opendata_th_readiness_show", organization=portal.org["name"])
        assert response.status_code == 200, role
        shown = response.json["result"]
        assert shown["summary_only"] is True and shown["published"] is True and shown["published_at"]
        assert levels(shown)["budget"] == 3 and shown["verdict"]["ready"] is False
        assert set(shown) == {"organization", "fiscal_year", "fiscal_year_text", "current", "exists",
                              "published", "published_at", "modified", "summary_only", "activities",
                              "verdict"}, role
        assert all(set(a) == {"key", "name", "level", "level_name"} for a in shown["activities"])
        body = response.get_data(as_text=True)
        for secret in ("ลับเฉพาะ", "x.go.th", "คุณสมชาย", "ของภายใน", "plan.pdf"):
            assert secret not in body, (role, secret)
        # this year's summary only: other years stay private
        assert get(app, user, "opendata_th_readiness_show", organization=portal.org["name"],
                   fiscal_year=portal.year - 1).status_code == 403, role
    assert get(app, portal.member, "opendata_th_readiness_show",
               organization=portal.org["name"]).json["result"]["summary_only"] is False

    update(portal, published=False)
    for role in OTHERS:
        user = None if role == "anonymous" else getattr(portal, role)
        assert get(app, user, "opendata_th_readiness_show",
                   organization=portal.org["name"]).status_code == 403, role
    kinds = [row["kind"] for row in call_action("opendata_th_readiness_history", {"user": portal.admin["name"]},
                                                organization=portal.org["id"])]
    assert kinds[:2] == ["unpublished", "published"]


# -- bad input -------------------------------------------------------------------------

BAD_INPUT = [
    ({"activities": {"foo": {"level": 2}}}, "activities.foo"),
    ({"activities": {"budget": {"level": 0}}}, "activities.budget.level"),
    ({"activities": {"budget": {"level": 6}}}, "activities.budget.level"),
    ({"activities": {"budget": {"level": "x"}}}, "activities.budget.level"),
    ({"activities": "budget=2"}, "activities"),
    ({"actions": [{"activity": "budget", "description": "ok", "due_date": "31/12/2569"}]}, "actions.0.due_date"),
    ({"activities": {"budget": {"level": 4}}, "fiscal_year": "2569x"}, "fiscal_year"),
    ({"activities": {"budget": {"level": 4}}, "fiscal_year": 99999999999999999999}, "fiscal_year"),
    ({"activities": {"budget": {"level": 4}}, "fiscal_year": 2400}, "fiscal_year"),
    ({"activities": {"budget": {"level": 4}}, "fiscal_year": ""}, "fiscal_year"),
    ({"activities": {"budget": {"level": 4}}, "published": "maybe"}, "published"),
]


def test_bad_input_is_refused_in_thai_and_changes_nothing(app, portal):
    update(portal, activities={"budget": {"level": 2}})
    before = stored(portal)
    for data, field in BAD_INPUT:
        response = api(app, portal.admin, "opendata_th_readiness_update",
                       **{"organization": portal.org["name"], "fiscal_year": portal.year, **data})
        assert response.status_code == 409, (data, response.json)
        error = response.json["error"]
        assert THAI.search(error[field][0]), error
        assert stored(portal) == before, data


def test_a_common_era_year_gets_the_buddhist_era_year_suggested_in_both_languages(app, portal):
    thai = api(app, portal.admin, "opendata_th_readiness_update", organization=portal.org["name"],
               fiscal_year=2026, activities={"budget": {"level": 2}})
    assert thai.status_code == 409
    assert "2569" in thai.json["error"]["fiscal_year"][0] and THAI.search(thai.json["error"]["fiscal_year"][0])
    english = api(app, portal.admin, "opendata_th_readiness_update", lang="en", organization=portal.org["name"],
                  fiscal_year="2026", activities={"budget": {"level": 2}})
    assert english.json["error"]["fiscal_year"] == [
        "2026 looks like a year of the Common Era; fiscal years are in the Buddhist Era: did you mean 2569?"]
    shown = get(app, None, "opendata_th_readiness_show", organization=portal.org["name"], fiscal_year="2026")
    assert shown.status_code == 409  # anonymous too: a clear answer, not a 500
    assert model.Session.query(ReadinessAssessment).filter_by(fiscal_year=2026).count() == 0


def test_every_error_of_a_call_is_reported_at_once(app, portal):
    response = api(app, portal.admin, "opendata_th_readiness_update", lang="en", organization=portal.org["id"],
                   fiscal_year=portal.year, activities={"foo": {}, "budget": {"level": 9}},
                   actions=[{"activity": "budget", "description": ""}])
    assert set(response.json["error"]) >= {"activities.foo", "activities.budget.level", "actions.0.description"}
    assert response.json["error"]["activities.foo"][0].startswith("Unknown activity “foo”: the activities are")
    assert stored(portal) is None


def test_an_action_owner_must_be_a_member(app, portal):
    response = api(app, portal.admin, "opendata_th_readiness_update", organization=portal.org["id"],
                   fiscal_year=portal.year, actions=[
                       {"activity": "budget", "description": "ก", "owner": portal.member["name"]},
                       {"activity": "budget", "description": "ข", "owner": portal.other_admin["name"]},
                       {"activity": "budget", "description": "ค", "owner": "nobody-at-all"}])
    assert response.status_code == 409
    assert set(response.json["error"]) - {"__type"} == {"actions.1.owner", "actions.2.owner"}
    assert portal.other_admin["name"] in response.json["error"]["actions.1.owner"][0]
    assert stored(portal) is None
    shown = update(portal, actions=[{"activity": "budget", "description": "ก", "owner": portal.member["id"]}])
    assert shown["actions"][0]["owner"] == portal.member["name"]  # stored by name


def test_unknown_and_deleted_organizations_are_not_found(app, portal):
    gone = factories.Organization()
    call_action("organization_delete", {"user": portal.sysadmin["name"]}, id=gone["id"])
    for action in ("opendata_th_readiness_show", "opendata_th_readiness_list", "opendata_th_readiness_history",
                   "opendata_th_readiness_update", "opendata_th_readiness_copy_forward",
                   "opendata_th_readiness_overdue_actions"):
        for name in ("no-such-organization", gone["name"], "x" * 5000):
            response = api(app, portal.sysadmin, action, organization=name, fiscal_year=portal.year,
                           from_year=portal.year - 1)
            assert response.status_code == 404, (action, name, response.status_code)
            assert response.json["error"]["message"].endswith("ไม่พบหน่วยงาน"), action
            assert api(app, None, action, organization=name).status_code in (403, 404), action
        assert api(app, None, action, organization={"a": 1}).status_code in (403, 404, 409), action


# -- copy forward ------------------------------------------------------------------------

def test_an_earlier_year_is_copied_forward_without_done_actions(app, portal):
    last = portal.year - 1
    update(portal, fiscal_year=last, published=True,
           activities={"budget": {"level": 3, "evidence": "หลักฐาน"}, "strategy": {"level": 2}},
           actions=[{"id": "open-1", "activity": "budget", "description": "ยังไม่เสร็จ"},
                    {"id": "done-1", "activity": "strategy", "description": "เสร็จแล้ว", "done": True}])
    assert api(app, portal.member, "opendata_th_readiness_copy_forward", organization=portal.org["name"],
               from_year=last).status_code == 403
    response = api(app, portal.admin, "opendata_th_readiness_copy_forward", organization=portal.org["name"],
                   from_year=last)
    assert response.status_code == 200, response.json
    copied = response.json["result"]
    assert copied["fiscal_year"] == portal.year and copied["published"] is False
    assert levels(copied)["budget"] == 3 and levels(copied)["strategy"] == 2
    assert next(a for a in copied["activities"] if a["key"] == "budget")["evidence"] == "หลักฐาน"
    assert [a["id"] for a in copied["actions"]] == ["open-1"]
    history = call_action("opendata_th_readiness_history", {"user": portal.member["name"]},
                          organization=portal.org["id"], fiscal_year=portal.year)
    assert [row["kind"] for row in history] == ["copied"] and history[0]["user"] == portal.admin["name"]
    # the earlier year is unchanged and still readable
    assert stored(portal, last)[0]["actions"][1]["done"] is True

    before = stored(portal)
    again = api(app, portal.admin, "opendata_th_readiness_copy_forward", organization=portal.org["name"],
                from_year=last, to_year=portal.year)
    assert again.status_code == 409 and "to_year" in again.json["error"]
    assert stored(portal) == before
    missing = api(app, portal.admin, "opendata_th_readiness_copy_forward", lang="en",
                  organization=portal.org["name"], from_year=last - 5)
    assert missing.status_code == 409
    assert missing.json["error"]["from_year"][0].startswith(f"There is no readiness assessment for fiscal year {last - 5}")
    backwards = api(app, portal.admin, "opendata_th_readiness_copy_forward", organization=portal.org["name"],
                    from_year=last, to_year=last - 1)
    assert backwards.status_code == 409 and "to_year" in backwards.json["error"]


# -- lists -------------------------------------------------------------------------------

def test_an_organizations_years_newest_first_published_ones_for_the_public(app, portal):
    update(portal, fiscal_year=portal.year - 2, activities={key: {"level": 2} for key in KEYS}, published=True)
    update(portal, fiscal_year=portal.year - 1, activities={"budget": {"level": 4}})
    update(portal, activities={"budget": {"level": 1}})
    years = get(app, portal.member, "opendata_th_readiness_list", organization=portal.org["name"]).json["result"]
    assert [y["fiscal_year"] for y in years] == [portal.year, portal.year - 1, portal.year - 2]
    assert years[1]["levels"]["budget"] == 4 and years[1]["levels"]["strategy"] is None
    assert [y["ready"] for y in years] == [False, False, True]
    assert str(portal.year) in years[0]["fiscal_year_text"]
    for user in (None, portal.stranger, portal.other_admin):
        public = get(app, user, "opendata_th_readiness_list", organization=portal.org["name"]).json["result"]
        assert [y["fiscal_year"] for y in public] == [portal.year - 2]


def test_sysadmins_list_every_organization_also_those_not_assessed(app, portal):
    update(portal, activities={key: {"level": 2} for key in KEYS})
    response = get(app, portal.sysadmin, "opendata_th_readiness_list")
    assert response.status_code == 200
    rows = {row["organization"]["name"]: row for row in response.json["result"]}
    assert rows[portal.org["name"]]["exists"] is True and rows[portal.org["name"]]["ready"] is True
    assert rows[portal.other["name"]]["exists"] is False and rows[portal.other["name"]]["ready"] is False
    assert len(rows[portal.other["name"]]["gaps"]) == 5 and THAI.search(rows[portal.other["name"]]["gaps"][0])
    titles = [row["organization"]["title"].casefold() for row in response.json["result"]]
    assert titles == sorted(titles)
    earlier = get(app, portal.sysadmin, "opendata_th_readiness_list", fiscal_year=portal.year - 1).json["result"]
    assert not any(row["exists"] for row in earlier if row["organization"]["name"] == portal.org["name"])
    for user in (None, portal.admin, portal.stranger):
        assert get(app, user, "opendata_th_readiness_list").status_code == 403
    assert get(app, portal.sysadmin, "opendata_th_readiness_list", fiscal_year="2026").status_code == 409


def test_the_history_is_for_members_only(app, portal):
    update(portal, activities={"budget": {"level": 2}}, published=True)
    for role in OTHERS:
        user = None if role == "anonymous" else getattr(portal, role)
        assert get(app, user, "opendata_th_readiness_history",
                   organization=portal.org["name"]).status_code == 403, role
    for role in MEMBERS:
        history = get(app, getattr(portal, role), "opendata_th_readiness_history",
                      organization=portal.org["name"]).json["result"]
        assert [row["kind"] for row in history] == ["created"], role


# -- files --------------------------------------------------------------------------------

def upload(app, user, portal, content=b"%PDF-1.4 plan", name="plan.pdf", lang="", **data):
    prefix = f"/{lang}" if lang else ""
    form = {"organization": portal.org["name"], "fiscal_year": str(portal.year), "activity": "budget",
            "upload": (io.BytesIO(content), name), **data}
    headers = {"Authorization": user["token"]} if user else {}
    return app.post(f"{prefix}/api/3/action/opendata_th_readiness_file_upload", data=form, headers=headers)


def test_evidence_files_are_stored_in_the_database_for_members_only(app, portal):
    response = upload(app, portal.admin, portal, name="../../แผนงบประมาณ.pdf")
    assert response.status_code == 200, response.json
    added = response.json["result"]
    assert added["name"] == "แผนงบประมาณ.pdf" and added["size"] == 13
    assert added["content_type"] == "application/pdf" and added["activity"] == "budget"
    shown = call_action("opendata_th_readiness_show", {"user": portal.member["name"]},
                        organization=portal.org["id"])
    assert next(a for a in shown["activities"] if a["key"] == "budget")["files"][0]["id"] == added["id"]
    assert readiness.file_content(added["id"]) == ("แผนงบประมาณ.pdf", "application/pdf", b"%PDF-1.4 plan")

    for user in (portal.member, portal.editor, portal.admin, portal.sysadmin):
        call_auth("opendata_th_readiness_file_download", {"user": user["name"], "model": model}, id=added["id"])
    for user in ("", portal.stranger["name"], portal.other_admin["name"]):
        with pytest.raises(tk.NotAuthorized):
            call_auth("opendata_th_readiness_file_download", {"user": user, "model": model}, id=added["id"])
    with pytest.raises(tk.ObjectNotFound):
        call_auth("opendata_th_readiness_file_download", {"user": portal.member["name"], "model": model},
                  id="no-such-file")

    # only admins delete; the history tells
    for user in (None, portal.member, portal.other_admin):
        assert api(app, user, "opendata_th_readiness_file_delete", id=added["id"]).status_code == 403
    assert api(app, portal.admin, "opendata_th_readiness_file_delete", id=added["id"]).status_code == 200
    assert model.Session.query(ReadinessFile).filter_by(id=added["id"]).count() == 0
    assert api(app, portal.admin, "opendata_th_readiness_file_delete", id=added["id"]).status_code == 404
    history = call_action("opendata_th_readiness_history", {"user": portal.member["name"]},
                          organization=portal.org["id"])
    assert [row["kind"] for row in history] == ["file_removed", "file_added"]
    assert history[1]["user"] == portal.admin["name"] and history[1]["changes"][0]["new"] == "แผนงบประมาณ.pdf"
    assert history[0]["changes"][0]["old"] == "แผนงบประมาณ.pdf"
    assert history[0]["changes"][0]["field_text"] == "งบประมาณ: ไฟล์หลักฐาน"


@pytest.mark.ckan_config("ckanext.opendata_th.readiness.max_file_size", "100")
def test_uploads_are_bounded_and_checked(app, portal):
    def files():
        return model.Session.query(ReadinessFile).count()

    before = files()
    assert upload(app, portal.admin, portal, content=b"x" * 100).status_code == 200
    too_big = upload(app, portal.admin, portal, content=b"x" * 101)
    assert too_big.status_code == 409 and THAI.search(too_big.json["error"]["upload"][0])
    english = upload(app, portal.admin, portal, content=b"x" * 5000, lang="en")
    assert english.json["error"]["upload"] == ["The file is larger than the limit of 100 B"]
    assert upload(app, portal.admin, portal, content=b"").status_code == 409
    assert upload(app, portal.admin, portal, activity="foo").json["error"]["activity"]
    assert upload(app, portal.admin, portal, fiscal_year="2026").json["error"]["fiscal_year"]
    not_a_file = api(app, portal.admin, "opendata_th_readiness_file_upload", organization=portal.org["name"],
                     fiscal_year=portal.year, activity="budget", upload="plan.pdf")
    assert not_a_file.status_code == 409 and "upload" in not_a_file.json["error"]
    for user in (None, portal.member, portal.editor, portal.other_admin):
        assert upload(app, user, portal).status_code == 403
    assert files() == before + 1


# -- overdue actions ------------------------------------------------------------------------

def test_overdue_actions_of_each_organizations_latest_assessment(app, portal):
    update(portal, fiscal_year=portal.year - 1,
           actions=[{"id": "old-year", "activity": "budget", "description": "ปีก่อน", "due_date": "2001-01-01"}])
    update(portal, actions=[
        {"id": "late", "activity": "budget", "description": "ล่าช้า", "owner": portal.member["name"],
         "due_date": "2001-01-01"},
        {"id": "done", "activity": "budget", "description": "เสร็จ", "due_date": "2001-01-01", "done": True},
        {"id": "later", "activity": "budget", "description": "ยังไม่ถึง", "due_date": "2999-01-01"},
        {"id": "undated", "activity": "budget", "description": "ไม่มีกำหนด"}])
    other = call_action("opendata_th_readiness_update", {"user": portal.other_admin["name"]},
                        organization=portal.other["id"], fiscal_year=portal.year,
                        actions=[{"id": "other-late", "activity": "strategy", "description": "อื่น",
                                  "due_date": "2002-02-02"}])
    assert other["actions"][0]["overdue"] is True

    mine = get(app, portal.member, "opendata_th_readiness_overdue_actions",
               organization=portal.org["name"]).json["result"]
    assert [(item["fiscal_year"], item["action"]["id"]) for item in mine] == [(portal.year, "late")]
    assert mine[0]["action"]["owner"] == portal.member["name"] and mine[0]["action"]["overdue"] is True
    assert mine[0]["organization"]["name"] == portal.org["name"]
    shown = call_action("opendata_th_readiness_show", {"user": portal.member["name"]},
                        organization=portal.org["id"])
    assert {a["id"]: a["overdue"] for a in shown["actions"]} == {
        "late": True, "done": False, "later": False, "undated": False}

    everyone = get(app, portal.sysadmin, "opendata_th_readiness_overdue_actions").json["result"]
    assert [item["action"]["id"] for item in everyone
            if item["organization"]["id"] in (portal.org["id"], portal.other["id"])] == ["late", "other-late"]
    for user in (None, portal.stranger, portal.other_admin):
        assert get(app, user, "opendata_th_readiness_overdue_actions",
                   organization=portal.org["name"]).status_code == 403
    for user in (None, portal.admin):
        assert get(app, user, "opendata_th_readiness_overdue_actions").status_code == 403


# -- the glue ---------------------------------------------------------------------------------

def test_the_glue_gives_the_verdict_and_the_assessment_url(portal):
    assert readiness.verdict(portal.org["id"]).ready is False
    update(portal, activities={key: {"level": 2} for key in KEYS})
    assert readiness.verdict(portal.org["id"]).ready is True
    assert readiness.verdict(portal.org["id"], portal.year - 1).ready is False
    url = readiness.assessment_url(portal.org["name"], portal.year)
    assert url.startswith("http") and url.endswith(f"/organization/readiness/{portal.org['name']}?year={portal.year}")


def test_a_sysadmin_points_the_portal_at_another_questionnaire(app, portal, tmp_path, monkeypatch):
    import yaml

    from ckanext.opendata_th.playbook.readiness import SCHEMA_FILE, ReadinessSchemaError

    questionnaire = yaml.safe_load(SCHEMA_FILE.read_text(encoding="utf-8"))
    questionnaire["activities"] = [a for a in questionnaire["activities"] if a["key"] != "strategy"]
    questionnaire["rule"]["required_level"] = 3
    path = tmp_path / "readiness-2571.yaml"
    path.write_text(yaml.safe_dump(questionnaire, allow_unicode=True), encoding="utf-8")
    monkeypatch.setitem(tk.config, "ckanext.opendata_th.readiness.schema", str(path))
    readiness.check_config()
    shown = get(app, None, "opendata_th_readiness_schema_show").json["result"]
    assert [a["key"] for a in shown["activities"]] == list(KEYS[:-1]) and shown["required_level"] == 3
    assert update(portal, activities={key: {"level": 3} for key in KEYS[:-1]})["verdict"]["ready"] is True
    # an answer to an activity the new file does not have is refused
    with pytest.raises(tk.ValidationError) as refused:
        update(portal, activities={"strategy": {"level": 3}})
    assert "activities.strategy" in refused.value.error_dict

    monkeypatch.setitem(tk.config, "ckanext.opendata_th.readiness.required_level", "9")
    with pytest.raises(ValueError, match="1 to 5"):
        readiness.check_config()
    monkeypatch.delitem(tk.config, "ckanext.opendata_th.readiness.required_level")
    path.write_text("activities: [", encoding="utf-8")
    with pytest.raises(ReadinessSchemaError, match="readiness-2571.yaml"):
        readiness.check_config()


def test_two_first_saves_of_the_same_year_at_once_refuse_the_second(portal, monkeypatch):
    """Two admins saving a new year at the same moment: both found no row;
    the database's unique key refuses the second, with a message, not a 500."""
    from ckanext.opendata_th.logic.action import readiness as actions

    update(portal, activities={"budget": {"level": 2}})
    before = stored(portal)
    monkeypatch.setattr(actions, "_locked", lambda organization_id, year: None)  # as if not yet saved
    with pytest.raises(tk.ValidationError) as refused:
        update(portal, activities={"budget": {"level": 4}})
    assert "ลองอีกครั้ง" in refused.value.error_dict["fiscal_year"][0]
    assert stored(portal) == before
