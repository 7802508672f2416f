"""Converting a resource's PDF or workbook to CSV inside CKAN (issue 13,
point 3): an editor asks for it, CKAN's worker (on Redis) converts the
file, the editor reviews each CSV on the review page and adds it to the
dataset as a new uploaded resource or discards it. Nothing reaches the
dataset before that choice, and nobody but the dataset's editors sees a
conversion. Real files: XLSX written with openpyxl, PDFs drawn with fpdf2
in a Thai font, served by a local web server."""
from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest
from bs4 import BeautifulSoup

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.lib import jobs
from ckan.tests.helpers import call_action

from ckanext.opendata_th.jobs import conversion as conversion_jobs
from ckanext.opendata_th.model.conversion import Conversion
from ckanext.opendata_th.model.quality import QualityReport
from ckanext.opendata_th.tests.datasets import create_dataset, national_dataset, national_resource
from ckanext.opendata_th.tests.quality.test_convert import (  # noqa: F401 (thai_font: a fixture)
    draw_table,
    new_pdf,
    thai_font,
)
from ckanext.opendata_th.tests.test_quality_reports import (  # noqa: F401 (fixtures)
    file_site,
    org,
    people,
)
from ckanext.opendata_th.tests.web import Browser

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_queues", "with_test_worker",
                                     "storage")

EXPORTERS = [["ปี", "จังหวัด", "จำนวนผู้ส่งออก"]] + [
    ["2567", province, str(count)] for province, count in
    [("เชียงใหม่", 1520), ("น่าน", 87), ("กรุงเทพมหานคร", 12034), ("ขอนแก่น", 310)] * 6]
"""24 data rows: the review page shows the first 20."""
CODES = [["รหัสจังหวัด", "มูลค่า"], ["010", "1250.5"], ["050", "980"]]
PDF_ROWS = [["ลำดับ", "จังหวัด", "จำนวน (คน)"], ["1", "เชียงใหม่", "1,007"], ["2", "น่าน", "2,007"]]


@pytest.fixture
def storage():
    """Where the portal keeps files (uploads and kept CSVs): the configured
    ``ckan.storage_path`` (each test worker has its own, set by
    scripts/devstack.py through CKAN_STORAGE_PATH, which CKAN applies over
    the config whenever it loads it)."""
    return Path(tk.config["ckan.storage_path"])


def workbook() -> bytes:
    book = openpyxl.Workbook()
    exporters = book.active
    exporters.title = "ผู้ส่งออก"
    for cells in EXPORTERS:
        exporters.append([int(c) if c.isdigit() and c == str(int(c)) else c for c in cells])
    codes = book.create_sheet("รหัส")
    codes.append(CODES[0])
    codes.append(["010", 1250.5])  # a code typed as text, a number
    codes.append(["050", 980])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def pdf_file(font: Path) -> bytes:
    """A page of text, then a ruled table of Thai text (as test_convert draws it)."""
    pdf = new_pdf(font)
    pdf.add_page()
    pdf.cell(text="รายงานจำนวนผู้ใช้บริการ")
    pdf.ln(12)
    draw_table(pdf, PDF_ROWS)
    return bytes(pdf.output())


def new_dataset(org, people, url, file_format, name, private=True):
    dataset = create_dataset({"user": people.admin["name"]}, **national_dataset(
        owner_org=org["id"], name=name, private=private,
        resources=[national_resource(url=url, format=file_format, name="สถิติการส่งออก 2567")]))
    jobs.get_queue().empty()  # the quality checks of the new file are not what these tests test
    return dataset


def as_user(user):
    return {"user": user["name"] if user else "", "ignore_auth": False}


def run_jobs():
    jobs.Worker(["default"]).work(burst=True)
    model.Session.remove()


def convert(dataset, user):
    queued = call_action("opendata_th_resource_convert", as_user(user),
                         resource_id=dataset["resources"][0]["id"])
    run_jobs()
    return call_action("opendata_th_conversion_show", as_user(user), id=queued["id"])


def signed_in(user) -> dict[str, str]:
    """Request headers of a signed-in user: the API token, which CKAN takes
    for pages too (and which needs no CSRF token). Quicker than the login
    form; the CSRF tests use the form (tests/web.py Browser)."""
    return {"Authorization": user["token"]} if user else {}


