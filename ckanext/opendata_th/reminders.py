"""Overdue datasets and the reminders sent to their maintainers."""
from __future__ import annotations

import datetime as dt
import logging
from typing import Any, Iterator, Optional

import ckan.lib.search as search
import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.opendata_th.model import Reminder
from ckanext.opendata_th.playbook import frequency
from ckanext.opendata_th.playbook.dates import format_datetime_en, format_datetime_th

log = logging.getLogger(__name__)


def _site_context() -> dict[str, Any]:
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    return {"user": site_user["name"], "ignore_auth": True}


def search_datasets(fq: str, org: Optional[str]) -> Iterator[dict[str, Any]]:
    """Every dataset (private ones too) matching ``fq``, page by page."""
    if org:
        fq += f' +organization:"{org}"'
    start = 0
    while True:
        result = tk.get_action("package_search")(_site_context(), {
            "q": "*:*", "fq": fq, "rows": 500, "start": start,
            "include_private": True, "sort": "name asc"})
        yield from result["results"]
        start += 500
        if start >= result["count"]:
            return


def overdue_datasets(org: Optional[str] = None) -> list[dict[str, Any]]:
    """Datasets whose next update is overdue now, most overdue first."""
    if org:
        tk.get_action("organization_show")(_site_context(), {"id": org})
    found = [d for d in search_datasets("opendata_due_date:*", org) if d.get("opendata_overdue")]
    return sorted(found, key=lambda d: d["opendata_due_date"])


def refresh_overdue_index() -> int:
    """Re-index datasets that became overdue since they were indexed, so
    that the ``opendata_overdue`` facet is right. Returns how many."""
    stale = [d["id"] for d in search_datasets(
        "opendata_overdue:false +opendata_due_date:[* TO NOW+1DAY]", None)
        if d.get("opendata_overdue")]
    for package_id in stale:
        search.rebuild(package_id)
    return len(stale)


def _message(dataset: dict[str, Any], due: dt.datetime) -> tuple[str, str]:
    url = tk.url_for("dataset.read", id=dataset["name"], _external=True)
    unit, interval = dataset.get("update_frequency_unit"), dataset.get("update_frequency_interval")
    subject = (f"[ข้อมูลเปิด] ชุดข้อมูลเลยกำหนดปรับปรุง / Dataset update overdue: "
               f"{dataset['title']}")
    body = f"""เรียน {dataset.get('maintainer') or 'ผู้ดูแลชุดข้อมูล'}

ชุดข้อมูล "{dataset['title']}" กำหนดปรับปรุง{frequency.describe(unit, interval, 'th')}
และเลยกำหนดปรับปรุงข้อมูลเมื่อ {format_datetime_th(due)}
โปรดปรับปรุงข้อมูลและวันที่ปรับปรุงข้อมูลล่าสุด หรือแก้ไขความถี่ให้ตรงกับการปรับปรุงจริง
{url}

---

Dear {dataset.get('maintainer') or 'dataset maintainer'},

The dataset "{dataset['title']}" is updated {frequency.describe(unit, interval, 'en')}.
Its update was due on {format_datetime_en(due)}.
Please update the data and its last update date, or correct the frequency.
{url}
"""
    return subject, body


def send_reminders(org: Optional[str] = None) -> dict[str, list[str]]:
    """E-mail the maintainer of each overdue dataset, once per due date.

    Returns the dataset names reminded now, already reminded for this due
    date, and without a maintainer e-mail address.
    """
    outcome: dict[str, list[str]] = {"sent": [], "already": [], "no_email": [], "failed": []}
    for dataset in overdue_datasets(org):
        due = dt.datetime.fromisoformat(dataset["opendata_due_date"])
        already = model.Session.query(Reminder).filter_by(
            package_id=dataset["id"], due_date=due).first()
        if already:
            outcome["already"].append(dataset["name"])
            continue
        email = dataset.get("maintainer_email") or dataset.get("author_email")
        if not email:
            outcome["no_email"].append(dataset["name"])
            continue
        subject, body = _message(dataset, due)
        try:
            tk.mail_recipient(dataset.get("maintainer") or email, email, subject, body)
        except Exception as error:  # mail server down: try again next run
            log.error("Reminder for %s not sent: %s", dataset["name"], error)
            outcome["failed"].append(dataset["name"])
            continue
        model.Session.add(Reminder(package_id=dataset["id"], due_date=due, recipient=email))
        model.Session.commit()
        outcome["sent"].append(dataset["name"])
    return outcome
