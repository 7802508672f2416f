"""Data previews: files uploaded to CKAN's storage are loaded into the
DataStore by ckanext-xloader's real job (run by a real RQ worker, which
downloads the file from the real CKAN app served over HTTP and reports back
to it), and get a table preview (datatables_view); PDF files get the PDF
view. Thai text comes out exactly, whether the file is UTF-8, UTF-8 with a
BOM, Windows-874 (cp874) or an Excel workbook; private data stays private;
a broken file ends in an error status, never in a broken page."""
from __future__ import annotations

import csv
import io
import threading
from pathlib import Path

import pytest
import requests
import rq
from werkzeug.serving import make_server

import ckan.plugins.toolkit as tk
from ckan.lib import jobs
from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.opendata_th.tests.web import QuietRequestHandler

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_queues")

SAMPLES = Path(__file__).resolve().parents[4] / "shared" / "samples"
THAI_ROWS = [
    ["ปีงบประมาณ", "จังหวัด", "จำนวนผู้ส่งออก", "หมายเหตุ"],
    ["2567", "เชียงใหม่", "1520", "ข้อมูล “เบื้องต้น”"],
    ["2567", "น่าน", "87", "ปี 2566–2567"],
    ["2568", "กรุงเทพมหานคร", "12034", ""],
]


def csv_text(rows) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


@pytest.fixture
def site(ckan_config, make_app, tmp_path):
    """The real CKAN app served over HTTP from a thread (xloader's job
    downloads files from it and reports to it), its uploads in a temp dir."""
    jobs.get_queue()  # see base_url in conftest.py: the queue made in this thread
    ckan_config["ckan.storage_path"] = str(tmp_path)
    server = make_server("127.0.0.1", 0, None, threaded=True, request_handler=QuietRequestHandler)
    url = f"http://127.0.0.1:{server.server_port}"
    ckan_config["ckan.site_url"] = url
    server.app = make_app().app
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield url
    server.shutdown()
    server.server_close()
    thread.join(10)


@pytest.fixture
def xloader_token(ckan_config, sysadmin):
    """The API token xloader's jobs use (a sysadmin's, as in production)."""
    token = call_action("api_token_create", {"user": sysadmin["name"]},
                        user=sysadmin["name"], name="xloader")["token"]
    ckan_config["ckanext.xloader.api_token"] = token
    return token


@pytest.fixture
def publisher(org):
    """An editor of ``org`` with an API token."""
    user = factories.User()
    call_action("organization_member_create", id=org["id"], username=user["name"], role="editor")
    token = call_action("api_token_create", {"user": user["name"]}, user=user["name"],
                        name="publishing")["token"]
    return {**user, "token": token}


@pytest.fixture
def upload(site, xloader_token, publisher, create_dataset):
    """``upload(filename, content, format, **dataset_fields)``: a new dataset
    with one uploaded file, as a publisher does through the API; then every
    queued job run. The resource as it is after the jobs."""

    def upload_file(filename: str, content: bytes, file_format: str, **dataset_fields):
        dataset = create_dataset(resources=[], **dataset_fields)
        answer = requests.post(
            f"{site}/api/3/action/resource_create",
            headers={"Authorization": publisher["token"]},
            data={"package_id": dataset["id"], "name": "ข้อมูลตัวอย่าง", "format": file_format},
            files={"upload": (filename, content)},
            timeout=30)
        assert answer.status_code == 200, answer.text
        resource = answer.json()["result"]
        assert resource["url_type"] == "upload"
        run_queued_jobs()
        return call_action("resource_show", id=resource["id"])

    return upload_file


class InProcessWorker(jobs.Worker):
    """CKAN's RQ worker, running each job in this process: a forked work
    horse would inherit the locks that the thread serving CKAN held at the
    fork, and hang."""

    def execute_job(self, job, queue):
        return rq.SimpleWorker.execute_job(self, job, queue)


def run_queued_jobs():
    """Run every queued job (xloader's load, the link check) with a real
    worker, until none is left."""
    for _ in range(3):  # a job may queue another one (xloader retries)
        if not jobs.get_queue().count:
            return
        InProcessWorker(["default"]).work(burst=True)


def table_of(resource_id, context=None):
    """The DataStore's columns and rows of a resource, as text."""
    found = call_action("datastore_search", context or {}, resource_id=resource_id, limit=1000,
                        sort="_id")
    columns = [f["id"] for f in found["fields"] if f["id"] != "_id"]
    return [columns] + [[_text(record[c]) for c in columns] for record in found["records"]]


def _text(value):
    return "" if value is None else str(value)


def view_types(resource_id):
    return [v["view_type"] for v in call_action("resource_view_list", id=resource_id)]


# -- Thai tables come out exactly ------------------------------------------------

def test_a_utf8_thai_csv_is_loaded_exactly_and_gets_a_table_preview(upload):
    resource = upload("exporters.csv", csv_text(THAI_ROWS).encode("utf-8"), "CSV")

    assert resource["datastore_active"] is True
    assert table_of(resource["id"]) == THAI_ROWS  # Thai headers stay Thai
    assert "datatables_view" in view_types(resource["id"])
    assert call_action("xloader_status", resource_id=resource["id"])["status"] == "complete"


def test_a_utf8_csv_with_a_byte_order_mark_keeps_its_first_header_clean(upload):
    resource = upload("exporters.csv", csv_text(THAI_ROWS).encode("utf-8-sig"), "CSV")

    assert table_of(resource["id"]) == THAI_ROWS


