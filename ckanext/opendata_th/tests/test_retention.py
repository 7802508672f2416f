"""Contact details of senders are erased once their item has been closed
for the retention period (PDPA): ``ckan opendata-th forget-contacts``
erases the names and e-mail addresses of feedback resolved or hidden and
of requests decided before it, records the erasure in each item's history,
and leaves open items, recent items and everything else of an item as it
was. Against the real PostgreSQL."""
from __future__ import annotations

import datetime as dt

import pytest

import ckan.model as model
from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.opendata_th.cli import opendata_th
from ckanext.opendata_th.model.dataset_request import DatasetRequest, DatasetRequestEvent
from ckanext.opendata_th.model.feedback import Feedback, FeedbackEvent
from ckanext.opendata_th.tests.datasets import create_dataset, national_dataset, national_resource

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db")

NOW = dt.datetime.now(dt.timezone.utc)
OLD = NOW - dt.timedelta(days=400)
RECENT = NOW - dt.timedelta(days=30)


def feedback(package_id, progress, visibility, modified):
    row = Feedback(package_id=package_id, kind="complaint", message="ตัวเลขผิด", language="th",
                   author_name="สมหญิง ใจดี", author_email="somying@example.co.th",
                   visibility=visibility, progress=progress, created_at=modified, modified_at=modified)
    model.Session.add(row)
    return row


def request(state, decided):
    row = DatasetRequest(title="ขอข้อมูลราคาส่งออก", requester_name="สมชาย", requester_email="somchai@example.co.th",
                         reply_key="secret", state=state, created=OLD, modified=decided or OLD, decided_at=decided)
    model.Session.add(row)
    return row


@pytest.fixture
def items():
    org = factories.Organization()
    dataset = create_dataset(**national_dataset(owner_org=org["id"], resources=[national_resource()]))
    made = {
        "resolved_old": feedback(dataset["id"], "resolved", "visible", OLD),
        "hidden_old": feedback(dataset["id"], "open", "hidden", OLD),
        "open_old": feedback(dataset["id"], "answered", "visible", OLD),
        "resolved_recent": feedback(dataset["id"], "resolved", "visible", RECENT),
        "decided_old": request("not_suitable", OLD),
        "accepted_old": request("accepted", OLD),
        "waiting_old": request("needs_info", None),
        "decided_recent": request("available", RECENT),
    }
    model.Session.commit()
    return {name: row.id for name, row in made.items()}


def erased_feedback(ids):
    return {name for name, id in ids.items()
            if (row := model.Session.get(Feedback, id)) is not None and row.author_email is None}


def erased_requests(ids):
    return {name for name, id in ids.items()
            if (row := model.Session.get(DatasetRequest, id)) is not None and row.requester_email == ""}


def test_contacts_of_items_closed_long_ago_are_erased_and_the_erasure_recorded(items, cli):
    result = cli.invoke(opendata_th, ["forget-contacts"])
    assert result.exit_code == 0, result.output
    assert "2 feedback items, 2 requests" in result.output
    model.Session.expire_all()
    assert erased_feedback(items) == {"resolved_old", "hidden_old"}
    assert erased_requests(items) == {"decided_old", "accepted_old"}
    kept = model.Session.get(Feedback, items["resolved_old"])
    assert kept.message == "ตัวเลขผิด" and kept.author_name is None and kept.progress == "resolved"
    request_row = model.Session.get(DatasetRequest, items["decided_old"])
    assert request_row.title == "ขอข้อมูลราคาส่งออก" and request_row.requester_name == ""
    assert request_row.state == "not_suitable" and request_row.reply_key == "secret"
    # each erasure is in the item's history, shown in the reader's language
    assert model.Session.query(FeedbackEvent).filter_by(step="contact_erased").count() == 2
    assert model.Session.query(DatasetRequestEvent).filter_by(kind="contact_erased").count() == 2
    sysadmin = {"user": factories.Sysadmin()["name"]}
    shown = call_action("opendata_th_feedback_show", sysadmin, id=items["resolved_old"])
    assert shown["email"] is None
    assert shown["history"][0]["step_label"] == "ลบชื่อและอีเมลของผู้ส่งแล้ว (พ้นระยะเวลาเก็บรักษาข้อมูล)"
    shown = call_action("opendata_th_request_show", sysadmin, id=items["decided_old"])
    assert shown["history"][0]["kind"] == "contact_erased"
    # a second run finds nothing more to erase and records nothing more
    again = cli.invoke(opendata_th, ["forget-contacts"])
    assert "0 feedback items, 0 requests" in again.output
    assert model.Session.query(FeedbackEvent).filter_by(step="contact_erased").count() == 2


def test_the_request_page_says_the_contact_was_erased(items, cli, app):
    cli.invoke(opendata_th, ["forget-contacts"])
    page = app.get(f"/dataset-request/{items['decided_old']}")
    assert "ลบชื่อและอีเมลของผู้ขอแล้ว (พ้นระยะเวลาเก็บรักษาข้อมูล)" in page.body
    assert "somchai@example.co.th" not in page.body


@pytest.mark.ckan_config("ckanext.opendata_th.contact_retention_days", "0")
def test_a_retention_of_zero_days_keeps_every_contact(items, cli):
    result = cli.invoke(opendata_th, ["forget-contacts"])
    assert result.exit_code == 0 and "nothing erased" in result.output
    model.Session.expire_all()
    assert erased_feedback(items) == set() and erased_requests(items) == set()


@pytest.mark.ckan_config("ckanext.opendata_th.contact_retention_days", "20")
def test_a_shorter_retention_erases_more(items, cli):
    cli.invoke(opendata_th, ["forget-contacts"])
    model.Session.expire_all()
    assert erased_feedback(items) == {"resolved_old", "hidden_old", "resolved_recent"}
    assert erased_requests(items) == {"decided_old", "accepted_old", "decided_recent"}
