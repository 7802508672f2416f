"""ckanext-harvest's pages in Thai.

ckanext-harvest ships no Thai catalog; CKAN merges every plugin's catalog
into one, so the msgids this extension's Thai catalog translates show in Thai
on ckanext-harvest's templates and in its flash and error messages too. Seen
by a sysadmin, the source list, the new and edit forms, a source's page, its
about and admin pages, its job list and a job's report read in Thai, with
none of their English labels left; under /en/ the form stays English.

What ckanext-harvest writes without gettext cannot be translated by a
catalog and is not asserted: "Source type" and the "Save" button of the
source form; the disabled "Reharvest" button, its tooltip and the "Stop"
button's tooltip while a job is new or running; an unfinished job's status
badge in the job list; the search page's facet titles ("Frequency", "Type").

ckanext-harvest is imported inside fixtures, never when the module is
collected (see tests/conftest.py). Nothing is fetched: the sources' URLs are
never read, and jobs are made "as run" directly in its model."""
from __future__ import annotations

import datetime as dt
import json
import re
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup

import ckan.model as model
from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.opendata_th.tests.web import Browser

PLUGINS = "opendata_th_search opendata_th activity scheming_datasets harvest opendata_th_harvester"

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.usefixtures("with_plugins", "clean_db_once"),
]

_made: dict[str, SimpleNamespace] = {}