def test_a_cp874_csv_with_excel_quotes_and_dashes_comes_out_as_thai(upload):
    content = csv_text(THAI_ROWS).encode("cp874")
    with pytest.raises(UnicodeDecodeError):
        content.decode("utf-8")

    resource = upload("exporters-windows.csv", content, "CSV")

    assert table_of(resource["id"]) == THAI_ROWS  # “เบื้องต้น” and 2566–2567 included
    assert "datatables_view" in view_types(resource["id"])


def test_a_real_cp874_file_with_sparse_thai_comes_out_as_thai(upload):
    """The sample of the tambon register, saved by Thai Windows: 300 rows,
    Thai in a third of the columns."""
    text = (SAMPLES / "tambon_latlong_first300.csv").read_text(encoding="utf-8-sig")
    expected = list(csv.reader(io.StringIO(text)))

    resource = upload("tambon.csv", text.encode("cp874"), "CSV")

    assert table_of(resource["id"]) == expected
    assert len(expected) == 301


def test_a_thai_xlsx_workbook_is_loaded_with_its_thai_headers(upload):
    import openpyxl  # a test tool (dev-requirements.txt): its absence is a failure
    book = openpyxl.Workbook()
    for row in THAI_ROWS:
        book.active.append(row)
    content = io.BytesIO()
    book.save(content)

    resource = upload("exporters.xlsx", content.getvalue(), "XLSX")

    assert table_of(resource["id"]) == THAI_ROWS
    assert "datatables_view" in view_types(resource["id"])


# -- PDF ------------------------------------------------------------------------

PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
       b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


def test_a_pdf_gets_the_pdf_view_shown_in_its_resource_page(upload, site):
    resource = upload("report.pdf", PDF, "PDF")

    assert view_types(resource["id"]) == ["opendata_th_pdf_view"]
    assert not resource.get("datastore_active")
    page = requests.get(f"{site}/dataset/{resource['package_id']}/resource/{resource['id']}",
                        timeout=30)
    assert page.status_code == 200
    assert f'data="{resource["url"]}" type="application/pdf"' in page.text
    assert "ดาวน์โหลดไฟล์ PDF" in page.text  # the fallback link, in Thai
    assert requests.get(resource["url"], timeout=30).content == PDF


def test_an_image_gets_the_image_view(create_dataset):
    dataset = create_dataset(resources=[
        {"name": "แผนที่", "url": "https://agency.example/map.png", "format": "PNG"}])

    assert view_types(dataset["resources"][0]["id"]) == ["image_view"]


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:application/pdf;base64,JVBERi0="])
def test_a_pdf_link_that_is_not_a_web_address_gets_no_view(create_dataset, url):
    dataset = create_dataset(resources=[{"name": "รายงาน", "url": url, "format": "PDF"}])

    assert view_types(dataset["resources"][0]["id"]) == []


# -- private data stays private -------------------------------------------------

def test_the_rows_of_a_private_dataset_are_not_readable_by_the_public_or_another_agency(
        upload, publisher):
    resource = upload("exporters.csv", csv_text(THAI_ROWS).encode("utf-8"), "CSV", private=True)
    # call_action skips auth checks unless told not to
    assert table_of(resource["id"], {"user": publisher["name"], "ignore_auth": False}) == THAI_ROWS

    other_admin = factories.User()
    factories.Organization(users=[{"name": other_admin["name"], "capacity": "admin"}])
    for user in ("", other_admin["name"]):
        with pytest.raises(tk.NotAuthorized):
            call_action("datastore_search", {"user": user, "ignore_auth": False},
                        resource_id=resource["id"])
    # and no SQL door around the check: datastore_search_sql stays off
    with pytest.raises(KeyError):
        tk.get_action("datastore_search_sql")


def test_the_private_rows_are_not_served_to_an_anonymous_visitor_over_http(upload, site):
    resource = upload("exporters.csv", csv_text(THAI_ROWS).encode("utf-8"), "CSV", private=True)

    search = requests.get(f"{site}/api/3/action/datastore_search",
                          params={"resource_id": resource["id"]}, timeout=30)
    dump = requests.get(f"{site}/datastore/dump/{resource['id']}", timeout=30)

    assert search.status_code == 403
    assert dump.status_code in (403, 404)
    assert "เชียงใหม่" not in search.text + dump.text


# -- a broken file ---------------------------------------------------------------

def test_a_broken_file_ends_in_an_error_status_and_the_pages_still_work(upload, site, publisher):
    broken = b"\x00\x01PK\x03\x04" + bytes(range(256)) * 40  # binary, named .csv

    resource = upload("exporters.csv", broken, "CSV")

    status = call_action("xloader_status", resource_id=resource["id"])
    assert status["status"] == "error"
    assert status["task_info"]["error"]
    assert not resource.get("datastore_active")
    assert "datatables_view" not in view_types(resource["id"])
    resource_page = f"{site}/dataset/{resource['package_id']}/resource/{resource['id']}"
    anonymous = requests.get(resource_page, timeout=30)
    assert anonymous.status_code == 200
    assert "ไม่สามารถนำเข้าข้อมูลสู่ DataStore" in anonymous.text  # the badge's description
    data_page = requests.get(
        f"{site}/dataset/{resource['package_id']}/resource_data/{resource['id']}",
        headers={"Authorization": publisher["token"]}, timeout=30)
    assert data_page.status_code == 200
