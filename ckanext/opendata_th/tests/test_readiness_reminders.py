"""Overdue improvement actions of the readiness assessments: listed by
``ckan opendata-th readiness-overdue`` and e-mailed to their owners by the
daily ``ckan opendata-th remind``, once per action and due date, in Thai.

The clock is frozen at 10 March 2026, 09:00 in Bangkok (fiscal year 2569)."""
import email
import email.policy

import pytest
from click.testing import CliRunner
from freezegun import freeze_time

import ckan.model as model
from ckan.cli.cli import ckan as ckan_cli
from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.opendata_th.jobs.readiness import send_reminders
from ckanext.opendata_th.model import ReadinessReminder

# app: a web app of this configuration, so that links in e-mails use its
# ckan.site_url (CKAN builds URLs outside requests from the last app made)
pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "with_extended_cli", "app")

NOW = "2026-03-10 02:00:00"  # UTC: 09:00 in Bangkok


def command(ckan_config, *args):
    return CliRunner().invoke(ckan_cli, ["-c", ckan_config["__file__"], "opendata-th", *args])


def read_mail(sent):
    _none, _from, recipients, raw = sent
    return recipients, email.message_from_string(raw, policy=email.policy.default)


@pytest.fixture
def agency():
    owner = factories.User(fullname="สมชาย ใจดี", email="somchai@agency.example")
    admin = factories.User()
    org = factories.Organization(title="กองสถิติการค้า", users=[
        {"name": admin["name"], "capacity": "admin"}, {"name": owner["name"], "capacity": "editor"}])
    return org, admin, owner


def plan(org, admin, year, actions):
    return call_action("opendata_th_readiness_update", {"user": admin["name"]},
                       organization=org["id"], fiscal_year=year, actions=actions)


@freeze_time(NOW)
def test_each_overdue_action_is_mailed_to_its_owner_once_per_due_date(agency, mail_server, ckan_config):
    org, admin, owner = agency
    shown = plan(org, admin, 2569, [
        {"activity": "budget", "description": "เสนอรายการงบประมาณข้อมูลเปิด", "owner": owner["name"],
         "due_date": "2026-03-09"},
        {"activity": "strategy", "description": "ยังไม่ถึงกำหนด", "owner": owner["name"],
         "due_date": "2026-03-10"},
        {"activity": "strategy", "description": "ทำเสร็จแล้ว", "owner": owner["name"],
         "due_date": "2026-01-01", "done": True},
        {"activity": "capacity_building", "description": "ไม่มีผู้รับผิดชอบ", "owner": "",
         "due_date": "2026-02-01"},
    ])
    overdue, _not_yet, _done, ownerless = [action["id"] for action in shown["actions"]]

    listed = command(ckan_config, "readiness-overdue")
    assert listed.exit_code == 0, listed.output
    lines = listed.output.splitlines()
    assert len(lines) == 2, lines  # the longest overdue first
    assert ownerless and "ไม่มีผู้รับผิดชอบ" in lines[0] and "1 ก.พ. 2569" in lines[0]
    assert "เสนอรายการงบประมาณข้อมูลเปิด" in lines[1] and "9 มี.ค. 2569" in lines[1]
    assert lines[1].startswith(f"{org['name']}\t2569\t2026-03-09")

    result = command(ckan_config, "remind")
    assert result.exit_code == 0, result.output
    assert f"sent\treadiness action {overdue}" in result.output
    assert f"no owner e-mail\treadiness action {ownerless}" in result.output
    [(recipients, message)] = [read_mail(sent) for sent in mail_server.get_smtp_messages()]
    assert recipients == ["somchai@agency.example"]
    assert message["Subject"] == "[ข้อมูลเปิด] การดำเนินการปรับปรุงความพร้อมเลยกำหนด: กองสถิติการค้า"
    body = message.get_content()
    assert body.startswith("เรียน สมชาย ใจดี\n"), body
    assert "ปีงบประมาณ 2569" in body and "เสนอรายการงบประมาณข้อมูลเปิด" in body
    assert "9 มี.ค. 2569" in body
    assert f"http://test.ckan.net/organization/readiness/{org['name']}?year=2569" in body
    assert not any(word in body for word in ("Dear", "due on", "readiness assessment"))

    again = command(ckan_config, "remind")
    assert f"already reminded\treadiness action {overdue}" in again.output
    assert len(mail_server.get_smtp_messages()) == 1

    # a new due date is a new reminder
    shown = call_action("opendata_th_readiness_update", {"user": admin["name"]}, organization=org["id"],
                        fiscal_year=2569, actions=[{**a, "due_date": "2026-03-08"} if a["id"] == overdue else a
                                                   for a in shown["actions"]])
    assert command(ckan_config, "remind").exit_code == 0
    assert len(mail_server.get_smtp_messages()) == 2
    model.Session.expire_all()
    assert sorted(str(r.due_date) for r in model.Session.query(ReadinessReminder)) == [
        "2026-03-08", "2026-03-09"]


@freeze_time(NOW)
def test_only_the_latest_assessment_of_an_organization_counts(agency, mail_server):
    org, admin, owner = agency
    plan(org, admin, 2568, [{"activity": "budget", "description": "ปีก่อน", "owner": owner["name"],
                             "due_date": "2025-09-01"}])
    plan(org, admin, 2569, [])
    assert send_reminders() == {"sent": [], "already": [], "no_email": [], "failed": []}
    assert mail_server.get_smtp_messages() == []


@freeze_time(NOW)
def test_a_refused_reminder_is_not_recorded_and_goes_out_next_run(agency, ckan_config, monkeypatch,
                                                                   closed_port, request):
    monkeypatch.setitem(ckan_config, "smtp.server", f"127.0.0.1:{closed_port}")
    org, admin, owner = agency
    plan(org, admin, 2569, [{"activity": "budget", "description": "เสนองบประมาณ", "owner": owner["name"],
                             "due_date": "2026-03-01"}])
    outcome = send_reminders()
    assert len(outcome["failed"]) == 1 and outcome["sent"] == []
    model.Session.expire_all()
    assert model.Session.query(ReadinessReminder).count() == 0
    mail_server = request.getfixturevalue("mail_server")  # a mail server that answers
    assert len(send_reminders()["sent"]) == 1
    assert len(mail_server.get_smtp_messages()) == 1
