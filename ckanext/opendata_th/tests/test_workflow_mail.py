"""E-mails of the disclosure workflow: approvers get one digest a day of
what waits for their approval (the daily ``ckan opendata-th remind``), never
one e-mail per dataset; the publisher who sent a dataset for approval is
told, by a background job queued after the decision is committed, when it
is approved or returned. In Thai, the portal's language."""
import email
import email.policy

import pytest
from click.testing import CliRunner
from freezegun import freeze_time

import ckan.lib.jobs as jobs
import ckan.model as model
import ckan.plugins.toolkit as tk
import rq
from ckan.cli.cli import ckan as ckan_cli
from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.opendata_th.demo.workflow import DISCLOSABLE
from ckanext.opendata_th.tests.datasets import national_dataset, national_resource

# app: links in e-mails use the test site's ckan.site_url
pytestmark = [pytest.mark.usefixtures("with_plugins", "clean_db", "with_extended_cli", "app"),
              pytest.mark.ckan_config("ckanext.opendata_th.approvers", "delegate")]


def run_jobs():
    """Run the queued jobs with CKAN's worker, in this process (where the
    test mail server listens)."""
    class InProcessWorker(jobs.Worker):
        def execute_job(self, job, queue):
            return rq.SimpleWorker.execute_job(self, job, queue)

    InProcessWorker(["default"]).work(burst=True)


def remind(ckan_config):
    result = CliRunner().invoke(ckan_cli, ["-c", ckan_config["__file__"], "opendata-th", "remind"])
    assert result.exit_code == 0, result.output
    return result.output


def mails(mail_server):
    found = []
    for _none, _from, recipients, raw in mail_server.get_smtp_messages():
        found.append((recipients, email.message_from_string(raw, policy=email.policy.default)))
    return found


@pytest.fixture
def agency():
    head = factories.User(fullname="หัวหน้าหน่วยงาน", email="head@agency.example")
    delegate = factories.User(name="delegate", fullname="ผู้ได้รับมอบหมาย", email="delegate@agency.example")
    no_mail = factories.User()
    model.User.get(no_mail["id"]).email = None  # an account without an address (CKAN's form requires one)
    model.repo.commit()
    publisher = factories.User(fullname="สมศรี ผู้เผยแพร่", email="publisher@agency.example")
    org = factories.Organization(title="กองสถิติการค้า", users=[
        {"name": head["name"], "capacity": "admin"}, {"name": no_mail["name"], "capacity": "admin"},
        {"name": delegate["name"], "capacity": "editor"},
        {"name": publisher["name"], "capacity": "editor"}])
    return {"org": org, "head": head, "delegate": delegate, "no_mail": no_mail, "publisher": publisher}


def sent_for_approval(agency, title):
    """A dataset its publisher sent for approval."""
    as_publisher = {"user": agency["publisher"]["name"]}
    dataset = call_action("package_create", dict(as_publisher), **national_dataset(
        owner_org=agency["org"]["id"], title=title, resources=[national_resource()]))
    call_action("opendata_th_select", dict(as_publisher), id=dataset["id"], reasons=["transparency"])
    call_action("opendata_th_classify", dict(as_publisher), id=dataset["id"], answers=DISCLOSABLE)
    for transition in ("prepare", "submit"):
        call_action("opendata_th_transition", dict(as_publisher), id=dataset["id"], transition=transition)
    return dataset