def read_csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def test_an_editor_converts_a_workbook_reviews_its_csvs_and_adds_one(org, people, file_site, app, storage):
    dataset = new_dataset(org, people, file_site.serve("/trade.xlsx", workbook()), "XLSX", "trade")
    queued = call_action("opendata_th_resource_convert", as_user(people.editor),
                         resource_id=dataset["resources"][0]["id"])
    assert queued["state"] == "queued" and queued["requested_by"] == people.editor["id"]
    assert Conversion.get(queued["id"]).requested_by == people.editor["id"]
    page_url = f"/dataset/trade/conversion/{queued['id']}"
    waiting = BeautifulSoup(app.get(page_url, headers=signed_in(people.editor)).get_data(as_text=True),
                            "html.parser")
    assert waiting.select_one("[data-conversion-waiting]") is not None
    run_jobs()

    shown = call_action("opendata_th_conversion_show", as_user(people.editor), id=queued["id"])
    assert shown["state"] == "done" and shown["problem"] is None and shown["finished_at"]
    exporters, codes = shown["files"]
    assert exporters["title"] == "สถิติการส่งออก 2567 — ผู้ส่งออก"
    assert (exporters["sheet"], exporters["row_count"], exporters["header"]) == ("ผู้ส่งออก", 24, EXPORTERS[0])
    assert (codes["sheet"], codes["row_count"], codes["pages"]) == ("รหัส", 2, [])
    assert {exporters["state"], codes["state"]} == {"pending"}
    assert exporters["file_name"] != codes["file_name"] and exporters["file_name"].endswith(".csv")
    kept = conversion_jobs.folder_of(queued["id"])
    assert kept.parent == storage / "opendata_th" / "conversions"
    assert sorted(p.name for p in kept.iterdir()) == sorted([exporters["file_name"], codes["file_name"]])
    # nothing reaches the dataset before the review
    assert len(call_action("package_show", id=dataset["id"])["resources"]) == 1

    soup = BeautifulSoup(app.get(page_url, headers=signed_in(people.editor)).get_data(as_text=True),
                         "html.parser")
    card = soup.select_one(f'[data-file="{exporters["file_name"]}"]')
    assert "ผู้ส่งออก" in card.get_text() and "เพิ่มเป็นทรัพยากรใหม่" in card.get_text()
    preview = card.select_one("[data-preview]")
    assert [th.get_text() for th in preview.select("thead th")] == EXPORTERS[0]
    assert [[td.get_text() for td in tr.select("td")] for tr in preview.select("tbody tr")] == EXPORTERS[1:21]
    code_rows = soup.select_one(f'[data-file="{codes["file_name"]}"] [data-preview]').select("tbody tr")
    assert [[td.get_text() for td in tr.select("td")] for tr in code_rows] == CODES[1:]  # codes keep their zeros

    answer = app.post(f"{page_url}/accept", data={"file_name": exporters["file_name"]},
                      headers=signed_in(people.editor), follow_redirects=True)
    assert answer.status_code == 200
    assert "เพิ่ม “สถิติการส่งออก 2567 — ผู้ส่งออก” ในชุดข้อมูลเป็นทรัพยากรใหม่แล้ว" in answer.get_data(as_text=True)
    after = call_action("opendata_th_conversion_show", as_user(people.editor), id=queued["id"])
    assert [f["state"] for f in after["files"]] == ["added", "pending"]

    resources = call_action("package_show", id=dataset["id"])["resources"]
    assert len(resources) == 2
    added = resources[1]
    assert added["id"] == after["files"][0]["resource_id"]
    assert added["name"] == "สถิติการส่งออก 2567 — ผู้ส่งออก" and added["format"] == "CSV"
    assert added["url_type"] == "upload" and added["url"].endswith("/" + exporters["file_name"])
    assert "สถิติการส่งออก 2567" in added["description"] and "ผู้ส่งออก" in added["description"]
    download = app.get(f"/dataset/{dataset['id']}/resource/{added['id']}/download/{exporters['file_name']}",
                       headers=signed_in(people.editor))
    assert download.status_code == 200
    assert read_csv(download.get_data().decode("utf-8")) == EXPORTERS
    assert sorted(p.name for p in kept.iterdir()) == [codes["file_name"]]  # kept until chosen


