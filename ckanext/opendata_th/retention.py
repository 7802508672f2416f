"""Erasing the contact details of closed feedback and dataset requests once
their retention period is over (:mod:`.playbook.retention`); run daily by
``ckan opendata-th forget-contacts``. Each erasure is recorded in the
item's history; nothing else of the item changes. Not committed."""
from __future__ import annotations

import datetime as dt
from typing import Optional

import sqlalchemy as sa

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.opendata_th.model.dataset_request import DatasetRequest, DatasetRequestEvent
from ckanext.opendata_th.model.feedback import Feedback, FeedbackEvent
from ckanext.opendata_th.model.types import utcnow
from ckanext.opendata_th.playbook import dataset_requests as request_rules
from ckanext.opendata_th.playbook import feedback as feedback_rules
from ckanext.opendata_th.playbook import retention as rules

DAYS_OPTION = "ckanext.opendata_th.contact_retention_days"


def retention_days() -> int:
    return tk.asint(tk.config.get(DAYS_OPTION, rules.DEFAULT_DAYS))


def forget_contacts(now: Optional[dt.datetime] = None) -> dict[str, int]:
    """Erase the names and e-mail addresses of feedback closed (resolved or
    hidden) and of requests decided before the retention period; returns
    ``{"feedback": n, "requests": m}``."""
    before = rules.cutoff(now or utcnow(), retention_days())
    if before is None:
        return {"feedback": 0, "requests": 0}
    items = model.Session.query(Feedback).filter(
        sa.or_(Feedback.progress == feedback_rules.RESOLVED, Feedback.visibility == feedback_rules.HIDDEN),
        Feedback.modified_at < before,
        sa.or_(Feedback.author_name.is_not(None), Feedback.author_email.is_not(None))).with_for_update().all()
    at = utcnow()
    for item in items:
        item.author_name = item.author_email = None
        model.Session.add(FeedbackEvent(feedback_id=item.id, at=at, step=rules.ERASED))
    requests = model.Session.query(DatasetRequest).filter(
        DatasetRequest.state.not_in(request_rules.OPEN_STATES), DatasetRequest.decided_at < before,
        sa.or_(DatasetRequest.requester_name != "", DatasetRequest.requester_email != "")
    ).with_for_update().all()
    for request in requests:
        request.requester_name = request.requester_email = ""
        model.Session.add(DatasetRequestEvent(request_id=request.id, at=at, kind=rules.ERASED))
    return {"feedback": len(items), "requests": len(requests)}
