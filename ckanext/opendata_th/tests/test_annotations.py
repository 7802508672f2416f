"""Due dates, the schedule facet and the ten properties on the dataset,
through CKAN: package_show, package_search facets, the properties action,
the dataset page, link checks (a real background job) and the CLI."""
import datetime as dt
import re

import pytest
from click.testing import CliRunner

import ckan.model as model
from ckan.cli.cli import ckan as ckan_cli
from ckan.lib import jobs
from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.opendata_th import annotations, context
from ckanext.opendata_th.model import LinkCheck, Reminder
from ckanext.opendata_th.tests.datasets import create_dataset, national_dataset, national_resource
from ckanext.opendata_th.tests.web import Browser

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db")


def create(org, sysadmin, **fields):
    fields.setdefault("resources", [national_resource()])
    return create_dataset( {"user": sysadmin["name"]},
                       **national_dataset(owner_org=org["id"], **fields))


def yesterday_minus(days):
    """A date ``days`` days before today in Bangkok."""
    return (context.now().date() - dt.timedelta(days=days)).isoformat()


def test_monthly_dataset_updated_long_ago_is_overdue(org, sysadmin):
    created = create(org, sysadmin, name="late", update_frequency_unit="เดือน",
                     update_frequency_interval="1", last_updated_date=yesterday_minus(90))
    shown = call_action("package_show", id=created["id"])
    assert shown["opendata_overdue"] is True
    assert shown["opendata_schedule"] == "overdue"
    last = dt.date.fromisoformat(yesterday_minus(90))
    due = dt.date.fromisoformat(shown["opendata_due_date"])  # a date, no clock time
    assert due.month == (last.month % 12) + 1
    assert shown["opendata_last_update"]["source"] == "declared"
    timely = {p["key"]: p for p in shown["opendata_properties"]["properties"]}["timely"]
    assert timely["status"] == "not_met"
    # call_action has no request: the portal's language, Thai
    assert timely["advice"]["text"].startswith("ปรับปรุงข้อมูลและวันที่ปรับปรุงข้อมูลล่าสุด")
    assert timely["advice"]["id"].startswith("Update the data and its last update date")
    assert timely["advice_for"] == "publisher"


def test_recent_dataset_is_on_schedule_and_never_updated_has_no_due_date(org, sysadmin):
    create(org, sysadmin, name="fresh", update_frequency_unit="ปี",
           update_frequency_interval="1", last_updated_date=yesterday_minus(1))
    create(org, sysadmin, name="static",
           update_frequency_unit="ไม่มีการปรับปรุงหลังจากการจัดเก็บข้อมูล",
           update_frequency_interval="")
    fresh = call_action("package_show", id="fresh")
    static = call_action("package_show", id="static")
    assert fresh["opendata_overdue"] is False and fresh["opendata_due_date"]
    assert fresh["opendata_schedule"] == "on_schedule"
    assert static["opendata_due_date"] is None and static["opendata_overdue"] is False
    assert static["opendata_schedule"] == "no_schedule"


def test_schedule_is_a_search_facet_and_filter_with_three_values(org, sysadmin):
    create(org, sysadmin, name="late", update_frequency_unit="เดือน",
           update_frequency_interval="1", last_updated_date=yesterday_minus(90))
    create(org, sysadmin, name="late-too", update_frequency_unit="สัปดาห์",
           update_frequency_interval="1", last_updated_date=yesterday_minus(30))
    create(org, sysadmin, name="fresh", update_frequency_unit="ปี",
           update_frequency_interval="1", last_updated_date=yesterday_minus(1))
    create(org, sysadmin, name="static", update_frequency_unit="ไม่ทราบ",
           update_frequency_interval="")
    result = call_action("package_search", **{"facet.field": '["opendata_schedule"]'})
    assert result["facets"]["opendata_schedule"] == {"overdue": 2, "on_schedule": 1, "no_schedule": 1}
    for value, names in (("overdue", ["late", "late-too"]), ("on_schedule", ["fresh"]),
                         ("no_schedule", ["static"])):
        found = call_action("package_search", fq=f"opendata_schedule:{value}", sort="name asc")
        assert [d["name"] for d in found["results"]] == names
        assert {d["opendata_schedule"] for d in found["results"]} == {value}
    # the facet counts what the filter leaves
    filtered = call_action("package_search", fq='opendata_schedule:"overdue"',
                           **{"facet.field": '["opendata_schedule"]'})
    assert filtered["facets"]["opendata_schedule"] == {"overdue": 2}