def test_each_csv_is_added_or_discarded_once(org, people, file_site, app, storage):
    dataset = new_dataset(org, people, file_site.serve("/trade.xlsx", workbook()), "XLSX", "choices")
    shown = convert(dataset, people.editor)
    exporters, codes = shown["files"]
    added = call_action("opendata_th_conversion_accept", as_user(people.editor), id=shown["id"],
                        file_name=exporters["file_name"])
    discarded = call_action("opendata_th_conversion_discard", as_user(people.editor), id=shown["id"],
                            file_name=codes["file_name"])
    assert [f["state"] for f in discarded["files"]] == ["added", "discarded"]
    assert [f["resource_id"] for f in discarded["files"]] == [added["id"], None]
    assert not conversion_jobs.folder_of(shown["id"]).exists()  # removed once chosen
    # a choice is made once
    for action in ("opendata_th_conversion_accept", "opendata_th_conversion_discard"):
        for file in (exporters, codes):
            with pytest.raises(tk.ValidationError):
                call_action(action, as_user(people.editor), id=shown["id"], file_name=file["file_name"])
    with pytest.raises(tk.ValidationError):
        call_action("opendata_th_conversion_accept", as_user(people.editor), id=shown["id"],
                    file_name="no-such.csv")
    assert len(call_action("package_show", id=dataset["id"])["resources"]) == 2
    final = app.get(f"/dataset/choices/conversion/{shown['id']}", headers=signed_in(people.editor))
    final = BeautifulSoup(final.get_data(as_text=True), "html.parser")
    assert final.select_one(f'[data-added-resource="{added["id"]}"]') is not None
    assert final.select("[data-preview]") == [] and final.select("form[action$='/accept']") == []


def test_a_pdf_table_becomes_a_csv_whatever_format_the_resource_declares(
        org, people, file_site, thai_font):  # noqa: F811
    dataset = new_dataset(org, people, file_site.serve("/report", pdf_file(thai_font)), "XLSX", "report")

    shown = convert(dataset, people.editor)
    assert shown["state"] == "done", shown["problem"]
    [table] = shown["files"]
    assert table["title"] == "สถิติการส่งออก 2567 — ตารางที่ 1"
    assert (table["header"], table["row_count"], table["pages"], table["sheet"]) == (PDF_ROWS[0], 2, [1], None)
    created = call_action("opendata_th_conversion_accept", as_user(people.editor), id=shown["id"],
                          file_name=table["file_name"])
    assert "หน้า 1" in created["description"]
    stored = Path(tk.config["ckan.storage_path"], "resources", created["id"][:3], created["id"][3:6],
                  created["id"][6:])
    assert read_csv(stored.read_text("utf-8")) == PDF_ROWS


def test_a_file_that_cannot_be_converted_fails_with_the_reason(org, people, file_site, app):
    csv_as_pdf = new_dataset(org, people, file_site.serve("/data.pdf", b"a,b\n1,2\n"), "PDF", "csv-as-pdf")
    word = new_dataset(org, people, file_site.serve("/plan.xlsx", _zip({"word/document.xml": b"<w/>"})),
                       "XLSX", "word-as-xlsx")
    gone = new_dataset(org, people, file_site.serve("/gone.pdf", b"", status=404), "PDF", "gone")
    broken = new_dataset(org, people, file_site.serve("/broken.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"),
                         "PDF", "broken")

    for dataset in (csv_as_pdf, word):
        failed = convert(dataset, people.editor)
        assert failed["state"] == "failed" and failed["files"] == []
        assert "ไม่ใช่ PDF หรือสมุดงาน Excel" in failed["problem"]
    assert "404" in convert(gone, people.editor)["problem"]
    damaged = convert(broken, people.editor)
    assert damaged["state"] == "failed" and "PDF" in damaged["problem"] and "Traceback" not in damaged["problem"]
    english = app.get(f"/en/api/3/action/opendata_th_conversion_show?id={damaged['id']}",
                      headers={"Authorization": people.editor["token"]}).json["result"]
    assert english["problem"] == "This PDF is damaged and cannot be read."

    page = app.get(f"/dataset/csv-as-pdf/conversion/{convert(csv_as_pdf, people.editor)['id']}",
                   headers=signed_in(people.editor))
    problem = BeautifulSoup(page.get_data(as_text=True), "html.parser").select_one("[data-conversion-problem]")
    assert "แปลงไฟล์ไม่ได้" in problem.get_text() and "ไม่ใช่ PDF หรือสมุดงาน Excel" in problem.get_text()
    with pytest.raises(tk.ValidationError):  # a failed conversion has no CSV to add
        call_action("opendata_th_conversion_accept", as_user(people.editor), id=damaged["id"], file_name="x.csv")


