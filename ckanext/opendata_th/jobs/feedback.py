"""E-mails to the people who send feedback (issue 14, point 1).

When an editor answers an item or marks it resolved, the reporter is told by
e-mail, if they gave an address (or sent it signed in, with one on their
account): a background job queued after the step is committed (CKAN's
``action_succeeded`` signal, see :mod:`..subscriptions`), written in the
language of the page they sent it from. Each sent e-mail is recorded in the
item's history; a job run again for the same step sends nothing more.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Optional

import sqlalchemy as sa

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.opendata_th import emails, localize
from ckanext.opendata_th.model.feedback import Feedback, FeedbackEvent
from ckanext.opendata_th.model.types import utcnow
from ckanext.opendata_th.playbook import feedback as rules
from ckanext.opendata_th.playbook.dates import BANGKOK, format_datetime_en, format_datetime_th

SUBJECT = "opendata_th/feedback/email_subject.txt"
BODY = "opendata_th/feedback/email_body.txt"
MAILED_STEPS = ("answer", "resolve")
MAIL_ACTIONS = tuple(f"opendata_th_feedback_{step}" for step in MAILED_STEPS)
"""The actions after which the reporter is e-mailed."""
QUOTED = 500
"""Characters of the reporter's own message quoted in the e-mail."""


def step_taken(action: str, **kwargs: Any) -> None:
    """``action_succeeded`` of an answer or a resolution (committed by the
    action): queue the e-mail to the reporter."""
    context = kwargs.get("context") or {}
    result = kwargs.get("result")
    if context.get("defer_commit") or not isinstance(result, dict) or not result.get("event_id"):
        return
    tk.enqueue_job(send_update, [result["event_id"]], title=f"opendata_th feedback e-mail {result['id']}")


def _recipient(row: Feedback) -> tuple[str, Optional[str]]:
    """The reporter's name and e-mail address: the one given, or the
    account's when they sent it signed in."""
    if row.author_email:
        return row.author_name or "", row.author_email
    user = model.User.get(row.user_id) if row.user_id else None
    if user is not None and user.state == "active" and user.email:
        return row.author_name or user.display_name, user.email
    return row.author_name or "", None


def _when(moment: dt.datetime, lang: str) -> str:
    """A moment in Bangkok time; Buddhist Era in Thai."""
    local = moment.astimezone(BANGKOK).replace(tzinfo=None)
    return format_datetime_th(local) if lang == "th" else format_datetime_en(local)


def _language(row: Feedback) -> str:
    offered = set(tk.config.get("ckan.locales_offered") or []) | {localize.default_language()}
    return row.language if row.language in offered else localize.default_language()


def send_update(event_id: str) -> str:
    """E-mail the reporter about an answer or a resolution (a background
    job). Returns what happened: "sent", "already" (sent before for this
    step), "no_email" or "no_step" (nothing to tell)."""
    event = model.Session.get(FeedbackEvent, event_id)
    row = model.Session.get(Feedback, event.feedback_id) if event is not None else None
    package = model.Package.get(row.package_id) if row is not None else None
    if event is None or row is None or package is None or event.step not in MAILED_STEPS:
        return "no_step"
    sent = model.Session.query(sa.exists().where(sa.and_(
        FeedbackEvent.feedback_id == row.id, FeedbackEvent.step == "mailed",
        FeedbackEvent.detail["event_id"].astext == event.id))).scalar()
    if sent:
        return "already"
    name, address = _recipient(row)
    if not address:
        return "no_email"
    organization = model.Group.get(package.owner_org) if package.owner_org else None
    shown = package.state == "active" and not package.private and row.visibility == rules.VISIBLE
    url = (tk.url_for("opendata_th_feedback.read", id=package.name, _external=True) + f"#feedback-{row.id}"
           if shown else "")
    message = row.message if len(row.message) <= QUOTED else row.message[:QUOTED] + "…"
    subject, body = emails.compose(SUBJECT, BODY, lambda lang: {
        "name": name, "title": package.title or package.name,
        "organization": (organization.title or organization.name) if organization else "",
        "kind": localize.text(rules.KIND_LABELS[row.kind], lang) if row.kind in rules.KIND_LABELS else row.kind,
        "answered": event.step == "answer", "text": event.note or "",
        "when": _when(event.at, lang), "message": message, "url": url}, lang=_language(row))
    tk.mail_recipient(name, address, subject, body)
    model.Session.add(FeedbackEvent(feedback_id=row.id, at=utcnow(), user_id=None, step="mailed",
                                    detail={"event_id": event.id, "step": event.step}))
    model.Session.commit()
    return "sent"
