"""Data-quality reports inside CKAN (issue 13, point 2): a check of each
changed file is queued after the change is committed and run by CKAN's
worker on Redis; the report is kept, returned by
``opendata_th_quality_report_show``, shown on the resource and dataset
pages; a file with personal data recalls a published dataset."""
from __future__ import annotations

import http.server
import threading
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.lib import jobs
from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.opendata_th import workflow as workflow_glue
from ckanext.opendata_th.model.quality import QualityReport
from ckanext.opendata_th.model.workflow import WorkflowRecord
from ckanext.opendata_th.tests.datasets import create_dataset, national_dataset, national_resource
from ckanext.opendata_th.tests.web import Browser

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_queues", "with_test_worker")


def citizen_id(first12: str) -> str:
    """A 13-digit Thai citizen ID number with its valid check digit."""
    total = sum(int(d) * (13 - i) for i, d in enumerate(first12))
    return first12 + str((11 - total % 11) % 10)


PERSON_ID = citizen_id("110170012345")
TRADE_CSV = ("วันที่,จังหวัด,มูลค่า\n15/03/2567,10,1000\n16/03/2567,10,1200\n"
             "15/03/2567,10,1000\n").encode()
PEOPLE_CSV = f"ชื่อ,เลขประจำตัวประชาชน\nนาย สมชาย ใจดี,{PERSON_ID}\n".encode()


class FileSite:
    """A local web server serving files as told."""

    def __init__(self, url: str) -> None:
        self.base = url
        self.files: dict[str, tuple[int, bytes]] = {}

    def serve(self, path: str, body: bytes, status: int = 200) -> str:
        self.files[path] = (status, body)
        return self.base + path


@pytest.fixture
def file_site():
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            status, body = self.server.site.files.get(self.path, (404, b""))
            self.send_response(status)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            """Keep the request log out of the test output."""

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.site = FileSite(f"http://127.0.0.1:{server.server_port}")
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.site
    server.shutdown()
    server.server_close()


@pytest.fixture
def people():
    return SimpleNamespace(**{role: factories.UserWithToken()
                              for role in ("admin", "editor", "member", "other_admin")})


@pytest.fixture
def org(people):
    made = factories.Organization(name="quality-org", users=[
        {"name": people.admin["name"], "capacity": "admin"},
        {"name": people.editor["name"], "capacity": "editor"},
        {"name": people.member["name"], "capacity": "member"}])
    factories.Organization(users=[{"name": people.other_admin["name"], "capacity": "admin"}])
    return made


def new_dataset(org, people, url, **fields):
    fields.setdefault("private", True)
    return create_dataset({"user": people.admin["name"]}, **national_dataset(
        owner_org=org["id"], resources=[national_resource(url=url)], **fields))


def quality_jobs():
    return [job for job in jobs.get_queue().jobs if job.func_name.endswith(".check_resource")]


def run_jobs():
    jobs.Worker(["default"]).work(burst=True)
    model.Session.remove()


def report_of(dataset, user=None):
    context = {"user": user["name"] if user else "", "ignore_auth": False}
    return call_action("opendata_th_quality_report_show", context,
                       resource_id=dataset["resources"][0]["id"])


def test_a_new_file_is_checked_after_commit_and_its_report_kept(org, people, file_site):
    dataset = new_dataset(org, people, file_site.serve("/trade.csv", TRADE_CSV), name="trade")
    with pytest.raises(tk.ObjectNotFound):  # queued, not run yet
        report_of(dataset, people.admin)
    run_jobs()

    shown = report_of(dataset, people.member)
    assert shown["state"] == "checked" and shown["errors"] + shown["warnings"] >= 1
    assert shown["report"]["rows"] == 3 and shown["report"]["duplicate_rows"] == 1
    duplicate = next(f for f in shown["report"]["findings"] if f["code"] == "rows.duplicate")
    assert duplicate["examples"][0]["row"] == 4  # the header is row 1
    assert "ซ้ำ" in duplicate["text"]  # in the caller's language: Thai by default
    assert not shown["personal_data"] and shown["machine_readable"]