def test_schedule_facet_labels_in_thai_and_english(org, sysadmin, app):
    create(org, sysadmin, name="late", update_frequency_unit="เดือน",
           update_frequency_interval="1", last_updated_date=yesterday_minus(90))
    create(org, sysadmin, name="static", update_frequency_unit="ไม่ทราบ",
           update_frequency_interval="")
    body = app.get("/dataset/").body
    assert "กำหนดการปรับปรุงข้อมูล" in body and "เลยกำหนด" in body and "ไม่มีกำหนดปรับปรุง" in body
    english = app.get("/en/dataset/").body
    assert "Update schedule" in english and "Overdue" in english and "No update schedule" in english
    filtered = app.get("/dataset/", query_string={"opendata_schedule": "overdue"}).body
    assert "/dataset/late" in filtered and "/dataset/static" not in filtered


def test_properties_action_scores_and_explains(org, sysadmin, app):
    created = create(org, sysadmin, name="scored")
    result = call_action("opendata_th_properties_show", id=created["name"])
    assert result["total"] == 10
    keys = [p["key"] for p in result["properties"]]
    assert keys == ["complete", "primary", "timely", "accessible", "machine_readable",
                    "non_discriminatory", "non_proprietary", "license_free", "permanent",
                    "free_of_charge"]
    statuses = {p["key"]: p["status"] for p in result["properties"]}
    assert statuses["machine_readable"] == "met"          # CSV resource
    assert statuses["accessible"] == "needs_attestation"  # no sync with data.go.th yet
    assert result["score"] == sum(1 for s in statuses.values() if s == "met")
    response = app.get("/api/3/action/opendata_th_properties_show",
                       query_string={"id": "scored"})
    assert response.status_code == 200
    assert response.json["result"]["score"] == result["score"]


def test_properties_action_unknown_dataset_and_private_dataset(org, sysadmin, app):
    assert app.get("/api/3/action/opendata_th_properties_show",
                   query_string={"id": "nope"}).status_code == 404
    create(org, sysadmin, name="hidden", private=True)
    assert app.get("/api/3/action/opendata_th_properties_show",
                   query_string={"id": "hidden"}).status_code == 403


def test_pdf_only_dataset_is_not_machine_readable_with_advice(org, sysadmin):
    created = create(org, sysadmin, name="pdf-only", resources=[
        {"name": "รายงาน", "url": "http://example.org/report.pdf", "format": "PDF"}])
    result = call_action("opendata_th_properties_show", id=created["id"])
    machine = {p["key"]: p for p in result["properties"]}["machine_readable"]
    assert machine["status"] == "not_met"
    assert machine["advice"]["id"].startswith("Convert these resources to a machine-readable format")
    assert machine["advice"]["text"].startswith("แปลงทรัพยากรเหล่านี้เป็นรูปแบบที่เครื่องอ่านได้")
    assert machine["evidence"] == [{"id": "“{name}” is {format}, which is not machine-readable",
                                    "params": {"name": "รายงาน", "format": "PDF"},
                                    "text": "“รายงาน” อยู่ในรูปแบบ PDF ซึ่งเครื่องอ่านไม่ได้"}]


def test_dataset_page_shows_the_panel_in_thai(org, sysadmin, app):
    create(org, sysadmin, name="shown", update_frequency_unit="เดือน",
           update_frequency_interval="1", last_updated_date="2026-01-15")
    body = app.get("/dataset/shown").body
    assert "15 ม.ค. 2569" in body  # dates for people in the Buddhist Era
    assert "วันที่ปรับปรุงข้อมูลล่าสุด" in body  # a filled field has its row
    assert "ประเภทชุดข้อมูลอื่นๆ" not in body  # an empty one has none
    assert "คุณลักษณะ 10 ประการของข้อมูลเปิด" in body
    assert "เลยกำหนดปรับปรุง" in body
    assert "เครื่องอ่านได้" in body
    english = app.get("/en/dataset/shown").body
    assert "Ten properties of open data" in english and "Machine readability" in english
    assert "15 Jan 2026" in english