def _zip(members: dict[str, bytes]) -> bytes:
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


REFUSALS = {403: "เฉพาะผู้แก้ไขชุดข้อมูลเท่านั้น", 404: "ไม่พบชุดข้อมูล"}


def test_only_the_dataset_editors_convert_see_and_choose(org, people, file_site, app):
    dataset = new_dataset(org, people, file_site.serve("/private.xlsx", workbook()), "XLSX", "private-one")
    resource_id = dataset["resources"][0]["id"]
    for user in (people.member, people.other_admin, None):
        with pytest.raises(tk.NotAuthorized):
            call_action("opendata_th_resource_convert", as_user(user), resource_id=resource_id)
    assert not Conversion.of_resource(resource_id)
    shown = convert(dataset, people.admin)  # an organization admin may, as an editor
    file_name = shown["files"][0]["file_name"]
    for user in (people.member, people.other_admin, None):
        for action, fields in (("opendata_th_conversion_show", {}),
                               ("opendata_th_conversion_accept", {"file_name": file_name}),
                               ("opendata_th_conversion_discard", {"file_name": file_name})):
            with pytest.raises(tk.NotAuthorized):
                call_action(action, as_user(user), id=shown["id"], **fields)
    assert call_action("opendata_th_conversion_show", as_user(people.editor), id=shown["id"])["files"][0]["state"] \
        == "pending"

    page_url = f"/dataset/private-one/conversion/{shown['id']}"
    for user, status in ((people.member, 403), (people.other_admin, 404)):
        page = app.get(page_url, headers=signed_in(user))
        assert page.status_code == status
        assert "ผู้ส่งออก" not in page.get_data(as_text=True)  # no title, no row of the CSV
        assert REFUSALS[status] in page.get_data(as_text=True)  # the refusal in Thai
        for url in (f"{page_url}/accept", f"{page_url}/discard"):
            assert app.post(url, data={"file_name": file_name}, headers=signed_in(user)).status_code == status
        assert app.post(f"/dataset/private-one/resource/{resource_id}/convert",
                        headers=signed_in(user)).status_code == status
    anonymous = Browser(app)  # with the CSRF token of its pages
    page = anonymous.get(page_url)
    assert page.status_code == 404 and "ผู้ส่งออก" not in page.get_data(as_text=True)
    assert REFUSALS[404] in page.get_data(as_text=True)
    home = anonymous.get("/dataset")
    for url in (f"{page_url}/accept", f"{page_url}/discard", f"/dataset/private-one/resource/{resource_id}/convert"):
        assert anonymous.submit(home, url, {"file_name": file_name}).status_code == 404
    # a conversion is shown under its own dataset's address only
    other = new_dataset(org, people, file_site.serve("/other.xlsx", workbook()), "XLSX", "other-one")
    assert app.get(f"/dataset/{other['name']}/conversion/{shown['id']}",
                   headers=signed_in(people.editor)).status_code == 404
    assert len(call_action("package_show", id=dataset["id"])["resources"]) == 1
    with pytest.raises(tk.ObjectNotFound):
        call_action("opendata_th_conversion_show", as_user(people.editor), id="no-such-conversion")
    with pytest.raises(tk.ValidationError):
        call_action("opendata_th_conversion_show", as_user(people.editor))


def test_the_forms_need_the_csrf_token_and_the_button_queues_once(org, people, file_site, app):
    dataset = new_dataset(org, people, file_site.serve("/t.xlsx", workbook()), "XLSX", "csrf-one")
    resource_id = dataset["resources"][0]["id"]
    browser = Browser(app, people.editor)
    convert_url = f"/dataset/csrf-one/resource/{resource_id}/convert"
    assert browser.client.post(convert_url).status_code in (400, 403)
    assert not Conversion.of_resource(resource_id)

    page = browser.get(f"/dataset/csrf-one/resource/{resource_id}")
    answer = browser.submit(page, convert_url, {})
    assert answer.status_code == 302 and "/dataset/csrf-one/conversion/" in answer.headers["Location"]
    browser.submit(page, convert_url, {})  # pressed twice before the worker ran: one conversion
    [row] = Conversion.of_resource(resource_id)
    assert len(jobs.get_queue().jobs) == 1
    run_jobs()
    file_name = Conversion.get(row.id).files[0]["file_name"]
    review_url = f"/dataset/csrf-one/conversion/{row.id}"
    for choice in ("accept", "discard"):
        assert browser.client.post(f"{review_url}/{choice}", data={"file_name": file_name}).status_code \
            in (400, 403)
    assert Conversion.get(row.id).files[0]["state"] == "pending"
    answer = browser.submit(browser.get(review_url), f"{review_url}/discard", {"file_name": file_name},
                            follow_redirects=True)
    assert answer.status_code == 200 and "แล้ว" in answer.get_data(as_text=True)
    assert Conversion.get(row.id).files[0]["state"] == "discarded"


