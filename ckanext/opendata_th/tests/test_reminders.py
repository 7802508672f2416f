"""Overdue reminders (``ckan opendata-th remind``): one e-mail per dataset
and due date, nothing recorded when the mail server refuses, and the
e-mail itself: in the portal's language (Thai), as plain text.

The clock is frozen at 10 March 2026, 09:00 in Bangkok."""
import datetime as dt
import email
import email.policy

import pytest
from click.testing import CliRunner
from freezegun import freeze_time

import ckan.model as model
from ckan.cli.cli import ckan as ckan_cli
from ckan.tests.helpers import call_action

from ckanext.opendata_th.jobs.reminders import send_reminders
from ckanext.opendata_th.model import Reminder
from ckanext.opendata_th.playbook.dates import BANGKOK

# with_extended_cli: the command uses this test's configuration (smtp.server)
# app: a web app of this configuration, so that links in e-mails use its
# ckan.site_url (CKAN builds URLs outside requests from the last app made)
pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "with_extended_cli", "app")

NOW = "2026-03-10 02:00:00"  # UTC: 09:00 in Bangkok
MONTHLY = {"update_frequency_unit": "เดือน", "update_frequency_interval": "1"}
OWNER = "owner@agency.example"


def remind(ckan_config):
    return CliRunner().invoke(ckan_cli, ["-c", ckan_config["__file__"], "opendata-th", "remind"])


def output_lines(result):
    return result.output.splitlines()


def recorded():
    """(package id, due moment, recipient) of every reminder recorded."""
    model.Session.expire_all()
    return [(r.package_id, r.due_date, r.recipient)
            for r in model.Session.query(Reminder).order_by(Reminder.sent_at)]


def bangkok_midnight(day):
    return dt.datetime.combine(day, dt.time(), tzinfo=BANGKOK)


def read_mail(sent):
    """A message caught by CKAN's ``mail_server`` fixture, parsed."""
    _none, _from, recipients, raw = sent
    return recipients, email.message_from_string(raw, policy=email.policy.default)


@freeze_time(NOW)
def test_each_new_due_date_gets_its_own_reminder(create_dataset, sysadmin, ckan_config,
                                                mail_server):
    created = create_dataset(name="late", last_updated_date="2026-01-15",
                             maintainer_email=OWNER, **MONTHLY)
    assert call_action("package_show", id="late")["opendata_due_date"] == "2026-02-15"
    first = remind(ckan_config)
    assert first.exit_code == 0, first.output
    assert output_lines(first) == ["sent\tlate"]
    again = remind(ckan_config)
    assert output_lines(again) == ["already reminded\tlate"]

    # the data is updated, but not enough: overdue again, with a new due date
    call_action("package_patch", {"user": sysadmin["name"]}, id="late",
                last_updated_date="2026-02-05")
    assert call_action("package_show", id="late")["opendata_due_date"] == "2026-03-05"
    third = remind(ckan_config)
    assert third.exit_code == 0, third.output
    assert output_lines(third) == ["sent\tlate"]
    assert output_lines(remind(ckan_config)) == ["already reminded\tlate"]

    assert recorded() == [
        (created["id"], bangkok_midnight(dt.date(2026, 2, 15)), OWNER),
        (created["id"], bangkok_midnight(dt.date(2026, 3, 5)), OWNER)]
    messages = [read_mail(sent) for sent in mail_server.get_smtp_messages()]
    assert [recipients for recipients, _message in messages] == [[OWNER], [OWNER]]
    bodies = [message.get_content() for _recipients, message in messages]
    assert "15 ก.พ. 2569" in bodies[0] and "15 Feb 2026" not in bodies[0]  # Thai only
    assert "5 มี.ค. 2569" in bodies[1] and "5 Mar 2026" not in bodies[1]


@pytest.mark.parametrize("refusal", ["connection refused", "554 from the server"])
@freeze_time(NOW)
def test_a_refused_reminder_is_not_recorded_and_goes_out_next_run(
        refusal, request, create_dataset, ckan_config, monkeypatch, closed_port, refusing_smtp):
    port = closed_port if refusal == "connection refused" else refusing_smtp.server_address[1]
    monkeypatch.setitem(ckan_config, "smtp.server", f"127.0.0.1:{port}")
    created = create_dataset(name="late", last_updated_date="2026-01-15",
                             maintainer_email=OWNER, **MONTHLY)
    create_dataset(name="fresh", last_updated_date="2026-03-01", maintainer_email=OWNER,
                   **MONTHLY)

    failed = remind(ckan_config)
    assert failed.exit_code == 1
    assert output_lines(failed) == [
        "not sent\tlate",
        "Error: 1 reminders could not be sent; they are retried next run"]
    assert recorded() == []
    if refusal == "554 from the server":
        assert refusing_smtp.sessions == 1  # it was asked, and said no

    mail_server = request.getfixturevalue("mail_server")  # the server works again
    retried = remind(ckan_config)
    assert retried.exit_code == 0, retried.output
    assert output_lines(retried) == ["sent\tlate"]
    assert recorded() == [(created["id"], bangkok_midnight(dt.date(2026, 2, 15)), OWNER)]
    assert len(mail_server.get_smtp_messages()) == 1


TITLE = 'ราคา "ข้าวหอมมะลิ" & ผัก \'สด\' <รายเดือน>'


@freeze_time(NOW)
def test_the_reminder_is_in_thai_only_as_plain_text(create_dataset, mail_server):
    """The maintainer's language is not known: the portal's language, Thai,
    and nothing of English beside it."""
    created = create_dataset(name="rice-prices", title=TITLE, last_updated_date="2026-01-15",
                             maintainer="กองสถิติ", maintainer_email=OWNER, **MONTHLY)
    assert created["title"] == TITLE
    assert send_reminders() == {"sent": ["rice-prices"], "already": [], "no_email": [],
                                "failed": []}
    [(recipients, message)] = [read_mail(sent) for sent in mail_server.get_smtp_messages()]
    assert recipients == [OWNER]
    assert message["To"] == f"กองสถิติ <{OWNER}>"
    assert message["Subject"] == f"[ข้อมูลเปิด] ชุดข้อมูลเลยกำหนดปรับปรุง: {TITLE}"
    assert message.get_content_type() == "text/plain"
    assert message.get_content() == (
        "เรียน กองสถิติ\n"
        "\n"
        f'ชุดข้อมูล "{TITLE}" กำหนดปรับปรุงข้อมูลทุกเดือน\n'
        "และเลยกำหนดปรับปรุงข้อมูลเมื่อ 15 ก.พ. 2569\n"
        "โปรดปรับปรุงข้อมูลและวันที่ปรับปรุงข้อมูลล่าสุด "
        "หรือแก้ไขความถี่ให้ตรงกับการปรับปรุงข้อมูลจริง\n"
        "http://test.ckan.net/dataset/rice-prices\n")
    for escaped in ("&amp;", "&#34;", "&quot;", "&#39;", "&lt;", "&gt;"):
        assert escaped not in message["Subject"] and escaped not in message.get_content()
