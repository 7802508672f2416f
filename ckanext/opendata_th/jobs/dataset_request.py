"""E-mails of dataset requests (step 3.9.2).

The requester who gave an e-mail address is told of every decision on
their request (accepted, already available, not suitable, a question,
reopened), in the portal's language (Thai), by a background job queued
after the decision is committed (``subscriptions.py``). The question's
e-mail carries the secret link with which they answer.
"""
from __future__ import annotations

import datetime as dt

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.opendata_th import emails, localize
from ckanext.opendata_th.model.dataset_request import DatasetRequest, DatasetRequestEvent
from ckanext.opendata_th.playbook import dataset_requests as rules
from ckanext.opendata_th.playbook.dates import BANGKOK, format_datetime_en, format_datetime_th


SUBJECT = "emails/opendata_th/dataset_request_status_subject.txt"
BODY = "emails/opendata_th/dataset_request_status.txt"


def enqueue_status(request_id: str, event_id: str) -> None:
    """Queue the e-mail telling the requester about a decision."""
    tk.enqueue_job(send_status, [request_id, event_id],
                   title=f"opendata_th dataset request decision {request_id}")


def _when(moment: dt.datetime, lang: str) -> str:
    """A moment in Bangkok time; Buddhist Era in Thai."""
    local = moment.astimezone(BANGKOK).replace(tzinfo=None)
    return format_datetime_th(local) if lang == "th" else format_datetime_en(local)


def request_page(request_id: str) -> str:
    return tk.url_for("opendata_th_dataset_request.read", id=request_id, _external=True)


def reply_link(found: DatasetRequest) -> str:
    """The requester's secret link for answering a question."""
    return tk.url_for("opendata_th_dataset_request.read", id=found.id, key=found.reply_key,
                      _external=True, _anchor="reply")


def send_status(request_id: str, event_id: str) -> str:
    """E-mail the requester one decision (a background job). Returns what
    happened: "sent", "no_email" or "not_found"."""
    found = model.Session.get(DatasetRequest, request_id)
    event = model.Session.get(DatasetRequestEvent, event_id)
    if found is None or event is None or event.kind != "decision" or event.request_id != found.id:
        return "not_found"
    if not found.requester_email:
        return "no_email"
    organization = model.Group.get(found.organization_id) if found.organization_id else None
    package = model.Package.get(event.package_id) if event.package_id else None
    public = package is not None and package.state == "active" and not package.private

    def values(lang: str) -> dict[str, object]:
        reason = rules.REASON_LABELS.get(event.reason or "")
        return {
            "name": found.requester_name, "title": found.title,
            "state": localize.text(rules.STATE_LABELS[event.to_state], lang)
            if event.to_state in rules.STATE_LABELS else event.to_state,
            "organization": (organization.title or organization.name) if organization is not None
            else localize.gettext("The portal's administrators", lang),
            "when": _when(event.at, lang), "decision": event.decision, "comment": event.comment or "",
            "reason": localize.text(reason, lang) if reason else "",
            "dataset_title": (package.title or package.name) if public else "",
            "dataset_url": tk.url_for("dataset.read", id=package.name, _external=True) if public else "",
            "reply_url": reply_link(found), "url": request_page(found.id),
        }

    subject, body = emails.compose(SUBJECT, BODY, values)
    tk.mail_recipient(found.requester_name or found.requester_email, found.requester_email, subject, body)
    return "sent"