def test_approvers_get_one_digest_a_day_of_everything_waiting(agency, mail_server, ckan_config):
    with freeze_time("2026-03-10 02:00:00"):  # 09:00 in Bangkok
        first = sent_for_approval(agency, "สถิติการส่งออกรายเดือน")
        second = sent_for_approval(agency, "ผู้ส่งออกรายจังหวัด")
        output = remind(ckan_config)
        assert f"sent\tapproval digest to {agency['head']['name']}" in output
        assert "sent\tapproval digest to delegate" in output
        assert f"no approver e-mail\tapproval digest to {agency['no_mail']['name']}" in output
        sent = mails(mail_server)
        assert sorted(recipients[0] for recipients, _ in sent) == [
            "delegate@agency.example", "head@agency.example"]  # not the publisher, one each
        _, message = sent[0]
        assert message["Subject"] == "[ข้อมูลเปิด] มีชุดข้อมูล 2 ชุดรอการอนุมัติจากคุณ"
        body = message.get_content()
        assert "สถิติการส่งออกรายเดือน (กองสถิติการค้า)" in body and "ผู้ส่งออกรายจังหวัด" in body
        assert f"/dataset/{first['name']}/disclosure" in body and f"/dataset/{second['name']}/disclosure" in body
        assert f"/organization/approvals/{agency['org']['name']}" in body
        assert "ไม่เกินวันละหนึ่งครั้ง" in body

        # the same day: nothing more, however many runs
        output = remind(ckan_config)
        assert f"already sent today\tapproval digest to {agency['head']['name']}" in output
        assert len(mails(mail_server)) == 2

    with freeze_time("2026-03-10 16:59:00"):  # 23:59 in Bangkok: still the same day
        remind(ckan_config)
        assert len(mails(mail_server)) == 2
    with freeze_time("2026-03-10 17:00:00"):  # midnight in Bangkok: a new day, still waiting
        call_action("opendata_th_transition", {"user": agency["head"]["name"]}, id=first["id"],
                    transition="approve")
        remind(ckan_config)
        new = mails(mail_server)[2:]
        assert len(new) == 2
        assert all(message["Subject"] == "[ข้อมูลเปิด] มีชุดข้อมูล 1 ชุดรอการอนุมัติจากคุณ"
                   for _, message in new)
    with freeze_time("2026-03-12 02:00:00"):
        call_action("opendata_th_transition", {"user": agency["head"]["name"]}, id=second["id"],
                    transition="return", comment="เพิ่มคำอธิบาย")
        output = remind(ckan_config)
        assert "approval digest" not in output  # nothing waits: no e-mail
        assert len(mails(mail_server)) == 4


def test_the_publisher_is_told_when_a_dataset_is_approved_or_returned(agency, mail_server):
    approved = sent_for_approval(agency, "สถิติการส่งออกรายเดือน")
    returned = sent_for_approval(agency, "ผู้ส่งออกรายจังหวัด")
    head = {"user": agency["head"]["name"]}
    call_action("opendata_th_transition", dict(head), id=approved["id"], transition="approve")
    call_action("opendata_th_transition", dict(head), id=returned["id"], transition="return",
                comment="กรุณาเพิ่มคำอธิบายคอลัมน์")
    assert mails(mail_server) == []  # sent by the jobs worker, after the commit
    run_jobs()
    sent = {message["Subject"]: (recipients, message.get_content()) for recipients, message in mails(mail_server)}
    assert set(sent) == {"[ข้อมูลเปิด] อนุมัติและเผยแพร่แล้ว: สถิติการส่งออกรายเดือน",
                         "[ข้อมูลเปิด] ส่งกลับแก้ไข: ผู้ส่งออกรายจังหวัด"}
    recipients, body = sent["[ข้อมูลเปิด] อนุมัติและเผยแพร่แล้ว: สถิติการส่งออกรายเดือน"]
    assert recipients == ["publisher@agency.example"]
    assert "หัวหน้าหน่วยงาน อนุมัติชุดข้อมูล “สถิติการส่งออกรายเดือน”" in body and " 25" in body  # BE year
    _, body = sent["[ข้อมูลเปิด] ส่งกลับแก้ไข: ผู้ส่งออกรายจังหวัด"]
    assert "กรุณาเพิ่มคำอธิบายคอลัมน์" in body and "ส่งขออนุมัติชุดข้อมูลอีกครั้ง" in body
    assert f"/dataset/{returned['name']}/disclosure" in body


def test_a_refused_decision_queues_no_e_mail(agency, mail_server):
    dataset = sent_for_approval(agency, "สถิติการส่งออกรายเดือน")
    with pytest.raises(tk.NotAuthorized):
        call_action("opendata_th_transition", {"user": agency["publisher"]["name"], "ignore_auth": False},
                    id=dataset["id"], transition="approve")  # a publisher cannot approve
    run_jobs()
    assert mails(mail_server) == []