@pytest.fixture
def web(link_site):
    """The local web site (conftest) with /ok.csv answering; the rest is 404."""
    link_site.answer("/ok.csv", 200)
    return link_site.base


@pytest.mark.usefixtures("with_test_worker")
def test_link_check_job_records_answers_and_feeds_permanent(org, sysadmin, web):
    created = create(org, sysadmin, name="linked", private=True, resources=[
        {"name": "ok", "url": f"{web}/ok.csv", "format": "CSV"},
        {"name": "gone", "url": f"{web}/gone.csv", "format": "CSV"}])
    # creating resources queued a real job; run the queue as a worker would
    jobs.Worker(["default"]).work(burst=True)
    checks = model.Session.query(LinkCheck).filter_by(package_id=created["id"]).all()
    assert sorted(c.ok for c in checks) == [False, True]
    permanent = {p["key"]: p for p in call_action(
        "opendata_th_properties_show", id="linked")["properties"]}["permanent"]
    assert permanent["status"] == "not_met"


def test_overdue_command_lists_and_remind_mails_once(org, sysadmin, ckan_config, mail_server):
    create(org, sysadmin, name="late", update_frequency_unit="เดือน",
           update_frequency_interval="1", last_updated_date=yesterday_minus(90),
           maintainer_email="owner@agency.example")
    create(org, sysadmin, name="fresh", update_frequency_unit="ปี",
           update_frequency_interval="1", last_updated_date=yesterday_minus(1))
    runner = CliRunner()
    listed = runner.invoke(ckan_cli, ["-c", ckan_config["__file__"], "opendata-th",
                                      "overdue", "--org", "trade-institute"])
    assert listed.exit_code == 0, listed.output
    assert "late" in listed.output and "fresh" not in listed.output

    first = runner.invoke(ckan_cli, ["-c", ckan_config["__file__"], "opendata-th", "remind"])
    assert first.exit_code == 0, first.output
    assert "sent\tlate" in first.output
    messages = mail_server.get_smtp_messages()
    assert len(messages) == 1
    assert messages[0][2] == ["owner@agency.example"]
    second = runner.invoke(ckan_cli, ["-c", ckan_config["__file__"], "opendata-th", "remind"])
    assert "already reminded\tlate" in second.output
    assert len(mail_server.get_smtp_messages()) == 1
    assert model.Session.query(Reminder).count() == 1


def test_overdue_command_unknown_org_is_a_clear_error(ckan_config):
    result = CliRunner().invoke(ckan_cli, ["-c", ckan_config["__file__"], "opendata-th",
                                           "overdue", "--org", "no-such-org"])
    assert result.exit_code != 0
    assert "Organization not found" in result.output and "ไม่พบหน่วยงาน" in result.output


def test_live_link_check_is_a_post_action_that_needs_edit_rights(org, sysadmin, web, app):
    create(org, sysadmin, name="checked-now", resources=[
        {"name": "ok", "url": f"{web}/ok.csv", "format": "CSV"}])
    before = model.Session.query(LinkCheck).count()
    # a GET never checks links or writes
    shown = app.get("/api/3/action/opendata_th_properties_show",
                    query_string={"id": "checked-now", "check_links": "true"})
    assert shown.status_code == 200
    assert app.get("/api/3/action/opendata_th_link_check",
                   query_string={"id": "checked-now"}).status_code == 400
    assert model.Session.query(LinkCheck).count() == before
    # anonymous and a member of another organization may not run it
    assert app.post("/api/3/action/opendata_th_link_check",
                    json={"id": "checked-now"}).status_code == 403
    stranger = factories.UserWithToken()
    factories.Organization(users=[{"name": stranger["name"], "capacity": "admin"}])
    assert app.post("/api/3/action/opendata_th_link_check", json={"id": "checked-now"},
                    headers={"Authorization": stranger["token"]}).status_code == 403
    assert model.Session.query(LinkCheck).count() == before
    result = call_action("opendata_th_link_check", {"user": sysadmin["name"]}, id="checked-now")
    assert [(c["ok"], c["status_code"]) for c in result["checks"]] == [(True, 200)]
    permanent = {p["key"]: p for p in result["properties"]["properties"]}["permanent"]
    assert permanent["status"] == "met"
    assert model.Session.query(LinkCheck).count() == before + 1


