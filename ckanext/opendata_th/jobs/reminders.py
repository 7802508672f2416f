"""Overdue datasets and the reminders e-mailed to their maintainers
(``ckan opendata-th overdue`` and ``ckan opendata-th remind``, run daily)."""
from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import sqlalchemy as sa

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.opendata_th import emails, localize
from ckanext.opendata_th.jobs.datasets import search_datasets
from ckanext.opendata_th.model import Reminder
from ckanext.opendata_th.playbook import dates, frequency
from ckanext.opendata_th.playbook.dates import BANGKOK

log = logging.getLogger(__name__)

SUBJECT_TEMPLATE = "emails/opendata_th/overdue_reminder_subject.txt"
BODY_TEMPLATE = "emails/opendata_th/overdue_reminder.txt"


def overdue_datasets(org: str | None = None) -> list[dict[str, Any]]:
    """Datasets whose next update is overdue now, most overdue first."""
    found = [d for d in search_datasets("opendata_schedule:overdue", org) if d.get("opendata_overdue")]
    return sorted(found, key=lambda d: due_moment(d["opendata_due_date"]))


def due_moment(due_iso: str) -> dt.datetime:
    """The aware moment of an ``opendata_due_date`` (a date: its start in Bangkok)."""
    moment = dt.datetime.fromisoformat(due_iso)
    return moment if moment.tzinfo else moment.replace(tzinfo=BANGKOK)


def format_due(due_iso: str, lang: str) -> str:
    """An ``opendata_due_date`` for people: a date, or a date and time."""
    moment = dates.to_local_naive(due_moment(due_iso))
    has_time = "T" in due_iso
    if lang == "th":
        return dates.format_datetime_th(moment) if has_time else dates.format_date_th(moment)
    return dates.format_datetime_en(moment) if has_time else dates.format_date_en(moment)


def message(dataset: dict[str, Any], lang: str | None = None) -> tuple[str, str]:
    """The reminder's subject and body in ``lang``, by default the portal's
    language (Thai): the maintainer's own language is not known."""
    url = tk.url_for("dataset.read", id=dataset["name"], _external=True)

    def extra_vars(lang: str) -> dict[str, Any]:
        return {
            "dataset": dataset,
            "maintainer": dataset.get("maintainer"),
            "frequency": localize.text(frequency.describe_message(
                dataset.get("update_frequency_unit"), dataset.get("update_frequency_interval")), lang),
            "due": format_due(dataset["opendata_due_date"], lang),
            "url": url,
        }

    return emails.compose(SUBJECT_TEMPLATE, BODY_TEMPLATE, extra_vars, lang)


def send_reminders(org: str | None = None) -> dict[str, list[str]]:
    """E-mail the maintainer of each overdue dataset, once per due date.

    Returns the dataset names reminded now ("sent"), already reminded for this
    due date ("already"), without a maintainer e-mail address ("no_email"),
    and those the mail server refused ("failed": nothing is recorded, so the
    next run tries again).
    """
    outcome: dict[str, list[str]] = {"sent": [], "already": [], "no_email": [], "failed": []}
    for dataset in overdue_datasets(org):
        due = due_moment(dataset["opendata_due_date"])
        already = model.Session.query(sa.exists().where(sa.and_(
            Reminder.package_id == dataset["id"], Reminder.due_date == due))).scalar()
        if already:
            outcome["already"].append(dataset["name"])
            continue
        email = dataset.get("maintainer_email") or dataset.get("author_email")
        if not email:
            outcome["no_email"].append(dataset["name"])
            continue
        subject, body = message(dataset)
        try:
            tk.mail_recipient(dataset.get("maintainer") or email, email, subject, body)
        except Exception as error:  # mail server down or refusing: try again next run
            log.error("Reminder for %s not sent: %s", dataset["name"], error)
            outcome["failed"].append(dataset["name"])
            continue
        model.Session.add(Reminder(package_id=dataset["id"], due_date=due, recipient=email))
        model.Session.commit()
        outcome["sent"].append(dataset["name"])
    return outcome