def test_a_metadata_edit_queues_no_check_and_a_new_file_does(org, people, file_site):
    dataset = new_dataset(org, people, file_site.serve("/v1.csv", TRADE_CSV), name="versions")
    run_jobs()
    call_action("package_patch", {"user": people.admin["name"]}, id=dataset["id"], title="ชื่อใหม่")
    assert not quality_jobs()
    call_action("resource_patch", {"user": people.admin["name"]}, id=dataset["resources"][0]["id"],
                url=file_site.serve("/v2.csv", b"a,b\n1,2\n"))
    run_jobs()
    assert report_of(dataset, people.admin)["report"]["rows"] == 1
    assert model.Session.query(QualityReport).filter_by(resource_id=dataset["resources"][0]["id"]).count() == 2


def test_a_file_with_personal_data_recalls_the_published_dataset(org, people, file_site):
    dataset = new_dataset(org, people, file_site.serve("/people.csv", PEOPLE_CSV), name="people",
                          private=False)
    assert call_action("package_show", id=dataset["id"])["private"] is False
    run_jobs()

    shown = report_of(dataset, people.admin)
    assert shown["personal_data"] and shown["errors"] >= 1
    assert PERSON_ID not in str(shown)  # never echoed
    after = call_action("package_show", id=dataset["id"])
    assert after["private"] is True
    record = model.Session.get(WorkflowRecord, dataset["id"])
    assert record.stage == "pending_approval"  # back to the approver
    history = call_action("opendata_th_workflow_history", id=dataset["id"])
    assert "พบข้อมูลส่วนบุคคล" in str(history)  # the reason, in Thai
    # and it cannot be sent for approval or approved again until the file is fixed
    [problem] = workflow_glue.quality_problems(dataset["id"])
    assert "personal data" in problem.render()
    assert not call_action("package_search", {"user": ""}, q="name:people")["count"]


def test_a_file_that_cannot_be_had_or_read_gets_a_plain_report(org, people, file_site, ckan_config,
                                                                monkeypatch):
    missing = new_dataset(org, people, file_site.serve("/gone.csv", b"", status=404), name="gone")
    pdf = new_dataset(org, people, file_site.serve("/report.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"),
                      name="pdf")
    monkeypatch.setitem(ckan_config, "ckanext.opendata_th.quality.max_download_mb", 1)
    big = new_dataset(org, people, file_site.serve("/big.csv", b"a,b\n" + b"1,2\n" * 600_000), name="big")
    run_jobs()

    gone = report_of(missing, people.admin)
    assert gone["state"] == "failed" and "404" in gone["problem"]
    unreadable = report_of(pdf, people.admin)
    assert unreadable["state"] == "unreadable" and unreadable["machine_readable"] is False
    assert "PDF" in unreadable["problem"]
    too_big = report_of(big, people.admin)
    assert too_big["state"] == "failed" and "1 MB" in too_big["problem"]


def test_only_those_who_see_the_dataset_see_its_report(org, people, file_site):
    dataset = new_dataset(org, people, file_site.serve("/private.csv", TRADE_CSV), name="private-one")
    run_jobs()
    assert report_of(dataset, people.member)["state"] == "checked"
    for user in (None, people.other_admin):
        with pytest.raises(tk.NotAuthorized):
            report_of(dataset, user)
    # asking for a new check: the dataset's editors only
    resource_id = dataset["resources"][0]["id"]
    for user in (people.member, people.other_admin):
        with pytest.raises(tk.NotAuthorized):
            call_action("opendata_th_quality_check", {"user": user["name"], "ignore_auth": False},
                        resource_id=resource_id)
    with pytest.raises(tk.NotAuthorized):
        call_action("opendata_th_quality_check", {"user": "", "ignore_auth": False}, resource_id=resource_id)
    assert call_action("opendata_th_quality_check", {"user": people.editor["name"], "ignore_auth": False},
                       resource_id=resource_id)["queued"]
    assert len(quality_jobs()) == 1
    with pytest.raises(tk.ValidationError):
        call_action("opendata_th_quality_check", {"user": people.editor["name"]})


