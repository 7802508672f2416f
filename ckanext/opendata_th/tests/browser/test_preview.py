"""The public looks at a Thai table before downloading it: a publisher's
cp874 CSV, loaded into the DataStore by xloader's real job, shows on the
resource page (in Thai, the portal's default) as a table with its Thai
header and rows."""
from __future__ import annotations

import requests
import pytest
from playwright.sync_api import expect

from ckanext.opendata_th.tests.test_previews import (  # noqa: F401 (fixtures)
    THAI_ROWS, csv_text, publisher, run_queued_jobs, xloader_token)

pytestmark = [pytest.mark.browser,
              pytest.mark.usefixtures("with_plugins", "clean_db", "clean_queues")]


@pytest.fixture
def uploaded(base_url, ckan_config, tmp_path, xloader_token, publisher,  # noqa: F811
             create_dataset):
    """A public dataset with a cp874 CSV uploaded by a publisher, loaded."""
    ckan_config["ckan.storage_path"] = str(tmp_path)
    dataset = create_dataset(resources=[])
    resource = upload(base_url, publisher, dataset, "จำนวนผู้ส่งออกรายจังหวัด", "CSV",
                      ("exporters.csv", csv_text(THAI_ROWS).encode("cp874")))
    run_queued_jobs()
    return resource


def upload(base_url, user, dataset, name, format_, file):
    """resource_create of an uploaded ``file`` (name, bytes) by ``user``,
    over HTTP (multipart, with the user's API token)."""
    answer = requests.post(
        f"{base_url}/api/3/action/resource_create",
        headers={"Authorization": user["token"]},
        data={"package_id": dataset["id"], "name": name, "format": format_},
        files={"upload": file}, timeout=30)
    assert answer.status_code == 200, answer.text
    return answer.json()["result"]


def test_the_resource_page_in_thai_shows_the_table_with_its_thai_header_and_rows(
        page, base_url, uploaded):
    page.goto(f"{base_url}/dataset/{uploaded['package_id']}/resource/{uploaded['id']}")
    expect(page.locator("html")).to_have_attribute("lang", "th")

    preview = page.frame_locator("iframe").first
    for column in THAI_ROWS[0]:  # DataTables shows the header in a copy of its own
        expect(preview.get_by_role("columnheader", name=column).first).to_be_visible()
    body = preview.locator("table#dtprv tbody")
    expect(body.locator("tr")).to_have_count(len(THAI_ROWS) - 1)
    for row in THAI_ROWS[1:]:
        expect(body).to_contain_text(row[1])
    expect(body).to_contain_text("ข้อมูล “เบื้องต้น”")  # cp874's curly quotes came out right


def test_a_pdf_is_shown_on_its_resource_page_with_a_thai_download_link(
        page, base_url, ckan_config, tmp_path, xloader_token, publisher,  # noqa: F811
        create_dataset):
    from ckanext.opendata_th.tests.test_previews import PDF

    ckan_config["ckan.storage_path"] = str(tmp_path)
    dataset = create_dataset(resources=[])
    resource = upload(base_url, publisher, dataset, "รายงานประจำปี", "PDF", ("report.pdf", PDF))

    page.goto(f"{base_url}/dataset/{dataset['id']}/resource/{resource['id']}")

    pdf = page.locator(".opendata-th-pdf-view object[type='application/pdf']")
    expect(pdf).to_have_attribute("data", resource["url"])
    expect(pdf).to_be_visible()
    expect(page.locator(".opendata-th-pdf-view a", has_text="ดาวน์โหลดไฟล์ PDF")).to_have_attribute(
        "href", resource["url"])