def test_search_results_are_annotated_with_a_fixed_number_of_queries(org, sysadmin):
    import sqlalchemy as sa

    for number in range(12):
        created = create(org, sysadmin, name=f"linked-{number:02d}", resources=[
            national_resource(url=f"https://agency.example/{number}.csv")])
        model.Session.add(LinkCheck(package_id=created["id"], resource_id=created["resources"][0]["id"],
                                    url=created["resources"][0]["url"], ok=True, status_code=200))
    model.Session.commit()
    import ckan.lib.search as search
    search.rebuild()

    def statements_for(rows):
        executed = []
        listener = lambda *args, **kwargs: executed.append(1)  # noqa: E731
        sa.event.listen(model.meta.engine, "before_cursor_execute", listener)
        try:
            result = call_action("package_search", q="*:*", rows=rows)
        finally:
            sa.event.remove(model.meta.engine, "before_cursor_execute", listener)
        assert len(result["results"]) == rows
        return len(executed), result

    few, _ = statements_for(2)
    many, result = statements_for(12)
    assert few == many
    # each result carries the score and statuses of package_show's assessment
    # (the evidence and advice come with package_show), and the same schedule
    for found in result["results"]:
        shown = call_action("package_show", id=found["id"])
        assert found["opendata_properties"] == annotations.summary(shown["opendata_properties"])
        assert "evidence" not in found["opendata_properties"]["properties"][0]
        for key in ("opendata_schedule", "opendata_overdue", "opendata_due_date", "opendata_last_update"):
            assert found[key] == shown[key]
        permanent = {p["key"]: p["status"] for p in found["opendata_properties"]["properties"]}
        assert permanent["permanent"] == "met"  # the recorded check, read at indexing


def test_dataset_page_shows_one_last_update_in_bangkok_time(org, sysadmin, app):
    # the file changed at 20:30 UTC on 20 Nov: 03:30 on 21 Nov in Bangkok,
    # after the date the publisher declared (15 Jan)
    create(org, sysadmin, name="one-date", update_frequency_unit="เดือน",
           update_frequency_interval="1", last_updated_date="2026-01-15",
           resources=[national_resource(last_modified="2026-11-20T20:30:00")])
    shown = call_action("package_show", id="one-date")
    assert shown["opendata_last_update"] == {
        "date": "2026-11-21T03:30:00+07:00", "source": "file", "declared": "2026-01-15",
        "declared_stale": True, "latest_file": "2026-11-21T03:30:00+07:00"}
    assert shown["opendata_due_date"] == "2026-12-21"

    public = app.get("/dataset/one-date").body
    assert public.count("21 พ.ย. 2569 03:30 น.") >= 2  # the panel and the metadata table
    assert "จากไฟล์ที่อัปโหลดหรือลิงก์ที่แก้ไขล่าสุด" in public
    for other in ("20 พ.ย. 2569", "20:30 น."):
        assert other not in public  # no UTC date or clock time
    # the declared date appears only where the page says it is older than the upload
    assert public.count("15 ม.ค. 2569") == public.count("(15 ม.ค. 2569) เก่ากว่าไฟล์ที่อัปโหลดล่าสุด") == 1
    assert "21 ธ.ค. 2569" in public and "21 ธ.ค. 2569 " + "00:00" not in public  # a due date, no time

    token = factories.APIToken(user=sysadmin["name"])["token"]
    editor = app.get("/dataset/one-date", headers={"Authorization": token}).body
    assert "วันที่ปรับปรุงข้อมูลล่าสุดที่กรอกไว้ (15 ม.ค. 2569) เก่ากว่าไฟล์ที่อัปโหลดล่าสุด" in editor
    english = app.get("/en/dataset/one-date").body
    assert "21 Nov 2026 03:30" in english and "21 Dec 2026" in english