def test_the_report_on_the_resource_and_dataset_pages_in_thai(org, people, file_site, app):
    dataset = new_dataset(org, people, file_site.serve("/trade.csv", TRADE_CSV), name="shown",
                          private=False)
    resource_id = dataset["resources"][0]["id"]
    run_jobs()
    url = f"/dataset/{dataset['name']}/resource/{resource_id}"

    anonymous = BeautifulSoup(app.get(url).get_data(as_text=True), "html.parser")
    panel = anonymous.select_one("#data-quality")
    assert "คุณภาพข้อมูล" in panel.get_text()
    assert panel.select_one('[data-finding="rows.duplicate"]') is not None
    assert panel.select_one("form") is None  # no button for a visitor
    summary = BeautifulSoup(app.get(f"/dataset/{dataset['name']}").get_data(as_text=True), "html.parser")
    assert summary.select_one(f'#data-quality-summary [data-resource="{resource_id}"]') is not None

    browser = Browser(app, people.editor)
    page = browser.get(url)
    answer = browser.submit(page, f"{url}/quality/check", {}, follow_redirects=True)
    assert answer.status_code == 200 and len(quality_jobs()) == 1
    assert browser.client.post(f"{url}/quality/check").status_code in (400, 403)  # no CSRF token
    english = BeautifulSoup(app.get(f"/en{url}").get_data(as_text=True), "html.parser")
    assert "Data quality" in english.select_one("#data-quality").get_text()


def test_every_worksheet_is_checked_and_the_page_says_where(org, people, file_site, app):
    import io

    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.active.title = "2567"
    for row in (["จังหวัด", "มูลค่า"], ["10", 5], ["20", 6]):
        workbook.active.append(row)
    later = workbook.create_sheet("2568")
    for row in (["จังหวัด", "มูลค่า"], ["10", 5], ["10", 5]):
        later.append(row)
    stream = io.BytesIO()
    workbook.save(stream)
    url = file_site.serve("/trade.xlsx", stream.getvalue())
    dataset = create_dataset({"user": people.admin["name"]}, **national_dataset(
        owner_org=org["id"], name="sheets", resources=[national_resource(url=url, format="XLSX")]))
    run_jobs()
    shown = report_of(dataset, people.member)
    assert shown["report"]["rows"] == 4 and shown["report"]["duplicate_rows"] == 1
    assert [column["sheet"] for column in shown["report"]["columns"]] == ["2567", "2567", "2568", "2568"]
    page = BeautifulSoup(app.get(f"/dataset/sheets/resource/{dataset['resources'][0]['id']}").get_data(
        as_text=True), "html.parser")
    where = page.select_one('#data-quality [data-finding="rows.duplicate"]').get_text(" ", strip=True)
    assert "“2568”" in where and "3" in where


@pytest.mark.usefixtures("with_extended_cli")
def test_the_command_queues_the_files_without_a_report(org, people, file_site, ckan_config):
    from click.testing import CliRunner

    from ckan.cli.cli import ckan as ckan_cli

    checked = new_dataset(org, people, file_site.serve("/a.csv", TRADE_CSV), name="checked")
    run_jobs()
    new_dataset(org, people, file_site.serve("/b.csv", TRADE_CSV), name="unchecked")
    jobs.get_queue().empty()  # as on a portal that had files before this feature

    def run(*args):
        result = CliRunner().invoke(ckan_cli, ["-c", ckan_config["__file__"], "opendata-th",
                                               "check-quality", *args])
        assert result.exit_code == 0, result.output
        return result.output

    assert "queued data-quality checks of 1 files (2 files in 2 datasets)" in run()
    [job] = quality_jobs()
    assert checked["resources"][0]["id"] not in job.meta["title"]
    jobs.get_queue().empty()
    assert "of 2 files" in run("--again")
    result = CliRunner().invoke(ckan_cli, ["-c", ckan_config["__file__"], "opendata-th", "check-quality",
                                           "--org", "no-such-org"])
    assert result.exit_code != 0