def test_the_review_page_in_thai_and_in_english(org, people, file_site, app):
    dataset = new_dataset(org, people, file_site.serve("/t.xlsx", workbook()), "XLSX", "languages")
    shown = convert(dataset, people.editor)
    url = f"/dataset/languages/conversion/{shown['id']}"
    thai = BeautifulSoup(app.get(url, headers=signed_in(people.editor)).get_data(as_text=True), "html.parser")
    text = thai.select_one(".opendata-th-conversion").get_text()
    for phrase in ("แปลงเป็น CSV", "รอการตรวจทาน", "แผ่นงาน", "ทิ้ง", "20 แถวแรก"):
        assert phrase in text, phrase
    english = BeautifulSoup(app.get(f"/en{url}", headers=signed_in(people.editor)).get_data(as_text=True),
                            "html.parser")
    text = english.select_one(".opendata-th-conversion").get_text()
    for phrase in ("Convert to CSV", "Waiting for your review", "Add as a new resource", "The first 20 rows"):
        assert phrase in text, phrase


def test_which_resources_offer_the_conversion(org, people, file_site, app):
    from ckanext.opendata_th.views.conversion import opendata_th_convertible

    assert opendata_th_convertible({"format": "pdf"}) and opendata_th_convertible({"format": ".XLS"})
    dataset = new_dataset(org, people, file_site.serve("/a.bin", b"x"), "CSV", "declared-csv")
    resource = dataset["resources"][0]
    assert not opendata_th_convertible(resource)
    model.Session.add(QualityReport(
        package_id=dataset["id"], resource_id=resource["id"], version="v1", state="unreadable",
        report={"readable": False, "error": {"code": "file.not_a_table", "message": {
            "id": "The file is a {format} file, not a data table", "params": {"format": "PDF"}}}}))
    model.Session.commit()
    assert opendata_th_convertible(resource)


def button(app, user, dataset, resource) -> BeautifulSoup:
    """The resource page's "Convert to CSV" snippet as ``user`` sees it."""
    with app.flask_app.test_request_context(headers=signed_in(user)):
        app.flask_app.preprocess_request()  # CKAN identifies the user
        html = tk.render_snippet("opendata_th/conversion/resource_button.html", {"pkg": dataset, "res": resource})
    return BeautifulSoup(html, "html.parser")


def test_the_convert_button_and_the_conversions_for_the_editors_only(org, people, file_site, app):
    from ckanext.opendata_th.views.conversion import opendata_th_conversions

    dataset = new_dataset(org, people, file_site.serve("/t.xlsx", workbook()), "XLSX", "button")
    resource = dataset["resources"][0]
    shown = convert(dataset, people.editor)
    snippet = button(app, people.editor, dataset, resource)
    form = snippet.select_one("#convert-to-csv form")
    assert form["action"] == f"/dataset/button/resource/{resource['id']}/convert"
    assert "แปลงเป็น CSV" in form.get_text()
    link = snippet.select_one(f'[data-conversion="{shown["id"]}"]')
    assert link.a["href"] == f"/dataset/button/conversion/{shown['id']}" and "2 ไฟล์ CSV" in link.get_text()
    assert not button(app, people.member, dataset, resource).select("#convert-to-csv")
    for user, count in ((people.editor, 1), (people.member, 0), (None, 0)):
        with app.flask_app.test_request_context(headers=signed_in(user)):
            app.flask_app.preprocess_request()
            assert len(opendata_th_conversions(resource["id"])) == count
    assert not button(app, people.editor, dataset, {**resource, "format": "CSV"}).select("#convert-to-csv")