@pytest.mark.ckan_config("ckan.display_timezone", "UTC")
def test_times_are_shown_in_the_configured_display_timezone(org, sysadmin, app):
    create(org, sysadmin, name="utc-shown", update_frequency_unit="เดือน",
           update_frequency_interval="1", last_updated_date="2026-01-15",
           resources=[national_resource(last_modified="2026-11-20T20:30:00")])
    body = app.get("/dataset/utc-shown").body
    assert "20 พ.ย. 2569 20:30 น." in body and "03:30 น." not in body
    # due dates stay on Bangkok's calendar: the upload is on 21 Nov in Bangkok
    assert "21 ธ.ค. 2569" in body


def test_check_links_button_runs_the_check_for_editors_only(org, web, app):
    editor, stranger = factories.UserWithToken(), factories.UserWithToken()
    call_action("organization_member_create", id=org["id"], username=editor["name"], role="editor")
    factories.Organization(users=[{"name": stranger["name"], "capacity": "admin"}])
    created = create_dataset( {"user": editor["name"]}, **national_dataset(
        owner_org=org["id"], name="button", resources=[
            {"name": "ok", "url": f"{web}/ok.csv", "format": "CSV"},
            {"name": "gone", "url": f"{web}/gone.csv", "format": "CSV"}]))
    url = "/dataset/button/opendata-th/check-links"

    session = Browser(app, editor)
    page = session.get("/dataset/button")
    assert "ตรวจสอบลิงก์ตอนนี้" in page.get_data(as_text=True)
    assert session.client.post(url).status_code == 400  # no CSRF token
    assert model.Session.query(LinkCheck).count() == 0
    done = session.submit(page, url, {}, follow_redirects=True)
    assert done.status_code == 200
    assert "ลิงก์ 1 จาก 2 รายการเข้าถึงไม่ได้" in done.get_data(as_text=True)
    checks = model.Session.query(LinkCheck).filter_by(package_id=created["id"]).all()
    assert sorted((c.url.rsplit("/", 1)[1], c.ok) for c in checks) == [("gone.csv", False), ("ok.csv", True)]

    other = Browser(app, stranger)
    other_page = other.get("/dataset/button")
    assert "ตรวจสอบลิงก์ตอนนี้" not in other_page.get_data(as_text=True)
    assert other.submit(other_page, url, {}).status_code == 403
    assert model.Session.query(LinkCheck).count() == 2


def stage_facet(response):
    """The stage facet on a search page: (its heading, {stage: the text shown})."""
    from bs4 import BeautifulSoup

    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    links = page.select("a[href*='opendata_stage=']")
    if not links:
        return None, {}
    heading = links[0].find_parent("section").find(class_="module-heading").get_text(" ", strip=True)
    return heading, {re.search(r"opendata_stage=([a-z_]+)", link["href"]).group(1):
                     link.get_text(" ", strip=True) for link in links}


def test_stage_facet_labels_in_thai_and_english_and_only_published_for_anonymous(org, sysadmin, app):
    create(org, sysadmin, name="out-now")  # published (approved)
    create(org, sysadmin, name="waiting", private=True)  # a candidate
    member = factories.UserWithToken()
    call_action("organization_member_create", {"user": sysadmin["name"]}, id=org["id"],
                username=member["name"], role="member")

    heading, shown = stage_facet(app.get("/dataset/"))
    assert heading == "ขั้นตอน"
    assert list(shown) == ["published"] and "เผยแพร่แล้ว" in shown["published"]
    heading, shown = stage_facet(app.get("/en/dataset/"))
    assert heading == "Stage"
    assert list(shown) == ["published"] and "Published" in shown["published"]
    assert "/dataset/waiting" not in app.get("/dataset/", query_string={"opendata_stage": "candidate"}).body

    _heading, shown = stage_facet(Browser(app, member).get("/dataset/"))
    assert set(shown) == {"published", "candidate"}
    assert "สำรวจแล้ว" in shown["candidate"] and "เผยแพร่แล้ว" in shown["published"]
    _heading, shown = stage_facet(Browser(app, member, lang="en").get("/dataset/"))
    assert "Candidate" in shown["candidate"] and "Published" in shown["published"]
    filtered = Browser(app, member).get("/dataset/", query_string={"opendata_stage": "candidate"})
    body = filtered.get_data(as_text=True)
    assert "/dataset/waiting" in body and "/dataset/out-now" not in body
