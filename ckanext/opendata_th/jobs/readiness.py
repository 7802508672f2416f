"""Overdue improvement actions of the readiness assessments, and the
reminders e-mailed to their owners (``ckan opendata-th readiness-overdue``
lists them; the daily ``ckan opendata-th remind`` sends the e-mails)."""
from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import sqlalchemy as sa

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.opendata_th import emails, localize, readiness
from ckanext.opendata_th.context import site_context
from ckanext.opendata_th.jobs.reminders import format_due
from ckanext.opendata_th.model.readiness_reminder import ReadinessReminder
from ckanext.opendata_th.playbook import readiness as rules

log = logging.getLogger(__name__)

SUBJECT_TEMPLATE = "emails/opendata_th/readiness_action_reminder_subject.txt"
BODY_TEMPLATE = "emails/opendata_th/readiness_action_reminder.txt"


def overdue_actions(org: str | None = None) -> list[dict[str, Any]]:
    """The overdue improvement actions of every organization's latest
    assessment (or of one organization), the longest overdue first:
    ``opendata_th_readiness_overdue_actions`` as the site user."""
    data_dict = {"organization": org} if org else {}
    found = tk.get_action("opendata_th_readiness_overdue_actions")(site_context(), data_dict)
    return sorted(found, key=lambda item: (item["action"]["due_date"] or "", item["organization"]["name"]))


def activity_name(key: str, lang: str) -> str:
    try:
        return readiness.schema().activity(key).name.in_language(lang)
    except KeyError:  # an activity of an older schema file
        return key


def message(item: dict[str, Any], owner: str, lang: str | None = None) -> tuple[str, str]:
    """The reminder's subject and body, in the portal's language (Thai)."""
    organization = item["organization"]
    url = readiness.assessment_url(organization["name"], item["fiscal_year"])

    def extra_vars(lang: str) -> dict[str, Any]:
        return {
            "owner": owner,
            "organization": organization["title"] or organization["name"],
            "fiscal_year": localize.text(rules.fiscal_year_label(item["fiscal_year"]), lang),
            "activity": activity_name(item["action"]["activity"], lang),
            "action": item["action"],
            "due": format_due(item["action"]["due_date"], lang),
            "url": url,
        }

    return emails.compose(SUBJECT_TEMPLATE, BODY_TEMPLATE, extra_vars, lang)


def send_reminders(org: str | None = None) -> dict[str, list[str]]:
    """E-mail the owner of each overdue improvement action, once per action
    and due date. Returns the action ids reminded now ("sent"), already
    reminded for this due date ("already"), without an owner or an owner's
    e-mail address ("no_email"), and those the mail server refused
    ("failed": nothing is recorded, so the next run tries again)."""
    outcome: dict[str, list[str]] = {"sent": [], "already": [], "no_email": [], "failed": []}
    for item in overdue_actions(org):
        action = item["action"]
        due = dt.date.fromisoformat(action["due_date"])
        already = model.Session.query(sa.exists().where(sa.and_(
            ReadinessReminder.action_id == action["id"], ReadinessReminder.due_date == due))).scalar()
        if already:
            outcome["already"].append(action["id"])
            continue
        user = model.User.get(action["owner"]) if action.get("owner") else None
        if user is None or user.state != "active" or not user.email:
            outcome["no_email"].append(action["id"])
            continue
        subject, body = message(item, user.display_name)
        try:
            tk.mail_recipient(user.display_name, user.email, subject, body)
        except Exception as error:  # mail server down or refusing: try again next run
            log.error("Readiness reminder for action %s not sent: %s", action["id"], error)
            outcome["failed"].append(action["id"])
            continue
        model.Session.add(ReadinessReminder(action_id=action["id"], due_date=due, recipient=user.email))
        model.Session.commit()
        outcome["sent"].append(action["id"])
    return outcome