def page(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def visible_text(response) -> str:
    """What a reader sees: the page's text, its tooltips and placeholders
    (title and placeholder attributes) and the texts of its confirmation
    dialogs (data-module-i18n), without scripts; white space collapsed."""
    soup = page(response)
    for hidden in soup(["script", "style"]):
        hidden.decompose()
    shown = [soup.get_text(" ", strip=True)]
    shown += [tag[attribute] for attribute in ("title", "placeholder")
              for tag in soup.find_all(attrs={attribute: True})]
    shown += [json.loads(tag["data-module-i18n"]).get("content", "")
              for tag in soup.find_all(attrs={"data-module-i18n": True})]
    return " ".join(" ".join(shown).split())


def assert_reads(response, shown: list[str], not_shown: list[str], status: int = 200) -> str:
    """The page answered ``status`` and shows every text of ``shown`` and
    none of ``not_shown``; returns its visible text."""
    assert response.status_code == status, response.status_code
    text = visible_text(response)
    missing = [label for label in shown if label not in text]
    left = [label for label in not_shown if label in text]
    assert not missing and not left, f"missing: {missing}; should not be there: {left}\n{text}"
    return text


@pytest.fixture
def site():
    """A sysadmin and an organization with four datagoth sources: one with
    no job; one whose job finished cleanly; one whose job finished with a
    gather error and a document (harvest object) error; one with a job not
    run yet (status New). Made once for the module (its database is cleaned
    before its first test only, see ``clean_db_once``): the tests only read
    these, and the one that asks for a reharvest is refused. Made again if
    the database was cleaned since (a test of another module ran between)."""
    made = _made.get("site")
    if made is None or model.User.get(made.sysadmin["id"]) is None:
        made = _made["site"] = _make_site()
    return made


def _make_site() -> SimpleNamespace:
    from ckanext.harvest.model import (HarvestGatherError, HarvestJob, HarvestObject,
                                       HarvestObjectError)

    sysadmin = factories.SysadminWithToken()
    org = factories.Organization(title="สำนักงานทดสอบเก็บเกี่ยว")
    context = {"user": sysadmin["name"]}

    def source(name: str, **fields) -> dict:
        return call_action("harvest_source_create", dict(context), name=f"source-{name}",
                           title=f"แหล่งทดสอบ {name}", url=f"http://catalog.example/{name}",
                           source_type="datagoth", owner_org=org["id"], **fields)

    def finished_job(source_dict: dict) -> HarvestJob:
        """A job of the source, not queued, then marked as run to its end."""
        made = call_action("harvest_job_create", dict(context), source_id=source_dict["id"],
                           run=False)
        job = HarvestJob.get(made["id"])
        now = dt.datetime.utcnow()
        job.gather_started = job.gather_finished = job.finished = now
        job.status = "Finished"
        job.save()
        return job

    idle = source("idle")
    clean = source("clean", notes="ชุดข้อมูลของกรมทดสอบจาก data.go.th")
    clean_job = finished_job(clean)
    failed = source("failed")
    failed_job = finished_job(failed)
    HarvestGatherError(message="remote catalog answered 500", job=failed_job).save()
    harvest_object = HarvestObject(guid="remote-dataset-1", job=failed_job,
                                   source=failed_job.source)
    harvest_object.save()
    HarvestObjectError(message="the remote dataset has no title", object=harvest_object,
                       stage="Import").save()
    waiting = source("waiting")
    new_job = call_action("harvest_job_create", dict(context), source_id=waiting["id"], run=False)
    return SimpleNamespace(sysadmin=sysadmin, org=org, idle=idle, clean=clean,
                           clean_job_id=clean_job.id, failed=failed, failed_job_id=failed_job.id,
                           waiting=waiting, new_job_id=new_job["id"])


@pytest.fixture
def browser(app, site):
    """The sysadmin's web session, in Thai (the portal's default locale)."""
    return Browser(app, site.sysadmin)


def test_the_source_list_reads_in_thai(site, browser):
    text = assert_reads(
        browser.get("/harvest"),
        shown=["แหล่งเก็บเกี่ยวข้อมูล", "เพิ่มแหล่งเก็บเกี่ยวข้อมูล", "ค้นหาแหล่งเก็บเกี่ยวข้อมูล...",
               site.clean["title"], "แหล่งเก็บเกี่ยวข้อมูลนี้ไม่มีคำอธิบาย"],
        not_shown=["Harvest Sources", "Harvest sources", "Add Harvest Source",
                   "Search harvest sources", "harvests found", "harvest found",
                   "There is no description"])
    assert re.search(r"พบ [\d,]+ แหล่งเก็บเกี่ยวข้อมูล", text)

    assert_reads(browser.get("/harvest?q=nothing-is-called-this"),
                 shown=['ไม่พบแหล่งเก็บเกี่ยวข้อมูลสำหรับ "nothing-is-called-this"'],
                 not_shown=["No harvests found", "harvests found"])


def test_the_new_source_form_reads_in_thai(browser):
    assert_reads(
        browser.get("/harvest/new"),
        shown=["สร้างแหล่งเก็บเกี่ยวข้อมูล", "แหล่งเก็บเกี่ยวข้อมูลใช้นำเข้าเมทาดาตาจากภายนอก",
               "ต้องมีส่วน http://", "การตั้งค่า", "ความถี่ของการปรับปรุงข้อมูล",
               "สั่งด้วยตนเอง", "รายเดือน", "รายสัปดาห์", "ทุก 2 สัปดาห์", "รายวัน",
               "ต่อเนื่องตลอดเวลา", "ชุดข้อมูลจาก data.go.th หรือ GD-Catalog ของหน่วยงาน"],
        not_shown=["Create Harvest Source", "Create harvest source", "Harvest sources allow",
                   "This should include the http://", "Configuration", "Update frequency",
                   "Manual", "Monthly", "Weekly", "Daily", "Always",
                   "Datasets of data.go.th", "No organization"])


def test_the_new_source_form_stays_english_under_en(app, site):
    english = Browser(app, site.sysadmin, lang="en")
    assert_reads(
        english.get("/harvest/new"),
        shown=["Create Harvest Source", "Harvest sources allow importing remote metadata",
               "This should include the http:// part of the URL", "Configuration",
               "Update frequency", "Manual", "Biweekly",
               "Datasets of data.go.th or of an agency's GD-Catalog"],
        not_shown=["แหล่งเก็บเกี่ยวข้อมูล", "การตั้งค่า", "รายสัปดาห์", "สั่งด้วยตนเอง"])


def test_a_source_page_and_its_about_page_read_in_thai(site, browser):
    source = site.clean
    assert_reads(
        browser.get(f"/harvest/{source['name']}"),
        shown=["แหล่งเก็บเกี่ยวข้อมูล", "ชุดข้อมูล", "เกี่ยวกับ", "อ่านต่อ",
               "ยังไม่มีชุดข้อมูลจากแหล่งเก็บเกี่ยวข้อมูลนี้"],
        not_shown=["Harvest Sources", "There are no datasets associated", "read more"])
    assert_reads(
        browser.get(f"/harvest/about/{source['name']}"),
        shown=[source["title"], "ชุดข้อมูลของกรมทดสอบจาก data.go.th", "เกี่ยวกับ"],
        not_shown=["Harvest Sources", "There is no description", "read more"])
    assert_reads(browser.get(f"/harvest/about/{site.idle['name']}"),
                 shown=["แหล่งเก็บเกี่ยวข้อมูลนี้ไม่มีคำอธิบาย"],
                 not_shown=["There is no description for this harvest source"])


def test_the_admin_page_of_a_source_without_jobs_reads_in_thai(site, browser):
    assert_reads(
        browser.get(f"/harvest/admin/{site.idle['name']}"),
        shown=["งานเก็บเกี่ยวข้อมูลล่าสุด", "แหล่งเก็บเกี่ยวข้อมูลนี้ยังไม่มีงานเก็บเกี่ยวข้อมูล",
               "เก็บเกี่ยวข้อมูลใหม่", "ดูแหล่งเก็บเกี่ยวข้อมูล", "แดชบอร์ด", "งานเก็บเกี่ยวข้อมูล",
               "แก้ไข", "เริ่มงานเก็บเกี่ยวข้อมูลใหม่ของแหล่งเก็บเกี่ยวข้อมูลนี้ทันที",
               "ระบบจะเก็บเกี่ยวข้อมูลจากแหล่งนี้อีกครั้ง",
               "คำเตือน: การดำเนินการนี้จะลบชุดข้อมูลทั้งหมดของแหล่งนี้",
               "ลบงานเก็บเกี่ยวข้อมูลทั้งหมดและชุดข้อมูลที่มีอยู่ของแหล่งนี้"],
        not_shown=["Last Harvest Job", "No jobs yet", "Reharvest", "View harvest source",
                   "Jobs", "Start a new harvesting job", "This will re-run the harvesting",
                   "Warning:", "Delete all harvest jobs"])


def test_the_admin_page_shows_the_last_job_in_thai(site, browser):
    assert_reads(
        browser.get(f"/harvest/admin/{site.clean['name']}"),
        shown=["งานเก็บเกี่ยวข้อมูลล่าสุด", "0 ข้อผิดพลาด", "0 เพิ่มแล้ว", "0 ปรับปรุงแล้ว",
               "0 ถูกลบ", "0 ไม่เปลี่ยนแปลง", "รหัส", site.clean_job_id, "เริ่มเมื่อ",
               "สถานะ เสร็จสิ้น", "ดูรายงานงานเก็บเกี่ยวข้อมูลฉบับเต็ม", "เก็บเกี่ยวข้อมูลใหม่"],
        not_shown=["Last Harvest Job", "errors", "added", "updated", "not modified",
                   "Started", "Finished", "View full job report", "Reharvest"])


def test_the_job_list_reads_in_thai(site, browser):
    assert_reads(
        browser.get(f"/harvest/{site.clean['name']}/job"),
        shown=[f"งานเก็บเกี่ยวข้อมูล: {site.clean_job_id}", "เริ่มเมื่อ:", "เสร็จสิ้นเมื่อ:",
               "0 เพิ่มแล้ว", "0 ไม่เปลี่ยนแปลง"],
        not_shown=["Harvest Jobs", "Job:", "Started:", "Finished:", "added", "not modified"])
    assert_reads(browser.get(f"/harvest/{site.waiting['name']}/job"),
                 shown=["เริ่มเมื่อ: ยังไม่ถึง", "เสร็จสิ้นเมื่อ: ยังไม่ถึง"],
                 not_shown=["Not yet", "Started:", "Finished:"])


def test_a_clean_job_report_reads_in_thai(site, browser):
    assert_reads(
        browser.get(f"/harvest/{site.clean['name']}/job/{site.clean_job_id}"),
        shown=["รายงานงานเก็บเกี่ยวข้อมูล", "กลับไปที่รายการงานเก็บเกี่ยวข้อมูล", "สรุปข้อผิดพลาด",
               "งานเก็บเกี่ยวข้อมูลนี้ไม่มีข้อผิดพลาด", "สถานะ เสร็จสิ้น"],
        not_shown=["Job Report", "Back to job list", "Error Summary", "No errors for this job",
                   "Finished"])


def test_a_job_report_with_errors_reads_in_thai(site, browser):
    text = assert_reads(
        browser.get(f"/harvest/{site.failed['name']}/job/{site.failed_job_id}"),
        shown=["สรุปข้อผิดพลาด", "แสดงเฉพาะข้อผิดพลาดที่พบบ่อยที่สุด 20 อันดับ",
               "ข้อผิดพลาดของงานเก็บเกี่ยวข้อมูล", "ข้อผิดพลาดของรายการเก็บเกี่ยว", "จำนวน",
               "ข้อความ", "รายงานข้อผิดพลาด", "1 รายการที่มีข้อผิดพลาด", "เนื้อหาในพอร์ทัลนี้",
               "2 ข้อผิดพลาด", "remote catalog answered 500", "the remote dataset has no title"],
        not_shown=["Error Summary", "Only the 20 most frequent", "Job Errors", "Document Errors",
                   "Count", "Message", "Error Report", "documents with errors",
                   "Local content", "2 errors"])
    assert "งานเก็บเกี่ยวข้อมูลนี้ไม่มีข้อผิดพลาด" not in text


def test_a_new_job_shows_its_status_in_thai(site, browser):
    assert_reads(browser.get(f"/harvest/{site.waiting['name']}/job/{site.new_job_id}"),
                 shown=["รายงานงานเก็บเกี่ยวข้อมูล", "สถานะ ใหม่"],
                 not_shown=["Job Report", "Status New"])


def test_the_edit_form_reads_in_thai(site, browser):
    assert_reads(
        browser.get(f"/harvest/edit/{site.clean['name']}"),
        shown=["แก้ไขแหล่งเก็บเกี่ยวข้อมูล", "การตั้งค่า", "ความถี่ของการปรับปรุงข้อมูล",
               "ลบแหล่งเก็บเกี่ยวข้อมูล", "ลบแหล่งเก็บเกี่ยวข้อมูลพร้อมชุดข้อมูล",
               "แหล่งเก็บเกี่ยวข้อมูลนี้จะถูกทำเครื่องหมายว่าลบแล้ว",
               "คำเตือน: นอกจากลบแหล่งเก็บเกี่ยวข้อมูลนี้แล้ว"],
        not_shown=["Edit harvest source", "Configuration", "Update frequency", "Delete source",
                   "Delete and clear source", "This will flag the source as deleted",
                   "Warning: Apart from deleting"])


def test_a_missing_source_or_job_is_reported_in_thai(site, browser):
    assert_reads(browser.get("/harvest/admin/no-such-source"),
                 shown=["ไม่พบแหล่งเก็บเกี่ยวข้อมูล"], not_shown=["Harvest source not found"],
                 status=404)
    assert_reads(browser.get(f"/harvest/{site.clean['name']}/job/no-such-job"),
                 shown=["ไม่พบงานเก็บเกี่ยวข้อมูล"], not_shown=["Harvest job not found"],
                 status=404)


def test_reharvesting_a_source_whose_job_has_not_run_is_refused_in_thai(site, browser):
    from ckanext.harvest.model import HarvestJob

    before = HarvestJob.filter(source_id=site.waiting["id"]).count()
    response = browser.get(f"/harvest/refresh/{site.waiting['id']}", follow_redirects=True)
    assert_reads(response, shown=["แหล่งเก็บเกี่ยวข้อมูลนี้มีงานเก็บเกี่ยวข้อมูลที่รอทำงานอยู่แล้ว"],
                 not_shown=["A harvest job has already been scheduled"])
    assert HarvestJob.filter(source_id=site.waiting["id"]).count() == before  # no job added


def test_another_user_is_refused_the_admin_page_in_thai(app, site):
    outsider = factories.UserWithToken()
    response = Browser(app, outsider).get(f"/harvest/admin/{site.clean['name']}")
    assert_reads(response, shown=["ไม่ได้รับอนุญาตให้ดูหน้านี้"],
                 not_shown=["Not authorized to see this page", "งานเก็บเกี่ยวข้อมูลล่าสุด"],
                 status=403)
