"""E-mails of the disclosure workflow (step 3.7).

Approvers get one digest a day of what waits for their approval (the daily
``ckan opendata-th remind`` sends it), never one e-mail per dataset; the
publisher who sent a dataset for approval is told when it is approved or
returned (a background job, queued after the decision is committed).
"""
from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict

import sqlalchemy as sa

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.opendata_th import emails
from ckanext.opendata_th import workflow as workflow_glue
from ckanext.opendata_th.model.workflow import WorkflowEvent, WorkflowRecord
from ckanext.opendata_th.model.workflow_mail import ApprovalDigest
from ckanext.opendata_th.playbook import workflow as rules
from ckanext.opendata_th.playbook.dates import BANGKOK, format_datetime_en, format_datetime_th

log = logging.getLogger(__name__)

DIGEST_SUBJECT = "emails/opendata_th/approval_digest_subject.txt"
DIGEST_BODY = "emails/opendata_th/approval_digest.txt"
DECISION_SUBJECT = "emails/opendata_th/approval_decision_subject.txt"
DECISION_BODY = "emails/opendata_th/approval_decision.txt"
DECISIONS = ("approve", "return")
"""The transitions the publisher is told about."""


def _dataset_url(name: str) -> str:
    return tk.url_for("dataset.read", id=name, _external=True) + "/disclosure"


def pending() -> dict[str, list[model.Package]]:
    """The datasets pending approval, by organization id (one query)."""
    rows = model.Session.query(model.Package).join(
        WorkflowRecord, WorkflowRecord.package_id == model.Package.id).filter(
        WorkflowRecord.stage == rules.PENDING, model.Package.state == "active").order_by(
        model.Package.title)
    found: dict[str, list[model.Package]] = defaultdict(list)
    for package in rows:
        if package.owner_org:
            found[package.owner_org].append(package)
    return found


def approvers(organization_id: str) -> list[model.User]:
    """Who approves for the organization and is e-mailed about it: its
    admins and its editors listed in ``ckanext.opendata_th.approvers``
    (sysadmins who approve everywhere, with
    ``ckanext.opendata_th.sysadmins_publish_directly``, are not e-mailed for
    every agency)."""
    members = model.Session.query(model.User).join(
        model.Member, sa.and_(model.Member.table_id == model.User.id,
                              model.Member.table_name == "user")).filter(
        model.Member.group_id == organization_id, model.Member.state == "active",
        model.Member.capacity.in_(("admin", "editor")), model.User.state == "active")
    return [user for user in members if workflow_glue.is_approver(user, organization_id)]


def send_approval_digests(now: dt.datetime | None = None) -> dict[str, list[str]]:
    """E-mail each approver, once per Bangkok day, the datasets pending their
    approval in all their organizations. Returns the user names e-mailed
    ("sent"), already e-mailed today ("already"), without an e-mail address
    ("no_email") and those the mail server refused ("failed": retried next
    run)."""
    day = (now or dt.datetime.now(dt.timezone.utc)).astimezone(BANGKOK).date()
    waiting: dict[str, list[model.Package]] = defaultdict(list)
    people: dict[str, model.User] = {}
    for organization_id, packages in pending().items():
        for user in approvers(organization_id):
            people[user.id] = user
            waiting[user.id].extend(packages)
    outcome: dict[str, list[str]] = {"sent": [], "already": [], "no_email": [], "failed": []}
    for user_id, packages in sorted(waiting.items(), key=lambda item: people[item[0]].name):
        user = people[user_id]
        if model.Session.query(sa.exists().where(sa.and_(
                ApprovalDigest.user_id == user_id, ApprovalDigest.day == day))).scalar():
            outcome["already"].append(user.name)
            continue
        if not user.email:
            outcome["no_email"].append(user.name)
            continue
        subject, body = digest_message(user, packages)
        try:
            tk.mail_recipient(user.display_name, user.email, subject, body)
        except Exception as error:  # mail server down or refusing: try again next run
            log.error("Approval digest for %s not sent: %s", user.name, error)
            outcome["failed"].append(user.name)
            continue
        model.Session.add(ApprovalDigest(user_id=user_id, day=day,
                                         package_ids=[package.id for package in packages]))
        model.Session.commit()
        outcome["sent"].append(user.name)
    return outcome


def digest_message(user: model.User, packages: list[model.Package]) -> tuple[str, str]:
    """The digest's subject and body, in the portal's language."""
    groups = {group.id: group for group in model.Session.query(model.Group).filter(
        model.Group.id.in_({package.owner_org for package in packages}))}
    site = tk.config.get("ckan.site_url", "").rstrip("/")
    items = [{"title": package.title or package.name,
              "organization": groups[package.owner_org].title or groups[package.owner_org].name,
              "url": _dataset_url(package.name)} for package in packages]
    queues = sorted({(groups[package.owner_org].title or groups[package.owner_org].name,
                      f"{site}/organization/approvals/{groups[package.owner_org].name}")
                     for package in packages})
    return emails.compose(DIGEST_SUBJECT, DIGEST_BODY, lambda lang: {
        "name": user.display_name, "items": items, "count": len(items), "queues": queues})


def enqueue_decision(package_id: str, transition: str) -> None:
    """Queue the e-mail telling the publisher about an approval or a return."""
    if transition in DECISIONS:
        tk.enqueue_job(send_decision, [package_id],
                       title=f"opendata_th approval decision {package_id}")


def publisher_of(package_id: str) -> model.User | None:
    """Who sent the dataset for approval last (the latest "submit"), or who
    created it."""
    submitted = model.Session.query(WorkflowEvent).filter(
        WorkflowEvent.package_id == package_id, WorkflowEvent.transition == "submit").order_by(
        WorkflowEvent.at.desc()).first()
    user_id = submitted.user_id if submitted is not None else None
    if user_id is None:
        package = model.Package.get(package_id)
        user_id = package.creator_user_id if package is not None else None
    return model.User.get(user_id) if user_id else None


def _when(moment: dt.datetime, lang: str) -> str:
    """A moment in Bangkok time; Buddhist Era in Thai."""
    local = moment.astimezone(BANGKOK).replace(tzinfo=None)
    return format_datetime_th(local) if lang == "th" else format_datetime_en(local)


def send_decision(package_id: str) -> str:
    """E-mail the publisher the latest decision on the dataset (a background
    job). Returns what happened: "sent", "no_email" or "no_decision"."""
    decision = model.Session.query(WorkflowEvent).filter(
        WorkflowEvent.package_id == package_id, WorkflowEvent.transition.in_(DECISIONS)).order_by(
        WorkflowEvent.at.desc()).first()
    package = model.Package.get(package_id)
    if decision is None or package is None:
        return "no_decision"
    publisher = publisher_of(package_id)
    if publisher is None or publisher.state != "active" or not publisher.email:
        return "no_email"
    approver = model.User.get(decision.user_id) if decision.user_id else None
    subject, body = emails.compose(DECISION_SUBJECT, DECISION_BODY, lambda lang: {
        "name": publisher.display_name, "title": package.title or package.name,
        "approved": decision.transition == "approve",
        "approver": approver.display_name if approver else "",
        "comment": decision.comment or "",
        "when": _when(decision.at, lang),
        "url": _dataset_url(package.name)})
    tk.mail_recipient(publisher.display_name, publisher.email, subject, body)
    return "sent"
